"""The base case, what-if values and named scenarios (docs/format.md, "Scenarios").

A tree's variables and players hold the values the app shows now. When some of them
are what-if values (a slider moved), `Tree.base_case` keeps their base values, so the
file can be written with the base case in its usual place and the what-if values
beside it. A scenario is a name, a note and the values it sets; the others keep their
base values. Plain Python: the engine and the app both build on this.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .tree import Number, Player, Settings, Variable


@dataclass
class Values:
    """Some variables' values and some players' weights (player id -> criterion id)."""

    variables: dict[str, Number] = field(default_factory=dict)
    weights: dict[str, dict[str, Number]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.variables) or any(self.weights.values())

    def count(self) -> int:
        return len(self.variables) + sum(len(w) for w in self.weights.values())


@dataclass
class Scenario:
    name: str
    values: Values = field(default_factory=Values)
    note: str | None = None
    extras: dict[str, Any] = field(default_factory=dict)


def numeric_values(settings: Settings) -> Values:
    """Every variable and weight given as a number (not an expression), as it is now."""
    return Values(
        {v.name: v.value for v in settings.variables or [] if not isinstance(v.value, str)},
        {p.id: {c: w for c, w in p.weights.items() if not isinstance(w, str)}
         for p in settings.players or []})


def base_values(settings: Settings) -> Values:
    """The base case: the values now, with each what-if value's base put back."""
    values = numeric_values(settings)
    base = settings.base_case
    if base is not None:
        values.variables.update(base.variables)
        for player, weights in base.weights.items():
            values.weights.setdefault(player, {}).update(weights)
    return values


def what_if(settings: Settings) -> Values:
    """The values that differ from the base case, as they are now."""
    base = settings.base_case
    if base is None:
        return Values()
    now = numeric_values(settings)
    return Values(
        {name: now.variables[name] for name in base.variables if name in now.variables},
        {player: {c: now.weights[player][c] for c in weights if c in now.weights.get(player, {})}
         for player, weights in base.weights.items()})


def moved(settings: Settings, values: Values) -> tuple[list[Variable] | None,
                                                       list[Player] | None, Values | None]:
    """The variables, players and base case after setting `values` as what-if values:
    an entry equal to its base value is no longer a what-if."""
    base = base_values(settings)
    variables = copy.deepcopy(settings.variables)
    for variable in variables or []:
        if variable.name in values.variables:
            variable.value = values.variables[variable.name]
    players = copy.deepcopy(settings.players)
    for player in players or []:
        for criterion, weight in values.weights.get(player.id, {}).items():
            player.weights[criterion] = weight
    kept = Values()
    for variable in variables or []:
        if variable.name in base.variables and variable.value != base.variables[variable.name]:
            kept.variables[variable.name] = base.variables[variable.name]
    for player in players or []:
        for criterion, now in player.weights.items():
            was = base.weights.get(player.id, {}).get(criterion)
            if was is not None and now != was:
                kept.weights.setdefault(player.id, {})[criterion] = was
    return variables, players, (kept or None)


def with_values(settings: Settings, values: Values) -> tuple[list[Variable] | None,
                                                             list[Player] | None]:
    """The variables and players of the base case with `values` set over it."""
    everything = base_values(settings)
    everything.variables.update(values.variables)
    for player, weights in values.weights.items():
        everything.weights.setdefault(player, {}).update(weights)
    variables, players, _ = moved(settings, everything)
    return variables, players


def weight_label(settings: Settings, player_id: str, criterion_id: str) -> str:
    """"Kyiv's weight on Sovereignty": a weight named by labels, for the user."""
    player = next((p.name for p in settings.players or [] if p.id == player_id), player_id)
    criterion = next((c.name for c in settings.effective_criteria() if c.id == criterion_id),
                     criterion_id)
    return f"{player}'s weight on {criterion}"


def renamed(values: Values, kind: str, old: str, new: str | None) -> Values:
    """`values` with a variable, player or criterion `old` called `new` (None: gone)."""
    def key(name: str) -> str | None:
        return new if name == old else name

    if kind == "variable":
        variables = {key(n): v for n, v in values.variables.items()}
        return Values({n: v for n, v in variables.items() if n is not None},
                      copy.deepcopy(values.weights))
    weights: dict[str, dict[str, Number]] = {}
    for player, amounts in values.weights.items():
        if kind == "player":
            renamed_player = key(player)
            if renamed_player is not None:
                weights[renamed_player] = dict(amounts)
        else:
            weights[player] = {c: w for c, w in ((key(c), w) for c, w in amounts.items())
                               if c is not None}
    return Values(dict(values.variables), weights)


def follow(settings: Settings, kind: str, old: str, new: str | None) -> dict[str, Any]:
    """The scenarios and base case after a rename (or a removal, `new` None), as the
    settings that change."""
    changed: dict[str, Any] = {}
    if kind not in ("variable", "player", "criterion"):
        return changed
    if settings.scenarios:
        scenarios = [Scenario(s.name, renamed(s.values, kind, old, new), s.note,
                              copy.deepcopy(s.extras)) for s in settings.scenarios]
        if scenarios != settings.scenarios:
            changed["scenarios"] = scenarios
    if settings.base_case is not None:
        base = renamed(settings.base_case, kind, old, new)
        if base != settings.base_case:
            changed["base_case"] = base or None
    return changed


def restore_base(settings: Settings) -> None:
    """Put the base case back in place of the what-if values (the command line
    evaluates the base case)."""
    if settings.base_case is not None:
        settings.variables, settings.players = with_values(settings, Values())
        settings.base_case = None
