"""OutcomesPanel: each alternative of the selected decision (the root's while the
selection is not a decision), its value and the chance of each outcome.

Left, a bar per alternative: the expected utility of the shown player. Right, a
stacked bar per alternative: the chance of each outcome, in the outcomes' colours.
The alternative chosen there is drawn bold and outlined; a title names the decision.
Plot items are made once and refreshed with setOpts when results arrive (new items on
every result would be slow while a slider moves).
"""
from __future__ import annotations

import html
import math
import textwrap
from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPalette, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ...analysis.evaluate import Results
from ...analysis.flatten import ASSUMED_KIND, DECISION_KIND, FlatTree
from .. import format as fmt
from ..scene.theme import PLAYER_COLORS, TERMINAL_COLOR, player_color
from ..text import shown, tooltip
from .plot_parts import decision_label, player_name

UNCLASSIFIED_COLOR = "#9e9e9e"
#: Outcomes without a colour of their own, in order.
FALLBACK_COLORS = ("#5c6bc0", "#26a69a", "#d4a017", "#8d6e63", "#ec407a", "#78909c")
BAR_HEIGHT = 0.62
STACK_BELOW = 640  # px: narrower than this, the two plots are stacked
_LABEL_CHARS = 24  # wrap alternative names on the axis at about this many characters


@dataclass
class PanelData:
    """What the panel draws, straight from the engine's results."""

    labels: list[str] = field(default_factory=list)
    utilities: np.ndarray = field(default_factory=lambda: np.zeros(0))
    shares: dict[str, np.ndarray] = field(default_factory=dict)  # outcome key -> per row
    names: dict[str, str] = field(default_factory=dict)  # outcome key -> name
    chosen: int = -1
    player: str = ""
    player_index: int = 0
    title: str = ""


def decision_shown(results: Results, selected_id: str | None) -> int:
    """The index of the selected node if it is a decision with branches; else the root's."""
    flat = results.flat
    node = flat.index.get(selected_id) if selected_id is not None else None
    if node is not None and flat.kind[node] in (DECISION_KIND, ASSUMED_KIND) \
            and flat.child_count[node]:
        return node
    return 0


def panel_data(results: Results | None, player: int,
               style: fmt.NumberFormat = fmt.AUTOMATIC, node: int = 0) -> PanelData:
    """The alternatives of `node` (or its branches; or the root alone if it is a
    terminal)."""
    if results is None or results.flat.size == 0:
        return PanelData()
    flat = results.flat
    rows = list(flat.children(node)) or [node]
    labels = [shown(flat.labels.branches[i] or flat.ids[i], 200) if i else
              shown(flat.labels.node(0, flat.title or flat.ids[0]), 200) for i in rows]
    if flat.kind[node] != DECISION_KIND and flat.child_count[node]:  # branches of chance
        labels = [f"{label} ({fmt.probability(results.probability[i], style)})"
                  for label, i in zip(labels, rows)]
    p = min(max(player, 0), results.utility.shape[1] - 1)
    choice = int(results.choice[node])
    keys = results.outcome_keys
    return PanelData(
        title=_title(flat, node), labels=labels,
        utilities=results.utility[rows, p].astype(float),
        shares={key: results.outcomes[rows, k].astype(float) for k, key in enumerate(keys)},
        names=dict(zip(keys, flat.labels.outcomes)),
        chosen=rows.index(choice) if choice in rows else -1,
        player=flat.labels.players[p] if flat.labels.players else "", player_index=p)


def _title(flat: FlatTree, node: int) -> str:
    """What the chart compares: the decision's alternatives, each played as solved after."""
    name = "“" + decision_label(flat, node) + "”"
    if flat.kind[node] == DECISION_KIND:
        who = player_name(flat, max(int(flat.player[node]), 0))
        return (f"{name}{', decided by ' + who if who else ''}: each alternative, then"
                " play as solved (its choice outlined)")
    if flat.child_count[node]:
        return f"{name}: each branch by its chance, then play as solved"
    return f"{name}: the tree's one ending"


class _AlternativeAxis(pg.AxisItem):
    """A left axis whose ticks are names; the chosen one is drawn bold."""

    def __init__(self) -> None:
        super().__init__("left")
        self.bold_label: str | None = None

    def drawPicture(self, p, axisSpec, tickSpecs, textSpecs) -> None:  # noqa: ANN001, N802
        super().drawPicture(p, axisSpec, tickSpecs, [s for s in textSpecs
                                                     if s[2] != self.bold_label])
        bold = [s for s in textSpecs if s[2] == self.bold_label]
        if bold:
            font = QFont(p.font())
            font.setBold(True)
            p.setFont(font)
            for rect, flags, text in bold:
                p.drawText(rect, int(flags), text)


