"""Risk profiles: what each alternative of a decision can end in, for its chooser.

For a decision D and each of its alternatives: the chance of each score of D's player
over the endings reachable once that alternative is taken, every later decision
following the solved policy (assumed decisions and chance nodes by their
probabilities), conditional on play being at D. The score of an ending is the player's
utility of its whole path, payoffs above D included: the number the engine maximises
(`Results.utility` at the terminals). Stochastic dominance is read off the step
functions exactly, with float noise allowed for as the module's tolerances say.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .evaluate import TIE_TOLERANCE, Results, evaluate
from .flatten import ASSUMED_KIND, CHANCE_KIND, DECISION_KIND, FlatTree
from .sensitivity import AnalysisError

#: Scores within this much (relative to max(1, |score|)) of the next lower one are one
#: score: the engine's own tie tolerance, so two paths it calls equal merge.
SCORE_TOLERANCE = TIE_TOLERANCE
#: Cumulative chances within this much of each other count as equal.
CHANCE_TOLERANCE = 1e-9
#: Integrals of the cumulative chance within this much times the scores' span (at
#: least 1) count as equal.
AREA_TOLERANCE = 1e-9

FIRST_ORDER, SECOND_ORDER = 1, 2
#: Dominance is looked for among at most this many alternatives (every pair is
#: compared: a decision with thousands would take minutes, and name too many to read).
DOMINANCE_AMONG_UP_TO = 50


@dataclass(frozen=True, eq=False)
class AlternativeProfile:
    """One alternative's distribution of scores; empty when it cannot be computed."""

    node: int
    scores: np.ndarray  # ascending, distinct
    chances: np.ndarray  # of each score, conditional on the alternative being taken
    cumulative: np.ndarray  # chance of a score at or below each
    expected: float  # the engine's expected utility of the alternative (nan: none)
    outcomes: np.ndarray  # (K + 1,) chance of each outcome category, the last "null"

    @property
    def computable(self) -> bool:
        return bool(np.isfinite(self.expected))


@dataclass(frozen=True)
class Dominance:
    """`better` stochastically dominates `worse` (node indices), to `order` 1 or 2."""

    better: int
    worse: int
    order: int


@dataclass(frozen=True, eq=False)
class RiskProfile:
    node: int
    player: int
    chosen: int  # the alternative the solved policy takes at the node, -1 if none
    alternatives: tuple[AlternativeProfile, ...]
    #: Each pair once, with the strongest order that holds (the first implies the second).
    dominance: tuple[Dominance, ...]
    #: False when the decision has too many alternatives to compare them pair by pair.
    compared: bool = True


def decision_at(flat: FlatTree, node_id: str | None) -> int:
    """The index of the decision `node_id` (default: the root), or why it is none."""
    node = 0 if node_id is None else flat.index.get(node_id)
    if node is None:
        raise AnalysisError(f'there is no node "{node_id}"')
    if flat.kind[node] not in (DECISION_KIND, ASSUMED_KIND) or not flat.child_count[node]:
        name = flat.labels.node(node, flat.ids[node])
        where = f'"{name}"' + ("" if name == flat.ids[node] else f" ({flat.ids[node]})")
        what = "a chance node" if flat.kind[node] == CHANCE_KIND else "an ending"
        raise AnalysisError(f"{where} is {what}, not a decision: a risk profile compares"
                            " the alternatives of a decision")
    return node


def risk_profile(flat: FlatTree, node_id: str | None = None,
                 values: Mapping[str, float] | None = None) -> RiskProfile:
    """The risk profile of the decision `node_id` (default: the root) with the
    variables' values (and any given)."""
    return profile_of(evaluate(flat, values), decision_at(flat, node_id))


def profile_of(results: Results, node: int) -> RiskProfile:
    """The risk profile of the decision at index `node`, from results already computed
    (the app's: no second rollback)."""
    flat = results.flat
    player = max(int(flat.player[node]), 0)
    endings = [_endings(results, a, player) for a in flat.children(node)]
    reached = [scores for scores, _chances in endings]
    grid, positions = _merged_scores(reached)
    outcome_count = len(flat.outcomes) + 1
    profiles: list[AlternativeProfile] = []
    on_grid: list[np.ndarray | None] = []
    for a, (_scores, chances), where in zip(flat.children(node), endings, positions):
        expected = float(results.utility[a, player])
        if not np.isfinite(expected) or not np.isfinite(chances).all():
            profiles.append(AlternativeProfile(
                a, np.zeros(0), np.zeros(0), np.zeros(0), np.nan,
                np.full(outcome_count, np.nan)))
            on_grid.append(None)
            continue
        spread = np.bincount(where, weights=chances, minlength=len(grid))
        on_grid.append(spread)
        kept = np.flatnonzero(spread > 0)
        profiles.append(AlternativeProfile(
            a, grid[kept], spread[kept], np.cumsum(spread)[kept], expected,
            results.outcomes[a].astype(float)))
    choice = int(results.choice[node]) if flat.kind[node] == DECISION_KIND else -1
    if len(profiles) > DOMINANCE_AMONG_UP_TO:
        return RiskProfile(node, player, choice, tuple(profiles), (), compared=False)
    return RiskProfile(node, player, choice, tuple(profiles),
                       dominance_among([p.node for p in profiles], grid, on_grid))


