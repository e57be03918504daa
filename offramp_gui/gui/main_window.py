"""The shell: the canvas in the middle, and menus, toolbar, context menus and docks built
from what each feature declares (features/, contributions.py). Wiring only.

Each feature is constructed with the collaborators its constructor names, from the
services below; none is handed the window.
"""
from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QDataStream, QEvent, QRect, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QPushButton, QToolBar, QWidget

from .contributions import (
    CANVAS_MENU,
    MENU_BAR,
    NODE_MENU,
    TOOLBAR,
    ActionSpec,
    Contributions,
    DockSpec,
    Feature,
    Place,
)
from .document import DocumentController
from .features import DEFAULT
from .file_service import FileService
from .icons import app_icon, icon
from .prompts import Prompts
from .scene.theme import Theme
from .scene.tree_scene import TreeScene
from .status import ProgressIndicator, StatusLine
from .text import shown_line
from .view import TreeView

PANELS_MENU = "view/panels"
#: Windows opened to hold a second restored document; kept alive until closed.
_SIBLINGS: list[MainWindow] = []
_Entry = tuple[str, int, Any]  # group, order, and a QAction or a QMenu


class MainWindow(QMainWindow):
    def __init__(self, document: DocumentController | None = None,
                 prompts: Prompts | None = None, features: Iterable[type] = DEFAULT,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document or DocumentController(parent=self)
        self.scene = TreeScene(self.document, parent=self)
        self.view = TreeView(self.scene)
        self.setCentralWidget(self.view)
        self.setWindowIcon(app_icon())
        self.prompts = prompts or Prompts(self)
        self.status = StatusLine(self)
        # Messages name files, whose names may hold anything.
        self.status.posted.connect(
            lambda text, ms: self.statusBar().showMessage(shown_line(text, 500), ms))
        self.files = FileService(self.document, self.prompts, self.status)
        self._offer_button = QPushButton(self)
        self._offer_button.setFlat(True)
        self._offer_button.hide()
        self._offered = ""
        self._offer_run: Callable[[], object] = lambda: None
        self._offer_button.clicked.connect(lambda: self._offer_run())
        self.statusBar().addPermanentWidget(self._offer_button)
        self.statusBar().addPermanentWidget(ProgressIndicator(self.status, self))
        self.statusBar().messageChanged.connect(self._withdraw_offer)
        self.actions: dict[str, QAction] = {}
        services = {"document": self.document, "prompts": self.prompts, "status": self.status,
                    "files": self.files, "canvas": self.view,
                    "spawn_window": self._spawn_window,
                    "offer_in_status": self._offer_in_status, "actions": self.actions}
        self.features: dict[str, Feature] = {}
        for kind in features:
            feature = _construct(kind, services)
            self.features[feature.name] = feature
        self.panels: dict[str, QWidget] = {}
        self.docks: dict[str, QDockWidget] = {}
        self._build([f.contributions() for f in self.features.values()])
        self._wire()
        self.setAcceptDrops(True)
        self.statusBar().showMessage("Ready", 2000)
        self._update_title()
        self.restore_layout()

    # ---- building from the features' contributions -----------------------------------
    def _build(self, contributions: list[Contributions]) -> None:
        self._enabled_rules: list[tuple[Any, Callable[[], bool]]] = []
        self._entries: dict[str, list[_Entry]] = {}
        self._context_items = [item for c in contributions for item in c.context_items]
        for spec in self._window_actions() + [a for c in contributions for a in c.actions]:
            self._add_action(spec)
        submenus: dict[str, QMenu] = {}
        for sub in [s for c in contributions for s in c.submenus]:
            menu = submenus[sub.id] = QMenu(sub.text, self)
            if sub.fill is not None:
                menu.aboutToShow.connect(lambda m=menu, fill=sub.fill: fill(m))
            if sub.enabled_when is not None:
                self._enabled_rules.append((menu, sub.enabled_when))
            self._place(menu, sub.places)
        submenus[PANELS_MENU] = QMenu("&Panels", self)
        self._place(submenus[PANELS_MENU], (Place("view", "9_panels", 0),))
        self._add_docks(sorted((d for c in contributions for d in c.docks),
                               key=lambda d: d.order))
        bar = self.menuBar()
        for menu_id, title in MENU_BAR:
            self._fill(bar.addMenu(title), menu_id)
        for menu_id, menu in submenus.items():  # after the docks placed their toggles
            self._fill(menu, menu_id)
        toolbar = QToolBar("Main", self)
        toolbar.setObjectName("main-toolbar")
        self._fill(toolbar, TOOLBAR)
        self.addToolBar(toolbar)
        self.update_enabled()

    def _window_actions(self) -> list[ActionSpec]:
        return [ActionSpec("quit", "&Quit", self.close, (Place("file", "9_quit", 10),),
                           QKeySequence.StandardKey.Quit, None, "Close offramp")]

    def _add_action(self, spec: ActionSpec) -> None:
        action = spec.make(self) if spec.make is not None else QAction(spec.text, self)
        if spec.shortcut is not None:
            action.setShortcut(QKeySequence(spec.shortcut))
        if spec.icon:
            action.setIcon(icon(spec.icon))
        if spec.tip:
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{spec.tip} ({keys})" if keys else spec.tip)
            action.setStatusTip(spec.tip)
        action.setMenuRole(spec.role)
        if spec.checkable:
            action.setCheckable(True)
            if spec.toggled is not None:
                action.toggled.connect(spec.toggled)
            action.setChecked(spec.checked)
        elif spec.make is None:
            action.triggered.connect(lambda _checked=False, run=spec.run: run())
        if spec.enabled_when is not None:
            self._enabled_rules.append((action, spec.enabled_when))
        self.actions[spec.id] = action
        self._place(action, spec.places)

    def _place(self, entry: Any, places: tuple[Place, ...]) -> None:
        for place in places:
            self._entries.setdefault(place.menu, []).append((place.group, place.order, entry))

    def _fill(self, target: QMenu | QToolBar, menu_id: str) -> None:
        group = None
        for entry_group, _order, entry in sorted(self._entries.get(menu_id, []),
                                                 key=lambda e: e[:2]):
            if group is not None and entry_group != group:
                target.addSeparator()
            group = entry_group
            if isinstance(entry, QMenu):
                assert isinstance(target, QMenu)
                target.addMenu(entry)
            else:
                target.addAction(entry)

    def _add_docks(self, specs: list[DockSpec]) -> None:
        for spec in specs:
            dock = QDockWidget(spec.title.replace("&", ""), self)
            dock.setObjectName(f"{spec.id}-dock")
            dock.setWidget(spec.widget)
            spec.widget.setWhatsThis(spec.whats_this)
            self.addDockWidget(spec.area, dock)
            if spec.tabify_with in self.docks:
                self.tabifyDockWidget(self.docks[spec.tabify_with], dock)
            toggle = dock.toggleViewAction()
            toggle.setText(spec.title)
            self._place(toggle, (Place(PANELS_MENU, "", spec.order),))
            if spec.size_when_shown is not None:
                dock.visibilityChanged.connect(
                    lambda shown, d=dock, size=spec.size_when_shown:
                    shown and self._make_room(d, size))
            self.docks[spec.id] = dock
            self.panels[spec.id] = spec.widget
        for spec in specs:
            dock = self.docks[spec.id]
            if spec.on_top:
                dock.raise_()
            if spec.size is not None:
                horizontal = spec.area in (Qt.DockWidgetArea.LeftDockWidgetArea,
                                           Qt.DockWidgetArea.RightDockWidgetArea)
                self.resizeDocks([dock], [spec.size], Qt.Orientation.Horizontal if horizontal
                                 else Qt.Orientation.Vertical)

    def _make_room(self, dock: QDockWidget, size: int) -> None:
        if dock.property("made-room") or dock.isFloating():
            return
        dock.setProperty("made-room", True)
        if dock.height() < size:
            self.resizeDocks([dock], [size], Qt.Orientation.Vertical)

    def update_enabled(self, *_: object) -> None:
        for target, rule in self._enabled_rules:
            target.setEnabled(bool(rule()))

    def context_menu(self, node_id: str | None) -> QMenu:
        """The canvas menu of a node (selected first), or of the background."""
        menu = QMenu(self)
        self._fill(menu, NODE_MENU if node_id is not None else CANVAS_MENU)
        if node_id is not None:
            items = sorted((i for i in self._context_items if i.applies_to(node_id)),
                           key=lambda i: (i.group, i.order))
            for item in items:
                menu.addSeparator()
                action = menu.addAction(item.text)
                action.setStatusTip(item.tip)
                action.triggered.connect(lambda _c=False, run=item.run: run(node_id))
        return menu

    # ---- the window ---------------------------------------------------------------------
    def _wire(self) -> None:
        document = self.document
        document.path_changed.connect(self._update_title)
        document.undo_stack.cleanChanged.connect(self._update_title)
        for signal in (document.selection_changed, document.results_ready,
                       document.path_changed):
            signal.connect(self.update_enabled)
        self.view.context_menu_requested.connect(self._show_context_menu)

    def _show_context_menu(self, node_id: str | None, point: Any) -> None:
        menu = self.context_menu(node_id)
        menu.exec(point.toPoint())
        menu.deleteLater()

    def _update_title(self, *_: object) -> None:
        self.setWindowTitle(f"{shown_line(self.files.display_name(), 200)}[*] — offramp")
        self.setWindowFilePath(str(self.document.path or ""))
        self.setWindowModified(self.document.modified)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.scene.set_theme(Theme.for_palette(self.palette()))
        super().changeEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_file(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = _dropped_file(event)
        if path is not None:
            event.acceptProposedAction()
            self.files.open_in_background(path)

    def _spawn_window(self) -> Mapping[str, Feature]:
        sibling = type(self)(prompts=self.prompts)
        sibling.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        _SIBLINGS.append(sibling)
        sibling.destroyed.connect(lambda *_: _SIBLINGS.remove(sibling))
        sibling.show()
        return sibling.features

    def _offer_in_status(self, text: str, button: str, run: Callable[[], object]) -> None:
        """A message with a button that acts on it ("Exported tree.png" [Open Folder]);
        the button goes with the message."""
        self._offered = shown_line(text, 500)
        self._offer_run = run
        self._offer_button.setText(button)
        self.statusBar().showMessage(self._offered, 15000)
        self._offer_button.show()

    def _withdraw_offer(self, message: str) -> None:
        if message != self._offered:
            self._offer_button.hide()

    # ---- closing and layout ---------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.view.renaming:
            self.view.cancel_rename()
        for feature in self.features.values():
            may_close = getattr(feature, "may_close", None)
            if may_close is not None and not may_close():
                event.ignore()
                return
        self.files.cancel_opening()
        self.save_layout()
        for feature in self.features.values():
            closed = getattr(feature, "closed", None)
            if closed is not None:
                closed()
        event.accept()

    def save_layout(self) -> None:
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())

    def restore_layout(self) -> None:
        """The saved size and docks, where they fit this screen. A layout saved on a larger
        screen (or at a smaller scale factor) would be taller than the screen and leave the
        canvas a sliver between docks sized for it: the window takes most of the screen
        instead, with the docks as they first come."""
        settings = QSettings()
        geometry = settings.value("window/geometry")
        state = settings.value("window/state")
        available = self.screen().availableGeometry()
        self._let_docks_shrink(available.height())
        if isinstance(geometry, QByteArray):
            saved = _saved_frame(geometry)
            if (saved is not None and saved.width() <= available.width()
                    and saved.height() <= available.height()
                    and self.restoreGeometry(geometry)):
                if isinstance(state, QByteArray):
                    self.restoreState(state)
                return
            state = None
        self.resize(min(1400, round(available.width() * 0.9)),
                    min(900, round(available.height() * 0.9)))
        frame = self.frameGeometry()
        frame.moveCenter(available.center())
        self.move(frame.topLeft())
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def _let_docks_shrink(self, available_height: int) -> None:
        """On a small screen (or at a large scale factor) the docked panels together ask
        for more height than the screen has: let each shrink to a share of it."""
        if self.minimumSizeHint().height() <= available_height * 0.9:
            return
        share = available_height // 5
        for dock in self.docks.values():
            if dock.widget().minimumSizeHint().height() > share:
                dock.widget().setMinimumHeight(share)


def _saved_frame(geometry: QByteArray) -> QRect | None:
    """The window's frame as `saveGeometry` recorded it (Qt's format: a magic number, a
    version, then the frame rectangle), or None if it is not that format."""
    stream = QDataStream(geometry)
    if stream.readUInt32() != 0x1D9D0CB:
        return None
    stream.readUInt16()  # major version
    stream.readUInt16()  # minor version
    frame = QRect()
    stream >> frame
    return frame if stream.status() == QDataStream.Status.Ok and frame.isValid() else None


def _construct(kind: type, services: Mapping[str, object]) -> Feature:
    """A feature, given the services its constructor's parameters name (Gaphor-style)."""
    names = [n for n in inspect.signature(kind).parameters]
    missing = [n for n in names if n not in services]
    if missing:
        raise TypeError(f"{kind.__name__} asks for unknown services: {', '.join(missing)}")
    return kind(**{n: services[n] for n in names})


def _dropped_file(event: QDragEnterEvent | QDropEvent) -> Path | None:
    urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
    local = [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]
    return local[0] if len(local) == 1 else None
