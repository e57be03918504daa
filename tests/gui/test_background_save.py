"""Saving on a worker: the window goes on, the file is whole, and "saved" means saved."""
from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from offramp_gui.fileformat import json_io
from offramp_gui.fileformat.atomic import SaveError
from offramp_gui.gui import background_save
from offramp_gui.gui.features.recovery import RecoveryManager
from offramp_gui.interop import convert
from offramp_gui.model.tree import Node, Tree

TREES = Path(__file__).resolve().parents[2] / "trees"


@pytest.fixture
def tree_file(tmp_path):
    path = tmp_path / "work" / "offramp.json"
    path.parent.mkdir()
    shutil.copy(TREES / "offramp.json", path)
    return path


@pytest.fixture
def window(make_window, tree_file):
    win = make_window(**{"save-changes": "discard"})
    assert win.files.open(tree_file)
    return win


@pytest.fixture
def held(monkeypatch):
    """The worker waits at the start of its save until the test sets this event."""
    go = threading.Event()
    real = background_save.save_snapshot

    def save_when_released(snap, path):
        assert go.wait(30), "the test never released the save"
        return real(snap, path)
    monkeypatch.setattr(background_save, "save_snapshot", save_when_released)
    yield go
    go.set()


def rename_a_leaf(window, text: str) -> None:
    leaf = next(n for n in window.document.tree.root.walk() if n.type == "terminal")
    window.document.edit.set_field(leaf.id, "branch", text)


def trigger(window, action: str) -> None:
    window.actions[action].trigger()


def test_file_save_writes_what_convert_writes(window, tree_file, tmp_path, qtbot):
    rename_a_leaf(window, "Saved in the background")
    with qtbot.waitSignal(window.files.save_finished) as finished:
        trigger(window, "save")
    assert finished.args == [True] and not window.document.modified
    converted = tmp_path / "converted.json"
    convert(tree_file, converted)
    assert tree_file.read_bytes() == converted.read_bytes()
    assert "Saved in the background" in tree_file.read_text(encoding="utf-8")
    assert tree_file.with_name("offramp.json.bak").read_bytes() == (
        TREES / "offramp.json").read_bytes()


def test_edits_made_while_saving_are_kept_and_stay_unsaved(window, tree_file, held, qtbot):
    rename_a_leaf(window, "Before the save")
    trigger(window, "save")
    assert window.files.saving
    rename_a_leaf(window, "While it saves")  # the window takes edits meanwhile
    with qtbot.waitSignal(window.files.save_finished):
        held.set()
    on_disk = tree_file.read_text(encoding="utf-8")
    assert "Before the save" in on_disk and "While it saves" not in on_disk
    assert window.document.modified
    assert "While it saves" in json_io.dumps(window.document.tree)
    assert window.files.save()  # and the next save is the one that makes it clean
    assert "While it saves" in tree_file.read_text(encoding="utf-8")
    assert not window.document.modified


def test_a_save_asked_for_while_one_runs_follows_it(window, tree_file, held, qtbot):
    rename_a_leaf(window, "First")
    trigger(window, "save")
    rename_a_leaf(window, "Second")
    trigger(window, "save")
    with qtbot.waitSignals([window.files.save_finished] * 2):
        held.set()
    assert "Second" in tree_file.read_text(encoding="utf-8")
    assert not window.document.modified and not window.files.saving


def test_an_error_in_the_worker_shows_the_dialog(window, tree_file, monkeypatch, qtbot):
    def full(_snap, _path):
        raise SaveError("cannot save offramp.json: no space left on device")
    monkeypatch.setattr(background_save, "save_snapshot", full)
    rename_a_leaf(window, "Unsaved")
    with qtbot.waitSignal(window.files.save_finished) as finished:
        trigger(window, "save")
    assert finished.args == [False]
    assert window.prompts.errors == [("Cannot save the tree", "offramp.json was not saved.",
                                      "cannot save offramp.json: no space left on device")]
    assert window.document.modified
    assert tree_file.read_bytes() == (TREES / "offramp.json").read_bytes()


def test_closing_during_a_save_waits_for_the_whole_file(window, tree_file, held):
    rename_a_leaf(window, "Closing now")
    expected = json_io.dumps(window.document.tree)
    trigger(window, "save")
    QTimer.singleShot(300, held.set)
    assert window.close()  # saved, so nothing to ask
    assert tree_file.read_text(encoding="utf-8") == expected
    assert not window.prompts.questions("save-changes")


def test_save_changes_then_save_on_close_writes_before_closing(make_window, tree_file):
    window = make_window(**{"save-changes": "save"})
    assert window.files.open(tree_file)
    rename_a_leaf(window, "Saved on the way out")
    assert window.close()
    assert "Saved on the way out" in tree_file.read_text(encoding="utf-8")


def test_save_as_then_new_follows_the_new_file(window, tmp_path, qtbot):
    target = tmp_path / "elsewhere.json"
    window.prompts.script("save", target)
    with qtbot.waitSignal(window.files.save_finished):
        trigger(window, "save-as")
    assert window.document.path == target and json_io.read_file(target).issues == []
    assert window.files.new() and window.document.path is None


def test_opening_removes_what_an_interrupted_save_left(make_window, tree_file):
    stray = tree_file.with_name(".offramp.json.a1b2c3d4.tmp")
    stray.write_bytes(b"half")
    window = make_window()
    assert window.files.open(tree_file)
    assert not stray.exists()


def chain(depth: int) -> Tree:
    node = Node(f"n{depth}", "terminal", branch="end", probability="#", payoff=1)
    for level in reversed(range(depth)):
        node = Node(f"n{level}", "chance", branch=f"b{level}", probability="#",
                    children=[node], collapsed=level == 3 or None)
    node.branch = node.probability = None
    return Tree(node, "Deep")


def test_a_tree_5000_levels_deep_saves_and_autosaves(window, tmp_path):
    window.document.replace_tree(chain(5000), None)
    rename_a_leaf(window, "deep edit")
    manager = window.features["recovery"]
    assert isinstance(manager, RecoveryManager)
    assert manager.write()  # the autosave copy
    copied = json_io.read_file(manager.file)
    window.prompts.script("save", tmp_path / "deep.json")
    window.prompts.script("save-with-problems", "save")  # (deeper than the limit)
    assert window.files.save()
    assert not window.prompts.errors
    for loaded in (copied, json_io.read_file(tmp_path / "deep.json")):
        assert loaded.issues and "deep" in loaded.issues[0].message  # said, not raised
