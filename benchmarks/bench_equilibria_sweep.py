"""Where the set of equilibria changes as one variable moves: the whole sweep of
trees/resolve.json (5,184 profiles per search) over each of its variables (target: a few
seconds each).

    python benchmarks/bench_equilibria_sweep.py [--points 41] [--repeat 3]

CPU medians of `equilibria_changes` (grid, bisection, the intervals' descriptions).
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from offramp_gui.analysis.equilibria_sweep import equilibria_changes
from offramp_gui.fileformat.json_io import read_file

RESOLVE = Path(__file__).resolve().parents[1] / "trees" / "resolve.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=41)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    tree = read_file(str(RESOLVE)).tree
    for variable in tree.variables:
        times = []
        for _ in range(options.repeat):
            start = time.process_time()
            sweep = equilibria_changes(tree, variable.name, points=options.points)
            times.append(time.process_time() - start)
        print(f"{variable.name:24} {statistics.median(times):6.2f} s CPU,"
              f" {len(sweep.switches)} switch(es), counts"
              f" {[i.count for i in sweep.intervals]}")


if __name__ == "__main__":
    main()
