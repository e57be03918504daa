"""Issue 3's core promise: an edit in a panel shows the engine's new numbers at once,
and undo and redo bring both the tree and the numbers back."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDoubleSpinBox, QLineEdit

from offramp_gui.analysis.evaluate import evaluate_tree
from offramp_gui.analysis.flatten import DECISION_KIND
from offramp_gui.gui.main_window import MainWindow


@pytest.fixture
def window(make_window, offramp_tree):
    win = make_window()
    win.document.replace_tree(offramp_tree, None)
    return win


def shown_numbers(win: MainWindow) -> tuple[float, list[float], dict[str, list[float]]]:
    outcomes = win.panels["outcomes"]
    root_value = float(win.document.results.utility[0, win.document.shown_player])
    return root_value, outcomes.utilities(), outcomes.outcome_shares()


def engine_numbers(win: MainWindow) -> tuple[float, list[float], dict[str, list[float]]]:
    """The root's value, and the alternatives of the decision the chart shows: the
    selected one (the root's when the selection is not a decision)."""
    results = evaluate_tree(win.document.tree)
    flat = results.flat
    selected = flat.index.get(win.document.selected_id or "")
    chart = selected if selected is not None and flat.kind[selected] == DECISION_KIND else 0
    kids = list(flat.children(chart))
    player = win.document.shown_player
    shares = {key: [float(results.outcomes[k, j]) for k in kids]
              for j, key in enumerate(results.outcome_keys)}
    return (float(results.utility[0, player]), [float(results.utility[k, player]) for k in kids],
            shares)


def assert_same(shown, engine):
    assert shown[0] == pytest.approx(engine[0], abs=1e-9)
    assert np.allclose(shown[1], engine[1], atol=1e-9)
    for key, values in shown[2].items():
        assert np.allclose(values, engine[2][key], atol=1e-9), key


def test_a_probability_typed_in_properties_updates_root_and_chart_and_undoes(window, qtbot):
    document = window.document
    document.select("offramp_pledges.rout")  # the chart shows its alternatives
    before = shown_numbers(window)
    field = window.panels["properties"].findChild(QLineEdit, "probability-expression")
    field.selectAll()
    qtbot.keyClicks(field, "0.55")  # typed, as a user would
    with qtbot.waitSignal(document.results_ready):
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert document.tree.node("offramp_pledges.rout").probability == 0.55
    after = shown_numbers(window)
    assert after[0] != pytest.approx(before[0])
    assert_same(after, engine_numbers(window))
    assert window.actions["undo"].text() == "&Undo Change probability"
    window.actions["undo"].trigger()
    qtbot.waitUntil(lambda: shown_numbers(window)[0] == pytest.approx(before[0], abs=1e-12))
    assert_same(shown_numbers(window), before)
    window.actions["redo"].trigger()
    qtbot.waitUntil(lambda: shown_numbers(window)[0] == pytest.approx(after[0], abs=1e-12))
    assert_same(shown_numbers(window), engine_numbers(window))


def test_the_spin_box_drives_a_fixed_probability(window, qtbot):
    document = window.document
    document.select("offramp_pledges.rout")
    field = window.panels["properties"].findChild(QLineEdit, "probability-expression")
    field.selectAll()
    qtbot.keyClicks(field, "0.3")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    spin = window.panels["properties"].findChild(QDoubleSpinBox, "probability-spin")
    assert spin.isEnabled()
    with qtbot.waitSignal(document.results_ready):
        spin.setValue(0.4)
    assert document.tree.node("offramp_pledges.rout").probability == 0.4
    assert_same(shown_numbers(window), engine_numbers(window))
