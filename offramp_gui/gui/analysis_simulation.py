"""The Monte Carlo tab: runs off the GUI thread, reports progress, can be cancelled.

A run works on the immutable snapshot (`results.flat`) taken when it starts, in a
thread of the tab's own pool. Each run has a generation number; a report from any
other generation (a run cancelled or replaced) is dropped. Cancel returns the tab
to idle at once: the old run stops at its next progress report, in the background.
"""
from __future__ import annotations

import threading
import time
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QSpinBox, QWidget

from ..analysis.catalogue import Run
from ..analysis.catalogue.monte_carlo import MONTE_CARLO, MonteCarloParameters
from ..analysis.flatten import FlatTree
from ..analysis.montecarlo import Cancelled
from .analysis_tabs import (
    ANALYSIS_ERRORS,
    AnalysisPanel,
    AnalysisTab,
    labelled,
    plain_label,
    sentence,
)
from .plots import analysis_plots as plots

MAX_SAMPLES = 5_000_000


class SimulationSignals(QObject):
    """What a run reports; emitted from the worker thread, received in the GUI thread."""

    #: (generation, samples done, samples in all) after each chunk.
    progressed = Signal(int, int, int)
    #: (generation, the catalogue's Run of the simulation) when a run completes.
    finished = Signal(int, object)
    #: (generation, plain message) when the engine refuses the run.
    failed = Signal(int, str)
    #: (generation) when a run stopped because it was cancelled.
    cancelled = Signal(int)


class SimulationJob(QRunnable):
    """One Monte Carlo run on a snapshot; `cancel()` stops it at the next chunk."""

    def __init__(self, generation: int, flat: FlatTree, parameters: MonteCarloParameters,
                 signals: SimulationSignals):
        super().__init__()
        self.setAutoDelete(False)  # the tab holds it until it has reported
        self.generation = generation
        self.flat, self.parameters = flat, parameters
        self.signals = signals
        self._stop = threading.Event()
        self.done = threading.Event()

    def cancel(self) -> None:
        self._stop.set()

    def run(self) -> None:
        try:
            done = MONTE_CARLO.run(self.flat, self.parameters, progress=self._progress)
        except Cancelled:
            self._emit(self.signals.cancelled, self.generation)
        except MemoryError:
            self._emit(self.signals.failed, self.generation,
                       "There is not enough memory for this many samples.")
        except ANALYSIS_ERRORS as error:
            self._emit(self.signals.failed, self.generation, sentence(str(error)))
        except Exception as error:  # noqa: BLE001 - a thread has nobody else to tell
            self._emit(self.signals.failed, self.generation,
                       f"The simulation failed: {sentence(str(error) or type(error).__name__)}")
        else:
            self._emit(self.signals.finished, self.generation, done)
        finally:
            self.done.set()

    def _progress(self, done: int, total: int) -> bool:
        if self._stop.is_set():
            return False
        self._emit(self.signals.progressed, self.generation, done, total)
        return True

    @staticmethod
    def _emit(signal: Any, *args: Any) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the tab is gone (the window closed): nobody to tell
            pass


