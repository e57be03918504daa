"""EquilibriaPanel: the equilibria of a tree with information sets, to pick the one shown.

Each line is one pure-strategy perfect Bayesian equilibrium with its kind, the players'
values and the outcome chances; choosing a line shows that equilibrium everywhere (the
canvas's bold strategy and beliefs, the values, the outcome chart). Below, the chosen
one's choice and beliefs at each information set, and, for a variable the user picks,
where the set of equilibria changes as it moves over its range. A tree without sets
says so.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...analysis.equilibria import (
    Equilibrium,
    EquilibriumSearch,
    kind_in_words,
    strategy_rows,
)
from ...analysis.equilibria_sweep import equilibria_changes, in_words
from ...analysis.evaluate import Results
from ...analysis.readable import number, percent
from ...analysis.sensitivity import AnalysisError
from ...fileformat.json_io import dumps, loads
from ..background_save import WorkerJob
from ..text import shown
from .fields import plain_label

if TYPE_CHECKING:
    from ..document import DocumentController

NO_SETS = ("No information sets: every player sees every earlier move, and the tree has"
           " one solution, backward induction's. Select decisions of one player and choose"
           " Edit > Join Information Set to make a player unable to tell them apart.")


def equilibrium_line(search: EquilibriumSearch, k: int) -> str:
    """One equilibrium in a line: its number and kind, values at the root, outcomes."""
    found = search.equilibria[k]
    results = found.results
    flat = results.flat
    kind = kind_in_words(found)
    values = ", ".join(f"{name} {number(results.utility[0, p])}"
                       for p, name in enumerate(flat.labels.players))
    chances = sorted(((results.outcomes[0, j], name)
                      for j, name in enumerate(flat.labels.outcomes)), reverse=True)
    outcomes = ", ".join(f"{name} {percent(p)}" for p, name in chances if p > 0)
    return f"{k + 1}. " + (f"{kind}. " if kind else "") + f"{values}. {outcomes}"


def summary(search: EquilibriumSearch) -> str:
    sets, count = len(search.information_sets), len(search.equilibria)
    what = ("optimal strategy" if count == 1 else "optimal strategies") if search.one_player \
        else ("perfect Bayesian equilibrium" if count == 1 else "perfect Bayesian equilibria")
    searched = (f"all {search.profiles:,} strategy profiles searched" if search.complete
                else f"only {search.searched:,} of {search.profiles:,} strategy profiles"
                " searched: there may be more")
    if not count:
        return (f"{sets} information sets; {searched}. No equilibrium in pure strategies:"
                " the values shown are backward induction's, as if each player saw where it"
                " stands (offramp equilibria FILE gives the mixed ones).")
    return (f"{sets} information set{'s' if sets != 1 else ''}; {searched}. {count} {what}"
            " in pure strategies; choose one to show it on the canvas.")


class EquilibriaPanel(QWidget):
    """The document's equilibria; choosing one shows it."""

    def __init__(self, document: DocumentController, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self._lines: list[str] = []
        self.summary = plain_label(NO_SETS)
        self.summary.setObjectName("equilibria-summary")
        self.summary.setWordWrap(True)
        self.list = QListWidget(objectName="equilibria-list")
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table = QTableWidget(0, 4, objectName="equilibria-strategy")
        self.table.setHorizontalHeaderLabels(["Player", "Information set", "Chooses", "Beliefs"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.variable = QComboBox(objectName="equilibria-variable")
        self.variable.setToolTip("A variable with a range, to move over it")
        self.where = QPushButton("Where Does It Change?", objectName="equilibria-where")
        self.where.setToolTip("Search the equilibria across the variable's range and say"
                              " where the set of equilibria changes")
        self.changes = QPlainTextEdit(objectName="equilibria-changes")
        self.changes.setReadOnly(True)
        self.changes.setPlaceholderText(
            "Pick a variable and choose Where Does It Change? to see, across its range,"
            " where equilibria appear, disappear or change what they choose.")
        self.tabs = QTabWidget(objectName="equilibria-tabs")
        self.tabs.addTab(self.table, "Strategy and Beliefs")
        changes = QWidget()
        column = QVBoxLayout(changes)
        row = QHBoxLayout()
        row.addWidget(self.variable, 1)
        row.addWidget(self.where)
        column.addLayout(row)
        column.addWidget(self.changes, 1)
        self.tabs.addTab(changes, "Where It Changes")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.tabs, 2)
        self._search: WorkerJob | None = None
        self.where.clicked.connect(self.show_changes)
        self.list.currentRowChanged.connect(self._chosen)
        document.results_ready.connect(self._show)
        self._show(document.results)

    def _show(self, results: Results | None) -> None:
        search = self.document.equilibria
        has_sets = search is not None and bool(search.information_sets)
        self.list.setVisible(has_sets)
        self.tabs.setVisible(has_sets)
        self._fill_variables()
        if search is None or not has_sets or results is None:
            self.summary.setText(NO_SETS)
            self._lines = []
            self.list.clear()
            return
        self.summary.setText(summary(search))
        lines = [shown(equilibrium_line(search, k), 400) for k in range(len(search.equilibria))]
        index = results.equilibrium.index if results.equilibrium is not None else -1
        if lines != self._lines:  # a slider drag sends many results; keep the list still
            self._lines = lines
            self.list.blockSignals(True)
            self.list.clear()
            for line in lines:
                self.list.addItem(QListWidgetItem(line))
            self.list.blockSignals(False)
        if index >= 0 and self.list.currentRow() != index:
            self.list.blockSignals(True)
            self.list.setCurrentRow(index)
            self.list.blockSignals(False)
        self._fill_strategy(search, search.equilibria[index] if index >= 0 else None)

    def _fill_strategy(self, search: EquilibriumSearch, found: Equilibrium | None) -> None:
        self.table.setRowCount(0)
        if found is None:
            return
        rows = strategy_rows(search, found)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(shown(text, 300))
                item.setToolTip(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(r, c, item)

    def _chosen(self, row: int) -> None:
        if row >= 0:
            self.document.choose_equilibrium(row)

    def _fill_variables(self) -> None:
        tree = self.document.tree
        names = [v.name for v in tree.variables or []
                 if v.min is not None and v.max is not None and v.min < v.max]
        if names != [self.variable.itemText(k) for k in range(self.variable.count())]:
            kept = self.variable.currentText()
            self.variable.clear()
            self.variable.addItems(names)
            if kept in names:
                self.variable.setCurrentText(kept)
        self.where.setEnabled(bool(names) and self._search is None)

    def show_changes(self) -> None:
        """Where the set of equilibria changes as the chosen variable moves over its
        range: searched on a worker, on a copy of the tree (a second or so on a game),
        while the window stays live."""
        variable = self.variable.currentText()
        copy = loads(dumps(self.document.tree)).tree if variable else None
        if copy is None:
            return
        flat = self.document.results.flat
        self.where.setEnabled(False)
        self.changes.setPlainText(f"Searching the equilibria across {variable}…")
        job: WorkerJob[str] = WorkerJob(
            lambda: in_words(equilibria_changes(copy, variable), flat),
            "where the equilibria change", daemon=True)
        job.finished.connect(lambda: self._changes_found(job))
        self._search = job
        job.start()

    def _changes_found(self, job: WorkerJob) -> None:
        if job is not self._search:
            return
        self._search = None
        self.where.setEnabled(True)
        if isinstance(job.error, AnalysisError):
            self.changes.setPlainText(f"Cannot say where the equilibria change: {job.error}.")
        elif job.error is not None:
            raise job.error
        elif job.result is not None:
            self.changes.setPlainText(job.result)
