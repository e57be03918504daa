"""The controls of the quick analyses: one-way, two-way, tornado and spider.

Each tab turns its widgets into its analysis's parameters; the base class
(`analysis_tabs.AnalysisTab`) runs it and draws it.
"""
from __future__ import annotations

import math
import sys
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QDoubleSpinBox, QSizePolicy, QSpinBox

from ..analysis.catalogue.one_way import ONE_WAY, OneWayParameters
from ..analysis.catalogue.spider import SPIDER, SpiderParameters
from ..analysis.catalogue.tornado import TORNADO, TornadoParameters
from ..analysis.catalogue.two_way import TWO_WAY, TwoWayParameters
from ..analysis.flatten import FlatTree
from .analysis_tabs import AnalysisPanel, AnalysisTab, labelled, plain_label
from .plots import analysis_plots as plots
from .plots.plot_parts import variable
from .text import shown_line, tooltip


class VariablePicker(QComboBox):
    """A variable, shown by name and description; typing filters the list by either."""

    def __init__(self, changed: Callable[[], None]):
        super().__init__()
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)
        search = self.completer()
        search.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        search.setFilterMode(Qt.MatchFlag.MatchContains)
        search.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.lineEdit().setPlaceholderText("Type to search")
        self.lineEdit().editingFinished.connect(self._show_chosen)
        #: The names listed, kept: asking the combo for each item's data at every slider
        #: step took milliseconds.
        self.listed: list[str] = []
        self.currentIndexChanged.connect(lambda _i: self.lineEdit().setCursorPosition(0))
        self.currentIndexChanged.connect(lambda _i: changed())
        self.view().setTextElideMode(Qt.TextElideMode.ElideRight)

    def name(self) -> str:
        """The chosen variable's name ("" when there is none)."""
        data = self.currentData()
        return data if isinstance(data, str) else ""

    def names(self) -> list[str]:
        return list(self.listed)

    def _show_chosen(self) -> None:
        """Text typed that chose nothing gives way to the variable still chosen."""
        if self.currentIndex() >= 0:
            self.setEditText(self.itemText(self.currentIndex()))
            self.lineEdit().setCursorPosition(0)  # the name, not the description's end


def fill_variables(combo: VariablePicker, flat: FlatTree, ranged_only: bool = True) -> bool:
    """The variables (with a range) in the combo, keeping the current one if it stays;
    False if they were there already."""
    names = [v.name for v in flat.variables
             if not ranged_only or (v.low is not None and v.high is not None and v.low < v.high)]
    if names == combo.names():
        return False
    current = combo.name()
    combo.blockSignals(True)
    combo.clear()
    for name in names:
        var = variable(flat, name)
        description = var.description if var else None
        # Searched in full; the list and the box elide what does not fit.
        text = f"{name} — {shown_line(description, 300)}" if description else name
        combo.addItem(text, name)
        combo.setItemData(combo.count() - 1, tooltip(name, description),
                          Qt.ItemDataRole.ToolTipRole)
    combo.listed = names
    combo.setCurrentIndex(names.index(current) if current in names else 0)
    combo.blockSignals(False)
    return True


class OneWayTab(AnalysisTab):
    kind = ONE_WAY

    def __init__(self, panel: AnalysisPanel):
        super().__init__(panel, plots.OneWayPlot())
        self.variable = VariablePicker(self._variable_changed)
        self.low, self.high = self._spin(), self._spin()
        self.steps = QSpinBox()
        self.steps.setRange(2, 5000)
        self.steps.setValue(200)
        self.steps.setKeyboardTracking(False)
        self.steps.valueChanged.connect(lambda _v: self.changed())
        self._custom_range = False
        for text, widget in (("&Variable:", self.variable), ("&From:", self.low),
                             ("&To:", self.high), ("&Steps:", self.steps)):
            labelled(self.controls, text, widget)
        self.controls.addStretch(1)

    def _spin(self) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(-1e12, 1e12)
        spin.setKeyboardTracking(False)
        spin.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        spin.valueChanged.connect(lambda _v: self._range_edited())
        return spin

    def _range_edited(self) -> None:
        self._custom_range = True
        self.changed()

    def _variable_changed(self) -> None:
        self._custom_range = False
        self._show_default_range()
        self.changed()

    def on_results(self, flat: FlatTree | None) -> None:
        super().on_results(flat)
        if flat is not None:
            fill_variables(self.variable, flat, ranged_only=False)
            if not self._custom_range:
                self._show_default_range()

    def _show_default_range(self) -> None:
        flat = self.panel.current_flat()
        var = variable(flat, self.variable.name()) if flat is not None else None
        if var is None:
            return
        low, high = default_range(var.low, var.high, var.value)
        span = min(abs(high - low), sys.float_info.max) or 1.0  # -1.7e308..1.7e308: inf
        scale = math.floor(math.log10(span))
        for spin, value in ((self.low, low), (self.high, high)):
            spin.blockSignals(True)
            spin.setDecimals(min(8, max(0, 3 - scale)))
            spin.setSingleStep(10.0 ** scale / 10)
            spin.setValue(value)
            spin.blockSignals(False)

    def set_range(self, low: float, high: float) -> None:
        """Sweep from `low` to `high` (as typing them in would)."""
        for spin, value in ((self.low, low), (self.high, high)):
            spin.blockSignals(True)
            spin.setValue(value)
            spin.blockSignals(False)
        self._range_edited()

    def parameters(self, flat: FlatTree) -> OneWayParameters:
        name = self.variable.name()
        if not name:
            raise ValueError("this tree has no variables to vary")
        var = variable(flat, name)
        if self._custom_range or var is None or var.low is None or var.high is None:
            return OneWayParameters(variable=name, low=self.low.value(), high=self.high.value(),
                                    steps=self.steps.value(), **self.decision())
        # the variable's own min..max, exactly, not as the spin boxes round it
        return OneWayParameters(variable=name, steps=self.steps.value(), **self.decision())


