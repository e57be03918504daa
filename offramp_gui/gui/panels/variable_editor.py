"""The model editor's Variables tab: a variable's name, value, range, step, description
and distribution, the distribution previewed as a small density plot.

Renaming a variable rewrites every expression that uses it, in one undo step. The value
here is the base case's: a what-if value moved on the Variables panel stays one, and is
said under it.
"""
from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QComboBox, QFormLayout, QWidget

from ...fileformat.schema import DISTRIBUTION_PARAMETERS
from ...model.refactor import VARIABLE
from ..format import plot_unit, unit_text
from ..model_edits import STEP_KEY
from .base_case import muted
from .fields import Refused, guard_wheel, number_text, parse_amount, plain_label
from .model_forms import Form, ItemsTab, attempt, optional, show_text

#: Points of a density curve.
CURVE_POINTS = 200
_DEFAULT_PARAMETERS = {
    "uniform": lambda low, high, _value: {"low": low, "high": high},
    "triangular": lambda low, high, value: {"low": low, "mode": min(max(value, low), high),
                                            "high": high},
    "beta": lambda _low, _high, _value: {"alpha": 2, "beta": 2},
    "normal": lambda low, high, value: {"mean": value, "sd": (high - low) / 6 or 1},
    "lognormal": lambda _low, _high, _value: {"mu": 0, "sigma": 0.5},
    "discrete": lambda _low, _high, value: {"values": [value], "weights": [1]},
}


def parse_number(text: str, what: str) -> int | float | None:
    """A plain number, or None for an empty field."""
    text = text.strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise Refused(f"{what} must be a number") from None
    if not math.isfinite(number):
        raise Refused(f"{what} must be a finite number")
    return int(number) if number.is_integer() and re.fullmatch(r"[-+]?\d+", text) else number


def parse_numbers(text: str, what: str) -> list[int | float]:
    numbers = [parse_number(part, what) for part in text.split(",")]
    if not numbers or any(n is None for n in numbers):
        raise Refused(f"{what} must be numbers separated by commas")
    return numbers  # type: ignore[return-value]


