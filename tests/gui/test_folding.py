"""Folding and expanding are how the tree is shown, not edits: no undo step, no "modified",
no question on closing, no autosave; the next save writes them with the file."""
from __future__ import annotations

import json

import pytest
from conftest import SMALL
from PySide6.QtCore import Qt

from offramp_gui.gui.features.recovery import RecoveryManager
from offramp_gui.gui.recovery_files import recovery_folder

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "small.json"
    path.write_text(SMALL, encoding="utf-8")
    return path


@pytest.fixture
def window(make_window, path, qtbot):
    window = make_window()
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    assert window.files.open(path)
    window.view.reset_zoom()
    window.view.centerOn(window.scene.tree_rect().center())
    return window


def folded(window) -> set[str]:  # noqa: ANN001
    return {n.id for n in window.document.tree.root.walk() if n.collapsed}


def unchanged(window) -> bool:  # noqa: ANN001
    """Nothing to undo, nothing to save: the window's title has no modified mark."""
    return (window.document.undo_stack.count() == 0 and not window.actions["undo"].isEnabled()
            and not window.isWindowModified())


def click_fold_box(window, qtbot, node_id: str) -> None:  # noqa: ANN001
    item = window.scene.item_for_node(node_id)
    box = window.view.mapFromScene(item.mapToScene(item.fold_box().center()))
    qtbot.mouseClick(window.view.viewport(), LEFT, NONE, box)


def test_the_fold_box_folds_and_expands_without_an_undo_step(window, qtbot):
    click_fold_box(window, qtbot, "collapse")
    assert folded(window) == {"collapse"}
    qtbot.waitUntil(lambda: "escalate" not in window.scene.node_ids())
    assert unchanged(window)
    click_fold_box(window, qtbot, "collapse")
    assert folded(window) == set()
    qtbot.waitUntil(lambda: "escalate" in window.scene.node_ids())
    assert unchanged(window)


def test_the_view_menu_folds_without_an_undo_step(window, qtbot):
    window.actions["fold-all"].trigger()
    assert folded(window) == {"aim", "defeat", "collapse"}
    qtbot.waitUntil(lambda: window.scene.node_ids() == {"aim"})
    assert unchanged(window)
    window.actions["expand-all"].trigger()
    qtbot.waitUntil(lambda: window.scene.node_ids() == set(window.document.tree.ids()))
    window.prompts.script("fold-below", 1)
    window.actions["fold-below"].trigger()
    assert folded(window) == {"defeat", "collapse"}
    window.document.select("defeat")
    window.actions["toggle-fold"].trigger()
    assert folded(window) == {"collapse"}
    assert unchanged(window)


def test_fold_below_a_level_right_after_edits_folds_the_tree_as_it_is_now(window, qtbot):
    edit = window.document.edit
    new = edit.add_child("talks")  # "talks" has a child now, a level below the root
    window.prompts.script("fold-below", 1)
    window.actions["fold-below"].trigger()
    assert folded(window) == {"defeat", "collapse", "talks"}
    qtbot.waitUntil(lambda: new not in window.scene.node_ids())
    edit.set_field("collapse", "id", "response")  # no results for it yet
    window.actions["expand-all"].trigger()
    assert folded(window) == set()
    window.prompts.script("fold-below", 2)
    window.actions["fold-below"].trigger()
    assert folded(window) == {"response"}
    qtbot.waitUntil(lambda: "escalate" not in window.scene.node_ids())
    assert {"aim", "defeat", "response", "stalemate", "talks", new} == window.scene.node_ids()


def test_the_right_arrow_onto_a_folded_node_expands_it_without_an_undo_step(window, qtbot):
    window.actions["fold-all"].trigger()
    window.document.select("aim")
    qtbot.keyClick(window.view, Qt.Key.Key_Right)
    assert window.document.selected_id == "defeat"
    qtbot.keyClick(window.view, Qt.Key.Key_Right)
    assert window.document.selected_id == "collapse"
    assert folded(window) == {"collapse"}
    assert unchanged(window)


def test_closing_after_folding_alone_asks_nothing(window, qtbot):
    window.actions["fold-all"].trigger()
    window.prompts.answers.pop("save-changes", None)  # a question now fails the test
    assert window.close()
    assert window.prompts.questions("save-changes") == []


def test_folding_alone_is_not_autosaved(window):
    recovery = window.features["recovery"]
    assert isinstance(recovery, RecoveryManager)
    window.actions["fold-all"].trigger()
    recovery.tick()
    recovery.finish_writing()
    folder = recovery_folder()
    assert not folder.is_dir() or list(folder.glob("*.json")) == []


def test_the_next_save_writes_the_folds(window, path, qtbot):
    click_fold_box(window, qtbot, "collapse")
    with qtbot.waitSignal(window.files.save_finished):
        window.actions["save"].trigger()
    saved = json.loads(path.read_text(encoding="utf-8"))
    defeat = saved["root"]["children"][0]
    assert defeat["children"][0]["id"] == "collapse" and defeat["children"][0]["collapsed"]
    assert unchanged(window)


def test_undo_undoes_the_edit_and_leaves_the_folds_alone(window, qtbot):
    window.document.edit.set_field("talks", "branch", "Talk at once")
    click_fold_box(window, qtbot, "collapse")
    window.actions["undo"].trigger()
    assert window.document.tree.node("talks").branch == "Talks now"
    assert folded(window) == {"collapse"}
    assert not window.isWindowModified()
    window.actions["redo"].trigger()
    assert window.document.tree.node("talks").branch == "Talk at once"
    assert folded(window) == {"collapse"}
