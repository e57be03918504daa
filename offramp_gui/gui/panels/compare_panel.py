"""CompareWindow: the base case, the what-if values and the scenarios side by side, and a
player deciding in one world while living in another (View > Compare Scenarios…).

Side by Side: a column per scenario picked; the choice at each decision on the solved
paths, the value of the first decision's alternatives for a player, the chance of each
outcome (rows whose columns differ are highlighted), and a chart of the chances. Decide
in One World, Live in Another: a player's choices made believing one scenario, valued in
another against the best choices there, and the regret.

The window solves the tree again when the tree changes (a burst of changes, a slider's
drag, is solved once it pauses), only while it is open, and only for the tab shown.
Each scenario is a full evaluation of the tree. At more than `LARGE` nodes that takes a
moment: it runs on a worker when the document's arrays serve every column
(`scenarios.served_by`: they and a copy of the settings are all it reads, so the tree
may be edited meanwhile), the window saying so until it is done; otherwise (a game, a
tree with problems) on this thread, under a busy cursor.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...analysis.scenarios import (
    SAME,
    Comparison,
    TwoWorlds,
    compare,
    decide_and_live,
    every_column,
    player_at_stake,
    served_by,
)
from ...model.scenarios import Scenario
from ...model.tree import Settings
from .. import format as fmt
from ..background_save import WorkerJob
from ..plots.compare_plot import CompareChart
from ..plots.plot_parts import outcome_colors
from ..text import shown, tooltip
from .fields import plain_label

if TYPE_CHECKING:
    from ..document import DocumentController

EMPTY = ("This tree has no scenarios to compare yet. A scenario is a named set of values"
         " for some variables and weights, kept beside the base case: move values with the"
         " what-if sliders of the Variables panel, then choose “Add from current values” in"
         " the Scenarios panel to keep them as one. Add one for each view you want to set"
         " beside the others (a hawk's, a dove's, the essay's).")
#: Trees larger than this (nodes) are solved on a worker (or under a busy cursor).
LARGE = 20_000
#: What the window says while a worker solves the columns.
SOLVING = "Solving the tree in each column…"
#: A burst of changes (a slider's drag) is solved once it pauses this long (ms); on a
#: large tree, which takes a moment to solve, longer.
PAUSE_MS, LARGE_PAUSE_MS = 150, 1000
#: Cells whose row differs across the columns: a soft background, dark bold text.
DIFFERS_BACKGROUND = QColor("#ffe8a0")
DIFFERS_TEXT = QColor("#1f1f1f")
LABEL_WIDTH = 240
#: The tabs, in order.
SIDE_BY_SIDE, TWO_WORLDS = 0, 1
#: Where a column's item and the worlds' pickers keep the scenario's name as it is.
NAME = Qt.ItemDataRole.UserRole

Solved = Comparison | TwoWorlds


@contextmanager
def busy(large: bool) -> Iterator[None]:
    """A busy cursor over the work, when it is long enough to notice."""
    if large:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        if large:
            QApplication.restoreOverrideCursor()


def two_worlds_in_words(worlds: TwoWorlds, style: fmt.NumberFormat = fmt.AUTOMATIC) -> str:
    """What the player's beliefs cost it, in sentences."""
    player = shown(worlds.player, 80)
    believed, true = shown(worlds.believed, 80), shown(worlds.true, 80)
    if worlds.believed == worlds.true:
        return (f"{player} decides in the world it lives in, “{true}”. Choose another"
                " scenario to decide in, to see what believing it would cost.")
    policy, best = fmt.value(worlds.value_of_policy, style), fmt.value(worlds.value_of_best,
                                                                        style)
    said = (f"{player}, deciding as if “{believed}” were true, makes the choices below. In"
            f" “{true}” they are worth {policy} to it")
    if not math.isfinite(worlds.regret):
        return said + f"; in “{true}” the tree cannot be evaluated."
    if worlds.regret <= SAME * max(1.0, abs(worlds.value_of_best)):
        return (said + f", as much as choosing knowing “{true}”: here, believing"
                f" “{believed}” costs it nothing.")
    return (said + f", where choosing knowing “{true}” is worth {best}. Deciding as if"
            f" “{believed}” were true costs {player} {fmt.value(worlds.regret, style)}"
            f" points of {worlds.values_are} against choosing knowing “{true}”.")


