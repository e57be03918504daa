"""The file service: New, Open, Save, Save As, Revert, the recent files, and the
questions they ask. Features that open or save (File, Import, the disk watch, crash
recovery) share this one object; it knows nothing of the window.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from ..fileformat.atomic import SaveError
from ..model.issues import TreeFormatError
from .document import DocumentController, new_tree
from .prompts import TREE_FILTERS, Prompts
from .status import StatusLine

OPEN_FILTER = "offramp trees (*.json);;All files (*)"
MAX_RECENT = 8


class FileService:
    def __init__(self, document: DocumentController, prompts: Prompts, status: StatusLine):
        self.document = document
        self.prompts = prompts
        self.status = status

    def display_name(self) -> str:
        path = self.document.path
        return path.name if path else "Untitled"

    def new(self) -> bool:
        if not self.may_discard():
            return False
        self.document.replace_tree(new_tree(), None)
        return True

    def open_dialog(self) -> bool:
        folder = str(self.document.path.parent) if self.document.path else ""
        path = self.prompts.open_path("open", "Open tree", folder, OPEN_FILTER)
        return self.open(path) if path else False

    def open(self, path: Path, ask: bool = True, as_copy: bool = False) -> bool:
        """Open `path`; an invalid file opens nothing and its problems are shown.

        `as_copy` opens it untitled (the bundled trees): Save then asks where to keep
        the user's copy rather than writing over the original.
        """
        if ask and not self.may_discard():
            return False
        try:
            self.document.open(Path(path))
        except TreeFormatError as error:
            lines = error.lines() or [f"{path}: cannot be opened"]
            count = len(error.issues)
            self.prompts.error("Cannot open the tree",
                               f"{Path(path).name} has {count} problem{'s' * (count != 1)}"
                               " and was not opened.", "\n".join(lines))
            return False
        if as_copy:
            self.document.replace_tree(self.document.tree, None)
        else:
            self.remember(Path(path))
        self.status.show(f"Opened {Path(path).name}", 4000)
        return True

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self._write(self.document.path)

    def save_as(self) -> bool:
        document = self.document
        suggestion = document.path or document.suggested_path or Path.home() / "tree.json"
        path = self.prompts.save_path("save", "Save tree as", suggestion, TREE_FILTERS)
        return self._write(path) if path else False

    def revert(self) -> bool:
        path = self.document.path
        if path is None or not self.document.modified:
            return False
        if self.prompts.save_changes(path.name) != "discard":
            return False
        return self.open(path, ask=False)

    def _write(self, path: Path) -> bool:
        if self.document.changed_on_disk(path) and not self.prompts.overwrite_changed(
                path.name):
            return False
        try:
            self.document.save(path)
        except (SaveError, OSError) as error:
            self.prompts.error("Cannot save the tree", f"{path.name} was not saved.",
                               str(error))
            return False
        self.remember(path)
        self.status.show(f"Saved {path.name}", 4000)
        return True

    def may_discard(self) -> bool:
        """True when the document can be replaced: saved, discarded, or unchanged."""
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
