"""All pure perfect Bayesian equilibria of a game of 2^20 (about 10^6) strategy profiles
(issue 16: under 2 s); and a slider step in the app on the essay's game of private
information (issue 16: the app stays live).

    python benchmarks/bench_equilibria.py [--sets 20] [--repeat 5]

A chance move the players never see (two states), then `--sets` choices in a row, two
players taking turns: at each, stop (a payoff drawn once, seeded) or go on. Each choice
is an information set of two nodes, one per state: 2^sets profiles, every one examined.
CPU medians of the whole search (flatten, prune, enumerate, the equilibria's results).
"""
from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
from pathlib import Path

from offramp_gui.analysis.equilibria import find_equilibria
from offramp_gui.analysis.live import LiveEvaluation
from offramp_gui.fileformat.json_io import read_file
from offramp_gui.model.events import TreeChange
from offramp_gui.model.tree import Criterion, Node, Player, Tree

RESOLVE = Path(__file__).resolve().parents[1] / "trees" / "resolve.json"


def blind_chain(sets: int, seed: int = 16) -> Tree:
    draw = random.Random(seed)

    def chain(state: str, k: int) -> Node:
        if k == sets:
            return Node(f"{state}_end", "terminal", branch="Go on",
                        payoff={"a": draw.randint(-9, 9), "b": draw.randint(-9, 9)})
        node = Node(f"{state}_{k}", "decision", branch="Go on" if k else state,
                    player="a" if k % 2 == 0 else "b", information_set=f"step {k}")
        node.children = [chain(state, k + 1),
                         Node(f"{state}_{k}_stop", "terminal", branch="Stop",
                              payoff={"a": draw.randint(-9, 9), "b": draw.randint(-9, 9)})]
        return node

    root = Node("state", "chance")
    root.children = [chain("x", 0), chain("y", 0)]
    root.children[0].probability, root.children[1].probability = 0.3, 0.7
    tree = Tree(root, "blind chain")
    tree.criteria = [Criterion("a", "A"), Criterion("b", "B")]
    tree.players = [Player("a", "A", {"a": 1}), Player("b", "B", {"b": 1})]
    tree.reindex()
    return tree


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    tree = blind_chain(options.sets)
    gc.disable()
    times = []
    for _ in range(options.repeat):
        started = time.process_time()
        search = find_equilibria(tree)
        times.append(time.process_time() - started)
    print(f"{search.profiles:,} profiles, {search.searched:,} examined,"
          f" {len(search.equilibria)} equilibria:"
          f" {statistics.median(times):.2f} s CPU (median of {options.repeat})")
    slider_step()


def slider_step(steps: int = 41) -> None:
    """What the app does for each value a slider passes through on trees/resolve.json:
    the variable set, the equilibria searched again (the live evaluation cannot take an
    edit of a game), the shown one's results and its outcome chances read."""
    tree = read_file(RESOLVE).tree
    variable = next(v for v in tree.variables or [] if v.name == "rhetoric_stakes")
    change = TreeChange("meta", fields=frozenset({"variables"}))
    live = LiveEvaluation(tree)
    times = []
    for k in range(steps):
        variable.value = 50 * k / (steps - 1)
        started = time.perf_counter()
        if not live.apply(tree, change):
            live = LiveEvaluation(tree)
            live.choose(3)
        live.results().outcomes  # noqa: B018 - what the outcome chart reads
        times.append(time.perf_counter() - started)
    print(f"a slider step on {RESOLVE.name} ({len(list(tree.root.walk()))} nodes,"
          f" {len(live.search.equilibria) if live.search else 0} equilibria at the end):"
          f" median {statistics.median(times) * 1000:.1f} ms, slowest"
          f" {max(times) * 1000:.1f} ms wall (of {steps})")


if __name__ == "__main__":
    main()
