"""What every tab of the Analysis dock shares: controls, a message line, a plot, exports.

A tab is the controls of one analysis of the catalogue (`analysis.catalogue`): it
turns its widgets into that analysis's parameters, runs it on the document's
immutable snapshot (`results.flat`) when it is shown and stale (the panel debounces
the requests), and draws the run in its plot, refreshed in place. "Export plot…"
draws a fresh copy at a fixed size instead, so the file looks the same whatever the
dock's size, and as the command line's; "Export data…" writes the run's table, the
same file as the command line's -o x.csv.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypedDict

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..analysis.catalogue import AnalysisKind, Run
from ..analysis.flatten import FlatTree
from ..analysis.sensitivity import AnalysisError, variable_range
from ..fileformat.atomic import check_writable, write_atomic
from .equilibrium_note import EquilibriumNote
from .plots import analysis_plots as plots
from .plots.plot_parts import PlotFrame
from .text import shown

if TYPE_CHECKING:
    from .document import DocumentController
    from .prompts import Prompts

IMAGE_FILTERS = {".png": "PNG image (*.png)", ".svg": "SVG drawing (*.svg)"}
CSV_FILTERS = {".csv": "CSV table (*.csv)"}
#: Errors the engine reports about what was asked (bad ranges, broken values).
ANALYSIS_ERRORS = (ValueError, ArithmeticError)


class ChosenDecision(TypedDict):
    """The decision and player chosen in the panel, as parameters take them."""

    node: str | None
    player: str | None


def sentence(message: str) -> str:
    """An engine message as a sentence: capital first letter, full stop."""
    text = shown(str(message), 400).strip() or "The analysis failed"
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def plain_label(text: str = "", muted: bool = False) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if muted:
        label.setStyleSheet("color: palette(placeholder-text);")
    return label


def labelled(layout: QHBoxLayout, text: str, widget: QWidget) -> None:
    label = QLabel(text)
    label.setBuddy(widget)
    layout.addWidget(label)
    layout.addWidget(widget)


def save_table(done: Run, path: Path) -> None:
    """Write the run's table to a .csv file, atomically."""
    if path.suffix.lower() != ".csv":
        raise ValueError(f"cannot write a table to {path.name}: the name must end in .csv")
    check_writable(path)
    write_atomic(path, done.csv(), backup=False)


class AnalysisPanel(Protocol):
    """What a tab asks of the panel that holds it (analysis_dock.AnalysisPanel)."""

    document: DocumentController
    prompts: Prompts

    def current_flat(self) -> FlatTree | None: ...

    def ready_flat(self) -> FlatTree | None: ...

    def not_ready_reason(self) -> str: ...

    def subject_ids(self) -> tuple[str | None, str | None]: ...

    def outcome_colors(self) -> dict[str, str]: ...

    def suggested_path(self, slug: str, suffix: str) -> Path: ...

    def schedule(self) -> None: ...


