"""A document's results kept live: an edit of a number re-solves only what it touches.

`LiveEvaluation` holds one rolled-back tree (the arrays `solve` makes) and takes the
edits the app makes: a probability or payoff on a node re-solves the path to the root
(and, for a payoff, the totals of the node's branch); a variable recomputes the formulas
that use it (and the variables made from it) and re-solves the nodes they touch, level
by level upwards, only where marked; a weight re-scores every utility and re-solves the
choices of its player. Each step is the arithmetic of `evaluate` on fewer rows, so the
numbers are exactly those of a full evaluation (tests/analysis/test_live.py).

A structural edit (add, delete, move, paste, a change of type) patches the arrays
(`restructure.patch`: whole-array slices, the nodes the change names read again) and
re-solves what was read and the paths above it.

What it does not take (a formula typed in, a number that makes a formula fail or
overflow, a tree with structural problems, a change of a player's utility) returns False:
the caller builds a new one from the tree, which is the full evaluation. In a tree with a
player who is not risk-neutral, an edit it takes patches the arrays as above, then rolls
them back in full: certainty equivalents are not re-solved row by row yet
(docs/benchmarks.md, "Risk attitude").
"""
from __future__ import annotations

import copy
import dataclasses
import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from ..model.events import TreeChange
from ..model.fields import FIELDS
from ..model.issues import Issue
from ..model.tree import Player, Tree, Utility, Variable
from ..model.validate import validate, validate_settings
from .equilibria import EquilibriumSearch, equilibrium_results, has_information_sets
from .evaluate import (
    PROBABILITY_RANGE_TOLERANCE,
    PROBABILITY_SUM_TOLERANCE,
    TIE_TOLERANCE,
    Results,
    Shown,
    _Problems,
    _range_problem,
    _sum_problem,
    first_sample_certainty,
    owner_weights,
    path_totals,
    solve,
    utilities,
)
from .expr_eval import evaluate as run_formula
from .flatten import (
    ASSUMED_KIND,
    CHANCE_KIND,
    DECISION_KIND,
    FIXED,
    REMAINDER_PROBABILITY,
    FlatTree,
    flatten,
)
from .plan import children_groups, reduceat
from .restructure import OLD, patch

#: Node fields the engine does not read: a change of one leaves the numbers as they are.
_NEUTRAL_FIELDS = frozenset(f.name for f in FIELDS) - {
    "id", "type", "player", "solve", "outcome", "probability", "payoff", "branch", "name",
    "children", "information_set"}
#: Settings the engine does not read.
_NEUTRAL_SETTINGS = frozenset({"display", "description", "sources", "scenarios", "base_case",
                               "extras"})
_NO_NODES = np.zeros(0, np.int64)
#: Plans of `_resolve` kept: a slider's, and a few edits made in turn.
_PLANS_KEPT = 4


def _number(value: Any) -> bool:
    """A plain finite number, as the file format writes one (not true/false)."""
    return (type(value) is float or type(value) is int) and math.isfinite(value)


