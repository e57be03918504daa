"""Re-solving along one path after a single number changes gives exactly what a full
evaluation of the edited tree gives, for each kind of change."""
from __future__ import annotations

import json

import numpy as np
import pytest

from offramp_gui.analysis.flatten import flatten
from offramp_gui.analysis.incremental import IncrementalEvaluator
from offramp_gui.api import evaluate, load_text

# West (root, payoff a 1) goes for c or settles for s. At c (payoff b 2) chance gives the
# East's decision k, a sure m, or the rest to n, an assumed decision of the West.
TREE = """{
  "format": "offramp-tree", "version": 1, "title": "Incremental",
  "criteria": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
  "players": [{"id": "west", "name": "West", "weights": {"a": 1, "b": 0.5}},
              {"id": "east", "name": "East", "weights": {"a": -1, "b": 1}}],
  "outcomes": [{"id": "win", "name": "Win"}, {"id": "loss", "name": "Loss"}],
  "variables": [{"name": "k", "value": 4}],
  "root": {"id": "r", "type": "decision", "player": "west", "payoff": {"a": 1}, "children": [
    {"id": "c", "branch": "Go", "type": "chance", "payoff": {"b": 2}, "children": [
      {"id": "k", "branch": "East decides", "probability": 0.25, "type": "decision",
       "player": "east", "children": [
         {"id": "k1", "branch": "Give", "type": "terminal", "outcome": "win",
          "payoff": {"a": "k", "b": -2}},
         {"id": "k2", "branch": "Take", "type": "terminal", "outcome": "loss",
          "payoff": {"a": -4, "b": 6}}]},
      {"id": "m", "branch": "Sure", "probability": 0.5, "type": "terminal", "outcome": "win",
       "payoff": {"a": 8}},
      {"id": "n", "branch": "Rest", "probability": "#", "type": "decision", "player": "west",
       "solve": "assumed", "children": [
         {"id": "n1", "branch": "N1", "probability": 0.5, "type": "terminal",
          "outcome": "loss", "payoff": {"b": 4}},
         {"id": "n2", "branch": "N2", "probability": 0.5, "type": "terminal",
          "payoff": {"a": 2}}]}]},
    {"id": "s", "branch": "Settle", "type": "terminal", "payoff": {"a": 3, "b": 3}},
    {"id": "solo", "branch": "Alone", "type": "decision", "player": "east", "children": [
      {"id": "g", "branch": "Gamble", "type": "chance", "children": [
        {"id": "g1", "branch": "G1", "probability": "#", "type": "terminal",
         "payoff": {"a": -8}},
        {"id": "g2", "branch": "G2", "probability": 0.5, "type": "terminal",
         "payoff": {"a": -8}}]}]}]}}"""

FIELDS = ("expected", "utility", "choice", "tie", "reach", "outcomes", "probability")


def agree(fast: IncrementalEvaluator, tree, rtol: float = 0) -> None:
    """Every number the incremental evaluator gives equals the full evaluation's: exactly,
    unless `rtol` allows for branches adding up to 1 only within the tolerance (the full
    evaluation then scales the payoffs above the node by their sum too)."""
    full = evaluate(tree)
    mine = fast.results()

    def same(a, b, what) -> None:
        np.testing.assert_allclose(a, b, rtol=rtol, atol=0, equal_nan=True, err_msg=what)
    for name in FIELDS:
        same(getattr(mine, name), getattr(full, name), name)
    assert mine.variables == full.variables
    for node in range(fast.flat.size):
        same(fast.expected(node), full.expected[node], f"expected of {node}")
        same(fast.reach(node), full.reach[node], f"reach of {node}")


def edit(fast: IncrementalEvaluator, tree, node_id: str, field: str, value) -> None:
    """Make the same change in the evaluator and the tree."""
    i = fast.flat.index[node_id]
    if field == "probability":
        fast.set_probability(i, value)
        tree.set_field(node_id, "probability", value)
    else:
        criterion = fast.flat.criteria.index(field)
        fast.set_payoff(i, criterion, value)
        payoff = dict(tree.node(node_id).payoff or {}, **{field: value})
        tree.set_field(node_id, "payoff", payoff)


