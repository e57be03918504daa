"""TreeView: zoom, pan, fit, keyboard navigation and inline renaming on the canvas."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsView, QLineEdit, QWidget
from shiboken6 import isValid

from .scene.theme import OVERVIEW_LEFT_PX, OVERVIEW_PX, OVERVIEW_RIGHT_PX
from .scene.tree_scene import TreeScene

#: The zoom range of the wheel and the buttons; Fit and Zoom to Selection go below the
#: smallest as far as the tree needs.
MIN_ZOOM, MAX_ZOOM = 0.05, 6.0
READABLE_ZOOM = 0.7  # below this, labels are too small to read on most screens
FIT_MAX_ZOOM = 1.5  # a small tree fitted is not blown up past this


class _RenameEditor(QLineEdit):
    #: Escape was pressed.
    cancelled = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
            return
        super().keyPressEvent(event)


class TreeView(QGraphicsView):
    #: The user asked for the context menu of a node (or of the background: None).
    context_menu_requested = Signal(object, QPointF)
    #: The part of the scene on screen moved or was zoomed.
    visible_area_changed = Signal()

    def __init__(self, scene: TreeScene, parent: QWidget | None = None):
        super().__init__(scene, parent)
        self.tree_scene = scene
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        # The wheel zooms at the pointer; the keys and the menu at the middle of the view.
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAcceptDrops(False)  # files dropped here go to the main window
        self._editor: QLineEdit | None = None
        #: What was under the last right press, whose menu opens next: a node's id, or
        #: None for the background (a 1-tuple, so that no press is told apart).
        self._menu_target: tuple[str | None] | None = None
        self._pointing = False  # a mouse press on the canvas is being handled
        self._anchor: tuple[str, QPointF] | None = None  # a node kept put across a relayout
        scene.rename_requested.connect(self.start_rename)
        self._shown_before = QRectF()  # what the viewport showed when a relayout began
        scene.folding.connect(self.keep_in_place)
        scene.laying_out.connect(self._note_shown)
        scene.laid_out.connect(self._stay_put)
        scene.document.document_reset.connect(self.show_start)  # after the scene has rebuilt
        scene.document.selection_changed.connect(self._ensure_visible)
        self.visible_area_changed.connect(self._tell_scene_zoom)
        self._tell_scene_zoom()  # from now on the scene makes items only for what is here

    # ---- zoom -----------------------------------------------------------------------
    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        scene = self.tree_scene
        smallest = min(MIN_ZOOM, self._fitting_zoom(scene.tree_rect()))
        target = min(MAX_ZOOM, max(smallest, self.zoom * factor))
        overview = not scene.legible_at(self.zoom)
        self.scale(target / self.zoom, target / self.zoom)
        if overview and scene.legible_at(target):
            self._leave_overview()
        self.visible_area_changed.emit()

    def _leave_overview(self) -> None:
        """Back at a zoom the drawing's texts are read at, scroll over the tree alone
        again (Fit widened the area for the overview's texts, far beyond it at this zoom);
        zoomed at the middle of the view, keep that middle over the tree's nodes."""
        self.setSceneRect(QRectF())
        if self.transformationAnchor() == QGraphicsView.ViewportAnchor.AnchorUnderMouse:
            return
        nodes = self.tree_scene.nodes_rect()
        middle = self.visible_scene_rect().center()
        if not nodes.isEmpty() and not nodes.contains(middle):
            self.centerOn(min(max(middle.x(), nodes.left()), nodes.right()),
                          min(max(middle.y(), nodes.top()), nodes.bottom()))

    def zoom_in(self) -> None:
        self.zoom_by(1.25)

    def zoom_out(self) -> None:
        self.zoom_by(0.8)

    def reset_zoom(self) -> None:
        self.zoom_by(1.0 / self.zoom)

    def fit(self) -> None:
        """Show the whole tree, however small that makes it. Where its own texts would
        be too small to read, the labels are written at one size on screen instead, and
        the zoom leaves room for the endings' texts right of the tree."""
        scene = self.tree_scene
        rect = scene.tree_rect()
        if rect.isEmpty() or scene.legible_at(min(FIT_MAX_ZOOM, self._fitting_zoom(rect))):
            self.show_rect(rect)
            return
        nodes = scene.nodes_rect()
        margin = 20
        width = self.viewport().width() - 2 * margin - OVERVIEW_LEFT_PX - OVERVIEW_RIGHT_PX
        height = self.viewport().height() - 2 * margin - 2 * OVERVIEW_PX
        zoom = min(max(1.0, width) / nodes.width(), max(1.0, height) / nodes.height())
        while scene.legible_at(zoom):  # at most: the overview's texts stay on
            zoom *= 0.98
        shown = nodes.adjusted(-OVERVIEW_LEFT_PX / zoom, -2 * OVERVIEW_PX / zoom,
                               OVERVIEW_RIGHT_PX / zoom, OVERVIEW_PX / zoom)
        self.setSceneRect(scene.sceneRect().united(shown))
        self.scale(zoom / self.zoom, zoom / self.zoom)
        self.centerOn(shown.center())
        self.visible_area_changed.emit()

    def zoom_to_selection(self) -> None:
        """Show the selected node and what is shown under it, as large as fits."""
        document = self.tree_scene.document
        node = document.selected_node
        if node is None:
            return
        self.show_rect(self.tree_scene.subtree_rect(node.id))

    def show_rect(self, rect: QRectF) -> None:
        """Zoom and scroll so that `rect` of the scene fills the view, up to 150%."""
        if rect.isEmpty():
            return
        self.setSceneRect(QRectF())  # scroll over the tree alone again
        zoom = min(FIT_MAX_ZOOM, self._fitting_zoom(rect))
        self.scale(zoom / self.zoom, zoom / self.zoom)
        self.centerOn(rect.center())
        self.visible_area_changed.emit()

    def _fitting_zoom(self, rect: QRectF) -> float:
        """The zoom at which `rect` and a margin round it fit in the viewport."""
        margin = 20
        width = max(1, self.viewport().width() - 2 * margin)
        height = max(1, self.viewport().height() - 2 * margin)
        if rect.isEmpty():
            return MIN_ZOOM
        return min(width / rect.width(), height / rect.height())

    def _tell_scene_zoom(self) -> None:
        if isValid(self.tree_scene):  # not when the window is closing: the scene went first
            self.tree_scene.set_canvas_zoom(self.zoom, self.viewport())
            self.tree_scene.show_area(self.visible_scene_rect(), self.zoom)

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        super().drawBackground(painter, rect)
        if self.tree_scene.dense:  # too many rows a pixel for items: the lines alone
            self.tree_scene.paint_outline(painter, rect, self.zoom)

    def show_start(self) -> None:
        """A tree just opened: the whole of it if it can be read so, otherwise its root's
        side at the smallest readable size."""
        self.fit()
        if self.zoom < READABLE_ZOOM:
            self.zoom_by(READABLE_ZOOM / self.zoom)
            target = self.tree_scene.node_position(self.tree_scene.document.tree.root.id)
            if target is not None:  # put the root 200 px from the left edge
                self.centerOn(target.x() + (self.viewport().width() / 2 - 200) / self.zoom,
                              target.y())
                self.visible_area_changed.emit()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        self.visible_area_changed.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.visible_area_changed.emit()

    def visible_scene_rect(self) -> QRectF:
        """The part of the scene the viewport shows."""
        return self.mapToScene(self.viewport().rect()).boundingRect()

    # ---- keeping a node put while the tree is laid out again ---------------------------
    def keep_in_place(self, node_id: str) -> None:
        """Keep this node where it is on screen when the tree is next laid out (it is
        about to be folded or expanded)."""
        place = self.tree_scene.node_position(node_id)
        if place is not None:
            self._anchor = (node_id, self.viewportTransform().map(place))

    def _note_shown(self) -> None:
        self._shown_before = self.visible_scene_rect()

    def _stay_put(self) -> None:
        """A relayout never moves the view by itself: it shows what it showed, or keeps
        the node it was asked to keep where it was. The scrollable area takes in that
        place even when the tree has shrunk away from it."""
        shown = QRectF(self._shown_before)
        if self._anchor is not None:
            node_id, was = self._anchor
            self._anchor = None
            place = self.tree_scene.node_position(node_id)
            if place is not None:
                shown.moveTopLeft(place - was / self.zoom)
        if shown.isEmpty():
            return
        self.setSceneRect(self.tree_scene.sceneRect().united(shown))
        self.centerOn(shown.center())

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            super().wheelEvent(event)  # scroll
            return
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
            try:
                self.zoom_by(1.15 ** steps)
            finally:
                self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        event.accept()

    # ---- keys -----------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        moves = {Qt.Key.Key_Left: "parent", Qt.Key.Key_Right: "child",
                 Qt.Key.Key_Up: "previous", Qt.Key.Key_Down: "next"}
        direction = moves.get(Qt.Key(event.key()))
        if direction and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.navigate(direction)
            event.accept()
            return
        if event.matches(QKeySequence.StandardKey.ZoomIn):
            self.zoom_in()
        elif event.matches(QKeySequence.StandardKey.ZoomOut):
            self.zoom_out()
        else:
            super().keyPressEvent(event)

    def navigate(self, direction: str) -> None:
        """Move the selection to the parent, first child, or the sibling above/below."""
        document = self.tree_scene.document
        tree = document.tree
        current = document.selected_id
        if current is None or current not in tree:
            document.select(tree.root.id)
            return
        node = tree.node(current)
        parent_id = tree.parent_id(current)
        target = None
        if direction == "parent":
            target = parent_id
        elif direction == "child":
            if node.children and node.collapsed:
                self.keep_in_place(current)
                document.edit.fold(current, False)
            target = node.children[0].id if node.children else None
        elif parent_id is not None:
            siblings = tree.node(parent_id).children
            index = tree.index_in_parent(current) + (-1 if direction == "previous" else 1)
            target = siblings[index].id if 0 <= index < len(siblings) else None
        if target is not None:
            document.select(target)

    def _ensure_visible(self, node_id: str | None) -> None:
        """Scroll to a node selected by the keyboard, a panel or a command; a node clicked
        is already where the user looks, and scrolling it would move it from under the
        pointer."""
        if self._pointing:
            return
        place = self.tree_scene.node_position(node_id) if node_id else None
        if place is not None:  # the scene makes the items of what scrolls into view
            self.ensureVisible(QRectF(place.x() - 30, place.y() - 30, 60, 60), 40, 40)

    # ---- inline rename --------------------------------------------------------------
    def start_rename(self, node_id: str) -> None:
        """Edit a branch label in place: Enter keeps it, Escape or leaving cancels."""
        item = self.tree_scene.ensure_item(node_id)
        if item is None or item.look.parent_offset is None:
            return
        self.cancel_rename()
        rect = self.mapFromScene(item.mapRectToScene(item.label_rect())).boundingRect()
        editor = _RenameEditor(self.viewport())
        editor.cancelled.connect(self.cancel_rename)
        editor.setObjectName("inline-rename")
        editor.setText(self.tree_scene.document.tree.node(node_id).branch or "")
        editor.selectAll()
        editor.setGeometry(rect.adjusted(-2, -4, 40, 4))
        editor.returnPressed.connect(lambda: self._finish_rename(node_id, editor))
        editor.editingFinished.connect(self.cancel_rename)
        editor.show()
        editor.setFocus()
        self._editor = editor

    def _finish_rename(self, node_id: str, editor: QLineEdit) -> None:
        text = editor.text().strip()
        self.cancel_rename()
        if node_id in self.tree_scene.document.tree:
            self.tree_scene.document.edit.set_field(node_id, "branch", text or None)

    def cancel_rename(self) -> None:
        if self._editor is not None:
            editor, self._editor = self._editor, None
            editor.hide()
            editor.deleteLater()
            self.setFocus()

    @property
    def renaming(self) -> bool:
        return self._editor is not None

    # ---- mouse ------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.RightButton:
            item = self.tree_scene.item_at(self.mapToScene(event.position().toPoint()))
            self._menu_target = (item.node_id if item is not None else None,)
        self._pointing = True
        try:
            super().mousePressEvent(event)
        finally:
            self._pointing = False

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """The menu of what was under the pointer when the button went down (by the
        keyboard: of the selected node)."""
        document = self.tree_scene.document
        point = QPointF(event.globalPos())
        pressed, self._menu_target = self._menu_target, None
        if event.reason() == QContextMenuEvent.Reason.Mouse:
            if pressed is not None:
                node_id = pressed[0]
            else:
                item = self.tree_scene.item_at(self.mapToScene(event.pos()))
                node_id = item.node_id if item is not None else None
        else:
            node_id = document.selected_id
            item = self.tree_scene.ensure_item(node_id) if node_id else None
            if item is None:
                node_id = None
            else:
                point = QPointF(self.viewport().mapToGlobal(
                    self.mapFromScene(item.scenePos()) + QPoint(12, 12)))
        if node_id is not None and node_id not in document.tree:
            node_id = None
        if node_id is not None:
            document.select(node_id)
        self.context_menu_requested.emit(node_id, point)
