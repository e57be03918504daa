"""Risk attitudes from the command line (issue 15): `evaluate` text and JSON, both readers,
and a utility that is not valid."""
from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

from offramp_gui.fileformat.fastpath import read_plain
from offramp_gui.fileformat.json_io import read_file

ROOT = Path(__file__).resolve().parent.parent

KREMLIN = {
    "format": "offramp-tree", "version": 1, "title": "Gambling for resurrection",
    "criteria": [{"id": "regime", "name": "Regime survival"}],
    "players": [{"id": "kremlin", "name": "The Kremlin", "weights": {"regime": 1},
                 "utility": {"kind": "exponential", "risk_tolerance": "r_kremlin"}},
                {"id": "west", "name": "The West", "weights": {"regime": -1}}],
    "variables": [{"name": "r_kremlin", "value": -1000, "min": -1000, "max": -1}],
    "root": {"id": "kremlin", "type": "decision", "player": "kremlin", "children": [
        {"id": "escalate", "branch": "Escalate", "type": "chance", "children": [
            {"id": "wins", "type": "terminal", "probability": 0.2, "payoff": {"regime": 100}},
            {"id": "loses", "type": "terminal", "probability": 0.8,
             "payoff": {"regime": -60}}]},
        {"id": "accept", "branch": "Accept", "type": "terminal", "payoff": {"regime": -20}}]}}


def offramp(*args: str | Path) -> subprocess.CompletedProcess:
    run = subprocess.run([sys.executable, "-m", "offramp_gui", *map(str, args)],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert "Traceback" not in run.stderr + run.stdout
    return run


def write(folder: Path, doc: dict) -> Path:
    path = folder / "tree.json"
    path.write_text(json.dumps(doc, indent=2))
    return path


def test_evaluate_json_carries_the_certainty_equivalents(tmp_path):
    run = offramp("evaluate", write(tmp_path, KREMLIN), "--json", "--set", "r_kremlin=-20")
    assert run.returncode == 0
    doc = json.loads(run.stdout)
    assert doc["utilities"] == {"kremlin": "exponential", "west": "linear"}
    escalate = doc["nodes"]["escalate"]
    assert list(escalate) == ["type", "expected", "utility", "certainty", "choice", "tie",
                              "reach", "outcomes"]
    # CE = -R ln(0.2 e^(-100/R) + 0.8 e^(60/R)) with R = -20: 20 ln(0.2 e^5 + 0.8 e^-3)
    ce = 20 * math.log(0.2 * math.exp(5) + 0.8 * math.exp(-3))
    assert math.isclose(escalate["certainty"]["kremlin"], ce, rel_tol=1e-14)
    assert escalate["utility"] == {"kremlin": -28.0, "west": 28.0}
    assert escalate["certainty"]["west"] == 28.0  # risk-neutral: its expected utility
    assert doc["nodes"]["kremlin"]["choice"] == "escalate"


def test_evaluate_without_a_risk_attitude_has_no_new_keys(tmp_path):
    plain = {**KREMLIN, "players": [{"id": "kremlin", "name": "The Kremlin",
                                     "weights": {"regime": 1}}]}
    doc = json.loads(offramp("evaluate", write(tmp_path, plain), "--json").stdout)
    assert "utilities" not in doc
    assert all("certainty" not in node for node in doc["nodes"].values())


def test_evaluate_text_shows_the_certainty_equivalent_under_the_utility(tmp_path):
    run = offramp("evaluate", write(tmp_path, KREMLIN))
    assert run.returncode == 0
    lines = run.stdout.splitlines()
    at = lines.index(next(line for line in lines if "Utility of The Kremlin" in line))
    # R = -1000: 1000 ln(0.2 e^0.1 + 0.8 e^-0.06) = -25.89 (the sure -20 is kept)
    assert lines[at].split()[-2:] == ["-28.00", "-20.00"]
    assert lines[at + 1].split() == ["certainty", "equivalent", "-25.89", "-20.00"]
    assert "certainty" not in lines[at + 2]  # The West is risk-neutral


def test_both_readers_read_the_utility(tmp_path):
    path = write(tmp_path, KREMLIN)
    careful = read_file(path).tree
    fast = read_plain(path)
    assert fast is not None
    settings, _columns = fast
    assert settings.players[0].utility == careful.players[0].utility
    assert careful.players[0].utility.risk_tolerance == "r_kremlin"
    assert careful.players[1].utility is None


def test_a_utility_that_is_not_valid_is_a_one_line_problem(tmp_path):
    broken = json.loads(json.dumps(KREMLIN))
    broken["players"][0]["utility"] = {"kind": "piecewise", "points": [[0, 0], [-5, 1]]}
    run = offramp("validate", write(tmp_path, broken))
    assert run.returncode == 1
    assert "the points of the utility of The Kremlin must have increasing scores, but" \
           " point 2 has -5 after 0" in run.stdout + run.stderr
    broken["players"][0]["utility"] = {"kind": "exponential", "risk_tolerance": [1]}
    run = offramp("evaluate", write(tmp_path, broken))
    assert run.returncode == 1
    assert "the risk tolerance must be a number" in run.stdout + run.stderr


def test_threshold_and_sweeps_speak_of_certainty_equivalents(tmp_path):
    path = write(tmp_path, KREMLIN)
    run = offramp("threshold", path, "--node", "kremlin", "--var", "r_kremlin")
    assert run.returncode == 0
    # Where -R ln(0.2 e^(-100/R) + 0.8 e^(60/R)) = -20 (tests/analysis/test_risk.py)
    assert "at r_kremlin = -284.588 the choice changes from Accept to Escalate" in run.stdout
    run = offramp("tornado", path)
    assert "the best alternative's certainty equivalent for The Kremlin" in run.stdout
    run = offramp("sensitivity", path, "--var", "r_kremlin", "--steps", "5")
    assert "Value of each alternative (certainty equivalent of The Kremlin)" in run.stdout


def test_a_utility_of_the_wrong_shape_is_refused_with_one_line_each(tmp_path):
    for utility, message in [
            ("averse", '"utility" must be an object, not "averse"'),
            ({"kind": "piecewise", "points": [[True, 1], [2, 3]]},
             "a point's score must be a number, not true"),
            ({"kind": "piecewise", "points": [[1, 2, 3], [4, 5]]},
             "a point must be a pair [score, utility], not a list"),
            ({"kind": "exponential", "risk_tolerance": 5, "tolerance": 1},
             'unknown key "tolerance"; did you mean "risk_tolerance"?')]:
        doc = json.loads(json.dumps(KREMLIN))
        doc["players"][0]["utility"] = utility
        run = offramp("validate", write(tmp_path, doc))
        assert run.returncode == 1
        problems = [line for line in (run.stdout + run.stderr).splitlines()
                    if "players[0].utility" in line]
        assert len(problems) == 1 and problems[0].endswith(message), problems


def test_a_gambit_export_says_the_attitude_to_risk_is_not_kept(tmp_path):
    from offramp_gui.api import load
    from offramp_gui.interop import Report
    from offramp_gui.interop.gambit_export import efg_text
    report = Report()
    efg_text(load(write(tmp_path, KREMLIN)), report)
    assert [line for line in report.dropped if "risk" in line] == [
        "the attitude to risk of The Kremlin: Gambit takes the payoffs as utilities, so it"
        " solves the game as if every player were risk-neutral"]
