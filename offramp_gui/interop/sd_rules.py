"""SilverDecisions' objective rules as offramp players, and a check against its numbers.

offramp's engine maximises each player's expected utility, a weighted sum of the
criteria, so every SilverDecisions rule that rolls back by expected value maps
exactly onto weights:

- expected-value-maximization: weight +1 on the first criterion;
- expected-value-minimization: weight -1 (the choice minimises; values keep their sign);
- the two-criteria rules max-min, max-max, min-max, min-min: SilverDecisions maximises
  (±w)·criterion 1 (±1)·criterion 2, w being its criterion 1 weight; so do the weights.

maxi-min, maxi-max, mini-min and mini-max judge a chance node by its best or worst
branch, not by its expectation: offramp cannot do that, and rolls back by expected
value instead (maximising for maxi-*, minimising for mini-*), which the report says.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..model.tree import Player, Tree
from .common import Report, describe, plain
from .sd_expressions import stored_number

DEFAULT_RULE = "expected-value-maximization"
SINGLE_RULES = {"expected-value-maximization": 1, "expected-value-minimization": -1}
MULTI_RULES = {"max-min": (1, -1), "max-max": (1, 1), "min-max": (-1, 1), "min-min": (-1, -1)}
APPROXIMATED_RULES = {
    "maxi-min": (1, "the best worst case"), "maxi-max": (1, "the best best case"),
    "mini-min": (-1, "the lowest best case"), "mini-max": (-1, "the lowest worst case"),
}
RULES = (*SINGLE_RULES, *APPROXIMATED_RULES, *MULTI_RULES)
TOLERANCE = 1e-9


def data_of(doc: dict) -> dict:
    """Where a document keeps its trees and settings: under "data" since 0.7, at the
    top level before."""
    data = doc.get("data")
    return data if isinstance(data, dict) else doc


def rule_of(doc: dict, override: str | None = None) -> str:
    """The rule the import follows: the one asked for, else the file's, else EV maximisation."""
    return override or doc.get("rule") or DEFAULT_RULE


def apply_rule(tree: Tree, doc: dict, override: str | None, report: Report) -> None:
    """Give the tree the player whose weights make offramp's rollback follow the rule."""
    name = rule_of(doc, override)
    if override and doc.get("rule") and override != doc.get("rule"):
        report.converted.append(f'the rule "{override}" is used instead of the file\'s rule'
                                f' "{doc["rule"]}"')
    criteria = tree.effective_criteria()
    first = criteria[0]
    if name in MULTI_RULES:
        weights = _multi_weights(name, doc, tree, report)
    else:
        sign = _single_sign(name, first.name, report)
        weights = {first.id: sign}
        if sign == 1 and len(criteria) == 1:
            tree.players = None  # offramp's default decision maker weighs the criterion by 1
            return
    tree.players = [Player("decision-maker", "Decision maker", weights)]
    _weight_bounds(doc, report)


def _single_sign(name: str, criterion: str, report: Report) -> int:
    if name in SINGLE_RULES:
        sign = SINGLE_RULES[name]
        if sign < 0:
            report.converted.append(
                f'the rule "{name}" becomes a decision maker who weighs {criterion} by -1:'
                f" offramp maximises utility, so each choice minimises the expected"
                f" {criterion}; the values keep their sign")
        return sign
    if name in APPROXIMATED_RULES:
        sign, judges = APPROXIMATED_RULES[name]
        goal = "maximising" if sign > 0 else "minimising"
        report.approximated.append(
            f'the rule "{name}" judges a chance node by {judges}, not by its expected value;'
            f" offramp rolls the tree back by expected value, {goal} {criterion}")
        return sign
    report.approximated.append(f'the rule "{name}" is unknown to offramp; the tree is rolled'
                               f" back by maximising the expected {criterion}")
    return 1


