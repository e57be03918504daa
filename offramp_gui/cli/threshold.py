"""`offramp threshold FILE --node ID --var NAME [--from LOW] [--to HIGH]`.

"What would it take": the exact values of one variable at which the choice made at
a decision node (typically the other side's) changes, and the choice in each interval.
"""
from __future__ import annotations

import argparse

from ..analysis.catalogue.threshold import MAX_STEPS, THRESHOLD, ThresholdParameters
from . import analysis_common as common
from .common import CommandError


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "threshold", help="at which values of a variable the choice at a node changes",
        description="What would it take for the player deciding at node ID to choose"
        " differently: the exact values of the variable (over its min..max, or"
        " --from/--to) at which the choice changes, and the choice in each interval.")
    common.add_common(parser, node_required=True)
    parser.add_argument("--var", metavar="NAME", required=True, help="the variable to move")
    parser.add_argument("--steps", metavar="N", type=common.whole(2, MAX_STEPS, "--steps"),
                        default=200, help="grid points searched for changes (default 200)")
    common.add_range(parser)
    parser.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    settings, flat, base = common.prepare(options)
    topic = common.topic_of(flat, options)
    decider = int(flat.player[topic.node])
    if options.player is not None and decider >= 0 and topic.player != decider:
        raise CommandError(f'at "{options.node}" {flat.players[decider]} chooses; a threshold'
                           f" follows that choice, so --player can only be"
                           f" {flat.players[decider]}")
    low, _high = common.sweep_range(flat, options.var, options.low, options.high)
    common.check_memory(flat, options.steps, "--steps")
    common.require_evaluable(options, flat, base, strict=False)
    with common.analysis_errors():
        done = THRESHOLD.run(flat, ThresholdParameters(
            node=options.node, variable=options.var, low=options.low, high=options.high,
            steps=options.steps, values=base))
    if all(choice is None for _a, _b, choice in done.result.intervals):
        raise common.nowhere_evaluable(options, flat, {**base, options.var: low})
    return common.finish(options, done, settings=settings)
