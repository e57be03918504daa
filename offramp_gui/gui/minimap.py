"""Overview: the whole tree in small, in a corner of the canvas, with the part the canvas
shows framed. Pressing or dragging in it moves the canvas there.

It draws the canvas's tree as lines a pixel wide, from the scene's layout rather than its
items (which exist only near the canvas's view); it shows only while the tree does not
fit the canvas (otherwise there is nothing to find).
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QMouseEvent, QPainter, QPen, QPixmap, QWheelEvent
from PySide6.QtWidgets import QFrame, QGraphicsScene, QGraphicsView
from shiboken6 import isValid

from .view import TreeView

SIZE = QSize(240, 160)
_INSET = 12  # from the canvas's corner, clear of its scroll bars


class Overview(QGraphicsView):
    def __init__(self, canvas: TreeView):
        # An empty scene of the tree's size: the tree is drawn as its background.
        super().__init__(QGraphicsScene(canvas), canvas)  # over the canvas's viewport
        self.canvas = canvas
        self.setObjectName("overview")
        self.setToolTip("The whole tree: drag the frame, or click, to move the view")
        self.setFixedSize(SIZE)
        self.setInteractive(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.Box)
        self.setRenderHints(QPainter.RenderHint.Antialiasing)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        self._wanted = False
        self._grip = QPointF()  # where in the frame the drag holds it
        canvas.visible_area_changed.connect(self._follow)
        canvas.tree_scene.sceneRectChanged.connect(self._follow)
        canvas.tree_scene.laid_out.connect(self._redraw)
        #: The tree drawn once per layout and size: the frame moves over it.
        self._picture: QPixmap | None = None
        self._picture_key: tuple = ()
        self.hide()

    def set_wanted(self, wanted: bool) -> None:
        """Show the overview whenever the tree does not fit the canvas (or never)."""
        self._wanted = wanted
        self._follow()

    def _follow(self) -> None:
        canvas, scene = self.canvas, self.canvas.tree_scene
        if not isValid(scene):
            return  # the window is closing: the scene went first
        needed = self._wanted and not canvas.visible_scene_rect().contains(scene.tree_rect())
        self.setVisible(needed)
        if not needed:
            return
        corner = canvas.viewport().geometry().bottomRight()
        self.move(corner.x() - SIZE.width() - _INSET, corner.y() - SIZE.height() - _INSET)
        self.raise_()
        self.scene().setSceneRect(scene.sceneRect())
        self.fitInView(scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        self.viewport().update()

    def frame(self) -> QRectF:
        """The part of the scene the canvas shows."""
        return self.canvas.visible_scene_rect()

    def _redraw(self) -> None:
        self._picture = None
        self.viewport().update()

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        scene = self.canvas.tree_scene
        if not isValid(scene):
            return
        key = (self.viewport().size().toTuple(), self.transform().m11(),
               self.mapToScene(0, 0).toTuple())
        if self._picture is None or key != self._picture_key:
            picture = QPixmap(self.viewport().size())
            picture.fill(scene.theme.background)
            drawing = QPainter(picture)
            drawing.setTransform(self.viewportTransform())
            shown = self.mapToScene(self.viewport().rect()).boundingRect()
            scene.paint_outline(drawing, shown, self.transform().m11())
            drawing.end()
            self._picture, self._picture_key = picture, key
        painter.save()
        painter.resetTransform()
        painter.drawPixmap(0, 0, self._picture)
        painter.restore()

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        selection = QColor(self.canvas.tree_scene.theme.selection)
        pen = QPen(selection, 2.0)
        pen.setCosmetic(True)  # 2 px however small the overview draws the tree
        painter.setPen(pen)
        selection.setAlpha(50)
        painter.setBrush(QBrush(selection))
        painter.drawRect(self.frame())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        point = self.mapToScene(event.position().toPoint())
        frame = self.frame()
        # Pressed on the frame: hold it where it was pressed; elsewhere: centre it there.
        self._grip = point - frame.center() if frame.contains(point) else QPointF()
        self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
        self._pan_to(point)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._pan_to(self.mapToScene(event.position().toPoint()))
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        event.accept()

    def wheelEvent(self, event: QWheelEvent) -> None:
        event.accept()  # the overview always shows the whole tree

    def _pan_to(self, point: QPointF) -> None:
        self.canvas.centerOn(point - self._grip)
