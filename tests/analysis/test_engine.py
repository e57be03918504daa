"""The engine against hand-computed numbers, FORMAT.md's worked example and its own fast paths."""
from __future__ import annotations

import json
import math
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from offramp_gui.analysis import plan
from offramp_gui.analysis.evaluate import evaluate, evaluate_tree, solve
from offramp_gui.analysis.flatten import FIXED, flatten
from offramp_gui.analysis.incremental import IncrementalEvaluator
from offramp_gui.analysis.report import evaluation_document, evaluation_json
from offramp_gui.api import load_text
from offramp_gui.model.tree import Criterion, Node, Outcome, Player, Tree, Variable

FORMAT_EXAMPLE = """{
  "format": "offramp-tree", "version": 1, "title": "Escalate or take the off-ramp",
  "criteria": [{"id": "security", "name": "European security", "unit": "score"},
               {"id": "risk", "name": "Nuclear risk avoided", "unit": "score"}],
  "players": [
    {"id": "west", "name": "Western capitals", "weights": {"security": 0.6, "risk": 0.4}},
    {"id": "kremlin", "name": "Kremlin", "weights": {"security": -1.0, "risk": 0.2}}],
  "variables": [{"name": "p_collapse", "value": 0.3, "min": 0, "max": 1,
                 "description": "Chance the Russian front collapses within a year",
                 "distribution": {"type": "beta", "alpha": 3, "beta": 7}}],
  "outcomes": [{"id": "settlement", "name": "Negotiated settlement", "color": "#2e7d32"},
               {"id": "nuclear", "name": "Nuclear use", "color": "#b71c1c"}],
  "root": {
    "id": "aim", "type": "decision", "player": "west", "name": "Western war aim",
    "children": [
      {"id": "defeat", "branch": "Seek Russia's defeat", "type": "chance", "name": "Front line",
       "payoff": {"security": 5},
       "children": [
         {"id": "collapse", "branch": "Russian front collapses", "probability": "p_collapse",
          "type": "decision", "player": "kremlin", "name": "Kremlin response",
          "children": [
            {"id": "escalate", "branch": "Escalate", "type": "terminal", "outcome": "nuclear",
             "payoff": {"security": -60, "risk": -100}},
            {"id": "accept", "branch": "Accept a face-saving deal", "type": "terminal",
             "outcome": "settlement", "payoff": {"security": 40, "risk": 0}}]},
         {"id": "stalemate", "branch": "Stalemate", "probability": "#", "type": "terminal",
          "payoff": {"security": -10, "risk": -10}}]},
      {"id": "talks", "branch": "Push for talks now", "type": "terminal", "outcome": "settlement",
       "payoff": {"security": -5, "risk": 0}}]}}
"""


def leaf(node_id: str, payoff=None, **fields) -> Node:
    return Node(node_id, "terminal", payoff=payoff, **fields)


def decision(node_id: str, *kids: Node, **fields) -> Node:
    return Node(node_id, "decision", children=list(kids), **fields)


def chance(node_id: str, *kids: Node, **fields) -> Node:
    return Node(node_id, "chance", children=list(kids), **fields)


def make(root: Node, **settings) -> Tree:
    tree = Tree(root)
    for key, value in settings.items():
        setattr(tree, key, value)
    return tree


def nodes(tree: Tree, **overrides) -> dict:
    """The evaluation document's nodes, after checking there is no problem."""
    results = evaluate_tree(tree, overrides or None)
    assert results.issues == ()
    return evaluation_document(results)["nodes"]


def value(entry: dict) -> float:
    return entry["expected"]["value"]


# ---- one player, one criterion -----------------------------------------------------------
def test_payoffs_are_summed_along_the_path_and_averaged_at_chance():
    tree = make(decision("r", chance("c", leaf("x", 3, probability=0.5),
                                     leaf("y", 4, probability=0.5),
                                     payoff=2), leaf("s", 5), payoff=1))
    out = nodes(tree)
    assert (value(out["x"]), value(out["y"]), value(out["s"])) == (6, 7, 6)
    assert value(out["c"]) == 6.5 and value(out["r"]) == 6.5
    assert out["r"]["choice"] == "c" and out["r"]["utility"] == {"decision-maker": 6.5}


