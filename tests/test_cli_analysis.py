"""The analysis commands (CLI.md, "Analysis commands"): hand-worked cases in closed form,
the --json documents, CSV tables, exit codes, and agreement with single evaluations."""
from __future__ import annotations

import csv
import importlib.util
import itertools
import json
import math
import random
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from offramp_gui.analysis.evaluate import evaluate
from offramp_gui.cli import main
from offramp_gui.cli.common import load_flat

ROOT = Path(__file__).resolve().parent.parent
OFFRAMP, CONCESSIONS = ROOT / "trees" / "offramp.json", ROOT / "trees" / "concessions.json"
KEYS = {
    "sensitivity": {"node", "player", "variable", "values", "alternatives", "best", "switches"},
    "map": {"node", "player", "x", "y", "best"},
    "tornado": {"node", "player", "base", "bars"},
    "spider": {"node", "player", "choice", "base", "lines"},
    "threshold": {"node", "player", "variable", "from", "to", "intervals", "thresholds"},
    "simulate": {"node", "player", "samples", "seed", "alternatives", "outcomes", "evpi",
                 "evppi"},
    "profile": {"node", "player", "chosen", "alternatives", "dominance"},
}
BAR_KEYS = {"variable", "low", "high", "value_at_low", "value_at_high", "best_at_low",
            "best_at_high"}


def doc(root: dict, variables: list, **extra) -> dict:
    return {"format": "offramp-tree", "version": 1, "title": "Test", "variables": variables,
            "root": root, **extra}


def var(name: str, value: float, low=None, high=None, distribution=None) -> dict:
    out = {"name": name, "value": value}
    out.update({k: v for k, v in (("min", low), ("max", high), ("distribution", distribution))
                if v is not None})
    return out


def leaf(node_id: str, payoff, **extra) -> dict:
    return {"id": node_id, "branch": f"Branch {node_id}", "type": "terminal", "payoff": payoff,
            **extra}


def decide(node_id: str, children: list, **extra) -> dict:
    return {"id": node_id, "type": "decision", "children": children, **extra}


# A sure 10 against a gamble paying 100 with chance p: the gamble is best above p = 0.1.
GAMBLE = doc(decide("choose", [leaf("sure", 10), {
    "id": "gamble", "branch": "Gamble", "type": "chance", "children": [
        leaf("win", 100, probability="p"), leaf("lose", 0, probability="#")]}]),
    [var("p", 0.3, 0, 1), var("unranged", 1)])

# The Kremlin accepts when face - 25 beats 5, i.e. above face = 30; the West offers or not.
ADVERSARY = doc(decide("west_move", [
    decide("reply", [leaf("escalate", {"face": 5, "security": -50}),
                     leaf("accept", {"face": "face - 25", "security": 20})],
           branch="Offer a deal", player="kremlin"),
    leaf("no_offer", {"face": 0, "security": 0})], player="west"),
    [var("face", 10, 0, 100)],
    criteria=[{"id": "face", "name": "Face"}, {"id": "security", "name": "Security"}],
    players=[{"id": "west", "name": "West", "weights": {"security": 1}},
             {"id": "kremlin", "name": "Kremlin", "weights": {"face": 1}}])

# Best of x, y and a sure 0.5 over the unit square.
REGIONS = doc(decide("pick", [leaf("a", "x"), leaf("b", "y"), leaf("c", 0.5)]),
              [var("x", 0.2, 0, 1), var("y", 0.2, 0, 1)])

# The value u + 3v + 2w (all 0..1, at 0.5) against z (0..10, at 0): bars z, v, w, u.
TORNADO = doc(decide("pick", [leaf("mix", "u + 3*v + 2*w"), leaf("zed", "z")]),
              [var("u", 0.5, 0, 1), var("v", 0.5, 0, 1), var("w", 0.5, 0, 1), var("z", 0, 0, 10),
               var("fixed", 1)])


def linear(offset: float) -> dict:
    """Take x ~ uniform(0, 10) plus `offset`, or leave with a sure 4."""
    return doc(decide("root", [leaf("take", f"x + {offset}", outcome="good"),
                               leaf("leave", 4, outcome="bad")]),
               [var("x", 5, 0, 10, {"type": "uniform", "low": 0, "high": 10})],
               outcomes=[{"id": "good", "name": "Good"}, {"id": "bad", "name": "Bad"}])


def write(folder: Path, document: dict) -> Path:
    (folder / "tree.json").write_text(json.dumps(document))
    return folder / "tree.json"


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
    document = json.loads(out, parse_constant=lambda word: pytest.fail(f"{word} in JSON"))
    assert set(document) == KEYS[args[0]]
    return document


def read_csv(path: Path) -> list[list[str]]:
    with open(path, newline="") as stream:
        return list(csv.reader(stream))


