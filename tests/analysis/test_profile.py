"""Risk profiles on constructed trees, against distributions and dominance worked out by
hand (no PySide6 needed)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from offramp_gui.analysis.catalogue import KINDS, ProfileParameters
from offramp_gui.analysis.evaluate import evaluate
from offramp_gui.analysis.flatten import FlatTree, flatten
from offramp_gui.analysis.profile import (
    FIRST_ORDER,
    SECOND_ORDER,
    Dominance,
    dominance_among,
    risk_profile,
)
from offramp_gui.analysis.sensitivity import AnalysisError
from offramp_gui.api import load_text
from offramp_gui.cli import main


def load(root: dict, **settings) -> FlatTree:
    root = {key: value for key, value in root.items() if key != "branch"}
    text = json.dumps({"format": "offramp-tree", "version": 1, "title": "Test", "root": root,
                       **settings})
    return flatten(load_text(text))


def node(node_id: str, kind: str, *children: dict, **fields) -> dict:
    return {"id": node_id, "branch": node_id.title(), "type": kind,
            **({"children": list(children)} if children else {}), **fields}


def end(node_id: str, payoff: float, **fields) -> dict:
    return node(node_id, "terminal", payoff=payoff, **fields)


# A calm world or a crisis; in the crisis (payoff 1 at the start, -2 on the way: -1 above
# the decision) we respond by talking, striking (how the rival takes it is assumed), giving
# way or probing. Scores are totals of the whole path:
#   talk:   deal 8 -> 7 (p 1/2); stall 3 then our own later choice, push 5 -> 7 (not wait
#           2 -> 4), (p 1/4); break -4 -> -5 (p 1/4)  =>  {-5: 1/4, 7: 3/4}, mean 4
#   strike: win 12 -> 11, lose -8 -> -9, each 1/2      =>  {-9: 1/2, 11: 1/2}, mean 1
#   yield:  0 -> -1                                    =>  {-1: 1},            mean -1
#   probe:  fail -4 -> -5 (1/4), gain 12 -> 11 (3/4)   =>  {-5: 1/4, 11: 3/4}, mean 7
CRISIS = node("start", "chance",
              end("calm", 30, probability=0.3, outcome="good"),
              node("crisis", "decision",
                   node("talk", "chance",
                        end("deal", 8, probability=0.5, outcome="good"),
                        node("stall", "decision", end("push", 5, outcome="good"),
                             end("wait", 2), probability=0.25, payoff=3, player="us"),
                        end("break", -4, probability=0.25, outcome="bad")),
                   node("strike", "decision",
                        end("win", 12, probability=0.5, outcome="good"),
                        end("lose", -8, probability=0.5, outcome="bad"),
                        player="rival", solve="assumed"),
                   end("yield", 0),
                   node("probe", "chance", end("fail", -4, probability=0.25, outcome="bad"),
                        end("gain", 12, probability=0.75, outcome="good")),
                   player="us", payoff=-2, probability=0.7),
              payoff=1)
SETTINGS = {"players": [{"id": "us", "name": "Us", "weights": {"value": 1}},
                        {"id": "rival", "name": "The rival", "weights": {"value": -1}}],
            "outcomes": [{"id": "good", "name": "Good"}, {"id": "bad", "name": "Bad"}]}


@pytest.fixture(scope="module")
def crisis() -> FlatTree:
    return load(CRISIS, **SETTINGS)


def shown(flat: FlatTree, node_id: str | None = "crisis") -> dict:
    result = risk_profile(flat, node_id)
    return {flat.ids[a.node]: (a.scores.tolist(), a.chances.tolist(), a.cumulative.tolist(),
                               a.expected) for a in result.alternatives}


def test_bars_and_cumulative_chances_are_the_whole_paths_scores_given_the_decision(crisis):
    assert shown(crisis) == {
        "talk": ([-5.0, 7.0], [0.25, 0.75], [0.25, 1.0], 4.0),  # deal and push merged
        "strike": ([-9.0, 11.0], [0.5, 0.5], [0.5, 1.0], 1.0),
        "yield": ([-1.0], [1.0], [1.0], -1.0),
        "probe": ([-5.0, 11.0], [0.25, 0.75], [0.25, 1.0], 7.0),
    }


def test_each_mean_is_the_value_the_engine_maximises(crisis):
    results = evaluate(crisis)
    result = risk_profile(crisis, "crisis")
    for alt in result.alternatives:
        assert float(alt.chances @ alt.scores) == results.utility[alt.node, 0]
    assert crisis.ids[result.chosen] == "probe"  # 7 is the best mean


def test_outcome_shares_are_the_outcome_charts_for_each_alternative(crisis):
    result = risk_profile(crisis, "crisis")
    # Good, Bad, Unclassified. Talk: deal 1/2 and push 1/4 good, break 1/4 bad.
    assert [alt.outcomes.tolist() for alt in result.alternatives] == [
        [0.75, 0.25, 0.0], [0.5, 0.5, 0.0], [0.0, 0.0, 1.0], [0.75, 0.25, 0.0]]


def test_dominance_first_order_second_order_and_neither(crisis):
    # On the grid -9, -5, -1, 7, 11 (widths 4, 4, 8, 4) the cumulative chances are
    #   talk 0 .25 .25 1 1, strike .5 .5 .5 .5 1, yield 0 0 1 1 1, probe 0 .25 .25 .25 1
    # and their integrals up to each point
    #   talk 0 0 1 3 7,     strike 0 2 4 8 10,    yield 0 0 0 8 12, probe 0 0 1 3 4.
    # Probe is nowhere above talk or strike, and below both somewhere: first order.
    # Talk is above strike at 7 (1 > .5), but its integral is nowhere above: second order.
    # Yield against talk: the integral of each is above the other's somewhere (at -1, at
    # 7): neither dominates; likewise yield and probe, yield and strike.
    result = risk_profile(crisis, "crisis")
    named = {(crisis.ids[d.better], crisis.ids[d.worse]): d.order for d in result.dominance}
    assert named == {("talk", "strike"): SECOND_ORDER, ("probe", "talk"): FIRST_ORDER,
                     ("probe", "strike"): FIRST_ORDER}


def test_dominance_is_exact_on_the_step_functions_and_ignores_float_noise():
    grid = np.array([0.0, 1.0, 2.0])
    same = [np.array([0.5, 0.0, 0.5]), np.array([0.5 + 1e-12, 0.0, 0.5 - 1e-12])]
    assert dominance_among([1, 2], grid, same) == ()  # equal but for noise: neither
    slightly = [np.array([0.5, 0.0, 0.5]), np.array([0.5 + 1e-6, 0.0, 0.5 - 1e-6])]
    assert dominance_among([1, 2], grid, slightly) == (Dominance(1, 2, FIRST_ORDER),)
    assert dominance_among([1, 2], grid, [None, same[0]]) == ()  # nothing to compare


def test_equal_scores_from_different_arithmetic_are_one_bar():
    # 0.1 + 0.2 is 0.30000000000000004, a hair from 0.3: the engine's tie tolerance.
    flat = load(node("d", "decision",
                     node("c", "chance", end("x", 0.3, probability=0.5),
                          node("y", "chance", end("z", 0.2, probability=1), payoff=0.1,
                               probability=0.5)),
                     end("other", 0)))
    scores, chances, _cumulative, _mean = shown(flat, "d")["c"]
    assert scores == [0.3] and chances == [1.0]


def test_the_chooser_is_whoever_decides_there_with_their_weights():
    # Above the rival's decision our choice paid {a: 2}. The rival weighs a by 1/2 and b by
    # 1: "hold" ({a: 2+2, b: 4}) scores 2 + 4 = 6 for it, "fold" ({a: 2+6, b: 0}) 4.
    flat = load(node("ours", "decision",
                     node("theirs", "decision", node("hold", "terminal", payoff={"a": 2, "b": 4}),
                          node("fold", "terminal", payoff={"a": 6}), player="rival",
                          payoff={"a": 2}),
                     node("quit", "terminal", payoff={"b": 1}), player="us"),
                criteria=[{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
                players=[{"id": "us", "name": "Us", "weights": {"a": 1}},
                         {"id": "rival", "name": "Rival", "weights": {"a": 0.5, "b": 1}}])
    assert shown(flat, "theirs") == {"hold": ([6.0], [1.0], [1.0], 6.0),
                                     "fold": ([4.0], [1.0], [1.0], 4.0)}
    assert shown(flat, None) == {"theirs": ([4.0], [1.0], [1.0], 4.0),  # the rival holds
                                 "quit": ([0.0], [1.0], [1.0], 0.0)}


def test_the_root_by_default_and_refusals_in_the_users_words(crisis):
    with pytest.raises(AnalysisError, match='^"start" is a chance node, not a decision'):
        risk_profile(crisis)
    with pytest.raises(AnalysisError, match=r'^"Deal" \(deal\) is an ending, not a decision'):
        risk_profile(crisis, "deal")
    with pytest.raises(AnalysisError, match='^there is no node "nowhere"$'):
        risk_profile(crisis, "nowhere")


def test_an_alternative_that_cannot_be_computed_has_no_bars():
    # With p = 0.4 the probabilities add up to 0.9: the evaluation says so; the profile
    # shows nothing there and compares it with nothing.
    flat = load(node("d", "decision",
                     node("c", "chance", end("x", 1, probability=0.5),
                          end("y", 2, probability="p")),
                     end("sure", 1)), variables=[{"name": "p", "value": 0.5}])
    result = risk_profile(flat, "d", {"p": 0.4})
    bad, sure = result.alternatives
    assert not bad.computable and bad.scores.size == 0 and np.isnan(bad.outcomes).all()
    assert sure.computable and result.dominance == ()


def test_the_table_json_and_text_of_the_catalogue_entry(crisis, tmp_path, capsys):
    run = KINDS["risk-profile"].run(crisis, ProfileParameters(node="crisis"))
    assert run.csv().decode().splitlines()[:4] == [
        "alternative,branch,score,chance,cumulative", "talk,Talk,-5.0,0.25,0.25",
        "talk,Talk,7.0,0.75,1.0", "strike,Strike,-9.0,0.5,0.5"]
    document = run.document()
    assert document["node"] == "crisis" and document["player"] == "us"
    assert document["chosen"] == "probe"
    assert document["alternatives"][3] == {
        "id": "probe", "expected": 7.0, "scores": [-5.0, 11.0], "chances": [0.25, 0.75],
        "cumulative": [0.25, 1.0], "outcomes": {"good": 0.75, "bad": 0.25, "null": 0.0}}
    assert document["dominance"][0] == {"better": "talk", "worse": "strike", "order": 2}
    text = run.text()
    assert "Talk dominates Strike (second order)" in text
    assert "Probe dominates Talk (first order)" in text
    path = tmp_path / "crisis.json"
    root = {key: value for key, value in CRISIS.items() if key != "branch"}
    path.write_text(json.dumps({"format": "offramp-tree", "version": 1, "title": "Test",
                                "root": root, **SETTINGS}))
    assert main(["profile", str(path), "--node", "crisis"]) == 0
    assert capsys.readouterr().out == text + "\n"
    assert main(["profile", str(path)]) == 1
    assert "is a chance node, not a decision" in capsys.readouterr().err


def test_the_python_api_names_it():
    import offramp_gui
    from offramp_gui import ProfileParameters as Asked
    from offramp_gui import analyse, load

    tree = load(Path(__file__).resolve().parents[2] / "trees" / "offramp.json")
    run = analyse(tree, Asked(node="offramp_pledges.rout"))
    assert run.document()["chosen"] == "offramp_pledges.rout.accept"
    assert offramp_gui.risk_profile is risk_profile


def test_dominance_near_the_largest_double_does_not_overflow():
    # -1e308 or 1e308 at even chances, against a sure 1e-300: the widths between the scores
    # are 1e308 each, their sum past the largest double. The integrals, in units of 1e308:
    # the gamble 0, 0.5, 1 and the sure one 0, 0, 1: the sure one, second order.
    flat = load(node("d", "decision",
                     node("gamble", "chance", end("low", -1e308, probability=0.5),
                          end("high", 1e308, probability=0.5)),
                     end("sure", 1e-300)))
    assert risk_profile(flat, "d").dominance == (
        Dominance(flat.index["sure"], flat.index["gamble"], SECOND_ORDER),)


def test_a_decision_with_too_many_alternatives_is_profiled_but_not_compared_pair_by_pair():
    from offramp_gui.analysis.profile import DOMINANCE_AMONG_UP_TO
    count = DOMINANCE_AMONG_UP_TO + 1
    flat = load(node("root", "decision", *(end(f"a{k}", float(k)) for k in range(count))))
    result = risk_profile(flat)
    assert len(result.alternatives) == count and not result.compared
    assert result.alternatives[-1].scores.tolist() == [count - 1]
    run = KINDS["risk-profile"].run(flat, ProfileParameters())
    assert run.document()["dominance"] is None
    assert f"Not compared: {count} alternatives" in run.text()
    fewer = load(node("root", "decision", *(end(f"a{k}", float(k)) for k in range(3))))
    assert risk_profile(fewer).compared and len(risk_profile(fewer).dominance) == 3
