"""`offramp sensitivity FILE --var NAME [--steps N] [--from LOW] [--to HIGH]`.

How each alternative's value moves as one variable moves over its range, and the
exact values at which the best alternative changes.
"""
from __future__ import annotations

import argparse

from ..analysis.catalogue.one_way import MAX_STEPS, ONE_WAY, OneWayParameters
from . import analysis_common as common


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "sensitivity", help="how each alternative's value moves as one variable moves",
        description="Sweep one variable over its range (its min..max, or --from/--to):"
        " each alternative's value at every point, and the exact values at which the"
        " best alternative changes.")
    common.add_common(parser)
    parser.add_argument("--var", metavar="NAME", required=True, help="the variable to sweep")
    parser.add_argument("--steps", metavar="N", type=common.whole(2, MAX_STEPS, "--steps"),
                        default=200, help="points in the sweep (default 200)")
    common.add_range(parser)
    parser.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    settings, flat, base = common.prepare(options)
    common.topic_of(flat, options)
    low, _high = common.sweep_range(flat, options.var, options.low, options.high)
    common.check_memory(flat, options.steps, "--steps")
    common.require_evaluable(options, flat, base, strict=False)
    with common.analysis_errors():
        done = ONE_WAY.run(flat, OneWayParameters(
            variable=options.var, low=options.low, high=options.high, steps=options.steps,
            node=options.node, player=options.player, values=base))
    if all(b is None for b in done.result.best):
        raise common.nowhere_evaluable(options, flat, {**base, options.var: low})
    return common.finish(options, done, settings=settings)
