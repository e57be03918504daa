"""Renaming and removing what the tree refers to by name: variables, players, criteria,
outcomes. Each function works out a `Rewrite` (the settings and node fields that change)
without touching the tree, so the app can apply it as one undo step.

Expressions are rewritten by their words (`expressions.name_spans`), never by text
replacement: renaming `p` leaves `p2` alone. Plain Python: no Qt.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from . import expressions, scenarios
from .expressions import ExpressionError
from .fields import FIELDS, Kind
from .tree import DECISION, Criterion, Node, Player, Settings, Tree, Value, unique_id
from .validate import ID_PATTERN, NAME_PATTERN

VARIABLE, PLAYER, CRITERION, OUTCOME = "variable", "player", "criterion", "outcome"
#: The node fields holding an expression, or amounts that may be expressions.
EXPRESSION_FIELDS = tuple(f.name for f in FIELDS if f.kind in (Kind.EXPRESSION, Kind.PAYOFF))
#: What each reference field of a node names.
REFERENCE_FIELDS = {"player": PLAYER, "outcome": OUTCOME}
#: The list of the settings each kind lives in.
SETTING = {VARIABLE: "variables", PLAYER: "players", CRITERION: "criteria",
           OUTCOME: "outcomes"}


@dataclass
class Rewrite:
    """What one refactoring changes: settings by name, and node fields."""

    settings: dict[str, Any] = field(default_factory=dict)
    #: (node id, field, new value)
    nodes: list[tuple[str, str, Any]] = field(default_factory=list)


def apply(tree: Tree, rewrite: Rewrite) -> None:
    """Make the changes directly (the app goes through its undo stack instead)."""
    with tree.batch():
        for name, value in rewrite.settings.items():
            tree.set_meta(name, value)
        for node_id, name, value in rewrite.nodes:
            tree.set_field(node_id, name, value)


def node_label(node: Node) -> str:
    """A node in the user's words: its name, else its branch label, else its id."""
    return node.name or node.branch or node.id


# ---- names for new things ------------------------------------------------------------
def make_id(name: str, taken: set[str], fallback: str) -> str:
    """An id from a name ("Allied security" -> "allied-security"), unique among `taken`."""
    base = re.sub(r"[^a-z0-9_.]+", "-", name.lower()).strip("-.")[:56] or fallback
    return unique_id(base, taken)


def make_variable_name(name: str, taken: set[str]) -> str:
    """A variable name from any text ("p collapse" -> "p_collapse"), unique and valid."""
    base = re.sub(r"[^A-Za-z0-9_]+", "_", name.strip()).strip("_")[:56] or "x"
    if base[0].isdigit() or base in expressions.RESERVED_NAMES:
        base = f"v_{base}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    return candidate


def name_problem(kind: str, new: str, taken: set[str]) -> str | None:
    """Why `new` cannot be the name (variable) or id (the others) of a `kind`, if it cannot."""
    if kind == VARIABLE:
        if not NAME_PATTERN.fullmatch(new):
            return (f'"{new}" cannot name a variable: start with a letter or "_" and use only'
                    ' letters, digits and "_" (at most 64)')
        if new.startswith("__") or new in expressions.RESERVED_NAMES:
            return f'"{new}" cannot name a variable: it is a word of the expression language'
    elif not ID_PATTERN.fullmatch(new):
        return (f'"{new}" cannot be an id: use 1 to 64 letters, digits, "_", "." and "-"')
    if new in taken:
        return f'there is already a {kind} "{new}"'
    return None


def keys(tree: Settings, kind: str) -> list[str]:
    """The names (variables) or ids (the others) of the tree's things of one kind."""
    if kind == VARIABLE:
        return [v.name for v in tree.variables or []]
    if kind == PLAYER:
        return [p.id for p in tree.effective_players()]
    if kind == CRITERION:
        return [c.id for c in tree.effective_criteria()]
    return [o.id for o in tree.outcomes or []]


# ---- expressions ---------------------------------------------------------------------
def replace_name(value: Any, old: str, new: str) -> Any:
    """`value` with every use of the variable `old` written as `new` (a name, or a
    parenthesised expression). Numbers, "#" and unreadable text are returned as they are."""
    if not isinstance(value, str):
        return value
    try:
        spans = expressions.name_spans(value)
    except ExpressionError:
        return value
    out, last = [], 0
    for start, end in spans:
        if value[start:end] == old:
            out += [value[last:start], new]
            last = end
    return "".join(out) + value[last:] if out else value


_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def _written_for(value: Any, old: str, replacement: str) -> Any:
    """`replace_name`, and a number where that leaves only a number's text: a weight or
    probability that was just the deleted variable becomes its value, not "0.3"."""
    changed = replace_name(value, old, replacement)
    if changed == value or not isinstance(changed, str) or not _PLAIN_NUMBER.fullmatch(changed):
        return changed
    number = float(changed)
    return int(number) if number.is_integer() and abs(number) < 2 ** 53 else number


