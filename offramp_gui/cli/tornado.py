"""`offramp tornado FILE`: which variables move the decision most.

Every variable with a range is swung from its min to its max with the others at
their values; the bars are sorted by how much the decision's value moves.
"""
from __future__ import annotations

import argparse

from ..analysis.flatten import FlatTree
from ..analysis.sensitivity import Subject, Tornado, tornado
from . import analysis_common as common
from .table import number, table


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "tornado", help="which variables move the decision most",
        description="Swing every variable that has a range (min and max) from low to high,"
        " the others at their values: the value of the decision at each end, the best"
        " alternative there, sorted by the swing. Variables given with --set stay fixed.")
    common.add_common(parser)
    parser.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    _settings, flat, base = common.prepare(options)
    topic = common.topic_of(flat, options)
    common.check_memory(flat, 2 * len(flat.variables) + 1, "tree")
    common.require_evaluable(options, flat, base)
    with common.analysis_errors():
        result = tornado(flat, topic, base)
    common.write_output(options, lambda: csv_table(result),
                        lambda plots: plots.plot_tornado(flat, topic, result))
    if options.json:
        common.print_json(document(flat, topic, result))
    else:
        print(readable(flat, topic, result, base))
    return 0


def document(flat: FlatTree, topic: Subject, result: Tornado) -> dict:
    return {
        "node": flat.ids[topic.node], "player": flat.players[topic.player],
        "base": common.plain(result.base),
        "bars": [{"variable": bar.variable, "low": common.plain(bar.low),
                  "high": common.plain(bar.high),
                  "value_at_low": common.plain(bar.value_at_low),
                  "value_at_high": common.plain(bar.value_at_high),
                  "best_at_low": bar.best_at_low, "best_at_high": bar.best_at_high}
                 for bar in result.bars],
    }


def csv_table(result: Tornado) -> tuple[list[str], list[list]]:
    header = ["variable", "low", "high", "value_at_low", "value_at_high", "swing",
              "best_at_low", "best_at_high"]
    rows = [[bar.variable, bar.low, bar.high, bar.value_at_low, bar.value_at_high, bar.swing,
             bar.best_at_low, bar.best_at_high] for bar in result.bars]
    return header, rows


def readable(flat: FlatTree, topic: Subject, result: Tornado, given: dict[str, float]) -> str:
    marks = common.numbering(flat, topic)
    who = common.player_label(flat, topic.player)
    rows = []
    for bar in result.bars:
        changes = bar.best_at_low != bar.best_at_high
        rows.append([bar.variable, common.x_text(bar.low), common.x_text(bar.high),
                     number(bar.value_at_low), number(bar.value_at_high), number(bar.swing),
                     marks.get(bar.best_at_low, "—"), marks.get(bar.best_at_high, "—"),
                     "*" if changes else ""])
    headers = ["Variable", "Low", "High", "Value at low", "Value at high", "Swing",
               "Best at low", "Best at high", ""]
    fixed = "; " + ", ".join(f"{k} = {common.x_text(v)}" for k, v in given.items()) + " by --set" \
        if given else ""
    base = (f"  base case: {common.branch(flat, result.base_best)} is best, worth"
            f" {number(result.base)} (every variable at its value{fixed})")
    lines = [f"Tornado at {common.decision_heading(flat, topic)}",
             f"  the value of the decision: the best alternative's utility for {who}", base,
             "", "Alternatives", common.listing(flat, topic), "",
             table(headers, rows)]
    if any(row[-1] for row in rows):
        lines.append("  * the best alternative differs between the ends of the range")
    if given:
        lines.append(f"  ({', '.join(given)} given with --set: not swung)")
    return "\n".join(lines)
