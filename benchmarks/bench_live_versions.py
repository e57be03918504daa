"""Live edits at 1,000,000 nodes with two versions of the code, alternated in one run.

    python benchmarks/bench_live_versions.py OLD_DIR NEW_DIR [--rounds 2]

Each directory holds an `offramp_gui` package (`git archive <commit> offramp_gui | tar
-x -C OLD_DIR` gives an older one); each round runs every version in a fresh process.
A process builds the tree of bench_live.py, then times the edit and `recompute` (no
readout): the median of 7 steps of each number edit, then structural edits one by one.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measure() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from bench_live import deepest_branch, random_tree, with_variable
    from PySide6.QtWidgets import QApplication

    from offramp_gui.gui.document import DocumentController

    app = QApplication.instance() or QApplication([])  # noqa: F841 - Qt needs one
    tree = random_tree(1_000_000)
    with_variable(tree)
    deep = deepest_branch(tree)
    document = DocumentController(tree)
    leaf = next(n for n in tree.node(deep).walk() if not n.children)
    parent = tree.parent_id(leaf.id)
    assert parent is not None
    edits = {
        "probability": lambda k: document.edit.set_field(deep, "probability",
                                                         0.1 + 0.05 * (k % 4)),
        "payoff": lambda k: document.edit.set_field(leaf.id, "payoff", {"a": k % 5, "b": 1}),
        "variable": lambda k: document.edit.set_variable("p", "value", 0.3 + 0.01 * (k % 20),
                                                         merge=True),
        "weight": lambda k: document.edit.set_weight("p0", "b", 0.5 + 0.25 * (k % 3)),
    }
    times: dict[str, list[float]] = {name: [] for name in edits}
    for k in range(8):
        for name, edit in edits.items():
            start = time.perf_counter()
            edit(k + 1)
            document.recompute()
            times[name].append(time.perf_counter() - start)
    structural = {
        "add deep": lambda: document.edit.add_child(parent),
        "delete deep": lambda: document.edit.delete(tree.node(parent).children[-1].id),
        "paste deep": lambda: (document.edit.copy(parent), document.edit.paste(parent)),
        "add root": lambda: document.edit.add_child(tree.root.id),
        "add deep again": lambda: document.edit.add_child(parent),
        "add root again": lambda: document.edit.add_child(tree.root.id),
    }
    spent: dict[str, float] = {}
    for name, edit in structural.items():
        start = time.perf_counter()
        edit()
        document.recompute()
        spent[name] = time.perf_counter() - start
    # (The first step of each number edit is left out: a payoff's replaces a formula.)
    print(" ".join(f"{name} {statistics.median(t[1:]) * 1e3:.1f}" for name, t in times.items()),
          " | ", " ".join(f"{name} {t * 1e3:.0f}" for name, t in spent.items()),
          "| load", open("/proc/loadavg").read().split()[0], flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("versions", nargs="+", type=Path)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure()
        return
    for _ in range(args.rounds):
        for version in args.versions:
            print(f"{version}: ", end="", flush=True)
            env = dict(os.environ, PYTHONPATH=f"{version.resolve()}{os.pathsep}{HERE}")
            subprocess.run([sys.executable, __file__, "--measure", str(version)], env=env,
                           check=True)


if __name__ == "__main__":
    main()
