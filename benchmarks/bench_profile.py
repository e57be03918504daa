"""Risk profile speed: the profile of the root's decision, read off results already
computed (what the app's panel does after every change), against the rollback itself.

    python benchmarks/bench_profile.py [--nodes 100000 1000000] [--repeat 5]

The trees are benchmarks/treegen.py's random trees (decision and chance levels
alternating, three branches each). Prints, per size, the medians (wall and CPU seconds) of
--repeat runs of the evaluation, of the evaluation with the outcome chances (which the
Outcomes chart computes anyway), and of the profile; docs/benchmarks.md records a run.
"""
from __future__ import annotations

import argparse
import gc

from treegen import random_tree, timed_cpu

from offramp_gui.analysis.evaluate import evaluate
from offramp_gui.analysis.flatten import flatten
from offramp_gui.analysis.profile import profile_of


def measure(size: int, repeat: int) -> str:
    flat = flatten(random_tree(size))
    gc.collect()
    rollback = timed_cpu(lambda: evaluate(flat), repeat)
    outcomes = timed_cpu(lambda: evaluate(flat).outcomes, repeat)
    results = evaluate(flat)
    results.outcomes  # noqa: B018 - computed once, as the Outcomes chart does
    profile = timed_cpu(lambda: profile_of(results, 0), repeat)
    endings = sum(alt.scores.size for alt in profile_of(results, 0).alternatives)
    return (f"{flat.size:>9,} nodes, {endings:,} distinct scores: evaluate"
            f" {rollback[0]:.3f} s ({rollback[1]:.3f} s CPU), evaluate with the outcome"
            f" chances {outcomes[0]:.3f} s ({outcomes[1]:.3f} s), profile of the root"
            f" {profile[0]:.3f} s ({profile[1]:.3f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    for size in options.nodes:
        print(measure(size, options.repeat))


if __name__ == "__main__":
    main()
