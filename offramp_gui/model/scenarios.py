"""The base case, what-if values and named scenarios (docs/format.md, "Scenarios").

A tree's variables and players hold the values the app shows now. When some of them
are what-if values (a slider moved), `Tree.base_case` keeps their base values, so the
file can be written with the base case in its usual place and the what-if values
beside it. A scenario is a name, a note and the values it sets; the others keep their
base values. Plain Python: the engine and the app both build on this.
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .tree import Number, Player, Settings, Value, Variable


@dataclass
class Values:
    """Some variables' values and some players' weights (player id -> criterion id).

    In a base case only, a weight of None says that the base case gives the player no
    weight on that criterion (0), so that going back to it leaves none, as the file had.
    """

    variables: dict[str, Number] = field(default_factory=dict)
    weights: dict[str, dict[str, Number | None]] = field(default_factory=dict)

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


def _with_base(settings: Settings) -> Values:
    """The values now, with each what-if value's base put back (None where the base
    case gives no weight)."""
    values = numeric_values(settings)
    base = settings.base_case
    if base is not None:
        values.variables.update(base.variables)
        for player, weights in base.weights.items():
            values.weights.setdefault(player, {}).update(weights)
    return values


def base_values(settings: Settings) -> Values:
    """The base case: the values now, with each what-if value's base put back (a
    weight the base case does not give is left out)."""
    values = _with_base(settings)
    values.weights = {player: {c: w for c, w in weights.items() if w is not None}
                      for player, weights in values.weights.items()}
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
    an entry equal to its base value is no longer a what-if, and takes the base's own
    number (100, not 100.0), so that the file is written as it was."""
    base = base_values(settings)
    variables = copy.deepcopy(settings.variables)
    for variable in variables or []:
        if variable.name in values.variables:
            variable.value = values.variables[variable.name]
    players = copy.deepcopy(settings.players)
    for player in players or []:
        for criterion, weight in values.weights.get(player.id, {}).items():
            if weight is None:
                player.weights.pop(criterion, None)
            else:
                player.weights[criterion] = weight
    kept = Values()
    for variable in variables or []:
        if variable.name in base.variables and not isinstance(variable.value, str):
            was = base.variables[variable.name]
            if variable.value != was:
                kept.variables[variable.name] = was
            else:
                variable.value = was
    for player in players or []:
        _keep_weights(player, base.weights.get(player.id, {}), kept)
    return variables, players, (kept or None)


def _keep_weights(player: Player, base: dict[str, Number | None], kept: Values) -> None:
    """Note in `kept` the base of each of the player's weights that differs from it
    (None: the base case gives none); a weight equal to its base takes the base's."""
    for criterion, now in list(player.weights.items()):
        if isinstance(now, str):
            continue
        if criterion in base:
            was = base[criterion]
            if now != was:
                kept.weights.setdefault(player.id, {})[criterion] = was
            elif was is not None:
                player.weights[criterion] = was
        elif now == 0:
            del player.weights[criterion]  # as the base case has it: no weight
        else:
            kept.weights.setdefault(player.id, {})[criterion] = None


def over_base(settings: Settings, values: Values) -> tuple[list[Variable] | None,
                                                           list[Player] | None, Values | None]:
    """The variables, players and base case with `values` set over the base case as
    what-if values: every other what-if value goes back to its base (a scenario
    applied)."""
    everything = _with_base(settings)
    everything.variables.update(values.variables)
    for player, weights in values.weights.items():
        everything.weights.setdefault(player, {}).update(weights)
    return moved(settings, everything)


def with_values(settings: Settings, values: Values) -> tuple[list[Variable] | None,
                                                             list[Player] | None]:
    """The variables and players of the base case with `values` set over it."""
    variables, players, _ = over_base(settings, values)
    return variables, players