class AnalysisTab(QWidget):
    """The controls of one analysis (`kind`), a message line, its plot, export buttons."""

    #: The analysis of the catalogue whose parameters the controls give.
    kind: AnalysisKind
    #: Whether the tab follows the panel's decision and player.
    uses_subject = True

    def __init__(self, panel: AnalysisPanel, plot: PlotFrame):
        super().__init__()
        self.panel = panel
        self.plot = plot
        self.dirty = True
        self.run: Run | None = None
        self.controls = QHBoxLayout()
        self.controls.setContentsMargins(0, 0, 0, 0)
        self.message = plain_label()
        self.message.hide()
        #: On a game with private information: where the set of equilibria changes
        #: over the range a sweep covers (`equilibrium_note`).
        self.equilibria_line = plain_label(muted=True)
        self.equilibria_line.setObjectName("equilibria-line")
        self.equilibria_line.hide()
        self._equilibria = EquilibriumNote(panel.document, self._show_equilibria)
        self.export_plot_button = QPushButton("Export plot…")
        self.export_data_button = QPushButton("Export data…")
        self.export_plot_button.clicked.connect(self.export_plot)
        self.export_data_button.clicked.connect(self.export_data)
        #: On a large tree the analysis runs when asked (`offer_run`).
        self.run_button = QPushButton("&Run")
        self.run_button.clicked.connect(lambda: self.refresh())
        self.run_button.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_plot_button)
        buttons.addWidget(self.export_data_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(self.controls)
        layout.addWidget(self.message)
        layout.addWidget(self.equilibria_line)
        self.plot_area = QScrollArea()
        self.plot_area.setWidgetResizable(True)
        self.plot_area.setFrameShape(QFrame.Shape.NoFrame)
        self.plot_area.setWidget(self.plot)
        layout.addWidget(self.plot_area, 1)
        layout.addLayout(buttons)
        self._show_exports(False)

    @property
    def result(self) -> Any:
        """The shown run's result, None when there is none."""
        return self.run.result if self.run is not None else None

    # ---- computing ------------------------------------------------------------------
    def parameters(self, flat: FlatTree) -> Any:
        """The analysis's parameters, as the controls set them."""
        raise NotImplementedError

    def refresh(self) -> None:
        """Compute on the current snapshot and draw; a problem becomes a message."""
        self.dirty = False
        self.run_button.hide()
        flat = self.panel.ready_flat()
        if flat is None:
            return self.show_message(self.panel.not_ready_reason())
        try:
            done = self.kind.run(flat, self.parameters(flat))
        except ANALYSIS_ERRORS as error:
            return self.show_message(sentence(str(error)))
        self.show_run(done)
        return None

    def show_run(self, done: Run) -> None:
        self.run = done
        self.message.hide()
        self.plot_area.show()
        self.draw(done)
        self._show_exports(True)
        self._ask_equilibria(done)

    def _ask_equilibria(self, done: Run) -> None:
        """A sweep of one variable over a game: say where its set of equilibria changes."""
        variable = getattr(done.parameters, "variable", None)
        if not isinstance(variable, str) or done.flat.held is None:
            self._show_equilibria("")
            return
        try:
            low, high = variable_range(done.flat, variable, getattr(done.parameters, "low", None),
                                       getattr(done.parameters, "high", None))
        except AnalysisError:
            self._show_equilibria("")
            return
        self._equilibria.ask(variable, low, high)

    def _show_equilibria(self, text: str) -> None:
        self.equilibria_line.setText(text)
        self.equilibria_line.setVisible(bool(text))

    def draw(self, done: Run) -> None:
        self.plot.set_result(done.flat, done.topic, done.result)  # type: ignore[attr-defined]

    def fresh_plot(self, done: Run) -> QWidget:
        """A new plot widget of the run, for export."""
        return plots.plot_run(done, self.panel.outcome_colors())

    def on_results(self, flat: FlatTree | None) -> None:
        """The tree (or the decision analysed) changed: update controls, recompute later."""
        self.dirty = True

    def work(self, flat: FlatTree) -> int:
        """How much a run costs, in nodes evaluated about once each."""
        return flat.size

    def offer_run(self, nodes: int) -> None:
        """Out of date on a tree too large to analyse after every change: say so, and
        run when the user asks (the plot shown stays until then)."""
        self.message.setText(f"The tree has {nodes:,} nodes: press Run to analyse it as it"
                             " is now (this can take a while).")
        self.message.show()
        self.run_button.show()

    def table_beside_plot(self, table: QWidget) -> QSplitter:
        """The plot taken out of the tab's layout and put right of `table` in a
        splitter, which the caller lays out."""
        self.layout().removeWidget(self.plot_area)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(table)
        splitter.addWidget(self.plot_area)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([440, 660])
        return splitter

    def decision(self) -> ChosenDecision:
        node, player = self.panel.subject_ids()
        return {"node": node, "player": player}

    def show_message(self, text: str) -> None:
        self.run = None
        self._show_equilibria("")
        self.message.setText(text)
        self.message.show()
        self.plot_area.hide()
        self._show_exports(False)

    def _show_exports(self, enabled: bool) -> None:
        self.export_plot_button.setEnabled(enabled)
        self.export_data_button.setEnabled(enabled)

    def changed(self) -> None:
        """A control changed: recompute this tab soon."""
        self.dirty = True
        self.panel.schedule()

    # ---- exporting ------------------------------------------------------------------
    def export_plot(self, path: Path | None = None) -> bool:
        return export_plot(self.panel.prompts, self.run, self.fresh_plot,
                           self.panel.suggested_path(self.kind.name, ".png"), path)

    def export_data(self, path: Path | None = None) -> bool:
        return export_data(self.panel.prompts, self.run,
                           self.panel.suggested_path(self.kind.name, ".csv"), path)


def export_plot(prompts: Prompts, done: Run | None, draw: Callable[[Run], QWidget],
                suggested: Path, path: Path | None = None) -> bool:
    """Ask where (unless given), then draw `done` into a PNG or SVG; an error is said
    in a dialog, plainly, not raised."""
    if done is None:
        return False
    chosen = path or prompts.save_path("export-plot", "Export Plot", suggested,
                                       IMAGE_FILTERS, strict_suffix=True)
    return chosen is not None and _written(prompts, lambda: _save_plot(draw(done), chosen))


def export_data(prompts: Prompts, done: Run | None, suggested: Path,
                path: Path | None = None) -> bool:
    """Ask where (unless given), then write `done`'s table as CSV, as the command line's
    -o x.csv does."""
    if done is None:
        return False
    chosen = path or prompts.save_path("export-data", "Export Data", suggested,
                                       CSV_FILTERS, strict_suffix=True)
    return chosen is not None and _written(prompts, lambda: save_table(done, chosen))


def _save_plot(widget: QWidget, path: Path) -> None:
    try:
        plots.save_widget(widget, path)
    finally:
        widget.deleteLater()


def _written(prompts: Prompts, save: Callable[[], None]) -> bool:
    try:
        save()
    except (OSError, ValueError) as error:
        prompts.error("Export failed", sentence(str(error)))
        return False
    return True
