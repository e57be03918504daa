"""A save on a worker thread, so that writing a large tree never freezes the window.

The main thread takes a snapshot of the tree (`json_io.snapshot`, a quick pass that
copies no text); the worker turns it into JSON, encodes it, reads it back in memory
and writes the file atomically. The result comes back to the main thread through a
Qt signal. The worker touches nothing but the snapshot, so the tree may be edited
meanwhile.
"""
from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QApplication

from ..fileformat.json_io import Snapshot, save_snapshot


class SaveJob(QObject):
    """One save of one snapshot to one path; `finished` is emitted once, on the main
    thread, with `digest` (the bytes written) or `error` (nothing was written) set."""

    finished = Signal()
    #: From the worker: the save is over (queued to the main thread, then `finished`).
    _ended = Signal()

    def __init__(self, snap: Snapshot, path: Path, revision: int, owner: object):
        super().__init__()
        self.path = path
        #: The document's revision and tree when the snapshot was taken.
        self.revision = revision
        self.owner = owner
        self.digest: str | None = None
        self.error: Exception | None = None
        self._snapshot: Snapshot | None = snap
        self._delivered = False
        self._ended.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        # Not a daemon: should the app end first, Python still waits for the file.
        self._thread = threading.Thread(target=self._run, name="offramp-save")

    def start(self) -> None:
        self._thread.start()

    @property
    def done(self) -> bool:
        return self._delivered

    def _run(self) -> None:
        snap, self._snapshot = self._snapshot, None
        assert snap is not None
        try:
            self.digest = save_snapshot(snap, self.path)
        except Exception as error:  # noqa: BLE001 - any failure must reach the user's dialog
            self.error = error
        self._ended.emit()

    @Slot()
    def _deliver(self) -> None:
        if not self._delivered:
            self._delivered = True
            self.finished.emit()

    def wait(self) -> None:
        """Return when the save is over and `finished` was emitted. Meanwhile the window
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
        # The loop also ends when the app quits: the file still comes first.
        self._thread.join()
        self._deliver()