def test_remainder_takes_what_is_left():
    tree = make(chance("r", leaf("a", 10, probability=0.25), leaf("b", 20, probability="0.35"),
                       leaf("c", 30, probability="#")))
    out = nodes(tree)
    assert out["c"]["reach"] == pytest.approx(0.4, abs=1e-15)
    assert value(out["r"]) == pytest.approx(0.25 * 10 + 0.35 * 20 + 0.4 * 30, abs=1e-12)


def test_reach_is_zero_below_unchosen_branches():
    tree = make(decision("r", chance("c", leaf("x", 1, probability=0.2),
                                     leaf("y", 1, probability=0.8)),
                         decision("d", leaf("d1", 5), leaf("d2", 7))))
    out = nodes(tree)
    assert out["r"]["choice"] == "d" and out["d"]["choice"] == "d2"
    reach = {k: v["reach"] for k, v in out.items()}
    assert reach == {"r": 1, "c": 0, "x": 0, "y": 0, "d": 1, "d1": 0, "d2": 1}
    assert out["x"]["reach"] == 0 and value(out["c"]) == 1  # off the path, still computed


def test_reach_multiplies_probabilities():
    tree = make(chance("r", chance("a", leaf("a1", probability=0.5), leaf("a2", probability=0.5),
                                   probability=0.4), leaf("b", probability=0.6)))
    assert nodes(tree)["a2"]["reach"] == pytest.approx(0.2)


def test_outcome_distributions_with_an_unclassified_category():
    tree = make(decision("r", chance("c", leaf("w", 10, probability=0.3, outcome="win"),
                                     leaf("l", -1, probability=0.5, outcome="loss"),
                                     leaf("u", 2, probability=0.2)),
                         leaf("s", 0, outcome="loss")),
                outcomes=[Outcome("win", "Win"), Outcome("loss", "Loss")])
    out = nodes(tree)
    assert out["c"]["outcomes"] == pytest.approx({"win": 0.3, "loss": 0.5, "null": 0.2})
    assert out["r"]["outcomes"] == out["c"]["outcomes"]
    assert out["s"]["outcomes"] == {"loss": 1.0} and out["u"]["outcomes"] == {"null": 1.0}


# ---- criteria and players ----------------------------------------------------------------
def test_weighted_criteria_utilities():
    tree = make(decision("r", leaf("a", {"c": 3, "d": 4}), leaf("b", {"c": 1.5})),
                criteria=[Criterion("c", "C"), Criterion("d", "D")],
                players=[Player("p", "P", {"c": 2, "d": -1})])
    out = nodes(tree)
    assert out["a"]["utility"] == {"p": 2.0} and out["b"]["utility"] == {"p": 3.0}
    assert out["b"]["expected"] == {"c": 1.5, "d": 0.0}  # a missing criterion counts 0
    assert out["r"]["choice"] == "b"


def test_a_criterion_missing_from_weights_weighs_nothing():
    tree = make(decision("r", leaf("a", {"c": 1, "d": 100}), leaf("b", {"c": 2})),
                criteria=[Criterion("c", "C"), Criterion("d", "D")],
                players=[Player("p", "P", {"c": 1})])
    assert nodes(tree)["r"]["choice"] == "b"


