"""Whole-process `offramp evaluate --json` on a 100,000-node file, against the baseline.

    python benchmarks/bench_cli.py [--nodes 100000] [--runs 5]

The baseline (baseline_evaluator.py) is a plain recursive evaluator over `json.load`
output that prints the same document. Both run as fresh processes, alternately, so
machine noise falls on both; the figure is the ratio of the medians.

Both run as an installed program does, from compiled bytecode: one untimed run of
each fills a private bytecode cache first (some machines set PYTHONDONTWRITEBYTECODE,
which would otherwise make every run compile every module again).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from treegen import random_tree

from offramp_gui.fileformat.json_io import dumps

HERE = Path(__file__).resolve().parent


def run(command: list[str], env: dict[str, str]) -> tuple[float, bytes]:
    start = time.perf_counter()
    output = subprocess.run(command, check=True, capture_output=True, env=env).stdout
    return time.perf_counter() - start, output


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    folder = HERE / "output"
    folder.mkdir(exist_ok=True)
    path = folder / f"tree-{options.nodes}.json"
    if not path.exists():
        path.write_text(dumps(random_tree(options.nodes)), encoding="utf-8")
    ours_command = [sys.executable, "-m", "offramp_gui", "evaluate", str(path), "--json"]
    base_command = [sys.executable, str(HERE / "baseline_evaluator.py"), str(path)]
    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        run(ours_command, env)
        run(base_command, env)
        ours, base = [], []
        for _ in range(options.runs):
            seconds, ours_out = run(ours_command, env)
            ours.append(seconds)
            seconds, base_out = run(base_command, env)
            base.append(seconds)
    _same_results(json.loads(ours_out), json.loads(base_out))
    size = path.stat().st_size / 2**20
    print(f"file: {options.nodes:,} nodes, {size:.0f} MB; {options.runs} runs each")
    print(f"baseline (recursive, json.load): median {statistics.median(base):.2f} s")
    print(f"offramp evaluate --json:         median {statistics.median(ours):.2f} s")
    print(f"ratio: {statistics.median(ours) / statistics.median(base):.2f} (target <= 0.50)")


def _same_results(ours: dict, base: dict) -> None:
    """Refuse to report a speed for a wrong answer."""
    for node_id, expected in base["nodes"].items():
        got = ours["nodes"][node_id]
        assert got["choice"] == expected["choice"], node_id
        for key in ("expected", "utility"):
            for name, value in expected[key].items():
                assert abs(got[key][name] - value) <= 1e-9 * max(1.0, abs(value)), node_id


if __name__ == "__main__":
    main()
