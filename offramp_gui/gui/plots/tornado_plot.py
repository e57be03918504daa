"""The tornado (which variables move the decision most) and the threshold band."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from ...analysis.flatten import FlatTree
from ...analysis.sensitivity import Subject, Threshold, Tornado
from .. import format as fmt
from ..format import plot_unit, unit_text
from .plot_parts import (
    CategoryAxis,
    PlotFrame,
    alternative_color,
    decision_label,
    node_label,
    utility_title,
    variable_caption,
    wrapped,
)
from .sweep_plots import base_value, number, resize_items

LOW_COLOR, HIGH_COLOR = QColor("#56B4E9"), QColor("#E69F00")
MAX_BARS = 25
BAR_HEIGHT = 0.6
ROW_PX = 19  # the least height of a bar's row, so that the names stay apart


class TornadoPlot(PlotFrame):
    """A bar per variable from its value at min to its value at max, largest swing on top."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._axis = CategoryAxis()
        self.plot = self.add_plot(axisItems={"left": self._axis})
        self.plot.invertY(True)
        self.plot.showGrid(x=True, alpha=0.15)
        self._low = pg.BarGraphItem(x0=[], y=[], width=[], height=BAR_HEIGHT,
                                    brush=LOW_COLOR, pen=pg.mkPen(None))
        self._high = pg.BarGraphItem(x0=[], y=[], width=[], height=BAR_HEIGHT,
                                     brush=HIGH_COLOR, pen=pg.mkPen(None))
        self._outline = pg.BarGraphItem(x0=[], y=[], width=[], height=BAR_HEIGHT + 0.16,
                                        brush=None, pen=pg.mkPen(self.text_color, width=2))
        self._base = pg.InfiniteLine(angle=90, pen=pg.mkPen(self.text_color, width=1.5))
        self._base_text = pg.TextItem(color=self.text_color, anchor=(0, 0.5))
        for item in (self._low, self._high, self._outline, self._base, self._base_text):
            self.plot.addItem(item)
        self._texts: list[pg.TextItem] = []
        self.result: Tornado | None = None
        self._shown: list = []
        self._unit = 1.0  # the values are drawn in this unit (see plot_unit)

    # ---- what tests and exports read ------------------------------------------------
    def bar_variables(self) -> list[str]:
        """The variables of the bars, top to bottom."""
        return [bar.variable for bar in self._shown]

    def bar_extents(self) -> list[tuple[float, float]]:
        """Each bar's (value at min, value at max), top to bottom."""
        return [(bar.value_at_low, bar.value_at_high) for bar in self._shown]

    def marked_variables(self) -> list[str]:
        """The bars outlined because the best alternative changes along them."""
        return [bar.variable for bar in self._shown if bar.best_at_low != bar.best_at_high]

    # ---- drawing --------------------------------------------------------------------
    def set_result(self, flat: FlatTree, topic: Subject, result: Tornado) -> None:
        self.result = result
        self._shown = bars = result.bars[:MAX_BARS]
        rows = np.arange(len(bars), dtype=float)
        low = np.array([b.value_at_low for b in bars], float)
        high = np.array([b.value_at_high for b in bars], float)
        self._unit = plot_unit(np.concatenate([low, high, [result.base]]))
        low, high, base = low / self._unit, high / self._unit, result.base / self._unit
        self._low.setOpts(x0=np.minimum(low, base), y=rows, width=np.abs(low - base),
                          height=BAR_HEIGHT)
        self._high.setOpts(x0=np.minimum(high, base), y=rows, width=np.abs(high - base),
                           height=BAR_HEIGHT)
        marked = np.array([b.best_at_low != b.best_at_high for b in bars], bool)
        left = np.minimum(np.minimum(low, high), base)
        right = np.maximum(np.maximum(low, high), base)
        self._outline.setOpts(x0=left[marked], y=rows[marked], width=(right - left)[marked],
                              height=BAR_HEIGHT + 0.16)
        self._base.setValue(base)
        self._base_text.setText(f" base {fmt.value(result.base)}")
        self._base_text.setPos(base, -0.95)
        self._set_end_texts(bars, rows)
        self._axis.set_names([b.variable for b in bars], widest=200)
        self.graphics.setMinimumHeight(max(self.MIN_PLOT_HEIGHT, ROW_PX * (len(bars) + 1) + 60))
        self._fit(left, right, len(bars))
        self.set_axis_label(self.plot, "bottom",
                            utility_title(flat, topic.player) + unit_text(self._unit))
        self.legend.set_entries([("Variable at its min", LOW_COLOR),
                                 ("Variable at its max", HIGH_COLOR)])
        self.set_texts(f"{decision_label(flat, topic.node)}: what moves its value most",
                       _tornado_caption(flat, result, len(bars)))

    def _set_end_texts(self, bars: list, rows: np.ndarray) -> None:
        resize_items(self._texts, 2 * len(bars),
                     lambda: pg.TextItem(color=self.palette().color(
                         QPalette.ColorRole.PlaceholderText)), self.plot)
        for k, bar in enumerate(bars):
            ends = sorted([(bar.value_at_low, bar.low), (bar.value_at_high, bar.high)])
            for side, (value, setting) in enumerate(ends):
                item = self._texts[2 * k + side]
                item.setText(number(setting))
                item.setAnchor((1.0, 0.5) if side == 0 else (0.0, 0.5))
                item.setPos(value / self._unit if np.isfinite(value) else 0.0, rows[k])

    def _fit(self, left: np.ndarray, right: np.ndarray, count: int) -> None:
        finite = np.concatenate([left[np.isfinite(left)], right[np.isfinite(right)]])
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        pad = max(high - low, 1e-9) * 0.12  # room for the settings at the bars' ends
        self.plot.setXRange(low - pad, high + pad, padding=0)
        self.plot.setYRange(-1.3, max(count, 1) - 0.4, padding=0)  # a row for the label


