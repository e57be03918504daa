"""`offramp equilibria FILE [--set NAME=VALUE]... [--var NAME [--from X] [--to Y]
[--points N]] [--json]`.

Every pure-strategy perfect Bayesian equilibrium of a tree with information sets (and,
for two players, the mixed ones), with strategies, beliefs, values and outcome chances;
with --var, where the set of equilibria changes as that variable moves.
"""
from __future__ import annotations

import argparse
import sys
from typing import Any

import orjson

from ..analysis.equilibria import (
    Equilibrium,
    EquilibriumSearch,
    equilibrium_results,
    kind_in_words,
    strategy_rows,
)
from ..analysis.equilibria_sweep import MAX_POINTS, POINTS, equilibria_changes, in_words
from ..analysis.flatten import DECISION_KIND, FlatTree, flatten
from ..analysis.readable import number, percent, table
from ..analysis.report import preorder
from . import analysis_common, equilibria_sweep
from .common import (
    EXIT_USAGE,
    CommandError,
    add_set_option,
    open_tree,
    parse_assignments,
    report,
)


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "equilibria", help="every equilibrium of a game with private information",
        description="Solve a tree with information sets: every pure-strategy perfect"
        " Bayesian equilibrium (each player's strategy, the beliefs at each information"
        " set, the values and the chance of each outcome), labelled separating or pooling"
        " in a signalling game, with the intuitive criterion; for two players, also the"
        " mixed equilibria (with the optional extra offramp[equilibria]). A tree without"
        " information sets has one: backward induction's. With --var, where the set of"
        " equilibria changes as that variable moves instead.")
    parser.add_argument("file", metavar="FILE")
    add_set_option(parser)
    parser.add_argument("--var", metavar="NAME",
                        help="say where the set of equilibria changes as this variable moves")
    analysis_common.add_range(parser, what=" of --var")
    parser.add_argument("--points", metavar="N",
                        type=analysis_common.whole(2, MAX_POINTS, "--points"),
                        help=f"values of --var searched before each switch is found by"
                        f" bisection (default {POINTS})")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    if options.var is None and (options.low, options.high, options.points) != (None,) * 3:
        raise CommandError("--from, --to and --points go with --var NAME", EXIT_USAGE)
    tree, _loaded = open_tree(options.file)
    overrides = parse_assignments(options.assignments, tree)
    if options.var is not None:
        return _sweep(options, tree, overrides)
    results, search = equilibrium_results(tree, overrides)
    if search is None:
        report(list(results.issues), options.file)
        raise CommandError("with these --set values the tree cannot be evaluated")
    mixed, not_mixed = _mixed(tree, overrides, search)
    if options.json:
        sys.stdout.write(orjson.dumps(document(search, mixed, not_mixed),
                                      option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        print(readable(search, mixed, not_mixed))
    return 0


def _sweep(options: argparse.Namespace, tree: Any, overrides: dict[str, float]) -> int:
    with analysis_common.analysis_errors():
        sweep = equilibria_changes(tree, options.var, options.low, options.high,
                                   options.points or POINTS, overrides)
    if options.json:
        sys.stdout.write(orjson.dumps(equilibria_sweep.document(sweep),
                                      option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        print(in_words(sweep, flatten(tree)))
    return 0


def _mixed(tree: Any, overrides: dict[str, float],
           search: EquilibriumSearch) -> tuple[tuple, str | None]:
    """The mixed equilibria of a two-player game, or why they are not computed."""
    if not search.information_sets or search.one_player:
        return (), None
    from ..analysis.mixed_equilibria import MixedUnavailable, mixed_equilibria

    try:
        return mixed_equilibria(tree, overrides), None
    except MixedUnavailable as error:
        return (), str(error)


# ---- words ---------------------------------------------------------------------------
def readable(search: EquilibriumSearch, mixed: tuple, not_mixed: str | None) -> str:
    if not search.equilibria:
        raise CommandError("no equilibrium found")
    flat = search.equilibria[0].results.flat
    lines = [flat.title, _summary(search), ""]
    for k, found in enumerate(search.equilibria, 1):
        lines += _equilibrium(search, k, found) + [""]
    if mixed:
        lines.append(f"Mixed equilibria ({len(mixed)} found by Gambit's sequence-form solver)")
        for k, each in enumerate(mixed, 1):
            lines.append(f"Mixed equilibrium {k}: {each.kind}; values at the root: " + ", ".join(
                f"{_player_name(flat, player)} {number(v)}" for player, v in each.values.items()))
            rows = [[_set_or_node(flat, where),
                     ", ".join(f"{label} {percent(p)}" for label, p in moves.items() if p > 0)]
                    for where, moves in each.behaviour.items()]
            lines.append(table(["Information set or decision", "Plays"], rows, numeric_from=2))
    elif not_mixed:
        lines.append(f"Mixed equilibria are not computed: {not_mixed}")
    return "\n".join(lines).rstrip()


def _summary(search: EquilibriumSearch) -> str:
    sets = len(search.information_sets)
    if not sets:
        return ("No information sets: every player sees every earlier move, and backward"
                " induction gives the one equilibrium below.")
    count = len(search.equilibria)
    what = ("optimal strateg" + ("y" if count == 1 else "ies") if search.one_player else
            "perfect Bayesian equilibri" + ("um" if count == 1 else "a") + " in pure strategies")
    game = " (a signalling game)" if search.signalling else ""
    searched = (f"all {search.profiles:,} pure strategy profiles searched" if search.complete
                else f"only {search.searched:,} of the {search.profiles:,} pure strategy"
                " profiles searched: there may be more")
    return (f"{sets} information set{'s' if sets != 1 else ''}{game}; {searched}."
            f" {count} {what}.")


def _equilibrium(search: EquilibriumSearch, k: int, found: Equilibrium) -> list[str]:
    results = found.results
    flat = results.flat
    kind = kind_in_words(found)
    lines = [f"Equilibrium {k}" + (f": {kind}" if kind else "")]
    rows = [list(row) for row in strategy_rows(search, found)]
    grouped = {node for each in search.information_sets for node in each.nodes}
    for i in preorder(flat):
        node_id = flat.ids[i]
        if (flat.kind[i] == DECISION_KIND and node_id not in grouped
                and results.reach[i] > 0 and node_id in found.choices):
            chosen = found.choices[node_id]
            rows.append([_player_name(flat, flat.players[flat.player[i]]), _node(flat, node_id),
                         _branch(flat, chosen), "(sees where it is)"])
    lines.append(table(["Player", "Information set or decision", "Chooses", "Beliefs"], rows,
                       numeric_from=4))
    lines.append("  Values at the root: " + ", ".join(
        f"{name} {number(results.utility[0, p])}" for p, name in enumerate(flat.labels.players)))
    chances = [(name, results.outcomes[0, k]) for k, name in enumerate(flat.labels.outcomes)]
    lines.append("  Outcomes: " + ", ".join(
        f"{name} {percent(p)}" for name, p in sorted(chances, key=lambda c: -c[1]) if p > 0))
    return lines


def _branch(flat: FlatTree, node_id: str) -> str:
    return flat.labels.branches[flat.index[node_id]] or node_id


def _set_or_node(flat: FlatTree, where: str) -> str:
    """A set's name, or a decision that is a set of its own by its label."""
    return _node(flat, where) if where in flat.index else where


def _node(flat: FlatTree, node_id: str) -> str:
    return flat.labels.node(flat.index[node_id], node_id)


def _player_name(flat: FlatTree, player: str) -> str:
    return flat.labels.players[flat.players.index(player)] if player in flat.players \
        else player


# ---- JSON ----------------------------------------------------------------------------
def document(search: EquilibriumSearch, mixed: tuple, not_mixed: str | None) -> dict:
    return {
        "information_sets": [{"name": s.name, "player": s.player, "nodes": list(s.nodes),
                              "branches": list(s.labels)} for s in search.information_sets],
        "one_player": search.one_player,
        "signalling": search.signalling,
        "profiles": search.profiles,
        "searched": search.searched,
        "complete": search.complete,
        "equilibria": [_equilibrium_json(search, found) for found in search.equilibria],
        "mixed": [{"kind": m.kind, "behaviour": m.behaviour, "beliefs": m.beliefs,
                   "values": m.values} for m in mixed],
        **({"mixed_not_computed": not_mixed} if not_mixed else {}),
    }


def _equilibrium_json(search: EquilibriumSearch, found: Equilibrium) -> dict:
    results = found.results
    flat = results.flat
    return {
        "kind": found.kind or None,
        "intuitive": found.intuitive,
        "strategy": {each.name: _branch(flat, found.choices[each.nodes[0]])
                     for each in search.information_sets if each.nodes[0] in found.choices},
        "choices": dict(found.choices),
        "beliefs": dict(found.beliefs),
        "off_path": dict(found.off_path),
        "off_path_bounds": {name: {node: list(bounds) for node, bounds in nodes.items()}
                            for name, nodes in found.off_path_bounds.items()},
        "values": {player: float(results.utility[0, p])
                   for p, player in enumerate(flat.players)},
        "outcomes": {key: float(p) for key, p in zip(results.outcome_keys, results.outcomes[0])
                     if p > 0},
    }