def test_three_player_backward_induction():
    crit = [Criterion(k, k.upper()) for k in "abc"]
    players = [Player(k.upper(), k, {k: 1}) for k in "abc"]
    tree = make(decision(
        "root",
        decision("left", leaf("l1", {"a": 3, "b": 1, "c": 0}),
                 decision("l2", leaf("x", {"a": 0, "b": 2, "c": 1}),
                          leaf("y", {"a": 5, "b": 0, "c": 2}), player="C"), player="B"),
        chance("right", leaf("r1", {"a": 2, "b": 2, "c": 2}, probability=0.5),
               decision("r2", leaf("z", {"a": 4, "b": 0, "c": 0}),
                        leaf("w", {"a": 0, "b": 0, "c": 1}),
                        player="C", probability=0.5)),
        player="A"), criteria=crit, players=players)
    out = nodes(tree)
    assert out["l2"]["choice"] == "y" and out["l2"]["expected"] == {"a": 5, "b": 0, "c": 2}
    assert out["left"]["choice"] == "l1"  # B prefers b = 1 now to b = 0 after C's choice
    assert out["r2"]["choice"] == "w"
    assert out["right"]["expected"] == {"a": 1, "b": 1, "c": 1.5}
    assert out["root"]["choice"] == "left"
    assert out["root"]["utility"] == {"A": 3, "B": 1, "C": 0}
    assert [k for k, v in out.items() if v["reach"] == 1] == ["root", "left", "l1"]


def test_assumed_decision_rolls_back_like_chance():
    tree = make(decision("r", leaf("a", 10), leaf("b", 0), leaf("c", 4, probability=None),
                         solve="assumed"))
    tree.root.children[0].probability, tree.root.children[1].probability = 0.3, 0.2
    tree.root.children[2].probability = "#"
    out = nodes(tree)
    assert out["r"]["choice"] is None and out["r"]["type"] == "decision"
    assert value(out["r"]) == pytest.approx(3 + 0 + 2)
    assert [out[k]["reach"] for k in "abc"] == pytest.approx([0.3, 0.2, 0.5])


# ---- ties --------------------------------------------------------------------------------
@pytest.mark.parametrize("first, second, choice, tie", [
    (5, 5, "a", True), (0.5, 0.5 + 5e-10, "a", True), (0.5, 0.5 + 2e-9, "b", False),
    (1e6, 1e6 + 1e-4, "a", True), (1e6, 1e6 + 1e-2, "b", False),
    (-1e6, -1e6 + 1e-4, "a", True), (1e6 + 1e-4, 1e6, "a", True), (3, 2, "a", False),
])
def test_tie_rule(first, second, choice, tie):
    out = nodes(make(decision("r", leaf("a", first), leaf("b", second))))
    assert out["r"]["choice"] == choice and out["r"]["tie"] is tie
    assert out["a"]["reach"] == (choice == "a") and out["b"]["reach"] == (choice == "b")


def test_a_tie_goes_to_the_first_best_not_the_first_child():
    out = nodes(make(decision("r", leaf("a", 1), leaf("b", 9), leaf("c", 9))))
    assert out["r"]["choice"] == "b" and out["r"]["tie"] is True


# ---- FORMAT.md's example gives CLI.md's numbers -------------------------------------------
def test_format_md_example_gives_the_cli_md_numbers():
    out = evaluation_document(evaluate_tree(load_text(FORMAT_EXAMPLE)))["nodes"]
    assert out["aim"] == {"type": "decision", "expected": {"security": -5.0, "risk": 0.0},
                          "utility": {"west": -3.0, "kremlin": 5.0}, "choice": "talks",
                          "tie": False, "reach": 1.0, "outcomes": {"settlement": 1.0}}
    assert out["collapse"] == {"type": "decision", "expected": {"security": -55.0, "risk": -100.0},
                               "utility": {"west": -73.0, "kremlin": 35.0}, "choice": "escalate",
                               "tie": False, "reach": 0.0, "outcomes": {"nuclear": 1.0}}
    assert list(out) == ["aim", "defeat", "collapse", "escalate", "accept", "stalemate", "talks"]
    assert out["defeat"]["outcomes"] == pytest.approx({"nuclear": 0.3, "null": 0.7})


# ---- invalid probabilities: located problems, nan only where it matters --------------------
def broken(kids_of_bad: list[Node]) -> Tree:
    return make(decision("r", chance("bad", *kids_of_bad),
                         chance("good", leaf("g1", 2, probability=0.5),
                                leaf("g2", 4, probability="#")),
                         player=None), variables=[Variable("q", 0.4)])


