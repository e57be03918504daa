"""The value of information about a chance event: what knowing its outcome (or a signal
of it) before a decision is worth to the decision's player.

For a chance node C below a decision D, "known before D" means the tree solved again
with C's outcome fixed: C (and every chance node below D that is the same event, the
same branch labels in the same order with the same chances) takes its k-th branch for
certain. Imperfect information replaces those chances by the posterior given each
signal. Everything is one vectorised rollback of a copy of the flat tree whose fixed
chances are new variables, one sample per outcome or signal: the user's tree and its
flat arrays are never changed, and the players inside D's subtree respond as solved
in each sample.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..model.validate import parse_cached
from .evaluate import (
    PROBABILITY_SUM_TOLERANCE,
    TIE_TOLERANCE,
    Solution,
    evaluate,
    lottery_certainty,
    solve,
)
from .expr_eval import compile_expr
from .flatten import (
    CHANCE_KIND,
    DECISION_KIND,
    EXPRESSION,
    FlatTree,
    FormulaTerm,
    VariableDef,
)
from .sensitivity import AnalysisError

#: Chances of two places of the same event that differ by less than this are equal.
SAME_CHANCE = 1e-9


@dataclass(frozen=True)
class Knowing:
    """D solved again once per signal (per outcome, for perfect information)."""

    signals: tuple[str, ...]
    probability: np.ndarray  # (S,) the chance of each signal
    posterior: np.ndarray  # (S, K) the event's chances once the signal is known
    values: np.ndarray  # (S,) the decider's value at D knowing the signal (nan if P = 0)
    choices: np.ndarray  # (S,) the row D chooses knowing the signal, -1 none
    worth: float  # the expected value of the information

    def changes(self, base_choice: int) -> bool:
        """Whether some signal that can come makes D choose otherwise."""
        return bool(np.any((self.probability > 0) & (self.choices != base_choice)))


@dataclass(frozen=True)
class EventInformation:
    """What knowing the event at `event` before the decision at `before` is worth."""

    event: int
    before: int
    player: int  # whose value counts: who decides at D
    places: tuple[int, ...]  # the chance nodes fixed together (the event's places)
    outcomes: tuple[str, ...]  # the event's branch labels
    prior: np.ndarray  # (K,)
    value: float  # the decider's value at D as things are
    choice: int  # the row D chooses as things are
    perfect: Knowing
    imperfect: Knowing | None


# ---- the value that counts ------------------------------------------------------------
def decider_value(solution: Solution, node: int, player: int) -> np.ndarray:
    """The deciding player's value at `node`, (S,): what a decision of theirs maximises,
    their certainty equivalent (their expected utility when they are risk-neutral)."""
    return solution.certainty([node])[0, :, player]


# ---- likelihoods --------------------------------------------------------------------
def accuracy_likelihood(accuracy: float, outcomes: int) -> np.ndarray:
    """P(signal s | outcome k) of a test that names the true outcome with chance
    `accuracy` and each other one evenly otherwise, (K, K)."""
    if outcomes == 1:
        return np.ones((1, 1))
    wrong = (1.0 - accuracy) / (outcomes - 1)
    return np.where(np.eye(outcomes, dtype=bool), accuracy, wrong)


# ---- the analysis -------------------------------------------------------------------
def event_information(flat: FlatTree, event_id: str, before_id: str | None = None,
                      values: Mapping[str, float] | None = None,
                      likelihood: Sequence[Sequence[float]] | np.ndarray | None = None,
                      signals: Sequence[str] | None = None) -> EventInformation:
    """The value of perfect information about the event at `event_id` to the player who
    decides at `before_id` (default: the nearest decision above it), and of imperfect
    information given `likelihood[s][k]` = P(signal s | outcome k), if given."""
    values = dict(values or {})
    event, before = rows_of(flat, event_id, before_id)
    outcomes = tuple(_branch(flat, c) for c in flat.children(event))
    results = evaluate(flat, values)
    places = _places(flat, event, before, results.probability)
    prior = results.probability[list(flat.children(event))].astype(float)
    if not np.isfinite(prior).all():
        raise AnalysisError(f"the chances of {_quoted(flat, event)} cannot be computed")
    player = int(flat.player[before])
    if player < 0:
        raise AnalysisError(f"no player decides at {_quoted(flat, before)}")
    table = _likelihood(likelihood, len(outcomes))
    signal_names = _signal_names(signals, table, outcomes)
    posterior = _posterior(prior, table) if table is not None else None
    rows = [prior[None, :], np.eye(len(outcomes))]
    if posterior is not None:
        rows.append(posterior[1])
    chances = np.concatenate(rows)  # sample 0 as things are, then each outcome, each signal
    solution = _solve_known(flat, places, chances, values)
    worth_of = decider_value(solution, before, player)
    choice_of = solution.choice[before]
    value = float(worth_of[0])
    if not math.isfinite(value):
        raise AnalysisError(f"the value of {_quoted(flat, before)} cannot be computed, so"
                            " neither can what knowing more would add to it")
    count = len(outcomes)

    def informed(chances: np.ndarray, values: np.ndarray) -> float:
        return lottery_certainty(solution, player, chances, values)

    perfect = _knowing(outcomes, prior, np.eye(count), worth_of[1:1 + count],
                       choice_of[1:1 + count], value, informed)
    imperfect = None
    if posterior is not None:
        imperfect = _knowing(signal_names, posterior[0], posterior[1],
                             worth_of[1 + count:], choice_of[1 + count:], value, informed)
    return EventInformation(event, before, player, places, outcomes, prior, value,
                            int(choice_of[0]), perfect, imperfect)


def _knowing(signals: Sequence[str], probability: np.ndarray, posterior: np.ndarray,
             values: np.ndarray, choices: np.ndarray, value: float,
             informed: Callable[[np.ndarray, np.ndarray], float]) -> Knowing:
    """What is known after each signal, and its worth: the certainty equivalent of the
    lottery over the signals (their chance-weighted mean for a risk-neutral player) less
    the value without it."""
    possible = probability > 0
    values = np.where(possible, values, np.nan)
    choices = np.where(possible, choices, -1)
    if not np.isfinite(values[possible]).all():
        raise AnalysisError("with the outcome known the decision's value cannot be computed")
    worth = informed(probability[possible], values[possible]) - value
    if abs(worth) <= TIE_TOLERANCE * max(1.0, abs(value)):
        worth = 0.0  # (only rounding: the sums differ in their last bits)
    return Knowing(tuple(signals), probability, posterior, values, choices, worth)


def _posterior(prior: np.ndarray, likelihood: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each signal's chance (S,) and the outcome's chances given it (S, K): Bayes' rule,
    the prior where a signal cannot come."""
    joint = likelihood * prior[None, :]
    chance = joint.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        posterior = np.where(chance[:, None] > 0, joint / chance[:, None], prior[None, :])
    return chance, posterior


