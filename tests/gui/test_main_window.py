"""The main window as a user drives it: open, edit, undo, fold, save, close."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QLineEdit

from offramp_gui.gui.main_window import MainWindow

TREES = Path(__file__).resolve().parents[2] / "trees"


@pytest.fixture
def window(make_window):
    return make_window()


@pytest.fixture
def tree_file(tmp_path):
    path = tmp_path / "offramp.json"
    shutil.copy(TREES / "offramp.json", path)
    return path


def root_value(win: MainWindow) -> float:
    return float(win.document.results.utility[0, win.document.shown_player])


def test_opens_the_tree_and_shows_every_visible_node(window, tree_file):
    assert window.files.open(tree_file)
    tree = window.document.tree
    assert window.windowTitle().startswith("offramp.json")
    assert window.scene.node_ids() <= set(tree.ids())
    assert tree.root.id in window.scene.node_ids()


def test_edit_undo_redo_through_the_edit_menu(window, tree_file, qtbot):
    window.files.open(tree_file)
    document = window.document
    leaf = next(n for n in document.tree.root.walk() if n.type == "terminal")
    before = root_value(window)
    document.select(leaf.id)
    criterion = document.tree.effective_criteria()[0].id
    with qtbot.waitSignal(document.results_ready):
        document.edit.set_payoff(leaf.id, criterion, 10_000)
    assert window.actions["undo"].text() == "&Undo Change payoff"
    assert window.isWindowModified()
    window.actions["undo"].trigger()
    qtbot.waitUntil(lambda: abs(root_value(window) - before) < 1e-9)
    assert not window.isWindowModified()
    window.actions["redo"].trigger()
    assert window.document.tree.node(leaf.id).payoff[criterion] == 10_000


def test_add_move_delete_and_paste_keep_the_scene_in_step(window, tree_file, qtbot):
    window.files.open(tree_file)
    document, scene = window.document, window.scene
    document.edit.expand_all()
    root = document.tree.root
    document.select(root.id)
    window.actions["add-child"].trigger()
    added = root.children[-1].id
    qtbot.waitUntil(lambda: added in scene.node_ids())
    document.select(added)
    window.actions["move-up"].trigger()
    assert root.children[-2].id == added
    window.actions["copy"].trigger()
    document.select(root.children[0].id)
    window.actions["paste"].trigger()
    pasted = root.children[0].children[-1].id
    assert pasted != added and pasted.startswith(added)
    document.select(added)
    window.actions["delete"].trigger()
    qtbot.waitUntil(lambda: added not in scene.node_ids())
    assert scene.node_ids() == {n.id for n in _visible(document.tree.root)}
    for _ in range(4):
        window.actions["undo"].trigger()
    qtbot.waitUntil(lambda: scene.node_ids() == {n.id for n in _visible(document.tree.root)})
    assert added not in document.tree


def test_fold_and_expand(window, tree_file, qtbot):
    window.files.open(tree_file)
    document, scene = window.document, window.scene
    document.edit.expand_all()
    qtbot.waitUntil(lambda: scene.node_ids() == set(document.tree.ids()))
    window.actions["fold-all"].trigger()
    qtbot.waitUntil(lambda: scene.node_ids() == {document.tree.root.id})
    assert scene.item_for_node(document.tree.root.id).look.hidden == len(document.tree) - 1
    window.actions["expand-all"].trigger()
    qtbot.waitUntil(lambda: scene.node_ids() == set(document.tree.ids()))


def test_invalid_edit_shows_dashes_and_a_problem(window, tree_file, qtbot):
    window.files.open(tree_file)
    document = window.document
    chance = next(n for n in document.tree.root.walk() if n.type == "chance")
    branch = chance.children[0]
    with qtbot.waitSignal(document.results_ready):
        document.edit.set_field(branch.id, "probability", 1.5)
    assert any(i.node_id == branch.id for i in document.results.issues)
    assert window.panels["problems"].count() >= 1
    document.edit.expand_all()
    qtbot.waitUntil(lambda: chance.id in window.scene.node_ids())
    assert window.scene.item_for_node(chance.id).value_text() == "—"


def test_save_reopen_compare(window, tree_file, tmp_path, qtbot):
    window.files.open(tree_file)
    document = window.document
    document.edit.set_title("A changed title")
    target = tmp_path / "copy.json"
    window.prompts.script("save", target)
    assert window.files.save_as()
    assert not window.isWindowModified()
    saved = json.loads(target.read_text(encoding="utf-8"))
    assert saved["title"] == "A changed title"
    assert window.files.open(target)
    assert window.document.tree.title == "A changed title"


def test_closing_with_changes_asks_and_cancel_keeps_the_window(window, tree_file):
    window.files.open(tree_file)
    window.document.edit.set_title("Unsaved")
    window.prompts.script("save-changes", "cancel")
    assert not window.close()
    assert window.prompts.texts("save-changes") == [
        "Save the changes to offramp.json before closing it?"]
    window.prompts.script("save-changes", "discard")
    assert window.close()


def test_a_file_that_is_not_a_tree_opens_nothing_and_shows_its_problems(window, tree_file,
                                                                        tmp_path):
    window.files.open(tree_file)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "offramp-tree", "version": 1, "title": "x",'
                   ' "root": {"id": "r", "type": "chance", "children": ['
                   '{"id": "a", "branch": "a", "probability": 1.5, "type": 42}]}}')
    assert not window.files.open(bad)
    title, text, details = window.prompts.errors[-1]
    assert text == "bad.json has 2 problems and was not opened."
    assert "the node type is the number 42" in details
    assert "probability 1.5 is above 1" in details  # (every problem is listed)
    assert window.document.path == tree_file


def test_dropping_a_file_opens_it(window, tree_file, qtbot):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tree_file))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    window.files.finish_opening()  # (the file is read on a worker)
    assert window.document.path == tree_file


def test_keyboard_navigation_and_inline_rename(window, tree_file, qtbot):
    window.files.open(tree_file)
    document, view = window.document, window.view
    document.edit.expand_all()
    document.select(document.tree.root.id)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    first = document.tree.root.children[0]
    assert document.selected_id == first.id
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert document.selected_id == document.tree.root.children[1].id
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert document.selected_id == document.tree.root.id
    document.select(first.id)
    window.actions["rename"].trigger()
    editor = view.viewport().findChild(QLineEdit, "inline-rename")
    editor.setText("A new label")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert document.tree.node(first.id).branch == "A new label"
    assert window.actions["undo"].text() == "&Undo Rename branch"


def test_recent_files_and_layout_survive_a_restart(window, make_window, tree_file, qtbot):
    window.files.open(tree_file)
    window.panels["weights"].parentWidget().hide()
    window.save_layout()
    again = make_window()
    assert tree_file.resolve() in again.files.recent()
    assert not again.panels["weights"].parentWidget().isVisibleTo(again)


def _visible(root):
    from offramp_gui.model.layout import visible_nodes
    return visible_nodes(root)



def test_the_canvas_follows_a_switch_to_a_dark_palette(window, qtbot):
    from PySide6.QtGui import QColor, QPalette
    dark = QPalette(window.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#eeeeee"))
    window.setPalette(dark)
    qtbot.waitUntil(lambda: window.scene.theme.background.name() == "#1e1e1e")
    root = window.scene.item_for_node(window.document.tree.root.id)
    assert root.theme.text.name() == "#eeeeee"