EDITS = {
    "a terminal's payoff": [("m", "a", -4), ("m", "b", 10), ("n2", "a", 0.5)],
    "a chance node's own payoff": [("c", "a", -2), ("c", "b", 0)],
    "the root's payoff": [("r", "a", 100), ("r", "b", -7)],
    "a payoff that flips the East's choice": [("k1", "b", 20), ("k1", "b", -20)],
    "a payoff that flips the West's choice": [("s", "a", 20), ("s", "a", 0.25)],
    "a payoff that makes an exact tie": [("k2", "a", -8), ("k2", "b", 2)],
    "a payoff inside a branch nobody takes": [("s", "a", 30), ("k1", "a", 1), ("n1", "b", 0)],
    "a probability with a remainder beside it": [("m", "probability", 0.25),
                                                 ("k", "probability", 0.75),
                                                 ("m", "probability", 0)],
    "a remainder pushed below 0": [("m", "probability", 0.875), ("m", "probability", 0.5)],
    "an assumed decision's branches adding up wrong and back": [
        ("n1", "probability", 0.75), ("n1", "probability", 0.25), ("n2", "probability", 0.75)],
    "a probability below 0": [("n1", "probability", -0.25), ("n2", "probability", 1.25)],
    "the only branch of a decision without a value": [("g2", "probability", 1.25),
                                                      ("g2", "probability", 0.5)],
}


@pytest.mark.parametrize("edits", EDITS.values(), ids=EDITS.keys())
def test_each_kind_of_change_agrees_with_a_full_evaluation(edits):
    tree = load_text(TREE)
    fast = IncrementalEvaluator(flatten(tree))
    agree(fast, tree)
    for node_id, field, value in edits:
        edit(fast, tree, node_id, field, value)
        agree(fast, tree)


@pytest.mark.parametrize("edits, valid", [
    ([("m", "probability", -1e-9)], True),  # within the tolerance of 0 and of 1
    ([("n2", "probability", 0), ("n1", "probability", 1 + 1e-9)], True),
    ([("m", "probability", -1.01e-9)], False),
    ([("n2", "probability", 0), ("n1", "probability", 1 + 1.01e-9)], False),
])
def test_probabilities_at_the_edge_of_the_tolerance(edits, valid):
    tree = load_text(TREE)
    fast = IncrementalEvaluator(flatten(tree))
    for node_id, field, value in edits:
        edit(fast, tree, node_id, field, value)
        agree(fast, tree, rtol=1e-8)
    assert bool(np.isfinite(fast.expected(fast.flat.index["c"])).all()) is valid


def test_the_changes_a_user_sees():
    tree = load_text(TREE)
    fast = IncrementalEvaluator(flatten(tree))
    flat, results = fast.flat, fast.results()
    assert results.chosen_id("r") == "c" and results.chosen_id("k") == "k2"
    assert results.expected[flat.index["c"]].tolist() == [1 + 0.25 * -4 + 0.5 * 8 + 0.25 * 1,
                                                          2 + 0.25 * 6 + 0.25 * 2]
    edit(fast, tree, "s", "a", 20)
    assert fast.results().chosen_id("r") == "s" and fast.reach(flat.index["m"]) == 0
    edit(fast, tree, "m", "probability", 0.25)  # the remainder n follows: 0.5
    assert fast.results().probability[flat.index["n"]] == 0.5
    edit(fast, tree, "n1", "probability", 0.75)  # n's branches now add up to 1.25
    assert np.isnan(fast.expected(flat.index["n"])).all()
    assert np.isnan(fast.results().outcomes[flat.index["c"]]).all()
    assert fast.results().chosen_id("r") is None  # c has no value to compare
    assert np.isnan(fast.reach(flat.index["s"]))


def test_a_near_tie_deep_in_the_tree_is_judged_on_the_total_from_the_root():
    # With 1e6 above and at the East's decision, its two branches 2^-11 (about 5e-4) apart
    # are a tie (1e-9 x 1e6 = 1e-3); on their own, or on part of that total, they are not.
    tree = load_text(TREE)
    fast = IncrementalEvaluator(flatten(tree))
    for node_id, field, value in [("r", "b", 6e5), ("k", "b", 4e5), ("k1", "a", 0),
                                  ("k1", "b", 6 + 2 ** -11), ("k2", "a", 0), ("k2", "b", 6)]:
        edit(fast, tree, node_id, field, value)
        agree(fast, tree)
    assert fast.results().tie[fast.flat.index["k"]]
    assert fast.results().chosen_id("k") == "k1"


