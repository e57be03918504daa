"""Edits of the model's definitions: players, criteria, outcomes, variables, the tree's
title, description and sources. Each is one undo step with a named entry; renaming and
removing go through `model.refactor`, so that every reference follows in the same step.
"""
from __future__ import annotations

import copy
from typing import Any

from ..model import refactor, scenarios
from ..model.limits import MAX_CRITERIA, MAX_OUTCOMES, MAX_PLAYERS, MAX_VARIABLES
from ..model.refactor import CRITERION, OUTCOME, PLAYER, SETTING, VARIABLE, Rewrite
from ..model.tree import (
    EXPONENTIAL,
    LINEAR,
    PIECEWISE,
    Criterion,
    Outcome,
    Player,
    Utility,
    Variable,
)
from .commands import SetFieldCommand, SetMetaCommand
from .edits import Editable, _Macro

SOURCE = "source"
#: How the undo entries name each kind.
WORDS = {VARIABLE: "variable", PLAYER: "player", CRITERION: "criterion",
         OUTCOME: "outcome", SOURCE: "source"}
PLURALS = {VARIABLE: "variables", PLAYER: "players", CRITERION: "criteria",
           OUTCOME: "outcomes"}
LIMITS = {VARIABLE: MAX_VARIABLES, PLAYER: MAX_PLAYERS, CRITERION: MAX_CRITERIA,
          OUTCOME: MAX_OUTCOMES}
#: Where the app keeps what the format has no key for (docs/format.md, "Keys of your own").
COLOR_KEY, STEP_KEY = "x-offramp-color", "x-offramp-step"
_ATTRIBUTE_WORDS = {"color": "colour", COLOR_KEY: "colour", STEP_KEY: "step"}


class EditRefused(ValueError):
    """An edit that would break the tree's rules; the message says why in plain words."""


def quoted(text: str) -> str:
    return f"\u201c{text}\u201d"


