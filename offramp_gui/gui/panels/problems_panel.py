"""ProblemsPanel: what keeps the tree from being evaluated, one line per problem.

It follows `results_ready`, so it lists the structural and the numeric problems the
engine found. Clicking a line (or pressing Enter on it) selects the node concerned.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ...analysis.evaluate import Results
from ...model.issues import Issue, where_in_words
from ...model.tree import Tree
from ..text import shown, tooltip
from .fields import plain_label

if TYPE_CHECKING:
    from ..document import DocumentController

NODE_ROLE = Qt.ItemDataRole.UserRole


def issue_line(issue: Issue, tree: Tree) -> str:
    """One line: the node by its label and id (for a setting, the JSON path) and what
    is wrong."""
    return shown(f"{where_in_words(issue, tree)}: {issue.message}", 500).replace("\n", " ")


class ProblemsPanel(QWidget):
    """The current results' problems; empty when the tree is complete."""

    #: A problem was activated; carries the node id or None.
    problem_activated = Signal(object)

    def __init__(self, document: DocumentController, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self._lines: list[str] = []
        self.list = QListWidget(objectName="problems-list")
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self._empty = plain_label("No problems: the tree is complete.")
        self._empty.setObjectName("problems-empty")
        layout = QVBoxLayout(self)
        layout.addWidget(self._empty, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.list)
        self.list.itemClicked.connect(self._activate)
        self.list.itemActivated.connect(self._activate)  # Enter, or a double click
        document.results_ready.connect(self._show)
        self._show(document.results)

    def count(self) -> int:
        """How many problems are listed."""
        return self.list.count()

    def _show(self, results: Results | None) -> None:
        issues = list(results.issues) if results is not None else []
        lines = [issue_line(issue, self.document.tree) for issue in issues]
        if lines != self._lines:  # a slider drag sends many results; keep the list still
            self._lines = lines
            self._fill(issues, lines)
        self._empty.setVisible(not issues)
        self.list.setVisible(bool(issues))

    def _fill(self, issues: list[Issue], lines: list[str]) -> None:
        self.list.clear()
        for issue, line in zip(issues, lines):
            item = QListWidgetItem(line)
            item.setData(NODE_ROLE, issue.node_id)
            item.setToolTip(tooltip(issue.format()))
            self.list.addItem(item)

    def _activate(self, item: QListWidgetItem) -> None:
        node_id = item.data(NODE_ROLE)
        if node_id is not None:
            self.document.select(node_id)
        self.problem_activated.emit(node_id)
