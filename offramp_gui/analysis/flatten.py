"""Turn a Tree into frozen numpy arrays the engine can roll back without recursion.

Nodes are numbered breadth first, so every node's children are contiguous and every
depth is one contiguous slice: rollback works level by level on whole arrays.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import chain, compress, repeat
from operator import is_, is_not

import numpy as np

from ..model import expressions
from ..model.columns import CACHE_BLOCK, NodeColumns, columns_of
from ..model.expressions import ExpressionError
from ..model.issues import key_path
from ..model.limits import MAX_DEPTH
from ..model.tree import (
    CHANCE,
    DECISION,
    EXPONENTIAL,
    MAX_ID_LENGTH,
    REMAINDER,
    TERMINAL,
    Criterion,
    Player,
    Settings,
    Tree,
)
from ..model.validate import check_utilities, find_cycles, parse_cached
from .expr_eval import Compiled, compile_expr

TERMINAL_KIND, CHANCE_KIND, DECISION_KIND, ASSUMED_KIND = 0, 1, 2, 3
_KIND_CODES = {TERMINAL: TERMINAL_KIND, CHANCE: CHANCE_KIND, DECISION: DECISION_KIND}

NO_PROBABILITY, FIXED, EXPRESSION, REMAINDER_PROBABILITY, BROKEN = 0, 1, 2, 3, 4
_UNKNOWN_KIND, _UNKNOWN_OUTCOME = -1, -2
_SOLVE_VALUES = {None, "best", "assumed"}
_NUMBER = {float, int}
_NUMBER_OR_NONE = {float, int, type(None)}


@dataclass(frozen=True)
class FormulaTerm:
    """An expression in a node's probability or payoff, or a variable's value."""

    node: int  # node index, -1 for a variable, the player's index for a weight
    column: int  # criterion index for payoffs and weights, 0 otherwise
    field: str  # "probability", "payoff", "value" or "weight"
    path: str  # JSON path below its node or variable, e.g. ".payoff.risk"; whole for a weight
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
    distribution: dict | None = None
    description: str | None = None


@dataclass(frozen=True)
class Labels:
    """What a reader sees: branch and node names, and the names of the settings."""

    branches: tuple[str | None, ...]
    names: tuple[str | None, ...]
    criteria: tuple[str, ...]
    units: tuple[str | None, ...]
    players: tuple[str, ...]
    outcomes: tuple[str, ...]  # the last is the "null" category

    def node(self, i: int, fallback: str) -> str:
        """A node's own name, else the branch leading to it, else `fallback`."""
        return self.names[i] or self.branches[i] or fallback


@dataclass(frozen=True, eq=False)
class RiskAttitude:
    """A player whose utility is not linear in its score (docs/format.md, "Players")."""

    player: int  # index into players
    kind: str  # "exponential" or "piecewise"
    #: The risk tolerance R when a number; nan when an expression (`tolerance_term`) or
    #: when it is not valid (validate says why: then the player's values are nan).
    tolerance: float = float("nan")
    tolerance_term: FormulaTerm | None = None
    #: A piecewise utility's scores and utilities, increasing; empty when not valid.
    scores: np.ndarray = dataclasses.field(default_factory=lambda: np.empty(0))
    utilities: np.ndarray = dataclasses.field(default_factory=lambda: np.empty(0))


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
    weights: np.ndarray  # float64[P, C], nan where a weight is an expression
    variables: tuple[VariableDef, ...]  # in an order where each comes after its inputs
    labels: Labels
    title: str = ""
    #: False when the tree certainly breaks no structural rule (model.validate would
    #: find nothing); True when it may, and validate should look closer.
    suspect: bool = False
    #: Node id -> index, when whoever made this tree from another already has it (a
    #: patched tree); otherwise `index` makes it on first use.
    given_index: Mapping[str, int] | None = None
    #: True when every id matches the format's pattern (so none needs escaping in JSON).
    plain_ids: bool = False
    #: Weights given as expressions over the variables (worked out per sample by solve).
    weight_terms: tuple[FormulaTerm, ...] = ()
    #: The players whose utility is not linear, in the order of `players`; empty when
    #: every player is risk-neutral (the rollback then works as it always has).
    risk: tuple[RiskAttitude, ...] = ()
    #: Decision index -> the child index held there: in a game with information sets,
    #: the shown equilibrium's strategy at its sets (and the decisions above them), which
    #: every evaluation and analysis of this snapshot keeps (`evaluate.solve`).
    held: Mapping[int, int] | None = None

    @cached_property
    def index(self) -> Mapping[str, int]:
        """Node id -> index, made on first use; of a repeated id (an invalid tree), the
        first node's."""
        if self.given_index is not None:
            return self.given_index
        index = dict(zip(self.ids, range(len(self.ids))))
        if len(index) < len(self.ids):
            index = {node_id: i for i, node_id in reversed(list(enumerate(self.ids)))}
        return index

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
    return flatten_columns(tree, columns_of(tree.root))


