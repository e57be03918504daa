"""File actions: New, Open, Open Recent, Save, Save As, Revert, and the questions they ask.

Questions and messages go through `Prompts`, so tests can answer them; the questions of
crash recovery and of a file changed on disk are asked here too.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ..fileformat.atomic import SaveError
from ..model.issues import TreeFormatError
from .document import new_tree
from .text import shown

if TYPE_CHECKING:
    from .main_window import MainWindow

FILTER = "offramp trees (*.json);;All files (*)"
MAX_RECENT = 8
_PLAIN = Qt.TextFormat.PlainText


class Prompts:
    """The dialogs file actions need; tests replace these methods."""

    def __init__(self, parent: QWidget):
        self.parent = parent

    def save_changes(self, name: str) -> str:
        """'save', 'discard' or 'cancel'."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Unsaved changes",
                          f"Save the changes to {shown(name, 200)} before closing it?",
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self.parent)
        box.setTextFormat(_PLAIN)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        return {QMessageBox.StandardButton.Save: "save",
                QMessageBox.StandardButton.Discard: "discard"}.get(
            QMessageBox.StandardButton(answer), "cancel")

    def error(self, title: str, text: str, details: str = "") -> None:
        box = QMessageBox(QMessageBox.Icon.Critical, title, shown(text, 500),
                          QMessageBox.StandardButton.Ok, self.parent)
        box.setTextFormat(_PLAIN)
        if details:
            box.setDetailedText(details)
            box.setInformativeText(shown(details.splitlines()[0], 300))
        box.exec()

    def overwrite_changed(self, name: str) -> bool:
        """The file changed on disk since it was read: write over it anyway?"""
        text = (f"{shown(name, 200)} was changed on disk by another program since you"
                " opened it. Save your version over it?")
        return self._ask("File changed on disk", text, [("Save Over It", "yes"),
                                                        ("Cancel", "no")]) == "yes"

    def file_changed(self, name: str, modified: bool) -> str:
        """'reload' or 'keep': the open file changed on disk."""
        text = f"{shown(name, 200)} was changed on disk by another program."
        if modified:
            text += " Reloading it discards your unsaved changes."
        return self._ask("File changed on disk", text, [("Reload", "reload"),
                                                        ("Keep My Version", "keep")])

    def recover(self, name: str, when: str, problem: str = "") -> str:
        """'restore', 'discard' or 'later' for a document left by a crash."""
        if problem:
            text = (f"A recovered copy of {shown(name, 200)} (saved {when}) cannot be"
                    f" read: {shown(problem, 300)}")
            return self._ask("Recovered document", text, [("Discard", "discard"),
                                                          ("Decide Later", "later")])
        text = (f"offramp did not close properly. A recovered copy of {shown(name, 200)}"
                f" from {when} holds changes that were not saved.")
        return self._ask("Recovered document", text, [
            ("Restore", "restore"), ("Discard", "discard"), ("Decide Later", "later")])

    def _ask(self, title: str, text: str, choices: list[tuple[str, str]]) -> str:
        """A question with one button per choice; closing the box picks the last one."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text,
                          QMessageBox.StandardButton.NoButton, self.parent)
        box.setTextFormat(_PLAIN)
        roles = [QMessageBox.ButtonRole.AcceptRole] + [QMessageBox.ButtonRole.ActionRole] * (
            len(choices) - 2) + [QMessageBox.ButtonRole.RejectRole]
        buttons = {box.addButton(label, role): answer
                   for (label, answer), role in zip(choices, roles, strict=True)}
        box.setEscapeButton(list(buttons)[-1])
        box.exec()
        return buttons.get(box.clickedButton(), choices[-1][1])

    def open_path(self, folder: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self.parent, "Open tree", folder, FILTER)
        return Path(name) if name else None

    def save_path(self, suggestion: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self.parent, "Save tree as", suggestion, FILTER)
        if not name:
            return None
        path = Path(name)
        return path if path.suffix else path.with_suffix(".json")


class FileActions:
    def __init__(self, window: MainWindow):
        self.window = window
        self.prompts = Prompts(window)

    @property
    def document(self):  # noqa: ANN201
        return self.window.document

    def display_name(self) -> str:
        path = self.document.path
        return path.name if path else "Untitled"

    # ---- the actions ----------------------------------------------------------------
    def new(self) -> bool:
        if not self.may_discard():
            return False
        self.document.replace_tree(new_tree(), None)
        self.window.view.fit()
        return True

    def open_dialog(self) -> bool:
        folder = str(self.document.path.parent) if self.document.path else ""
        path = self.prompts.open_path(folder)
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
        self.window.view.fit()
        self.window.statusBar().showMessage(f"Opened {Path(path).name}", 4000)
        return True

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self._write(self.document.path)

    def save_as(self) -> bool:
        suggestion = str(self.document.path or Path.home() / "tree.json")
        path = self.prompts.save_path(suggestion)
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
        self.window.statusBar().showMessage(f"Saved {path.name}", 4000)
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
        self.window.refresh_recent_menu()

