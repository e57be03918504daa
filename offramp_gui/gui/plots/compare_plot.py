"""The chance of each outcome in each scenario compared: one group of bars per outcome,
in its colour, one bar per scenario (a series each, lighter for each later column),
each bar labelled with its scenario and chance."""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QWidget

from .. import format as fmt
from ..text import shown
from .plot_parts import CategoryAxis, PlotFrame

#: The bars of one outcome take this share of the room between outcomes.
GROUP_SHARE = 0.84
#: Each later column's bars are this much more transparent, down to LEAST_ALPHA.
ALPHA_STEP, LEAST_ALPHA = 70, 60
#: Room (px) a bar needs to be read with its label.
BAR_PX = 18


class CompareChart(PlotFrame):
    """Grouped horizontal bars: outcomes down the side, a bar per scenario in each."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.axis = CategoryAxis()
        self.plot = self.add_plot(axisItems={"left": self.axis})
        self.plot.invertY(True)
        self.plot.showGrid(x=True, y=False, alpha=0.15)
        self.plot.getAxis("bottom").setTicks([[(t / 4, f"{25 * t}%") for t in range(5)], []])
        self.set_axis_label(self.plot, "bottom", "Chance")
        #: Each scenario's bars, by its name, in the columns' order.
        self.series: dict[str, pg.BarGraphItem] = {}
        self._labels: list[pg.TextItem] = []
        self.legend.hide()

    def set_chances(self, scenarios: list[str], outcomes: list[tuple[str, list[float]]],
                    colors: list[QColor], style: fmt.NumberFormat = fmt.AUTOMATIC) -> None:
        """`outcomes`: (name, a chance per scenario) in order, each drawn in its colour."""
        for item in [*self.series.values(), *self._labels]:
            self.plot.removeItem(item)
        self.series, self._labels = {}, []
        self.axis.set_names([shown(name, 120) for name, _chances in outcomes])
        count = max(len(scenarios), 1)
        height = GROUP_SHARE / count
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 0.85)
        for j, scenario in enumerate(scenarios):
            chances = np.array([chances[j] for _name, chances in outcomes], dtype=float)
            drawn = np.nan_to_num(chances)
            y = np.arange(len(outcomes)) - GROUP_SHARE / 2 + (j + 0.5) * height
            alpha = max(255 - ALPHA_STEP * j, LEAST_ALPHA)
            brushes = [pg.mkBrush(_faded(color, alpha)) for color in colors]
            pens = [pg.mkPen(color, width=1) for color in colors]
            bars = pg.BarGraphItem(x0=np.zeros(len(outcomes)), y=y, width=drawn,
                                   height=height * 0.9, brushes=brushes, pens=pens)
            bars.setToolTip(scenario)
            self.plot.addItem(bars)
            self.series[scenario] = bars
            for k, chance in enumerate(chances):
                text = pg.TextItem(f"{shown(scenario, 40)} {fmt.probability(chance, style)}"
                                   if math.isfinite(chance) else f"{shown(scenario, 40)} —",
                                   color=self.text_color, anchor=(0, 0.5))
                text.setFont(font)
                text.setPos(float(drawn[k]) + 0.01, float(y[k]))
                self.plot.addItem(text)
                self._labels.append(text)
        self.plot.setXRange(0, 1.35, padding=0)
        self.plot.setYRange(-0.5, max(len(outcomes), 1) - 0.5, padding=0)
        self.graphics.setMinimumHeight(max(self.MIN_PLOT_HEIGHT,
                                           BAR_PX * count * len(outcomes) + 60))
        names = ", ".join(f"“{shown(name, 40)}”" for name in scenarios)
        self.set_texts("Chance of each outcome",
                       f"In each outcome's colour, a bar per column, top to bottom: {names}.")

    def bar_lengths(self) -> dict[str, list[float]]:
        """Each scenario's bars as drawn (chances, one per outcome)."""
        return {name: [float(w) for w in bars.opts["width"]]
                for name, bars in self.series.items()}


def _faded(color: QColor, alpha: int) -> QColor:
    faded = QColor(color)
    faded.setAlpha(alpha)
    return faded
