"""One-way and two-way sensitivity, tornado and threshold on tiny trees, against values,
switch points and regions worked out by hand (no PySide6 needed)."""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from offramp_gui.analysis.flatten import FlatTree, flatten
from offramp_gui.analysis.sensitivity import (
    NONE,
    AnalysisError,
    Subject,
    alternative_values,
    best_of,
    grid,
    one_way,
    requirements,
    spider,
    subject,
    threshold,
    thresholds,
    tornado,
    two_way,
    variable_range,
)
from offramp_gui.api import load, load_text

TREES = Path(__file__).resolve().parents[2] / "trees"


def tree(root: dict, variables: list, **settings) -> FlatTree:
    text = json.dumps({"format": "offramp-tree", "version": 1, "title": "Test",
                       "variables": variables, "root": root, **settings})
    return flatten(load_text(text))


def choice(node_id: str, *children: dict, **fields) -> dict:
    return {"id": node_id, "type": "decision", "children": list(children), **fields}


def leaf(node_id: str, payoff, **fields) -> dict:
    return {"id": node_id, "branch": node_id.title(), "type": "terminal", "payoff": payoff,
            **fields}


def var(name: str, value, low=None, high=None) -> dict:
    return {"name": name, "value": value,
            **({} if low is None else {"min": low}), **({} if high is None else {"max": high})}


def sure_or(risky_payoff: str, sure: float = 10, low: float = 0, high: float = 1,
            value: float = 0.05) -> FlatTree:
    """A sure `sure` against a risky payoff that is a formula of p."""
    return tree(choice("choose", leaf("sure", sure), leaf("risky", risky_payoff)),
                [var("p", value, low, high), var("unranged", 1)])


# A sure 10 against a gamble paying 100 with chance p: the gamble is best above p = 0.1.
GAMBLE = json.loads("""{"id": "choose", "type": "decision", "children": [
  {"id": "sure", "branch": "Sure", "type": "terminal", "payoff": 10},
  {"id": "gamble", "branch": "Gamble", "type": "chance", "children": [
    {"id": "win", "branch": "Win", "type": "terminal", "probability": "p", "payoff": 100},
    {"id": "lose", "branch": "Lose", "type": "terminal", "probability": "#", "payoff": 0}]}]}""")


def gamble() -> FlatTree:
    return tree(GAMBLE, [var("p", 0.05, 0, 0.5), var("unranged", 1)])


# The Kremlin accepts a deal when face^2 / 40 - 10 beats 5, i.e. above face = sqrt(600);
# the West offers one only if it is accepted.
ADVERSARY = dict(
    root=choice("west_move",
                choice("reply", leaf("escalate", {"face": 5, "security": -50}),
                       leaf("accept", {"face": "face * face / 40 - 10", "security": 20}),
                       leaf("stall", {"face": -1000, "security": 0}),
                       branch="Offer a deal", player="kremlin"),
                leaf("no_offer", {"face": 0, "security": 0}),
                player="west"),
    variables=[var("face", 10, 0, 100), var("fixed", 1)],
    criteria=[{"id": "face", "name": "Face"}, {"id": "security", "name": "Security"}],
    players=[{"id": "west", "name": "West", "weights": {"security": 1}},
             {"id": "kremlin", "name": "Kremlin", "weights": {"face": 1}}])
FACE_SWITCH = math.sqrt(600)


def adversary() -> FlatTree:
    return tree(**ADVERSARY)


def near(a: float, b: float, scale: float = 1.0, precision: float = 1e-12) -> bool:
    """Equal to the precision the README promises: 1e-12 of the point, or of the range's
    ends where the point is near 0."""
    return abs(a - b) <= precision * max(abs(b), scale)


# ---- what is analysed ------------------------------------------------------------------
def test_the_subject_is_the_root_seen_by_who_decides_there():
    flat = adversary()
    topic = subject(flat)
    assert (topic.node, topic.player, topic.ids(flat)) == (0, 0, ["reply", "no_offer"])
    reply = subject(flat, "reply")
    assert (flat.ids[reply.node], reply.player) == ("reply", 1)
    assert reply.ids(flat) == ["escalate", "accept", "stall"]
    assert subject(flat, "reply", "west").player == 0