def flatten_columns(settings: Settings, columns: NodeColumns) -> FlatTree:
    """Build the array form from a document's settings and its node columns."""
    criteria = settings.effective_criteria()
    players = settings.effective_players()
    compiled = _compiler()
    variables = _variables(settings, compiled)
    known = {v.name for v in variables if not v.broken}
    builder = _Builder(tuple(c.id for c in criteria), tuple(p.id for p in players),
                       tuple(o.id for o in settings.outcomes or []), known, compiled)
    builder.run(columns)
    weights = _weights(criteria, players)
    weight_terms = tuple(_weight_terms(settings, compiled, known))
    labels = Labels(
        branches=tuple(columns.branches), names=tuple(columns.names),
        criteria=tuple(c.name for c in criteria), units=tuple(c.unit for c in criteria),
        players=tuple(p.name for p in players),
        outcomes=tuple(o.name for o in settings.outcomes or []) + ("Unclassified",))
    flat = builder.freeze(settings.title, weights, variables, labels, tuple(columns.ids))
    risk = risk_attitudes(settings, known)
    if weight_terms or risk:
        flat = dataclasses.replace(flat, weight_terms=weight_terms, risk=risk)
    return flat


def _weights(criteria: list[Criterion], players: list[Player]) -> np.ndarray:
    """The players' weights (P, C); nan where a weight is an expression."""
    return np.array([[_weight(p.weights.get(c.id, 0)) for c in criteria] for p in players],
                    dtype=float).reshape(len(players), len(criteria))


def with_values_of(flat: FlatTree, settings: Settings) -> FlatTree | None:
    """`flat`'s nodes under the variables and weights of `settings`, a variant of the
    settings `flat` was made from that sets other values (a scenario): the nodes are
    not read again. None when the variant has other criteria or players, or another set
    of valid variables (a node formula could then read differently): flatten it."""
    criteria, players = settings.effective_criteria(), settings.effective_players()
    if (tuple(c.id for c in criteria) != flat.criteria
            or tuple(p.id for p in players) != flat.players):
        return None
    compiled = _compiler()
    variables = _variables(settings, compiled)
    known = {v.name for v in variables if not v.broken}
    if known != {v.name for v in flat.variables if not v.broken}:
        return None
    weights = _weights(criteria, players)
    return dataclasses.replace(
        flat, variables=tuple(variables), weights=weights,
        weight_terms=tuple(_weight_terms(settings, compiled, known)),
        risk=risk_attitudes(settings, known), given_index=flat.index)


def risk_attitudes(settings: Settings, known: set[str]) -> tuple[RiskAttitude, ...]:
    """The players' non-linear utilities; one that is not valid gets nan (validate says
    why)."""
    compiled = _compiler()
    invalid = {issue.path.split(".utility")[0] for issue in check_utilities(settings)}
    found = []
    for i, player in enumerate(settings.players or []):
        utility = player.utility
        if utility is None or utility.linear:
            continue
        if f"$.players[{i}]" in invalid:
            found.append(RiskAttitude(i, utility.kind))
        elif utility.kind == EXPONENTIAL:
            tolerance = utility.risk_tolerance
            if isinstance(tolerance, str):
                run, used = compiled(tolerance)
                term = FormulaTerm(i, 0, "risk_tolerance",
                                   f"$.players[{i}].utility.risk_tolerance", tolerance, run,
                                   used) if used <= known else None
                found.append(RiskAttitude(i, utility.kind, tolerance_term=term))
            else:
                found.append(RiskAttitude(i, utility.kind, float(tolerance or 0)))
        else:
            points = np.array(utility.points, dtype=float)
            found.append(RiskAttitude(i, utility.kind, scores=points[:, 0],
                                      utilities=points[:, 1]))
    return tuple(found)


