"""`offramp tornado FILE`: which variables move the decision most.

Every variable with a range is swung from its min to its max with the others at
their values; the bars are sorted by how much the decision's value moves.
"""
from __future__ import annotations

import argparse

from ..analysis.catalogue.tornado import TORNADO, TornadoParameters
from . import analysis_common as common


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
    common.topic_of(flat, options)
    common.check_memory(flat, 2 * len(flat.variables) + 1, "tree")
    common.require_evaluable(options, flat, base)
    with common.analysis_errors():
        done = TORNADO.run(flat, TornadoParameters(node=options.node, player=options.player,
                                                   values=base))
    return common.finish(options, done)
