"""Whole-process `offramp evaluate` against plain recursive Python evaluators.

    python benchmarks/bench_cli.py [--nodes 100000] [--runs 5] [--compact]
        `offramp evaluate --json` against baseline_evaluator.py printing the same
        document, and against the minimal evaluator (json.load and a rollback that
        prints only the root); time and peak memory of each process
    python benchmarks/bench_cli.py --nodes 800000 --compact --root-only --runs 3
        the same at 800,000 nodes, without the document baseline (several GB)
    python benchmarks/bench_cli.py --nodes 1000 --plain
        plain `offramp evaluate` (start-up included) against the minimal evaluator

All run as fresh processes, alternately, so machine noise falls on all; the figures are
medians. `--compact` writes the tree file without indentation (as a program exporting
a large tree would), which is how the 800,000-node comparison is made.

All run as an installed program does, from compiled bytecode: one untimed run of
each fills a private bytecode cache first (some machines set PYTHONDONTWRITEBYTECODE,
which would otherwise make every run compile every module again). `offramp` is the
code beside this folder (PYTHONPATH), whatever is installed.

A child's peak memory (its ru_maxrss) counts the peak of the process that started it
(Linux carries it over the exec), so this process stays small: the tree file is
written by a child of its own, and outputs are read only after the timed runs.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(command: list[str], env: dict[str, str], output: Path) -> tuple[float, float]:
    """Seconds and peak memory (MB) of one process; its standard output goes to `output`."""
    with open(output, "wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, env=env)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    assert status == 0, command
    return seconds, usage.ru_maxrss / 1024


def tree_file(nodes: int, compact: bool) -> Path:
    folder = HERE / "output"
    folder.mkdir(exist_ok=True)
    path = folder / f"tree-{nodes}{'-compact' if compact else ''}.json"
    if not path.exists():
        subprocess.run([sys.executable, __file__, "--nodes", str(nodes), "--write", str(path)]
                       + ["--compact"] * compact, check=True, env=_env())
    return path


def _write_tree(nodes: int, compact: bool, path: str) -> None:
    from treegen import random_tree

    from offramp_gui.fileformat.json_io import dumps

    text = dumps(random_tree(nodes))
    if compact:  # the generated trees' texts hold no line break and no '": '
        text = re.sub(r"\n *", "", text).replace('": ', '":') + "\n"
    Path(path).write_text(text, encoding="utf-8")


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = os.pathsep.join([str(HERE.parent), *filter(None, [
        env.get("PYTHONPATH")])])
    return env


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--compact", action="store_true")
    parser.add_argument("--plain", action="store_true", help="time plain `evaluate`")
    parser.add_argument("--root-only", action="store_true",
                        help="leave out the document baseline (it needs several GB at"
                        " 800,000 nodes)")
    parser.add_argument("--write", metavar="FILE", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.write:
        _write_tree(options.nodes, options.compact, options.write)
        return
    path = tree_file(options.nodes, options.compact)
    evaluate = [sys.executable, "-m", "offramp_gui", "evaluate", str(path)]
    baseline = [sys.executable, str(HERE / "baseline_evaluator.py"), str(path)]
    programs = {"offramp evaluate" + ("" if options.plain else " --json"):
                evaluate + ([] if options.plain else ["--json"]),
                "minimal evaluator (root only)": baseline + ["--root"]}
    if not (options.plain or options.root_only):
        programs["baseline printing the document"] = baseline
    times: dict[str, list[float]] = {name: [] for name in programs}
    peaks: dict[str, list[float]] = {name: [] for name in programs}
    with tempfile.TemporaryDirectory() as folder:
        env = _env()
        env["PYTHONPYCACHEPREFIX"] = folder
        outputs = {name: Path(folder) / f"output-{k}" for k, name in enumerate(programs)}
        for name, command in programs.items():
            run(command, env, outputs[name])
        for _ in range(options.runs):
            for name, command in programs.items():
                seconds, peak = run(command, env, outputs[name])
                times[name].append(seconds)
                peaks[name].append(peak)
        names = list(programs)
        if not options.plain:
            ours = json.loads(outputs[names[0]].read_bytes())
            _same_root(ours, json.loads(outputs[names[1]].read_bytes()))
            if len(names) > 2:
                _same_results(ours, json.loads(outputs[names[2]].read_bytes()))
    size = path.stat().st_size / 2**20
    print(f"file: {options.nodes:,} nodes, {size:.0f} MB; {options.runs} runs each;"
          f" load {os.getloadavg()[0]:.1f}")
    for name in names:
        print(f"{name:32s} median {statistics.median(times[name]):.3f} s,"
              f" peak {max(peaks[name]):.0f} MB")
    for name in names[1:]:
        ratio = statistics.median(times[names[0]]) / statistics.median(times[name])
        print(f"ratio to the {name}: {ratio:.2f}")


def _same_root(ours: dict, base: dict) -> None:
    got = ours["nodes"][base["root"]]
    for key in ("expected", "utility"):
        for name, value in base[key].items():
            assert abs(got[key][name] - value) <= 1e-9 * max(1.0, abs(value)), name


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
