"""Patch a flattened tree after a structural edit instead of flattening it all again.

Rows are breadth first, so every level of the new tree is a run of pieces: rows of the
old arrays (whole subtrees the edit left alone, which stay together level after level)
and rows read from the tree. What is read is only what a change names (a node whose own
fields or whose list of branches changed), the nodes above those, and the subtrees the
edit added; a node a change does not name has kept its fields and its branches, so its
old subtree is copied with one slice per level. Each array of the new tree is then one
`np.concatenate` of its pieces, with no Python loop over the nodes.

What is read goes through `flatten_columns` like a whole tree (its checks included):
each named node with its parent's kind above it and stand-ins for its old branches,
the added subtrees complete.
"""
from __future__ import annotations

import copy
import dataclasses
import operator
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate, chain, compress
from typing import Any, cast, overload

import numpy as np

from ..model.columns import columns_of
from ..model.limits import MAX_DEPTH
from ..model.tree import TERMINAL, Node, Tree
from .flatten import FlatTree, FormulaTerm, flatten_columns

#: A piece's source: the old arrays, or (from 0 on) one of the trees read again.
OLD = -1
_NO_ROWS = np.zeros(0, np.int64)
_STATIC = ("kind", "player", "outcome", "probability_kind", "probability", "payoff",
           "child_count")


class RowIndex(Mapping[str, int]):
    """Node id -> row, as `FlatTree.index`, without a dict rebuilt after every edit.

    Each id keeps a slot for good (`slots`, shared by every version of the tree); each
    version has only an array of the slot of each row, and works out where each slot
    is the first time it is asked.
    """

    def __init__(self, slots: dict[str, int], slot_of_row: np.ndarray):
        self.slots, self.slot_of_row, self._known = slots, slot_of_row, len(slots)
        self._rows: np.ndarray | None = None

    def _row(self, node_id: object) -> int:
        slot = self.slots.get(node_id, self._known)  # type: ignore[call-overload]
        if slot >= self._known:
            return -1
        if self._rows is None:
            self._rows = np.full(self._known, -1, np.int64)
            self._rows[self.slot_of_row] = np.arange(self.slot_of_row.size)
        return int(self._rows[slot])

    def __getitem__(self, node_id: str) -> int:
        row = self._row(node_id)
        if row < 0:
            raise KeyError(node_id)
        return row

    def get(self, node_id: str, default: Any = None) -> Any:
        row = self._row(node_id)
        return default if row < 0 else row

    def __contains__(self, node_id: object) -> bool:
        return self._row(node_id) >= 0

    def __len__(self) -> int:
        return int(self.slot_of_row.size)

    def __iter__(self) -> Iterator[str]:
        ids = {slot: node_id for node_id, slot in self.slots.items()}
        return iter([ids[slot] for slot in self.slot_of_row.tolist()])


class Spliced(Sequence):
    """A tuple made of runs of others, not copied: each structural edit would copy a
    million ids and labels (most of its time). Reads as the tuple it stands for."""

    #: Past this many runs (one or two per level an edit touches), one tuple again.
    MAX_RUNS = 4096

    def __init__(self, runs: Iterable[tuple[Sequence, int, int]]):
        own: list[tuple[Sequence, int, int]] = []
        for source, start, end in runs:
            pieces = source.runs(start, end) if isinstance(source, Spliced) else [
                (source, start, end)]
            for piece in pieces:
                if piece[2] <= piece[1]:
                    continue
                if own and own[-1][0] is piece[0] and own[-1][2] == piece[1]:
                    own[-1] = (piece[0], own[-1][1], piece[2])
                else:
                    own.append(piece)
        if len(own) > self.MAX_RUNS:
            whole = tuple(chain.from_iterable(s[a:b] for s, a, b in own))
            own = [(whole, 0, len(whole))]
        self._runs = own
        self._ends = list(accumulate(b - a for _s, a, b in own))

    def runs(self, start: int, end: int) -> list[tuple[Sequence, int, int]]:
        """The runs of rows [start, end) in their sources."""
        found = []
        k = bisect_right(self._ends, start)
        while start < end and k < len(self._runs):
            source, first, last = self._runs[k]
            offset = first - (self._ends[k] - (last - first))
            found.append((source, start + offset, min(end, self._ends[k]) + offset))
            start, k = self._ends[k], k + 1
        return found

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    @overload
    def __getitem__(self, i: int) -> Any: ...

    @overload
    def __getitem__(self, i: slice) -> tuple: ...

    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            start, stop, step = i.indices(len(self))
            if step != 1:
                return tuple(self)[i]
            return tuple(chain.from_iterable(s[a:b] for s, a, b in self.runs(start, stop)))
        if i < 0:
            i += len(self)
        k = bisect_right(self._ends, i)
        if not 0 <= i < len(self):
            raise IndexError(i)
        source, first, last = self._runs[k]
        return source[first + i - (self._ends[k] - (last - first))]

    def __iter__(self) -> Iterator[Any]:
        return chain.from_iterable(s[a:b] for s, a, b in self._runs)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (tuple, Spliced)):
            return NotImplemented
        return len(self) == len(other) and all(map(operator.eq, self, other))

    __hash__ = None  # type: ignore[assignment]


