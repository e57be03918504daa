"""The panels around the canvas: properties, variables, weights, outcomes, risk profile,
problems."""
from __future__ import annotations

from PySide6.QtCore import Qt

from ..contributions import Contributions, DockSpec, reveal
from ..document import DocumentController
from ..panels.problems_panel import ProblemsPanel
from ..panels.property_panel import PropertyPanel
from ..panels.risk_profile_panel import RiskProfilePanel
from ..panels.variables_panel import VariablesPanel
from ..panels.weights_panel import WeightsPanel
from ..plots.outcomes_plot import OutcomesPanel
from ..prompts import Prompts
from ..status import PROBLEMS, StatusLine
from ..view import TreeView

RIGHT, BOTTOM = Qt.DockWidgetArea.RightDockWidgetArea, Qt.DockWidgetArea.BottomDockWidgetArea
#: The risk profile's height the first time it is shown, if it had less (its two plots
#: and their notes need it).
PROFILE_ROOM = 360

# What each panel is for (Help > What's This).
PROPERTIES = ("<b>Properties</b> edits the selected node: its branch label, its probability"
              " (a slider, a number or an expression such as <code>p_collapse * 0.5</code>;"
              " <code>#</code> takes what its siblings leave), its payoffs per criterion, its"
              " player or outcome, and notes. Each change is one step of Edit > Undo.")
VARIABLES = ("<b>Variables</b> has a slider for each variable of the model. Drag one and every"
             " value in the tree recomputes as you go; the Model panel defines the variables"
             " (range, step, distribution).")
WEIGHTS = ("<b>Weights</b> sets how much each player values each criterion, and whose values"
           " the canvas shows (“Show values for”). A weight may be an expression"
           " over the variables, so the analyses move it too.")
OUTCOMES = ("<b>Outcomes</b> compares the alternatives of the selected decision (the root's"
            " while anything else is selected): the expected value of each for the player"
            " shown, and a bar of the chance of each outcome, in the outcomes' colours. It"
            " follows every change to the tree, the variables and the weights.")
RISK_PROFILE = ("<b>Risk Profile</b> shows, for each alternative of the selected decision (the"
                " root's while anything else is selected), the chance of each score of the"
                " player who decides there: bars, and the chance of that score or less as"
                " steps. The caption names the alternatives that stochastically dominate"
                " others. It follows every change; export its plot or its data (CSV).")
PROBLEMS_HELP = ("<b>Problems</b> lists what keeps values from being computed, such as"
                 " probabilities that do not add up to 1. Click one to select its node; values"
                 " that depend on it show as — until it is fixed.")


class PanelsFeature:
    name = "panels"

    def __init__(self, document: DocumentController, canvas: TreeView, status: StatusLine,
                 prompts: Prompts):
        self.document = document
        self.prompts = prompts
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
                     size=460, on_top=True, whats_this=PROPERTIES),
            DockSpec("variables", "&Variables", VariablesPanel(document), RIGHT, 20,
                     tabify_with="properties", whats_this=VARIABLES),
            DockSpec("weights", "&Weights", WeightsPanel(document), RIGHT, 30,
                     tabify_with="variables", whats_this=WEIGHTS),
            DockSpec("outcomes", "&Outcomes", OutcomesPanel(document), BOTTOM, 40, size=280,
                     on_top=True, whats_this=OUTCOMES),
            DockSpec("risk_profile", "&Risk Profile", RiskProfilePanel(document, self.prompts),
                     BOTTOM, 45, tabify_with="outcomes", size_when_shown=PROFILE_ROOM,
                     whats_this=RISK_PROFILE),
            DockSpec("problems", "Pro&blems", self.problems, BOTTOM, 50,
                     tabify_with="outcomes", whats_this=PROBLEMS_HELP),
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
