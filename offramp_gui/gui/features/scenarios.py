"""The base case, what-if values and named scenarios: the Scenarios panel
(panels/scenarios_panel.py) and Edit > Reset to Base Case, Make These the Base Case,
Add Scenario… and Apply Scenario (docs/format.md, "Scenarios and what-if values")."""
from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from ..contributions import ActionSpec, Contributions, DockSpec, Place, SubmenuSpec, reveal
from ..document import DocumentController
from ..panels.scenarios_panel import ScenariosPanel
from ..prompts import Prompts
from ..text import shown_line

GROUP = "7_scenarios"
APPLY_MENU = "edit/apply-scenario"
WHATS_THIS = ("<b>Scenarios</b> keeps named sets of values in the file: a hawk's and a"
              " dove's view of the same risks, say. Move the Variables and Weights panels'"
              " sliders to one view's values and choose Add… to keep them; Apply sets a"
              " scenario's values over the base case. The line at the top says whether the"
              " values now are the base case, a scenario, or what-if values of none.")


class ScenariosFeature:
    name = "scenarios"

    def __init__(self, document: DocumentController, prompts: Prompts):
        self.document = document
        self.panel = ScenariosPanel(document, prompts)

    def contributions(self) -> Contributions:
        edit = self.document.scenario_edit
        return Contributions(
            actions=(
                ActionSpec("reset-to-base", "Reset to Bas&e Case", edit.reset_to_base,
                           (Place("edit", GROUP, 10),), "Ctrl+Shift+R", None,
                           "Put every value moved on the Variables and Weights panels back"
                           " to its base value", self._differs),
                ActionSpec("make-base-case", "Make T&hese the Base Case", edit.make_base_case,
                           (Place("edit", GROUP, 20),), None, None,
                           "Keep the values now as the base case, written in place in the"
                           " file", self._differs),
                ActionSpec("add-scenario", "Add Scenari&o…", self._add,
                           (Place("edit", GROUP, 30),), None, None,
                           "Keep the values now, those that differ from the base case, as a"
                           " named scenario"),
            ),
            submenus=(SubmenuSpec(APPLY_MENU, "Appl&y Scenario", (Place("edit", GROUP, 40),),
                                  self._fill, lambda: bool(self.document.tree.scenarios)),),
            docks=(DockSpec("scenarios", "&Scenarios", self.panel,
                            Qt.DockWidgetArea.RightDockWidgetArea, 33,
                            tabify_with="weights", whats_this=WHATS_THIS),))

    def _differs(self) -> bool:
        return bool(self.document.scenario_edit.differing())

    def _add(self) -> None:
        reveal(self.panel)
        self.panel.add()

    def _fill(self, menu: QMenu) -> None:
        """One entry per scenario, the one the values now equal ticked."""
        edit = self.document.scenario_edit
        now = edit.now()
        for scenario in edit.scenarios():
            action = menu.addAction(shown_line(scenario.name, 80).replace("&", "&&"))
            action.setCheckable(True)
            action.setChecked(scenario.name == now)
            action.triggered.connect(partial(edit.apply, scenario.name))