@pytest.mark.parametrize("kids, node, fragment", [
    ([leaf("a", 1, probability=0.5), leaf("b", 1, probability="q")], "bad",
     "the probabilities of its branches add up to 0.9, not 1"),
    ([leaf("a", 1, probability=1.3), leaf("b", 1, probability=0)], "a",
     "probability 1.3 is above 1"),
    ([leaf("a", 1, probability=-0.2), leaf("b", 1, probability=1.2)], "a",
     "probability -0.2 is below 0"),
    ([leaf("a", 1, probability="q * 3"), leaf("b", 1, probability="#")], "b",
     'the remainder "#" comes to -0.2: the other branches add up to 1.2, more than 1'),
])
def test_invalid_probabilities_are_located(kids, node, fragment):
    tree = broken(kids)
    results = evaluate_tree(tree)
    messages = [(i.node_id, i.message) for i in results.issues]
    assert any(n == node and fragment in m for n, m in messages), messages
    out = evaluation_document(results)["nodes"]
    assert out["good"]["expected"] == {"value": 3.0} and out["g2"]["reach"] is None
    assert out["bad"]["expected"] == {"value": None} and out["a"]["expected"] == {"value": 1.0}
    assert out["r"]["expected"] == {"value": None} and out["r"]["choice"] is None


def test_one_line_per_problem_without_echoes():
    tree = make(chance("r", leaf("a", probability=0.5), leaf("b"), leaf("c", probability="#")))
    results = evaluate_tree(tree)
    assert [(i.node_id, i.field) for i in results.issues] == [("b", "probability")]


def test_nan_stays_inside_the_broken_subtree():
    tree = make(chance("top", chance("bad", leaf("a", 1, probability=0.7), probability=0.5),
                       decision("fine", leaf("f1", 1), leaf("f2", 2), probability=0.5)))
    out = evaluation_document(evaluate_tree(tree))["nodes"]
    assert out["fine"]["expected"] == {"value": 2.0} and out["fine"]["choice"] == "f2"
    assert out["f2"]["reach"] == 0.5
    assert out["bad"]["expected"]["value"] is None and out["top"]["expected"]["value"] is None


def test_unknown_outcome_does_not_crash_the_engine():
    tree = make(decision("r", leaf("a", 1, outcome="ghost"), leaf("b", 2, outcome="o")),
                outcomes=[Outcome("o", "O")])
    results = evaluate_tree(tree)
    assert [i.field for i in results.issues] == ["outcome"]
    out = evaluation_document(results)["nodes"]
    assert out["b"]["outcomes"] == {"o": 1.0} and out["a"]["outcomes"].get("o") != 1.0


# ---- many samples at once equal one at a time ------------------------------------------------
def expression_tree() -> Tree:
    return make(decision(
        "r",
        chance("c", leaf("x", {"value": "10 * p - if(p > 0.5, 3, 0)"}, probability="p"),
               leaf("y", {"value": "q"}, probability="#"), payoff={"value": "min(p, 0.3)"}),
        chance("d", leaf("d1", {"value": "clamp(8 * q, 1, 4)"}, probability="sqrt(q)"),
               leaf("d2", {"value": "log(1 + p) * 5"}, probability="1 - sqrt(q)")),
        leaf("s", 2, outcome="o")), outcomes=[Outcome("o", "O")],
        variables=[Variable("p", 0.5, 0, 1), Variable("q", "p ^ 2 / 2")])