# ---- hand-worked cases ----------------------------------------------------------------
def test_sensitivity_switches_at_the_closed_form_point(tmp_path, capsys):
    tree = write(tmp_path, GAMBLE)
    result = run_json(capsys, "sensitivity", tree, "--var", "p", "--steps", 21)
    assert result["node"] == "choose" and result["player"] == "decision-maker"
    assert result["values"] == pytest.approx(np.linspace(0, 1, 21).tolist(), abs=1e-15)
    assert result["alternatives"]["sure"] == [10.0] * 21
    assert result["alternatives"]["gamble"] == pytest.approx(
        [100 * x for x in result["values"]], rel=1e-12)
    assert result["best"] == ["sure" if x <= 0.1 else "gamble" for x in result["values"]]
    [switch] = result["switches"]
    assert switch["from"] == "sure" and switch["to"] == "gamble"
    assert switch["at"] == pytest.approx(0.1, rel=1e-12)  # where the values cross
    _code, out, _err = run(capsys, "sensitivity", tree, "--var", "p")
    assert "at p = 0.1 the best alternative changes from Branch sure to Gamble" in out


def test_sensitivity_from_to_and_set(tmp_path, capsys):
    tree = write(tmp_path, GAMBLE)
    result = run_json(capsys, "sensitivity", tree, "--var", "p", "--from", "0.2", "--to",
                      "0.4", "--steps", 3, "--set", "unranged=7")
    assert result["values"] == pytest.approx([0.2, 0.3, 0.4])
    assert result["switches"] == [] and set(result["best"]) == {"gamble"}
    ranged = run_json(capsys, "sensitivity", tree, "--var", "unranged", "--from", "0",
                      "--to", "1", "--steps", 2)
    assert ranged["best"] == ["gamble", "gamble"]


def test_threshold_on_the_adversarys_node(tmp_path, capsys):
    tree = write(tmp_path, ADVERSARY)
    result = run_json(capsys, "threshold", tree, "--node", "reply", "--var", "face")
    assert (result["node"], result["player"], result["from"], result["to"]) == (
        "reply", "kremlin", 0.0, 100.0)
    [at] = result["thresholds"]
    assert at == pytest.approx(30, rel=1e-9)
    assert [(i["choice"], i["from"], i["to"]) for i in result["intervals"]] == [
        ("escalate", 0.0, at), ("accept", at, 100.0)]
    code, out, _err = run(capsys, "threshold", tree, "--node", "reply", "--var", "face")
    assert code == 0
    assert "at face = 30 the choice changes from Branch escalate to Branch accept" in out
    assert "(now 10: Branch escalate)" in out
    # The West's own choice moves at the same point: no offer until the Kremlin accepts.
    west = run_json(capsys, "sensitivity", tree, "--var", "face", "--steps", 11)
    assert west["best"] == ["no_offer"] * 4 + ["reply"] * 7
    assert west["switches"][0]["at"] == pytest.approx(30, rel=1e-9)


def test_the_kremlins_threshold_is_the_crossing_to_1e9(capsys):
    result = run_json(capsys, "threshold", CONCESSIONS, "--node", "fig_leaves", "--var",
                      "face_value")
    # By hand, the Kremlin's utility (face 0.8, nuclear risk 0.1, sovereignty -0.1):
    # accepting the deal is 0.8 (-70 + f) - 0.1 (20 - 5) = 0.8 f - 57.5. Grinding on is
    # 0.35 x (regime falls) + 0.65 x (-26), where the regime's fall is 0.1 x -86 (hardliners
    # lash out) + 0.45 x -84 (a worse successor) + 0.45 x -85.5 (a better one) = -84.875:
    # -46.60625. They cross at f = (57.5 - 46.60625) / 0.8 = 13.6171875.
    assert result["thresholds"] == pytest.approx([13.6171875], rel=1e-9)


def test_what_would_it_take_on_the_concessions_tree(capsys):
    result = run_json(capsys, "threshold", CONCESSIONS, "--node", "fig_leaves", "--var",
                      "face_value")
    assert result["thresholds"] == pytest.approx([13.62], abs=0.01)
    assert [i["choice"] for i in result["intervals"]] == ["fig_leaves.grind",
                                                          "fig_leaves.accept"]
    code, out, _err = run(capsys, "threshold", CONCESSIONS, "--node", "fig_leaves", "--var",
                          "face_value")
    assert code == 0 and "at face_value = 13.6172" in out and "Accept a face-saving deal" in out


def test_map_regions(tmp_path, capsys):
    tree = write(tmp_path, REGIONS)
    result = run_json(capsys, "map", tree, "--x", "x", "--y", "y", "--steps", 9)
    xs, ys = result["x"]["values"], result["y"]["values"]
    assert result["x"]["variable"] == "x" and xs == [k / 8 for k in range(9)] == ys

    def best(x: float, y: float) -> str:  # the first of the largest, as FORMAT.md says
        values = {"a": x, "b": y, "c": 0.5}
        return next(k for k, v in values.items() if v == max(values.values()))
    assert result["best"] == [[best(x, y) for x in xs] for y in ys]
    code, out, _err = run(capsys, "map", tree, "--x", "x", "--y", "y", "--y-from", "0.6",
                          "--y-to", "1", "--x-to", "0.5")
    assert code == 0 and "2  Branch b" in out and "100.0%" in out