_Compiler = Callable[[str], tuple[Compiled, frozenset[str]]]


def _compiler() -> _Compiler:
    """Compile each distinct text once per tree, and name the variables it uses.

    100,000 nodes that share a formula share its compiled form, rather than holding
    100,000 copies of it.
    """
    done: dict[str, tuple[Compiled, frozenset[str]]] = {}

    def compiled(text: str) -> tuple[Compiled, frozenset[str]]:
        found = done.get(text)
        if found is None:
            expr = parse_cached(text)
            found = done[text] = (compile_expr(expr), frozenset(expressions.names(expr)))
        return found
    return compiled


def _weight(value: object) -> float:
    return float(value) if isinstance(value, (int, float)) else float("nan")


def _weight_terms(settings: Settings, compiled: _Compiler,
                  known: set[str]) -> Iterator[FormulaTerm]:
    """The weights written as expressions that can be worked out; the others stay nan
    (validate says why)."""
    columns = {c.id: k for k, c in enumerate(settings.effective_criteria())}
    for i, player in enumerate(settings.players or []):
        for criterion, text in player.weights.items():
            if not isinstance(text, str) or criterion not in columns:
                continue
            try:
                run, used = compiled(text)
            except ExpressionError:
                continue
            if used <= known:
                yield FormulaTerm(i, columns[criterion], "weight",
                                  key_path(f"$.players[{i}].weights", criterion), text, run,
                                  used)


