"""Engine speed: flatten and evaluate a 1,000,000-node tree; re-evaluate after one edit.

    python benchmarks/bench_engine.py [--nodes 1000000] [--repeat 5]

The rollback is also given as a multiple of this machine's memory-bandwidth floor: the
time to stream once through memory the arrays it reads (a numpy sum over each). Flatten
is given with its floor in CPython: one loop that reads the fields the engine needs from
every Node object and keeps nothing.

Prints one line per figure; docs/benchmarks.md records a run.
"""
from __future__ import annotations

import argparse
import gc

import numpy as np
from treegen import random_tree, timed, timed_cpu

from offramp_gui.analysis.evaluate import evaluate
from offramp_gui.analysis.flatten import CHANCE_KIND, flatten
from offramp_gui.analysis.incremental import IncrementalEvaluator
from offramp_gui.model.columns import columns_of
from offramp_gui.model.tree import Node


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    gc.disable()
    tree = random_tree(options.nodes)
    flatten_wall, flatten_cpu = timed_cpu(lambda: flatten(tree), 3)
    columns_wall, columns_cpu = timed_cpu(lambda: columns_of(tree.root), 3)
    nodes = list(tree.root.walk())
    floor_wall, floor_cpu = timed_cpu(lambda: read_every_field(nodes), 3)
    flat = flatten(tree)
    evaluate(flat)  # the first run also builds the per-level index plan, kept with the tree
    print(f"tree: {flat.size:,} nodes, {len(flat.levels)} levels")
    print(f"flatten (model -> arrays, once per structural change): {flatten_wall:.3f} s,"
          f" CPU {flatten_cpu:.3f} s (target < 0.5 s)")
    print(f"  of which the nodes' fields read into lists (columns_of): {columns_wall:.3f} s,"
          f" CPU {columns_cpu:.3f} s")
    print(f"  floor, a loop that only reads those fields of every node: {floor_wall:.3f} s,"
          f" CPU {floor_cpu:.3f} s")
    rollback = timed(lambda: evaluate(flat), options.repeat)
    read = (flat.payoff, flat.probability, flat.kind, flat.child_count, flat.child_start,
            flat.player, flat.outcome)
    floor = timed(lambda: [array.sum() for array in read], options.repeat)
    megabytes = sum(array.nbytes for array in read) / 1e6
    print(f"evaluate the loaded tree: {rollback * 1000:.1f} ms (target < 50 ms)")
    print(f"memory-bandwidth floor: {floor * 1000:.1f} ms to stream its {megabytes:.0f} MB"
          f" of arrays; the rollback takes {rollback / floor:.1f} times that")
    incremental = IncrementalEvaluator(flat)
    # A deepest branch of a chance node: the longest path to the root.
    leaf = int(np.flatnonzero(flat.kind[flat.parent[1:]] == CHANCE_KIND)[-1]) + 1
    edits = iter(range(10**9))
    probability = timed(lambda: incremental.set_probability(leaf, 0.1 + 0.001 * (next(edits) % 5)),
                        options.repeat * 20)
    payoff = timed(lambda: incremental.set_payoff(leaf, 0, next(edits) % 7), options.repeat * 20)
    print(f"re-evaluate after one probability change: {probability * 1000:.3f} ms"
          " (target < 1 ms)")
    print(f"re-evaluate after one payoff change: {payoff * 1000:.3f} ms (target < 1 ms)")


def read_every_field(nodes: list[Node]) -> None:
    """Touch the fields flatten reads, of every node, keeping none."""
    for node in nodes:
        (node.id, node.type, node.branch, node.name, node.player, node.solve,  # noqa: B018
         node.probability, node.payoff, node.outcome, node.children)


if __name__ == "__main__":
    main()
