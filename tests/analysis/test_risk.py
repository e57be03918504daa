"""Risk attitude per player (issue 15): certainty equivalents against closed forms, the
choices they make, and the analyses that sweep a risk tolerance (no PySide6 needed)."""
from __future__ import annotations

import copy
import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_live import Recorder, edits, structural_edits, trees

from offramp_gui.analysis.evaluate import evaluate_tree, solve
from offramp_gui.analysis.flatten import flatten
from offramp_gui.analysis.live import LiveEvaluation
from offramp_gui.analysis.montecarlo import simulate
from offramp_gui.analysis.sensitivity import one_way, subject, threshold, tornado, two_way
from offramp_gui.api import load_text
from offramp_gui.fileformat.json_io import dumps, loads
from offramp_gui.model.tree import Tree, Utility
from offramp_gui.model.validate import validate


def leaf(node_id: str, amount: float, probability: float | None = None) -> dict:
    node = {"id": node_id, "branch": node_id, "type": "terminal", "payoff": amount}
    return node if probability is None else {**node, "probability": probability}


def lottery_or_sure(utility: dict, sure: float = 40, variables: list | None = None,
                    path_payoff: float = 0) -> Tree:
    """A 50/50 lottery between 0 and 100 against a sure `sure`, chosen by "me"."""
    text = json.dumps({
        "format": "offramp-tree", "version": 1, "title": "Lottery",
        "players": [{"id": "me", "name": "Me", "weights": {"value": 1}, "utility": utility}],
        "variables": variables or [],
        "root": {"id": "choose", "type": "decision", "player": "me", "payoff": path_payoff,
                 "children": [
                     {"id": "lottery", "branch": "Lottery", "type": "chance",
                      "children": [leaf("low", 0, 0.5), leaf("high", 100, 0.5)]},
                     leaf("sure", sure)]}})
    return loads(text).tree


def certainty(tree: Tree, node_id: str, overrides=None) -> float:
    results = evaluate_tree(tree, overrides)
    assert not results.issues, results.issues
    return float(results.certainty[results.index(node_id), 0])


def test_exponential_lottery_has_the_closed_form_certainty_equivalent():
    tree = lottery_or_sure({"kind": "exponential", "risk_tolerance": 50})
    # CE = -R ln E[exp(-x/R)] = -50 ln((exp(0) + exp(-100/50)) / 2) = -50 ln((1 + e^-2)/2)
    expected = -50 * math.log((1 + math.exp(-2)) / 2)  # 28.3109...
    assert certainty(tree, "lottery") == pytest.approx(expected, rel=1e-14)
    assert 28.31 < expected < 28.32
    results = evaluate_tree(tree)
    assert results.utility[results.index("lottery"), 0] == 50  # the EV stays beside it
    assert results.chosen_id("choose") == "sure"  # 40 sure beats a CE of 28.3
    assert certainty(tree, "choose") == 40


def test_a_risk_seeker_values_the_lottery_above_its_expected_value():
    tree = lottery_or_sure({"kind": "exponential", "risk_tolerance": -50})
    # R = -50: CE = 50 ln((1 + e^2)/2) = 71.689...
    expected = 50 * math.log((1 + math.exp(2)) / 2)
    assert certainty(tree, "lottery") == pytest.approx(expected, rel=1e-14)
    assert certainty(tree, "lottery") > 50
    assert evaluate_tree(tree).chosen_id("choose") == "lottery"


def test_piecewise_certainty_equivalent_by_hand():
    # u through (0, 0), (50, 80), (100, 100): concave. E u = (0 + 100)/2 = 50, and
    # u^-1(50) lies on the first segment (slope 80/50 = 1.6): 50 / 1.6 = 31.25.
    tree = lottery_or_sure({"kind": "piecewise", "points": [[0, 0], [50, 80], [100, 100]]})
    assert certainty(tree, "lottery") == pytest.approx(31.25, rel=1e-14)
    assert evaluate_tree(tree).chosen_id("choose") == "sure"