@pytest.mark.parametrize("node, player, message", [
    ("nowhere", None, 'there is no node "nowhere"'),
    ("no_offer", None, 'node "no_offer" has no branches to compare'),
    ("reply", "nato", 'there is no player "nato"; the players are west, kremlin'),
])
def test_a_subject_that_does_not_exist_is_named(node, player, message):
    with pytest.raises(AnalysisError) as error:
        subject(adversary(), node, player)
    assert str(error.value) == message


def test_a_chance_node_is_seen_by_the_first_player():
    flat = tree(GAMBLE, [var("p", 0.05, 0, 0.5)])
    assert subject(flat, "gamble").player == 0


def test_the_range_is_the_variables_own_unless_given():
    flat = gamble()
    assert variable_range(flat, "p") == (0.0, 0.5)
    assert variable_range(flat, "p", low=0.2) == (0.2, 0.5)
    assert variable_range(flat, "p", high=0.3) == (0.0, 0.3)
    assert variable_range(flat, "unranged", -1, 1) == (-1.0, 1.0)


@pytest.mark.parametrize("name, low, high, message", [
    ("q", None, None, 'there is no variable "q"; the variables are p, unranged'),
    ("unranged", None, None, "the variable unranged has no range: give --from and --to, or"
                             " add min and max to it"),
    ("unranged", 0, None, "the variable unranged has no range"),
    ("p", 0.3, 0.3, "the range of p is empty (0.3 to 0.3)"),
    ("p", 0.4, 0.2, "the range of p is empty (0.4 to 0.2)"),
])
def test_a_range_that_cannot_be_swept_is_refused(name, low, high, message):
    with pytest.raises(AnalysisError, match=message.replace("(", r"\(").replace(")", r"\)")):
        variable_range(gamble(), name, low, high)


def test_a_tree_without_variables_says_none():
    flat = tree(choice("r", leaf("a", 1), leaf("b", 2)), [])
    with pytest.raises(AnalysisError, match='the variables are none'):
        variable_range(flat, "p")


@pytest.mark.parametrize("low, high, steps, expected", [
    (0, 1, 5, [0, 0.25, 0.5, 0.75, 1]),
    (-2, 2, 3, [-2, 0, 2]),
    (3, 4, 1, [3, 4]),  # at least the two ends
    (3, 4, 0, [3, 4]),
])
def test_grid_points_are_evenly_spaced_and_keep_the_ends(low, high, steps, expected):
    assert grid(low, high, steps).tolist() == expected


def test_a_grid_across_all_numbers_does_not_overflow():
    points = grid(-1e308, 1e308, 5)
    assert np.isfinite(points).all() and points[0] == -1e308 and points[-1] == 1e308
    assert points[2] == 0


@pytest.mark.parametrize("values, best", [
    ([[1.0], [2.0], [2.0]], 11),  # a tie goes to the first of the best
    ([[2.0], [2.0 + 5e-10], [1.0]], 10),  # within 1e-9: still a tie
    ([[1 - 1e-9], [1.0], [0.0]], 10),  # at the very edge of the tolerance
    ([[4 - 4e-9], [4.0], [0.0]], 10),
    ([[0.5 - 0.9e-9], [0.5], [0.0]], 10),  # below 1 the tolerance is still 1e-9
    ([[2.0], [2.0 + 3e-9], [1.0]], 11),
    ([[1e6], [1e6 + 1e-4], [0.0]], 10),  # the tolerance grows with the value
    ([[-1e6 - 1e-4], [-1e6], [0.0]], 12),
    ([[-1e6 - 1e-4], [-1e6], [-2e6]], 10),
    ([[1.0], [np.nan], [0.0]], NONE),  # no value, no best
])
def test_best_of_follows_the_tie_rule(values, best):
    topic = Subject(0, 0, (10, 11, 12))  # node indices label the alternatives
    assert best_of(np.array(values), topic).tolist() == [best]


def test_alternative_values_are_each_players_utility():
    flat = adversary()
    overrides = {"face": np.array([0.0, 40.0])}
    west, best_west = alternative_values(flat, subject(flat), overrides, 2)
    # the Kremlin escalates at face 0 (security -50) and accepts at 40 (security 20)
    assert west.tolist() == [[-50.0, 20.0], [0.0, 0.0]]
    assert [flat.ids[b] for b in best_west] == ["no_offer", "reply"]
    kremlin, best_kremlin = alternative_values(flat, subject(flat, None, "kremlin"),
                                               overrides, 2)
    assert kremlin.tolist() == [[5.0, 30.0], [0.0, 0.0]]
    assert [flat.ids[b] for b in best_kremlin] == ["reply", "reply"]


