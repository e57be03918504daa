"""Monte Carlo over the variables' distributions, and the value of information.

Samples are drawn with numpy's PCG64 generator from a seed, so a run repeats
exactly. Variables without a distribution keep their values; a sample outside a
variable's min..max is drawn again (the distribution truncated to the range), up
to a limit after which it is clipped. Samples are evaluated in chunks, each one
vectorised `solve`.

EVPI = E[max_a V_a] - max_a E[V_a], from the samples. EVPPI of one variable X is
E_X[max_a E[V_a | X]] - max_a E[V_a]; E[V_a | X] is estimated by sorting the
samples by X and averaging within equal-count bins (about sqrt(N) bins; one bin
per value for discrete X). This is the binning estimator of Sadatsafavi et al.
(2013); with few samples per bin it leans upwards, so use thousands of samples.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .evaluate import outcome_shares, solve
from .flatten import FlatTree, VariableDef
from .sensitivity import AnalysisError, Subject, best_of

#: Numbers of node x sample x (criteria + outcomes) per chunk: bounds memory.
_CHUNK_ELEMENTS = 8_000_000
_REDRAWS = 20
#: Bounds whose squares stay far below the largest double.
_LARGE_BOUND = 2.0 ** 500


@dataclass(frozen=True)
class Simulation:
    samples: int  # requested
    valid: int  # samples whose tree could be evaluated
    seed: int
    alternatives: list[str]
    values: np.ndarray  # (A, valid) each alternative's value per sample
    best: np.ndarray  # (valid,) position of the best alternative per sample
    outcomes: list[str]
    outcome_shares: np.ndarray  # (K + 1, valid) at the analysed node
    inputs: dict[str, np.ndarray]  # sampled variables, (valid,) each
    evpi: float
    evppi: dict[str, float]

    def summary(self) -> dict[str, dict[str, float]]:
        out = {}
        for k, name in enumerate(self.alternatives):
            v = self.values[k]
            out[name] = {"mean": _stat(np.mean, v), "sd": _stat(np.std, v),
                         "p5": _percentile(v, 5), "p50": _percentile(v, 50),
                         "p95": _percentile(v, 95),
                         "probability_best": float(np.mean(self.best == k))
                         if self.valid else float("nan")}
        return out

    def outcome_summary(self) -> dict[str, dict[str, float]]:
        return {name: {"mean": _stat(np.mean, row), "p5": _percentile(row, 5),
                       "p95": _percentile(row, 95)}
                for name, row in zip(self.outcomes, self.outcome_shares)}


def _stat(function: Callable, values: np.ndarray) -> float:
    return _to_scale(function, values) if values.size else float("nan")


def _percentile(values: np.ndarray, q: float) -> float:
    return _to_scale(lambda v: np.percentile(v, q), values) if values.size else float("nan")


def _to_scale(function: Callable[[np.ndarray], Any], values: np.ndarray) -> float:
    """`function` of finite `values`, a statistic that scales with them (a mean, a spread,
    a percentile, a value of information), safe near the largest double.

    There their sums and differences overflow: the statistic is then taken of the
    values scaled to at most 1 by a power of two (exactly) and scaled back. NaN if it
    is itself beyond the largest double (too large to compute).
    """
    with np.errstate(all="ignore"):
        result = float(function(values))
        if math.isfinite(result) or not values.size:
            return result
        exponent = int(np.frexp(np.max(np.abs(values)))[1])
        result = float(np.ldexp(function(np.ldexp(values, -exponent)), exponent))
    return result if math.isfinite(result) else math.nan


def uncertain_variables(flat: FlatTree) -> list[VariableDef]:
    return [v for v in flat.variables if v.distribution is not None]


def sample_variables(flat: FlatTree, samples: int, seed: int,
                     fixed: Mapping[str, float] | None = None) -> dict[str, np.ndarray]:
    """`samples` draws of every variable that has a distribution (and is not fixed)."""
    rng = np.random.Generator(np.random.PCG64(seed))
    fixed = fixed or {}
    return {v.name: _draw(v, samples, rng) for v in uncertain_variables(flat)
            if v.name not in fixed}


def _draw(var: VariableDef, count: int, rng: np.random.Generator) -> np.ndarray:
    values = _raw_draw(var.distribution or {}, count, rng)
    low = -np.inf if var.low is None else var.low
    high = np.inf if var.high is None else var.high
    for _ in range(_REDRAWS):
        outside = (values < low) | (values > high)
        if not outside.any():
            break
        values[outside] = _raw_draw(var.distribution or {}, int(outside.sum()), rng)
    return np.clip(values, low, high)


def _raw_draw(spec: Mapping[str, Any], count: int, rng: np.random.Generator) -> np.ndarray:
    kind = spec.get("type")
    if kind == "uniform":
        return _between(rng.uniform, (spec["low"], spec["high"]), count)
    if kind == "triangular":
        if spec["low"] == spec["high"]:
            return np.full(count, float(spec["low"]))
        return _between(rng.triangular, (spec["low"], spec["mode"], spec["high"]), count)
    if kind == "beta":
        return rng.beta(spec["alpha"], spec["beta"], count)
    if kind == "normal":
        return rng.normal(spec["mean"], spec["sd"], count)
    if kind == "lognormal":
        return rng.lognormal(spec["mu"], spec["sigma"], count)
    if kind == "discrete":
        weights = np.asarray(spec["weights"], float)
        with np.errstate(over="ignore"):
            if not np.isfinite(weights.sum()):  # weights near the largest double
                weights = weights / weights.max()
        return rng.choice(np.asarray(spec["values"], float), count, p=weights / weights.sum())
    raise AnalysisError(f"unknown distribution {kind!r}")


def _between(draw: Callable[..., np.ndarray], bounds: tuple[float, ...],
             count: int) -> np.ndarray:
    """Draw from a distribution set by its bounds (uniform, triangular).

    numpy subtracts and multiplies the bounds, which overflows for bounds near the
    largest double (it raises, or draws infinities): large bounds are scaled to at
    most 1 by a power of two, exactly, and the draws scaled back. The distributions
    scale with their bounds.
    """
    largest = max(abs(bound) for bound in bounds)
    if largest < _LARGE_BOUND:
        return draw(*bounds, count)
    exponent = math.frexp(largest)[1]
    return np.ldexp(draw(*(math.ldexp(bound, -exponent) for bound in bounds), count),
                    exponent)


def simulate(flat: FlatTree, topic: Subject, samples: int, seed: int = 0,
             base: Mapping[str, Any] | None = None,
             progress: Callable[[int, int], bool] | None = None) -> Simulation:
    """Run `samples` draws; `progress(done, total)` may return False to stop early."""
    if samples < 1:
        raise AnalysisError("the number of samples must be at least 1")
    base = dict(base or {})
    inputs = sample_variables(flat, samples, seed, base)
    chunk = max(1, _CHUNK_ELEMENTS // max(1, flat.size * (len(flat.criteria) + 2)))
    values, shares = [], []
    for start in range(0, samples, chunk):
        stop = min(samples, start + chunk)
        overrides = {**base, **{k: v[start:stop] for k, v in inputs.items()}}
        solution = solve(flat, overrides, stop - start, want_reach=False, want_outcomes=False)
        values.append(solution.certainty(list(topic.alternatives))[:, :, topic.player])
        shares.append(outcome_shares(solution, topic.node))
        if progress is not None and progress(stop, samples) is False:
            raise Cancelled
    all_values = np.concatenate(values, axis=1)
    all_shares = np.concatenate(shares, axis=1)
    ok = ~np.isnan(all_values).any(axis=0)
    all_values, all_shares = all_values[:, ok], all_shares[:, ok]
    kept = {k: v[ok] for k, v in inputs.items()}
    position = {a: k for k, a in enumerate(topic.alternatives)}
    best = np.array([position[int(b)] for b in best_of(all_values, topic)], int) \
        if all_values.shape[1] else np.zeros(0, int)
    return Simulation(samples, int(ok.sum()), seed, topic.ids(flat), all_values, best,
                      list(flat.outcomes) + ["null"], all_shares, kept,
                      evpi(all_values), {k: evppi(all_values, v) for k, v in kept.items()})


class Cancelled(Exception):
    """The caller asked the simulation to stop."""


def evpi(values: np.ndarray) -> float:
    """Expected value of perfect information: (A, N) values per alternative and sample."""
    if not values.size:
        return float("nan")
    return _at_least_zero(_to_scale(
        lambda v: np.mean(np.max(v, axis=0)) - np.max(np.mean(v, axis=1)), values))


def evppi(values: np.ndarray, x: np.ndarray) -> float:
    """Expected value of learning one input `x` exactly (binning estimator)."""
    count = x.size
    if not count:
        return float("nan")
    order = np.argsort(x, kind="stable")
    distinct = np.unique(x)
    if distinct.size <= max(2, int(np.sqrt(count))):
        groups = [np.flatnonzero(x == value) for value in distinct]
    else:
        groups = np.array_split(order, max(2, int(round(np.sqrt(count)))))
    def gain(v: np.ndarray) -> float:
        informed = sum(group.size * np.max(np.mean(v[:, group], axis=1))
                       for group in groups if group.size) / count
        return float(informed - np.max(np.mean(v, axis=1)))

    return _at_least_zero(_to_scale(gain, values))


def _at_least_zero(value: float) -> float:
    """A value of information: never below 0 (sampling noise), NaN kept (too large)."""
    return value if math.isnan(value) else max(0.0, value)
