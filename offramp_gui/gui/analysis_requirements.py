"""The "What would it take" tab: which values of each variable make a node choose a branch.

Pick a decision node (typically the other side's) and the branch you would like it
to choose; the table lists, for each variable with a range (the others at their
values), the intervals in which that branch is the choice, or that no value in
range would make it so. The selected row's whole range is drawn as a band.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ..analysis.flatten import DECISION_KIND, FlatTree
from ..analysis.sensitivity import Subject
from .analysis_tabs import AnalysisTab, labelled, plain_label
from .plots import analysis_plots as plots
from .plots.analysis_rows import Requirements, requirements
from .plots.plot_parts import decision_label, node_label
from .plots.sweep_plots import number
from .text import shown, tooltip

if TYPE_CHECKING:
    from .analysis_dock import AnalysisPanel

NONE_IN_RANGE = "no value in range would"


def choice_nodes(flat: FlatTree) -> list[int]:
    """Decision nodes whose choice could change (not assumed ones)."""
    return [i for i in range(flat.size) if flat.kind[i] == DECISION_KIND]


class RequirementsTab(AnalysisTab):
    slug = "what-would-it-take"
    uses_subject = False

    def __init__(self, panel: AnalysisPanel):
        super().__init__(panel, plots.ThresholdPlot())
        self.node = QComboBox()
        self.node.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
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
        layout.removeWidget(self.plot_area)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.plot_area)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([440, 660])
        self.splitter = splitter
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
        nodes = choice_nodes(flat)
        ids = [flat.ids[i] for i in nodes]
        if ids != [self.node.itemData(k) for k in range(self.node.count())]:
            current = self.node.currentData()
            self.node.blockSignals(True)
            self.node.clear()
            for i in nodes:
                self.node.addItem(f"{decision_label(flat, i)} ({shown(flat.ids[i], 40)})",
                                  flat.ids[i])
            self.node.setCurrentIndex(ids.index(current) if current in ids else 0)
            self.node.blockSignals(False)
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

    # ---- computing and drawing ------------------------------------------------------
    def compute(self, flat: FlatTree, topic: Subject | None) -> Any:
        node_id, target = self.node.currentData(), self.target.currentData()
        if node_id is None or target is None:
            raise ValueError("this tree has no decision whose choice could change")
        found = requirements(flat, node_id, target)
        if not found.thresholds:
            raise ValueError("no variable has a range (min and max) to try")
        return found

    def show_message(self, text: str) -> None:
        super().show_message(text)
        self.splitter.hide()
        self.summary.hide()

    def draw(self, flat: FlatTree, topic: Subject | None, result: Requirements) -> None:
        self.splitter.show()
        self.summary.show()
        keep = self.selected_variable()
        names = sorted(result.variables(), key=lambda name: not result.intervals(name))
        self.table.blockSignals(True)
        self.table.setRowCount(len(names))
        for row, name in enumerate(names):
            found = result.threshold_of(name)
            spans = result.intervals(name)
            answer = "; ".join(f"{number(a)} to {number(b)}" for a, b in spans) \
                or NONE_IN_RANGE
            cells = [name, f"{number(found.low)} to {number(found.high)}", answer]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 0:
                    item.setToolTip(tooltip(self._description(flat, name)))
                self.table.setItem(row, column, item)
        self.table.blockSignals(False)
        self.table.selectRow(names.index(keep) if keep in names else 0)
        self._row_changed()
        self.summary.setText(self._summary(flat, result))

    @staticmethod
    def _description(flat: FlatTree, name: str) -> str | None:
        return next((v.description for v in flat.variables if v.name == name), None)

    def _summary(self, flat: FlatTree, result: Requirements) -> str:
        chosen = self.panel.document.results.chosen_id(result.node) \
            if self.panel.document.results is not None else None
        count = sum(bool(result.intervals(name)) for name in result.variables())
        now = (f"At the tree's values it chooses {node_label(flat, chosen, 80)}."
               if chosen else "At the tree's values its choice cannot be computed.")
        return (f"{now} {count} of {len(result.variables())} variables, each alone, could"
                f" make it choose {node_label(flat, result.target, 80)}.")

    def _row_changed(self) -> None:
        name = self.selected_variable()
        if not self._drawn or name is None:
            return
        flat, _topic, result = self._drawn
        found = result.threshold_of(name)
        if found is not None:
            self.plot.set_result(flat, found)

    def fresh_plot(self) -> QWidget:
        flat, _topic, result = self._drawn
        found = result.threshold_of(self.selected_variable() or result.variables()[0])
        return plots.plot_threshold(flat, found)
