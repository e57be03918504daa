"""What certainty equivalents add to the rollback (issue 15: under 20%).

    python benchmarks/bench_risk.py [--nodes 1000000] [--repeat 7]

The same random tree is evaluated with both players risk-neutral, then with one player
exponential (R = 20) and with one piecewise, alternating the three so that the load of
a shared machine falls on each alike; CPU medians. Also one payoff edit taken by the
live evaluation: in the risk-neutral tree (the rows it touches re-solved), and with a
risk attitude (the patched arrays rolled back in full), against a full evaluation
(`LiveEvaluation` built again from the tree: flatten and roll back).
"""
from __future__ import annotations

import argparse
import gc
import statistics
import time

import numpy as np
from treegen import random_tree

from offramp_gui.analysis.evaluate import evaluate
from offramp_gui.analysis.flatten import CHANCE_KIND, flatten
from offramp_gui.analysis.live import LiveEvaluation
from offramp_gui.model.events import TreeChange
from offramp_gui.model.tree import Utility


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    options = parser.parse_args()
    gc.disable()
    tree = random_tree(options.nodes)
    flats = {"risk-neutral": flatten(tree)}
    tree.players[1].utility = Utility("exponential", risk_tolerance=20)
    flats["exponential"] = flatten(tree)
    tree.players[1].utility = Utility("piecewise", points=[[-100, -300], [0, 0], [100, 50]])
    flats["piecewise"] = flatten(tree)
    for flat in flats.values():
        evaluate(flat)  # (builds the per-level plans, kept with the tree)
    print(f"tree: {flats['risk-neutral'].size:,} nodes, 2 players, one of them non-linear")
    for what, work in (("evaluate", evaluate),
                       ("evaluate with the outcome chances (as the app and evaluate --json)",
                        lambda flat: evaluate(flat).outcomes)):
        cpu: dict[str, list[float]] = {name: [] for name in flats}
        for _ in range(options.repeat):
            for name, flat in flats.items():
                start = time.process_time()
                work(flat)
                cpu[name].append(time.process_time() - start)
        base = statistics.median(cpu["risk-neutral"])
        for name, times in cpu.items():
            median = statistics.median(times)
            print(f"{what}, {name}: {median * 1000:.1f} ms CPU"
                  + ("" if name == "risk-neutral" else f" (+{(median / base - 1) * 100:.0f}%)"))
    live_edit(tree)


def live_edit(tree) -> None:  # noqa: ANN001
    """One payoff edit, live and in full."""
    flat = flatten(tree)
    leaf = flat.ids[int(np.flatnonzero(flat.kind[flat.parent[1:]] == CHANCE_KIND)[-1]) + 1]
    change = TreeChange("field", node_ids=frozenset({leaf}), fields=frozenset({"payoff"}))
    tree.players[1].utility = None
    live = LiveEvaluation(tree)
    times = []
    for k in range(5):
        tree.set_field(leaf, "payoff", {"a": k, "b": 1})
        start = time.perf_counter()
        assert live.apply(tree, change)
        live.results()
        times.append(time.perf_counter() - start)
    print(f"one payoff edit, live (risk-neutral): {statistics.median(times) * 1000:.2f} ms")
    tree.players[1].utility = Utility("exponential", risk_tolerance=20)
    live = LiveEvaluation(tree)
    times, full = [], []
    for k in range(3):
        tree.set_field(leaf, "payoff", {"a": k, "b": 1})
        start = time.perf_counter()
        assert live.apply(tree, change)
        live.results()
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        LiveEvaluation(tree).results()
        full.append(time.perf_counter() - start)
    print("one payoff edit, live (a player with a risk attitude):"
          f" {statistics.median(times) * 1000:.0f} ms;"
          f" a full evaluation: {statistics.median(full) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
