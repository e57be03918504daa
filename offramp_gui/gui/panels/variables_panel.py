"""VariablesPanel: each variable's value, live; the whole tree recomputes as it moves.

A row per variable: its name, its value in a spin box (or, for a variable defined by
an expression, the computed value and the expression, read-only), a slider over its
range when it has both ends, and its description. A drag or a run of spin-box steps
on one variable is one undo step (the edits merge).

The values moved here are what-if values: the base case stays as it was. Each slider
marks its base value, a value that differs from it shows in bold with its base beside
it, and the line above the rows counts them, with Reset to base and Make these the
base case (`base_case.py`).
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...analysis.evaluate import Results
from ...model.events import TreeChange
from ...model.tree import Number, Variable
from ..model_edits import STEP_KEY
from .base_case import VALUE_FIELDS, BaseCaseBar, MarkedSlider, base_label, muted, show_base
from .fields import guard_wheel, is_typing, number_text, plain_label

if TYPE_CHECKING:
    from ..document import DocumentController

SLIDER_STEPS = 1000
UNBOUNDED = 1e12


def _has_range(variable: Variable) -> bool:
    low, high = variable.min, variable.max
    return low is not None and high is not None and high > low


def _spin_step(variable: Variable) -> float:
    step = variable.extras.get(STEP_KEY)
    if isinstance(step, (int, float)) and step > 0:
        return float(step)  # the step set in the model editor
    if _has_range(variable):
        return (variable.max - variable.min) / 100  # type: ignore[operator]
    return 1.0 if abs(float(variable.value)) >= 10 else 0.01


def _clean(value: float) -> float:
    """Drop float noise from slider arithmetic (0.30000000000000004 -> 0.3)."""
    return float(f"{value:.10g}")


class VariableRow(QWidget):
    """One variable's widgets; updates in place while the variable keeps its shape."""

    def __init__(self, document: DocumentController, variable: Variable):
        super().__init__()
        self.document, self.name = document, variable.name
        self.spin: QDoubleSpinBox | None = None
        self.slider: MarkedSlider | None = None
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 4, 0, 4)
        self.grid.setColumnStretch(1, 1)
        title = plain_label(variable.name)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self.grid.addWidget(title, 0, 0)
        self.base = base_label(f"variable-{self.name}-base")
        self.grid.addWidget(self.base, 0, 1, Qt.AlignmentFlag.AlignRight)
        self.computed = plain_label("—")  # an expression's value, read-only
        if isinstance(variable.value, str):
            self._build_formula(variable.value)
        else:
            self._build_editors(variable)
        self._add_description(variable.description)

    def _build_formula(self, expression: str) -> None:
        self.computed.setObjectName(f"variable-{self.name}-computed")
        self.grid.addWidget(self.computed, 0, 2, 1, 2, Qt.AlignmentFlag.AlignRight)
        formula = plain_label(f"= {expression}")
        formula.setObjectName(f"variable-{self.name}-expression")
        formula.setWordWrap(True)
        formula.setToolTip("Computed from the other variables as they change")
        self.grid.addWidget(formula, 1, 0, 1, 4)

    def _build_editors(self, variable: Variable) -> None:
        self.spin = QDoubleSpinBox(objectName=f"variable-{self.name}-spin", decimals=4)
        self.spin.setSingleStep(_spin_step(variable))
        self.spin.setKeyboardTracking(False)  # a typed value commits on Enter, not per key
        # One width for every row, whatever the range, so the values line up.
        self.spin.setFixedWidth(self.spin.fontMetrics().horizontalAdvance("-000000.0000") + 36)
        self.grid.addWidget(self.spin, 0, 2, 1, 2, Qt.AlignmentFlag.AlignRight)
        self.spin.valueChanged.connect(self._spin_moved)
        self.spin.editingFinished.connect(self.document.end_gesture)
        guard_wheel(self.spin)
        if not _has_range(variable):
            return
        self.slider = MarkedSlider(f"variable-{self.name}-slider")
        self.slider.setRange(0, SLIDER_STEPS)
        guard_wheel(self.slider)
        self.grid.addWidget(plain_label(number_text(variable.min)), 1, 0)
        self.grid.addWidget(self.slider, 1, 1, 1, 2)
        self.grid.addWidget(plain_label(number_text(variable.max)), 1, 3)
        self.slider.valueChanged.connect(self._slider_moved)
        self.slider.sliderReleased.connect(self.document.end_gesture)

    def _add_description(self, description: str | None) -> None:
        if not description:
            return
        label = muted(plain_label(description))  # so the name and the value stand out
        label.setObjectName(f"variable-{self.name}-description")
        label.setWordWrap(True)
        self.grid.addWidget(label, 2, 0, 1, 4)

    # ---- model -> widgets -------------------------------------------------------------
    def show_value(self, variable: Variable, results: Results | None,
                   base: Number | None) -> None:
        """Show the value now; `base` is its base value (None: it has none, being an
        expression)."""
        if self.spin is None:
            value = results.variables.get(self.name, math.nan) if results else math.nan
            self.computed.setText("—" if math.isnan(value) else f"{value:.6g}")
            return
        value = float(variable.value)
        if not is_typing(self.spin):
            with QSignalBlocker(self.spin):
                self._fit_range(variable, value)
                self.spin.setValue(value)
        if self.slider is not None:
            with QSignalBlocker(self.slider):
                self.slider.setValue(self._position(variable, value))
            self.slider.set_base(None if base is None else self._position(variable, base))
            self.slider.setToolTip("" if base is None else
                                   f"The mark under the slider is the base value,"
                                   f" {number_text(base)}")
        show_base(self.base, self.spin, None if base is None or base == value else base)

    def _fit_range(self, variable: Variable, value: float) -> None:
        """The spin box covers min..max, and the value even when it lies outside."""
        assert self.spin is not None
        low = -UNBOUNDED if variable.min is None else variable.min
        high = UNBOUNDED if variable.max is None else variable.max
        self.spin.setRange(min(low, value), max(high, value))

    @staticmethod
    def _position(variable: Variable, value: float) -> int:
        span = variable.max - variable.min  # type: ignore[operator]
        return round(min(max((value - variable.min) / span, 0.0), 1.0) * SLIDER_STEPS)

    # ---- widgets -> model -------------------------------------------------------------
    def _variable(self) -> Variable | None:
        return self.document.tree.variable(self.name)

    def _spin_moved(self, value: float) -> None:
        variable = self._variable()
        if variable is None:
            return
        if self.slider is not None:
            with QSignalBlocker(self.slider):
                self.slider.setValue(self._position(variable, value))
        self.document.scenario_edit.move_variable(self.name, _clean(value), merge=True)

    def _slider_moved(self, position: int) -> None:
        variable = self._variable()
        if variable is None or not _has_range(variable):
            return
        span = variable.max - variable.min  # type: ignore[operator]
        value = _clean(variable.min + position * span / SLIDER_STEPS)  # type: ignore[operator]
        if self.spin is not None:
            with QSignalBlocker(self.spin):
                self.spin.setValue(value)
        self.document.scenario_edit.move_variable(self.name, value, merge=True)


