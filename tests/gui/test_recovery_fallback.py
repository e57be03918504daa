"""Autosave never stops on its own: an unwritable recovery folder moves the copies to a
private folder in the system's temporary folder, and the user is told once."""
from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

import pytest
from test_recovery import autosave, crash, edit, recovery

from offramp_gui.fileformat.atomic import SaveError
from offramp_gui.fileformat.json_io import dumps
from offramp_gui.gui.features import recovery as recovery_feature
from offramp_gui.gui.preferences import PreferencesDialog
from offramp_gui.gui.recovery_files import fallback_folder, recovery_folder


def copies(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def fallback() -> Path:
    user = str(os.geteuid()) if hasattr(os, "geteuid") else os.getlogin()
    return Path(tempfile.gettempdir()) / f"offramp-{user}" / "recovery"


def block(folder: Path, how: str) -> None:
    """Make `folder` impossible to create: its parent read-only, or a file in its place.
    (Root writes in a read-only folder, so as root the file stands in for it.)"""
    if how == "read-only" and os.geteuid() != 0:
        folder.parent.chmod(0o500)
    else:
        folder.write_text("not a folder")


def unblock(folder: Path) -> None:
    folder.parent.chmod(0o700)
    if folder.is_file():
        folder.unlink()


@pytest.fixture
def blocked():
    """Factory: the usual recovery folder made unusable, restored after the test."""
    made: list[Path] = []

    def make(how: str = "read-only") -> Path:
        block(recovery_folder(), how)
        made.append(recovery_folder())
        return recovery_folder()
    yield make
    for folder in made:
        unblock(folder)


def test_the_fallback_is_a_folder_of_the_users_own_in_the_temporary_folder():
    assert fallback_folder() == fallback()
    assert Path(tempfile.gettempdir()) in fallback_folder().parents


@pytest.mark.parametrize("how", ["read-only", "a file in the way"])
def test_an_unusable_recovery_folder_moves_autosave_and_says_so_once(make_window, blocked,
                                                                    how):
    usual = blocked(how)
    window = make_window()
    edit(window, "first")
    autosave(window)
    [copy] = copies(fallback())
    assert recovery(window).file == copy and copies(usual) == []
    [(title, text, icon)] = window.prompts.reports
    assert title == "Autosave moved" and icon == "warning"
    assert text.startswith(f"Autosave cannot write in {usual}: ")
    assert text.endswith(f"Unsaved changes are copied to {fallback()} instead.")
    assert window.statusBar().currentMessage() == text
    for folder in (fallback(), fallback().parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    edit(window, "second")
    autosave(window)
    assert '"second"' in copy.read_text()
    assert len(window.prompts.reports) == 1, "said once, not at every autosave"


def test_a_copy_in_the_fallback_is_offered_at_the_next_start(make_window, blocked):
    usual = blocked()
    first = make_window()
    edit(first, "kept in the temporary folder")
    autosave(first)
    expected = dumps(first.document.tree)
    crash(first)
    unblock(usual)  # the usual folder is fine again: the fallback is looked in all the same
    again = make_window(recover="restore")
    assert recovery(again).offer_at_start() == 1
    assert dumps(again.document.tree) == expected and again.document.modified
    assert copies(fallback()) == [], "the copy moved to the window that restored it"
    [mine] = copies(recovery_folder())
    assert mine == recovery(again).file


def test_a_crash_while_the_usual_folder_stays_blocked_is_offered_too(make_window, blocked):
    blocked("a file in the way")
    first = make_window()
    edit(first, "still blocked")
    autosave(first)
    crash(first)
    again = make_window(recover="restore")
    assert recovery(again).offer_at_start() == 1
    assert "still blocked" in dumps(again.document.tree)
    [mine] = copies(fallback())
    assert mine == recovery(again).file


def test_a_full_disk_mid_session_moves_the_copy(make_window, monkeypatch):
    window = make_window(**{"save-changes": "discard"})
    edit(window, "one")
    autosave(window)
    [old] = copies(recovery_folder())
    real_write = recovery_feature.write_recovery

    def full_disk(path: Path, data: bytes) -> None:
        if path.parent == recovery_folder():
            raise SaveError(f"cannot save {path.name}: no space left on device") from OSError(
                errno.ENOSPC, "No space left on device")
        real_write(path, data)
    monkeypatch.setattr(recovery_feature, "write_recovery", full_disk)
    edit(window, "two")
    autosave(window)
    [copy] = copies(fallback())
    assert '"two"' in copy.read_text() and not old.exists()
    [(title, text, _icon)] = window.prompts.reports
    assert text.startswith(f"Autosave cannot write in {recovery_folder()}: no space left on"
                           " device.")
    dialog = PreferencesDialog(window)
    assert dialog.folder.text() == (f"Recovery copies are kept in {fallback()} (the usual"
                                    f" folder, {recovery_folder()}, cannot be written)")
    dialog.deleteLater()
    assert window.close()
    assert list(recovery_folder().iterdir()) == [] and list(fallback().iterdir()) == []


def test_when_nothing_can_be_written_it_says_so_and_keeps_trying(make_window, blocked):
    blocked("a file in the way")
    fallback().parent.parent.mkdir(parents=True, exist_ok=True)
    fallback().parent.write_text("in the way too")
    window = make_window()
    edit(window)
    assert not recovery(window).write()
    [(title, text, _icon)] = window.prompts.reports
    assert title == "Autosave failed"
    assert text.startswith(f"Autosave failed: unsaved changes cannot be copied aside"
                           f" (cannot write in {recovery_folder()}: it is a file, not a"
                           f" folder; nor in {fallback()}: ")
    assert text.endswith("). Save your work to keep it safe.")
    window.statusBar().clearMessage()
    assert not recovery(window).write()
    assert window.statusBar().currentMessage() == text, "the status bar says it every time"
    assert len(window.prompts.reports) == 1, "the dialog once"
    assert recovery(window).interval == 30, "autosave is still on"
    fallback().parent.unlink()
    assert recovery(window).write()
    assert [title for title, _text, _icon in window.prompts.reports] == [
        "Autosave failed", "Autosave moved"]
    assert copies(fallback()) == [recovery(window).file]


@pytest.mark.parametrize("unsafe", ["others may write in it", "another user's"])
def test_a_fallback_folder_others_could_touch_is_refused(make_window, blocked, unsafe):
    blocked("a file in the way")
    planted = fallback()
    planted.mkdir(parents=True)
    (planted / "1-planted.json").write_text("{}")
    if unsafe == "another user's" and os.geteuid() == 0:
        os.chown(planted.parent, 4242, 4242)
    else:  # (only root can give a folder away: otherwise the mode stands in for it)
        planted.parent.chmod(0o777)
    window = make_window()
    edit(window)
    assert recovery(window).offer_at_start() == 0, "nothing in it is offered"
    assert not recovery(window).write()
    [(_title, text, _icon)] = window.prompts.reports
    assert f"nor in {fallback()}: " in text
    assert ("belongs to another user" in text) or ("others may write in" in text)
    assert [p.name for p in planted.iterdir()] == ["1-planted.json"]


def test_preferences_show_the_usual_folder_while_it_is_used(make_window):
    window = make_window()
    dialog = PreferencesDialog(window)
    assert dialog.folder.text() == f"Recovery copies are kept in {recovery_folder()}"
    dialog.deleteLater()


def test_a_copy_on_another_disk_is_written_afresh_where_ours_go(make_window, blocked,
                                                                 monkeypatch):
    """Restoring moves the copy into this window's file; across disks that move fails,
    so the document is written there and the old copy removed."""
    usual = blocked()
    first = make_window()
    edit(first, "on the other disk")
    autosave(first)
    expected = dumps(first.document.tree)
    crash(first)
    unblock(usual)
    real_replace = os.replace

    def across_disks(source, target):
        if Path(source).parent == fallback():
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        real_replace(source, target)
    monkeypatch.setattr(recovery_feature.os, "replace", across_disks)
    again = make_window(recover="restore")
    assert recovery(again).offer_at_start() == 1
    [mine] = copies(recovery_folder())
    assert mine == recovery(again).file and dumps(again.document.tree) == expected
    assert "on the other disk" in mine.read_text()
    assert list(fallback().iterdir()) == [], "the old copy and its lock are gone"
