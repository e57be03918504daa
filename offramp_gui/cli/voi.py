"""`offramp voi FILE --event ID [--before ID] [--accuracy Q | --likelihood TABLE]`.

Value of information: what knowing the outcome of a chance event before a decision
would be worth to the player who decides there, perfectly or through a test.
"""
from __future__ import annotations

import argparse

from ..analysis.catalogue.value_of_information import (
    VALUE_OF_INFORMATION,
    InformationParameters,
)
from . import analysis_common as common
from .common import EXIT_USAGE, CommandError, add_set_option


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "voi", help="what knowing a chance event's outcome before a decision is worth",
        description="Value of information: the tree solved again with the outcome of the"
        " chance node --event known before the decision --before (default: the nearest"
        " decision above it), once per outcome. The expected value of perfect information"
        " is what the decider's value gains on average; with --accuracy or --likelihood,"
        " also that of a test's signal.")
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--event", metavar="ID", required=True,
                        help="the chance node whose outcome would be known")
    parser.add_argument("--before", metavar="ID",
                        help="the decision that would know it (default: the nearest above it)")
    test = parser.add_mutually_exclusive_group()
    test.add_argument("--accuracy", metavar="Q", type=chance,
                      help="a test that names the true outcome with chance Q, each other"
                      " one evenly otherwise")
    test.add_argument("--likelihood", metavar="TABLE", type=likelihood,
                      help='the chance of each signal given each outcome:'
                      ' "SIGNAL: OUTCOME=P, OUTCOME=P; SIGNAL: ..."')
    add_set_option(parser)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("-o", "--output", metavar="OUT",
                        help="also write a plot (.png, .svg) or the table of values (.csv)")
    parser.set_defaults(run=run)


def chance(text: str) -> float:
    """argparse type: a number from 0 to 1."""
    value = common.finite(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text} is not a chance from 0 to 1")
    return value


def likelihood(text: str) -> dict[str, dict[str, float]]:
    """argparse type: "SIGNAL: OUTCOME=P, OUTCOME=P; SIGNAL: ..." as signal -> outcome
    -> P(signal | outcome), in the order written."""
    table: dict[str, dict[str, float]] = {}
    for part in (p for p in text.split(";") if p.strip()):
        signal, colon, pairs = part.partition(":")
        signal = signal.strip()
        if not colon or not signal:
            raise argparse.ArgumentTypeError(
                f'"{part.strip()}": write SIGNAL: OUTCOME=P, OUTCOME=P, such as'
                ' "alarm: hardliners=0.8, moderates=0.3"')
        if signal in table:
            raise argparse.ArgumentTypeError(f'the signal "{signal}" is given twice')
        chances = table[signal] = {}
        for pair in (p for p in pairs.split(",") if p.strip()):
            outcome, equals, number = pair.rpartition("=")
            outcome = outcome.strip()
            if not equals or not outcome:
                raise argparse.ArgumentTypeError(f'"{pair.strip()}" in the signal'
                                                 f' "{signal}": write OUTCOME=P')
            chances[outcome] = chance(number.strip())
    if not table:
        raise argparse.ArgumentTypeError("give at least one signal")
    return table


def run(options: argparse.Namespace) -> int:
    _settings, flat, base = common.prepare(options)
    try:
        asked = InformationParameters(event=options.event, before=options.before,
                                      accuracy=options.accuracy,
                                      likelihood=options.likelihood, values=base)
    except ValueError as error:
        raise CommandError(str(error), EXIT_USAGE) from None
    with common.analysis_errors():
        asked.subject(flat)  # an unknown or unsuitable node, before evaluating
    outcomes = max(int(flat.child_count[flat.index[options.event]]), 1)
    common.check_memory(flat, 1 + outcomes + len(options.likelihood or ()) + outcomes, "tree")
    common.require_evaluable(options, flat, base)
    with common.analysis_errors():
        done = VALUE_OF_INFORMATION.run(flat, asked)
    return common.finish(options, done)
