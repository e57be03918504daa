"""The reasoning in words (analysis/explain.py): each decision's choice, runner-up,
margin, criteria and thresholds against the evaluation and the threshold engine, the
story of the solved path, and no node id in any sentence (no PySide6 needed)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from offramp_gui.analysis.catalogue.monte_carlo import MONTE_CARLO, MonteCarloParameters
from offramp_gui.analysis.evaluate import evaluate_tree
from offramp_gui.analysis.explain import (
    ASSUMED,
    SINGLE,
    ExplainError,
    choice_shares,
    explain,
)
from offramp_gui.analysis.flatten import flatten
from offramp_gui.analysis.montecarlo import simulate
from offramp_gui.analysis.report import evaluation_document
from offramp_gui.analysis.sensitivity import subject, threshold
from offramp_gui.api import load, load_text
from offramp_gui.model.tree import Tree

ROOT = Path(__file__).resolve().parents[2]
TREES = ROOT / "trees"
PATH = ["aim", "offramp", "offramp_pledges.rout", "offramp_pledges.stall"]


@pytest.fixture(scope="module")
def offramp() -> Tree:
    return load(TREES / "offramp.json")


@pytest.fixture(scope="module")
def told(offramp):
    return explain(offramp)


def text(document: dict) -> Tree:
    return load_text(json.dumps({"format": "offramp-tree", "version": 1, **document}))


def leaf(node_id: str, payoff, **fields) -> dict:
    return {"id": node_id, "branch": fields.pop("branch", node_id.title()), "type": "terminal",
            "payoff": payoff, **fields}


def every_sentence(explanation) -> list[str]:
    return [s for d in explanation.decisions for s in d.sentences] + list(explanation.narrative)


def ids_never_said(tree: Tree, sentences: list[str]) -> list[str]:
    """The node ids that appear in a sentence as a word of their own, leaving out those
    that are also words of the tree's own labels ("defeat" in "Seek Russia's defeat")."""
    labels = " ".join(filter(None, [tree.title, *(n.name or "" for n in tree.root.walk()),
                                    *(n.branch or "" for n in tree.root.walk())]))
    said = " ".join(sentences)

    def word(node_id: str) -> re.Pattern:
        return re.compile(rf"(?<![\w.]){re.escape(node_id)}(?![\w.])", re.IGNORECASE)

    return [i for i in tree.ids() if word(i).search(said) and not word(i).search(labels)]


# ---- the decisions on the solved path -----------------------------------------------
def test_the_solved_paths_decisions_with_runner_up_and_margin_from_the_evaluation(
        offramp, told):
    nodes = evaluation_document(evaluate_tree(offramp))["nodes"]
    assert [d.node for d in told.decisions] == PATH
    for decision in told.decisions:
        player = decision.player
        utility = {c.id: nodes[c.id]["utility"][player] for c in decision.alternatives}
        assert decision.chosen.id == nodes[decision.node]["choice"]
        others = {k: v for k, v in utility.items() if k != decision.chosen.id}
        assert decision.runner_up.id == max(others, key=others.get)
        assert decision.margin == utility[decision.chosen.id] - utility[decision.runner_up.id]
        assert decision.margin > 0 and decision.reached and not decision.tie
        assert decision.sentences[0] == (f"At “{decision.name}”, {decision.player_name}"
                                         f" chooses “{decision.chosen.label}”.")
        assert f"The runner-up is “{decision.runner_up.label}”" in decision.text


def test_the_stalemate_in_words(told):
    stall = told.decision("offramp_pledges.stall")
    assert stall.text.startswith(
        "At “Kremlin response to a stalemate”, The Kremlin chooses “Grind on”. The"
        " runner-up is “Accept a face-saving deal”, 13.0 behind in The Kremlin’s utility"
        " (-12.5 against -25.5). What separates them in The Kremlin’s weights: “Grind on”"
        " has 13.6 score more Regime survival and face (worth 10.9) and 35.8 score less"
        " Ukrainian sovereignty (worth 3.58); “Accept a face-saving deal” has 14.8 score"
        " more Nuclear risk avoided (worth 1.48).")
    assert stall.said["thresholds"] == (
        "Each of these variables alone would change it: face_value above 56.225 (now 40),"
        " for “Accept a face-saving deal”; defeat_face_loss below 53.775 (now 70), for"
        " “Accept a face-saving deal”; kremlin_cost_weight above 0.339791 (now 0), for"
        " “Accept a face-saving deal”.",)
    assert [f.phrase for f in stall.flips] == [
        "face_value above 56.225 (now 40), for “Accept a face-saving deal”",
        "defeat_face_loss below 53.775 (now 70), for “Accept a face-saving deal”",
        "kremlin_cost_weight above 0.339791 (now 0), for “Accept a face-saving deal”"]
    assert list(stall.said) == ["decision", "margin", "criteria", "thresholds"]
    assert stall.sentences == tuple(s for part in stall.said.values() for s in part)