def _endings(results: Results, alternative: int,
             player: int) -> tuple[np.ndarray, np.ndarray]:
    """The endings reachable from `alternative` with a chance above zero: their scores
    and chances (conditional on the alternative).

    Level by level down its subtree: the nodes of a subtree at one depth are one run
    of the flat arrays, as a level's children follow their parents' order.
    """
    flat = results.flat
    scores, chances = [], []
    nodes = np.arange(alternative, alternative + 1)
    share = np.ones(1)
    while nodes.size:
        terminal = flat.child_count[nodes] == 0
        reached = terminal & (share != 0)  # nan stays: the profile cannot be computed
        scores.append(results.utility[nodes[reached], player])
        chances.append(share[reached])
        parents, parent_share = nodes[~terminal], share[~terminal]
        if not parents.size:
            break
        counts = flat.child_count[parents]
        kids = np.arange(int(flat.child_start[parents[0]]),
                         int(flat.child_start[parents[-1]] + counts[-1]))
        share = np.repeat(parent_share, counts) * _branch_weights(results, parents, kids)
        nodes = kids
    return np.concatenate(scores), np.concatenate(chances)


def _branch_weights(results: Results, parents: np.ndarray, kids: np.ndarray) -> np.ndarray:
    """How much of its parent each child carries: its probability under a chance node or
    an assumed decision; 1 for the branch a decision chose, 0 for the others, nan below
    a decision that cannot choose."""
    flat = results.flat
    parent = flat.parent[kids]
    deciding = flat.kind[parent] == DECISION_KIND
    choice = results.choice[parent]
    picked = np.where(choice < 0, np.nan, (choice == kids).astype(float))
    return np.where(deciding, picked, results.probability[kids])


def _merged_scores(reached: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    """One ascending grid of the scores of every alternative, those within
    SCORE_TOLERANCE of the next lower merged into it; each ending's place on it."""
    every = np.concatenate(reached) if reached else np.zeros(0)
    finite = np.isfinite(every)
    distinct = np.unique(every[finite])
    if distinct.size:
        gaps = np.diff(distinct) > SCORE_TOLERANCE * np.maximum(1.0, np.abs(distinct[:-1]))
        group = np.concatenate([[0], np.cumsum(gaps)])
        starts = np.concatenate([[0], np.flatnonzero(gaps) + 1])
        grid = distinct[starts]
    else:
        group, grid = np.zeros(0, np.int64), np.zeros(0)
    place = np.zeros(every.size, np.int64)
    place[finite] = group[np.searchsorted(distinct, every[finite])]
    return grid, np.split(place, np.cumsum([r.size for r in reached])[:-1])


def dominance_among(nodes: list[int], grid: np.ndarray,
                    spreads: list[np.ndarray | None]) -> tuple[Dominance, ...]:
    """Every ordered pair of alternatives of which the first dominates the second.

    `spreads` gives each alternative's chance at each point of the ascending `grid`
    (None: cannot be computed, and compared with nothing). The cumulative chances and
    their integrals are step and piecewise-linear functions that change only at the
    grid's points, so comparing them there compares them everywhere.
    """
    # Integrated in units of the largest score (at least 1), so that widths between
    # scores near the largest double do not overflow; the tolerance scales with them.
    scale = max(1.0, float(np.abs(grid).max())) if grid.size else 1.0
    scaled = grid / scale
    widths = np.diff(scaled)
    span = max(float(scaled[-1] - scaled[0]) if grid.size else 0.0, 1.0 / scale)
    curves = {}
    for node, spread in zip(nodes, spreads):
        if spread is not None:
            cdf = np.cumsum(spread)
            curves[node] = (cdf, np.concatenate([[0.0], np.cumsum(cdf[:-1] * widths)]))
    found = []
    for better in curves:
        for worse in curves:
            if better == worse:
                continue
            order = dominance_order(curves[better], curves[worse], span)
            if order:
                found.append(Dominance(better, worse, order))
    return tuple(found)


def dominance_order(better: tuple[np.ndarray, np.ndarray],
                    worse: tuple[np.ndarray, np.ndarray], span: float) -> int:
    """1 or 2 when `better` (cumulative chances, their integrals) dominates `worse` to
    that order, 0 when it does not; `span` is the scores' (at least 1) in the integrals'
    unit."""
    if _below(better[0], worse[0], CHANCE_TOLERANCE):
        return FIRST_ORDER
    if _below(better[1], worse[1], AREA_TOLERANCE * span):
        return SECOND_ORDER
    return 0


def _below(low: np.ndarray, high: np.ndarray, tolerance: float) -> bool:
    """`low` nowhere above `high` and somewhere below it, beyond `tolerance`."""
    return bool((low <= high + tolerance).all() and (low < high - tolerance).any())
