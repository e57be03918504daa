"""The Analysis dock on a large tree: its decision pickers list and find any of thousands
of decisions by search."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from offramp_gui.gui.analysis_dock import ANALYSED_BY_ITSELF_UP_TO
from offramp_gui.model.tree import DECISION, TERMINAL, Node, Tree, Variable

WAIT = 10_000
CHOICES = ANALYSED_BY_ITSELF_UP_TO // 3 + 1


def many_decisions() -> Tree:
    """A root decision between thousands of decisions ("Choice k"), two terminals each:
    over the size analysed after every change."""
    choices = [Node(f"c{k}", DECISION, branch=f"Option {k}", name=f"Choice {k}",
                    children=[
                        Node(f"c{k}.yes", TERMINAL, branch="Yes", payoff="v" if k else k),
                        Node(f"c{k}.no", TERMINAL, branch="No", payoff=1)])
               for k in range(CHOICES)]
    tree = Tree(Node("root", DECISION, name="Start", children=choices),
                "Many decisions")
    tree.variables = [Variable("v", 2.0, 0, 10)]
    return tree


@pytest.fixture
def window(make_window, qtbot):
    win = make_window()
    win.document.replace_tree(many_decisions(), None)
    win.show()
    win.findChild(QDockWidget, "analysis-dock").raise_()
    qtbot.waitUntil(win.panels["analysis"].isVisible)
    yield win
    assert win.panels["analysis"].simulation.shutdown()


def test_the_decision_picker_lists_every_decision(window):
    picker = window.panels["analysis"].picker.node
    assert picker.count() == CHOICES + 1
    assert picker.itemText(0) == "Start (root)"
    assert picker.itemText(CHOICES) == f"Choice {CHOICES - 1} (c{CHOICES - 1})"
    assert picker.findData(f"c{CHOICES - 1}") == CHOICES


# The offscreen platform cannot raise the completer's popup or grab the keyboard for it.
@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
@pytest.mark.parametrize("which", ["subject", "requirements"])
def test_a_decision_deep_in_the_list_is_found_by_typing(window, qtbot, which):
    panel = window.panels["analysis"]
    if which == "requirements":
        panel.tabs.setCurrentWidget(panel.requirements)
        picker = panel.requirements.node
    else:
        picker = panel.picker.node
    wanted = f"c{CHOICES - 2}"
    picker.lineEdit().selectAll()
    qtbot.keyClicks(picker.lineEdit(), f"choice {CHOICES - 2}")
    popup = picker.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    found = [picker.completer().completionModel().index(row, 0).data()
             for row in range(picker.completer().completionCount())]
    assert found == [f"Choice {CHOICES - 2} ({wanted})"]
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert picker.currentData() == wanted


def test_selecting_a_decision_on_the_canvas_picks_it(window):
    window.document.select(f"c{CHOICES - 1}")
    assert window.panels["analysis"].picker.node_id() == f"c{CHOICES - 1}"