def _likelihood(given: Sequence[Sequence[float]] | np.ndarray | None,
                outcomes: int) -> np.ndarray | None:
    if given is None:
        return None
    table = np.asarray(given, dtype=float)
    if table.ndim != 2 or table.shape[1] != outcomes or not len(table):
        raise AnalysisError(f"the chance of each signal must be given for each of the"
                            f" event's {outcomes} outcomes")
    if not (np.isfinite(table).all() and (table >= 0).all() and (table <= 1).all()):
        raise AnalysisError("the chance of a signal must be from 0 to 1")
    sums = table.sum(axis=0)
    off = np.flatnonzero(np.abs(sums - 1) > PROBABILITY_SUM_TOLERANCE)
    if off.size:
        raise AnalysisError(f"given outcome {off[0] + 1}, the chances of the signals add up"
                            f" to {sums[off[0]]:.6g}, not 1")
    return table


def _signal_names(signals: Sequence[str] | None, table: np.ndarray | None,
                  outcomes: tuple[str, ...]) -> tuple[str, ...]:
    if table is None:
        return ()
    if signals is None:
        if len(table) != len(outcomes):
            raise AnalysisError("name the signals: there are not as many as outcomes")
        return tuple(f"says {label}" for label in outcomes)
    if len(signals) != len(table):
        raise AnalysisError(f"{len(signals)} signal names for {len(table)} signals")
    return tuple(signals)


# ---- which nodes, and whether the tree allows it -----------------------------------------
def rows_of(flat: FlatTree, event_id: str, before_id: str | None = None) -> tuple[int, int]:
    """The rows of the event and of the decision (default: the nearest above it); refused
    when the event is not a chance node that the decision leads to."""
    event = _node(flat, event_id)
    if flat.kind[event] != CHANCE_KIND:
        raise AnalysisError(f"{_quoted(flat, event)} is not a chance node: only a chance"
                            " event's outcome can be known")
    before = _decision_above(flat, event) if before_id is None else _node(flat, before_id)
    _check_decision(flat, before, event)
    return event, before


def _node(flat: FlatTree, node_id: str) -> int:
    row = flat.index.get(node_id)
    if row is None:
        raise AnalysisError(f'there is no node "{node_id}"')
    return row


def _quoted(flat: FlatTree, row: int) -> str:
    name = flat.labels.node(row, flat.ids[row])
    return f"“{name}”" if name == flat.ids[row] else f"“{name}” ({flat.ids[row]})"


def _branch(flat: FlatTree, row: int) -> str:
    return flat.labels.branches[row] or flat.ids[row]


def ancestors(flat: FlatTree, row: int) -> list[int]:
    """The nodes above `row`, nearest first."""
    found = []
    while flat.parent[row] >= 0:
        row = int(flat.parent[row])
        found.append(row)
    return found


def _decision_above(flat: FlatTree, event: int) -> int:
    for row in ancestors(flat, event):
        if flat.kind[row] == DECISION_KIND:
            return row
    raise AnalysisError(f"no decision comes before {_quoted(flat, event)}, so knowing it"
                        " earlier would change nothing")


