"""The "Value of information" tab: what knowing a chance event's outcome before a decision
is worth to the player who decides there.

Pick a chance node (or right-click it on the canvas, "What is it worth to know this?")
and a decision above it (the nearest by default); a test's accuracy adds the value of
imperfect information. The answer is said in words, the numbers listed per outcome and
per signal, and the plot draws the decision's value knowing each against not knowing.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHeaderView,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
)

from ..analysis import readable as words
from ..analysis.catalogue import Run
from ..analysis.catalogue import value_of_information as information
from ..analysis.event_information import ancestors
from ..analysis.flatten import CHANCE_KIND, DECISION_KIND, FlatTree
from .analysis_picker import NodePicker, same_nodes
from .analysis_tabs import AnalysisPanel, AnalysisTab, labelled, plain_label
from .plots import analysis_plots as plots
from .plots.plot_parts import decision_label
from .text import shown

DEFAULT_ACCURACY = 80.0  # percent


def event_label(flat: FlatTree, i: int) -> str:
    return f"{decision_label(flat, i)} ({shown(flat.ids[i], 40)})"


def decisions_above(flat: FlatTree, event: int) -> list[int]:
    """The decisions that lead to `event`, nearest first: those that could know it."""
    return [row for row in ancestors(flat, event) if flat.kind[row] == DECISION_KIND]


class InformationTab(AnalysisTab):
    kind = information.VALUE_OF_INFORMATION
    uses_subject = False

    def __init__(self, panel: AnalysisPanel):
        super().__init__(panel, plots.InformationPlot())
        self.event = NodePicker(event_label)
        self.before = QComboBox()
        self.before.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.test = QCheckBox("A &test right")
        self.test.setChecked(True)
        self.accuracy = QDoubleSpinBox()
        self.accuracy.setRange(0.0, 100.0)
        self.accuracy.setDecimals(1)
        self.accuracy.setSingleStep(5.0)
        self.accuracy.setSuffix(" %")
        self.accuracy.setValue(DEFAULT_ACCURACY)
        self.accuracy.setKeyboardTracking(False)
        labelled(self.controls, "&Event:", self.event)
        labelled(self.controls, "&Known before:", self.before)
        self.controls.addWidget(self.test)
        self.controls.addWidget(self.accuracy)
        self.controls.addWidget(plain_label("of the time"))
        self.controls.addStretch(1)
        self.answer = plain_label()
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = self._make_table()
        self._build()
        self.event.currentIndexChanged.connect(lambda _i: self._event_changed())
        self.before.currentIndexChanged.connect(lambda _i: self.changed())
        self.test.toggled.connect(self._test_toggled)
        self.accuracy.valueChanged.connect(lambda _v: self.changed())

    def _make_table(self) -> QTableWidget:
        table = QTableWidget(0, 4)
        table.setHorizontalHeaderLabels(["Known", "Chance", "Choice", "Value"])
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = table.horizontalHeader()
        for column in (0, 1, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
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
        layout.insertWidget(2, self.answer)
        layout.insertWidget(3, splitter, 1)

    # ---- what tests read ------------------------------------------------------------
    def rows(self) -> list[tuple[str, ...]]:
        """(known, chance, choice, value) of each row, as shown."""
        return [tuple(self.table.item(r, c).text() for c in range(4))
                for r in range(self.table.rowCount())]

    # ---- choosing the event and the decision ------------------------------------------
    def on_results(self, flat: FlatTree | None) -> None:
        super().on_results(flat)
        if flat is not None:
            self._fill_events(flat)

    def _fill_events(self, flat: FlatTree) -> None:
        if same_nodes(self.event.nodes.flat, flat):  # (an edit of a number)
            self.event.nodes.renumber(flat)
            return
        if flat is not self.event.nodes.flat:
            self.event.show_nodes(flat, np.flatnonzero(flat.kind == CHANCE_KIND),
                                  self.event.node_id())
        self._fill_decisions(flat)

    def _fill_decisions(self, flat: FlatTree, prefer: str | None = None) -> None:
        event = flat.index.get(self.event.node_id() or "")
        rows = decisions_above(flat, event) if event is not None else []
        ids = [flat.ids[row] for row in rows]
        current = prefer or self.before.currentData()
        self.before.blockSignals(True)
        if ids != [self.before.itemData(k) for k in range(self.before.count())]:
            self.before.clear()
            for row in rows:
                self.before.addItem(event_label(flat, row), flat.ids[row])
        self.before.setCurrentIndex(ids.index(current) if current in ids else 0)
        self.before.blockSignals(False)

    def _event_changed(self) -> None:
        flat = self.panel.current_flat()
        if flat is not None:
            self.before.clear()  # the nearest decision above the new event
            self._fill_decisions(flat)
        self.changed()

    def _test_toggled(self, on: bool) -> None:
        self.accuracy.setEnabled(on)
        self.changed()

    def show_event(self, node_id: str) -> None:
        """Ask what knowing the event at `node_id` is worth, before the nearest decision."""
        flat = self.panel.current_flat()
        if flat is None:
            return
        self._fill_events(flat)
        self.event.blockSignals(True)
        self.event.set_node(node_id)
        self.event.blockSignals(False)
        self.before.clear()
        self._fill_decisions(flat)
        self.changed()

    # ---- the parameters and the drawing -----------------------------------------------
    def parameters(self, flat: FlatTree) -> information.InformationParameters:
        event = self.event.node_id()
        if event is None:
            raise ValueError("this tree has no chance event to learn about")
        accuracy = self.accuracy.value() / 100 if self.test.isChecked() else None
        return information.InformationParameters(event=event,
                                                 before=self.before.currentData(),
                                                 accuracy=accuracy)

    def show_message(self, text: str) -> None:
        super().show_message(text)
        self.splitter.hide()
        self.answer.hide()

    def draw(self, done: Run) -> None:
        self.splitter.show()
        self.answer.show()
        self.answer.setText(shown(information.answer(done), 1200))
        flat, result = done.flat, done.result
        rows = [("Nothing", "100.0%", result.choice, result.value)]
        for knowing in (result.perfect, result.imperfect):
            if knowing is None:
                continue
            rows += [(signal, words.percent(knowing.probability[s]), int(knowing.choices[s]),
                      float(knowing.values[s])) for s, signal in enumerate(knowing.signals)]
        self.table.setRowCount(len(rows))
        for row, (known, chance, choice, value) in enumerate(rows):
            chosen = words.branch(flat, flat.ids[choice]) if choice >= 0 else "—"
            for column, text in enumerate((known, chance, chosen, words.number(value))):
                item = QTableWidgetItem(shown(text, 200))
                if column in (1, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        super().draw(done)
