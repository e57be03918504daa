"""Renaming and removing variables, players, criteria and outcomes rewrites every
reference, by the words of expressions, and leaves a tree that still checks."""
from __future__ import annotations

import json

import pytest

from offramp_gui.api import evaluate, load_text
from offramp_gui.fileformat.json_io import dumps
from offramp_gui.model import refactor
from offramp_gui.model.fields import FIELDS, Kind
from offramp_gui.model.refactor import (
    CRITERION,
    OUTCOME,
    PLAYER,
    VARIABLE,
    apply,
    make_id,
    make_variable_name,
    name_problem,
    replace_name,
    used_at,
)
from offramp_gui.model.tree import Criterion, Player
from offramp_gui.model.validate import validate

TREE = """{"format": "offramp-tree", "version": 1, "title": "T",
 "criteria": [{"id": "security", "name": "Security"}, {"id": "risk", "name": "Risk"}],
 "players": [{"id": "west", "name": "West", "weights": {"security": 0.6, "risk": 0.4}},
             {"id": "east", "name": "East", "weights": {"security": -1}}],
 "variables": [{"name": "p", "value": 0.3, "min": 0, "max": 1},
               {"name": "p2", "value": "p * 2"},
               {"name": "gain", "value": "max(p, 0.1) * 10"}],
 "outcomes": [{"id": "deal", "name": "Deal"}, {"id": "war", "name": "War"}],
 "root": {"id": "aim", "type": "decision", "player": "west", "name": "War aim", "children": [
   {"id": "push", "branch": "Push", "type": "chance", "payoff": {"security": "p + p2"},
    "children": [
     {"id": "fold", "branch": "They fold", "probability": "p", "type": "decision",
      "player": "east", "name": "East's answer", "children": [
       {"id": "fight", "branch": "Fight", "type": "terminal", "outcome": "war",
        "payoff": {"security": -50, "risk": "-gain"}},
       {"id": "talk", "branch": "Talk", "type": "terminal", "outcome": "deal",
        "payoff": {"security": 20}}]},
     {"id": "hold", "branch": "They hold", "probability": "#", "type": "terminal",
      "payoff": {"risk": "-p2"}}]},
   {"id": "wait", "branch": "Wait", "type": "terminal", "outcome": "deal", "payoff": 0}]}}"""


@pytest.fixture
def tree():
    return load_text(TREE.replace('"payoff": 0', '"payoff": {"security": 0}'))


def values(tree) -> dict:
    """Each node's expected amounts and utilities, as the engine works them out."""
    results = evaluate(tree)
    assert results.issues == ()
    return {node_id: (tuple(results.expected[i]), tuple(results.utility[i]))
            for node_id, i in results.flat.index.items()}


def test_replace_name_rewrites_words_only():
    assert replace_name("p + p2 * max(p, 1) - pp", "p", "q") == "q + p2 * max(q, 1) - pp"
    assert replace_name("p", "p", "(0.3)") == "(0.3)"
    assert replace_name("#", "p", "q") == "#"
    assert replace_name(0.5, "p", "q") == 0.5
    assert replace_name("p 'quoted'", "p", "q") == "p 'quoted'"  # unreadable: left as is


def test_renaming_a_variable_rewrites_every_expression(tree):
    before = values(tree)
    apply(tree, refactor.rename(tree, VARIABLE, "p", "p_fold"))
    assert [v.name for v in tree.variables] == ["p_fold", "p2", "gain"]
    assert tree.variable("p2").value == "p_fold * 2"
    assert tree.variable("gain").value == "max(p_fold, 0.1) * 10"
    assert tree.node("push").payoff == {"security": "p_fold + p2"}
    assert tree.node("fold").probability == "p_fold"
    assert tree.node("hold").payoff == {"risk": "-p2"}
    assert validate(tree) == []
    assert values(tree) == before


def test_renaming_ids_rewrites_references(tree):
    before = values(tree)
    for kind, old, new in [(PLAYER, "east", "rival"), (CRITERION, "risk", "danger"),
                           (OUTCOME, "deal", "peace")]:
        apply(tree, refactor.rename(tree, kind, old, new))
    assert tree.node("fold").player == "rival"
    assert tree.players[0].weights == {"security": 0.6, "danger": 0.4}
    assert tree.node("fight").payoff == {"security": -50, "danger": "-gain"}
    assert [tree.node(i).outcome for i in ("fight", "talk", "wait")] == ["war", "peace", "peace"]
    assert validate(tree) == []
    assert values(tree) == before


