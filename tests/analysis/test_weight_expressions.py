"""A player's weight written as an expression over the variables: read, checked, worked
out per sample by the engine, swept and sampled by every analysis, and renamed with its
variable."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from offramp_gui.analysis.catalogue import (
    MonteCarloParameters,
    OneWayParameters,
    RequirementsParameters,
    ThresholdParameters,
    TornadoParameters,
    TwoWayParameters,
    kind_of,
)
from offramp_gui.analysis.flatten import flatten
from offramp_gui.analysis.incremental import IncrementalEvaluator
from offramp_gui.analysis.montecarlo import simulate
from offramp_gui.analysis.sensitivity import one_way, subject, threshold
from offramp_gui.api import evaluate, load, load_text
from offramp_gui.fileformat.json_io import dumps, loads
from offramp_gui.model import refactor
from offramp_gui.model.refactor import VARIABLE
from offramp_gui.model.validate import validate

#: Prosecute: accountability 10, and escalation (-50 on avoiding catastrophe) with
#: p_escalate = 0.4; an offramp: accountability -5. With weights w and 1 - w the
#: allies value them at 30w - 20 and -5w: they prosecute above w = 4/7.
WEIGHTED = Path(__file__).resolve().parents[1] / "data" / "weights_as_expressions.json"
SWITCH = 4 / 7
FIELDS = ("expected", "utility", "choice", "tie", "reach", "outcomes", "probability")


def weighted_text(**weights) -> str:
    document = json.loads(WEIGHTED.read_text())
    document["players"][0]["weights"].update(weights)
    return json.dumps(document)


def test_a_weight_given_by_a_variable_equals_the_same_number():
    by_variable = evaluate(load(WEIGHTED))
    by_number = evaluate(load_text(weighted_text(accountability=0.3, catastrophe=0.7)))
    assert by_variable.issues == by_number.issues == ()
    for name in FIELDS:
        assert np.array_equal(getattr(by_variable, name), getattr(by_number, name),
                              equal_nan=True), name
    assert by_variable.utility[:, 0].tolist() == pytest.approx([-1.5, -11, -1.5, -32, 3])
    assert by_variable.chosen_id("choice") == "offramp"


def test_moving_the_variable_moves_the_utilities_and_the_choice():
    tree = load(WEIGHTED)
    results = evaluate(tree, {"w_acc": 0.8})
    prosecute = results.index("prosecute")
    assert results.utility[prosecute, 0] == pytest.approx(30 * 0.8 - 20)
    assert results.expected[prosecute].tolist() == pytest.approx([10, -20])  # no change
    assert results.chosen_id("choice") == "prosecute"
    assert results.variables["w_acc"] == 0.8


def test_a_sweep_of_the_weight_finds_the_switch_point():
    flat = flatten(load(WEIGHTED))
    swept = one_way(flat, subject(flat), "w_acc", 0, 1, steps=11)
    assert swept.values[0] == pytest.approx(30 * swept.x - 20)
    assert swept.values[1] == pytest.approx(-5 * swept.x)
    [(at, before, after)] = swept.switches
    assert (before, after) == ("offramp", "prosecute")
    assert at == pytest.approx(SWITCH, rel=1e-9)
    found = threshold(flat, "choice", "w_acc", 0, 1)
    assert found.thresholds == pytest.approx([SWITCH], rel=1e-9)


def test_a_weight_that_depends_on_another_swept_variable():
    # The weight reads a variable defined from the swept one: the sweep reaches it too.
    document = json.loads(weighted_text(accountability="w_half * 2", catastrophe="1 - w_half * 2"))
    document["variables"].append({"name": "w_half", "value": "w_acc / 2"})
    flat = flatten(load_text(json.dumps(document)))
    swept = one_way(flat, subject(flat), "w_acc", 0, 1, steps=5)
    assert swept.switches[0][0] == pytest.approx(SWITCH, rel=1e-9)


def test_the_incremental_evaluator_starts_from_the_variables_and_keeps_their_weights():
    tree = load(WEIGHTED)
    for w in (0.3, 0.8):
        fast = IncrementalEvaluator(flatten(tree), {"w_acc": w})
        full = evaluate(tree, {"w_acc": w})
        for name in FIELDS:
            assert np.array_equal(getattr(fast.results(), name), getattr(full, name),
                                  equal_nan=True), name
    fast = IncrementalEvaluator(flatten(tree), {"w_acc": 0.8})
    assert fast.results().chosen_id("choice") == "prosecute"
    # An edit afterwards is weighed with w_acc = 0.8 still: -5 * 0.8 + 0.2 * 100 = 16.
    fast.set_payoff(fast.flat.index["offramp"], 1, 100)
    assert fast.results().chosen_id("choice") == "offramp"
    assert fast.results().utility[fast.flat.index["offramp"], 0] == pytest.approx(16)


def test_monte_carlo_samples_the_weight():
    flat = flatten(load(WEIGHTED))
    run = simulate(flat, subject(flat), 4000, seed=3)
    w = run.inputs["w_acc"]
    assert run.values[0] == pytest.approx(30 * w - 20)
    assert run.values[1] == pytest.approx(-5 * w)
    assert np.mean(run.best == 0) == pytest.approx(np.mean(w > SWITCH))
    assert np.mean(run.best == 0) == pytest.approx(3 / 7, abs=0.03)
    assert run.evppi["w_acc"] > 0


@pytest.mark.parametrize("parameters", [
    OneWayParameters(variable="w_acc", steps=21),
    TwoWayParameters(x="w_acc", y="p_escalate", steps=9),
    TornadoParameters(),
    ThresholdParameters(node="choice", variable="w_acc"),
    MonteCarloParameters(samples=200, seed=1),
    RequirementsParameters(node="choice", target="prosecute"),
], ids=lambda parameters: type(parameters).__name__)
def test_every_analysis_moves_the_weight(parameters):
    flat = flatten(load(WEIGHTED))
    run = kind_of(parameters).run(flat, parameters)
    text = run.text()
    assert "w_acc" in text
    # Somewhere in each analysis the allies come to prosecute, which they never do at 0.3.
    assert "Prosecute" in text or "prosecute" in json.dumps(run.document())


def test_a_weight_that_cannot_be_computed_is_named():
    # (load_text refuses the file for it: the tree is read as it is)
    results = evaluate(loads(weighted_text(accountability="log(w_acc - 0.3)")).tree)
    [issue] = results.issues
    assert issue.path == "$.players[0].weights.accountability"
    assert issue.message.startswith('the weight "log(w_acc - 0.3)" of The allies on'
                                    " Accountability cannot be computed: ")
    assert results.chosen_id("choice") is None


def test_checking_a_weight_expression():
    tree = loads(weighted_text(accountability="w_ac", catastrophe="1 -")).tree
    assert [(i.path, i.message) for i in validate(tree)] == [
        ("$.players[0].weights.accountability",
         'the weight "w_ac" of The allies on Accountability uses "w_ac", which is not a'
         ' variable; the variables are "p_escalate", "w_acc"'),
        ("$.players[0].weights.catastrophe",
         'the weight "1 -" of The allies on Avoiding catastrophe is not a valid expression:'
         " expected a number, a name or '(' but found the end of the expression (at"
         " character 4)"),
    ]
    assert validate(load(WEIGHTED)) == []


def test_renaming_the_variable_rewrites_the_weights():
    tree = load(WEIGHTED)
    before = evaluate(tree, {"w_acc": 0.8}).utility
    assert refactor.used_at(tree, VARIABLE, "w_acc") == ["The allies's weights"]
    refactor.apply(tree, refactor.rename(tree, VARIABLE, "w_acc", "w_accountability"))
    assert tree.players[0].weights == {"accountability": "w_accountability",
                                       "catastrophe": "1 - w_accountability"}
    assert validate(tree) == []
    assert np.array_equal(evaluate(tree, {"w_accountability": 0.8}).utility, before)


def test_an_expression_weight_is_read_and_written_as_it_was():
    tree = load(WEIGHTED)
    assert tree.players[0].weights == {"accountability": "w_acc", "catastrophe": "1 - w_acc"}
    written = json.loads(dumps(tree))
    assert written["players"][0]["weights"] == {"accountability": "w_acc",
                                                "catastrophe": "1 - w_acc"}
    problems = [i.message for i in loads(weighted_text(accountability=[0.3])).issues]
    assert problems == ["a weight must be a number, not a list"]
