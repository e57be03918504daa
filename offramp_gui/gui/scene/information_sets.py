"""The decisions of one information set, joined on the canvas by a dashed line.

A set is drawn through those of its nodes no fold hides, and only when what it spans
reaches into the part of the scene the canvas has items for. The members are found
once per flattened tree (`FlatTree.in_sets`); a tree without information sets costs
nothing here.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from .node_item import HALF
from .placement import FlatTree, Placed
from .theme import BRANCH_TEXT_WIDTH, TEXT_GAP, Theme, readable
from .wrap import wrap

#: How wide the set's name may be written beside its first node (drawn whole, how wide
#: its lines may be).
_LABEL_WIDTH = 160.0
_WHOLE_WIDTH = BRANCH_TEXT_WIDTH - 8


def name_lines(name: str, theme: Theme) -> tuple[str, ...]:
    """The lines a set's name is written in: one (elided on the canvas), or with whole
    labels as many as it needs."""
    if not theme.whole_labels:
        return (name,)
    return wrap(name, theme.small.font, _WHOLE_WIDTH, None)


class SetMembers:
    """The nodes of each information set (FlatTree indices), grouped by set name."""

    def __init__(self, flat: FlatTree):
        names = [flat.nodes[k].information_set for k in flat.in_sets.tolist()]
        self.names = sorted(set(names))
        number = {name: g for g, name in enumerate(self.names)}
        self.full = flat.in_sets
        self.group = np.array([number[name] for name in names], np.int64)

    def shown_sets(self, placed: Placed, area: QRectF) -> list[tuple[str, np.ndarray]]:
        """Each set with two or more nodes no fold hides whose span reaches into `area`,
        with those nodes' placed indices, top to bottom."""
        if not len(self.full) or not placed.count:
            return []
        k = np.minimum(np.searchsorted(placed.shown, self.full), placed.count - 1)
        shown = placed.shown[k] == self.full
        k, group = k[shown], self.group[shown]
        count = np.bincount(group, minlength=len(self.names))
        top = np.full(len(self.names), np.inf)
        bottom = np.full(len(self.names), -np.inf)
        left, right = top.copy(), bottom.copy()
        np.minimum.at(top, group, placed.y[k])
        np.maximum.at(bottom, group, placed.y[k])
        np.minimum.at(left, group, placed.x[k])
        np.maximum.at(right, group, placed.x[k])
        reach = (count >= 2) & (bottom >= area.top()) & (top <= area.bottom()) & \
            (right >= area.left() - _LABEL_WIDTH) & (left <= area.right())
        found = []
        for g in np.flatnonzero(reach).tolist():
            mine = k[group == g]
            found.append((self.names[g], mine[np.lexsort((placed.x[mine], placed.y[mine]))]))
        return found


def lanes(spans: list[tuple[float, float, float]]) -> list[float]:
    """How far right of its nodes' centres each set's line runs, so that sets whose
    lines would lie on one another in a column (x, top, bottom) run side by side,
    within the symbols they pass through."""
    offsets = [0.0] * len(spans)
    ends: dict[tuple[float, int], float] = {}  # the bottom of the last set in a lane
    for j in sorted(range(len(spans)), key=lambda j: spans[j][1:]):
        x, top, bottom = spans[j]
        lane = 0
        while ends.get((x, lane), -np.inf) >= top:
            lane += 1
        ends[(x, lane)] = bottom
        offsets[j] = _LANES[lane % len(_LANES)]
    return offsets


#: A line's offset in each lane: inside a symbol (SYMBOL wide), far enough apart to tell.
_LANES = (0.0, 6.0, -6.0)


class JoinItem(QGraphicsItem):
    """One information set: a dashed line through its nodes' symbols, in its player's
    colour, and the set's name under its first node, left of the line."""

    def __init__(self, theme: Theme):
        super().__init__()
        self.setZValue(-1)  # under the symbols, which hide the line where it meets them
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.theme = theme
        self.name = ""
        self.color = QColor(theme.line)
        self.points: tuple[QPointF, ...] = ()
        #: The shown equilibrium's belief at each point's node ("60%"), "" where none.
        self.beliefs: tuple[str, ...] = ()
        #: How far below its numbers the first node writes (with whole labels, its name
        #: and template mark may take lines there).
        self.under = 0.0
        self._lines: tuple[str, ...] = ()
        self._bounds = QRectF()

    def set_join(self, name: str, color: QColor, points: list[QPointF],
                 theme: Theme, beliefs: tuple[str, ...] = (), under: float = 0.0) -> None:
        if theme is self.theme and (name, color, tuple(points), beliefs, under) == (
                self.name, self.color, self.points, self.beliefs, self.under):
            return
        self.prepareGeometryChange()
        self.name, self.color, self.points, self.theme = name, color, tuple(points), theme
        self.beliefs, self.under = beliefs, under
        self._lines = name_lines(name, theme)
        span = QPolygonF(list(self.points)).boundingRect().united(self.label_rect())
        for k, text in enumerate(beliefs):
            if text:
                span = span.united(self.belief_rect(k))
        self._bounds = span.adjusted(-3, -3, 3, 3)
        self.update()

    def belief_rect(self, k: int) -> QRectF:
        """Where the belief at the k-th node is written: just left of its symbol, above
        the branch leading in."""
        small, point = self.theme.small, self.points[k]
        width = small.advance(self.beliefs[k]) + 6
        return QRectF(point.x() - HALF - 3 - width, point.y() - small.height - 3, width,
                      small.height)

    def label_rect(self) -> QRectF:
        """Where the set's name is written: under the first node's own name, ending where
        the branch into that node ends."""
        small = self.theme.small
        first = self.points[0]
        if self.theme.whole_labels:
            width = max(small.advance(line) for line in self._lines) + 8
        else:
            width = min(_LABEL_WIDTH, small.advance(self.name) + 8)
        top = first.y() + TEXT_GAP + small.line_spacing + 2 + self.under
        height = small.height + 2 + (len(self._lines) - 1) * small.line_spacing
        return QRectF(first.x() - HALF - TEXT_GAP - width, top, width, height)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def pen(self) -> QPen:
        pen = QPen(self.color, 2.0)
        pen.setDashPattern([4.0, 3.0])  # dashes, as the chosen branches are solid
        return pen

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(self.pen())
        painter.drawPolyline(QPolygonF(list(self.points)))
        if option.levelOfDetailFromTransform(painter.worldTransform()) < 0.35:
            return  # too small to read
        rect, small = self.label_rect(), self.theme.small
        painter.setFont(small.font)
        painter.setPen(readable(self.color, self.theme.background))
        for k, text in enumerate(self.beliefs):
            if text:
                painter.drawText(self.belief_rect(k), Qt.AlignmentFlag.AlignRight
                                 | Qt.AlignmentFlag.AlignVCenter, text)
        painter.setPen(QPen(self.color, 1.0))
        painter.setBrush(QBrush(self.theme.background))
        painter.drawRoundedRect(rect, 3, 3)
        painter.setFont(small.font)
        painter.setPen(readable(self.color, self.theme.background))
        if not self.theme.whole_labels:
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter,
                             small.elided(self.name, rect.width() - 6))
            return
        row = QRectF(rect.left(), rect.top() + 1, rect.width(), small.height)
        for line in self._lines:
            painter.drawText(row, Qt.AlignmentFlag.AlignCenter, line)
            row.translate(0, small.line_spacing)
