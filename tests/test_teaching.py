"""docs/teaching.md: the answers to the five exercises give the numbers the commands
they name give, and the app's steps name menus, panels and tabs the app has."""
from __future__ import annotations

import contextlib
import io
import json
import re
from functools import cache
from pathlib import Path

import pytest

from offramp_gui.cli import main

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "teaching.md"
OFFRAMP = ROOT / "trees" / "offramp.json"
RHETORIC = ROOT / "trees" / "rhetoric.json"
RESOLVE = ROOT / "trees" / "resolve.json"


def exercise(number: int) -> str:
    """Exercise `number`'s text, its line breaks made spaces."""
    text = DOC.read_text(encoding="utf-8")
    start = text.index(f"\n## {number}. ")
    end = text.find("\n## ", start + 1)
    return " ".join(text[start:end if end > 0 else None].split())


def answer(number: int) -> str:
    return exercise(number).split("**The answer.**")[1]


def said(text: str, pattern: str) -> tuple[str, ...]:
    match = re.search(pattern, text)
    assert match, f"docs/teaching.md no longer says {pattern!r}"
    return match.groups()


def rounds_to(found: float, written: str) -> bool:
    """`found` rounds to `written` at the number of decimals it was written with."""
    decimals = len(written.split(".")[1]) if "." in written else 0
    return abs(found - float(written)) <= 0.5 * 10 ** -decimals + 1e-9


def percent(found: float, written: str) -> bool:
    return rounds_to(100 * found, written)