def row_index(flat: FlatTree) -> RowIndex:
    """`flat`'s index as a RowIndex (the slots numbered as its rows)."""
    if isinstance(flat.index, RowIndex):
        return flat.index
    return RowIndex(dict(flat.index), np.arange(flat.size, dtype=np.int64))


@dataclass
class Patch:
    """The new tree, and how its rows relate to the old ones."""

    flat: FlatTree
    #: (source, start, end) in row order: the rows of the old arrays, or rows read again.
    pieces: list[tuple[int, int, int]]
    #: The same for the numbers of the old evaluation: a named node's are its old row's.
    live_pieces: list[tuple[int, int, int]]
    new_of_old: np.ndarray  # the new row of each old row, -1 where gone
    fresh: np.ndarray  # new rows read from the tree that were not in it before
    named: np.ndarray  # new rows of the nodes read again (in the old tree too)
    named_old: np.ndarray  # their old rows
    moved_in: np.ndarray  # those among them that are under another parent now


def patch(old: FlatTree, tree: Tree, named_ids: frozenset[str]) -> Patch | None:
    """The tree as it is now, built from `old` and the nodes `named_ids` names; None when
    the change cannot be patched (the top node replaced)."""
    index = row_index(old)
    if index.get(tree.root.id) != 0:
        return None
    opened: set[str] = set()  # the nodes named and all above them
    for node_id in named_ids:
        while node_id is not None and node_id in tree and node_id not in opened:
            opened.add(node_id)
            node_id = tree.parent_id(node_id)  # type: ignore[assignment]
    opened.add(tree.root.id)
    read: list[FlatTree] = []
    # Per level, pieces as (source, start, end, old row of a named node or -1).
    levels: list[list[tuple[int, int, int, int]]] = []
    level = [_read_named(tree, tree.root, read, 0, index)]
    named_nodes: dict[int, Node] = {}  # (source << 32 | row) of each named node's row
    named_nodes[level[0][0] << 32 | level[0][1]] = tree.root
    sources = lambda k: old if k == OLD else read[k]  # noqa: E731
    while level:
        levels.append(level)
        below: list[tuple[int, int, int, int]] = []
        for source, start, end, was in level:
            if was >= 0:
                node = named_nodes[source << 32 | start]
                first = int(read[source].child_start[start])
                for j, child in enumerate(node.children):
                    row = index.get(child.id)
                    if row is None:
                        _add(below, (source, first + j, first + j + 1, -1))
                    elif child.id in opened:
                        piece = _read_named(tree, child, read, row, index)
                        named_nodes[piece[0] << 32 | piece[1]] = child
                        below.append(piece)
                    else:
                        _add(below, (OLD, row, row + 1, -1))
            elif end > start:
                flat = sources(source)
                first = int(flat.child_start[start])
                last = int(flat.child_start[end - 1] + flat.child_count[end - 1])
                if last > first:
                    _add(below, (source, first, last, -1))
        level = below
    return _assemble(old, index, read, levels, tree)


def _add(pieces: list[tuple[int, int, int, int]], piece: tuple[int, int, int, int]) -> None:
    """Append a piece, joined to the last one when it continues it."""
    if pieces:
        source, start, end, was = pieces[-1]
        if source == piece[0] and end == piece[1] and was < 0 and piece[3] < 0:
            pieces[-1] = (source, start, piece[2], -1)
            return
    pieces.append(piece)


def _read_named(tree: Tree, node: Node, read: list[FlatTree], old_row: int,
                index: RowIndex) -> tuple[int, int, int, int]:
    """Flatten a named node under its parent's kind, with its new branches complete and
    stand-ins for the old ones (their rows are copied): its piece."""
    own = Node(node.id, node.type)
    for name in ("branch", "name", "player", "solve", "probability", "payoff", "outcome"):
        setattr(own, name, getattr(node, name))
    own.children = [Node(child.id, TERMINAL, probability=child.probability)
                    if child.id in index else child
                    for child in node.children]
    top = own
    parent_id = tree.parent_id(node.id)
    if parent_id is not None:
        parent = tree.node(parent_id)
        top = Node(parent.id, parent.type, player=parent.player, solve=parent.solve)
        top.children = [own]
    read.append(flatten_columns(tree, columns_of(top)))
    return (len(read) - 1, 0 if parent_id is None else 1, 1 if parent_id is None else 2,
            old_row)


