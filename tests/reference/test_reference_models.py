"""The reference models of trees/reference/ reproduce their published results with
offramp's own engine. Every expected number is worked out here by hand, from the model's
formula and the parameters in the file, never copied from the engine's output."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from offramp_gui.analysis.catalogue.threshold import ThresholdParameters
from offramp_gui.analysis.equilibria import find_equilibria
from offramp_gui.analysis.equilibria_sweep import equilibria_changes
from offramp_gui.api import analyse, evaluate, load
from offramp_gui.cli import main

REFERENCE = Path(__file__).resolve().parents[2] / "trees" / "reference"
FEARON = REFERENCE / "fearon-1995.json"
POWELL = REFERENCE / "powell-brinkmanship.json"
SCHELLING = REFERENCE / "schelling-chicken.json"
ZAGARE_KILGOUR = REFERENCE / "zagare-kilgour-2000.json"


def values(tree) -> dict[str, float]:
    """The variables that hold a number (the model's parameters)."""
    return {v.name: float(v.value) for v in tree.variables if not isinstance(v.value, str)}


def outcomes(results, node_id: str | None = None) -> dict[str, float]:
    row = results.outcomes[results.index(node_id or results.flat.ids[0])]
    return {key: float(chance) for key, chance in zip(results.outcome_keys, row) if chance}


def exponential(risk_tolerance: float):
    """The utility of format.md's "exponential" kind: u(x) = -exp(-x / R)."""
    return lambda x: -math.exp(-x / risk_tolerance)


def run_json(capsys, *arguments: str) -> dict:
    assert main([*arguments, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_every_reference_model_names_its_sources_and_states_its_result():
    for path in (FEARON, POWELL, SCHELLING, ZAGARE_KILGOUR):
        tree = load(path)
        assert tree.description and tree.sources
        assert all({"title", "author", "publisher", "year"} <= set(s) for s in tree.sources)
        assert tree.root.notes.startswith("Expected result (")
        assert all(v.source and v.description and v.min is not None and v.max is not None
                   for v in tree.variables)
        assert len(list(tree.root.walk())) <= 150


# ---- Fearon (1995): the risk-return trade-off -------------------------------------------
def fearon_optimum(p: float, cbar: float, cost_b: float, types: int = 5) -> tuple[int, list]:
    """A's cost is k·Δ, k = 0..N-1, Δ = c̄/(N-1), each with chance 1/N; A accepts x iff
    x >= p - cost. Offering p - kΔ is accepted by the N - k types of cost >= kΔ, so B gets
    (1 - p) + kΔ from them and 1 - p - c_B from the k that fight:
        V(k) = (1 - p) + k((N - k)Δ - c_B) / N.
    V(k+1) > V(k) iff c_B < (N - 2k - 1)Δ, so the best k is the first where that fails."""
    delta = cbar / (types - 1)
    value = [(1 - p) + k * ((types - k) * delta - cost_b) / types for k in range(types)]
    best = next(k for k in range(types) if k == types - 1 or cost_b >= (types - 2 * k - 1) * delta)
    return best, value


def test_fearon_b_offers_the_risk_return_optimum_and_risks_war(capsys):
    tree = load(FEARON)
    v = values(tree)
    p, cbar, cost_b = v["p"], v["cbar"], v["cost_b"]
    best, value = fearon_optimum(p, cbar, cost_b)
    # p 0.5, c̄ 0.4 (Δ 0.1), c_B 0.1: V = 0.5, 0.56, 0.58, 0.56, 0.5; k* = 2, which is
    # (N - c_B/Δ)/2 = (5 - 1)/2: B offers p - 2Δ = 0.3 and the two toughest types fight.
    assert best == 2 and value[2] == pytest.approx(0.58)
    delta = cbar / 4
    assert best == round((5 - cost_b / delta) / 2)
    search = find_equilibria(tree)
    assert search.complete and len(search.equilibria) == 1
    results = search.equilibria[0].results
    chosen = [results.chosen_id(f"type{j}") for j in range(5)]
    assert [tree.node(c).branch for c in chosen] == ["Offer p − c̄/2: the three weakest accept"] * 5
    # War: the types of cost 0 and Δ, each 1/5. A: those two fight (p and p - Δ), the
    # other three take p - 2Δ.
    assert outcomes(results) == pytest.approx({"war": best / 5, "settlement": 1 - best / 5})
    a_value = (p + (p - delta) + 3 * (p - 2 * delta)) / 5
    root = results.index("cost")
    players = list(results.flat.players)
    assert results.utility[root, players.index("b")] == pytest.approx(value[best])
    assert results.utility[root, players.index("a")] == pytest.approx(a_value)
    assert f"k* = {best}, B offers p − c̄/2 = {p - 2 * delta:.1f}" in tree.root.notes
    # The command line says the same.
    document = run_json(capsys, "evaluate", str(FEARON))
    assert document["equilibrium"] == {"shown": 1, "of": 1, "complete": True}
    assert document["nodes"]["cost"]["outcomes"]["war"] == pytest.approx(best / 5)


def test_fearon_war_has_positive_probability_iff_cbar_exceeds_cost_b(capsys):
    tree = load(FEARON)
    cost_b = values(tree)["cost_b"]
    # Moving c̄ (Δ = c̄/4): B first risks war, offering p - Δ, when V(1) > V(0), i.e.
    # 4Δ > c_B: c̄ > c_B, the published condition. It risks two types fighting when
    # V(2) > V(1), 2Δ > c_B: c̄ > 2c_B. So the switches are at c_B = 0.1 and 0.2.
    sweep = equilibria_changes(tree, "cbar")
    assert [s.at for s in sweep.switches] == pytest.approx([cost_b, 2 * cost_b], abs=1e-6)
    assert [i.count for i in sweep.intervals] == [1, 1, 1]
    for interval in sweep.intervals:
        cbar = interval.middle
        best, _value = fearon_optimum(values(tree)["p"], cbar, cost_b)
        [found] = find_equilibria(tree, {"cbar": cbar}).equilibria
        assert outcomes(found.results).get("war", 0.0) == pytest.approx(best / 5)
        assert (best > 0) == (cbar > cost_b)
    document = run_json(capsys, "equilibria", str(FEARON), "--var", "cbar")
    assert [s["at"] for s in document["switches"]] == pytest.approx([0.1, 0.2], abs=1e-6)


def test_fearon_a_dearer_war_for_b_buys_peace():
    tree = load(FEARON)
    delta = values(tree)["cbar"] / 4
    # k -> k - 1 where c_B = (N - 2k + 1)Δ: 2 -> 1 at c_B = 2Δ, 1 -> 0 at c_B = 4Δ = c̄,
    # beyond which B offers p to every type and there is no war.
    sweep = equilibria_changes(tree, "cost_b")
    assert [s.at for s in sweep.switches] == pytest.approx([2 * delta, 4 * delta], abs=1e-6)
    [last] = find_equilibria(tree, {"cost_b": 0.5}).equilibria
    assert last.results.chosen_id("type0") == "offer0" and "war" not in outcomes(last.results)


# ---- Powell (1987, 1990): brinkmanship as a competition in risk-taking -------------------
def powell(tree, risk_tolerance: float | None = None) -> dict[str, float]:
    """Resolve r = (u(w) - u(s)) / (u(w) - u(d)): the highest chance of disaster a side
    runs rather than back down (w prevailing, s backing down, d disaster), and the prior
    π* up to which the challenger starts the crisis."""
    v = values(tree)
    u = exponential(risk_tolerance or v["r_challenger"])
    w, s, d = v["c_stakes"], 0.0, -v["c_cost"]
    r1, r2 = v["risk1"], v["risk2"]
    # Escalating, the challenger meets a defender who backs down (A) or, resolute, one who
    # raises the risk, after which it backs down itself (B: rung 3 is beyond its resolve).
    a = (1 - r1) * u(w) + r1 * u(d)
    b = (1 - r1) * ((1 - r2) * u(s) + r2 * u(d)) + r1 * u(d)
    return {"challenger": (u(w) - u(s)) / (u(w) - u(d)),
            "resolute": v["d_stakes"] / v["cost_resolute"],
            "irresolute": v["d_stakes"] / v["cost_irresolute"],
            "cutoff": (a - u(s)) / (a - b)}


def test_powell_each_defender_runs_risks_up_to_its_resolve(capsys):
    tree = load(POWELL)
    r = powell(tree)
    # Resolute: 50/80 = 0.625; irresolute: 50/450 = 0.111.
    assert (r["resolute"], r["irresolute"]) == pytest.approx((0.625, 1 / 9))
    for node, resolve in (("d4", r["resolute"]), ("irresolute__d4", r["irresolute"])):
        found = run_json(capsys, "threshold", str(POWELL), "--node", node, "--var", "risk4")
        assert found["thresholds"] == pytest.approx([resolve], abs=1e-6)
        assert [i["choice"] for i in found["intervals"]] == [
            node.replace("d4", "rung4"), node.replace("d4", "d4.back_down")]


def test_powell_the_more_resolute_side_prevails(capsys):
    tree = load(POWELL)
    r = powell(tree)
    # The challenger, risk-acceptant (R = -200): (e^0.25 - 1)/(e^0.25 - e^-0.75) = 0.350,
    # between the defenders' 0.111 and 0.625; below the risk of rung 3 (0.4), above that
    # of rung 1 (0.05).
    assert r["challenger"] == pytest.approx(0.3499, abs=1e-4)
    v = values(tree)
    assert r["irresolute"] < v["risk2"] <= r["resolute"] and v["risk1"] <= r["challenger"]
    assert r["challenger"] < v["risk3"] and v["risk4"] <= r["resolute"]
    # Against a defender known to be irresolute the challenger escalates, as long as the
    # first rung's risk is within its resolve, and the defender backs down at once.
    sweep = equilibria_changes(tree, "risk1", 0.0, 0.6, overrides={"pi_resolute": 0.0})
    assert [s.at for s in sweep.switches] == pytest.approx([r["challenger"]], abs=1e-6)
    [weak] = find_equilibria(tree, {"pi_resolute": 0.0}).equilibria
    assert outcomes(weak.results) == pytest.approx({"c_prevails": 1 - v["risk1"],
                                                    "disaster": v["risk1"]})
    # Against one known to be resolute it leaves the status quo alone: the defender prevails.
    [strong] = find_equilibria(tree, {"pi_resolute": 1.0}).equilibria
    assert outcomes(strong.results) == {"status_quo": 1.0}
    document = run_json(capsys, "evaluate", str(POWELL), "--set", "pi_resolute=1")
    assert document["nodes"]["resolve"]["outcomes"] == {"status_quo": 1.0}


def test_powell_the_challenger_starts_the_crisis_iff_the_prior_is_below_its_cutoff():
    tree = load(POWELL)
    r = powell(tree)
    assert r["cutoff"] == pytest.approx(0.7056, abs=1e-4)
    sweep = equilibria_changes(tree, "pi_resolute")
    assert [s.at for s in sweep.switches] == pytest.approx([r["cutoff"]], abs=1e-6)
    start = "The challenger, at the start"
    below, above = sweep.intervals
    assert [dict(d.on_path)[start] for d in below.equilibria] == ["Escalate (risk1)"]
    assert [dict(d.on_path)[start] for d in above.equilibria] == ["Leave the status quo alone"]
    # At π = 0.5: the irresolute defender backs down (the challenger prevails), the
    # resolute one raises the risk and the challenger backs down at rung 3.
    v = values(tree)
    pi, r1, r2 = v["pi_resolute"], v["risk1"], v["risk2"]
    [found] = find_equilibria(tree).equilibria
    assert outcomes(found.results) == pytest.approx({
        "c_prevails": (1 - r1) * (1 - pi), "d_prevails": (1 - r1) * pi * (1 - r2),
        "disaster": r1 + (1 - r1) * pi * r2})
    assert found.results.chosen_id("c3") == "c3.back_down"
    assert f"π* ≈ {r['cutoff']:.3f}" in tree.root.notes


def test_powell_a_risk_averse_challenger_does_not_start_the_crisis():
    tree = load(POWELL)
    [scenario] = tree.scenarios
    risk_tolerance = scenario.values.variables["r_challenger"]
    r = powell(tree, risk_tolerance)
    # R = 300: resolve 0.191 and cutoff 0.476, below the prior 0.5.
    assert r["cutoff"] == pytest.approx(0.4759, abs=1e-4)
    assert r["cutoff"] < values(tree)["pi_resolute"]
    [found] = find_equilibria(tree, {"r_challenger": risk_tolerance}).equilibria
    assert outcomes(found.results) == {"status_quo": 1.0}
    sweep = equilibria_changes(tree, "pi_resolute", overrides={"r_challenger": risk_tolerance})
    assert [s.at for s in sweep.switches] == pytest.approx([r["cutoff"]], abs=1e-6)


# ---- Schelling (1960): the threat that leaves something to chance ------------------------
def schelling(tree, **changed: float) -> dict[str, float]:
    """The window of risk: the moderate challenger complies iff
        u_C(-b) >= p u_C(-W_C) + (1 - p) u_C(g)
        <=>  p >= (u_C(g) - u_C(-b)) / (u_C(g) - u_C(-W_C)),
    and the deterrer threatens (the hardliner, with chance q, always defies) iff
        (1 - q) u_D(0) + q (p u_D(-W_D) + (1 - p) u_D(-l)) >= u_D(-l)
        <=>  p <= (1 - q)(u_D(0) - u_D(-l)) / (q (u_D(-l) - u_D(-W_D)))."""
    v = {**values(tree), **changed}
    uc, ud = exponential(v["r_challenger"]), exponential(v["r_deterrer"])
    gain, back, loss = v["c_gain"], v["moderate_backdown"], v["d_loss"]
    q, p = v["q_hardline"], v["p_risk"]
    low = (uc(gain) - uc(-back)) / (uc(gain) - uc(-v["c_war_cost"]))
    high = (1 - q) * (ud(0) - ud(-loss)) / (q * (ud(-loss) - ud(-v["d_war_cost"])))
    q_max = (ud(0) - ud(-loss)) / ((ud(0) - ud(-loss)) + p * (ud(-loss) - ud(-v["d_war_cost"])))
    return {"low": low, "high": high, "q_max": q_max}


def threshold(tree, node: str, variable: str, **given: float):
    return analyse(tree, ThresholdParameters(node=node, variable=variable, values=given)).result


def test_schelling_the_risk_deters_iff_it_exceeds_the_challengers_threshold():
    tree = load(SCHELLING)
    window = schelling(tree)
    # R_C = -50: (e^0.4 - e^-0.1)/(e^0.4 - e^-2) = 0.4327; risk-neutral it would be
    # (20 + 5)/(20 + 100) = 0.208: a risk-acceptant challenger needs a larger risk.
    assert window["low"] == pytest.approx(0.4327, abs=1e-4)
    assert schelling(tree, r_challenger=-1e9)["low"] == pytest.approx(25 / 120, abs=1e-6)
    found = threshold(tree, "moderate", "p_risk")
    assert found.thresholds == pytest.approx([window["low"]], abs=1e-6)
    assert [choice for _a, _b, choice in found.intervals] == ["defy", "comply"]


def test_schelling_the_deterrer_runs_the_risk_only_inside_the_window():
    tree = load(SCHELLING)
    window = schelling(tree)
    # R_D = 100, q = 0.2: 0.8 (1 - e^0.2) / (0.2 (e^0.2 - e)) = 0.5916 (1 if risk-neutral).
    assert window["high"] == pytest.approx(0.5916, abs=1e-4)
    found = threshold(tree, "response", "p_risk")
    assert found.thresholds == pytest.approx([window["low"], window["high"]], abs=1e-6)
    assert [choice for _a, _b, choice in found.intervals] == ["acquiesce", "risk", "acquiesce"]
    # At p = 0.5, inside: the moderate complies, the hardliner defies.
    v = values(tree)
    p, q = v["p_risk"], v["q_hardline"]
    results = evaluate(tree)
    assert results.chosen_id("response") == "risk"
    assert outcomes(results) == pytest.approx({"deterred": 1 - q, "disaster": q * p,
                                               "challenger_wins": q * (1 - p)})
    # More hardliners than q_max and the risk is no longer worth running.
    found = threshold(tree, "response", "q_hardline")
    assert found.thresholds == pytest.approx([window["q_max"]], abs=1e-6)
    assert f"p_min ≈ {window['low']:.3f}" in tree.root.notes
    assert f"p_max ≈ {window['high']:.3f}" in tree.root.notes


def test_schelling_a_firm_threat_is_not_believed():
    tree = load(SCHELLING)
    v = values(tree)
    results = evaluate(tree)
    # Carrying the threat out costs the deterrer W_D = 100, giving way l + bluff = 25.
    assert results.chosen_id("firm.defy") == "firm.give_way"
    assert results.chosen_id("firm.moderate") == "firm.defy"
    deterrer = list(results.flat.players).index("d")
    assert results.utility[results.index("firm"), deterrer] == pytest.approx(
        -(v["d_loss"] + v["bluff_cost"]))


def test_schelling_a_more_risk_acceptant_challenger_is_not_deterred():
    tree = load(SCHELLING)
    p = values(tree)["p_risk"]
    # The risk tolerance at which the challenger's threshold reaches p = 0.5, found by
    # bisection on the closed form above (it rises as R goes from -200 towards 0).
    low, high = -200.0, -20.0
    for _ in range(200):
        middle = (low + high) / 2
        low, high = (middle, high) if schelling(tree, r_challenger=middle)["low"] < p else (
            low, middle)
    found = threshold(tree, "moderate", "r_challenger")
    assert found.thresholds == pytest.approx([low], abs=1e-6)
    assert [choice for _a, _b, choice in found.intervals] == ["comply", "defy"]


# ---- Zagare and Kilgour (2000): perfect deterrence ---------------------------------------
def zagare_kilgour(tree, **changed: float) -> dict[str, float]:
    v = {**values(tree), **changed}
    dc, sq = v["c_dc"], v["c_sq"]
    return {
        # A Hard Challenger challenges a Defender whose Soft type concedes iff
        # p_Def c_DD+ + (1 - p_Def) c_DC > c_SQ:
        "hard": (dc - sq) / (dc - v["c_dd_hard"]),
        # a Soft one (it backs down if denied) iff p_Def c_CD + (1 - p_Def) c_DC > c_SQ;
        "soft": (dc - sq) / (dc - v["c_cd"]),
        # a Soft Defender concedes iff its belief that the challenger is Hard is at least
        # (d_CD - d_DC) / (d_CD - d_DD-).
        "defender": (v["d_cd"] - v["d_dc"]) / (v["d_cd"] - v["d_dd_soft"])}


def challenges(found) -> float:
    return 1.0 - outcomes(found.results).get("sq", 0.0)


def test_zagare_kilgour_the_status_quo_survives_iff_the_defender_is_credible_enough():
    tree = load(ZAGARE_KILGOUR)
    t = zagare_kilgour(tree)
    # (60 - 30)/(60 - 10) = 0.6 and (60 - 30)/(60 - 0) = 0.5.
    assert (t["hard"], t["soft"]) == pytest.approx((0.6, 0.5))
    assert values(tree)["p_ch"] >= t["defender"]  # 0.5 >= 30/70: the Soft Defender concedes
    sweep = equilibria_changes(tree, "p_def")
    assert [s.at for s in sweep.switches] == pytest.approx([t["soft"], t["hard"]], abs=1e-6)
    v = values(tree)
    p_ch = v["p_ch"]
    for p_def, challenged in ((0.8, 0.0), (0.55, p_ch), (0.3, 1.0)):
        found = find_equilibria(tree, {"p_def": p_def})
        assert found.complete
        # The most a challenger does in any equilibrium: nothing above 0.6, the Hard one
        # challenges between 0.5 and 0.6, both below 0.5.
        assert max(challenges(e) for e in found.equilibria) == pytest.approx(challenged)
    [hard_only] = [e for e in find_equilibria(tree, {"p_def": 0.55}).equilibria
                   if challenges(e)]
    # The Hard Challenger meets conflict from the Hard Defender and wins from the Soft.
    assert outcomes(hard_only.results) == pytest.approx(
        {"sq": 1 - p_ch, "dd": p_ch * 0.55, "dc": p_ch * 0.45})
    assert v["p_def"] > t["hard"]
    assert all(outcomes(e.results) == {"sq": 1.0} for e in find_equilibria(tree).equilibria)


def test_zagare_kilgour_the_status_quo_must_be_worth_keeping():
    tree = load(ZAGARE_KILGOUR)
    v = values(tree)
    p_def, dc = v["p_def"], v["c_dc"]
    # The thresholds in c_SQ: where each challenger's expected gain equals the status quo,
    # 0.7·0 + 0.3·60 = 18 (Soft) and 0.7·10 + 0.3·60 = 25 (Hard).
    soft = p_def * v["c_cd"] + (1 - p_def) * dc
    hard = p_def * v["c_dd_hard"] + (1 - p_def) * dc
    assert (soft, hard) == pytest.approx((18, 25))
    sweep = equilibria_changes(tree, "c_sq")
    assert [s.at for s in sweep.switches] == pytest.approx([soft, hard], abs=1e-6)
    assert zagare_kilgour(tree, c_sq=hard)["hard"] == pytest.approx(p_def)


def test_zagare_kilgour_a_bluff_needs_a_defender_who_cannot_read_it():
    tree = load(ZAGARE_KILGOUR)
    t = zagare_kilgour(tree)
    assert t["defender"] == pytest.approx(3 / 7)
    # With p_Def below both thresholds each challenger would challenge a Defender whose
    # Soft type concedes; it concedes to the pooled challenge iff p_Ch >= 3/7.
    sweep = equilibria_changes(tree, "p_ch", overrides={"p_def": 0.3})
    assert [s.at for s in sweep.switches] == pytest.approx([t["defender"]], abs=1e-6)
    below, above = sweep.intervals
    assert below.count == 1 and above.count == 2
