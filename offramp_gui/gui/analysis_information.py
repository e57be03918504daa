"""The "Value of information" tab: what knowing a chance event's outcome before a decision
is worth to the player who decides there.

Pick a chance node (or right-click it on the canvas, "What is it worth to know this?")
and a decision above it (the nearest by default); a test's accuracy, or the chance of
each of its signals given each outcome ("By signal"), adds the value of imperfect
information. The answer is said in words, the numbers listed per outcome and per
signal, and the plot draws the decision's value knowing each against not knowing.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..analysis import readable as words
from ..analysis.catalogue import Run
from ..analysis.catalogue import value_of_information as information
from ..analysis.event_information import accuracy_likelihood, ancestors
from ..analysis.flatten import CHANCE_KIND, DECISION_KIND, FlatTree
from .analysis_picker import NodePicker, labelled_with_id, same_nodes
from .analysis_tabs import AnalysisPanel, AnalysisTab, labelled, plain_label
from .plots import analysis_plots as plots
from .text import shown

DEFAULT_ACCURACY = 80.0  # percent
SIGNALS_HEIGHT = 140  # px: the table of signals, when shown


def decisions_above(flat: FlatTree, event: int) -> list[int]:
    """The decisions that lead to `event`, nearest first: those that could know it."""
    return [row for row in ancestors(flat, event) if flat.kind[row] == DECISION_KIND]


class InformationTab(AnalysisTab):
    kind = information.VALUE_OF_INFORMATION
    uses_subject = False

    def __init__(self, panel: AnalysisPanel):
        super().__init__(panel, plots.InformationPlot())
        self.event = NodePicker(labelled_with_id)
        self.before = QComboBox()
        self.before.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.before.setMinimumContentsLength(20)
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
        self.controls.addStretch(1)
        # The test on a row of its own: with the two pickers, one row would be wider
        # than the window may be.
        self.test_row = QHBoxLayout()
        self.test_row.setContentsMargins(0, 0, 0, 0)
        self.test_row.addWidget(self.test)
        self.test_row.addWidget(self.accuracy)
        self.test_row.addWidget(plain_label("of the time"))
        self.by_signal = QCheckBox("&By signal")
        self.by_signal.setToolTip("Give the chance of each signal of the test given each"
                                  " outcome")
        self.test_row.addWidget(self.by_signal)
        self.test_row.addStretch(1)
        self.signals = SignalTable()
        self.answer = plain_label()
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = self._make_table()
        self._build()
        self.event.currentIndexChanged.connect(lambda _i: self._event_changed())
        self.before.currentIndexChanged.connect(lambda _i: self.changed())
        self.test.toggled.connect(self._test_toggled)
        self.accuracy.valueChanged.connect(lambda _v: self.changed())
        self.by_signal.toggled.connect(self._by_signal_toggled)
        self.signals.edited.connect(self.changed)

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
        self.splitter = splitter = self.table_beside_plot(self.table)
        layout.insertLayout(1, self.test_row)
        layout.insertWidget(2, self.signals)
        self.signals.hide()
        layout.insertWidget(4, self.answer)
        layout.insertWidget(5, splitter, 1)

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
                self.before.addItem(labelled_with_id(flat, row), flat.ids[row])
        self.before.setCurrentIndex(ids.index(current) if current in ids else 0)
        self.before.blockSignals(False)

    def _event_changed(self) -> None:
        flat = self.panel.current_flat()
        if flat is not None:
            self.before.clear()  # the nearest decision above the new event
            self._fill_decisions(flat)
            if self.by_signal.isChecked():
                self._reset_signals()
        self.changed()

    def _test_toggled(self, on: bool) -> None:
        self.accuracy.setEnabled(on and not self.by_signal.isChecked())
        self.by_signal.setEnabled(on)
        self.signals.setVisible(on and self.by_signal.isChecked())
        self.changed()

    def _by_signal_toggled(self, on: bool) -> None:
        """Start the table from the accuracy set: one signal per outcome."""
        self.accuracy.setEnabled(not on)
        if on:
            self._reset_signals()
        self.signals.setVisible(on)
        self.changed()

    def _reset_signals(self) -> None:
        flat = self.panel.current_flat()
        event = flat.index.get(self.event.node_id() or "") if flat is not None else None
        if flat is None or event is None:
            return
        children = list(flat.children(event))
        labels = [words.branch(flat, flat.ids[c]) for c in children]
        table = accuracy_likelihood(self.accuracy.value() / 100, len(children))
        self.signals.fill([flat.ids[c] for c in children], labels,
                          [(f"says {label}", list(row)) for label, row in zip(
                              labels, table.tolist(), strict=True)])

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
        if self.by_signal.isChecked():
            self._reset_signals()
        self.changed()

    # ---- the parameters and the drawing -----------------------------------------------
    def parameters(self, flat: FlatTree) -> information.InformationParameters:
        event = self.event.node_id()
        if event is None:
            raise ValueError("this tree has no chance event to learn about")
        testing, by_signal = self.test.isChecked(), self.by_signal.isChecked()
        accuracy = self.accuracy.value() / 100 if testing and not by_signal else None
        likelihood = self.signals.likelihood() if testing and by_signal else None
        return information.InformationParameters(event=event,
                                                 before=self.before.currentData(),
                                                 accuracy=accuracy, likelihood=likelihood)

    def show_message(self, text: str) -> None:
        super().show_message(text)
        self.splitter.hide()
        self.answer.hide()

    def draw(self, done: Run) -> None:
        self.splitter.show()
        self.answer.show()
        self.answer.setText(shown(information.answer(done), 1200))
        flat, result = done.flat, done.result
        rows = [("Not knowing", "100.0%", result.choice, result.value)]
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


class SignalTable(QWidget):
    """The test by signal: a row per signal, its name and its chance given each outcome
    (a column per outcome), with buttons to add and remove signals."""

    #: A name or a chance was edited, or a signal added or removed.
    edited = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.table = QTableWidget(0, 1)
        self.table.verticalHeader().hide()
        self.table.setMaximumHeight(SIGNALS_HEIGHT)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.add_button = QPushButton("&Add signal")
        self.remove_button = QPushButton("&Remove signal")
        self.add_button.clicked.connect(self.add_signal)
        self.remove_button.clicked.connect(self.remove_signal)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._outcomes: list[str] = []
        self.table.itemChanged.connect(lambda _item: self.edited.emit())

    def fill(self, outcomes: list[str], labels: list[str],
             rows: list[tuple[str, list[float]]]) -> None:
        """Outcome ids and labels (the columns), and each signal's name and chances."""
        self._outcomes = outcomes
        self.table.blockSignals(True)
        self.table.clear()
        self.table.setColumnCount(1 + len(outcomes))
        self.table.setHorizontalHeaderLabels(
            ["Signal", *(f"given {shown(label, 40)}" for label in labels)])
        self.table.setRowCount(0)
        for name, chances in rows:
            self._append(name, chances)
        self.table.blockSignals(False)

    def _append(self, name: str, chances: list[float]) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(name))
        for k, chance in enumerate(chances, 1):
            item = QTableWidgetItem(f"{chance:.4g}")
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, k, item)

    def add_signal(self) -> None:
        self.table.blockSignals(True)
        self._append(f"signal {self.table.rowCount() + 1}", [0.0] * len(self._outcomes))
        self.table.blockSignals(False)
        self.edited.emit()

    def remove_signal(self) -> None:
        row = self.table.currentRow()
        if self.table.rowCount() <= 1:
            return
        self.table.removeRow(row if row >= 0 else self.table.rowCount() - 1)
        self.edited.emit()

    def set_chance(self, row: int, outcome: int, text: str) -> None:
        """Type `text` as the chance of signal `row` given outcome `outcome` (from 0)."""
        self.table.item(row, 1 + outcome).setText(text)

    def likelihood(self) -> dict[str, dict[str, float]]:
        """{signal: {outcome id: P(signal | outcome)}}; a cell that is not a number is
        refused, naming it."""
        found: dict[str, dict[str, float]] = {}
        for row in range(self.table.rowCount()):
            name = self.table.item(row, 0).text().strip()
            if name in found:
                raise ValueError(f"the signal “{name}” is named twice")
            chances = found[name] = {}
            for k, outcome in enumerate(self._outcomes, 1):
                text = self.table.item(row, k).text().strip()
                try:
                    chances[outcome] = float(text or "0")
                except ValueError:
                    header = self.table.horizontalHeaderItem(k).text()
                    raise ValueError(f"the chance of “{name}” {header} must be a number,"
                                     f" not “{text}”") from None
        return found
