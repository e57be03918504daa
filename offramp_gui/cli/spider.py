"""`offramp spider FILE [--var NAME]... [--steps N]`: how each variable moves the value.

Every variable with a range (or each one named) is moved across its range with the
others at their values; each line is the value of the alternative best in the base
case against the variable's change from its value, in percent of its range.
"""
from __future__ import annotations

import argparse

from ..analysis.catalogue.spider import MAX_STEPS, SPIDER, SpiderParameters
from . import analysis_common as common


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "spider", help="how each variable moves the value of the base case's choice",
        description="Move every variable that has a range (min and max) across it, the"
        " others at their values: the value of the alternative best in the base case,"
        " against the variable's change from its value in percent of its range, and"
        " where the best alternative changes. Variables given with --set stay fixed.")
    common.add_common(parser)
    parser.add_argument("--var", metavar="NAME", action="append", dest="variables",
                        help="move only this variable (repeatable; default: every"
                        " variable with a range)")
    parser.add_argument("--steps", metavar="N", type=common.whole(2, MAX_STEPS, "--steps"),
                        default=41, help="points across each range (default 41)")
    parser.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    _settings, flat, base = common.prepare(options)
    common.topic_of(flat, options)
    moved = len(options.variables or flat.variables)
    common.check_memory(flat, moved * (options.steps + 2), "--steps")
    common.require_evaluable(options, flat, base)
    with common.analysis_errors():
        done = SPIDER.run(flat, SpiderParameters(
            node=options.node, player=options.player, values=base,
            variables=options.variables, steps=options.steps))
    return common.finish(options, done)