class ModelEdits:
    """The model editor's vocabulary: each method pushes one undo step."""

    def __init__(self, document: Editable):
        self._doc = document

    @property
    def tree(self):  # noqa: ANN201 - the document's current Tree
        return self._doc.tree

    # ---- reading ------------------------------------------------------------------------
    def items(self, kind: str) -> list[Any]:
        """The things of a kind as the tree means them (the implied player and criterion
        of a tree that names none included)."""
        if kind == SOURCE:
            return list(self.tree.sources or [])
        if kind == PLAYER:
            return self.tree.effective_players()
        if kind == CRITERION:
            return self.tree.effective_criteria()
        return list(getattr(self.tree, SETTING[kind]) or [])

    @staticmethod
    def key(kind: str, item: Any) -> str:
        return item.name if kind == VARIABLE else item.id

    def item(self, kind: str, key: str) -> Any:
        return next(i for i in self.items(kind) if self.key(kind, i) == key)

    def label(self, kind: str, key: str) -> str:
        """What the user calls it: a variable's name, the others' names."""
        return key if kind == VARIABLE else self.item(kind, key).name

    # ---- adding -------------------------------------------------------------------------
    def add(self, kind: str, name: str) -> str:
        """Add a player, criterion, outcome or variable named `name`; return its key."""
        current = self.items(kind)
        if len(current) >= LIMITS[kind]:
            raise EditRefused(f"A tree has at most {LIMITS[kind]:,} {PLURALS[kind]};"
                              f" this one has {len(current):,}.")
        taken = {self.key(kind, i) for i in current}
        if kind == VARIABLE:
            key = refactor.make_variable_name(name, taken)
            rewrite = Rewrite({"variables": copy.deepcopy(current) + [Variable(key, 0)]})
            label = key
        else:
            key = refactor.make_id(name, taken, WORDS[kind])
            rewrite = self._adding(kind, key, name)
            label = name
        self.apply(rewrite, f"Add {WORDS[kind]} {quoted(label)}")
        return key

    def _adding(self, kind: str, key: str, name: str) -> Rewrite:
        if kind == PLAYER:
            weights = {c.id: 1 for c in self.tree.effective_criteria()}
            return refactor.add_player(self.tree, Player(key, name, weights))
        if kind == CRITERION:
            return refactor.add_criterion(self.tree, Criterion(key, name))
        return Rewrite({"outcomes": copy.deepcopy(self.items(OUTCOME)) + [Outcome(key, name)]})

    def add_source(self, title: str) -> int:
        sources = copy.deepcopy(self.items(SOURCE)) + [{"title": title}]
        self._push_meta("sources", sources, f"Add source {quoted(title)}")
        return len(sources) - 1

    # ---- renaming -----------------------------------------------------------------------
    def rename(self, kind: str, old: str, new: str) -> None:
        """Give a variable another name, or a player, criterion or outcome another id,
        rewriting every reference to it in the same step."""
        new = new.strip()
        if new == old:
            return
        taken = {self.key(kind, i) for i in self.items(kind)} - {old}
        problem = refactor.name_problem(WORDS[kind], new, taken)
        if problem:
            raise EditRefused(problem)
        text = (f"Rename variable {old} to {new}" if kind == VARIABLE
                else f"Change {WORDS[kind]} id {old} to {new}")
        self.apply(refactor.rename(self.tree, kind, old, new), text)

    def set_name(self, kind: str, key: str, name: str) -> None:
        """Change a player's, criterion's or outcome's name (what the user reads)."""
        name = name.strip()
        if not name:
            raise EditRefused(f"A {WORDS[kind]} needs a name.")
        old = self.item(kind, key).name
        if name != old:
            self.set_attribute(kind, key, "name", name,
                               f"Rename {WORDS[kind]} {quoted(old)} to {quoted(name)}")

    # ---- other fields -------------------------------------------------------------------
    def set_attribute(self, kind: str, key: str, attribute: str, value: Any,
                      text: str | None = None) -> None:
        """Set one attribute (or `x-` key) of one player, criterion, outcome or variable.
        A variable's value is its base value: a what-if value stays one."""
        words = _ATTRIBUTE_WORDS.get(attribute, attribute)
        text = text or f"Change {WORDS[kind]} {quoted(self.label(kind, key))}'s {words}"
        if kind == VARIABLE and attribute == "value":
            self.apply(Rewrite(scenarios.base_variable(self.tree, key, value)), text)
            return
        items = copy.deepcopy(self.items(kind))
        target = next(i for i in items if self.key(kind, i) == key)
        if attribute.startswith("x-"):
            if target.extras.get(attribute) == value:
                return
            if value is None:
                target.extras.pop(attribute, None)
            else:
                target.extras[attribute] = value
        else:
            if getattr(target, attribute) == value:
                return
            setattr(target, attribute, value)
        self._push_meta(SETTING[kind], items, text)

    def set_weights(self, player_id: str, weights: dict[str, Any], text: str) -> None:
        """Set a player's base weights on these criteria (what-if values stay so)."""
        self.apply(Rewrite(scenarios.base_weights(self.tree, player_id, weights)), text)

    def base_weights(self, player_id: str) -> dict[str, Any]:
        """A player's weights in the base case (expressions as they are)."""
        player = self.item(PLAYER, player_id)
        if self.tree.players is None:
            return dict(player.weights)  # the implied player's
        base = scenarios.base_values(self.tree).weights.get(player_id, {})
        return {c: base.get(c, w) for c, w in player.weights.items()
                if c in base or isinstance(w, str)}

    # ---- a player's attitude to risk ----------------------------------------------------
    def utility(self, player_id: str) -> Utility:
        """The player's utility as it is now (linear when the file gives none)."""
        return copy.deepcopy(self.item(PLAYER, player_id).utility) or Utility()

    def set_utility_kind(self, player_id: str, kind: str) -> None:
        """Linear, exponential or piecewise; a new kind starts from a valid example (a
        risk tolerance of 100, or the straight line through (0, 0) and (100, 100))."""
        utility = self.utility(player_id)
        if utility.kind == kind:
            return
        name = quoted(self.item(PLAYER, player_id).name)
        if kind == LINEAR:
            self._set_utility(player_id, None, f"Make {name} risk-neutral")
            return
        changed = Utility(kind, extras=utility.extras)
        if kind == EXPONENTIAL:
            changed.risk_tolerance = 100
        elif kind == PIECEWISE:
            changed.points = [[0, 0], [100, 100]]
        else:
            raise EditRefused(f"There is no kind of utility {quoted(kind)}.")
        words = {EXPONENTIAL: "an exponential", PIECEWISE: "a piecewise"}[kind]
        self._set_utility(player_id, changed, f"Give {name} {words} utility")

    def set_risk_tolerance(self, player_id: str, tolerance: Any) -> None:
        """An exponential utility's risk tolerance: a number (not 0) or an expression."""
        if tolerance == 0:
            raise EditRefused("A risk tolerance of 0 means nothing: give a positive number"
                              " (risk-averse) or a negative one (risk-seeking).")
        utility = self.utility(player_id)
        if utility.risk_tolerance == tolerance:
            return
        utility.risk_tolerance = tolerance
        name = quoted(self.item(PLAYER, player_id).name)
        self._set_utility(player_id, utility,
                          f"Set {name}'s risk tolerance to {tolerance}")

    def set_utility_points(self, player_id: str, points: list[list[int | float]],
                           text: str) -> None:
        """A piecewise utility's points, as one step named `text`."""
        utility = self.utility(player_id)
        if utility.points == points:
            return
        utility.points = points
        self._set_utility(player_id, utility, text)

    def _set_utility(self, player_id: str, utility: Utility | None, text: str) -> None:
        self.set_attribute(PLAYER, player_id, "utility", utility, text)

    def normalise(self, player_id: str) -> None:
        """Scale a player's weights to add up to 1, as one step."""
        player = self.item(PLAYER, player_id)
        given = self.base_weights(player_id)
        weights = {c.id: given.get(c.id, 0) for c in self.tree.effective_criteria()}
        expressions = [c.name for c in self.tree.effective_criteria()
                       if isinstance(weights[c.id], str)]
        if expressions:
            raise EditRefused(f"{player.name}'s weight on {expressions[0]} is an expression:"
                              " Normalise scales a player's weights only when all of them are"
                              " numbers.")
        scaled = refactor.normalised(weights)
        if scaled is None:
            raise EditRefused(f"{player.name}'s weights add up to 0: there is nothing to"
                              " scale them by.")
        kept = {c: w for c, w in scaled.items() if w != 0 or c in given}
        self.set_weights(player_id, kept, f"Normalise {quoted(player.name)}'s weights")

    def set_source(self, index: int, key: str, value: str | None) -> None:
        sources = copy.deepcopy(self.items(SOURCE))
        source = sources[index]
        if source.get(key) == value:
            return
        if value:
            source[key] = value
        else:
            source.pop(key, None)
        title = source.get("title", "")
        self._push_meta("sources", sources, f"Change source {quoted(title)}")

    def set_tree(self, attribute: str, value: str | None) -> None:
        """The tree's title or description."""
        if getattr(self.tree, attribute) != value:
            self._push_meta(attribute, value, f"Change {attribute}")

    # ---- order and removal --------------------------------------------------------------
    def move(self, kind: str, index: int, delta: int) -> bool:
        items = copy.deepcopy(self.items(kind))
        new = index + delta
        if not (0 <= index < len(items) and 0 <= new < len(items)):
            return False
        items.insert(new, items.pop(index))
        moved = items[new]
        label = moved.get("title", "") if kind == SOURCE else self.label(kind, self.key(kind,
                                                                                        moved))
        self._push_meta("sources" if kind == SOURCE else SETTING[kind], items,
                        f"Move {WORDS[kind]} {quoted(label)} {'up' if delta < 0 else 'down'}")
        return True

    def check_delete(self, kind: str) -> None:
        """Refuse to delete the last player or criterion: a tree needs one of each."""
        if kind in (PLAYER, CRITERION) and len(self.items(kind)) == 1:
            raise EditRefused(f"A tree needs at least one {WORDS[kind]}.")

    def delete(self, kind: str, key: str) -> None:
        """Remove a thing and every reference to it (model.refactor.remove)."""
        self.check_delete(kind)
        text = f"Delete {WORDS[kind]} {quoted(self.label(kind, key))}"
        self.apply(refactor.remove(self.tree, kind, key), text)

    def delete_source(self, index: int) -> None:
        sources = copy.deepcopy(self.items(SOURCE))
        removed = sources.pop(index)
        self._push_meta("sources", sources or None,
                        f"Delete source {quoted(removed.get('title', ''))}")

    # ---- one step -----------------------------------------------------------------------
    def apply(self, rewrite: Rewrite, text: str) -> None:
        """Push a rewrite's changes as one undo step named `text` (none: no step)."""
        if not rewrite.settings and not rewrite.nodes:
            return
        with _Macro(self._doc, text):
            for name, value in rewrite.settings.items():
                self._doc.push(SetMetaCommand(self.tree, name, value, text))
            for node_id, field, value in rewrite.nodes:
                self._doc.push(SetFieldCommand(self.tree, node_id, field, value, text))

    def _push_meta(self, name: str, value: Any, text: str) -> None:
        self._doc.push(SetMetaCommand(self.tree, name, value, text))
