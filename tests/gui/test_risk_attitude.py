"""A player's attitude to risk in the app (issue 15): the player form's utility section,
each change one named undo step, a renamed variable followed into the risk tolerance,
and View > Show Certainty Equivalents on the canvas and in exports."""
from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET

import pytest
from conftest import SMALL
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QTableWidget, QWidget

from offramp_gui.gui.export import export_tree
from offramp_gui.model.tree import Utility

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def window(make_window, qtbot, tmp_path):
    window = make_window()
    window.show()
    qtbot.waitExposed(window)
    doc = json.loads(SMALL)
    doc["variables"].append({"name": "r_kremlin", "value": -20})
    path = tmp_path / "tree.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert window.files.open(path)
    return window


def players_tab(window, player: str):
    tab = window.panels["model"].show_tab("players")
    listing = tab.list
    listing.setCurrentRow(next(i for i in range(listing.count())
                               if listing.item(i).text() == player))
    return tab


def field(widget, kind, name: str):
    found = widget.findChild(kind, name)
    assert found is not None, name
    return found


def type_into(qtbot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def choose_kind(tab, text: str) -> None:
    combo = field(tab, QComboBox, "player-utility-kind")
    combo.setCurrentIndex(combo.findText(text))
    combo.activated.emit(combo.currentIndex())


def visible(tab, name: str) -> bool:
    return field(tab, QWidget, name).isVisibleTo(tab)


def test_a_risk_tolerance_set_in_the_form_is_one_named_step_each(window, qtbot):
    document = window.document
    tab = players_tab(window, "Kremlin")
    assert field(tab, QComboBox, "player-utility-kind").currentText() == "Risk-neutral (linear)"
    assert not visible(tab, "player-risk-tolerance")
    choose_kind(tab, "Exponential (risk tolerance)")
    assert document.undo_stack.undoText() == "Give \u201cKremlin\u201d an exponential utility"
    assert document.tree.players[1].utility == Utility("exponential", risk_tolerance=100)
    assert visible(tab, "player-risk-tolerance")
    assert not visible(tab, "player-points-table")
    type_into(qtbot, field(tab, QLineEdit, "player-risk-tolerance"), "r_kremlin")
    assert document.undo_stack.undoText() == "Set \u201cKremlin\u201d's risk tolerance to" \
        " r_kremlin"
    assert document.tree.players[1].utility.risk_tolerance == "r_kremlin"
    document.recompute()
    assert document.results.certainty is not None and not document.results.issues
    window.actions["undo"].trigger()
    assert document.tree.players[1].utility.risk_tolerance == 100
    assert field(tab, QLineEdit, "player-risk-tolerance").text() == "100"
    window.actions["undo"].trigger()
    assert document.tree.players[1].utility is None
    assert field(tab, QComboBox, "player-utility-kind").currentText() == \
        "Risk-neutral (linear)"


def test_a_risk_tolerance_of_zero_or_an_unknown_name_is_refused_under_the_field(window, qtbot):
    document = window.document
    tab = players_tab(window, "Kremlin")
    choose_kind(tab, "Exponential (risk tolerance)")
    steps = document.undo_stack.count()
    edit = field(tab, QLineEdit, "player-risk-tolerance")
    type_into(qtbot, edit, "0")
    message = field(tab, QWidget, "player-risk-tolerance-message")
    assert message.text().startswith("A risk tolerance of 0 means nothing")
    type_into(qtbot, edit, "tolerance")
    assert message.text().startswith('"tolerance" is not a variable')
    assert document.undo_stack.count() == steps


def test_points_are_added_changed_and_removed_one_step_each(window, qtbot):
    document = window.document
    tab = players_tab(window, "West")
    choose_kind(tab, "Piecewise linear (points)")
    table = field(tab, QTableWidget, "player-points-table")
    assert visible(tab, "player-points-table") and not visible(tab, "player-risk-tolerance")
    assert [[table.item(r, c).text() for c in range(2)] for r in range(2)] == [
        ["0", "0"], ["100", "100"]]
    qtbot.mouseClick(field(tab, QWidget, "player-point-add"), Qt.MouseButton.LeftButton)
    assert document.undo_stack.undoText() == "Add a point to \u201cWest\u201d's utility"
    assert document.tree.players[0].utility.points == [[0, 0], [100, 100], [200, 200]]
    table.item(1, 1).setText("150")  # as when the user edits the cell
    assert document.undo_stack.undoText() == "Change point 2 of \u201cWest\u201d's utility"
    assert document.tree.players[0].utility.points == [[0, 0], [100, 150], [200, 200]]
    table.selectRow(0)
    qtbot.mouseClick(field(tab, QWidget, "player-point-remove"), Qt.MouseButton.LeftButton)
    assert document.undo_stack.undoText() == "Remove point 1 from \u201cWest\u201d's utility"
    assert document.tree.players[0].utility.points == [[100, 150], [200, 200]]
    assert not field(tab, QWidget, "player-point-remove").isEnabled()  # two are the least
    steps = document.undo_stack.count()
    table.item(0, 0).setText("many")
    assert field(tab, QWidget, "player-utility-points-message").text() == \
        "A point's score and utility are numbers: \u201cmany\u201d is not one."
    assert table.item(0, 0).text() == "100"  # the stored point is shown again
    assert document.undo_stack.count() == steps
    window.actions["undo"].trigger()
    assert document.tree.players[0].utility.points == [[0, 0], [100, 150], [200, 200]]
    assert table.rowCount() == 3


def test_renaming_a_variable_follows_into_the_risk_tolerance(window, qtbot):
    document = window.document
    tab = players_tab(window, "Kremlin")
    choose_kind(tab, "Exponential (risk tolerance)")
    type_into(qtbot, field(tab, QLineEdit, "player-risk-tolerance"), "r_kremlin * 2")
    variables = window.panels["model"].show_tab("variables")
    listing = variables.list
    listing.setCurrentRow(next(i for i in range(listing.count())
                               if listing.item(i).text() == "r_kremlin"))
    type_into(qtbot, field(variables, QLineEdit, "variable-name"), "r_moscow")
    assert document.undo_stack.undoText() == "Rename variable r_kremlin to r_moscow"
    assert document.tree.players[1].utility.risk_tolerance == "r_moscow * 2"
    window.actions["undo"].trigger()
    assert document.tree.players[1].utility.risk_tolerance == "r_kremlin * 2"


def test_show_certainty_equivalents_puts_the_ce_beside_the_value(window, qtbot, tmp_path):
    document = window.document
    # The West risk-averse (R = 10): at "defeat", a 30% chance of the Kremlin's choice
    # and a 70% stalemate.
    tab = players_tab(window, "West")
    choose_kind(tab, "Exponential (risk tolerance)")
    type_into(qtbot, field(tab, QLineEdit, "player-risk-tolerance"), "10")
    document.recompute()
    results = document.results
    defeat = results.index("defeat")
    # West's scores: escalate 0.6(5 - 60) + 0.4(-100) = -73 (the Kremlin escalates: its
    # own -1(-55) + 0.2(-100) = 35 beats accept's -45); stalemate 0.6(5 - 10) + 0.4(-10)
    # = -7. CE = -10 ln(0.3 e^7.3 + 0.7 e^0.7)
    ce = -10 * math.log(0.3 * math.exp(7.3) + 0.7 * math.exp(0.7))
    assert results.certainty[defeat, 0] == pytest.approx(ce, rel=1e-12)
    scene = window.scene
    action = window.actions["show-certainty"]
    assert not action.isChecked()
    assert "CE" not in scene.item_for_node("defeat").reading().value
    action.trigger()
    assert document.show_certainty
    assert scene.item_for_node("defeat").reading().value == f"-26.8  CE {ce:.1f}"
    assert "CE" not in scene.item_for_node("talks").reading().value  # a terminal
    document.set_display(player=1)  # the Kremlin is risk-neutral: nothing beside
    assert "CE" not in scene.item_for_node("defeat").reading().value
    document.set_display(player=0)
    path = tmp_path / "tree.svg"
    export_tree(document, path)
    texts = [t.text or "" for t in ET.parse(path).getroot().iter(f"{SVG}text")]
    assert any(f"CE {ce:.1f}" in t for t in texts)


def test_the_properties_panel_shows_the_certainty_equivalent(window, qtbot):
    document = window.document
    tab = players_tab(window, "West")
    choose_kind(tab, "Exponential (risk tolerance)")
    type_into(qtbot, field(tab, QLineEdit, "player-risk-tolerance"), "10")
    document.recompute()
    document.select("defeat")
    panel = window.panels["properties"]
    # -10 ln(0.3 e^7.3 + 0.7 e^0.7), as above
    ce = -10 * math.log(0.3 * math.exp(7.3) + 0.7 * math.exp(0.7))
    assert field(panel, QWidget, "value-certainty-0").text() == f"{ce:.1f}"
    assert field(panel, QWidget, "value-utility-0").text() == "-26.8"
    assert panel.findChild(QWidget, "value-certainty-1") is None  # the Kremlin: neutral


def test_a_new_tree_gets_a_risk_averse_decision_maker_and_saves_it(window, qtbot, tmp_path):
    window.files.new()
    document = window.document
    tab = players_tab(window, "Decision maker")
    choose_kind(tab, "Exponential (risk tolerance)")
    type_into(qtbot, field(tab, QLineEdit, "player-risk-tolerance"), "250")
    target = tmp_path / "averse.json"
    window.prompts.script("save", target)
    assert window.files.save_as()
    saved = json.loads(target.read_text(encoding="utf-8"))
    assert saved["players"][0]["utility"] == {"kind": "exponential", "risk_tolerance": 250}
    assert document.undo_stack.undoText() == \
        "Set \u201cDecision maker\u201d's risk tolerance to 250"
