"""The baselines of the CLI benchmark: plain recursive evaluators over `json.load` output.

    python baseline_evaluator.py FILE           the whole document
    python baseline_evaluator.py FILE --root    the minimal evaluator: the root only

The first computes the same document as `offramp evaluate --json` (expected values per
criterion, utilities, choice, tie, reach, outcome distribution at every node) the
simple way: one recursive function over the parsed dicts. The second rolls back the
expected values only and prints the root's. Numbers only, no expressions or
variables, which the benchmark trees do not use.
"""
from __future__ import annotations

import json
import sys


def evaluate(path: str) -> dict:
    with open(path, encoding="utf-8") as stream:
        doc = json.load(stream)
    sys.setrecursionlimit(100_000)
    criteria = [c["id"] for c in doc["criteria"]]
    players = {p["id"]: p["weights"] for p in doc["players"]}
    nodes: dict[str, dict] = {}

    def utility(values, player):
        weights = players[player]
        return sum(weights.get(c, 0) * values[c] for c in criteria)

    def rollback(node, above):
        payoff = node.get("payoff", {})
        total = {c: above[c] + payoff.get(c, 0) for c in criteria}
        children = node.get("children", [])
        if not children:
            result = {"expected": total, "outcomes": {node.get("outcome", "null"): 1.0},
                      "choice": None, "tie": False}
        else:
            rolled = [rollback(child, total) for child in children]
            if node["type"] == "chance":
                result = _average(children, rolled, criteria)
            else:
                result = _choose(node, children, rolled, utility)
        result["type"] = node["type"]
        result["utility"] = {p: utility(result["expected"], p) for p in players}
        nodes[node["id"]] = result
        return result

    def mark_reach(node, reach):
        nodes[node["id"]]["reach"] = reach
        for child in node.get("children", []):
            if node["type"] == "chance":
                share = child["probability"]
            else:
                share = 1.0 if nodes[node["id"]]["choice"] == child["id"] else 0.0
            mark_reach(child, reach * share)

    rollback(doc["root"], {c: 0.0 for c in criteria})
    mark_reach(doc["root"], 1.0)
    return {"format": "offramp-evaluation", "version": 1, "title": doc["title"],
            "root": doc["root"]["id"], "criteria": criteria, "players": list(players),
            "variables": {}, "nodes": {k: _ordered(v) for k, v in nodes.items()}}


def _average(children, rolled, criteria):
    expected = {c: sum(ch["probability"] * r["expected"][c] for ch, r in zip(children, rolled))
                for c in criteria}
    outcomes: dict[str, float] = {}
    for child, result in zip(children, rolled):
        for key, p in result["outcomes"].items():
            outcomes[key] = outcomes.get(key, 0.0) + child["probability"] * p
    return {"expected": expected, "outcomes": outcomes, "choice": None, "tie": False}


def _choose(node, children, rolled, utility):
    scores = [utility(r["expected"], node["player"]) for r in rolled]
    best = max(scores)
    tolerance = 1e-9 * max(1.0, abs(best))
    near = [k for k, s in enumerate(scores) if s >= best - tolerance]
    chosen = rolled[near[0]]
    return {"expected": dict(chosen["expected"]), "outcomes": dict(chosen["outcomes"]),
            "choice": children[near[0]]["id"], "tie": len(near) > 1}


def _ordered(result):
    return {"type": result["type"], "expected": result["expected"],
            "utility": result["utility"], "choice": result["choice"], "tie": result["tie"],
            "reach": result["reach"], "outcomes": result["outcomes"]}


def root_only(path: str) -> dict:
    with open(path, encoding="utf-8") as stream:
        doc = json.load(stream)
    sys.setrecursionlimit(100_000)
    criteria = [c["id"] for c in doc["criteria"]]
    players = {p["id"]: p["weights"] for p in doc["players"]}

    def utility(values, player):
        weights = players[player]
        return sum(weights.get(c, 0) * values[c] for c in criteria)

    def rollback(node):  # the node's own payoff and what follows it
        payoff = node.get("payoff", {})
        children = node.get("children", [])
        future = {c: 0.0 for c in criteria}
        if children and node["type"] == "chance":
            for child in children:
                below = rollback(child)
                for c in criteria:
                    future[c] += child["probability"] * below[c]
        elif children:
            future = max((rollback(child) for child in children),
                         key=lambda values: utility(values, node["player"]))
        return {c: payoff.get(c, 0) + future[c] for c in criteria}

    expected = rollback(doc["root"])
    return {"root": doc["root"]["id"], "expected": expected,
            "utility": {p: utility(expected, p) for p in players}}


if __name__ == "__main__":
    result = root_only(sys.argv[1]) if "--root" in sys.argv[2:] else evaluate(sys.argv[1])
    sys.stdout.write(json.dumps(result) + "\n")
