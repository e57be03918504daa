"""TreeScene: mirrors the document's tree as NodeItems, laid out left to right.

It listens to the controller: a structural change relays the visible nodes out (once
per burst), a field change redraws that node, new results swap the Readout the items
paint their numbers from, a selection change moves the highlight. Items are kept by
node id; nodes under a folded node get no item at all.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QKeyEvent
from PySide6.QtWidgets import QGraphicsScene, QGraphicsSceneMouseEvent

from ...analysis.evaluate import Results
from ...model.events import TreeChange
from ...model.fields import FIELDS
from ...model.layout import layout, visible_nodes
from ...model.tree import DECISION, TERMINAL, Node, Tree
from ..format import NumberFormat
from ..text import shown, tooltip
from .drag import DragGesture
from .node_item import NodeItem, NodeLook
from .readout import Readout, expression_payoffs
from .theme import (
    BRANCH_TEXT_WIDTH,
    CHANCE_COLOR,
    COLUMN_WIDTH,
    LEGIBLE_PX,
    ROW_HEIGHT,
    TERMINAL_COLOR,
    Theme,
    outcome_color,
    player_color,
)
from .wrap import MAX_LABEL_LINES, wrap

#: Fields whose change moves nodes rather than just redrawing one.
_LAYOUT_FIELDS = frozenset(field.name for field in FIELDS if field.relayout)
#: Fields that may change the room a node needs (its label's lines, a formula line).
_ROOM_FIELDS = frozenset({"branch", "payoff"})


class TreeScene(QGraphicsScene):
    #: A node's branch label was double-clicked; carries the node id.
    rename_requested = Signal(str)
    #: A gesture on the canvas is about to fold or expand this node (views keep it put).
    folding = Signal(str)
    #: The nodes are about to be placed again, and have just been.
    laying_out = Signal()
    laid_out = Signal()

    def __init__(self, document, theme: Theme | None = None, parent=None,  # noqa: ANN001
                 label_lines: int | None = MAX_LABEL_LINES):
        """`label_lines`: at most this many lines of a branch label (None: all of them,
        as exported images show it)."""
        super().__init__(parent)
        self.document = document
        self.theme = theme or Theme.for_palette()
        self.label_lines = label_lines
        self._wrapped: dict[str, tuple[str, ...]] = {}
        self._rooms: dict[str, tuple[float, float]] = {}
        self._formulas_shown = bool(getattr(document, "show_formulas", False))
        self.setBackgroundBrush(QBrush(self.theme.background))
        self._items: dict[str, NodeItem] = {}
        self._hidden_counts: dict[str, int] = {}
        #: The zoom of the canvas when it is too small to read the drawing's texts at
        #: (None otherwise), and the canvas's viewport: only there are the overview's
        #: texts written (not in the overview map, not in exports).
        self.overview_zoom: float | None = None
        self._overview_viewport: object = None
        self._rooms_above: dict[str, float] | None = None
        self._overview_wrapped: dict[tuple, tuple[str, ...]] = {}
        self.readout = Readout(None)
        self.drag = DragGesture(self, document, self.theme, self.item_for_node)
        self._layout_timer = QTimer(self)
        self._layout_timer.setSingleShot(True)
        self._layout_timer.setInterval(0)
        self._layout_timer.timeout.connect(self.relayout)
        document.tree_changed.connect(self._on_tree_changed)
        document.document_reset.connect(self.drag.cancel)
        document.document_reset.connect(self.relayout)
        document.results_ready.connect(self._on_results)
        document.display_changed.connect(self._on_display)
        document.selection_changed.connect(self._on_selection)
        self.relayout()

    def set_theme(self, theme: Theme) -> None:
        """Redraw in other colours (the system switched between light and dark)."""
        self.theme = theme
        self.setBackgroundBrush(QBrush(theme.background))
        self._wrapped.clear()
        self.drag.theme = theme
        for item in self._items.values():
            item.set_theme(theme)
        self.relayout()  # the labels may wrap otherwise in the new fonts

    # ---- queries (tests and the view use these) -----------------------------------------
    def item_for_node(self, node_id: str) -> NodeItem | None:
        return self._items.get(node_id)

    def node_ids(self) -> set[str]:
        return set(self._items)

    def tree_rect(self) -> QRectF:
        """What the tree draws at a zoom its texts can be read at."""
        rect = QRectF()
        for item in self._items.values():
            rect = rect.united(item.drawing_rect().translated(item.pos()))
        return rect

    def nodes_rect(self) -> QRectF:
        """The nodes' symbols alone."""
        rect = QRectF()
        for item in self._items.values():
            rect = rect.united(item.symbol_rect().translated(item.pos()))
        return rect

    # ---- the overview: texts at one size on screen, for a canvas zoomed out far -------
    def legible_at(self, zoom: float) -> bool:
        """Whether the drawing's own texts can be read at `zoom`."""
        return zoom * self.theme.font.pixelSize() >= LEGIBLE_PX

    def set_canvas_zoom(self, zoom: float, viewport: object) -> None:
        """The canvas `viewport` shows the scene at `zoom` now."""
        overview = None if self.legible_at(zoom) else zoom
        if overview == self.overview_zoom and viewport is self._overview_viewport:
            return
        self.overview_zoom, self._overview_viewport = overview, viewport
        for item in self._items.values():
            item.overview_changed()
        self.update()

    def overview_zoom_in(self, widget: object) -> float | None:
        """The zoom to size the overview's texts for when painting into `widget`, or
        None where the drawing's own texts are drawn."""
        return self.overview_zoom if widget is not None and \
            widget is self._overview_viewport else None

    def room_above(self, node_id: str) -> float:
        """How far up a node's branch label may reach in the overview before it meets
        the node above in its column or an ending's text from a column to its left."""
        if self._rooms_above is None:
            self._rooms_above = _rooms_above(self._items.values())
        return self._rooms_above.get(node_id, 0.0)

    def overview_lines(self, text: str, font: QFont, width: float,
                       lines: int) -> tuple[str, ...]:
        key = (text, font.bold(), font.italic(), round(width), lines)
        wrapped = self._overview_wrapped.get(key)
        if wrapped is None:
            if len(self._overview_wrapped) > 20_000:
                self._overview_wrapped.clear()
            wrapped = self._overview_wrapped[key] = wrap(text, font, round(width), lines,
                                                          break_words=False)
        return wrapped

    # ---- following the document -----------------------------------------------------
    def _on_tree_changed(self, change: TreeChange) -> None:
        if change.structural or change.fields & _LAYOUT_FIELDS or (
                change.fields & _ROOM_FIELDS and self._room_changed(change.node_ids)):
            self._layout_timer.start()
        elif change.node_ids:
            self._restyle(change.node_ids)
        else:  # players, outcomes, titles: colours and names anywhere
            self._restyle(self._items)

    def _on_results(self, _results: Results) -> None:
        if self._layout_timer.isActive():
            self.relayout()
        else:
            self.refresh()

    def _on_display(self) -> None:
        shown_now = bool(getattr(self.document, "show_formulas", False))
        if shown_now != self._formulas_shown:
            self._formulas_shown = shown_now
            self.relayout()  # a line of payoff formulas needs room
        else:
            self.refresh()

    def _on_selection(self, node_id: str | None) -> None:
        for item in self._items.values():
            item.set_selected(item.node_id == node_id)

    def relayout(self) -> None:
        """Place the visible nodes; add and drop items to match them."""
        self._layout_timer.stop()
        self.laying_out.emit()
        tree: Tree = self.document.tree
        visible = visible_nodes(tree.root)
        self._rooms = {}
        places = layout(tree.root, ROW_HEIGHT, COLUMN_WIDTH, room=self._room)
        wanted = {node.id for node in visible}
        for node_id in set(self._items) - wanted:
            self.removeItem(self._items.pop(node_id))
        self._hidden_counts = _hidden_counts(visible)
        for node in visible:
            item = self._items.get(node.id)
            if item is None:
                item = NodeItem(node.id, self.theme)
                self._items[node.id] = item
                self.addItem(item)
            place = places[node.id]
            item.setPos(place.x, place.y)
        self._rooms_above = None
        self._restyle(self._items)
        if self.overview_zoom is not None:  # the room above each label may differ
            for item in self._items.values():
                item.overview_changed()
        self.refresh()
        self._on_selection(self.document.selected_id)
        self.setSceneRect(self.itemsBoundingRect().adjusted(-60, -60, 60, 60))
        self.laid_out.emit()

    def refresh(self) -> None:
        """Take the latest results and display choice; items repaint as they show."""
        document = self.document
        tree, criterion = document.tree, document.shown_criterion
        criteria = tree.effective_criteria()
        unit = criteria[criterion].unit if criterion is not None and criterion < len(
            criteria) else None
        self.readout = Readout(document.results, document.shown_player, criterion,
                               document.show_reach, tree if self._formulas_shown else None,
                               NumberFormat.of(tree.display), unit)
        self.update()

    # ---- the room a node's texts need -------------------------------------------------
    def branch_lines(self, node: Node) -> tuple[str, ...]:
        """The node's branch label in the lines it is drawn in."""
        text = shown(node.branch)
        lines = self._wrapped.get(text)
        if lines is None:
            font = QFont(self.theme.font)
            font.setBold(True)  # the widest it is drawn: the chosen branch is bold
            lines = self._wrapped[text] = wrap(text, font, BRANCH_TEXT_WIDTH,
                                               self.label_lines)
        return lines

    def _formula_line(self, node: Node) -> bool:
        return self._formulas_shown and bool(expression_payoffs(self.document.tree, node))

    def _room(self, node: Node) -> tuple[float, float]:
        """Rows above a node's branch for its label's extra lines, below for formulas."""
        if node is self.document.tree.root:
            return (0.0, 0.0)
        line = QFontMetricsF(self.theme.font).lineSpacing()
        small = QFontMetricsF(self.theme.small_font).lineSpacing()
        room = self._rooms[node.id] = (
            (len(self.branch_lines(node)) - 1) * line / ROW_HEIGHT,
            small / ROW_HEIGHT if self._formula_line(node) else 0.0)
        return room

    def _room_changed(self, node_ids) -> bool:  # noqa: ANN001 - any collection of ids
        tree: Tree = self.document.tree
        for node_id in node_ids:
            before = self._rooms.get(node_id)
            if before is not None and node_id in tree and self._room(tree.node(node_id)) != before:
                return True
        return False

    def _restyle(self, node_ids) -> None:  # noqa: ANN001 - any collection of ids
        """Set the look (shape, colour, labels) of these nodes and of their branches."""
        tree: Tree = self.document.tree
        wanted = {i for i in node_ids if i in tree}
        wanted |= {c.id for i in list(wanted) for c in tree.node(i).children}
        players = {p.id: player_color(p, k)[0] for k, p in enumerate(tree.effective_players())}
        outcomes = {o.id: o for o in tree.outcomes or []}
        for node_id in wanted:
            item = self._items.get(node_id)
            if item is not None:
                item.set_look(self._look(tree, tree.node(node_id), item, players, outcomes))
                node = tree.node(node_id)
                item.setToolTip(tooltip(node.branch, node.name, node.notes))

    def _look(self, tree: Tree, node: Node, item: NodeItem, players: dict,
              outcomes: dict) -> NodeLook:
        look = NodeLook(
            kind=_kind(node), color=_color(node, players, outcomes),
            name=shown(node.name, 200), branch=shown(node.branch),
            branch_lines=self.branch_lines(node), formula_line=self._formula_line(node),
            outcome=shown(outcomes[node.outcome].name, 200) if node.outcome in outcomes else "",
            foldable=bool(node.children), folded=bool(node.children and node.collapsed),
            hidden=self._hidden_counts.get(node.id, 0))
        parent_id = tree.parent_id(node.id)
        if parent_id is not None and parent_id in self._items:
            parent = tree.node(parent_id)
            look.parent_offset = self._items[parent_id].pos() - item.pos()
            look.from_decision = parent.type == DECISION and not parent.is_assumed
        return look

    # ---- mouse ----------------------------------------------------------------------
    def item_at(self, point: QPointF) -> NodeItem | None:
        for item in self.items(point):
            if isinstance(item, NodeItem):
                return item
        return None

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        item = self.item_at(event.scenePos())
        if item is None:
            super().mousePressEvent(event)
            return
        if event.button() == Qt.MouseButton.LeftButton:
            local = item.mapFromScene(event.scenePos())
            alt = event.modifiers() & Qt.KeyboardModifier.AltModifier
            if item.look.foldable and (item.fold_box().contains(local)
                                       or alt and item.symbol_rect().contains(local)):
                self._toggle_fold(item)
            else:
                self.drag.press(item.node_id, event.screenPos())
        self.document.select(item.node_id)
        event.accept()

    def _toggle_fold(self, item: NodeItem) -> None:
        self.folding.emit(item.node_id)
        self.document.edit.fold(item.node_id, not item.look.folded)

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if not self.drag.move(event.scenePos(), event.screenPos(), event.modifiers()):
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or \
                not self.drag.release(event.scenePos(), event.modifiers()):
            super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.drag.active and event.key() == Qt.Key.Key_Escape:
            self.drag.cancel()
            event.accept()
            return
        if event.key() == Qt.Key.Key_Control:
            self.drag.set_copying(True)
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Control:
            self.drag.set_copying(False)
        super().keyReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        """On a node's symbol or its fold box: fold or expand it; on its branch label:
        rename it. (Both presses of a double-click came first: on the fold box they
        folded and unfolded it.)"""
        item = self.item_at(event.scenePos())
        if item is not None and event.button() == Qt.MouseButton.LeftButton:
            local = item.mapFromScene(event.scenePos())
            if item.look.foldable and (item.fold_box().contains(local)
                                       or item.symbol_rect().contains(local)):
                self._toggle_fold(item)
                event.accept()
                return
            if item.look.parent_offset is not None:
                self.rename_requested.emit(item.node_id)
                event.accept()
                return
        super().mouseDoubleClickEvent(event)


