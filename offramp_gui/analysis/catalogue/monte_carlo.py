"""Monte Carlo: the variables drawn from their distributions, and the value of information."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .. import readable as words
from ..flatten import FlatTree
from ..montecarlo import Simulation, simulate, uncertain_variables
from .kind import AnalysisKind, Decision, Run, Table, check_whole, plain

MAX_SAMPLES = 10_000_000
MAX_SEED = 2 ** 64 - 1


@dataclass(frozen=True, kw_only=True)
class MonteCarloParameters(Decision):
    """`samples` draws of the variables that have a distribution (those given `values`
    stay fixed); the same `seed` gives the same numbers."""

    samples: int
    seed: int = 0

    def __post_init__(self) -> None:
        super().__post_init__()
        check_whole(self.samples, 1, MAX_SAMPLES, "the number of samples")
        check_whole(self.seed, 0, MAX_SEED, "the seed")


def compute(flat: FlatTree, asked: MonteCarloParameters,
            progress: Callable[[int, int], bool] | None = None) -> Simulation:
    """`progress(done, total)` may return False to stop (montecarlo.Cancelled is raised)."""
    return simulate(flat, asked.subject(flat), asked.samples, asked.seed, asked.values,
                    progress)


def table(run: Run) -> Table:
    """One row per evaluated sample: the drawn values, each alternative's value, the best."""
    result: Simulation = run.result
    names = list(result.inputs)
    header = ["sample"] + names + list(result.alternatives) + ["best"]
    columns = [result.inputs[n].tolist() for n in names] + result.values.tolist()
    best = [result.alternatives[k] for k in result.best.tolist()]
    return Table(header, ([k + 1, *row, best[k]] for k, row in enumerate(zip(*columns))))


def document(run: Run) -> dict:
    flat, topic, result = run.flat, run.topic, run.result
    summary, outcomes = result.summary(), result.outcome_summary()
    return {
        "node": flat.ids[topic.node], "player": flat.players[topic.player],
        "samples": result.samples, "seed": result.seed,
        "alternatives": {name: {k: plain(v) for k, v in stats.items()}
                         for name, stats in summary.items()},
        "outcomes": {name: {k: plain(v) for k, v in stats.items()}
                     for name, stats in outcomes.items()},
        "evpi": plain(result.evpi),
        "evppi": {name: plain(v) for name, v in sorted_evppi(result)},
    }


def sorted_evppi(result: Simulation) -> list[tuple[str, float]]:
    """Each variable's EVPPI, largest first."""
    return sorted(result.evppi.items(), key=lambda item: -np.nan_to_num(item[1], nan=-1.0))


def text(run: Run) -> str:
    flat, topic, result = run.flat, run.topic, run.result
    drawn = len(result.inputs)
    total = len(uncertain_variables(flat))
    about = (f"  {result.samples:,} samples, seed {result.seed}; {drawn} variable"
             f"{'' if drawn == 1 else 's'} drawn from {'its' if drawn == 1 else 'their'}"
             " distributions, the others at their values")
    if drawn < total:
        about += f" ({total - drawn} fixed by --set)"
    lines = [f"Monte Carlo at {words.decision_heading(flat, topic)}", about]
    if not drawn:
        lines.append("  (no variable has a distribution: every sample is the same)")
    if result.valid < result.samples:
        lines.append(f"  {result.samples - result.valid:,} samples in which the tree cannot"
                     " be evaluated are left out")
    marks = words.numbering(flat, topic)
    rows = [[marks[name]] + [words.number(s[k]) for k in ("mean", "sd", "p5", "p50", "p95")]
            + [words.percent(s["probability_best"])] for name, s in result.summary().items()]
    lines += ["", "Alternatives", words.listing(flat, topic), "",
              f"Value of each alternative ({words.value_of(flat, topic.player)})",
              words.table(["", "Mean", "SD", "5%", "50%", "95%", "P(best)"], rows), "",
              f'Outcomes from "{words.node_label(flat, topic.node)}" under the solved policy'
              " (the chance of each, across the samples)", _outcomes(flat, result), "",
              f"Value of information ({words.value_of(flat, topic.player)})",
              f"  EVPI, knowing every variable before deciding: {words.number(result.evpi, 3)}"]
    if result.evppi:
        evppi = [[name, words.number(v, 3)] for name, v in sorted_evppi(result)]
        lines += ["  EVPPI, knowing one variable (binning estimator; small values are within"
                  " sampling noise):", words.table(["Variable", "EVPPI"], evppi, indent="    ")]
    return "\n".join(lines)


def _outcomes(flat: FlatTree, result: Simulation) -> str:
    names = dict(zip(result.outcomes, flat.labels.outcomes))
    rows = [[names.get(key, key), words.percent(s["mean"]), words.percent(s["p5"]),
             words.percent(s["p95"])]
            for key, s in result.outcome_summary().items() if s["mean"] > 0]
    return words.table(["Outcome", "Mean", "5%", "95%"], rows)


MONTE_CARLO = AnalysisKind(name="monte-carlo", command="simulate", parameters=MonteCarloParameters,
                           compute=compute, table=table, document=document, text=text)
