"""The Analysis dock's tabs for the quick analyses: one-way, two-way and tornado.

Each tab computes on the document's immutable snapshot (`results.flat`) when it is
shown and stale; the panel debounces the requests. A tab keeps one plot widget and
refreshes it in place; "Export plot…" draws a fresh copy at a fixed size instead,
so the file looks the same whatever the dock's size, and as the command line's.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..analysis.flatten import FlatTree
from ..analysis.sensitivity import Subject, one_way, tornado, two_way, variable_range
from .plots import analysis_plots as plots
from .plots.plot_parts import PlotFrame, variable
from .text import shown, tooltip

if TYPE_CHECKING:
    from .analysis_dock import AnalysisPanel

IMAGE_FILTERS = {".png": "PNG image (*.png)", ".svg": "SVG drawing (*.svg)"}
CSV_FILTERS = {".csv": "CSV table (*.csv)"}
#: Errors the engine reports about what was asked (bad ranges, broken values).
ANALYSIS_ERRORS = (ValueError, ArithmeticError)


def sentence(message: str) -> str:
    """An engine message as a sentence: capital first letter, full stop."""
    text = shown(str(message), 400).strip() or "The analysis failed"
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def plain_label(text: str = "", muted: bool = False) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if muted:
        label.setStyleSheet("color: palette(placeholder-text);")
    return label


class AnalysisTab(QWidget):
    """Controls, a message line, a plot, and the export buttons."""

    #: A short name for file names ("one-way").
    slug = "analysis"
    #: Whether the tab follows the panel's decision and player.
    uses_subject = True

    def __init__(self, panel: AnalysisPanel, plot: PlotFrame):
        super().__init__()
        self.panel = panel
        self.plot = plot
        self.dirty = True
        self.result: Any = None
        self._drawn: tuple = ()
        self.controls = QHBoxLayout()
        self.controls.setContentsMargins(0, 0, 0, 0)
        self.message = plain_label()
        self.message.hide()
        self.export_plot_button = QPushButton("Export plot…")
        self.export_data_button = QPushButton("Export data…")
        self.export_plot_button.clicked.connect(self.export_plot)
        self.export_data_button.clicked.connect(self.export_data)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_plot_button)
        buttons.addWidget(self.export_data_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(self.controls)
        layout.addWidget(self.message)
        self.plot_area = QScrollArea()
        self.plot_area.setWidgetResizable(True)
        self.plot_area.setFrameShape(QFrame.Shape.NoFrame)
        self.plot_area.setWidget(self.plot)
        layout.addWidget(self.plot_area, 1)
        layout.addLayout(buttons)
        self._show_exports(False)

    # ---- computing ------------------------------------------------------------------
    def refresh(self) -> None:
        """Compute on the current snapshot and draw; a problem becomes a message."""
        self.dirty = False
        flat = self.panel.ready_flat()
        if flat is None:
            return self.show_message(self.panel.not_ready_reason())
        try:
            topic = self.panel.subject(flat) if self.uses_subject else None
            result = self.compute(flat, topic)
        except ANALYSIS_ERRORS as error:
            return self.show_message(sentence(str(error)))
        self.result = result
        self._drawn = (flat, topic, result)
        self.message.hide()
        self.plot_area.show()
        self.draw(flat, topic, result)
        self._show_exports(True)
        return None

    def compute(self, flat: FlatTree, topic: Subject | None) -> Any:
        raise NotImplementedError

    def draw(self, flat: FlatTree, topic: Subject | None, result: Any) -> None:
        self.plot.set_result(flat, topic, result)  # type: ignore[attr-defined]

    def fresh_plot(self) -> QWidget:
        """A new plot widget of the shown result, for export."""
        raise NotImplementedError

    def data_result(self) -> Any:
        return self.result

    def on_results(self, flat: FlatTree | None) -> None:
        """The tree (or the decision analysed) changed: update controls, recompute later."""
        self.dirty = True

    def show_message(self, text: str) -> None:
        self.result = None
        self._drawn = ()
        self.message.setText(text)
        self.message.show()
        self.plot_area.hide()
        self._show_exports(False)

    def _show_exports(self, enabled: bool) -> None:
        self.export_plot_button.setEnabled(enabled)
        self.export_data_button.setEnabled(enabled)

    def changed(self) -> None:
        """A control changed: recompute this tab soon."""
        self.dirty = True
        self.panel.schedule()

    # ---- exporting ------------------------------------------------------------------
    def export_plot(self, path: Path | None = None) -> bool:
        if not self._drawn:
            return False
        path = path or self.panel.prompts.save_path(
            "export-plot", "Export Plot", self.panel.suggested_path(self.slug, ".png"),
            IMAGE_FILTERS, strict_suffix=True)
        return path is not None and self._write(lambda: self._save_plot(path))

    def _save_plot(self, path: Path) -> None:
        widget = self.fresh_plot()
        try:
            plots.save_widget(widget, path)
        finally:
            widget.deleteLater()

    def export_data(self, path: Path | None = None) -> bool:
        if not self._drawn or self.data_result() is None:
            return False
        path = path or self.panel.prompts.save_path(
            "export-data", "Export Data", self.panel.suggested_path(self.slug, ".csv"),
            CSV_FILTERS, strict_suffix=True)
        return path is not None and self._write(
            lambda: plots.save_rows(self._drawn[0], self.data_result(), path))

    def _write(self, save: Callable[[], None]) -> bool:
        """Run an export; on failure say why (plainly) rather than raise."""
        try:
            save()
        except (OSError, ValueError) as error:
            self.panel.prompts.error("Export failed", sentence(str(error)))
            return False
        return True


def variable_combo(changed: Callable[[], None]) -> QComboBox:
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.setMinimumContentsLength(12)
    combo.currentIndexChanged.connect(lambda _i: changed())
    return combo


def fill_variables(combo: QComboBox, flat: FlatTree, ranged_only: bool = True) -> None:
    """The variables (with a range) in the combo, keeping the current one if it stays."""
    names = [v.name for v in flat.variables
             if not ranged_only or (v.low is not None and v.high is not None and v.low < v.high)]
    if names == [combo.itemText(k) for k in range(combo.count())]:
        return
    current = combo.currentText()
    combo.blockSignals(True)
    combo.clear()
    for name in names:
        combo.addItem(name)
        var = variable(flat, name)
        combo.setItemData(combo.count() - 1, tooltip(name, var.description if var else None),
                          Qt.ItemDataRole.ToolTipRole)
    combo.setCurrentIndex(names.index(current) if current in names else 0)
    combo.blockSignals(False)


def labelled(layout: QHBoxLayout, text: str, widget: QWidget) -> None:
    label = QLabel(text)
    label.setBuddy(widget)
    layout.addWidget(label)
    layout.addWidget(widget)


class OneWayTab(AnalysisTab):
    slug = "one-way"

    def __init__(self, panel: AnalysisPanel):
        super().__init__(panel, plots.OneWayPlot())
        self.variable = variable_combo(self._variable_changed)
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
        var = variable(flat, self.variable.currentText()) if flat is not None else None
        if var is None:
            return
        low, high = default_range(var.low, var.high, var.value)
        span = abs(high - low) or 1.0
        decimals = min(8, max(0, 3 - math.floor(math.log10(span))))
        for spin, value in ((self.low, low), (self.high, high)):
            spin.blockSignals(True)
            spin.setDecimals(decimals)
            spin.setSingleStep(10 ** math.floor(math.log10(span)) / 10)
            spin.setValue(value)
            spin.blockSignals(False)

    def set_range(self, low: float, high: float) -> None:
        """Sweep from `low` to `high` (as typing them in would)."""
        for spin, value in ((self.low, low), (self.high, high)):
            spin.blockSignals(True)
            spin.setValue(value)
            spin.blockSignals(False)
        self._range_edited()

    def compute(self, flat: FlatTree, topic: Subject | None) -> Any:
        name = self.variable.currentText()
        if not name:
            raise ValueError("this tree has no variables to vary")
        var = variable(flat, name)
        if self._custom_range or var is None or var.low is None or var.high is None:
            low, high = variable_range(flat, name, self.low.value(), self.high.value())
        else:
            low, high = variable_range(flat, name)  # exactly, not as the spin boxes round it
        return one_way(flat, topic, name, low, high, self.steps.value())

    def fresh_plot(self) -> QWidget:
        return plots.plot_one_way(*self._drawn)


def default_range(low: float | None, high: float | None, value: float) -> tuple[float, float]:
    """The variable's min and max, or (lacking them) a span around its value."""
    if low is not None and high is not None:
        return float(low), float(high)
    value = value if math.isfinite(value) else 0.0
    half = max(1.0, abs(value))
    return (float(low) if low is not None else value - half,
            float(high) if high is not None else value + half)


