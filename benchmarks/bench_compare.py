"""Comparing scenarios at scale: `analysis.scenarios.compare` (what View > Compare
Scenarios and `offramp compare` run) on a large tree, against another checkout.

    python bench_compare.py [--sizes 100000 1000000] [--scenarios 3] [--runs 3]
                            [--against FOLDER]

The tree is `treegen.random_tree` with bench_live.py's variable `p` (in 1,000
probabilities and 1,000 payoffs) and `--scenarios` scenarios that set `p` and one
player's weight. Each run solves the base case and every scenario, in a process of its
own (so that `--against`, the code before a change, is timed alternately with this
code); CPU time is given beside the wall time, the machine being shared. Where the code
can, it is timed a second way, as the app runs it: given the arrays the app already
has of the tree (with its what-if values), so that the nodes are not read again.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = r'''
import inspect, json, resource, sys, time
from offramp_gui.api import load
from offramp_gui.analysis.scenarios import compare, every_column
tree = load(sys.argv[1])
wall, cpu = time.perf_counter(), time.process_time()
comparison = compare(tree, every_column(tree))
figures = {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
           "columns": len(comparison.columns),
           "root": [c.results.utility[0, 0].item() for c in comparison.columns]}
if "flat" in inspect.signature(compare).parameters:  # the app's way: its arrays given
    from offramp_gui.analysis.flatten import flatten
    flat = flatten(tree)
    wall, cpu = time.perf_counter(), time.process_time()
    again = compare(tree, every_column(tree), flat=flat)
    figures["app wall"], figures["app cpu"] = time.perf_counter() - wall, time.process_time() - cpu
    assert repr([c.results.utility[0, 0].item() for c in again.columns]) == repr(figures["root"])
figures["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(figures))
'''


def write(size: int, scenarios: int, path: Path) -> None:
    from bench_live import with_variable
    from treegen import random_tree

    from offramp_gui.fileformat.json_io import to_dict
    from offramp_gui.model.scenarios import Scenario, Values

    tree = random_tree(size)
    with_variable(tree)
    player = tree.players[0]
    criterion = next(iter(player.weights))
    tree.scenarios = [Scenario(f"Scenario {k + 1}", Values(
        {"p": 0.1 + 0.3 * k / max(1, scenarios - 1)},
        {player.id: {criterion: float(player.weights[criterion]) + 0.1 * (k + 1)}}))
        for k in range(scenarios)]
    path.write_text(json.dumps(to_dict(tree), separators=(",", ":")), encoding="utf-8")


def one_run(code: Path, tree: Path) -> dict:
    environment = {**os.environ, "PYTHONPATH": str(code)}
    done = subprocess.run([sys.executable, "-c", CHILD, str(tree)], env=environment,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--scenarios", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--against", type=Path, help="another checkout, timed alternately")
    parser.add_argument("--write", nargs=3, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.write:
        size, scenarios, path = options.write
        write(int(size), int(scenarios), Path(path))
        return
    codes = [HERE.parent] + ([options.against.resolve()] if options.against else [])
    for size in options.sizes:
        with tempfile.TemporaryDirectory() as folder:
            tree = Path(folder) / f"tree-{size}.json"
            subprocess.run([sys.executable, __file__, "--write", str(size),
                            str(options.scenarios), str(tree)], check=True,
                           env={**os.environ, "PYTHONPATH": str(HERE.parent)})
            runs: dict[Path, list[dict]] = {code: [] for code in codes}
            for _ in range(options.runs):
                for code in codes:
                    runs[code].append(one_run(code, tree))
            roots = {json.dumps(r["root"]) for found in runs.values() for r in found}
            assert len(roots) == 1, f"the checkouts disagree: {roots}"
            with open("/proc/loadavg") as load:
                now = load.read().split()[0]
            for code, found in runs.items():
                print(f"{size:,} nodes, {found[0]['columns']} columns, {code}: compare"
                      f" median {statistics.median(r['wall'] for r in found):.2f} s wall,"
                      f" {statistics.median(r['cpu'] for r in found):.2f} s CPU,"
                      f" peak {max(r['peak_mb'] for r in found):,.0f} MB (load {now})",
                      flush=True)
                if "app wall" in found[0]:
                    print(f"  given the app's arrays: median"
                          f" {statistics.median(r['app wall'] for r in found):.2f} s wall,"
                          f" {statistics.median(r['app cpu'] for r in found):.2f} s CPU",
                          flush=True)


if __name__ == "__main__":
    main()
