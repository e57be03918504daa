"""Templates: a tree made of uses of one template against the same tree written out.

    python benchmarks/bench_templates.py [--master 1000] [--uses 1000] [--repeat 3]

The tree: a decision whose first branch is a template's master (a random tree of
`--master` nodes, its endings' payoffs a formula of the parameters `s` and `t`), and
`--uses` - 1 uses of it, each binding `s` to a number and `t` to a formula of the
variable `x`. The same tree written out is that tree with every use detached, saved and
read back: the same nodes, ids and formulas, as a file without links. Both are read
(text -> model, which for the first expands the uses), flattened and evaluated.

Prints one line per figure; docs/benchmarks.md records a run.
"""
from __future__ import annotations

import argparse
import gc
import json

from treegen import random_tree, timed_cpu

from offramp_gui.analysis.evaluate import evaluate
from offramp_gui.analysis.flatten import flatten
from offramp_gui.fileformat.json_io import dumps, loads, to_dict
from offramp_gui.model import templates


def linked_text(master_size: int, uses: int) -> str:
    tree = random_tree(master_size)
    master = tree.root
    for k, node in enumerate(master.walk()):
        if not node.children and k % 2:
            node.payoff = {"a": f"{node.payoff['a']} + s", "b": f"t * {node.payoff['b']}"}
    master.branch = "master"
    master.template = {"name": "Block", "parameters": ["s", "t"]}
    doc = to_dict(tree)
    doc["variables"] = [{"name": "s", "value": 1}, {"name": "t", "value": 2},
                        {"name": "x", "value": 0.5}]
    doc["root"] = {"id": "top", "type": "decision", "player": "p0", "children": [
        doc["root"],
        *({"id": f"u{k}", "branch": f"use {k}",
           "use": {"template": "Block", "bind": {"s": k % 7, "t": f"x + {k % 5}"}}}
          for k in range(1, uses))]}
    return json.dumps(doc)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--master", type=int, default=1000)
    parser.add_argument("--uses", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    gc.disable()
    text = linked_text(options.master, options.uses)
    linked = loads(text)
    assert linked.tree is not None and not linked.issues, linked.issues[:3]
    tree = linked.tree
    written_tree = loads(text).tree
    assert written_tree is not None
    with written_tree.batch():
        for use_id in list(written_tree.links.uses if written_tree.links else ()):
            written_tree.set_field(use_id, "use", None)
    written_tree.set_field("n0", "template", None)
    written = dumps(written_tree)
    del written_tree
    plain = loads(written).tree
    assert plain is not None and plain.links is None
    assert [v.name for v in plain.variables or []] == ["s", "t", "x"]
    print(f"tree: {len(tree):,} nodes ({options.uses - 1} uses of a {options.master}-node"
          f" master); file {len(text) / 1e6:.1f} MB with links,"
          f" {len(written) / 1e6:.1f} MB written out")
    expand, _cpu = timed_cpu(lambda: templates.relink(tree), 1)
    print(f"expanding every use again (templates.relink, within the read): {expand:.2f} s")
    figures = {}
    for name, source, model in (("links", text, tree), ("written out", written, plain)):
        read, _cpu = timed_cpu(lambda source=source: loads(source), 1)
        flat_wall, flat_cpu = timed_cpu(lambda model=model: flatten(model), options.repeat)
        flat = flatten(model)
        evaluate(flat)
        eval_wall, eval_cpu = timed_cpu(lambda flat=flat: evaluate(flat), options.repeat)
        figures[name] = (flat_cpu, eval_cpu)
        print(f"{name}: read {read:.2f} s; flatten {flat_wall:.3f} s (CPU {flat_cpu:.3f});"
              f" evaluate {eval_wall:.3f} s (CPU {eval_cpu:.3f})")
    same = evaluate(flatten(tree)).expected.tolist() == evaluate(flatten(plain)).expected.tolist()
    (lf, le), (pf, pe) = figures["links"], figures["written out"]
    print(f"links / written out, CPU: flatten {lf / pf:.2f}x, evaluate {le / pe:.2f}x"
          f" (target within 1.2x); same values: {same}")
    # (last: it changes the tree compared above)
    steps = iter(range(1, 1_000_000))
    rebind, _cpu = timed_cpu(lambda: tree.set_field("u1", "use", {
        "template": "Block", "bind": {"s": next(steps), "t": "x"}}), options.repeat)
    print(f"a use's bindings changed (its copies bound again in place): {1e3 * rebind:.1f} ms")


if __name__ == "__main__":
    main()
