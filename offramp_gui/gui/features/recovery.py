"""Autosave and crash recovery: unsaved work is copied aside, and offered back after a crash.

While a window's document has unsaved changes, a `RecoveryManager` writes it every few
seconds (Preferences; 30 by default) to its own file in the recovery folder, never over
the user's file. Saving, New, Open, Revert and closing the window remove that copy, so
what is left in the folder at the next start was left by a crash; `offer_at_start`
offers each to restore, discard or keep for later. See ../recovery_files.py for the files.

Each autosave takes a snapshot on the main thread and writes it on a worker
(`background_save.WorkerJob`), one at a time; a copy whose document was saved, replaced
or closed meanwhile is deleted when its write ends (docs/architecture.md). A large
tree's snapshot is taken a few milliseconds at a time between events, and started again
at the next autosave if an edit comes first (after a few such misses, in one go).

Autosave never stops on its own: when the recovery folder cannot be created or written
(a read-only state folder, a full disk, a file where the folder should be), the copies
go to a private fallback folder in the system's temporary folder, and the user is told
once, in the status bar and a dialog. If that fails too, the status bar says so at every
try and a dialog once.
"""
from __future__ import annotations

import contextlib
import os
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QEvent, QLockFile, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent

from ...model import collector
from ...model.events import TreeChange
from ..background_save import Cancelled, WorkerJob
from ..contributions import Contributions
from ..document import DocumentController, is_view_change
from ..prompts import Prompts
from ..recovery_files import (
    CopyInSteps,
    Entry,
    RecoveryCopy,
    autosave_seconds,
    fallback_folder,
    left_behind_anywhere,
    make_lock,
    make_private_folder,
    note_moved,
    reason,
    recovery_folder,
    recovery_pieces,
    settings_notice,
    take_copy,
    write_recovery,
)
from ..status import StatusLine
from ..view import TreeView

#: Opens another window and returns its features by name.
SpawnWindow = Callable[[], Mapping[str, object]]

#: Up to this many nodes a snapshot takes a tenth of a second or less: taken in one go.
TAKEN_AT_ONCE_UP_TO = 50_000
#: A larger tree's snapshot is taken this many nodes at a time, for up to
#: STEP_SECONDS before the window handles its events again.
NODES_PER_STEP = 1_000
STEP_SECONDS = 0.008
#: After this many snapshots dropped for an edit in a row, the next is taken in one go:
#: a stall, rather than unsaved work never copied while the user keeps editing.
DROPS_BEFORE_AT_ONCE = 3


class _Attempt(NamedTuple):
    """A copy written (`error` None), or not: why, and its bytes to write elsewhere."""

    error: OSError | None
    data: list[bytes]


#: The canvas's events that make a worker writing a copy wait (`_WindowFirst`).
_GESTURES = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                       QEvent.Type.Wheel, QEvent.Type.MouseButtonDblClick})
#: A worker writing a copy waits until the window has been left alone this long.
QUIET_SECONDS = 0.25


class _WindowFirst:
    """Lets the window go first while a worker writes a copy: the main thread says
    `busy` at each change and each gesture on the canvas, and the worker's `pause` waits
    until QUIET_SECONDS after the last. Both run Python: without it, every time the main
    thread lets go of the interpreter (in a numpy or Qt call) it waits up to 5 ms to get
    it back from the worker, which made a slider step at a million nodes take seconds."""

    def __init__(self):
        self._until = 0.0  # a float, written whole: no lock needed

    def busy(self) -> None:
        self._until = time.monotonic() + QUIET_SECONDS

    def pause(self) -> None:
        while time.monotonic() < self._until:
            time.sleep(0.01)


class _Autosave:
    """One autosave's work, on a worker: make the bytes of a copy (most of the time: a
    minute for a million nodes on a busy machine), then write them. Until the writing
    starts it can be dropped: a window closing, after the user saved or discarded the
    changes, would delete the copy anyway, and need not wait for it."""

    def __init__(self, copy: RecoveryCopy, path: Path, pause: Callable[[], None] | None = None):
        self._copy: RecoveryCopy | None = copy
        self._path = path
        self._pause = pause
        self._guard = threading.Lock()
        self._dropped = False
        self._writing = False

    def run(self) -> _Attempt:
        """Raises ValueError when the tree cannot be written, Cancelled when dropped."""
        copy, self._copy = self._copy, None  # the snapshot goes once its bytes are made
        assert copy is not None
        data = recovery_pieces(copy, self._pause)
        del copy
        with self._guard:
            if self._dropped:
                raise Cancelled()
            self._writing = True
        try:
            write_recovery(self._path, data)
        except OSError as error:
            return _Attempt(error, data)
        return _Attempt(None, [])

    def drop(self) -> bool:
        """Stop it before it writes anything; False when it is writing (or wrote)."""
        with self._guard:
            self._dropped = not self._writing
            return self._dropped