def test_the_criteria_make_up_the_margin_in_the_deciders_weights(told):
    for decision in told.decisions:
        assert sum(d.contribution for d in decision.criteria) == pytest.approx(
            decision.margin, rel=1e-12)
        named = [d for d in decision.criteria if d.contribution]
        assert [abs(d.contribution) for d in named] == sorted(
            (abs(d.contribution) for d in named), reverse=True)
        for difference in named[:4]:  # (each side says what it has more or less of)
            assert f"score {'more' if difference.weight > 0 else 'less'}" \
                   f" {difference.name}" in decision.text


def test_the_thresholds_are_the_threshold_engines(offramp, told):
    flat = flatten(offramp)
    for decision in told.decisions:
        alone = [threshold(flat, decision.node, v.name, v.low, v.high) for v in flat.variables]
        changing = {t.variable: t for t in alone if t.thresholds}
        assert {f.variable for f in decision.flips} == set(changing)
        for flip in decision.flips:
            assert flip.threshold == changing[flip.variable]
        assert decision.tried == tuple(v.name for v in flat.variables)
    stall = told.decision("offramp_pledges.stall")
    assert [(f.variable, f.below, f.above) for f in stall.flips] == [
        ("face_value", None, (56.224999999999994, "offramp_pledges.stall.accept")),
        ("defeat_face_loss", (53.775000000000006, "offramp_pledges.stall.accept"), None),
        ("kremlin_cost_weight", None, (0.3397905759162303, "offramp_pledges.stall.accept"))]


def test_no_sentence_names_a_node_id():
    for path in sorted(TREES.glob("*.json")):
        tree = load(path)
        told = explain(tree, [i for i in tree.ids() if tree.node(i).type == "decision"])
        assert told.decisions and told.narrative
        assert ids_never_said(tree, every_sentence(told)) == [], path.name
        assert ids_never_said(tree, every_sentence(explain(tree))) == [], path.name


def test_the_story_of_the_solved_path(told):
    assert told.narrative == (
        "Western capitals chooses “Support Ukraine while keeping an off-ramp open” at"
        " “Western war aim”.",
        "Then Kyiv chooses “Pledge: no NATO membership, no retaking Crimea by force, no"
        " nuclear weapons” at “Kyiv's pledges”.",
        "Then “Battlefield, next year” is left to chance: “Russian front collapses” 30%,"
        " “Front stalls” 55% and “Russian offensive recovers” 15% (ending in “Long war or"
        " frozen conflict”).",
        "If “Russian front collapses”, The Kremlin chooses “Accept a face-saving deal” at"
        " “Kremlin response to a rout”.",
        "Then “Does the deal hold?” is left to chance: “The deal holds” 100% (ending in"
        " “Negotiated settlement, face saved”).",
        "If “Front stalls”, The Kremlin chooses “Grind on” at “Kremlin response to a"
        " stalemate”.",
        "Then “A war of attrition” is left to chance: “Miscalculation spirals into a"
        " NATO–Russia war” 8% (ending in “Wider NATO–Russia war”) and “Long war, then a"
        " frozen conflict” 92% (ending in “Long war or frozen conflict”).",
        "Under this policy the chances of the outcomes are “Long war or frozen conflict”"
        " 65.6%, “Negotiated settlement, face saved” 30% and “Wider NATO–Russia war” 4.4%.",
        "At the start, the expected utility is -12.4 for Western capitals, -15.1 for Kyiv"
        " and -12.7 for The Kremlin.")
    assert told.outcomes == pytest.approx({"long_war": 0.656, "settlement": 0.3,
                                           "wider_war": 0.044})