# ---- one-way ---------------------------------------------------------------------------
def test_one_way_values_best_and_the_exact_crossing():
    flat = gamble()
    result = one_way(flat, subject(flat), "p", 0, 0.5, steps=11)
    assert result.variable == "p" and result.alternatives == ["sure", "gamble"]
    assert result.x.tolist() == pytest.approx([k / 20 for k in range(11)], abs=1e-15)
    assert result.values[0].tolist() == [10.0] * 11
    assert result.values[1] == pytest.approx(100 * result.x, rel=1e-12, abs=1e-12)
    # at p = 0.1 the two are equal, and a tie goes to the first
    assert result.best == ["sure"] * 3 + ["gamble"] * 8
    [(at, before, after)] = result.switches
    assert (before, after) == ("sure", "gamble") and at == pytest.approx(0.1, rel=1e-12)


def test_a_sweep_has_200_points_and_a_map_50_by_50_unless_told():
    flat = tree(choice("pick", leaf("a", "x"), leaf("b", "y")),
                [var("x", 0.2, 0, 1), var("y", 0.2, 0, 1)])
    assert one_way(flat, subject(flat), "x", 0, 1).x.tolist() == grid(0, 1, 200).tolist()
    result = two_way(flat, subject(flat), "x", (0, 1), "y", (0, 2))
    assert result.best_index.shape == (50, 50) and result.y[-1] == 2


def test_one_way_with_base_values_and_without_a_switch():
    flat = tree(choice("choose", leaf("sure", "k"), leaf("risky", "10 * p")),
                [var("p", 0.5, 0, 1), var("k", 3)])
    assert one_way(flat, subject(flat), "p", 0, 1, steps=5).switches == [
        (pytest.approx(0.3, rel=1e-12), "sure", "risky")]
    raised = one_way(flat, subject(flat), "p", 0, 1, steps=5, base={"k": 20})
    assert raised.best == ["sure"] * 5 and raised.switches == []
    assert raised.values[0].tolist() == [20.0] * 5


def test_a_curved_crossing_is_found_to_the_promised_precision():
    # 100 p^2 against 10: equal at p = sqrt(0.1), inside the cell 1/6..2/6
    flat = sure_or("100 * p ^ 2")
    [(at, before, after)] = one_way(flat, subject(flat), "p", 0, 1, steps=7).switches
    assert (before, after) == ("sure", "risky") and near(at, math.sqrt(0.1))


@pytest.mark.parametrize("formula, switch", [
    ("exp(8 * p) - 1", math.log(11) / 8),  # steep and convex
    ("40 * sqrt(p)", 1 / 16),  # concave, near the left end
    ("10 - 20 * (0.3 - p)", 0.3),  # straight
])
def test_crossings_of_several_shapes(formula, switch):
    flat = sure_or(formula)
    switches = one_way(flat, subject(flat), "p", 0, 1, steps=4).switches
    assert len(switches) == 1 and near(switches[0][0], switch), switches


def test_switches_both_ways():
    flat = sure_or("30 * p * (1.5 - p)", high=2)
    # 30 p (1.5 - p) = 10 at p = (1.5 -+ sqrt(2.25 - 4/3)) / 2
    root = math.sqrt(2.25 - 4 / 3)
    switches = one_way(flat, subject(flat), "p", 0, 2, steps=9).switches
    assert [(f, t) for _at, f, t in switches] == [("sure", "risky"), ("risky", "sure")]
    assert near(switches[0][0], (1.5 - root) / 2, 2) and near(switches[1][0], (1.5 + root) / 2, 2)


def test_a_switch_inside_a_near_tie_is_where_the_tie_rule_changes_the_best():
    # 10 + 30 (0.6 - p)^3 meets the sure 10 at p = 0.6, but within 1e-9 of the larger
    # value the first alternative wins: "risky" stops being best where 30 d^3 exceeds that.
    flat = sure_or("10 + 30 * (0.6 - p) ^ 3")
    [(at, before, after)] = one_way(flat, subject(flat), "p", 0, 1, steps=4).switches
    d = ((10 / (1 - 1e-9) - 10) / 30) ** (1 / 3)  # (only to about 1e-10: a tiny difference)
    assert (before, after) == ("risky", "sure") and near(at, 0.6 - d, precision=1e-10)