def _tornado_caption(flat: FlatTree, result: Tornado, shown_count: int) -> str:
    lines = ["Each variable swung from its min to its max, the others at their values; the"
             " value is the best alternative's. The numbers at the ends are the variable's"
             " settings."]
    if any(b.best_at_low != b.best_at_high for b in result.bars[:shown_count]):
        lines.append("Outlined bars: the best alternative changes within the range.")
    lines.append(f"Base: {node_label(flat, result.base_best, 80)} is best, worth"
                 f" {fmt.value(result.base)}.")
    if len(result.bars) > shown_count:
        lines.append(f"The {shown_count} largest of {len(result.bars)} variables are shown.")
    return "\n".join(lines)


class ThresholdPlot(PlotFrame):
    """A variable's range as a band coloured by the branch chosen at one node."""

    MIN_PLOT_HEIGHT = 120
    SIDE_MIN_WIDTH = 720

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.plot = self.add_plot()
        self.plot.hideAxis("left")
        self._band = pg.BarGraphItem(x0=[], y=[], width=[], height=1.0)
        self.plot.addItem(self._band)
        self._lines: list[pg.InfiniteLine] = []
        self._names: list[pg.TextItem] = []
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
        self._base = pg.InfiniteLine(angle=90, pen=pg.mkPen(self.text_color, width=1.5,
                                                            style=Qt.PenStyle.DashLine),
                                     label="", labelOpts={"position": 0.04, "color": muted})
        self.plot.addItem(self._base)
        self.result: Threshold | None = None
        self._unit = 1.0  # the variable's settings are drawn in this unit (see plot_unit)

    def segments(self) -> list[tuple[float, float, str | None]]:
        return list(self.result.intervals) if self.result else []

    def threshold_positions(self) -> list[float]:
        return [float(line.value()) * self._unit for line in self._lines]

    def set_result(self, flat: FlatTree, result: Threshold) -> None:
        self.result = result
        node = flat.index.get(result.node, 0)
        children = [flat.ids[c] for c in flat.children(node)]
        color = {child: alternative_color(k) for k, child in enumerate(children)}
        self._unit = plot_unit(np.array([result.low, result.high], float))
        starts = np.array([a for a, _b, _c in result.intervals], float) / self._unit
        ends = np.array([b for _a, b, _c in result.intervals], float) / self._unit
        widths = ends - starts
        self._band.setOpts(x0=starts, y=np.full(starts.size, 0.5), width=widths, height=1.0,
                           brushes=[color.get(c, QColor("#BDBDBD")) for _a, _b, c in
                                    result.intervals],
                           pens=[pg.mkPen(self.palette().color(QPalette.ColorRole.Base),
                                          width=2)] * starts.size)
        self._set_names(flat, result)
        self._set_lines(result)
        base = base_value(flat, result.variable)
        inside = bool(base is not None and result.low <= base <= result.high)
        self._base.setVisible(inside)
        if inside:
            self._base.setValue(base / self._unit)
            self._base.label.setFormat(f"now {number(base)}")
        self.plot.setXRange(result.low / self._unit, result.high / self._unit, padding=0.02)
        self.plot.setYRange(-0.25, 1.35, padding=0)
        self.set_axis_label(self.plot, "bottom", result.variable + unit_text(self._unit))
        self.legend.set_entries([(node_label(flat, child), color[child])
                                 for child in children])
        self.set_texts(f"{decision_label(flat, node)}: the choice as {result.variable} varies",
                       _threshold_caption(flat, result))

    def _set_names(self, flat: FlatTree, result: Threshold) -> None:
        low, high = result.low / self._unit, result.high / self._unit
        span = high - low
        resize_items(self._names, len(result.intervals),
                     lambda: pg.TextItem(color="#ffffff", anchor=(0, 0.5)), self.plot)
        for item, (a, b, choice) in zip(self._names, result.intervals, strict=True):
            a, b = a / self._unit, b / self._unit
            item.setText(wrapped(node_label(flat, choice, 80), 18))
            item.setPos(a + 0.01 * span, 0.72)
            item.setVisible((b - a) > 0.18 * span)

    def _set_lines(self, result: Threshold) -> None:
        text = self.text_color
        resize_items(self._lines, len(result.thresholds),
                     lambda: pg.InfiniteLine(angle=90, label="", labelOpts={
                         "position": 0.97, "color": text}), self.plot)
        for line, at in zip(self._lines, result.thresholds, strict=True):
            line.setPen(pg.mkPen(text, width=2))
            line.setValue(at / self._unit)
            line.label.setFormat(number(at))


def _threshold_caption(flat: FlatTree, result: Threshold) -> str:
    lines = [variable_caption(flat, result.variable)]
    lines += [f"{number(a)} to {number(b)}: {node_label(flat, choice, 80)}"
              for a, b, choice in result.intervals[:6]]
    if len(result.intervals) > 6:
        lines.append(f"…and {len(result.intervals) - 6} more intervals.")
    return "\n".join(lines)
