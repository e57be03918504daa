"""Edits of what-if values and of named scenarios (docs/format.md, "Scenarios and
what-if values"), each one undo step.

The Variables and Weights panels move what-if values: the tree's variables and players
hold the values now (what the engine evaluates), and `Tree.base_case` keeps the base
value of each one that differs. "Reset to base case" puts the base back; "Make these
the base case" keeps the values now and forgets the old base. A scenario is a name, a
note and the values it sets over the base case: adding one stores the values that
differ now, applying one sets its values over the base case and every other value back
to its base.
"""
from __future__ import annotations

import copy
from typing import Any

from ..analysis.scenarios import BASE_CASE
from ..model.limits import MAX_SCENARIOS
from ..model.scenarios import (
    Scenario,
    Values,
    base_values,
    matches,
    moved,
    numeric_values,
    over_base,
    what_if,
    with_values,
)
from ..model.tree import Settings
from .commands import SetMetaCommand, SetSettingsCommand
from .edits import Editable
from .model_edits import EditRefused, quoted


class ScenarioEdits:
    """The what-if values and the scenarios of the document's tree."""

    def __init__(self, document: Editable):
        self._doc = document

    @property
    def _tree(self):  # noqa: ANN202 - the document's current Tree
        return self._doc.tree

    # ---- reading ------------------------------------------------------------------------
    def base(self) -> Values:
        """Every variable's and weight's base value (numbers only; the implied player's
        weights of a tree that names none included)."""
        return base_values(self._settings())

    def differing(self) -> Values:
        """The values now that differ from the base case."""
        return what_if(self._tree)

    def scenarios(self) -> list[Scenario]:
        return list(self._tree.scenarios or [])

    def scenario(self, name: str) -> Scenario:
        return next(s for s in self.scenarios() if s.name == name)

    def now(self) -> str | None:
        """What the values now are: `BASE_CASE`, the name of the first scenario they
        equal, or None (what-if values of no scenario)."""
        tree = self._tree
        if tree.base_case is None:
            return BASE_CASE
        now = numeric_values(tree)
        return next((s.name for s in self.scenarios() if matches(tree, s.values, now)), None)

    # ---- what-if values -----------------------------------------------------------------
    def set_what_if(self, values: Values, text: str, merge: Any = None) -> None:
        """Set `values` (numbers) as what-if values, keeping the base case; edits with
        the same `merge` key within one gesture (a drag) are one step."""
        settings = self._settings()
        variables, players, base = moved(settings, values)
        changes = {name: value for name, value in (("variables", variables),
                                                   ("players", players), ("base_case", base))
                   if value != getattr(settings, name)}
        if changes:
            key = (merge, self._doc.gesture()) if merge is not None else None
            self._doc.push(SetSettingsCommand(self._tree, changes, text, key))

    def move_variable(self, name: str, value: float, merge: bool = False) -> None:
        self.set_what_if(Values({name: value}), f"Change variable {name}",
                         ("variable", name) if merge else None)

    def move_weight(self, player_id: str, criterion_id: str, value: float,
                    merge: bool = False) -> None:
        player = next(p for p in self._tree.effective_players() if p.id == player_id)
        self.set_what_if(Values(weights={player_id: {criterion_id: value}}),
                         f"Change {player.name}'s weight",
                         ("weight", player_id, criterion_id) if merge else None)

    def reset_to_base(self) -> None:
        """Every what-if value back to its base value, as one step."""
        tree = self._tree
        if tree.base_case is None:
            return
        variables, players = with_values(tree, Values())
        self._doc.push(SetSettingsCommand(
            tree, {"variables": variables, "players": players, "base_case": None},
            "Reset to base case"))

    def make_base_case(self) -> None:
        """The values now become the base case (the file then writes them in place)."""
        if self._tree.base_case is not None:
            self._doc.push(SetSettingsCommand(self._tree, {"base_case": None},
                                              "Make these the base case"))

    def apply(self, name: str) -> None:
        """Set the scenario's values over the base case, and every other value back to
        its base, as one step."""
        settings = self._settings()
        variables, players, base = over_base(settings, self.scenario(name).values)
        changes = {key: value for key, value in (("variables", variables),
                                                 ("players", players), ("base_case", base))
                   if value != getattr(settings, key)}
        if changes:
            self._doc.push(SetSettingsCommand(self._tree, changes,
                                              f"Apply scenario {quoted(name)}"))

    def _settings(self) -> Settings:
        """The tree's settings, with the implied player of a tree that names none made
        explicit (a what-if weight needs a player to belong to)."""
        tree = self._tree
        if tree.players is not None:
            return tree
        settings = Settings()
        settings.copy_settings_from(tree)
        settings.players = copy.deepcopy(tree.effective_players())
        return settings

    # ---- scenarios ----------------------------------------------------------------------
    def add(self, name: str, note: str | None = None) -> str:
        """A scenario of the values that differ from the base case now (none: the
        scenario is the base case). Returns its name."""
        name = self._new_name(name)
        if len(self.scenarios()) >= MAX_SCENARIOS:
            raise EditRefused(f"A tree has at most {MAX_SCENARIOS:,} scenarios.")
        scenario = Scenario(name, copy.deepcopy(self.differing()), note or None)
        self._push([*self.scenarios(), scenario], f"Add scenario {quoted(name)}")
        return name

    def rename(self, old: str, new: str) -> None:
        new = new.strip()
        if new == old:
            return
        new = self._new_name(new, old)
        scenarios = [Scenario(new if s.name == old else s.name, s.values, s.note, s.extras)
                     for s in self.scenarios()]
        self._push(scenarios, f"Rename scenario {quoted(old)} to {quoted(new)}")

    def set_note(self, name: str, note: str | None) -> None:
        note = (note or "").strip() or None
        if self.scenario(name).note == note:
            return
        scenarios = [Scenario(s.name, s.values, note if s.name == name else s.note, s.extras)
                     for s in self.scenarios()]
        self._push(scenarios, f"Change the note of scenario {quoted(name)}")

    def delete(self, name: str) -> None:
        self._push([s for s in self.scenarios() if s.name != name],
                   f"Delete scenario {quoted(name)}")

    def duplicate(self, name: str) -> str:
        """A copy named "NAME copy" (then "NAME copy 2", ...), after the original."""
        taken = {s.name for s in self.scenarios()}
        copy_name = f"{name} copy"
        number = 2
        while copy_name in taken:
            copy_name, number = f"{name} copy {number}", number + 1
        if len(taken) >= MAX_SCENARIOS:
            raise EditRefused(f"A tree has at most {MAX_SCENARIOS:,} scenarios.")
        scenarios = self.scenarios()
        index = next(i for i, s in enumerate(scenarios) if s.name == name)
        original = scenarios[index]
        scenarios.insert(index + 1, Scenario(copy_name, copy.deepcopy(original.values),
                                             original.note, copy.deepcopy(original.extras)))
        self._push(scenarios, f"Duplicate scenario {quoted(name)}")
        return copy_name

    def _new_name(self, name: str, old: str | None = None) -> str:
        """`name` stripped, or EditRefused saying why a scenario cannot be called so."""
        name = name.strip()
        if not name:
            raise EditRefused("A scenario needs a name.")
        if name.casefold() == BASE_CASE.casefold():
            raise EditRefused(f"{quoted(BASE_CASE)} names the values in place; give the"
                              " scenario another name.")
        if any(s.name == name for s in self.scenarios() if s.name != old):
            raise EditRefused(f"There is already a scenario named {quoted(name)}.")
        return name

    def _push(self, scenarios: list[Scenario], text: str) -> None:
        self._doc.push(SetMetaCommand(self._tree, "scenarios", scenarios or None, text))
