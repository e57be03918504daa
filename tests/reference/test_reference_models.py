"""The reference models of trees/reference/ reproduce their published results with
offramp's own engine. Every expected number is worked out here by hand, from the model's
formula and the parameters in the file, never copied from the engine's output."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from offramp_gui.analysis.equilibria import find_equilibria
from offramp_gui.analysis.equilibria_sweep import equilibria_changes
from offramp_gui.api import load
from offramp_gui.cli import main

REFERENCE = Path(__file__).resolve().parents[2] / "trees" / "reference"
FEARON = REFERENCE / "fearon-1995.json"


def values(tree) -> dict[str, float]:
    """The variables that hold a number (the model's parameters)."""
    return {v.name: float(v.value) for v in tree.variables if not isinstance(v.value, str)}


def outcomes(results, node_id: str | None = None) -> dict[str, float]:
    row = results.outcomes[results.index(node_id or results.flat.ids[0])]
    return {key: float(chance) for key, chance in zip(results.outcome_keys, row) if chance}


def run_json(capsys, *arguments: str) -> dict:
    assert main([*arguments, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


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