class _Builder:
    def __init__(self, criteria: tuple, players: tuple, outcomes: tuple, known: set[str],
                 compiled: _Compiler):
        self.compiled = compiled
        self.criterion_index = {c: k for k, c in enumerate(criteria)}
        self.player_index = {p: k for k, p in enumerate(players)}
        self.single_player = len(players) == 1
        self.outcome_index = {o: k for k, o in enumerate(outcomes)}
        self.null_outcome = len(outcomes)
        self.known = known
        self.probability_terms: list[FormulaTerm] = []
        self.payoff_terms: list[FormulaTerm] = []

    def run(self, columns: NodeColumns) -> None:
        counts = columns.counts
        self.levels = columns.levels
        self.child_count = np.fromiter(counts, np.int64, len(counts))
        self.child_start = np.cumsum(self.child_count) - self.child_count + 1
        self.parent = np.concatenate([[-1], np.repeat(np.arange(len(counts)), self.child_count)])
        self.suspect = columns.information_sets  # (their rules span several nodes)
        self._kinds_and_players(columns)
        self._probabilities(columns.probabilities)
        self._payoffs(columns.payoffs)
        self.suspect = self.suspect or _suspect_shape(self, columns)

    def _kinds_and_players(self, columns: NodeColumns) -> None:
        kind = _codes(columns.types, _KIND_CODES, _UNKNOWN_KIND, np.int8)
        deciding = kind == DECISION_KIND
        player = _codes(columns.players, self.player_index, -1, np.int64)
        if self.single_player:
            unnamed = np.frombuffer(bytes(map(is_, columns.players, repeat(None))), bool)
            player[deciding & unnamed] = 0
        player[~deciding] = -1
        assumed = _codes(columns.solves, {"assumed": True}, False, bool)
        kind[deciding & assumed] = ASSUMED_KIND
        solves = set(compress(columns.solves, deciding.tolist()))
        self.suspect = self.suspect or bool((player[deciding] < 0).any()) or not (
            solves <= _SOLVE_VALUES)
        outcome = _codes(columns.outcomes, {None: self.null_outcome, **self.outcome_index},
                         _UNKNOWN_OUTCOME, np.int64)
        self.suspect = self.suspect or bool((kind == _UNKNOWN_KIND).any())
        kind[kind == _UNKNOWN_KIND] = TERMINAL_KIND
        self.kind, self.player, self.outcome = kind, player, outcome

    def _probabilities(self, values: list) -> None:
        if set(map(type, values)) <= _NUMBER_OR_NONE:
            numbers = np.array(values, float)  # (None becomes nan)
        else:
            numbers = np.array([v if type(v) is float or type(v) is int else np.nan
                                for v in values], float)
        kinds = np.where(np.isnan(numbers), NO_PROBABILITY, FIXED).astype(np.int8)
        # Only the few nodes whose probability is neither a number nor missing need a look.
        unusual = [i for i in np.flatnonzero(np.isnan(numbers)).tolist()
                   if values[i] is not None]
        for i in unusual:
            value = values[i]
            if type(value) is not str:  # true, [], {}, nan…
                kinds[i] = BROKEN
                continue
            if value == REMAINDER:
                kinds[i] = REMAINDER_PROBABILITY
                continue
            term = self._term(i, 0, "probability", ".probability", value)
            kinds[i] = EXPRESSION if term else BROKEN
            if term:
                self.probability_terms.append(term)
        self.suspect = self.suspect or bool((kinds == BROKEN).any())
        self.probability_kind, self.probability = kinds, numbers

    def _payoffs(self, values: list) -> None:
        plain = self._plain_payoffs(values)
        self.payoff = self._any_payoffs(values) if plain is None else plain

    def _plain_payoffs(self, values: list) -> np.ndarray | None:
        """The payoffs when each node has none or an object of numbers by criteria
        (the usual tree), else None. Read block by block: iterating over a Python
        object touches its memory, and a block's objects stay in the CPU's cache."""
        criteria = list(self.criterion_index)
        parts: list[list[np.ndarray]] = [[] for _ in criteria]
        in_object: list[bool] = []
        keys = found = 0
        try:
            for start in range(0, len(values), CACHE_BLOCK):
                block = values[start:start + CACHE_BLOCK]
                flags = list(map(is_not, block, repeat(None)))
                objects = list(compress(block, flags))
                in_object += flags
                keys += sum(map(len, objects))
                for part, criterion in zip(parts, criteria):
                    amounts = list(map(dict.get, objects, repeat(criterion)))
                    types = set(map(type, amounts))
                    if not types <= _NUMBER_OR_NONE:
                        return None
                    numbers = np.array(amounts, float)
                    found += len(amounts)
                    if type(None) in types:  # a criterion some objects leave out: 0 there
                        absent = np.array(list(map(is_, amounts, repeat(None))), bool)
                        numbers[absent] = 0.0
                        found -= int(absent.sum())
                    part.append(numbers)
        except TypeError:  # a number or a formula outside an object
            return None
        if found != keys:  # a key that is not a criterion, or a null amount
            return None
        payoff = np.zeros((len(values), len(criteria)))
        # (bytes() takes bools several times quicker than numpy does)
        rows = np.flatnonzero(np.frombuffer(bytes(in_object), bool))
        for k, part in enumerate(parts):
            payoff[rows, k] = np.concatenate(part)
        return payoff

    def _any_payoffs(self, values: list) -> np.ndarray:
        columns = self.criterion_index
        single = len(columns) == 1
        in_object: list[bool] = []
        sizes: list[int] = []
        keys: list = []
        amounts: list = []
        # Every object's keys and amounts in two flat lists, block by block, so that
        # the passes over the same objects hit the CPU's cache.
        for start in range(0, len(values), CACHE_BLOCK):
            block = values[start:start + CACHE_BLOCK]
            flags = list(map(isinstance, block, repeat(dict)))
            in_object += flags
            objects = list(compress(block, flags))
            sizes += map(len, objects)
            keys += chain.from_iterable(objects)
            amounts += chain.from_iterable(map(dict.values, objects))
        loose = len(sizes) < len(values) - values.count(None)
        payoff = np.zeros((len(values), len(columns)))
        rows = np.repeat(np.flatnonzero(in_object), sizes)
        codes = list(map(columns.get, keys))
        if None in codes or (loose and not single):
            self.suspect = True
            known = [code is not None for code in codes]
            rows = rows[known]
            codes, amounts = list(compress(codes, known)), list(compress(amounts, known))
        code = np.array(codes, np.intp)
        # (numpy would also take true, or text such as "1e3", as a number)
        if set(map(type, amounts)) <= _NUMBER:
            payoff[rows, code] = amounts
        else:  # formulas (or worse) among the numbers: criterion by criterion, as written
            criteria = list(columns)
            for k in np.lexsort((rows, code)).tolist():
                self._payoff_amount(payoff, int(rows[k]), criteria[code[k]], amounts[k], True)
        if loose and single:
            for row, value in enumerate(values):
                if value is not None and type(value) is not dict:
                    self._payoff_amount(payoff, row, next(iter(columns)), value, False)
        return payoff

    def _payoff_amount(self, payoff: np.ndarray, i: int, criterion: str, amount: object,
                       in_object: bool) -> None:
        if type(amount) is float or type(amount) is int:
            payoff[i, self.criterion_index[criterion]] = amount
        else:
            self._payoff_formula(payoff, i, criterion, amount, in_object)

    def _payoff_formula(self, payoff: np.ndarray, i: int, criterion: str, amount: object,
                        in_object: bool) -> None:
        column = self.criterion_index[criterion]
        path = key_path(".payoff", criterion) if in_object else ".payoff"
        term = self._term(i, column, "payoff", path, amount)
        if term:
            self.payoff_terms.append(term)
            payoff[i, column] = 0.0
        else:
            self.suspect = True

    def _term(self, i: int, column: int, field_name: str, path: str,
              text: object) -> FormulaTerm | None:
        if not isinstance(text, str):
            return None
        try:
            run, used = self.compiled(text)
        except ExpressionError:
            return None
        if not used <= self.known:
            return None
        return FormulaTerm(i, column, field_name, path, text, run, used)

    def freeze(self, title: str, weights: np.ndarray, variables: list[VariableDef],
               labels: Labels, ids: tuple[str, ...]) -> FlatTree:
        plain_ids, repeated = _read_ids(ids)
        return FlatTree(
            ids=ids, parent=self.parent.astype(np.int64), kind=self.kind,
            child_start=self.child_start, child_count=self.child_count,
            levels=tuple(self.levels),
            player=self.player, outcome=self.outcome, probability_kind=self.probability_kind,
            probability=self.probability, payoff=self.payoff,
            probability_terms=tuple(self.probability_terms),
            payoff_terms=tuple(self.payoff_terms), criteria=tuple(self.criterion_index),
            players=tuple(self.player_index), outcomes=tuple(self.outcome_index),
            weights=weights, variables=tuple(variables), labels=labels, title=title,
            suspect=self.suspect or repeated or not plain_ids, plain_ids=plain_ids,
        )


