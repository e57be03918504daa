"""Autosave and crash recovery: unsaved work is copied aside, and offered back after a crash.

While a window's document has unsaved changes, a `RecoveryManager` writes it every few
seconds (Preferences; 30 by default) to its own file in the recovery folder, never over
the user's file. Saving, New, Open, Revert and closing the window remove that copy, so
what is left in the folder at the next start was left by a crash; `offer_at_start`
offers each to restore, discard or keep for later. See ../recovery_files.py for the files.
"""
from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Mapping

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent

from ...fileformat.atomic import SaveError
from ..contributions import Contributions
from ..document import DocumentController
from ..prompts import Prompts
from ..recovery_files import (
    Entry,
    autosave_seconds,
    left_behind,
    make_lock,
    recovery_folder,
    settings_notice,
    write_recovery,
)
from ..status import StatusLine
from ..view import TreeView

#: Opens another window and returns its features by name.
SpawnWindow = Callable[[], Mapping[str, object]]


class RecoveryManager(QObject):
    """Autosaves one window's document and cleans up after it."""

    name = "recovery"
    #: An autosave was written; carries the recovery file's Path.
    autosaved = Signal(object)

    def __init__(self, document: DocumentController, prompts: Prompts, canvas: TreeView,
                 status: StatusLine, spawn_window: SpawnWindow):
        super().__init__(document)
        self.document = document
        self.prompts = prompts
        self.canvas = canvas
        self.status = status
        self.spawn_window = spawn_window
        self.folder = recovery_folder()
        session = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self.file = self.folder / f"{session}.json"
        self._lock = make_lock(self.folder / f"{session}.lock")
        self._enabled = self._take_lock()
        self._dirty = False
        self._pressed = False
        self._closed = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.tick)
        self._connect()
        self.apply_settings()
        settings_notice.changed.connect(self.apply_settings)

    def contributions(self) -> Contributions:
        return Contributions()

    def _take_lock(self) -> bool:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return False  # no state folder (read-only home): the app runs without autosave
        return self._lock.tryLock(0)

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
        if seconds and self._enabled and not self._closed:
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

    def tick(self) -> None:
        """Write the document if it changed since the last autosave, unless busy."""
        if self._dirty and self.document.modified and not self.busy():
            self.write()

    def write(self) -> bool:
        """Write the recovery file now; a failure is reported in the status bar only."""
        if not self._enabled or self._closed:
            return False
        document = self.document
        try:
            write_recovery(self.file, document.tree, document.path, document.disk_digest)
        except (SaveError, OSError, ValueError) as error:
            self.status.show(f"Autosave failed: {error}", 8000)
            return False
        self._dirty = False
        self.autosaved.emit(self.file)
        return True

    def remove(self) -> None:
        """Delete this window's recovery file (saved, replaced or closed)."""
        self._dirty = False
        with contextlib.suppress(OSError):
            self.file.unlink()

    def _on_change(self, _change: object) -> None:
        self._dirty = True

    def _on_reset(self) -> None:
        self.remove()

    def _on_clean(self, clean: bool) -> None:
        if clean:
            self.remove()
        else:  # unsaved now, even without an edit (kept over a changed file on disk)
            self._dirty = True

    # ---- restoring --------------------------------------------------------------------
    def left_behind(self) -> list[Entry]:
        """Recovery files of windows that did not close, each locked by us until decided."""
        return left_behind(self.folder, self.file) if self._enabled else []

    def restore(self, entry: Entry) -> None:
        """Show a recovered document: unsaved, with its original path, its file ours now."""
        assert entry.tree is not None
        self.document.replace_tree(entry.tree, entry.original, entry.digest)
        self.document.mark_modified()
        try:
            os.replace(entry.file, self.file)
            self._dirty = False  # the file holds exactly this document
        except OSError:
            pass  # our own copy is written at the next tick; the old one stays
        entry.release()
        self.canvas.fit()

    # ---- closing ----------------------------------------------------------------------
    def close(self) -> None:
        """A clean exit: remove the recovery file and the lock."""
        self.remove()
        self.abandon()

    def abandon(self) -> None:
        """Stop and let go of the lock, leaving the recovery file as a crash would."""
        self._closed = True
        self._timer.stop()
        self._lock.unlock()

    def closed(self) -> None:
        self.close()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
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
            answer = self.prompts.recover(entry.name, entry.when, entry.problem)
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