def test_piecewise_utility_extends_its_end_segments():
    tree = lottery_or_sure({"kind": "piecewise", "points": [[0, 0], [10, 20]]}, sure=40)
    assert certainty(tree, "lottery") == pytest.approx(50, rel=1e-14)  # one segment: linear
    # Points only over 0..10 (slope 2, then 1): the lottery's 100 lies beyond them, on
    # the last segment's line u = 15 + (x - 10) = x + 5, so u(100) = 105, u(0) = 0;
    # E u = 52.5, on the last segment too: x = 52.5 - 5 = 47.5.
    tree = lottery_or_sure({"kind": "piecewise", "points": [[0, 0], [5, 10], [10, 15]]})
    assert certainty(tree, "lottery") == pytest.approx(47.5, rel=1e-14)


def test_the_choice_flips_from_the_gamble_to_the_sure_40_as_the_tolerance_falls():
    tree = lottery_or_sure({"kind": "exponential", "risk_tolerance": "R"},
                           variables=[{"name": "R", "value": 1000, "min": 10, "max": 1000}])
    assert evaluate_tree(tree).chosen_id("choose") == "lottery"  # CE 49.9 > 40
    # R = 200: -200 ln((1 + e^-0.5)/2) = 43.8; R = 100: -100 ln((1 + e^-1)/2) = 38.0
    assert evaluate_tree(tree, {"R": 200}).chosen_id("choose") == "lottery"
    assert evaluate_tree(tree, {"R": 100}).chosen_id("choose") == "sure"
    # The switch is where -R ln((1 + e^(-100/R))/2) = 40; threshold finds it exactly.
    found = threshold(flatten(tree), "choose", "R", 10, 1000)
    assert [pick for _a, _b, pick in found.intervals] == ["sure", "lottery"]
    (at,) = found.thresholds
    assert -at * math.log((1 + math.exp(-100 / at)) / 2) == pytest.approx(40, abs=1e-7)
    assert 100 < at < 200


def test_how_risk_acceptant_must_the_kremlin_be_before_it_escalates():
    # The Kremlin escalates (a 20% chance of winning 100, else losing 60: EV -28) or
    # accepts (a sure -20). Risk-neutral it accepts; it escalates once its risk
    # tolerance is negative and small enough (risk-acceptant enough), from where
    # -R ln(0.2 e^(-100/R) + 0.8 e^(60/R)) = -20.
    text = json.dumps({
        "format": "offramp-tree", "version": 1, "title": "Gambling for resurrection",
        "criteria": [{"id": "regime", "name": "Regime survival"}],
        "players": [{"id": "kremlin", "name": "The Kremlin", "weights": {"regime": 1},
                     "utility": {"kind": "exponential", "risk_tolerance": "r_kremlin"}}],
        "variables": [{"name": "r_kremlin", "value": -1000, "min": -1000, "max": -1}],
        "root": {"id": "kremlin", "type": "decision", "player": "kremlin", "children": [
            {"id": "escalate", "branch": "Escalate", "type": "chance", "children": [
                {"id": "wins", "type": "terminal", "probability": 0.2,
                 "payoff": {"regime": 100}},
                {"id": "loses", "type": "terminal", "probability": 0.8,
                 "payoff": {"regime": -60}}]},
            {"id": "accept", "branch": "Accept", "type": "terminal",
             "payoff": {"regime": -20}}]}})
    flat = flatten(load_text(text))
    found = threshold(flat, "kremlin", "r_kremlin", -1000, -1)
    assert [pick for _a, _b, pick in found.intervals] == ["accept", "escalate"]
    (at,) = found.thresholds
    ce = -at * math.log(0.2 * math.exp(-100 / at) + 0.8 * math.exp(60 / at))
    assert ce == pytest.approx(-20, abs=1e-7)


def test_path_payoffs_enter_the_certainty_equivalent_as_they_enter_the_value():
    # A payoff of 30 on the root adds 30 to every path: CE and EV both move by 30
    # (the exponential's CE shifts with its scores), so they stay comparable.
    plain = lottery_or_sure({"kind": "exponential", "risk_tolerance": 50})
    shifted = lottery_or_sure({"kind": "exponential", "risk_tolerance": 50}, path_payoff=30)
    assert certainty(shifted, "lottery") == pytest.approx(certainty(plain, "lottery") + 30)
    results = evaluate_tree(shifted)
    assert results.utility[results.index("lottery"), 0] == 80


def test_trees_without_utility_carry_no_certainty_equivalents():
    tree = lottery_or_sure({"kind": "linear"})
    results = evaluate_tree(tree)
    assert results.certainty is None
    assert flatten(tree).risk == ()
    assert results.chosen_id("choose") == "lottery"


