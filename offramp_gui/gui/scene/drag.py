"""Moving, copying and reordering branches by dragging them on the canvas.

A press on a node arms a drag; moving past the start-drag distance starts it. While it
runs, a ghost of the branch follows the pointer and a marker shows where it would go: a
ring round a node to drop onto (the branch becomes that node's last), or a line between
two siblings' branches to drop beside them (pointing at a branch's upper half puts it
before that branch, at its lower half after it). A drop that cannot be made shows red
with the reason, under a forbidden pointer. Ctrl copies; Escape cancels.

Nothing here edits the tree: `dropped` carries a Drop to the editing feature, which
makes the edit or says in a dialog why not (the tree's limits).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QCursor,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsScene,
    QStyleOptionGraphicsItem,
    QWidget,
)

from ...model.tree import Node
from .node_item import HALF, NodeItem
from .theme import PROBLEM_COLOR, ROW_HEIGHT, SYMBOL, Theme

_ABOVE_ALL = 1000.0  # z value: the ghost and the marker paint over every node
_GHOST_OFFSET = QPointF(16, 12)  # from the pointer, so the target stays in sight


@dataclass(frozen=True)
class Drop:
    """A branch to move or copy under a parent, at an index among its branches
    (None: after the last)."""

    node_id: str
    parent_id: str
    index: int | None
    copying: bool


class DragGesture(QObject):
    """The scene's drag of a branch, fed the scene's mouse and key events."""

    #: A legal drop was made; carries the Drop.
    dropped = Signal(object)

    def __init__(self, scene: QGraphicsScene, document, theme: Theme,  # noqa: ANN001
                 item_for_node: Callable[[str], NodeItem | None]):
        super().__init__(scene)
        self._scene, self._document, self.theme = scene, document, theme
        self._item = item_for_node
        self._node_id: str | None = None  # pressed on this node: a drag may start
        self._start = QPointF()  # where the press was, on the screen
        self._point = QPointF()  # the pointer, in the scene
        self._copying = False
        self._ghost: _Ghost | None = None
        self._marker: _Marker | None = None
        self._cursors: list[tuple[QWidget, QCursor]] = []

    @property
    def active(self) -> bool:
        """A branch is being dragged (past the start-drag distance)."""
        return self._ghost is not None

    # ---- the scene's events ---------------------------------------------------------
    def press(self, node_id: str, screen_pos: QPoint) -> None:
        """The left button went down on a node: arm a drag (the root never moves)."""
        self.cancel()
        if self._document.tree.parent_id(node_id) is not None:
            self._node_id, self._start = node_id, QPointF(screen_pos)

    def move(self, scene_pos: QPointF, screen_pos: QPoint,
             modifiers: Qt.KeyboardModifier) -> bool:
        """The pointer moved with the button down; True when the drag took the event."""
        if self._node_id is None:
            return False
        if self._ghost is None:
            moved = (QPointF(screen_pos) - self._start).manhattanLength()
            if moved < QApplication.startDragDistance():
                return True
            self._begin()
        self._point = scene_pos
        self._copying = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        self._show()
        return True

    def release(self, scene_pos: QPointF, modifiers: Qt.KeyboardModifier) -> bool:
        """The button came up: drop if dragging. False for a plain click."""
        if self._ghost is None:
            self._node_id = None
            return False
        self._point = scene_pos
        self._copying = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        drop, refusal = self._target()
        self.cancel()
        if drop is not None and refusal is None:
            self.dropped.emit(drop)
        return True

    def set_copying(self, copying: bool) -> None:
        """Ctrl went down or up during the drag."""
        if self.active and copying != self._copying:
            self._copying = copying
            self._show()

    def cancel(self) -> None:
        """End the drag without a drop (Escape, or the tree changed under it)."""
        self._node_id = None
        for item in (self._ghost, self._marker):
            if item is not None:
                self._scene.removeItem(item)
        self._ghost = self._marker = None
        for viewport, cursor in self._cursors:
            viewport.setCursor(cursor)
        self._cursors = []

    # ---- showing it -----------------------------------------------------------------
    def _begin(self) -> None:
        node = self._document.tree.node(self._node_id)
        item = self._item(node.id)
        color = item.look.color if item is not None else self.theme.muted
        self._ghost = _Ghost(node, self._subtree_size(node), color, self.theme)
        self._marker = _Marker(self.theme)
        self._scene.addItem(self._ghost)
        self._scene.addItem(self._marker)
        self._cursors = [(view.viewport(), view.viewport().cursor())
                         for view in self._scene.views()]

    @staticmethod
    def _subtree_size(node: Node) -> int:
        return sum(1 for _ in node.walk())

    def _show(self) -> None:
        if self._node_id not in self._document.tree:
            self.cancel()  # undone or reloaded under the pointer
            return
        assert self._ghost is not None and self._marker is not None
        drop, refusal = self._target()
        self._ghost.setPos(self._point + _GHOST_OFFSET)
        self._ghost.set_caption(refusal or self._words(drop), refusal is not None)
        self._marker.show_at(self._marker_path(drop), drop is not None and refusal is None)
        if refusal is not None:
            shape = Qt.CursorShape.ForbiddenCursor
        elif self._copying:
            shape = Qt.CursorShape.DragCopyCursor
        else:
            shape = Qt.CursorShape.DragMoveCursor
        for viewport, _cursor in self._cursors:
            viewport.setCursor(shape)

    def _target(self) -> tuple[Drop | None, str | None]:
        """Where a drop at the pointer would put the branch, and why not (if not)."""
        item = self._item_at(self._point)
        tree = self._document.tree
        if item is None or self._node_id is None or item.node_id not in tree:
            return None, "Drop on a node, or beside a branch"
        local = item.mapFromScene(self._point)
        parent_id = tree.parent_id(item.node_id)
        if parent_id is None or local.x() >= -HALF - 3:
            drop = Drop(self._node_id, item.node_id, None, self._copying)
        else:
            index = tree.index_in_parent(item.node_id) + (0 if local.y() < 0 else 1)
            drop = Drop(self._node_id, parent_id, index, self._copying)
        return drop, self._document.edit.drop_refusal(drop.node_id, drop.parent_id,
                                                       drop.index, drop.copying)

    def _item_at(self, point: QPointF) -> NodeItem | None:
        for item in self._scene.items(point):
            if isinstance(item, NodeItem):
                return item
        return None

    def _words(self, drop: Drop | None) -> str:
        verb = "Copy" if self._copying else "Move"
        if drop is None:
            return verb
        tree = self._document.tree
        if drop.index is None:
            parent = tree.node(drop.parent_id)
            return f"{verb} under \u201c{parent.name or parent.branch or 'the top node'}\u201d"
        siblings = tree.node(drop.parent_id).children
        if drop.index < len(siblings):
            return f"{verb} before {_label(siblings[drop.index])}"
        return f"{verb} after {_label(siblings[-1])}"

    def _marker_path(self, drop: Drop | None) -> QPainterPath:
        """A ring round the node to drop onto, or a line where the branch would go."""
        path = QPainterPath()
        if drop is None:
            return path
        if drop.index is None:
            item = self._item(drop.parent_id)
            if item is not None:
                ring = QRectF(-HALF - 6, -HALF - 6, SYMBOL + 12, SYMBOL + 12)
                path.addRoundedRect(item.mapRectToScene(ring), 5, 5)
            return path
        siblings = self._document.tree.node(drop.parent_id).children
        above = self._item(siblings[drop.index - 1].id) if drop.index > 0 else None
        below = self._item(siblings[drop.index].id) if drop.index < len(siblings) else None
        beside = below or above
        if beside is None:
            return path
        if above is not None and below is not None:
            y = (above.scenePos().y() + below.scenePos().y()) / 2
        else:
            y = beside.scenePos().y() + (ROW_HEIGHT / 2 if below is None else -ROW_HEIGHT / 2)
        label = beside.mapRectToScene(beside.label_rect())
        path.addEllipse(QPointF(label.left(), y), 3, 3)
        path.moveTo(label.left(), y)
        path.lineTo(beside.scenePos().x() - HALF, y)
        return path


def _label(node: Node) -> str:
    return f"\u201c{node.branch or node.name or 'untitled'}\u201d"


class _Marker(QGraphicsItem):
    """Where the branch would go: green-blue when it can, red when it cannot."""

    def __init__(self, theme: Theme):
        super().__init__()
        self._theme = theme
        self._path = QPainterPath()
        self._allowed = True
        self.setZValue(_ABOVE_ALL)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def show_at(self, path: QPainterPath, allowed: bool) -> None:
        self.prepareGeometryChange()
        self._path, self._allowed = path, allowed
        self.update()

    def boundingRect(self) -> QRectF:
        return self._path.boundingRect().adjusted(-4, -4, 4, 4)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        color = self._theme.selection if self._allowed else QColor(PROBLEM_COLOR)
        painter.setPen(QPen(color, 3.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._path)


class _Ghost(QGraphicsItem):
    """The dragged branch: its node's symbol and label, how many nodes it carries, and
    what dropping here would do (or why it cannot)."""

    def __init__(self, node: Node, size: int, color: QColor, theme: Theme):
        super().__init__()
        self._theme, self._color = theme, color
        self._kind = "assumed" if node.is_assumed else node.type
        label = node.branch or node.name or "untitled"
        self._title = label if size == 1 else f"{label}  (+{size - 1} below)"
        self._caption, self._refused = "", False
        self.setZValue(_ABOVE_ALL + 1)
        self.setOpacity(0.85)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_caption(self, caption: str, refused: bool) -> None:
        if (caption, refused) != (self._caption, self._refused):
            self.prepareGeometryChange()
            self._caption, self._refused = caption, refused
            self.update()

    def _width(self) -> float:
        font, small = QFontMetricsF(self._theme.font), QFontMetricsF(self._theme.small_font)
        return SYMBOL + 18 + max(font.horizontalAdvance(self._title),
                                 small.horizontalAdvance(self._caption))

    def _height(self) -> float:
        return QFontMetricsF(self._theme.font).height() \
            + QFontMetricsF(self._theme.small_font).height() + 10

    def boundingRect(self) -> QRectF:
        return QRectF(-1, -1, min(self._width(), 480) + 2, self._height() + 2)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        theme = self._theme
        width, height = min(self._width(), 480), self._height()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(QColor(PROBLEM_COLOR) if self._refused else theme.selection, 1.5))
        painter.setBrush(QBrush(theme.background))
        painter.drawRoundedRect(QRectF(0, 0, width, height), 5, 5)
        self._paint_symbol(painter, QRectF(6, 6, SYMBOL - 4, SYMBOL - 4))
        font = QFontMetricsF(theme.font)
        text_x, room = SYMBOL + 10, width - SYMBOL - 14
        painter.setFont(theme.font)
        painter.setPen(theme.text)
        painter.drawText(QPointF(text_x, 4 + font.ascent()),
                         font.elidedText(self._title, Qt.TextElideMode.ElideRight, room))
        small = QFontMetricsF(theme.small_font)
        painter.setFont(theme.small_font)
        painter.setPen(QColor(PROBLEM_COLOR) if self._refused else theme.muted)
        painter.drawText(QPointF(text_x, 6 + font.height() + small.ascent()),
                         small.elidedText(self._caption, Qt.TextElideMode.ElideRight, room))

    def _paint_symbol(self, painter: QPainter, box: QRectF) -> None:
        painter.setPen(QPen(self._theme.text, 1.0))
        painter.setBrush(QBrush(self._color))
        if self._kind in ("decision", "assumed"):
            painter.drawRect(box)
        elif self._kind == "chance":
            painter.drawEllipse(box)
        else:
            painter.drawPolygon(QPolygonF([QPointF(box.left(), box.center().y()),
                                           box.topRight(), box.bottomRight()]))
