"""RiskProfilePanel: the risk profile of the selected decision, live.

It follows the selection (the root's decision while the selection is not a decision)
and every new result, reading the profile off the document's results (no second
rollback), and exports its plot and its table as `offramp profile -o` writes them.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget

from ...analysis.catalogue import Run
from ...analysis.catalogue.risk_profile import RISK_PROFILE, ProfileParameters
from ...analysis.flatten import ASSUMED_KIND, DECISION_KIND
from ...analysis.profile import profile_of
from ..analysis_tabs import export_data, export_plot, plain_label
from ..on_screen import on_screen, when_brought_into_view
from ..plots import analysis_plots as plots
from ..plots.outcomes_plot import decision_shown
from ..plots.profile_plot import RiskProfilePlot

if TYPE_CHECKING:
    from ..document import DocumentController
    from ..prompts import Prompts

#: Past this many nodes a change redraws the profile once a burst of changes pauses
#: (PAUSE_MS), not at each: it walks every ending below the decision (0.1 s or more a
#: step of a slider at a million nodes).
AT_ONCE_UP_TO = 100_000
PAUSE_MS = 150
NO_DECISION = ("The root is not a decision: select a decision to see the chances of each"
               " score its alternatives lead to.")


class RiskProfilePanel(QWidget):
    def __init__(self, document: DocumentController, prompts: Prompts,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.document, self.prompts = document, prompts
        self.plot = RiskProfilePlot()
        self.run: Run | None = None
        self._dirty = True
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(PAUSE_MS)
        self._pause.timeout.connect(self._into_view)
        self.message = plain_label()
        self.message.hide()
        self.export_plot_button = QPushButton("Export plot…")
        self.export_data_button = QPushButton("Export data…")
        self.export_plot_button.clicked.connect(lambda: self.export_plot())
        self.export_data_button.clicked.connect(lambda: self.export_data())
        self.plot_area = QScrollArea()
        self.plot_area.setWidgetResizable(True)
        self.plot_area.setFrameShape(QFrame.Shape.NoFrame)
        self.plot_area.setWidget(self.plot)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_plot_button)
        buttons.addWidget(self.export_data_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.message)
        layout.addWidget(self.plot_area, 1)
        layout.addLayout(buttons)
        for signal in (document.results_ready, document.selection_changed,
                       document.display_changed):
            signal.connect(self._changed)
        self.refresh()

    # ---- when to recompute ----------------------------------------------------------
    def _changed(self, *_args: object) -> None:
        """Redraw now if seen; otherwise when next seen (a tab behind the outcomes)."""
        self._dirty = True
        if not on_screen(self):
            return
        results = self.document.results
        if results is not None and results.flat.size > AT_ONCE_UP_TO:
            self._pause.start()
        else:
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        when_brought_into_view(self, self._into_view)
        if on_screen(self):
            self._into_view()

    def _into_view(self) -> None:
        if self._dirty:
            self.refresh()

    def refresh(self) -> None:
        self._pause.stop()
        self._dirty = False
        results = self.document.results
        if results is None or results.flat.size == 0:
            return self._show_message("There is no tree to profile.")
        flat = results.flat
        node = decision_shown(results, self.document.selected_id)
        if flat.kind[node] not in (DECISION_KIND, ASSUMED_KIND) or not flat.child_count[node]:
            return self._show_message(NO_DECISION)
        parameters = ProfileParameters(node=flat.ids[node])
        self.run = Run(RISK_PROFILE, flat, parameters, profile_of(results, node))
        self.message.hide()
        self.plot_area.show()
        self.plot.set_result(flat, self.run.topic, self.run.result)
        self._show_exports(True)
        return None

    def _show_message(self, text: str) -> None:
        self.run = None
        self.message.setText(text)
        self.message.show()
        self.plot_area.hide()
        self._show_exports(False)

    def _show_exports(self, enabled: bool) -> None:
        self.export_plot_button.setEnabled(enabled)
        self.export_data_button.setEnabled(enabled)

    # ---- exporting ------------------------------------------------------------------
    def export_plot(self, path: Path | None = None) -> bool:
        """Ask where (unless given), then draw the profile shown into a PNG or SVG."""
        self._into_view()  # (a change may be waiting for its pause)
        return export_plot(self.prompts, self.run, plots.plot_run, self._suggested(".png"),
                           path)

    def export_data(self, path: Path | None = None) -> bool:
        """Ask where (unless given), then write the profile's table as CSV."""
        self._into_view()
        return export_data(self.prompts, self.run, self._suggested(".csv"), path)

    def _suggested(self, suffix: str) -> Path:
        path = self.document.path
        folder = path.parent if path is not None else Path.home()
        return folder / f"{path.stem if path is not None else 'tree'}-risk-profile{suffix}"
