"""Autosave of a large tree: its copy is taken a few nodes at a time between the window's
events, dropped if an edit comes first, and taken in one go after a few such misses."""
from __future__ import annotations

import gc

import pytest
from PySide6.QtCore import QTimer
from test_recovery import TREES, edit, recovery, recovery_files
from test_recovery_background import copy_text

from offramp_gui.fileformat.json_io import dumps
from offramp_gui.gui.features import recovery as recovery_feature


@pytest.fixture
def window(make_window, tmp_path, monkeypatch):
    # The bundled tree counts as large, and each turn of the event loop takes 5 nodes.
    monkeypatch.setattr(recovery_feature, "TAKEN_AT_ONCE_UP_TO", 10)
    monkeypatch.setattr(recovery_feature, "NODES_PER_STEP", 5)
    monkeypatch.setattr(recovery_feature, "STEP_SECONDS", 0.0)
    path = tmp_path / "offramp.json"
    path.write_bytes((TREES / "offramp.json").read_bytes())
    win = make_window(**{"save-changes": "discard"})
    assert win.files.open(path)
    assert len(win.document.tree) > 10 * 5
    return win


class Turns:
    """Counts the turns of the event loop (a zero timer runs once per turn)."""

    def __init__(self):
        self.count = 0
        self.timer = QTimer()
        self.timer.setInterval(0)
        self.timer.timeout.connect(self.turn)
        self.timer.start()

    def turn(self) -> None:
        self.count += 1


def test_the_copy_is_taken_between_events_and_is_the_whole_tree(window, qtbot):
    edit(window, "copied a little at a time")
    expected = dumps(window.document.tree)
    manager = recovery(window)
    manager.tick()
    assert manager.taking and not manager.writing and recovery_files() == []
    turns = Turns()
    with qtbot.waitSignal(manager.autosaved, timeout=10_000):
        qtbot.waitUntil(lambda: not manager.taking)
        turns.timer.stop()
    tree = window.document.tree
    written = len(tree) - len(tree.links.copies)  # (a template's uses are written as links)
    # The window went on: a turn of its own beside most of the copy's steps (not all:
    # how Qt interleaves two zero timers varies; taken in one go, there would be none).
    assert turns.count >= written // 10
    assert copy_text(manager.file) == expected
    assert gc.isenabled() and gc.get_freeze_count() == 0  # collecting as before


def test_an_edit_while_the_copy_is_taken_drops_it_and_the_next_has_the_edit(window, qtbot):
    manager = recovery(window)
    edit(window, "first")
    manager.tick()
    assert manager.taking
    edit(window, "second")
    assert not manager.taking and not manager.writing and gc.isenabled()
    qtbot.wait(50)
    assert recovery_files() == []
    manager.tick()
    assert manager.taking
    with qtbot.waitSignal(manager.autosaved, timeout=10_000):
        pass
    assert copy_text(manager.file) == dumps(window.document.tree)
    assert '"second"' in copy_text(manager.file)


def test_after_three_copies_dropped_for_edits_the_next_is_taken_at_once(window, qtbot):
    manager = recovery(window)
    for k in range(recovery_feature.DROPS_BEFORE_AT_ONCE):
        edit(window, f"edit {k}")
        manager.tick()
        assert manager.taking
    edit(window, "the last edit")
    assert not manager.taking
    manager.tick()  # the copy is taken in this call, and written on the worker
    assert not manager.taking and manager.writing
    with qtbot.waitSignal(manager.autosaved, timeout=10_000):
        pass
    assert '"the last edit"' in copy_text(manager.file)
    edit(window, "then one more")  # the count starts again
    manager.tick()
    assert manager.taking


def test_saving_or_closing_while_the_copy_is_taken_leaves_no_copy(window, qtbot):
    manager = recovery(window)
    edit(window)
    manager.tick()
    assert manager.taking
    assert window.files.save()
    assert not manager.taking
    with qtbot.assertNotEmitted(manager.autosaved, wait=200):
        pass
    assert recovery_files() == []


def test_a_copy_over_the_file_size_limit_indented_is_written_on_one_line_and_opens(
        tmp_path, monkeypatch):
    from offramp_gui.api import load
    from offramp_gui.fileformat import json_io
    from offramp_gui.gui.recovery_files import make_lock, read_entry, recovery_bytes, take_copy

    tree = load(TREES / "offramp.json")
    canonical = recovery_bytes(take_copy(tree, None, None))
    monkeypatch.setattr(json_io, "MAX_FILE_BYTES", len(dumps(tree).encode("utf-8")) - 1)
    data = recovery_bytes(take_copy(tree, None, None))
    assert len(data) < len(canonical) and data.split(b'"root": ', 1)[1].count(b"\n") == 2
    file = tmp_path / "copy.json"
    file.write_bytes(data)
    entry = read_entry(file, make_lock(file))
    assert entry.problem == "" and entry.meta["title"] == tree.title
    assert dumps(entry.tree) == dumps(tree)