def test_every_reference_field_is_known():
    references = {f.name for f in FIELDS if f.kind is Kind.REFERENCE}
    assert references == set(refactor.REFERENCE_FIELDS)
    assert set(refactor.EXPRESSION_FIELDS) == {"probability", "payoff"}


def test_where_things_are_used(tree):
    assert used_at(tree, PLAYER, "east") == ["East's answer"]
    assert used_at(tree, OUTCOME, "deal") == ["Talk", "Wait"]
    assert used_at(tree, CRITERION, "risk") == ["Fight", "They hold"]
    assert used_at(tree, VARIABLE, "p") == ["Push", "East's answer", "variable p2",
                                            "variable gain"]
    assert used_at(tree, VARIABLE, "gain") == ["Fight"]


def test_removing_leaves_nothing_dangling(tree):
    before = values(tree)
    apply(tree, refactor.remove(tree, VARIABLE, "p"))
    assert tree.variable("p2").value == "0.3 * 2"
    assert tree.node("fold").probability == 0.3  # the value itself, not the text "0.3"
    assert values(tree) == before
    apply(tree, refactor.remove(tree, CRITERION, "risk"))
    assert tree.node("hold").payoff is None
    assert tree.players[0].weights == {"security": 0.6}
    apply(tree, refactor.remove(tree, OUTCOME, "deal"))
    assert tree.node("talk").outcome is None
    apply(tree, refactor.remove(tree, PLAYER, "west"))
    assert tree.node("aim").player is None
    assert validate(tree) == []


def test_a_weight_that_was_only_the_removed_variable_becomes_its_number(tree):
    tree.players[1].weights = {"security": "-p", "risk": "p"}
    before = values(tree)
    apply(tree, refactor.remove(tree, VARIABLE, "p"))
    assert tree.players[1].weights == {"security": -0.3, "risk": 0.3}
    assert values(tree) == before


def test_removing_a_variable_defined_by_an_expression_keeps_its_meaning(tree):
    before = values(tree)
    apply(tree, refactor.remove(tree, VARIABLE, "p2"))
    assert tree.node("push").payoff == {"security": "p + (p * 2)"}
    assert values(tree) == before


def test_first_explicit_player_and_criterion_keep_the_meaning():
    tree = load_text('{"format": "offramp-tree", "version": 1, "title": "T", "root": {'
                     '"id": "d", "type": "decision", "children": ['
                     '{"id": "a", "branch": "A", "type": "terminal", "payoff": 3},'
                     '{"id": "b", "branch": "B", "type": "terminal", "payoff": "1 + 1"}]}}')
    apply(tree, refactor.add_player(tree, Player("rival", "Rival", {"value": -1})))
    apply(tree, refactor.add_criterion(tree, Criterion("cost", "Cost")))
    assert [p.id for p in tree.players] == ["decision-maker", "rival"]
    assert tree.node("d").player == "decision-maker"
    assert tree.node("a").payoff == {"value": 3}
    assert tree.node("b").payoff == {"value": "1 + 1"}
    assert validate(tree) == []
    results = evaluate(tree)
    assert results.utility[results.index("d")][0] == 3
    saved = json.loads(dumps(tree))
    assert [c["id"] for c in saved["criteria"]] == ["value", "cost"]


def test_new_names():
    assert make_id("Allied security (score)", {"allied-security-score"}, "criterion") == \
        "allied-security-score-2"
    assert make_id("  ???  ", set(), "player") == "player"
    assert make_variable_name("p collapse", set()) == "p_collapse"
    assert make_variable_name("2nd try", set()) == "v_2nd_try"
    assert make_variable_name("max", {"v_max"}) == "v_max_2"
    assert name_problem(VARIABLE, "if", set()) is not None
    assert name_problem(VARIABLE, "p", {"p"}) == 'there is already a variable "p"'
    assert name_problem(PLAYER, "a b", set()) is not None
    assert name_problem(PLAYER, "a.b-c", set()) is None


def test_normalised():
    assert refactor.normalised({"a": 3, "b": 1}) == {"a": 0.75, "b": 0.25}
    assert refactor.normalised({"a": 1, "b": -1}) is None
    assert refactor.normalised({"a": "w", "b": 1}) is None