def test_samples_equal_separate_evaluations():
    flat = flatten(expression_tree())
    xs = np.linspace(0, 1, 23)
    many = solve(flat, overrides={"p": xs}, samples=xs.size)
    assert many.issues == ()
    for k, x in enumerate(xs):
        one = evaluate(flat, {"p": float(x)})
        assert np.allclose(many.values[:, k, :], one.expected, rtol=0, atol=1e-12)
        assert np.array_equal(many.choice[:, k], one.choice)
        assert np.array_equal(many.tie[:, k], one.tie)
        assert np.allclose(many.reach[:, k], one.reach, atol=1e-12)
        assert np.allclose(many.outcomes[:, k], one.outcomes, atol=1e-12)
        assert np.allclose(many.probability[:, k], one.probability, atol=1e-12, equal_nan=True)
    assert len({tuple(c) for c in many.choice.T.tolist()}) > 1  # the policy really changes


# ---- incremental edits equal a full evaluation ---------------------------------------------------
def incremental_tree(rng: random.Random) -> Tree:
    def grow(node_id: str, depth: int) -> Node:
        kinds = ["decision", "chance"] + ["terminal"] * (depth < 3)
        kind = "terminal" if depth == 0 else rng.choice(kinds)
        payoff = {c: rng.randint(-9, 9) for c in ("a", "b") if rng.random() < 0.7}
        if kind == "terminal":
            return Node(node_id, "terminal", payoff=payoff, outcome=rng.choice([None, "o"]))
        kids = [grow(f"{node_id}.{k}", depth - 1) for k in range(rng.randint(1, 3))]
        node = Node(node_id, kind, payoff=payoff, children=kids,
                    player=rng.choice(["p", "q"]) if kind == "decision" else None)
        if kind == "decision" and rng.random() < 0.25:
            node.solve = "assumed"
        if node.takes_probabilities:
            share = 1 / len(kids)
            for kid in kids:
                kid.probability = share
            kids[-1].probability = "#"
        return node
    return make(grow("n", 4), criteria=[Criterion("a", "A"), Criterion("b", "B")],
                players=[Player("p", "P", {"a": 1, "b": 0.5}), Player("q", "Q", {"a": -1, "b": 1})],
                outcomes=[Outcome("o", "O")])


@pytest.mark.parametrize("seed", range(12))
def test_incremental_edits_equal_a_full_evaluation(seed):
    rng = random.Random(seed)
    tree = incremental_tree(rng)
    incremental = IncrementalEvaluator(flatten(tree))
    flat = incremental.flat
    editable = [i for i in range(1, flat.size) if flat.probability_kind[i] == FIXED
                and tree.node(flat.ids[int(flat.parent[i])]).children[-1].probability == "#"]
    for _ in range(15):
        if editable and rng.random() < 0.5:
            i = rng.choice(editable)
            siblings = tree.node(flat.ids[int(flat.parent[i])]).children
            room = 1 - sum(k.probability for k in siblings[:-1] if k.id != flat.ids[i])
            p = round(rng.uniform(0, room), 6)
            incremental.set_probability(i, p)
            tree.set_field(flat.ids[i], "probability", p)
        else:
            i, c = rng.randrange(flat.size), rng.randrange(2)
            amount = rng.randint(-20, 20)
            incremental.set_payoff(i, c, amount)
            payoff = dict(tree.node(flat.ids[i]).payoff or {}, **{"ab"[c]: amount})
            tree.set_field(flat.ids[i], "payoff", payoff)
        fast, full = incremental.results(), evaluate_tree(tree)
        assert full.issues == ()
        for name in ("expected", "utility", "reach", "outcomes", "probability"):
            assert np.allclose(getattr(fast, name), getattr(full, name), atol=1e-9,
                               equal_nan=True), name
        assert np.array_equal(fast.choice, full.choice) and np.array_equal(fast.tie, full.tie)
        assert math.isclose(incremental.reach(flat.size - 1), full.reach[-1], abs_tol=1e-12)


# ---- the --json text encodes the evaluation document ----------------------------------------
def many_outcomes(count: int) -> Tree:
    """Chance nodes mixing terminals of `count` outcome categories in varied patterns."""
    outcomes = [Outcome(f"o{k}", f"Outcome {k}") for k in range(count)]
    gambles = [chance(f"g{j}", *[leaf(f"g{j}t{k}", k, outcome=f"o{(j * 7 + k * 3) % count}",
                                     probability=0.25) for k in range(4)])
               for j in range(count)]
    return make(decision("r", *gambles), outcomes=outcomes)


