"""Parts shared by the analysis plots: colours, names, a legend, and the plot frame.

Every plot is a plain QWidget (a title, a pyqtgraph plot, a legend and a caption), so
the app docks it and the command line renders it off screen the same way. User text
goes into QLabels as plain text, and into pyqtgraph's HTML labels escaped.
"""
from __future__ import annotations

import html
import textwrap

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ...analysis.flatten import FlatTree, VariableDef
from ..text import shown, tooltip

#: Alternatives' colours (Okabe and Ito's palette, readable by the colour-blind).
ALTERNATIVE_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
                      "#8C564B", "#7F7F7F")
LEFT_TITLE_CHARS = 26  # an axis title up the left side wraps at about this many characters
NONE_COLOR = "#BDBDBD"  # where no alternative can be computed
#: Outcomes without a colour of their own (as in the outcomes panel).
OUTCOME_FALLBACK = ("#5c6bc0", "#26a69a", "#d4a017", "#8d6e63", "#ec407a", "#78909c")
UNCLASSIFIED_COLOR = "#9e9e9e"
LABEL_CHARS = 26



def alternative_color(k: int) -> QColor:
    return QColor(ALTERNATIVE_COLORS[k % len(ALTERNATIVE_COLORS)])


def node_label(flat: FlatTree, node_id: str | None, limit: int = 120) -> str:
    """A node as the reader knows it: its branch label, else its name, else its id."""
    if node_id is None:
        return "none"
    i = flat.index.get(node_id)
    if i is None:
        return shown(node_id, limit)
    return shown(flat.labels.branches[i] or flat.labels.names[i] or node_id, limit)


def decision_label(flat: FlatTree, i: int) -> str:
    """A decision node: its name (or branch label), and its id when names repeat."""
    name = flat.labels.node(i, flat.ids[i]) if i else (flat.labels.names[0] or "Root")
    return shown(name, 80)


def variable(flat: FlatTree, name: str) -> VariableDef | None:
    return next((v for v in flat.variables if v.name == name), None)


def variable_caption(flat: FlatTree, name: str) -> str:
    var = variable(flat, name)
    text = shown(name, 100)
    if var is not None and var.description:
        text += ": " + shown(var.description, 400)
    return text


def player_name(flat: FlatTree, player: int) -> str:
    players = flat.labels.players
    return shown(players[player], 80) if 0 <= player < len(players) else ""


def utility_title(flat: FlatTree, player: int) -> str:
    """"Expected utility for <player>", with the unit when every criterion shares one."""
    who = player_name(flat, player)
    units = {u for u in flat.labels.units if u}
    unit = f" ({shown(units.pop(), 20)})" if len(units) == 1 and all(
        flat.labels.units) else ""
    if any(attitude.player == player for attitude in flat.risk):
        return f"Certainty equivalent for {who}{unit}"
    return f"Expected utility for {who}{unit}" if who else f"Expected utility{unit}"


def wrapped(label: str, width: int = LABEL_CHARS) -> str:
    """At most two lines; the second shortened with an ellipsis."""
    lines = textwrap.wrap(label, width) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width, placeholder="…")]
    return "\n".join(lines)


def outcome_colors(keys: list[str], own: dict[str, str] | None) -> list[QColor]:
    """Each outcome's own colour, else a fallback; the unclassified share in grey."""
    colors = []
    for k, key in enumerate(keys):
        if key == "null":
            colors.append(QColor(UNCLASSIFIED_COLOR))
            continue
        color = QColor((own or {}).get(key) or OUTCOME_FALLBACK[k % len(OUTCOME_FALLBACK)])
        colors.append(color if color.isValid() else QColor(UNCLASSIFIED_COLOR))
    return colors