class LiveEvaluation:
    """The rolled-back tree of one document, kept up to date edit by edit."""

    def __init__(self, tree: Tree):
        flat = flatten(tree)
        structural = validate(tree) if flat.suspect else validate_settings(tree)
        #: The players' utilities `flat.risk` was made from.
        self._utilities = _utilities_of(tree)
        self._start(flat, tuple(structural))
        #: In a tree with information sets: its equilibria, and the results of the one
        #: shown (`choose`); every edit then asks for a full evaluation.
        self.search: EquilibriumSearch | None = None
        self._shown: Results | None = None
        if flat.suspect and not structural and has_information_sets(tree):
            self._shown, self.search = equilibrium_results(tree)

    def choose(self, index: int) -> None:
        """Show equilibrium `index` of a tree with information sets (the last, when
        there are fewer); nothing changes in a tree without."""
        if self.search is None or not self.search.equilibria or self._shown is None:
            return
        index = max(0, min(index, len(self.search.equilibria) - 1))
        self._shown = dataclasses.replace(
            self.search.equilibria[index].results,
            equilibrium=Shown(index, len(self.search.equilibria), self.search.complete))

    def _start(self, flat: FlatTree, structural: tuple[Issue, ...]) -> None:
        """Roll `flat` back in full and keep what the edits will need."""
        solution = solve(flat)
        self.flat = flat
        self._structural = structural
        n, criteria = flat.size, len(flat.criteria)
        self._env = {name: np.array(v, float) for name, v in solution.variables.items()}
        self._weights = np.array(solution.weights, float)  # (P, C), or (1, P, C)
        self._owner = owner_weights(self._weights)
        self.values = solution.values
        self.probability = solution.probability.copy()  # solve may share a read-only one
        self.payoff = np.array(np.broadcast_to(solution.payoff, (n, 1, criteria)))
        self.weight = solution.weight
        self.choice = solution.choice
        self.tie = solution.tie
        # (Written through a flat view of itself: `_reach_below`.)
        self.reach = np.ascontiguousarray(solution.reach)
        self.outcomes: np.ndarray = solution.outcomes  # type: ignore[assignment]
        self.cumulative = path_totals(flat, self.payoff)
        self.utility = utilities(self.values[:, 0, :], self._shown_weights())
        self._risk_certainty = first_sample_certainty(solution)
        problems = _Problems(flat)
        problems.utility_overflow(self.values[:, 0, :], self.utility, self._shown_weights())
        numeric = solution.issues + tuple(problems.issues)
        self._shape_of(flat)
        self._range_issues: dict[int, Issue] = {}
        self._sum_issues: dict[int, Issue] = {}
        self.valid = np.ones((n, 1), bool)
        takes = np.flatnonzero(((flat.kind == CHANCE_KIND) | (flat.kind == ASSUMED_KIND))
                               & (flat.child_count > 0))
        if takes.size:
            self.valid[takes] = self._check(takes)
        #: False when the tree has problems this cannot keep track of (a formula that
        #: fails, totals that overflow): every edit then asks for a full evaluation.
        self.exact = numeric == self._probability_issues()
        self._numeric = numeric
        self._groups = _formula_groups(flat)
        self._results: Results | None = None

    def _shape_of(self, flat: FlatTree) -> None:
        """What the re-solving keeps of the tree's shape: where each level starts, and
        where the children of each row start (and of the row past the last: the end)."""
        self._level_starts = np.array([start for start, _end in flat.levels], np.int64)
        self._child_bounds = np.append(flat.child_start, flat.size)
        self._decisions: dict[tuple[int, ...], tuple[np.ndarray, ...]] = {}
        self._plans: dict[tuple[bytes, ...], _Plan] = {}

    # ---- reading --------------------------------------------------------------------
    def results(self) -> Results:
        """The results as `evaluate_tree` gives them; their arrays are this evaluation's
        own, so they show later edits too (`flat` is a snapshot and never changes)."""
        if self._shown is not None:
            return self._shown
        if self._results is None or self._results.flat is not self.flat:
            self._results = Results(
                self.flat, {k: float(v[0]) for k, v in self._env.items()}, self.values[:, 0, :],
                self.utility, self.choice[:, 0], self.tie[:, 0], self.reach[:, 0],
                self.outcomes[:, 0, :], self.probability[:, 0],
                self._structural + (self._probability_issues() if self.exact else
                                    self._numeric), self._risk_certainty)
        return self._results

    # ---- edits from the model ---------------------------------------------------------
    def apply(self, tree: Tree, change: TreeChange) -> bool:
        """Take a change the tree has made; False when it needs a full evaluation."""
        if _utilities_of(tree) != self._utilities or self._shown is not None:
            return False  # (flat.risk is made by flatten; equilibria are searched again)
        if not self._apply(tree, change):
            return False
        if self.flat.risk:
            # Certainty equivalents are not re-solved row by row: the arrays the edit
            # patched are rolled back in full (no flatten, which takes most of the time
            # of a full evaluation).
            self._start(self.flat, self._structural)
        return True

    def _apply(self, tree: Tree, change: TreeChange) -> bool:
        if change.structural or not self.exact:
            return self._restructure(tree, change)
        node_fields = change.fields & {f.name for f in FIELDS}
        settings = change.fields - node_fields
        if not settings <= _NEUTRAL_SETTINGS | {"variables", "players", "title"}:
            return False
        probabilities: dict[int, float] = {}
        payoffs: dict[int, np.ndarray] = {}
        labels: dict[str, dict[int, str | None]] = {}
        if node_fields - _NEUTRAL_FIELDS:
            if self.flat.suspect or not node_fields <= _NEUTRAL_FIELDS | {
                    "probability", "payoff", "branch", "name"}:
                return False
            for node_id in change.node_ids:
                if not self._read_node(tree, node_id, node_fields, probabilities, payoffs,
                                       labels):
                    return False
        variables: dict[str, float] = {}
        if "variables" in settings and not self._read_variables(tree.variables or [],
                                                                variables):
            return False
        weights = None
        if "players" in settings:
            weights = self._read_weights(tree)
            if weights is None:
                return False
        if "title" in settings:
            self.flat = _same_shape(self.flat, title=tree.title)
        if labels:
            self._relabel(labels)
        return self.update(probabilities, payoffs, variables, weights)

    def _read_node(self, tree: Tree, node_id: str, fields: frozenset[str],
                   probabilities: dict[int, float], payoffs: dict[int, np.ndarray],
                   labels: dict[str, dict[int, str | None]]) -> bool:
        flat = self.flat
        i = flat.index.get(node_id)
        if i is None or node_id not in tree:
            return False
        node = tree.node(node_id)
        if "probability" in fields:
            if flat.probability_kind[i] != FIXED or not _number(node.probability):
                return False
            probabilities[i] = float(node.probability)  # type: ignore[arg-type]
        if "payoff" in fields:
            row = self._payoff_row(node.payoff)
            if row is None or i in self._groups.payoff_nodes:
                return False
            payoffs[i] = row
        for name in ("branch", "name"):
            if name in fields:
                labels.setdefault(name, {})[i] = getattr(node, name)
        return True

    def _payoff_row(self, payoff: object) -> np.ndarray | None:
        """A payoff of numbers only as a row of the criteria; None for anything else."""
        criteria = self.flat.criteria
        row = np.zeros(len(criteria))
        if payoff is None:
            return row
        if len(criteria) == 1 and _number(payoff):
            row[0] = float(payoff)  # type: ignore[arg-type]
            return row
        if type(payoff) is not dict:
            return None
        for key, amount in payoff.items():
            if key not in criteria or not _number(amount):
                return None
            row[criteria.index(key)] = amount
        return row

    def _read_variables(self, variables: list[Variable], changed: dict[str, float]) -> bool:
        defs = {d.position: d for d in self.flat.variables}
        if len(defs) != len(variables):
            return False
        for position, var in enumerate(variables):
            old = defs.get(position)
            if old is None or (var.name, var.min, var.max, var.distribution,
                               var.description) != (old.name, old.low, old.high,
                                                    old.distribution, old.description):
                return False
            if old.formula is not None:
                if var.value != old.formula.text:
                    return False
            elif old.broken or not _number(var.value):
                return False
            elif float(var.value) != old.value:
                changed[var.name] = float(var.value)
        return True

    def _read_weights(self, tree: Tree) -> np.ndarray | None:
        """The players' number weights (nan where an expression), when only numbers
        changed; None otherwise."""
        flat = self.flat
        players: list[Player] = tree.effective_players()
        if tuple(p.id for p in players) != flat.players or tuple(
                p.name for p in players) != flat.labels.players:
            return None
        texts = {(t.node, t.column): t.text for t in flat.weight_terms}
        weights = np.zeros_like(flat.weights)
        for i, player in enumerate(players):
            for key, value in player.weights.items():
                if key not in flat.criteria:
                    return None
                column = flat.criteria.index(key)
                if type(value) is str:
                    if texts.get((i, column)) != value:
                        return None
                    weights[i, column] = np.nan
                elif not _number(value):
                    return None
                else:
                    weights[i, column] = value
                    if (i, column) in texts:
                        return None
        if len(texts) != int(np.isnan(weights).sum()):
            return None
        return weights

    def _relabel(self, labels: dict[str, dict[int, str | None]]) -> None:
        old = self.flat.labels
        new: dict[str, Any] = {}
        for name, changes in labels.items():
            plural = {"branch": "branches", "name": "names"}[name]
            listed = list(getattr(old, plural))
            for i, text in changes.items():
                listed[i] = text
            new[plural] = tuple(listed)
        self.flat = _same_shape(self.flat, labels=dataclasses.replace(old, **new))

    # ---- edits by number ------------------------------------------------------------
    def update(self, probabilities: dict[int, float] | None = None,
               payoffs: dict[int, np.ndarray] | None = None,
               variables: dict[str, float] | None = None,
               weights: np.ndarray | None = None) -> bool:
        """Give nodes fixed probabilities or payoff rows, variables number values, or
        the players new number weights (P, C; nan where an expression), all at once.

        False when the result needs a full evaluation (a formula fails, a total
        overflows): this evaluation is then stale and should be dropped.
        """
        if not self.exact:
            return False
        flat = self.flat
        changes = self._set_numbers(probabilities or {}, payoffs or {})
        moved: set[int] = set(probabilities or ())  # nodes whose probability changed
        paid: set[int] = set(payoffs or ())  # nodes whose own payoff changed
        new_weights = None
        if variables:
            touched = self._set_variables(variables, changes, moved, paid)
            if touched is None:
                return False
            if touched:
                new_weights = flat.weights if weights is None else weights
        if weights is not None:
            changes["weights"] = new_weights = weights
        players, decisions = _NO_NODES, None
        if new_weights is not None:
            reweighed = self._set_weights(new_weights)
            if reweighed is None:
                return False
            players, decisions = reweighed
        if changes:
            self.flat = _same_shape(flat, **changes)
        return self._resolve(moved, paid, _NO_NODES, players, rechoose=decisions)

    def _set_numbers(self, probabilities: dict[int, float],
                     payoffs: dict[int, np.ndarray]) -> dict[str, Any]:
        """Fixed probabilities and payoff rows; the snapshot's arrays are copied first (a
        snapshot never changes)."""
        changes: dict[str, Any] = {}
        if probabilities:
            fixed = self.flat.probability.copy()
            for node, value in probabilities.items():
                fixed[node] = self.probability[node, 0] = value
            changes["probability"] = fixed
        if payoffs:
            rows = self.flat.payoff.copy()
            for node, row in payoffs.items():
                rows[node] = self.payoff[node, 0] = row
            changes["payoff"] = rows
        return changes

    def _set_variables(self, numbers: dict[str, float], changes: dict[str, Any],
                       moved: set[int], paid: set[int]) -> bool | None:
        """Give variables new values and recompute what uses them; True when a weight
        uses one, None when a formula fails."""
        env, changed = self._env, set(numbers)
        defs = []
        with np.errstate(all="ignore"):
            scalars = {name: np.asarray(float(value[0])) for name, value in env.items()}
            for var in self.flat.variables:
                if var.name in numbers:
                    value = np.asarray(numbers[var.name])
                    var = dataclasses.replace(var, value=numbers[var.name])
                elif var.formula is not None and var.formula.names & changed:
                    value = np.asarray(var.formula.compiled(scalars), dtype=float)
                    if not np.isfinite(value).all():
                        return None
                    changed.add(var.name)
                else:
                    value = scalars[var.name]
                scalars[var.name] = value
                defs.append(var)
            for name in changed:
                env[name] = np.full(1, scalars[name], dtype=float)
            changes["variables"] = tuple(defs)
            for kind, terms, nodes, columns in self._groups.using(changed):
                value = np.broadcast_to(np.asarray(run_formula(terms[0].compiled, env),
                                                   float), (1,))
                if not np.isfinite(value).all():
                    return None
                if kind == "probability":
                    self.probability[nodes] = value
                    moved.update(nodes.tolist())
                else:
                    self.payoff[nodes, :, columns] = value
                    paid.update(nodes.tolist())
        return any(t.names & changed for t in self.flat.weight_terms)

    def _set_weights(self, weights: np.ndarray
                     ) -> tuple[np.ndarray, tuple[np.ndarray, ...]] | None:
        """New weights (with expressions worked out): the players whose weights changed
        and their decisions, to choose again; None when a weight fails."""
        flat = self.flat
        worked = np.array(weights, float)
        with np.errstate(all="ignore"):
            for term in flat.weight_terms:
                value = np.asarray(run_formula(term.compiled, self._env), float)
                if not np.isfinite(value).all():
                    return None
                worked[term.node, term.column] = value.reshape(-1)[0]
        if self._weights.ndim == 3:
            worked = worked[None]
        before = self._weights.reshape(-1, *flat.weights.shape)[0]
        players = np.flatnonzero((before != worked.reshape(before.shape)).any(axis=1))
        self._weights, self._owner = worked, owner_weights(worked)
        return players, self._decisions_of(players)

    def _decisions_of(self, players: np.ndarray) -> tuple[np.ndarray, ...]:
        """The decisions of `players` with their children grouped and their owners, as
        `_choose` takes them (kept until the tree's shape changes: a slider on a weight
        asks for the same ones each step)."""
        key = tuple(players.tolist())
        if key not in self._decisions:
            flat = self.flat
            deciders = np.flatnonzero((flat.kind == DECISION_KIND) & (flat.child_count > 0)
                                      & np.isin(flat.player, players))
            kids, starts, counts = children_groups(flat, deciders)
            self._decisions[key] = (deciders, kids, starts, counts,
                                    np.repeat(flat.player[deciders], counts))
        return self._decisions[key]

    # ---- structural edits -----------------------------------------------------------
    def _restructure(self, tree: Tree, edit: TreeChange) -> bool:
        """Patch the arrays for nodes added, removed, moved or retyped, then re-solve
        what the patch read and the paths above it."""
        settings = edit.fields - {f.name for f in FIELDS}
        if not self.exact or self.flat.suspect or not settings <= _NEUTRAL_SETTINGS | {
                "title"}:
            return False
        if "title" in settings:
            self.flat = _same_shape(self.flat, title=tree.title)
        change = patch(self.flat, tree, edit.node_ids)
        if change is None or change.flat.suspect:
            return False
        old, flat = self.flat, change.flat
        pieces = change.live_pieces

        def spliced(array: np.ndarray, fill: Any) -> np.ndarray:
            parts = [array[a:b] if s == OLD else np.full((b - a,) + array.shape[1:], fill,
                                                         array.dtype)
                     for s, a, b in pieces]
            return np.concatenate(parts)

        named_rows, fresh = change.named, change.fresh
        old_payoff = self.payoff[change.named_old].copy()
        self.values = spliced(self.values, np.nan)
        self.probability = spliced(self.probability, np.nan)
        self.payoff = spliced(self.payoff, 0.0)
        self.weight = spliced(self.weight, np.nan)
        self.reach = spliced(self.reach, np.nan)
        self.outcomes = spliced(self.outcomes, np.nan)
        self.cumulative = spliced(self.cumulative, np.nan)
        self.utility = spliced(self.utility, np.nan)
        self.tie = spliced(self.tie, False)
        self.valid = spliced(self.valid, True)
        choice = spliced(self.choice, -1)
        chosen = choice >= 0
        choice[chosen] = change.new_of_old[choice[chosen]]
        self.choice = choice
        self.flat = flat
        self._shape_of(flat)
        self._groups = _formula_groups(flat)
        read = np.concatenate([fresh, named_rows])
        self.probability[read, 0] = flat.probability[read]
        self.payoff[read, 0] = flat.payoff[read]
        self.choice[read], self.tie[read] = -1, False  # (a decision sets them again)
        if not self._formulas_of(read):
            return False
        ends = read[flat.child_count[read] == 0]
        codes = flat.outcome[ends]
        self.outcomes[ends] = 0.0
        known = codes >= 0
        self.outcomes[ends[known], 0, codes[known]] = 1.0
        self.outcomes[ends[~known]] = np.nan
        self._renumber_issues(old, change.new_of_old)
        new_payoff = self.payoff[named_rows]
        changed = ~((old_payoff == new_payoff) | np.isnan(old_payoff) & np.isnan(new_payoff)
                    ).all(axis=(1, 2))
        tops = fresh[~np.isin(flat.parent[fresh], fresh)] if fresh.size else fresh
        paid = np.concatenate([tops, change.moved_in, named_rows[changed],
                               named_rows[flat.child_count[named_rows] == 0]])
        inner = named_rows[flat.child_count[named_rows] > 0]
        self._settle_remainders(inner, *children_groups(flat, inner))
        self._results = None
        return self._resolve(read.tolist(), paid.tolist(), inner,
                             reach_too=np.concatenate([tops, change.moved_in]))

    def _formulas_of(self, rows: np.ndarray) -> bool:
        """Work out the formulas of `rows` (read from the tree); False if one fails."""
        with np.errstate(all="ignore"):
            for kind, terms, nodes, columns in self._groups.groups:
                here = np.isin(nodes, rows)
                if not here.any():
                    continue
                value = np.broadcast_to(np.asarray(run_formula(terms[0].compiled, self._env),
                                                   float), (1,))
                if not np.isfinite(value).all():
                    return False
                if kind == "probability":
                    self.probability[nodes[here]] = value
                else:
                    self.payoff[nodes[here], :, columns[here]] = value
        return True

    def _renumber_issues(self, old: FlatTree, new_of_old: np.ndarray) -> None:
        """Probability problems at their new rows, said again (their paths may differ)."""
        flat = self.flat
        parents = [int(old.parent[k]) for k in self._range_issues] + list(self._sum_issues)
        self._range_issues.clear()
        self._sum_issues.clear()
        rows = new_of_old[np.array(parents, np.int64)] if parents else _NO_NODES
        rows = _unique(rows[rows >= 0])
        kind = flat.kind[rows]
        rows = rows[((kind == CHANCE_KIND) | (kind == ASSUMED_KIND)) & (flat.child_count[rows] > 0)]
        if rows.size:
            self.valid[rows] = self._check(rows)

    # ---- solving again --------------------------------------------------------------
    def _levels_of(self, nodes: np.ndarray) -> np.ndarray:
        return np.searchsorted(self._level_starts, nodes, side="right") - 1

    def _resolve(self, moved: Iterable[int], paid: Iterable[int], marked: np.ndarray,
                 players: np.ndarray = _NO_NODES, reach_too: np.ndarray = _NO_NODES,
                 rechoose: tuple[np.ndarray, ...] | None = None) -> bool:
        """Solve again the parents of `moved` (probability changed), the totals below
        `paid` (payoff changed), the `marked` nodes, and everything above them; the
        decisions `rechoose` (their players' weights changed) first, all at once, and
        above only those whose choice changed. `players` need all their utilities again."""
        flat = self.flat
        reach_from: list[np.ndarray] = [reach_too]
        flipped = _NO_NODES
        if rechoose is not None and rechoose[0].size:
            # Above a decision whose choice stays nothing changes; the others are
            # solved again in turn (below) if what is below them changed.
            deciders = rechoose[0]
            before = _take(self.choice, deciders)
            reach_from.append(self._choose(deciders, settled_below=True, groups=rechoose))
            flipped = deciders[(_take(self.choice, deciders) != before)[:, 0]]
            above = flat.parent[flipped]
            marked = np.concatenate([marked, above[above >= 0]])
        plan = self._plan_for(np.array(sorted(moved), np.int64),
                              np.array(sorted(paid), np.int64), marked)
        if plan.remainders is not None:
            self._settle_remainders(*plan.remainders)
        for level, rows, ends in plan.totals:
            if level == 0:
                self.cumulative[0] = self.payoff[0]
            else:
                with np.errstate(over="ignore", invalid="ignore"):
                    _put(self.cumulative, rows, _take(self.cumulative, flat.parent[rows])
                         + _take(self.payoff, rows))
            _put(self.values, ends, _take(self.cumulative, ends))
        for averaging, choosing in plan.steps:
            if averaging is not None:
                reach_from.append(self._average(*averaging))
            if choosing is not None:
                reach_from.append(self._choose(choosing[0], groups=choosing))
        self._reach_below(_unique(np.concatenate(reach_from)))
        changed = _unique(np.concatenate([plan.changed, flipped])) if flipped.size else \
            plan.changed
        return self._rescore(changed, players)

    def _plan_for(self, moved: np.ndarray, paid: np.ndarray, marked: np.ndarray) -> _Plan:
        """The plan of `_resolve`, kept for the last few sets of nodes (a slider touches
        the same ones at every step) until the tree's shape changes."""
        key = (moved.tobytes(), paid.tobytes(), marked.tobytes())
        plan = self._plans.pop(key, None)
        if plan is None:
            plan = self._plan(moved, paid, marked)
            if len(self._plans) >= _PLANS_KEPT:
                del self._plans[next(iter(self._plans))]
        self._plans[key] = plan
        return plan

    def _plan(self, moved: np.ndarray, paid: np.ndarray, marked: np.ndarray) -> _Plan:
        flat = self.flat
        depth = len(flat.levels)
        marks: list[list[np.ndarray]] = [[] for _ in range(depth)]
        changed: list[np.ndarray] = [_NO_NODES]
        remainders = None
        if moved.size:
            parents = _unique(flat.parent[moved])
            parents = parents[parents >= 0]
            if parents.size:
                remainders = (parents, *children_groups(flat, parents))
                self._mark(marks, parents)
        totals = []
        if paid.size:
            levels = self._levels_of(paid)
            below = _NO_NODES
            for level in range(int(levels.min()), depth):
                here = _unique(np.concatenate([paid[levels == level], below]))
                if not here.size:
                    if level > levels.max():
                        break
                    continue
                ends = flat.child_count[here] == 0
                totals.append((level, here, here[ends]))
                changed.append(here[ends])
                inner = here[~ends]
                marks[level].append(inner)
                below = children_groups(flat, inner)[0]
            above = flat.parent[paid]
            self._mark(marks, above[above >= 0])
        self._mark(marks, marked)
        steps = []
        for level in range(depth - 1, -1, -1):
            if not marks[level]:
                continue
            nodes = _unique(np.concatenate(marks[level]))
            nodes = nodes[flat.child_count[nodes] > 0]
            kind = flat.kind[nodes]
            chance = nodes[(kind == CHANCE_KIND) | (kind == ASSUMED_KIND)]
            choosing = nodes[kind == DECISION_KIND]
            averaging = (chance, *children_groups(flat, chance)[:2]) if chance.size else None
            choices = None
            if choosing.size:
                kids, starts, counts = children_groups(flat, choosing)
                choices = (choosing, kids, starts, counts,
                           np.repeat(flat.player[choosing], counts))
            steps.append((averaging, choices))
            changed.append(nodes)
            if level:
                marks[level - 1].append(flat.parent[nodes])
        return _Plan(remainders, tuple(totals), tuple(steps), _unique(np.concatenate(changed)))

    def _mark(self, marks: list[list[np.ndarray]], nodes: np.ndarray) -> None:
        if not nodes.size:
            return
        levels = self._levels_of(nodes)
        for level in _unique(levels).tolist():
            marks[level].append(nodes[levels == level])

    def _settle_remainders(self, parents: np.ndarray, kids: np.ndarray, starts: np.ndarray,
                           counts: np.ndarray) -> None:
        """The "#" branch of each parent takes what its siblings leave (as `solve`)."""
        remainder = self.flat.probability_kind[kids] == REMAINDER_PROBABILITY
        if remainder.any():
            others = np.where(remainder[:, None], 0.0, self.probability[kids])
            sums = reduceat(np.add, others, starts)
            group = np.repeat(np.arange(parents.size), counts)
            self.probability[kids[remainder]] = 1.0 - sums[group[remainder]]

    def _average(self, parents: np.ndarray, kids: np.ndarray, starts: np.ndarray
                 ) -> np.ndarray:
        """Chance parents (with their children grouped) as `solve` averages them;
        returns the children whose branch weight changed."""
        p = _take(self.probability, kids)
        before = _take(self.weight, kids)
        _put(self.weight, kids, p)
        with np.errstate(over="ignore", invalid="ignore"):
            averaged = reduceat(np.add, p[:, :, None] * _take(self.values, kids), starts)
        valid = self._check(parents, kids, starts, p)
        _put(self.valid, parents, valid)
        averaged[~valid] = np.nan
        _put(self.values, parents, averaged)
        self._outcomes(parents, kids, starts, ~valid, p)
        return kids[_differs(before, p)]

    def _choose(self, parents: np.ndarray, settled_below: bool = False,
                groups: tuple[np.ndarray, ...] | None = None) -> np.ndarray:
        """Decisions as `solve` makes them; returns the children whose weight changed.
        `settled_below`: the children's outcome shares are as they were, so only the
        parents whose choice changed need theirs again. `groups`: the parents with their
        children grouped and their owners, as `_decisions_of` keeps them."""
        flat = self.flat
        if groups is None:
            kids, starts, counts = children_groups(flat, parents)
            owner = np.repeat(flat.player[parents], counts)
        else:
            parents, kids, starts, counts, owner = groups
        values = _take(self.values, kids)
        with np.errstate(over="ignore", invalid="ignore"):
            if self._owner.ndim == 2:
                utility = np.einsum("msc,mc->ms", values, _take(self._owner, owner))
            else:
                utility = np.einsum("msc,smc->ms", values, self._owner[:, owner])
            if not np.isfinite(utility.sum()):
                utility[np.isinf(utility)] = np.nan
        best = np.repeat(reduceat(np.maximum, utility, starts), counts, axis=0)
        within = utility >= best - TIE_TOLERANCE * np.maximum(1.0, np.abs(best))
        m = kids.size
        position = np.where(within, np.arange(m)[:, None], m)
        first = reduceat(np.minimum, position, starts)
        _put(self.tie, parents, reduceat(np.add, within, starts) > 1)
        chosen = np.append(kids, -1)[first]
        _put(self.choice, parents, chosen)
        first_each = np.repeat(first, counts, axis=0)
        before = _take(self.weight, kids)
        weight = np.where(first_each == m, np.nan, position == first_each)
        _put(self.weight, kids, weight)
        padded = np.concatenate([values, np.full((1,) + values.shape[1:], np.nan)])
        _put(self.values, parents, _take(padded, first[:, 0]))
        differs = _differs(before, weight)
        if not settled_below:
            self._outcomes(parents, kids, starts, chosen < 0, weight)
        else:
            again = reduceat(np.logical_or, differs, starts)
            if again.any():
                kids_again, starts_again, _counts = children_groups(flat, parents[again])
                self._outcomes(parents[again], kids_again, starts_again, chosen[again] < 0,
                               _take(self.weight, kids_again))
        return kids[differs]

    def _outcomes(self, parents: np.ndarray, kids: np.ndarray, starts: np.ndarray,
                  undefined: np.ndarray, weight: np.ndarray) -> None:
        """The parents' outcome shares from their children's (`weight`: the children's)."""
        summed = reduceat(np.add, weight[:, :, None] * _take(self.outcomes, kids), starts)
        summed[undefined] = np.nan
        _put(self.outcomes, parents, summed)

    def _reach_below(self, nodes: np.ndarray) -> None:
        """The reach of `nodes` (whose branch weight changed) and all below them."""
        if not nodes.size:
            return
        flat, reach, weight = self.flat, self.reach.reshape(-1), self.weight.reshape(-1)
        levels = self._levels_of(nodes)
        # What lies below a node is one run of rows on each level: [low, high).
        low = high = _NO_NODES
        for level in range(int(levels.min()), len(flat.levels)):
            new = nodes[levels == level]
            low, high = _outermost(np.concatenate([low, new]), np.concatenate([high, new + 1]))
            sizes = high - low
            total = int(sizes.sum())
            if not total:
                if level >= levels.max():
                    break
            elif total * 2 >= high[-1] - low[0]:
                # Mostly covered: the whole span in slices (rows not changed come out the
                # same).
                span = slice(int(low[0]), int(high[-1]))
                reach[span] = reach[flat.parent[span]] * weight[span]
            else:
                rows = np.repeat(low - (np.cumsum(sizes) - sizes), sizes) + np.arange(total)
                reach[rows] = reach[flat.parent[rows]] * weight[rows]
            low, high = self._child_bounds[low], self._child_bounds[high]

    def _rescore(self, rows: np.ndarray, players: np.ndarray) -> bool:
        """Utilities of the rows whose totals changed, and every utility of `players`
        (whose weights changed); False when a total or a utility overflows (the full
        evaluation reports it)."""
        weights = self._shown_weights()
        finite_weights = bool(np.isfinite(weights).all())
        if players.size:
            values = self.values.reshape(self.flat.size, -1)
            columns = utilities(values, weights[players])
            self.utility[:, players] = columns
            if finite_weights and not np.isfinite(columns.sum()) and (
                    np.isnan(columns).any(axis=-1) & ~np.isnan(values).any(axis=-1)).any():
                return False
        values = _take(self.values, rows)[:, 0, :]
        if np.isinf(values).any():
            return False
        utility = utilities(values, weights)
        _put(self.utility, rows, utility)
        overflowed = np.isnan(utility).any(axis=-1) & ~np.isnan(values).any(axis=-1)
        if finite_weights and overflowed.any():
            return False
        self._results = None
        return True

    def _shown_weights(self) -> np.ndarray:
        return self._weights if self._weights.ndim == 2 else self._weights[0]

    # ---- probability problems -------------------------------------------------------
    def _check(self, parents: np.ndarray, children: np.ndarray | None = None,
               starts: np.ndarray | None = None, p: np.ndarray | None = None) -> np.ndarray:
        """Whether each parent's branches are probabilities adding up to 1 (q, 1), with
        the problems `solve` reports for them, kept per node (`children`, `starts` and
        their probabilities `p`, when the caller has them)."""
        flat = self.flat
        if children is None or starts is None or p is None:
            children, starts, _counts = children_groups(flat, parents)
            p = _take(self.probability, children)
        in_range = (p >= -PROBABILITY_RANGE_TOLERANCE) & (p <= 1 + PROBABILITY_RANGE_TOLERANCE)
        all_in_range = reduceat(np.logical_and, in_range, starts)
        sums = reduceat(np.add, p, starts)
        adds_up = np.abs(sums - 1) <= PROBABILITY_SUM_TOLERANCE
        if self._range_issues:
            for child in children.tolist():
                self._range_issues.pop(child, None)
        if self._sum_issues:
            for parent in parents.tolist():
                self._sum_issues.pop(parent, None)
        problems = _Problems(flat)
        for k in np.flatnonzero(~in_range.all(axis=1)).tolist():
            _range_problem(flat, int(children[k]), p[k], problems)
            if problems.issues:
                self._range_issues[int(children[k])] = problems.issues.pop()
        for k in np.flatnonzero((~adds_up & all_in_range).any(axis=1)).tolist():
            _sum_problem(flat, int(parents[k]), sums[k], problems)
            self._sum_issues[int(parents[k])] = problems.issues.pop()
        return all_in_range & adds_up

    def _probability_issues(self) -> tuple[Issue, ...]:
        """In `solve`'s order: out-of-range branches by node, then sums by parent."""
        return tuple([self._range_issues[k] for k in sorted(self._range_issues)]
                     + [self._sum_issues[k] for k in sorted(self._sum_issues)])