def uses_name(value: Any, name: str) -> bool:
    return replace_name(value, name, name + "_") != value


def _amounts(value: Any) -> list[Any]:
    return list(value.values()) if isinstance(value, dict) else [value]


def _map_amounts(value: Any, change: Any) -> Any:
    if isinstance(value, dict):
        return {key: change(amount) for key, amount in value.items()}
    return change(value)


# ---- where things are used -----------------------------------------------------------
def used_at(tree: Tree, kind: str, key: str) -> list[str]:
    """Where a variable, player, criterion or outcome is used, in the user's words:
    node labels, then other variables and players' weights."""
    places = [node_label(node) for node in tree.root.walk() if _node_uses(node, kind, key)]
    if kind == VARIABLE:
        places += [f"variable {v.name}" for v in tree.variables or []
                   if v.name != key and uses_name(v.value, key)]
        places += [f"{p.name}'s weights" for p in tree.players or []
                   if any(uses_name(w, key) for w in p.weights.values())]
        places += [f"{p.name}'s risk tolerance" for p in tree.players or []
                   if uses_name(_risk_tolerance(p), key)]
    return places


def _node_uses(node: Node, kind: str, key: str) -> bool:
    if kind == VARIABLE:
        return any(uses_name(amount, key) for name in EXPRESSION_FIELDS
                   for amount in _amounts(getattr(node, name)))
    if kind == CRITERION:
        return isinstance(node.payoff, dict) and key in node.payoff
    return any(getattr(node, name) == key for name, refers_to in REFERENCE_FIELDS.items()
               if refers_to == kind)


# ---- renaming ------------------------------------------------------------------------
def rename(tree: Tree, kind: str, old: str, new: str) -> Rewrite:
    """Everything that changes when a variable, player, criterion or outcome `old` is
    called `new`: the thing itself and every reference to it."""
    rewrite = _RENAMES[kind](tree, old, new)
    rewrite.settings.update(scenarios.follow(tree, kind, old, new))
    return _own_fields(tree, rewrite)


def _own_fields(tree: Tree, rewrite: Rewrite) -> Rewrite:
    """The rewrite without the fields a node takes from a template: the master's change
    reaches them."""
    links = tree.links
    if links is not None:
        rewrite.nodes = [(node_id, name, value) for node_id, name, value in rewrite.nodes
                         if not links.derived(node_id, name)]
    return rewrite


def _rewrite_expressions(tree: Tree, old: str, replacement: str, rewrite: Rewrite) -> None:
    """Write `replacement` for the variable `old` in every expression of the tree."""
    for node in tree.root.walk():
        for name in EXPRESSION_FIELDS:
            value = getattr(node, name)
            changed = _map_amounts(value, lambda a: _written_for(a, old, replacement))
            if changed != value:
                rewrite.nodes.append((node.id, name, changed))
    if tree.players and any(uses_name(w, old) for p in tree.players for w in p.weights.values()):
        players = rewrite.settings.get("players") or copy.deepcopy(tree.players)
        for player in players:
            player.weights = {c: _written_for(w, old, replacement)
                              for c, w in player.weights.items()}
        rewrite.settings["players"] = players
    if tree.players and any(uses_name(_risk_tolerance(p), old) for p in tree.players):
        players = rewrite.settings.get("players") or copy.deepcopy(tree.players)
        for player in players:
            if player.utility is not None:
                player.utility.risk_tolerance = _written_for(player.utility.risk_tolerance,
                                                             old, replacement)
        rewrite.settings["players"] = players


def _risk_tolerance(player: Player) -> Any:
    return player.utility.risk_tolerance if player.utility is not None else None


def _rename_variable(tree: Tree, old: str, new: str) -> Rewrite:
    rewrite = Rewrite()
    variables = copy.deepcopy(tree.variables or [])
    for variable in variables:
        variable.value = replace_name(variable.value, old, new)
        if variable.name == old:
            variable.name = new
    rewrite.settings["variables"] = variables
    _rewrite_expressions(tree, old, new, rewrite)
    _rename_in_links(tree, old, new, rewrite)
    return rewrite


def _rename_in_links(tree: Tree, old: str, new: str, rewrite: Rewrite) -> None:
    """A template's parameters and a use's bindings name variables too."""
    links = tree.links
    if links is None:
        return
    for master_id in links.masters.values():
        template = tree.node(master_id).template
        if template and old in (template.get("parameters") or []):
            renamed = [new if p == old else p for p in template["parameters"]]
            rewrite.nodes.append((master_id, "template", {**template, "parameters": renamed}))
    for use_id in links.uses:
        use = tree.node(use_id).use or {}
        bind = use.get("bind")
        if isinstance(bind, dict):
            changed = {(new if k == old else k): replace_name(v, old, new)
                       for k, v in bind.items()}
            if changed != bind or list(changed) != list(bind):
                rewrite.nodes.append((use_id, "use", {**use, "bind": changed}))