def _assemble(old: FlatTree, index: RowIndex, read: list[FlatTree],
              levels: list[list[tuple[int, int, int, int]]], tree: Tree) -> Patch:
    pieces = [(source, start, end) for level in levels for source, start, end, _ in level]
    sources = [*read, old]  # (OLD is -1: the last)
    arrays: dict[str, Any] = {
        name: np.concatenate([getattr(sources[s], name)[a:b] for s, a, b in pieces])
        for name in _STATIC}
    counts = arrays["child_count"]
    n = counts.size
    child_start = np.cumsum(counts) - counts + 1
    parent = np.concatenate([[-1], np.repeat(np.arange(n), counts)])
    spans, top = [], 0
    for level in levels:
        size = sum(end - start for _, start, end, _ in level)
        spans.append((top, top + size))
        top += size
    new_of_old = np.full(old.size, -1, np.int64)
    new_of_read = [np.full(f.size, -1, np.int64) for f in read]
    fresh, named, named_old = [], [], []
    row = 0
    for level in levels:
        for source, start, end, was in level:
            rows = np.arange(row, row + end - start)
            if source == OLD:
                new_of_old[start:end] = rows
            else:
                new_of_read[source][start:end] = rows
                if was >= 0:
                    new_of_old[was] = row
                    named.append(row)
                    named_old.append(was)
                else:
                    fresh.append(rows)
            row += end - start
    named_rows = np.array(named, np.int64)
    named_old_rows = np.array(named_old, np.int64)
    moved_in = named_rows[(old.parent[named_old_rows] >= 0) & (
        new_of_old[np.maximum(old.parent[named_old_rows], 0)] != parent[named_rows])]
    slots = index.slots
    slot_parts = []
    for source, start, end in pieces:
        if source == OLD:
            slot_parts.append(index.slot_of_row[start:end])
        else:
            ids = read[source].ids[start:end]
            slot_parts.append(np.array([slots.setdefault(i, len(slots)) for i in ids],
                                       np.int64))
    slot_of_row = np.concatenate(slot_parts)

    def joined(get: Any) -> tuple:
        # (Stands for a tuple: read by index, iterated or compared, never changed.)
        return cast(tuple, Spliced((get(sources[s]), a, b) for s, a, b in pieces))

    labels = dataclasses.replace(old.labels, branches=joined(lambda f: f.labels.branches),
                                 names=joined(lambda f: f.labels.names))
    suspect = len(spans) > MAX_DEPTH + 1 or any(f.suspect for f in read)
    flat = dataclasses.replace(
        old, ids=joined(lambda f: f.ids), parent=parent, child_start=child_start,
        levels=tuple(spans), labels=labels, suspect=suspect,
        plain_ids=old.plain_ids and all(f.plain_ids for f in read),
        given_index=RowIndex(slots, slot_of_row),
        probability_terms=_terms(old.probability_terms, new_of_old, named_old_rows,
                                 [f.probability_terms for f in read], new_of_read),
        payoff_terms=_terms(old.payoff_terms, new_of_old, named_old_rows,
                            [f.payoff_terms for f in read], new_of_read),
        **arrays)
    fresh_rows = np.concatenate(fresh) if fresh else np.zeros(0, np.int64)
    live_pieces = [(OLD, was, was + 1) if was >= 0 else (source, start, end)
                   for level in levels for source, start, end, was in level]
    return Patch(flat, pieces, live_pieces, new_of_old, fresh_rows, named_rows,
                 named_old_rows, moved_in)


def _terms(old_terms: tuple[FormulaTerm, ...], new_of_old: np.ndarray,
           named_old: np.ndarray, read_terms: list[tuple[FormulaTerm, ...]],
           new_of_read: list[np.ndarray]) -> tuple[FormulaTerm, ...]:
    """The formulas at their new rows: the old ones that stay (a named node's are read
    again), then those read, in the order `flatten` lists them (by column, then row)."""
    if not old_terms and not any(read_terms):
        return ()
    kept: list[tuple[FormulaTerm, int]] = []
    for terms, new_rows, dropped in ((old_terms, new_of_old, named_old), *(
            (terms, rows, _NO_ROWS) for terms, rows in zip(read_terms, new_of_read))):
        nodes = np.fromiter((t.node for t in terms), np.int64, len(terms))
        now = new_rows[nodes]
        stays = (now >= 0) & ~np.isin(nodes, dropped)
        kept += zip(compress(terms, stays.tolist()), now[stays].tolist())
    kept.sort(key=lambda pair: (pair[0].column, pair[1]))
    return tuple(t if t.node == row else _moved(t, row) for t, row in kept)


def _moved(term: FormulaTerm, row: int) -> FormulaTerm:
    """`term` at another row (`dataclasses.replace` costs ten times more, for thousands)."""
    moved = copy.copy(term)
    object.__setattr__(moved, "node", row)
    return moved
