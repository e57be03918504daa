"""The `offramp evaluate --json` document (CLI.md), built from Results."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from .evaluate import Results
from .flatten import ASSUMED_KIND, CHANCE_KIND, DECISION_KIND, FlatTree

_TYPE_NAMES = {0: "terminal", CHANCE_KIND: "chance", DECISION_KIND: "decision",
               ASSUMED_KIND: "decision"}


def preorder(flat: FlatTree) -> list[int]:
    """Node indices in document order."""
    order, stack = [], [0]
    while stack:
        i = stack.pop()
        order.append(i)
        stack.extend(reversed(flat.children(i)))
    return order


def evaluation_document(results: Results) -> dict[str, Any]:
    flat = results.flat
    criteria, players = flat.criteria, flat.players
    keys = results.outcome_keys
    expected = _plain(results.expected)
    utility = _plain(results.utility)
    reach = _plain(results.reach)
    outcomes = _plain(results.outcomes)
    choice = results.choice.tolist()
    tie = results.tie.tolist()
    ids, kinds = flat.ids, flat.kind.tolist()
    nodes = {}
    for i in preorder(flat):
        nodes[ids[i]] = {
            "type": _TYPE_NAMES[kinds[i]],
            "expected": dict(zip(criteria, expected[i])),
            "utility": dict(zip(players, utility[i])),
            "choice": ids[choice[i]] if choice[i] >= 0 else None,
            "tie": tie[i],
            "reach": reach[i],
            "outcomes": {k: p for k, p in zip(keys, outcomes[i]) if p != 0},
        }
    return {
        "format": "offramp-evaluation", "version": 1, "title": flat.title,
        "root": ids[0], "criteria": list(criteria), "players": list(players),
        "variables": {k: _number(v) for k, v in results.variables.items()},
        "nodes": nodes,
    }


def _plain(array: np.ndarray) -> Any:
    """Python floats for JSON: -0.0 becomes 0.0; nan (not computable) becomes None."""
    clean = array + 0.0
    if np.isnan(clean).any():
        return np.where(np.isnan(clean), None, clean).tolist()
    return clean.tolist()


def _number(value: float) -> float | None:
    return None if math.isnan(value) else value + 0.0
