"""Autosave on a worker: the window goes on while the copy is written, and a copy the
document no longer needs never outlives its write."""
from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from test_recovery import TREES, autosave, crash, edit, recovery, recovery_files

from offramp_gui.fileformat.json_io import dumps, read_file
from offramp_gui.gui.features import recovery as recovery_feature
from offramp_gui.gui.recovery_files import META_KEY, recovery_folder


class Held:
    """The worker waits before writing a copy until the test calls `release`; `writes`
    lists each copy written and whether its lock was held when it was."""

    def __init__(self, monkeypatch):
        self.go = threading.Event()
        #: Set when the worker has made the copy's bytes and waits to write them.
        self.writing = threading.Event()
        self.writes: list[tuple[Path, bool]] = []
        real = recovery_feature.write_recovery

        def write_when_released(path: Path, data: list[bytes]) -> None:
            self.writing.set()
            assert self.go.wait(30), "the test never released the autosave"
            real(path, data)
            self.writes.append((path, path.with_suffix(".lock").exists()))
        monkeypatch.setattr(recovery_feature, "write_recovery", write_when_released)

    def release(self) -> None:
        self.go.set()

    def release_soon(self) -> None:
        """Released from the event loop that the main thread waits in."""
        QTimer.singleShot(300, self.go.set)


@pytest.fixture
def held(monkeypatch):
    hold = Held(monkeypatch)
    yield hold
    hold.release()


@pytest.fixture
def window(make_window, tree_file):
    win = make_window(**{"save-changes": "discard"})
    assert win.files.open(tree_file)
    return win


@pytest.fixture
def tree_file(tmp_path):
    path = tmp_path / "work" / "offramp.json"
    path.parent.mkdir()
    path.write_bytes((TREES / "offramp.json").read_bytes())
    return path


def copy_text(path: Path) -> str:
    """The tree in a recovery copy, as offramp writes it."""
    loaded = read_file(path)
    assert loaded.tree is not None and not loaded.issues
    loaded.tree.extras.pop(META_KEY)
    return dumps(loaded.tree)


def test_the_copy_is_written_on_a_worker_while_the_window_goes_on(window, held, qtbot):
    edit(window, "copied aside")
    expected = dumps(window.document.tree)
    manager = recovery(window)
    manager.tick()
    assert manager.writing and recovery_files() == []  # tick returned before the write
    with qtbot.waitSignal(manager.autosaved) as signal:
        held.release()
    assert signal.args == [manager.file] and recovery_files() == [manager.file]
    assert copy_text(manager.file) == expected and not manager.writing


@pytest.mark.parametrize("action", ["save", "new", "open", "undo"])
def test_saved_or_replaced_while_the_copy_is_written_leaves_no_copy(window, held, qtbot,
                                                                     action):
    edit(window)
    manager = recovery(window)
    manager.tick()
    if action == "save":
        assert window.files.save()
    elif action == "new":
        assert window.files.new()
    elif action == "open":
        assert window.files.open(TREES / "offramp.json")
    else:
        window.document.undo_stack.undo()
    assert not window.document.modified
    with qtbot.assertNotEmitted(manager.autosaved):
        held.release()
        manager.finish_writing()
    assert held.writes, "the copy was written, then removed"
    assert recovery_files() == []
    autosave(window)  # and nothing to write while the document stays unchanged
    assert recovery_files() == []


def test_a_document_replaced_then_edited_while_a_copy_is_written_gets_its_own(
        window, held, qtbot):
    edit(window, "old document")
    manager = recovery(window)
    manager.tick()
    assert window.files.new()
    edit(window, "new document")
    expected = dumps(window.document.tree)
    with qtbot.assertNotEmitted(manager.autosaved):
        held.release()
        manager.finish_writing()
    assert recovery_files() == [], "the old document's copy was removed"
    with qtbot.waitSignal(manager.autosaved):
        manager.tick()
    assert copy_text(manager.file) == expected


def test_an_edit_made_while_the_copy_is_written_is_written_next_time(window, held, qtbot):
    edit(window, "before the autosave")
    manager = recovery(window)
    manager.tick()
    edit(window, "during the autosave")
    expected = dumps(window.document.tree)
    with qtbot.waitSignal(manager.autosaved):
        held.release()
    assert '"before the autosave"' in manager.file.read_text(encoding="utf-8")
    assert '"during the autosave"' not in manager.file.read_text(encoding="utf-8")
    with qtbot.waitSignal(manager.autosaved):
        manager.tick()
    assert copy_text(manager.file) == expected


