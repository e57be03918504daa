"""`offramp evaluate FILE [--set NAME=VALUE]... [--json]`."""
from __future__ import annotations

import argparse
import sys

import numpy as np

from ..analysis.equilibria import equilibrium_results, has_information_sets
from ..analysis.evaluate import Results, evaluate
from ..analysis.flatten import ASSUMED_KIND, DECISION_KIND, FlatTree
from ..analysis.readable import number, percent, table
from ..analysis.report import evaluation_json_pieces, preorder
from ..model.tree import Tree
from .common import (
    CommandError,
    add_set_option,
    leave_for_exit,
    load_flat,
    open_tree,
    parse_assignments,
    report,
)


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
    settings, flat = load_flat(options.file)
    overrides = parse_assignments(options.assignments, settings)
    if flat.suspect and isinstance(settings, Tree) and has_information_sets(settings):
        results = equilibrium_results(settings, overrides)[0]
    else:
        results = evaluate(flat, overrides)
    if results.issues:
        _tree, loaded = open_tree(options.file)  # stops here if the file itself is invalid
        report(list(results.issues), options.file, loaded)
        raise CommandError("with these --set values the tree cannot be evaluated")
    leave_for_exit(results)
    if options.json:
        for piece in evaluation_json_pieces(results):
            sys.stdout.write(piece)
        sys.stdout.write("\n")
    else:
        print(readable(results))
    return 0


def readable(results: Results) -> str:
    """The summary a reader wants first: policy, alternatives, outcomes."""
    flat = results.flat
    variables = ", ".join(f"{k} = {v:g}" for k, v in results.variables.items())
    counts = [_count(len(flat.criteria), "criterion", "criteria"),
              _count(len(flat.players), "player", "players"), _count(flat.size, "node", "nodes")]
    return "\n".join([
        flat.title, ", ".join(counts) + (f"; {variables}" if variables else ""),
        *_equilibrium(results),
        "", "Policy on the solved path", _policy(results),
        "", _alternatives_heading(flat), _alternatives(results),
        "", "Outcomes (chance of each under the solved policy)", _outcomes(results)])


def _equilibrium(results: Results) -> list[str]:
    """Which equilibrium a tree with information sets shows, in a line of its own."""
    shown = results.equilibrium
    if shown is None:
        return []
    more = "" if shown.complete else " (not every strategy profile was searched)"
    if shown.index < 0:
        return ["", "No equilibrium in pure strategies" + more + ": below, backward"
                " induction's values, as if each player saw where it stands; `offramp"
                " equilibria` gives the mixed ones."]
    many = _count(shown.count, "perfect Bayesian equilibrium", "perfect Bayesian equilibria")
    return ["", f"Information sets: {many} in pure strategies{more}; below, the first"
            " (`offramp equilibria` lists them all, with beliefs)."]


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def _branch(flat: FlatTree, i: int) -> str:
    return flat.labels.branches[i] or flat.ids[i]


def _player(flat: FlatTree, i: int) -> str:
    return flat.labels.players[flat.player[i]] if flat.player[i] >= 0 else "—"


def _policy(results: Results) -> str:
    flat = results.flat
    rows = []
    for i in preorder(flat):
        if flat.kind[i] not in (DECISION_KIND, ASSUMED_KIND) or not results.reach[i] > 0:
            continue
        decision = flat.labels.node(i, flat.ids[i])
        if flat.kind[i] == ASSUMED_KIND:
            shares = ", ".join(f"{percent(results.probability[c])} {_branch(flat, c)}"
                               for c in flat.children(i))
            rows.append([_player(flat, i), decision, f"assumed: {shares}"])
            continue
        chosen = int(results.choice[i])
        what = _branch(flat, chosen) if chosen >= 0 else "—"
        rows.append([_player(flat, i), decision, what + (" (a tie)" if results.tie[i] else "")])
    if not rows:
        return "  (no decision is reached)"
    return table(["Player", "Decision", "Chooses"], rows, numeric_from=3)


def _alternatives_heading(flat: FlatTree) -> str:
    root = flat.labels.node(0, flat.ids[0])
    if flat.kind[0] == DECISION_KIND:
        return f'Alternatives at "{root}" ({_player(flat, 0)} decides; ▶ marks the choice)'
    return f'Branches at "{root}"' if flat.child_count[0] else "Value of the tree"


def _alternatives(results: Results) -> str:
    """The branches listed and numbered, then one column of numbers per branch."""
    flat, labels = results.flat, results.flat.labels
    branches = list(flat.children(0)) or [0]
    listing = []
    for position, i in enumerate(branches, 1):
        mark = "▶" if results.choice[0] == i else " "
        chance = "" if flat.kind[0] == DECISION_KIND or not i else \
            f"  ({percent(results.probability[i])})"
        listing.append(f"  {mark} {position}  {_branch(flat, i) if i else flat.title}{chance}")
    rows = [[name + (f" ({unit})" if unit else "")] + [number(results.expected[i, k])
                                                       for i in branches]
            for k, (name, unit) in enumerate(zip(labels.criteria, labels.units))]
    risky = {attitude.player for attitude in flat.risk}
    for k, name in enumerate(labels.players):
        rows.append([f"Utility of {name}"] + [number(results.utility[i, k]) for i in branches])
        if k in risky and results.certainty is not None:
            rows.append(["  certainty equivalent"]
                        + [number(results.certainty[i, k]) for i in branches])
    headers = [""] + [str(n) for n in range(1, len(branches) + 1)]
    return "\n".join(listing) + "\n\n" + table(headers, rows)


def _outcomes(results: Results) -> str:
    names = results.flat.labels.outcomes
    dist = results.outcomes[0]
    order = np.argsort(-np.nan_to_num(dist), kind="stable")
    rows = [[names[k], percent(dist[k])] for k in order.tolist()
            if dist[k] > 0 or k < len(names) - 1]
    return table(["Outcome", "Chance"], rows)
