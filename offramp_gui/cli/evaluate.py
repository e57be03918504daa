"""`offramp evaluate FILE [--set NAME=VALUE]... [--json]`."""
from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from ..analysis.evaluate import Results, evaluate_tree
from ..analysis.flatten import ASSUMED_KIND, DECISION_KIND
from ..analysis.report import evaluation_document, preorder
from ..model.tree import Tree
from .common import CommandError, add_set_option, open_tree, parse_assignments, report
from .table import number, percent, table

#: Above this many nodes --json is written compactly (the indenting encoder is slow).
_INDENT_LIMIT = 5000


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("evaluate", help="roll a tree back and show the result",
                                 description="Roll the tree back: each player's policy,"
                                 " the value of each alternative at the root and the"
                                 " chance of each outcome.")
    parser.add_argument("file", metavar="FILE")
    add_set_option(parser)
    parser.add_argument("--json", action="store_true", help="print the evaluation document")
    parser.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    tree, loaded = open_tree(options.file)
    values = parse_assignments(options.assignments, tree)
    results = evaluate_tree(tree, values)
    if results.issues:
        report(list(results.issues), options.file, loaded)
        raise CommandError("with these --set values the tree cannot be evaluated")
    if options.json:
        document = evaluation_document(results)
        indent = 1 if results.flat.size <= _INDENT_LIMIT else None
        sys.stdout.write(json.dumps(document, indent=indent, ensure_ascii=False) + "\n")
    else:
        print(readable(tree, results))
    return 0


def readable(tree: Tree, results: Results) -> str:
    """The summary a reader wants first: policy, alternatives, outcomes."""
    flat = results.flat
    variables = ", ".join(f"{k} = {v:g}" for k, v in results.variables.items())
    counts = [_count(len(flat.criteria), "criterion", "criteria"),
              _count(len(flat.players), "player", "players"), _count(flat.size, "node", "nodes")]
    parts = [tree.title, ", ".join(counts) + (f"; {variables}" if variables else "")]
    parts += ["", "Policy on the solved path", _policy(tree, results)]
    parts += ["", _alternatives_heading(tree, results), _alternatives(tree, results)]
    parts += ["", "Outcomes (chance of each under the solved policy)", _outcomes(tree, results)]
    return "\n".join(parts)


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def _label(tree: Tree, node_id: str) -> str:
    node = tree.node(node_id)
    return node.name or node.branch or node_id


def _player_names(tree: Tree) -> dict[str, str]:
    return {p.id: p.name for p in tree.effective_players()}


def _policy(tree: Tree, results: Results) -> str:
    flat, names = results.flat, _player_names(tree)
    rows = []
    for i in preorder(flat):
        if flat.kind[i] not in (DECISION_KIND, ASSUMED_KIND) or not results.reach[i] > 0:
            continue
        node = tree.node(flat.ids[i])
        who = names.get(node.player or flat.players[0], node.player or "")
        if flat.kind[i] == ASSUMED_KIND:
            shares = [f"{percent(results.probability[c])} {tree.node(flat.ids[c]).branch}"
                      for c in flat.children(i)]
            rows.append([who, _label(tree, node.id), "assumed: " + ", ".join(shares)])
            continue
        chosen = results.choice[i]
        what = tree.node(flat.ids[chosen]).branch or flat.ids[chosen] if chosen >= 0 else "—"
        rows.append([who, _label(tree, node.id), what + (" (a tie)" if results.tie[i] else "")])
    if not rows:
        return "  (no decision is reached)"
    return table(["Player", "Decision", "Chooses"], rows, numeric_from=3)


def _alternatives_heading(tree: Tree, results: Results) -> str:
    root = tree.root
    kind = results.flat.kind[0]
    if kind == DECISION_KIND:
        who = _player_names(tree).get(root.player or results.flat.players[0], "")
        return f'Alternatives at "{_label(tree, root.id)}" ({who} decides; ▶ marks the choice)'
    if kind == ASSUMED_KIND or root.children:
        return f'Branches at "{_label(tree, root.id)}"'
    return "Value of the tree"


def _alternatives(tree: Tree, results: Results) -> str:
    flat = results.flat
    criteria = tree.effective_criteria()
    names = _player_names(tree)
    headers = ["", "Branch"] + [c.name + (f" ({c.unit})" if c.unit else "") for c in criteria]
    headers += [f"U({names[p]})" for p in flat.players]
    rows_for = list(flat.children(0)) or [0]
    has_probability = flat.kind[0] not in (DECISION_KIND,) and bool(flat.child_count[0])
    if has_probability:
        headers.insert(2, "Probability")
    rows = []
    for i in rows_for:
        mark = "▶" if results.choice[0] == i else ""
        label = tree.node(flat.ids[i]).branch or flat.ids[i] if i else tree.title
        row = [mark, label] + [number(v) for v in results.expected[i]]
        row += [number(v) for v in results.utility[i]]
        if has_probability:
            row.insert(2, percent(results.probability[i]))
        rows.append(row)
    return table(headers, rows, numeric_from=2)


def _outcomes(tree: Tree, results: Results) -> str:
    names = {o.id: o.name for o in tree.outcomes or []}
    names["null"] = "Unclassified"
    dist = results.outcomes[0]
    order = np.argsort(-np.nan_to_num(dist), kind="stable")
    rows = [[names.get(results.outcome_keys[k], results.outcome_keys[k]), percent(dist[k])]
            for k in order if dist[k] > 0 or results.outcome_keys[k] != "null"]
    return table(["Outcome", "Chance"], rows)