class _Legend(QWidget):
    """Outcome swatches and names, as plain text, in rows of three."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(8, 0, 8, 4)
        self._grid.setHorizontalSpacing(6)
        self._grid.setVerticalSpacing(2)
        self._entries: dict[str, tuple[QLabel, QLabel]] = {}
        self._columns = 3

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        columns = max(1, min(3, event.size().width() // 240))
        if columns != self._columns:
            self._columns = columns
            self._place()

    def set_entries(self, entries: list[tuple[str, str, QColor]], visible: set[str]) -> None:
        """(key, name, colour) in order; rebuilt only when the keys or names change."""
        wanted = [(key, name) for key, name, _color in entries]
        if wanted != [(k, self._entries[k][1].text()) for k in self._entries]:
            self._rebuild(wanted)
        for key, _name, color in entries:
            swatch, label = self._entries[key]
            sheet = f"background: {color.name()}; border: 1px solid #555;"
            if swatch.styleSheet() != sheet:  # a style sheet set restyles the widget
                swatch.setStyleSheet(sheet)
            swatch.setVisible(key in visible)
            label.setVisible(key in visible)

    def _rebuild(self, wanted: list[tuple[str, str]]) -> None:
        for widget in (w for pair in self._entries.values() for w in pair):
            self._grid.removeWidget(widget)
            widget.hide()  # deletion waits for the event loop; hide it from sight now
            widget.deleteLater()
        self._entries.clear()
        for key, name in wanted:
            swatch, label = QLabel(), QLabel(name)
            swatch.setFixedSize(12, 12)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setToolTip(tooltip(name))
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self._entries[key] = (swatch, label)
        self._place()

    def _place(self) -> None:
        for n, (swatch, label) in enumerate(self._entries.values()):
            row, column = divmod(n, self._columns)
            self._grid.addWidget(swatch, row, 2 * column)
            self._grid.addWidget(label, row, 2 * column + 1)
        for column in range(6):
            self._grid.setColumnStretch(column, 1 if column % 2 and column < 2 * self._columns
                                        else 0)

    def names(self) -> list[str]:
        return [label.text() for _swatch, label in self._entries.values() if
                not label.isHidden()]


class OutcomesPanel(QWidget):
    """Expected utility and outcome chances of each alternative at the root."""

    def __init__(self, document, parent: QWidget | None = None):  # noqa: ANN001
        super().__init__(parent)
        self.document = document
        self._data = PanelData()
        self._style = fmt.AUTOMATIC
        self._unit = 1.0  # the values' bars are drawn in this unit (plot_unit)
        self._graphics = pg.GraphicsLayoutWidget()
        self._axis = _AlternativeAxis()
        self._share_axis = _AlternativeAxis()  # shown only when the plots are stacked
        self._values = self._graphics.addPlot(row=0, col=0, axisItems={"left": self._axis})
        self._shares = self._graphics.addPlot(row=0, col=1,
                                              axisItems={"left": self._share_axis})
        self._stacked = False
        self._value_bars = pg.BarGraphItem(x0=[], y=[], width=[], height=BAR_HEIGHT)
        self._outline = pg.BarGraphItem(x0=[], y=[], width=[], height=BAR_HEIGHT + 0.1,
                                        brush=None)
        self._zero = pg.InfiniteLine(0, angle=90)
        self._value_texts: list[pg.TextItem] = []
        self._axis_shown: tuple[list[str], int, str] | None = None  # names, chosen, font
        self._label_shown: tuple[str, str] | None = None  # the values' axis title, colour
        self._share_bars: dict[str, pg.BarGraphItem] = {}
        self._legend = _Legend()
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        self.title.setContentsMargins(8, 2, 8, 0)
        self._setup_plots()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self._graphics, 1)
        layout.addWidget(self._legend)
        self.setMinimumSize(380, 200)
        self._legend.setAutoFillBackground(True)
        legend_palette = self._legend.palette()
        legend_palette.setColor(QPalette.ColorRole.Window,
                                self.palette().color(QPalette.ColorRole.Base))
        self._legend.setPalette(legend_palette)
        document.results_ready.connect(self.refresh)
        document.display_changed.connect(self.refresh)
        document.selection_changed.connect(self.refresh)
        self.refresh()

    # ---- what tests and exports read ------------------------------------------------
    def alternatives(self) -> list[str]:
        return list(self._data.labels)

    def utilities(self) -> list[float]:
        return [float(v) for v in self._data.utilities]

    def outcome_shares(self) -> dict[str, list[float]]:
        return {key: [float(v) for v in row] for key, row in self._data.shares.items()}

    def chosen_index(self) -> int:
        return self._data.chosen

    def highlighted_alternative(self) -> str | None:
        """The name drawn bold on the axis (the chosen alternative), as drawn."""
        return self._axis.bold_label

    def legend_names(self) -> list[str]:
        return self._legend.names()

    # ---- setup ----------------------------------------------------------------------
    def _setup_plots(self) -> None:
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        self._graphics.setBackground(palette.color(QPalette.ColorRole.Base))
        self._graphics.ci.layout.setColumnStretchFactor(0, 1)
        self._graphics.ci.layout.setColumnStretchFactor(1, 1)
        self._graphics.ci.layout.setHorizontalSpacing(28)
        # The axis title states the values' unit (plot_unit); pyqtgraph's own "(x0.001)"
        # would contradict the numbers on the bars.
        self._values.getAxis("bottom").enableAutoSIPrefix(False)
        for plot in (self._values, self._shares):
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.invertY(True)
            for name in ("left", "bottom"):
                plot.getAxis(name).setTextPen(text)
                plot.getAxis(name).setPen(pg.mkPen(palette.color(QPalette.ColorRole.Mid)))
        self._shares.setYLink(self._values)
        self._share_axis.hide()
        self._shares.getAxis("bottom").setStyle(hideOverlappingLabels=False)
        self._shares.setXRange(-0.03, 1.05, padding=0)  # room for the 0% and 100% labels
        self._shares.getAxis("bottom").setTicks(
            [[(x / 4, f"{25 * x}%") for x in range(5)]])
        # Axis labels rather than plot titles: a title would fix the panel's minimum width.
        self._shares.setLabel("bottom", "Chance of each outcome", color=text.name())
        self._zero.setPen(pg.mkPen(palette.color(QPalette.ColorRole.Mid), width=1))
        self._values.addItem(self._zero)
        self._values.vb.sigResized.connect(self._fit_values_range)
        self._values.addItem(self._value_bars)
        self._shares.addItem(self._outline)
        self._outline.setZValue(10)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange(event.size().width() < STACK_BELOW)

    def _arrange(self, stacked: bool) -> None:
        """Side by side when there is room; otherwise one plot above the other."""
        if stacked == self._stacked:
            return
        self._stacked = stacked
        layout = self._graphics.ci
        layout.removeItem(self._shares)
        layout.addItem(self._shares, row=1 if stacked else 0, col=0 if stacked else 1)
        self._share_axis.setVisible(stacked)

    # ---- refresh --------------------------------------------------------------------
    def refresh(self, _changed: object = None) -> None:
        """Redraw from the document's latest results, selection and shown player."""
        self._style = fmt.NumberFormat.of(self.document.tree.display)
        results = self.document.results
        node = decision_shown(results, self.document.selected_id) if results is not None \
            and results.flat.size else 0
        self._data = panel_data(results, self.document.shown_player, self._style, node)
        if self.title.text() != self._data.title:
            self.title.setText(self._data.title)
        rows = np.arange(len(self._data.labels), dtype=float)
        self._update_axis(rows)
        self._update_values(rows)
        self._update_shares(rows)
        self._values.setYRange(-0.6, max(len(rows), 1) - 0.4, padding=0)

    def _update_axis(self, rows: np.ndarray) -> None:
        wrapped = ["\n".join(_wrap(label)) for label in self._data.labels]
        chosen = self._data.chosen
        shown_now = (wrapped, chosen, self.font().toString())
        if shown_now == self._axis_shown:
            return  # new ticks lay the plots out again: slow while a slider moves
        self._axis_shown = shown_now
        for axis in (self._axis, self._share_axis):
            axis.setTicks([list(zip(rows.tolist(), wrapped))])
            axis.bold_label = wrapped[chosen] if chosen >= 0 else None
        bold = QFont(self.font())
        bold.setBold(True)
        metrics = QFontMetricsF(bold)
        widest = max((metrics.horizontalAdvance(line) for text in wrapped
                      for line in text.split("\n")), default=40.0)
        self._axis.setWidth(int(min(widest, 260)) + 16)
        self._share_axis.setWidth(int(min(widest, 260)) + 16)

    def _update_values(self, rows: np.ndarray) -> None:
        data = self._data
        finite = np.isfinite(data.utilities)
        players = self.document.tree.effective_players()
        k = data.player_index
        color = QColor(player_color(players[k], k)[0] if k < len(players)
                       else PLAYER_COLORS[k % len(PLAYER_COLORS)])
        faint = QColor(color)
        faint.setAlphaF(0.45)
        chosen = rows == data.chosen
        self._unit = fmt.plot_unit(data.utilities)
        self._value_bars.setOpts(
            x0=np.zeros(int(finite.sum())), y=rows[finite],
            width=data.utilities[finite] / self._unit,
            height=BAR_HEIGHT,
            brushes=[pg.mkBrush(color if c or data.chosen < 0 else faint)
                     for c in chosen[finite]],
            # (None, not an empty list, when no value can be computed: pyqtgraph fails
            # on an empty list of pens)
            pens=[pg.mkPen(self._text_color(), width=2.5) if c else pg.mkPen(None)
                  for c in chosen[finite]] or None)
        self._update_value_texts(rows)
        title = "Expected utility" + (f" for {html.escape(shown(data.player, 60))}"
                                      if data.player else "") + fmt.unit_text(self._unit)
        label = (title, self._text_color().name())
        if label != self._label_shown:  # (a new label lays the plots out again)
            self._label_shown = label
            self._values.setLabel("bottom", title, color=label[1])
        self._fit_values_range()

    def _fit_values_range(self) -> None:
        """Zero and every bar in view, with room beyond the bars for their numbers: right
        of zero, positive or not computed; left, negative."""
        utilities = self._data.utilities / self._unit
        values = utilities[np.isfinite(utilities)]
        low = min(0.0, float(values.min())) if values.size else 0.0
        high = max(0.0, float(values.max())) if values.size else 0.0
        if low == high:  # every value is zero (a new tree): ticks of whole numbers
            low, high = -1.0, 1.0
        span = high - low
        pixels = max(self._values.vb.width(), 120.0)
        room = 56.0  # px, for a number such as "-23.2"
        pad = span * room / max(pixels - 2 * room, 40.0)
        right = bool((~(utilities < 0)).any())  # NaN's "—" goes right of zero too
        left = bool((utilities < 0).any())
        self._values.setXRange(low - (pad if left else pad / 4),
                               high + (pad if right else pad / 4), padding=0)

    def _update_value_texts(self, rows: np.ndarray) -> None:
        values = self._data.utilities
        while len(self._value_texts) < len(rows):
            item = pg.TextItem(color=self._text_color())
            self._values.addItem(item)
            self._value_texts.append(item)
        for k, item in enumerate(self._value_texts):
            item.setVisible(k < len(rows))
            if k >= len(rows):
                continue
            value = float(values[k])
            item.setText(fmt.value(value, self._style))
            item.setAnchor((1.0, 0.5) if value < 0 else (0.0, 0.5))
            item.setPos(0.0 if math.isnan(value) else value / self._unit, rows[k])

    def _update_shares(self, rows: np.ndarray) -> None:
        data = self._data
        keys = list(data.shares)
        if keys != list(self._share_bars):
            for bar in self._share_bars.values():
                self._shares.removeItem(bar)
            self._share_bars = {key: pg.BarGraphItem(x0=[], y=[], width=[],
                                                     height=BAR_HEIGHT) for key in keys}
            for bar in self._share_bars.values():
                self._shares.addItem(bar)
        table = np.array([data.shares[key] for key in keys]).reshape(len(keys), len(rows))
        complete = np.isfinite(table).all(axis=0)  # a row with a NaN is left out whole
        left = np.zeros(len(rows))
        colors = self._outcome_colors(keys)
        for k, key in enumerate(keys):
            share = np.where(complete, table[k], 0.0)
            self._share_bars[key].setOpts(
                x0=left[complete], y=rows[complete], width=share[complete],
                height=BAR_HEIGHT, brush=pg.mkBrush(colors[key]), pen=pg.mkPen(None))
            left = left + share
        outlined = np.array([data.chosen]) if data.chosen >= 0 and complete[data.chosen] \
            else np.zeros(0, dtype=int)
        self._outline.setOpts(x0=np.zeros(len(outlined)), y=rows[outlined],
                              width=left[outlined], height=BAR_HEIGHT + 0.1,
                              pen=pg.mkPen(self._text_color(), width=2.5), brush=None)
        shown_keys = {key for k, key in enumerate(keys) if key != "null" or
                      np.nansum(table[k]) > 0}
        self._legend.set_entries([(key, data.names.get(key, key), colors[key])
                                  for key in keys], shown_keys)

    # ---- helpers --------------------------------------------------------------------
    def _outcome_colors(self, keys: list[str]) -> dict[str, QColor]:
        own = {o.id: o.color for o in self.document.tree.outcomes or []}
        colors = {}
        for k, key in enumerate(keys):
            if key == "null":
                colors[key] = QColor(UNCLASSIFIED_COLOR)
                continue
            color = QColor(own.get(key) or FALLBACK_COLORS[k % len(FALLBACK_COLORS)])
            colors[key] = color if color.isValid() else QColor(TERMINAL_COLOR)
        return colors

    def _text_color(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Text)


def _wrap(label: str) -> list[str]:
    """At most two lines, the second elided."""
    lines = textwrap.wrap(label, _LABEL_CHARS) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), _LABEL_CHARS, placeholder="…")]
    return lines
