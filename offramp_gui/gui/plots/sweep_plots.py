"""One-way sensitivity lines and the two-way region map.

Plot items are made once per plot and refreshed with setData when a new result
arrives; only a change in the number of alternatives or switch points adds or
removes items (new items on every result would be slow while a slider moves).
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from ...analysis.flatten import FlatTree
from ...analysis.sensitivity import OneWay, Subject, TwoWay
from ..format import plot_unit, unit_text
from .plot_parts import (
    NONE_COLOR,
    PlotFrame,
    alternative_color,
    decision_label,
    node_label,
    player_name,
    utility_title,
    variable,
    variable_caption,
)


def resize_items(items: list, count: int, make, plot: pg.PlotItem) -> None:  # noqa: ANN001
    """Grow or shrink `items` to `count`, adding new ones to (or removing from) `plot`."""
    while len(items) < count:
        items.append(make())
        plot.addItem(items[-1])
    while len(items) > count:
        plot.removeItem(items.pop())


def base_value(flat: FlatTree, name: str) -> float | None:
    var = variable(flat, name)
    return None if var is None or not np.isfinite(var.value) else float(var.value)


def number(value: float) -> str:
    """A variable's value, to four significant figures."""
    return f"{value:.4g}"


class OneWayPlot(PlotFrame):
    """Each alternative's value against one variable; the best one bold; switches marked."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.plot = self.add_plot()
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        self._curves: list[pg.PlotDataItem] = []
        self._bold: list[pg.PlotDataItem] = []
        self._switches: list[pg.InfiniteLine] = []
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
        self._base = pg.InfiniteLine(angle=90, pen=pg.mkPen(muted, style=Qt.PenStyle.DashLine),
                                     label="", labelOpts={"position": 0.84, "color": muted,
                                                          "fill": self._fill()})
        self._base.setZValue(-5)
        self.plot.addItem(self._base)
        self.result: OneWay | None = None
        # Values and variable settings are drawn in these units (see plot_unit).
        self._x_unit = self._y_unit = 1.0

    # ---- what tests and exports read ------------------------------------------------
    def curve_data(self) -> list[tuple[np.ndarray, np.ndarray]]:
        return [(x * self._x_unit, y * self._y_unit)
                for x, y in (curve.getData() for curve in self._curves)]

    def switch_positions(self) -> list[float]:
        return [float(line.value()) * self._x_unit for line in self._switches]

    # ---- drawing --------------------------------------------------------------------
    def set_result(self, flat: FlatTree, topic: Subject, result: OneWay) -> None:
        self.result = result
        count = len(result.alternatives)
        resize_items(self._curves, count, pg.PlotDataItem, self.plot)
        resize_items(self._bold, count, lambda: pg.PlotDataItem(connect="finite"), self.plot)
        names = [node_label(flat, a) for a in result.alternatives]
        self._x_unit, self._y_unit = plot_unit(result.x), plot_unit(result.values)
        x = result.x / self._x_unit
        dense_x, dense_best = _with_switches(result)
        dense_x = dense_x / self._x_unit
        for k, alternative in enumerate(result.alternatives):
            color = alternative_color(k)
            values = result.values[k] / self._y_unit
            self._curves[k].setData(x, values, pen=pg.mkPen(color, width=1.5))
            shown = np.interp(dense_x, x, values)
            mask = np.array([alternative in best for best in dense_best])
            self._bold[k].setData(dense_x, np.where(mask, shown, np.nan),
                                  pen=pg.mkPen(color, width=5))
        self._set_switches(result)
        self._set_base(flat, result)
        self.set_axis_label(self.plot, "bottom", result.variable + unit_text(self._x_unit))
        self.set_axis_label(self.plot, "left",
                            utility_title(flat, topic.player) + unit_text(self._y_unit))
        self.plot.setXRange(float(x[0]), float(x[-1]), padding=0.02)
        self.legend.set_entries([(name, alternative_color(k)) for k, name in enumerate(names)])
        self.set_texts(f"{decision_label(flat, topic.node)}: sensitivity to {result.variable}",
                       _caption(flat, result))

    def _set_switches(self, result: OneWay) -> None:
        text = self.text_color
        resize_items(self._switches, len(result.switches),
                     lambda: pg.InfiniteLine(angle=90, label="", labelOpts={
                         "position": 0.94, "color": text, "fill": self._fill()}), self.plot)
        for line, (at, _from, _to) in zip(self._switches, result.switches, strict=True):
            line.setPen(pg.mkPen(text, width=1.2, style=Qt.PenStyle.DotLine))
            line.setValue(at / self._x_unit)
            line.label.setFormat(number(at))

    def _set_base(self, flat: FlatTree, result: OneWay) -> None:
        base = base_value(flat, result.variable)
        inside = bool(base is not None and result.x[0] <= base <= result.x[-1])
        self._base.setVisible(inside)
        if inside:
            self._base.setValue(base / self._x_unit)
            self._base.label.setFormat(f"now {number(base)}")

    def _fill(self) -> QColor:
        color = QColor(self.palette().color(QPalette.ColorRole.Base))
        color.setAlphaF(0.85)
        return color


def _with_switches(result: OneWay) -> tuple[np.ndarray, list[set[str]]]:
    """The grid plus the exact switch points, and which alternatives are best at each."""
    points = [(float(x), {b} if b else set()) for x, b in zip(result.x, result.best, strict=True)]
    points += [(at, {a for a in (f, t) if a}) for at, f, t in result.switches]
    points.sort(key=lambda point: point[0])
    return np.array([p[0] for p in points]), [p[1] for p in points]


def _caption(flat: FlatTree, result: OneWay) -> str:
    lines = [variable_caption(flat, result.variable)]
    if result.switches:
        lines += [f"At {number(at)} the best alternative changes from"
                  f" {node_label(flat, f, 60)} to {node_label(flat, t, 60)}."
                  for at, f, t in result.switches[:4]]
        if len(result.switches) > 4:
            lines.append(f"…and {len(result.switches) - 4} more changes.")
    else:
        best = next((b for b in result.best if b), None)
        lines.append(f"{node_label(flat, best, 80)} is best over the whole range." if best
                     else "No alternative can be valued in this range.")
    lines.append("The bold line is the best alternative at each value.")
    return "\n".join(lines)


class TwoWayPlot(PlotFrame):
    """Which alternative is best over a grid of two variables, as coloured regions."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.plot = self.add_plot()
        self._image = pg.ImageItem()
        self.plot.addItem(self._image)
        self._marker = pg.ScatterPlotItem(symbol="+", size=16,
                                          pen=pg.mkPen(self.text_color, width=2))
        self.plot.addItem(self._marker)
        self._regions = np.zeros((0, 0), int)
        self._x_unit = self._y_unit = 1.0  # the variables' settings are drawn in these

    def region_grid(self) -> np.ndarray:
        """Position of the best alternative at each grid point, (Ny, Nx); -1 where none."""
        return self._regions.copy()

    def set_result(self, flat: FlatTree, topic: Subject, result: TwoWay) -> None:
        self._regions = np.asarray(result.best_index, int)
        colors = [QColor(NONE_COLOR)] + [alternative_color(k)
                                         for k in range(len(result.alternatives))]
        table = np.array([[c.red(), c.green(), c.blue(), 255] for c in colors], np.uint8)
        self._image.setImage(table[self._regions.T + 1], autoLevels=False)
        self._x_unit, self._y_unit = plot_unit(result.x), plot_unit(result.y)
        x, y = result.x / self._x_unit, result.y / self._y_unit
        self._image.setRect(_pixel_rect(x, y))
        self.plot.setXRange(float(x[0]), float(x[-1]), padding=0)
        self.plot.setYRange(float(y[0]), float(y[-1]), padding=0)
        self._set_marker(flat, result)
        self.set_axis_label(self.plot, "bottom", result.x_variable + unit_text(self._x_unit))
        self.set_axis_label(self.plot, "left", result.y_variable + unit_text(self._y_unit))
        entries = [(node_label(flat, a), alternative_color(k))
                   for k, a in enumerate(result.alternatives)]
        if (self._regions < 0).any():
            entries.append(("None can be valued", QColor(NONE_COLOR)))
        self.legend.set_entries(entries)
        self.set_texts(f"{decision_label(flat, topic.node)}: the best alternative for"
                       f" {player_name(flat, topic.player)} by {result.x_variable} and"
                       f" {result.y_variable}", _map_caption(flat, result))

    def _set_marker(self, flat: FlatTree, result: TwoWay) -> None:
        x, y = base_value(flat, result.x_variable), base_value(flat, result.y_variable)
        inside = (x is not None and y is not None and result.x[0] <= x <= result.x[-1]
                  and result.y[0] <= y <= result.y[-1])
        self._marker.setData([x / self._x_unit] if inside else [],
                             [y / self._y_unit] if inside else [])


def _pixel_rect(x: np.ndarray, y: np.ndarray) -> QRectF:
    """Grid points at the pixels' centres."""
    dx = (x[-1] - x[0]) / max(1, x.size - 1)
    dy = (y[-1] - y[0]) / max(1, y.size - 1)
    return QRectF(float(x[0] - dx / 2), float(y[0] - dy / 2), float(dx * x.size),
                  float(dy * y.size))


def _map_caption(flat: FlatTree, result: TwoWay) -> str:
    lines = [variable_caption(flat, result.x_variable),
             variable_caption(flat, result.y_variable)]
    x, y = base_value(flat, result.x_variable), base_value(flat, result.y_variable)
    if x is not None and y is not None:
        lines.append(f"+ marks the values in the tree ({result.x_variable} {number(x)},"
                     f" {result.y_variable} {number(y)}).")
    return "\n".join(lines)