def test_tornado_order_and_values(tmp_path, capsys):
    result = run_json(capsys, "tornado", write(tmp_path, TORNADO))
    assert result["base"] == 3.0
    assert [b["variable"] for b in result["bars"]] == ["z", "v", "w", "u"]
    assert all(set(bar) == BAR_KEYS for bar in result["bars"])
    z, v, w, u = result["bars"]
    assert (z["value_at_low"], z["value_at_high"], z["best_at_low"], z["best_at_high"]) == (
        3.0, 10.0, "mix", "zed")
    assert (v["low"], v["high"], v["value_at_low"], v["value_at_high"]) == (0, 1, 1.5, 4.5)
    assert (w["value_at_low"], w["value_at_high"], u["value_at_low"], u["value_at_high"]) \
        == (2.0, 4.0, 2.5, 3.5)


def test_spider_lines_in_percent_of_each_range(tmp_path, capsys):
    """mix = u + 3v + 2w = 3 at the base beats zed = z = 0. v (0..1, at 0.5) moved by d %
    of its range moves mix by 3d / 100: 1.5 at -50 %, 4.5 at +50 %. z is at its min, so
    its line runs from 0 % to +100 %, mix staying 3, and zed is best from z = 3 (+30 %)."""
    result = run_json(capsys, "spider", write(tmp_path, TORNADO), "--steps", 3)
    assert (result["choice"], result["base"]) == ("mix", 3.0)
    lines = {line["variable"]: line for line in result["lines"]}
    assert list(lines) == ["v", "w", "u", "z"]
    assert (lines["v"]["percent"], lines["v"]["values"]) == ([-50.0, 0.0, 50.0],
                                                             [1.5, 3.0, 4.5])
    z = lines["z"]
    assert (z["percent"], z["settings"], z["values"], z["best"]) == (
        [0.0, 50.0, 100.0], [0.0, 5.0, 10.0], [3.0, 3.0, 3.0], ["mix", "zed", "zed"])
    [switch] = z["switches"]
    assert (switch["from"], switch["to"], switch["value"]) == ("mix", "zed", 3.0)
    assert switch["percent"] == pytest.approx(30.0, abs=1e-6)
    only = run_json(capsys, "spider", write(tmp_path, TORNADO), "--var", "u", "--set", "z=4")
    assert only["choice"] == "zed" and [line["variable"] for line in only["lines"]] == ["u"]
    code, out, err = run(capsys, "spider", write(tmp_path, TORNADO), "--steps", 3)
    assert code == 0 and "base case: Branch mix is best, worth 3.00" in out
    assert "  z  " in out and "+30%" in out and "1 → 2" in out


# ---- Monte Carlo --------------------------------------------------------------------
def test_simulate_mean_converges_to_the_exact_expectation(tmp_path, capsys):
    n = 20_000
    result = run_json(capsys, "simulate", write(tmp_path, linear(0)), "-n", n, "--seed", 7)
    take, leave = result["alternatives"]["take"], result["alternatives"]["leave"]
    assert set(take) == {"mean", "sd", "p5", "p50", "p95", "probability_best"}
    assert result["samples"] == n and result["seed"] == 7
    sd = 10 / math.sqrt(12)
    assert abs(take["mean"] - 5) < 3 * sd / math.sqrt(n)
    assert take["sd"] == pytest.approx(sd, rel=0.03)
    assert (leave["mean"], leave["sd"]) == (4.0, 0.0)
    assert abs(take["probability_best"] - 0.6) < 3 * math.sqrt(0.24 / n)
    assert result["outcomes"]["good"]["mean"] == pytest.approx(take["probability_best"])
    assert (result["outcomes"]["good"]["p5"], result["outcomes"]["good"]["p95"]) == (0, 1)
    # EVPI = E[max(x, 4)] - max(E[x], 4) = 0.4 * 4 + 0.6 * 7 - 5 = 0.8; x is all there is.
    assert result["evpi"] == pytest.approx(0.8, abs=0.05)
    assert result["evppi"]["x"] == pytest.approx(0.8, abs=0.05)


def test_evpi_is_zero_when_nothing_can_change_the_decision(tmp_path, capsys):
    result = run_json(capsys, "simulate", write(tmp_path, linear(20)), "-n", 5000,
                      "--seed", 3)
    assert result["alternatives"]["take"]["probability_best"] == 1.0
    assert result["evpi"] == pytest.approx(0, abs=1e-9)
    assert result["evppi"]["x"] == pytest.approx(0, abs=1e-9)


def test_simulate_is_deterministic_with_a_seed(capsys):
    first = run_json(capsys, "simulate", OFFRAMP, "-n", 500, "--seed", 11)
    assert run_json(capsys, "simulate", OFFRAMP, "-n", 500, "--seed", 11) == first
    assert run_json(capsys, "simulate", OFFRAMP, "-n", 500, "--seed", 12) != first
    _code, out, _err = run(capsys, "simulate", OFFRAMP, "-n", 50)
    assert "seed " in out  # a fresh seed is printed so that the run can be repeated


