"""`offramp map FILE --x NAME --y NAME [--steps N] [--x-from/--x-to/--y-from/--y-to]`.

Which alternative is best over a grid of two variables: the regions of a two-way
sensitivity analysis, drawn in characters on the terminal.
"""
from __future__ import annotations

import argparse

from ..analysis.catalogue.two_way import MAX_STEPS, TWO_WAY, TwoWayParameters
from . import analysis_common as common


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
    parser.add_argument("--steps", metavar="N", type=common.whole(2, MAX_STEPS, "--steps"),
                        default=50, help="points along each variable (default 50)")
    common.add_range(parser, "x-", " across")
    common.add_range(parser, "y-", " up")
    parser.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    _settings, flat, base = common.prepare(options)
    common.topic_of(flat, options)
    x_range = common.sweep_range(flat, options.x_var, options.x_low, options.x_high,
                                  "--x-")
    y_range = common.sweep_range(flat, options.y_var, options.y_low, options.y_high,
                                  "--y-")
    common.check_memory(flat, options.steps ** 2, "--steps")
    common.require_evaluable(options, flat, base, strict=False)
    with common.analysis_errors():
        done = TWO_WAY.run(flat, TwoWayParameters(
            x=options.x_var, y=options.y_var, x_low=options.x_low, x_high=options.x_high,
            y_low=options.y_low, y_high=options.y_high, steps=options.steps,
            node=options.node, player=options.player, values=base))
    if (done.result.best_index < 0).all():
        raise common.nowhere_evaluable(
            options, flat, {**base, options.x_var: x_range[0], options.y_var: y_range[0]})
    return common.finish(options, done)
