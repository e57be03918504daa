"""The Analysis dock: sensitivity, two-way map, tornado, spider, Monte Carlo, what would
it take, value of information.

The panel listens to the document: when new results arrive (the tree or its
variables changed), the quick analyses of the tab in view are recomputed after a
short pause, on the results' immutable snapshot; tabs out of view wait until shown.
The Monte Carlo tab is costly: it never reruns by itself, and says when its run is
out of date. features/analysis.py docks it and adds its canvas menu item.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..analysis.flatten import ASSUMED_KIND, DECISION_KIND, FlatTree
from .analysis_information import InformationTab
from .analysis_picker import NodePicker, same_nodes
from .analysis_requirements import RequirementsTab
from .analysis_simulation import SimulationTab
from .analysis_sweeps import OneWayTab, SpiderTab, TornadoTab, TwoWayTab
from .analysis_tabs import AnalysisTab, labelled
from .on_screen import on_screen, when_brought_into_view
from .plots.plot_parts import decision_label
from .text import shown

if TYPE_CHECKING:
    from .document import DocumentController
    from .prompts import Prompts

DEBOUNCE_MS = 150
#: Analyses of up to this much work (`AnalysisTab.work`: about the tree's nodes) run
#: again by themselves after each change; larger ones when the user asks (a run would
#: hold the window for seconds).
ANALYSED_BY_ITSELF_UP_TO = 10_000
NOT_READY = ("The tree has problems (see the Problems panel); fix them to analyse it.")


def decisions(flat: FlatTree) -> np.ndarray:
    """The rows of the decisions (assumed ones too) that an analysis can be about, the
    root first even when it is not one."""
    rows = np.flatnonzero((flat.kind == DECISION_KIND) | (flat.kind == ASSUMED_KIND))
    return rows if rows.size and rows[0] == 0 else np.concatenate(([0], rows))


def subject_label(flat: FlatTree, i: int) -> str:
    text = decision_label(flat, i)
    return f"{text} (root)" if i == 0 else f"{text} ({shown(flat.ids[i], 40)})"


class SubjectPicker(QWidget):
    """Which decision is analysed, and for which player."""

    #: The decision or the player changed (by the user or by selection).
    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.node = NodePicker(subject_label)
        self.player = QComboBox()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        for text, combo in (("Decision:", self.node), ("Values for:", self.player)):
            labelled(layout, text, combo)
        layout.addStretch(1)
        self._flat: FlatTree | None = None
        self.node.currentIndexChanged.connect(lambda _i: self._node_changed())
        self.player.currentIndexChanged.connect(lambda _i: self.changed.emit())

    def node_id(self) -> str | None:
        return self.node.node_id()

    def player_id(self) -> str | None:
        return self.player.currentData()

    def fill(self, flat: FlatTree | None, reset: bool = False) -> None:
        """List the tree's decisions and players, keeping the current ones if they stay."""
        if flat is None or (flat is self._flat and not reset):
            return
        if same_nodes(self._flat, flat) and not reset:
            self._flat = flat  # (an edit of a number: nothing to list again)
            self.node.nodes.renumber(flat)
            return
        self._flat = flat
        node, player = (None, None) if reset else (self.node_id(), self.player_id())
        with _blocked(self.node, self.player):
            self.node.show_nodes(flat, decisions(flat), node)
            _refill(self.player, [(shown(name, 60), pid) for name, pid in
                                  zip(flat.labels.players, flat.players, strict=True)], player)
            if reset or node is None or self.node_id() != node:
                self._follow_decider()

    def set_node(self, node_id: str) -> bool:
        return self.node.set_node(node_id)  # emits changed, the player following the node

    def _node_changed(self) -> None:
        with _blocked(self.player):
            self._follow_decider()
        self.changed.emit()

    def _follow_decider(self) -> None:
        flat, node = self._flat, self.node_id()
        if flat is None or node not in flat.index:
            return
        decider = int(flat.player[flat.index[node]])
        if decider >= 0:
            self.player.setCurrentIndex(decider)


@contextmanager
def _blocked(*objects: QObject) -> Iterator[None]:
    """Block the widgets' signals inside a `with` (napari's qt_signals_blocked)."""
    saved = [o.blockSignals(True) for o in objects]
    try:
        yield
    finally:
        for o, was in zip(objects, saved, strict=True):
            o.blockSignals(was)


def _refill(combo: QComboBox, items: list[tuple[str, str]], keep: str | None) -> None:
    if [(t, d) for t, d in items] != [(combo.itemText(k), combo.itemData(k))
                                      for k in range(combo.count())]:
        combo.clear()
        for text, data in items:
            combo.addItem(text, data)
    ids = [d for _t, d in items]
    if keep in ids:
        combo.setCurrentIndex(ids.index(keep))
    elif combo.currentIndex() < 0 and items:
        combo.setCurrentIndex(0)