def test_a_risk_neutral_players_certainty_equivalent_is_its_expected_utility():
    tree = lottery_or_sure({"kind": "exponential", "risk_tolerance": 50})
    tree.players.append(type(tree.players[0])("other", "Other", {"value": -1}))
    results = evaluate_tree(tree)
    assert np.array_equal(results.certainty[:, 1], results.utility[:, 1])


def test_a_large_tolerance_is_risk_neutral_and_extreme_scores_do_not_overflow():
    tree = lottery_or_sure({"kind": "exponential", "risk_tolerance": 1e12})
    assert certainty(tree, "lottery") == pytest.approx(50, abs=1e-6)
    # R = 0.01 on a spread of 100: exp(10000) would overflow; the CE is the worst, 0
    # (to within R ln 2).
    tree = lottery_or_sure({"kind": "exponential", "risk_tolerance": 0.01})
    assert certainty(tree, "lottery") == pytest.approx(0.01 * math.log(2), rel=1e-12)
    tree = lottery_or_sure({"kind": "exponential", "risk_tolerance": -0.01})
    assert certainty(tree, "lottery") == pytest.approx(100 - 0.01 * math.log(2), rel=1e-12)


@pytest.mark.parametrize(("utility", "message"), [
    ({"kind": "exponential", "risk_tolerance": 0},
     "the risk tolerance of Me is 0; it must be positive (risk-averse) or negative"),
    ({"kind": "exponential"}, 'the utility of Me is exponential but has no "risk_tolerance"'),
    ({"kind": "quadratic"}, 'the utility of Me has the kind "quadratic"; the kinds are'),
    ({"kind": "piecewise", "points": [[0, 0]]},
     'the utility of Me is piecewise but has fewer than two "points"'),
    ({"kind": "piecewise", "points": [[0, 0], [0, 1]]},
     "the points of the utility of Me must have increasing scores, but point 2 has 0"
     " after 0"),
    ({"kind": "piecewise", "points": [[0, 1], [5, 1]]},
     "the points of the utility of Me must have increasing utilities, but point 2 has 1"
     " after 1"),
    ({"kind": "exponential", "risk_tolerance": "R +"},
     'the risk tolerance "R +" of Me is not a valid expression'),
    ({"kind": "exponential", "risk_tolerance": "tolerance"},
     'the risk tolerance "tolerance" of Me uses "tolerance", which is not a variable'),
])
def test_a_utility_that_is_not_valid_is_one_problem_naming_the_player(utility, message):
    tree = lottery_or_sure(utility)
    problems = [issue.message for issue in validate(tree)]
    assert len(problems) == 1 and problems[0].startswith(message), problems
    results = evaluate_tree(tree)
    assert np.isnan(results.certainty[results.index("choose"), 0])


def test_a_tolerance_that_comes_out_zero_is_reported():
    tree = lottery_or_sure({"kind": "exponential", "risk_tolerance": "R - 5"},
                           variables=[{"name": "R", "value": 5}])
    messages = [issue.message for issue in evaluate_tree(tree).issues]
    assert messages == ['the risk tolerance "R - 5" of Me is 0; it must be positive'
                        " (risk-averse) or negative (risk-seeking)"]


def test_utility_round_trips_through_the_file():
    tree = lottery_or_sure({"kind": "piecewise", "points": [[0, 0], [50, 80.5]]})
    assert tree.players[0].utility == Utility("piecewise", points=[[0, 0], [50, 80.5]])
    again = load_text(dumps(tree))
    assert again.players[0].utility == tree.players[0].utility
    assert json.loads(dumps(again))["players"][0]["utility"] == {
        "kind": "piecewise", "points": [[0, 0], [50, 80.5]]}