def test_a_tick_while_a_copy_is_written_starts_no_second_one(window, held, qtbot):
    edit(window, "one")
    manager = recovery(window)
    manager.tick()
    edit(window, "two")
    manager.tick()
    manager.tick()
    with qtbot.waitSignal(manager.autosaved):
        held.release()
    assert len(held.writes) == 1 and not manager.writing
    with qtbot.waitSignal(manager.autosaved):
        manager.tick()  # "two" is still unwritten: this tick writes it
    assert len(held.writes) == 2 and '"two"' in manager.file.read_text(encoding="utf-8")


def test_a_crash_while_a_copy_is_written_leaves_the_whole_copy(window, held, start_again):
    edit(window, "in the middle of an autosave")
    expected = dumps(window.document.tree)
    manager = recovery(window)
    manager.tick()
    held.release_soon()
    crash(window)  # lets go of the lock, as a crash would, once the copy is whole
    assert held.writes == [(manager.file, True)], "written while the lock was held"
    assert copy_text(manager.file) == expected
    again = start_again()
    assert recovery(again).offer_at_start() == 1
    assert dumps(again.document.tree) == expected


def test_closing_while_a_copy_is_written_leaves_nothing(window, held):
    edit(window, "closing now")
    recovery(window).tick()
    assert held.writing.wait(10)
    held.release_soon()
    assert window.close()
    assert held.writes, "the copy was finished before it was removed"
    assert list(recovery_folder().iterdir()) == []  # neither the copy nor its lock


class HeldMaking:
    """The worker waits before making a copy's bytes (what takes a minute for a million
    nodes) until the test calls `release`, or 30 s; `made` is set once it has."""

    def __init__(self, monkeypatch):
        self.go = threading.Event()
        self.made = threading.Event()
        real = recovery_feature.recovery_pieces

        def make_when_released(copy, pause=None) -> list[bytes]:
            self.go.wait(30)
            data = real(copy, pause)
            self.made.set()
            return data
        monkeypatch.setattr(recovery_feature, "recovery_pieces", make_when_released)

    def finish(self) -> None:
        """Let the worker go on, and wait for its end."""
        self.go.set()
        for thread in threading.enumerate():
            if thread.name == "offramp-autosave":
                thread.join(30)


@pytest.fixture
def making(monkeypatch):
    hold = HeldMaking(monkeypatch)
    yield hold
    hold.finish()


def waited_for_at_exit() -> list[str]:
    """The threads quitting the app waits for (`app.leave`): the non-daemon ones."""
    return [t.name for t in threading.enumerate()
            if t is not threading.current_thread() and not t.daemon]


@pytest.mark.parametrize("answer", ["discard", "save"])
def test_closing_while_a_copy_is_made_drops_it_without_waiting(make_window, tree_file,
                                                                making, answer):
    window = make_window(**{"save-changes": answer})
    assert window.files.open(tree_file)
    edit(window, "closing now")
    expected = dumps(window.document.tree)
    manager = recovery(window)
    manager.tick()
    assert manager.writing
    assert window.close()
    assert not making.made.is_set(), "closing waited for the copy being made"
    assert "offramp-autosave" not in waited_for_at_exit()
    assert list(recovery_folder().iterdir()) == []  # neither a copy nor its lock
    making.finish()
    assert making.made.is_set()
    assert list(recovery_folder().iterdir()) == [], "the dropped copy was never written"
    saved = dumps(read_file(tree_file).tree)
    assert (saved == expected) == (answer == "save")


def test_a_tree_that_cannot_be_written_says_so_and_is_tried_again(window, qtbot):
    edit(window, "lone \ud800 surrogate")
    manager = recovery(window)
    autosave(window)
    assert window.statusBar().currentMessage().startswith("Autosave failed: ")
    assert recovery_files() == []
    edit(window, "fixed")
    with qtbot.waitSignal(manager.autosaved):
        manager.tick()
    assert '"fixed"' in manager.file.read_text(encoding="utf-8")


@pytest.fixture
def start_again(make_window):
    return lambda: make_window(recover="restore", **{"save-changes": "discard"})


def test_the_copy_is_written_once_the_window_is_left_alone(window, qtbot, monkeypatch):
    monkeypatch.setattr(recovery_feature, "QUIET_SECONDS", 1.0)
    manager = recovery(window)
    edit(window, "still editing")  # a change: the window is in use from now
    started = time.monotonic()
    manager.tick()
    with qtbot.waitSignal(manager.autosaved, timeout=10_000):
        pass
    assert time.monotonic() - started >= 0.9
    assert copy_text(manager.file) == dumps(window.document.tree)
