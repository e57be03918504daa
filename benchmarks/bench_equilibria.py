"""All pure perfect Bayesian equilibria of a game of 2^20 (about 10^6) strategy profiles
(issue 16: under 2 s).

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

from offramp_gui.analysis.equilibria import find_equilibria
from offramp_gui.model.tree import Criterion, Node, Player, Tree


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


if __name__ == "__main__":
    main()