def test_sweeps_and_samples_use_certainty_equivalents():
    tree = lottery_or_sure({"kind": "exponential", "risk_tolerance": "R"},
                           variables=[{"name": "R", "value": 50, "min": 20, "max": 200,
                                       "distribution": {"type": "uniform", "low": 20,
                                                        "high": 200}}])
    flat = flatten(tree)
    topic = subject(flat, "choose")
    sweep = one_way(flat, topic, "R", 20, 200, steps=5)
    lottery = sweep.values[0]
    r = sweep.x
    assert lottery == pytest.approx(-r * np.log((1 + np.exp(-100 / r)) / 2), rel=1e-12)
    assert sweep.best[0] == "sure" and sweep.best[-1] == "lottery"
    bars = tornado(flat, topic)
    assert bars.bars[0].best_at_low == "sure" and bars.bars[0].best_at_high == "lottery"
    run = simulate(flat, topic, 200, seed=1)
    drawn = run.inputs["R"]
    assert run.values[0] == pytest.approx(-drawn * np.log((1 + np.exp(-100 / drawn)) / 2),
                                          rel=1e-12)


def test_solve_gives_each_sample_its_certainty_equivalents():
    tree = lottery_or_sure({"kind": "exponential", "risk_tolerance": "R"},
                           variables=[{"name": "R", "value": 50}])
    solution = solve(flatten(tree), {"R": np.array([50.0, -50.0])}, 2)
    lottery = solution.certainty([1])[0, :, 0]
    assert lottery == pytest.approx([-50 * math.log((1 + math.exp(-2)) / 2),
                                     50 * math.log((1 + math.exp(2)) / 2)], rel=1e-14)


def same_certainty(live: LiveEvaluation, tree: Tree) -> None:
    np.testing.assert_array_equal(live.results().certainty, evaluate_tree(tree).certainty)


def test_live_edits_of_a_tree_with_risk_attitudes_equal_a_full_evaluation():
    tree = lottery_or_sure({"kind": "exponential", "risk_tolerance": "R"},
                           variables=[{"name": "R", "value": 50}])
    recorder = Recorder(tree)  # (each edit is checked against a full evaluation)
    same_certainty(recorder.live, tree)
    variables = copy.deepcopy(tree.variables)
    variables[0].value = 500
    for step in [("field", "sure", "payoff", 20), ("field", "high", "probability", 0.25),
                 ("field", "low", "probability", 0.75), ("meta", "variables", variables)]:
        recorder.edit(step)
        same_certainty(recorder.live, tree)
    assert recorder.incremental == 4  # taken by the live evaluation, without a flatten
    # CE = -500 ln(0.75 + 0.25 e^(-100/500)) = 23.2 beats the sure 20
    results = recorder.live.results()
    assert results.chosen_id("choose") == "lottery"
    assert results.certainty[results.index("lottery"), 0] == pytest.approx(
        -500 * math.log(0.75 + 0.25 * math.exp(-0.2)), rel=1e-14)
    players = copy.deepcopy(tree.players)
    players[0].utility = Utility("piecewise", points=[[0, 0], [50, 80], [100, 100]])
    recorder.edit(("meta", "players", players))  # a new utility: evaluated in full
    assert recorder.incremental == 4
    same_certainty(recorder.live, tree)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_after_random_edits_certainty_equivalents_are_a_full_evaluations(data):
    tree = data.draw(trees())
    tree.players[0].utility = data.draw(st.sampled_from([
        Utility("exponential", risk_tolerance=25), Utility("exponential", risk_tolerance=-3),
        Utility("exponential", risk_tolerance="w * 40 - 10"),
        Utility("piecewise", points=[[-5, -20], [0, 0], [5, 2]])]))
    recorder = Recorder(tree)
    same_certainty(recorder.live, tree)
    counter = iter(range(10 ** 6))
    for _ in range(data.draw(st.integers(1, 5))):
        steps = data.draw(structural_edits(tree, counter) if data.draw(st.booleans())
                          else edits(tree))
        if steps:
            recorder.edit(*steps)
            same_certainty(recorder.live, tree)


