"""`offramp map FILE --x NAME --y NAME [--steps N] [--x-from/--x-to/--y-from/--y-to]`.

Which alternative is best over a grid of two variables: the regions of a two-way
sensitivity analysis, drawn in characters on the terminal.
"""
from __future__ import annotations

import argparse

import numpy as np

from ..analysis.flatten import FlatTree
from ..analysis.sensitivity import Subject, TwoWay, two_way
from . import analysis_common as common
from .table import percent, table

MAX_COLUMNS, MAX_ROWS = 48, 20  # the character map samples a larger grid
SYMBOLS = "123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "map", help="which alternative is best over a grid of two variables",
        description="Sweep two variables together over their ranges (min..max, or"
        " --x-from/--x-to and --y-from/--y-to): the best alternative at each point of"
        " the grid.")
    common.add_common(parser)
    parser.add_argument("--x", metavar="NAME", required=True, dest="x_var",
                        help="the variable across")
    parser.add_argument("--y", metavar="NAME", required=True, dest="y_var",
                        help="the variable up")
    parser.add_argument("--steps", metavar="N", type=common.whole(2, 2_000, "--steps"),
                        default=50, help="points along each variable (default 50)")
    common.add_range(parser, "x-", " across")
    common.add_range(parser, "y-", " up")
    parser.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    _settings, flat, base = common.prepare(options)
    topic = common.topic_of(flat, options)
    x_range = common.sweep_range(flat, options.x_var, options.x_low, options.x_high,
                                  "--x-")
    y_range = common.sweep_range(flat, options.y_var, options.y_low, options.y_high,
                                  "--y-")
    common.check_memory(flat, options.steps ** 2, "--steps")
    common.require_evaluable(options, flat, base, strict=False)
    with common.analysis_errors():
        result = two_way(flat, topic, options.x_var, x_range, options.y_var, y_range,
                         options.steps, base)
    if (result.best_index < 0).all():
        raise common.nowhere_evaluable(
            options, flat, {**base, options.x_var: x_range[0], options.y_var: y_range[0]})
    common.write_output(options, lambda: csv_table(result),
                        lambda plots: plots.plot_two_way(flat, topic, result))
    if options.json:
        common.print_json(document(flat, topic, result))
    else:
        print(readable(flat, topic, result))
    return 0


def document(flat: FlatTree, topic: Subject, result: TwoWay) -> dict:
    return {
        "node": flat.ids[topic.node], "player": flat.players[topic.player],
        "x": {"variable": result.x_variable, "values": common.plain_list(result.x)},
        "y": {"variable": result.y_variable, "values": common.plain_list(result.y)},
        "best": [list(row) for row in result.best],
    }


def csv_table(result: TwoWay) -> tuple[list[str], list[list]]:
    header = [result.x_variable, result.y_variable, "best"]
    rows = [[x, y, result.best[j][i]] for j, y in enumerate(result.y.tolist())
            for i, x in enumerate(result.x.tolist())]
    return header, rows


def readable(flat: FlatTree, topic: Subject, result: TwoWay) -> str:
    count = result.best_index.size
    shares = [[SYMBOLS[k], flat.labels.branches[a] or flat.ids[a],
               percent(np.count_nonzero(result.best_index == k) / count)]
              for k, a in enumerate(topic.alternatives[:len(SYMBOLS)])]
    lines = [f"Best alternative at {common.decision_heading(flat, topic)}",
             f"  across: {common.variable_line(flat, result.x_variable)}",
             f"  up:     {common.variable_line(flat, result.y_variable)}",
             f"  a grid of {result.x.size:,} × {result.y.size:,} points", "",
             table(["", "Alternative", "Best on"], shares, numeric_from=2)]
    if (result.best_index < 0).any():
        lines.append(f"  ·  the tree cannot be evaluated: "
                     f"{percent(np.count_nonzero(result.best_index < 0) / count)}")
    lines += ["", _picture(result)]
    return "\n".join(lines)


def _picture(result: TwoWay) -> str:
    """The region map: a symbol per sampled grid point, y rising up the page."""
    columns = np.unique(np.linspace(0, result.x.size - 1, min(result.x.size, MAX_COLUMNS))
                        .round().astype(int))
    rows = np.unique(np.linspace(0, result.y.size - 1, min(result.y.size, MAX_ROWS))
                     .round().astype(int))[::-1]
    symbols = np.array(list(SYMBOLS) + ["·"])
    grid = result.best_index[np.ix_(rows, columns)]
    grid = np.where((grid < 0) | (grid >= len(SYMBOLS)), len(SYMBOLS), grid)
    y_labels = {0: common.x_text(result.y[rows[0]]), len(rows) - 1:
                common.x_text(result.y[rows[-1]])}
    width = max(len(t) for t in y_labels.values())
    lines = [f"  {result.y_variable}"]
    for k, row in enumerate(grid):
        lines.append(f"  {y_labels.get(k, '').rjust(width)} │" + "".join(symbols[row]))
    lines.append("  " + " " * width + " └" + "─" * len(columns))
    left, right = common.x_text(result.x[0]), common.x_text(result.x[-1])
    axis = left + right.rjust(max(len(right) + 2, len(columns) - len(left)))
    lines.append("  " + " " * (width + 2) + axis + f"  {result.x_variable}")
    return "\n".join(lines)
