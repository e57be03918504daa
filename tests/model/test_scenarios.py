"""What-if values over the base case, scenarios set over it, and how both follow a
rename or a removal: model/scenarios.py, and the file they are written to."""
from __future__ import annotations

import json

import pytest

from offramp_gui.api import load_text
from offramp_gui.fileformat.json_io import dumps
from offramp_gui.model import refactor, scenarios
from offramp_gui.model.refactor import CRITERION, PLAYER, VARIABLE
from offramp_gui.model.scenarios import (
    Scenario,
    Values,
    base_values,
    base_variable,
    base_weights,
    follow,
    matches,
    moved,
    over_base,
    what_if,
    with_values,
)

TREE = """{"format": "offramp-tree", "version": 1, "title": "T",
 "criteria": [{"id": "security", "name": "Security"}, {"id": "risk", "name": "Risk"}],
 "players": [{"id": "west", "name": "West", "weights": {"security": 0.6, "risk": 0.4}},
             {"id": "east", "name": "East", "weights": {"security": -1}}],
 "variables": [{"name": "p", "value": 0.3, "min": 0, "max": 1},
               {"name": "cost", "value": 100},
               {"name": "p2", "value": "p * 2"}],
 "scenarios": [{"name": "Hawk", "note": "They fold.", "variables": {"p": 0.1},
                "weights": {"east": {"risk": 0.5}}},
               {"name": "Dove", "variables": {"p": 0.6, "cost": 150}}],
 "root": {"id": "aim", "type": "decision", "player": "west", "children": [
   {"id": "push", "branch": "Push", "type": "chance", "payoff": {"security": "p2 * 10"},
    "children": [
     {"id": "fold", "branch": "They fold", "probability": "p", "type": "terminal",
      "payoff": {"security": 20, "risk": "-cost"}},
     {"id": "hold", "branch": "They hold", "probability": "#", "type": "terminal",
      "payoff": {"risk": -10}}]},
   {"id": "wait", "branch": "Wait", "type": "terminal", "payoff": {"security": 0}}]}}"""


@pytest.fixture
def tree():
    return load_text(TREE)


def move(tree, values: Values) -> None:
    """Set what-if values as the app does: variables, players and base case at once."""
    tree.variables, tree.players, tree.base_case = moved(tree, values)


def test_a_what_if_value_keeps_its_base_and_is_written_apart(tree):
    original = dumps(tree)
    move(tree, Values({"p": 0.45}, {"west": {"risk": 0.2}}))
    assert tree.variable("p").value == 0.45
    assert tree.base_case == Values({"p": 0.3}, {"west": {"risk": 0.4}})
    assert what_if(tree) == Values({"p": 0.45}, {"west": {"risk": 0.2}})
    assert base_values(tree).variables == {"p": 0.3, "cost": 100}
    written = json.loads(dumps(tree))
    assert written["variables"][0]["value"] == 0.3
    assert written["players"][0]["weights"] == {"security": 0.6, "risk": 0.4}
    assert written["what_if"] == {"variables": {"p": 0.45}, "weights": {"west": {"risk": 0.2}}}
    # Read again, it opens with the what-if values over the same base case.
    again = load_text(dumps(tree))
    assert again.variable("p").value == 0.45 and again.base_case == tree.base_case
    tree.variables, tree.players = with_values(tree, Values())
    tree.base_case = None
    assert dumps(tree) == original


def test_moving_back_to_the_base_ends_the_what_if_and_takes_the_base_number(tree):
    move(tree, Values({"cost": 120.0}))
    assert tree.base_case == Values({"cost": 100})
    move(tree, Values({"cost": 100.0}))
    assert tree.base_case is None
    value = tree.variable("cost").value
    assert value == 100 and isinstance(value, int)  # written "100", as the file had it


def test_a_weight_the_base_case_does_not_give_comes_back_absent(tree):
    original = dumps(tree)
    move(tree, Values(weights={"east": {"risk": 0.3}}))
    assert tree.players[1].weights == {"security": -1, "risk": 0.3}
    assert tree.base_case == Values(weights={"east": {"risk": None}})
    assert base_values(tree).weights["east"] == {"security": -1}
    written = json.loads(dumps(tree))
    assert written["players"][1]["weights"] == {"security": -1}
    assert written["what_if"] == {"weights": {"east": {"risk": 0.3}}}
    again = load_text(dumps(tree))
    assert again.base_case == tree.base_case and again.players == tree.players
    # Moved back to 0 by hand, or put back with the base case: no weight, as before.
    move(tree, Values(weights={"east": {"risk": 0}}))
    assert tree.base_case is None and dumps(tree) == original
    move(again, Values())
    again.variables, again.players = with_values(again, Values())
    again.base_case = None
    assert dumps(again) == original


def test_a_scenario_is_set_over_the_base_case(tree):
    move(tree, Values({"cost": 130}, {"west": {"security": 1}}))
    hawk, dove = tree.scenarios
    variables, players, base = over_base(tree, hawk.values)
    assert [v.value for v in variables] == [0.1, 100, "p * 2"]  # cost back to its base
    assert players[0].weights == {"security": 0.6, "risk": 0.4}
    assert players[1].weights == {"security": -1, "risk": 0.5}
    assert base == Values({"p": 0.3}, {"east": {"risk": None}})
    assert with_values(tree, dove.values)[0][1].value == 150
    tree.variables, tree.players, tree.base_case = variables, players, base
    assert matches(tree, hawk.values) and not matches(tree, dove.values)
    assert not matches(tree, Values())
    tree.variables, tree.players = with_values(tree, Values())
    tree.base_case = None
    assert matches(tree, Values())
    assert matches(tree, Values({"cost": 100}, {"east": {"risk": 0}}))  # (as the base has)
    assert not matches(tree, Values({"cost": 101}))


