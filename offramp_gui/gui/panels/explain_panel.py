"""ExplainPanel: the reasoning in words (analysis/explain.py), following the selection.

A selected decision is explained on its own (who decides, what it picks, the runner-up
and the margin, the criteria that make it, the variables that alone would change it,
how often it holds), then the solved path is told; with anything else selected, the
path comes first, then each decision on it.

The panel works only while it shows. After a change (new results, another decision
selected, a Monte Carlo run) it waits for a pause, then writes the quick part on the
window's thread for a small tree, and looks for the thresholds on a worker thread,
saying so until they come; for a large tree the whole explanation is made on a
worker. A worker reads a snapshot: the results' flattened tree (which never changes),
solved again there, and a copy of what it reads of the tree. One job of each kind runs
at a time; a request made meanwhile waits, and only the newest: an older result is
dropped.
"""
from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QColor, QGuiApplication, QKeySequence, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...analysis.catalogue import Run
from ...analysis.display import NumberFormat
from ...analysis.evaluate import evaluate
from ...analysis.explain import ChoiceShares, Explanation, choice_shares, explain
from ...analysis.flatten import ASSUMED_KIND, DECISION_KIND, FlatTree
from ...analysis.montecarlo import uncertain_variables
from ...fileformat.json_io import dumps, loads
from ...model.tree import Settings
from ..background_save import WorkerJob
from ..on_screen import on_screen, when_brought_into_view
from ..text import shown
from .explain_page import Look, page, plain_text
from .fields import plain_label

if TYPE_CHECKING:
    from ...analysis.evaluate import Results
    from ..document import DocumentController

DEBOUNCE_MS = 150
#: The quick part (no thresholds) is written on the window's thread up to this many
#: nodes for one decision (about 10 ms at 20,000), and up to PATH_INLINE for the whole
#: path (which walks every node: 50 ms at 5,000); past that, on a worker.
ONE_INLINE = 20_000
PATH_INLINE = 5_000
#: Past this many nodes the variables that would change a choice are sought only when
#: asked (Find What Would Change It): about 2 s of a worker at 100,000 nodes, close to a
#: minute at a million, the window slowed meanwhile.
THRESHOLDS_BY_THEMSELVES_UP_TO = 100_000
#: Samples drawn when asked how often the choices hold, and their seed.
HOLD_SAMPLES = 10_000
HOLD_SEED = 0
NOT_READY = "The tree has problems (see the Problems panel); fix them to explain it."
EXPLAINING = "Explaining…"


@dataclass(frozen=True)
class Request:
    """What to explain, taken on the window's thread: all a worker reads."""

    generation: int
    subject: str | None  # the decision explained on its own, or None: the path
    tree: Settings  # the display settings (and, in a game, a copy of the whole tree)
    flat: FlatTree  # the results' snapshot
    results: Results  # the document's (read on the window's thread only)
    simulation: ChoiceShares | Run | None

    def explained(self, thresholds: bool, here: bool = False) -> Explanation:
        """The explanation; `here` (the window's thread) reads the document's results,
        a worker solves the snapshot again (the same numbers: a game's equilibrium is
        held in it)."""
        results = self.results
        if not here:
            results = dataclasses.replace(evaluate(self.flat),
                                          equilibrium=self.results.equilibrium)
        nodes = None if self.subject is None else [self.subject]
        return explain(self.tree, nodes, self.simulation, results=results,
                       thresholds=thresholds)


class Lane(QObject):
    """Jobs of one kind, one at a time on a worker thread: a job asked for while one
    runs waits, and a newer one replaces it. `done(generation, result, error)` is told
    of each job that ran (not once the lane is gone: the panel closed)."""

    def __init__(self, name: str, done: Callable[[int, Any, Exception | None], None],
                 parent: QObject | None = None):
        super().__init__(parent)
        self.name, self.done = name, done
        self._job: WorkerJob | None = None
        self._generation = 0
        self._waiting: tuple[int, Callable[[], Any]] | None = None

    @property
    def busy(self) -> bool:
        return self._job is not None

    def ask(self, generation: int, work: Callable[[], Any]) -> None:
        if self._job is not None:
            self._waiting = (generation, work)
            return
        job: WorkerJob = WorkerJob(work, self.name, daemon=True)
        job.finished.connect(self._finished)  # (a slot of the lane: gone with it)
        self._job, self._generation = job, generation
        job.start()

    def drop(self) -> None:
        """Forget what waits (the running job's result is dropped by its generation)."""
        self._waiting = None

    @Slot()
    def _finished(self) -> None:
        job = self._job
        if job is None or self.sender() is not job:
            return
        self._job = None
        waiting, self._waiting = self._waiting, None
        self.done(self._generation, job.result, job.error)
        if waiting is not None:
            self.ask(*waiting)


