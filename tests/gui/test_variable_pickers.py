"""The Analysis dock's variable pickers: two variables for a map, descriptions, search."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

TREES = Path(__file__).resolve().parents[2] / "trees"
WAIT = 10_000


@pytest.fixture
def window(make_window, qtbot):
    win = make_window()
    win.show()
    win.findChild(QDockWidget, "analysis-dock").raise_()
    yield win
    assert win.panels["analysis"].simulation.shutdown()


def open_tree(window, qtbot, name: str) -> None:
    panel = window.panels["analysis"]
    assert window.files.open(TREES / name, ask=False)
    tab = panel.two_way
    panel.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.result is not None and not tab.dirty, timeout=WAIT)


def test_a_map_opens_with_two_different_variables(window, qtbot):
    open_tree(window, qtbot, "offramp.json")
    tab = window.panels["analysis"].two_way
    assert tab.x_variable.count() > 1
    assert tab.x_variable.name() != tab.y_variable.name()
    assert tab.result.x_variable != tab.result.y_variable


def test_another_tree_opens_with_two_different_variables(window, qtbot):
    open_tree(window, qtbot, "offramp.json")
    open_tree(window, qtbot, "concessions.json")
    tab = window.panels["analysis"].two_way
    assert tab.x_variable.name() != tab.y_variable.name()
    assert tab.result.x_variable != tab.result.y_variable



# The offscreen platform cannot raise the completer's popup or grab the keyboard for it.
@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_pickers_show_descriptions_and_search_as_you_type(window, qtbot):
    open_tree(window, qtbot, "offramp.json")
    tab = window.panels["analysis"].two_way
    picker = tab.x_variable
    index = picker.findData("p_miscalc")
    assert picker.itemText(index).startswith("p_miscalc — Chance that a prolonged war")
    assert "by miscalculation" in picker.itemData(index, Qt.ItemDataRole.ToolTipRole)

    picker.lineEdit().selectAll()
    qtbot.keyClicks(picker.lineEdit(), "NATO")  # in descriptions, not names
    popup = picker.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    found = [picker.completer().completionModel().index(row, 0).data()
             for row in range(picker.completer().completionCount())]
    assert [text.split(" — ")[0] for text in found] == [
        "p_wider_war", "p_miscalc", "wider_war_cost", "face_value"]
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert picker.name() == "p_miscalc"
    qtbot.waitUntil(lambda: not tab.dirty and tab.result.x_variable == "p_miscalc",
                    timeout=WAIT)


def test_text_that_matches_nothing_gives_way_to_the_chosen_variable(window, qtbot):
    open_tree(window, qtbot, "offramp.json")
    picker = window.panels["analysis"].one_way.variable
    chosen = picker.name()
    picker.lineEdit().selectAll()
    qtbot.keyClicks(picker.lineEdit(), "zzz")
    qtbot.keyClick(picker.lineEdit(), Qt.Key.Key_Return)
    assert picker.name() == chosen and picker.currentText().startswith(chosen + " — ")
    assert picker.lineEdit().cursorPosition() == 0


def test_a_picker_lists_a_variable_added_and_keeps_its_list_while_a_slider_moves(
        window, qtbot):
    from offramp_gui.gui.model_edits import VARIABLE, ModelEdits

    open_tree(window, qtbot, "offramp.json")
    document = window.document
    picker = window.panels["analysis"].one_way.variable
    listed = [picker.itemData(k) for k in range(picker.count())]
    assert picker.names() == listed and len(listed) > 1
    picker.setCurrentIndex(1)
    chosen = picker.name()
    with qtbot.waitSignal(document.results_ready, timeout=WAIT):
        added = ModelEdits(document).add(VARIABLE, "zeta")
    assert [picker.itemData(k) for k in range(picker.count())] == listed + [added]
    assert picker.name() == chosen
    slider = window.panels["variables"].rows[listed[0]].slider
    with qtbot.waitSignal(document.results_ready, timeout=WAIT):
        slider.setValue(slider.value() + 7)
    assert [picker.itemData(k) for k in range(picker.count())] == listed + [added]
    assert picker.currentText().startswith(chosen)
    with qtbot.waitSignal(document.results_ready, timeout=WAIT):
        document.undo_stack.undo()
    with qtbot.waitSignal(document.results_ready, timeout=WAIT):
        document.undo_stack.undo()
    assert [picker.itemData(k) for k in range(picker.count())] == listed
