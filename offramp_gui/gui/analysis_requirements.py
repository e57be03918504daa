"""The "What would it take" tab: which values of each variable make a node choose a branch.

Pick a decision node (typically the other side's) and the branch you would like it
to choose; the table lists, for each variable with a range (the others at their
values), the intervals in which that branch is the choice, or that no value in
range would make it so. The selected row's whole range is drawn as a band.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ..analysis.catalogue import Run
from ..analysis.catalogue import what_would_it_take as wanted
from ..analysis.flatten import DECISION_KIND, FlatTree
from ..analysis.sensitivity import Threshold
from .analysis_picker import NodePicker, labelled_with_id, same_nodes
from .analysis_tabs import AnalysisPanel, AnalysisTab, labelled, plain_label
from .plots import analysis_plots as plots
from .plots.plot_parts import node_label
from .text import shown, tooltip


def choice_nodes(flat: FlatTree) -> np.ndarray:
    """Decision nodes whose choice could change (not assumed ones)."""
    return np.flatnonzero(flat.kind == DECISION_KIND)


class RequirementsTab(AnalysisTab):
    kind = wanted.WHAT_WOULD_IT_TAKE
    uses_subject = False

    def __init__(self, panel: AnalysisPanel):
        super().__init__(panel, plots.ThresholdPlot())
        self.node = NodePicker(labelled_with_id)
        self.target = QComboBox()
        self.target.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        labelled(self.controls, "&Decision:", self.node)
        labelled(self.controls, "&Make it choose:", self.target)
        self.controls.addStretch(1)
        self.summary = plain_label()
        self.table = self._make_table()
        self._build()
        self.node.currentIndexChanged.connect(lambda _i: self._node_changed())
        self.target.currentIndexChanged.connect(lambda _i: self.changed())
        self.table.itemSelectionChanged.connect(self._row_changed)

    def _make_table(self) -> QTableWidget:
        table = QTableWidget(0, 3)
        table.setHorizontalHeaderLabels(["Variable", "Range", "Chooses it when"])
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        table.setWordWrap(False)
        table.setMinimumWidth(360)
        return table

    def _build(self) -> None:
        layout = self.layout()
        self.splitter = splitter = self.table_beside_plot(self.table)
        layout.insertWidget(2, self.summary)
        layout.insertWidget(3, splitter, 1)

    # ---- what tests read ------------------------------------------------------------
    def rows(self) -> list[tuple[str, str, str]]:
        """(variable, range, answer) of each row, as shown."""
        return [tuple(self.table.item(r, c).text() for c in range(3))  # type: ignore[misc]
                for r in range(self.table.rowCount())]

    def selected_variable(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() \
            else []
        return self.table.item(rows[0].row(), 0).text() if rows else None

    # ---- choosing the node and the branch -------------------------------------------
    def on_results(self, flat: FlatTree | None) -> None:
        super().on_results(flat)
        if flat is not None:
            self._fill_nodes(flat)

    def _fill_nodes(self, flat: FlatTree) -> None:
        if same_nodes(self.node.nodes.flat, flat):  # (an edit of a number)
            self.node.nodes.renumber(flat)
        elif flat is not self.node.nodes.flat:
            self.node.show_nodes(flat, choice_nodes(flat), self.node.node_id())
        self._fill_targets(flat)

    def _fill_targets(self, flat: FlatTree, prefer: str | None = None) -> None:
        node = flat.index.get(self.node.currentData() or "")
        children = [flat.ids[c] for c in flat.children(node)] if node is not None else []
        current = prefer or self.target.currentData()
        if children == [self.target.itemData(k) for k in range(self.target.count())] \
                and prefer is None:
            return
        self.target.blockSignals(True)
        self.target.clear()
        for child in children:
            self.target.addItem(node_label(flat, child, 60), child)
        self.target.setCurrentIndex(children.index(current) if current in children else 0)
        self.target.blockSignals(False)

    def _node_changed(self) -> None:
        flat = self.panel.current_flat()
        if flat is not None:
            self._fill_targets(flat, self._other_branch(self.node.currentData()))
        self.changed()

    def _other_branch(self, node_id: str | None) -> str | None:
        """The first branch not chosen now: what one asks "what would it take" about."""
        results = self.panel.document.results
        flat = self.panel.current_flat()
        if node_id is None or flat is None or results is None or node_id not in flat.index:
            return None
        chosen = results.chosen_id(node_id)
        others = [flat.ids[c] for c in flat.children(flat.index[node_id])
                  if flat.ids[c] != chosen]
        return others[0] if others else None

    def show_node(self, node_id: str, target_id: str | None = None) -> None:
        """Ask about `node_id` (and `target_id`, else a branch it does not choose now)."""
        flat = self.panel.current_flat()
        if flat is None:
            return
        self._fill_nodes(flat)
        index = self.node.findData(node_id)
        if index < 0:
            return
        self.node.blockSignals(True)
        self.node.setCurrentIndex(index)
        self.node.blockSignals(False)
        self._fill_targets(flat, target_id or self._other_branch(node_id))
        self.changed()

    # ---- the parameters and the drawing -----------------------------------------------
    def parameters(self, flat: FlatTree) -> wanted.RequirementsParameters:
        node_id, target = self.node.currentData(), self.target.currentData()
        if node_id is None or target is None:
            raise ValueError("this tree has no decision whose choice could change")
        return wanted.RequirementsParameters(node=node_id, target=target)

    def show_message(self, text: str) -> None:
        super().show_message(text)
        self.splitter.hide()
        self.summary.hide()

    def draw(self, done: Run) -> None:
        self.splitter.show()
        self.summary.show()
        keep = self.selected_variable()
        rows = wanted.answers(done.result)
        names = [name for name, _range, _answer in rows]
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 0:
                    item.setToolTip(tooltip(self._description(done.flat, text)))
                self.table.setItem(row, column, item)
        self.table.blockSignals(False)
        self.table.selectRow(names.index(keep) if keep in names else 0)
        self._row_changed()
        self.summary.setText(shown(wanted.summary(done), 600))

    @staticmethod
    def _description(flat: FlatTree, name: str) -> str | None:
        return next((v.description for v in flat.variables if v.name == name), None)

    def _row_changed(self) -> None:
        found = self._selected_threshold()
        if found is not None and self.run is not None:
            self.plot.set_result(self.run.flat, found)  # type: ignore[attr-defined]

    def _selected_threshold(self) -> Threshold | None:
        if self.run is None:
            return None
        return self.run.result.threshold_of(self.selected_variable() or "")

    def fresh_plot(self, done: Run) -> QWidget:
        return plots.plot_threshold(done.flat, self._selected_threshold()
                                    or done.result.thresholds[0])