@cache
def run(*args: object) -> tuple[int, str]:
    """A command's exit status and output; `--json` output is parsed by `command`."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue() + err.getvalue()


def command(*args: object) -> dict:
    code, out = run(*args, "--json")
    assert code == 0, out
    return json.loads(out)


def decision(*args: object) -> dict:
    (explained,) = command("explain", *args)["decisions"]
    return explained


def threshold(explained: dict, variable: str) -> dict:
    (found,) = [t for t in explained["thresholds"] if t["variable"] == variable]
    return found


def shares(explained: dict) -> dict[str, float]:
    return explained["holds"]["shares"]


# ---- 1. which assumption carries the essay ------------------------------------------------
def test_exercise_1_the_assumption_that_carries_the_essay():
    text = answer(1)
    aim = decision(OFFRAMP, "--node", "aim")
    values = {a["id"]: a["utility"] for a in aim["alternatives"]}
    margin, offramp, defeat = said(
        text, r"best by (\S+) points of the West's utility \((\S+) against (\S+) for seeking")
    assert aim["chosen"] == "offramp" and aim["runner_up"] == "defeat"
    assert rounds_to(aim["margin"], margin)
    assert rounds_to(values["offramp"], offramp) and rounds_to(values["defeat"], defeat)

    best, samples, defeat_best = said(text, r"best in (\S+)% of ([\d,]+) draws of the tree's "
                                            r"own distributions, seeking defeat in (\S+)%")
    simulated = command("simulate", OFFRAMP, "-n", samples.replace(",", ""), "--seed", 1)
    assert percent(simulated["alternatives"]["offramp"]["probability_best"], best)
    assert percent(simulated["alternatives"]["defeat"]["probability_best"], defeat_best)
    assert "Samples to 20,000 and Seed to 1" in exercise(1)

    swing, = said(text, r"a swing of (\S+) over its range; at 0 the West seeks Russia's defeat")
    top = command("tornado", OFFRAMP)["bars"][0]
    assert top["variable"] == "face_value" and top["low"] == 0 and top["best_at_low"] == "defeat"
    assert rounds_to(abs(top["value_at_high"] - top["value_at_low"]), swing)
    at, = said(text, r"flips the choice below (\S+) \(40 now\)")
    assert rounds_to(threshold(aim, "face_value")["below"]["at"], at)

    evppi, evpi, next_evppi = said(text, r"EVPPI (\S+) of an EVPI of (\S+); the next, "
                                         r"`p_west_blinks`, (\S+)\)")
    ranked = list(simulated["evppi"].items())
    assert [name for name, _ in ranked[:2]] == ["face_value", "p_west_blinks"]
    assert rounds_to(ranked[0][1], evppi) and rounds_to(ranked[1][1], next_evppi)
    assert rounds_to(simulated["evpi"], evpi)

    assert "Twelve variables flip the choice alone" in text and len(aim["thresholds"]) == 12
    nearest = re.findall(r"`(\w+)` below (\S+) \((\S+) now\)", said(
        text, r"the nearest switches are (.*?): the off-ramp")[0])
    assert [name for name, _, _ in nearest] == ["defeat_face_loss", "p_collapse",
                                                "p_west_blinks"]
    for name, at, now in nearest:
        found = threshold(aim, name)
        assert rounds_to(found["below"]["at"], at) and found["now"] == float(now)
    long_war, = said(text, r"long war or frozen conflict (\S+)% of the time")
    assert percent(command("evaluate", OFFRAMP)["nodes"]["aim"]["outcomes"]["long_war"],
                   long_war)
    # The discussion's band in which seeking defeat wins as the Kremlin's loss of face moves.
    low, high = said(exercise(1), r"seeking defeat wins only in a band in the middle, from "
                                  r"(\S+) to (\S+)\.\)")
    band = [i for i in threshold(aim, "defeat_face_loss")["intervals"] if i["choice"] == "defeat"]
    assert len(band) == 1 and rounds_to(band[0]["from"], low) and rounds_to(band[0]["to"], high)


# ---- 2. what would it take ------------------------------------------------------------------
def test_exercise_2_what_it_would_take_for_the_kremlin_to_take_the_off_ramp():
    text = answer(2)
    seed = ("-n", 10_000, "--seed", 0)
    assert "10,000 draws, seed 0" in exercise(2)
    rout = decision(OFFRAMP, "--node", "offramp_pledges.rout", *seed)
    margin, at, held = said(text, r"accepts the deal by (\S+) points of its utility over "
                                  r"grinding on, and would grind on only if `face_value` fell "
                                  r"below (\S+); it accepts in (\S+)% of the draws")
    assert (rout["chosen"], rout["runner_up"]) == ("offramp_pledges.rout.accept",
                                                   "offramp_pledges.rout.grind")
    assert rounds_to(rout["margin"], margin)
    assert [t["variable"] for t in rout["thresholds"]] == ["face_value"]
    assert rounds_to(threshold(rout, "face_value")["below"]["at"], at)
    assert percent(shares(rout)["offramp_pledges.rout.accept"], held)

    stall = decision(OFFRAMP, "--node", "offramp_pledges.stall", *seed)
    chance, margin, held = said(text, r"the likelier battlefield \((\S+)%\), they do not: the "
                                      r"Kremlin grinds on, (\S+) ahead, in (\S+)% of the draws")
    evaluated = command("evaluate", OFFRAMP)["nodes"]
    assert percent(evaluated["offramp_pledges.stall"]["reach"], chance)
    assert stall["chosen"] == "offramp_pledges.stall.grind" and rounds_to(stall["margin"], margin)
    assert percent(shares(stall)["offramp_pledges.stall.grind"], held)
    written = re.findall(r"`(\w+)` (above|below) (\S+) \((\S+) now\)",
                         said(text, r"Only three variables alone would change that: (.*?); no "
                                    r"chance")[0])
    assert {name for name, *_ in written} == {t["variable"] for t in stall["thresholds"]}
    for name, side, at, now in written:
        found = threshold(stall, name)
        assert rounds_to(found[side]["at"], at) and found["now"] == float(now)

    face, worth, base, settled, before = said(
        text, r"sets `face_value` to (\S+), past that line: the off-ramp is then worth (\S+) to "
              r"the West instead of (\S+), and ends in a settlement (\S+)% of the time instead "
              r"of (\S+)%")
    compared = command("compare", OFFRAMP, "--scenario", "Base case", "--scenario",
                       "As the essay argues")
    (row,) = [r for r in compared["alternatives"]["rows"]
              if r["alternative"].startswith("Support Ukraine")]
    (settlement,) = [r for r in compared["outcomes"] if r["outcome"].startswith("Negotiated")]
    assert rounds_to(row["values"][1], worth) and rounds_to(row["values"][0], base)
    assert percent(settlement["chances"][1], settled)
    assert percent(settlement["chances"][0], before)
    assert float(face) > threshold(stall, "face_value")["above"]["at"]
    essay = command("evaluate", OFFRAMP, "--set", f"face_value={face}")["nodes"]
    assert rounds_to(essay["aim"]["utility"]["west"], worth)


# ---- 3. what intelligence about intent is worth ----------------------------------------
def test_exercise_3_what_knowing_the_kremlins_type_is_worth():
    text = answer(3)
    known = command("voi", RHETORIC, "--event", "maximalist", "--accuracy", 0.8)
    worth, accuracy, calculating, gambler = said(
        text, r"worth (\S+) to the West, perfectly or through a source right (\d+)% of the "
              r"time: it chooses measured rhetoric either way \(worth (\S+) against a "
              r"calculating Kremlin, (\S+) against a gambler\)")
    assert known["imperfect"]["accuracy"] == int(accuracy) / 100
    assert rounds_to(known["perfect"]["worth"], worth)
    assert rounds_to(known["imperfect"]["worth"], worth)
    signals = {s["signal"]: s for s in known["perfect"]["signals"]}
    assert {s["choice"] for s in signals.values()} == {"measured"}
    assert rounds_to(signals["A calculating Kremlin"]["value"], calculating)
    assert rounds_to(signals["A desperate gambler"]["value"], gambler)

    at, = said(text, r"once `rhetoric_deterrence` is above (\S+) \(8 now\)")
    against = {kind: command("threshold", RHETORIC, "--node", "rhetoric", "--var",
                             "rhetoric_deterrence", "--set", f"p_calculating={p}")
               for kind, p in (("gambler", 0), ("calculating", 1))}
    assert [round(t, 1) for t in against["gambler"]["thresholds"]] == [float(at)]
    assert against["gambler"]["intervals"][-1]["choice"] == "maximalist"
    assert against["calculating"]["thresholds"] == []  # "it never does"
    deterrence, worth = said(text, r"At `rhetoric_deterrence` (\S+), knowing the type is "
                                   r"worth (\S+)\.")
    deterring = command("voi", RHETORIC, "--event", "maximalist", "--set",
                        f"rhetoric_deterrence={deterrence}")
    assert rounds_to(deterring["perfect"]["worth"], worth)

    calculating, deterrence, nuclear, evpi = said(
        text, r"knowing `p_calculating` is worth (\S+) to the West, against (\S+) for "
              r"`rhetoric_deterrence` and (\S+) for `p_nuclear_use` \(EVPI (\S+)\)")
    simulated = command("simulate", RHETORIC, "-n", 20_000, "--seed", 1)
    assert "Samples 20,000, Seed 1" in exercise(3)
    assert rounds_to(simulated["evppi"]["p_calculating"], calculating)
    assert rounds_to(simulated["evppi"]["rhetoric_deterrence"], deterrence)
    assert rounds_to(simulated["evppi"]["p_nuclear_use"], nuclear)
    assert rounds_to(simulated["evpi"], evpi)
    assert list(simulated["evppi"])[:2] == ["rhetoric_deterrence", "p_nuclear_use"]
    code, out = run("voi", RESOLVE, "--event", "kremlin-type")
    assert code == 1 and "no decision comes before" in out


# ---- 4. a hawk and a dove --------------------------------------------------------------------
def scenario_values(step: str) -> dict[str, float]:
    return {name: float(value) for name, value in re.findall(r"`(\w+)`\s+(\d[\d.]*)", step)}


@pytest.fixture
def seminar(tmp_path: Path) -> Path:
    """The main tree with the hawk's and the dove's scenarios the exercise has one add, and
    the two with each other's weights."""
    steps = exercise(4).split("**At the command line")[0]
    hawk = scenario_values(said(steps, r"set the hawk's beliefs: (.*?)\. Open")[0])
    dove = scenario_values(said(steps, r"Set the dove's beliefs: (.*?)\. \*\*Add")[0])
    assert set(hawk) == set(dove) == {"p_nuclear_use", "p_west_blinks",
                                      "rhetoric_deterrence", "face_value"}
    weights = {who: {"nuclear_risk": float(n), "deterrence": float(d)} for who, n, d in
               re.findall(r"a (dove|hawk)'s \(nuclear risk (\S+), deterrence (\S+)\)", steps)}
    document = json.loads(OFFRAMP.read_text(encoding="utf-8"))
    document["scenarios"] += [
        {"name": "Hawk", "variables": hawk}, {"name": "Dove", "variables": dove},
        {"name": "Hawk, a dove's values", "variables": hawk, "weights": {"west": weights["dove"]}},
        {"name": "Dove, a hawk's values", "variables": dove, "weights": {"west": weights["hawk"]}}]
    path = tmp_path / "seminar.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_exercise_4_a_hawks_and_a_doves_scenarios(seminar):
    text = answer(4)
    names = ["Hawk", "Dove", "Hawk, a dove's values", "Dove, a hawk's values"]
    compared = command("compare", seminar, *[a for n in names for a in ("--scenario", n)])
    (aim,) = [d for d in compared["decisions"] if d["decision"] == "Western war aim"]
    (rhetoric,) = [d for d in compared["decisions"] if d["decision"] == "Western rhetoric"]
    value = {r["alternative"].split(" ")[0]: r["values"] for r in compared["alternatives"]["rows"]}
    chance = {r["outcome"].split(" ")[0]: r["chances"] for r in compared["outcomes"]}

    hawk, hawk_offramp, nuclear, wider, long_war = said(
        text, r"narrowly: (\S+) against (\S+) for the off-ramp, with nuclear use (\S+)%, a wider "
              r"war (\S+)% and a long war (\S+)%")
    assert aim["choices"][0] == "Seek Russia's defeat" and rhetoric["choices"][0].startswith(
        "Maximalist")
    assert rounds_to(value["Seek"][0], hawk) and rounds_to(value["Support"][0], hawk_offramp)
    assert percent(chance["Nuclear"][0], nuclear) and percent(chance["Wider"][0], wider)
    assert percent(chance["Long"][0], long_war)
    dove, dove_defeat, settled = said(text, r"best by a wide margin, (\S+) against (\S+), "
                                            r"ending in a settlement (\S+)% of the time")
    assert aim["choices"][1].startswith("Support Ukraine")
    assert rounds_to(value["Support"][1], dove) and rounds_to(value["Seek"][1], dove_defeat)
    assert percent(chance["Negotiated"][1], settled)

    as_hawk, as_dove = said(text, r"dove's world costs the West (\S+) points; acting on the "
                                  r"dove's in the hawk's world costs (\S+)\.")
    for decide, live, regret in (("Hawk", "Dove", as_hawk), ("Dove", "Hawk", as_dove)):
        worlds = command("compare", seminar, "--player", "west", "--decide-in", decide,
                         "--live-in", live)["two_worlds"]
        assert rounds_to(worlds["regret"], regret)

    offramp, defeat = said(text, r"under a hawk's weights \((\S+) against (\S+)\)")
    assert aim["choices"][3].startswith("Support Ukraine")
    assert rounds_to(value["Support"][3], offramp) and rounds_to(value["Seek"][3], defeat)
    offramp, defeat = said(text, r"turn back to the off-ramp \((\S+) against (\S+) for seeking")
    assert aim["choices"][2].startswith("Support Ukraine")
    assert rounds_to(value["Support"][2], offramp) and rounds_to(value["Seek"][2], defeat)