def _check_decision(flat: FlatTree, before: int, event: int) -> None:
    if flat.kind[before] != DECISION_KIND:
        raise AnalysisError(f"{_quoted(flat, before)} is not a decision that chooses, so"
                            " knowing more cannot change it")
    if before in ancestors(flat, event):
        return
    if event in ancestors(flat, before):
        raise AnalysisError(f"{_quoted(flat, event)} comes before {_quoted(flat, before)}:"
                            " whoever chooses there already knows its outcome")
    raise AnalysisError(f"{_quoted(flat, event)} is not below {_quoted(flat, before)}:"
                        " that choice does not lead to it")


def _below(flat: FlatTree, node: int) -> np.ndarray:
    """Whether each node lies in `node`'s subtree, itself excluded, (n,)."""
    inside = np.zeros(flat.size, bool)
    inside[node] = True
    depth = next(k for k, (start, end) in enumerate(flat.levels) if start <= node < end)
    for start, end in flat.levels[depth + 1:]:
        inside[start:end] = inside[flat.parent[start:end]]
    inside[node] = False
    return inside


def _places(flat: FlatTree, event: int, before: int, probability: np.ndarray) -> tuple[int, ...]:
    """The chance nodes below D that are the same event as `event`; refused when their
    chances differ (the event's chances depend on what happens first)."""
    children = list(flat.children(event))
    labels = tuple(flat.labels.branches[c] for c in children)
    if None in labels:  # (unlabelled branches cannot say which event they are)
        return (event,)
    candidates = np.flatnonzero(_below(flat, before) & (flat.kind == CHANCE_KIND)
                                & (flat.child_count == len(children)))
    branches = np.asarray(flat.labels.branches, dtype=object)
    starts = flat.child_start[candidates]
    same = np.ones(len(candidates), bool)
    for k, label in enumerate(labels):  # (compared in numpy's loop, not one by one)
        same &= branches[starts + k] == label
    places = candidates[same].tolist()
    chances = probability[children]
    alternative = _alternative_of(flat, before)
    for row in places:
        theirs = probability[list(flat.children(row))]
        if np.allclose(theirs, chances, rtol=0, atol=SAME_CHANCE):
            continue
        mine, other = alternative(event), alternative(row)
        shown = _chances(chances)
        if mine != other:
            raise AnalysisError(
                f"the chances of {_quoted(flat, event)} depend on what"
                f" {_quoted(flat, before)} chooses ({shown} after “{_branch(flat, mine)}”,"
                f" {_chances(theirs)} after “{_branch(flat, other)}”), so it cannot be"
                " known before that choice")
        raise AnalysisError(
            f"the chances of {_quoted(flat, event)} differ from place to place after"
            f" “{_branch(flat, mine)}” ({shown} here, {_chances(theirs)} at {flat.ids[row]}):"
            " they depend on what happens before it")
    nested = [row for row in places if any(a in places for a in ancestors(flat, row))]
    if nested:
        raise AnalysisError(f"{_quoted(flat, event)} happens more than once on one path"
                            f" (again at {flat.ids[nested[0]]}): knowing one outcome does"
                            " not tell the next")
    return tuple(places)


def _alternative_of(flat: FlatTree, before: int) -> Any:
    def alternative(row: int) -> int:
        while int(flat.parent[row]) != before:
            row = int(flat.parent[row])
        return row
    return alternative


def _chances(values: np.ndarray) -> str:
    return "/".join(f"{v:.4g}" for v in values)


# ---- solving again with the chances known ------------------------------------------------
def _solve_known(flat: FlatTree, places: tuple[int, ...], chances: np.ndarray,
                 values: Mapping[str, float]) -> Solution:
    """One rollback of `chances.shape[0]` samples, sample s with the event's branches at
    every place taking chances[s]."""
    copy, names = known_chances(flat, places)
    overrides: dict[str, Any] = {**values}
    for k, name in enumerate(names):
        overrides[name] = chances[:, k]
    return solve(copy, overrides, len(chances), want_reach=False, want_outcomes=False)


def known_chances(flat: FlatTree, places: Sequence[int]) -> tuple[FlatTree, list[str]]:
    """A copy of `flat` whose k-th branch at each place has the chance of a new
    variable, the k-th name returned (its value: the tree's chance)."""
    taken = set(flat.variable_names())
    count = int(flat.child_count[places[0]])
    names = []
    for k in range(count):
        name = f"known_branch_{k + 1}"
        while name in taken:
            name += "_"
        names.append(name)
    branch_rows = [[int(flat.child_start[p]) + k for p in places] for k in range(count)]
    fixed = {row for rows in branch_rows for row in rows}
    kind = flat.probability_kind.copy()
    probability = flat.probability.copy()
    kind[list(fixed)] = EXPRESSION
    probability[list(fixed)] = np.nan
    terms = [t for t in flat.probability_terms if t.node not in fixed]
    variables = list(flat.variables)
    for k, name in enumerate(names):
        compiled = compile_expr(parse_cached(name))
        terms += [FormulaTerm(row, 0, "probability", ".probability", name, compiled,
                              frozenset({name})) for row in branch_rows[k]]
        variables.append(VariableDef(len(variables), name, float("nan"), None, None, None,
                                     False))
    copy = dataclasses.replace(flat, probability_kind=kind, probability=probability,
                               probability_terms=tuple(terms), variables=tuple(variables))
    return copy, names
