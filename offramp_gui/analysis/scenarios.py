"""Scenarios side by side, and deciding in one world while living in another.

A column is the base case or a named scenario (its values set over the base case).
`compare` solves each and lines up what a reader asks of them: the choice at each
decision on a solved path, the value of each alternative of the first decision for a
player, and the chance of each outcome. `decide_and_live` solves the tree in the
world a player believes, holds that player's choices, and values them in the world
that is true (docs/cli.md, `offramp compare`).
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from ..model.columns import NodeColumns, columns_of
from ..model.scenarios import Scenario, Values, what_if, with_values
from ..model.tree import Settings, Tree
from .evaluate import Results, evaluate_tree
from .flatten import ASSUMED_KIND, DECISION_KIND, FlatTree, flatten_columns, with_values_of

BASE_CASE = "Base case"
#: The values the app's sliders have moved from the base case, as a column.
WHAT_IF = "What-if values"
#: Values closer than this are the same to a reader (display rounds far coarser).
SAME = 1e-9

S = TypeVar("S", bound=Settings)


def variant(settings: S, values: Values | None) -> S:
    """A copy of `settings` (a Tree shares its nodes) in the world of `values`: the
    base case with `values` set over it, and no what-if values."""
    copied = copy.copy(settings)
    copied.variables, copied.players = with_values(settings, values or Values())
    copied.base_case = None
    return copied


def scenario_named(settings: Settings, name: str) -> Scenario | None:
    """The scenario called `name` (or the base case or the what-if values, by their own
    names); None if none."""
    if name.casefold() == BASE_CASE.casefold():
        return Scenario(BASE_CASE)
    if name.casefold() == WHAT_IF.casefold() and settings.base_case is not None:
        return Scenario(WHAT_IF, what_if(settings))
    return next((s for s in settings.scenarios or [] if s.name == name), None)


def every_column(settings: Settings) -> list[Scenario]:
    """What a comparison shows unless told otherwise: the base case, the what-if values
    when some are set, then each scenario in the file's order."""
    moved = [Scenario(WHAT_IF, what_if(settings))] if settings.base_case is not None else []
    return [Scenario(BASE_CASE), *moved, *(settings.scenarios or [])]


def unknown_scenario(settings: Settings, name: str) -> str:
    known = ", ".join(f'"{s.name}"' for s in every_column(settings))
    return f'there is no scenario "{name}"; the tree has {known}'


@dataclass
class Column:
    name: str
    note: str | None
    results: Results


@dataclass
class DecisionRow:
    """A decision on some column's solved path: who decides and what each picks."""

    label: str
    decider: str
    choices: list[str | None]  # per column; None where it is off that column's path

    @property
    def differs(self) -> bool:
        return len(set(self.choices)) > 1


@dataclass
class ValueRow:
    label: str
    values: list[float]

    @property
    def differs(self) -> bool:
        finite = [v for v in self.values if math.isfinite(v)]
        return len(finite) != len(self.values) or (
            bool(finite) and max(finite) - min(finite) > SAME * max(1.0, *map(abs, finite)))


@dataclass
class Comparison:
    columns: list[Column]
    decisions: list[DecisionRow]
    #: The alternatives of the first decision on the path, valued by `player`.
    decision: str | None
    player: str | None
    alternatives: list[ValueRow]
    outcomes: list[ValueRow]
    values_are: str = "utility"
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        def number(value: float) -> float | None:
            return value if math.isfinite(value) else None

        return {
            "columns": [{"name": c.name, "note": c.note} for c in self.columns],
            "decisions": [{"decision": r.label, "decider": r.decider, "choices": r.choices,
                           "differs": r.differs} for r in self.decisions],
            "alternatives": {
                "decision": self.decision, "player": self.player, "values": self.values_are,
                "rows": [{"alternative": r.label, "values": [number(v) for v in r.values],
                          "differs": r.differs} for r in self.alternatives]},
            "outcomes": [{"outcome": r.label, "chances": [number(v) for v in r.values],
                          "differs": r.differs} for r in self.outcomes],
        }