def test_renaming_or_deleting_a_variable_follows_into_the_risk_tolerance():
    from offramp_gui.model import refactor
    tree = lottery_or_sure({"kind": "exponential", "risk_tolerance": "2 * R"},
                           variables=[{"name": "R", "value": 25}])
    assert refactor.used_at(tree, "variable", "R") == ["Me's risk tolerance"]
    renamed = refactor.rename(tree, "variable", "R", "tolerance")
    assert renamed.settings["players"][0].utility.risk_tolerance == "2 * tolerance"
    removed = refactor.remove(tree, "variable", "R")
    assert removed.settings["players"][0].utility.risk_tolerance == "2 * 25"
    assert tree.players[0].utility.risk_tolerance == "2 * R"  # the tree itself untouched


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_many_samples_at_once_are_each_samples_own_evaluation(data):
    tree = data.draw(trees())  # (its first player's weight may be the expression "w")
    tree.players[-1].utility = data.draw(st.sampled_from([
        Utility("exponential", risk_tolerance="w * 40 - 10"),
        Utility("exponential", risk_tolerance=-2),
        Utility("piecewise", points=[[-5, -20], [0, 0], [5, 2]])]))
    flat = flatten(tree)
    w = np.array(data.draw(st.lists(st.sampled_from([0.1, 0.5, 0.9, 0.25]), min_size=2,
                                    max_size=4)))
    solution = solve(flat, {"w": w}, len(w))
    for sample, value in enumerate(w):
        one = solve(flat, {"w": value})
        np.testing.assert_array_equal(solution.certainty()[:, sample], one.certainty()[:, 0])
        np.testing.assert_array_equal(solution.choice[:, sample], one.choice[:, 0])


def test_two_way_regions_follow_the_closed_form_certainty_equivalent():
    text = dumps(lottery_or_sure({"kind": "exponential", "risk_tolerance": "R"},
                                 variables=[{"name": "R", "value": 50},
                                            {"name": "s", "value": 40}]))
    doc = json.loads(text)
    doc["root"]["children"][1]["payoff"] = "s"
    flat = flatten(load_text(json.dumps(doc)))
    found = two_way(flat, subject(flat, "choose"), "R", (20, 200), "s", (30, 45), steps=7)
    for row, s in enumerate(found.y):
        for column, r in enumerate(found.x):
            lottery = -r * math.log((1 + math.exp(-100 / r)) / 2)
            assert found.best[row][column] == ("lottery" if lottery > s else "sure")


def random_game(seed: int, utility: dict, depth: int = 5, spread: float = 100,
                exact: bool = False) -> dict:
    """A tree alternating decisions of "me" and chance nodes (three branches each; their
    probabilities add up to 1 exactly, or off 1 by up to 1e-6 as validation allows),
    payoffs on every node."""
    rng = np.random.default_rng(seed)
    count = iter(range(10 ** 6))

    def node(level: int, kind: str) -> dict:
        found = {"id": f"n{next(count)}",
                 "payoff": round(float(rng.uniform(-1, 1)) * spread / depth, 3)}
        if level == depth:
            return {**found, "type": "terminal"}
        child_kind = "chance" if kind == "decision" else "decision"
        children = [node(level + 1, child_kind) for _ in range(3)]
        if kind == "chance":
            chances = (rng.permutation([0.5, 0.375, 0.125]) if exact else
                       rng.dirichlet(np.ones(3)) * (1 + float(rng.uniform(-1e-6, 1e-6))))
            for child, chance in zip(children, chances):
                child["probability"] = float(chance)
        return {**found, "type": kind, "children": children,
                **({"player": "me"} if kind == "decision" else {})}

    return {"format": "offramp-tree", "version": 1, "title": "Game",
            "players": [{"id": "me", "name": "Me", "weights": {"value": 1},
                         "utility": utility}],
            "root": node(0, "decision")}


def closed_form(root: dict, u, u_inverse) -> dict[str, float]:
    """Each node's certainty equivalent, node by node from the definition (the chance
    nodes' probabilities taken as they are, divided by their sum)."""
    found: dict[str, float] = {}

    def walk(node: dict, above: float) -> float:
        total = above + node["payoff"]
        if node["type"] == "terminal":
            found[node["id"]] = total
            return total
        values = [walk(child, total) for child in node["children"]]
        if node["type"] == "decision":
            found[node["id"]] = max(values)
        else:
            chances = [child["probability"] for child in node["children"]]
            found[node["id"]] = u_inverse(values, chances)
        return found[node["id"]]

    walk(root, 0.0)
    return found


def exponential_certainty(tolerance: float):
    def certainty(values: list[float], chances: list[float]) -> float:
        exponents = [-value / tolerance for value in values]
        top = max(exponents)
        # sum p e^(e - top) / sum p = 1 + sum p (e^(e - top) - 1) / sum p
        excess = math.fsum(p * math.expm1(e - top) for p, e in zip(chances, exponents))
        return -tolerance * (top + math.log1p(excess / math.fsum(chances)))
    return certainty


