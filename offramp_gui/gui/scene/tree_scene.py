"""TreeScene: mirrors the document's tree as NodeItems, laid out left to right.

It listens to the controller: a structural change relays the visible nodes out (once
per burst), a field change redraws that node, new results swap the Readout the items
paint their numbers from, a selection change moves the highlight. Items are kept by
node id; nodes under a folded node get no item at all.

The layout is arrays (placement.py), so a tree of a million nodes is placed in a blink;
items exist only for the nodes in or near the canvas's view (`show_area`), made as it
pans and zooms. A scene no view has told what it shows (an export) has an item for
every node not folded away. Zoomed out so far that rows are under a pixel apart, the
canvas draws the tree's lines itself (`paint_outline`), as the overview map always does.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QKeyEvent, QPainter, QPicture
from PySide6.QtWidgets import QGraphicsScene, QGraphicsSceneMouseEvent

from ...analysis.evaluate import Results
from ...model.events import TreeChange
from ...model.fields import FIELDS
from ...model.tree import DECISION, TERMINAL, Node, Tree
from ..format import NumberFormat
from ..text import MAX_SHOWN, shown, tooltip
from .drag import DragGesture
from .information_sets import JoinItem, SetMembers, lanes, name_lines
from .node_item import HALF, MAX_OVERVIEW_LINES, NAME_GAP, NodeItem, NodeLook, mark_words
from .placement import FlatTree, Placed
from .readout import Readout, expression_payoffs
from .theme import (
    BRANCH_TEXT_WIDTH,
    CHANCE_COLOR,
    COLUMN_WIDTH,
    LABEL_WIDTH,
    LEGIBLE_PX,
    OVERVIEW_LEFT_PX,
    OVERVIEW_PX,
    OVERVIEW_RIGHT_PX,
    ROW_HEIGHT,
    TERMINAL_COLOR,
    Theme,
    outcome_color,
    player_color,
)
from .wrap import MAX_LABEL_LINES, wrap

#: Fields whose change moves nodes rather than just redrawing one; of them, all but
#: folding change what the flattened tree holds.
_LAYOUT_FIELDS = frozenset(field.name for field in FIELDS if field.relayout)
_REFLATTEN_FIELDS = _LAYOUT_FIELDS - {"collapsed"}
#: Up to this many nodes shown, every one has an item, wherever the view is.
EVERY_ITEM_UP_TO = 2500
#: At most about this many nodes in the canvas's view get items, and only while rows
#: are this many pixels apart; past that the canvas draws the tree's lines instead (each
#: item's symbol would be a speck, its texts unwritten).
ITEM_BUDGET = 1000
DENSE_ROW_PX = 4.0
#: Fields that may change the room a node needs (its label's lines, a formula line).
_ROOM_FIELDS = frozenset({"branch", "payoff"})
#: Tree-level settings the nodes' looks show (colours, outcome names); the others (a
#: variable's value, the number format) change only numbers, read as items paint.
_LOOK_SETTINGS = frozenset({"players", "outcomes"})
#: Fields whose change may change how an information set is drawn (its colour).
_JOIN_FIELDS = frozenset({"information_set", "player"})
#: Past this many folds changed at once, the fold of every node is read again (quicker
#: than finding each one).
_FOLDS_ONE_BY_ONE = 1000


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
        # Items come and go as the view moves: a spatial index would cost more to keep.
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.document = document
        self.theme = theme or Theme.for_palette()
        self.label_lines = label_lines
        self._wrapped: dict[str, tuple[str, ...]] = {}
        self._line_counts: dict[str | None, int] = {}
        #: With whole labels: names and template marks wrapped, by text and width.
        self._wrapped_small: dict[tuple[str, float], tuple[str, ...]] = {}
        self._formulas_shown = bool(getattr(document, "show_formulas", False))
        self.setBackgroundBrush(QBrush(self.theme.background))
        self._flat: FlatTree | None = None
        #: The new tree flattened by the worker that opened it, for the next layout.
        self._flat_made: FlatTree | None = None
        self._restructured = True  # the flattened tree is out of date (kept for queries)
        self._placed: Placed | None = None
        self._above = self._below = np.zeros(0)
        self._measured = np.zeros(0, bool)
        self._items: dict[str, NodeItem] = {}
        self._place_of: dict[str, int] = {}  # an item's node among the placed ones
        #: Set by folds and room changes waiting for the next layout: the nodes whose
        #: look changed (the others' looks change only if they move against their
        #: parent). None: every item's look is set afresh.
        self._restyle_after: set[str] | None = None
        self._spare: list[NodeItem] = []
        #: What the canvas shows and at what zoom (None: no canvas, every node an item);
        #: the part of the scene the items were made for; whether the canvas draws lines.
        self._area: QRectF | None = None
        self._area_zoom = 1.0
        self._covered = QRectF()
        self._placing = False
        self.dense = False
        self._tree_rect: QRectF | None = None
        #: The zoom of the canvas when it is too small to read the drawing's texts at
        #: (None otherwise), and the canvas's viewport: only there are the overview's
        #: texts written (not in the overview map, not in exports).
        self.overview_zoom: float | None = None
        self._overview_viewport: object = None
        self._rooms_above: dict[int, float] = {}
        #: The outline drawn at a zoom: for which layout and theme, over what part.
        self._outlines: dict[float, tuple[Placed, Theme, QRectF, QPicture]] = {}
        self._overview_wrapped: dict[tuple, tuple[str, ...]] = {}
        #: The information sets' members by set (None: to be found again), and the
        #: line drawn for each set shown, by name.
        self._members: SetMembers | None = None
        self._joins: dict[str, JoinItem] = {}
        self.readout = Readout(None)
        self.drag = DragGesture(self, document, self.theme, self.ensure_item)
        self._layout_timer = QTimer(self)
        self._layout_timer.setSingleShot(True)
        self._layout_timer.setInterval(0)
        self._layout_timer.timeout.connect(self.relayout)
        if hasattr(document, "prepare_opened"):  # (an export's frozen copy opens nothing)
            document.prepare_opened[_FLATTENED] = _flatten
        document.tree_changed.connect(self._on_tree_changed)
        document.document_reset.connect(self.drag.cancel)
        document.document_reset.connect(self._new_tree)
        document.results_ready.connect(self._on_results)
        document.display_changed.connect(self._on_display)
        document.selection_changed.connect(self._on_selection)
        self.relayout()

    def set_theme(self, theme: Theme) -> None:
        """Redraw in other colours (the system switched between light and dark)."""
        self.theme = theme
        self.setBackgroundBrush(QBrush(theme.background))
        self._wrapped.clear()
        self._line_counts.clear()
        self._wrapped_small.clear()
        self.drag.theme = theme
        for item in self._items.values():
            item.set_theme(theme)
        for item in self._spare:
            item.set_theme(theme)
        self._drop_joins()
        self._measure_rooms()  # the labels may wrap otherwise in the new fonts
        self.relayout()

    # ---- queries (tests and the view use these) -----------------------------------------
    def item_for_node(self, node_id: str) -> NodeItem | None:
        """The node's item, if it has one now (it is in or near the view)."""
        return self._items.get(node_id)

    def ensure_item(self, node_id: str) -> NodeItem | None:
        """The node's item, made now if it is shown but away from the view (None for a
        node folded away or not in the tree)."""
        item = self._items.get(node_id)
        if item is None:
            k = self._placed_index(node_id)
            if k is not None:
                item = self._make_item(k)
                self._restyle_items([item])
        return item

    def node_ids(self) -> set[str]:
        """The nodes that have items."""
        return set(self._items)

    def node_position(self, node_id: str) -> QPointF | None:
        """Where the node's symbol is, item or not (None if a fold hides it)."""
        k = self._placed_index(node_id)
        if k is None or self._placed is None:
            return None
        return QPointF(float(self._placed.x[k]), float(self._placed.y[k]))

    def shown_count(self) -> int:
        """How many nodes no fold hides."""
        return self._placed.count if self._placed is not None else 0

    def tree_rect(self) -> QRectF:
        """What the tree draws at a zoom its texts can be read at."""
        if self._tree_rect is None:
            count = self.shown_count()
            self._tree_rect = self._drawing_rect(0, count) if count else QRectF()
        return QRectF(self._tree_rect)

    def subtree_rect(self, node_id: str) -> QRectF:
        """What the node and the part of its subtree not folded away draw."""
        k = self._placed_index(node_id)
        if k is None or self._placed is None:
            return QRectF()
        return self._drawing_rect(k, int(self._placed.end[k]))

    def nodes_rect(self) -> QRectF:
        """The nodes' symbols alone."""
        placed = self._placed
        if placed is None or not placed.count:
            return QRectF()
        pad = HALF + 3
        left, right = float(placed.x.min()) - pad, float(placed.x.max()) + pad
        top, bottom = float(placed.y.min()) - pad, float(placed.y.max()) + pad
        return QRectF(left, top, right - left, bottom - top)

    def _drawing_rect(self, start: int, stop: int) -> QRectF:
        """The union of what nodes start..stop-1 draw: only those at the edges count."""
        assert self._placed is not None
        rect = QRectF()
        probe = NodeItem("", self.theme)
        looks = self._look_maker()
        for k in self._placed.outline_of(start, stop).tolist():
            node_id = self._node_at(k).id
            item = self._items.get(node_id)
            if item is None:
                probe.look = looks(k)
                item = probe
            rect = rect.united(item.drawing_rect().translated(self._point(k)))
        return rect

    def _placed_index(self, node_id: str) -> int | None:
        k = self._place_of.get(node_id)
        if k is not None:
            return k
        if self._flat is None or self._placed is None:
            return None
        full = self._flat.index(node_id, self._current_tree())
        if full is None:
            return None
        k = int(np.searchsorted(self._placed.shown, full))
        return k if k < self._placed.count and self._placed.shown[k] == full else None

    def _current_tree(self) -> Tree | None:
        """The document's tree if the flattened one is still its shape."""
        return None if self._restructured else self.document.tree

    def _node_at(self, k: int) -> Node:
        assert self._flat is not None and self._placed is not None
        return self._flat.nodes[int(self._placed.shown[k])]

    def _point(self, k: int) -> QPointF:
        assert self._placed is not None
        return QPointF(float(self._placed.x[k]), float(self._placed.y[k]))

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
        k = self._placed_index(node_id)
        if k is None or self._placed is None:
            return 0.0
        room = self._rooms_above.get(k)
        if room is None:
            room = self._rooms_above[k] = self._placed.room_above(k)
        return room

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
    def _new_tree(self) -> None:
        self._restructured = True
        made = self.document.prepared.get(_FLATTENED)
        self._flat_made = made if isinstance(made, FlatTree) and \
            made.nodes[0] is self.document.tree.root else None
        for node_id in list(self._items):  # another tree's: none keeps its place
            self._recycle(node_id)
        self._place_of = {}
        self.relayout()

    def _on_tree_changed(self, change: TreeChange) -> None:
        if change.structural or change.fields & _REFLATTEN_FIELDS:
            self._restructured = True
            self._layout_timer.start()
            return
        if "information_set" in change.fields:
            self._sets_changed(change.node_ids)
        if change.fields & _JOIN_FIELDS or not change.node_ids and \
                change.fields & _LOOK_SETTINGS:
            self._update_joins()
        moved = False
        if "collapsed" in change.fields and self._flat is not None and \
                not self._restructured:
            flat = self._flat
            if len(change.node_ids) > _FOLDS_ONE_BY_ONE:
                flat.folded = np.fromiter((bool(node.collapsed) for node in flat.nodes),
                                          bool, flat.count)
            else:
                for node_id in change.node_ids:
                    full = flat.index(node_id, self.document.tree)
                    if full is not None:
                        flat.folded[full] = bool(flat.nodes[full].collapsed)
            moved = True
        if change.fields & _ROOM_FIELDS and self._room_changed(change.node_ids):
            moved = True
        if moved:
            self._restyle_after = (self._restyle_after or set()) | set(change.node_ids)
            self._layout_timer.start()
        elif change.node_ids:
            self._restyle(change.node_ids)
        elif change.fields & _LOOK_SETTINGS:  # colours and names anywhere
            self._restyle(self._items)

    def _on_results(self, results: Results) -> None:
        if self._layout_timer.isActive() or self.theme.whole_labels:
            if self.theme.whole_labels:
                self._measure_rooms()  # a name may fit beside its new numbers, or not
            self.relayout()
        else:
            self.refresh()
            if results is not None and results.equilibrium is not None:
                self._update_joins()  # (the beliefs of the equilibrium shown)

    def _on_display(self) -> None:
        shown_now = bool(getattr(self.document, "show_formulas", False))
        if shown_now != self._formulas_shown or self.theme.whole_labels:
            self._formulas_shown = shown_now
            # A line of payoff formulas needs room; with whole labels, so may a name
            # that no longer fits beside its numbers.
            self._measure_rooms()
            self.relayout()
        else:
            self.refresh()

    def _on_selection(self, node_id: str | None) -> None:
        if node_id is not None:
            self.ensure_item(node_id)
        self._on_selection_highlight()

    def relayout(self) -> None:
        """Place the visible nodes; make items for those in view."""
        self._layout_timer.stop()
        self.laying_out.emit()
        self.refresh()  # (with whole labels, the numbers tell where names go)
        restyle, self._restyle_after = self._restyle_after, None
        before = self._placed, self._place_of
        if self._flat is None or self._restructured:
            made, self._flat_made = self._flat_made, None
            self._flat = made or _flatten(self.document.tree, self.document)
            self._restructured = False
            self._members = None
            self._measure_rooms()
            before, restyle = None, None
        shown_now = self._flat.shown()
        self._measure(shown_now)
        self._placed = Placed(self._flat, self._above, self._below, ROW_HEIGHT, COLUMN_WIDTH,
                              shown_now)
        self._rooms_above = {}
        self._tree_rect = None
        for item in self._items.values():
            item.prepareGeometryChange()  # their looks are set afresh below
        self._place_of = {}
        self._placing = True
        try:
            self.setSceneRect(self.tree_rect().adjusted(-60, -60, 60, 60))
            self.laid_out.emit()  # the view moves back to what it showed
        finally:
            self._placing = False
        self._fill(relaid=True, before=before, restyle=restyle)

    def show_area(self, area: QRectF, zoom: float) -> None:
        """The canvas shows `area` of the scene at `zoom`: give the nodes there items."""
        self._area, self._area_zoom = QRectF(area), zoom
        if self._placing or self._placed is None:
            return
        if not self.dense and self._covered.contains(area):
            return
        self._fill(relaid=False)

    def _fill(self, relaid: bool, before: tuple[Placed | None, dict[str, int]] | None = None,
              restyle: set[str] | None = None) -> None:
        """Give items to the nodes the canvas shows, or may soon; recycle the others.

        `before`: the layout and items' places before this one, of the same flattened
        tree (None: the items are found again by id). `restyle`: with `before`, the
        nodes whose look changed (None: all of them)."""
        placed = self._placed
        assert placed is not None
        self.dense = False
        if self._area is None or placed.count <= EVERY_ITEM_UP_TO:
            wanted = np.arange(placed.count)
            self._covered = QRectF(-1e12, -1e12, 2e12, 2e12)
        else:
            area, zoom = self._area, self._area_zoom
            if zoom * ROW_HEIGHT < DENSE_ROW_PX or \
                    placed.count_in_rect(*_edges(area)) > ITEM_BUDGET:
                self.dense, wanted = True, np.zeros(0, np.int64)
                self._covered = QRectF()
            else:
                width, height = area.width() / 2, area.height() / 2
                self._covered = area.adjusted(-width, -height, width, height)
                wanted = placed.in_rect(*self._reach(self._covered, zoom))
                if len(wanted) > 2 * ITEM_BUDGET:
                    self._covered = QRectF(area)
                    wanted = placed.in_rect(*self._reach(area, zoom))
        keep = set(wanted.tolist())
        for node_id in self._selected_ids():
            selected = self._placed_index(node_id)
            if selected is not None:
                keep.add(selected)  # its highlight, and a drag from it, stay
        old, same_look = self._places_now(relaid, before, restyle)
        self._place_of = {}
        fresh = []
        for node_id in list(self._items):
            k = old.get(node_id)
            if k is None or k not in keep:
                self._recycle(node_id)
            else:
                self._place_of[node_id] = k
                keep.discard(k)
                if relaid:
                    self._items[node_id].setPos(self._point(k))
                    if node_id not in same_look:
                        fresh.append(self._items[node_id])
        fresh += [self._make_item(k) for k in sorted(keep)]
        self._restyle_items(fresh)
        if relaid and self.overview_zoom is not None:  # the room above each label may differ
            for item in self._items.values():
                item.overview_changed()
        self._on_selection_highlight()
        self._update_joins()
        self.update()

    def _places_now(self, relaid: bool, before: tuple[Placed | None, dict[str, int]] | None,
                    restyle: set[str] | None) -> tuple[dict[str, int], set[str]]:
        """Where the items' nodes are placed now, and which of them look the same."""
        if not relaid:
            return self._place_of, set()
        if before is not None and before[0] is not None:
            return self._moved_places(before[0], before[1], restyle)
        return {node_id: k for node_id in self._items
                if (k := self._placed_index(node_id)) is not None}, set()

    def _moved_places(self, before: Placed, places: dict[str, int], restyle: set[str] | None
                      ) -> tuple[dict[str, int], set[str]]:
        """Where the items placed in `before` (at `places`) are placed now, from the
        arrays (a fold keeps every node's index in the flattened tree); and which of
        them look the same (not in `restyle`, not moved against their parent)."""
        placed = self._placed
        assert placed is not None
        ids = list(places)
        was = np.fromiter((places[i] for i in ids), np.int64, len(ids))
        full = before.shown[was]
        now = np.minimum(np.searchsorted(placed.shown, full), placed.count - 1)
        kept = placed.shown[now] == full
        same = np.zeros(len(ids), bool)
        if restyle is not None:
            was_k, now_k = was[kept], now[kept]
            same[kept] = (_offset(before, was_k) == _offset(placed, now_k)) & \
                (before.opened[was_k] == placed.opened[now_k]) & \
                (before.hidden[was_k] == placed.hidden[now_k])
        moved = {ids[j]: k for j, k in zip(np.flatnonzero(kept).tolist(),
                                            now[kept].tolist(), strict=True)}
        unchanged = {ids[j] for j in np.flatnonzero(same).tolist()} - (restyle or set())
        return moved, unchanged

    def _reach(self, rect: QRectF, zoom: float) -> tuple[float, float, float, float]:
        """The edges of where nodes whose drawing reaches into `rect` are: their branch
        runs a column to the left, texts to the right, labels above."""
        sideways = LABEL_WIDTH + 40 + OVERVIEW_RIGHT_PX / zoom
        up = 2 * ROW_HEIGHT + (MAX_OVERVIEW_LINES + 1) * OVERVIEW_PX * 1.5 / zoom
        return (rect.left() - sideways, rect.top() - 2 * ROW_HEIGHT,
                rect.right() + COLUMN_WIDTH + LABEL_WIDTH + OVERVIEW_LEFT_PX / zoom,
                rect.bottom() + up)

    def _make_item(self, k: int) -> NodeItem:
        node_id = self._node_at(k).id
        if self._spare:
            item = self._spare.pop()
            item.rebind(node_id)
            item.show()
        else:
            item = NodeItem(node_id, self.theme)
            self.addItem(item)
        item.setPos(self._point(k))
        self._items[node_id] = item
        self._place_of[node_id] = k
        return item

    def _recycle(self, node_id: str) -> None:
        item = self._items.pop(node_id)
        item.hide()
        item.set_selected(False)
        self._spare.append(item)

    def _selected_ids(self) -> set[str]:
        document = self.document
        chosen = set(getattr(document, "selected_ids", ()))
        if document.selected_id is not None:
            chosen.add(document.selected_id)
        return chosen

    def _on_selection_highlight(self) -> None:
        selected = self._selected_ids()
        for item in self._items.values():
            item.set_selected(item.node_id in selected)

    # ---- information sets -------------------------------------------------------------
    def _sets_changed(self, node_ids) -> None:  # noqa: ANN001 - any collection of ids
        """These nodes' information set changed: find the sets' members again."""
        flat = self._flat
        if flat is None or self._restructured:
            return  # (found when the tree is flattened again)
        changed = [k for node_id in node_ids
                   if (k := flat.index(node_id, self._current_tree())) is not None]
        inside = [k for k in changed if flat.nodes[k].information_set is not None]
        kept = np.setdiff1d(flat.in_sets, np.array(changed, np.int64))
        flat.in_sets = np.union1d(kept, np.array(inside, np.int64))
        self._members = None

    def _update_joins(self) -> None:
        """Join the nodes of each information set shown (its nodes no fold hides) that
        reaches into the part of the scene the canvas has items for."""
        flat, placed = self._flat, self._placed
        if flat is None or placed is None or not len(flat.in_sets) and not self._joins:
            return
        if self._members is None:
            self._members = SetMembers(flat)
        shown = self._members.shown_sets(placed, self._covered)
        tree: Tree = self.document.tree
        players = {p.id: player_color(p, k)[0] for k, p in enumerate(tree.effective_players())}
        first_player = next(iter(players))
        stale = set(self._joins)
        beliefs = self.document.beliefs() if hasattr(self.document, "beliefs") else {}
        placed_x, placed_y = placed.x, placed.y
        offsets = lanes([(float(placed_x[m].min()) if placed_x[m].min() == placed_x[m].max()
                          else np.nan, float(placed_y[m].min()), float(placed_y[m].max()))
                         for _name, m in shown])
        for (name, members), offset in zip(shown, offsets, strict=True):
            nodes = [self._node_at(k) for k in members.tolist()]
            choosers = {node.player or first_player for node in nodes}
            chooser = choosers.pop() if len(choosers) == 1 else None
            # Nodes of several players (a set the Problems panel names): neutral.
            color = QColor(players.get(chooser or "", self.theme.line))
            join = self._joins.get(name)
            if join is None:
                join = self._joins[name] = JoinItem(self.theme)
                self.addItem(join)
            join.set_join(name, color, [self._point(k) + QPointF(offset, 0)
                                        for k in members.tolist()], self.theme,
                          tuple(_belief(beliefs.get(node.id)) for node in nodes),
                          self.theme.small.line_spacing * self._lines_under(nodes[0]))
            stale.discard(name)
        for name in stale:
            self.removeItem(self._joins.pop(name))

    def _drop_joins(self) -> None:
        for join in self._joins.values():
            self.removeItem(join)
        self._joins.clear()

    def join_names(self) -> set[str]:
        """The information sets joined on the canvas now."""
        return set(self._joins)

    def join_item(self, name: str) -> JoinItem | None:
        return self._joins.get(name)

    def refresh(self) -> None:
        """Take the latest results and display choice; items repaint as they show."""
        document = self.document
        tree, criterion = document.tree, document.shown_criterion
        criteria = tree.effective_criteria()
        unit = criteria[criterion].unit if criterion is not None and criterion < len(
            criteria) else None
        self.readout = Readout(document.results, document.shown_player, criterion,
                               document.show_reach, tree if self._formulas_shown else None,
                               NumberFormat.of(tree.display), unit,
                               bool(getattr(document, "show_certainty", False)))
        if self.theme.whole_labels:
            for item in self._items.values():
                item.numbers_changed()
        self.update()

    # ---- the canvas zoomed out past single rows, and the overview map -------------------
    def paint_outline(self, painter: QPainter, rect: QRectF, zoom: float) -> None:
        """The tree's branches in `rect` as lines a pixel wide at `zoom`: however many
        nodes, at most a few lines per row of pixels and column."""
        placed = self._placed
        if placed is None or not placed.count:
            return
        kept = self._outlines.get(zoom)
        fresh = kept is not None and kept[0] is placed and kept[1] is self.theme
        if kept is None or not fresh or not kept[2].contains(rect):
            # The first frame at a zoom (a zoom step) draws what it shows; a pan at that
            # zoom draws three views' worth round it, on the same rows of pixels. Either
            # is replayed while the view stays within it.
            covered = QRectF(rect)
            if fresh:
                pixel = 1.0 / zoom
                side = np.ceil(rect.width() * zoom) * pixel
                up = np.ceil(rect.height() * zoom) * pixel
                covered.adjust(-side, -up, side, up)
            elif len(self._outlines) > 3:
                self._outlines.clear()
            picture = QPicture()
            recorder = QPainter(picture)
            self._draw_outline(recorder, _outline(placed, covered, zoom))
            recorder.end()
            kept = self._outlines[zoom] = (placed, self.theme, covered, picture)
        painter.save()
        painter.setClipRect(rect, Qt.ClipOperation.IntersectClip)
        painter.drawPicture(QPointF(0, 0), kept[3])
        painter.restore()

    def _draw_outline(self, painter: QPainter, pieces: list[QRectF]) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.theme.line)
        painter.drawRects(pieces)
        painter.restore()

    # ---- the room a node's texts need -------------------------------------------------
    def branch_lines(self, node: Node) -> tuple[str, ...]:
        """The node's branch label in the lines it is drawn in."""
        return self._wrapped_label(shown(node.branch))

    def _wrapped_label(self, text: str) -> tuple[str, ...]:
        lines = self._wrapped.get(text)
        if lines is None:
            font = QFont(self.theme.font)
            font.setBold(True)  # the widest it is drawn: the chosen branch is bold
            lines = self._wrapped[text] = wrap(text, font, BRANCH_TEXT_WIDTH,
                                               self.label_lines)
        return lines

    def _line_count(self, branch: str | None) -> int:
        count = self._line_counts.get(branch)
        if count is None:
            count = self._line_counts[branch] = len(self._wrapped_label(shown(branch)))
        return count

    def _formula_line(self, node: Node) -> bool:
        return self._formulas_shown and bool(expression_payoffs(self.document.tree, node))

    def _measure_rooms(self) -> None:
        """Forget the room each node needs: it is measured again as nodes show."""
        count = self._flat.count if self._flat is not None else 0
        self._above, self._below = np.zeros(count), np.zeros(count)
        self._measured = np.zeros(count, bool)

    def _measure(self, nodes: np.ndarray) -> None:
        """Rows above each of these nodes' branch for its label's extra lines, below for
        formulas (of those not measured yet: a folded million need nothing)."""
        assert self._flat is not None
        todo = nodes[~self._measured[nodes]]
        if not len(todo):
            return
        flat_nodes, counts = self._flat.nodes, self._line_counts
        branches = [flat_nodes[k].branch for k in todo.tolist()]
        lines = [counts[b] if b in counts else self._line_count(b) for b in branches]
        line = QFontMetricsF(self.theme.font).lineSpacing() / ROW_HEIGHT
        self._above[todo] = (np.array(lines, float) - 1) * line
        if self._formulas_shown:
            small = QFontMetricsF(self.theme.small_font).lineSpacing() / ROW_HEIGHT
            self._below[todo] = np.fromiter(
                (self._formula_line(flat_nodes[k]) for k in todo.tolist()), bool,
                len(todo)) * small
        if self.theme.whole_labels:
            self._below[todo] += np.fromiter(
                (self._whole_below(flat_nodes[k]) for k in todo.tolist()), float, len(todo))
        self._above[0] = self._below[0] = 0.0  # the root has no branch
        self._measured[todo] = True

    def _room(self, node: Node) -> tuple[float, float]:
        if node is self.document.tree.root:
            return (0.0, 0.0)
        line = QFontMetricsF(self.theme.font).lineSpacing()
        small = QFontMetricsF(self.theme.small_font).lineSpacing()
        return ((len(self.branch_lines(node)) - 1) * line / ROW_HEIGHT,
                (small / ROW_HEIGHT if self._formula_line(node) else 0.0)
                + (self._whole_below(node) if self.theme.whole_labels else 0.0))

    def _whole_lines(self, node: Node, root: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """With whole labels, the lines of the node's own name (under its numbers when
        they leave it no room beside them, else none; the root's on its left) and of its
        template mark; else none."""
        if not self.theme.whole_labels:
            return (), ()
        small = self.theme.small
        width = LABEL_WIDTH if root else BRANCH_TEXT_WIDTH
        name = shown(node.name)
        if name and not root:
            numbers = small.elided(self.readout(node.id).numbers, width)
            if small.advance(name) <= width - small.advance(numbers) - NAME_GAP:
                name = ""  # (it is written beside them)
        role, template = _template_of(node)
        return (self._wrapped_whole(name, width) if name else (),
                self._wrapped_whole(mark_words(role, shown(template)), width) if role else ())

    def _wrapped_whole(self, text: str, width: float) -> tuple[str, ...]:
        lines = self._wrapped_small.get((text, width))
        if lines is None:
            lines = self._wrapped_small[(text, width)] = wrap(text, self.theme.small.font,
                                                              width, None)
        return lines

    def _lines_under(self, node: Node) -> int:
        """With whole labels, the lines a node other than the root writes under its
        numbers: its formulas', its name's and its template mark's (else none)."""
        if not self.theme.whole_labels:
            return 0
        names, marks = self._whole_lines(node, False)
        return self._formula_line(node) + len(names) + len(marks)

    def _whole_below(self, node: Node) -> float:
        """The rows under a node's branch its name and template mark take with whole
        labels, and the name of its information set (written under them)."""
        names, marks = self._whole_lines(node, False)
        lines = len(names) + len(marks)
        if node.information_set is not None:
            lines += len(name_lines(node.information_set, self.theme))
        return lines * self.theme.small.line_spacing / ROW_HEIGHT

    def _room_changed(self, node_ids) -> bool:  # noqa: ANN001 - any collection of ids
        """Whether these nodes need other room now (noted for the next layout)."""
        flat, changed = self._flat, False
        if flat is None:
            return False
        for node_id in node_ids:
            full = flat.index(node_id, self._current_tree())
            if full is None:
                continue
            above, below = self._room(flat.nodes[full])
            if (above, below) != (self._above[full], self._below[full]):
                self._above[full], self._below[full] = above, below
                changed = True
        return changed

    def _restyle(self, node_ids) -> None:  # noqa: ANN001 - any collection of ids
        """Set the look (shape, colour, labels) of these nodes and of their branches."""
        tree: Tree = self.document.tree
        wanted = {i for i in node_ids if i in tree}
        wanted |= {c.id for i in list(wanted) for c in tree.node(i).children}
        self._tree_rect = None  # a label may take other room now
        self._restyle_items([self._items[i] for i in wanted if i in self._items])

    def _restyle_items(self, items: list[NodeItem]) -> None:
        if not items:
            return
        looks = self._look_maker()
        for item in items:
            k = self._place_of.get(item.node_id)
            if k is None:
                continue
            look = looks(k)
            item.set_look(look)
            node = self._node_at(k)
            role = {"use": "Use of template", "master": "Template"}.get(look.template_role)
            item.setToolTip(tooltip(node.branch, node.name, node.notes,
                                    role and f"{role} “{look.template}”"))

    def _look_maker(self):  # noqa: ANN202 - a function of a placed index
        """A function giving the look of the k-th placed node, with the tree's colours."""
        tree: Tree = self.document.tree
        players = {p.id: player_color(p, k)[0] for k, p in enumerate(tree.effective_players())}
        outcomes = {o.id: o for o in tree.outcomes or []}
        placed = self._placed
        assert placed is not None

        # (the canvas's tooltips and Properties panel have all of a long one)
        most, most_template = (MAX_SHOWN, MAX_SHOWN) if self.theme.whole_labels else (200, 120)

        flat = self._flat
        assert flat is not None

        def look_of(k: int) -> NodeLook:
            node = self._node_at(k)
            full = placed.shown[k]
            look = NodeLook(
                kind=_kind(node), color=_color(node, players, outcomes),
                name=shown(node.name, most), branch=shown(node.branch),
                branch_lines=self.branch_lines(node), formula_line=self._formula_line(node),
                outcome=shown(outcomes[node.outcome].name, most)
                if node.outcome in outcomes else "",
                foldable=bool(flat.has_children[full]),
                folded=bool(flat.has_children[full] and flat.folded[full]),
                hidden=int(placed.hidden[k]))
            look.template_role, template = _template_of(node)
            look.template = shown(template, most_template)
            look.name_lines, look.mark_lines = self._whole_lines(node, k == 0)
            parent = int(placed.parent[k])
            if parent >= 0:
                parent_node = self._node_at(parent)
                look.parent_offset = self._point(parent) - self._point(k)
                look.from_decision = parent_node.type == DECISION and \
                    not parent_node.is_assumed
            return look
        return look_of

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
        self._select_pressed(item.node_id, event)
        event.accept()

    def _select_pressed(self, node_id: str, event: QGraphicsSceneMouseEvent) -> None:
        """Shift- or Ctrl-click adds the node to the selection (or takes it out); a
        right-click on a node of the selection keeps it, for the menu to act on all."""
        document = self.document
        chosen = tuple(getattr(document, "selected_ids", ()))
        extend = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier
        if event.button() == Qt.MouseButton.LeftButton and event.modifiers() & extend:
            document.select_also(node_id)
        elif event.button() == Qt.MouseButton.RightButton and node_id in chosen and \
                len(chosen) > 1:
            document.select_many([i for i in chosen if i != node_id] + [node_id])
        else:
            document.select(node_id)

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


#: What the scene asks the worker opening a file to make: the tree flattened.
_FLATTENED = "canvas: flattened"


def _flatten(tree: Tree, document: object = None) -> FlatTree:
    return FlatTree(tree.root, getattr(document, "hidden_below", None))


def _template_of(node: Node) -> tuple[str, str]:
    """The template the node is a use ("use") or the master ("master") of, and its name
    (("", "") for neither)."""
    if node.use is not None:
        return "use", str(node.use.get("template", ""))
    if node.template is not None:
        return "master", str(node.template.get("name", ""))
    return "", ""


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


def _offset(placed: Placed, nodes: np.ndarray) -> np.ndarray:
    """How far below its parent each node sits (0 for the root)."""
    parents = placed.parent[nodes]
    return np.where(parents >= 0, placed.y[nodes] - placed.y[np.maximum(parents, 0)], 0.0)


def _edges(rect: QRectF) -> tuple[float, float, float, float]:
    return rect.left(), rect.top(), rect.right(), rect.bottom()


def _outline(placed: Placed, rect: QRectF, zoom: float) -> list[QRectF]:
    """The branches in `rect` as rectangles whole pixels high at `zoom`: per column, one
    for each run of pixel rows holding nodes (their branches' ends) and one for each run
    the branches' vertical parts cover."""
    top, pixel = rect.top(), 1.0 / zoom
    rows = max(1, int(np.ceil(rect.height() * zoom)) + 1)
    width = placed.column_width
    first = max(0, int((rect.left() - HALF - 10) // width))
    last = min(placed.columns - 1, int(rect.right() // width) + 1)
    pieces: list[QRectF] = []
    for depth in range(first, last + 1):
        a, b = placed.column_start[depth], placed.column_start[depth + 1]
        ys = placed.column_y[a:b]
        lo = max(0, int(np.searchsorted(ys, top)) - 1)
        hi = min(b - a, int(np.searchsorted(ys, rect.bottom(), "right")) + 1)
        members = placed.by_column[a + lo:a + hi]
        x = depth * width
        start = x - HALF if depth == 0 else x - width + HALF + 10
        y = placed.y[members]
        opened = placed.opened[members]
        for chosen, right in ((~opened, x + HALF), (opened, x + HALF + 10)):
            for run_start, run_stop in _runs(_rows_hit(y[chosen], y[chosen], top, zoom, rows)):
                pieces.append(QRectF(start, top + run_start * pixel, right - start,
                                     (run_stop - run_start) * pixel))
        if depth == 0:
            continue
        above = placed.y[placed.parent[members]]
        elbow = x - width + HALF + 10
        for run_start, run_stop in _runs(_rows_hit(np.minimum(above, y), np.maximum(above, y),
                                                   top, zoom, rows)):
            pieces.append(QRectF(elbow, top + run_start * pixel, pixel,
                                 (run_stop - run_start) * pixel))
    return pieces


def _rows_hit(low: np.ndarray, high: np.ndarray, top: float, zoom: float,
              rows: int) -> np.ndarray:
    """Which of `rows` rows of pixels from `top` the spans low..high cover."""
    first = np.floor((low - top) * zoom)
    last = np.floor((high - top) * zoom)
    inside = (last >= 0) & (first < rows)
    first = np.clip(first[inside], 0, rows - 1).astype(np.int64)
    last = np.clip(last[inside], 0, rows - 1).astype(np.int64)
    cover = np.bincount(first, minlength=rows + 1) - np.bincount(last + 1, minlength=rows + 1)
    return np.cumsum(cover[:rows]) > 0


def _runs(hit: np.ndarray) -> list[tuple[int, int]]:
    """The runs of True in `hit`, as (start, stop)."""
    edges = np.flatnonzero(np.diff(np.concatenate(([False], hit, [False])).astype(np.int8)))
    return list(zip(edges[0::2].tolist(), edges[1::2].tolist()))


def _belief(value: float | None) -> str:
    """A belief as written beside its node: "60%", "33.3%"; "" where there is none."""
    return "" if value is None else f"{100 * value:.3g}%"