def odd_ids() -> Tree:
    """Ids the format refuses but the engine still evaluates: each must be escaped."""
    return make(chance("r", leaf('quote"d', 1, probability=0.5),
                       leaf("comma,s", 2, probability=0.25),
                       leaf("ünï\ncode", 3, probability="#")))


TREES = {
    "the FORMAT.md example": lambda: load_text(FORMAT_EXAMPLE),
    "a single terminal": lambda: make(leaf("only", 4)),
    "64 outcome categories": lambda: many_outcomes(64),
    "3 outcome categories": lambda: many_outcomes(3),
    "values that cannot be computed": lambda: broken([leaf("a", 1, probability=0.5),
                                                      leaf("b", 1, probability="q")]),
    "ids that need escaping": odd_ids,
}


@pytest.mark.parametrize("build", TREES.values(), ids=TREES.keys())
def test_the_text_encodes_the_document(build):
    results = evaluate_tree(build())
    text = evaluation_json(results)
    assert json.loads(text) == json.loads(json.dumps(evaluation_document(results)))
    assert "NaN" not in text and "Infinity" not in text


def test_zero_categories_are_left_out():
    results = evaluate_tree(many_outcomes(64))
    nodes = json.loads(evaluation_json(results))["nodes"]
    assert nodes["g0t1"]["outcomes"] == {"o3": 1.0}
    assert nodes["g0"]["outcomes"] == {"o0": 0.25, "o3": 0.25, "o6": 0.25, "o9": 0.25}


def test_a_variable_that_cannot_be_computed_is_null():
    tree = make(leaf("only", "x"), variables=[Variable("x", "1 / 0")])
    text = evaluation_json(evaluate_tree(tree))
    assert json.loads(text)["nodes"]["only"]["expected"] == {"value": None}


# ---- reductions in pieces, so a worker lets the window run ------------------------------
@given(st.lists(st.integers(1, 5), min_size=1, max_size=40), st.integers(1, 4),
       st.integers(1, 30), st.sampled_from(["add", "maximum", "minimum", "logical_and"]))
@settings(max_examples=200, deadline=None)
def test_a_reduction_in_pieces_is_the_reduction_in_one(counts, width, piece, name):
    rng = np.random.default_rng(len(counts) * 31 + width)
    values = rng.normal(size=(sum(counts), width))
    values[rng.random(values.shape) < 0.1] = np.nan
    if name == "logical_and":
        values = values > 0
    starts = np.cumsum(counts) - np.array(counts)
    ufunc = getattr(np, name)
    whole = ufunc.reduceat(values, starts, axis=0)
    original = plan.REDUCEAT_PIECE
    plan.REDUCEAT_PIECE = piece
    try:
        pieces = plan.reduceat(ufunc, values, starts)
        out = np.empty_like(whole)
        plan.reduceat(ufunc, values, starts, out=out)
    finally:
        plan.REDUCEAT_PIECE = original
    assert whole.dtype == pieces.dtype
    assert np.array_equal(pieces, whole, equal_nan=name != "logical_and")
    assert np.array_equal(out, whole, equal_nan=name != "logical_and")


def test_the_engine_in_small_pieces_gives_the_same_numbers(monkeypatch):
    flat = flatten(incremental_tree(random.Random(3)))
    xs = np.linspace(0, 1, 9)
    whole = solve(flat, samples=xs.size)
    monkeypatch.setattr(plan, "REDUCEAT_PIECE", 5)
    pieces = solve(flat, samples=xs.size)
    for field in ("values", "choice", "tie", "reach", "probability"):
        assert np.array_equal(getattr(pieces, field), getattr(whole, field), equal_nan=True)
    assert np.array_equal(pieces.outcomes, whole.outcomes, equal_nan=True)
