"""Re-solving along one path after a single number changes."""
from __future__ import annotations

import numpy as np

from offramp_gui.analysis.flatten import flatten
from offramp_gui.analysis.incremental import IncrementalEvaluator
from offramp_gui.api import load_text

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
        {"id": "g1", "branch": "G1", "probability": 0.5, "type": "terminal",
         "payoff": {"a": -8}},
        {"id": "g2", "branch": "G2", "probability": 0.5, "type": "terminal",
         "payoff": {"a": -8}}]}]}]}}"""

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
