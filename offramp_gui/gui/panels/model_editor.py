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

from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...model.refactor import CRITERION, OUTCOME, PLAYER
from ..document import DocumentController
from ..model_edits import EditRefused, ModelEdits
from ..prompts import Prompts
from .fields import FieldMessage, number_text, parse_amount, plain_label, value_now
from .model_forms import ItemsTab, commit_text, optional, show_text
from .tree_editor import TreeTab
from .variable_editor import VariablesTab


class PlayersTab(ItemsTab):
    kind = PLAYER
    watched = frozenset({"players", "criteria"})

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
        for criterion in criteria:
            weight = item.weights.get(criterion.id, 0)
            show_text(self.weight_edits[criterion.id], number_text(weight))
            numeric = isinstance(weight, (int, float))
            self.weight_values[criterion.id].setText(
                "" if numeric else value_now(str(weight), variables))
            if numeric:
                numbers.append(weight)
        self.total.setText(format(sum(numbers), ".4g") + ("" if len(numbers) == len(criteria)
                                                         else " (and expressions)"))

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