def test_a_decision_off_the_path_and_the_trees_number_format(offramp):
    offramp.display = {"decimals": 3}
    try:
        told = explain(offramp, ["defeat_measured.stall"], thresholds=False)
    finally:
        offramp.display = None
    [stall] = told.decisions
    assert not stall.reached and stall.flips is None
    assert stall.sentences[1] == ("The solved policy does not reach this decision: this is"
                                  " what The Kremlin would do if play got here.")
    assert re.search(r"\d\.\d{3} behind", stall.text)
    assert "change it" not in stall.text


def test_only_decisions_are_explained(offramp):
    with pytest.raises(ExplainError, match="^“Battlefield, next year” is a chance node, not a"
                                           " decision: there is no choice to explain$"):
        explain(offramp, ["offramp_pledges"])
    with pytest.raises(ExplainError, match="is an ending, not a decision"):
        explain(offramp, ["settle.accept.holds"])
    with pytest.raises(ExplainError, match='there is no node "nope"'):
        explain(offramp, ["nope"])


def test_the_json_document(told):
    document = json.loads(json.dumps(told.to_json(), allow_nan=False))
    assert set(document) == {"format", "version", "title", "equilibrium", "simulation",
                             "decisions", "narrative", "outcomes", "values"}
    stall = document["decisions"][3]
    assert stall["runner_up"] == "offramp_pledges.stall.accept"
    assert [t["variable"] for t in stall["thresholds"]] == ["face_value", "defeat_face_loss",
                                                            "kremlin_cost_weight"]
    assert stall["thresholds"][0]["thresholds"] == [56.224999999999994]
    assert stall["sentences"] == list(told.decisions[3].sentences)


# ---- kinds of decision ----------------------------------------------------------------
def test_an_assumed_decision_is_told_by_its_chances():
    tree = load(ROOT / "tests" / "data" / "conformance" / "assumed-gambler.json")
    told = explain(tree)
    corner = told.decision("corner")
    assert corner.kind == ASSUMED and corner.runner_up is None and corner.flips is None
    assert corner.sentences == (
        "At “Corner him”, Kremlin’s choice is assumed, not solved: “Raise the stakes” 30% and"
        " “Fold” 70%. With chances rather than a choice, there is no threshold to find.",
        "Were Kremlin to choose, “Fold” would be worth most to it (-30.0).")
    assert "Kremlin is assumed to choose at “Corner him” with these chances: “Raise the"\
           " stakes” 30% and “Fold” 70%." in told.narrative[1]


def test_a_tie_a_single_branch_and_a_chance_at_the_root():
    tree = text({"title": "Coin", "root": {"id": "coin", "type": "chance", "name": "A coin",
                                           "children": [
        {"id": "heads", "branch": "Heads", "probability": 0.5, "type": "decision",
         "name": "Pick", "children": [leaf("a", 1, branch="Left"), leaf("b", 1, branch="Right")]},
        {"id": "tails", "branch": "Tails", "probability": 0.5, "type": "decision",
         "name": "Only", "children": [leaf("z", 3, branch="Stay")]}]}})
    told = explain(tree)
    pick, only = told.decisions
    assert pick.tie and pick.margin == 0 and pick.runner_up.label == "Right"
    assert pick.sentences[1] == ("It is a tie: “Right” is worth as much to Decision maker"
                                 " (1.00), and the first in the tree’s order is taken.")
    assert only.kind == SINGLE and only.sentences == (
        "At “Only”, Decision maker has one branch only, “Stay”: there is nothing to compare.",)
    assert told.narrative[0] == "“A coin” is left to chance: “Heads” 50% and “Tails” 50%."
    assert told.narrative[1] == ("If “Heads”, Decision maker chooses “Left” (a tie) at"
                                 " “Pick”, which ends the tree.")