class TwoWayTab(AnalysisTab):
    slug = "two-way"

    def __init__(self, panel: AnalysisPanel):
        super().__init__(panel, plots.TwoWayPlot())
        self.x_variable = variable_combo(self.changed)
        self.y_variable = variable_combo(self.changed)
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
        first = self.y_variable.count() == 0
        fill_variables(self.x_variable, flat)
        fill_variables(self.y_variable, flat)
        if first and self.y_variable.count() > 1:
            self.y_variable.blockSignals(True)
            self.y_variable.setCurrentIndex(1)
            self.y_variable.blockSignals(False)

    def compute(self, flat: FlatTree, topic: Subject | None) -> Any:
        x, y = self.x_variable.currentText(), self.y_variable.currentText()
        if not x or not y:
            raise ValueError("a map needs two variables with a range (min and max)")
        return two_way(flat, topic, x, variable_range(flat, x), y, variable_range(flat, y),
                       self.steps.value())

    def fresh_plot(self) -> QWidget:
        return plots.plot_two_way(*self._drawn)


class TornadoTab(AnalysisTab):
    slug = "tornado"

    def __init__(self, panel: AnalysisPanel):
        super().__init__(panel, plots.TornadoPlot())
        self.controls.addWidget(plain_label(
            "Every variable with a range, swung from its min to its max.", muted=True))

    def compute(self, flat: FlatTree, topic: Subject | None) -> Any:
        return tornado(flat, topic)

    def fresh_plot(self) -> QWidget:
        return plots.plot_tornado(*self._drawn)
