"""Scenarios compared side by side, and a choice made in one world and lived in another."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from offramp_gui import api
from offramp_gui.analysis.scenarios import BASE_CASE, compare, decide_and_live, variant
from offramp_gui.model.scenarios import Scenario, Values

TREES = Path(__file__).resolve().parents[2] / "trees"

# Kennedy's choice in miniature: an air strike pays off unless the Soviets in Cuba hold
# tactical nuclear weapons and use them; a quarantine is worth 0 either way.
CUBA = {
    "format": "offramp-tree", "version": 1, "title": "October 1962",
    "players": [{"id": "us", "name": "Washington", "weights": {"value": 1}}],
    "variables": [{"name": "p_tactical", "value": 0.5, "min": 0, "max": 1}],
    "scenarios": [{"name": "What Washington believed", "variables": {"p_tactical": 0}},
                  {"name": "What was true", "variables": {"p_tactical": 0.5}}],
    "root": {"id": "choice", "type": "decision", "name": "Response", "player": "us",
             "children": [
                 {"id": "strike", "branch": "Air strike", "type": "chance", "children": [
                     {"id": "used", "branch": "Tactical weapons used", "type": "terminal",
                      "probability": "p_tactical", "payoff": -100},
                     {"id": "removed", "branch": "Missiles removed", "type": "terminal",
                      "probability": "#", "payoff": 10}]},
                 {"id": "quarantine", "branch": "Quarantine", "type": "terminal",
                  "payoff": 0}]},
}


def test_deciding_without_knowing_of_the_weapons_costs_the_difference_in_the_true_world():
    tree = api.load_text(json.dumps(CUBA))
    believed, true = tree.scenarios
    worlds = decide_and_live(tree, believed, true, "us")
    assert worlds.choices == [("Response", "Air strike", "Quarantine")]
    # In the true world the strike is worth 0.5 * -100 + 0.5 * 10 = -45.
    assert worlds.value_of_policy == pytest.approx(-45)
    assert worlds.value_of_best == pytest.approx(0)
    assert worlds.regret == pytest.approx(45)
    assert worlds.to_json()["regret"] == pytest.approx(45)


def test_knowing_the_truth_leaves_no_regret():
    tree = api.load_text(json.dumps(CUBA))
    true = tree.scenarios[1]
    assert decide_and_live(tree, true, true, "us").regret == 0


def test_a_scenario_sets_its_values_over_the_base_case_not_over_the_what_if_values():
    doc = dict(CUBA, what_if={"variables": {"p_tactical": 0.9}})
    tree = api.load_text(json.dumps(doc))
    assert variant(tree, None).variable("p_tactical").value == 0.5
    assert variant(tree, Values({"p_tactical": 0.1})).variable("p_tactical").value == 0.1
    assert tree.variable("p_tactical").value == 0.9  # the tree itself is left as it was


def test_compare_lines_up_choices_values_and_outcome_chances_marking_differences():
    tree = api.load_text(json.dumps(CUBA))
    done = compare(tree, [Scenario(BASE_CASE), *tree.scenarios])
    assert [c.name for c in done.columns] == [BASE_CASE, "What Washington believed",
                                              "What was true"]
    (row,) = done.decisions
    assert (row.label, row.decider) == ("Response", "Washington")
    assert row.choices == ["Quarantine", "Air strike", "Quarantine"]
    assert row.differs
    strike, quarantine = done.alternatives
    assert strike.values == pytest.approx([-45, 10, -45])
    assert quarantine.values == [0, 0, 0] and not quarantine.differs
    assert done.to_json()["decisions"][0]["differs"] is True


def test_the_off_ramp_trees_scenarios_flip_the_kremlins_choice_at_a_stalemate():
    tree = api.load(Path(__file__).resolve().parents[2] / "trees" / "offramp.json")
    essay, rhetoric = tree.scenarios[:2]
    done = compare(tree, [Scenario(BASE_CASE), essay])
    stalemate = next(r for r in done.decisions if r.label.startswith(
        "Kremlin response to a stalemate"))
    assert stalemate.choices == ["Grind on", "Accept a face-saving deal"]
    differing = [r.label for r in done.decisions if r.differs]
    assert differing == ["Kremlin response to a stalemate"]
    both = compare(tree, [essay, rhetoric])
    assert both.decisions[0].choices == ["Support Ukraine while keeping an off-ramp open",
                                         "Seek Russia's defeat"]


@pytest.mark.parametrize("name", ["offramp.json", "rhetoric.json",
                                  "cuban-missile-crisis-1962.json"])
def test_the_apps_arrays_with_what_if_values_give_the_same_comparison(name):
    """The app hands over its own arrays, made with the what-if values of its sliders;
    each world's values are set over them, and every number is as if read afresh."""
    from offramp_gui.analysis.flatten import flatten
    from offramp_gui.analysis.scenarios import every_column, player_at_stake
    from offramp_gui.model.scenarios import with_values

    tree = api.load(TREES / name)
    moved = variant(tree, Values({v.name: (v.min + v.max) / 2 for v in tree.variables
                                  if v.min is not None and v.max is not None}))
    flat = flatten(moved)  # (the nodes are the same, the values are not)
    assert with_values(moved, Values()) != with_values(tree, Values())
    columns = every_column(tree)
    assert compare(tree, columns, flat=flat).to_json() == compare(tree, columns).to_json()
    believed, true = tree.scenarios[0], tree.scenarios[-1]
    player = player_at_stake(tree, believed, true)
    assert decide_and_live(tree, believed, true, player, flat=flat).to_json() == \
        decide_and_live(tree, believed, true, player).to_json()


@pytest.mark.parametrize("name", ["offramp.json", "rhetoric.json",
                                  "cuban-missile-crisis-1962.json"])
def test_the_settings_alone_with_the_apps_arrays_give_the_same_comparison(name):
    """What the app's worker has: a copy of the settings and the arrays, no nodes."""
    from offramp_gui.analysis.flatten import flatten
    from offramp_gui.analysis.scenarios import every_column, player_at_stake, served_by
    from offramp_gui.model.tree import Settings

    tree = api.load(TREES / name)
    flat = flatten(tree)
    columns = every_column(tree)
    assert served_by(flat, tree, columns)
    settings = Settings()
    settings.copy_settings_from(tree)
    assert compare(settings, columns, flat=flat).to_json() == compare(tree, columns).to_json()
    believed, true = tree.scenarios[0], tree.scenarios[-1]
    player = player_at_stake(tree, believed, true)
    assert player_at_stake(settings, believed, true, flat) == player
    assert decide_and_live(settings, believed, true, player, flat=flat).to_json() == \
        decide_and_live(tree, believed, true, player).to_json()


def test_a_game_or_a_tree_with_problems_is_not_served_by_its_arrays_alone():
    from offramp_gui.analysis.flatten import flatten
    from offramp_gui.analysis.scenarios import every_column, served_by

    game = api.load(TREES / "resolve.json")
    assert not served_by(flatten(game), game, every_column(game))
    tree = api.load_text(json.dumps(CUBA))
    tree.root.player = "nobody"  # (validate would say so: the nodes need a closer look)
    assert not served_by(flatten(tree), tree, tree.scenarios)
    tree.root.player = "us"
    assert served_by(flatten(tree), tree, tree.scenarios)
    assert not served_by(None, tree, tree.scenarios)