def _kind(node: Node) -> str:
    return "assumed" if node.is_assumed else node.type


def _color(node: Node, players: dict[str, str], outcomes: dict) -> QColor:  # noqa: ANN001
    """`players`: each player's colour by id (a decision without one is the first's)."""
    if node.type == DECISION:
        return QColor(players.get(node.player or "", next(iter(players.values()))))
    if node.type == TERMINAL:
        outcome = outcomes.get(node.outcome)
        return QColor(outcome_color(outcome)[0] if outcome is not None else TERMINAL_COLOR)
    return QColor(CHANCE_COLOR)


def _hidden_counts(visible: list[Node]) -> dict[str, int]:
    """For each folded node, how many nodes its fold hides."""
    return {node.id: sum(1 for _ in node.walk()) - 1 for node in visible
            if node.children and node.collapsed}



def _rooms_above(items) -> dict[str, float]:  # noqa: ANN001 - NodeItems
    """For each item, the distance up to the nearest item above it in its column or
    to the nearest ending's row in a column to its left (its text runs to the right)."""
    placed = sorted(items, key=lambda item: item.pos().y())
    nothing_above = float("-1e9")
    last_in_column: dict[int, float] = {}
    last_ending: dict[int, float] = {}
    rooms: dict[str, float] = {}
    for item in placed:
        column = round(item.pos().x() / COLUMN_WIDTH)
        y = item.pos().y()
        above = [last_in_column.get(column, nothing_above)]
        above += [row for left, row in last_ending.items() if left < column]
        rooms[item.node_id] = y - max(above)
        last_in_column[column] = y
        if item.look.kind == "terminal" or item.look.folded:
            last_ending[column] = y
    return rooms
