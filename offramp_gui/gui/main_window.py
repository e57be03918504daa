"""The main window: the canvas in the middle, panels docked around it. Wiring only."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QDockWidget, QInputDialog, QMainWindow, QMenu, QMessageBox, QWidget

from .. import __version__
from .actions import Actions
from .analysis_dock import install as install_analysis
from .disk_watch import install as install_disk_watch
from .document import DocumentController
from .export_dialog import ExportDialog
from .files import FileActions
from .icons import app_icon
from .interop_actions import install as install_interop_actions
from .panels.problems_panel import ProblemsPanel
from .panels.property_panel import PropertyPanel
from .panels.variables_panel import VariablesPanel
from .panels.weights_panel import WeightsPanel
from .plots.outcomes_plot import OutcomesPanel
from .recovery import install as install_recovery
from .scene.theme import Theme
from .scene.tree_scene import TreeScene
from .text import shown
from .view import TreeView


class MainWindow(QMainWindow):
    def __init__(self, document: DocumentController | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document or DocumentController(parent=self)
        self.scene = TreeScene(self.document, parent=self)
        self.view = TreeView(self.scene)
        self.setCentralWidget(self.view)
        self.setWindowIcon(app_icon())
        self.files = FileActions(self)
        self.recent_menu = QMenu("Open &Recent", self)
        self.panels_menu: QMenu | None = None
        self.actions = Actions(self)
        self.actions.build_menus()
        install_interop_actions(self)
        self.addToolBar(self.actions.build_toolbar())
        self.panels = self._dock_panels()
        self.refresh_recent_menu()
        self._wire()
        self.setAcceptDrops(True)
        self.statusBar().showMessage("Ready", 2000)
        self._update_title()
        self.restore_layout()
        install_analysis(self)
        install_recovery(self)
        install_disk_watch(self)

    def _dock_panels(self) -> dict[str, QWidget]:
        panels = {
            "properties": ("&Properties", PropertyPanel(self.document),
                           Qt.DockWidgetArea.RightDockWidgetArea),
            "variables": ("&Variables", VariablesPanel(self.document),
                          Qt.DockWidgetArea.RightDockWidgetArea),
            "weights": ("&Weights", WeightsPanel(self.document),
                        Qt.DockWidgetArea.RightDockWidgetArea),
            "outcomes": ("&Outcomes", OutcomesPanel(self.document),
                         Qt.DockWidgetArea.BottomDockWidgetArea),
            "problems": ("Pro&blems", ProblemsPanel(self.document),
                         Qt.DockWidgetArea.BottomDockWidgetArea),
        }
        docks = {}
        for name, (title, widget, area) in panels.items():
            dock = QDockWidget(title.replace("&", ""), self)
            dock.setObjectName(f"{name}-dock")
            dock.setWidget(widget)
            self.addDockWidget(area, dock)
            docks[name] = dock
            toggle = dock.toggleViewAction()
            toggle.setText(title)
            assert self.panels_menu is not None
            self.panels_menu.addAction(toggle)
        self.tabifyDockWidget(docks["properties"], docks["variables"])
        self.tabifyDockWidget(docks["variables"], docks["weights"])
        self.tabifyDockWidget(docks["outcomes"], docks["problems"])
        docks["properties"].raise_()
        docks["outcomes"].raise_()
        # The canvas first: the panels take a third of the width and of the height.
        self.resizeDocks([docks["properties"]], [460], Qt.Orientation.Horizontal)
        self.resizeDocks([docks["outcomes"]], [280], Qt.Orientation.Vertical)
        return {name: dock.widget() for name, dock in docks.items()}

    def _wire(self) -> None:
        document = self.document
        document.path_changed.connect(self._update_title)
        document.undo_stack.cleanChanged.connect(self._update_title)
        document.results_ready.connect(self._report_problems)
        self.view.context_menu_requested.connect(
            lambda node_id, point: self.actions.context_menu(node_id).exec(point.toPoint()))
        self.panels["problems"].problem_activated.connect(lambda _id: self.view.setFocus())

    def _update_title(self, *_: object) -> None:
        self.setWindowTitle(f"{self.files.display_name()}[*] — offramp")
        self.setWindowFilePath(str(self.document.path or ""))
        self.setWindowModified(self.document.modified)

    def _report_problems(self, results) -> None:  # noqa: ANN001
        count = len(results.issues)
        if count:
            self.statusBar().showMessage(
                f"{count} problem{'s' * (count != 1)}: values that depend on them show as —")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.scene.set_theme(Theme.for_palette(self.palette()))
        super().changeEvent(event)

    # ---- commands that need a dialog ------------------------------------------------
    def export_image(self) -> None:
        ExportDialog(self.document, self).exec()

    def fold_below_dialog(self) -> None:
        level, ok = QInputDialog.getInt(self, "Fold below level",
                                        "Show this many levels below the root:", 2, 0, 1000)
        if ok:
            self.document.edit.fold_below(level)

    def about(self) -> None:
        tree = self.document.tree
        sources = [", ".join(str(s[k]) for k in ("title", "author", "publisher", "year")
                             if s.get(k)) for s in tree.sources or []]
        text = (f"offramp {__version__}\nA decision-tree explorer for choices under"
                f" escalation risk.\n\nThis tree: {shown(tree.title, 200)}\n"
                + ("Sources:\n" + "\n".join(f"  • {shown(s, 300)}" for s in sources)
                   if sources else "This tree names no sources."))
        box = QMessageBox(QMessageBox.Icon.Information, "About offramp", text,
                          QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIconPixmap(app_icon().pixmap(64, 64))
        box.exec()

    # ---- recent files, drag and drop ------------------------------------------------
    def refresh_recent_menu(self) -> None:
        self.recent_menu.clear()
        paths = self.files.recent()
        for number, path in enumerate(paths, 1):
            action = self.recent_menu.addAction(f"&{number} {shown(path.name, 80)}")
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _c=False, p=path: self.files.open(p))
        self.recent_menu.setEnabled(bool(paths))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_file(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = _dropped_file(event)
        if path is not None:
            event.acceptProposedAction()
            self.files.open(path)

    # ---- closing and layout ---------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.view.renaming:
            self.view.cancel_rename()
        if self.files.may_discard():
            self.save_layout()
            event.accept()
        else:
            event.ignore()

    def save_layout(self) -> None:
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())

    def restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        state = settings.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 900)
        if isinstance(state, QByteArray):
            self.restoreState(state)


def _dropped_file(event: QDragEnterEvent | QDropEvent) -> Path | None:
    urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
    local = [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]
    return local[0] if len(local) == 1 else None
