"""The risk profile of a decision: each alternative's chance of each score as bars, and
its cumulative chances as a step line, with the dominance among them in the caption."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QWidget

from ...analysis.catalogue.risk_profile import dominance_lines
from ...analysis.flatten import FlatTree
from ...analysis.profile import AlternativeProfile, RiskProfile
from ...analysis.sensitivity import Subject
from .. import format as fmt
from ..format import plot_unit, unit_text
from .plot_parts import PlotFrame, alternative_color, decision_label, node_label, player_name

#: The bars of all the alternatives at one score take this share of the narrowest gap
#: between scores (and at least this share of the scores' span).
GROUP_SHARE, LEAST_SHARE = 0.8, 0.02
#: The frame at least this wide, and this many times wider than tall: plots side by side.
BESIDE_MIN_WIDTH, BESIDE_RATIO = 760, 2.2
#: At most this many alternatives are drawn (the chosen one and the best by their mean):
#: more could not be told apart, and thousands would take seconds to draw.
DRAWN_UP_TO = 12


class RiskProfilePlot(PlotFrame):
    """Chances of each score (bars, side by side per alternative) above the cumulative
    chances (one step line per alternative)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.bars_plot = self.add_plot(row=0, col=0)
        self.steps_plot = self.add_plot(row=1, col=0)
        self.steps_plot.setXLink(self.bars_plot)
        for plot in (self.bars_plot, self.steps_plot):
            plot.showGrid(x=True, y=True, alpha=0.15)
        self.set_axis_label(self.bars_plot, "left", "Chance")
        self.set_axis_label(self.steps_plot, "left", "Chance of this score or less")
        self.beside = False
        self._items: list[tuple[pg.PlotItem, pg.GraphicsObject]] = []
        self.result: RiskProfile | None = None
        self._names: list[str] = []
        self._drawn: list[AlternativeProfile] = []

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        size = event.size()
        self._arrange(size.width() >= BESIDE_MIN_WIDTH
                      and size.width() >= BESIDE_RATIO * size.height())

    def _arrange(self, beside: bool) -> None:
        """The cumulative steps beside the bars in a wide frame (a bottom dock), else
        below them."""
        if beside == self.beside:
            return
        self.beside = beside
        layout = self.graphics.ci
        layout.removeItem(self.steps_plot)
        layout.addItem(self.steps_plot, row=0 if beside else 1, col=1 if beside else 0)

    # ---- what tests and exports read ------------------------------------------------
    def alternative_names(self) -> list[str]:
        return list(self._names)

    def bars(self) -> dict[str, list[tuple[float, float]]]:
        """Each alternative's (score, chance) bars, as drawn."""
        result = self.result
        if result is None:
            return {}
        return {name: list(zip(alt.scores.tolist(), alt.chances.tolist()))
                for name, alt in zip(self._names, self._drawn)}

    def steps(self) -> dict[str, list[tuple[float, float]]]:
        """Each alternative's cumulative chance at each of its scores."""
        result = self.result
        if result is None:
            return {}
        return {name: list(zip(alt.scores.tolist(), alt.cumulative.tolist()))
                for name, alt in zip(self._names, self._drawn)}

    # ---- drawing --------------------------------------------------------------------
    def set_result(self, flat: FlatTree, topic: Subject, result: RiskProfile) -> None:
        self.result = result
        self._drawn = drawn = _drawn(result)
        self._names = [node_label(flat, flat.ids[alt.node]) for alt in drawn]
        for plot, item in self._items:
            plot.removeItem(item)
        self._items = []
        scores = np.concatenate([alt.scores for alt in drawn] + [np.zeros(0)])
        unit = plot_unit(scores) if scores.size else 1.0
        low, high = (float(scores.min()) / unit, float(scores.max()) / unit) if scores.size \
            else (0.0, 1.0)
        span = max(high - low, 1.0)
        gaps = np.diff(np.unique(scores / unit))
        group = max(GROUP_SHARE * float(gaps.min()) if gaps.size else span, LEAST_SHARE * span)
        group = min(group, 0.3 * span)
        count = max(len(drawn), 1)
        width = group / count
        for k, alt in enumerate(drawn):
            if not alt.computable:
                continue
            color = alternative_color(k)
            x = alt.scores / unit - group / 2 + (k + 0.5) * width
            self._add(self.bars_plot, pg.BarGraphItem(
                x=x, height=alt.chances, width=width, brush=color, pen=pg.mkPen(None)))
            pen = pg.mkPen(color, width=3 if alt.node == result.chosen else 1.8)
            xs, ys = _step_points(alt.scores / unit, alt.cumulative, low - 0.05 * span,
                                  high + 0.05 * span)
            self._add(self.steps_plot, pg.PlotDataItem(xs, ys, pen=pen))
        self.bars_plot.setXRange(low - 0.06 * span, high + 0.06 * span, padding=0)
        self.bars_plot.setYRange(0, 1.02, padding=0)
        self.steps_plot.setYRange(0, 1.02, padding=0)
        who = player_name(flat, topic.player)
        for plot in (self.bars_plot, self.steps_plot):
            self.set_axis_label(plot, "bottom",
                                (f"Score for {who}" if who else "Score") + unit_text(unit))
        self.legend.set_entries([(_entry(name, alt.expected, alt.node == result.chosen),
                                  alternative_color(k))
                                 for k, (name, alt) in enumerate(zip(self._names, drawn))])
        title = f"{decision_label(flat, topic.node)}: risk profile"
        self.set_texts(title + (f" for {who}" if who else ""), _caption(flat, result,
                                                                       self._names))

    def _add(self, plot: pg.PlotItem, item: pg.GraphicsObject) -> None:
        plot.addItem(item)
        self._items.append((plot, item))


def _drawn(result: RiskProfile) -> list[AlternativeProfile]:
    """The alternatives drawn, in the tree's order: all, or the chosen one and those
    with the highest means up to `DRAWN_UP_TO`."""
    every = result.alternatives
    if len(every) <= DRAWN_UP_TO:
        return list(every)
    means = np.array([alt.expected for alt in every])
    order = np.argsort(-np.nan_to_num(means, nan=-np.inf), kind="stable")
    kept = [k for k in order[:DRAWN_UP_TO] if every[k].node != result.chosen]
    kept = kept[:DRAWN_UP_TO - 1] + [k for k, alt in enumerate(every)
                                     if alt.node == result.chosen]
    return [every[k] for k in sorted(kept)]


def _step_points(scores: np.ndarray, cumulative: np.ndarray, start: float,
                 end: float) -> tuple[np.ndarray, np.ndarray]:
    """The cumulative chance as a right-continuous step line from `start` to `end`."""
    xs = np.concatenate([[start], np.repeat(scores, 2), [end]])
    ys = np.concatenate([[0.0, 0.0], np.repeat(cumulative, 2)])
    return xs, ys


def _entry(name: str, mean: float, chosen: bool) -> str:
    return f"{name}: mean {fmt.value(mean)}" + (" (chosen)" if chosen else "")


def _caption(flat: FlatTree, result: RiskProfile, names: list[str]) -> str:
    lines = dominance_lines(flat, result)
    if len(names) < len(result.alternatives):
        lines.append(f"Drawn: {len(names)} of {len(result.alternatives):,} alternatives, the"
                     " chosen one and those with the highest means.")
    missing = [node_label(flat, flat.ids[alt.node]) for alt in result.alternatives
               if not alt.computable]
    if missing:
        lines.append("Cannot be computed: " + ", ".join(missing) + ".")
    return "\n".join(lines)
