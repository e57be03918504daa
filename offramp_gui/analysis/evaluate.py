"""Roll a tree back as docs/format.md says ("What offramp computes"), for one or many
sets of variable values.

Arrays have a leading node axis and a sample axis: values are (n, S, C). One
evaluation is S = 1; a 200-point sweep or a Monte Carlo run is S = 200 or 10,000, at
the cost of a few more numpy operations per tree level, not per sample.
"""
from __future__ import annotations

import dataclasses
import math
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from ..model.columns import NodeColumns
from ..model.expressions import names
from ..model.issues import Issue
from ..model.tree import EXPONENTIAL, Tree
from ..model.validate import validate, validate_settings
from .expr_eval import diagnose
from .expr_eval import evaluate as run_formula
from .flatten import (
    BROKEN,
    EXPRESSION,
    NO_PROBABILITY,
    REMAINDER_PROBABILITY,
    FlatTree,
    FormulaTerm,
    RiskAttitude,
    VariableDef,
    flatten,
    flatten_columns,
)
from .plan import LevelPlan, as_pairs, level_plans, reduceat, segment_sums, structure

PROBABILITY_SUM_TOLERANCE = 1e-6
PROBABILITY_RANGE_TOLERANCE = 1e-9
TIE_TOLERANCE = 1e-9

Overrides = Mapping[str, Any]


@dataclass(frozen=True, eq=False)
class Solution:
    """Everything the rollback computes, for S samples of the variables."""

    flat: FlatTree
    variables: dict[str, np.ndarray]  # name -> (S,)
    values: np.ndarray  # (n, S, C) expected totals per criterion
    probability: np.ndarray  # (n, S) branch probabilities after '#' and expressions
    payoff: np.ndarray  # (n, S or 1, C) each node's own payoff after expressions
    weight: np.ndarray  # (n, S) how much of its parent's value each node carries
    choice: np.ndarray  # (n, S) chosen child index at decisions, -1 elsewhere
    tie: np.ndarray  # (n, S) bool
    reach: np.ndarray | None  # (n, S)
    outcomes: np.ndarray | None  # (n, S, K + 1), last column "null"
    issues: tuple[Issue, ...]
    #: The players' weights: (P, C) when all are numbers, (S, P, C) when some are
    #: expressions over the variables.
    weights: np.ndarray
    #: The certainty equivalents of the players in `flat.risk`, (len(flat.risk), n, S):
    #: one contiguous block each, or how to work them out (`risk_block` reads them).
    #: None when every player is risk-neutral.
    risk_certainty: np.ndarray | Callable[[], np.ndarray] | None = None

    @property
    def samples(self) -> int:
        return self.values.shape[1]

    def utilities(self, nodes: Any = slice(None)) -> np.ndarray:
        """Expected utility per player, (len(nodes), S, P): linear in the criteria."""
        return utilities(self.values[nodes], self.weights)

    def certainty(self, nodes: Any = slice(None)) -> np.ndarray:
        """Each player's certainty equivalent, (len(nodes), S, P): what a decision's
        player compares. A risk-neutral player's is its expected utility."""
        found = self.utilities(nodes)
        if self.risk_block is not None:
            for slot, attitude in enumerate(self.flat.risk):
                found[..., attitude.player] = self.risk_block[slot][nodes]
        return found

    @cached_property
    def risk_block(self) -> np.ndarray | None:
        """`risk_certainty`, worked out on first reading."""
        return _table(self.risk_certainty)

    def sample_weights(self, sample: int) -> np.ndarray:
        """The weights (P, C) of one sample."""
        return self.weights if self.weights.ndim == 2 else self.weights[sample]