def compare(tree: Settings, scenarios: list[Scenario], player: str | None = None,
            flat: FlatTree | None = None) -> Comparison:
    """Solve `tree` in each scenario (a `Scenario(BASE_CASE)` is the base case).

    `player`: a player id whose values of the alternatives are shown; by default the
    player who makes the first decision on the base case's solved path. `flat`: the
    tree's array form with any values, when already made (the app's). `tree` may be
    settings alone when `flat` serves every scenario (`served_by`).
    """
    solved = _Worlds(tree, flat)
    columns = [Column(s.name, s.note, solved.results(variant(tree, s.values)))
               for s in scenarios]
    first = columns[0].results
    flat = first.flat
    decisions = _decision_rows(columns)
    root_decision = _first_decision(first)
    players = flat.players
    alternatives: list[ValueRow] = []
    decision_label = None
    chosen_player = None
    values_are = "utility"
    if root_decision is not None:
        who = players.index(player) if player is not None else int(flat.player[root_decision])
        chosen_player = flat.labels.players[who]
        decision_label = flat.labels.node(root_decision, flat.ids[root_decision])
        start = int(flat.child_start[root_decision])
        risky = any(a.player == who for a in flat.risk)
        values_are = "certainty equivalent" if risky else "utility"
        for child in range(start, start + int(flat.child_count[root_decision])):
            alternatives.append(ValueRow(_label(flat, child), [
                float(_values_of(c.results)[child, who]) for c in columns]))
    outcome_labels = flat.labels.outcomes
    root_chances = [c.results.outcomes[0] for c in columns]
    outcomes = [ValueRow(label, [float(chances[k]) for chances in root_chances])
                for k, label in enumerate(outcome_labels)
                if any(chances[k] > 0 for chances in root_chances) or k < len(outcome_labels) - 1]
    return Comparison(columns, decisions, decision_label, chosen_player, alternatives,
                      outcomes, values_are)


def served_by(flat: FlatTree | None, settings: Settings, scenarios: list[Scenario]) -> bool:
    """Whether `flat` solves each of `scenarios` without the tree's nodes being read
    again: it is not a game's equilibrium, needs no closer look at the nodes (not
    `suspect`), and takes each scenario's values as they are (`with_values_of`). Then
    `compare` and `decide_and_live` need only `flat` and a copy of the settings, and
    can run on a worker while the nodes are edited."""
    return flat is not None and flat.held is None and not flat.suspect and all(
        with_values_of(flat, variant(settings, s.values)) is not None for s in scenarios)


class _Worlds:
    """One tree solved in several worlds: its nodes read and put in arrays once (or
    taken as given), each world's values set over them (only the settings differ)."""

    def __init__(self, tree: Settings, flat: FlatTree | None = None):
        self.tree = tree
        self.nodes: NodeColumns | None = None
        #: (A game's arrays hold the equilibrium shown: its worlds are made afresh.)
        self.flat = flat if flat is not None and flat.held is None else None

    def results(self, world: Settings, fixed: dict[str, str] | None = None) -> Results:
        flat = None if self.flat is None else with_values_of(self.flat, world)
        if flat is None:
            assert isinstance(self.tree, Tree), "settings alone need arrays that serve them"
            if self.nodes is None:
                self.nodes = columns_of(self.tree.root)
            flat = self.flat = flatten_columns(world, self.nodes)
        return evaluate_tree(world, fixed=fixed, flat=flat)  # type: ignore[arg-type]


def _values_of(results: Results) -> np.ndarray:
    return results.certainty if results.certainty is not None else results.utility


def _first_decision(results: Results) -> int | None:
    """The first decision on the solved path (the root, when it is one)."""
    path = _path(results)
    return path[0] if path else None


def _path(results: Results) -> list[int]:
    """The decisions reached on the solved path, in document order of levels."""
    flat = results.flat
    reached = (flat.kind == DECISION_KIND) & (flat.child_count > 0) & (results.reach > 0)
    return [int(i) for i in np.flatnonzero(reached)]


