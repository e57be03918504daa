"""A tree saved half-finished opens with its problems listed, and saving one asks first.

Only a file that cannot be read as a tree (not JSON, wrong types) is refused.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDoubleSpinBox, QLabel, QMenu

from offramp_gui.fileformat.atomic import write_atomic
from offramp_gui.fileformat.json_io import read_file
from offramp_gui.gui.main_window import MainWindow

TREES = Path(__file__).resolve().parents[2] / "trees"
SUM_PROBLEM = ("\u201cGamble\u201d (uncertain): the probabilities of its branches add up to"
               " 1.2, not 1")


def tree_text(good: float = 0.7, kind: object = "terminal") -> str:
    """A decision between a sure thing and a gamble whose chances add up to good + 0.5."""
    return json.dumps({"format": "offramp-tree", "version": 1, "title": "Half-finished",
                       "root": {"id": "choice", "type": "decision", "name": "Choice",
                                "children": [
        {"id": "sure", "type": "terminal", "branch": "Sure thing", "payoff": 1},
        {"id": "uncertain", "type": "chance", "branch": "Gamble", "name": "Uncertain",
         "children": [
             {"id": "good", "type": kind, "branch": "Good", "probability": good,
              "payoff": 10},
             {"id": "bad", "type": "terminal", "branch": "Bad", "probability": 0.5,
              "payoff": -10}]}]}}, indent=2) + "\n"


@pytest.fixture
def half_finished(tmp_path) -> Path:
    path = tmp_path / "tree.json"
    path.write_text(tree_text())
    return path


@pytest.fixture
def tree_file(tmp_path) -> Path:
    path = tmp_path / "offramp.json"
    shutil.copy(TREES / "offramp.json", path)
    return path


@pytest.fixture
def window(make_window, qtbot):
    win = make_window()
    win.resize(1200, 800)
    win.show()
    qtbot.waitExposed(win)
    return win


def listed(window: MainWindow) -> list[str]:
    problems = window.panels["problems"]
    return [problems.list.item(i).text() for i in range(problems.count())]


def open_through_the_menu(window: MainWindow, path: Path) -> bool:
    window.prompts.script("open", path)
    return window.files.open_dialog()


def test_a_file_whose_chances_add_up_to_1_2_opens_with_the_problem_listed(window,
                                                                          half_finished):
    assert open_through_the_menu(window, half_finished)
    assert not window.prompts.errors
    assert window.document.path == half_finished and not window.document.modified
    assert window.document.tree.node("good").probability == 0.7
    assert listed(window) == [SUM_PROBLEM]
    assert window.statusBar().currentMessage() == (
        "Opened tree.json, which has 1 problem: see the Problems panel")
    assert not window.docks["problems"].visibleRegion().isEmpty()  # its tab in front


def test_fixing_the_probability_in_the_properties_panel_clears_the_problem(window, qtbot,
                                                                           half_finished):
    assert open_through_the_menu(window, half_finished)
    problems = window.panels["problems"]
    item = problems.list.item(0)
    problems.list.itemClicked.emit(item)  # a click on the line selects the chance node
    assert window.document.selected_id == "uncertain"
    window.document.select("good")
    spin = window.panels["properties"].findChild(QDoubleSpinBox, "probability-spin")
    spin.setFocus()
    spin.lineEdit().selectAll()
    with qtbot.waitSignal(window.document.results_ready):
        qtbot.keyClicks(spin, "0.5")
        qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert window.document.tree.node("good").probability == 0.5
    assert listed(window) == []
    assert window.panels["problems"].findChild(QLabel, "problems-empty").isVisible()


def test_saving_before_the_fix_asks_and_cancel_leaves_the_file_alone(window, qtbot,
                                                                     half_finished):
    assert window.files.open(half_finished)
    window.document.edit.set_field("sure", "branch", "Safe")  # something to save
    before = half_finished.read_bytes()
    window.prompts.script("save-with-problems", "cancel")
    window.actions["save"].trigger()
    assert window.prompts.texts("save-with-problems") == [
        "tree.json has 1 problem (first: “Gamble” (uncertain): the probabilities of its"
        " branches add up to 1.2, not 1). Save anyway?"]
    [(_key, title, _text, choices)] = window.prompts.questions("save-with-problems")
    assert title == "The tree has problems"
    assert [label for label, _answer in choices] == ["Save Anyway", "Cancel"]
    assert not window.files.saving
    assert half_finished.read_bytes() == before and window.document.modified

    window.prompts.script("save-with-problems", "save")
    with qtbot.waitSignal(window.files.save_finished, timeout=5000) as finished:
        window.actions["save"].trigger()
    assert finished.args == [True] and not window.document.modified
    saved = read_file(half_finished)
    assert saved.tree is not None and saved.tree.node("sure").branch == "Safe"
    assert saved.tree.node("good").probability == 0.7  # the problem is kept, as asked
    assert len(window.prompts.questions("save-with-problems")) == 2


def test_once_fixed_the_tree_saves_without_a_question(window, qtbot, half_finished):
    assert window.files.open(half_finished)
    window.document.edit.set_field("good", "probability", 0.5)
    with qtbot.waitSignal(window.files.save_finished, timeout=5000):
        window.actions["save"].trigger()
    assert window.prompts.questions("save-with-problems") == []
    assert read_file(half_finished).issues == []


def test_save_as_asks_before_the_file_dialog(window, half_finished):
    assert window.files.open(half_finished)
    window.prompts.script("save-with-problems", "cancel")
    window.actions["save-as"].trigger()
    assert window.prompts.questions("save") == []
    window.prompts.script("save-with-problems", "cancel")
    assert not window.files.save_as()
    assert window.prompts.questions("save") == []


def test_save_changes_then_cancel_on_the_problems_keeps_the_document(window, half_finished):
    assert window.files.open(half_finished)
    window.document.edit.set_field("sure", "branch", "Safe")
    before = half_finished.read_bytes()
    window.prompts.script("save-changes", "save")
    window.prompts.script("save-with-problems", "cancel")
    assert not window.files.new()
    assert window.document.path == half_finished and window.document.modified
    assert half_finished.read_bytes() == before
    window.prompts.script("save-with-problems", "save")
    assert window.files.new()
    assert read_file(half_finished).tree.node("sure").branch == "Safe"


def test_autosave_never_asks(window, half_finished):
    assert window.files.open(half_finished)
    window.document.edit.set_field("sure", "branch", "Safe")
    assert window.features["recovery"].write()
    assert window.prompts.asked == []


def test_open_recent_and_a_drop_open_it_too(window, half_finished, tree_file):
    window.files.remember(half_finished)
    assert window.files.open(tree_file)
    menu = QMenu()
    window.features["files"].fill_recent(menu)
    recent = next(a for a in menu.actions() if a.statusTip() == str(half_finished.resolve()))
    recent.trigger()
    window.files.finish_opening()  # (the file is read on a worker)
    assert window.document.path == half_finished and len(listed(window)) == 1

    assert window.files.open(tree_file)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(half_finished))])
    window.dropEvent(QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                                Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier))
    window.files.finish_opening()
    assert window.document.path == half_finished and len(listed(window)) == 1
    assert not window.prompts.errors


def test_a_reload_from_disk_takes_a_tree_with_problems(window, qtbot, half_finished):
    half_finished.write_text(tree_text(good=0.5))
    assert window.files.open(half_finished)
    window.prompts.script("file-changed", "reload")
    with qtbot.waitSignal(window.features["disk-watch"].checked, timeout=5000) as seen:
        write_atomic(half_finished, tree_text(good=0.7).encode())
    assert seen.args == ["reload"] and not window.prompts.errors
    assert window.document.tree.node("good").probability == 0.7
    assert len(listed(window)) == 1


@pytest.mark.parametrize("text, problem", [
    (tree_text(kind=42), "the node type is the number 42"),
    (tree_text()[:-20], "this is not valid JSON"),
], ids=["type-42", "invalid-json"])
def test_a_file_that_is_not_a_tree_is_still_refused(window, tmp_path, text, problem):
    path = tmp_path / "broken.json"
    path.write_text(text)
    assert not open_through_the_menu(window, path)
    [(title, message, details)] = window.prompts.errors
    assert title == "Cannot open the tree"
    assert message.startswith("broken.json has ") and message.endswith(" and was not opened.")
    assert problem in details
    assert window.document.path is None
