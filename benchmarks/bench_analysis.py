"""Analysis speed: a 200-point one-way sweep of a 10,000-node tree; the spider of the
same tree (41 points a variable); 10,000 Monte Carlo samples of a 1,000-node tree.

    python benchmarks/bench_analysis.py [--sweep-nodes 10000] [--mc-nodes 1000] [--repeat 7]

The trees are benchmarks/treegen.py's random trees with two variables added: a
probability `p` on the first branch of every chance node (the last branch is the
remainder "#"), and a payoff `v` added to criterion a on every third node. Both have a
range and a distribution. Prints one line per figure (the median of --repeat runs);
docs/benchmarks.md records a run.
"""
from __future__ import annotations

import argparse
import gc

import numpy as np
from treegen import random_tree, timed

from offramp_gui.analysis.flatten import flatten
from offramp_gui.analysis.montecarlo import simulate
from offramp_gui.analysis.sensitivity import _switch_points as switch_points
from offramp_gui.analysis.sensitivity import (
    alternative_values,
    one_way,
    spider,
    subject,
    threshold,
)
from offramp_gui.model.tree import CHANCE, Variable

STEPS, SAMPLES = 200, 10_000



def analysis_tree(size: int):  # noqa: ANN201 - a Tree
    """A random tree whose chance nodes share `p` and a third of whose payoffs use `v`."""
    tree = random_tree(size)
    for k, node in enumerate(tree.root.walk()):
        if node.type == CHANCE and len(node.children) >= 2:
            first, *middle, last = node.children
            first.probability = "p"
            for child in middle:  # leave at least 0.1 for the remainder when p is 0.5
                child.probability = round(min(float(child.probability), 0.4 / len(middle)), 3)
            last.probability = "#"
        if k % 3 == 0:
            node.payoff = {**(node.payoff or {}), "a": f"{(node.payoff or {}).get('a', 0)} + v"}
    first = tree.root.children[0]  # so that v moves the root's decision somewhere in range
    first.payoff = {**(first.payoff or {}), "a": f"{(first.payoff or {}).get('a', 0)} + 4 * v"}
    tree.variables = [
        Variable("p", 0.3, 0.05, 0.5, "A probability on every chance node",
                 {"type": "beta", "alpha": 3, "beta": 7}),
        Variable("v", 0.0, -20, 20, "A payoff on every third node",
                 {"type": "normal", "mean": 0, "sd": 8})]
    tree.reindex()
    return tree


def sweep_figures(size: int, repeat: int) -> None:
    flat = flatten(analysis_tree(size))
    topic = subject(flat)
    print(f"sweep tree: {flat.size:,} nodes, {len(flat.levels)} levels,"
          f" {len(topic.alternatives)} alternatives at the root")
    for name, low, high in (("p", 0.05, 0.5), ("v", -20.0, 20.0)):
        x = np.linspace(low, high, STEPS)
        one_way(flat, topic, name, low, high, STEPS)  # warm: the level plans are cached

        def probe(points: np.ndarray, name: str = name) -> tuple[np.ndarray, np.ndarray]:
            values, labels = alternative_values(flat, topic, {name: points}, points.size)
            return labels, values
        best = probe(x)[0]
        cells = int(np.count_nonzero(best[:-1] != best[1:]))
        sweep = timed(lambda: probe(x), repeat)  # noqa: B023
        refine = timed(lambda: switch_points(x, best, probe, topic.alternatives),  # noqa: B023
                       repeat)
        whole = timed(lambda: one_way(flat, topic, name, low, high, STEPS), repeat)  # noqa: B023
        print(f"one-way sweep of {name}, {STEPS} points: {sweep:.3f} s; switch refinement"
              f" ({cells} switch{'es' if cells != 1 else ''}): {refine:.3f} s;"
              f" whole analysis {whole:.3f} s (target < 0.2 s)")
    # The first decision two levels down whose choice v changes (found untimed).
    start, end = flat.levels[2]
    decisions = [flat.ids[i] for i in range(start, end) if flat.kind[i] == 2]
    node_id = next((i for i in decisions
                    if threshold(flat, i, "v", -20, 20, STEPS).thresholds), decisions[0])
    found = threshold(flat, node_id, "v", -20, 20, STEPS)
    seconds = timed(lambda: threshold(flat, node_id, "v", -20, 20, STEPS), repeat)
    print(f"threshold at {node_id} over v, {STEPS} points ({len(found.thresholds)}"
          f" threshold{'s' if len(found.thresholds) != 1 else ''}): {seconds:.3f} s")


def spider_figure(size: int, repeat: int) -> None:
    """The spider the app reruns by itself after each change, up to 10,000 nodes."""
    flat = flatten(analysis_tree(size))
    topic = subject(flat)
    result = spider(flat, topic)  # warm
    switches = sum(len(line.switches) for line in result.lines)
    seconds = timed(lambda: spider(flat, topic), repeat)
    print(f"spider of p and v, 41 points each ({switches} switch"
          f"{'es' if switches != 1 else ''}): {seconds:.3f} s")


def monte_carlo_figures(size: int, repeat: int) -> None:
    flat = flatten(analysis_tree(size))
    topic = subject(flat)
    simulate(flat, topic, 100, seed=1)  # warm
    result = simulate(flat, topic, SAMPLES, seed=1)
    print(f"Monte Carlo tree: {flat.size:,} nodes; P(best) "
          + ", ".join(f"{v['probability_best']:.2f}" for v in result.summary().values()))
    seconds = timed(lambda: simulate(flat, topic, SAMPLES, seed=1), repeat)
    print(f"Monte Carlo, {SAMPLES:,} samples (with EVPI and EVPPI): {seconds:.3f} s"
          " (target < 1 s)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sweep-nodes", type=int, default=10_000)
    parser.add_argument("--mc-nodes", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=7)
    options = parser.parse_args()
    gc.disable()
    sweep_figures(options.sweep_nodes, options.repeat)
    spider_figure(options.sweep_nodes, options.repeat)
    monte_carlo_figures(options.mc_nodes, options.repeat)


if __name__ == "__main__":
    main()