# ---- vectorised = repeated single evaluations ----------------------------------------
def random_document(seed: int) -> dict:
    rng = random.Random(seed)
    ids = itertools.count()

    def payoff() -> dict:
        terms = [lambda: rng.randint(-9, 9), lambda: f"k * {rng.randint(1, 4)}",
                 lambda: f"q * {rng.randint(-20, 20)}", lambda: "k - q * 3"]
        return {"a": rng.choice(terms)(), "b": rng.choice(terms)()}

    def node(depth: int, kind: str) -> dict:
        out = {"id": f"n{next(ids)}", "branch": "b", "payoff": payoff()}
        if depth == 0:
            return {**out, "type": "terminal"}
        count = rng.choice([2, 3])
        children = [node(depth - 1, rng.choice(["decision", "chance", "terminal"]))
                    for _ in range(count)]
        if kind == "chance":
            shares = ["q", "#"] if count == 2 else ["q", str(rng.choice([0.1, 0.3])), "#"]
            rng.shuffle(shares)
            for child, share in zip(children, shares):
                child["probability"] = share
            return {**out, "type": "chance", "children": children}
        return {**out, "type": "decision", "player": rng.choice(["p0", "p1"]),
                "children": children}

    root = node(3, "decision")
    root["player"] = "p0"
    del root["branch"]
    return doc(root, [var("k", 1, -5, 5, {"type": "normal", "mean": 0, "sd": 2}),
                      var("q", 0.2, 0, 0.5, {"type": "beta", "alpha": 2, "beta": 5})],
               criteria=[{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
               players=[{"id": "p0", "name": "P0", "weights": {"a": 1, "b": 0.5}},
                        {"id": "p1", "name": "P1", "weights": {"a": -1, "b": 1}}])


@pytest.mark.parametrize("seed", range(6))
def test_sweeps_and_samples_equal_single_evaluations(tmp_path, capsys, seed):
    path = write(tmp_path, random_document(seed))
    _settings, flat = load_flat(str(path))
    alternatives = list(flat.children(0))
    for name in ("k", "q"):
        result = run_json(capsys, "sensitivity", path, "--var", name, "--steps", 9)
        for k, x in enumerate(result["values"]):
            single = evaluate(flat, {name: x})
            for a in alternatives:
                assert result["alternatives"][flat.ids[a]][k] == pytest.approx(
                    single.utility[a, 0], rel=1e-12, abs=1e-12)
            assert result["best"][k] == single.chosen_id(flat.ids[0])
        for switch in result["switches"]:
            step = 1e-6 * max(1, abs(switch["at"]))
            low, high = result["values"][0], result["values"][-1]
            for x, side in ((max(low, switch["at"] - step), "from"),
                            (min(high, switch["at"] + step), "to")):
                assert evaluate(flat, {name: x}).chosen_id(flat.ids[0]) == switch[side]
    out = tmp_path / "samples.csv"
    assert run(capsys, "simulate", path, "-n", 40, "--seed", seed, "-o", out)[0] == 0
    header, *rows = read_csv(out)
    assert header[:3] == ["sample", "k", "q"] and len(rows) == 40
    for row in rows[:8]:
        single = evaluate(flat, {"k": float(row[1]), "q": float(row[2])})
        assert [float(v) for v in row[3:-1]] == pytest.approx(
            [single.utility[a, 0] for a in alternatives], rel=1e-12, abs=1e-12)


# ---- the article's trees, CSV and plots ------------------------------------------------
def test_profile_of_a_gamble_with_set(tmp_path, capsys):
    # p = 0.05: the gamble pays 100 one time in 20, 0 otherwise (mean 5), against a sure 10.
    # On the grid 0, 10, 100 the cumulative chances are sure 0, 1, 1 and gamble .95, .95, 1:
    # each is above the other somewhere, no first order. Their integrals: sure 0, 0, 90
    # (1 × 90) and gamble 0, 9.5, 95 (9.5 + .95 × 90): the sure 10 dominates, second order.
    tree = write(tmp_path, GAMBLE)
    result = run_json(capsys, "profile", tree, "--set", "p=0.05")
    assert result == {"node": "choose", "player": "decision-maker", "chosen": "sure",
                      "alternatives": [
                          {"id": "sure", "expected": 10.0, "scores": [10.0], "chances": [1.0],
                           "cumulative": [1.0], "outcomes": {"null": 1.0}},
                          {"id": "gamble", "expected": 5.0, "scores": [0.0, 100.0],
                           "chances": [0.95, 0.05], "cumulative": [0.95, 1.0],
                           "outcomes": {"null": 1.0}}],
                      "dominance": [{"better": "sure", "worse": "gamble", "order": 2}]}
    result = run_json(capsys, "profile", tree, "--set", "p=1")  # 100 for sure: first order
    assert result["dominance"] == [{"better": "gamble", "worse": "sure", "order": 1}]
    code, _out, err = run(capsys, "profile", tree, "--set", "p=1.5")
    assert code == 1 and "add up to 1.5" in err and "cannot be evaluated" in err


def test_every_analysis_runs_on_the_offramp_tree(tmp_path, capsys):
    sweep = run_json(capsys, "sensitivity", OFFRAMP, "--var", "p_collapse")
    assert len(sweep["values"]) == 200 and set(sweep["alternatives"]) == {
        "defeat", "offramp", "settle"}
    assert [(s["from"], s["to"]) for s in sweep["switches"]] == [("defeat", "offramp")]
    assert sweep["switches"][0]["at"] == pytest.approx(0.22172, abs=1e-5)
    grid = run_json(capsys, "map", OFFRAMP, "--x", "p_collapse", "--y", "face_value",
                    "--steps", 20)
    assert len(grid["best"]) == 20 and all(len(row) == 20 for row in grid["best"])
    bars = run_json(capsys, "tornado", OFFRAMP)["bars"]
    swings = [abs(b["value_at_high"] - b["value_at_low"]) for b in bars]
    assert swings == sorted(swings, reverse=True) and bars[0]["variable"] == "face_value"
    kremlin = run_json(capsys, "threshold", OFFRAMP, "--node", "offramp_pledges.rout",
                       "--var", "face_value")
    assert kremlin["player"] == "kremlin" and kremlin["intervals"][-1]["choice"] == \
        "offramp_pledges.rout.accept"
    sim = run_json(capsys, "simulate", OFFRAMP, "-n", 300, "--seed", 1)
    assert sum(a["probability_best"] for a in sim["alternatives"].values()) == \
        pytest.approx(1)
    assert sim["evpi"] >= max(sim["evppi"].values()) - 1e-9
    for command in (["sensitivity", "--var", "p_collapse"], ["tornado"],
                    ["simulate", "-n", 200, "--seed", 1], ["map", "--x", "p_collapse", "--y",
                                                           "p_recover", "--steps", 5]):
        code, out, err = run(capsys, command[0], OFFRAMP, *command[1:])
        assert code == 0 and "Seek Russia's defeat" in out, err


def test_csv_tables(tmp_path, capsys):
    tree = write(tmp_path, GAMBLE)
    for args, header, count in [
            (["sensitivity", "--var", "p", "--steps", 5], ["p", "sure", "gamble", "best"], 5),
            (["map", "--x", "p", "--y", "unranged", "--y-from", "0", "--y-to", "2",
              "--steps", 3], ["p", "unranged", "best"], 9),
            (["tornado"], ["variable", "low", "high", "value_at_low", "value_at_high",
                           "swing", "best_at_low", "best_at_high"], 1),
            (["threshold", "--node", "choose", "--var", "p"], ["from", "to", "choice",
                                                               "branch"], 2),
            (["profile"], ["alternative", "branch", "score", "chance", "cumulative"], 3),
            (["spider", "--steps", 5], ["variable", "percent", "setting", "value", "best",
                                        "branch"], 6)]:
        out = tmp_path / f"{args[0]}.csv"
        code, _out, err = run(capsys, args[0], tree, *args[1:], "-o", out)
        assert code == 0, err
        rows = read_csv(out)
        assert rows[0] == header and len(rows) == count + 1
    assert read_csv(tmp_path / "sensitivity.csv")[1:3] == [["0.0", "10.0", "0.0", "sure"],
                                                          ["0.25", "10.0", "25.0", "gamble"]]
    assert read_csv(tmp_path / "threshold.csv")[2][2:] == ["gamble", "Gamble"]
    # p (0..1) at 0.3 and 0, 0.25, ...: the gamble, best at the base, is worth 100p
    assert read_csv(tmp_path / "spider.csv")[1:4] == [
        ["p", "-30.0", "0.0", "0.0", "sure", "Branch sure"],
        ["p", "-5.0", "0.25", "25.0", "gamble", "Gamble"],
        ["p", "0.0", "0.3", "30.0", "gamble", "Gamble"]]


def test_plot_output(tmp_path, capsys):
    """A plot where PySide6 and pyqtgraph are installed; a one-line refusal where not."""
    available = all(importlib.util.find_spec(name) for name in ("PySide6", "pyqtgraph"))
    tree = write(tmp_path, GAMBLE)
    for args, name in [(["sensitivity", "--var", "p"], "one.png"),
                       (["map", "--x", "p", "--y", "unranged", "--y-from", "0", "--y-to", "3"],
                        "map.svg"),
                       (["tornado"], "tornado.png"), (["spider"], "spider.svg"),
                       (["simulate", "-n", 99], "mc.svg"),
                       (["threshold", "--node", "choose", "--var", "p"], "threshold.png"),
                       (["profile"], "profile.svg")]:
        out = tmp_path / name
        code, _out, err = run(capsys, args[0], tree, *args[1:], "-o", out)
        if available:
            assert code == 0, err
            data = out.read_bytes()
            assert data.startswith(b"\x89PNG") if name.endswith(".png") else b"<svg" in data
        else:
            assert code == 1 and len(err.strip().splitlines()) == 1 and not out.exists()
            assert err.startswith("offramp: plots need PySide6 and pyqtgraph")


def test_null_where_the_tree_cannot_be_evaluated(tmp_path, capsys):
    partial = json.loads(json.dumps(GAMBLE))
    partial["root"]["children"][1]["children"].insert(1, leaf("draw", 50, probability=0.5))
    tree = write(tmp_path, partial)  # above p = 0.5 the remainder "#" is negative
    result = run_json(capsys, "sensitivity", tree, "--var", "p", "--steps", 5)
    assert result["alternatives"]["gamble"][-2:] == [None, None]
    assert result["best"] == ["gamble", "gamble", "gamble", None, None]
    code, out, err = run(capsys, "sensitivity", tree, "--var", "p", "--from", "0.6")
    assert code == 1 and "cannot be evaluated anywhere" in err and "remainder" in err


# ---- errors ---------------------------------------------------------------------------
@pytest.mark.parametrize("args, status, message", [
    (["sensitivity", "--var", "nope"], 1, 'there is no variable "nope"'),
    (["sensitivity", "--var", "p", "--node", "nowhere"], 1, 'there is no node "nowhere"'),
    (["tornado", "--player", "ghost"], 1, 'there is no player "ghost"'),
    (["sensitivity", "--var", "unranged"], 1, "the variable unranged has no range"),
    (["map", "--x", "p", "--y", "unranged", "--y-to", "1"], 1, "give --y-from and --y-to"),
    (["sensitivity", "--var", "p", "--from", "0.5", "--to", "0.2"], 1, "is empty"),
    (["threshold", "--node", "gamble", "--var", "p"], 1, "is not a decision node"),
    (["sensitivity", "--var", "p", "-o", "no/such/folder/x.csv"], 1, "does not exist"),
    (["sensitivity", "--var", "p", "-o", "out.txt"], 2, ".png, .svg"),
    (["sensitivity", "--var", "p", "--steps", "many"], 2, "not a whole number"),
    (["sensitivity", "--var", "p", "--steps", "1"], 2, "--steps must be from 2"),
    (["sensitivity", "--var", "p", "--from", "abc"], 2, "not a finite number"),
    (["sensitivity", "--var", "p", "--set", "p=abc"], 2, "not a finite number"),
    (["threshold", "--var", "p"], 2, "--node"),
    (["sensitivity", "--var", "p", "-o", ""], 2, ".png, .svg"),
    (["sensitivity", "--var", "p", "--from", "-inf"], 2, "-inf is not a finite number"),
    (["spider", "--var", "unranged"], 1, "the variable unranged has no range"),
    (["spider", "--var", "p", "--set", "p=0.2"], 1, "p is held at a value given to it"),
    (["spider", "--steps", "10001"], 2, "--steps must be from 2 to 10,000"),
    (["simulate", "-n", "0"], 2, "-n must be from 1"),
    (["simulate", "-n", "20000000"], 2, "10,000,000"),
    (["simulate", "-n", "10", "--seed", "-1"], 2, "--seed must be from 0"),
    (["profile", "--node", "gamble"], 1, '"Gamble" (gamble) is a chance node, not a decision'),
    (["profile", "--node", "win"], 1, '"Branch win" (win) is an ending, not a decision'),
    (["profile", "--node", "nowhere"], 1, 'there is no node "nowhere"'),
    (["profile", "--player", "x"], 2, "unrecognized arguments: --player"),
    (["profile", "-o", "out.pdf"], 2, ".png, .svg"),
])
def test_errors_are_one_line(tmp_path, capsys, args, status, message):
    code, _out, err = run(capsys, args[0], write(tmp_path, GAMBLE), *args[1:])
    assert code == status and message in err
    if status == 1:
        assert len(err.strip().splitlines()) == 1


def test_errors_in_a_fresh_process(tmp_path):
    tree = write(tmp_path, GAMBLE)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "offramp-tree", "version": 1, "title": "x", "root": {}}')
    for args, status in [(["sensitivity", tree, "--var", "nope"], 1),
                         (["simulate", tree, "-n", "x"], 2), (["tornado", bad], 1),
                         (["threshold", tree, "--node", "choose", "--var", "p", "--to", "nan"],
                          2)]:
        done = subprocess.run([sys.executable, "-m", "offramp_gui", *map(str, args)],
                              capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert done.returncode == status, done.stderr
        assert "Traceback" not in done.stdout + done.stderr and done.stderr.strip()


# ---- ranges at the ends of what numbers can hold ----------------------------------------
def test_a_negative_number_in_e_notation_is_a_value(tmp_path, capsys):
    result = run_json(capsys, "sensitivity", write(tmp_path, REGIONS), "--var", "x",
                      "--from", "-1e1", "--to", "1E0", "--steps", 3)
    assert result["values"] == [-10.0, -4.5, 1.0]


# a = x * 1e12 against a sure 0.37, x from 0 to 1e-12: a is best above x = 3.7e-13.
TINY = doc(decide("r", [leaf("a", "x * 1e12"), leaf("b", 0.37)]), [var("x", 0, 0, 1e-12)])


def test_a_switch_in_a_tiny_range_is_located_relative_to_the_range(tmp_path, capsys):
    tree = write(tmp_path, TINY)
    result = run_json(capsys, "threshold", tree, "--node", "r", "--var", "x")
    assert result["thresholds"] == pytest.approx([3.7e-13], rel=1e-9)
    coarse = run_json(capsys, "sensitivity", tree, "--var", "x", "--steps", 3)
    assert [s["at"] for s in coarse["switches"]] == pytest.approx([3.7e-13], rel=1e-9)


def fresh_process(*args: object) -> subprocess.CompletedProcess:
    """`offramp ARGS` as a user runs it, warnings and all."""
    return subprocess.run([sys.executable, "-m", "offramp_gui", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_a_range_across_all_numbers_gives_numbers_and_no_warnings(tmp_path):
    huge = doc(decide("r", [leaf("a", "x"), leaf("b", 0.5)]), [var("x", 0.2, -1e308, 1e308)])
    tree = write(tmp_path, huge)
    sweep = fresh_process("sensitivity", tree, "--var", "x", "--json")
    found = fresh_process("threshold", tree, "--node", "r", "--var", "x", "--json")
    for done in (sweep, found):
        assert (done.returncode, done.stderr) == (0, "")
    sweep_doc, found_doc = json.loads(sweep.stdout), json.loads(found.stdout)
    for values in (sweep_doc["values"], found_doc["thresholds"]):
        assert values and None not in values
    # Precision relative to the range's ends: within 1e-9 * 1e308 of 0.5.
    for at in (sweep_doc["switches"][0]["at"], found_doc["thresholds"][0]):
        assert abs(at - 0.5) <= 1e-9 * 1e308
    table = fresh_process("sensitivity", tree, "--var", "x")
    assert "1e+308" in table.stdout and "000,000,000" not in table.stdout


def test_a_remainder_above_1_says_the_others_are_below_0(tmp_path, capsys):
    code, _out, err = run(capsys, "evaluate", write(tmp_path, GAMBLE), "--set", "p=-1")
    assert code == 1
    assert 'the remainder "#" comes to 2: the other branches add up to -1, less than 0' in err


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs Linux's /proc")
def test_a_folder_that_takes_no_files_is_named(tmp_path, capsys):
    code, _out, err = run(capsys, "sensitivity", write(tmp_path, GAMBLE), "--var", "p",
                          "-o", "/proc/x.csv")
    assert code == 1 and "/proc" in err
    assert "takes no new files" in err or "permission denied" in err


WIDEST = 1.7e308  # near the largest double


@pytest.mark.filterwarnings("error")  # numpy's overflow warnings too
def test_simulate_over_the_whole_range_of_doubles(tmp_path, capsys):
    tree = write(tmp_path, doc(decide("root", [leaf("a", "x"), leaf("b", 0)]), [
        var("x", 0, -WIDEST, WIDEST, {"type": "uniform", "low": -WIDEST, "high": WIDEST})]))
    code, out, err = run(capsys, "simulate", tree, "-n", 500, "--seed", 1)
    assert (code, err) == (0, "") and "500 samples" in out
    assert not {"inf", "-inf", "nan", "—"} & set(out.split())
    result = run_json(capsys, "simulate", tree, "-n", 500, "--seed", 1)
    a = result["alternatives"]["a"]
    assert -WIDEST < a["p5"] < 0 < a["p95"] < WIDEST and 0 < a["sd"] < WIDEST
    assert 0 < result["evpi"] < WIDEST
    if all(importlib.util.find_spec(name) for name in ("PySide6", "pyqtgraph")):
        # In a process of its own: what Qt's paint handlers raise goes to stderr.
        plot = tmp_path / "mc.png"
        done = subprocess.run([sys.executable, "-m", "offramp_gui.cli", "simulate", str(tree),
                               "-n", "500", "--seed", "1", "-o", str(plot)],
                              capture_output=True, text=True, timeout=120)
        assert (done.returncode, done.stderr) == (0, "")
        assert plot.read_bytes().startswith(b"\x89PNG")



# x and y over the whole range of doubles; a's value overflows at either end of x.
HUGE = doc(decide("root", [leaf("a", "x * 2"), leaf("b", "y"), leaf("c", 0)]),
           [var("x", 0, -WIDEST, WIDEST), var("y", 0, -WIDEST, WIDEST)])
HUGE_COMMANDS = {"sensitivity": ["--var", "y"], "tornado": [], "map": ["--x", "x", "--y", "y"],
                 "threshold": ["--node", "root", "--var", "y"], "spider": []}


def numbers(document) -> list[float]:
    if isinstance(document, dict):
        return [n for value in document.values() for n in numbers(value)]
    if isinstance(document, list):
        return [n for value in document for n in numbers(value)]
    return [document] if isinstance(document, float) else []


@pytest.mark.parametrize("command", HUGE_COMMANDS)
def test_ranges_over_the_whole_range_of_doubles(tmp_path, capsys, command):
    tree = write(tmp_path, HUGE)
    args = [command, tree, *HUGE_COMMANDS[command]]
    code, out, err = run(capsys, *args)
    assert (code, err) == (0, "") and "1.7e+308" in out
    assert not {"inf", "-inf", "nan"} & set(out.split())
    values = numbers(run_json(capsys, *args))  # (NaN or Infinity would fail here)
    assert WIDEST in values and all(math.isfinite(v) for v in values)
    table = tmp_path / "table.csv"
    code, _out, err = run(capsys, *args, "-o", table)
    assert (code, err) == (0, "")
    cells = {cell for row in read_csv(table) for cell in row}
    assert "1.7e+308" in cells and not {"inf", "-inf", "nan"} & cells


@pytest.mark.skipif(not all(importlib.util.find_spec(name) for name in ("PySide6", "pyqtgraph")),
                    reason="plots need PySide6 and pyqtgraph")
@pytest.mark.parametrize("suffix", [".png", ".svg"])
@pytest.mark.parametrize("command", HUGE_COMMANDS)
def test_plots_over_the_whole_range_of_doubles(tmp_path, command, suffix):
    tree = write(tmp_path, HUGE)
    plot = tmp_path / f"plot{suffix}"
    # In a process of its own: what Qt's paint handlers raise goes to stderr.
    done = subprocess.run([sys.executable, "-m", "offramp_gui.cli", command, str(tree),
                           *HUGE_COMMANDS[command], "-o", str(plot)],
                          capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stderr) == (0, "")
    if suffix == ".png":
        assert plot.read_bytes().startswith(b"\x89PNG")
    else:
        assert ET.parse(plot).getroot().tag.endswith("svg")


# ---- weights given by variables ---------------------------------------------------------
# The allies weigh accountability w_acc and avoiding catastrophe 1 - w_acc: prosecuting is
# worth 30 w_acc - 20 to them, an offramp -5 w_acc; they prosecute above w_acc = 4/7.
WEIGHTED = ROOT / "tests" / "data" / "weights_as_expressions.json"


def test_sensitivity_sweeps_a_weight(capsys):
    result = run_json(capsys, "sensitivity", WEIGHTED, "--var", "w_acc", "--steps", 11)
    x = np.array(result["values"])
    assert result["alternatives"]["prosecute"] == pytest.approx(30 * x - 20, abs=1e-12)
    assert result["alternatives"]["offramp"] == pytest.approx(-5 * x, abs=1e-12)
    [switch] = result["switches"]
    assert (switch["from"], switch["to"]) == ("offramp", "prosecute")
    assert switch["at"] == pytest.approx(4 / 7, rel=1e-9)
    _code, out, _err = run(capsys, "sensitivity", WEIGHTED, "--var", "w_acc")
    assert ("at w_acc = 0.571429 the best alternative changes from Offer an offramp to"
            " Prosecute") in out
    held = run_json(capsys, "sensitivity", WEIGHTED, "--var", "p_escalate", "--steps", 3,
                    "--set", "w_acc=0.8")
    assert held["alternatives"]["prosecute"] == pytest.approx([8, 3, -2])  # 8 - 50p * 0.2


def test_tornado_and_threshold_move_a_weight(capsys):
    bars = {bar["variable"]: bar for bar in run_json(capsys, "tornado", WEIGHTED)["bars"]}
    assert (bars["w_acc"]["value_at_low"], bars["w_acc"]["value_at_high"]) == pytest.approx(
        (0, 10))
    assert (bars["w_acc"]["best_at_low"], bars["w_acc"]["best_at_high"]) == (
        "offramp", "prosecute")
    found = run_json(capsys, "threshold", WEIGHTED, "--node", "choice", "--var", "w_acc")
    assert found["thresholds"] == pytest.approx([4 / 7], rel=1e-9)


def test_simulate_draws_a_weight(capsys):
    result = run_json(capsys, "simulate", WEIGHTED, "-n", 20000, "--seed", 4)
    # w_acc ~ uniform(0, 1): prosecuting is worth -5 on average and is best 3/7 of the time.
    assert result["alternatives"]["prosecute"]["mean"] == pytest.approx(-5, abs=0.2)
    assert result["alternatives"]["offramp"]["mean"] == pytest.approx(-2.5, abs=0.05)
    assert result["alternatives"]["prosecute"]["probability_best"] == pytest.approx(
        3 / 7, abs=0.02)
    # Knowing w_acc first: E max(30w - 20, -5w) - max(-5, -2.5) = 5/7 + 2.5.
    assert result["evpi"] == pytest.approx(5 / 7 + 2.5, abs=0.05)
    assert result["evppi"]["w_acc"] == pytest.approx(result["evpi"], rel=1e-3)  # the only input


def test_an_undefined_variable_in_a_weight_is_an_error(tmp_path, capsys):
    document = json.loads(WEIGHTED.read_text())
    document["players"][0]["weights"]["accountability"] = "w_ac"
    code, out, err = run(capsys, "sensitivity", write(tmp_path, document), "--var", "w_acc")
    assert code == 1 and out == ""
    assert ('$.players[0].weights.accountability: the weight "w_ac" of The allies on'
            ' Accountability uses "w_ac", which is not a variable') in err
