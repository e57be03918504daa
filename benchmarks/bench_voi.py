"""Value of information on a chance event: the time of `event_information` against one
evaluation of the same tree.

    python benchmarks/bench_voi.py [--sizes 100000 1000000] [--repeat 3]

The trees are benchmarks/treegen.py's random trees, decision and chance levels
alternating, three branches each. The event is the chance nodes two levels below the root
(depth 3): their branches get labels of their own and the same chances, so that all of
them are one event, known before the root's decision; every other chance node keeps
labels of its depth. The analysis is perfect information (three outcomes) and a test
right 80% of the time (three signals): one rollback of 7 samples, timed against one
evaluation and against a plain rollback of 7 samples of the tree as it is. Prints one
line per size (medians); docs/benchmarks.md records a run.
"""
from __future__ import annotations

import argparse
import gc

from treegen import random_tree, timed

from offramp_gui.analysis.evaluate import evaluate, solve
from offramp_gui.analysis.event_information import accuracy_likelihood, event_information
from offramp_gui.analysis.flatten import CHANCE_KIND, flatten
from offramp_gui.model.tree import CHANCE

EVENT_DEPTH = 3


def event_tree(size: int):  # noqa: ANN201 - a Tree
    tree = random_tree(size)
    level = [tree.root]
    for depth in range(1, 64):
        level = [child for node in level for child in node.children]
        if not level:
            break
        for node in level:
            if node.type != CHANCE:
                continue
            for k, child in enumerate(node.children):
                child.branch = f"outcome {k} at depth {depth}"
                if depth == EVENT_DEPTH:
                    child.probability = (0.2, 0.3, 0.5)[k]
    tree.reindex()
    return tree


def measure(size: int, repeat: int) -> None:
    flat = flatten(event_tree(size))
    event = next(flat.ids[i] for i in range(flat.size)
                 if flat.kind[i] == CHANCE_KIND and flat.labels.branches[
                     flat.child_start[i]].endswith(f"depth {EVENT_DEPTH}"))
    likelihood = accuracy_likelihood(0.8, 3)
    found = event_information(flat, event, flat.ids[0], likelihood=likelihood)
    once = timed(lambda: evaluate(flat), repeat)
    seven = timed(lambda: solve(flat, samples=7, want_reach=False, want_outcomes=False),
                  repeat)
    voi = timed(lambda: event_information(flat, event, flat.ids[0], likelihood=likelihood),
                repeat)
    print(f"{flat.size:>9,} nodes, {len(found.places)} places of the event:"
          f" value of information {voi:.3f} s, one evaluation {once:.3f} s"
          f" ({voi / once:.1f}x), a rollback of 7 samples {seven:.3f} s"
          f" ({voi / seven:.1f}x); EVPI {found.perfect.worth:.4g}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    gc.disable()
    for size in options.sizes:
        measure(size, options.repeat)


if __name__ == "__main__":
    main()