def test_a_jump_is_located_where_the_best_changes():
    flat = sure_or("if(p > 0.37, 20, 0)")
    result = one_way(flat, subject(flat), "p", 0, 1, steps=11)
    [(at, before, after)] = result.switches
    assert (before, after) == ("sure", "risky") and near(at, 0.37)


def test_a_formula_that_fails_part_way_through_a_sweep():
    # log(p - 0.25) has no value up to p = 0.25: no alternative is best there; the edge is
    # bisected, then 5 + log(p - 0.25) crosses 1 at p = 0.25 + e^-4.
    flat = sure_or("5 + log(p - 0.25)", sure=1, value=0.5)
    result = one_way(flat, subject(flat), "p", 0, 1, steps=201)
    assert result.best[:51] == [None] * 51 and result.best[51] == "sure"
    assert result.best[-1] == "risky"
    assert np.isnan(result.values[1, :51]).all() and np.isfinite(result.values[1, 51:]).all()
    assert result.values[0].tolist() == [1.0] * 201
    [(edge, nothing, sure), (crossing, sure_again, risky)] = result.switches
    assert (nothing, sure, sure_again, risky) == (None, "sure", "sure", "risky")
    assert near(edge, 0.25) and near(crossing, 0.25 + math.exp(-4))


def test_a_formula_that_fails_part_way_through_a_negative_range():
    flat = sure_or("50 + log(-0.25 - p)", sure=1, low=-1, high=0, value=-0.5)
    result = one_way(flat, subject(flat), "p", -1, 0, steps=5)
    assert result.best == ["risky", "risky", "risky", None, None]
    [(edge, before, after)] = result.switches
    assert (before, after) == ("risky", None) and near(edge, -0.25)


def test_a_switch_where_nothing_is_best_any_more():
    flat = sure_or("2 + sqrt(0.6 - p)", sure=1)
    [(at, before, after)] = one_way(flat, subject(flat), "p", 0, 1, steps=6).switches
    assert (before, after) == ("risky", None) and near(at, 0.6)


def test_a_tiny_range_is_located_relative_to_the_range():
    flat = sure_or("10 + (p - 3.7e-13) * 1e13", low=0, high=1e-12)
    [(at, _f, _t)] = one_way(flat, subject(flat), "p", 0, 1e-12, steps=5).switches
    assert near(at, 3.7e-13, scale=1e-12)


def test_a_switch_far_from_zero_is_located_relative_to_its_size():
    flat = sure_or("10 + (p - 123456.789)", low=1e5, high=2e5)
    [(at, _f, _t)] = one_way(flat, subject(flat), "p", 1e5, 2e5, steps=3).switches
    assert near(at, 123456.789)


def test_three_alternatives_in_turn():
    flat = tree(choice("r", leaf("low", "1 - 2 * p"), leaf("mid", 0.4), leaf("high", "p")),
                [var("p", 0.5, 0, 1)])
    result = one_way(flat, subject(flat), "p", 0, 1, steps=11)
    assert [(f, t) for _a, f, t in result.switches] == [("low", "mid"), ("mid", "high")]
    # (low, first in order, stays best until mid is ahead by more than the tie tolerance)
    assert near(result.switches[0][0], 0.3, precision=1e-9)
    assert near(result.switches[1][0], 0.4)
    assert result.best == ["low"] * 4 + ["mid"] * 1 + ["high"] * 6


def test_a_switch_is_where_the_best_really_changes_even_when_the_grid_skips_one():
    # Points 0, 0.5 and 1 only: nothing is best at 0 (log(p - 0.1) has no value), "a" at
    # 0.5 and "c" at 1; but "b" is best between 0.55 and 0.8. "a" and "c" cross at 0.7, where
    # neither is best: the switch out of "a" is where "b" overtakes it.
    flat = tree(choice("r", leaf("a", "2 - 2 * p"), leaf("b", 0.9), leaf("c", "3 * p - 1.5"),
                       payoff="0 * log(p - 0.1)"), [var("p", 0.5, 0, 1)])
    switches = one_way(flat, subject(flat), "p", 0, 1, steps=3).switches
    assert [(f, t) for _a, f, t in switches] == [(None, "a"), ("a", "c")]
    assert near(switches[0][0], 0.1) and near(switches[1][0], 0.55, precision=1e-9)


