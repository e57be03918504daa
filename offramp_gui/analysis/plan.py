"""Per-level index arrays for the rollback, worked out once per flattened tree.

Nodes are numbered breadth first, so the children of one depth's parents are the whole
next depth, in order: each step of the rollback reads one contiguous slice of the
arrays (no gathering by index) and reduces it in segments, one per parent.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np

from .flatten import ASSUMED_KIND, CHANCE_KIND, DECISION_KIND, FlatTree


@dataclass(frozen=True)
class LevelPlan:
    """The parents at one depth and their children, the next depth."""

    parents: slice | np.ndarray  # a slice when every node at this depth has children
    children: slice  # every node one depth down
    starts: np.ndarray  # each parent's first child, counted from children.start
    counts: np.ndarray  # each parent's number of children
    #: The number of children when every parent has the same, from 2 to 8; else 0.
    uniform: int
    averages: bool  # some parent averages over its children (chance, assumed)
    chooses: bool  # some parent chooses one child (decision)
    owner: np.ndarray | None  # per child: its choosing parent's player (-1 none)
    #: On a depth whose parents are not all alike, which of them average and which
    #: choose (per parent, then per child); None when they are alike. A parent that
    #: does neither (a terminal with children, in a broken tree) is not computable.
    mixed: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None


@dataclass(frozen=True)
class Structure:
    """What the rollback needs of a tree's shape, built once per FlatTree."""

    plans: tuple[LevelPlan, ...]  # from the root's depth down
    terminals: np.ndarray  # indices of the nodes without children
    averaging_parents: np.ndarray  # chance and assumed nodes with children
    averaged_children: np.ndarray  # their children, grouped by parent
    averaged_starts: np.ndarray  # each group's offset in averaged_children


_CACHE: weakref.WeakKeyDictionary[FlatTree, Structure] = weakref.WeakKeyDictionary()


def structure(flat: FlatTree) -> Structure:
    found = _CACHE.get(flat)
    if found is None:
        found = _CACHE[flat] = _structure(flat)
    return found


def level_plans(flat: FlatTree) -> tuple[LevelPlan, ...]:
    return structure(flat).plans


def _structure(flat: FlatTree) -> Structure:
    plans = []
    for (start, end), (next_start, next_end) in zip(flat.levels, flat.levels[1:]):
        plans.append(_plan(flat, start, end, slice(next_start, next_end)))
    averaging = np.flatnonzero(((flat.kind == CHANCE_KIND) | (flat.kind == ASSUMED_KIND))
                               & (flat.child_count > 0))
    children, starts, _counts = children_groups(flat, averaging)
    return Structure(tuple(plans), np.flatnonzero(flat.child_count == 0), averaging, children,
                     starts)


def _plan(flat: FlatTree, start: int, end: int, children: slice) -> LevelPlan:
    counts = flat.child_count[start:end]
    internal = counts > 0
    parents: slice | np.ndarray = slice(start, end)
    if not internal.all():
        parents = start + np.flatnonzero(internal)
        counts = counts[internal]
    kind = flat.kind[parents]
    averaging = (kind == CHANCE_KIND) | (kind == ASSUMED_KIND)
    choosing = kind == DECISION_KIND
    averages, chooses = bool(averaging.any()), bool(choosing.any())
    starts = (flat.child_start[parents] - children.start).astype(np.intp)
    owner = np.repeat(np.where(choosing, flat.player[parents], -1), counts) if chooses else None
    mixed = None
    if not (averaging.all() or choosing.all()):
        mixed = (averaging, choosing, np.repeat(averaging, counts), np.repeat(choosing, counts))
    same = int(counts[0]) if counts.size and (counts == counts[0]).all() else 0
    return LevelPlan(parents, children, starts, counts.astype(np.intp),
                     same if 2 <= same <= _SEQUENTIAL_SUMS else 0, averages, chooses, owner,
                     mixed)


#: The most elements one reduceat call takes. numpy holds the interpreter lock through a
#: whole reduceat (unlike its other loops), so a worker's reduceat over a million nodes'
#: samples stopped the window for seconds; in pieces of about 10 ms, it gets its turn
#: between them.
REDUCEAT_PIECE = 1 << 20


def reduceat(ufunc: np.ufunc, array: np.ndarray, starts: np.ndarray,
             out: np.ndarray | None = None) -> np.ndarray:
    """`ufunc.reduceat(array, starts, axis=0, out=out)`, the same values, in pieces of
    whole segments when large; `starts` increasing, as segments of children are."""
    if array.size <= REDUCEAT_PIECE or len(starts) < 2:
        return ufunc.reduceat(array, starts, axis=0, out=out)
    rows = max(1, REDUCEAT_PIECE // max(1, array[:1].size))
    cuts = np.unique(np.searchsorted(starts, np.arange(0, len(array), rows)))
    bounds = np.append(cuts[cuts < len(starts)], len(starts)).tolist()
    ends = np.append(starts, len(array))
    pieces = []
    for first, last in zip(bounds, bounds[1:]):
        low, high = int(starts[first]), int(ends[last])
        pieces.append(ufunc.reduceat(array[low:high], starts[first:last] - low, axis=0))
    return np.concatenate(pieces, out=out)


# numpy's reduceat adds a segment's first element to the sum of the rest, itself summed
# in order up to 8 elements (pairwise beyond): `segment_sums` repeats that order exactly.
_SEQUENTIAL_SUMS = 8


def segment_sums(plan: LevelPlan, per_child: np.ndarray) -> np.ndarray:
    """`np.add.reduceat(per_child, plan.starts, axis=0)`, bit for bit but for the sign
    of a nan (two nans added keep either's, as numpy's loops differ); when every parent
    has the same few children, as whole-column additions (reduceat loops per parent)."""
    if not plan.uniform:
        return reduceat(np.add, per_child, plan.starts)
    shape = per_child.shape
    pairs = as_pairs(per_child)
    rows = per_child if pairs is None else pairs
    grouped = rows.reshape((-1, plan.uniform) + rows.shape[1:])
    rest = grouped[:, 1].copy()
    for k in range(2, plan.uniform):
        rest += grouped[:, k]
    summed = np.add(grouped[:, 0], rest, out=rest)
    return summed if pairs is None else summed.view(np.float64).reshape((-1,) + shape[1:])


def as_pairs(array: np.ndarray) -> np.ndarray | None:
    """A float array of two numbers a node (one sample of two criteria, say) as a view of one
    complex number a node, whose parts add apart: numpy's inner loop then runs over the
    nodes, not the two. None for any other array."""
    if array.dtype != np.float64 or not array.flags.c_contiguous or array[:1].size != 2:
        return None
    return array.reshape(-1, 2).view(np.complex128)[:, 0]


def children_groups(flat: FlatTree, parents: np.ndarray) -> tuple[np.ndarray, ...]:
    """The children of `parents` grouped by parent, each group's offset, and its size."""
    counts = flat.child_count[parents]
    starts = np.cumsum(counts) - counts
    children = np.repeat(flat.child_start[parents] - starts, counts) + np.arange(counts.sum())
    return children.astype(np.int64), starts.astype(np.int64), counts
