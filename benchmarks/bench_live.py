"""Live edits at scale: how long an edit takes, in the app's document, to all visible
numbers updated, against the full evaluation every edit used to run.

    python benchmarks/bench_live.py [--size 1000000] [--repeat 7]

The tree is `treegen.random_tree` with a variable `p` in 1,000 probabilities ("p * 0.5",
a "#" beside each) and 1,000 payoffs ("p * 10"). Each figure is an edit through the
document's own edit methods (an undo step, the model's change), `recompute` (what the
zero-delay timer runs), and the canvas's Readout of 300 nodes: the deep node's path and
its branches, then the top of the tree (what a window shows), timed apart as well. The
full evaluation (flatten, validate, roll back: what each edit ran before) is timed in
between.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402
from treegen import random_tree  # noqa: E402

from offramp_gui.analysis.evaluate import evaluate_tree  # noqa: E402
from offramp_gui.gui.document import DocumentController  # noqa: E402
from offramp_gui.gui.format import NumberFormat  # noqa: E402
from offramp_gui.gui.scene.readout import Readout  # noqa: E402
from offramp_gui.model.tree import CHANCE, Tree, Variable  # noqa: E402

FORMULAS = 1000
VISIBLE = 300


def with_variable(tree: Tree) -> None:
    chances = [n for n in tree.root.walk() if n.type == CHANCE and len(n.children) > 2
               and n.children[1].probability <= 0.8]
    for node in chances[::max(1, len(chances) // FORMULAS)][:FORMULAS]:
        node.children[0].probability = "p * 0.5"
        node.children[-1].probability = "#"
    leaves = [n for n in tree.root.walk() if not n.children]
    for leaf in leaves[::max(1, len(leaves) // FORMULAS)][:FORMULAS]:
        leaf.payoff = {"a": "p * 10", "b": leaf.payoff["b"]}
    tree.variables = [Variable("p", 0.3, 0, 1)]
    tree.reindex()


def deepest_branch(tree: Tree) -> str:
    """A node at the greatest depth whose probability is a number, with a "#" beside it."""
    depth, node = 0, tree.root
    frontier = [tree.root]
    while frontier:
        below = [c for n in frontier for c in n.children]
        chance = [n for n in frontier if n.type == CHANCE and len(n.children) > 1
                  and not isinstance(n.children[0].probability, str)]
        if chance:
            node = chance[0]
        frontier, depth = below, depth + 1
    node.children[-1].probability = "#"
    return node.children[0].id


def visible(tree: Tree, deep: str) -> list[str]:
    shown: list[str] = []
    for node_id in tree.ancestors(deep)[::-1] + [deep]:
        shown += [node_id] + [c.id for c in tree.node(node_id).children]
    for node in tree.root.walk():
        if len(shown) >= VISIBLE:
            break
        shown.append(node.id)
    return list(dict.fromkeys(shown))[:VISIBLE]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])  # noqa: F841 - Qt needs one
    tree = random_tree(args.size)
    with_variable(tree)
    deep = deepest_branch(tree)
    start = time.perf_counter()
    document = DocumentController(tree)
    print(f"{len(tree):,} nodes, deep node at depth {len(tree.ancestors(deep))};"
          f" document opened (full evaluation) in {time.perf_counter() - start:.2f} s")
    shown = visible(tree, deep)
    style = NumberFormat.of(tree.display)

    def update() -> float:
        """Recompute, then read the visible numbers; returns when the readout began."""
        document.recompute()
        began = time.perf_counter()
        readout = Readout(document.results, document.shown_player, None, False, None, style)
        for node_id in shown:
            readout(node_id)
        return began

    leaf = next(n for n in tree.node(deep).walk() if not n.children)
    edits = {
        "probability on the deep node": lambda k: document.edit.set_field(
            deep, "probability", 0.1 + 0.05 * (k % 4)),
        "payoff on the deep node": lambda k: document.edit.set_field(
            leaf.id, "payoff", {"a": k % 5, "b": 1}),
        "variable slider step (p)": lambda k: document.edit.set_variable(
            "p", "value", 0.3 + 0.01 * (k % 20), merge=True),
        "weight change (p0 on b)": lambda k: document.edit.set_weight(
            "p0", "b", 0.5 + 0.25 * (k % 3)),
    }
    times: dict[str, list[float]] = {name: [] for name in edits}
    reading: dict[str, list[float]] = {name: [] for name in edits}
    full: list[float] = []
    for k in range(args.repeat):
        for name, edit in edits.items():
            start = time.perf_counter()
            edit(k + 1)
            began = update()
            times[name].append(time.perf_counter() - start)
            reading[name].append(time.perf_counter() - began)
        if k < 3:  # what each edit cost before: a full evaluation
            start = time.perf_counter()
            evaluate_tree(tree)
            full.append(time.perf_counter() - start)
    for name, spent in times.items():
        print(f"{name:34s} {statistics.median(spent) * 1e3:8.1f} ms"
              f"  (min {min(spent) * 1e3:.1f}, max {max(spent) * 1e3:.1f};"
              f" of which the readout {statistics.median(reading[name]) * 1e3:.1f})")
    print(f"{'full evaluation (the old path)':34s} {statistics.median(full) * 1e3:8.1f} ms")
    parent = tree.parent_id(leaf.id)
    middle = tree.ancestors(deep)[len(tree.ancestors(deep)) // 2]
    structural = {
        "structural: add a child (deep)": lambda: document.edit.add_child(parent),
        "structural: delete a branch (deep)": lambda: document.edit.delete(leaf.id),
        "structural: undo the delete": document.undo_stack.undo,
        "structural: move a branch up": lambda: document.edit.move(
            tree.node(middle).children[-1].id, -1),
        "structural: copy and paste (deep)": lambda: (document.edit.copy(parent),
                                                      document.edit.paste(parent)),
        "structural: change a type (deep)": lambda: document.edit.change_type(
            parent, "decision"),
        "structural: add a child to the root": lambda: document.edit.add_child(
            tree.root.id),
    }
    for name, edit in structural.items():
        start = time.perf_counter()
        live = document.live
        edit()
        began = update()
        kind = "full evaluation" if document.live is not live else "patched"
        print(f"{name:38s} {(time.perf_counter() - start) * 1e3:8.1f} ms  ({kind};"
              f" of which the readout {(time.perf_counter() - began) * 1e3:.1f})")
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB;"
          f" load {open('/proc/loadavg').read().split()[0]}")


if __name__ == "__main__":
    main()