class CompareWindow(QWidget):
    """A window of its own (not modal) beside the main window."""

    def __init__(self, document: DocumentController, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("compare-window")
        self.setWindowTitle("Compare Scenarios")
        self.document = document
        self.comparison: Comparison | None = None
        self.worlds: TwoWorlds | None = None
        #: Columns the user unchecked, by name (a new scenario comes checked).
        self._unchecked: set[str] = set()
        #: The players the user picked (ids); None: the one the numbers pick.
        self._player: str | None = None
        self._worlds_player: str | None = None
        #: The tabs whose contents are out of date (each is solved when shown).
        self._stale = {SIDE_BY_SIDE, TWO_WORLDS}
        #: The table's rows and columns when the splitter was last placed for them.
        self._shape = (0, 0)
        #: The worker solving the tab shown, if any, and whether the tree, the tab or a
        #: pick changed since it started (its result is then dropped and asked again).
        self.job: WorkerJob[Solved] | None = None
        self._outdated = False
        #: While this window brings the document's results up to date itself.
        self._bringing = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.refresh)

        self.columns = QListWidget(objectName="compare-columns")
        self.columns.setFlow(QListView.Flow.LeftToRight)
        self.columns.setSpacing(2)
        self.columns.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.columns.setFixedHeight(self.fontMetrics().height() + 12
                                    + self.columns.horizontalScrollBar().sizeHint().height())
        self.columns.setToolTip("The columns compared: check or uncheck each (Space)")
        self.player = QComboBox(objectName="compare-player")
        self.player.setToolTip("Whose values of the alternatives are shown")
        self.player.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.note = QLabel(objectName="compare-note")
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.note.hide()
        self.table = QTableWidget(0, 1, objectName="compare-table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # Rows grow to their wrapped text once the columns have their widths.
        self._rows_fit = QTimer(self)
        self._rows_fit.setSingleShot(True)
        self._rows_fit.setInterval(0)
        self._rows_fit.timeout.connect(self._fit_rows)
        header.sectionResized.connect(lambda *_: self._rows_fit.start())
        self.chart = CompareChart()
        chart_area = QScrollArea()
        chart_area.setWidget(self.chart)
        chart_area.setWidgetResizable(True)
        chart_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.split = split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(chart_area)
        split.setChildrenCollapsible(False)
        side = QWidget()
        pickers = QHBoxLayout()
        pickers.addWidget(QLabel("Columns:"))
        pickers.addWidget(self.columns, 1)
        pickers.addWidget(QLabel("Values for:"))
        pickers.addWidget(self.player)
        column = QVBoxLayout(side)
        column.addLayout(pickers)
        column.addWidget(self.note)
        column.addWidget(split, 1)

        self.worlds_player = QComboBox(objectName="compare-worlds-player")
        self.worlds_player.setToolTip("The player who decides")
        self.decides_in = QComboBox(objectName="compare-decides-in")
        self.decides_in.setToolTip("The scenario the player believes when it decides")
        self.lives_in = QComboBox(objectName="compare-lives-in")
        self.lives_in.setToolTip("The scenario that is true")
        self.words = QLabel(objectName="compare-words")
        self.words.setTextFormat(Qt.TextFormat.PlainText)
        self.words.setWordWrap(True)
        self.choices = QTableWidget(0, 3, objectName="compare-choices")
        self.choices.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.choices.setWordWrap(True)
        self.choices.verticalHeader().hide()
        self.choices.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.choices.horizontalHeader().sectionResized.connect(
            lambda *_: self._rows_fit.start())
        self.choices.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.policy_value = QLabel(objectName="compare-policy-value")
        self.best_value = QLabel(objectName="compare-best-value")
        self.regret = QLabel(objectName="compare-regret")
        bold = QFont(self.regret.font())
        bold.setBold(True)
        self.regret.setFont(bold)
        self.policy_label, self.best_label, self.regret_label = QLabel(), QLabel(), QLabel()
        numbers = QGridLayout()
        for r, (label, value) in enumerate(((self.policy_label, self.policy_value),
                                            (self.best_label, self.best_value),
                                            (self.regret_label, self.regret))):
            label.setTextFormat(Qt.TextFormat.PlainText)
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            numbers.addWidget(label, r, 0)
            numbers.addWidget(value, r, 1)
        numbers.setColumnStretch(2, 1)
        worlds = QWidget()
        row = QHBoxLayout()
        for text, picker in (("Player:", self.worlds_player), ("Decides in:", self.decides_in),
                             ("Lives in:", self.lives_in)):
            label = QLabel(text)
            label.setBuddy(picker)
            row.addWidget(label)
            row.addWidget(picker, 1)
        layout = QVBoxLayout(worlds)
        layout.addLayout(row)
        layout.addWidget(self.words)
        layout.addLayout(numbers)
        layout.addWidget(self.choices)
        layout.addStretch(1)

        self.tabs = QTabWidget(objectName="compare-tabs")
        self.tabs.addTab(side, "Side by Side")
        self.tabs.addTab(worlds, "Decide in One World, Live in Another")
        self.empty = plain_label(EMPTY)
        self.empty.setObjectName("compare-empty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setMargin(24)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.tabs)
        self.pages.addWidget(self.empty)
        QVBoxLayout(self).addWidget(self.pages)
        for keys in (QKeySequence.StandardKey.Close, QKeySequence("Escape")):
            QShortcut(keys, self, self.close)
        self.resize(900, 680)

        self.columns.itemChanged.connect(self._column_checked)
        self.player.activated.connect(lambda _k: self._picked(self.player, "_player"))
        self.worlds_player.activated.connect(
            lambda _k: self._picked(self.worlds_player, "_worlds_player"))
        self.decides_in.activated.connect(lambda _k: self.refresh())
        self.lives_in.activated.connect(lambda _k: self.refresh())
        self.tabs.currentChanged.connect(self._tab_shown)
        document.results_ready.connect(self._changed)
        document.document_reset.connect(self._reset)

    # ---- when to solve ----------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.tabs.currentIndex() in self._stale:
            self.refresh()

    def _tab_shown(self, tab: int) -> None:
        if tab in self._stale:
            self.refresh()

    def _changed(self, _results: object = None) -> None:
        if self._bringing:  # (the results this window asked for, to solve now)
            return
        self._stale = {SIDE_BY_SIDE, TWO_WORLDS}
        if self.isVisible():
            large = len(self.document.tree) > LARGE
            self._timer.start(LARGE_PAUSE_MS if large else PAUSE_MS)

    def _reset(self) -> None:
        """Another tree: the picks made for the last one no longer apply."""
        self._unchecked.clear()
        self._player = self._worlds_player = None
        for picker in (self.decides_in, self.lives_in):
            picker.clear()
        self._changed()

    def _column_checked(self, item: QListWidgetItem) -> None:
        name = item.data(NAME)
        if item.checkState() == Qt.CheckState.Checked:
            self._unchecked.discard(name)
        else:
            self._unchecked.add(name)
        self.refresh()

    def _picked(self, picker: QComboBox, attribute: str) -> None:
        setattr(self, attribute, picker.currentData())
        self.refresh()

    def refresh(self) -> None:
        """Solve the tree in each scenario the tab shown needs: now, or on a worker."""
        self._timer.stop()
        if self.job is not None:  # (asked again once it is done)
            self._outdated = True
            return
        tree = self.document.tree
        large = len(tree) > LARGE
        if large and self.document.current_shape() is None:
            # An edit waits for its results (a slider just moved): brought now, the
            # document's arrays serve the columns, where else the nodes are read again.
            self._bringing = True
            try:
                self.document.recompute()
            finally:
                self._bringing = False
        every = every_column(tree)
        self._fill_pickers(every)
        if len(every) < 2:
            self.pages.setCurrentWidget(self.empty)
            self.comparison = self.worlds = None
            return
        self.pages.setCurrentWidget(self.tabs)
        tab = self.tabs.currentIndex()
        self._stale.discard(tab)
        if tab == SIDE_BY_SIDE:
            columns = [s for s in every if s.name not in self._unchecked]
            if not columns:
                self._show_comparison(None)
                return
            solve: Callable[[Settings], Solved] = self._comparing(columns)
        else:
            named = {s.name: s for s in every}
            columns = [named[name] for name in (self.decides_in.currentData(),
                                                self.lives_in.currentData()) if name in named]
            if len(columns) < 2:
                return
            solve = self._deciding_and_living(*columns)
        if large and served_by(self.document.current_shape(), tree, columns):
            settings = Settings()
            settings.copy_settings_from(tree)  # (edits replace these, never change them)
            self._solve_apart(tab, lambda: solve(settings))
            return
        with busy(large):
            self._show(solve(tree))

    def _solve_apart(self, tab: int, solve: Callable[[], Solved]) -> None:
        job: WorkerJob[Solved] = WorkerJob(solve, "offramp-compare", daemon=True)
        job.finished.connect(lambda: self._solved_apart(job, tab))
        self.job, self._outdated = job, False
        (self.note if tab == SIDE_BY_SIDE else self.words).setText(SOLVING)
        self.note.setVisible(tab == SIDE_BY_SIDE)
        job.start()

    def _solved_apart(self, job: WorkerJob[Solved], tab: int) -> None:
        """Show what the worker found, unless it is out of date: then ask again."""
        self.job = None
        if self._outdated or tab != self.tabs.currentIndex():
            self._stale.add(tab)
            if self.isVisible():
                self.refresh()
            return
        if job.error is not None:  # (an evaluation's problems come as its issues)
            raise job.error
        assert job.result is not None
        self._show(job.result)

    def _show(self, solved: Solved) -> None:
        if isinstance(solved, TwoWorlds):
            self._show_worlds(solved)
        else:
            self._show_comparison(solved)

    # ---- the pickers ------------------------------------------------------------------
    def _fill_pickers(self, every: list[Scenario]) -> None:
        names = [s.name for s in every]
        if names != [self.columns.item(k).data(NAME) for k in range(self.columns.count())]:
            self.columns.blockSignals(True)
            self.columns.clear()
            for name in names:
                item = QListWidgetItem(shown(name, 80))
                item.setData(NAME, name)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                              | Qt.ItemFlag.ItemIsSelectable)
                item.setCheckState(Qt.CheckState.Unchecked if name in self._unchecked
                                   else Qt.CheckState.Checked)
                item.setToolTip(tooltip(next((s.note for s in every if s.name == name),
                                             None) or name))
                self.columns.addItem(item)
            self.columns.blockSignals(False)
        players = [(p.id, p.name or p.id) for p in self.document.tree.effective_players()]
        for picker in (self.player, self.worlds_player):
            if players != [(picker.itemData(k), picker.itemText(k))
                           for k in range(picker.count())]:
                picker.clear()
                for player_id, name in players:
                    picker.addItem(shown(name, 80), player_id)
        for picker, default in ((self.decides_in, 1), (self.lives_in, 0)):
            if names != [picker.itemData(k) for k in range(picker.count())]:
                kept = picker.currentData()
                picker.clear()
                for name in names:
                    picker.addItem(shown(name, 80), name)
                picker.setCurrentIndex(names.index(kept) if kept in names
                                       else min(default, len(names) - 1))

    @staticmethod
    def _show_player(picker: QComboBox, player_id: str) -> None:
        index = picker.findData(player_id)
        if index >= 0:
            picker.setCurrentIndex(index)

    def _player_ids(self) -> list[str]:
        return [p.id for p in self.document.tree.effective_players()]

    # ---- side by side -----------------------------------------------------------------
    def _comparing(self, columns: list[Scenario]) -> Callable[[Settings], Comparison]:
        """The work of Side by Side: what it reads of the tree is taken now."""
        player = self._player if self._player in self._player_ids() else None
        flat = self.document.current_shape()
        return lambda tree: compare(tree, columns, player, flat)

    def _show_comparison(self, comparison: Comparison | None) -> None:
        self.comparison = comparison
        if comparison is None:
            self._say("Check at least one column to compare.")
            self.table.setRowCount(0)
            self.chart.set_chances([], [], [])
            return
        tree = self.document.tree
        flat = comparison.columns[0].results.flat
        if comparison.player in flat.labels.players:
            self._show_player(self.player,
                              flat.players[flat.labels.players.index(comparison.player)])
        style = fmt.NumberFormat.of(tree.display)
        self._fill_table(comparison, style)
        keys = dict(zip(flat.labels.outcomes, comparison.columns[0].results.outcome_keys))
        drawn = [row for row in comparison.outcomes if any(v > 0 for v in row.values)]
        own = {o.id: o.color for o in tree.outcomes or [] if o.color}
        self.chart.set_chances([c.name for c in comparison.columns],
                               [(row.label, row.values) for row in drawn],
                               outcome_colors([keys.get(row.label, "") for row in drawn], own),
                               style)
        notes = [] if tree.scenarios else [
            "This tree has no named scenarios yet: choose “Add from current values” in the"
            " Scenarios panel to keep the what-if values as one."]
        notes += [f"In “{c.name}” the tree cannot be evaluated: {c.results.issues[0].message}"
                  for c in comparison.columns if c.results.issues]
        self._say(" ".join(notes))

    def _say(self, text: str) -> None:
        self.note.setText(shown(text, 600))
        self.note.setVisible(bool(text))

    def _fill_table(self, comparison: Comparison, style: fmt.NumberFormat) -> None:
        table = self.table
        table.clearSpans()
        names = [c.name for c in comparison.columns]
        table.setColumnCount(1 + len(names))
        table.setHorizontalHeaderLabels(["", *(shown(n, 80) for n in names)])
        for k, column in enumerate(comparison.columns, 1):
            table.horizontalHeaderItem(k).setToolTip(tooltip(column.name, column.note))
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, LABEL_WIDTH)
        rows: list[tuple[str, list[str], bool, str]] = []
        sections: list[int] = []
        sections.append(len(rows))
        rows.append(("Decisions on the solved paths", [], False, ""))
        for decision in comparison.decisions:
            rows.append((decision.label, [c or "—" for c in decision.choices],
                         decision.differs, f"Decided by {decision.decider}"))
        if comparison.decision is not None:
            sections.append(len(rows))
            rows.append((f"Value of each alternative at “{comparison.decision}” for"
                         f" {comparison.player} ({comparison.values_are})", [], False, ""))
            for value in comparison.alternatives:
                texts = [fmt.value(v, style) for v in value.values]
                rows.append((value.label, texts, value.differs and len(set(texts)) > 1, ""))
        sections.append(len(rows))
        rows.append(("Chance of each outcome", [], False, ""))
        for chance in comparison.outcomes:
            texts = [fmt.probability(v, style) for v in chance.values]
            rows.append((chance.label, texts, chance.differs and len(set(texts)) > 1, ""))
        table.setRowCount(len(rows))
        numbers = range(sections[1], len(rows))  # the values and the chances
        for r, (label, cells, differs, tip) in enumerate(rows):
            if r in sections:
                self._section(r, label, len(names) + 1)
                continue
            self._cell(r, 0, label, differs, tooltip(label, tip), False)
            for k, text in enumerate(cells, 1):
                self._cell(r, k, text, differs, tooltip(text), r in numbers)
        self._fit_rows()
        shape = (len(rows), len(names))
        if shape != self._shape and self._share_room():  # (else the splitter stays put)
            self._shape = shape

    def _fit_rows(self) -> None:
        """Rows as tall as their wrapped text; the choices' table as tall as its rows."""
        self.table.resizeRowsToContents()
        self.choices.resizeRowsToContents()
        self.choices.setFixedHeight(_content_height(self.choices))

    def _share_room(self) -> bool:
        """The table gets the room its rows need, up to most of it; the chart the rest.
        False while the splitter has no room yet."""
        total = sum(self.split.sizes())
        if total <= 0:
            return False
        wanted = min(_content_height(self.table), int(0.62 * total))
        self.split.setSizes([wanted, total - wanted])
        return True

    def _section(self, row: int, title: str, span: int) -> None:
        item = QTableWidgetItem(shown(title, 300))
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = QFont(self.table.font())
        font.setBold(True)
        item.setFont(font)
        item.setBackground(self.palette().alternateBase())
        self.table.setItem(row, 0, item)
        self.table.setSpan(row, 0, 1, span)

    def _cell(self, row: int, column: int, text: str, differs: bool, tip: str,
              number: bool) -> None:
        item = QTableWidgetItem(shown(text, 300))
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        item.setToolTip(tip)
        if number:
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if differs:
            mark(item)
        self.table.setItem(row, column, item)

    # ---- decide in one world, live in another ----------------------------------------
    def _deciding_and_living(self, believed: Scenario,
                             true: Scenario) -> Callable[[Settings], TwoWorlds]:
        """The work of Decide in One World, Live in Another: what it reads of the tree
        is taken now."""
        picked = self._worlds_player if self._worlds_player in self._player_ids() else None
        # (Over the document's arrays when they are of the tree as it is.)
        flat = self.document.current_shape()

        def solve(tree: Settings) -> TwoWorlds:
            player = picked or player_at_stake(tree, believed, true, flat)
            return decide_and_live(tree, believed, true, player, flat)
        return solve

    def _show_worlds(self, worlds: TwoWorlds) -> None:
        self.worlds = worlds
        flat = worlds.held.flat
        self._show_player(self.worlds_player,
                          flat.players[flat.labels.players.index(worlds.player)])
        style = fmt.NumberFormat.of(self.document.tree.display)
        self.words.setText(two_worlds_in_words(worlds, style))
        b, t = shown(worlds.believed, 60), shown(worlds.true, 60)
        self.choices.setHorizontalHeaderLabels(["Decision", f"Chosen believing “{b}”",
                                                f"Best knowing “{t}”"])
        self.choices.setRowCount(len(worlds.choices))
        for r, (decision, chosen, best) in enumerate(worlds.choices):
            for k, text in enumerate((decision, chosen or "—", best or "—")):
                item = QTableWidgetItem(shown(text, 300))
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                item.setToolTip(tooltip(text))
                if chosen != best:
                    mark(item)
                self.choices.setItem(r, k, item)
        self._fit_rows()
        self.policy_label.setText(f"Value in “{t}” of the choices made believing “{b}”:")
        self.best_label.setText(f"Best value in “{t}”:")
        self.policy_value.setText(fmt.value(worlds.value_of_policy, style))
        self.best_value.setText(fmt.value(worlds.value_of_best, style))
        self.regret_label.setText(f"Regret ({worlds.values_are}):")
        self.regret.setText(fmt.value(worlds.regret, style))


def _content_height(table: QTableWidget) -> int:
    rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
    return rows + table.horizontalHeader().height() + 2 * table.frameWidth() + 2


def mark(item: QTableWidgetItem) -> None:
    """A cell of a row whose columns differ: a soft background, dark bold text."""
    item.setBackground(QBrush(DIFFERS_BACKGROUND))
    item.setForeground(QBrush(DIFFERS_TEXT))
    font = QFont(item.font())
    font.setBold(True)
    item.setFont(font)