class Legend(QWidget):
    """Colour swatches and plain-text names, in as many columns as fit."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(8, 2, 8, 2)
        self._grid.setHorizontalSpacing(6)
        self._grid.setVerticalSpacing(2)
        self._entries: list[tuple[QLabel, QLabel]] = []
        self._columns = 0

    def set_entries(self, entries: list[tuple[str, QColor]]) -> None:
        if [(n, c.name()) for n, c in entries] == self.entries():
            return
        for swatch, label in self._entries:
            for widget in (swatch, label):
                self._grid.removeWidget(widget)
                widget.hide()  # deletion waits for the event loop; out of sight now
                widget.deleteLater()
        self._entries = [self._entry(name, color) for name, color in entries]
        self._columns = 0
        self._place(self.width())

    def entries(self) -> list[tuple[str, str]]:
        """(name, colour) of each entry, as shown."""
        return [(label.text(), swatch.property("color")) for swatch, label in self._entries]

    def _entry(self, name: str, color: QColor) -> tuple[QLabel, QLabel]:
        swatch, label = QLabel(self), QLabel(shown(name, 200), self)
        swatch.setFixedSize(12, 12)
        swatch.setProperty("color", color.name())
        swatch.setStyleSheet(f"background: {color.name()}; border: 1px solid #555;")
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setToolTip(tooltip(name))
        label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        return swatch, label

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place(event.size().width())

    def _place(self, width: int) -> None:
        widest = max((len(label.text()) for _s, label in self._entries), default=1)
        columns = max(1, min(len(self._entries) or 1, 4, width // max(140, 7 * widest + 30)))
        if columns == self._columns:
            return
        self._columns = columns
        for n, (swatch, label) in enumerate(self._entries):
            row, column = divmod(n, columns)
            self._grid.addWidget(swatch, row, 2 * column)
            self._grid.addWidget(label, row, 2 * column + 1)
        for column in range(8):
            self._grid.setColumnStretch(column, 1 if column % 2 and column < 2 * columns else 0)


class PlotFrame(QWidget):
    """A title, a pyqtgraph layout of plots, a legend and a caption, on one background.

    The legend and caption go below the plots, or beside them when the frame is much
    wider than tall (a bottom dock), so the plots keep the height they need.
    """

    #: Wider than this many times the height (and than SIDE_MIN_WIDTH): notes beside.
    SIDE_RATIO = 2.0
    SIDE_MIN_WIDTH = 900
    SIDE_WIDTH = 300
    #: The plots' own minimum height: below it the tab scrolls rather than squeeze them.
    MIN_PLOT_HEIGHT = 240

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.Base))
        self.setPalette(palette)
        self.title = _plain_label(bold=True)
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground(palette.color(QPalette.ColorRole.Base))
        self.graphics.setMinimumHeight(self.MIN_PLOT_HEIGHT)
        # No preferred height: in a scroll area the frame then fits the view, and
        # scrolls only below the plots' minimum.
        self.graphics.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.legend = Legend()
        self.caption = _plain_label()
        self.notes = QWidget()
        notes = QVBoxLayout(self.notes)
        notes.setContentsMargins(0, 0, 0, 0)
        notes.addWidget(self.legend)
        notes.addWidget(self.caption)
        notes.addStretch(1)
        self._frame_layout = QGridLayout(self)
        self._frame_layout.setContentsMargins(6, 6, 6, 6)
        self._frame_layout.setSpacing(4)
        self._frame_layout.addWidget(self.title, 0, 0, 1, 2)
        self._frame_layout.addWidget(self.graphics, 1, 0)
        self.side = False
        self._frame_layout.addWidget(self.notes, 2, 0)
        self._frame_layout.setRowStretch(1, 1)
        self._frame_layout.setColumnStretch(0, 1)
        self.setMinimumWidth(360)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        size = event.size()
        self.place_notes(size.width() >= max(self.SIDE_MIN_WIDTH,
                                             self.SIDE_RATIO * size.height()))

    def place_notes(self, side: bool) -> None:
        """The legend and caption beside the plots (`side`) or below them."""
        if side == self.side:
            return
        self.side = side
        self._frame_layout.removeWidget(self.notes)
        self._frame_layout.addWidget(self.notes, *((1, 1) if side else (2, 0)))
        if side:
            self.notes.setFixedWidth(self.SIDE_WIDTH)
        else:
            self.notes.setMinimumWidth(0)
            self.notes.setMaximumWidth(16777215)  # QWIDGETSIZE_MAX: no limit

    @property
    def text_color(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Text)

    def add_plot(self, row: int = 0, col: int = 0, **kwargs: object) -> pg.PlotItem:
        """A plot with fixed axes (no mouse zoom or menu), in the palette's colours."""
        plot = self.graphics.addPlot(row=row, col=col, **kwargs)
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        mid = self.palette().color(QPalette.ColorRole.Mid)
        for name in ("left", "bottom"):
            plot.getAxis(name).setTextPen(self.text_color)
            plot.getAxis(name).setPen(pg.mkPen(mid))
            plot.getAxis(name).enableAutoSIPrefix(False)
        return plot

    def set_axis_label(self, plot: pg.PlotItem, side: str, text: str) -> None:
        """An axis title from user text (escaped: pyqtgraph reads it as HTML). Up the
        left side it wraps: one line would be longer than a short plot is tall."""
        lines = textwrap.wrap(text, LEFT_TITLE_CHARS) if side == "left" else [text]
        plot.setLabel(side, "<br>".join(html.escape(line) for line in lines) or "",
                      color=self.text_color.name(),
                      **{"font-size": "9pt"})

    def set_texts(self, title: str, caption: str = "") -> None:
        self.title.setText(title)
        self.caption.setText(caption)
        self.caption.setVisible(bool(caption))


def _plain_label(bold: bool = False) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    if bold:
        font = QFont(label.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        label.setFont(font)
    return label


class CategoryAxis(pg.AxisItem):
    """A left axis whose ticks are names, wrapped to two lines."""

    def __init__(self) -> None:
        super().__init__("left")

    def set_names(self, names: list[str], widest: int = 220, lines: int = 2) -> None:
        texts = [wrapped(name) if lines > 1 else textwrap.shorten(name, 2 * LABEL_CHARS,
                                                                   placeholder="…")
                 for name in names]
        self.setTicks([list(enumerate(texts)), []])
        metrics = pg.QtGui.QFontMetricsF(self.font())
        width = max((metrics.horizontalAdvance(line) for t in texts for line in t.split("\n")),
                    default=40.0)
        self.setWidth(int(min(width, widest)) + 14)