class VariablesPanel(QWidget):
    """All the tree's variables, one row each."""

    def __init__(self, document: DocumentController, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.rows: dict[str, VariableRow] = {}
        self._shape: tuple = ()
        self._empty = plain_label("This tree has no variables.")
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.bar = BaseCaseBar(document)
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(self._empty, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self._scroll)
        document.document_reset.connect(self._rebuild)
        document.tree_changed.connect(self._on_tree_changed)
        document.results_ready.connect(self._on_results)
        self._rebuild()

    def _on_results(self, _results: Results) -> None:
        # Opening a file sends the new tree's results before `document_reset`.
        if self._shape_of() != self._shape:
            self._rebuild()
        else:
            self._refresh()  # expression-valued variables show what they come to

    def _variables(self) -> list[Variable]:
        return list(self.document.tree.variables or [])

    def _shape_of(self) -> tuple:
        """What decides the rows: names, ranges, steps, descriptions, which are
        expressions."""
        return tuple((v.name, v.min, v.max, v.extras.get(STEP_KEY), v.description,
                      v.value if isinstance(v.value, str) else None)
                     for v in self._variables())

    def _on_tree_changed(self, change: TreeChange) -> None:
        if not change.fields & VALUE_FIELDS:
            return  # a node changed: the variables did not
        if self._shape_of() != self._shape:
            self._rebuild()
        else:
            self._refresh()

    def _rebuild(self) -> None:
        self._shape = self._shape_of()
        variables = self._variables()
        self.rows = {v.name: VariableRow(self.document, v) for v in variables}
        old = self._scroll.takeWidget()
        if old is not None:
            old.deleteLater()  # later: one of its sliders may be emitting right now
        self._scroll.setWidget(self._body())
        self._empty.setVisible(not variables)
        self._scroll.setVisible(bool(variables))
        self._refresh()

    def _body(self) -> QWidget:
        body = QWidget()
        column = QVBoxLayout(body)
        for i, row in enumerate(self.rows.values()):
            if i:
                line = QFrame()
                line.setFrameShape(QFrame.Shape.HLine)
                line.setFrameShadow(QFrame.Shadow.Sunken)
                column.addWidget(line)
            column.addWidget(row)
        column.addStretch(1)
        return body

    def _refresh(self) -> None:
        base = self.document.scenario_edit.base().variables
        for variable in self._variables():
            row = self.rows.get(variable.name)
            if row is not None:
                row.show_value(variable, self.document.results, base.get(variable.name))
