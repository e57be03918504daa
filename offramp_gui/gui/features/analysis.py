"""The Analysis dock, and "What would it take…" on a decision's context menu."""
from __future__ import annotations

from PySide6.QtCore import Qt

from ...model.tree import DECISION
from ..analysis_dock import AnalysisPanel
from ..contributions import ContextItem, Contributions, DockSpec, reveal
from ..document import DocumentController
from ..prompts import Prompts

#: The dock's height the first time it is shown, if it had less (it shares the
#: outcomes' height, and its plots need room).
ROOM = 430


WHATS_THIS = ("<b>Analysis</b> asks what the decision depends on: sweep one variable, map two,"
              " rank them all (tornado), follow each across its range (spider), run a Monte"
              " Carlo over their distributions, or ask"
              " what it would take for another alternative to be best. Each plot exports its"
              " picture and its data (CSV).")


class AnalysisFeature:
    name = "analysis"

    def __init__(self, document: DocumentController, prompts: Prompts):
        self.document = document
        self.panel = AnalysisPanel(document, prompts)

    def contributions(self) -> Contributions:
        return Contributions(
            docks=(DockSpec("analysis", "&Analysis", self.panel,
                            Qt.DockWidgetArea.BottomDockWidgetArea, 60,
                            tabify_with="outcomes", size_when_shown=ROOM,
                            whats_this=WHATS_THIS),),
            context_items=(ContextItem(
                "What would it take…", self.show_requirements, self.can_choose, "5_analysis",
                tip="Which values of each variable would make this decision choose another"
                " branch"),))

    def can_choose(self, node_id: str) -> bool:
        tree = self.document.tree
        if node_id not in tree:
            return False
        node = tree.node(node_id)
        return node.type == DECISION and not node.is_assumed and bool(node.children)

    def show_requirements(self, node_id: str) -> None:
        reveal(self.panel)
        self.panel.show_requirements(node_id)

    def closed(self) -> None:
        self.panel.shutdown()  # stop a running simulation and wait for its thread
