"""`offramp simulate FILE -n N [--seed S]`: Monte Carlo over the variables' distributions.

The spread of each alternative's value, the chance that each is best, the spread of
each outcome's chance, and the value of information: EVPI and per-variable EVPPI.
"""
from __future__ import annotations

import argparse
import secrets
import sys

import numpy as np

from ..analysis.flatten import FlatTree
from ..analysis.montecarlo import Simulation, simulate, uncertain_variables
from ..analysis.sensitivity import Subject
from . import analysis_common as common
from .common import CommandError
from .table import number, percent, table

MAX_SAMPLES = 10_000_000
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
    parser.add_argument("--seed", metavar="S", type=common.whole(0, 2 ** 64 - 1, "--seed"),
                        help="seed of the random numbers (default: a new one, printed)")
    parser.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    settings, flat, base = common.prepare(options)
    topic = common.topic_of(flat, options)
    seed = secrets.randbelow(2 ** 32) if options.seed is None else options.seed
    _check_size(flat, topic, options.samples)
    common.require_evaluable(options, flat, base, strict=False)
    with common.analysis_errors():
        result = simulate(flat, topic, options.samples, seed, base, _progress())
    _clear_progress()
    if not result.valid:
        raise common.nowhere_evaluable(options, flat, base, "in no sample can the tree be"
                                       " evaluated, so the analysis cannot be done")
    common.write_output(options, lambda: csv_table(result),
                        lambda plots: plots.plot_simulation(flat, topic, result,
                                                            outcome_colors=colors(settings)))
    if options.json:
        common.print_json(document(flat, topic, result))
    else:
        print(readable(flat, topic, result))
    return 0


def colors(settings) -> dict[str, str]:  # noqa: ANN001 - Settings
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


def document(flat: FlatTree, topic: Subject, result: Simulation) -> dict:
    summary, outcomes = result.summary(), result.outcome_summary()
    return {
        "node": flat.ids[topic.node], "player": flat.players[topic.player],
        "samples": result.samples, "seed": result.seed,
        "alternatives": {name: {k: common.plain(v) for k, v in stats.items()}
                         for name, stats in summary.items()},
        "outcomes": {name: {k: common.plain(v) for k, v in stats.items()}
                     for name, stats in outcomes.items()},
        "evpi": common.plain(result.evpi),
        "evppi": {name: common.plain(v) for name, v in _sorted_evppi(result)},
    }


def _sorted_evppi(result: Simulation) -> list[tuple[str, float]]:
    return sorted(result.evppi.items(), key=lambda item: -np.nan_to_num(item[1], nan=-1.0))


def csv_table(result: Simulation) -> tuple[list[str], object]:
    """One row per evaluated sample: the drawn values, each alternative's value, the best."""
    names = list(result.inputs)
    header = ["sample"] + names + list(result.alternatives) + ["best"]
    columns = [result.inputs[n].tolist() for n in names] + result.values.tolist()
    best = [result.alternatives[k] for k in result.best.tolist()]
    rows = ([k + 1, *row, best[k]] for k, row in enumerate(zip(*columns)))
    return header, rows


def readable(flat: FlatTree, topic: Subject, result: Simulation) -> str:
    who = common.player_label(flat, topic.player)
    drawn = len(result.inputs)
    total = len(uncertain_variables(flat))
    about = (f"  {result.samples:,} samples, seed {result.seed}; {drawn} variable"
             f"{'' if drawn == 1 else 's'} drawn from {'its' if drawn == 1 else 'their'}"
             " distributions, the others at their values")
    if drawn < total:
        about += f" ({total - drawn} fixed by --set)"
    lines = [f"Monte Carlo at {common.decision_heading(flat, topic)}", about]
    if not drawn:
        lines.append("  (no variable has a distribution: every sample is the same)")
    if result.valid < result.samples:
        lines.append(f"  {result.samples - result.valid:,} samples in which the tree cannot"
                     " be evaluated are left out")
    marks = common.numbering(flat, topic)
    rows = [[marks[name]] + [number(s[k]) for k in ("mean", "sd", "p5", "p50", "p95")]
            + [percent(s["probability_best"])] for name, s in result.summary().items()]
    lines += ["", "Alternatives", common.listing(flat, topic), "",
              f"Value of each alternative (utility of {who})",
              table(["", "Mean", "SD", "5%", "50%", "95%", "P(best)"], rows), "",
              f'Outcomes from "{common.node_label(flat, topic.node)}" under the solved policy'
              " (the chance of each, across the samples)", _outcomes(flat, result), "",
              f"Value of information (utility of {who})",
              f"  EVPI, knowing every variable before deciding: {number(result.evpi, 3)}"]
    if result.evppi:
        evppi = [[name, number(v, 3)] for name, v in _sorted_evppi(result)]
        lines += ["  EVPPI, knowing one variable (binning estimator; small values are within"
                  " sampling noise):", table(["Variable", "EVPPI"], evppi, indent="    ")]
    return "\n".join(lines)


def _outcomes(flat: FlatTree, result: Simulation) -> str:
    names = dict(zip(result.outcomes, flat.labels.outcomes))
    rows = [[names.get(key, key), percent(s["mean"]), percent(s["p5"]), percent(s["p95"])]
            for key, s in result.outcome_summary().items()
            if s["mean"] > 0]
    return table(["Outcome", "Mean", "5%", "95%"], rows)
