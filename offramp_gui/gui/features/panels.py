"""The panels around the canvas: properties, variables, weights, outcomes, problems."""
from __future__ import annotations

from PySide6.QtCore import Qt

from ..contributions import Contributions, DockSpec, reveal
from ..document import DocumentController
from ..panels.problems_panel import ProblemsPanel
from ..panels.property_panel import PropertyPanel
from ..panels.variables_panel import VariablesPanel
from ..panels.weights_panel import WeightsPanel
from ..plots.outcomes_plot import OutcomesPanel
from ..status import PROBLEMS, StatusLine
from ..view import TreeView

RIGHT, BOTTOM = Qt.DockWidgetArea.RightDockWidgetArea, Qt.DockWidgetArea.BottomDockWidgetArea


class PanelsFeature:
    name = "panels"

    def __init__(self, document: DocumentController, canvas: TreeView, status: StatusLine):
        self.document = document
        self.status = status
        self.problems = ProblemsPanel(document)
        self.problems.problem_activated.connect(lambda _id: canvas.setFocus())
        document.results_ready.connect(self._report_problems)
        document.document_reset.connect(self._reveal_problems)

    def contributions(self) -> Contributions:
        document = self.document
        # The canvas first: the panels take a third of the width and of the height.
        return Contributions(docks=(
            DockSpec("properties", "&Properties", PropertyPanel(document), RIGHT, 10,
                     size=460, on_top=True),
            DockSpec("variables", "&Variables", VariablesPanel(document), RIGHT, 20,
                     tabify_with="properties"),
            DockSpec("weights", "&Weights", WeightsPanel(document), RIGHT, 30,
                     tabify_with="variables"),
            DockSpec("outcomes", "&Outcomes", OutcomesPanel(document), BOTTOM, 40, size=280,
                     on_top=True),
            DockSpec("problems", "Pro&blems", self.problems, BOTTOM, 50,
                     tabify_with="outcomes"),
        ))

    def _reveal_problems(self) -> None:
        """A tree opened (or restored) with problems: show where they are listed."""
        results = self.document.results
        if results is not None and results.issues:
            reveal(self.problems)

    def _report_problems(self, results) -> None:  # noqa: ANN001 - analysis Results
        """Say how many problems there are after every change (undo and redo included);
        take the word back once there are none."""
        count = len(results.issues)
        if count:
            self.status.show(f"{count} problem{'s' * (count != 1)}: values that depend on"
                             " them show as —", about=PROBLEMS)
        else:
            self.status.withdraw(PROBLEMS)
