"""Every modal question and message of the app, behind one interface.

Features and panels are handed a `Prompts` and never open a dialog themselves. The
primitives (`ask`, `number`, `text`, `tick`, `choose`, `error`, `inform`, `open_path`,
`save_path`, `run`)
are the
only methods that show anything; the app's own questions (`save_changes`, `recover`, ...)
are worded here once, on top of them. Tests give the window a fake that overrides the
primitives alone, so the real wording runs in every test. Text from a file is always
shown as plain text, shortened, never as rich text.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from .text import shown, tooltip

TREE_FILTERS = {".json": "offramp trees (*.json)"}
#: Lines of a report shown before the rest goes under Show Details.
MAX_LINES = 15
_PLAIN = Qt.TextFormat.PlainText
_FOLDERS = "last-folders"
#: Room for the names and the other columns of the file list, within the screen.
_FILE_DIALOG_SIZE = (900, 600)
_ICONS = {"question": QMessageBox.Icon.Question, "warning": QMessageBox.Icon.Warning,
          "information": QMessageBox.Icon.Information}


class Prompts:
    def __init__(self, parent: QWidget | None = None):
        self.parent = parent

    # ---- primitives -------------------------------------------------------------------
    def ask(self, key: str, title: str, text: str, choices: list[tuple[str, str]],
            icon: str = "question") -> str:
        """One button per (label, answer); the first is the default, and closing the box
        (Escape) picks the last. `key` names the question for tests."""
        box = QMessageBox(_ICONS[icon], title, text, QMessageBox.StandardButton.NoButton,
                          self.parent)
        box.setTextFormat(_PLAIN)
        roles = [QMessageBox.ButtonRole.AcceptRole] + [QMessageBox.ButtonRole.ActionRole] * (
            len(choices) - 2) + [QMessageBox.ButtonRole.RejectRole]
        buttons = {box.addButton(label, role): answer
                   for (label, answer), role in zip(choices, roles, strict=True)}
        box.setDefaultButton(list(buttons)[0])
        box.setEscapeButton(list(buttons)[-1])
        box.exec()
        return buttons.get(box.clickedButton(), choices[-1][1])

    def number(self, key: str, title: str, label: str, value: int, low: int,
               high: int) -> int | None:
        """A whole number in [low, high], or None when cancelled."""
        number, ok = QInputDialog.getInt(self.parent, title, label, value, low, high)
        return number if ok else None

    def choose(self, key: str, title: str, text: str,
               options: list[tuple[str, str]]) -> int | None:
        """The index of one of `options` (a name and a line describing it), or None when
        cancelled. A double-click chooses too."""
        dialog = _ChoiceDialog(self.parent, title, text, options)
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def text(self, key: str, title: str, label: str, value: str = "") -> str | None:
        """A line of text, or None when cancelled."""
        answer, ok = QInputDialog.getText(self.parent, title, label, text=value)
        return answer if ok else None

    def tick(self, key: str, title: str, text: str, options: list[str],
             ticked: list[str]) -> list[str] | None:
        """The options the user leaves ticked (in their order), or None when cancelled."""
        dialog = _TickDialog(self.parent, title, text, options, ticked)
        return dialog.ticked() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def error(self, title: str, text: str, details: str = "") -> None:
        box = QMessageBox(QMessageBox.Icon.Critical, title, shown(text, 500),
                          QMessageBox.StandardButton.Ok, self.parent)
        box.setTextFormat(_PLAIN)
        if details:
            box.setDetailedText(details)
            box.setInformativeText(shown(details.splitlines()[0], 300))
        box.exec()

    def inform(self, title: str, text: str, icon: str = "information") -> None:
        """A report of many lines: the first few shown, all of them under Show Details."""
        lines = text.splitlines()
        visible = [shown(line, 300) for line in lines[:MAX_LINES]]
        if len(lines) > MAX_LINES:
            visible.append(f"… and {len(lines) - MAX_LINES} more (Show Details)")
        box = QMessageBox(_ICONS[icon], title, "\n".join(visible),
                          QMessageBox.StandardButton.Ok, self.parent)
        box.setTextFormat(_PLAIN)
        if len(lines) > MAX_LINES:
            box.setDetailedText(text)
        box.exec()

    def open_path(self, key: str, title: str, folder: str, filters: str) -> Path | None:
        dialog = _file_dialog(self.parent, title, self.start_folder(key, folder), filters)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return None
        path = Path(dialog.selectedFiles()[0])
        self.remember_folder(key, path.parent)
        return path

    def save_path(self, key: str, title: str, suggestion: Path, filters: dict[str, str],
                  strict_suffix: bool = False) -> Path | None:
        """A path to write, its suffix one of `filters` (suffix -> filter text): a name
        without one gets the chosen filter's; with `strict_suffix` any other suffix too."""
        chosen = filters.get(suggestion.suffix.lower(), next(iter(filters.values())))
        start = Path(self.start_folder(key, suggestion.parent)) / suggestion.name
        dialog = _file_dialog(self.parent, title, str(start), ";;".join(filters.values()))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.selectNameFilter(chosen)
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return None
        path = with_suffix(Path(dialog.selectedFiles()[0]), filters,
                           dialog.selectedNameFilter(), strict_suffix)
        self.remember_folder(key, path.parent)
        return path

    def start_folder(self, key: str, suggested: str | Path) -> str:
        """Where a file dialog of kind `key` (open, import, export-image…) starts: the
        folder the caller names (the document's own), or, when it names none or just the
        home folder, the folder last used for that kind of file."""
        folder = Path(suggested) if str(suggested) not in ("", ".") else None
        if folder is not None and folder.is_absolute() and folder != Path.home():
            return str(folder)
        last = self.last_folder(key)
        return str(last if last is not None else folder or Path.home())

    def last_folder(self, key: str) -> Path | None:
        """The folder a file of kind `key` was last read from or written to, if it exists."""
        value = QSettings().value(f"{_FOLDERS}/{key}")
        return Path(value) if isinstance(value, str) and Path(value).is_dir() else None

    def remember_folder(self, key: str, folder: Path) -> None:
        QSettings().setValue(f"{_FOLDERS}/{key}", str(folder))

    def run(self, make_dialog: Callable[[QWidget | None], QDialog]) -> int:
        """Show a dialog of the app's own (Export Image, Preferences) and wait for it."""
        return make_dialog(self.parent).exec()

    # ---- the app's questions ----------------------------------------------------------
    def save_changes(self, name: str) -> str:
        """'save', 'discard' or 'cancel', before a document with changes is closed."""
        return self.ask("save-changes", "Unsaved changes",
                        f"Save the changes to {shown(name, 200)} before closing it?",
                        [("Save", "save"), ("Discard", "discard"), ("Cancel", "cancel")],
                        icon="warning")

    def discard_changes(self, name: str) -> bool:
        """File > Revert: throw away the changes and read the file again?"""
        return self.ask("revert", "Revert to saved",
                        f"Discard your changes to {shown(name, 200)}?",
                        [("Discard", "discard"), ("Cancel", "cancel")],
                        icon="warning") == "discard"

    def overwrite_changed(self, name: str) -> bool:
        """The file changed on disk since it was read: write over it anyway?"""
        text = (f"{shown(name, 200)} was changed on disk by another program since you"
                " opened it. Save your version over it?")
        return self.ask("overwrite-changed", "File changed on disk", text,
                        [("Save Over It", "yes"), ("Cancel", "no")]) == "yes"

    def save_with_problems(self, name: str, count: int, first: str) -> bool:
        """The tree has `count` problems, `first` the first of them: save it anyway?"""
        text = (f"{shown(name, 200)} has {count} problem{'s' * (count != 1)} (first:"
                f" {shown(first, 300)}). Save anyway?")
        return self.ask("save-with-problems", "The tree has problems", text,
                        [("Save Anyway", "save"), ("Cancel", "cancel")],
                        icon="warning") == "save"

    def file_changed(self, name: str, modified: bool) -> str:
        """'reload' or 'keep': the open file changed on disk."""
        text = f"{shown(name, 200)} was changed on disk by another program."
        if modified:
            text += " Reloading it discards your unsaved changes."
        return self.ask("file-changed", "File changed on disk", text,
                        [("Reload", "reload"), ("Keep My Version", "keep")])

    def recover(self, name: str, when: str, problem: str = "", note: str = "") -> str:
        """'restore', 'discard' or 'later' for a document left by a crash; `note` says
        where it would save, when that is not simply its file."""
        if problem:
            text = (f"A recovered copy of {shown(name, 200)} (saved {when}) cannot be"
                    f" read: {shown(problem, 300)}")
            return self.ask("recover", "Recovered document", text,
                            [("Discard", "discard"), ("Decide Later", "later")])
        text = (f"offramp did not close properly. A recovered copy of {shown(name, 200)}"
                f" from {when} holds changes that were not saved.")
        if note:
            text += f"\n\n{shown(note, 600)}"
        return self.ask("recover", "Recovered document", text, [
            ("Restore", "restore"), ("Discard", "discard"), ("Decide Later", "later")])

    def delete_in_use(self, thing: str, places: list[str], consequence: str) -> bool:
        """`thing` ("the player “East”") is used at `places` (node labels, other
        variables): delete it anyway, `consequence` saying what becomes of them?"""
        listed = ", ".join(shown(place, 80) for place in places[:10])
        if len(places) > 10:
            listed += f" and {len(places) - 10} more"
        text = (f"{shown(thing, 200)} is used at: {listed}. Deleting it {consequence}.")
        return self.ask("delete-in-use", "Still in use", text,
                        [("Delete Anyway", "delete"), ("Cancel", "cancel")],
                        icon="warning") == "delete"