def test_a_near_tie_at_the_root_after_an_edit_deep_below():
    # 2^-11 apart at a West utility of about 3e5 (tolerance 3e-4): not a tie, and an edit
    # far below must not make the root judge it on a larger total.
    tree = load_text(TREE)
    fast = IncrementalEvaluator(flatten(tree))
    for node_id, field, value in [("r", "b", 6e5), ("k", "b", 4e5)]:
        edit(fast, tree, node_id, field, value)
    full = evaluate(tree)
    c, s = full.index("c"), full.index("s")
    gap = float(full.utility[c, 0] - full.utility[s, 0]) - 2 ** -11
    edit(fast, tree, "s", "a", 3 + gap)
    edit(fast, tree, "k2", "b", 6)  # the same value again: the path from k2 is re-solved
    agree(fast, tree)
    assert fast.results().chosen_id("r") == "c" and not fast.results().tie[0]


@pytest.mark.parametrize("best", [1.0, 4.0, -4.0, 0.5])
def test_a_tie_at_the_very_edge_of_the_tolerance(best):
    # the second is below the best by exactly 1e-9 x max(1, |best|): still a tie
    second = best - 1e-9 * max(1.0, abs(best))
    tree = load_text(json.dumps({"format": "offramp-tree", "version": 1, "title": "Edge",
                                 "root": {"id": "r", "type": "decision", "children": [
                                     {"id": "a", "branch": "A", "type": "terminal",
                                      "payoff": {"value": best}},
                                     {"id": "b", "branch": "B", "type": "terminal",
                                      "payoff": {"value": 0}}]}}))
    fast = IncrementalEvaluator(flatten(tree))
    for node_id, value in (("b", second), ("a", 0), ("a", best)):
        edit(fast, tree, node_id, "value", value)
        agree(fast, tree)
    assert fast.results().chosen_id("r") == "a" and fast.results().tie[0]
    edit(fast, tree, "b", "value", best - 1.01e-9 * max(1.0, abs(best)))
    agree(fast, tree)
    assert not fast.results().tie[0]


def test_below_a_decision_that_cannot_choose_nobody_knows_the_reach():
    # A chance at the root, so that only the lone decision is undecidable, not the root.
    tree = load_text(json.dumps({"format": "offramp-tree", "version": 1, "title": "Lone",
                                 "root": {"id": "top", "type": "chance", "children": [
                                     {"id": "solo", "branch": "S", "type": "decision",
                                      "probability": 0.5, "children": [
                                          {"id": "g", "branch": "G", "type": "chance",
                                           "children": [
                                               {"id": "g1", "branch": "G1", "type": "terminal",
                                                "probability": 0.5, "payoff": 4},
                                               {"id": "g2", "branch": "G2", "type": "terminal",
                                                "probability": 0.5, "payoff": 0}]}]},
                                     {"id": "z", "branch": "Z", "type": "terminal",
                                      "probability": "#", "payoff": 1}]}}))
    fast = IncrementalEvaluator(flatten(tree))
    assert fast.reach(fast.flat.index["g1"]) == 0.25
    edit(fast, tree, "g1", "probability", 0.25)
    agree(fast, tree)
    assert np.isnan(fast.reach(fast.flat.index["g"])) and fast.reach(fast.flat.index["z"]) == 0.5
    assert np.isnan(fast.results().reach[fast.flat.index["g2"]])


def test_an_evaluator_started_from_other_variable_values():
    tree = load_text(TREE)
    fast = IncrementalEvaluator(flatten(tree), {"k": -40})
    full = evaluate(tree, {"k": -40})
    for name in FIELDS:
        assert np.array_equal(getattr(fast.results(), name), getattr(full, name),
                              equal_nan=True), name
    assert fast.results().variables == {"k": -40.0}
    assert fast.results().chosen_id("k") == "k1"  # the East now gains 40 from giving


def test_a_tree_of_one_node():
    tree = load_text(json.dumps({"format": "offramp-tree", "version": 1, "title": "One",
                                 "root": {"id": "only", "type": "terminal", "payoff": 3}}))
    fast = IncrementalEvaluator(flatten(tree))
    fast.set_payoff(0, 0, 5)
    assert fast.expected(0).tolist() == [5.0] and fast.reach(0) == 1.0
    assert fast.results().expected.tolist() == [[5.0]]
