"""The Help menu's dialogs: the Getting Started tour, the keyboard shortcuts and the user
manual. Everything they show is on the machine: no network."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

#: The tour: (title, text) per step.
TOUR = (
    ("Open a tree",
     "offramp starts on the essay's tree, as an untitled copy. File > Open (Ctrl+O) opens a"
     " tree of yours, File > Open Example one of the bundled trees, File > Reference Models"
     " a classic model with its published result, File > New from Template (Ctrl+Shift+N)"
     " a starting point. You can also drop a file on the window."),
    ("Read it",
     "Squares are decisions in their player's colour, circles chance, triangles endings."
     " Under each branch: its probability and the node's value; the branch each decision"
     " takes is bold. Click a node's box to fold it, use the arrow keys to move, the wheel"
     " to zoom, View > Fit to Window (Ctrl+0) to see it all. View > Show Formulas writes out"
     " the expressions."),
    ("Change it",
     "Select a node and edit it in the Properties panel. Insert adds a branch, Ctrl+Insert a"
     " sibling, Delete removes one, F2 renames; drag a node to move its branch, Ctrl-drag to"
     " copy it. Edit > Model… defines the players, criteria, outcomes and variables. Every"
     " change is one step of Edit > Undo (Ctrl+Z)."),
    ("Analyse it",
     "Drag the sliders of the Variables panel, or the weights of the Weights panel: every"
     " value recomputes as you go, and the Outcomes panel compares the alternatives. The"
     " file keeps its base case: Edit > Reset to Base Case (Ctrl+Shift+R) puts it back, and"
     " the Scenarios panel keeps a set of values under a name, to apply again. The"
     " Analysis panel (View > Panels > Analysis) sweeps a variable, maps two, ranks them"
     " (tornado) and follows each across its range (spider), runs a Monte Carlo and"
     " answers \u201cwhat would it take\u201d; right-click"
     " a branch to ask it there. The Explain panel says in words why the selected"
     " decision goes as it does, and what would change it."),
    ("Export and save",
     "File > Save (Ctrl+S) keeps your tree. File > Export Image draws the tree or a branch to"
     " PNG, SVG or PDF; each analysis plot exports its picture and its data as CSV. Help >"
     " Keyboard Shortcuts lists every key, Help > User Manual has the rest, and Help >"
     " What's This (Shift+F1) explains any panel you click."),
)


class TourDialog(QDialog):
    """Help > Getting Started: one step per page, with Back and Next."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Getting Started")
        self.pages = QStackedWidget()
        for number, (title, text) in enumerate(TOUR, 1):
            label = QLabel(f"<h3>{number} of {len(TOUR)}: {title}</h3><p>{text}</p>")
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignTop)
            self.pages.addWidget(label)
        self.back = QPushButton("< &Back")
        self.next = QPushButton("&Next >")
        close = QPushButton("&Close")
        self.back.clicked.connect(lambda: self.show_step(self.pages.currentIndex() - 1))
        self.next.clicked.connect(lambda: self.show_step(self.pages.currentIndex() + 1))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back)
        buttons.addStretch(1)
        buttons.addWidget(self.next)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self.resize(520, 260)
        self.show_step(0)

    def show_step(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.back.setEnabled(index > 0)
        self.next.setEnabled(index < self.pages.count() - 1)
        if not self.next.isEnabled():
            self.back.setFocus()

    def step_text(self) -> str:
        label = self.pages.currentWidget()
        assert isinstance(label, QLabel)
        return label.text()


@dataclass(frozen=True)
class Shortcut:
    command: str
    keys: str
    menu: str


def shortcuts(actions: Iterable[QAction]) -> list[Shortcut]:
    """Every action that has a key, in the window's words: its text without the mnemonic,
    its keys as this platform writes them, and the menu it is in."""
    rows = []
    for action in actions:
        keys = ", ".join(key.toString(QKeySequence.SequenceFormat.NativeText)
                         for key in action.shortcuts())
        if keys:
            rows.append(Shortcut(_plain(action.text()), keys, _menu_path(action)))
    return rows


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(".…")


def _menu_path(action: QAction) -> str:
    """`View > Panels` for an action in a submenu; the first menu that shows it."""
    for owner in action.associatedObjects():
        if isinstance(owner, QMenu) and owner.title():
            parent = _menu_path(owner.menuAction())
            title = _plain(owner.title())
            return f"{parent} > {title}" if parent else title
    return ""


class ShortcutsDialog(QDialog):
    """Help > Keyboard Shortcuts: a table made from the window's actions when it opens."""

    def __init__(self, actions: Mapping[str, QAction], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        rows = shortcuts(actions.values())
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels(["Command", "Keys", "Menu"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, shortcut in enumerate(rows):
            for column, text in enumerate((shortcut.command, shortcut.keys, shortcut.menu)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(560, 520)

    def rows(self) -> list[tuple[str, ...]]:
        return [tuple(self.table.item(row, column).text() for column in range(3))
                for row in range(self.table.rowCount())]


_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")


class ManualDialog(QDialog):
    """Help > User Manual: the manual's pages as Markdown, with their headings as contents.
    Images are left out (the screenshots are not shipped); a link to another page of the
    manual opens it, other links do nothing."""

    def __init__(self, pages: Iterable[tuple[str, Path]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("offramp User Manual")
        self.pages = list(pages)
        self.page = QComboBox()
        self.page.addItems([title for title, _path in self.pages])
        self.contents = QListWidget()
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._follow)
        splitter = QSplitter()
        splitter.addWidget(self.contents)
        splitter.addWidget(self.browser)
        splitter.setSizes([220, 640])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.page)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.page.currentIndexChanged.connect(self.show_page)
        self.contents.currentRowChanged.connect(self.go_to_heading)
        self.resize(900, 680)
        self.show_page(0)

    def show_page(self, index: int) -> None:
        _title, path = self.pages[index]
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            text = f"This page of the manual cannot be read: {path} ({error.strerror})."
        self.browser.setMarkdown(_IMAGE.sub(lambda m: m.group(1), text))
        self._headings = [block for block in _blocks(self.browser)
                          if block.blockFormat().headingLevel() > 0]
        self.contents.blockSignals(True)
        self.contents.clear()
        for block in self._headings:
            indent = "    " * (block.blockFormat().headingLevel() - 1)
            self.contents.addItem(indent + block.text())
        self.contents.blockSignals(False)

    def headings(self) -> list[str]:
        return [block.text() for block in self._headings]

    def go_to_heading(self, row: int) -> None:
        if 0 <= row < len(self._headings):
            cursor = QTextCursor(self._headings[row])
            self.browser.moveCursor(QTextCursor.MoveOperation.End)  # the heading at the top
            self.browser.setTextCursor(cursor)
            self.browser.ensureCursorVisible()

    def _follow(self, url: QUrl) -> None:
        name = Path(url.path()).name
        for index, (_title, path) in enumerate(self.pages):
            if path.name == name:
                self.page.setCurrentIndex(index)


def _blocks(browser: QTextBrowser) -> list:
    block, blocks = browser.document().begin(), []
    while block.isValid():
        blocks.append(block)
        block = block.next()
    return blocks

