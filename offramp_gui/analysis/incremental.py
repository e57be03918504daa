"""Re-solve a tree after one probability or payoff changes, along one path only.

A slider or a spin box changes one number at a time. Rather than rolling back the
whole tree, this keeps each node's expected *future* payoffs (its own payoff and what
follows below it), which do not depend on anything above the node, and recomputes
the changed node's ancestors only: O(depth x branching), whatever the tree's size.
Totals, reach and a full `Results` are derived on request.
"""
from __future__ import annotations

import numpy as np

from .evaluate import (
    PROBABILITY_RANGE_TOLERANCE,
    PROBABILITY_SUM_TOLERANCE,
    TIE_TOLERANCE,
    Overrides,
    Results,
    owner_weights,
    path_totals,
    solve,
    utilities,
)
from .flatten import ASSUMED_KIND, CHANCE_KIND, DECISION_KIND, REMAINDER_PROBABILITY, FlatTree


class IncrementalEvaluator:
    """A solved tree (one set of variable values) that can take single-number edits."""

    def __init__(self, flat: FlatTree, overrides: Overrides | None = None):
        if flat.risk:  # (its sums of totals are linear: certainty equivalents are not)
            raise ValueError("incremental evaluation takes only risk-neutral players")
        solution = solve(flat, overrides, want_reach=False)
        self.flat = flat
        self.variables = {k: float(v[0]) for k, v in solution.variables.items()}
        self.probability = solution.probability[:, 0].copy()
        self.payoff = np.broadcast_to(solution.payoff, (flat.size, 1, len(flat.criteria)))[
            :, 0, :].copy()
        above = path_totals(flat, self.payoff[:, None, :])[:, 0, :] - self.payoff
        self.future = solution.values[:, 0, :] - above
        self.outcomes = solution.outcomes[:, 0, :].copy()  # type: ignore[index]
        self.choice = solution.choice[:, 0].copy()
        self.tie = solution.tie[:, 0].copy()
        self.weights = solution.sample_weights(0)  # weights may be expressions of variables
        self._owner_weights = owner_weights(self.weights)

    # ---- edits ----------------------------------------------------------------------
    def set_probability(self, node: int, value: float) -> None:
        """Give branch `node` another probability; its parent's remainder follows."""
        self.probability[node] = value
        parent = int(self.flat.parent[node])
        self._settle_remainder(parent)
        self._resolve_upwards(parent)

    def set_payoff(self, node: int, criterion: int, value: float) -> None:
        self.payoff[node, criterion] = value
        self._resolve_upwards(node)

    # ---- reading --------------------------------------------------------------------
    def expected(self, node: int) -> np.ndarray:
        """Expected totals per criterion, conditional on reaching `node`."""
        return self._above(node) + self.future[node]

    def reach(self, node: int) -> float:
        """Probability that the solved policy passes through `node`."""
        flat, share = self.flat, 1.0
        while node > 0:
            parent = int(flat.parent[node])
            if flat.kind[parent] == DECISION_KIND:
                chosen = self.choice[parent]  # none: nobody knows which branch is taken
                share *= float(chosen == node) if chosen >= 0 else np.nan
            else:
                share *= self.probability[node]
            node = parent
        return share

    def results(self) -> Results:
        """Everything, for every node (O(n): for displays, not for each edit)."""
        flat = self.flat
        above = path_totals(flat, self.payoff[:, None, :])[:, 0, :] - self.payoff
        expected = above + self.future
        weight = np.where(np.isin(flat.kind[np.maximum(flat.parent, 0)],
                                  (CHANCE_KIND, ASSUMED_KIND)), self.probability, 0.0)
        chosen = self.choice[self.choice >= 0]
        weight[chosen] = 1.0
        undecided = (flat.kind == DECISION_KIND) & (self.choice < 0) & (flat.child_count > 0)
        weight[np.isin(flat.parent, np.flatnonzero(undecided))] = np.nan  # as `solve` does
        weight[0] = 1.0
        reach = np.empty(flat.size)
        reach[0] = 1.0
        for start, end in flat.levels[1:]:
            reach[start:end] = reach[flat.parent[start:end]] * weight[start:end]
        return Results(flat, dict(self.variables), expected, utilities(expected, self.weights),
                       self.choice.copy(), self.tie.copy(), reach, self.outcomes.copy(),
                       self.probability.copy(), ())

    # ---- the path -------------------------------------------------------------------
    def _above(self, node: int) -> np.ndarray:
        """Sum of the payoffs of the node's strict ancestors."""
        total = np.zeros(len(self.flat.criteria))
        node = int(self.flat.parent[node])
        while node >= 0:
            total += self.payoff[node]
            node = int(self.flat.parent[node])
        return total

    def _settle_remainder(self, parent: int) -> None:
        kids = self.flat.children(parent)
        kinds = self.flat.probability_kind[kids.start:kids.stop]
        remainder = np.flatnonzero(kinds == REMAINDER_PROBABILITY)
        if remainder.size:
            others = np.delete(self.probability[kids.start:kids.stop], remainder[0])
            self.probability[kids.start + remainder[0]] = 1.0 - others.sum()

    def _resolve_upwards(self, node: int) -> None:
        path = []
        while node >= 0:
            path.append(node)
            node = int(self.flat.parent[node])
        above = np.zeros(len(self.flat.criteria))
        aboves = []
        for step in reversed(path):  # root first: the totals above each node on the path
            aboves.append(above.copy())
            above += self.payoff[step]
        for step, above_step in zip(path, reversed(aboves)):
            self._resolve(step, above_step)

    def _resolve(self, node: int, above: np.ndarray) -> None:
        flat = self.flat
        kids = flat.children(node)
        if not len(kids):
            self.future[node] = self.payoff[node]
            return
        span = slice(kids.start, kids.stop)
        if flat.kind[node] == DECISION_KIND:
            self._choose(node, span, above)
            return
        p = self.probability[span]
        valid = bool(np.all((p >= -PROBABILITY_RANGE_TOLERANCE)
                            & (p <= 1 + PROBABILITY_RANGE_TOLERANCE))
                     and abs(p.sum() - 1) <= PROBABILITY_SUM_TOLERANCE)
        self.future[node] = self.payoff[node] + p @ self.future[span]
        self.outcomes[node] = p @ self.outcomes[span]
        if not valid:
            self.future[node] = self.outcomes[node] = np.nan

    def _choose(self, node: int, span: slice, above: np.ndarray) -> None:
        owner = self._owner_weights[self.flat.player[node]]
        totals = above + self.payoff[node] + self.future[span]
        utility = totals @ owner
        best = utility.max()
        within = utility >= best - TIE_TOLERANCE * max(1.0, abs(best))
        if np.isnan(best) or not within.any():
            self.choice[node], self.tie[node] = -1, False
            self.future[node] = np.nan
            self.outcomes[node] = np.nan
            return
        first = int(np.argmax(within))
        self.choice[node] = span.start + first
        self.tie[node] = within.sum() > 1
        self.future[node] = self.payoff[node] + self.future[span.start + first]
        self.outcomes[node] = self.outcomes[span.start + first]
