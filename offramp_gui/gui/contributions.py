"""What a feature adds to the window, declared as data: actions, menus, docks, menu items.

A feature is an object with `contributions()`; it may also have `may_close()` (False
keeps the window open) and `closed()` (the window is closing). The shell builds its
menus, toolbar, context menus and docks from what every feature declares, sorted by
group and order, so no feature touches the window or another feature's menus.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMenu, QWidget

#: The menus of the menu bar, in order, with their titles.
MENU_BAR = (("file", "&File"), ("edit", "&Edit"), ("view", "&View"), ("help", "&Help"))
#: Context menus: on a node (it is selected first) and on the background of the canvas.
NODE_MENU, CANVAS_MENU = "context/node", "context/canvas"
TOOLBAR = "toolbar"


@dataclass(frozen=True)
class Place:
    """Where an action or submenu shows: a menu id, a group (separated from the next
    group) and an order within the group."""

    menu: str
    group: str = ""
    order: int = 0


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str
    run: Callable[[], object]
    places: tuple[Place, ...] = ()
    shortcut: object = None  # a QKeySequence.StandardKey or a text like "Ctrl+E"
    icon: str | None = None
    tip: str = ""
    enabled_when: Callable[[], bool] | None = None
    checkable: bool = False
    #: For a checkable action: called with the new state instead of `run`.
    toggled: Callable[[bool], object] | None = None
    #: For a checkable action: checked when the window opens (`toggled` is called then).
    checked: bool = False
    role: QAction.MenuRole = QAction.MenuRole.TextHeuristicRole
    #: Builds the action itself (undo and redo come ready-made from the undo stack).
    make: Callable[[QObject], QAction] | None = None


@dataclass(frozen=True)
class SubmenuSpec:
    """A submenu (its id is a menu id actions can be placed in). `fill`, if given,
    fills it afresh each time it is about to show (Open Recent)."""

    id: str
    text: str
    places: tuple[Place, ...]
    fill: Callable[[QMenu], object] | None = None
    enabled_when: Callable[[], bool] | None = None


@dataclass(frozen=True)
class ContextItem:
    """An entry of the node context menu that acts on the node under the pointer."""

    text: str
    run: Callable[[str], object]
    applies_to: Callable[[str], bool]
    group: str = ""
    order: int = 0
    tip: str = ""


@dataclass(frozen=True)
class DockSpec:
    id: str
    title: str  # with its & mnemonic, as shown in View > Panels
    widget: QWidget
    area: Qt.DockWidgetArea
    order: int = 0
    #: The id of a dock to share tabs with (declared by the same or an earlier feature).
    tabify_with: str | None = None
    #: Width (left/right areas) or height (top/bottom) the first time the app runs.
    size: int | None = None
    #: Height (or width) to grow to the first time it is shown, if it has less.
    size_when_shown: int | None = None
    on_top: bool = False
    #: What the panel is for, in two or three sentences (Help > What's This, Shift+F1).
    whats_this: str = ""


@dataclass(frozen=True)
class Contributions:
    actions: tuple[ActionSpec, ...] = ()
    submenus: tuple[SubmenuSpec, ...] = ()
    context_items: tuple[ContextItem, ...] = ()
    docks: tuple[DockSpec, ...] = ()


class Feature(Protocol):
    #: The feature's name, by which the window lists it (`window.features[name]`).
    name: str

    def contributions(self) -> Contributions: ...


def reveal(widget: QWidget) -> None:
    """Show and raise the dock that holds `widget` (a feature showing its own panel)."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QDockWidget):
        parent = parent.parentWidget()
    if parent is not None:
        parent.show()
        parent.raise_()