@pytest.mark.parametrize("kind, old, new", [
    (VARIABLE, "p", "p_fold"), (PLAYER, "east", "kremlin"), (CRITERION, "risk", "danger")])
def test_a_rename_follows_into_the_scenarios_and_the_base_case(tree, kind, old, new):
    move(tree, Values({"p": 0.45}, {"east": {"risk": 0.3}}))
    refactor.apply(tree, refactor.rename(tree, kind, old, new))
    hawk, dove = tree.scenarios
    named = {VARIABLE: lambda v: set(v.variables), PLAYER: lambda v: set(v.weights),
             CRITERION: lambda v: {c for w in v.weights.values() for c in w}}[kind]
    assert new in named(hawk.values) and old not in named(hawk.values)
    assert new in named(tree.base_case) and old not in named(tree.base_case)
    assert hawk.note == "They fold." and dove.name == "Dove"
    again = load_text(dumps(tree))  # and the file it writes opens
    assert again.scenarios == tree.scenarios and again.base_case == tree.base_case


@pytest.mark.parametrize("kind, key", [(VARIABLE, "p"), (PLAYER, "east"), (CRITERION, "risk")])
def test_a_removal_follows_into_the_scenarios_and_the_base_case(tree, kind, key):
    move(tree, Values({"p": 0.45}, {"east": {"risk": 0.3}}))
    changed = follow(tree, kind, key, None)
    hawk = changed["scenarios"][0]
    if kind == VARIABLE:
        assert hawk.values == Values({}, {"east": {"risk": 0.5}})
        assert changed["base_case"] == Values({}, {"east": {"risk": None}})
    else:
        assert hawk.values == Values({"p": 0.1}, {})
        assert changed["base_case"] == Values({"p": 0.3})
    refactor.apply(tree, refactor.remove(tree, kind, key))
    assert load_text(dumps(tree)).scenarios == tree.scenarios


def test_a_variable_removed_is_written_where_it_was_used_at_its_base_value(tree):
    move(tree, Values({"p": 0.45}))
    refactor.apply(tree, refactor.remove(tree, VARIABLE, "p"))
    assert tree.variable("p2").value == "0.3 * 2"
    assert tree.node("fold").probability == 0.3
    assert tree.base_case is None


def test_follow_leaves_alone_what_it_does_not_name(tree):
    assert follow(tree, VARIABLE, "cost_of_war", "cost_of_peace") == {}
    assert follow(tree, "outcome", "deal", "peace") == {}


def test_the_base_value_of_a_what_if_changes_without_moving_it(tree):
    move(tree, Values({"p": 0.45}))
    changed = base_variable(tree, "p", 0.25)
    assert set(changed) == {"base_case"} and changed["base_case"] == Values({"p": 0.25})
    refactor.apply(tree, refactor.Rewrite(changed))
    assert tree.variable("p").value == 0.45
    # A base equal to the what-if value ends it.
    refactor.apply(tree, refactor.Rewrite(base_variable(tree, "p", 0.45)))
    assert tree.base_case is None and tree.variable("p").value == 0.45
    # Without a what-if, the base value is the value.
    assert base_variable(tree, "cost", 90)["variables"][1].value == 90
    assert base_variable(tree, "cost", 100) == {}


def test_a_variable_made_a_formula_leaves_the_scenarios(tree):
    move(tree, Values({"p": 0.45}))
    changed = base_variable(tree, "p", "0.1 * 3")
    assert changed["base_case"] is None
    assert changed["variables"][0].value == "0.1 * 3"
    assert [s.values.variables for s in changed["scenarios"]] == [{}, {"cost": 150}]
    refactor.apply(tree, refactor.Rewrite(changed))
    assert load_text(dumps(tree)).scenarios == tree.scenarios  # (a scenario sets numbers)


def test_base_weights_as_base_variable(tree):
    move(tree, Values(weights={"west": {"risk": 0.2}}))
    changed = base_weights(tree, "west", {"risk": 0.5})
    assert changed == {"base_case": Values(weights={"west": {"risk": 0.5}})}
    changed = base_weights(tree, "east", {"risk": "p"})
    assert changed["players"][1].weights == {"security": -1, "risk": "p"}
    assert changed["scenarios"][0].values == Values({"p": 0.1}, {})
    assert base_weights(tree, "east", {"security": -1}) == {}


def test_a_tree_without_players_gets_its_implied_one():
    tree = load_text('{"format": "offramp-tree", "version": 1, "title": "T",'
                     ' "root": {"type": "terminal", "payoff": 1}}')
    changed = base_weights(tree, "decision-maker", {"value": 2})
    assert [p.weights for p in changed["players"]] == [{"value": 2}]


def test_restore_base_puts_the_base_case_back_for_the_command_line(tree):
    move(tree, Values({"p": 0.45}, {"east": {"risk": 0.3}}))
    scenarios.restore_base(tree)
    assert tree.base_case is None and tree.variable("p").value == 0.3
    assert tree.players[1].weights == {"security": -1}


def test_values_count_and_truth():
    assert not Values() and Values().count() == 0
    assert not Values(weights={"west": {}})
    assert Values({"p": 1}, {"west": {"a": 1, "b": None}}).count() == 3
    assert Scenario("Hawk").values == Values()