# ---- two-way ---------------------------------------------------------------------------
def test_two_way_regions():
    flat = tree(choice("pick", leaf("a", "x"), leaf("b", "y"), leaf("c", "z")),
                [var("x", 0.2, 0, 1), var("y", 0.2, 0, 1), var("z", 0.5)])
    result = two_way(flat, subject(flat), "x", (0, 1), "y", (0, 1), steps=5, base={"z": 0.6})
    assert (result.x_variable, result.y_variable) == ("x", "y")
    assert result.x.tolist() == result.y.tolist() == [0, 0.25, 0.5, 0.75, 1]
    assert result.alternatives == ["a", "b", "c"]

    def best(x: float, y: float) -> str:  # the first of the largest
        values = {"a": x, "b": y, "c": 0.6}
        return next(k for k, v in values.items() if v == max(values.values()))
    expected = [[best(x, y) for x in result.x] for y in result.y]
    assert result.best == expected
    assert result.best_index.tolist() == [["abc".index(b) for b in row] for row in expected]


def test_two_way_marks_where_nothing_is_best():
    flat = tree(choice("pick", leaf("a", "log(x)"), leaf("b", "y")),
                [var("x", 0.5, 0, 1), var("y", 0.2, 0, 1)])
    result = two_way(flat, subject(flat), "x", (0, 1), "y", (0, 1), steps=3)
    assert [row[0] for row in result.best] == [None] * 3
    assert result.best_index[:, 0].tolist() == [-1] * 3
    assert result.best[0][1:] == ["b", "a"] and result.best_index[0, 1:].tolist() == [1, 0]


def test_two_way_needs_two_variables():
    flat = gamble()
    with pytest.raises(AnalysisError) as error:
        two_way(flat, subject(flat), "p", (0, 1), "p", (0, 1))
    assert str(error.value) == "choose two different variables"


# ---- tornado ---------------------------------------------------------------------------
# u + 3v + 2w (all 0..1, at 0.5) against z (0..10, at 0): bars z, v, w, u.
TORNADO = dict(root=choice("pick", leaf("mix", "u + 3*v + 2*w"), leaf("zed", "z")),
               variables=[var("u", 0.5, 0, 1), var("v", 0.5, 0, 1), var("w", 0.5, 0, 1),
                          var("z", 0, 0, 10), var("fixed", 1), var("flat", 2, 2, 2)])


def test_tornado_ranks_by_swing_with_values_at_each_end():
    flat = tree(**TORNADO)
    result = tornado(flat, subject(flat))
    assert (result.base, result.base_best) == (3.0, "mix")
    assert [(b.variable, b.low, b.high, b.value_at_low, b.value_at_high, b.best_at_low,
             b.best_at_high) for b in result.bars] == [
        ("z", 0, 10, 3.0, 10.0, "mix", "zed"),
        ("v", 0, 1, 1.5, 4.5, "mix", "mix"),
        ("w", 0, 1, 2.0, 4.0, "mix", "mix"),
        ("u", 0, 1, 2.5, 3.5, "mix", "mix")]
    assert [b.swing for b in result.bars] == [7.0, 3.0, 2.0, 1.0]


def test_tornado_keeps_fixed_variables_at_their_base_values():
    flat = tree(**TORNADO)
    result = tornado(flat, subject(flat), base={"z": 4, "u": 1})
    assert (result.base, result.base_best) == (4.0, "zed")  # 1 + 1.5 + 1 against 4
    assert [(b.variable, b.value_at_low, b.value_at_high, b.best_at_low, b.best_at_high)
            for b in result.bars] == [("v", 4.0, 5.0, "zed", "mix"), ("w", 4.0, 4.5, "zed", "mix")]


def test_tornado_names_the_best_at_each_end_of_each_bar():
    # a = x against b = y, both at 0.5 (a tie: "a" is first); x low makes b best, y low a.
    flat = tree(choice("pick", leaf("a", "x"), leaf("b", "y")),
                [var("x", 0.5, 0, 1), var("y", 0.5, 0, 2)])
    result = tornado(flat, subject(flat))
    assert (result.base, result.base_best) == (0.5, "a")
    assert [(b.variable, b.best_at_low, b.best_at_high, b.value_at_low, b.value_at_high)
            for b in result.bars] == [("y", "a", "b", 0.5, 2.0), ("x", "b", "a", 0.5, 1.0)]


