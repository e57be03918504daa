"""WeightsPanel: how much each player cares about each criterion, and whose values show.

A group per player with a spin box per criterion; a run of steps on one weight is one
undo step (the edits merge). A weight given as an expression over the variables shows
the expression and its value now, read-only: the model editor's Players tab edits it.
Above them, "Show values for:" picks a player's utility or one criterion for the tree
to show, and "Show reach" adds reach probabilities.

The weights moved here are what-if values, as the Variables panel's are: a weight that
differs from its base shows in bold with its base beside it, and the line at the top
counts the values that differ, with Reset to base and Make these the base case.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...model.events import TreeChange
from ...model.tree import Criterion, Player
from ..text import shown, tooltip
from .base_case import VALUE_FIELDS, BaseCaseBar, base_label, show_base
from .fields import expression_now, guard_wheel, is_typing, plain_label

if TYPE_CHECKING:
    from ..document import DocumentController

WEIGHT_LIMIT = 100.0
#: Settings whose change may add, drop or rename players or criteria.
_SHAPE_FIELDS = frozenset({"players", "criteria"})


def criterion_text(criterion: Criterion) -> str:
    unit = f" ({criterion.unit})" if criterion.unit else ""
    return f"{criterion.name}{unit}"


def weight_spin(name: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox(objectName=name, decimals=2, singleStep=0.05)
    spin.setRange(-WEIGHT_LIMIT, WEIGHT_LIMIT)
    spin.setKeyboardTracking(False)  # a typed weight commits on Enter, not per key
    guard_wheel(spin)
    return spin


class WeightsPanel(QWidget):
    """Players' weights on the criteria, and the choice of values the tree shows."""

    def __init__(self, document: DocumentController, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.spins: dict[tuple[str, str], QDoubleSpinBox] = {}
        self.expressions: dict[tuple[str, str], QLineEdit] = {}
        self.bases: dict[tuple[str, str], QLabel] = {}
        self._shape: tuple = ()
        self.display_combo = QComboBox(objectName="display-combo")
        self.reach_check = QCheckBox("Show reach", objectName="reach-check")
        self._scroll = QScrollArea()
        self.bar = BaseCaseBar(document)
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addLayout(self._display_controls())
        layout.addWidget(self._scroll)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.display_combo.currentIndexChanged.connect(self._display_chosen)
        self.reach_check.toggled.connect(lambda on: document.set_display(show_reach=on))
        document.document_reset.connect(self._rebuild)
        document.tree_changed.connect(self._on_tree_changed)
        document.display_changed.connect(self._show_display)
        document.results_ready.connect(lambda _results: self._refresh())  # expressions' values
        self._rebuild()

    # ---- building ---------------------------------------------------------------------
    def _display_controls(self) -> QFormLayout:
        self.display_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.reach_check.setToolTip("Also show how likely the solved policy is to pass "
                                    "through each node")
        top = QFormLayout()
        top.addRow(plain_label("Show values for:"), self.display_combo)
        top.addRow(self.reach_check)
        return top

    def _players(self) -> list[Player]:
        return self.document.tree.effective_players()

    def _criteria(self) -> list[Criterion]:
        return self.document.tree.effective_criteria()

    def _shape_of(self) -> tuple:
        return (tuple((p.id, p.name) for p in self._players()),
                tuple((c.id, c.name, c.unit) for c in self._criteria()))

    def _on_tree_changed(self, change: TreeChange) -> None:
        if not change.fields & (_SHAPE_FIELDS | VALUE_FIELDS):
            return
        if self._shape_of() != self._shape:
            self._rebuild()
        else:
            self._refresh()

    def _rebuild(self) -> None:
        self._shape = self._shape_of()
        self._fill_display_combo()
        self.spins, self.expressions, self.bases = {}, {}, {}
        old = self._scroll.takeWidget()
        if old is not None:
            old.deleteLater()  # later: one of its spin boxes may be emitting right now
        body = QWidget()
        column = QVBoxLayout(body)
        for player in self._players():
            column.addWidget(self._player_group(player))
        column.addStretch(1)
        self._scroll.setWidget(body)
        self._refresh()
        self._show_display()

    def _player_group(self, player: Player) -> QGroupBox:
        # A group box title is plain text, but "&" would mark a keyboard shortcut.
        group = QGroupBox(shown(player.name, 200).replace("&", "&&"))
        grid = QGridLayout(group)
        grid.setColumnStretch(0, 1)  # names take the room left by the spin boxes, then wrap
        for row, criterion in enumerate(self._criteria()):
            spin = weight_spin(f"weight-{player.id}-{criterion.id}")
            spin.valueChanged.connect(
                lambda value, p=player.id, c=criterion.id: self._weight_moved(p, c, value))
            spin.editingFinished.connect(self.document.end_gesture)
            self.spins[(player.id, criterion.id)] = spin
            expression = QLineEdit(objectName=f"weight-expression-{player.id}-{criterion.id}",
                                   readOnly=True)
            expression.hide()
            self.expressions[(player.id, criterion.id)] = expression
            base = base_label(f"weight-base-{player.id}-{criterion.id}")
            self.bases[(player.id, criterion.id)] = base
            cell = QHBoxLayout()  # the spin box, or the expression in its place
            cell.addWidget(spin)
            cell.addWidget(expression)
            label = plain_label(criterion_text(criterion))
            label.setWordWrap(True)
            label.setBuddy(spin)
            grid.addWidget(label, row, 0)
            grid.addWidget(base, row, 1, Qt.AlignmentFlag.AlignRight)
            grid.addLayout(cell, row, 2)
        return group

    def _fill_display_combo(self) -> None:
        with QSignalBlocker(self.display_combo):
            self.display_combo.clear()
            for i, player in enumerate(self._players()):
                self.display_combo.addItem(shown(f"Utility for {player.name}", 200), f"player:{i}")
            for k, criterion in enumerate(self._criteria()):
                self.display_combo.addItem(shown(criterion_text(criterion), 200), f"criterion:{k}")

    # ---- model -> widgets -------------------------------------------------------------
    def _refresh(self) -> None:
        results = self.document.results
        variables = dict(results.variables) if results else {}
        base = self.document.scenario_edit.base().weights
        for player in self._players():
            for criterion in self._criteria():
                key = (player.id, criterion.id)
                if key in self.spins:
                    weight = player.weights.get(criterion.id, 0)
                    self._show_weight(self.spins[key], self.expressions[key], weight,
                                      variables)
                    was = base.get(player.id, {}).get(criterion.id, 0)
                    show_base(self.bases[key], self.spins[key],
                              None if isinstance(weight, str) or weight == was else was)

    @staticmethod
    def _show_weight(spin: QDoubleSpinBox, expression: QLineEdit, weight: object,
                     variables: dict[str, float]) -> None:
        numeric = isinstance(weight, (int, float))
        spin.setVisible(numeric)
        expression.setVisible(not numeric)
        if not numeric:
            text = expression_now(str(weight), variables)
            if expression.text() != text:
                expression.setText(text)
                expression.setCursorPosition(0)
            expression.setToolTip(tooltip(f"Set by the expression {text}; edit it in the"
                                          " model editor's Players tab"))
        elif not is_typing(spin):
            with QSignalBlocker(spin):
                spin.setValue(float(weight))  # type: ignore[arg-type]

    def _show_display(self) -> None:
        doc = self.document
        key = (f"player:{doc.shown_player}" if doc.shown_criterion is None
               else f"criterion:{doc.shown_criterion}")
        with QSignalBlocker(self.display_combo):
            self.display_combo.setCurrentIndex(self.display_combo.findData(key))
        with QSignalBlocker(self.reach_check):
            self.reach_check.setChecked(doc.show_reach)

    # ---- widgets -> model -------------------------------------------------------------
    def _weight_moved(self, player_id: str, criterion_id: str, value: float) -> None:
        self.document.scenario_edit.move_weight(player_id, criterion_id, round(value, 2),
                                                merge=True)

    def _display_chosen(self, index: int) -> None:
        data = self.display_combo.itemData(index)
        if not data:
            return
        kind, number = data.split(":")
        if kind == "player":
            self.document.set_display(player=int(number), criterion=None)
        else:
            self.document.set_display(criterion=int(number))
