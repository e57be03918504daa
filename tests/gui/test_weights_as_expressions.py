"""A weight written as an expression, as a user sees and edits it: the Weights panel shows
the expression and its value, the model editor's Players tab takes a number or an
expression, renaming the variable rewrites it, and the One-way tab sweeps it."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QLineEdit, QWidget

WEIGHTED = Path(__file__).resolve().parents[1] / "data" / "weights_as_expressions.json"
WAIT = 10_000  # ms: generous, for slow machines


@pytest.fixture
def window(make_window, qtbot, tmp_path):
    window = make_window()
    path = tmp_path / "weighted.json"
    path.write_text(WEIGHTED.read_text(encoding="utf-8"), encoding="utf-8")
    assert window.files.open(path)
    window.show()
    qtbot.waitExposed(window)
    yield window
    assert window.panels["analysis"].simulation.shutdown()


def field(widget, name: str):
    found = widget.findChild(QWidget, name)
    assert found is not None, name
    return found


def type_into(qtbot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def players_tab(window):
    return window.panels["model"].show_tab("players")


def results_for(qtbot, window, w: float) -> None:
    qtbot.waitUntil(lambda: window.document.results is not None
                    and window.document.results.variables.get("w_acc") == w, timeout=WAIT)


def test_the_weights_panel_shows_the_expression_and_its_value(window, qtbot):
    panel = window.panels["weights"]
    shown = field(panel, "weight-expression-allies-catastrophe")
    spin = panel.spins[("allies", "catastrophe")]
    results_for(qtbot, window, 0.3)
    assert shown.isVisibleTo(panel) and not spin.isVisibleTo(panel)
    assert shown.isReadOnly() and shown.text() == "1 - w_acc = 0.7"
    assert "Players tab" in shown.toolTip()
    window.document.edit.set_variable("w_acc", "value", 0.8)
    results_for(qtbot, window, 0.8)
    assert shown.text() == "1 - w_acc = 0.2"
    assert window.document.results.chosen_id("choice") == "prosecute"


def test_typing_an_expression_as_a_weight_is_one_step(window, qtbot):
    document = window.document
    tab = players_tab(window)
    edit = field(tab, "player-weight-accountability")
    assert edit.text() == "w_acc" and field(tab, "player-weight-accountability-value").text() \
        == "= 0.3"
    type_into(qtbot, edit, "0.25")
    assert document.tree.players[0].weights["accountability"] == 0.25
    assert document.undo_stack.undoText() == "Change The allies's weight"
    panel = window.panels["weights"]
    assert panel.spins[("allies", "accountability")].isVisibleTo(panel)
    assert panel.spins[("allies", "accountability")].value() == 0.25
    type_into(qtbot, edit, "2 * w_acc")
    assert document.tree.players[0].weights["accountability"] == "2 * w_acc"
    assert field(tab, "player-weight-accountability-value").text() == "= 0.6"
    assert field(panel, "weight-expression-allies-accountability").isVisibleTo(panel)
    window.actions["undo"].trigger()
    assert document.tree.players[0].weights["accountability"] == 0.25
    assert edit.text() == "0.25"
    window.actions["undo"].trigger()
    assert document.tree.players[0].weights["accountability"] == "w_acc"


def test_a_weight_naming_no_variable_is_refused_where_it_was_typed(window, qtbot):
    document = window.document
    tab = players_tab(window)
    steps = document.undo_stack.count()
    type_into(qtbot, field(tab, "player-weight-accountability"), "w_ac")
    message = field(tab, "player-weight-accountability-message")
    assert message.isVisibleTo(tab)
    assert message.text().startswith('"w_ac" is not a variable (the variables are:'
                                     " p_escalate, w_acc)")
    assert document.tree.players[0].weights["accountability"] == "w_acc"
    assert document.undo_stack.count() == steps


def test_normalise_says_it_needs_numbers(window, qtbot):
    tab = players_tab(window)
    assert tab.total.text() == "0 (and expressions)"
    qtbot.mouseClick(field(tab, "player-normalise"), Qt.MouseButton.LeftButton)
    [(title, text, _details)] = window.prompts.errors
    assert title == "Normalise weights"
    assert text == ("The allies's weight on Accountability is an expression: Normalise scales"
                    " a player's weights only when all of them are numbers.")
    assert window.document.tree.players[0].weights == {"accountability": "w_acc",
                                                       "catastrophe": "1 - w_acc"}
    for criterion, number in (("accountability", "3"), ("catastrophe", "1")):
        type_into(qtbot, field(tab, f"player-weight-{criterion}"), number)
    qtbot.mouseClick(field(tab, "player-normalise"), Qt.MouseButton.LeftButton)
    assert window.document.tree.players[0].weights == {"accountability": 0.75,
                                                       "catastrophe": 0.25}


def test_renaming_the_variable_rewrites_the_weights(window, qtbot):
    document = window.document
    variables = window.panels["model"].show_tab("variables")
    listing = field(variables, "variable-list")
    listing.setCurrentRow(next(i for i in range(listing.count())
                               if listing.item(i).text() == "w_acc"))
    type_into(qtbot, field(variables, "variable-name"), "w_accountability")
    assert document.tree.players[0].weights == {"accountability": "w_accountability",
                                                "catastrophe": "1 - w_accountability"}
    assert field(players_tab(window), "player-weight-catastrophe").text() == \
        "1 - w_accountability"
    window.actions["undo"].trigger()
    assert document.tree.players[0].weights == {"accountability": "w_acc",
                                                "catastrophe": "1 - w_acc"}


def test_the_one_way_tab_sweeps_a_weight(window, qtbot):
    panel = window.panels["analysis"]
    window.findChild(QDockWidget, "analysis-dock").raise_()
    qtbot.waitUntil(panel.isVisible, timeout=WAIT)
    tab = panel.one_way
    tab.variable.setCurrentIndex(tab.variable.findData("w_acc"))
    panel.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.result is not None and not tab.dirty
                    and tab.result.variable == "w_acc", timeout=WAIT)
    (x, prosecute), (x2, offramp) = tab.plot.curve_data()
    np.testing.assert_allclose(prosecute, 30 * x - 20, atol=1e-12)
    np.testing.assert_allclose(offramp, -5 * x2, atol=1e-12)
    assert tab.plot.switch_positions() == pytest.approx([4 / 7], rel=1e-9)
    assert json.loads(json.dumps(tab.result.best[:1])) == ["offramp"]
