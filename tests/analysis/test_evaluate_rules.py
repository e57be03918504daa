"""Numbers too large to compute are reported, not warned about."""
from __future__ import annotations

import json
import math

from offramp_gui.api import evaluate, load_text


def load(root: dict, variables: list | None = None, **settings):
    return load_text(json.dumps({"format": "offramp-tree", "version": 1, "title": "Test",
                                 "variables": variables or [], "root": root, **settings}))


def choice(node_id: str, *children: dict, **fields) -> dict:
    return {"id": node_id, "type": "decision", "children": list(children), **fields}


def chance(node_id: str, *children: dict, **fields) -> dict:
    return {"id": node_id, "type": "chance", "children": list(children), **fields}


def leaf(node_id: str, payoff=None, **fields) -> dict:
    node = {"id": node_id, "type": "terminal", **fields}
    return node if payoff is None else {**node, "payoff": payoff}


def branch(node: dict, probability) -> dict:
    return {**node, "probability": probability}


def by_id(results, name: str) -> dict:
    """What a user reads for one node: its values, choice, tie, reach and outcome chances."""
    i = results.index(name)
    return {"expected": results.expected[i].tolist(), "utility": results.utility[i].tolist(),
            "choice": results.chosen_id(name), "tie": bool(results.tie[i]),
            "reach": float(results.reach[i]), "probability": float(results.probability[i]),
            "outcomes": dict(zip(results.outcome_keys, results.outcomes[i].tolist()))}


def messages(results) -> list[tuple[str | None, str | None, str, str]]:
    return [(i.node_id, i.field, i.path, i.message) for i in results.issues]


# ---- numbers too large to compute ---------------------------------------------------------
def test_totals_that_overflow_are_reported_where_they_first_do():
    tree = load(choice("r", leaf("safe", 1), chance("big", branch(leaf("x", "k"), 0.5),
                                                    branch(leaf("y", 0), "#"), payoff="k")),
                [{"name": "k", "value": 1}])
    results = evaluate(tree, {"k": 1e308})
    assert messages(results) == [("big", None, "$.root.children[1]",
                                  "the totals here are too large to compute (they overflow)")]
    assert math.isnan(by_id(results, "x")["expected"][0])  # inf is shown as "cannot compute"
    assert by_id(results, "y")["expected"] == [1e308]
    assert math.isnan(by_id(results, "r")["expected"][0]) and results.chosen_id("r") is None
    assert evaluate(tree, {"k": 1e307}).issues == ()