def matches(settings: Settings, values: Values, now: Values | None = None) -> bool:
    """Whether the values now (`numeric_values`, if the caller has them) are the base
    case with `values` set over it: each value that differs from its base is one
    `values` sets, and each it sets is so now. (No copy of the tree's variables: the
    Scenarios panel asks at each step of a drag.)"""
    now = now if now is not None else numeric_values(settings)
    base = settings.base_case or Values()
    if any(name not in values.variables and now.variables.get(name) != was
           for name, was in base.variables.items()):
        return False
    if any(c not in values.weights.get(player, {})
           and now.weights.get(player, {}).get(c, 0) != (was or 0)
           for player, weights in base.weights.items() for c, was in weights.items()):
        return False
    return all(now.variables.get(name) == value for name, value in values.variables.items()) \
        and all(now.weights.get(player, {}).get(c, 0) == weight
                for player, weights in values.weights.items() for c, weight in weights.items())


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
    weights: dict[str, dict[str, Number | None]] = {}
    for player, amounts in values.weights.items():
        if kind == "player":
            renamed_player = key(player)
            if renamed_player is not None:
                weights[renamed_player] = dict(amounts)
        else:
            weights[player] = {c: w for c, w in ((key(c), w) for c, w in amounts.items())
                               if c is not None}
    return Values(dict(values.variables), {p: w for p, w in weights.items() if w})


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


def base_variable(settings: Settings, name: str, value: Value) -> dict[str, Any]:
    """The settings that change when variable `name`'s base value becomes `value` (a
    number or an expression): the model editor edits the base case. A what-if value
    stays one, unless it now equals its base; an expression ends it, and the scenarios
    that set the variable no longer do (they set numbers only)."""
    variables = copy.deepcopy(settings.variables) or []
    target = next(v for v in variables if v.name == name)
    base = copy.deepcopy(settings.base_case) or Values()
    if isinstance(value, str) or name not in base.variables or target.value == value:
        target.value = value
        base.variables.pop(name, None)
    else:
        base.variables[name] = value
    changed = _changes(settings, variables, None, base)
    if isinstance(value, str):
        changed.update(_dropped(settings, lambda v: renamed(v, "variable", name, None)))
    return changed


def base_weights(settings: Settings, player_id: str,
                 weights: dict[str, Value]) -> dict[str, Any]:
    """The settings that change when a player's base weights on some criteria become
    `weights` (numbers or expressions), as `base_variable` does for a variable. A tree
    that names no players gets its implied one."""
    players = copy.deepcopy(settings.effective_players())
    target = next(p for p in players if p.id == player_id)
    base = copy.deepcopy(settings.base_case) or Values()
    given = base.weights.get(player_id, {})
    for criterion, value in weights.items():
        if (isinstance(value, str) or criterion not in given
                or target.weights.get(criterion) == value):
            target.weights[criterion] = value
            given.pop(criterion, None)
        else:
            given[criterion] = value
    base.weights = {p: w for p, w in base.weights.items() if w}
    changed = _changes(settings, None, players, base)
    formulas = {c for c, value in weights.items() if isinstance(value, str)}
    if formulas:
        def without(values: Values) -> Values:
            kept = {p: {c: w for c, w in amounts.items()
                        if p != player_id or c not in formulas}
                    for p, amounts in values.weights.items()}
            return Values(dict(values.variables), {p: w for p, w in kept.items() if w})
        changed.update(_dropped(settings, without))
    return changed


def _changes(settings: Settings, variables: list[Variable] | None,
             players: list[Player] | None, base: Values) -> dict[str, Any]:
    changed: dict[str, Any] = {}
    if variables is not None and variables != settings.variables:
        changed["variables"] = variables
    if players is not None and players != settings.effective_players():
        changed["players"] = players
    if (base or None) != settings.base_case:
        changed["base_case"] = base or None
    return changed


def _dropped(settings: Settings, without: Callable[[Values], Values]) -> dict[str, Any]:
    """The scenarios, each with `without` applied to its values, if that changes any."""
    if not settings.scenarios:
        return {}
    scenarios = [Scenario(s.name, without(s.values), s.note, copy.deepcopy(s.extras))
                 for s in settings.scenarios]
    return {"scenarios": scenarios} if scenarios != settings.scenarios else {}
