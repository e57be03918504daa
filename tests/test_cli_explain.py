"""`offramp explain` (docs/cli.md): the runner-up and margin as `offramp evaluate --json`
gives them, the thresholds as `offramp threshold` gives them, the --json document, and
one-line errors."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from offramp_gui.cli import main

ROOT = Path(__file__).resolve().parent.parent
OFFRAMP = ROOT / "trees" / "offramp.json"
KEYS = {"format", "version", "title", "equilibrium", "simulation", "decisions", "narrative",
        "outcomes", "values"}
DECISION_KEYS = {"node", "name", "player", "kind", "reached", "reach", "tie", "held",
                 "information_set", "chosen", "runner_up", "margin", "margin_certainty",
                 "alternatives", "criteria", "thresholds", "tried", "holds", "sentences",
                 "said"}


def run(capsys, *args) -> tuple[int, str, str]:
    try:
        code = main([str(a) for a in args])
    except SystemExit as stop:  # argparse: the command line itself is wrong
        code = stop.code
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "internal error" not in err, err
    return code, out, err


def run_json(capsys, *args) -> dict:
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out, parse_constant=lambda word: pytest.fail(f"{word} in JSON"))


def test_runner_up_and_margin_are_the_evaluations(capsys):
    told = run_json(capsys, "explain", OFFRAMP)
    nodes = run_json(capsys, "evaluate", OFFRAMP)["nodes"]
    assert set(told) == KEYS and told["format"] == "offramp-explanation"
    assert [d["node"] for d in told["decisions"]] == [
        "aim", "offramp", "offramp_pledges.rout", "offramp_pledges.stall"]
    for decision in told["decisions"]:
        assert set(decision) == DECISION_KEYS
        player, chosen, other = decision["player"], decision["chosen"], decision["runner_up"]
        assert chosen == nodes[decision["node"]]["choice"]
        utility = {a["id"]: nodes[a["id"]]["utility"][player] for a in decision["alternatives"]}
        assert other == max((k for k in utility if k != chosen), key=utility.get)
        assert decision["margin"] == utility[chosen] - utility[other]
        label = next(a["label"] for a in decision["alternatives"] if a["id"] == other)
        assert f"The runner-up is “{label}”" in " ".join(decision["sentences"])
    assert told["values"] == {p: nodes["aim"]["utility"][p] for p in told["values"]}


@pytest.mark.parametrize("node, variable", [
    ("offramp_pledges.stall", "face_value"), ("offramp_pledges.stall", "defeat_face_loss"),
    ("aim", "defeat_face_loss"), ("aim", "p_collapse"), ("offramp", "defeat_face_loss")])
def test_the_thresholds_are_those_of_offramp_threshold(capsys, node, variable):
    told = run_json(capsys, "explain", OFFRAMP, "--node", node, "--set", "pledge_cost=6")
    found = run_json(capsys, "threshold", OFFRAMP, "--node", node, "--var", variable,
                     "--set", "pledge_cost=6")
    [decision] = told["decisions"]
    [flip] = [f for f in decision["thresholds"] if f["variable"] == variable]
    assert flip["thresholds"] == found["thresholds"] and len(found["thresholds"]) >= 1
    assert flip["intervals"] == found["intervals"]
    assert (flip["from"], flip["to"]) == (found["from"], found["to"])
    assert "pledge_cost" not in decision["tried"]  # held at the value given


def test_the_summary_names_labels_and_thresholds_never_ids(capsys):
    code, out, err = run(capsys, "explain", OFFRAMP)
    assert code == 0 and err == ""
    assert out.startswith("Putin needs an off-ramp\n\n“Western war aim” (Western capitals)\n")
    prose = " ".join(out.split())
    assert ("face_value above 56.225 (now 40), for “Accept a face-saving deal”;"
            " defeat_face_loss below 53.775 (now 70), for “Accept a face-saving deal”;"
            " kremlin_cost_weight above 0.339791 (now 0), for “Accept a face-saving deal”."
            ) in prose
    assert "\nThe solved path\n" in out
    ids = json.loads(OFFRAMP.read_text())
    for node_id in _ids(ids["root"]):
        if "." in node_id or "_" in node_id:  # ("aim", "defeat" are words of labels too)
            assert not re.search(rf"(?<![\w.]){re.escape(node_id)}(?![\w.])", out), node_id


def _ids(node: dict) -> list[str]:
    return [node["id"], *(i for child in node.get("children", []) for i in _ids(child))]


def test_a_decision_named_by_its_label(capsys):
    code, out, _err = run(capsys, "explain", OFFRAMP, "--node", "kyiv's  PLEDGES")
    assert code == 0
    assert out.splitlines()[2] == "“Kyiv's pledges” (Kyiv)"
    assert "The solved path" not in out


def test_how_often_each_choice_holds(capsys):
    told = run_json(capsys, "explain", OFFRAMP, "-n", "800", "--seed", "5")
    simulated = run_json(capsys, "simulate", OFFRAMP, "-n", "800", "--seed", "5")
    root = told["decisions"][0]
    assert told["simulation"] == {"samples": 800, "seed": 5}
    assert root["holds"]["share"] == pytest.approx(
        simulated["alternatives"][root["chosen"]]["probability_best"], abs=1e-12)
    code, out, _err = run(capsys, "explain", OFFRAMP, "--node", "aim", "-n", "800",
                          "--seed", "5")
    assert "How often each choice holds: 800 samples of the uncertain variables, seed 5" in out
    assert "Across 800 samples of the uncertain variables, Western capitals chooses" in " ".join(
        out.split())


@pytest.mark.parametrize("node, message", [
    ("nope", 'offramp: --node "nope": there is no node with this id or label\n'),
    ("Kyivs pledges", 'offramp: --node "Kyivs pledges": there is no node with this id or'
                      ' label; did you mean "Kyiv\'s pledges", "No pledges"?\n'),
    ("Kremlin response to a stalemate",
     'offramp: --node "Kremlin response to a stalemate": 4 decisions have this label; give'
     " the id of the one you mean (defeat_max.stall, defeat_measured.stall,"
     " offramp_pledges.stall, offramp_no_pledges.stall)\n"),
    ("offramp_pledges", "offramp: “Battlefield, next year” is a chance node, not a decision:"
                        " there is no choice to explain\n"),
])
def test_a_bad_node_is_one_line_and_exit_status_1(capsys, node, message):
    code, out, err = run(capsys, "explain", OFFRAMP, "--node", node)
    assert (code, out, err) == (1, "", message)


def test_a_seed_without_samples_is_a_mistake_of_the_command_line(capsys):
    code, _out, err = run(capsys, "explain", OFFRAMP, "--seed", "3")
    assert code == 2 and err == ("offramp: --seed goes with -n/--samples: give the number"
                                 " of samples too\n")
    code, _out, err = run(capsys, "explain", OFFRAMP, "-n", "0")
    assert code == 2 and "-n must be from 1 to 10,000,000, not 0" in err


def test_a_game_with_information_sets(capsys):
    told = run_json(capsys, "explain", ROOT / "trees" / "resolve.json")
    assert told["equilibrium"] == {"shown": 1, "of": 8, "complete": True}
    assert all(d["held"] and d["thresholds"] is None for d in told["decisions"])


def test_a_scenario_is_explained_in_its_own_world(capsys):
    """In "As the essay argues" (face_value 60, over the threshold of 56.225) the Kremlin
    takes the deal at a stalemate; the explanation says which world it is told in."""
    code, out, err = run(capsys, "explain", OFFRAMP, "--node", "offramp_pledges.stall",
                         "--scenario", "As the essay argues")
    assert code == 0, err
    assert out.splitlines()[1] == "In the scenario “As the essay argues”"
    assert "The Kremlin chooses “Accept a face-saving deal”" in out
    assert "The runner-up is “Grind on”" in out
    document = run_json(capsys, "explain", OFFRAMP, "--scenario", "As the essay argues")
    assert document["scenario"] == "As the essay argues"
    code, out, err = run(capsys, "explain", OFFRAMP, "--scenario", "Dove")
    assert code == 2
    assert err.startswith('offramp: --scenario Dove: there is no scenario "Dove"; the tree'
                          ' has "Base case", "As the essay argues", "Rhetoric commits the'
                          ' West", ')
