"""`offramp equilibria`, and `offramp evaluate` on a tree with information sets: what a
user reads and the JSON a script reads."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BEER_QUICHE = ROOT / "tests" / "data" / "equilibria" / "beer-quiche.json"
RESOLVE = ROOT / "trees" / "resolve.json"


def offramp(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "offramp_gui", *map(str, args)],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)


def test_beer_quiche_lists_both_pooling_equilibria_with_the_intuitive_criterion():
    run = offramp("equilibria", BEER_QUICHE)
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "2 information sets (a signalling game); all 16 pure strategy profiles searched." \
        " 2 perfect Bayesian equilibria in pure strategies." in out
    assert "Equilibrium 1: pooling, survives the intuitive criterion" in out
    assert "Equilibrium 2: pooling, fails the intuitive criterion" in out
    # On beer: the receiver believes the prior after beer, and duels after quiche for
    # any belief that the sender is weak of at least 1/2 (Cho and Kreps 1987).
    assert "Weak 10.0%, Surly 90.0%" in out
    assert "off the path: any belief that it faces “Weak” of at least 50%" in out
    assert "Values at the root: Sender 2.90, Receiver 0.90" in out


def test_the_json_holds_strategies_beliefs_and_values():
    run = offramp("equilibria", BEER_QUICHE, "--json")
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert found["signalling"] is True and found["complete"] is True
    assert found["profiles"] == 16
    beer, quiche = found["equilibria"]
    assert beer["kind"] == "pooling" and beer["intuitive"] is True
    assert quiche["intuitive"] is False
    assert beer["strategy"] == {"after beer": "Don't", "after quiche": "Duel"}
    assert beer["beliefs"] == pytest.approx({"weak_beer": 0.1, "surly_beer": 0.9})
    assert beer["off_path_bounds"]["after quiche"]["weak_quiche"] == pytest.approx([0.5, 1])
    assert beer["values"] == pytest.approx({"s": 2.9, "r": 0.9})


def test_the_essays_game_has_eight_equilibria_and_evaluate_shows_the_first():
    run = offramp("equilibria", RESOLVE, "--json")
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert len(found["equilibria"]) == 8 and found["profiles"] == 5184
    first = found["equilibria"][0]
    assert first["strategy"]["Resolved West chooses its rhetoric"] == "Measured rhetoric"
    assert first["strategy"]["Calculating Kremlin, after measured rhetoric"] == "Take the deal"
    # Having heard measured rhetoric, the Kremlin believes the prior: resolved 60%.
    assert first["beliefs"]["calc-resolved-measured-kremlin"] == pytest.approx(0.6)
    assert first["outcomes"] == pytest.approx({"settlement": 0.7, "long_war": 0.3})

    shown = offramp("evaluate", RESOLVE)
    assert shown.returncode == 0, shown.stderr
    assert "Information sets: 8 perfect Bayesian equilibria in pure strategies; below, the" \
        " first" in shown.stdout
    document = json.loads(offramp("evaluate", RESOLVE, "--json").stdout)
    assert document["equilibrium"] == {"shown": 1, "of": 8, "complete": True}
    assert document["nodes"]["kremlin-type"]["utility"]["west"] == pytest.approx(
        first["values"]["west"])


def test_a_tree_without_information_sets_has_backward_inductions_one():
    run = offramp("equilibria", ROOT / "trees" / "cuban-missile-crisis-1962.json")
    assert run.returncode == 0, run.stderr
    assert "No information sets" in run.stdout
    assert run.stdout.count("Equilibrium 1") == 1 and "Equilibrium 2" not in run.stdout
    plain = json.loads(offramp("evaluate", ROOT / "trees" / "cuban-missile-crisis-1962.json",
                               "--json").stdout)
    assert "equilibrium" not in plain


def test_a_broken_set_is_named_and_nothing_is_solved(tmp_path):
    doc = json.loads(BEER_QUICHE.read_text(encoding="utf-8"))
    surly = doc["root"]["children"][1]
    surly["children"][0]["children"].reverse()  # "after beer": branches in another order
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    run = offramp("equilibria", path)
    assert run.returncode == 1
    assert "are in the information set “after beer” but have different branches" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_value_that_breaks_the_tree_is_an_error_not_a_search(tmp_path):
    run = offramp("equilibria", RESOLVE, "--set", "p_gambler=2")
    assert run.returncode == 1
    assert "cannot be evaluated" in run.stderr


def test_var_says_where_the_set_of_equilibria_changes():
    run = offramp("equilibria", RESOLVE, "--var", "rhetoric_stakes")
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "rhetoric_stakes from 0 to 3.125: 11 equilibria, 3 ways of playing" in out
    assert "rhetoric_stakes from 3.125 to 50: 8 equilibria" in out
    assert "At rhetoric_stakes = 3.125: the 8 equilibria in which the players choose" \
        " Maximalist rhetoric at “Resolved West chooses its rhetoric”" in out
    assert "Western capitals 0.43, The Kremlin -34.25" in out


def test_var_json_lists_intervals_and_switches():
    run = offramp("equilibria", RESOLVE, "--var", "p_resolved", "--from", "0.4",
                  "--to", "0.6", "--points", "9", "--json")
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert found["variable"] == "p_resolved" and found["complete"] is True
    assert [(i["from"], i["count"]) for i in found["intervals"]] == [
        (0.4, 5), (pytest.approx(0.5197, abs=1e-4), 8)]
    switch, = found["switches"]
    assert switch["disappear"] == [] and len(switch["appear"]) == 3
    assert switch["appear_by"]["Hesitant West, after measured rhetoric and escalation"] \
        == "Back down"
    assert found["intervals"][0]["equilibria"][0]["values"]["west"] == pytest.approx(0.425)


def test_var_errors_are_one_line():
    unknown = offramp("equilibria", RESOLVE, "--var", "nope")
    assert unknown.returncode == 1
    assert unknown.stderr.strip().splitlines() == [
        'offramp: there is no variable "nope"; the variables are p_gambler, p_resolved,'
        " p_nuclear_calculating, p_nuclear_gambler, gambler_face, gambler_deal_loss,"
        " deal_face_loss, rhetoric_stakes, rhetoric_deterrence, audience_cost,"
        " hesitation_cost, nuclear_cost, miscalculation"]
    assert offramp("equilibria", RESOLVE, "--from", "1").returncode == 2
    assert offramp("equilibria", RESOLVE, "--var", "p_resolved", "--points", "1"
                   ).returncode == 2


def test_a_sweep_of_a_game_says_where_its_set_of_equilibria_changes():
    run = offramp("sensitivity", RESOLVE, "--var", "rhetoric_stakes", "--node", "kremlin-type")
    assert run.returncode == 0, run.stderr
    assert "the sweep holds its first equilibrium's strategy" in run.stdout
    assert "The set of equilibria changes at rhetoric_stakes = 3.125" in run.stdout
    document = json.loads(offramp("sensitivity", RESOLVE, "--var", "rhetoric_stakes",
                                  "--node", "kremlin-type", "--json").stdout)
    assert document["equilibria_change_at"] == pytest.approx([3.125])
    # A threshold on a decision whose choice the equilibrium holds is refused, saying
    # where to look instead.
    refused = offramp("threshold", RESOLVE, "--node", "calc-resolved-measured-kremlin",
                      "--var", "rhetoric_stakes")
    assert refused.returncode == 1
    assert "offramp equilibria --var" in refused.stderr


def test_one_equilibrium_is_counted_in_the_singular():
    run = offramp("equilibria", ROOT / "trees" / "reference" / "fearon-1995.json")
    assert run.returncode == 0, run.stderr
    assert "all 5 pure strategy profiles searched. 1 perfect Bayesian equilibrium in pure" \
        " strategies." in run.stdout
