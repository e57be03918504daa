"""The Analysis dock, "What would it take…" on a decision's context menu, and "What is it
worth to know this?" on a chance node's."""
from __future__ import annotations

from PySide6.QtCore import Qt

from ...model.tree import CHANCE, DECISION
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
              " what it would take for another alternative to be best, or what knowing a"
              " chance event first would be worth. Each plot exports its picture and its data"
              " (CSV).")


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
                " branch"),
                ContextItem(
                "What is it worth to know this?", self.show_information, self.can_know,
                "5_analysis", 1, tip="What knowing this event's outcome before the decision"
                " above it would be worth to whoever decides there")))

    def can_choose(self, node_id: str) -> bool:
        tree = self.document.tree
        if node_id not in tree:
            return False
        node = tree.node(node_id)
        return node.type == DECISION and not node.is_assumed and bool(node.children)

    def show_requirements(self, node_id: str) -> None:
        reveal(self.panel)
        self.panel.show_requirements(node_id)

    def can_know(self, node_id: str) -> bool:
        """A chance event with a decision above it, which could know it first."""
        tree = self.document.tree
        if node_id not in tree or tree.node(node_id).type != CHANCE:
            return False
        return any(tree.node(above).type == DECISION and not tree.node(above).is_assumed
                   for above in tree.ancestors(node_id))

    def show_information(self, node_id: str) -> None:
        reveal(self.panel)
        self.panel.show_information(node_id)

    def closed(self) -> None:
        self.panel.shutdown()  # stop a running simulation and wait for its thread
