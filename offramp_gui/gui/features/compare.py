"""View > Compare Scenarios…: the base case and the scenarios side by side, and a player
deciding in one world while living in another, in a window of its own
(panels/compare_panel.py; docs/format.md, "Scenarios and what-if values")."""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ..contributions import ActionSpec, Contributions, Place
from ..document import DocumentController
from ..panels.compare_panel import CompareWindow

GROUP = "7_scenarios"


class CompareFeature:
    name = "compare"

    def __init__(self, document: DocumentController, canvas: QWidget):
        self.document = document
        self.canvas = canvas
        #: Made the first time it is asked for, over the main window.
        self.window: CompareWindow | None = None

    def contributions(self) -> Contributions:
        return Contributions(actions=(
            ActionSpec("compare-scenarios", "Co&mpare Scenarios…", self.show,
                       (Place("view", GROUP, 10),), "Ctrl+Shift+K", None,
                       "Set the base case and the scenarios side by side, and see what"
                       " deciding in one and living in another costs a player"),))

    def show(self) -> None:
        if self.window is None:
            self.window = CompareWindow(self.document, self.canvas.window())
        if self.window.isVisible():  # behind the main window, perhaps: bring it forward
            self.window.raise_()
            self.window.activateWindow()
        else:
            self.window.show()

    def closed(self) -> None:
        if self.window is not None:
            self.window.close()