class _ChoiceDialog(QDialog):
    """A list of named options, each with a line of description under its name."""

    def __init__(self, parent: QWidget | None, title: str, text: str,
                 options: list[tuple[str, str]]):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        for name, line in options:
            item = QListWidgetItem(f"{shown(name, 200)}\n{shown(line, 300)}" if line
                                   else shown(name, 200))
            item.setToolTip(tooltip(name, line))
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(self.accept)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        label = QLabel(text, self)
        label.setTextFormat(_PLAIN)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(560, 380)

    def chosen(self) -> int | None:
        row = self.list.currentRow()
        return row if row >= 0 else None


class _TickDialog(QDialog):
    """A list of names, each with a box to tick."""

    def __init__(self, parent: QWidget | None, title: str, text: str, options: list[str],
                 ticked: list[str]):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.list = QListWidget(self)
        for name in options:
            item = QListWidgetItem(shown(name, 200))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in ticked
                               else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self._options = options
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        label = QLabel(text, self)
        label.setTextFormat(_PLAIN)
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(420, 360)

    def ticked(self) -> list[str]:
        return [name for row, name in enumerate(self._options)
                if self.list.item(row).checkState() == Qt.CheckState.Checked]


def with_suffix(path: Path, filters: dict[str, str], used: str, strict: bool) -> Path:
    suffix = next((s for s, text in filters.items() if text == used), next(iter(filters)))
    if not path.suffix or (strict and path.suffix.lower() not in filters):
        return path.with_name(path.name + suffix)
    return path


def _file_dialog(parent: QWidget | None, title: str, start: str, filters: str) -> QFileDialog:
    """A file dialog large enough that names and dates are not clipped."""
    dialog = QFileDialog(parent, title, start, filters)
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    screen = (parent.screen() if parent is not None else dialog.screen()).availableGeometry()
    width = min(_FILE_DIALOG_SIZE[0], round(screen.width() * 0.8))
    dialog.resize(width, min(_FILE_DIALOG_SIZE[1], round(screen.height() * 0.8)))
    files = dialog.findChild(QTreeView, "treeView")  # only in Qt's own dialog, not a native one
    if files is not None:
        files.header().resizeSection(0, width // 2)
    return dialog