def density(distribution: dict[str, Any]) -> tuple[np.ndarray, np.ndarray] | None:
    """Points of the distribution's density (for `discrete`, its values and chances), or
    None when its parameters are not (yet) usable."""
    try:
        return _density(distribution)
    except (KeyError, TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None


def _density(d: dict[str, Any]) -> tuple[np.ndarray, np.ndarray] | None:
    kind = d.get("type")
    if kind == "discrete":
        values, weights = np.asarray(d["values"], float), np.asarray(d["weights"], float)
        total = weights.sum()
        return (values, weights / total) if len(values) == len(weights) and total > 0 else None
    if kind == "uniform":
        low, high = float(d["low"]), float(d["high"])
        if not high > low:
            return None
        pad = (high - low) * 0.1
        x = np.array([low - pad, low, low, high, high, high + pad])
        return x, np.array([0, 0, 1, 1, 0, 0]) / (high - low)
    if kind == "triangular":
        low, mode, high = float(d["low"]), float(d["mode"]), float(d["high"])
        if not low <= mode <= high or not high > low:
            return None
        return np.array([low, mode, high]), np.array([0, 2 / (high - low), 0])
    if kind == "beta":
        a, b = float(d["alpha"]), float(d["beta"])
        if a <= 0 or b <= 0:
            return None
        x = np.linspace(0.002, 0.998, CURVE_POINTS)
        log_norm = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
        return x, np.exp(log_norm + (a - 1) * np.log(x) + (b - 1) * np.log1p(-x))
    if kind == "normal":
        mean, sd = float(d["mean"]), float(d["sd"])
        if sd <= 0:
            return None
        x = np.linspace(mean - 4 * sd, mean + 4 * sd, CURVE_POINTS)
        return x, np.exp(-0.5 * ((x - mean) / sd) ** 2) / (sd * math.sqrt(2 * math.pi))
    if kind == "lognormal":
        mu, sigma = float(d["mu"]), float(d["sigma"])
        if sigma <= 0:
            return None
        x = np.linspace(1e-9, math.exp(mu + 3.5 * sigma), CURVE_POINTS)
        z = (np.log(x) - mu) / sigma
        return x, np.exp(-0.5 * z * z) / (x * sigma * math.sqrt(2 * math.pi))
    return None


#: Parameters on the variable's own scale (the others are shapes or logarithms).
_LOCATION_KEYS = ("low", "mode", "high", "mean", "sd")


def _unit_of(distribution: dict[str, Any]) -> float:
    """The power of ten the preview is drawn in: near the largest double, the spans
    and margins of the plot would overflow."""
    numbers = [distribution.get(k) for k in _LOCATION_KEYS]
    values = distribution.get("values")
    numbers += values if isinstance(values, list) else []
    finite = [float(n) for n in numbers if isinstance(n, (int, float))
              and not isinstance(n, bool) and math.isfinite(n)]
    return plot_unit(np.array(finite, float))


def _in_unit(distribution: dict[str, Any], unit: float) -> dict[str, Any]:
    if unit == 1:
        return distribution
    scaled = dict(distribution)
    for key in _LOCATION_KEYS:
        if isinstance(scaled.get(key), (int, float)) and not isinstance(scaled[key], bool):
            scaled[key] = scaled[key] / unit
    if isinstance(scaled.get("values"), list):
        scaled["values"] = [v / unit if isinstance(v, (int, float)) else v
                            for v in scaled["values"]]
    return scaled


class DensityPlot(pg.PlotWidget):
    """A small preview of a distribution: its density, or its values' chances as bars."""

    def __init__(self) -> None:
        super().__init__(objectName="variable-density")
        self.setFixedHeight(130)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.setBackground(None)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        for side in ("left", "bottom"):
            self.getAxis(side).setTextPen(text)
            self.getAxis(side).enableAutoSIPrefix(False)
        self.getAxis("left").setStyle(showValues=False)
        fill = pg.mkBrush(highlight.red(), highlight.green(), highlight.blue(), 80)
        self.curve = self.plot([], [], pen=pg.mkPen(highlight, width=2), fillLevel=0,
                               brush=fill)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.1, brush=fill,
                                    pen=pg.mkPen(highlight))
        self.addItem(self.bars)

    def show_distribution(self, distribution: dict[str, Any] | None) -> None:
        unit = _unit_of(distribution) if distribution else 1.0
        points = density(_in_unit(distribution, unit)) if distribution else None
        self.setVisible(points is not None)
        if points is None:
            return
        x, y = points
        self.setLabel("bottom", unit_text(unit).strip(" ()"))
        if distribution and distribution.get("type") == "discrete":
            self.curve.setData([], [])
            span = float(np.ptp(x)) if len(x) > 1 else 1.0
            self.bars.setOpts(x=x, height=y, width=span / max(len(x), 1) * 0.5 or 0.5)
        else:
            self.bars.setOpts(x=[], height=[])
            self.curve.setData(x, y)
        self.autoRange()