def _write_copy(copy: RecoveryCopy, path: Path) -> _Attempt:
    """Make the bytes of `copy` and write them to `path`, on this thread."""
    return _Autosave(copy, path).run()


def _why(error: OSError) -> str:
    """The system's reason for a failed write (a SaveError names it as its cause)."""
    cause = error.__cause__
    return reason(cause if isinstance(cause, OSError) else error)


class RecoveryManager(QObject):
    """Autosaves one window's document and cleans up after it."""

    name = "recovery"
    #: An autosave was written; carries the recovery file's Path.
    autosaved = Signal(object)
    #: What was already said in this process (once per usual folder, not once a window).
    _told: set[tuple[str, Path]] = set()

    def __init__(self, document: DocumentController, prompts: Prompts, canvas: TreeView,
                 status: StatusLine, spawn_window: SpawnWindow):
        super().__init__(document)
        self.document = document
        self.prompts = prompts
        self.canvas = canvas
        self.status = status
        self.spawn_window = spawn_window
        self._session = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self.usual = recovery_folder()
        self.folder = self.usual
        self.file = self.folder / f"{self._session}.json"
        self._lock: QLockFile | None = None
        #: Why copies do not go to the usual folder ("" when they do).
        self.problem = ""
        #: Copies and locks in the usual folder, after moving away from it mid-session.
        self._left: list[tuple[Path, QLockFile]] = []
        self._dirty = False
        #: The document was saved, replaced or closed since the last copy was taken:
        #: that copy, if still being written, is deleted when done.
        self._discarded = False
        self._job: WorkerJob[_Attempt] | None = None
        self._autosave: _Autosave | None = None
        #: A large tree's copy being taken between events, and how many were dropped.
        self._taking: CopyInSteps | None = None
        self._drops = 0
        self._collecting = False
        self._window_first = _WindowFirst()
        self._stepper = QTimer(self)
        self._stepper.setSingleShot(True)
        self._stepper.setInterval(0)
        self._stepper.timeout.connect(self._take_steps)
        self._pressed = False
        self._closed = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.tick)
        self._take_folder()
        self._connect()
        self.apply_settings()
        settings_notice.changed.connect(self.apply_settings)

    def contributions(self) -> Contributions:
        return Contributions()

    # ---- where the copies go ----------------------------------------------------------
    def _take_folder(self) -> bool:
        """Hold a lock in the usual folder, else in the fallback; False if neither works."""
        try:
            self._hold(self.usual, private=False)
        except OSError as error:
            self.problem = f"cannot write in {self.usual}: {reason(error)}"
            return self._move_to_fallback()
        return True

    def _move_to_fallback(self) -> bool:
        fallback = fallback_folder()
        try:
            self._hold(fallback, private=True)
        except OSError as error:
            self.problem += f"; nor in {fallback}: {reason(error)}"
            return False
        note_moved(self.usual, fallback)
        return True

    def _hold(self, folder: Path, private: bool) -> None:
        if private:
            make_private_folder(folder)
        elif folder.exists() and not folder.is_dir():
            raise OSError("it is a file, not a folder")
        else:
            folder.mkdir(parents=True, exist_ok=True)
        lock = make_lock(folder / f"{self._session}.lock")
        if not lock.tryLock(0):
            denied = lock.error() == QLockFile.LockError.PermissionError
            raise OSError("permission denied" if denied else "a lock file cannot be made")
        if self._lock is not None:  # moving away: the old copy is removed when possible
            self._left.append((self.file, self._lock))
        self.folder, self.file, self._lock = folder, folder / f"{self._session}.json", lock

    def _first_time(self, kind: str) -> bool:
        """True the first time `kind` happens to the usual folder in this process."""
        told = (kind, self.usual) in self._told
        self._told.add((kind, self.usual))
        return not told

    def _connect(self) -> None:
        document = self.document
        document.tree_changed.connect(self._on_change)
        document.document_reset.connect(self._on_reset)
        document.undo_stack.cleanChanged.connect(self._on_clean)
        self.canvas.viewport().installEventFilter(self)

    # ---- settings ---------------------------------------------------------------------
    def apply_settings(self) -> None:
        """Start, stop or re-time autosave from the settings (Preferences)."""
        seconds = autosave_seconds()
        if seconds and not self._closed:
            self._timer.start(seconds * 1000)
        else:
            self._timer.stop()

    @property
    def interval(self) -> int:
        """Seconds between autosaves; 0 when autosave is off."""
        return self._timer.interval() // 1000 if self._timer.isActive() else 0

    # ---- autosave ---------------------------------------------------------------------
    def busy(self) -> bool:
        """A drag (a mouse button down on the canvas) or an inline rename is under way."""
        return self._pressed or self.canvas.renaming

    @property
    def writing(self) -> bool:
        """An autosave is being written on a worker."""
        return self._job is not None

    @property
    def taking(self) -> bool:
        """A large tree's copy is being taken between events."""
        return self._taking is not None

    def tick(self) -> None:
        """Start writing the document on a worker if it changed since the last autosave,
        unless busy or the last autosave is still being taken or written."""
        if self._job is not None or self._taking is not None or not self._dirty or \
                not self.document.modified or self.busy():
            return
        document = self.document
        if len(document.tree) > TAKEN_AT_ONCE_UP_TO and self._drops < DROPS_BEFORE_AT_ONCE:
            if self._ready_to_copy():
                self._taking = CopyInSteps(document.tree, document.path, document.disk_digest)
                # Else a full collection, a second at a million nodes, stops some step:
                # a million new tuples would make one due.
                self._collecting = collector.pause()
                self._stepper.start()
            return
        copy = self._take_copy()
        if copy is not None:
            self._start_writing(copy)

    def _take_steps(self) -> None:
        """Take the copy's next nodes for a few milliseconds; write it once whole."""
        taking = self._taking
        if taking is None:
            return
        stop = time.perf_counter() + STEP_SECONDS
        while (copy := taking.step(NODES_PER_STEP)) is None:
            if time.perf_counter() > stop:
                self._stepper.start()
                return
        self._drop_taking()
        self._start_writing(copy)

    def _drop_taking(self) -> None:
        if self._taking is None:
            return
        self._taking = None
        self._stepper.stop()
        collector.resume(self._collecting)

    def _start_writing(self, copy: RecoveryCopy) -> None:
        self._drops = 0
        autosave = self._autosave = _Autosave(copy, self.file, self._window_first.pause)
        # A daemon, so that quitting never waits for a copy being made: closing drops
        # it, or waits for its write (`close`). Cut short otherwise, it leaves the last
        # whole copy, as a crash would (written atomically).
        job = self._job = WorkerJob(autosave.run, "offramp-autosave", daemon=True)
        job.finished.connect(lambda: self._job_ended(job))
        job.start()

    def write(self) -> bool:
        """Write the recovery file now, on this thread, and say whether it was written.
        When the folder cannot be written, the copy goes to the fallback folder; the user
        is told once, and every time nothing works."""
        self._drop_taking()
        self.finish_writing()
        copy = self._take_copy()
        if copy is None:
            return False
        try:
            attempt = _write_copy(copy, self.file)
        except ValueError as error:
            return self._after(error)
        return self._after(attempt)

    def finish_writing(self) -> None:
        """Wait for the autosave being written, and take its outcome. (The timer may
        start another while we wait: that one too.)"""
        while self._job is not None:
            self._job.wait()

    def _take_copy(self) -> RecoveryCopy | None:
        """The document as it is now, to write where copies go; None when there is
        nowhere to write (told) or the window is closed."""
        if not self._ready_to_copy():
            return None
        document = self.document
        return take_copy(document.tree, document.path, document.disk_digest)

    def _ready_to_copy(self) -> bool:
        """Whether a copy can be written (if not: told, or the window is closed); from
        now on an edit is written next time."""
        if self._closed:
            return False
        if self._lock is None and not self._take_folder():
            self._failed()
            return False
        self._dirty = False
        self._discarded = False
        return True

    def _job_ended(self, job: WorkerJob[_Attempt]) -> None:
        self._job = self._autosave = None
        if job.cancelled:  # dropped at closing: the window is gone
            return
        outcome = job.error if job.error is not None else job.result
        assert outcome is not None
        self._after(outcome)

    def _after(self, outcome: _Attempt | Exception) -> bool:
        """Take the outcome of a write: keep the copy and say so, or say why not."""
        if self._discarded:  # saved, replaced or closed while it was written
            self._delete_copies()
            return False
        if isinstance(outcome, ValueError):
            self._dirty = True
            self.status.show(f"Autosave failed: {outcome}", 8000)
            return False
        if isinstance(outcome, Exception):
            raise outcome
        if not self._written(outcome):
            self._failed()
            return False
        if self.folder != self.usual and self._first_time("moved"):
            text = (f"Autosave {self.problem}. Unsaved changes are copied to {self.folder}"
                    " instead.")
            self.status.show(text, 0)
            self.prompts.inform("Autosave moved", text, icon="warning")
        self.autosaved.emit(self.file)
        return True

    def _failed(self) -> None:
        self._dirty = True
        text = (f"Autosave failed: unsaved changes cannot be copied aside"
                f" ({self.problem}). Save your work to keep it safe.")
        self.status.show(text, 0)  # at every try, while it goes on failing
        if self._first_time("failed"):
            self.prompts.inform("Autosave failed", text, icon="warning")

    def _written(self, attempt: _Attempt) -> bool:
        """Whether the copy was written where copies go; if that failed in the usual
        folder, it is written in the fallback folder now, from the bytes already made."""
        if attempt.error is None:
            if self.folder == self.usual:
                self.problem = ""
            return True
        self.problem = f"cannot write in {self.folder}: {_why(attempt.error)}"
        if self.folder != self.usual or not self._move_to_fallback():
            return False
        self.remove_left()
        try:
            write_recovery(self.file, attempt.data)
        except OSError as error:
            self.problem += f"; nor in {self.folder}: {_why(error)}"
            return False
        return True

    def remove(self) -> None:
        """Delete this window's recovery file (saved, replaced or closed); one being
        written now is deleted when it is done."""
        self._dirty = False
        self._discarded = True
        self._drop_taking()
        self._delete_copies()

    def _delete_copies(self) -> None:
        with contextlib.suppress(OSError):
            self.file.unlink()
        self.remove_left()

    def remove_left(self) -> None:
        """Delete the copies left in a folder we moved away from, if it allows it now."""
        for file, _lock in self._left:
            with contextlib.suppress(OSError):
                file.unlink()

    def _on_change(self, change: TreeChange) -> None:
        self._window_first.busy()
        if not is_view_change(change):  # folding alone is not worth a recovery copy
            self._dirty = True
            if self._taking is not None:  # no longer the tree it started from
                self._drop_taking()
                self._drops += 1

    def _on_reset(self) -> None:
        self.remove()

    def _on_clean(self, clean: bool) -> None:
        if clean:
            self.remove()
        else:  # unsaved now, even without an edit (kept over a changed file on disk)
            self._dirty = True

    # ---- restoring --------------------------------------------------------------------
    def left_behind(self) -> list[Entry]:
        """Recovery files of windows that did not close, each locked by us until decided:
        in the usual folder and in the fallback."""
        return left_behind_anywhere(self.file)

    def restore(self, entry: Entry) -> None:
        """Show a recovered document, unsaved, its file ours now. It keeps its original
        path only when that is still the user's file (`recovery_files.destination`)."""
        assert entry.tree is not None
        self.finish_writing()  # its end must not delete the restored copy
        target = entry.destination
        self.document.replace_tree(entry.tree, target.path, entry.digest,
                                   suggestion=target.suggestion)
        self.document.mark_modified()
        if target.note:
            self.status.show(target.note, 0)
        try:
            os.replace(entry.file, self.file)
            self._dirty = False  # the file holds exactly this document
            entry.release()
        except OSError:  # another folder or disk: write ours, then let the old one go
            self._dirty = True
            if self.write():
                entry.discard()
            else:
                entry.release()
        self.canvas.show_start()

    # ---- closing ----------------------------------------------------------------------
    def close(self) -> None:
        """A clean exit (the user saved or discarded the changes): remove the recovery
        file and the lock. A copy still being made is dropped, not waited for; one being
        written is deleted once written."""
        self._closed = True
        if self._job is not None and self._autosave is not None and self._autosave.drop():
            self._job.cancel()
        self.remove()
        self.abandon()

    def abandon(self) -> None:
        """Stop and let go of the locks, leaving the recovery file as a crash would."""
        self._closed = True
        self._timer.stop()
        self._drop_taking()
        self.finish_writing()  # the locks go only once the file is whole
        for _file, lock in self._left:
            lock.unlock()
        if self._lock is not None:
            self._lock.unlock()

    def closed(self) -> None:
        self.close()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _GESTURES:
            self._window_first.busy()
        if kind == QEvent.Type.MouseButtonPress:
            self._pressed = True
        elif kind == QEvent.Type.MouseButtonRelease:
            assert isinstance(event, QMouseEvent)
            self._pressed = event.buttons() != Qt.MouseButton.NoButton
        return False

    # ---- at start ---------------------------------------------------------------------
    def offer_at_start(self) -> int:
        """Offer each document left by a crash: restore, discard or decide later.

        The first restored document replaces this window's if that one is unchanged;
        others open in windows of their own. Returns how many were restored.
        """
        restored = 0
        for entry in self.left_behind():
            note = entry.destination.note if entry.tree is not None else ""
            answer = self.prompts.recover(entry.name, entry.when, entry.problem, note)
            if answer == "restore" and entry.tree is not None:
                if restored == 0 and not self.document.modified:
                    self.restore(entry)
                else:
                    other = self.spawn_window()["recovery"]
                    assert isinstance(other, RecoveryManager)
                    other.restore(entry)
                restored += 1
            elif answer == "discard":
                entry.discard()
            else:
                entry.release()
        return restored
