"""`offramp threshold FILE --node ID --var NAME [--from LOW] [--to HIGH]`.

"What would it take": the exact values of one variable at which the choice made at
a decision node (typically the other side's) changes, and the choice in each interval.
"""
from __future__ import annotations

import argparse

from ..analysis.flatten import FlatTree
from ..analysis.sensitivity import Threshold, subject, threshold
from . import analysis_common as common
from .common import CommandError
from .table import table


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "threshold", help="at which values of a variable the choice at a node changes",
        description="What would it take for the player deciding at node ID to choose"
        " differently: the exact values of the variable (over its min..max, or"
        " --from/--to) at which the choice changes, and the choice in each interval.")
    common.add_common(parser, node_required=True)
    parser.add_argument("--var", metavar="NAME", required=True, help="the variable to move")
    parser.add_argument("--steps", metavar="N", type=common.whole(2, 100_000, "--steps"),
                        default=200, help="grid points searched for changes (default 200)")
    common.add_range(parser)
    parser.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    _settings, flat, base = common.prepare(options)
    topic = common.topic_of(flat, options)
    decider = int(flat.player[topic.node])
    if options.player is not None and decider >= 0 and topic.player != decider:
        raise CommandError(f'at "{options.node}" {flat.players[decider]} chooses; a threshold'
                           f" follows that choice, so --player can only be"
                           f" {flat.players[decider]}")
    low, high = common.sweep_range(flat, options.var, options.low, options.high)
    common.check_memory(flat, options.steps, "--steps")
    now = common.require_evaluable(options, flat, base, strict=False)
    with common.analysis_errors():
        result = threshold(flat, options.node, options.var, low, high, options.steps, base)
    if all(choice is None for _a, _b, choice in result.intervals):
        raise common.nowhere_evaluable(options, flat, {**base, options.var: low})
    common.write_output(options, lambda: csv_table(flat, result),
                        lambda plots: plots.plot_threshold(flat, result))
    if options.json:
        common.print_json(document(flat, result))
    else:
        print(readable(flat, result, now.get(options.var)))
    return 0


def document(flat: FlatTree, result: Threshold) -> dict:
    node = flat.index[result.node]
    return {
        "node": result.node, "player": flat.players[max(int(flat.player[node]), 0)],
        "variable": result.variable, "from": common.plain(result.low),
        "to": common.plain(result.high),
        "intervals": [{"from": common.plain(a), "to": common.plain(b), "choice": choice}
                      for a, b, choice in result.intervals],
        "thresholds": common.plain_list(result.thresholds),
    }


def csv_table(flat: FlatTree, result: Threshold) -> tuple[list[str], list[list]]:
    rows = [[a, b, choice, common.branch(flat, choice) if choice else None]
            for a, b, choice in result.intervals]
    return ["from", "to", "choice", "branch"], rows


def readable(flat: FlatTree, result: Threshold, now: float | None) -> str:
    topic = subject(flat, result.node)
    name = result.variable
    who = common.player_label(flat, topic.player)
    span = f"from {common.x_text(result.low)} to {common.x_text(result.high)}"
    moves = f"  as {name} moves {span}"
    if now is not None:
        current = next((c for a, b, c in result.intervals if a <= now <= b), None)
        if current is not None:
            moves += f" (now {common.x_text(now)}: {common.branch(flat, current)})"
    lines = [f"What would it take: the choice at {common.decision_heading(flat, topic)}",
             moves, f"  {common.variable_line(flat, name)}"]
    headers = [f"{name} from", "to", f"{who} chooses"]
    cells = [[common.x_text(a), common.x_text(b)] for a, b, _c in result.intervals]
    widths = [max(len(r[k]) for r in cells + [headers]) for k in (0, 1)]
    rows = [[a.rjust(widths[0]), b.rjust(widths[1]), common.branch(flat, choice)]
            for (a, b), (_a, _b, choice) in zip(cells, result.intervals)]
    headers = [headers[0].rjust(widths[0]), headers[1].rjust(widths[1]), headers[2]]
    lines += ["", table(headers, rows, numeric_from=3), ""]
    if not result.thresholds:
        only = result.intervals[0][2]
        lines.append(f"No value of {name} {span} changes the choice: {who} chooses"
                     f" {common.branch(flat, only)} throughout.")
    else:
        lines.append("Thresholds")
        for (_a, at, before), (_at, _b, after) in zip(result.intervals, result.intervals[1:]):
            lines.append(f"  at {name} = {common.x_text(at)} the choice changes from"
                         f" {common.branch(flat, before)} to {common.branch(flat, after)}")
    return "\n".join(lines)