def _utilities_of(tree: Tree) -> list[Utility | None]:
    return [copy.deepcopy(player.utility) for player in tree.players or []]


def _same_shape(flat: FlatTree, **changes: Any) -> FlatTree:
    """A snapshot with other numbers or labels, keeping the id index if it was made (a
    million nodes' index takes a tenth of a second to make again at every slider step)."""
    made = flat.__dict__.get("index")
    if made is not None:
        changes.setdefault("given_index", made)
    return dataclasses.replace(flat, **changes)


def _take(array: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """`array[rows]`: `np.take` copies whole rows many times faster than indexing."""
    return np.take(array, rows, axis=0)


def _put(array: np.ndarray, rows: np.ndarray, values: Any) -> None:
    """`array[rows] = values`, each row written as one item (many times faster than
    indexing for rows of several numbers)."""
    if not array.flags.c_contiguous or not rows.size:
        array[rows] = values
    elif array.ndim == 1 or array[0].size == 1:
        array.reshape(-1)[rows] = np.reshape(values, -1) if np.ndim(values) else values
    else:
        row = np.dtype((np.void, array[0].nbytes))
        items = np.ascontiguousarray(np.broadcast_to(values, (rows.size,) + array.shape[1:]),
                                     array.dtype)
        array.reshape(array.shape[0], -1).view(row)[rows, 0] = items.reshape(
            rows.size, -1).view(row)[:, 0]


def _outermost(low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Runs of rows [low, high) in order, without those inside another (runs below
    nodes on one level are apart or one inside the other)."""
    order = np.lexsort((-high, low))
    low, high = low[order], high[order]
    reached = np.maximum.accumulate(high)
    keep = np.concatenate(([True], low[1:] >= reached[:-1]))
    return low[keep], high[keep]


def _unique(nodes: np.ndarray) -> np.ndarray:
    """Sorted, without repeats (np.unique costs more on the few nodes of an edit)."""
    nodes = np.sort(nodes)
    return nodes[np.concatenate(([True], nodes[1:] != nodes[:-1]))] if nodes.size else nodes


def _differs(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Rows (m, 1) whose value changed, nan equal to nan."""
    same = (before == after) | (np.isnan(before) & np.isnan(after))
    return ~same[:, 0]


@dataclasses.dataclass(frozen=True)
class _Plan:
    """What `_resolve` solves again for an edit, level by level, as index arrays."""

    #: The parents of changed probabilities, their children grouped: (parents, kids,
    #: starts, counts).
    remainders: tuple[np.ndarray, ...] | None
    #: Paths totals from the root, top down: (level, rows, those that end the tree).
    totals: tuple[tuple[int, np.ndarray, np.ndarray], ...]
    #: Bottom up, per level: chance parents (parents, kids, starts) and decisions
    #: (parents, kids, starts, counts, owner of each kid), or None.
    steps: tuple[tuple[tuple[np.ndarray, ...] | None, tuple[np.ndarray, ...] | None], ...]
    changed: np.ndarray  # the rows whose totals may change, for their utilities


@dataclasses.dataclass(frozen=True)
class _FormulaGroups:
    """The formulas of the nodes grouped by text (each is worked out once), and which
    variables each group uses."""

    groups: tuple[tuple[str, tuple, np.ndarray, np.ndarray], ...]
    payoff_nodes: frozenset[int]

    def using(self, names: set[str]) -> list[tuple[str, tuple, np.ndarray, np.ndarray]]:
        return [group for group in self.groups if group[1][0].names & names]


def _formula_groups(flat: FlatTree) -> _FormulaGroups:
    groups = []
    for kind, terms in (("probability", flat.probability_terms),
                        ("payoff", flat.payoff_terms)):
        by_text: dict[str, list] = {}
        for term in terms:
            by_text.setdefault(term.text, []).append(term)
        groups += [(kind, tuple(ts), np.array([t.node for t in ts], np.int64),
                    np.array([t.column for t in ts], np.int64)) for ts in by_text.values()]
    return _FormulaGroups(tuple(groups), frozenset(t.node for t in flat.payoff_terms))
