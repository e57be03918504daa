"""Edit > Preferences…: how often unsaved work is copied aside."""
from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

from ..contributions import ActionSpec, Contributions, Place
from ..preferences import PreferencesDialog
from ..prompts import Prompts


class PreferencesFeature:
    name = "preferences"

    def __init__(self, prompts: Prompts):
        self.prompts = prompts

    def contributions(self) -> Contributions:
        return Contributions(actions=(ActionSpec(
            "preferences", "Pre&ferences…", lambda: self.prompts.run(PreferencesDialog),
            (Place("edit", "9_preferences", 10),), QKeySequence.StandardKey.Preferences,
            None, "Autosave interval", role=QAction.MenuRole.PreferencesRole),))