class ExplainPanel(QWidget):
    """The Explain dock's widget."""

    def __init__(self, document: DocumentController, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setReadOnly(True)
        self.hold_button = QPushButton("How often does it &hold?")
        self.hold_button.setToolTip(
            f"Draw {HOLD_SAMPLES:,} samples of the variables that have a distribution and"
            " count how often each decision makes the same choice")
        self.cancel_button = QPushButton("Cancel")
        self.find_button = QPushButton("&Find What Would Change It")
        self.find_button.setToolTip("Look for the values of each variable at which these"
                                    " choices change (on a large tree, this takes a while)")
        self.find_button.hide()
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(True)
        self.copy_action = QAction("&Copy Explanation", self)
        self.copy_action.setToolTip("Copy the explanation as plain text")
        self.copy_action.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.copy_action.triggered.connect(self.copy)
        self.addAction(self.copy_action)
        copy_button = QToolButton()
        copy_button.setDefaultAction(self.copy_action)
        copy_button.setText("Copy")
        self.status = plain_label()
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: palette(placeholder-text);")
        self.status.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.hold_button)
        row.addWidget(self.find_button)
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        row.addStretch(0)
        row.addWidget(copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.browser, 1)
        self.hold_button.clicked.connect(self.count_holding)
        self.find_button.clicked.connect(self.find_thresholds)
        self.cancel_button.clicked.connect(self.cancel_holding)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)
        self._dirty = True
        self._generation = 0
        self._request: Request | None = None
        #: What the page shows: (explanation, subject, pending thresholds).
        self._shown: tuple[Explanation, str | None, bool] | None = None
        self._quick = Lane("explain", self._quick_done, self)
        self._full = Lane("explain thresholds", self._full_done, self)
        #: How often each choice holds, drawn on request, and the snapshot drawn from.
        self._shares: tuple[FlatTree, ChoiceShares] | None = None
        self._sampling: WorkerJob | None = None
        self._sampled_flat: FlatTree | None = None
        for signal in (document.results_ready, document.simulation_changed):
            signal.connect(self._changed)
        document.selection_changed.connect(self._selection_changed)
        document.document_reset.connect(self._reset)
        self._subject = self._subject_now()
        self._show_sampling(False)

    # ---- when to explain again ----------------------------------------------------------
    def _changed(self, *_args: object) -> None:
        self._dirty = True
        if on_screen(self):
            self._timer.start()

    def _selection_changed(self, _node_id: object = None) -> None:
        if self._subject_now() != self._subject:
            self._changed()

    def _reset(self) -> None:
        self.cancel_holding()
        self._shares = None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        when_brought_into_view(self, self._into_view)
        if on_screen(self):
            self._into_view()

    def _into_view(self) -> None:
        if self._dirty:
            self._timer.start()

    def _subject_now(self) -> str | None:
        """The selected decision (an assumed one too), or None."""
        results, node = self.document.results, self.document.selected_id
        if results is None or node is None:
            return None
        i = results.flat.index.get(node)
        if i is None or results.flat.kind[i] not in (DECISION_KIND, ASSUMED_KIND):
            return None
        return node

    # ---- explaining -------------------------------------------------------------------
    def refresh(self) -> None:
        """Explain the tree as it is now (the quick part at once where it is cheap)."""
        self._timer.stop()
        self._dirty = False
        self._generation += 1
        self._quick.drop()
        self._full.drop()
        self._subject = self._subject_now()
        self.status.hide()  # (what it said is of the tree before)
        self.find_button.hide()
        results = self.document.results
        self._update_hold_button()
        if results is None or results.issues or not results.flat.size:
            self._request = None
            self._shown = None
            self._write_message(NOT_READY if results is not None and results.issues else "")
            return
        request = self._request = Request(self._generation, self._subject, self._reader(),
                                          results.flat, results, self._simulation(results))
        inline = ONE_INLINE if request.subject is not None else PATH_INLINE
        if results.flat.size <= inline:
            quick = dataclasses.replace(request, tree=self.document.tree)
            try:
                told = quick.explained(thresholds=False, here=True)
            except ValueError as error:  # (what the engine refuses, in its words)
                self._request = self._shown = None
                self._write_message(f"This cannot be explained: {error}")
                return
            self._seek_thresholds(request, told)
        else:
            self.status.setText(EXPLAINING)
            self.status.show()
            self._quick.ask(request.generation, lambda: request.explained(thresholds=False))

    def _reader(self) -> Settings:
        """What a worker may read of the tree: its settings (the number format), or in
        a game a copy of it all (the names of the information sets; a game is small)."""
        tree = self.document.tree
        if self.document.equilibria is not None:
            copied = loads(dumps(tree)).tree
            if copied is not None:
                return copied
        settings = Settings(tree.title)
        settings.copy_settings_from(tree)
        settings.display = copy.deepcopy(tree.display)
        return settings

    def _simulation(self, results: Results) -> ChoiceShares | Run | None:
        """How often the choices hold, if known for these results: the samples drawn
        here, or the Analysis dock's last Monte Carlo run (of one decision)."""
        if self._shares is not None and self._shares[0] is results.flat:
            return self._shares[1]
        run = self.document.simulation
        return run if run is not None and run.flat is results.flat else None

    def _quick_done(self, generation: int, told: Explanation | None,
                    error: Exception | None) -> None:
        request = self._request
        if request is None or generation != request.generation:
            return
        self.status.hide()
        if told is None:
            self._write_message(f"This cannot be explained: {error}")
            return
        self._seek_thresholds(request, told)

    def _seek_thresholds(self, request: Request, told: Explanation) -> None:
        """Look for the thresholds now, or on a large tree offer to."""
        size = request.flat.size
        if size > THRESHOLDS_BY_THEMSELVES_UP_TO:
            self._show(told, False)
            self.status.setText(f"The tree has {size:,} nodes: press Find What Would Change"
                                " It to look for the variables that would change these"
                                " choices (it takes a while).")
            self.status.show()
            self.find_button.show()
            return
        self._show(told, True)
        self._full.ask(request.generation, lambda: request.explained(thresholds=True))

    def find_thresholds(self) -> None:
        """Look for the variables that would change the choices explained (on a tree
        too large to do so after every change)."""
        request, shown_now = self._request, self._shown
        if request is None or shown_now is None or self._full.busy:
            return
        self.find_button.hide()
        self.status.hide()
        self._show(shown_now[0], True)  # (the page says it is looking)
        self._full.ask(request.generation, lambda: request.explained(thresholds=True))

    def _full_done(self, generation: int, told: Explanation | None,
                   error: Exception | None) -> None:
        request = self._request
        if request is None or generation != request.generation:
            return
        if told is None:  # (the quick part stays; say why the rest is missing)
            self.status.setText(f"The variables that would change it cannot be found:"
                                f" {error}")
            self.status.show()
            if self._shown is not None:
                self._show(self._shown[0], False)
            return
        self.status.hide()
        self._show(told, False)

    # ---- the page -----------------------------------------------------------------------
    def _show(self, told: Explanation, pending: bool) -> None:
        subject = self._request.subject if self._request is not None else None
        same = self._shown is not None and self._shown[1] == subject
        bar = self.browser.verticalScrollBar()
        kept = bar.value() if same else 0
        self._shown = (told, subject, pending)
        style = NumberFormat.of(self.document.tree.display)
        self.browser.setHtml(page(told, subject, pending, style, self._look()))
        bar.setValue(kept)

    def _write_message(self, text: str) -> None:
        self.status.hide()
        self.browser.setPlainText(shown(text))

    def _look(self) -> Look:
        """Muted text halfway between the text and the page (a placeholder's colour
        may carry transparency, which the page's HTML cannot)."""
        palette = self.browser.palette()
        text, base = (palette.color(QPalette.ColorRole.Text),
                      palette.color(QPalette.ColorRole.Base))
        muted = QColor((text.red() + base.red()) // 2, (text.green() + base.green()) // 2,
                       (text.blue() + base.blue()) // 2)
        return Look(muted=muted.name())

    def text(self) -> str:
        """What the page shows, as plain text."""
        return self.browser.toPlainText()

    @property
    def pending(self) -> bool:
        """The thresholds (or the whole explanation) are still being worked out."""
        return self._quick.busy or self._full.busy or self._dirty or self._timer.isActive()

    def copy(self) -> None:
        """Copy the explanation (or the message shown) to the clipboard as plain text."""
        if self._shown is None:
            text = self.text()
        else:
            told, subject, pending = self._shown
            text = plain_text(told, subject, pending)
        QGuiApplication.clipboard().setText(text)

    # ---- how often it holds -------------------------------------------------------------
    def count_holding(self) -> None:
        """Draw samples of the uncertain variables on a worker and count how often each
        choice holds; the page says so when done."""
        results = self.document.results
        if self._sampling is not None or results is None or results.issues:
            return
        flat = results.flat
        job: WorkerJob[ChoiceShares] = WorkerJob(
            lambda: choice_shares(flat, HOLD_SAMPLES, HOLD_SEED,
                                  progress=lambda done, total: job.report(done / total)),
            "how often each choice holds", daemon=True)
        job.progressed.connect(self._sampling_progressed)
        job.finished.connect(self._sampled)
        self._sampling, self._sampled_flat = job, flat
        self.progress.setValue(0)
        self._show_sampling(True)
        job.start()

    def cancel_holding(self) -> None:
        if self._sampling is not None:
            self._sampling.cancel()  # (its finished comes at once, and is dropped)

    @Slot(float)
    def _sampling_progressed(self, done: float) -> None:
        self.progress.setValue(round(100 * done))

    @Slot()
    def _sampled(self) -> None:
        job = self._sampling
        if job is None or self.sender() is not job:
            return
        self._sampling = None
        self._show_sampling(False)
        if job.result is not None:
            self._shares = (self._sampled_flat, job.result)
            self._changed()
        elif not job.cancelled and job.error is not None:
            self.status.setText(f"The samples cannot be drawn: {job.error}")
            self.status.show()

    def _show_sampling(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        self._update_hold_button()

    def _update_hold_button(self) -> None:
        """Offered while the tree has variables with a distribution and the choices'
        holding is not known for these results."""
        results = self.document.results
        offered = False
        if results is not None and not results.issues and results.flat.size:
            known = self._shares is not None and self._shares[0] is results.flat
            offered = bool(uncertain_variables(results.flat)) and not known
        self.hold_button.setVisible(offered and self._sampling is None)
