"""Where the set of equilibria changes as one variable moves (analysis/equilibria_sweep.py)."""
from __future__ import annotations

from pathlib import Path

import pytest
from test_equilibria import beer_quiche

from offramp_gui.analysis.equilibria_sweep import equilibria_changes
from offramp_gui.analysis.sensitivity import AnalysisError
from offramp_gui.fileformat.json_io import read_file
from offramp_gui.model.tree import Variable

ROOT = Path(__file__).resolve().parents[2]


def resolve():
    return read_file(str(ROOT / "trees" / "resolve.json")).tree


def test_rhetoric_stakes_switches_where_the_calculating_kremlin_stops_taking_the_deal():
    # By hand, from trees/resolve.json: after maximalist rhetoric the calculating Kremlin
    # (weights sovereignty -0.1, nuclear_risk 0.1, regime_face 0.8) compares
    #   Take the deal: -0.1 * 15 + 0.8 * (-40 - s)      = -33.5 - 0.8 s
    #   Grind on:      -0.1 * -5 + 0.1 * -5 + 0.8 * -45 = -36
    # (deal_face_loss 40, miscalculation 5, s = rhetoric_stakes): the deal is better
    # iff s < 2.5 / 0.8 = 3.125. Below it the Wests can pool on maximalist rhetoric.
    sweep = equilibria_changes(resolve(), "rhetoric_stakes")
    assert (sweep.low, sweep.high) == (0, 50)
    assert [s.at for s in sweep.switches] == [pytest.approx(3.125, abs=1e-6)]
    assert [i.count for i in sweep.intervals] == [11, 8]
    assert sweep.complete
    below, above = sweep.intervals
    pooling = ("Resolved West chooses its rhetoric", "Maximalist rhetoric")
    assert sum(pooling in d.on_path for d in below.equilibria) == 8
    assert not any(pooling in d.on_path for d in above.equilibria)
    switch = sweep.switches[0]
    assert len(switch.disappear) == 8 and all(s[0] == "Maximalist rhetoric"
                                              for s in switch.disappear)
    assert switch.disappear_by == (
        pooling, ("Calculating Kremlin, after maximalist rhetoric", "Take the deal"),
        ("Hesitant West chooses its rhetoric", "Maximalist rhetoric"))
    # Equilibria that only change their off-path choice are said to change, not to go.
    assert [(c.set_name, c.before, c.after) for c in switch.changes] == [
        ("Calculating Kremlin, after maximalist rhetoric", "Take the deal", "Grind on")]
    assert 11 - len(switch.disappear) + len(switch.appear) == 8


def test_p_resolved_has_two_switches_and_a_narrower_range_one():
    tree = resolve()
    sweep = equilibria_changes(tree, "p_resolved")
    assert [i.count for i in sweep.intervals] == [5, 8, 10]
    assert [s.at for s in sweep.switches] == [pytest.approx(0.5197, abs=1e-4),
                                              pytest.approx(0.6471, abs=1e-4)]
    inside = equilibria_changes(tree, "p_resolved", 0.55, 0.6, points=5)
    assert [(i.low, i.high, i.count) for i in inside.intervals] == [(0.55, 0.6, 8)]
    assert inside.switches == ()


def test_beer_quiche_loses_both_pooling_equilibria_when_the_weak_are_the_likelier():
    # With P(weak) = p above 1/2 the receiver duels after the pooled message, so
    # pooling fails, and separating fails at any p (the weak would copy the surly):
    # two pooling equilibria below 1/2, none in pure strategies above.
    tree = beer_quiche()
    tree.variables = [Variable("p_weak", 0.1, 0.05, 0.95)]
    tree.root.children[0].probability = "p_weak"
    tree.root.children[1].probability = "1 - p_weak"
    sweep = equilibria_changes(tree, "p_weak", points=10)
    assert [i.count for i in sweep.intervals] == [2, 0]
    assert sweep.switches[0].at == pytest.approx(0.5, abs=1e-6)
    assert {d.kind for d in sweep.intervals[0].equilibria} == {"pooling"}
    assert len(sweep.switches[0].disappear) == 2 and not sweep.switches[0].appear


def test_a_tree_without_information_sets_has_one_interval():
    tree = read_file(str(ROOT / "trees" / "cuban-missile-crisis-1962.json")).tree
    name = tree.variables[0].name
    sweep = equilibria_changes(tree, name)
    assert len(sweep.intervals) == 1 and sweep.switches == ()
    assert sweep.intervals[0].count == 1


def test_an_unknown_variable_or_one_without_a_range_is_refused_in_words():
    with pytest.raises(AnalysisError, match='there is no variable "nope"; the variables'
                       ' are p_gambler, p_resolved'):
        equilibria_changes(resolve(), "nope")
    tree = beer_quiche()
    tree.variables = [Variable("p_weak", 0.1)]
    with pytest.raises(AnalysisError, match="the variable p_weak has no range"):
        equilibria_changes(tree, "p_weak")
    assert len(equilibria_changes(tree, "p_weak", 0.0, 1.0, points=2).intervals) == 1
