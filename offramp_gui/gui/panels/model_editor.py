"""The model editor: tabs that define the tree's players, criteria, outcome categories,
variables, and its title, description and sources.

Each tab lists its things (add, move up or down, delete) above a form for the selected
one. Every change is one named undo step (`gui/model_edits.py`); renaming a variable or
an id rewrites every reference to it. The tabs follow the model, so they, the Variables
and Weights panels and the canvas agree after any change, undo or redo.
"""
from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...model.refactor import CRITERION, OUTCOME, PLAYER
from ...model.tree import EXPONENTIAL, LINEAR, PIECEWISE
from ..document import DocumentController
from ..model_edits import EditRefused, ModelEdits, quoted
from ..prompts import Prompts
from .fields import FieldMessage, Refused, number_text, parse_amount, plain_label, value_now
from .model_forms import ItemsTab, attempt, commit_text, optional, show_text
from .tree_editor import TreeTab
from .variable_editor import VariablesTab


class PlayersTab(ItemsTab):
    kind = PLAYER
    watched = frozenset({"players", "criteria", "base_case"})

    def build_form(self) -> None:
        self.name_and_id()
        self.color_row()
        holder = QWidget()
        self.weights_holder = QVBoxLayout(holder)
        self.weights_holder.setContentsMargins(0, 0, 0, 0)
        self.weights_box: QWidget | None = None
        self.form.layout.addRow(plain_label("Weights"), holder)
        self.total = QLabel(objectName="player-weights-total")
        self.normalise_button = QPushButton("Normalise", objectName="player-normalise")
        self.normalise_button.setToolTip("Scale the weights so that they add up to 1 (when"
                                         " all of them are numbers)")
        self.normalise_button.clicked.connect(self.normalise)
        total_row = QHBoxLayout()
        total_row.addWidget(self.total, 1)
        total_row.addWidget(self.normalise_button)
        self.form.layout.addRow(plain_label("Total"), total_row)
        self._build_utility()
        self.weight_edits: dict[str, QLineEdit] = {}
        self.weight_values: dict[str, QLabel] = {}
        self._weight_shape: tuple = ()
        self.document.results_ready.connect(lambda _results: self.refresh())  # values now

    def show_item(self, item: Any) -> None:
        show_text(self.name_edit, item.name)
        show_text(self.id_edit, item.id)
        self.show_color(*self.shown_color(item))
        criteria = self.edits.items(CRITERION)
        shape = (item.id, tuple((c.id, c.name, c.unit) for c in criteria))
        if shape != self._weight_shape:
            self._weight_shape = shape
            self._build_weights(item.id, criteria)
        numbers = []
        variables = self._variables()
        base = self.edits.base_weights(item.id)  # the base case's: what-ifs stay so
        for criterion in criteria:
            weight = base.get(criterion.id, 0)
            now = item.weights.get(criterion.id, 0)
            show_text(self.weight_edits[criterion.id], number_text(weight))
            numeric = isinstance(weight, (int, float))
            self.weight_values[criterion.id].setText(
                value_now(str(weight), variables) if not numeric else
                f"now {number_text(now)}" if now != weight else "")
            self.weight_values[criterion.id].setToolTip(
                "A what-if value, moved on the Weights panel" if numeric and now != weight
                else "")
            if numeric:
                numbers.append(weight)
        self.total.setText(format(sum(numbers), ".4g") + ("" if len(numbers) == len(criteria)
                                                         else " (and expressions)"))
        self._show_utility(item)

    # ---- attitude to risk ---------------------------------------------------------------
    def _build_utility(self) -> None:
        """Kind, risk tolerance (exponential) and points (piecewise): docs/format.md,
        "Risk attitude"."""
        self.utility_kind = QComboBox()
        for kind, text in UTILITY_CHOICES.items():
            self.utility_kind.addItem(text, kind)
        self.utility_kind.setToolTip("How the player values a gamble: at its expected score"
                                     " (risk-neutral), or less (risk-averse) or more"
                                     " (risk-seeking) than that")
        kind_message = self.form.row("Attitude to risk", self.utility_kind, "utility-kind")
        self.utility_kind.activated.connect(lambda _index: attempt(
            kind_message, lambda: self.edits.set_utility_kind(
                self.selected, self.utility_kind.currentData())))
        self.tolerance_edit = self.form.text(
            "Risk tolerance", "risk-tolerance", self._commit_tolerance,
            "a number or an expression, not 0")
        self.tolerance_edit.setToolTip("R in u(x) = -exp(-x/R): positive is risk-averse,"
                                       " negative risk-seeking; the smaller |R|, the"
                                       " stronger. A variable here can be swept.")
        self.points_table = QTableWidget(0, 2)
        self.points_table.setHorizontalHeaderLabels(["Score", "Utility"])
        self.points_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Stretch)
        self.points_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.points_table.setMaximumHeight(160)
        self.points_table.setToolTip("Scores and their utilities, both increasing; the"
                                     " utility is the straight lines through them")
        points_box = QWidget()
        column = QVBoxLayout(points_box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.points_table)
        buttons = QHBoxLayout()
        self.add_point_button = QPushButton("Add Point", objectName="player-point-add")
        self.remove_point_button = QPushButton("Remove Point",
                                               objectName="player-point-remove")
        buttons.addWidget(self.add_point_button)
        buttons.addWidget(self.remove_point_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.points_message = self.form.row("Points", points_box, "utility-points")
        self.points_table.setObjectName("player-points-table")
        self.points_table.itemChanged.connect(self._point_edited)
        self.add_point_button.clicked.connect(self.add_point)
        self.remove_point_button.clicked.connect(self.remove_point)

    def _show_utility(self, item: Any) -> None:
        utility = item.utility
        kind = LINEAR if utility is None else utility.kind
        with QSignalBlocker(self.utility_kind):
            self.utility_kind.setCurrentIndex(max(self.utility_kind.findData(kind), 0))
        layout = self.form.layout
        layout.setRowVisible(self.tolerance_edit.parentWidget(), kind == EXPONENTIAL)
        layout.setRowVisible(self.points_table.parentWidget().parentWidget(),
                             kind == PIECEWISE)
        if kind == EXPONENTIAL:
            show_text(self.tolerance_edit, number_text(utility.risk_tolerance)
                      if utility.risk_tolerance is not None else "")
        points = (utility.points or []) if kind == PIECEWISE else []
        with QSignalBlocker(self.points_table):
            self.points_table.setRowCount(len(points))
            for row, point in enumerate(points):
                for column, number in enumerate(point):
                    self.points_table.setItem(row, column, QTableWidgetItem(format(number, "g")))
        self.remove_point_button.setEnabled(len(points) > 2)

    def _commit_tolerance(self, text: str) -> None:
        self.edits.set_risk_tolerance(self.selected, parse_amount(text, self._variables()))

    def _points(self) -> list[list[int | float]]:
        return [list(point) for point in self.edits.utility(self.selected).points or []]

    def _point_edited(self, cell: QTableWidgetItem) -> None:
        points = self._points()
        row, column = cell.row(), cell.column()
        if row >= len(points):
            return

        def change() -> None:
            try:
                number = parse_amount(cell.text(), {})
            except Refused:
                number = ""
            if isinstance(number, str):
                raise EditRefused(f"A point's score and utility are numbers:"
                                  f" {quoted(cell.text())} is not one.")
            points[row][column] = number
            self.edits.set_utility_points(
                self.selected, points, f"Change point {row + 1} of"
                f" {quoted(self.current().name)}'s utility")
        if not attempt(self.points_message, change):
            self.refresh()  # the table shows the stored point again

    def add_point(self) -> None:
        """A point beyond the last, as far beyond it as the last segment is long."""
        points = self._points()
        if len(points) >= 2:
            (score, utility), (last_score, last_utility) = points[-2], points[-1]
            points.append([2 * last_score - score, 2 * last_utility - utility])
        else:
            points.append([points[-1][0] + 100, points[-1][1] + 100] if points else [0, 0])
        self.edits.set_utility_points(self.selected, points,
                                      f"Add a point to {quoted(self.current().name)}'s utility")

    def remove_point(self) -> None:
        """The selected point (the last when none is), keeping at least two."""
        points = self._points()
        if len(points) <= 2:
            return
        rows = self.points_table.selectionModel().selectedRows()
        row = rows[0].row() if rows else len(points) - 1
        points.pop(row)
        self.edits.set_utility_points(
            self.selected, points,
            f"Remove point {row + 1} from {quoted(self.current().name)}'s utility")

    def _build_weights(self, player_id: str, criteria: list) -> None:
        if self.weights_box is not None:
            self.weights_box.hide()
            self.weights_holder.removeWidget(self.weights_box)
            self.weights_box.deleteLater()  # later: one of its spin boxes may be emitting
        self.weights_box = QWidget()
        grid = QGridLayout(self.weights_box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(0, 1)
        self.weights_holder.addWidget(self.weights_box)
        self.weight_edits, self.weight_values = {}, {}
        for row, criterion in enumerate(criteria):
            name = f"player-weight-{criterion.id}"
            edit = QLineEdit(objectName=name, placeholderText="a number or an expression")
            edit.setToolTip("A number, or an expression over the variables (e.g. w_security"
                            " or 1 - w_security), which the analyses move with them")
            message = FieldMessage(name)
            edit.editingFinished.connect(
                lambda e=edit, m=message, p=player_id, c=criterion.id: commit_text(
                    e, m, lambda text: self._commit_weight(p, c, text)))
            value = QLabel(objectName=f"{name}-value")
            label = plain_label(criterion.name + (f" ({criterion.unit})" if criterion.unit
                                                  else ""))
            label.setWordWrap(True)
            label.setBuddy(edit)
            grid.addWidget(label, 2 * row, 0)
            grid.addWidget(edit, 2 * row, 1)
            grid.addWidget(value, 2 * row, 2)
            grid.addWidget(message, 2 * row + 1, 0, 1, 3)
            self.weight_edits[criterion.id] = edit
            self.weight_values[criterion.id] = value

    def _variables(self) -> dict[str, float]:
        results = self.document.results
        values = results.variables if results else {}
        return {v.name: values.get(v.name, math.nan) for v in self.document.tree.variables or []}

    def _commit_weight(self, player_id: str, criterion_id: str, text: str) -> None:
        """A number or an expression over the variables, as one undo step."""
        self.document.edit.set_weight(player_id, criterion_id,
                                      parse_amount(text, self._variables()))

    def normalise(self) -> None:
        if self.selected is None:
            return
        try:
            self.edits.normalise(self.selected)
        except EditRefused as why:
            self.prompts.error("Normalise weights", str(why))


#: The kinds of utility, as the player form lists them.
UTILITY_CHOICES = {LINEAR: "Risk-neutral (linear)", EXPONENTIAL: "Exponential (risk tolerance)",
                   PIECEWISE: "Piecewise linear (points)"}


class CriteriaTab(ItemsTab):
    kind = CRITERION
    watched = frozenset({"criteria"})

    def build_form(self) -> None:
        self.name_and_id()
        self.unit_edit = self.form.text("Unit", "unit",
                                        lambda text: self.set("unit", optional(text)),
                                        "e.g. score, $bn, lives")
        self.description_edit = self.form.notes(
            "Description", "description", lambda text: self.set("description", optional(text)))

    def show_item(self, item: Any) -> None:
        show_text(self.name_edit, item.name)
        show_text(self.id_edit, item.id)
        show_text(self.unit_edit, item.unit)
        show_text(self.description_edit, item.description)


class OutcomesTab(ItemsTab):
    kind = OUTCOME
    watched = frozenset({"outcomes"})

    def build_form(self) -> None:
        self.name_and_id()
        self.color_row()
        self.description_edit = self.form.notes(
            "Description", "description", lambda text: self.set("description", optional(text)))

    def show_item(self, item: Any) -> None:
        show_text(self.name_edit, item.name)
        show_text(self.id_edit, item.id)
        self.show_color(*self.shown_color(item))
        show_text(self.description_edit, item.description)


class ModelEditor(QTabWidget):
    """The dock's tabs, one per kind of definition."""

    def __init__(self, document: DocumentController, prompts: Prompts,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("model-editor")
        self.edits = ModelEdits(document)
        self.tabs: dict[str, QWidget] = {
            "players": PlayersTab(document, self.edits, prompts),
            "criteria": CriteriaTab(document, self.edits, prompts),
            "outcomes": OutcomesTab(document, self.edits, prompts),
            "variables": VariablesTab(document, self.edits, prompts),
            "tree": TreeTab(document, self.edits, prompts),
        }
        titles = {"players": "Players", "criteria": "Criteria", "outcomes": "Outcomes",
                  "variables": "Variables", "tree": "Tree"}
        for key, tab in self.tabs.items():
            self.addTab(tab, titles[key])

    def show_tab(self, key: str) -> QWidget:
        self.setCurrentWidget(self.tabs[key])
        return self.tabs[key]

