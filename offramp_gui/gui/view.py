"""TreeView: zoom, pan, fit, keyboard navigation and inline renaming on the canvas."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QPainter, QWheelEvent
from PySide6.QtWidgets import QGraphicsView, QLineEdit, QWidget

from .scene.tree_scene import TreeScene

MIN_ZOOM, MAX_ZOOM = 0.05, 6.0
READABLE_ZOOM = 0.7  # below this, labels are too small to read on most screens


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

    def __init__(self, scene: TreeScene, parent: QWidget | None = None):
        super().__init__(scene, parent)
        self.tree_scene = scene
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAcceptDrops(False)  # files dropped here go to the main window
        self._editor: QLineEdit | None = None
        scene.rename_requested.connect(self.start_rename)
        scene.document.document_reset.connect(self.fit)  # after the scene has rebuilt
        scene.document.selection_changed.connect(self._ensure_visible)

    # ---- zoom -----------------------------------------------------------------------
    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        target = min(MAX_ZOOM, max(MIN_ZOOM, self.zoom * factor))
        self.scale(target / self.zoom, target / self.zoom)

    def zoom_in(self) -> None:
        self.zoom_by(1.25)

    def zoom_out(self) -> None:
        self.zoom_by(0.8)

    def reset_zoom(self) -> None:
        self.zoom_by(1.0 / self.zoom)

    def fit(self) -> None:
        """Show the whole tree, unless its text would be too small to read: then show
        the root's side at the smallest readable size."""
        rect = self.tree_scene.itemsBoundingRect().adjusted(-20, -20, 20, 20)
        if rect.isEmpty():
            return
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom > 1.5:
            self.zoom_by(1.5 / self.zoom)
        elif self.zoom < READABLE_ZOOM:
            self.zoom_by(READABLE_ZOOM / self.zoom)
            root = self.tree_scene.item_for_node(self.tree_scene.document.tree.root.id)
            if root is not None:
                target = root.scenePos()  # put the root 200 px from the left edge
                self.centerOn(target.x() + (self.viewport().width() / 2 - 200) / self.zoom,
                              target.y())

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            super().wheelEvent(event)  # scroll
            return
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(1.15 ** steps)
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
                document.edit.fold(current, False)
            target = node.children[0].id if node.children else None
        elif parent_id is not None:
            siblings = tree.node(parent_id).children
            index = tree.index_in_parent(current) + (-1 if direction == "previous" else 1)
            target = siblings[index].id if 0 <= index < len(siblings) else None
        if target is not None:
            document.select(target)

    def _ensure_visible(self, node_id: str | None) -> None:
        item = self.tree_scene.item_for_node(node_id) if node_id else None
        if item is not None:
            self.ensureVisible(item.mapRectToScene(QRectF(-30, -30, 60, 60)), 40, 40)

    # ---- inline rename --------------------------------------------------------------
    def start_rename(self, node_id: str) -> None:
        """Edit a branch label in place: Enter keeps it, Escape or leaving cancels."""
        item = self.tree_scene.item_for_node(node_id)
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

    def contextMenuEvent(self, event) -> None:  # noqa: ANN001
        item = self.tree_scene.item_at(self.mapToScene(event.pos()))
        if item is not None:
            self.tree_scene.document.select(item.node_id)
        self.context_menu_requested.emit(item.node_id if item else None,
                                         QPointF(event.globalPos()))