def test_tornado_from_another_players_view():
    flat = adversary()
    result = tornado(flat, subject(flat, "reply"))
    [bar] = result.bars
    assert (bar.variable, bar.low, bar.high) == ("face", 0, 100)
    assert (bar.value_at_low, bar.best_at_low) == (5.0, "escalate")
    assert (bar.value_at_high, bar.best_at_high) == (240.0, "accept")
    assert (result.base, result.base_best) == (5.0, "escalate")


def test_a_bar_without_a_value_at_one_end_ranks_as_no_swing():
    flat = tree(choice("pick", leaf("mix", "u"), leaf("zed", 0.2), payoff="sqrt(bad)"),
                [var("bad", 0, -1, 1), var("u", 0.5, 0, 1), var("tiny", 0, 0, 1e-3)])
    result = tornado(flat, subject(flat))
    assert [b.variable for b in result.bars] == ["u", "bad", "tiny"]
    bad = result.bars[1]
    assert math.isnan(bad.value_at_low) and bad.best_at_low is None
    assert (bad.value_at_high, bad.best_at_high) == (1.5, "mix") and math.isnan(bad.swing)
    assert result.bars[2].swing == 0


def test_tornado_needs_a_ranged_variable():
    unranged = tree(choice("pick", leaf("a", "k"), leaf("b", 1)),
                    [var("k", 1), var("j", 2, 2, 2)])
    for flat, base in ((unranged, None), (tree(**TORNADO), {"u": 0, "v": 0, "w": 0, "z": 0})):
        with pytest.raises(AnalysisError) as error:
            tornado(flat, subject(flat), base=base)
        assert str(error.value) == "no variable has a range (min and max) to swing"


# ---- threshold ("what would it take") --------------------------------------------------
def test_threshold_at_the_adversarys_node():
    flat = adversary()
    result = threshold(flat, "reply", "face", 0, 100, steps=11)
    assert (result.node, result.variable, result.low, result.high) == ("reply", "face", 0, 100)
    [at] = result.thresholds
    assert near(at, FACE_SWITCH, 100)
    assert result.intervals == [(0, at, "escalate"), (at, 100, "accept")]


def test_threshold_with_base_values_and_a_narrower_range():
    flat = adversary()
    narrow = threshold(flat, "reply", "face", 0, 20, steps=5)
    assert narrow.thresholds == [] and narrow.intervals == [(0, 20, "escalate")]
    above = threshold(flat, "reply", "face", 30, 50)
    assert above.intervals == [(30, 50, "accept")]
    # the West's choice follows the Kremlin's: it jumps where the Kremlin's choice changes,
    # a hair after the crossing (the first of two within the tie tolerance is chosen)
    west = threshold(flat, "west_move", "face", 0, 100, steps=3)
    assert [c for _a, _b, c in west.intervals] == ["no_offer", "reply"]
    assert near(west.thresholds[0], FACE_SWITCH, 100, precision=1e-9)


def test_threshold_from_the_chosen_branches_not_the_analysed_player():
    # Kremlin utility decides at "reply" even though the West's view is the default at root
    flat = adversary()
    result = threshold(flat, "reply", "face", 0, 100, steps=201)
    assert [c for _a, _b, c in result.intervals] == ["escalate", "accept"]


@pytest.mark.parametrize("node, message", [
    ("gamble", '"gamble" is not a decision node'),
    ("assumed", '"assumed" is an assumed decision: its branches have probabilities, not a'
                " choice that could change"),
    ("ghost", 'there is no node "ghost"'),
    ("sure", 'node "sure" has no branches to compare'),
])
def test_threshold_needs_a_decision(node, message):
    flat = tree(choice("choose", leaf("sure", 10), {
        "id": "gamble", "branch": "Gamble", "type": "chance", "children": [
            leaf("win", 100, probability="p"), leaf("lose", 0, probability="#")]},
        {"id": "assumed", "branch": "Assumed", "type": "decision", "solve": "assumed",
         "children": [leaf("x", 1, probability=0.5), leaf("y", 2, probability="#")]}),
        [var("p", 0.1, 0, 1)])
    with pytest.raises(AnalysisError) as error:
        threshold(flat, node, "p", 0, 1)
    assert str(error.value) == message


def test_what_would_it_take_for_each_ranged_variable():
    flat = adversary()
    accept = requirements(flat, "reply", "accept")
    assert accept.variables() == ["face"]  # "fixed" has no range
    [(start, end)] = accept.intervals("face")
    assert near(start, FACE_SWITCH, 100) and end == 100
    [(start, end)] = requirements(flat, "reply", "escalate").intervals("face")
    assert start == 0 and near(end, FACE_SWITCH, 100)
    assert requirements(flat, "reply", "stall").intervals("face") == []