def _decision_rows(columns: list[Column]) -> list[DecisionRow]:
    flat = columns[0].results.flat
    on_path: dict[int, None] = {}
    for column in columns:
        on_path.update(dict.fromkeys(_path(column.results)))
    rows = []
    labels = [flat.labels.node(node, flat.ids[node]) for node in sorted(on_path)]
    for node, label in zip(sorted(on_path), labels):
        if labels.count(label) > 1:
            label = f"{label}, after {_label(flat, _top_branch(flat, node))}"
        choices = [_choice_label(column.results, node) for column in columns]
        rows.append(DecisionRow(label, flat.labels.players[int(flat.player[node])]
                                if flat.player[node] >= 0 else "—", choices))
    return rows


def _top_branch(flat: FlatTree, node: int) -> int:
    """The branch of the root that `node` lies under."""
    while flat.parent[node] > 0:
        node = int(flat.parent[node])
    return node


@dataclass
class TwoWorlds:
    """A player's choices made in the world it believes, lived in the world that is."""

    player: str
    believed: str
    true: str
    #: (decision, choice under the beliefs, best choice in the true world), on either path.
    choices: list[tuple[str, str | None, str | None]]
    value_of_policy: float  # in the true world, the player's choices held
    value_of_best: float  # in the true world, choosing knowing the truth
    values_are: str
    held: Results
    best: Results

    @property
    def regret(self) -> float:
        return self.value_of_best - self.value_of_policy

    def to_json(self) -> dict:
        def number(value: float) -> float | None:
            return value if math.isfinite(value) else None

        return {"player": self.player, "decides_in": self.believed, "lives_in": self.true,
                "values": self.values_are,
                "choices": [{"decision": d, "believed": a, "best": b}
                            for d, a, b in self.choices],
                "value_of_policy": number(self.value_of_policy),
                "value_of_best": number(self.value_of_best), "regret": number(self.regret)}


def decide_and_live(tree: Settings, believed: Scenario, true: Scenario,
                    player: str, flat: FlatTree | None = None) -> TwoWorlds:
    """`player` (an id) solves the tree in `believed` and keeps its choices at each of
    its decisions; the others choose in `true`, knowing those choices, as they would.
    `tree` and `flat` as in `compare`."""
    solved = _Worlds(tree, flat)
    in_beliefs = solved.results(variant(tree, believed.values))
    flat = in_beliefs.flat
    who = flat.players.index(player)
    deciding = ((flat.kind == DECISION_KIND) | (flat.kind == ASSUMED_KIND)) & (
        flat.child_count > 0) & (flat.player == who) & (in_beliefs.choice >= 0)
    policy = {flat.ids[i]: flat.ids[int(in_beliefs.choice[i])]
              for i in np.flatnonzero(deciding).tolist()}
    world = variant(tree, true.values)
    held = solved.results(world, fixed=policy)
    best = solved.results(world)
    risky = any(a.player == who for a in flat.risk)
    rows = []
    for i in sorted(set(_path(held)) | set(_path(best))):
        if int(flat.player[i]) == who:
            kept = policy.get(flat.ids[i])
            rows.append((flat.labels.node(i, flat.ids[i]),
                         None if kept is None else _label(flat, flat.index[kept]),
                         _choice_label(best, i)))
    return TwoWorlds(flat.labels.players[who], believed.name, true.name, rows,
                     float(_values_of(held)[0, who]), float(_values_of(best)[0, who]),
                     "certainty equivalent" if risky else "utility", held, best)


def player_at_stake(tree: Settings, believed: Scenario, true: Scenario,
                    flat: FlatTree | None = None) -> str:
    """The id of the player whose choices the two worlds change: the one deciding the
    first decision, on either world's solved path, chosen differently in them; else the
    player of the first decision; else the tree's first player. `tree` and `flat` as in
    `compare`."""
    seen = compare(tree, [believed, true], flat=flat)
    flat = seen.columns[0].results.flat
    changed = next((row.decider for row in seen.decisions if row.differs), seen.player)
    if changed in flat.labels.players:
        return flat.players[flat.labels.players.index(changed)]
    return tree.effective_players()[0].id


def _choice_label(results: Results, node: int) -> str | None:
    chosen = int(results.choice[node])
    if chosen < 0 or results.reach[node] <= 0:
        return None
    return _label(results.flat, chosen)


def _label(flat: FlatTree, child: int) -> str:
    """A branch in the reader's words."""
    return flat.labels.branches[child] or flat.labels.node(child, flat.ids[child])
