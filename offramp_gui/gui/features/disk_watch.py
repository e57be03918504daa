"""Notice when the open file changes on disk, and offer to reload it or keep our version.

QFileSystemWatcher watches an inode: a program that saves by replacing the file (as
offramp itself does) leaves the watch on the old one. So the folder is watched too, and
the file is watched afresh after every notification. A burst of notifications is
handled once, after a short pause. The file's bytes are compared with what was last
read or written (`DocumentController.disk_digest`), so offramp's own saves, and a touch
that changes nothing, ask nothing.
"""
from __future__ import annotations

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from ...fileformat.json_io import file_digest
from ..contributions import Contributions
from ..document import DocumentController
from ..file_service import FileService
from ..prompts import Prompts

#: Milliseconds of quiet after the last notification before the file is looked at.
DEBOUNCE_MS = 250


class DiskWatch(QObject):
    name = "disk-watch"
    #: A change on disk was looked at; carries "same", "gone", "reload" or "keep".
    checked = Signal(str)

    def __init__(self, document: DocumentController, files: FileService, prompts: Prompts):
        super().__init__(document)
        self.document = document
        self.files = files
        self.prompts = prompts
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._notified)
        self._watcher.directoryChanged.connect(self._notified)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.check)
        self._asking = False
        self._closed = False
        self._dismissed: str | None = None  # bytes we could not reload: do not ask again
        self.document.path_changed.connect(self.follow)
        self.follow()

    def contributions(self) -> Contributions:
        return Contributions()

    def closed(self) -> None:
        """The window is going: stop looking at its file (a reload would open it into a
        window that is gone)."""
        self._closed = True
        self._timer.stop()
        watched = self.watched()
        if watched:
            self._watcher.removePaths(watched)

    def follow(self, *_: object) -> None:
        """Watch the document's file, and its folder, instead of whatever was watched."""
        self._dismissed = None
        watched = self._watcher.files() + self._watcher.directories()
        if watched:
            self._watcher.removePaths(watched)
        path = self.document.path
        if path is not None:
            if path.parent.is_dir():
                self._watcher.addPath(str(path.parent))
            self._rewatch()

    def watched(self) -> list[str]:
        return self._watcher.files() + self._watcher.directories()

    def _rewatch(self) -> None:
        """Watch the file now at the path (after a replace, a new inode)."""
        path = self.document.path
        if path is None:
            return
        if str(path) in self._watcher.files():
            self._watcher.removePath(str(path))
        if path.is_file():
            self._watcher.addPath(str(path))

    def _notified(self, _path: str) -> None:
        self._timer.start()  # restarts: one look per burst

    def check(self) -> None:
        """Look at the file; if someone else changed its bytes, ask what to do."""
        path = self.document.path
        if path is None or self._asking or self._closed:
            return
        self._rewatch()
        now = file_digest(path)
        if now is None:
            self.checked.emit("gone")
            return
        if now in (self.document.disk_digest, self._dismissed):
            self.checked.emit("same")
            return
        self.checked.emit(self._ask(now))
        self._timer.start()  # it may have changed again while the question was open

    def _ask(self, now: str) -> str:
        path = self.document.path
        assert path is not None
        self._asking = True
        try:
            answer = self.prompts.file_changed(path.name, self.document.modified)
        finally:
            self._asking = False
        if answer == "reload":
            if not self.files.open(path, ask=False):
                self._dismissed = now  # it does not load: keep ours, and say so once
            return answer
        # Keep ours: it now differs from the disk, so it is unsaved; saving will not ask again.
        self.document.disk_digest = now
        self.document.mark_modified()
        return "keep"