class SimulationTab(AnalysisTab):
    kind = MONTE_CARLO

    def __init__(self, panel: AnalysisPanel):
        super().__init__(panel, plots.SimulationPlot())
        self.samples = self._spin(1, MAX_SAMPLES, 10_000, 1000)
        self.seed = self._spin(0, 2**31 - 1, 0, 1)
        self.run_button = QPushButton("&Run")
        self.cancel_button = QPushButton("&Cancel")
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.status = plain_label()
        self.stale = QWidget()
        self.stale_text = plain_label("The tree has changed since this run")
        self.recompute_button = QPushButton("R&ecompute")
        self._build()
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # one run at a time; a replaced one ends first
        self.signals = SimulationSignals(self)
        self.signals.progressed.connect(self._on_progress)
        self.signals.finished.connect(self._on_finished)
        self.signals.failed.connect(self._on_failed)
        self.signals.cancelled.connect(self._on_cancelled)
        self.generation = 0
        self.job: SimulationJob | None = None
        self._jobs: list[SimulationJob] = []  # kept alive until their thread is done
        #: (snapshot, node id, player id) of the shown result, and of the run under way.
        self._run_of: tuple[FlatTree, str | None, str | None] | None = None
        self._pending: tuple[str | None, str | None] = (None, None)
        self._started = 0.0
        self._set_running(False)
        self.show_message("Press Run to draw samples of the variables that have a"
                          " distribution.")

    def _spin(self, low: int, high: int, value: int, step: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setValue(value)
        spin.setSingleStep(step)
        spin.setGroupSeparatorShown(True)
        return spin

    def _build(self) -> None:
        labelled(self.controls, "Sa&mples:", self.samples)
        labelled(self.controls, "See&d:", self.seed)
        self.controls.addWidget(self.run_button)
        self.controls.addWidget(self.cancel_button)
        self.controls.addWidget(self.progress, 1)
        self.controls.addStretch(0)
        self.run_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.recompute_button.clicked.connect(self.start)
        row = QHBoxLayout(self.stale)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.stale_text, 1)
        row.addWidget(self.recompute_button)
        self.stale.hide()
        layout = self.layout()
        layout.insertWidget(1, self.status)
        layout.insertWidget(2, self.stale)

    # ---- state ----------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.job is not None

    def _set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.samples.setEnabled(not running)
        self.seed.setEnabled(not running)
        self.recompute_button.setEnabled(not running)
        self.progress.setVisible(running)

    def refresh(self) -> None:
        """Costly: never rerun by itself; only say when the shown run is out of date."""
        self.dirty = False
        self._update_stale()

    def on_results(self, flat: FlatTree | None) -> None:
        super().on_results(flat)
        self._update_stale()

    def _update_stale(self) -> None:
        if self._run_of is None:
            self.stale.hide()
            return
        flat = self.panel.current_flat()
        node, player = self.panel.subject_ids()
        ran_flat, ran_node, ran_player = self._run_of
        if flat is not ran_flat:
            self.stale_text.setText("The tree has changed since this run.")
        elif (node, player) != (ran_node, ran_player):
            self.stale_text.setText("The decision or player has changed since this run.")
        self.stale.setVisible(flat is not ran_flat or (node, player) != (ran_node, ran_player))

    # ---- running --------------------------------------------------------------------
    def start(self) -> None:
        """Start a run with the settings shown, replacing any run under way."""
        self._drop_current()
        flat = self.panel.ready_flat()
        if flat is None:
            return self.status.setText(self.panel.not_ready_reason())
        try:
            parameters = self.parameters(flat)
            parameters.subject(flat)  # a decision that cannot be analysed: say so now
        except ANALYSIS_ERRORS as error:
            return self.status.setText(sentence(str(error)))
        self.generation += 1
        samples = parameters.samples
        self.job = SimulationJob(self.generation, flat, parameters, self.signals)
        self._jobs = [job for job in self._jobs if not job.done.is_set()] + [self.job]
        self._pending = self.panel.subject_ids()
        self._started = time.monotonic()
        self.progress.setRange(0, 0)  # busy until the first chunk reports
        self.status.setText(f"Drawing {samples:,} samples…")
        self._set_running(True)
        self.pool.start(self.job)
        return None

    def cancel(self) -> None:
        """Stop the run under way; the tab is idle at once."""
        if self.job is None:
            return
        self._drop_current()
        self.status.setText("Cancelled.")

    def _drop_current(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.job = None
            self.generation += 1  # whatever the old run still reports is dropped
        self._set_running(False)

    def forget(self) -> None:
        """Another tree was opened: stop any run and clear the last one."""
        self._drop_current()
        self._run_of = None
        self.status.setText("")
        self.stale.hide()
        self.show_message("Press Run to draw samples of the variables that have a"
                          " distribution.")

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Cancel any run and wait for the worker thread to end (before quitting)."""
        self._drop_current()
        return self.pool.waitForDone(timeout_ms)

    def idle(self) -> bool:
        """No run under way, not even a cancelled one still winding down."""
        return self.job is None and all(job.done.is_set() for job in self._jobs)

    # ---- reports --------------------------------------------------------------------
    def _on_progress(self, generation: int, done: int, total: int) -> None:
        if generation != self.generation:
            return
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _on_finished(self, generation: int, done: Run) -> None:
        if generation != self.generation:
            return
        self.job = None
        self._set_running(False)
        self._run_of = (done.flat, *self._pending)
        self.show_run(done)
        self.panel.document.simulated(done)  # (the Explain panel says how often it holds)
        seconds = time.monotonic() - self._started
        self.status.setText(f"{done.result.valid:,} samples in {seconds:.1f} s.")
        self._update_stale()

    def _on_failed(self, generation: int, message: str) -> None:
        if generation != self.generation:
            return
        self.job = None
        self._set_running(False)
        self.status.setText(message)

    def _on_cancelled(self, generation: int) -> None:
        if generation == self.generation:  # stopped by other means than the button
            self.job = None
            self._set_running(False)
            self.status.setText("Cancelled.")

    # ---- the parameters and the plot -------------------------------------------------
    def parameters(self, flat: FlatTree) -> MonteCarloParameters:
        return MonteCarloParameters(samples=self.samples.value(), seed=self.seed.value(),
                                    **self.decision())

    def draw(self, done: Run) -> None:
        self.plot.set_result(done.flat, done.topic, done.result,  # type: ignore[attr-defined]
                             self.panel.outcome_colors())