def test_a_window_inside_the_range_is_found_with_the_default_grid():
    # "b" is best only while 0.3 < p < 0.6: both ends of the range miss it
    flat = tree(choice("r", leaf("a", 1), leaf("b", "if(p > 0.3 and p < 0.6, 2, 0)")),
                [var("p", 0, 0, 1)])
    result = threshold(flat, "r", "p", 0, 1)
    assert [c for _s, _e, c in result.intervals] == ["a", "b", "a"]
    assert near(result.thresholds[0], 0.3) and near(result.thresholds[1], 0.6)
    [(start, end)] = requirements(flat, "r", "b").intervals("p")
    assert near(start, 0.3) and near(end, 0.6)


def test_thresholds_found_together_are_those_found_alone():
    """Several decisions and variables located at once: each threshold bit for bit as
    `threshold` finds it alone (of a sweep with several switches too)."""
    flat = flatten(load(TREES / "offramp.json"))
    asked = [(node, v.name, v.low, v.high) for node in ("aim", "offramp_pledges.stall")
             for v in flat.variables]
    together = thresholds(flat, asked, base={"pledge_cost": 6})
    alone = [threshold(flat, *one, base={"pledge_cost": 6}) for one in asked]
    assert together == alone
    assert len(together[asked.index(("aim", "defeat_face_loss", 40, 100))].thresholds) == 2


def test_a_variable_with_a_formula_is_moved_with_what_follows_it():
    # q = 2p: moving p moves q, so "a" (worth q) beats "b" (p + r) above p = 0.5; moving
    # q alone, above 0.6; moving r, "b" wins above r = 0.1
    flat = tree(choice("pick", leaf("a", "q"), leaf("b", "p + r")),
                [var("p", 0.1, 0, 1), var("r", 0.5, 0, 1),
                 {"name": "q", "value": "2 * p", "min": 0, "max": 2}])
    found = thresholds(flat, [("pick", "p", 0, 1), ("pick", "q", 0, 2), ("pick", "r", 0, 1)])
    assert [[c for _a, _b, c in t.intervals] for t in found] == [["b", "a"], ["b", "a"],
                                                                  ["a", "b"]]
    assert [t.thresholds[0] for t in found] == pytest.approx([0.5, 0.6, 0.1], rel=1e-9)
    assert found == [threshold(flat, "pick", name, low, high)
                     for name, low, high in (("p", 0, 1), ("q", 0, 2), ("r", 0, 1))]


def test_what_would_it_take_passes_over_variables_without_a_range():
    flat = tree(**{**ADVERSARY, "variables": [var("fixed", 1), var("flat", 3, 3, 3),
                                              var("face", 10, 0, 100)]})
    [(start, end)] = requirements(flat, "reply", "accept", steps=5).intervals("face")
    assert requirements(flat, "reply", "accept").variables() == ["face"]
    assert near(start, FACE_SWITCH, 100) and end == 100


# ---- spider ----------------------------------------------------------------------------
def test_spider_lines_are_straight_where_the_value_is_linear():
    """mix = u + 3v + 2w is 3 at the base (all 0.5) and best (z = 0). Moving v by d
    percent of its range (0..1) moves v by d / 100 and mix by 3d / 100: a slope of 0.03
    per percent, from 1.5 at -50 % to 4.5 at +50 %; w's slope is 0.02, u's 0.01."""
    flat = tree(**TORNADO)
    result = spider(flat, subject(flat), steps=11)
    assert (result.choice, result.base) == ("mix", 3.0)
    lines = {line.variable: line for line in result.lines}
    v = lines["v"]
    np.testing.assert_allclose(v.percent, np.arange(-50, 51, 10), atol=1e-12)
    np.testing.assert_allclose(v.values, 3 + 0.03 * v.percent, atol=1e-12)
    np.testing.assert_allclose(lines["w"].values, 3 + 0.02 * lines["w"].percent, atol=1e-12)
    np.testing.assert_allclose(lines["u"].values, 3 + 0.01 * lines["u"].percent, atol=1e-12)
    assert v.best == ("mix",) * 11 and v.switches == ()
    assert [line.variable for line in result.lines] == ["v", "w", "u", "z"]  # by swing
    assert "fixed" not in lines and "flat" not in lines  # no range to move across