#: The characters of an id (`model.validate.ID_PATTERN`), as bytes.
_ID_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-"


def _read_ids(ids: tuple[str, ...]) -> tuple[bool, bool]:
    """Whether every id matches the format's pattern, and whether any id repeats.

    Each block of ids is joined and put in a set while its strings are in the CPU's
    cache. The pattern is checked by one byte translation over the joined ids, several
    times quicker than a regular expression, and their lengths by where the line breaks
    between them are."""
    seen: set[str] = set()
    joined_blocks = []
    try:
        for start in range(0, len(ids), CACHE_BLOCK):
            block = ids[start:start + CACHE_BLOCK]
            joined_blocks.append("\n".join(block))
            seen.update(block)
    except TypeError:  # an id that is not text: raised as it was, with its place in all ids
        "\n".join(ids)
        raise
    repeated = len(seen) < len(ids)
    joined = "\n".join(joined_blocks)
    if not joined.isascii():
        return False, repeated
    encoded = joined.encode("ascii")
    if encoded.translate(None, _ID_BYTES) != b"\n" * (len(ids) - 1):
        return False, repeated
    breaks = np.flatnonzero(np.frombuffer(encoded, np.uint8) == ord("\n"))
    spans = np.diff(breaks, prepend=-1, append=len(encoded))  # each id's length + 1
    return bool(spans.min() >= 2 and spans.max() <= MAX_ID_LENGTH + 1), repeated