def test_a_risk_attitude_is_weighed_in_certainty_equivalents():
    tree = text({"title": "Gambling for resurrection",
                 "criteria": [{"id": "regime", "name": "Regime survival"}],
                 "players": [{"id": "kremlin", "name": "The Kremlin", "weights": {"regime": 1},
                              "utility": {"kind": "exponential", "risk_tolerance": -20}}],
                 "root": {"id": "k", "type": "decision", "player": "kremlin", "name": "Gamble?",
                          "children": [
                     {"id": "escalate", "branch": "Escalate", "type": "chance", "children": [
                         leaf("wins", 100, probability=0.2), leaf("loses", -60, probability=0.8)]},
                     leaf("accept", -20, branch="Accept the losses")]}})
    results = evaluate_tree(tree)
    [gamble] = explain(tree).decisions
    assert gamble.risk and gamble.chosen.label == "Escalate"
    assert gamble.margin_certainty == (results.certainty[results.index("escalate"), 0]
                                       - results.certainty[results.index("accept"), 0])
    assert gamble.margin == pytest.approx(-8)
    assert gamble.sentences[1] == (
        "The Kremlin weighs risk, so it compares certainty equivalents: the runner-up,"
        " “Accept the losses”, is 87.8 behind (67.8 against -20.0); in expected utility"
        " “Escalate” is worth 8.00 less (-28.0 against -20.0).")
    assert gamble.sentences[2].startswith("In expected totals, what separates them")


def test_a_game_with_information_sets_is_told_by_its_first_equilibrium():
    tree = load(TREES / "resolve.json")
    told = explain(tree)
    assert told.equilibrium == {"shown": 1, "of": 8, "complete": True}
    assert told.decisions and all(d.held and d.flips is None for d in told.decisions)
    first = told.decisions[0]
    assert ("The equilibrium shown (the first of 8) holds this choice: it is made for the"
            " whole information set “Resolved West chooses its rhetoric”") in first.text
    assert first.sentences[-1] == "No threshold is sought for a choice an equilibrium holds."
    assert list(first.said) == ["decision", "equilibrium", "margin", "criteria", "thresholds"]
    shares = choice_shares(flatten(tree), 50, seed=2)  # a held choice is made in every sample
    assert all(d.holding is None for d in explain(tree, simulation=shares).decisions)
    assert told.narrative[0].startswith("This game of private information has 8 perfect"
                                        " Bayesian equilibria in pure strategies")


# ---- Monte Carlo ----------------------------------------------------------------------
def test_how_often_a_choice_holds_is_the_monte_carlos_chance_of_being_best(offramp):
    flat = flatten(offramp)
    shares = choice_shares(flat, 1500, seed=11)
    simulated = simulate(flat, subject(flat), 1500, 11)
    told = explain(offramp, simulation=shares, thresholds=False)
    root = told.decisions[0].holding
    assert (root.samples, root.valid, root.seed) == (1500, simulated.valid, 11)
    assert root.shares == pytest.approx(
        {k: v["probability_best"] for k, v in simulated.summary().items()}, abs=1e-12)
    assert told.decisions[0].sentences[-1].startswith(
        "Across 1,500 samples of the uncertain variables, Western capitals chooses “Support"
        " Ukraine while keeping an off-ramp open” in ")
    assert told.simulation == {"samples": 1500, "seed": 11}
    for decision in told.decisions:  # the share of each choice at each decision
        assert sum(decision.holding.shares.values()) == pytest.approx(1)


def test_a_monte_carlo_run_of_one_decision_says_how_often_it_holds(offramp):
    flat = flatten(offramp)
    run = MONTE_CARLO.run(flat, MonteCarloParameters(samples=400, seed=3,
                                                     node="offramp_pledges.stall"))
    told = explain(offramp, simulation=run, thresholds=False)
    stall = told.decision("offramp_pledges.stall")
    expected = run.result.summary()["offramp_pledges.stall.grind"]["probability_best"]
    assert stall.holding.share == expected
    assert [d.holding is None for d in told.decisions] == [True, True, True, False]
    # valued by another player than the decider: not how often its choice holds
    other = MONTE_CARLO.run(flat, MonteCarloParameters(
        samples=400, seed=3, node="offramp_pledges.stall", player="west"))
    assert explain(offramp, simulation=other, thresholds=False).decisions[3].holding is None


def test_choice_shares_count_every_decision(offramp):
    flat = flatten(offramp)
    shares = choice_shares(flat, 200, seed=1)
    decisions = np.flatnonzero(flat.kind == 2)
    assert (shares.valid[decisions] == 200).all()
    for i in decisions.tolist():
        assert shares.counts[list(flat.children(i))].sum() == 200
