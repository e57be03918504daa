"""Value of information: the decision's value knowing each outcome (or each signal of a
test) against its value not knowing, with the expected values that make EVPI and EVII."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from ...analysis.event_information import EventInformation
from ...analysis.flatten import FlatTree
from ...analysis.sensitivity import Subject
from .. import format as fmt
from ..format import plot_unit, unit_text
from .plot_parts import (
    NONE_COLOR,
    CategoryAxis,
    PlotFrame,
    alternative_color,
    decision_label,
    node_label,
    utility_title,
)
from .sweep_plots import resize_items

BAR_HEIGHT = 0.6
ROW_PX = 22
#: The lines' styles: not knowing, knowing perfectly, the test.
LINE_STYLES = {"none": Qt.PenStyle.SolidLine, "perfect": Qt.PenStyle.DashLine,
               "imperfect": Qt.PenStyle.DotLine}


class InformationPlot(PlotFrame):
    """A bar per outcome (then per signal) from the value not knowing to the value knowing
    it, coloured by the alternative chosen; vertical lines at the value not knowing and at
    the expected values with information."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._axis = CategoryAxis()
        self.plot = self.add_plot(axisItems={"left": self._axis})
        self.plot.invertY(True)
        self.plot.showGrid(x=True, alpha=0.15)
        self._bars = pg.BarGraphItem(x0=[], y=[], width=[], height=BAR_HEIGHT)
        self.plot.addItem(self._bars)
        self._lines: list[pg.InfiniteLine] = []
        self._line_texts: list[pg.TextItem] = []
        self._rows: list[tuple[str, float]] = []
        self._marks: dict[str, float] = {}

    # ---- what tests and exports read ------------------------------------------------
    def rows(self) -> list[tuple[str, float]]:
        """(row name, the decision's value knowing it), top to bottom."""
        return list(self._rows)

    def marks(self) -> dict[str, float]:
        """The vertical lines: "none", "perfect" and "imperfect" -> the value marked."""
        return dict(self._marks)

    # ---- drawing --------------------------------------------------------------------
    def set_result(self, flat: FlatTree, topic: Subject, result: EventInformation) -> None:
        knowings = [("perfect", result.perfect)]
        if result.imperfect is not None:
            knowings.append(("imperfect", result.imperfect))
        names, values, choices = [], [], []
        for _name, knowing in knowings:
            for s, signal in enumerate(knowing.signals):
                names.append(f"{signal} ({100 * knowing.probability[s]:.0f}%)")
                values.append(float(knowing.values[s]))
                choices.append(int(knowing.choices[s]))
        self._rows = [(name, value) for name, value in zip(names, values, strict=True)]
        self._marks = {"none": result.value}
        for name, knowing in knowings:
            self._marks[name] = result.value + knowing.worth
        marks = np.array(list(self._marks.values()))
        value_array = np.array(values, float)
        unit = plot_unit(np.concatenate([value_array, marks]))
        shown_values, base = value_array / unit, result.value / unit
        finite = np.isfinite(shown_values)
        drawn = np.where(finite, shown_values, base)
        rows = np.arange(len(values), dtype=float)
        alternatives = list(topic.alternatives)
        brushes = [alternative_color(alternatives.index(c)) if c in alternatives
                   else QColor(NONE_COLOR) for c in choices]
        self._bars.setOpts(x0=np.minimum(drawn, base), y=rows, width=np.abs(drawn - base),
                           height=BAR_HEIGHT, brushes=brushes, pens=[pg.mkPen(None)] * len(rows))
        self._set_lines(unit)
        self._axis.set_names(names, widest=240)
        self.graphics.setMinimumHeight(max(self.MIN_PLOT_HEIGHT, ROW_PX * (len(rows) + 2) + 60))
        self._fit(np.concatenate([drawn, marks / unit]), len(rows))
        self.set_axis_label(self.plot, "bottom", utility_title(flat, result.player)
                            + unit_text(unit))
        self.legend.set_entries([(node_label(flat, flat.ids[a], 80), alternative_color(k))
                                 for k, a in enumerate(alternatives)
                                 if a in choices or a == result.choice])
        self.set_texts(f"{decision_label(flat, result.before)}: what knowing"
                       f" “{decision_label(flat, result.event)}” first is worth",
                       _caption(flat, result))

    def _set_lines(self, unit: float) -> None:
        resize_items(self._lines, len(self._marks), lambda: pg.InfiniteLine(angle=90),
                     self.plot)
        resize_items(self._line_texts, len(self._marks),
                     lambda: pg.TextItem(color=self.text_color, anchor=(0, 0.5)), self.plot)
        words = {"none": "not knowing", "perfect": "knowing", "imperfect": "with the test"}
        for k, (name, value) in enumerate(self._marks.items()):
            self._lines[k].setPen(pg.mkPen(self.text_color, width=1.5, style=LINE_STYLES[name]))
            self._lines[k].setValue(value / unit)
            self._line_texts[k].setText(f" {words[name]} {fmt.value(value)}")
            self._line_texts[k].setPos(value / unit, -1.0 - 0.6 * k)

    def _fit(self, values: np.ndarray, count: int) -> None:
        finite = values[np.isfinite(values)]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        pad = max(high - low, 1e-9) * 0.15
        self.plot.setXRange(low - pad, high + pad * 3, padding=0)
        self.plot.setYRange(-1.0 - 0.6 * len(self._marks), max(count, 1) - 0.4, padding=0)


def _caption(flat: FlatTree, result: EventInformation) -> str:
    lines = ["Each bar runs from the decision's value not knowing to its value knowing that"
             " outcome (or signal), coloured by the alternative then chosen; the chance of"
             " each is in brackets.",
             f"Expected value of perfect information: {fmt.value(result.perfect.worth)}."]
    if result.imperfect is not None:
        lines.append(f"Expected value of the test's information:"
                     f" {fmt.value(result.imperfect.worth)}.")
    if len(result.places) > 1:
        lines.append(f"The event is known at its {len(result.places)} places after the"
                     " decision at once.")
    return "\n".join(lines)
