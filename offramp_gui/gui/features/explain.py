"""The Explain dock (the reasoning in words), and "Explain This Decision" on a decision's
context menu."""
from __future__ import annotations

from PySide6.QtCore import Qt

from ...model.tree import DECISION
from ..contributions import ContextItem, Contributions, DockSpec, reveal
from ..document import DocumentController
from ..panels.explain_panel import ExplainPanel

WHATS_THIS = ("<b>Explain</b> says in words why the selected decision goes as it does: who"
              " decides, what it picks, the runner-up and by how much, the criteria that"
              " make the difference, and each variable that alone would change it and"
              " where. Below, the solved path is told from the root to the chances of the"
              " outcomes; with no decision selected, each decision on the path is explained"
              " in turn. Copy takes the text.")


class ExplainFeature:
    name = "explain"

    def __init__(self, document: DocumentController):
        self.document = document
        self.panel = ExplainPanel(document)

    def contributions(self) -> Contributions:
        return Contributions(
            docks=(DockSpec("explain", "E&xplain", self.panel,
                            Qt.DockWidgetArea.RightDockWidgetArea, 35,
                            tabify_with="weights", whats_this=WHATS_THIS),),
            context_items=(ContextItem(
                "Explain This Decision", self.explain, self.is_decision, "5_analysis", -1,
                tip="Why this decision goes as it does, in words"),))

    def is_decision(self, node_id: str) -> bool:
        tree = self.document.tree
        return node_id in tree and tree.node(node_id).type == DECISION \
            and bool(tree.node(node_id).children)

    def explain(self, node_id: str) -> None:
        self.document.select(node_id)
        reveal(self.panel)
