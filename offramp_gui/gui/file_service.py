"""The file service: New, Open, Save, Save As, Revert, the recent files, and the
questions they ask. Features that open or save (File, Import, the disk watch, crash
recovery) share this one object; it knows nothing of the window.

Files open and save on worker threads (`background_save`): the user's gestures return at
once; `open()`, `save()` and the like wait for the outcome (the window repaints but takes
no input), for what needs it (scripts, tests, "save changes?" before closing).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QTimer, Signal

from ..model.issues import TreeFormatError, where_in_words
from .background_save import Cancelled, SaveJob
from .document import DocumentController, OpenJob, new_tree
from .prompts import TREE_FILTERS, Prompts
from .status import FOLDS, PROBLEMS, StatusLine

OPEN_FILTER = "offramp trees (*.json);;All files (*)"
MAX_RECENT = 8
#: A save that takes longer than this (milliseconds) says so in the status line.
PROGRESS_DELAY_MS = 500


class FileService(QObject):
    """Saves run on a worker (`background_save`): File > Save returns at once and the
    document stays editable; `save()` and `save_as()` wait for the outcome (asked to
    save before closing, New or Open), the window painted but taking no input."""

    #: A save ended: True when the file was written (after its error dialog when not).
    save_finished = Signal(bool)

    def __init__(self, document: DocumentController, prompts: Prompts, status: StatusLine):
        super().__init__(document)
        self.document = document
        self.prompts = prompts
        self.status = status
        status.cancel_requested.connect(self.cancel_opening)
        self._job: SaveJob | None = None
        #: Where File > Save asked to save while another save ran: done after it.
        self._again: Path | None = None
        #: The window is gone (or going): no file is opened into it any more.
        self.closed = False

    def display_name(self) -> str:
        path = self.document.path
        return path.name if path else "Untitled"

    def new(self) -> bool:
        if not self.may_discard():
            return False
        self.document.replace_tree(new_tree(), None)
        return True

    def open_dialog(self) -> bool:
        """Ask for a file and open it; return whether it opened (waits for it)."""
        path = self._ask_open_path()
        return self.open(path) if path else False

    def open_dialog_in_background(self) -> None:
        """File > Open: the file is read while the window goes on."""
        path = self._ask_open_path()
        if path:
            self.open_in_background(path)

    def _ask_open_path(self) -> Path | None:
        folder = str(self.document.path.parent) if self.document.path else ""
        return self.prompts.open_path("open", "Open tree", folder, OPEN_FILTER)

    def open(self, path: Path, ask: bool = True, as_copy: bool = False) -> bool:
        """Open `path` and wait for the outcome: return whether it is now shown.

        A file with problems the user can fix here (probabilities that do not add up,
        an undefined variable) opens with them in the Problems panel; one that cannot be
        read as a tree opens nothing, and its problems are shown. `as_copy` opens it
        untitled (the bundled trees): Save then asks where to keep the user's copy
        rather than writing over the original.
        """
        job = self.open_in_background(path, ask, as_copy)
        if job is None:
            return False
        job.wait()
        return job.shown

    def open_in_background(self, path: Path, ask: bool = True,
                           as_copy: bool = False) -> OpenJob | None:
        """Start opening `path` (see `open`) and return at once: the file is read and
        checked on a worker, with its progress and a Cancel button in the status line,
        and shown when it is ready. None when the user kept the tree there is."""
        if self.closed or ask and not self.may_discard():
            return None
        self.finish_saving()  # (Revert, Reload) never read a file we are writing
        path = Path(path)
        job = self.document.start_open(path)
        text = f"Opening {path.name}…"
        self.status.show(text, 0)
        self.status.show_progress(text, 0.0)
        job.progressed.connect(lambda done: self.status.show_progress(text, done))
        job.finished.connect(lambda: self._opened(job, as_copy))
        return job

    @property
    def opening(self) -> bool:
        return self.document.opening is not None

    def close(self) -> None:
        """The window is going: stop the file being opened, and open no other."""
        self.closed = True
        self.cancel_opening()

    def cancel_opening(self) -> None:
        """Stop reading the file being opened: the tree shown stays as it is."""
        job = self.document.opening
        if job is not None:
            job.cancel()

    def finish_opening(self) -> None:
        """Wait until the file being opened is shown (or refused)."""
        while (job := self.document.opening) is not None:
            job.wait()

    def _opened(self, job: OpenJob, as_copy: bool) -> None:
        """The file was read (or not): show it, or say why not."""
        name = job.path.name
        if job.error is None and self.document.revision != job.revision and (
                not self.may_discard()):
            job.cancel()  # edited while the file was read, and the user keeps the edits
        try:
            opened = self.document.take_opened(job, as_copy)
        except Cancelled:
            if self.document.opening is None:  # (else another file is being opened)
                self.status.end_progress()
                self.status.show(f"Did not open {name}", 4000)
            return
        except TreeFormatError as error:
            self.status.end_progress()
            self.status.show("")
            lines = error.lines() or [f"{job.path}: cannot be opened"]
            self.prompts.error("Cannot open the tree",
                               f"{name} has {_problems(len(error.issues))} and was not"
                               " opened.", "\n".join(lines))
            return
        self.status.end_progress()
        job.shown = True
        if not as_copy:
            self.remember(job.path)
        if opened.issues:
            self.status.show(f"Opened {name}, which has {_problems(len(opened.issues))}:"
                             " see the Problems panel", 0, about=PROBLEMS)
        elif opened.folded is not None:
            levels, shown = opened.folded
            self.status.show(f"Opened {name}, folded below level {levels} to fit the"
                             f" screen ({shown:,} of {len(opened.tree):,} nodes shown)", 0,
                             about=FOLDS)
        else:
            self.status.show(f"Opened {name}", 4000)

    def save(self) -> bool:
        """Save, and wait for the outcome."""
        if not self._may_save():
            return False
        if self.document.path is None:
            path = self._ask_path()
            return self._write(path, wait=True) if path else False
        return self._write(self.document.path, wait=True)

    def save_as(self) -> bool:
        path = self._ask_path() if self._may_save() else None
        return self._write(path, wait=True) if path else False

    def save_in_background(self) -> None:
        """File > Save: the file is written while the window goes on."""
        if not self._may_save():
            return
        path = self.document.path or self._ask_path()
        if path:
            self._write(path, wait=False)

    def save_as_in_background(self) -> None:
        path = self._ask_path() if self._may_save() else None
        if path:
            self._write(path, wait=False)

    def _may_save(self) -> bool:
        """A tree with problems is saved only if the user says so (asked before the file
        dialog and the worker): it opens here again, but the command line refuses it."""
        problems = self.document.current_issues()
        if not problems:
            return True
        first = problems[0]
        where = where_in_words(first, self.document.tree)
        return self.prompts.save_with_problems(self.display_name(), len(problems),
                                               f"{where}: {first.message}")

    @property
    def saving(self) -> bool:
        return self._job is not None

    def finish_saving(self) -> None:
        """Wait for the save under way, and for one asked for meanwhile."""
        while self._job is not None:
            self._job.wait()

    def _ask_path(self) -> Path | None:
        document = self.document
        suggestion = document.path or document.suggested_path or Path.home() / "tree.json"
        return self.prompts.save_path("save", "Save tree as", suggestion, TREE_FILTERS)

    def revert(self) -> bool:
        path = self.document.path
        if path is None or not self.document.modified:
            return False
        if not self.prompts.discard_changes(path.name):
            return False
        return self.open(path, ask=False)

    def revert_in_background(self) -> None:
        """File > Revert: the file is read again while the window goes on."""
        path = self.document.path
        if path is not None and self.document.modified and self.prompts.discard_changes(
                path.name):
            self.open_in_background(path, ask=False)

    def _write(self, path: Path, wait: bool) -> bool:
        """Save to `path` from a snapshot of the tree as it is now; with `wait`, return
        whether it was written, else True once it is under way."""
        if self._job is not None:
            if not wait:
                self._again = path  # one save at a time; the next one from a new snapshot
                return True
            self.finish_saving()
        if self.document.changed_on_disk(path) and not self.prompts.overwrite_changed(
                path.name):
            return False
        job = self._job = self.document.start_save(path)
        job.finished.connect(lambda: self._finished(job))
        QTimer.singleShot(PROGRESS_DELAY_MS, lambda: self._show_progress(job))
        if not wait:
            return True
        job.wait()
        return job.error is None

    def _show_progress(self, job: SaveJob) -> None:
        if not job.done:
            self.status.show(f"Saving {job.path.name}…", 0)

    def _finished(self, job: SaveJob) -> None:
        self._job = None
        self.document.saved(job)
        if job.error is not None:
            self.prompts.error("Cannot save the tree", f"{job.path.name} was not saved.",
                               str(job.error))
        else:
            self.remember(job.path)
            self.status.show(f"Saved {job.path.name}", 4000)
        self.save_finished.emit(job.error is None)
        again, self._again = self._again, None
        if again is not None:
            self._write(again, wait=False)

    def may_discard(self) -> bool:
        """True when the document can be replaced: saved, discarded, or unchanged."""
        self.finish_saving()
        if not self.document.modified:
            return True
        answer = self.prompts.save_changes(self.display_name())
        if answer == "save":
            return self.save()
        return answer == "discard"

    # ---- recent files ---------------------------------------------------------------
    def recent(self) -> list[Path]:
        names = QSettings().value("recent-files", [], list) or []
        return [Path(n) for n in names if isinstance(n, str)]

    def remember(self, path: Path) -> None:
        names = [str(path.resolve())] + [str(p) for p in self.recent()
                                          if p != path.resolve()]
        QSettings().setValue("recent-files", names[:MAX_RECENT])


def _problems(count: int) -> str:
    return f"{count} problem{'s' * (count != 1)}"
