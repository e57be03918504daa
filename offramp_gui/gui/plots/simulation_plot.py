"""Monte Carlo results: each alternative's spread, how often each is best, outcome chances."""
from __future__ import annotations

from collections.abc import Mapping
from typing import cast

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QFontMetricsF, QResizeEvent
from PySide6.QtWidgets import QWidget

from ...analysis.flatten import FlatTree
from ...analysis.montecarlo import Simulation
from ...analysis.sensitivity import Subject
from .. import format as fmt
from ..format import plot_unit, unit_text
from .plot_parts import (
    CategoryAxis,
    PlotFrame,
    alternative_color,
    decision_label,
    node_label,
    outcome_colors,
    utility_title,
)
from .sweep_plots import resize_items

BAR_HEIGHT = 0.6
MAX_BINS = 60
NUMBERS_AT = 1.04  # where the outcome plot writes each outcome's numbers


class SimulationPlot(PlotFrame):
    """Histograms of the alternatives' values, P(best) bars, and outcome spreads."""

    MIN_PLOT_HEIGHT = 400
    #: Plots at least this wide sit in one row: a short bottom dock then shows every
    #: axis and its title without scrolling.
    ONE_ROW_WIDTH = 1000
    ONE_ROW_HEIGHT = 180

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.histogram = self.add_plot(row=0, col=0)
        self._best_axis, self._outcome_axis = CategoryAxis(), CategoryAxis()
        self.best_plot = self.add_plot(row=0, col=1, axisItems={"left": self._best_axis})
        self.outcome_plot = self.add_plot(row=1, col=0, colspan=2,
                                          axisItems={"left": self._outcome_axis})
        self.one_row = False
        layout = self.graphics.ci.layout
        layout.setColumnStretchFactor(0, 3)
        layout.setColumnStretchFactor(1, 2)
        layout.setRowStretchFactor(0, 3)
        layout.setRowStretchFactor(1, 2)
        layout.setHorizontalSpacing(16)
        self.graphics.installEventFilter(self)
        self.outcome_plot.vb.sigResized.connect(self._fit_outcome_range)
        for plot in (self.best_plot, self.outcome_plot):
            plot.invertY(True)
            plot.getAxis("bottom").setTicks([[(x / 2, f"{50 * x}%") for x in range(3)],
                                             [(x / 4, "") for x in (1, 3)]])
            plot.getAxis("bottom").setStyle(hideOverlappingLabels=False)
        self._curves: list[pg.PlotDataItem] = []
        self._best = pg.BarGraphItem(x0=[], y=[], width=[], height=BAR_HEIGHT)
        self.best_plot.addItem(self._best)
        self._best_texts: list[pg.TextItem] = []
        self._spread = pg.BarGraphItem(x0=[], y=[], width=[], height=0.14)
        self._means = pg.ScatterPlotItem(size=11, pen=pg.mkPen(self.text_color, width=1))
        self.outcome_plot.addItem(self._spread)
        self.outcome_plot.addItem(self._means)
        self._outcome_texts: list[pg.TextItem] = []
        self.result: Simulation | None = None
        self._outcome_rows: list[tuple[str, float, float, float]] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize and watched is self.graphics:
            self._arrange(cast(QResizeEvent, event).size().width() >= self.ONE_ROW_WIDTH)
        return super().eventFilter(watched, event)

    def _arrange(self, one_row: bool) -> None:
        """The outcome spreads right of the P(best) bars, or under both other plots."""
        if one_row == self.one_row:
            return
        self.one_row = one_row
        layout = self.graphics.ci
        layout.removeItem(self.outcome_plot)
        if one_row:
            layout.addItem(self.outcome_plot, row=0, col=2)
        else:
            layout.addItem(self.outcome_plot, row=1, col=0, colspan=2)
        layout.layout.setColumnStretchFactor(2, 4 if one_row else 0)
        self.graphics.setMinimumHeight(self.ONE_ROW_HEIGHT if one_row
                                       else self.MIN_PLOT_HEIGHT)

    # ---- what tests and exports read ------------------------------------------------
    def probability_best(self) -> list[float]:
        """The P(best) bars' lengths, in the alternatives' order."""
        return [float(w) for w in self._best.opts["width"]]

    def histogram_data(self) -> list[tuple[np.ndarray, np.ndarray]]:
        return [curve.getData() for curve in self._curves]

    def outcome_rows(self) -> list[tuple[str, float, float, float]]:
        """(outcome id, mean, p5, p95) of each outcome drawn, top to bottom."""
        return list(self._outcome_rows)

    # ---- drawing --------------------------------------------------------------------
    def set_result(self, flat: FlatTree, topic: Subject, result: Simulation,
                   colors: Mapping[str, str] | None = None) -> None:
        self.result = result
        names = [node_label(flat, a) for a in result.alternatives]
        unit = self._set_histograms(result)
        self._set_best(result, names)
        self._set_outcomes(flat, result, colors)
        self.set_axis_label(self.histogram, "bottom",
                            utility_title(flat, topic.player) + unit_text(unit))
        self.set_axis_label(self.histogram, "left", "Share of samples")
        self.set_axis_label(self.best_plot, "bottom", "Chance of being best")
        self.set_axis_label(self.outcome_plot, "bottom", "Chance of each outcome")
        self.legend.set_entries([(n, alternative_color(k)) for k, n in enumerate(names)])
        self.set_texts(f"{decision_label(flat, topic.node)}: Monte Carlo, {result.valid:,}"
                       f" samples (seed {result.seed})", _caption(flat, result))

    def _set_histograms(self, result: Simulation) -> float:
        """Draw them; return the unit the values are drawn in (see plot_unit)."""
        unit = plot_unit(result.values)
        values = result.values / unit
        resize_items(self._curves, values.shape[0], pg.PlotDataItem, self.histogram)
        edges = _bin_edges(values)
        tallest = []
        for k, curve in enumerate(self._curves):
            counts = np.histogram(values[k], edges)[0] / max(1, result.valid)
            color = alternative_color(k)
            fill = QColor(color)
            fill.setAlpha(60)
            curve.setData(edges, counts, stepMode="center", fillLevel=0, brush=fill,
                          pen=pg.mkPen(color, width=2))
            if values[k].size and np.ptp(values[k]) > 0:
                tallest.append(float(counts.max()))
        # An alternative worth the same in every sample is one tall bar: let it run off
        # the top rather than flatten the others' shapes.
        top = max(tallest) if tallest else 1.0
        self.histogram.setYRange(0, top * 1.12, padding=0)
        return unit

    def _set_best(self, result: Simulation, names: list[str]) -> None:
        count = len(result.alternatives)
        rows = np.arange(count, dtype=float)
        shares = np.array([float(np.mean(result.best == k)) if result.valid else 0.0
                           for k in range(count)])
        self._best.setOpts(x0=np.zeros(count), y=rows, width=shares, height=BAR_HEIGHT,
                           brushes=[alternative_color(k) for k in range(count)],
                           pens=[pg.mkPen(None)] * count)
        resize_items(self._best_texts, count,
                     lambda: pg.TextItem(color=self.text_color, anchor=(0, 0.5)),
                     self.best_plot)
        for k, item in enumerate(self._best_texts):
            inside = shares[k] > 0.6  # a long bar carries its number inside its end
            item.setText(fmt.probability(shares[k]))
            item.setColor("#ffffff" if inside else self.text_color)
            item.setAnchor((1.0, 0.5) if inside else (0.0, 0.5))
            item.setPos(shares[k], rows[k])
        self._best_axis.set_names(names, widest=170)
        self.best_plot.setXRange(0, 1.25, padding=0)
        self.best_plot.setYRange(-0.6, max(count, 1) - 0.4, padding=0)

    def _set_outcomes(self, flat: FlatTree, result: Simulation,
                      colors: Mapping[str, str] | None) -> None:
        summary = result.outcome_summary()
        names = dict(zip(result.outcomes, flat.labels.outcomes, strict=False))
        keys = [k for k in result.outcomes if k != "null" or summary[k]["p95"] > 0]
        self._outcome_rows = [(k, summary[k]["mean"], summary[k]["p5"], summary[k]["p95"])
                              for k in keys]
        rows = np.arange(len(keys), dtype=float)
        palette = outcome_colors(list(result.outcomes), dict(colors or {}))
        brushes = [palette[result.outcomes.index(k)] for k in keys]
        p5 = np.array([r[2] for r in self._outcome_rows])
        p95 = np.array([r[3] for r in self._outcome_rows])
        mean = np.array([r[1] for r in self._outcome_rows])
        self._spread.setOpts(x0=p5, y=rows, width=p95 - p5, height=0.14, brushes=brushes,
                             pens=[pg.mkPen(None)] * len(keys))
        self._means.setData(mean, rows, brush=brushes)
        resize_items(self._outcome_texts, len(keys),
                     lambda: pg.TextItem(color=self.text_color, anchor=(0, 0.5)),
                     self.outcome_plot)
        for k, item in enumerate(self._outcome_texts):
            item.setText(f"{fmt.probability(mean[k])} ({fmt.probability(p5[k])}–"
                         f"{fmt.probability(p95[k])})")
            item.setPos(NUMBERS_AT, rows[k])  # a column of numbers right of 100%
        self._outcome_axis.set_names([names.get(k, k) for k in keys], widest=260, lines=1)
        self._fit_outcome_range()
        self.outcome_plot.setYRange(-0.6, max(len(keys), 1) - 0.4, padding=0)

    def _fit_outcome_range(self) -> None:
        """0% to 100%, and room right of them for the widest column of numbers."""
        metrics = QFontMetricsF(self.font())
        numbers = max((metrics.horizontalAdvance(item.textItem.toPlainText())
                       for item in self._outcome_texts), default=0.0) + 12
        pixels = max(self.outcome_plot.vb.width(), numbers + 60)
        left = -0.01
        right = (NUMBERS_AT - numbers * left / pixels) / (1 - numbers / pixels)
        self.outcome_plot.setXRange(left, max(right, NUMBERS_AT + 0.36), padding=0)


