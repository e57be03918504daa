"""The spider plot: the base choice's value as each variable moves, in percent of its range.

A line per variable (colours, then dashes once the colours run out), all meeting at
the base case (0 %); a ring where another alternative becomes best along a line.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QWidget

from ...analysis.flatten import FlatTree
from ...analysis.sensitivity import Spider, SpiderLine, Subject
from .. import format as fmt
from ..format import plot_unit, unit_text
from .plot_parts import (
    ALTERNATIVE_COLORS,
    PlotFrame,
    alternative_color,
    decision_label,
    node_label,
    utility_title,
)
from .sweep_plots import number, resize_items

#: Line styles after the colours: a line is told apart by colour first, then by dashes.
STYLES = ((Qt.PenStyle.SolidLine, ""), (Qt.PenStyle.DashLine, " (dashed)"),
          (Qt.PenStyle.DotLine, " (dotted)"))
MAX_LINES = len(ALTERNATIVE_COLORS) * len(STYLES)
X_TITLE = "Change from base (% of range)"


class SpiderPlot(PlotFrame):
    """A line per variable: the base choice's value against the variable's change."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.plot = self.add_plot()
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
        self._zero = pg.InfiniteLine(pos=0.0, angle=90, label="base", labelOpts={
            "position": 0.95, "color": muted}, pen=pg.mkPen(muted, width=1.2,
                                                              style=Qt.PenStyle.DashLine))
        self._zero.setZValue(-5)
        self.plot.addItem(self._zero)
        self._curves: list[pg.PlotDataItem] = []
        self._switches = pg.ScatterPlotItem(
            symbol="o", size=10, pen=pg.mkPen(self.text_color, width=1.5),
            brush=pg.mkBrush(self.palette().color(QPalette.ColorRole.Base)))
        self._switches.setZValue(10)
        self.plot.addItem(self._switches)
        self.result: Spider | None = None
        self._x_unit = self._y_unit = 1.0  # drawn in these units (see plot_unit)

    # ---- what tests and exports read ------------------------------------------------
    def line_variables(self) -> list[str]:
        """The variables drawn, in the legend's order (largest swing first)."""
        return [line.variable for line in self._shown()]

    def curve_data(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Each line's (percent, value), switch points included, in their own units."""
        return [(x * self._x_unit, y * self._y_unit)
                for x, y in (curve.getData() for curve in self._curves)]

    def switch_points(self) -> list[tuple[float, float]]:
        """(percent, value) of each ring: where another alternative becomes best."""
        x, y = self._switches.getData()
        return [(float(a) * self._x_unit, float(b) * self._y_unit) for a, b in zip(x, y)]

    def _shown(self) -> tuple:
        return self.result.lines[:MAX_LINES] if self.result is not None else ()

    # ---- drawing --------------------------------------------------------------------
    def set_result(self, flat: FlatTree, topic: Subject, result: Spider) -> None:
        self.result = result
        lines = self._shown()
        resize_items(self._curves, len(lines), lambda: pg.PlotDataItem(connect="finite"),
                     self.plot)
        rings = [(s.percent, s.value) for line in lines for s in line.switches]
        percent = np.concatenate([line.percent for line in lines] + [np.zeros(1)])
        values = np.concatenate([line.values for line in lines]
                                + [[result.base], [v for _p, v in rings]])
        self._x_unit, self._y_unit = plot_unit(percent), plot_unit(values)
        entries = []
        for k, (curve, line) in enumerate(zip(self._curves, lines, strict=True)):
            color = alternative_color(k)
            style, words = STYLES[k // len(ALTERNATIVE_COLORS) % len(STYLES)]
            x, y = _with_switches(line)
            curve.setData(x / self._x_unit, y / self._y_unit,
                          pen=pg.mkPen(color, width=2, style=style))
            entries.append((line.variable + words, color))
        self._switches.setData([p / self._x_unit for p, _v in rings],
                               [v / self._y_unit for _p, v in rings])
        self._fit(percent, values)
        self.set_axis_label(self.plot, "bottom", X_TITLE + unit_text(self._x_unit))
        self.set_axis_label(self.plot, "left",
                            utility_title(flat, topic.player) + unit_text(self._y_unit))
        self.legend.set_entries(entries)
        self.set_texts(f"{decision_label(flat, topic.node)}: what moves the value of"
                       f" {node_label(flat, result.choice, 60)}",
                       _caption(flat, result, len(lines)))

    def _fit(self, percent: np.ndarray, values: np.ndarray) -> None:
        x = percent[np.isfinite(percent)] / self._x_unit
        y = values[np.isfinite(values)] / self._y_unit
        self.plot.setXRange(float(x.min()), float(x.max()), padding=0.03)
        low, high = float(y.min()), float(y.max())
        pad = max(high - low, abs(high) * 1e-3, 1e-9) * 0.06
        self.plot.setYRange(low - pad, high + pad, padding=0)


def _with_switches(line: SpiderLine) -> tuple[np.ndarray, np.ndarray]:
    """The line's points and its switch points, in order: the rings sit on the line."""
    x = np.concatenate([line.percent, [s.percent for s in line.switches]])
    y = np.concatenate([line.values, [s.value for s in line.switches]])
    order = np.argsort(x, kind="stable")
    return x[order], y[order]


def _caption(flat: FlatTree, result: Spider, shown_count: int) -> str:
    choice = node_label(flat, result.choice, 80)
    lines = [f"Each line is the value of {choice}, the best alternative in the base case"
             f" (worth {fmt.value(result.base)}), as one variable moves across its range, the"
             " others at their values; 0 % is the variable's value in the base case."]
    switches = [(line, s) for line in result.lines[:shown_count] for s in line.switches]
    if switches:
        lines.append("A ring marks where another alternative becomes best; the line goes on"
                     f" showing {choice}.")
        lines += [f"{line.variable} at {number(s.at)}: {node_label(flat, s.after, 60)}"
                  " becomes best." for line, s in switches[:4]]
        if len(switches) > 4:
            lines.append(f"…and {len(switches) - 4} more changes.")
    else:
        lines.append(f"{choice} stays best along every line.")
    if len(result.lines) > shown_count:
        lines.append(f"The {shown_count} of {len(result.lines)} variables that move it most"
                     " are shown.")
    return "\n".join(lines)
