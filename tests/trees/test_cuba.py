"""The Cuban missile crisis tree: the ExComm's choice in the world it believed in on
16 October 1962, and what that choice would have cost in the world that was."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from offramp_gui import api
from offramp_gui.analysis.evaluate import Results, evaluate_tree
from offramp_gui.analysis.scenarios import decide_and_live, variant
from offramp_gui.fileformat import json_io
from offramp_gui.model.scenarios import Values

PATH = Path(__file__).resolve().parents[2] / "trees" / "cuban-missile-crisis-1962.json"
BELIEVED = "What Washington believed, 16 October 1962"
TRUE = "What was true"
STRIKE, QUARANTINE = "strike", "quarantine"
QUIET_DEAL = "quarantine.demand_jupiters.quiet_deal"

# Kennedy's weights: missiles out 0.3, war avoided 0.45, US standing 0.25.
# Khrushchev's: war avoided 0.4, face 0.6. Base values: p_general_war 0.3,
# p_tactical_use 0.2, nuclear_war_cost 100, limited_war_cost 40, delay_risk 5,
# strike_standing 30.
#
# The quarantine, in either world: Khrushchev demands the Jupiters and Kennedy removes
# them quietly (missiles out 50, war avoided -delay_risk = -5, standing 15):
#   Kennedy 0.3*50 + 0.45*(-5) + 0.25*15 = 16.5.
QUARANTINE_VALUE = 16.5
# Striking back in Berlin or Turkey is worth, to Khrushchev,
#   0.3*(-100) [general war] + 0.7*(0.4*(-40) + 0.6*(-40)) [limited war] = -58,
# and to Kennedy 0.3*(0.45*(-100) + 0.25*(-50)) + 0.7*(0.3*50 + 0.45*(-40)) = -19.35.
RETALIATION_VALUE = -19.35
# Believed (no tactical weapons, 10,000 troops): the invasion costs 40*10/42 = 9.524 on
# war avoided. Absorbing it is worth 0.4*(-9.524) + 0.6*(-70) = -45.81 > -58 to Khrushchev,
# so he absorbs, and the strike is worth 0.3*50 - 0.45*9.524 + 0.25*30 = 18.214 to Kennedy.
STRIKE_BELIEVED = 0.3 * 50 - 0.45 * 40 * 10 / 42 + 0.25 * 30
# True (the weapons there, 42,000 troops): absorbing is worth
# 0.2*(-100) + 0.8*(0.4*(-40) + 0.6*(-70)) = -66.4 < -58, so Khrushchev strikes back and
# the strike is worth -19.35. Regret: 16.5 - (-19.35) = 35.85.
REGRET = QUARANTINE_VALUE - RETALIATION_VALUE


def tree():
    return api.load(PATH)


def scenario(name):
    return next(s for s in tree().scenarios if s.name == name)


def solved(values: Values | None) -> Results:
    return evaluate_tree(variant(tree(), values))


def kennedy(results: Results, node: str) -> float:
    return float(results.utility[results.index(node), results.flat.players.index("kennedy")])


def test_in_the_world_washington_believed_in_the_air_strike_is_narrowly_best():
    results = solved(scenario(BELIEVED).values)
    assert results.chosen_id("response") == STRIKE
    assert results.chosen_id(STRIKE) == "strike.absorb"
    assert kennedy(results, STRIKE) == pytest.approx(STRIKE_BELIEVED)
    assert kennedy(results, QUARANTINE) == pytest.approx(QUARANTINE_VALUE)
    assert STRIKE_BELIEVED - QUARANTINE_VALUE == pytest.approx(1.714, abs=1e-3)


def test_in_the_world_that_was_the_quarantine_is_best_and_khrushchev_would_strike_back():
    results = solved(scenario(TRUE).values)
    assert results.chosen_id("response") == QUARANTINE
    assert results.chosen_id("quarantine.demand_jupiters") == QUIET_DEAL
    assert results.chosen_id(STRIKE) == "strike.retaliate"
    assert kennedy(results, STRIKE) == pytest.approx(RETALIATION_VALUE)


def test_the_base_case_is_what_was_true_and_its_path_the_actual_resolution():
    base, true = solved(None), solved(scenario(TRUE).values)
    assert (base.utility == true.utility).all()
    assert base.chosen_id("response") == QUARANTINE
    assert kennedy(base, "response") == pytest.approx(QUARANTINE_VALUE)
    assert base.reach[base.index(QUIET_DEAL)] == 1


def test_the_strike_chosen_in_the_believed_world_costs_the_difference_in_the_true_one():
    worlds = decide_and_live(tree(), scenario(BELIEVED), scenario(TRUE), "kennedy")
    assert worlds.choices[0] == ("Kennedy's response to the missiles in Cuba",
                                 "Air strike, then invasion", "Naval quarantine (blockade)")
    assert worlds.value_of_policy == pytest.approx(RETALIATION_VALUE)
    assert worlds.value_of_best == pytest.approx(QUARANTINE_VALUE)
    assert worlds.regret == pytest.approx(REGRET) and worlds.regret == pytest.approx(35.85)


def test_knowing_of_the_weapons_alone_would_have_made_the_quarantine_best():
    # With 10,000 troops, the weapons there: Khrushchev still absorbs the blow (-56.6 is
    # above -58), but they are fired 20% of the time, and the strike falls to 3.07.
    results = solved(Values({"p_tactical_in_cuba": 1, "soviet_troops": 10}))
    assert results.chosen_id("response") == QUARANTINE
    assert results.chosen_id(STRIKE) == "strike.absorb"
    assert kennedy(results, STRIKE) == pytest.approx(3.0714, abs=1e-4)


@pytest.mark.parametrize("p_tactical_use", [0.05, 0.5])
def test_how_likely_the_weapons_are_fired_does_not_move_the_regret(p_tactical_use):
    # Why Castro is not a player: urging their use only raises p_tactical_use, and in the
    # true world Khrushchev strikes back rather than absorb an invasion anyway.
    true = scenario(TRUE)
    true.values.variables["p_tactical_use"] = p_tactical_use
    worlds = decide_and_live(tree(), scenario(BELIEVED), true, "kennedy")
    assert worlds.regret == pytest.approx(REGRET)


def test_every_variable_says_where_it_comes_from_and_every_work_cited_is_a_source():
    loaded = tree()
    listed = {(s.get("author", ""), str(s.get("year"))) for s in loaded.sources or []}
    for variable in loaded.variables:
        assert variable.source, f"{variable.name} has no source"
        assert variable.source.startswith(("Illustrative", "Historical record")), variable.name
        for group in re.findall(r"\(([^()]*\d{4})\)", variable.source):
            for cited in group.split(";"):
                names, year = cited.strip().rsplit(" ", 1)
                surname = names.split(" and ")[0]
                assert any(surname in author and year == listed_year
                           for author, listed_year in listed), f"{cited} is not a source"


def test_the_file_is_written_canonically():
    assert json_io.dumps(tree()) == PATH.read_text(encoding="utf-8")