class VariablesTab(ItemsTab):
    kind = VARIABLE
    watched = frozenset({"variables", "base_case"})

    def entries(self) -> list[tuple[str, str]]:
        return [(v.name, v.name) for v in self.edits.items(VARIABLE)]

    def build_form(self) -> None:
        form = self.form
        self.name_edit = form.text("Name", "name", self.rename_key)
        self.name_edit.setToolTip("How expressions refer to it; renaming it rewrites them")
        self.value_edit = form.text("Value", "value", self._commit_value,
                                    "a number, or an expression over the other variables")
        self.value_edit.setToolTip("The base case's value (the file keeps it); the Variables"
                                   " panel's slider moves a what-if value instead")
        self.what_if_note = muted(plain_label())
        self.what_if_note.setObjectName("variable-what-if")
        self.what_if_note.setWordWrap(True)
        form.layout.addRow(self.what_if_note)
        self.min_edit = form.text("Min", "min", lambda t: self._commit_bound("min", t))
        self.max_edit = form.text("Max", "max", lambda t: self._commit_bound("max", t))
        self.step_edit = form.text("Step", "step", self._commit_step,
                                   "what one step of its spin box adds")
        self.description_edit = form.notes(
            "Description", "description", lambda text: self.set("description", optional(text)))
        self.distribution_combo = QComboBox()
        self.distribution_combo.addItem("None (a fixed value)", None)
        for kind in DISTRIBUTION_PARAMETERS:
            self.distribution_combo.addItem(kind.capitalize(), kind)
        guard_wheel(self.distribution_combo)
        self.distribution_message = form.row("Distribution", self.distribution_combo,
                                             "distribution")
        self.distribution_combo.currentIndexChanged.connect(self._kind_chosen)
        self.parameters_box = QWidget()
        self.parameters = Form(QFormLayout(self.parameters_box), "variable-parameter")
        self.parameters.layout.setContentsMargins(0, 0, 0, 0)
        self._parameters_kind: str | None = None
        self._parameter_edits: dict[str, Any] = {}
        form.layout.addRow(self.parameters_box)
        self.plot = DensityPlot()
        form.layout.addRow(self.plot)

    def show_item(self, item: Any) -> None:
        show_text(self.name_edit, item.name)
        base = self.document.scenario_edit.base().variables.get(item.name, item.value)
        show_text(self.value_edit, number_text(base))
        differs = base != item.value
        self.form.layout.setRowVisible(self.what_if_note, differs)
        self.what_if_note.setText(f"Now {number_text(item.value)}, a what-if value (Variables"
                                  " panel; Edit > Reset to Base Case puts the base back)"
                                  if differs else "")
        show_text(self.min_edit, number_text(item.min))
        show_text(self.max_edit, number_text(item.max))
        show_text(self.step_edit, number_text(item.extras.get(STEP_KEY)))
        show_text(self.description_edit, item.description)
        distribution = item.distribution or {}
        kind = distribution.get("type")
        with QSignalBlocker(self.distribution_combo):
            self.distribution_combo.setCurrentIndex(max(self.distribution_combo.findData(kind),
                                                        0))
        if kind != self._parameters_kind:
            self._build_parameters(kind)
        for name, edit in self._parameter_edits.items():
            value = distribution.get(name)
            show_text(edit, ", ".join(number_text(v) for v in value)
                      if isinstance(value, list) else number_text(value))
        self.plot.show_distribution(item.distribution)

    def _build_parameters(self, kind: str | None) -> None:
        self._parameters_kind = kind
        layout = self.parameters.layout
        while layout.rowCount():
            layout.removeRow(0)
        self._parameter_edits = {
            name: self.parameters.text(name, name, lambda text, n=name: self._commit_parameter(
                n, text)) for name in DISTRIBUTION_PARAMETERS.get(kind or "", ())}

    # ---- widgets -> model -----------------------------------------------------------------
    def _others(self) -> dict[str, float]:
        values = self.document.results.variables if self.document.results else {}
        return {v.name: values.get(v.name, math.nan) for v in self.edits.items(VARIABLE)
                if v.name != self.selected}

    def _commit_value(self, text: str) -> None:
        self.set("value", parse_amount(text, self._others()))

    def _commit_bound(self, bound: str, text: str) -> None:
        number = parse_number(text, bound.capitalize())
        item = self.current()
        low, high = (number, item.max) if bound == "min" else (item.min, number)
        if low is not None and high is not None and low > high:
            raise Refused(f"min {low:g} would be above max {high:g}")
        self.set(bound, number)

    def _commit_step(self, text: str) -> None:
        step = parse_number(text, "Step")
        if step is not None and step <= 0:
            raise Refused("Step must be above 0")
        self.set(STEP_KEY, step)

    def _kind_chosen(self, index: int) -> None:
        kind = self.distribution_combo.itemData(index)
        item = self.current()
        if item is None:
            return
        if kind is None:
            attempt(self.distribution_message, lambda: self.set("distribution", None))
            return
        value = float(item.value) if isinstance(item.value, (int, float)) else 0.5
        low = item.min if item.min is not None else min(value, 0)
        high = item.max if item.max is not None else max(value, 1)
        parameters = _DEFAULT_PARAMETERS[kind](low, high, value)
        attempt(self.distribution_message,
                lambda: self.set("distribution", {"type": kind, **parameters}))

    def _commit_parameter(self, name: str, text: str) -> None:
        item = self.current()
        distribution = dict(item.distribution or {})
        if name in ("values", "weights"):
            distribution[name] = parse_numbers(text, name.capitalize())
        else:
            number = parse_number(text, name)
            if number is None:
                raise Refused(f"{name} is needed")
            distribution[name] = number
        self.set("distribution", distribution)