def _multi_weights(name: str, doc: dict, tree: Tree, report: Report) -> dict[str, Any]:
    first, second = tree.effective_criteria()[:2]
    s1, s2 = MULTI_RULES[name]
    data = data_of(doc)
    weight = _weight(data.get("defaultCriterion1Weight", 1), report)
    if math.isinf(weight):
        weights: dict[str, float | int] = {first.id: s1, second.id: 0}
        said = f"{_signed(s1, first.name)} only (criterion 1 weight: infinite)"
    else:
        weights = {first.id: plain(s1 * weight), second.id: s2}
        said = (f"{_signed(s1, f'{weight:g} × {first.name}')} {'+' if s2 > 0 else '−'}"
                f" {second.name}")
    report.converted.append(f'the two-criteria rule "{name}" becomes a decision maker who'
                            f" maximises {said}, as SilverDecisions does")
    return weights


def _signed(sign: int, text: str) -> str:
    return text if sign > 0 else f"−{text}"


def _weight(raw: Any, report: Report) -> float:
    if raw in ("Infinity", float("inf")):
        return math.inf
    number = stored_number(raw)
    if number is None or number < 0:
        report.approximated.append(f"the criterion 1 weight {raw!r} is not a number; offramp"
                                   " uses 1")
        return 1.0
    return number


def _weight_bounds(doc: dict, report: Report) -> None:
    data = data_of(doc)
    low, high = data.get("weightLowerBound", 0), data.get("weightUpperBound", "Infinity")
    if stored_number(low) not in (None, 0.0) or high not in ("Infinity", None):
        report.dropped.append(f"the range of the criterion 1 weight for league tables"
                              f" ({low} to {high})")


# ---- checking against the numbers SilverDecisions stored ------------------------------
def check_against_stored(tree: Tree, top: dict, rule: str, report: Report) -> None:
    """Compare offramp's root values with the file's; note ties SilverDecisions averages."""
    from ..analysis.evaluate import evaluate_tree

    results = evaluate_tree(tree)
    _note_ties(tree, results, report)
    key = rule if rule in SINGLE_RULES or rule in MULTI_RULES else None
    computed = (top.get("computed") or {}).get(key) if key else None
    stored = computed.get("payoff") if isinstance(computed, dict) else None
    if stored is None:
        return
    values = [stored_number(v) for v in (stored if isinstance(stored, list) else [stored])]
    ours = results.expected[0]
    pairs = [(o, s) for o, s in zip(ours.tolist(), values, strict=False) if s is not None]
    if pairs and all(abs(o - s) <= TOLERANCE * max(1.0, abs(s)) for o, s in pairs):
        shown = ", ".join(f"{s:.10g}" for _o, s in pairs)
        report.converted.append(f"checked: the expected value at the root is {shown}, as"
                                f' SilverDecisions stored for "{rule}"')
    elif pairs:
        report.approximated.append(
            "the expected value at the root is "
            + ", ".join(f"{o:.10g}" for o, _s in pairs) + "; SilverDecisions stored "
            + ", ".join(f"{s:.10g}" for _o, s in pairs))


def _note_ties(tree: Tree, results: Any, report: Report) -> None:
    """SilverDecisions averages tied alternatives; offramp takes the first one."""
    flat = results.flat
    for i in np.flatnonzero(results.tie).tolist():
        player = int(flat.player[i])
        kids = list(flat.children(i))
        utility = results.utility[kids, max(player, 0)]
        best = np.nanmax(utility)
        floor = best - TOLERANCE * max(1, abs(best))
        tied = [k for k, u in zip(kids, utility, strict=True) if u >= floor]
        spread = np.ptp(results.expected[tied], axis=0)
        if np.nanmax(spread) > TOLERANCE * max(1.0, float(np.nanmax(np.abs(
                results.expected[tied])))):
            names = ", ".join(_label(tree, flat.ids[k]) for k in tied)
            report.approximated.append(
                f"at {describe(tree.node(flat.ids[i]))} the branches {names} are equally good"
                " under the rule but differ in their criteria: SilverDecisions averages them,"
                f" offramp takes the first ({_label(tree, flat.ids[tied[0]])})")


def _label(tree: Tree, node_id: str) -> str:
    node = tree.node(node_id)
    return f'"{node.branch}"' if node.branch else node_id
