"""The legend under an exported tree: node shapes, branch styles, outcome colours."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from ..model.tree import CHANCE, DECISION, TERMINAL, Tree
from .scene.theme import CHANCE_COLOR, TERMINAL_COLOR, Theme, player_color
from .text import shown

SYMBOL = 13.0
_GAP = 6.0  # between a symbol and its label
_SPACING = 22.0  # between entries
_LINE_GAP = 8.0


@dataclass(frozen=True)
class Entry:
    shape: str  # decision, assumed, chance, terminal, chosen, other
    color: QColor
    label: str


def legend_groups(tree: Tree, document: object) -> list[tuple[str, list[Entry]]]:
    """What the drawing of `tree` uses, as (heading, entries) rows."""
    nodes = list(tree.root.walk())
    players = tree.effective_players()
    deciding = {n.player or players[0].id for n in nodes if n.type == DECISION}
    shapes = []
    for k, player in enumerate(players):
        if player.id in deciding:
            label = "Decision" if len(players) == 1 else f"Decision: {shown(player.name, 60)}"
            shapes.append(Entry(DECISION, QColor(player_color(player, k)[0]), label))
    if any(n.is_assumed for n in nodes):
        shapes.append(Entry("assumed", QColor(player_color(players[0], 0)[0]),
                            "Assumed decision (as chance)"))
    if any(n.type == CHANCE for n in nodes):
        shapes.append(Entry(CHANCE, QColor(CHANCE_COLOR), "Chance"))
    shapes.append(Entry(TERMINAL, QColor(TERMINAL_COLOR), "Terminal"))
    groups = [("Nodes", shapes)]
    if any(n.type == DECISION and not n.is_assumed for n in nodes):
        groups.append(("Branches", [Entry("chosen", QColor("#1a1a1a"), "chosen"),
                                    Entry("other", QColor("#1a1a1a"), "not chosen")]))
    groups += _outcome_group(tree, nodes)
    groups.append(("Numbers", [Entry("", QColor(), _values_note(tree, document))]))
    return groups


def _outcome_group(tree: Tree, nodes: list) -> list[tuple[str, list[Entry]]]:
    used = {n.outcome for n in nodes if n.type == TERMINAL}
    entries = [Entry(TERMINAL, QColor(o.color or TERMINAL_COLOR), shown(o.name, 80))
               for o in tree.outcomes or [] if o.id in used]
    if entries and None in used:
        entries.append(Entry(TERMINAL, QColor(TERMINAL_COLOR), "Unclassified"))
    return [("Outcomes", entries)] if entries else []


def _values_note(tree: Tree, document: object) -> str:
    criterion = getattr(document, "shown_criterion", None)
    if criterion is not None:
        criteria = tree.effective_criteria()
        chosen = criteria[min(criterion, len(criteria) - 1)]
        unit = f" ({shown(chosen.unit, 40)})" if chosen.unit else ""
        what = f"expected {shown(chosen.name, 60)}{unit}"
    else:
        players = tree.effective_players()
        player = players[min(getattr(document, "shown_player", 0), len(players) - 1)]
        what = f"expected utility for {shown(player.name, 60)}"
    parts = ["its probability (after a chance node)"] if any(
        n.type == CHANCE or n.is_assumed for n in tree.root.walk()) else []
    parts.append(f"the {what}")
    if getattr(document, "show_reach", False):
        parts.append("the chance of reaching it")
    listed = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return f"Under each branch: {listed}."


class LegendItem(QGraphicsItem):
    """Rows of entries, each row wrapped to `width`."""

    def __init__(self, groups: list[tuple[str, list[Entry]]], theme: Theme, width: float):
        super().__init__()
        self.theme = theme
        self._bold = QFont(theme.font)
        self._bold.setBold(True)
        self._placed: list[tuple[Entry | str, QPointF]] = []
        self._bounds = self._place(groups, max(width, 200.0))

    def _place(self, groups: list[tuple[str, list[Entry]]], width: float) -> QRectF:
        metrics, bold = QFontMetricsF(self.theme.font), QFontMetricsF(self._bold)
        line = max(metrics.height(), SYMBOL) + _LINE_GAP
        indent = max(bold.horizontalAdvance(heading) for heading, _ in groups) + 14
        y, right = 0.0, 0.0
        for heading, entries in groups:
            self._placed.append((heading, QPointF(0, y)))
            x = indent
            for entry in entries:
                size = self._entry_width(entry, metrics)
                if x > indent and x + size > width:
                    x, y = indent, y + line
                self._placed.append((entry, QPointF(x, y)))
                x += size + _SPACING
                right = max(right, x - _SPACING)
            y += line
        return QRectF(-2, -2, right + 4, y - _LINE_GAP + 4)

    @staticmethod
    def _entry_width(entry: Entry, metrics: QFontMetricsF) -> float:
        symbol = 0.0 if not entry.shape else (30.0 if entry.shape in ("chosen", "other")
                                                else SYMBOL) + _GAP
        return symbol + metrics.horizontalAdvance(entry.label)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        metrics = QFontMetricsF(self.theme.font)
        line = max(metrics.height(), SYMBOL)
        baseline = (line + metrics.ascent() - metrics.descent()) / 2
        for what, at in self._placed:
            if isinstance(what, str):
                painter.setFont(self._bold)
                painter.setPen(self.theme.text)
                painter.drawText(QPointF(at.x(), at.y() + baseline), what)
                continue
            x = at.x()
            if what.shape:
                x = self._paint_symbol(painter, what, QPointF(x, at.y() + line / 2)) + _GAP
            painter.setFont(self.theme.font)
            painter.setPen(self.theme.text)
            painter.drawText(QPointF(x, at.y() + baseline), what.label)

    def _paint_symbol(self, painter: QPainter, entry: Entry, mid: QPointF) -> float:
        """Draw the entry's symbol with its left edge at `mid`; return its right edge."""
        if entry.shape in ("chosen", "other"):
            chosen = entry.shape == "chosen"
            pen = QPen(self.theme.text, 2.6) if chosen else \
                QPen(self.theme.muted, 1.0, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(mid.x(), mid.y()), QPointF(mid.x() + 30, mid.y()))
            return mid.x() + 30
        half = SYMBOL / 2
        box = QRectF(mid.x(), mid.y() - half, SYMBOL, SYMBOL)
        painter.setPen(QPen(self.theme.text, 1.0))
        style = Qt.BrushStyle.Dense4Pattern if entry.shape == "assumed" else \
            Qt.BrushStyle.SolidPattern
        painter.setBrush(QBrush(entry.color, style))
        if entry.shape in (DECISION, "assumed"):
            painter.drawRect(box)
        elif entry.shape == CHANCE:
            painter.drawEllipse(box)
        else:
            painter.drawPolygon(QPolygonF([QPointF(box.left(), mid.y()), box.topRight(),
                                           box.bottomRight()]))
        return box.right()