def default_range(low: float | None, high: float | None, value: float) -> tuple[float, float]:
    """The variable's min and max, or (lacking them) a span around its value."""
    if low is not None and high is not None:
        return float(low), float(high)
    value = value if math.isfinite(value) else 0.0
    half = max(1.0, abs(value))
    return (float(low) if low is not None else value - half,
            float(high) if high is not None else value + half)


class TwoWayTab(AnalysisTab):
    kind = TWO_WAY

    def __init__(self, panel: AnalysisPanel):
        super().__init__(panel, plots.TwoWayPlot())
        self.x_variable = VariablePicker(self.changed)
        self.y_variable = VariablePicker(self.changed)
        self.steps = QSpinBox()
        self.steps.setRange(2, 400)
        self.steps.setValue(50)
        self.steps.setKeyboardTracking(False)
        self.steps.valueChanged.connect(lambda _v: self.changed())
        for text, widget in (("&Across:", self.x_variable), ("&Up:", self.y_variable),
                             ("&Steps:", self.steps)):
            labelled(self.controls, text, widget)
        self.controls.addStretch(1)

    def on_results(self, flat: FlatTree | None) -> None:
        super().on_results(flat)
        if flat is None:
            return
        refilled = fill_variables(self.x_variable, flat)
        refilled = fill_variables(self.y_variable, flat) or refilled
        # A new list of variables (another tree) keeps a variable on each axis.
        if (refilled and self.x_variable.name() == self.y_variable.name()
                and self.y_variable.count() > 1):
            self.y_variable.blockSignals(True)
            self.y_variable.setCurrentIndex(1 if self.x_variable.currentIndex() == 0 else 0)
            self.y_variable.blockSignals(False)

    def parameters(self, flat: FlatTree) -> TwoWayParameters:
        x, y = self.x_variable.name(), self.y_variable.name()
        if not x or not y:
            raise ValueError("a map needs two variables with a range (min and max)")
        return TwoWayParameters(x=x, y=y, steps=self.steps.value(), **self.decision())


class TornadoTab(AnalysisTab):
    kind = TORNADO

    def __init__(self, panel: AnalysisPanel):
        super().__init__(panel, plots.TornadoPlot())
        self.controls.addWidget(plain_label(
            "Every variable with a range, swung from its min to its max.", muted=True))

    def parameters(self, flat: FlatTree) -> TornadoParameters:
        return TornadoParameters(**self.decision())


class SpiderTab(AnalysisTab):
    kind = SPIDER

    def __init__(self, panel: AnalysisPanel):
        super().__init__(panel, plots.SpiderPlot())
        self.steps = QSpinBox()
        self.steps.setRange(2, 1000)
        self.steps.setValue(SpiderParameters.steps)
        self.steps.setKeyboardTracking(False)
        self.steps.valueChanged.connect(lambda _v: self.changed())
        labelled(self.controls, "&Steps:", self.steps)
        self.controls.addWidget(plain_label(
            "Every variable with a range, moved across it from its min to its max.",
            muted=True))
        self.controls.addStretch(1)

    def parameters(self, flat: FlatTree) -> SpiderParameters:
        return SpiderParameters(steps=self.steps.value(), **self.decision())

    def work(self, flat: FlatTree) -> int:
        # Each line's switch points are located by solves of their own, one line at a
        # time where the value jumps: seconds on a 10,000-node tree with ten lines.
        ranged = sum(1 for v in flat.variables
                     if v.low is not None and v.high is not None and v.low < v.high)
        return flat.size * max(1, ranged)
