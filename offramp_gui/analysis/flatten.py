"""Turn a Tree into frozen numpy arrays the engine can roll back without recursion.

Nodes are numbered breadth first, so every node's children are contiguous and every
depth is one contiguous slice: rollback works level by level on whole arrays.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from ..model import expressions
from ..model.expressions import ExpressionError
from ..model.issues import key_path
from ..model.tree import CHANCE, DECISION, REMAINDER, TERMINAL, Tree
from ..model.validate import find_cycles, parse_cached
from .expr_eval import Compiled, compile_expr

TERMINAL_KIND, CHANCE_KIND, DECISION_KIND, ASSUMED_KIND = 0, 1, 2, 3
_KIND_CODES = {TERMINAL: TERMINAL_KIND, CHANCE: CHANCE_KIND, DECISION: DECISION_KIND}

NO_PROBABILITY, FIXED, EXPRESSION, REMAINDER_PROBABILITY, BROKEN = 0, 1, 2, 3, 4


@dataclass(frozen=True)
class FormulaTerm:
    """An expression in a node's probability or payoff, or a variable's value."""

    node: int  # node index, or -1 for a variable
    column: int  # criterion index for payoffs, 0 otherwise
    field: str  # "probability", "payoff" or "value"
    path: str  # JSON path of the expression below its node or variable, e.g. ".payoff.risk"
    text: str
    compiled: Compiled
    names: frozenset[str]


@dataclass(frozen=True)
class VariableDef:
    position: int  # index in the file's list of variables
    name: str
    value: float  # the number in the file; nan when the value is an expression
    formula: FormulaTerm | None
    low: float | None
    high: float | None
    broken: bool  # a cycle, an undefined name or a syntax error (reported by validate)


@dataclass(frozen=True, eq=False)
class FlatTree:
    """Immutable array form of a tree. Index 0 is the root."""

    ids: tuple[str, ...]
    parent: np.ndarray  # int64[n], -1 at the root
    kind: np.ndarray  # int8[n]
    child_start: np.ndarray  # int64[n], first child's index (n for terminals)
    child_count: np.ndarray  # int64[n]
    levels: tuple[tuple[int, int], ...]  # (start, end) of each depth
    player: np.ndarray  # int64[n], index into players or -1
    outcome: np.ndarray  # int64[n], index into outcomes; len(outcomes) is "null"
    probability_kind: np.ndarray  # int8[n]
    probability: np.ndarray  # float64[n], fixed probabilities (nan elsewhere)
    payoff: np.ndarray  # float64[n, C], fixed payoffs (nan where broken)
    probability_terms: tuple[FormulaTerm, ...]
    payoff_terms: tuple[FormulaTerm, ...]
    criteria: tuple[str, ...]
    players: tuple[str, ...]
    outcomes: tuple[str, ...]  # outcome ids; results add "null" after them
    weights: np.ndarray  # float64[P, C]
    variables: tuple[VariableDef, ...]  # in an order where each comes after its inputs
    title: str = ""
    index: dict[str, int] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.ids)

    def children(self, i: int) -> range:
        start = int(self.child_start[i])
        return range(start, start + int(self.child_count[i]))

    def json_path(self, i: int) -> str:
        steps = []
        while self.parent[i] >= 0:
            p = int(self.parent[i])
            steps.append(i - int(self.child_start[p]))
            i = p
        return "$.root" + "".join(f".children[{k}]" for k in reversed(steps))

    def variable_names(self) -> list[str]:
        return [v.name for v in self.variables]


def flatten(tree: Tree) -> FlatTree:
    """Build the array form of `tree`; broken parts become nan (validate names them)."""
    criteria = tuple(c.id for c in tree.effective_criteria())
    players = tree.effective_players()
    player_ids = tuple(p.id for p in players)
    outcome_ids = tuple(o.id for o in tree.outcomes or [])
    variables = _variables(tree)
    known = {v.name for v in variables if not v.broken}
    builder = _Builder(criteria, player_ids, outcome_ids, known)
    builder.run(tree)
    weights = np.array([[_weight(p.weights.get(c, 0)) for c in criteria] for p in players],
                       dtype=float).reshape(len(players), len(criteria))
    return builder.freeze(tree.title, criteria, player_ids, outcome_ids, weights, variables)


def _weight(value: object) -> float:
    return float(value) if isinstance(value, (int, float)) else float("nan")


class _Builder:
    def __init__(self, criteria: tuple, players: tuple, outcomes: tuple, known: set[str]):
        self.criterion_index = {c: k for k, c in enumerate(criteria)}
        self.player_index = {p: k for k, p in enumerate(players)}
        self.single_player = len(players) == 1
        self.outcome_index = {o: k for k, o in enumerate(outcomes)}
        self.null_outcome = len(outcomes)
        self.known = known
        self.probability_terms: list[FormulaTerm] = []
        self.payoff_terms: list[FormulaTerm] = []

    def run(self, tree: Tree) -> None:
        order = [tree.root]
        parent = [-1]
        levels: list[tuple[int, int]] = []
        child_start, child_count = [], []
        level_start = 0
        while level_start < len(order):
            level_end = len(order)
            levels.append((level_start, level_end))
            for i in range(level_start, level_end):
                kids = order[i].children
                child_start.append(len(order))
                child_count.append(len(kids))
                order.extend(kids)
                parent.extend([i] * len(kids))
            level_start = level_end
        self.order, self.parent, self.levels = order, parent, levels
        self.child_start, self.child_count = child_start, child_count
        self._node_data()

    def _node_data(self) -> None:
        n, columns = len(self.order), len(self.criterion_index)
        self.kind = np.zeros(n, np.int8)
        self.player = np.full(n, -1, np.int64)
        self.outcome = np.full(n, self.null_outcome, np.int64)
        self.probability_kind = np.zeros(n, np.int8)
        self.probability = np.full(n, np.nan)
        self.payoff = np.zeros((n, columns))
        for i, node in enumerate(self.order):
            code = _KIND_CODES.get(node.type, TERMINAL_KIND)
            if code == DECISION_KIND:
                if node.solve == "assumed":
                    code = ASSUMED_KIND
                player = node.player
                if player is None and self.single_player:
                    self.player[i] = 0
                else:
                    self.player[i] = self.player_index.get(player, -1)
            elif code == TERMINAL_KIND and node.outcome is not None:
                self.outcome[i] = self.outcome_index.get(node.outcome, self.null_outcome)
            self.kind[i] = code
            if node.probability is not None:
                self._probability(i, node.probability)
            if node.payoff is not None:
                self._payoff(i, node.payoff)

    def _probability(self, i: int, value: object) -> None:
        if isinstance(value, (int, float)):
            self.probability_kind[i], self.probability[i] = FIXED, value
        elif value == REMAINDER:
            self.probability_kind[i] = REMAINDER_PROBABILITY
        else:
            term = self._term(i, 0, "probability", ".probability", value)
            self.probability_kind[i] = EXPRESSION if term else BROKEN
            if term:
                self.probability_terms.append(term)

    def _payoff(self, i: int, value: object) -> None:
        items = value.items() if isinstance(value, dict) else [(None, value)]
        for criterion, amount in items:
            column = 0 if criterion is None else self.criterion_index.get(criterion)
            if column is None or (criterion is None and len(self.criterion_index) != 1):
                continue
            if isinstance(amount, (int, float)):
                self.payoff[i, column] = amount
                continue
            path = ".payoff" if criterion is None else key_path(".payoff", criterion)
            term = self._term(i, column, "payoff", path, amount)
            if term:
                self.payoff_terms.append(term)
            else:
                self.payoff[i, column] = np.nan

    def _term(self, i: int, column: int, field_name: str, path: str,
              text: object) -> FormulaTerm | None:
        if not isinstance(text, str):
            return None
        try:
            expr = parse_cached(text)
        except ExpressionError:
            return None
        used = frozenset(expressions.names(expr))
        if not used <= self.known:
            return None
        return FormulaTerm(i, column, field_name, path, text, compile_expr(expr), used)

    def freeze(self, title, criteria, players, outcomes, weights, variables) -> FlatTree:  # noqa: ANN001
        ids = tuple(node.id for node in self.order)
        return FlatTree(
            ids=ids, parent=np.array(self.parent, np.int64), kind=self.kind,
            child_start=np.array(self.child_start, np.int64),
            child_count=np.array(self.child_count, np.int64), levels=tuple(self.levels),
            player=self.player, outcome=self.outcome, probability_kind=self.probability_kind,
            probability=self.probability, payoff=self.payoff,
            probability_terms=tuple(self.probability_terms),
            payoff_terms=tuple(self.payoff_terms), criteria=criteria, players=players,
            outcomes=outcomes, weights=weights, variables=tuple(variables), title=title,
            index={node_id: i for i, node_id in reversed(list(enumerate(ids)))},
        )


def _variables(tree: Tree) -> list[VariableDef]:
    """Variables in dependency order; broken ones (already reported) are marked."""
    defs: dict[str, VariableDef] = {}
    depends: dict[str, set[str]] = {}
    for position, var in enumerate(tree.variables or []):
        if var.name in defs:
            continue
        formula, broken = None, False
        if isinstance(var.value, str):
            try:
                expr = parse_cached(var.value)
                used = frozenset(expressions.names(expr))
                formula = FormulaTerm(-1, 0, "value", ".value", var.value, compile_expr(expr),
                                      used)
            except ExpressionError:
                broken = True
        value = float("nan") if isinstance(var.value, str) else float(var.value)
        defs[var.name] = VariableDef(position, var.name, value, formula, var.min, var.max,
                                     broken)
        depends[var.name] = set(formula.names) if formula else set()
    in_cycle = {name for cycle in find_cycles(depends) for name in cycle}
    ordered: list[VariableDef] = []
    done: set[str] = set()
    pending = list(defs)
    while pending:
        progress = [n for n in pending if depends[n] <= done or n in in_cycle
                    or not depends[n] <= defs.keys()]
        if not progress:
            progress = pending
        for name in progress:
            var = defs[name]
            bad = (var.broken or name in in_cycle or not depends[name] <= defs.keys()
                   or any(defs[d].broken for d in depends[name] if d in defs))
            defs[name] = dataclasses.replace(var, broken=bad)
            ordered.append(defs[name])
            done.add(name)
        pending = [n for n in pending if n not in done]
    return ordered

