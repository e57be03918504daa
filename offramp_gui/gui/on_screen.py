"""Whether a panel can be seen, and a call when it comes into sight.

Qt keeps every dock of a tabbed group visible, those whose tab is not chosen moved out
of sight: `QWidget.isVisible()` is true for all of them, and choosing a tab shows
nothing anew (no show event). A panel that works only while seen asks `on_screen`, and
hears of its tab being chosen from its dock (`when_brought_into_view`).
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDockWidget, QWidget


def on_screen(widget: QWidget) -> bool:
    """Shown, and not under another tab's dock."""
    return widget.isVisible() and not widget.visibleRegion().isEmpty()


def when_brought_into_view(widget: QWidget, call: Callable[[], None]) -> None:
    """Call `call` whenever the dock holding `widget` comes into view (its tab chosen, or
    the dock shown); at most once per dock, however often this is asked."""
    dock = widget.parentWidget()
    while dock is not None and not isinstance(dock, QDockWidget):
        dock = dock.parentWidget()
    if dock is None or widget.property("watching-its-dock"):
        return
    widget.setProperty("watching-its-dock", True)
    dock.visibilityChanged.connect(lambda shown: shown and call())