@pytest.mark.parametrize("exact", [True, False])
@pytest.mark.parametrize("tolerance", [20.0, 1e9, -7.0, 0.05, -0.05])
def test_certainty_equivalents_of_a_deep_tree_are_the_closed_forms(tolerance, exact):
    # R = 20: the scores span a few tolerances; 1e9: close to risk-neutral (the small
    # differences kept); -7: risk-seeking; +-0.05: the scores span thousands of
    # tolerances, beyond what exp can hold at once (solved parent by parent).
    game = random_game(7, {"kind": "exponential", "risk_tolerance": tolerance}, exact=exact)
    results = evaluate_tree(loads(json.dumps(game)).tree)
    assert not results.issues
    expected = closed_form(game["root"], None, exponential_certainty(tolerance))
    # Probabilities 1e-6 off their sum shift a CE by about 1e-6 of the scores' spread
    # (100) at each chance node above it.
    off = 1e-12 if exact else 2e-6
    for node_id, value in expected.items():
        found = results.certainty[results.index(node_id), 0]
        assert found == pytest.approx(value, rel=1e-11, abs=off * 100), node_id


def test_a_piecewise_utility_beyond_its_points_matches_the_closed_form():
    xs, ys = [-10.0, 0.0, 10.0, 20.0], [-30.0, 0.0, 5.0, 6.0]  # scores reach +-100

    def u(x: float) -> float:
        k = min(max(int(np.searchsorted(xs, x)) - 1, 0), len(xs) - 2)
        return ys[k] + (ys[k + 1] - ys[k]) / (xs[k + 1] - xs[k]) * (x - xs[k])

    def u_inverse(y: float) -> float:
        k = min(max(int(np.searchsorted(ys, y)) - 1, 0), len(ys) - 2)
        return xs[k] + (xs[k + 1] - xs[k]) / (ys[k + 1] - ys[k]) * (y - ys[k])

    def certainty(values: list[float], chances: list[float]) -> float:
        return u_inverse(math.fsum(p * u(v) for p, v in zip(chances, values)))

    game = random_game(3, {"kind": "piecewise", "points": [list(p) for p in zip(xs, ys)]})
    results = evaluate_tree(loads(json.dumps(game)).tree)
    expected = closed_form(game["root"], None, certainty)
    for node_id, value in expected.items():
        assert results.certainty[results.index(node_id), 0] == pytest.approx(
            value, rel=1e-9, abs=1e-5), node_id


def test_samples_rolled_back_apart_and_together_agree_whatever_their_tolerance_spans():
    # One sample each: exp of the spread, exp - 1 (near risk-neutral), parent by parent
    # (the spread is thousands of tolerances), and a tolerance of 0 (not valid).
    game = random_game(11, {"kind": "exponential", "risk_tolerance": "R"}, depth=4)
    game["variables"] = [{"name": "R", "value": 20}]
    flat = flatten(loads(json.dumps(game)).tree)
    tolerances = np.array([20.0, 1e9, 0.01, 0.0, -3.0])
    solution = solve(flat, {"R": tolerances}, len(tolerances))
    for sample, tolerance in enumerate(tolerances):
        one = solve(flat, {"R": tolerance})
        np.testing.assert_array_equal(solution.certainty()[:, sample], one.certainty()[:, 0])
        np.testing.assert_array_equal(solution.choice[:, sample], one.choice[:, 0])
    at_root = solution.certainty([0])[0, :, 0]
    assert np.isnan(at_root[3]) and not np.isnan(at_root[[0, 1, 2, 4]]).any()


@pytest.mark.parametrize("tolerance", [50, -50])
def test_scores_far_from_zero_keep_their_certainty_equivalent(tolerance):
    # Every path pays 100,000 more: exp(-x/R) alone would underflow (or overflow), so the
    # largest exponent is taken out; the CE moves by exactly what was added.
    shifted = lottery_or_sure({"kind": "exponential", "risk_tolerance": tolerance},
                              path_payoff=100_000)
    expected = 100_000 - tolerance * math.log((1 + math.exp(-100 / tolerance)) / 2)
    assert certainty(shifted, "lottery") == pytest.approx(expected, rel=1e-14)
    assert certainty(shifted, "sure") == 100_040
