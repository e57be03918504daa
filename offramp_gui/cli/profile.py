"""`offramp profile FILE`: the risk profile of a decision's alternatives.

For each alternative, the chance of each score of the player who decides there, its
cumulative chances, the stochastic dominance among them and the chance of each outcome.
"""
from __future__ import annotations

import argparse

from ..analysis.catalogue.risk_profile import RISK_PROFILE, ProfileParameters
from . import analysis_common as common


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "profile", help="the risk profile of a decision's alternatives",
        description="For each alternative of a decision (the root unless --node names"
        " another): the chance of each score of the player who decides there, over the"
        " endings it can reach when every later decision follows the solved policy; the"
        " cumulative chances; which alternatives stochastically dominate others (first or"
        " second order); and the chance of each outcome.")
    common.add_common(parser, player=False)
    parser.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    _settings, flat, base = common.prepare(options)
    with common.analysis_errors():
        parameters = ProfileParameters(node=options.node, values=base)
        parameters.subject(flat)  # an unknown node, or not a decision: say so first
    common.require_evaluable(options, flat, base)
    with common.analysis_errors():
        done = RISK_PROFILE.run(flat, parameters)
    return common.finish(options, done)