def _codes(values: list, table: dict, missing: object, dtype: type) -> np.ndarray:
    """`table`'s entry for each value, `missing` where it has none."""
    # (`any` stops at the first value set: the count runs only over a field no node has.)
    if not any(values) and values.count(None) == len(values):
        return np.full(len(values), table.get(None, missing), dtype)
    try:
        return np.fromiter(map(table.get, values, repeat(missing)), dtype, len(values))
    except TypeError:  # a list or an object among the values (an invalid tree)
        return np.array([missing if isinstance(v, (list, dict)) else table.get(v, missing)
                         for v in values], dtype)


def _suspect_shape(built: _Builder, columns: NodeColumns) -> bool:
    """Rules about where children, players, outcomes and probabilities may be."""
    kind, count, parent = built.kind, built.child_count, built.parent
    decision = (kind == DECISION_KIND) | (kind == ASSUMED_KIND)
    terminal = kind == TERMINAL_KIND
    if (terminal != (count == 0)).any() or len(built.levels) > MAX_DEPTH + 1:
        return True
    if columns.branches[0] is not None or (built.outcome == _UNKNOWN_OUTCOME).any():
        return True
    chooses_not = (~decision).tolist()
    if set(compress(columns.players, chooses_not)) - {None} or set(
            compress(columns.solves, chooses_not)) - {None}:
        return True
    if set(compress(columns.outcomes, (~terminal).tolist())) - {None}:
        return True
    takes = (kind == CHANCE_KIND) | (kind == ASSUMED_KIND)
    wants = np.concatenate([[False], takes[parent[1:]]])
    has = built.probability_kind != NO_PROBABILITY
    if (wants != has).any():
        return True
    remainders = parent[built.probability_kind == REMAINDER_PROBABILITY]
    return remainders.size > 0 and np.bincount(remainders).max() > 1


def _variables(tree: Settings, compiled: _Compiler) -> list[VariableDef]:
    """Variables in dependency order; broken ones (already reported) are marked."""
    defs: dict[str, VariableDef] = {}
    depends: dict[str, set[str]] = {}
    for position, var in enumerate(tree.variables or []):
        if var.name in defs:
            continue
        formula, broken = None, False
        if isinstance(var.value, str):
            try:
                run, used = compiled(var.value)
                formula = FormulaTerm(-1, 0, "value", ".value", var.value, run, used)
            except ExpressionError:
                broken = True
        value = float("nan") if isinstance(var.value, str) else float(var.value)
        defs[var.name] = VariableDef(position, var.name, value, formula, var.min, var.max,
                                     broken, var.distribution, var.description)
        depends[var.name] = set(formula.names) if formula else set()
    in_cycle = {name for cycle in find_cycles(depends) for name in cycle}
    rank = _ranks(depends, in_cycle)
    ordered: list[VariableDef] = []
    for name in sorted(defs, key=rank.__getitem__):
        definition = defs[name]
        bad = (definition.broken or name in in_cycle or not depends[name] <= defs.keys()
               or any(defs[d].broken for d in depends[name] if d in defs))
        if bad != definition.broken:
            defs[name] = definition = dataclasses.replace(definition, broken=bad)
        ordered.append(definition)
    return ordered


def _ranks(depends: dict[str, set[str]], in_cycle: set[str]) -> dict[str, tuple[int, int]]:
    """Each variable's place: (its level, its place in the file).

    Level 0 holds the variables that need no other, or that cannot be worked out (in a
    circle, or using a name that is not a variable); every other one is a level above
    its highest input. Found in one pass over the uses (Kahn's topological sort), where
    comparing every variable with every other took minutes for 20,000 in a chain.
    """
    level: dict[str, int] = {}
    waiting: dict[str, int] = {}
    users: dict[str, list[str]] = {}
    ready: list[str] = []
    for name, used in depends.items():
        if not used or name in in_cycle or not used <= depends.keys():
            level[name] = 0
            ready.append(name)
        else:
            waiting[name] = len(used)
            for input_name in used:
                users.setdefault(input_name, []).append(name)
    while ready:
        name = ready.pop()
        for user in users.get(name, ()):
            level[user] = max(level.get(user, 0), level[name] + 1)
            waiting[user] -= 1
            if not waiting[user]:
                ready.append(user)
    return {name: (level[name], place) for place, name in enumerate(depends)}
