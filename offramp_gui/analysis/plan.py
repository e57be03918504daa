"""Per-level index arrays for the rollback, worked out once per flattened tree."""
from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np

from .flatten import ASSUMED_KIND, CHANCE_KIND, DECISION_KIND, FlatTree

_CACHE: weakref.WeakKeyDictionary[FlatTree, tuple[LevelPlan, ...]] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class LevelPlan:
    """The parents at one depth, split into averaging and choosing ones.

    `*_children` lists their children grouped by parent; `*_starts` are the offsets
    of each group in that list (the segments of `np.*.reduceat`).
    """

    chance_parents: np.ndarray
    chance_children: np.ndarray
    chance_starts: np.ndarray
    decision_parents: np.ndarray
    decision_children: np.ndarray
    decision_starts: np.ndarray
    decision_counts: np.ndarray
    decision_owner: np.ndarray  # per decision child: its parent's player index (-1 none)


def level_plans(flat: FlatTree) -> tuple[LevelPlan, ...]:
    plans = _CACHE.get(flat)
    if plans is None:
        plans = tuple(_plan(flat, start, end) for start, end in flat.levels)
        _CACHE[flat] = plans
    return plans


def _plan(flat: FlatTree, start: int, end: int) -> LevelPlan:
    nodes = np.arange(start, end)
    has_children = flat.child_count[start:end] > 0
    kind = flat.kind[start:end]
    averaging = nodes[has_children & ((kind == CHANCE_KIND) | (kind == ASSUMED_KIND))]
    choosing = nodes[has_children & (kind == DECISION_KIND)]
    chance_children, chance_starts, _ = children_groups(flat, averaging)
    decision_children, decision_starts, counts = children_groups(flat, choosing)
    owner = np.repeat(flat.player[choosing], counts)
    return LevelPlan(averaging, chance_children, chance_starts, choosing, decision_children,
                     decision_starts, counts, owner)


def children_groups(flat: FlatTree, parents: np.ndarray) -> tuple[np.ndarray, ...]:
    """The children of `parents` grouped by parent, each group's offset, and its size."""
    counts = flat.child_count[parents]
    starts = np.cumsum(counts) - counts
    children = np.repeat(flat.child_start[parents] - starts, counts) + np.arange(counts.sum())
    return children.astype(np.int64), starts.astype(np.int64), counts