# ---- 5. the equilibria of the resolve game ----------------------------------------------
def test_exercise_5_the_equilibria_of_the_resolve_game():
    text = answer(5)
    found = command("equilibria", RESOLVE)["equilibria"]
    count, = said(text, r"There are (\d+) perfect Bayesian equilibria")
    assert len(found) == int(count)
    assert all(e["strategy"][f"{who} West chooses its rhetoric"] == "Measured rhetoric"
               for e in found for who in ("Resolved", "Hesitant"))
    calm = [e for e in found if "nuclear" not in e["outcomes"]]
    grim = [e for e in found if "nuclear" in e["outcomes"]]
    n_calm, calm_value, settlement, long_war = said(
        text, r"In (\d+) the gambler grinds on: the West's value is (\S+), with a settlement "
              r"(\S+)% and a long war (\S+)%")
    assert len(calm) == int(n_calm)
    for e in calm:
        assert rounds_to(e["values"]["west"], calm_value)
        assert percent(e["outcomes"]["settlement"], settlement)
        assert percent(e["outcomes"]["long_war"], long_war)
    n_grim, grim_value, nuclear, defeated = said(
        text, r"In (\d+) the gambler escalates .*?: the West's value is (\S+), nuclear use "
              r"(\S+)% and Russia defeated (\S+)%")
    assert len(grim) == int(n_grim)
    for e in grim:
        assert rounds_to(e["values"]["west"], grim_value)
        assert percent(e["outcomes"]["nuclear"], nuclear)
        assert percent(e["outcomes"]["victory"], defeated)
    prior, = said(text, r"keeps its prior \((\S+)% that the West is resolved\)")
    assert percent(_variable(RESOLVE, "p_resolved"), prior)
    bound, = said(text, r"in equilibrium 1, a Kremlin hearing maximalist rhetoric that believes "
                        r"the West resolved with at most (\S+)%")
    (bounds,) = [b for b in found[0]["off_path_bounds"][
        "Calculating Kremlin, after maximalist rhetoric"].values() if b[0] == 0]
    assert percent(bounds[1], bound)

    stakes, total, best = said(text, r"Below `rhetoric_stakes` (\S+), equilibria in which both "
                                     r"Wests speak maximally appear \((\d+) in all\), the best "
                                     r"worth (\S+) to the West")
    sweep = command("equilibria", RESOLVE, "--var", "rhetoric_stakes")
    assert [s["at"] for s in sweep["switches"]] == [pytest.approx(float(stakes))]
    below = sweep["intervals"][0]
    assert below["count"] == int(total)
    assert rounds_to(max(e["values"]["west"] for e in below["equilibria"]), best)
    low, high = said(text, r"only while `p_resolved` lies between (\S+) and (\S+);")
    sweep = command("equilibria", RESOLVE, "--var", "p_resolved")
    assert [round(s["at"], 3) for s in sweep["switches"]] == [float(low), float(high)]
    gamblers, nuclear = said(text, r"\(`p_gambler` (\S+)\) they carry (\S+)% nuclear use")
    many = command("equilibria", RESOLVE, "--set", f"p_gambler={gamblers}")["equilibria"]
    assert {round(100 * e["outcomes"].get("nuclear", 0), 1) for e in many} == {0, float(nuclear)}


def _variable(file: Path, name: str) -> float:
    (variable,) = [v for v in json.loads(file.read_text(encoding="utf-8"))["variables"]
                   if v["name"] == name]
    return variable["value"]


# ---- the app's words ---------------------------------------------------------------------
def test_the_steps_name_what_the_app_has():
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    sources = " ".join(path.read_text(encoding="utf-8") for path in
                       (ROOT / "offramp_gui" / "gui").rglob("*.py")).replace("&", "")
    for name in re.findall(r"\*\*([^*]+?)\*\*", text):
        if name.startswith(("The ", "In the app", "At the command", "To discuss",
                            "Answer", "The answer")):
            continue
        for part in re.split(r" > ", name.rstrip("…").rstrip(".")):
            assert part.rstrip("…") in sources, f"the app has no {part!r}"
    for key in re.findall(r"\((Ctrl\+[\w+]+)\)", text):
        assert f'"{key}"' in sources, key
