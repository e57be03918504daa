"""`offramp simulate FILE -n N [--seed S]`: Monte Carlo over the variables' distributions.

The spread of each alternative's value, the chance that each is best, the spread of
each outcome's chance, and the value of information: EVPI and per-variable EVPPI.
"""
from __future__ import annotations

import argparse
import secrets
import sys

from ..analysis.catalogue.monte_carlo import (
    MAX_SAMPLES,
    MAX_SEED,
    MONTE_CARLO,
    MonteCarloParameters,
)
from ..analysis.flatten import FlatTree
from ..analysis.sensitivity import Subject
from ..model.tree import Settings
from . import analysis_common as common
from .common import CommandError

_RESULT_BYTES = 2 * 1024 ** 3  # the samples kept for the summary, the CSV and EVPPI


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "simulate", help="Monte Carlo over the variables' distributions",
        description="Draw the variables that have a distribution N times (the others, and"
        " those given with --set, stay fixed) and evaluate the tree for each draw: the"
        " spread of each alternative's value, the chance each is best, the spread of each"
        " outcome's chance, and the expected value of perfect information (EVPI) and of"
        " each variable (EVPPI). The same --seed gives the same numbers.")
    common.add_common(parser)
    parser.add_argument("-n", "--samples", metavar="N", required=True,
                        type=common.whole(1, MAX_SAMPLES, "-n"),
                        help=f"the number of samples, 1 to {MAX_SAMPLES:,}")
    parser.add_argument("--seed", metavar="S", type=common.whole(0, MAX_SEED, "--seed"),
                        help="seed of the random numbers (default: a new one, printed)")
    parser.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    settings, flat, base = common.prepare(options)
    topic = common.topic_of(flat, options)
    seed = secrets.randbelow(2 ** 32) if options.seed is None else options.seed
    _check_size(flat, topic, options.samples)
    common.require_evaluable(options, flat, base, strict=False)
    with common.analysis_errors():
        done = MONTE_CARLO.run(flat, MonteCarloParameters(
            samples=options.samples, seed=seed, node=options.node, player=options.player,
            values=base), progress=_progress())
    _clear_progress()
    if not done.result.valid:
        raise common.nowhere_evaluable(options, flat, base, "in no sample can the tree be"
                                       " evaluated, so the analysis cannot be done")
    return common.finish(options, done, colors(settings))


def colors(settings: Settings) -> dict[str, str]:
    return {o.id: o.color for o in settings.outcomes or [] if o.color}


def _check_size(flat: FlatTree, topic: Subject, samples: int) -> None:
    columns = len(topic.alternatives) + len(flat.outcomes) + len(flat.variables) + 3
    if samples * columns * 8 * 2 > _RESULT_BYTES:
        most = _RESULT_BYTES // (columns * 8 * 2)
        raise CommandError(f"-n {samples:,}: the samples of this tree would need more than"
                           f" {_RESULT_BYTES // 1024 ** 3} GB of memory; use at most {most:,}")


def _progress():  # noqa: ANN202
    """A percentage on a terminal's stderr for long runs; nothing otherwise."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> bool:
        if total >= 100_000:
            sys.stderr.write(f"\r  simulating … {100 * done // total}%")
            sys.stderr.flush()
        return True
    return show


def _clear_progress() -> None:
    if sys.stderr.isatty():
        sys.stderr.write("\r" + " " * 24 + "\r")
