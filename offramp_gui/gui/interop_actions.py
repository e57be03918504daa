"""File > Import… and File > Export Data…: other tools' formats, through `interop`.

`install(window)` adds both actions to the window's File menu. An import opens the
converted tree as a new, unsaved document (after the usual question about unsaved
changes) and shows, in plain text, everything that was approximated or not kept.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QMessageBox, QWidget

from .. import interop
from ..interop import ConversionError, Report
from .text import shown

if TYPE_CHECKING:
    from .main_window import MainWindow

IMPORT_FILTER = ("SilverDecisions files (*.json);;Gambit games (*.efg);;"
                 "All files (*)")
EXPORT_FILTERS = {"GraphML (*.graphml)": ".graphml", "Graphviz DOT (*.dot)": ".dot",
                  "CSV table, one row per node (*.csv)": ".csv",
                  "Gambit game (*.efg)": ".efg"}
MAX_LINES = 15
_IMPORT_FORMATS = {".efg": "gambit", ".json": "silverdecisions"}


class InteropPrompts:
    """The dialogs of import and export; tests replace these methods."""

    def __init__(self, parent: QWidget):
        self.parent = parent

    def import_path(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self.parent, "Import a tree", "",
                                              IMPORT_FILTER)
        return Path(name) if name else None

    def export_path(self, suggestion: str) -> Path | None:
        name, chosen = QFileDialog.getSaveFileName(self.parent, "Export data", suggestion,
                                                   ";;".join(EXPORT_FILTERS))
        if not name:
            return None
        path = Path(name)
        return path if path.suffix else path.with_suffix(EXPORT_FILTERS.get(chosen, ".csv"))

    def tree_number(self, count: int) -> int | None:
        """Which of `count` trees to import (1-based), or None to cancel."""
        number, ok = QInputDialog.getInt(self.parent, "Import a tree",
                                         f"This file holds {count} trees. Import tree:",
                                         1, 1, count)
        return number if ok else None

    def report(self, title: str, text: str) -> None:
        self._box(QMessageBox.Icon.Information, title, text)

    def error(self, title: str, text: str) -> None:
        self._box(QMessageBox.Icon.Warning, title, text)

    def _box(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        lines = text.splitlines()
        shown_lines = [shown(line, 300) for line in lines[:MAX_LINES]]
        if len(lines) > MAX_LINES:
            shown_lines.append(f"… and {len(lines) - MAX_LINES} more (Show Details)")
        box = QMessageBox(icon, title, "\n".join(shown_lines), QMessageBox.StandardButton.Ok,
                          self.parent)
        box.setTextFormat(Qt.TextFormat.PlainText)  # file contents are never rich text
        if len(lines) > MAX_LINES:
            box.setDetailedText(text)
        box.exec()


class InteropActions:
    def __init__(self, window: MainWindow):
        self.window = window
        self.prompts = InteropPrompts(window)
        self.import_action = QAction("&Import…", window)
        self.import_action.setStatusTip("Open a SilverDecisions file or a Gambit game as a"
                                        " new tree")
        self.import_action.triggered.connect(self.import_dialog)
        self.export_action = QAction("Export &Data…", window)
        self.export_action.setStatusTip("Write the tree and its results as GraphML, DOT,"
                                        " CSV or a Gambit game")
        self.export_action.triggered.connect(self.export_dialog)

    # ---- import ---------------------------------------------------------------------
    def import_dialog(self) -> bool:
        path = self.prompts.import_path()
        return path is not None and self.import_file(path)

    def import_file(self, path: Path) -> bool:
        """Convert `path` and show it as a new untitled document; False if nothing changed."""
        fmt = _IMPORT_FORMATS.get(path.suffix.lower())
        index = self._tree_index(path, fmt)
        if index is None or not self.window.files.may_discard():
            return False
        try:
            tree, report = interop.read(path, _format_for(path, fmt), index)
        except ConversionError as error:
            self.prompts.error("Cannot import", f"{path.name} cannot be imported.\n"
                               + "\n".join(error.problems))
            return False
        document = self.window.document
        document.replace_tree(tree, None)
        if hasattr(document, "mark_modified"):
            document.mark_modified()  # an import is a new document that was never saved
        self._show(f"Imported {path.name}", report)
        return True

    def _tree_index(self, path: Path, fmt: str | None) -> int | None:
        if _format_for(path, fmt) != "silverdecisions":
            return 0
        from ..interop.silverdecisions import load_document, trees_of
        try:
            count = len(trees_of(load_document(path)))
        except ConversionError:
            return 0  # the import itself says what is wrong
        if count <= 1:
            return 0
        number = self.prompts.tree_number(count)
        return None if number is None else number - 1

    # ---- export ---------------------------------------------------------------------
    def export_dialog(self) -> bool:
        document = self.window.document
        stem = Path(document.path).stem if document.path else "tree"
        path = self.prompts.export_path(stem + ".csv")
        return path is not None and self.export_file(path)

    def export_file(self, path: Path) -> bool:
        try:
            report = interop.write(self.window.document.tree, path)
        except ConversionError as error:
            self.prompts.error("Cannot export", f"{path.name} was not written.\n"
                               + "\n".join(error.problems))
            return False
        self._show(f"Exported {path.name}", report)
        return True

    def _show(self, title: str, report: Report) -> None:
        losses = [f"Approximated: {line}" for line in report.approximated] + [
            f"Not kept: {line}" for line in report.dropped]
        self.window.statusBar().showMessage(title, 4000)
        if losses:
            self.prompts.report(title, f"{title}.\n" + "\n".join(report.converted + losses))


def _format_for(path: Path, fmt: str | None) -> str | None:
    """A .json file is SilverDecisions unless it is offramp's own (read either way)."""
    if fmt == "silverdecisions" and not interop.is_silverdecisions(path):
        return None  # let `read` decide: offramp's own format, or a clear refusal
    return fmt


def install(window: MainWindow) -> InteropActions:
    """Add Import… and Export Data… to the File menu of `window`."""
    actions = InteropActions(window)
    menu = _file_menu(window)
    entries = menu.actions()
    after_open = _after(entries, window.recent_menu.menuAction())
    menu.insertAction(after_open, actions.import_action)
    menu.insertAction(_after(menu.actions(), window.actions["export"]), actions.export_action)
    window.interop_actions = actions  # type: ignore[attr-defined]
    return actions


def _file_menu(window: MainWindow) -> QMenu:
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and action.text().replace("&", "") == "File":
            return menu
    raise LookupError("the window has no File menu")


def _after(entries: list[QAction], anchor: QAction) -> QAction | None:
    """The entry just after `anchor`, before which a new action goes; None: at the end."""
    if anchor not in entries:
        return None
    position = entries.index(anchor) + 1
    return entries[position] if position < len(entries) else None
