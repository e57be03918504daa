"""Read the values SilverDecisions stored in a file and compare offramp's with them.

Independent of the importer: it walks the SilverDecisions JSON itself and parses its
fractions ("-7 1973731/5073127") on its own.
"""
from __future__ import annotations

import re
from fractions import Fraction

import numpy as np

from offramp_gui.analysis.evaluate import path_totals, solve

EV_RULES = ("expected-value-maximization", "expected-value-minimization")
MULTI = {"max-min": (1, -1), "max-max": (1, 1), "min-max": (-1, 1), "min-min": (-1, -1)}
REL, ABS = 1e-9, 1e-12


def number(value) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    match = re.fullmatch(r"\s*(-?)(\d+) (\d+/\d+)\s*", value)
    if match:
        whole = int(match.group(2)) + Fraction(match.group(3))
        return float(-whole if match.group(1) else whole)
    return float(Fraction(value.strip()))


def vector(value) -> list[float]:
    return [number(v) for v in (value if isinstance(value, list) else [value])]


def close(ours: float, theirs: float) -> bool:
    return abs(ours - theirs) <= max(REL * abs(theirs), ABS)


def sd_trees(doc: dict) -> list:
    return (doc.get("data") or doc)["trees"]


def stored_rules(top: dict) -> list[str]:
    """The expected-value rules whose values the file stores."""
    return [r for r in (top.get("computed") or {}) if r in EV_RULES or r in MULTI]


def mismatches(top: dict, tree, results, rule: str) -> list[str]:
    """Every stored number offramp does not reproduce, as readable lines."""
    flat = results.flat
    solution = solve(flat)
    totals = path_totals(flat, solution.payoff)[:, 0, :]
    columns = 2 if rule in MULTI else 1
    averaged = _averaged_ties(results) if rule in MULTI else set()
    problems: list[str] = []
    stack = [(top, "n0")]
    while stack:
        node, path = stack.pop()
        i = flat.index[path]
        parent = flat.parent[i] if i else -1
        base = totals[parent] if i else np.zeros(totals.shape[1])
        stored = node["computed"][rule]
        below_tie = any(j in averaged for j in _subtree(flat, i))
        if not below_tie:
            for c, theirs in enumerate(vector(stored["payoff"])[:columns]):
                ours = results.expected[i, c] - base[c]
                if not close(ours, theirs):
                    problems.append(f"{path} {rule} payoff[{c}]: {ours!r} vs {theirs!r}")
            if node["type"] == "terminal":
                for c, theirs in enumerate(vector(stored["aggregatedPayoff"])[:columns]):
                    if not close(results.expected[i, c], theirs):
                        problems.append(f"{path} aggregated[{c}]: {results.expected[i, c]!r}"
                                        f" vs {theirs!r}")
        problems += _edges(node, path, flat, results, rule)
        stack += [(e["childNode"], f"{path}.{k}") for k, e in enumerate(node["childEdges"])]
    return problems


def _edges(node, path, flat, results, rule) -> list[str]:
    problems = []
    i = flat.index[path]
    for k, edge in enumerate(node["childEdges"]):
        child = flat.index[f"{path}.{k}"]
        theirs = number(edge["computed"][rule]["probability"])
        if node["type"] == "chance" and not close(results.probability[child], theirs):
            problems.append(f"{path}.{k} probability: {results.probability[child]!r}"
                            f" vs {theirs!r}")
        if node["type"] == "decision" and results.choice[i] == child and theirs != 1:
            problems.append(f"{path}: offramp chooses branch {k}, SilverDecisions does not")
    return problems


def _subtree(flat, i: int) -> list[int]:
    out, stack = [], [i]
    while stack:
        j = stack.pop()
        out.append(j)
        stack.extend(flat.children(j))
    return out


def _averaged_ties(results) -> set[int]:
    """Decision nodes whose tied branches differ: SilverDecisions averages those."""
    flat, out = results.flat, set()
    for i in np.flatnonzero(results.tie).tolist():
        kids = list(flat.children(i))
        u = results.utility[kids, max(int(flat.player[i]), 0)]
        floor = u.max() - 1e-9 * max(1, abs(u.max()))
        tied = [k for k, v in zip(kids, u, strict=True) if v >= floor]
        if np.ptp(results.expected[tied], axis=0).max() > 1e-9:
            out.add(i)
    return out
