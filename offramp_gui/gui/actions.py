"""The window's actions, menus and toolbar: names, shortcuts, icons, tips, enabled state."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

from ..model.tree import CHANCE, DECISION, TERMINAL
from .icons import icon
from .preferences import preferences_action

if TYPE_CHECKING:
    from .main_window import MainWindow

Key = QKeySequence.StandardKey


class Actions:
    """Every action of the main window, by name (`actions["save"]`)."""

    def __init__(self, window: MainWindow):
        self.window = window
        self._all: dict[str, QAction] = {}
        files, edit, view = window.files, window.document.edit, window.view
        document = window.document
        selected = self._on_selected
        self.add("new", "&New", files.new, Key.New, "new", "Start a new tree")
        self.add("open", "&Open…", files.open_dialog, Key.Open, "open", "Open a tree file")
        self.add("save", "&Save", files.save, Key.Save, "save", "Save the tree")
        self.add("save-as", "Save &As…", files.save_as, Key.SaveAs, None,
                 "Save the tree under another name")
        self.add("revert", "&Revert", files.revert, None, None,
                 "Discard the changes since the last save")
        self.add("export", "&Export Image…", window.export_image, "Ctrl+E", "export",
                 "Draw the tree or the selected branch as PNG, SVG or PDF")
        self.add("quit", "&Quit", window.close, Key.Quit, None, "Close offramp")
        undo = document.undo_stack.createUndoAction(window, "&Undo")
        undo.setShortcut(QKeySequence(Key.Undo))
        undo.setIcon(icon("undo"))
        self._all["undo"] = undo
        redo = document.undo_stack.createRedoAction(window, "&Redo")
        redo.setShortcut(QKeySequence(Key.Redo))
        redo.setIcon(icon("redo"))
        self._all["redo"] = redo
        self.add("cut", "Cu&t", selected(edit.cut), Key.Cut, None, "Cut the selected branch")
        self.add("copy", "&Copy", selected(edit.copy), Key.Copy, None,
                 "Copy the selected branch")
        self.add("paste", "&Paste", selected(edit.paste), Key.Paste, None,
                 "Paste a copied branch under the selected node")
        self.add("delete", "&Delete Branch", selected(edit.delete), Key.Delete, "delete",
                 "Delete the selected branch and everything below it")
        self.add("rename", "Re&name Branch", selected(view.start_rename), "F2", None,
                 "Edit the label of the selected branch")
        self.add("add-child", "Add &Branch", selected(edit.add_child), "Insert", "add-child",
                 "Add a branch below the selected node")
        self.add("add-sibling", "Add &Sibling", selected(edit.add_sibling), "Ctrl+Insert",
                 "add-sibling", "Add a branch next to the selected one")
        self.add("move-up", "Move &Up", selected(lambda i: edit.move(i, -1)), "Alt+Up",
                 "move-up", "Move the selected branch up")
        self.add("move-down", "Move Do&wn", selected(lambda i: edit.move(i, 1)), "Alt+Down",
                 "move-down", "Move the selected branch down")
        for kind, words, key in ((DECISION, "&Decision", "Ctrl+1"), (CHANCE, "&Chance",
                                                                    "Ctrl+2"),
                                 (TERMINAL, "&Terminal", "Ctrl+3")):
            self.add(f"type-{kind}", words, selected(lambda i, k=kind: edit.change_type(i, k)),
                     key, kind, f"Make the selected node a {kind} node")
        self.add("toggle-fold", "&Fold or Expand", selected(self._toggle_fold), "Space", None,
                 "Fold or expand the selected node")
        self.add("expand-all", "E&xpand All", edit.expand_all, "Ctrl+Shift+E", "expand-all",
                 "Show every node")
        self.add("fold-all", "Fold A&ll", edit.fold_all, "Ctrl+Shift+F", "fold-all",
                 "Fold the tree down to its root")
        self.add("fold-below", "Fold &Below Level…", window.fold_below_dialog, None, None,
                 "Show only the first levels of the tree")
        self.add("zoom-in", "Zoom &In", view.zoom_in, Key.ZoomIn, "zoom-in", "Zoom in")
        self.add("zoom-out", "Zoom &Out", view.zoom_out, Key.ZoomOut, "zoom-out", "Zoom out")
        self.add("zoom-fit", "&Fit to Window", view.fit, "Ctrl+0", "zoom-fit",
                 "Show the whole tree")
        self.add("zoom-reset", "&Actual Size", view.reset_zoom, "Ctrl+Shift+0", None,
                 "Show the tree at 100%")
        self.add("about", "&About offramp", window.about, None, None,
                 "Version, and the sources of this tree")
        self._all["preferences"] = preferences_action(window)
        self._all["show-reach"] = reach = QAction("Show &Reach Probabilities", window)
        reach.setCheckable(True)
        reach.setStatusTip("Show, under each branch, the chance the solved policy passes it")
        reach.toggled.connect(lambda on: document.set_display(show_reach=on))
        document.selection_changed.connect(self.update_enabled)
        document.results_ready.connect(self.update_enabled)
        self.update_enabled()

    def __getitem__(self, name: str) -> QAction:
        return self._all[name]

    def add(self, name: str, text: str, slot: Callable, shortcut: object = None,
            icon_name: str | None = None, tip: str = "") -> QAction:
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon_name:
            action.setIcon(icon(icon_name))
        if tip:
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip} ({keys})" if keys else tip)
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self._all[name] = action
        return action

    def _on_selected(self, operation: Callable[[str], object]) -> Callable[[], None]:
        def run() -> None:
            node_id = self.window.document.selected_id
            if node_id is not None:
                operation(node_id)
        return run

    def _toggle_fold(self, node_id: str) -> None:
        node = self.window.document.tree.node(node_id)
        self.window.document.edit.fold(node_id, not node.collapsed)

    def update_enabled(self, *_: object) -> None:
        document = self.window.document
        node = document.selected_node
        is_child = node is not None and document.tree.parent_id(node.id) is not None
        for name in ("cut", "delete", "rename", "add-sibling", "move-up", "move-down"):
            self._all[name].setEnabled(is_child)
        for name in ("copy", "paste", "add-child", "type-decision", "type-chance",
                     "type-terminal"):
            self._all[name].setEnabled(node is not None)
        self._all["toggle-fold"].setEnabled(bool(node is not None and node.children))

    # ---- menus ----------------------------------------------------------------------
    def build_menus(self) -> None:
        bar = self.window.menuBar()
        self._menu(bar.addMenu("&File"), ["new", "open", self.window.recent_menu, "save",
                                          "save-as", "revert", None, "export", None, "quit"])
        self._menu(bar.addMenu("&Edit"), ["undo", "redo", None, "cut", "copy", "paste",
                                          "delete", None, "rename", "add-child", "add-sibling",
                                          "move-up", "move-down", self.type_menu(), None,
                                          "preferences"])
        view = bar.addMenu("&View")
        self._menu(view, ["zoom-in", "zoom-out", "zoom-fit", "zoom-reset", None,
                          "toggle-fold", "expand-all", "fold-all", "fold-below", None,
                          "show-reach", None])
        self.window.panels_menu = view.addMenu("&Panels")
        self._menu(bar.addMenu("&Help"), ["about"])

    def type_menu(self) -> QMenu:
        menu = QMenu("Change &Type", self.window)
        self._menu(menu, ["type-decision", "type-chance", "type-terminal"])
        return menu

    def context_menu(self, node_id: str | None) -> QMenu:
        menu = QMenu(self.window)
        if node_id is None:
            self._menu(menu, ["zoom-fit", "expand-all", "fold-all", None, "export"])
            return menu
        self._menu(menu, ["rename", "add-child", "add-sibling", self.type_menu(), None,
                          "cut", "copy", "paste", "delete", None, "move-up", "move-down",
                          "toggle-fold", None, "export"])
        return menu

    def _menu(self, menu: QMenu, entries: list) -> None:
        for entry in entries:
            if entry is None:
                menu.addSeparator()
            elif isinstance(entry, QMenu):
                menu.addMenu(entry)
            else:
                menu.addAction(self._all[entry])

    def build_toolbar(self) -> QToolBar:
        bar = QToolBar("Main", self.window)
        bar.setObjectName("main-toolbar")
        for name in ("new", "open", "save", None, "undo", "redo", None, "add-child",
                     "add-sibling", "delete", "move-up", "move-down", None, "zoom-in",
                     "zoom-out", "zoom-fit", "expand-all", "fold-all", None, "export"):
            if name is None:
                bar.addSeparator()
            else:
                bar.addAction(self._all[name])
        return bar