def _rename_reference(kind: str) -> Any:
    def rename_in_nodes(tree: Tree, old: str, new: str) -> Rewrite:
        items = copy.deepcopy(_effective(tree, kind))
        for item in items:
            if item.id == old:
                item.id = new
        rewrite = Rewrite({SETTING[kind]: items})
        for node in tree.root.walk():
            for name, refers_to in REFERENCE_FIELDS.items():
                if refers_to == kind and getattr(node, name) == old:
                    rewrite.nodes.append((node.id, name, new))
        return rewrite
    return rename_in_nodes


def _rename_criterion(tree: Tree, old: str, new: str) -> Rewrite:
    criteria = copy.deepcopy(tree.effective_criteria())
    for criterion in criteria:
        if criterion.id == old:
            criterion.id = new
    rewrite = Rewrite({"criteria": criteria})
    if tree.players:
        players = copy.deepcopy(tree.players)
        for player in players:
            player.weights = {new if c == old else c: w for c, w in player.weights.items()}
        rewrite.settings["players"] = players
    for node in tree.root.walk():
        if isinstance(node.payoff, dict) and old in node.payoff:
            rewrite.nodes.append((node.id, "payoff", {new if c == old else c: amount
                                                      for c, amount in node.payoff.items()}))
    return rewrite


_RENAMES = {VARIABLE: _rename_variable, PLAYER: _rename_reference(PLAYER),
            CRITERION: _rename_criterion, OUTCOME: _rename_reference(OUTCOME)}


def _effective(tree: Settings, kind: str) -> list[Any]:
    if kind == PLAYER:
        return tree.effective_players()
    if kind == CRITERION:
        return tree.effective_criteria()
    return list(getattr(tree, SETTING[kind]) or [])


# ---- removing ------------------------------------------------------------------------
def remove(tree: Tree, kind: str, key: str) -> Rewrite:
    """Remove a thing and every reference to it, leaving nothing that dangles:
    a variable's uses become its value, a player's decisions and an outcome's endings
    lose their reference, a criterion's payoffs and weights go."""
    items = [item for item in copy.deepcopy(_effective(tree, kind))
             if (item.name if kind == VARIABLE else item.id) != key]
    rewrite = Rewrite({SETTING[kind]: items or None})
    rewrite.settings.update(scenarios.follow(tree, kind, key, None))
    if kind == VARIABLE:
        variable = tree.variable(key)
        value = variable.value if variable is not None else 0
        value = scenarios.base_values(tree).variables.get(key, value)  # not a what-if
        inlined = f"({value})" if isinstance(value, str) else format(value, ".15g")
        for other in items:
            other.value = _written_for(other.value, key, inlined)
        _rewrite_expressions(tree, key, inlined, rewrite)
    elif kind == CRITERION:
        if tree.players:
            players = copy.deepcopy(tree.players)
            for player in players:
                player.weights.pop(key, None)
            rewrite.settings["players"] = players
        for node in tree.root.walk():
            if isinstance(node.payoff, dict) and key in node.payoff:
                payoff = {c: a for c, a in node.payoff.items() if c != key}
                rewrite.nodes.append((node.id, "payoff", payoff or None))
    else:
        for node in tree.root.walk():
            if _node_uses(node, kind, key):
                rewrite.nodes += [(node.id, name, None) for name, refers_to
                                  in REFERENCE_FIELDS.items() if refers_to == kind]
    return _own_fields(tree, rewrite)


# ---- adding the first explicit one ---------------------------------------------------
def add_player(tree: Tree, player: Player) -> Rewrite:
    """Add a player. A tree of one player may leave `player` out of its decisions; they
    are given that player, so that they keep meaning what they meant."""
    players = copy.deepcopy(tree.effective_players())
    rewrite = Rewrite({"players": players + [player]})
    if len(players) == 1:
        rewrite.nodes = [(node.id, "player", players[0].id) for node in tree.root.walk()
                         if node.type == DECISION and node.player is None]
    return _own_fields(tree, rewrite)


def add_criterion(tree: Tree, criterion: Criterion) -> Rewrite:
    """Add a criterion. With one criterion a payoff may be a single amount; it becomes
    an amount for that criterion, as the file would have meant it."""
    criteria = copy.deepcopy(tree.effective_criteria())
    rewrite = Rewrite({"criteria": criteria + [criterion]})
    if len(criteria) == 1:
        only = criteria[0].id
        rewrite.nodes = [(node.id, "payoff", {only: node.payoff}) for node in tree.root.walk()
                         if node.payoff is not None and not isinstance(node.payoff, dict)]
    return rewrite


def normalised(weights: dict[str, Value]) -> dict[str, Value] | None:
    """Weights scaled to add up to 1, or None when they cannot be (an expression among
    them, or a total of 0)."""
    if not all(isinstance(w, (int, float)) for w in weights.values()):
        return None
    total = sum(weights.values())  # type: ignore[arg-type]
    if total == 0:
        return None
    return {c: w / total for c, w in weights.items()}  # type: ignore[operator]
