"""Autosave and crash recovery as a user meets them: edit, crash, start again, restore."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
from recording import RecordingPrompts

from offramp_gui.api import load
from offramp_gui.fileformat.json_io import dumps
from offramp_gui.gui import app, recovery
from offramp_gui.gui.app import install_safety
from offramp_gui.gui.files import Prompts
from offramp_gui.gui.main_window import MainWindow
from offramp_gui.gui.preferences import PreferencesDialog, preferences_action
from offramp_gui.gui.recovery_files import (
    META_KEY,
    SETTING,
    autosave_seconds,
    recovery_folder,
    set_autosave_seconds,
)

TREES = Path(__file__).resolve().parents[2] / "trees"


@pytest.fixture
def start(qtbot):
    """Start the app as a launch does; returns the window. Call again to "start again"."""
    def launch(**answers) -> MainWindow:
        window = MainWindow()
        qtbot.addWidget(window)
        window.files.prompts = RecordingPrompts(**answers)
        install_safety(window)
        return window
    return launch


@pytest.fixture
def tree_file(tmp_path):
    path = tmp_path / "work" / "offramp.json"
    path.parent.mkdir()
    shutil.copy(TREES / "offramp.json", path)
    return path


def edit(window: MainWindow, title: str = "Edited after lunch") -> None:
    """A change through the undo stack, as any user edit is."""
    leaf = next(n for n in window.document.tree.root.walk() if n.type == "terminal")
    window.document.edit.set_field(leaf.id, "branch", title)


def recovery_files() -> list[Path]:
    folder = recovery_folder()
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def crash(window: MainWindow) -> None:
    """What a crash leaves: the recovery file and a lock no living process holds."""
    window.recovery.abandon()


# ---- autosave -------------------------------------------------------------------------
def test_nothing_is_written_while_the_document_is_unchanged(start, tree_file):
    window = start()
    window.files.open(tree_file)
    window.recovery.tick()
    assert recovery_files() == []


def test_autosave_copies_changes_aside_and_never_touches_the_file(start, tree_file):
    window = start()
    window.files.open(tree_file)
    before = tree_file.read_bytes()
    edit(window)
    window.recovery.tick()
    [copy] = recovery_files()
    assert tree_file.read_bytes() == before
    assert sorted(p.name for p in tree_file.parent.iterdir()) == ["offramp.json"]
    meta = json.loads(copy.read_text())[META_KEY]
    assert meta["path"] == str(tree_file) and meta["title"] == window.document.tree.title
    assert meta["digest"] == window.document.disk_digest and meta["saved"] > 0
    assert copy.with_suffix(".lock").exists()


def test_autosave_runs_on_its_timer(start, qtbot):
    set_autosave_seconds(1)
    window = start()
    assert window.recovery.interval == 1
    edit(window)
    with qtbot.waitSignal(window.recovery.autosaved, timeout=4000) as signal:
        pass
    assert signal.args[0] in recovery_files()


def test_an_unchanged_document_is_not_written_again(start):
    window = start()
    edit(window)
    window.recovery.tick()
    [copy] = recovery_files()
    copy.write_text("left alone")
    window.recovery.tick()
    assert copy.read_text() == "left alone"
    edit(window, "again")
    window.recovery.tick()
    assert copy.read_text() != "left alone"


def test_no_autosave_in_the_middle_of_a_drag(start, qtbot):
    window = start()
    window.show()
    edit(window)
    viewport = window.view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert window.recovery.busy()
    window.recovery.tick()
    assert recovery_files() == []
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=QPoint(9, 9))
    window.recovery.tick()
    assert len(recovery_files()) == 1


def test_no_autosave_while_a_label_is_being_edited(start):
    window = start()
    window.show()
    edit(window)
    leaf = next(n for n in window.document.tree.root.walk() if n.type == "terminal")
    window.view.start_rename(leaf.id)
    assert window.view.renaming
    window.recovery.tick()
    assert recovery_files() == []
    window.view.cancel_rename()
    window.recovery.tick()
    assert len(recovery_files()) == 1


def test_a_failed_autosave_is_reported_and_the_app_goes_on(start, monkeypatch):
    window = start()
    edit(window)
    monkeypatch.setattr(window.recovery, "folder", window.recovery.folder / "missing")
    monkeypatch.setattr(window.recovery, "file", window.recovery.folder / "x.json")
    assert not window.recovery.write()
    assert "Autosave failed" in window.statusBar().currentMessage()


# ---- when the recovery file goes away ----------------------------------------------------
@pytest.mark.parametrize("action", ["save", "new", "open", "undo", "close"])
def test_saving_replacing_undoing_or_closing_removes_the_copy(start, tree_file, action):
    window = start(save_changes="discard")
    window.files.open(tree_file)
    edit(window)
    window.recovery.tick()
    assert len(recovery_files()) == 1
    if action == "save":
        assert window.files.save()
    elif action == "new":
        assert window.files.new()
    elif action == "open":
        assert window.files.open(TREES / "offramp.json")
    elif action == "undo":
        window.document.undo_stack.undo()
    else:
        assert window.close()
        assert list(recovery_folder().iterdir()) == []  # the lock went too
    assert recovery_files() == []


def test_closing_cancelled_keeps_the_copy(start):
    window = start(save_changes="cancel")
    edit(window)
    window.recovery.tick()
    assert not window.close()
    assert len(recovery_files()) == 1


# ---- after a crash ----------------------------------------------------------------------
def test_crash_start_again_restore_compare(start, tree_file, qtbot):
    first = start()
    first.files.open(tree_file)
    edit(first)
    first.recovery.tick()
    expected = dumps(first.document.tree)
    crash(first)

    again = start(recover=["restore"])
    assert recovery.offer_at_start(again) == 1
    [(_, name, when, problem)] = again.files.prompts.questions("recover")
    assert name == "offramp.json" and problem == "" and when[:2] == "20"
    document = again.document
    assert dumps(document.tree) == expected
    assert document.modified and again.isWindowModified()
    assert document.path == tree_file
    assert len(recovery_files()) == 1, "the copy stays until the document is saved"
    assert again.files.save()
    assert recovery_files() == []
    assert dumps(load(tree_file)) == expected


def test_saving_a_restored_document_over_a_changed_file_asks_first(start, tree_file):
    first = start()
    first.files.open(tree_file)
    edit(first)
    first.recovery.tick()
    crash(first)
    tree_file.write_text(tree_file.read_text().replace('"title": "', '"title": "Theirs: ', 1))
    theirs = tree_file.read_bytes()
    again = start(recover=["restore"], overwrite=False)
    recovery.offer_at_start(again)
    assert not again.files.save()
    assert again.files.prompts.questions("overwrite_changed") == [
        ("overwrite_changed", "offramp.json")]
    assert tree_file.read_bytes() == theirs and len(recovery_files()) == 1


def test_a_document_unsaved_without_an_edit_is_autosaved_too(start, tree_file):
    window = start()
    window.files.open(tree_file)
    window.document.mark_modified()  # as "Keep My Version" over a changed file does
    window.recovery.tick()
    assert len(recovery_files()) == 1


def test_the_app_offers_what_a_crash_left_when_it_starts(start, monkeypatch, qapp):
    first = start()
    edit(first, "from before the crash")
    first.recovery.tick()
    expected = dumps(first.document.tree)
    crash(first)
    monkeypatch.setattr(Prompts, "recover", lambda self, name, when, problem="": "restore")
    before = set(qapp.topLevelWidgets())
    QTimer.singleShot(0, qapp.quit)
    assert app.main() == 0
    [window] = [w for w in qapp.topLevelWidgets()
                if isinstance(w, MainWindow) and w not in before]
    try:
        assert dumps(window.document.tree) == expected and window.document.modified
    finally:
        window.files.prompts = RecordingPrompts()
        window.close()
        window.deleteLater()


def test_an_untitled_document_is_recovered_too(start):
    first = start()
    edit(first, "never saved")
    first.recovery.tick()
    expected = dumps(first.document.tree)
    crash(first)
    again = start(recover=["restore"])
    recovery.offer_at_start(again)
    assert again.files.prompts.questions("recover")[0][1].startswith("Untitled")
    assert dumps(again.document.tree) == expected
    assert again.document.path is None and again.document.modified


def test_a_restored_document_survives_a_second_crash(start):
    first = start()
    edit(first, "one")
    first.recovery.tick()
    crash(first)
    second = start(recover=["restore"])
    recovery.offer_at_start(second)
    edit(second, "two")
    second.recovery.tick()
    crash(second)
    third = start(recover=["restore"])
    assert recovery.offer_at_start(third) == 1
    assert "two" in dumps(third.document.tree)


def test_discard_and_decide_later(start):
    first = start()
    edit(first)
    first.recovery.tick()
    crash(first)
    later = start(recover=["later"])
    assert recovery.offer_at_start(later) == 0
    assert len(recovery_files()) == 1 and not later.document.modified
    discard = start(recover=["discard"])
    assert recovery.offer_at_start(discard) == 0
    assert recovery_files() == []
    assert start(recover=["restore"]).files.prompts.asked == []


def test_a_corrupt_recovery_file_is_listed_and_never_stops_the_start(start):
    recovery_folder().mkdir(parents=True)
    (recovery_folder() / "123-dead.json").write_bytes(b'{\n  "x-offramp-recovery": {"path":'
                                                      b' "/tmp/lost.json", "saved": 0},\n'
                                                      b'  "format": "offramp-tree", "vers')
    (recovery_folder() / "456-dead.json").write_bytes(b"\x00\xff garbage")
    window = start(recover=["discard", "later"])
    assert recovery.offer_at_start(window) == 0
    asked = window.files.prompts.questions("recover")
    assert [q[1] for q in asked] == ["lost.json", "Untitled"]
    assert all(q[3] for q in asked), "each is offered as unrecoverable, with the reason"
    assert not window.document.modified
    assert [p.name for p in recovery_files()] == ["456-dead.json"]  # kept for later


def test_a_live_window_is_never_offered_to_another(start):
    alive = start()
    edit(alive)
    alive.recovery.tick()
    other = start(recover=["restore"])
    assert recovery.offer_at_start(other) == 0
    assert other.files.prompts.asked == []


def test_two_documents_restore_into_two_windows(start, qtbot):
    for title in ("first", "second"):
        window = start()
        edit(window, title)
        window.recovery.tick()
        crash(window)
    again = start(recover=["restore"])
    assert recovery.offer_at_start(again) == 2
    [sibling] = recovery._SIBLINGS
    qtbot.addWidget(sibling)
    texts = {dumps(w.document.tree) for w in (again, sibling)}
    assert any('"first"' in t for t in texts) and any('"second"' in t for t in texts)
    assert sibling.document.modified and len(recovery_files()) == 2


def test_lock_files_of_dead_processes_are_cleared(start):
    folder = recovery_folder()
    folder.mkdir(parents=True)
    dead = folder / "999-gone.lock"
    subprocess.run([sys.executable, "-c", "import os, sys\n"
                    "from PySide6.QtCore import QLockFile\n"
                    "lock = QLockFile(sys.argv[1]); lock.setStaleLockTime(0)\n"
                    "assert lock.tryLock(0)\n"
                    "os._exit(0)  # dies holding it", str(dead)], check=True, timeout=60)
    assert dead.exists()
    recovery.offer_at_start(start())
    assert not dead.exists()


# ---- preferences ------------------------------------------------------------------------
def test_preferences_set_the_interval_everywhere(start, qtbot):
    window = start()
    assert autosave_seconds() == 30 and window.recovery.interval == 30
    dialog = PreferencesDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.autosave.value() == 30
    dialog.autosave.setValue(5)
    dialog.accept()
    assert window.recovery.interval == 5
    dialog = PreferencesDialog(window)
    qtbot.addWidget(dialog)
    dialog.autosave.setValue(0)
    assert dialog.autosave.text() == "Off"
    dialog.accept()
    assert window.recovery.interval == 0
    assert int(QSettings().value(SETTING)) == 0


def test_the_preferences_action(start):
    window = start()
    action = preferences_action(window)
    assert action.text() == "Pre&ferences…"
    assert action.parent() is window


def test_a_broken_setting_falls_back_to_the_default(start):
    QSettings().setValue(SETTING, "often")
    assert autosave_seconds() == 30