def _bin_edges(values: np.ndarray) -> np.ndarray:
    """Common bins for every alternative; a unit-wide bin when all values are equal."""
    finite = values[np.isfinite(values)]
    if not finite.size:
        return np.array([0.0, 1.0])
    low, high = float(finite.min()), float(finite.max())
    if high - low < 1e-12 * max(1.0, abs(low)):
        return np.array([low - 0.5, low + 0.5])
    bins = int(min(MAX_BINS, max(10, np.sqrt(finite.size / max(1, values.shape[0])))))
    return np.linspace(low, high, bins + 1)


def _caption(flat: FlatTree, result: Simulation) -> str:
    top = sorted(result.evppi.items(), key=lambda item: -item[1])[:5]
    lines = [f"{node_label(flat, a, 60)} is worth {fmt.value(float(result.values[k, 0]))} in"
             " every sample." for k, a in enumerate(result.alternatives)
             if result.valid and result.values[k].min() == result.values[k].max()]
    lines.append("Each outcome's dot is its mean chance; its bar runs from the 5th to the 95th"
                 " percentile.")
    lines.append(f"Expected value of perfect information (EVPI): {fmt.value(result.evpi)}.")
    if top:
        lines.append("Of learning one variable (EVPPI): " + ", ".join(
            f"{name} {fmt.value(value)}" for name, value in top) + ".")
    if result.valid < result.samples:
        lines.append(f"{result.samples - result.valid:,} samples could not be evaluated and"
                     " are left out.")
    return "\n".join(lines)
