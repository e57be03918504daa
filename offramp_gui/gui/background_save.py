"""Work on a worker thread, so that writing a large tree never freezes the window.

The main thread takes a snapshot of the tree (`json_io.snapshot`, a quick pass that
copies no text); the worker turns it into JSON, encodes it, checks it and writes the file
atomically. The result comes back to the main thread through a Qt signal. The worker
touches nothing but the snapshot, so the tree may be edited meanwhile. `WorkerJob` runs
any such work (autosave and opening a file use it too); `SaveJob` is File > Save's.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QApplication

from ..fileformat.json_io import Snapshot, save_snapshot

Result = TypeVar("Result")


class Cancelled(Exception):
    """The error of a job cancelled before it ended."""


class WorkerJob(QObject, Generic[Result]):
    """`work()` run once on a worker thread; `finished` is emitted once, on the main
    thread, with `result` or `error` (what it raised) set.

    Work that can be cancelled calls `report` now and then: it says how far it is, and
    raises `Cancelled` once `cancel()` was asked, so the thread stops soon after.
    """

    finished = Signal()
    #: How much of the work is done, from 0 to 1 (on the main thread).
    progressed = Signal(float)
    #: From the worker: the work is over (queued to the main thread, then `finished`).
    _ended = Signal()
    _reported = Signal(float)

    def __init__(self, work: Callable[[], Result], name: str, daemon: bool = False):
        super().__init__()
        self.result: Result | None = None
        self.error: Exception | None = None
        self._work: Callable[[], Result] | None = work
        self._delivered = False
        self._cancelled = False
        self._ended.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._reported.connect(self._progress, Qt.ConnectionType.QueuedConnection)
        # Not a daemon unless it writes nothing: should the app end first, Python still
        # waits for the file.
        self._thread = threading.Thread(target=self._run, name=name, daemon=daemon)

    def start(self) -> None:
        self._thread.start()

    @property
    def done(self) -> bool:
        return self._delivered

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        """End the job now: its result is dropped, `error` is `Cancelled`, and
        `finished` comes at once if it has not yet."""
        self._cancelled = True
        self.result, self.error = None, Cancelled()
        self._deliver()

    def report(self, done: float) -> None:
        """From the work: how much of it is done (0 to 1); raises `Cancelled` once the
        job was cancelled."""
        if self._cancelled:
            raise Cancelled()
        self._reported.emit(done)

    def _run(self) -> None:
        work, self._work = self._work, None  # the snapshot goes with the work
        assert work is not None
        try:
            result = work()
            if not self._cancelled:
                self.result = result
            del result
        except Exception as error:  # noqa: BLE001 - any failure must reach the main thread
            if not self._cancelled:
                self.error = error
        del work
        self._ended.emit()

    @Slot(float)
    def _progress(self, done: float) -> None:
        if not self._delivered:
            self.progressed.emit(done)

    @Slot()
    def _deliver(self) -> None:
        if not self._delivered:
            self._delivered = True
            self.finished.emit()

    def wait(self) -> None:
        """Return when the work is over and `finished` was emitted. Meanwhile the window
        repaints but takes no input, under a busy cursor."""
        if self._delivered:
            return
        loop = QEventLoop()
        self.finished.connect(loop.quit)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        finally:
            QApplication.restoreOverrideCursor()
            self.finished.disconnect(loop.quit)
        if not self._cancelled:  # (a cancelled job's thread ends on its own)
            # The loop also ends when the app quits: the file still comes first.
            self._thread.join()
        self._deliver()


class SaveJob(WorkerJob[str]):
    """One save of one snapshot to one path: `digest` (the bytes written) or `error`
    (nothing was written) is set when `finished` comes."""

    def __init__(self, snap: Snapshot, path: Path, revision: int, owner: object):
        super().__init__(lambda: save_snapshot(snap, path), "offramp-save")
        self.path = path
        #: The document's revision and tree when the snapshot was taken.
        self.revision = revision
        self.owner = owner

    @property
    def digest(self) -> str | None:
        return self.result
