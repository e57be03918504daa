"""ScenariosPanel: the tree's named scenarios, to add, apply, rename, annotate, copy and
delete (docs/format.md, "Scenarios and what-if values").

A line per scenario (its name, how many values it sets, its note), the one the values
now equal in bold, and above them what the values now are: the base case, a scenario,
or what-if values of none. Below, the values the selected scenario sets beside their
base values. Every change is one undo step; applying one is too. (A "Compare…" button
belongs beside Apply once the scenarios can be compared side by side.)
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...analysis.scenarios import BASE_CASE
from ...model.events import TreeChange
from ...model.scenarios import Scenario, Values, weight_label
from ..model_edits import EditRefused, quoted
from ..prompts import Prompts
from ..text import shown, shown_line, tooltip
from .base_case import VALUE_FIELDS, muted
from .fields import number_text, plain_label

if TYPE_CHECKING:
    from ..document import DocumentController

#: Settings whose change may change what the panel shows.
WATCHED = VALUE_FIELDS | {"scenarios", "criteria"}
NO_SCENARIOS = ("No scenarios yet. Move the sliders of the Variables and Weights panels"
                " to one view's values, then Add… keeps them under a name.")
NAME, SETS, NOTE = range(3)
#: Scenarios the list has room for before it scrolls, unless the panel is given more.
LIST_ROWS = 5
#: The list's keys that act on the selected scenario, before the window's shortcuts.
_KEYS = {Qt.Key.Key_F2, Qt.Key.Key_Delete, Qt.Key.Key_Return, Qt.Key.Key_Enter}


def values_text(count: int) -> str:
    return f"{count} value{'s' * (count != 1)}"


class _Keys(QObject):
    """F2, Delete and Enter on the list act on its scenario, not on the canvas's node
    (the window's Rename Branch and Delete Branch take those keys)."""

    def __init__(self, panel: ScenariosPanel):
        super().__init__(panel)
        self._panel = panel

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(event, QKeyEvent) or event.key() not in _KEYS \
                or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()  # the key press comes to the list instead
            return True
        if event.type() != QEvent.Type.KeyPress or self._panel.selected() is None:
            return False
        if event.key() == Qt.Key.Key_F2:
            self._panel.rename()
        elif event.key() == Qt.Key.Key_Delete:
            self._panel.delete()
        else:
            self._panel.apply()
        return True


class _List(QTreeWidget):
    """The list of scenarios, asking for room for a few (a tree has a handful; the
    values below need the rest)."""

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        rows = self.fontMetrics().height() + 6
        return QSize(hint.width(), self.header().sizeHint().height() + LIST_ROWS * rows)


class ScenariosPanel(QWidget):
    """The document's scenarios and the values now."""

    def __init__(self, document: DocumentController, prompts: Prompts,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.document, self.prompts = document, prompts
        self.edits = document.scenario_edit
        #: What the list shows: each scenario's name, note and count, and the one now.
        self._shown: tuple = ()
        self.now = plain_label()
        self.now.setObjectName("scenario-now")
        self.now.setWordWrap(True)
        font = self.now.font()
        font.setBold(True)
        self.now.setFont(font)
        self.empty = muted(plain_label(NO_SCENARIOS))
        self.empty.setWordWrap(True)
        self.list = _List(objectName="scenario-list")
        self.list.setColumnCount(3)
        self.list.setHeaderLabels(["Scenario", "Sets", "Note"])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.list.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(SETS, QHeaderView.ResizeMode.ResizeToContents)
        self.list.setColumnWidth(NAME, 120)
        self.list.installEventFilter(_Keys(self))
        self.list.itemDoubleClicked.connect(lambda _item, _column: self.apply())
        self.list.currentItemChanged.connect(lambda _new, _old: self._show_selected())
        self.buttons = {name: QPushButton(text, objectName=f"scenario-{name}")
                        for name, text in (("add", "Add…"), ("apply", "Apply"),
                                           ("rename", "Rename…"), ("note", "Note…"),
                                           ("duplicate", "Duplicate"), ("delete", "Delete"))}
        tips = {"add": "Keep the values now, those that differ from the base case, as a"
                       " scenario",
                "apply": "Set the scenario's values, and every other value back to its base"
                         " (Enter, or a double-click)",
                "rename": "Give the scenario another name (F2)",
                "note": "Say in a sentence or two whose view the scenario is, and why",
                "duplicate": "Make a copy of the scenario, to change it",
                "delete": "Delete the scenario (Del; Edit > Undo brings it back)"}
        for name, button in self.buttons.items():
            button.setToolTip(tips[name])
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            button.clicked.connect(getattr(self, name))
        self.detail = plain_label()
        self.detail.setObjectName("scenario-detail")
        self.detail.setWordWrap(True)
        self.table = QTableWidget(0, 3, objectName="scenario-values")
        self.table.setHorizontalHeaderLabels(["Value of", "Scenario", "Base"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        columns = self.table.horizontalHeader()
        columns.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            columns.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self._build_layout()
        document.document_reset.connect(self.refresh)
        document.tree_changed.connect(self._on_tree_changed)
        self.refresh()

    def _build_layout(self) -> None:
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        for index, name in enumerate(("add", "apply", "rename", "note", "duplicate", "delete")):
            grid.addWidget(self.buttons[name], index // 3, index % 3)
        top = QWidget()
        column = QVBoxLayout(top)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.now)
        column.addWidget(self.empty)
        column.addWidget(self.list, 1)
        column.addLayout(grid)
        bottom = QWidget()
        column = QVBoxLayout(bottom)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.detail)
        column.addWidget(self.table, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(top)
        split.addWidget(bottom)
        # The list shares the room with the values: a tree may hold many scenarios.
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    # ---- model -> widgets -------------------------------------------------------------
    def _on_tree_changed(self, change: TreeChange) -> None:
        if change.fields & WATCHED:
            self.refresh()

    def selected(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else item.data(NAME, Qt.ItemDataRole.UserRole)

    def select(self, name: str | None) -> None:
        for row in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(row)
            if item.data(NAME, Qt.ItemDataRole.UserRole) == name:
                self.list.setCurrentItem(item)
                return

    def refresh(self) -> None:
        scenarios = self.edits.scenarios()
        now = self.edits.now()
        state = ([(s.name, s.note, s.values.count()) for s in scenarios], now)
        if state != self._shown:  # (not at each step of a drag)
            self._shown = state
            self._fill(scenarios, now)
        differing = self.edits.differing().count()
        if now == BASE_CASE:
            self.now.setText("Now: the base case")
        elif now is not None:
            self.now.setText(f"Now: {shown_line(now, 200)}")
        else:
            self.now.setText(f"Now: what-if values ({values_text(differing)}"
                             f" differ{'s' * (differing == 1)} from the base case)")
        self.empty.setVisible(not scenarios)
        self.list.setVisible(bool(scenarios))
        self._show_selected()

    def _fill(self, scenarios: list[Scenario], now: str | None) -> None:
        """The list afresh, the same scenario selected (or the one now in its row)."""
        keep = self.selected()
        current = self.list.currentItem()
        row = self.list.indexOfTopLevelItem(current) if current is not None else 0
        self.list.blockSignals(True)
        self.list.clear()
        for scenario in scenarios:
            self.list.addTopLevelItem(self._item(scenario, scenario.name == now))
        self.list.blockSignals(False)
        names = [s.name for s in scenarios]
        if keep in names:
            self.select(keep)
        elif scenarios:
            self.list.setCurrentItem(self.list.topLevelItem(min(max(row, 0), len(names) - 1)))

    def _item(self, scenario: Scenario, applied: bool) -> QTreeWidgetItem:
        count = scenario.values.count()
        item = QTreeWidgetItem([shown_line(scenario.name, 200), str(count),
                                shown_line(scenario.note, 300)])
        item.setData(NAME, Qt.ItemDataRole.UserRole, scenario.name)
        item.setTextAlignment(SETS, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        item.setToolTip(NAME, tooltip(scenario.name, scenario.note,
                                      "The values now are this scenario's" if applied else ""))
        item.setToolTip(SETS, f"Sets {values_text(count)}; the others keep their base values")
        item.setToolTip(NOTE, tooltip(scenario.note))
        if applied:
            font = item.font(NAME)
            font.setBold(True)
            for column in range(3):
                item.setFont(column, font)
        return item

    def _show_selected(self) -> None:
        name = self.selected()
        for button in ("apply", "rename", "note", "duplicate", "delete"):
            self.buttons[button].setEnabled(name is not None)
        if name is None:
            self.detail.setText("")
            self.detail.setVisible(False)
            self.table.setVisible(False)
            return
        scenario = self.edits.scenario(name)
        rows = self._rows(scenario.values)
        sets = (f"“{shown_line(name, 200)}” sets {values_text(len(rows))}; the others keep"
                " their base values." if rows else
                f"“{shown_line(name, 200)}” sets nothing: it is the base case.")
        self.detail.setText(sets + (f"\n{shown(scenario.note, 1000)}" if scenario.note else ""))
        self.detail.setVisible(True)
        self.table.setVisible(bool(rows))
        self.table.setRowCount(len(rows))
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(tooltip(text))
                if column:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, cell)

    def _rows(self, values: Values) -> list[tuple[str, str, str]]:
        """(what, the scenario's value, its base value) for each value it sets."""
        tree = self.document.tree
        base = self.edits.base()
        rows = [(name, number_text(value), number_text(base.variables.get(name)))
                for name, value in values.variables.items()]
        for player, weights in values.weights.items():
            for criterion, weight in weights.items():
                rows.append((weight_label(tree, player, criterion), number_text(weight),
                             number_text(base.weights.get(player, {}).get(criterion, 0))))
        return rows

    # ---- gestures ---------------------------------------------------------------------
    def add(self) -> None:
        taken = {s.name for s in self.edits.scenarios()}
        number = len(taken) + 1
        while f"Scenario {number}" in taken:
            number += 1
        differing = self.edits.differing().count()
        keeps = (f"It keeps the {values_text(differing)} that differ from the base case now."
                 if differing else "No value differs from the base case now: it will be the"
                 " base case.")
        name = self.prompts.text("scenario-name", "Add Scenario",
                                 f"Name of the new scenario. {keeps}", f"Scenario {number}")
        if name is None:
            return
        try:
            added = self.edits.add(name)
        except EditRefused as why:
            self.prompts.error("Add scenario", str(why))
            return
        self.select(added)

    def apply(self) -> None:
        name = self.selected()
        if name is not None:
            self.edits.apply(name)

    def rename(self) -> None:
        old = self.selected()
        if old is None:
            return
        new = self.prompts.text("scenario-name", "Rename Scenario",
                                f"New name of scenario {quoted(old)}:", old)
        if new is None:
            return
        try:
            self.edits.rename(old, new)
        except EditRefused as why:
            self.prompts.error("Rename scenario", str(why))
            return
        self.select(new.strip())

    def note(self) -> None:
        name = self.selected()
        if name is None:
            return
        note = self.prompts.text("scenario-note", "Scenario Note",
                                 f"Whose view is {quoted(name)}, and why?",
                                 self.edits.scenario(name).note or "")
        if note is not None:
            self.edits.set_note(name, note)

    def duplicate(self) -> None:
        name = self.selected()
        if name is None:
            return
        try:
            copied = self.edits.duplicate(name)
        except EditRefused as why:
            self.prompts.error("Duplicate scenario", str(why))
            return
        self.select(copied)

    def delete(self) -> None:
        name = self.selected()
        if name is not None:
            self.edits.delete(name)
