"""Autosave and crash recovery as a user meets them: edit, crash, start again, restore."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt, QTimer

from offramp_gui.api import load
from offramp_gui.fileformat.json_io import dumps
from offramp_gui.gui import app, main_window
from offramp_gui.gui.features.recovery import RecoveryManager
from offramp_gui.gui.main_window import MainWindow
from offramp_gui.gui.preferences import PreferencesDialog
from offramp_gui.gui.prompts import Prompts
from offramp_gui.gui.recovery_files import (
    META_KEY,
    SETTING,
    autosave_seconds,
    recovery_folder,
    set_autosave_seconds,
)

TREES = Path(__file__).resolve().parents[2] / "trees"


@pytest.fixture
def start(make_window):
    """Start the app as a launch does; returns the window. Call again to "start again"."""
    def launch(**answers) -> MainWindow:
        defaults = {"save-changes": "discard", "recover": "later", "file-changed": "reload",
                    "overwrite-changed": "yes"}
        return make_window(**{**defaults, **answers})
    return launch


def recovery(window: MainWindow) -> RecoveryManager:
    manager = window.features["recovery"]
    assert isinstance(manager, RecoveryManager)
    return manager


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


def autosave(window: MainWindow) -> None:
    """What the autosave timer does, and the copy it starts written."""
    recovery(window).tick()
    recovery(window).finish_writing()


def recovery_files() -> list[Path]:
    folder = recovery_folder()
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def crash(window: MainWindow) -> None:
    """What a crash leaves: the recovery file and a lock no living process holds."""
    recovery(window).abandon()


# ---- autosave -------------------------------------------------------------------------
def test_nothing_is_written_while_the_document_is_unchanged(start, tree_file):
    window = start()
    window.files.open(tree_file)
    autosave(window)
    assert recovery_files() == []


def test_autosave_copies_changes_aside_and_never_touches_the_file(start, tree_file):
    window = start()
    window.files.open(tree_file)
    before = tree_file.read_bytes()
    edit(window)
    autosave(window)
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
    assert recovery(window).interval == 1
    edit(window)
    with qtbot.waitSignal(recovery(window).autosaved, timeout=4000) as signal:
        pass
    assert signal.args[0] in recovery_files()


def test_an_unchanged_document_is_not_written_again(start):
    window = start()
    edit(window)
    autosave(window)
    [copy] = recovery_files()
    copy.write_text("left alone")
    autosave(window)
    assert copy.read_text() == "left alone"
    edit(window, "again")
    autosave(window)
    assert copy.read_text() != "left alone"


def test_no_autosave_in_the_middle_of_a_drag(start, qtbot):
    window = start()
    window.show()
    edit(window)
    viewport = window.view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert recovery(window).busy()
    autosave(window)
    assert recovery_files() == []
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=QPoint(9, 9))
    autosave(window)
    assert len(recovery_files()) == 1


def test_no_autosave_while_a_label_is_being_edited(start):
    window = start()
    window.show()
    edit(window)
    leaf = next(n for n in window.document.tree.root.walk() if n.type == "terminal")
    window.view.start_rename(leaf.id)
    assert window.view.renaming
    autosave(window)
    assert recovery_files() == []
    window.view.cancel_rename()
    autosave(window)
    assert len(recovery_files()) == 1


# ---- when the recovery file goes away ----------------------------------------------------
@pytest.mark.parametrize("action", ["save", "new", "open", "undo", "close"])
def test_saving_replacing_undoing_or_closing_removes_the_copy(start, tree_file, action):
    window = start()
    window.files.open(tree_file)
    edit(window)
    autosave(window)
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
    window = start(**{"save-changes": "cancel"})
    edit(window)
    autosave(window)
    assert not window.close()
    assert len(recovery_files()) == 1


# ---- after a crash ----------------------------------------------------------------------
def test_crash_start_again_restore_compare(start, tree_file, qtbot):
    first = start()
    first.files.open(tree_file)
    edit(first)
    autosave(first)
    expected = dumps(first.document.tree)
    crash(first)

    again = start(recover="restore")
    assert recovery(again).offer_at_start() == 1
    [text] = again.prompts.texts("recover")
    assert text.startswith("offramp did not close properly. A recovered copy of"
                           " offramp.json from 20")
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
    autosave(first)
    crash(first)
    tree_file.write_text(tree_file.read_text().replace('"title": "', '"title": "Theirs: ', 1))
    theirs = tree_file.read_bytes()
    again = start(recover="restore", **{"overwrite-changed": "no"})
    recovery(again).offer_at_start()
    assert not again.files.save()
    assert again.prompts.texts("overwrite-changed") == [
        "offramp.json was changed on disk by another program since you opened it. Save your"
        " version over it?"]
    assert tree_file.read_bytes() == theirs and len(recovery_files()) == 1


def test_a_document_unsaved_without_an_edit_is_autosaved_too(start, tree_file):
    window = start()
    window.files.open(tree_file)
    window.document.mark_modified()  # as "Keep My Version" over a changed file does
    autosave(window)
    assert len(recovery_files()) == 1


def test_the_app_offers_what_a_crash_left_when_it_starts(start, monkeypatch, qapp):
    first = start()
    edit(first, "from before the crash")
    autosave(first)
    expected = dumps(first.document.tree)
    crash(first)
    monkeypatch.setattr(Prompts, "recover", lambda self, *_args: "restore")
    # Quitting closes the window, which asks about its (restored, unsaved) changes.
    monkeypatch.setattr(Prompts, "save_changes", lambda self, name: "discard")
    before = set(qapp.topLevelWidgets())
    QTimer.singleShot(0, qapp.quit)
    assert app.main() == 0
    [window] = [w for w in qapp.topLevelWidgets()
                if isinstance(w, MainWindow) and w not in before]
    try:
        assert dumps(window.document.tree) == expected and window.document.modified
    finally:
        window.close()
        window.deleteLater()


def test_an_untitled_document_is_recovered_too(start):
    first = start()
    edit(first, "never saved")
    autosave(first)
    expected = dumps(first.document.tree)
    crash(first)
    again = start(recover="restore")
    recovery(again).offer_at_start()
    assert "A recovered copy of Untitled" in again.prompts.texts("recover")[0]
    assert dumps(again.document.tree) == expected
    assert again.document.path is None and again.document.modified


def test_a_restored_document_survives_a_second_crash(start):
    first = start()
    edit(first, "one")
    autosave(first)
    crash(first)
    second = start(recover="restore")
    recovery(second).offer_at_start()
    edit(second, "two")
    autosave(second)
    crash(second)
    third = start(recover="restore")
    assert recovery(third).offer_at_start() == 1
    assert "two" in dumps(third.document.tree)


def test_discard_and_decide_later(start):
    first = start()
    edit(first)
    autosave(first)
    crash(first)
    later = start(recover="later")
    assert recovery(later).offer_at_start() == 0
    assert len(recovery_files()) == 1 and not later.document.modified
    discard = start(recover="discard")
    assert recovery(discard).offer_at_start() == 0
    assert recovery_files() == []
    assert start(recover="restore").prompts.asked == []


def test_a_corrupt_recovery_file_is_listed_and_never_stops_the_start(start):
    recovery_folder().mkdir(parents=True)
    (recovery_folder() / "123-dead.json").write_bytes(b'{\n  "x-offramp-recovery": {"path":'
                                                      b' "/tmp/lost.json", "saved": 0},\n'
                                                      b'  "format": "offramp-tree", "vers')
    (recovery_folder() / "456-dead.json").write_bytes(b"\x00\xff garbage")
    window = start(recover=["discard", "later"])
    assert recovery(window).offer_at_start() == 0
    asked = window.prompts.texts("recover")
    assert [text.split()[4] for text in asked] == ["lost.json", "Untitled"]
    assert all("cannot be read: " in text for text in asked), \
        "each is offered as unrecoverable, with the reason"
    assert not window.document.modified
    assert [p.name for p in recovery_files()] == ["456-dead.json"]  # kept for later


def test_a_live_window_is_never_offered_to_another(start):
    alive = start()
    edit(alive)
    autosave(alive)
    other = start(recover="restore")
    assert recovery(other).offer_at_start() == 0
    assert other.prompts.asked == []


def test_two_documents_restore_into_two_windows(start, qtbot):
    for title in ("first", "second"):
        window = start()
        edit(window, title)
        autosave(window)
        crash(window)
    again = start(recover="restore")
    assert recovery(again).offer_at_start() == 2
    [sibling] = main_window._SIBLINGS
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
    recovery(start()).offer_at_start()
    assert not dead.exists()


# ---- preferences ------------------------------------------------------------------------
def test_preferences_set_the_interval_everywhere(start, qtbot):
    window = start()
    assert autosave_seconds() == 30 and recovery(window).interval == 30
    dialog = PreferencesDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.autosave.value() == 30
    dialog.autosave.setValue(5)
    dialog.accept()
    assert recovery(window).interval == 5
    dialog = PreferencesDialog(window)
    qtbot.addWidget(dialog)
    dialog.autosave.setValue(0)
    assert dialog.autosave.text() == "Off"
    dialog.accept()
    assert recovery(window).interval == 0
    assert int(QSettings().value(SETTING)) == 0


def test_the_preferences_action_opens_the_dialog(start):
    window = start()
    action = window.actions["preferences"]
    assert action.text() == "Pre&ferences…"
    action.trigger()
    [dialog] = window.prompts.dialogs
    assert isinstance(dialog, PreferencesDialog) and dialog.autosave.value() == 30


def test_a_broken_setting_falls_back_to_the_default(start):
    QSettings().setValue(SETTING, "often")
    assert autosave_seconds() == 30