def utilities(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Utility per player from values per criterion (last axis); linear in the criteria.

    `weights` is (P, C), or (S, P, C) for values (..., S, C) whose weights differ by
    sample. einsum, not `@`: matrix products with two or three columns are many times
    slower on a million rows.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        if values.shape[-1] == 2:
            # Player by player, each into a contiguous block (the players' axis is moved
            # last as a view): broadcast over the players, the inner loop ran over two.
            by_player = np.empty(weights.shape[-2:-1] + values.shape[:-1])
            for player in range(len(by_player)):
                weighted_sum(values, weights[..., player, :], out=by_player[player])
            result = np.moveaxis(by_player, 0, -1)
        elif weights.ndim == 2:
            result = np.einsum("...c,pc->...p", values, weights)
        else:
            result = np.einsum("...sc,spc->...sp", values, weights)
        if not np.isfinite(result.sum()):  # (quicker than looking at each value)
            result[np.isinf(result)] = np.nan  # too large to compute (`evaluate` says so)
    return result


def weighted_sum(values: np.ndarray, weights: np.ndarray,
                 out: np.ndarray | None = None) -> np.ndarray:
    """`(values * weights).sum(-1)` for two criteria, bit for bit as einsum adds them:
    from zero (a -0.0 comes out 0.0), in order, weight first (where two nans meet,
    einsum's own loops do not agree on the sign kept). A few times quicker, as einsum's
    inner loop would run over the two criteria alone; it adds one criterion, and three
    or more, otherwise."""
    result = np.multiply(weights[..., 0], values[..., 0], out=out)
    result += 0.0
    result += weights[..., 1] * values[..., 1]
    return result


def solve(flat: FlatTree, overrides: Overrides | None = None, samples: int = 1,
          want_reach: bool = True, want_outcomes: bool = True,
          fixed: Mapping[int, int] | None = None) -> Solution:
    """Roll `flat` back for `samples` sets of variable values.

    Parameters
    ----------
    overrides
        Variable name -> a number or an array of `samples` numbers; other variables
        take their own values (expressions are recomputed from the overrides).
    want_reach, want_outcomes
        Skip these parts when an analysis does not need them.
    fixed
        Decision node index -> the index of the child taken there, whatever it is worth
        (an equilibrium's choices at information sets): a choice like any other, with
        no tie; reach and outcome chances follow it.
    """
    return _solve(flat, overrides, samples, want_reach, want_outcomes, fixed)[0]


def _solve(flat: FlatTree, overrides: Overrides | None, samples: int, want_reach: bool,
           want_outcomes: bool, fixed: Mapping[int, int] | None = None,
           ) -> tuple[Solution, Callable[[], np.ndarray]]:
    """`solve`, and how to work out the outcome distributions later."""
    problems = _Problems(flat)
    env = _variable_values(flat, overrides or {}, samples, problems)
    probability, valid = _probabilities(flat, env, samples, problems)
    payoff = _payoffs(flat, env, samples, problems)
    weights = _weights(flat, env, samples, problems)
    tolerances = _tolerances(flat, env, samples, problems)
    cumulative = path_totals(flat, payoff)
    rollback = _Rollback(flat, probability, valid, samples, weights, tolerances,
                         flat.held if fixed is None else fixed)
    values, weight, choice, tie = rollback.run(cumulative)
    reach = _reach(flat, weight) if want_reach else None

    def outcomes_later() -> np.ndarray:
        return rollback.outcome_distributions(weight, choice)

    outcomes = outcomes_later() if want_outcomes else None
    problems.overflow(values)
    return Solution(flat, env, values, probability, payoff, weight, choice, tie, reach,
                    outcomes, tuple(problems.issues), weights,
                    rollback.certainty), outcomes_later


# ---- inputs -------------------------------------------------------------------------
class _Problems:
    """Collects numeric problems, each once, with the node and field it concerns."""

    def __init__(self, flat: FlatTree):
        self.flat = flat
        self.issues: list[Issue] = []

    @cached_property
    def _variable_of(self) -> dict[int, VariableDef]:
        return {id(v.formula): v for v in self.flat.variables if v.formula is not None}

    def formula(self, term: FormulaTerm, result: Any, env: dict[str, Any]) -> None:
        bad = ~np.isfinite(np.atleast_1d(result))
        sample = int(np.argmax(bad))
        parsed = _parsed(term)
        # Only the names it uses: with thousands of failing formulas, copying every
        # variable's value for each would be quadratic.
        scalar_env = {k: float(np.atleast_1d(env[k])[min(sample, np.size(env[k]) - 1)])
                      for k in names(parsed) if k in env}
        why = diagnose(parsed, scalar_env)
        some = "" if bad.all() else " for some values of the variables"
        if term.field == "risk_tolerance":
            player = self.flat.labels.players[term.node]
            self.issues.append(Issue(f'the risk tolerance "{term.text}" of {player} cannot'
                                     f" be computed{some}: {why}", term.path))
            return
        if term.field == "weight":
            labels = self.flat.labels
            self.issues.append(Issue(f'the weight "{term.text}" of {labels.players[term.node]}'
                                     f" on {labels.criteria[term.column]} cannot be computed"
                                     f"{some}: {why}", term.path))
            return
        if term.node < 0:
            var = self._variable_of[id(term)]
            self.issues.append(Issue(f'the value "{term.text}" of {var.name} cannot be'
                                     f" computed{some}: {why}",
                                     f"$.variables[{var.position}].value"))
            return
        node = term.node
        self.issues.append(Issue(f'{term.field} "{term.text}" cannot be computed{some}: {why}',
                                 self.flat.json_path(node) + term.path,
                                 self.flat.ids[node], term.field))

    def add(self, node: int, suffix: str, message: str, field: str | None = None) -> None:
        self.issues.append(Issue(message, self.flat.json_path(node) + suffix,
                                 self.flat.ids[node], field))

    def overflow(self, values: np.ndarray) -> None:
        with np.errstate(over="ignore", invalid="ignore"):
            if np.isfinite(values.sum()):  # (quicker than looking at each value)
                return
        infinite = np.isinf(values).any(axis=(1, 2))
        if infinite.any():
            node = int(np.flatnonzero(infinite)[0])
            self.add(node, "", "the totals here are too large to compute (they overflow)")
            values[np.isinf(values)] = np.nan

    def utility_overflow(self, values: np.ndarray, utility: np.ndarray,
                         weights: np.ndarray) -> None:
        """Weights near the largest number can make a utility overflow (`utilities`
        leaves nan there): say where, once."""
        if not np.isfinite(weights).all():
            return  # a weight that is not a number: validation says so
        with np.errstate(over="ignore", invalid="ignore"):
            if not np.isnan(utility.sum()):
                return
        overflowed = np.isnan(utility).any(axis=-1) & ~np.isnan(values).any(axis=-1)
        if overflowed.any():
            self.add(int(np.flatnonzero(overflowed)[0]), "",
                     "a player's utility here is too large to compute (it overflows)")


def _parsed(term: FormulaTerm) -> Any:
    from ..model.validate import parse_cached
    return parse_cached(term.text)


def _variable_values(flat: FlatTree, overrides: Overrides, samples: int,
                     problems: _Problems) -> dict[str, np.ndarray]:
    env: dict[str, Any] = {}
    with np.errstate(all="ignore"):  # once, not per formula: a file may hold 50,000
        for var in flat.variables:
            if var.name in overrides:
                value = np.asarray(overrides[var.name], dtype=float)
            elif var.broken:
                value = np.asarray(np.nan)
            elif var.formula is None:
                value = np.asarray(var.value)
            else:
                value = np.asarray(var.formula.compiled(env), dtype=float)
                if not np.isfinite(value).all():
                    problems.formula(var.formula, value, env)
                    value = np.where(np.isfinite(value), value, np.nan)
            env[var.name] = value
    return {name: _per_sample(value, samples) for name, value in env.items()}


def _per_sample(value: np.ndarray, samples: int) -> np.ndarray:
    """`value` as a read-only row of `samples`; np.full where broadcast_to's own checks
    would cost more than the rest of a variable's evaluation."""
    if value.ndim:
        return np.broadcast_to(value, (samples,))
    row = np.full(samples, value, dtype=float)
    row.flags.writeable = False
    return row


def _formula_values(terms: tuple[FormulaTerm, ...], env: dict[str, np.ndarray],
                    samples: int, problems: _Problems) -> np.ndarray:
    """One formula's values, shared by every node that uses the same text."""
    first = terms[0]
    value = np.broadcast_to(np.asarray(run_formula(first.compiled, env), float), (samples,))
    if not np.isfinite(value).all():
        if not any(np.isnan(env[n]).all() for n in first.names):  # already reported
            for term in terms:
                problems.formula(term, value, env)
        value = np.where(np.isfinite(value), value, np.nan)
    return value


_GROUPS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _term_groups(flat: FlatTree) -> dict[str, list]:
    """Formulas grouped by their text: a tree often repeats `p_collapse` a hundred times,
    and each distinct formula needs evaluating only once per solve."""
    groups = _GROUPS.get(flat)
    if groups is None:
        groups = {}
        for kind, terms in (("probability", flat.probability_terms),
                            ("payoff", flat.payoff_terms)):
            by_text: dict[str, list[FormulaTerm]] = {}
            for term in terms:
                by_text.setdefault(term.text, []).append(term)
            groups[kind] = [(tuple(ts), np.array([t.node for t in ts]),
                             np.array([t.column for t in ts])) for ts in by_text.values()]
        _GROUPS[flat] = groups
    return groups


_FIXED_PROBABILITIES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _probabilities(flat: FlatTree, env: dict[str, np.ndarray], samples: int,
                   problems: _Problems) -> tuple[np.ndarray, np.ndarray]:
    """Branch probabilities (n, S) and whether each node's own are valid (n, S)."""
    if flat.probability_terms:
        return _worked_out_probabilities(flat, env, samples, problems)
    # Numbers only: the same for every call and every sample, so worked out once.
    fixed = _FIXED_PROBABILITIES.get(flat)
    if fixed is None:
        found = _Problems(flat)
        probability, valid = _worked_out_probabilities(flat, env, 1, found)
        probability.flags.writeable = valid.flags.writeable = False
        fixed = _FIXED_PROBABILITIES[flat] = (probability, valid, tuple(found.issues))
    probability, valid, issues = fixed
    problems.issues += issues
    if samples == 1:
        return probability, valid
    return (np.broadcast_to(probability, (flat.size, samples)),
            np.broadcast_to(valid, (flat.size, samples)))


def _worked_out_probabilities(flat: FlatTree, env: dict[str, np.ndarray], samples: int,
                              problems: _Problems) -> tuple[np.ndarray, np.ndarray]:
    probability = np.repeat(flat.probability[:, None], samples, axis=1)
    for terms, nodes, _columns in _term_groups(flat)["probability"]:
        probability[nodes] = _formula_values(terms, env, samples, problems)
    kind = flat.probability_kind
    remainder = np.flatnonzero(kind == REMAINDER_PROBABILITY)
    if remainder.size:
        others = np.where((kind == REMAINDER_PROBABILITY)[:, None], 0.0, probability)
        sibling_sums = _sums_by_parent(flat, others)
        probability[remainder] = 1.0 - sibling_sums[flat.parent[remainder]]
    valid = np.ones((flat.size, samples), bool)
    takes = structure(flat).averaging_parents
    if takes.size:
        valid[takes] = _check_probabilities(flat, probability, problems)
    return probability, valid


def _sums_by_parent(flat: FlatTree, per_child: np.ndarray) -> np.ndarray:
    """Sum (n, S) child values into their parents; (n, S), zero at terminals."""
    sums = np.zeros_like(per_child)
    internal = np.flatnonzero(flat.child_count > 0)
    if internal.size:
        sums[internal] = reduceat(np.add, per_child[1:], flat.child_start[internal] - 1)
    return sums


def _check_probabilities(flat: FlatTree, probability: np.ndarray,
                         problems: _Problems) -> np.ndarray:
    """Whether each averaging parent's branch probabilities are valid, (parents, S)."""
    shape = structure(flat)
    children, starts = shape.averaged_children, shape.averaged_starts
    p = probability[children]
    low, high = -PROBABILITY_RANGE_TOLERANCE, 1 + PROBABILITY_RANGE_TOLERANCE
    in_range = (p >= low) & (p <= high)
    all_in_range = reduceat(np.logical_and, in_range, starts)
    sums = reduceat(np.add, p, starts)
    adds_up = np.abs(sums - 1) <= PROBABILITY_SUM_TOLERANCE
    for k in np.flatnonzero(~in_range.all(axis=1)):
        _range_problem(flat, int(children[k]), p[k], problems)
    for k in np.flatnonzero((~adds_up & all_in_range).any(axis=1)):
        _sum_problem(flat, int(shape.averaging_parents[k]), sums[k], problems)
    return all_in_range & adds_up


def _range_problem(flat: FlatTree, child: int, p: np.ndarray, problems: _Problems) -> None:
    kind = flat.probability_kind[child]
    if kind in (BROKEN, NO_PROBABILITY) or (
            np.isnan(p).all() and kind in (EXPRESSION, REMAINDER_PROBABILITY)):
        return  # validate, the expression check or a sibling's problem has said why
    bad = p[~((p >= -PROBABILITY_RANGE_TOLERANCE) & (p <= 1 + PROBABILITY_RANGE_TOLERANCE))]
    value = float(bad[0])
    some = "" if bad.size == p.size else " for some values of the variables"
    if np.isnan(value):
        message = "the probability is not a number" + some
    elif kind == REMAINDER_PROBABILITY:
        side = "more than 1" if value < 0 else "less than 0"
        message = (f'the remainder "#" comes to {value:.6g}{some}: the other branches add up'
                   f" to {near_one(1 - value)}, {side}")
    else:
        side = "above 1" if value > 1 else "below 0"
        message = f"probability {near_one(value)} is {side}{some}"
    problems.add(child, ".probability", message, "probability")


def _sum_problem(flat: FlatTree, parent: int, sums: np.ndarray, problems: _Problems) -> None:
    bad = sums[np.abs(sums - 1) > PROBABILITY_SUM_TOLERANCE]
    some = "" if bad.size == sums.size else " for some values of the variables"
    problems.add(parent, "", f"the probabilities of its branches add up to"
                 f" {near_one(float(bad[0]))}, not 1{some}", "probability")


def near_one(value: float) -> str:
    """A number in six significant digits, or as many more as show it is not 1.

    >>> near_one(0.7), near_one(1.000002), near_one(0.9999999999)
    ('0.7', '1.000002', '0.9999999999')
    """
    for digits in range(6, 17):
        text = f"{value:.{digits}g}"
        if float(text) != 1 or value == 1:
            return text
    return f"{value:.17g}"  # (17 digits tell any two doubles apart)


def _payoffs(flat: FlatTree, env: dict[str, np.ndarray], samples: int,
             problems: _Problems) -> np.ndarray:
    if not flat.payoff_terms:
        return flat.payoff[:, None, :]
    payoff = np.repeat(flat.payoff[:, None, :], samples, axis=1)
    for terms, nodes, columns in _term_groups(flat)["payoff"]:
        payoff[nodes, :, columns] = _formula_values(terms, env, samples, problems)
    return payoff


def _weights(flat: FlatTree, env: dict[str, np.ndarray], samples: int,
             problems: _Problems) -> np.ndarray:
    """The weights (P, C), or (S, P, C) when some are expressions."""
    if not flat.weight_terms:
        return flat.weights
    weights = np.repeat(flat.weights[None], samples, axis=0)
    for term in flat.weight_terms:
        weights[:, term.node, term.column] = _formula_values((term,), env, samples, problems)
    return weights


def lottery_certainty(solution: Solution, player: int, chances: np.ndarray,
                      scores: np.ndarray, sample: int = 0) -> float:
    """The certainty equivalent, to `player` with the risk attitude of `solution`'s
    sample, of a lottery giving `scores` with `chances` (adding up to 1): its
    expectation for a risk-neutral player."""
    flat = solution.flat
    slot = next((k for k, a in enumerate(flat.risk) if a.player == player), None)
    if slot is None:
        return float(np.sum(chances * scores))
    attitude = flat.risk[slot]
    if attitude.kind != EXPONENTIAL:
        if not attitude.scores.size:
            return math.nan
        expected = np.sum(chances * through(scores, attitude.scores, attitude.utilities))
        return float(through(np.array([expected]), attitude.utilities, attitude.scores)[0])
    tolerance = _tolerances(flat, solution.variables, solution.samples,
                            _Problems(flat))[slot][sample]
    exponent = scores * (-1.0 / tolerance)
    top = exponent.max()  # (taken out, as the rollback does, so nothing overflows)
    return float(-tolerance * (top + math.log1p(np.sum(chances * np.expm1(exponent - top)))))


def risk_tolerances(results: Results) -> list[float]:
    """Each risk attitude's risk tolerance with the variables of `results` (nan where
    it is not valid; a piecewise utility's is unused)."""
    env = {name: np.array([value]) for name, value in results.variables.items()}
    return [float(t[0]) for t in _tolerances(results.flat, env, 1, _Problems(results.flat))]


def _tolerances(flat: FlatTree, env: dict[str, np.ndarray], samples: int,
                problems: _Problems) -> list[np.ndarray]:
    """Each risk attitude's risk tolerance per sample (S,): nan where it is not valid
    (a piecewise utility's is unused)."""
    found = []
    for attitude in flat.risk:
        term = attitude.tolerance_term
        if term is None:
            tolerance = np.full(samples, attitude.tolerance)
        else:
            tolerance = np.array(_formula_values((term,), env, samples, problems))
            if (tolerance == 0).any():
                some = "" if (tolerance == 0).all() else " for some values of the variables"
                problems.issues.append(Issue(
                    f'the risk tolerance "{term.text}" of {flat.labels.players[term.node]}'
                    f" is 0{some}; it must be positive (risk-averse) or negative"
                    " (risk-seeking)", term.path))
                tolerance[tolerance == 0] = np.nan
        found.append(tolerance)
    return found


def path_totals(flat: FlatTree, payoff: np.ndarray) -> np.ndarray:
    """Sum of payoffs from the root down to each node, both ends included."""
    total = np.empty_like(payoff)
    total[0] = payoff[0]
    down, own = as_pairs(total), as_pairs(payoff)
    if down is None or own is None:
        down, own = total, payoff
    with np.errstate(over="ignore", invalid="ignore"):  # overflow is reported after
        for plan in level_plans(flat):
            kids = plan.children
            np.add(np.repeat(down[plan.parents], plan.counts, axis=0), own[kids],
                   out=down[kids])
    return total


# ---- rollback -----------------------------------------------------------------------
class _Rollback:
    """Depth by depth from the bottom: each step reads one contiguous slice (a depth's
    children) and reduces it in one segment per parent (`plan.LevelPlan`)."""

    def __init__(self, flat: FlatTree, probability: np.ndarray, valid: np.ndarray,
                 samples: int, weights: np.ndarray, tolerances: list[np.ndarray],
                 fixed: Mapping[int, int] | None = None):
        self.flat, self.probability, self.valid, self.samples = flat, probability, valid, samples
        self.fixed = fixed or None
        self.plans = level_plans(flat)
        self.weights = weights
        # Player -1 (no valid player) takes the last row, of nan.
        self.owner_weights = owner_weights(weights)
        self.tolerances = tolerances
        #: How to work out the risk attitudes' certainty equivalents (Q, n, S) once `run`
        #: has run; None when every player is risk-neutral.
        self.certainty: _CertaintyTable | None = None
        #: Per risk attitude, a quantity linear in its expected utility, rolled back as the
        #: values are (Q, n, S); `_Utility` turns it into certainty equivalents.
        self.rolled: np.ndarray | None = None
        self.utility_of: list[_Utility] = []

    def run(self, cumulative: np.ndarray) -> tuple[np.ndarray, ...]:
        """Values, weights, choices and ties; `cumulative` becomes the values (the
        terminals' are their path totals; every other node's is overwritten)."""
        n, samples = self.flat.size, self.samples
        values = cumulative
        if cumulative.shape[1] != samples:  # payoffs without formulas: one row for all
            values = np.repeat(cumulative, samples, axis=1)
        weight = np.empty((n, samples))
        weight[0] = 0.0
        choice = np.full((n, samples), -1, np.int64)
        tie = np.zeros((n, samples), bool)
        with np.errstate(over="ignore", invalid="ignore"):  # overflow is reported after
            if self.flat.risk:
                self._terminal_utilities(values)
                self.certainty = _CertaintyTable(self, values, choice)
            for plan in reversed(self.plans):
                self._level(plan, values, weight, choice, tie)
        return values, weight, choice, tie

    def _level(self, plan: LevelPlan, values: np.ndarray, weight: np.ndarray,
               choice: np.ndarray, tie: np.ndarray) -> None:
        kids, starts = plan.children, plan.starts
        child_values = values[kids]
        if plan.averages:
            p = self.probability[kids]
            averaged = segment_sums(plan, _weighted(p, child_values))
            invalid = ~self.valid[plan.parents]
            if invalid.any():  # (a boolean index costs a pass even when all false)
                averaged[invalid] = np.nan
        if plan.chooses:
            chosen, chosen_weight, chosen_index, tied = self._choose(plan, child_values)
            if self.fixed is not None:
                self._take_fixed(plan, child_values, chosen, chosen_weight, chosen_index,
                                 tied)
        if self.rolled is not None:
            self._certainty_level(plan, chosen_index if plan.chooses else None)
        if plan.mixed is None:
            if plan.averages:
                values[plan.parents] = averaged
                weight[kids] = p
            else:
                values[plan.parents] = chosen
                weight[kids] = chosen_weight
                choice[plan.parents] = chosen_index
                tie[plan.parents] = tied
            return
        averaging, choosing, child_averaged, child_chosen = plan.mixed
        result = np.full((len(starts),) + values.shape[1:], np.nan)
        kid_weight = np.zeros(child_values.shape[:2])
        if plan.averages:
            result[averaging] = averaged[averaging]
            kid_weight[child_averaged] = p[child_averaged]
        if plan.chooses:
            result[choosing] = chosen[choosing]
            kid_weight[child_chosen] = chosen_weight[child_chosen]
            choice[plan.parents] = np.where(choosing[:, None], chosen_index, -1)
            tie[plan.parents] = tied & choosing[:, None]
        values[plan.parents] = result
        weight[kids] = kid_weight

    def _choose(self, plan: LevelPlan, child_values: np.ndarray) -> tuple[np.ndarray, ...]:
        """Each parent's chosen values, its children's weights (1 for the chosen, nan
        below an undecidable choice), the chosen child's index (-1: none) and ties."""
        starts, counts, owner = plan.starts, plan.counts, plan.owner
        assert owner is not None  # (a depth with a decision has owners)
        if self.owner_weights.ndim == 2:
            # (take: a tenth of the time of indexing rows by an array)
            owners = self.owner_weights.take(owner, axis=0)  # (m, C), per child
            if child_values.shape[-1] == 2:  # (only compared: a nan's sign is no matter)
                utility = weighted_sum(child_values, owners[:, None, :])
            else:
                utility = np.einsum("msc,mc->ms", child_values, owners)
        else:
            owners = self.owner_weights.take(owner, axis=1)  # (S, m, C)
            utility = np.einsum("msc,smc->ms", child_values, owners)
        if self.certainty is not None:
            self._compare_certainty(plan, utility)
        if not np.isfinite(utility.sum()):
            utility[np.isinf(utility)] = np.nan  # too large to compare: nobody can choose
        if plan.uniform:
            return self._choose_among_equals(plan, child_values, utility)
        best = np.repeat(reduceat(np.maximum, utility, starts), counts, axis=0)
        within = utility >= best - TIE_TOLERANCE * np.maximum(1.0, np.abs(best))
        m = len(utility)
        position = np.where(within, np.arange(m)[:, None], m)
        first = reduceat(np.minimum, position, starts)  # (q, S); m = undecidable
        tied = reduceat(np.add, within, starts) > 1
        undecidable = first == m
        chosen_index = np.where(undecidable, -1, first + plan.children.start)
        first_each = np.repeat(first, counts, axis=0)
        # Below an undecidable choice (first == m) nobody knows which branch is taken.
        chosen_weight = np.where(first_each == m, np.nan, position == first_each)
        chosen = child_values[np.minimum(first, m - 1), np.arange(self.samples)[None, :]]
        if undecidable.any():
            chosen[undecidable] = np.nan
        return chosen, chosen_weight, chosen_index, tied

    def _take_fixed(self, plan: LevelPlan, child_values: np.ndarray, chosen: np.ndarray,
                    chosen_weight: np.ndarray, chosen_index: np.ndarray,
                    tied: np.ndarray) -> None:
        """Overwrite `_choose`'s results at the decisions of `plan` whose child is fixed."""
        assert self.fixed is not None
        if isinstance(plan.parents, slice):
            parents = np.arange(plan.parents.start, plan.parents.stop)
        else:
            parents = plan.parents
        nodes = np.fromiter(self.fixed.keys(), np.int64, len(self.fixed))
        taken = np.fromiter(self.fixed.values(), np.int64, len(self.fixed))
        rows = np.searchsorted(parents, nodes)
        here = (rows < len(parents)) & (parents[np.minimum(rows, len(parents) - 1)] == nodes)
        rows, local = rows[here], taken[here] - plan.children.start
        if not rows.size:
            return
        counts = plan.counts[rows]
        offsets = np.cumsum(counts) - counts
        siblings = np.repeat(plan.starts[rows] - offsets, counts) + np.arange(counts.sum())
        chosen_weight[siblings] = 0.0
        chosen_weight[local] = 1.0
        chosen[rows] = child_values[local]
        chosen_index[rows] = local[:, None] + plan.children.start
        tied[rows] = False

    def _choose_among_equals(self, plan: LevelPlan, child_values: np.ndarray,
                             utility: np.ndarray) -> tuple[np.ndarray, ...]:
        """`_choose` when every parent has `plan.uniform` children: the same results from
        whole-column operations on (parents, children, S) views, as reduceat loops per
        parent (maxima, minima and counts do not depend on the order)."""
        per_parent = plan.uniform
        grouped = utility.reshape(-1, per_parent, self.samples)
        # Column by column: numpy reduces a middle axis of a few elements slowly.
        best = grouped[:, 0].copy()
        for k in range(1, per_parent):
            np.maximum(best, grouped[:, k], out=best)
        low = best - TIE_TOLERANCE * np.maximum(1.0, np.abs(best))
        local = np.full(best.shape, per_parent)  # the first within the tolerance
        within_count = np.zeros(best.shape, np.int64)
        for k in reversed(range(per_parent)):
            within = grouped[:, k] >= low
            within_count += within
            local = np.where(within, k, local)
        decidable = local < per_parent
        m = len(utility)
        first = np.where(decidable, local + np.arange(0, m, per_parent)[:, None], m)
        chosen_index = np.where(decidable, first + plan.children.start, -1)
        chosen_weight = np.empty(grouped.shape)
        for k in range(per_parent):
            np.copyto(chosen_weight[:, k], local == k)
        # (take of rows: a fraction of the time of indexing two axes by arrays)
        rows = np.minimum(first, m - 1) * self.samples + np.arange(self.samples)
        chosen = child_values.reshape(m * self.samples, -1).take(rows, axis=0)
        if not decidable.all():  # below an undecidable choice nobody knows the branch
            chosen_weight[~np.broadcast_to(decidable[:, None], grouped.shape)] = np.nan
            chosen[~decidable] = np.nan
        return chosen, chosen_weight.reshape(m, -1), chosen_index, within_count > 1

    def _terminal_utilities(self, values: np.ndarray) -> None:
        """Each risk attitude's utility of the terminals' scores, to be rolled back (the
        other nodes' are overwritten level by level)."""
        flat, n = self.flat, self.flat.size
        self.rolled = np.empty((len(flat.risk), n, self.samples))
        terminals = structure(flat).terminals
        # (from the first terminal on: with the nodes numbered breadth first, most of a
        # large tree's are its last levels)
        below = slice(int(terminals[0]) if terminals.size else n, n)
        for slot, attitude in enumerate(flat.risk):
            rolled = self.rolled[slot, below]
            mine = self.weights[..., attitude.player, :]
            if attitude.kind != EXPONENTIAL:
                piecewise = _Piecewise(attitude)
                piecewise.utilities(values[below], mine, rolled)
                self.utility_of.append(piecewise)
                continue
            exponential = _exponential_utilities(values[below], mine, self.tolerances[slot],
                                                 rolled)
            if exponential.fallback is not None:
                # the stable form, parent by parent, rolls back the scores themselves
                scores = player_scores(values[below], self.weights, attitude.player,
                                       out=np.empty(rolled.shape))
                rolled[:, exponential.fallback] = scores[:, exponential.fallback]
            self.utility_of.append(exponential)

    def _compare_certainty(self, plan: LevelPlan, utility: np.ndarray) -> None:
        """A risk-averse or risk-seeking player chooses by its certainty equivalents
        (which order the branches as their expected utilities do); a terminal's is its
        score, which `utility` holds already."""
        assert self.rolled is not None
        for slot, rows in enumerate(_owned_by_risk_attitudes(self.flat, plan)):
            if rows is not None:
                mine = self.rolled[slot, plan.children]
                if isinstance(rows, slice):
                    utility[rows] = self.utility_of[slot].certainty(mine)
                elif self.samples == 1 and utility.flags.c_contiguous:
                    # (one index a row: a fraction of the time of rows of one element)
                    found = self.utility_of[slot].certainty(mine.take(rows)[:, None])
                    utility.reshape(-1)[rows] = found.reshape(-1)
                else:
                    utility[rows] = self.utility_of[slot].certainty(mine.take(rows, axis=0))

    def _certainty_level(self, plan: LevelPlan, chosen_index: np.ndarray | None) -> None:
        """The parents' rolled utilities: at a chance node the children's, weighted by
        their probabilities; at a decision the chosen branch's."""
        assert self.rolled is not None
        kids = plan.children
        p = self.probability[kids] if plan.averages else None
        invalid = None
        if p is not None and not self.valid[plan.parents].all():
            invalid = ~self.valid[plan.parents]
        # (chance nodes alone, a slice of them: their sums go straight in)
        direct = p is not None and plan.mixed is None and isinstance(plan.parents, slice)
        for slot in range(len(self.flat.risk)):
            rolled = self.rolled[slot]
            if p is not None:
                averaged = self._chance_certainty(plan, p, rolled[kids], slot,
                                                  rolled[plan.parents] if direct else None)
            if chosen_index is not None:
                picked = _picked(rolled, chosen_index)
            if plan.mixed is None:
                result = averaged if p is not None else picked
            else:
                averaging, choosing, _, _ = plan.mixed
                result = np.full(chosen_index.shape if chosen_index is not None
                                 else averaged.shape, np.nan)
                if p is not None:
                    result[averaging] = averaged[averaging]
                if chosen_index is not None:
                    result[choosing] = picked[choosing]
            if invalid is not None:
                result[invalid] = np.nan
            if direct:
                continue
            if self.samples == 1 and not isinstance(plan.parents, slice):
                rolled.reshape(-1)[plan.parents] = result.reshape(-1)  # (one index a row)
            else:
                rolled[plan.parents] = result

    def _chance_certainty(self, plan: LevelPlan, p: np.ndarray, kids: np.ndarray,
                          slot: int, out: np.ndarray | None = None) -> np.ndarray:
        """The chance nodes' rolled utilities: sum p x, linear, but in the samples
        whose scores span too many risk tolerances for that (`_Exponential.fallback`)."""
        fallback = self.utility_of[slot].fallback
        if fallback is None:
            return _expected(plan, p, kids, out)
        found = np.empty((len(plan.starts), self.samples)) if out is None else out
        linear = self.utility_of[slot].linear
        if linear is not None:
            found[:, linear] = _expected(plan, p[:, linear], kids[:, linear])
        found[:, fallback] = _stable_certainty(plan, p[:, fallback], kids[:, fallback],
                                               self.tolerances[slot][fallback])
        return found

    def outcome_distributions(self, weight: np.ndarray, choice: np.ndarray) -> np.ndarray:
        """Probability of ending in each outcome category (n, S, K + 1)."""
        flat = self.flat
        dist = np.zeros((flat.size, self.samples, len(flat.outcomes) + 1))
        terminal = structure(flat).terminals
        codes = flat.outcome[terminal]
        known = codes >= 0  # an unknown outcome id (reported by validate) stays nan
        dist[terminal[known], :, codes[known]] = 1.0
        dist[terminal[~known]] = np.nan
        for plan in reversed(self.plans):
            kids = plan.children
            summed = segment_sums(plan, _weighted(weight[kids], dist[kids]))
            if plan.mixed is None:
                if plan.averages:
                    undefined = ~self.valid[plan.parents]
                else:
                    undefined = choice[plan.parents] < 0
                summed[undefined] = np.nan
            else:
                averaging, choosing, _, _ = plan.mixed
                summed[averaging[:, None] & ~self.valid[plan.parents]] = np.nan
                summed[choosing[:, None] & (choice[plan.parents] < 0)] = np.nan
                summed[~(averaging | choosing)] = 0.0
            dist[plan.parents] = summed
        return dist


def player_scores(values: np.ndarray, weights: np.ndarray, player: int,
                  out: np.ndarray) -> np.ndarray:
    """One player's weighted score of `values` (..., S, C), as `utilities` adds it."""
    mine = weights[..., player, :]
    if values.shape[-1] == 2:
        return weighted_sum(values, mine, out=out)
    if mine.ndim == 1:
        return np.einsum("...c,c->...", values, mine, out=out)
    return np.einsum("...sc,sc->...s", values, mine, out=out)


def through(x: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """The line through the points (xs, ys) at x, extended beyond the first and last
    points along the end segments; xs increasing."""
    found = np.interp(x, xs, ys)  # (flat beyond the ends: extended below)
    first, last = (ys[1] - ys[0]) / (xs[1] - xs[0]), (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
    below = np.minimum(x - xs[0], 0.0)
    below *= first
    found += below
    above = np.maximum(x - xs[-1], 0.0, out=below)
    above *= last
    found += above
    return found


_RISK_OWNERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _owned_by_risk_attitudes(flat: FlatTree,
                             plan: LevelPlan) -> list[np.ndarray | slice | None]:
    """Per risk attitude, which children of `plan` that are not terminals its player
    chooses among (positions in the level; None for none), worked out once per tree."""
    per_plan = _RISK_OWNERS.setdefault(flat, {})
    found = per_plan.get(plan.children.start)
    if found is None:
        assert plan.owner is not None
        inner = flat.child_count[plan.children] > 0
        found = []
        for attitude in flat.risk:
            mine = (plan.owner == attitude.player) & inner
            found.append(slice(None) if mine.all() else
                         np.flatnonzero(mine) if mine.any() else None)
        per_plan[plan.children.start] = found
    return found


# ---- certainty equivalents ----------------------------------------------------------
# A risk attitude's expected utility is rolled back as a linear quantity (a chance node's
# is the sum of its children's weighted by their probabilities, a decision's the chosen
# branch's), and turned into certainty equivalents only where they are read: a player's
# comparisons at its decisions, and `Solution.certainty`. With e = -score / R and m the
# largest e of a tree's terminals (or 0 while exp(e) itself stays in range), the quantity
# is exp(e - m) (CE = -R (m + ln x)), or exp(e - m) - 1 when the scores span less than R
# (CE = -R (m + ln(1 + x)): it keeps the small differences of a large tolerance); a
# piecewise utility's is u itself. No transcendental function per level, and sums of
# one column: a few times quicker than solving each chance node's CE from its children's.

#: Beyond this span of the exponents e, exp(e - m) would leave the normal numbers (below
#: about e^-708): such samples take the stable form parent by parent (`_stable_certainty`).
_EXPONENT_SPAN = 700.0
#: Up to this span, exp(e - m) - 1 is rolled back (expm1, log1p).
_NEAR_ONE_SPAN = 1.0


def _columns(mask: np.ndarray) -> np.ndarray | slice | None:
    """The samples where `mask` holds: all (a slice), some (their indices) or none."""
    return slice(None) if mask.all() else np.flatnonzero(mask) if mask.any() else None


class _Utility:
    """How one risk attitude's rolled-back quantity becomes certainty equivalents."""

    #: The samples rolled back linearly, and those holding certainty equivalents solved
    #: parent by parent (`_stable_certainty`).
    linear: np.ndarray | slice | None = slice(None)
    fallback: np.ndarray | slice | None = None

    def certainty(self, rolled: np.ndarray) -> np.ndarray:
        """Certainty equivalents (k, S) of rolled-back quantities (k, S)."""
        raise NotImplementedError


class _Exponential(_Utility):
    def __init__(self, tolerance: np.ndarray, top: np.ndarray, bottom: np.ndarray):
        span = top - bottom
        self.tolerance = tolerance
        self.fallback = _columns(~(span <= _EXPONENT_SPAN))  # (nan too: no number)
        near = span <= _NEAR_ONE_SPAN
        self.exponential = _columns(~near & (span <= _EXPONENT_SPAN))
        self.near_one = _columns(near)
        self.linear = _columns(span <= _EXPONENT_SPAN)
        #: m, taken out of the exponents: 0 where exp(e) itself stays in range.
        self.offset = np.where(near | (top > _EXPONENT_SPAN) | (bottom < -_EXPONENT_SPAN),
                               top, 0.0)
        self.offset_any = bool(self.offset.any())

    def certainty(self, rolled: np.ndarray) -> np.ndarray:
        found = np.empty(rolled.shape)
        for samples, logarithm in ((self.exponential, np.log), (self.near_one, np.log1p)):
            if samples is None:
                continue
            part = (logarithm(rolled, out=found) if isinstance(samples, slice) else
                    logarithm(rolled[:, samples]))
            if self.offset_any:
                part += self.offset[samples]
            part *= -self.tolerance[samples]
            if part is not found:
                found[:, samples] = part
        if self.fallback is not None:
            found[:, self.fallback] = rolled[:, self.fallback]
        return found


def _exponential_utilities(values: np.ndarray, weights: np.ndarray, tolerance: np.ndarray,
                           out: np.ndarray) -> _Exponential:
    """exp(e - m), or exp(e - m) - 1, of `values` (m, S, C) into `out` (m, S)."""
    _scores_into(values, weights, -1.0 / tolerance, out)  # e
    utility = _Exponential(tolerance, np.fmax.reduce(out, axis=0),
                           np.fmin.reduce(out, axis=0))
    offset = utility.offset
    for samples, function in ((utility.exponential, np.exp), (utility.near_one, np.expm1)):
        if isinstance(samples, slice):
            if utility.offset_any:
                out -= offset
            function(out, out=out)
        elif samples is not None:
            out[:, samples] = function(out[:, samples] - offset[samples])
    return utility


_BLOCK = 65536  # rows of scores: 0.5 MB, with their criteria 1 MB


def _scores_into(values: np.ndarray, weights: np.ndarray, factor: Any, out: np.ndarray,
                 plus: float = 0.0) -> None:
    """A player's scores of `values` (m, S, C) times `factor` (a number or (S,)), plus
    `plus`, into `out` (m, S); `weights` are the player's, (C,) or (S, C)."""
    coefficients = weights * np.reshape(factor, (-1, 1))  # (S or 1, C)
    if values.shape[-1] == 2 and values.flags.c_contiguous and values.dtype == np.float64:
        # Criterion by criterion in blocks that stay in the cache: one pass over memory,
        # not three. (Plain products and sums, never a fused multiply-add, so that a
        # sample gives the same bits alone as among many.)
        first, second = coefficients[:, 0], coefficients[:, 1]
        rows = max(1, _BLOCK // values[:1, ..., 0].size)
        scratch = np.empty((min(rows, len(values)),) + values.shape[1:-1])
        for start in range(0, len(values), rows):
            block = values[start:start + rows]
            found = out[start:start + rows]
            np.multiply(block[..., 0], first, out=found)
            found += np.multiply(block[..., 1], second, out=scratch[:len(block)])
            if plus:
                found += plus
    else:
        np.einsum("...sc,sc->...s", values,
                  np.broadcast_to(coefficients, values.shape[-2:]), out=out)
        if plus:
            out += plus


class _Piecewise(_Utility):
    def __init__(self, attitude: RiskAttitude):
        self.scores, self.utilities_at = attitude.scores, attitude.utilities

    def utilities(self, values: np.ndarray, weights: np.ndarray, out: np.ndarray) -> None:
        """u of the scores of `values` (m, S, C) into `out` (m, S): the first segment's
        line L = a + b x as the scores are weighted (no pass of its own), then a hinge
        at each inner point k, b_k max(x - x_k, 0) = (b_k / b) max(L - L(x_k), 0)."""
        if not self.scores.size:
            out.fill(np.nan)
            return
        xs, ys = self.scores, self.utilities_at
        slopes = np.diff(ys) / np.diff(xs)
        rows = max(1, _BLOCK // max(1, values[:1, ..., 0].size))
        for start in range(0, len(values), rows):  # (each block's passes in the cache)
            found = out[start:start + rows]
            _scores_into(values[start:start + rows], weights, slopes[0], found,
                         ys[0] - slopes[0] * xs[0])
            bends = None
            for k in range(1, len(xs) - 1):
                bend = np.subtract(found, ys[0] + slopes[0] * (xs[k] - xs[0]))
                np.maximum(bend, 0.0, out=bend)
                bend *= (slopes[k] - slopes[k - 1]) / slopes[0]
                bends = bend if bends is None else np.add(bends, bend, out=bends)
            if bends is not None:
                found += bends

    def certainty(self, rolled: np.ndarray) -> np.ndarray:
        if not self.scores.size:
            return np.full(rolled.shape, np.nan)
        return _bent(rolled, self.utilities_at, self.scores)


def _bent(x: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """`through`, as the first segment's line plus a hinge at each inner point (a few
    whole-array operations, where `np.interp` searches for each x)."""
    slopes = np.diff(ys) / np.diff(xs)
    bends = None
    for k in range(1, len(xs) - 1):
        bend = np.subtract(x, xs[k])
        np.maximum(bend, 0.0, out=bend)
        bend *= slopes[k] - slopes[k - 1]
        bends = bend if bends is None else np.add(bends, bend, out=bends)
    found = np.subtract(x, xs[0])
    found *= slopes[0]
    found += ys[0]
    if bends is not None:
        found += bends
    return found


def _picked(rolled: np.ndarray, chosen_index: np.ndarray) -> np.ndarray:
    """The chosen branches' rolled utilities (q, S); nan where no branch is chosen."""
    samples = rolled.shape[1]
    if samples == 1:
        picked = rolled.take(chosen_index)
    else:
        picked = rolled.take(chosen_index.ravel() * samples
                             + np.tile(np.arange(samples), len(chosen_index)))
        picked = picked.reshape(chosen_index.shape)
    undecidable = chosen_index < 0
    if undecidable.any():
        picked[undecidable] = np.nan
    return picked


def _expected(plan: LevelPlan, p: np.ndarray, rolled: np.ndarray,
              out: np.ndarray | None = None) -> np.ndarray:
    """Each parent's sum of p x over its children."""
    terms = np.multiply(p, rolled)
    if not plan.uniform:
        return reduceat(np.add, terms, plan.starts, out=out)
    # (in one go: `segment_sums` copies the second terms first, to add as reduceat does)
    grouped = terms.reshape((-1, plan.uniform) + terms.shape[1:])
    found = np.add(grouped[:, 0], grouped[:, 1], out=out)
    for k in range(2, plan.uniform):
        found += grouped[:, k]
    return found


def _stable_certainty(plan: LevelPlan, p: np.ndarray, kids: np.ndarray,
                      tolerance: np.ndarray) -> np.ndarray:
    """Chance nodes' certainty equivalents from their children's (`kids`), parent by
    parent: CE = -R ln sum p exp(-x/R), with the largest exponent M of each parent
    (among branches that can happen) taken out: -R (M + ln(1 + sum p (exp(d - M) - 1)))
    neither overflows nor loses the small differences of a large R."""
    exponent = np.multiply(kids, -1.0 / tolerance)
    # (a branch of probability 0 must not set M: every other term would vanish)
    top = segment_maxima(plan, exponent if p.all() else
                         np.where(p > 0, exponent, -np.inf))
    if plan.uniform:  # (broadcast over each parent's children: no repeated copy)
        grouped = exponent.reshape((-1, plan.uniform) + exponent.shape[1:])
        grouped -= top[:, None]
    else:
        exponent -= np.repeat(top, plan.counts, axis=0)
    np.expm1(exponent, out=exponent)
    exponent *= p
    found = segment_sums(plan, exponent)
    np.log1p(found, out=found)
    found += top
    found *= -tolerance
    return found


class _CertaintyTable:
    """The risk attitudes' certainty equivalents (Q, n, S), worked out when first asked
    for: the rolled-back quantities' at chance nodes, a terminal's score, the chosen
    branch's at a decision."""

    def __init__(self, rollback: _Rollback, values: np.ndarray, choice: np.ndarray):
        # (what it needs of the rollback, not the rollback: that holds this, and a cycle
        # would keep both until the garbage collector ran)
        self.flat, self.plans, self.weights = rollback.flat, rollback.plans, rollback.weights
        self.samples, self.utility_of = rollback.samples, rollback.utility_of
        self.values, self.choice, self.rolled = values, choice, rollback.rolled
        self.found: np.ndarray | None = None

    def __call__(self) -> np.ndarray:
        if self.found is None:
            self.found = self._work_out()
        return self.found

    def _work_out(self) -> np.ndarray:
        rolled = self.rolled
        assert rolled is not None
        flat, samples = self.flat, self.samples
        terminals = structure(flat).terminals
        block = np.empty(rolled.shape)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for slot, attitude in enumerate(flat.risk):
                found = block[slot]
                found[:] = self.utility_of[slot].certainty(rolled[slot])
                found[terminals] = player_scores(self.values[terminals], self.weights,
                                                 attitude.player,
                                                 out=np.empty((terminals.size, samples)))
                for plan in reversed(self.plans):
                    if not plan.chooses:
                        continue
                    chosen = self.choice[plan.parents]
                    decided = chosen >= 0
                    picked = found.take(np.where(decided, chosen, 0) * samples
                                        + np.arange(samples))
                    found[plan.parents] = np.where(decided, picked, found[plan.parents])
        return block


def segment_maxima(plan: LevelPlan, per_child: np.ndarray) -> np.ndarray:
    """Each parent's largest child value (q, S)."""
    if not plan.uniform:
        return reduceat(np.maximum, per_child, plan.starts)
    grouped = per_child.reshape((-1, plan.uniform) + per_child.shape[1:])
    top = grouped[:, 0].copy()
    for k in range(1, plan.uniform):
        np.maximum(top, grouped[:, k], out=top)
    return top


def _weighted(p: np.ndarray, values: np.ndarray) -> np.ndarray:
    """`p[:, :, None] * values`, criterion by criterion: broadcast, numpy's inner loop
    ran over the few criteria alone."""
    result = np.empty_like(values)
    for column in range(values.shape[-1]):
        np.multiply(p, values[..., column], out=result[..., column])
    return result


def owner_weights(weights: np.ndarray) -> np.ndarray:
    """`weights` with a row of nan after the players' (index -1: no valid player)."""
    extra = np.full(weights.shape[:-2] + (1, weights.shape[-1]), np.nan)
    return np.concatenate([weights, extra], axis=-2)


def outcome_shares(solution: Solution, node: int) -> np.ndarray:
    """The chance of ending in each outcome category from `node` on, (K + 1, S).

    Only one node's distribution, from the branch weights: much cheaper than rolling
    every node's back (`want_outcomes`) when sampling thousands of times.
    """
    flat, weight = solution.flat, solution.weight
    share = np.zeros_like(weight)
    share[node] = 1.0
    depth = next(k for k, (start, end) in enumerate(flat.levels) if start <= node < end)
    for start, end in flat.levels[depth + 1:]:
        share[start:end] = share[flat.parent[start:end]] * weight[start:end]
    terminal = np.flatnonzero(flat.child_count == 0)
    categories = np.eye(len(flat.outcomes) + 1)[flat.outcome[terminal]]  # (T, K + 1)
    return categories.T @ share[terminal]


def _reach(flat: FlatTree, weight: np.ndarray) -> np.ndarray:
    reach = np.empty_like(weight)
    reach[0] = 1.0
    for plan in level_plans(flat):
        kids = plan.children
        np.multiply(np.repeat(reach[plan.parents], plan.counts, axis=0), weight[kids],
                    out=reach[kids])
    return reach


# ---- one evaluation -----------------------------------------------------------------
@dataclass(frozen=True)
class Shown:
    """Which equilibrium of a tree with information sets a `Results` holds."""

    #: Its place in `equilibria.find_equilibria`'s list (0: the first); -1 when the tree
    #: has no equilibrium in pure strategies (the results are then backward induction's).
    index: int
    #: How many pure-strategy perfect Bayesian equilibria were found.
    count: int
    #: False when there were more strategy profiles than were searched.
    complete: bool


@dataclass(frozen=True, eq=False)
class Results:
    """The rolled-back tree for one set of variable values; nan where not computable."""

    flat: FlatTree
    variables: dict[str, float]
    expected: np.ndarray  # (n, C)
    utility: np.ndarray  # (n, P)
    choice: np.ndarray  # (n,) index of the chosen child, -1 where none
    tie: np.ndarray  # (n,)
    reach: np.ndarray  # (n,)
    #: The `outcomes`, or how to work them out: a third of the rollback's time, which
    #: callers that read only values and choices do not pay.
    outcome_table: np.ndarray | Callable[[], np.ndarray]
    probability: np.ndarray  # (n,) branch probabilities as used
    issues: tuple[Issue, ...]
    #: The certainty equivalents of the players in `flat.risk`, (len(flat.risk), n), or
    #: how to work them out; None when every player is risk-neutral. Read them as
    #: `certainty`.
    risk_certainty: np.ndarray | Callable[[], np.ndarray] | None = None
    #: In a tree with information sets, which equilibrium these results are; None in a
    #: tree without (solved by backward induction).
    equilibrium: Shown | None = None

    @cached_property
    def certainty(self) -> np.ndarray | None:
        """Each player's certainty equivalent at each node (n, P), in the units of
        `utility` (the score of the whole path, the payoffs above the node included); a
        risk-neutral player's is its `utility`. None when every player is risk-neutral.
        """
        risk = _table(self.risk_certainty)
        if risk is None:
            return None
        certainty = np.array(self.utility)
        for slot, attitude in enumerate(self.flat.risk):
            certainty[:, attitude.player] = risk[slot]
        return certainty

    @cached_property
    def outcomes(self) -> np.ndarray:
        """The chance of ending in each outcome category from each node on, (n, K + 1)."""
        table = self.outcome_table
        return table if isinstance(table, np.ndarray) else table()

    def index(self, node_id: str) -> int:
        return self.flat.index[node_id]

    @cached_property
    def outcome_keys(self) -> tuple[str, ...]:
        return self.flat.outcomes + ("null",)

    def chosen_id(self, node_id: str) -> str | None:
        chosen = int(self.choice[self.index(node_id)])
        return self.flat.ids[chosen] if chosen >= 0 else None


def evaluate(flat: FlatTree, overrides: Overrides | None = None,
             fixed: Mapping[int, int] | None = None) -> Results:
    """Roll back once with the variables' values (and any overrides); `fixed` as in
    `solve`."""
    solution, outcomes_later = _solve(flat, overrides, 1, True, False, fixed)
    values = solution.values[:, 0, :]
    weights = solution.sample_weights(0)
    utility = utilities(values, weights)
    problems = _Problems(flat)
    problems.utility_overflow(values, utility, weights)
    return Results(
        flat=flat, variables={k: float(v[0]) for k, v in solution.variables.items()},
        expected=values, utility=utility, choice=solution.choice[:, 0],
        tie=solution.tie[:, 0], reach=solution.reach[:, 0],  # type: ignore[index]
        outcome_table=lambda: outcomes_later()[:, 0, :],
        probability=solution.probability[:, 0], issues=solution.issues + tuple(problems.issues),
        risk_certainty=_first_sample_later(solution.risk_certainty),
    )


def _first_sample_later(risk: np.ndarray | Callable[[], np.ndarray] | None
                        ) -> Callable[[], np.ndarray] | None:
    """`first_sample_certainty`, worked out when read (most callers read values and
    choices alone), holding only what it needs of the solution."""
    if risk is None:
        return None
    return lambda: _table(risk)[:, :, 0]  # type: ignore[index]


def first_sample_certainty(solution: Solution) -> np.ndarray | None:
    """`Results.risk_certainty` (Q, n): the first sample's."""
    risk = solution.risk_block
    return None if risk is None else risk[:, :, 0]


def _table(table: np.ndarray | Callable[[], np.ndarray] | None) -> np.ndarray | None:
    return table if table is None or isinstance(table, np.ndarray) else table()


def evaluate_tree(tree: Tree, overrides: Overrides | None = None,
                  fixed: Mapping[str, str] | None = None,
                  nodes: NodeColumns | None = None, flat: FlatTree | None = None) -> Results:
    """Validate, flatten and evaluate; the issues hold structural and numeric problems.
    `fixed`: decision node id -> the id of the child taken there (as in `solve`). A
    tree with information sets gives its first equilibrium's results. `nodes`: the
    tree's node columns, when already read (a tree solved with several settings);
    `flat`: its array form, when already made."""
    if flat is None:
        flat = flatten_columns(tree, nodes) if nodes is not None else flatten(tree)
    structural = validate(tree) if flat.suspect else validate_settings(tree)
    if flat.suspect and fixed is None and not structural:
        from .equilibria import equilibrium_results  # (it builds on this module)

        return equilibrium_results(tree, overrides)[0]
    taken = None if fixed is None else {flat.index[k]: flat.index[v] for k, v in fixed.items()}
    results = evaluate(flat, overrides, taken)
    if not structural:
        return results
    return dataclasses.replace(results, issues=tuple(structural) + results.issues)
