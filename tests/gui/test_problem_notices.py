"""What the window says about the tree's problems follows the tree: the status line after
every edit, undo and redo, and the Problems panel naming nodes by their labels."""
from __future__ import annotations

import pytest
from conftest import SMALL
from PySide6.QtCore import Qt

ONE = "1 problem: values that depend on them show as —"
TWO = "2 problems: values that depend on them show as —"


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "small.json"
    path.write_text(SMALL, encoding="utf-8")
    return path


@pytest.fixture
def window(make_window, path):
    window = make_window()
    assert window.files.open(path)
    return window


def status(window) -> str:  # noqa: ANN001
    return window.statusBar().currentMessage()


def test_the_status_line_follows_the_problems_through_edits_undo_and_redo(window, qtbot):
    edit = window.document.edit
    edit.set_field("talks", "payoff", {"security": "nowhere * 2"})
    qtbot.waitUntil(lambda: status(window) == ONE)
    edit.set_field("escalate", "payoff", {"security": "nowhere * 3"})
    qtbot.waitUntil(lambda: status(window) == TWO)
    window.actions["undo"].trigger()
    qtbot.waitUntil(lambda: status(window) == ONE)
    window.actions["undo"].trigger()
    qtbot.waitUntil(lambda: status(window) == "")
    assert window.panels["problems"].count() == 0
    window.actions["redo"].trigger()
    qtbot.waitUntil(lambda: status(window) == ONE)
    edit.set_field("talks", "payoff", {"security": -5})  # fixed by hand
    qtbot.waitUntil(lambda: status(window) == "")


def test_a_later_message_is_not_withdrawn_with_the_problems(window, qtbot):
    window.document.edit.set_field("talks", "payoff", {"security": "nowhere * 2"})
    qtbot.waitUntil(lambda: status(window) == ONE)
    window.status.show("Exported small.png")
    window.actions["undo"].trigger()
    qtbot.waitUntil(lambda: not window.document.results.issues)
    assert status(window) == "Exported small.png"


def test_a_tree_opened_with_problems_is_no_longer_said_to_have_them_once_fixed(
        make_window, tmp_path, qtbot):
    path = tmp_path / "unbalanced.json"
    path.write_text(SMALL.replace('"payoff": {"security": -5, "risk": 0}',
                                  '"payoff": {"security": "nowhere * 2"}'), encoding="utf-8")
    window = make_window()
    assert window.files.open(path)
    assert status(window).startswith("Opened unbalanced.json, which has 1 problem")
    window.document.edit.set_field("talks", "payoff", {"security": -5})
    qtbot.waitUntil(lambda: status(window) == "")


def test_the_problems_panel_names_a_node_by_its_label_and_id(window, qtbot):
    window.document.edit.set_field("collapse", "probability", 0.5)
    window.document.edit.set_field("stalemate", "probability", 0.4)
    panel = window.panels["problems"]
    qtbot.waitUntil(lambda: panel.count() == 1)
    line = panel.list.item(0).text()
    assert line == ("\u201cSeek defeat\u201d (defeat): the probabilities of its branches add"
                    " up to 0.9, not 1")
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton,
                     pos=panel.list.visualItemRect(panel.list.item(0)).center())
    assert window.document.selected_id == "defeat"