def test_a_base_at_the_end_of_its_range_starts_there_and_the_switch_is_marked():
    """z is 0 at the base, its min: its line goes from 0 % to +100 % (z = 10). mix stays
    3 along it; zed (worth z) becomes best where z = 3, i.e. at +30 %."""
    flat = tree(**TORNADO)
    z = next(line for line in spider(flat, subject(flat), steps=11).lines
             if line.variable == "z")
    assert (z.low, z.high, z.base) == (0.0, 10.0, 0.0)
    assert z.percent[0] == 0.0 and z.percent[-1] == 100.0
    np.testing.assert_array_equal(z.values, np.full(11, 3.0))
    assert z.best[:4] == ("mix",) * 4 and z.best[4:] == ("zed",) * 7  # 0, 1, 2, 3 (a tie)
    [switch] = z.switches
    assert (switch.before, switch.after) == ("mix", "zed")
    assert switch.at == pytest.approx(3.0, abs=1e-8)  # 1e-9 of the range's end, 10
    assert switch.percent == pytest.approx(30.0, abs=1e-7)
    assert switch.value == 3.0


def test_a_base_outside_the_range_ends_its_line_at_zero():
    """q is 1.5, above its range 0..1: the line covers q = 0 (-150 %) to 1.5 (0 %). risky
    is worth 10q, a slope of 0.1 per percent; the sure 1 is best below q = 0.1 (-140 %)."""
    flat = tree(choice("choose", leaf("sure", 1), leaf("risky", "10 * q")),
                [var("q", 1.5, 0, 1)])
    result = spider(flat, subject(flat), steps=16)
    assert (result.choice, result.base) == ("risky", 15.0)
    [q] = result.lines
    assert q.percent[0] == -150.0 and q.percent[-1] == 0.0
    assert 1.0 in q.settings and -50.0 in q.percent  # the range's end is a point
    np.testing.assert_allclose(q.values, 15 + 0.1 * q.percent, atol=1e-12)
    [switch] = q.switches
    assert (switch.before, switch.after) == ("sure", "risky")
    assert switch.percent == pytest.approx(-140.0, abs=1e-7)
    assert switch.value == pytest.approx(1.0, rel=0, abs=2e-7)  # 1.5e-8 past it: q + 1e-8 * 1.5


def test_spider_holds_given_values_and_moves_only_the_variables_named():
    flat = tree(**TORNADO)
    result = spider(flat, subject(flat), base={"z": 4}, variables=["u", "v"], steps=3)
    assert (result.choice, result.base) == ("zed", 4.0)  # 3 against 4
    assert [line.variable for line in result.lines] == ["u", "v"]  # both flat: as named
    v = result.lines[1]
    np.testing.assert_array_equal(v.values, [4.0, 4.0, 4.0])  # zed's value: z is held
    assert v.best == ("zed", "zed", "mix")  # mix is 4.5 at v = 1
    with pytest.raises(ValueError):
        v.values[0] = 1.0  # a result does not change


@pytest.mark.parametrize("asked, message", [
    (dict(variables=["nope"]), 'there is no variable "nope"'),
    (dict(variables=["fixed"]), "the variable fixed has no range"),
    (dict(variables=["z"], base={"z": 1}), "z is held at a value given to it"),
    (dict(variables=[]), "no variable has a range"),
])
def test_spider_refuses_what_cannot_be_moved(asked, message):
    flat = tree(**TORNADO)
    with pytest.raises(AnalysisError, match=message):
        spider(flat, subject(flat), **asked)


def test_spider_switches_located_together_are_each_sweeps_own():
    """All the lines' switch points are refined at once; each is where the one-way sweep
    of that variable alone finds it (both to a relative 1e-9 of the range's ends)."""
    flat = flatten(load(TREES / "offramp.json"))
    topic = subject(flat)
    result = spider(flat, topic, steps=41)
    assert sum(len(line.switches) for line in result.lines) >= 8
    for line in result.lines:
        alone = one_way(flat, topic, line.variable, line.low, line.high, 41)
        assert [(s.before, s.after) for s in line.switches] == [
            (before, after) for _at, before, after in alone.switches]
        scale = max(abs(line.low), abs(line.high))
        for mine, (at, _before, _after) in zip(line.switches, alone.switches, strict=True):
            assert mine.at == pytest.approx(at, rel=0, abs=2e-9 * scale)
