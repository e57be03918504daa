"""The rollback rules of FORMAT.md on tiny trees: values, choices, ties, remainders, reach,
outcome chances, and the one-line problems a user sees when a number cannot be used."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from offramp_gui.analysis.evaluate import outcome_shares, solve, utilities
from offramp_gui.analysis.flatten import flatten
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


OUTCOMES = [{"id": "win", "name": "Win"}, {"id": "loss", "name": "Loss"}]

# r (payoff 1) chooses between c (payoff 2: x 3 with 1/4, y 4 with the rest) and s (5).
BASIC = choice("r", chance("c", branch(leaf("x", 3, outcome="win"), 0.25),
                           branch(leaf("y", 4, outcome="loss"), "#"), payoff=2),
               leaf("s", 5), payoff=1)


# ---- values, choices, reach and outcome chances ------------------------------------------
def test_a_small_tree_rolls_back_by_hand():
    results = evaluate(load(BASIC, outcomes=OUTCOMES))
    assert results.issues == ()
    assert by_id(results, "x") == {"expected": [6.0], "utility": [6.0], "choice": None,
                                   "tie": False, "reach": 0.25, "probability": 0.25,
                                   "outcomes": {"win": 1.0, "loss": 0.0, "null": 0.0}}
    assert by_id(results, "y")["expected"] == [7.0] and by_id(results, "y")["reach"] == 0.75
    assert by_id(results, "y")["probability"] == 0.75
    c = by_id(results, "c")
    assert c["expected"] == [6.75] and c["reach"] == 1.0 and c["choice"] is None
    assert c["outcomes"] == {"win": 0.25, "loss": 0.75, "null": 0.0}
    s = by_id(results, "s")
    assert s["expected"] == [6.0] and s["reach"] == 0.0 and s["outcomes"]["null"] == 1.0
    r = by_id(results, "r")
    assert (r["expected"], r["choice"], r["tie"], r["reach"]) == ([6.75], "c", False, 1.0)
    assert r["outcomes"] == c["outcomes"] and r["utility"] == [6.75]
    assert results.variables == {} and results.outcome_keys == ("win", "loss", "null")


def test_each_player_chooses_by_their_own_weights():
    tree = load(choice("west", choice("kremlin", leaf("escalate", {"face": 5, "security": -50}),
                                      leaf("accept", {"face": 1, "security": 20}),
                                      player="kremlin"),
                       leaf("stay", {"face": 0, "security": -10}), player="west"),
                criteria=[{"id": "face", "name": "Face"}, {"id": "security", "name": "S"}],
                players=[{"id": "west", "name": "West", "weights": {"security": 2, "face": 1}},
                         {"id": "kremlin", "name": "Kremlin", "weights": {"face": 3}}])
    results = evaluate(tree)
    kremlin, west = by_id(results, "kremlin"), by_id(results, "west")
    assert kremlin["choice"] == "escalate" and kremlin["expected"] == [5.0, -50.0]
    assert kremlin["utility"] == [-95.0, 15.0]
    assert west["choice"] == "stay" and west["utility"] == [-20.0, 0.0]
    assert [results.reach[results.index(n)] for n in ("escalate", "accept", "stay")] == [
        0.0, 0.0, 1.0]


def test_a_decision_below_a_chance_is_reached_only_on_its_branch():
    tree = load(chance("r", branch(choice("d", leaf("a", 1, outcome="win"),
                                          leaf("b", 2, outcome="loss")), 0.5),
                       branch(chance("e", branch(leaf("f", 8, outcome="win"), 0.5),
                                     branch(leaf("g", 0), 0.5)), "#")),
                outcomes=OUTCOMES)
    results = evaluate(tree)
    assert [by_id(results, n)["reach"] for n in "rdabefg"] == [1, 0.5, 0, 0.5, 0.5, 0.25, 0.25]
    assert by_id(results, "r")["expected"] == [3.0]  # 0.5 * 2 + 0.5 * 4
    assert by_id(results, "r")["outcomes"] == {"win": 0.25, "loss": 0.5, "null": 0.25}
    assert by_id(results, "e")["outcomes"] == {"win": 0.5, "loss": 0.0, "null": 0.5}


def test_outcome_chances_of_every_node_match_its_row():
    tree = load(choice("r", chance("c", branch(choice("d", leaf("a", 1, outcome="win"),
                                                      leaf("b", 2, outcome="loss")), 0.4),
                                   branch(leaf("e", 0), "#")),
                       chance("s", branch(leaf("s1", 9, outcome="win"), 0.75),
                              branch(choice("t", leaf("t1", 1), leaf("t2", 3, outcome="loss")),
                                     "#"))),
                outcomes=OUTCOMES)
    flat = flatten(tree)
    solution = solve(flat)
    for name in flat.ids:
        node = flat.index[name]
        assert outcome_shares(solution, node)[:, 0].tolist() == pytest.approx(
            solution.outcomes[node, 0].tolist(), abs=1e-15), name
    assert outcome_shares(solution, flat.index["c"])[:, 0].tolist() == pytest.approx(
        [0.0, 0.4, 0.6])


def test_an_assumed_decision_averages_its_branches():
    tree = load(choice("r", branch(leaf("a", 10, outcome="win"), 0.3), branch(leaf("b", 0), 0.2),
                       branch(leaf("c", 4, outcome="loss"), "#"), solve="assumed"),
                outcomes=OUTCOMES)
    results = evaluate(tree)
    r = by_id(results, "r")
    assert r["expected"] == [pytest.approx(5.0)] and r["choice"] is None and not r["tie"]
    assert r["outcomes"] == pytest.approx({"win": 0.3, "loss": 0.5, "null": 0.2})
    assert [by_id(results, n)["reach"] for n in "abc"] == pytest.approx([0.3, 0.2, 0.5])


# ---- ties ------------------------------------------------------------------------------
def two(first: float, second: float) -> tuple[str | None, bool]:
    results = evaluate(load(choice("r", leaf("a", first), leaf("b", second))))
    return results.chosen_id("r"), bool(results.tie[0])


@pytest.mark.parametrize("first, second, expected", [
    (repr(1 - 1e-9), 1, ("a", True)),  # exactly at the edge of the tolerance: a tie
    (0.9999999985, 1, ("b", False)),
    (1, repr(1 - 1e-9), ("a", True)),
    (0.5, 0.5 + 1.5e-9, ("b", False)),  # the tolerance is 1e-9 x max(1, |value|)
    (0.5, 0.5 + 0.9e-9, ("a", True)),
    (-3e6, -3e6 + 2.9e-3, ("a", True)),
    (-3e6, -3e6 + 3.1e-3, ("b", False)),
])
def test_ties_within_the_tolerance_go_to_the_first(first, second, expected):
    assert two(float(first), float(second)) == expected


def test_a_tie_among_three_marks_the_node_and_takes_the_first_best():
    results = evaluate(load(choice("r", leaf("a", 1), leaf("b", 4), leaf("c", 4),
                                   leaf("d", 4 - 1e-10))))
    assert by_id(results, "r")["choice"] == "b" and by_id(results, "r")["tie"]
    assert [by_id(results, n)["reach"] for n in "abcd"] == [0, 1, 0, 0]


# ---- probabilities: remainders, tolerances and the problems reported ----------------------
def sweep_tree(probability: str = "q") -> dict:
    return chance("r", branch(leaf("a", 10), probability), branch(leaf("b", 20), "#"))


@pytest.mark.parametrize("q, other, valid", [
    (-1e-9, "#", True), (1 + 1e-9, 0, True),  # within the tolerance of 0 and 1
    (-1.01e-9, "#", False), (1 + 1.01e-9, 0, False),
])
def test_probabilities_just_outside_0_and_1(q, other, valid):
    tree = load(chance("r", branch(leaf("a", 10), "q"), branch(leaf("b", 20), other)),
                [{"name": "q", "value": 0.5 if other == "#" else 1}])
    results = evaluate(tree, {"q": q})
    assert (results.issues == ()) is valid
    assert math.isnan(results.expected[0, 0]) is not valid


@pytest.mark.parametrize("extra, valid", [(0.9e-6, True), (-0.9e-6, True), (1.1e-6, False),
                                          (-1.1e-6, False)])
def test_probabilities_add_up_to_1_within_a_millionth(extra, valid):
    tree = load(chance("r", branch(leaf("a", 1), "q"), branch(leaf("b", 2), 0.5)),
                [{"name": "q", "value": 0.5}])
    results = evaluate(tree, {"q": 0.5 + extra})
    assert (results.issues == ()) is valid
    if not valid:
        assert messages(results) == [("r", "probability", "$.root",
                                      "the probabilities of its branches add up to"
                                      f" {SHOWN[extra]}, not 1")]


#: A sum a millionth off, in as many digits as show it is not 1.
SHOWN = {1.1e-6: "1.000001", -1.1e-6: "0.999999"}


@pytest.mark.parametrize("q, node, path, message", [
    (1.25, "a", "$.root.children[0].probability", "probability 1.25 is above 1"),
    (-0.25, "a", "$.root.children[0].probability", "probability -0.25 is below 0"),
])
def test_a_probability_out_of_range_is_named(q, node, path, message):
    tree = load(chance("r", branch(leaf("a", 1), "q"), branch(leaf("b", 2), 0.5)),
                [{"name": "q", "value": 0.5}])
    assert messages(evaluate(tree, {"q": q})) == [(node, "probability", path, message)]


@pytest.mark.parametrize("q, message", [
    (1.25, 'the remainder "#" comes to -0.25: the other branches add up to 1.25, more than 1'),
    (-0.5, 'the remainder "#" comes to 1.5: the other branches add up to -0.5, less than 0'),
])
def test_a_remainder_out_of_range_says_what_the_others_add_up_to(q, message):
    tree = load(chance("r", branch(leaf("a", 1), "q"), branch(leaf("b", 2), "#")),
                [{"name": "q", "value": 0.5}])
    results = evaluate(tree, {"q": q})
    # "q" itself is out of range too, and says so
    assert messages(results)[-1] == ("b", "probability", "$.root.children[1].probability",
                                     message)
    assert math.isnan(results.expected[0, 0]) and results.chosen_id("r") is None


def test_a_remainder_takes_what_its_siblings_leave():
    tree = load(chance("r", branch(leaf("a", 1), "q"), branch(leaf("b", 2), "#"),
                       branch(leaf("c", 3), 0.125)), [{"name": "q", "value": 0.5}])
    results = evaluate(tree, {"q": 0.25})
    assert by_id(results, "b")["probability"] == 0.625 and by_id(results, "b")["reach"] == 0.625
    assert results.expected[0].tolist() == [0.25 + 1.25 + 0.375]


def test_only_the_broken_chance_node_loses_its_value():
    tree = load(choice("r", chance("bad", branch(leaf("a", 1), "q"), branch(leaf("b", 2), 0.5)),
                       chance("good", branch(leaf("g", 3), 0.5), branch(leaf("h", 5), "#")),
                       player="decision-maker"),
                [{"name": "q", "value": 0.5}])
    results = evaluate(tree, {"q": 0.75})
    assert math.isnan(by_id(results, "bad")["expected"][0])
    assert by_id(results, "a")["expected"] == [1.0] and by_id(results, "good")["expected"] == [4.0]
    assert math.isnan(by_id(results, "r")["expected"][0]) and results.chosen_id("r") is None
    assert math.isnan(by_id(results, "g")["reach"])  # nobody knows what r chooses
    assert all(math.isnan(v) for v in by_id(results, "r")["outcomes"].values())
    assert all(math.isnan(v) for v in by_id(results, "bad")["outcomes"].values())


# ---- many samples at once: problems "for some values of the variables" --------------------
def test_a_probability_that_leaves_the_range_for_some_values():
    flat = flatten(load(sweep_tree(), [{"name": "q", "value": 0.5}]))
    solution = solve(flat, {"q": np.array([0.0, 1.5, 0.25, -1.0])}, samples=4)
    assert solution.samples == 4
    assert [(i.node_id, i.message) for i in solution.issues] == [
        ("a", "probability 1.5 is above 1 for some values of the variables"),
        ("b", 'the remainder "#" comes to -0.5 for some values of the variables: the other'
              " branches add up to 1.5, more than 1")]
    assert solution.values[0, :, 0].tolist()[::2] == [20.0, 17.5]
    assert np.isnan(solution.values[0, 1::2, 0]).all()
    assert solution.reach[1].tolist()[::2] == [0.0, 0.25]


@pytest.mark.parametrize("edge", [-1e-9, 1 + 1e-9, 1.0, 1e-10])
def test_the_message_quotes_a_value_outside_the_tolerance_not_one_at_its_edge(edge):
    flat = flatten(load(chance("r", branch(leaf("a", 1), "q"), branch(leaf("b", 2), 0)),
                        [{"name": "q", "value": 1}]))
    solution = solve(flat, {"q": np.array([edge, 1.5])}, samples=2)
    assert [i.message for i in solution.issues if i.node_id == "a"] == [
        "probability 1.5 is above 1 for some values of the variables"]


def test_branches_that_add_up_wrong_for_some_values():
    flat = flatten(load(chance("r", branch(leaf("a", 1), "q"), branch(leaf("b", 2), 0.5)),
                        [{"name": "q", "value": 0.5}]))
    solution = solve(flat, {"q": np.array([0.5, 0.25, 0.75])}, samples=3)
    assert [(i.node_id, i.message) for i in solution.issues] == [
        ("r", "the probabilities of its branches add up to 0.75, not 1 for some values of the"
              " variables")]


def test_a_formula_that_fails_part_way_through_a_sweep():
    flat = flatten(load(choice("r", leaf("a", "log(p - 0.25)"), leaf("b", -1)),
                        [{"name": "p", "value": 0.5}]))
    solution = solve(flat, {"p": np.array([0.5, 0.25, 0.125, 1.25])}, samples=4)
    # the first failing value of p (0.25) is the one the message quotes
    assert [(i.node_id, i.field, i.path, i.message) for i in solution.issues] == [
        ("a", "payoff", "$.root.children[0].payoff", 'payoff "log(p - 0.25)" cannot be computed'
         " for some values of the variables: log of zero or a negative number (0)")]
    a = solution.values[1, :, 0]
    assert np.isnan(a[1:3]).all() and a[[0, 3]].tolist() == [math.log(0.25), 0.0]
    assert [flat.ids[c] if c >= 0 else None for c in solution.choice[0]] == ["b", None, None, "a"]


def test_a_formula_used_twice_is_reported_at_each_node():
    flat = flatten(load(choice("r", leaf("a", "sqrt(p)"), chance(
        "c", branch(leaf("b", "sqrt(p)"), 0.5), branch(leaf("d", 0), "#"))),
        [{"name": "p", "value": 1}]))
    solution = solve(flat, {"p": -4.0})
    assert [(i.node_id, i.message) for i in solution.issues] == [
        ("a", 'payoff "sqrt(p)" cannot be computed: sqrt of a negative number (-4)'),
        ("b", 'payoff "sqrt(p)" cannot be computed: sqrt of a negative number (-4)')]


def test_a_formula_in_one_criterion_names_it():
    tree = load(choice("r", leaf("a", {"cost": 1, "risk": "1 / k"}), leaf("b", {"cost": 2})),
                [{"name": "k", "value": 1}], criteria=[{"id": "cost", "name": "Cost"},
                                                     {"id": "risk", "name": "Risk"}])
    results = evaluate(tree, {"k": 0})
    assert messages(results) == [("a", "payoff", "$.root.children[0].payoff.risk",
                                  'payoff "1 / k" cannot be computed: division by zero')]
    assert by_id(results, "a")["expected"][0] == 1.0
    assert math.isnan(by_id(results, "a")["expected"][1])


def test_a_probability_formula_that_cannot_be_computed():
    tree = load(sweep_tree("log(q)"), [{"name": "q", "value": 2}])
    results = evaluate(tree, {"q": -1})
    assert messages(results) == [("a", "probability", "$.root.children[0].probability",
                                  'probability "log(q)" cannot be computed: log of zero or a'
                                  " negative number (-1)")]


def test_a_variable_formula_recomputed_from_an_override():
    tree = load(choice("r", leaf("a", "half"), leaf("b", 1)),
                [{"name": "k", "value": 4}, {"name": "half", "value": "k / 2"}])
    assert evaluate(tree).expected[0].tolist() == [2.0]
    assert evaluate(tree, {"k": 10}).expected[0].tolist() == [5.0]
    assert evaluate(tree, {"k": 10}).variables == {"k": 10.0, "half": 5.0}
    assert evaluate(tree, {"half": 0.25}).expected[0].tolist() == [1.0]


def test_a_variable_that_cannot_be_computed_is_named_once():
    tree = load(choice("r", leaf("a", "inverse"), leaf("b", "inverse * k")),
                [{"name": "k", "value": 4}, {"name": "inverse", "value": "1 / k"}])
    results = evaluate(tree, {"k": 0})
    assert messages(results) == [(None, None, "$.variables[1].value",
                                  'the value "1 / k" of inverse cannot be computed: division'
                                  " by zero")]
    assert math.isnan(results.variables["inverse"]) and math.isnan(results.expected[0, 0])


def test_a_variable_that_fails_for_some_samples():
    flat = flatten(load(choice("r", leaf("a", "root"), leaf("b", 0)),
                        [{"name": "j", "value": 1}, {"name": "k", "value": 4},
                         {"name": "root", "value": "sqrt(k) * j"}]))
    solution = solve(flat, {"k": np.array([4.0, -9.0])}, samples=2)
    assert solution.issues[0].message == (
        'the value "sqrt(k) * j" of root cannot be computed for some values of the variables:'
        " sqrt of a negative number (-9)")
    assert solution.values[0, :, 0].tolist()[0] == 2.0 and np.isnan(solution.values[0, 1, 0])


def test_a_formula_on_the_root_is_located_there():
    tree = load(choice("r", leaf("a", 1), leaf("b", 2), payoff="log(k)"), [{"name": "k",
                                                                           "value": 1}])
    results = evaluate(tree, {"k": 0})
    assert messages(results) == [("r", "payoff", "$.root.payoff", 'payoff "log(k)" cannot be'
                                  " computed: log of zero or a negative number (0)")]
    assert math.isnan(results.expected[0, 0]) and results.chosen_id("r") is None


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


def test_utilities_that_overflow_are_reported():
    tree = load(choice("r", leaf("a", "k"), leaf("b", 1), player="p"),
                [{"name": "k", "value": 1}],
                players=[{"id": "p", "name": "P", "weights": {"value": 1e300}},
                         {"id": "q", "name": "Q", "weights": {"value": -1}}])
    results = evaluate(tree, {"k": 1e10})
    assert messages(results) == [("a", None, "$.root.children[0]",
                                  "a player's utility here is too large to compute (it"
                                  " overflows)")]
    a = by_id(results, "a")
    assert a["expected"] == [1e10] and math.isnan(a["utility"][0]) and a["utility"][1] == -1e10
    assert results.chosen_id("r") is None  # too large to compare
    assert evaluate(tree, {"k": 1e5}).chosen_id("r") == "a"


def test_a_weight_that_is_not_a_number_is_not_taken_for_an_overflow():
    tree = load(choice("r", leaf("a", 1), leaf("b", 2)),
                players=[{"id": "p", "name": "P", "weights": {"value": 1}}])
    tree.players[0].weights["value"] = "heavy"  # (only a script can do this: files are checked)
    results = evaluate(tree)
    assert not any("too large" in issue.message for issue in results.issues)
    assert results.chosen_id("r") is None and math.isnan(results.utility[1, 0])


def test_totals_that_overflow_in_one_criterion():
    tree = load(choice("r", leaf("a", {"cost": "k", "risk": 1}), leaf("b", {"cost": 1}),
                       payoff={"cost": "k"}),
                [{"name": "k", "value": 1}], criteria=[{"id": "cost", "name": "Cost"},
                                                     {"id": "risk", "name": "Risk"}])
    results = evaluate(tree, {"k": 1e308})
    assert [(i.node_id, i.message) for i in results.issues] == [
        ("a", "the totals here are too large to compute (they overflow)")]
    assert math.isnan(results.expected[1, 0]) and results.expected[1, 1] == 1


def test_utilities_of_huge_values_are_nan_not_infinite():
    values = np.array([[1e308, 1e308], [1.0, 2.0]])
    weights = np.array([[1.0, 1.0], [0.5, -0.5]])
    result = utilities(values, weights)
    assert np.isnan(result[0, 0]) and result[0, 1] == 0 and result[1].tolist() == [3.0, -0.5]


# ---- what `solve` leaves out, and structural problems ---------------------------------------
def test_solve_can_skip_reach_and_outcomes():
    flat = flatten(load(BASIC, outcomes=OUTCOMES))
    lean = solve(flat, want_reach=False, want_outcomes=False)
    assert lean.reach is None and lean.outcomes is None
    full = solve(flat)
    assert np.array_equal(lean.values, full.values) and np.array_equal(lean.choice, full.choice)
    assert full.utilities([0, 3])[:, 0, 0].tolist() == [6.75, 6.0]


def test_a_decision_by_an_unknown_player_cannot_choose():
    tree = load(choice("r", leaf("a", {"x": 1, "y": 0}), leaf("b", {"x": 0, "y": 1}), player="p"),
                criteria=[{"id": "x", "name": "X"}, {"id": "y", "name": "Y"}],
                players=[{"id": "p", "name": "P", "weights": {"x": 1}},
                         {"id": "q", "name": "Q", "weights": {"y": 1}}])
    tree.root.player = "ghost"
    results = evaluate(tree)
    assert [(i.node_id, i.field) for i in results.issues] == [("r", "player")]
    assert results.chosen_id("r") is None and math.isnan(results.expected[0, 0])


def test_a_variable_that_cannot_be_read_has_no_value():
    tree = load(choice("r", leaf("a", "k + bad"), leaf("b", 1)),
                [{"name": "k", "value": 4}, {"name": "bad", "value": 1}])
    tree.variables[1].value = "k +"
    results = evaluate(tree)
    assert [i.path for i in results.issues] == ["$.variables[1].value"]
    assert results.variables["k"] == 4 and math.isnan(results.variables["bad"])


def test_a_structural_problem_comes_before_the_numbers():
    tree = load(BASIC, outcomes=OUTCOMES)
    tree.root.children[1].outcome = "ghost"
    results = evaluate(tree)
    assert [(i.node_id, i.field) for i in results.issues] == [("s", "outcome")]
    assert all(math.isnan(v) for v in by_id(results, "s")["outcomes"].values())
    assert by_id(results, "r")["choice"] == "c"


def test_settings_are_checked_even_when_the_nodes_look_fine():
    tree = load(BASIC, outcomes=OUTCOMES,
                players=[{"id": "p", "name": "P", "weights": {"value": 1}}])
    tree.players[0].weights["ghost"] = 2
    results = evaluate(tree)
    assert [i.path for i in results.issues] == ["$.players[0].weights.ghost"]
    assert results.chosen_id("r") == "c"