class AnalysisPanel(QWidget):
    """Tabs of analyses of the document's tree, each with its plot and exports."""

    def __init__(self, document: DocumentController, prompts: Prompts,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.prompts = prompts
        self.picker = SubjectPicker()
        self.one_way = OneWayTab(self)
        self.two_way = TwoWayTab(self)
        self.tornado = TornadoTab(self)
        self.spider = SpiderTab(self)
        self.simulation = SimulationTab(self)
        self.requirements = RequirementsTab(self)
        self.information = InformationTab(self)
        self.tabs = QTabWidget()
        for tab, title in ((self.one_way, "&One-way"), (self.two_way, "T&wo-way"),
                           (self.tornado, "&Tornado"), (self.spider, "S&pider"),
                           (self.simulation, "Monte &Carlo"),
                           (self.requirements, "What would it &take"),
                           (self.information, "Value of &information")):
            self.tabs.addTab(tab, title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.picker)
        layout.addWidget(self.tabs, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh_current)
        document.results_ready.connect(self._on_results)
        document.document_reset.connect(self._on_reset)
        document.selection_changed.connect(self._on_selection)
        self.picker.changed.connect(self._on_subject)
        self.tabs.currentChanged.connect(self._on_tab)
        self._on_results(document.results)
        self._on_selection(document.selected_id)

    # ---- what the tabs ask ----------------------------------------------------------
    def current_flat(self) -> FlatTree | None:
        results = self.document.results
        return results.flat if results is not None else None

    def ready_flat(self) -> FlatTree | None:
        """The snapshot to analyse, or None while the tree has problems."""
        results = self.document.results
        if results is None or results.issues or not results.flat.size:
            return None
        return results.flat

    def not_ready_reason(self) -> str:
        return NOT_READY

    def subject_ids(self) -> tuple[str | None, str | None]:
        return self.picker.node_id(), self.picker.player_id()

    def outcome_colors(self) -> dict[str, str]:
        return {o.id: o.color for o in self.document.tree.outcomes or [] if o.color}

    def suggested_path(self, slug: str, suffix: str) -> Path:
        path = self.document.path
        folder = path.parent if path is not None else Path.home()
        return folder / f"{path.stem if path is not None else 'tree'}-{slug}{suffix}"

    def tab_list(self) -> list[AnalysisTab]:
        return [self.tabs.widget(k) for k in range(self.tabs.count())]  # type: ignore[misc]

    # ---- when to recompute ----------------------------------------------------------
    def schedule(self) -> None:
        """Recompute the tab in view after a pause (only while the panel is visible); on
        a large tree, offer to (the simulation says itself when it is out of date)."""
        if not on_screen(self):
            return
        tab, flat = self.tabs.currentWidget(), self.current_flat()
        if flat is not None and isinstance(tab, AnalysisTab) and tab is not self.simulation \
                and tab.work(flat) > ANALYSED_BY_ITSELF_UP_TO:
            if tab.dirty:
                tab.offer_run(flat.size)
            return
        self._timer.start()

    def refresh_current(self) -> None:
        """Recompute the tab in view now, if something changed since it last did."""
        self._timer.stop()
        tab = self.tabs.currentWidget()
        if isinstance(tab, AnalysisTab) and tab.dirty:
            tab.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        when_brought_into_view(self, self.schedule)
        self.schedule()

    def _on_results(self, _results: object = None) -> None:
        flat = self.current_flat()
        self.picker.fill(flat)
        for tab in self.tab_list():
            tab.on_results(flat)
        self.schedule()

    def _on_reset(self) -> None:
        self.simulation.forget()
        self.picker.fill(self.current_flat(), reset=True)

    def _on_selection(self, node_id: str | None) -> None:
        flat = self.current_flat()
        if node_id is None or flat is None or node_id not in flat.index:
            return
        if flat.kind[flat.index[node_id]] in (DECISION_KIND, ASSUMED_KIND):
            self.picker.set_node(node_id)

    def _on_subject(self) -> None:
        for tab in self.tab_list():
            if tab.uses_subject:
                tab.dirty = True
        self.simulation.refresh()
        self.schedule()

    def _on_tab(self, _index: int) -> None:
        tab = self.tabs.currentWidget()
        self.picker.setVisible(isinstance(tab, AnalysisTab) and tab.uses_subject)
        self.schedule()

    # ---- entry points ---------------------------------------------------------------
    def show_requirements(self, node_id: str) -> None:
        """Open "What would it take" about the decision at `node_id`."""
        self.tabs.setCurrentWidget(self.requirements)
        self.requirements.show_node(node_id)

    def show_information(self, node_id: str) -> None:
        """Open "Value of information" about the chance event at `node_id`."""
        self.tabs.setCurrentWidget(self.information)
        self.information.show_event(node_id)

    def shutdown(self) -> None:
        """Stop any simulation and wait for its thread (the application is quitting)."""
        self.simulation.shutdown()
