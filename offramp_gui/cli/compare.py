"""`offramp compare FILE [--scenario NAME]... [--player ID_OR_NAME]
[--decide-in NAME --live-in NAME] [--json]`.

Scenarios side by side: the choice at each decision on the solved paths, the value of
the first decision's alternatives for a player, the chance of each outcome; and, with
--decide-in and --live-in, a player's choices made in one world and lived in another.
"""
from __future__ import annotations

import argparse
import sys
import textwrap

import orjson

from ..analysis.readable import number, percent, table
from ..analysis.scenarios import (
    Comparison,
    TwoWorlds,
    compare,
    decide_and_live,
    every_column,
    player_at_stake,
    scenario_named,
    unknown_scenario,
)
from ..model.scenarios import Scenario
from ..model.tree import Tree
from .common import EXIT_USAGE, CommandError, open_tree, report

#: The mark of a row whose columns differ.
DIFFERS = "*"
#: A choice longer than this is shortened in the table (--json gives it whole).
CHOICE_CHARS = 40


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "compare", help="scenarios side by side, and deciding in one world while living"
        " in another",
        description="Solve the tree in each scenario (the base case, the what-if values"
        " saved with the file, and each named scenario) and show them side by side: the"
        " choice at each decision on the solved paths, the value of the first decision's"
        " alternatives for a player, and the chance of each outcome, with a * where the"
        " scenarios differ. With --decide-in and --live-in, a player's choices made"
        " believing one scenario are valued in another, against the best choices there.")
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--scenario", metavar="NAME", action="append", default=[],
                        dest="scenarios", help='a column, in order (repeatable; "Base case"'
                        " is the base case; default: the base case and every scenario)")
    parser.add_argument("--player", metavar="ID_OR_NAME",
                        help="whose values count (default: the player who decides first)")
    parser.add_argument("--decide-in", metavar="NAME",
                        help="the scenario the player believes when it decides")
    parser.add_argument("--live-in", metavar="NAME",
                        help="the scenario that is true")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    if (options.decide_in is None) != (options.live_in is None):
        raise CommandError("--decide-in and --live-in go together: give both", EXIT_USAGE)
    tree, loaded = open_tree(options.file, what_if=True)
    columns = [_scenario(tree, name) for name in options.scenarios] or every_column(tree)
    player = _player(tree, options.player)
    comparison = compare(tree, columns, player)
    for column in comparison.columns:
        if column.results.issues:
            report(list(column.results.issues), options.file, loaded)
            raise CommandError(f'in the scenario "{column.name}" the tree cannot be evaluated')
    worlds = None
    if options.decide_in is not None:
        believed = _scenario(tree, options.decide_in)
        true = _scenario(tree, options.live_in)
        worlds = decide_and_live(tree, believed, true,
                                 player or player_at_stake(tree, believed, true))
        for results in (worlds.held, worlds.best):
            if results.issues:
                report(list(results.issues), options.file, loaded)
                raise CommandError(f'in the scenario "{true.name}" the tree cannot be'
                                   " evaluated")
    if options.json:
        document = comparison.to_json()
        if worlds is not None:
            document["two_worlds"] = worlds.to_json()
        sys.stdout.write(orjson.dumps(document).decode() + "\n")
    else:
        print(readable(tree, comparison, worlds))
    return 0


def _scenario(tree: Tree, name: str) -> Scenario:
    found = scenario_named(tree, name)
    if found is None:
        raise CommandError(unknown_scenario(tree, name), EXIT_USAGE)
    return found


def _player(tree: Tree, wanted: str | None) -> str | None:
    """The id of the player given by id or by name."""
    if wanted is None:
        return None
    players = tree.effective_players()
    found = next((p for p in players if p.id == wanted), None) or next(
        (p for p in players if (p.name or "").casefold() == wanted.casefold()), None)
    if found is None:
        names = ", ".join(p.name or p.id for p in players)
        raise CommandError(f'--player {wanted}: there is no player "{wanted}"; the players'
                           f" are {names}", EXIT_USAGE)
    return found.id


# ---- words ---------------------------------------------------------------------------
def readable(tree: Tree, comparison: Comparison, worlds: TwoWorlds | None) -> str:
    names = [c.name for c in comparison.columns]
    lines = [comparison.columns[0].results.flat.title]
    lines += [f"{c.name}: {c.note}" for c in comparison.columns if c.note]
    if not tree.scenarios:
        shown = "base case and the what-if values are" if len(names) > 1 else "base case is"
        lines.append(f"This tree has no scenarios, so only the {shown} shown: add some in"
                     " the app's Scenarios panel, or in the file (docs/format.md, \"Scenarios"
                     " and what-if values\").")
    lines += ["", f"Decisions on the solved paths ({DIFFERS} where the choices differ;"
              " — where the decision is not reached)",
              table(["", "Decision", "Decider", *names],
                    [[_mark(row.differs), row.label, row.decider,
                      *(_short(choice) for choice in row.choices)]
                     for row in comparison.decisions], numeric_from=3 + len(names))]
    if comparison.decision is not None:
        lines += ["", f"Value of each alternative at “{comparison.decision}” for"
                  f" {comparison.player} ({comparison.values_are})",
                  table(["", "Alternative", *names],
                        [[_mark(row.differs), row.label, *map(number, row.values)]
                         for row in comparison.alternatives], numeric_from=2)]
    lines += ["", "Chance of each outcome",
              table(["", "Outcome", *names],
                    [[_mark(row.differs), row.label, *map(percent, row.values)]
                     for row in comparison.outcomes], numeric_from=2)]
    if worlds is not None:
        lines += ["", *two_worlds(worlds)]
    return "\n".join(lines)


def two_worlds(worlds: TwoWorlds) -> list[str]:
    believed, true = worlds.believed, worlds.true
    rows = [[_mark(chosen != best), decision, _short(chosen), _short(best)]
            for decision, chosen, best in worlds.choices]
    return [
        f"{worlds.player}, deciding as if “{believed}” were true, living in “{true}”",
        table(["", "Decision", f"Chosen believing “{believed}”", f"Best knowing “{true}”"],
              rows, numeric_from=4),
        f"  Value in “{true}” of the choices made believing “{believed}”:"
        f" {number(worlds.value_of_policy)}",
        f"  Best value in “{true}”: {number(worlds.value_of_best)}",
        f"  Regret: {number(worlds.regret)} ({worlds.values_are})"]


def _short(choice: str | None) -> str:
    return "—" if choice is None else textwrap.shorten(choice, CHOICE_CHARS, placeholder="…")


def _mark(differs: bool) -> str:
    return DIFFERS if differs else ""

