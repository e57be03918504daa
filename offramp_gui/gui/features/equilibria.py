"""The equilibria of a tree with information sets: a panel to pick the one shown, and
View > Next / Previous Equilibrium (docs/format.md, "Information sets")."""
from __future__ import annotations

from PySide6.QtCore import Qt

from ..contributions import ActionSpec, Contributions, DockSpec, Place
from ..document import DocumentController
from ..panels.equilibria_panel import EquilibriaPanel

GROUP = "6_equilibria"
WHATS_THIS = ("The equilibria of a game with private information: each line is one"
              " perfect Bayesian equilibrium in pure strategies, with its kind, each"
              " player's value and the outcome chances. Choose one to show it: the canvas"
              " draws its strategies in bold and each player's belief beside the nodes of"
              " its information sets, and the values and the outcome chart follow it.")


class EquilibriaFeature:
    name = "equilibria"

    def __init__(self, document: DocumentController):
        self.document = document
        self.panel = EquilibriaPanel(document)

    def contributions(self) -> Contributions:
        return Contributions(
            actions=(
                ActionSpec("next-equilibrium", "Ne&xt Equilibrium", lambda: self._step(1),
                           (Place("view", GROUP, 10),), "Ctrl+Alt+Right", None,
                           "Show the next equilibrium of this game", self._several),
                ActionSpec("previous-equilibrium", "Pre&vious Equilibrium",
                           lambda: self._step(-1), (Place("view", GROUP, 20),),
                           "Ctrl+Alt+Left", None, "Show the previous equilibrium of this game",
                           self._several),
            ),
            docks=(DockSpec("equilibria", "&Equilibria", self.panel,
                            Qt.DockWidgetArea.BottomDockWidgetArea, 47,
                            tabify_with="outcomes", whats_this=WHATS_THIS),))

    def _several(self) -> bool:
        search = self.document.equilibria
        return search is not None and len(search.equilibria) > 1

    def _step(self, by: int) -> None:
        search, shown = self.document.equilibria, self.document.results.equilibrium
        if search is None or shown is None or not search.equilibria:
            return
        self.document.choose_equilibrium((max(shown.index, 0) + by) % len(search.equilibria))
