"""Monte Carlo over the variables' distributions and the value of information, on tiny
trees whose answers are known (no PySide6 needed)."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from offramp_gui.analysis.flatten import FlatTree, flatten
from offramp_gui.analysis.montecarlo import (
    Cancelled,
    evpi,
    evppi,
    sample_variables,
    simulate,
)
from offramp_gui.analysis.sensitivity import AnalysisError, subject
from offramp_gui.api import load_text


def gamble(distribution: dict, low=None, high=None, value: float = 0.1) -> FlatTree:
    """A sure 10, or 100 with chance p (a win; else a loss), p drawn from `distribution`."""
    p = {"name": "p", "value": value, "distribution": distribution,
         **({} if low is None else {"min": low}), **({} if high is None else {"max": high})}
    return flatten(load_text(json.dumps({
        "format": "offramp-tree", "version": 1, "title": "Gamble", "variables": [p],
        "outcomes": [{"id": "win", "name": "Win"}, {"id": "loss", "name": "Loss"}],
        "root": {"id": "choose", "type": "decision", "children": [
            {"id": "sure", "branch": "Sure", "type": "terminal", "payoff": 10},
            {"id": "risky", "branch": "Risky", "type": "chance", "children": [
                {"id": "win", "branch": "Win", "type": "terminal", "probability": "p",
                 "payoff": 100, "outcome": "win"},
                {"id": "lose", "branch": "Lose", "type": "terminal", "probability": "#",
                 "payoff": 0, "outcome": "loss"}]}]}})))


COIN = {"type": "discrete", "values": [0, 0.2], "weights": [1, 1]}


def run(flat: FlatTree, samples: int = 400, seed: int = 5, **options):
    return simulate(flat, subject(flat), samples, seed, **options)


def test_a_seed_repeats_a_run_exactly():
    flat = gamble({"type": "beta", "alpha": 2, "beta": 10})
    first, again, other = run(flat, seed=7), run(flat, seed=7), run(flat, seed=8)
    assert np.array_equal(first.values, again.values)
    assert np.array_equal(first.inputs["p"], again.inputs["p"])
    assert (first.evpi, first.evppi, first.seed) == (again.evpi, again.evppi, 7)
    assert not np.array_equal(first.inputs["p"], other.inputs["p"])


def test_each_sample_is_a_full_evaluation():
    flat = gamble({"type": "uniform", "low": 0, "high": 0.3})
    result = run(flat, samples=50)
    p = result.inputs["p"]
    assert (result.samples, result.valid, result.alternatives) == (50, 50, ["sure", "risky"])
    assert result.values[0].tolist() == [10.0] * 50
    assert result.values[1] == pytest.approx(100 * p, rel=1e-12)
    assert result.best.tolist() == [1 if x > 0.1 else 0 for x in p]
    assert result.outcomes == ["win", "loss", "null"]
    # at the root: the sure 10 is unclassified; the gamble wins with chance p
    shares = np.where(p > 0.1, [p, 1 - p, 0 * p], [0 * p, 0 * p, 1 + 0 * p])
    assert result.outcome_shares == pytest.approx(shares, abs=1e-12)


def test_the_chances_of_being_best_add_up_to_one():
    result = run(gamble({"type": "triangular", "low": 0, "mode": 0.1, "high": 0.3}), 1000)
    summary = result.summary()
    assert set(summary["sure"]) == {"mean", "sd", "p5", "p50", "p95", "probability_best"}
    assert summary["sure"]["probability_best"] + summary["risky"]["probability_best"] == 1
    assert summary["risky"]["probability_best"] == np.mean(result.inputs["p"] > 0.1)
    assert (summary["sure"]["mean"], summary["sure"]["sd"], summary["sure"]["p95"]) == (
        10, 0, 10)
    risky = result.values[1]
    assert summary["risky"]["mean"] == pytest.approx(np.mean(risky))
    assert summary["risky"]["sd"] == pytest.approx(np.std(risky))
    assert [summary["risky"][k] for k in ("p5", "p50", "p95")] == pytest.approx(
        np.percentile(risky, [5, 50, 95]).tolist())
    outcome = result.outcome_summary()
    assert list(outcome) == ["win", "loss", "null"]
    assert outcome["null"]["mean"] == pytest.approx(summary["sure"]["probability_best"])
    assert outcome["win"]["mean"] == pytest.approx(np.mean(result.outcome_shares[0]))
    assert outcome["win"]["p5"] == 0 and outcome["win"]["p95"] <= 0.3


def test_the_value_of_perfect_information_on_a_coin():
    # p is 0 or 0.2: the gamble is worth 0 or 20 against a sure 10. Knowing p first is
    # worth E[max] - max E = min(10 f, 10 - 10 f), f the share of draws at 0.2.
    result = run(gamble(COIN), 2000, seed=3)
    f = np.mean(result.inputs["p"] == 0.2)
    assert 0.45 < f < 0.55 and set(result.inputs["p"].tolist()) == {0.0, 0.2}
    assert result.evpi == pytest.approx(min(10 * f, 10 - 10 * f), abs=1e-9)
    assert result.evppi == {"p": pytest.approx(result.evpi, abs=1e-9)}


@pytest.mark.parametrize("distribution", [
    {"type": "uniform", "low": 0, "high": 1}, {"type": "beta", "alpha": 1, "beta": 3},
    {"type": "discrete", "values": [0.05, 0.5], "weights": [3, 1]},
])
def test_information_is_never_worth_less_than_nothing(distribution):
    result = run(gamble(distribution), 300)
    assert result.evpi >= 0 and result.evppi["p"] >= 0
    assert result.evppi["p"] <= result.evpi + 1e-9  # p is all there is to learn


def test_information_is_worth_nothing_when_no_draw_changes_the_decision():
    result = run(gamble({"type": "uniform", "low": 0.2, "high": 0.9}), 300)
    assert result.summary()["risky"]["probability_best"] == 1
    assert result.evpi == pytest.approx(0, abs=1e-12)
    assert result.evppi == {"p": pytest.approx(0, abs=1e-12)}


def test_value_of_information_by_hand():
    values = np.array([[1.0, 3.0, 0.0, 4.0], [2.0, 2.0, 2.0, 2.0]])
    # E[max] = (2 + 3 + 2 + 4) / 4 = 2.75; max E = max(2, 2) = 2
    assert evpi(values) == 0.75
    informative = np.array([0.0, 1.0, 0.0, 1.0])  # learning x tells the two pairs apart
    # x = 0: means (0.5, 2) -> 2; x = 1: means (3.5, 2) -> 3.5; 0.5 * 2 + 0.5 * 3.5 = 2.75
    assert evppi(values, informative) == 0.75
    assert evppi(values, np.zeros(4)) == 0  # learning a constant tells nothing
    assert math.isnan(evpi(np.zeros((2, 0)))) and math.isnan(evppi(np.zeros((2, 0)),
                                                                   np.zeros(0)))


def test_a_continuous_input_is_learnt_in_bins():
    # 100 distinct values: 10 bins of 10, sorted by x
    x = np.arange(100.0)
    values = np.vstack([np.where(x < 50, 1.0, -1.0), np.zeros(100)])
    assert evppi(values, x[::-1].copy()) == pytest.approx(0.5)  # 0.5 * 1 + 0.5 * 0 - 0
    mixed = np.vstack([np.where(x % 2 == 0, 1.0, -1.0), np.zeros(100)])
    assert evppi(mixed, x) == 0  # every bin holds as many of each


@pytest.mark.parametrize("distribution, mean, sd", [
    ({"type": "uniform", "low": 2, "high": 5}, 3.5, 3 / math.sqrt(12)),
    ({"type": "triangular", "low": 0, "mode": 1, "high": 4}, 5 / 3,
     math.sqrt((0 + 1 + 16 - 0 - 0 - 4) / 18)),
    ({"type": "beta", "alpha": 2, "beta": 6}, 0.25, math.sqrt(12 / (64 * 9))),
    ({"type": "normal", "mean": 1, "sd": 2}, 1, 2),
    ({"type": "lognormal", "mu": 0, "sigma": 0.5}, math.exp(0.125),
     math.sqrt((math.exp(0.25) - 1) * math.exp(0.25))),
    ({"type": "discrete", "values": [1, 2, 3], "weights": [1, 1, 2]}, 2.25,
     math.sqrt(0.25 * 1 + 0.25 * 4 + 0.5 * 9 - 2.25 ** 2)),
])
def test_draws_follow_each_distribution(distribution, mean, sd):
    n = 20_000
    flat = gamble(distribution, value=0)
    draws = sample_variables(flat, n, seed=11)["p"]
    assert draws.shape == (n,)
    assert abs(draws.mean() - mean) < 4 * sd / math.sqrt(n)
    assert draws.std() == pytest.approx(sd, rel=0.05)
    assert np.array_equal(draws, sample_variables(flat, n, seed=11)["p"])


def test_discrete_draws_take_only_the_listed_values_in_proportion():
    draws = sample_variables(gamble({"type": "discrete", "values": [1, 2, 3],
                                     "weights": [1, 1, 2]}, value=0), 8000, 2)["p"]
    counts = {v: int(np.sum(draws == v)) for v in (1, 2, 3)}
    assert sum(counts.values()) == 8000
    assert counts[3] == pytest.approx(4000, abs=200) and counts[1] == pytest.approx(2000, abs=160)


def test_a_triangle_of_no_width_is_its_point():
    flat = gamble({"type": "triangular", "low": 0.3, "mode": 0.3, "high": 0.3})
    assert sample_variables(flat, 5, 1)["p"].tolist() == [0.3] * 5


def test_draws_outside_the_range_are_drawn_again():
    flat = gamble({"type": "normal", "mean": 0.5, "sd": 1}, low=0, high=1)
    draws = sample_variables(flat, 5000, 4)["p"]
    assert draws.min() >= 0 and draws.max() <= 1
    assert np.sum((draws == 0) | (draws == 1)) < 5  # redrawn, hardly ever clipped
    assert abs(draws.mean() - 0.5) < 0.02  # the normal cut to 0..1 stays centred
    assert draws.std() < 0.3  # not piled up at the ends


def test_draws_that_stay_outside_are_clipped_to_the_range():
    flat = gamble({"type": "uniform", "low": 2, "high": 3}, low=0, high=1, value=0.5)
    assert sample_variables(flat, 4, 9)["p"].tolist() == [1.0] * 4


def test_fixed_variables_are_not_drawn():
    flat = gamble(COIN)
    assert sample_variables(flat, 10, 1, fixed={"p": 0.3}) == {}
    result = run(flat, 20, base={"p": 0.3})
    assert result.inputs == {} and result.evppi == {} and result.evpi == 0
    assert result.values[1].tolist() == pytest.approx([30.0] * 20)
    only_ranged = flatten(load_text(json.dumps({
        "format": "offramp-tree", "version": 1, "title": "Plain",
        "variables": [{"name": "k", "value": 2}],
        "root": {"id": "r", "type": "decision", "children": [
            {"id": "a", "branch": "A", "type": "terminal", "payoff": "k"},
            {"id": "b", "branch": "B", "type": "terminal", "payoff": 1}]}})))
    assert sample_variables(only_ranged, 3, 1) == {}


def test_samples_where_the_tree_cannot_be_evaluated_are_left_out():
    flat = gamble({"type": "uniform", "low": -0.5, "high": 0.5})
    raw = sample_variables(flat, 300, 6)["p"]
    result = run(flat, 300, seed=6)
    assert (result.samples, result.valid) == (300, int(np.sum(raw >= 0)))
    assert result.inputs["p"].tolist() == raw[raw >= 0].tolist()
    assert result.values.shape == (2, result.valid)
    assert result.outcome_shares.shape == (3, result.valid)


def test_a_run_where_no_sample_can_be_evaluated():
    result = run(gamble({"type": "uniform", "low": 2, "high": 3}), 10)
    assert result.valid == 0 and result.best.tolist() == []
    summary = result.summary()["risky"]
    assert all(math.isnan(v) for v in summary.values())
    assert math.isnan(result.evpi) and math.isnan(result.evppi["p"])
    assert all(math.isnan(v) for v in result.outcome_summary()["win"].values())


def test_progress_is_reported_and_can_stop_the_run():
    flat = gamble(COIN)
    calls = []
    run(flat, 64, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (64, 64)
    with pytest.raises(Cancelled):
        run(flat, 64, progress=lambda done, total: False)


def test_at_least_one_sample():
    with pytest.raises(AnalysisError, match="the number of samples must be at least 1"):
        run(gamble(COIN), 0)


def test_another_players_view_of_another_node():
    flat = flatten(load_text(json.dumps({
        "format": "offramp-tree", "version": 1, "title": "Two",
        "criteria": [{"id": "gain", "name": "Gain"}, {"id": "face", "name": "Face"}],
        "players": [{"id": "west", "name": "West", "weights": {"gain": 1}},
                    {"id": "east", "name": "East", "weights": {"face": 1}}],
        "variables": [{"name": "x", "value": 0.5,
                       "distribution": {"type": "uniform", "low": 0, "high": 1}}],
        "root": {"id": "r", "type": "decision", "player": "west", "children": [
            {"id": "e", "branch": "Ask", "type": "decision", "player": "east", "children": [
                {"id": "yes", "branch": "Yes", "type": "terminal",
                 "payoff": {"gain": 5, "face": "x"}},
                {"id": "no", "branch": "No", "type": "terminal",
                 "payoff": {"gain": -5, "face": "1 - x"}}]},
            {"id": "skip", "branch": "Skip", "type": "terminal", "payoff": {"gain": 0}}]}})))
    result = simulate(flat, subject(flat, "e", "west"), 200, 1)
    assert result.alternatives == ["yes", "no"] and result.values[0].tolist() == [5.0] * 200
    assert result.summary()["yes"]["probability_best"] == 1
    east = simulate(flat, subject(flat, "e"), 200, 1)
    assert east.values[0] == pytest.approx(east.inputs["x"])
    assert east.best.tolist() == [0 if x >= 0.5 else 1 for x in east.inputs["x"]]


# ---- values near the largest double ---------------------------------------------------------
LARGEST = 1.7e308


def wide(distribution: dict, payoff: str = "x") -> FlatTree:
    """x over the whole range of doubles; one alternative is worth `payoff`, one 0."""
    return flatten(load_text(json.dumps({
        "format": "offramp-tree", "version": 1, "title": "Wide",
        "variables": [{"name": "x", "value": 0, "min": -LARGEST, "max": LARGEST,
                       "distribution": distribution}],
        "root": {"id": "r", "type": "decision", "children": [
            {"id": "a", "type": "terminal", "payoff": payoff},
            {"id": "b", "type": "terminal", "payoff": 0}]}})))


WIDE = [{"type": "uniform", "low": -LARGEST, "high": LARGEST},
        {"type": "triangular", "low": -LARGEST, "mode": 0, "high": LARGEST},
        {"type": "normal", "mean": 0, "sd": LARGEST},
        {"type": "discrete", "values": [-LARGEST, LARGEST], "weights": [LARGEST, LARGEST]}]


@pytest.mark.filterwarnings("error")  # numpy's overflow warnings too
@pytest.mark.parametrize("distribution", WIDE, ids=lambda d: d["type"])
def test_a_range_as_wide_as_doubles_allow(distribution):
    result = run(wide(distribution), samples=2000)
    draws = result.inputs["x"]
    assert result.valid == 2000 and np.isfinite(draws).all()
    assert draws.min() < -LARGEST / 4 and draws.max() > LARGEST / 4  # spread over the range
    summary = result.summary()["a"]
    assert all(math.isfinite(summary[key]) for key in ("mean", "sd", "p5", "p50", "p95"))
    assert abs(summary["mean"]) < LARGEST / 10 and summary["sd"] > LARGEST / 4
    assert summary["p5"] < 0 < summary["p95"]
    # EVPI = E[max(x, 0)] - max(E[x], 0), computed here in units of the largest double.
    scaled = draws / LARGEST
    gain = np.mean(np.maximum(scaled, 0)) - max(np.mean(scaled), 0)
    assert result.evpi == pytest.approx(LARGEST * gain, rel=1e-9) and gain > 0.1
    assert result.evppi["x"] == pytest.approx(result.evpi, rel=0.1)


@pytest.mark.filterwarnings("error")
def test_a_value_of_information_beyond_the_largest_double_is_not_a_number():
    # Each alternative is worth 1.7e308 in one sample and -1.7e308 in the others:
    # knowing the sample gains 4/3 of the largest double on average.
    values = np.full((3, 3), -LARGEST)
    np.fill_diagonal(values, LARGEST)
    assert math.isnan(evpi(values))
    assert evpi(values / 4) == pytest.approx(LARGEST / 3)
