"""The canvas's layout in arrays, for trees of a million nodes.

The same tidy layout as model/layout.py (leaves stacked top to bottom, parents centred on
their children, room kept for tall labels), computed with numpy. The tree is flattened
once per change of its structure; folding or expanding places the nodes again from the
arrays alone, without visiting a Node.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ...model.tree import TERMINAL, Node, Tree


class FlatTree:
    """The whole tree in document order (pre-order), folded parts included.

    `hidden_below`: nodes drawn folded over descendants left out of the tree (an
    export's copy of what it draws), by id, with how many they hide."""

    def __init__(self, root: Node, hidden_below: Mapping[str, int] | None = None):
        # Level by level: comprehensions are the quickest way through a million Nodes.
        levels = [[root]]
        while True:
            below = [child for node in levels[-1] for child in node.children]
            if not below:
                break
            levels.append(below)
        by_level = [node for level in levels for node in level]
        count = len(by_level)
        kids = np.fromiter((len(node.children) for node in by_level), np.int64, count)
        # In level order the children of the nodes, in turn, are the next nodes.
        parent = np.empty(count, np.int64)
        parent[0] = -1
        parent[1:] = np.repeat(np.arange(count), kids)
        sizes = [len(level) for level in levels]
        starts = np.concatenate(([0], np.cumsum(sizes)))
        size = np.ones(count, np.int64)
        for level in range(len(levels) - 1, 0, -1):
            a, b = starts[level], starts[level + 1]
            size += np.bincount(parent[a:b], weights=size[a:b], minlength=count).astype(np.int64)
        # Pre-order position: after the parent and the subtrees of the siblings before.
        first_child = np.concatenate(([0], np.cumsum(kids)))[:-1] + 1
        position = np.zeros(count, np.int64)
        for level in range(1, len(levels)):
            a, b = starts[level], starts[level + 1]
            before = np.cumsum(size[a:b]) - size[a:b]
            group = first_child[parent[a:b]] - a
            position[a:b] = position[parent[a:b]] + 1 + before - before[group]
        order = np.empty(count, np.int64)
        order[position] = np.arange(count)
        self.nodes: list[Node] = [by_level[k] for k in order.tolist()]
        # A node's c-th child: `position[first_child[k] + c]` (for `index` without a dict).
        self._position = position
        self._first_child = first_child[order]
        self._kids = kids[order]
        self.count = count
        self.depth = np.repeat(np.arange(len(levels)), sizes)[order]
        self.end = np.arange(count) + size[order]  # one past the last node of the subtree
        self.parent = np.where(parent[order] < 0, -1, position[parent[order]])
        self.has_children = kids[order] > 0
        self.folded = np.fromiter((bool(node.collapsed) for node in self.nodes), bool, count)
        self.terminal = np.fromiter((node.type == TERMINAL for node in self.nodes), bool, count)
        #: How many nodes a fold here hides: all below it.
        self.below = self.end - np.arange(count) - 1
        if hidden_below:
            for k, node in enumerate(self.nodes):
                hides = hidden_below.get(node.id)
                if hides:
                    self.has_children[k] = self.folded[k] = True
                    self.below[k] = hides
        #: The nodes in an information set, in document order (the canvas joins each
        #: set's nodes; none in most trees, and then nothing more is done for them).
        self.in_sets = np.array([k for k, node in enumerate(self.nodes)
                                 if node.information_set is not None], np.int64)
        self._index: dict[str, int] | None = None

    def shown(self) -> np.ndarray:
        """The nodes no fold hides, in document order."""
        folds = np.flatnonzero(self.folded & self.has_children)
        hiding = np.bincount(folds + 1, minlength=self.count + 1) - np.bincount(
            self.end[folds], minlength=self.count + 1)
        return np.flatnonzero(np.cumsum(hiding[:self.count]) == 0)

    def index(self, node_id: str, tree: Tree | None = None) -> int | None:
        """Where the node is in document order (None if it is not in the tree).

        `tree`: the tree as flattened, if it still is: the node is found down its path
        from the root, without the id map that takes a million nodes a second to make."""
        if tree is not None and self._index is None:
            if node_id not in tree:
                return None
            k = 0
            for step in [*reversed(tree.ancestors(node_id)), node_id][1:]:
                c = tree.index_in_parent(step)
                if c >= self._kids[k]:
                    break
                k = int(self._position[self._first_child[k] + c])
            if self.nodes[k].id == node_id:
                return k
        if self._index is None:
            self._index = {node.id: k for k, node in enumerate(self.nodes)}
        return self._index.get(node_id)


class Placed:
    """Where each node not hidden by a fold sits. Indices here count only those nodes,
    in document order; `shown[k]` is the FlatTree index of the k-th."""

    def __init__(self, flat: FlatTree, above: np.ndarray, below: np.ndarray,
                 row_height: float, column_width: float, shown: np.ndarray | None = None):
        """`shown`: `flat.shown()`, if already known."""
        shown = flat.shown() if shown is None else shown
        self.shown = shown
        total = self.count = len(shown)
        self.end = np.searchsorted(shown, flat.end[shown])
        self.opened = flat.has_children[shown] & ~flat.folded[shown]
        self.depth = flat.depth[shown]
        self.parent = np.searchsorted(shown, flat.parent[shown])
        self.parent[0] = -1
        leaf = ~self.opened
        # A leaf's row: the rows above it kept for labels, the leaves before it and the
        # rows kept below each subtree that ended before it.
        ended = np.cumsum(np.bincount(self.end, weights=below[shown] + leaf,
                                      minlength=total + 1))
        y = (np.cumsum(above[shown]) + ended[:total]) * row_height
        last_child = np.zeros(total, np.int64)
        kids = np.arange(1, total)
        is_last = self.end[kids] == self.end[self.parent[kids]]
        last_child[self.parent[kids][is_last]] = kids[is_last]
        opened = np.flatnonzero(self.opened)
        deepest_first = opened[np.argsort(-self.depth[opened], kind="stable")]
        cuts = np.flatnonzero(np.diff(self.depth[deepest_first])) + 1
        for level in np.split(deepest_first, cuts):
            y[level] = (y[level + 1] + y[last_child[level]]) / 2
        self.y = y
        self.x = self.depth * float(column_width)
        self.ending = flat.terminal[shown] | (flat.folded[shown] & flat.has_children[shown])
        self.hidden = np.where(self.opened | ~flat.has_children[shown], 0, flat.below[shown])
        # Column by column, top to bottom (document order is top to bottom in a column).
        self.by_column = np.argsort(self.depth, kind="stable")
        self.column_start = np.concatenate(([0], np.cumsum(np.bincount(self.depth))))
        self.column_y = y[self.by_column]
        self.column_width = float(column_width)
        self._ending_rows: dict[int, np.ndarray] = {}

    @property
    def columns(self) -> int:
        return len(self.column_start) - 1

    def column(self, depth: int) -> np.ndarray:
        """The nodes of one column, top to bottom."""
        return self.by_column[self.column_start[depth]:self.column_start[depth + 1]]

    def in_rect(self, left: float, top: float, right: float, bottom: float) -> np.ndarray:
        """The nodes whose symbol lies in the rectangle, and in each column the nearest
        one above and below it (whose branch may cross it)."""
        first = max(0, int(np.floor(left / self.column_width)))
        last = min(self.columns - 1, int(np.ceil(right / self.column_width)))
        parts = []
        for depth in range(first, last + 1):
            a, b = self.column_start[depth], self.column_start[depth + 1]
            ys = self.column_y[a:b]
            lo = max(0, int(np.searchsorted(ys, top, "left")) - 1)
            hi = min(b - a, int(np.searchsorted(ys, bottom, "right")) + 1)
            parts.append(self.by_column[a + lo:a + hi])
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)

    def count_in_rect(self, left: float, top: float, right: float, bottom: float) -> int:
        first = max(0, int(np.floor(left / self.column_width)))
        last = min(self.columns - 1, int(np.ceil(right / self.column_width)))
        total = 0
        for depth in range(first, last + 1):
            a, b = self.column_start[depth], self.column_start[depth + 1]
            ys = self.column_y[a:b]
            total += int(np.searchsorted(ys, bottom, "right") - np.searchsorted(ys, top))
        return total

    def outline_of(self, start: int, stop: int) -> np.ndarray:
        """Among the nodes start..stop-1 (a subtree, or all), the top and bottom one of
        each column: what reaches furthest up, down and to each side."""
        depth = self.depth[start:stop]
        _, tops = np.unique(depth, return_index=True)
        _, bottoms = np.unique(depth[::-1], return_index=True)
        return np.unique(np.concatenate((tops, len(depth) - 1 - bottoms))) + start

    def room_above(self, k: int) -> float:
        """How far up from node k to the node above it in its column, or to the nearest
        ending in a column to its left, whichever is nearer."""
        y, depth = self.y[k], int(self.depth[k])
        ys = self.column_y[self.column_start[depth]:self.column_start[depth + 1]]
        at = int(np.searchsorted(ys, y, "left"))
        nearest = float(ys[at - 1]) if at > 0 else -1e9
        for left in range(depth):
            endings = self._endings(left)
            at = int(np.searchsorted(endings, y, "left"))
            if at > 0:
                nearest = max(nearest, float(endings[at - 1]))
        return float(y) - nearest

    def _endings(self, depth: int) -> np.ndarray:
        rows = self._ending_rows.get(depth)
        if rows is None:
            column = self.column(depth)
            rows = self._ending_rows[depth] = self.y[column[self.ending[column]]]
        return rows
