"""A panel behind another tab does no work until its tab is chosen.

Qt keeps every dock of a tabbed group visible, those not chosen moved out of sight; before,
the Risk Profile (behind the Outcomes), the Explain panel (behind the Properties) and
the Analysis dock recomputed at every slider step though nobody could see them: on a
million-node tree that was a tenth of a second a step, and the Explain panel's worker
solving the whole tree again and again.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabBar

TREES = Path(__file__).resolve().parents[2] / "trees"
WAIT = 10_000  # ms: generous, for slow machines
ROUT = "offramp_pledges.rout"  # "Kremlin response to a rout"


def open_window(make_window, qtbot):
    window = make_window()
    window.document.open(TREES / "offramp.json")
    window.resize(1280, 900)
    window.show()
    qtbot.waitExposed(window)
    return window


def choose_tab(qtbot, window, title: str) -> None:
    """Click the tab named `title` under a group of docks, as a user would."""
    for bar in window.findChildren(QTabBar):
        for k in range(bar.count()):
            if bar.tabText(k) == title and bar.isVisible():
                qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(k).center())
                return
    raise AssertionError(f"no tab {title!r}")


def test_the_risk_profile_is_drawn_when_its_tab_is_chosen(make_window, qtbot):
    window = open_window(make_window, qtbot)
    panel = window.panels["risk_profile"]
    rout = "Kremlin response to a rout: risk profile for The Kremlin"
    window.document.select(ROUT)
    qtbot.wait(50)
    assert panel.plot.title.text() != rout  # behind the Outcomes: not drawn
    choose_tab(qtbot, window, "Risk Profile")
    qtbot.waitUntil(lambda: panel.plot.title.text() == rout, timeout=WAIT)
    window.document.select(window.document.tree.root.id)  # seen now: follows at once
    assert panel.plot.title.text() == "Western war aim: risk profile for Western capitals"


def test_the_explain_panel_explains_only_once_its_tab_is_chosen(make_window, qtbot):
    window = open_window(make_window, qtbot)
    panel = window.panels["explain"]
    window.document.select(ROUT)
    qtbot.wait(400)  # past the panel's pause after a change
    assert "rout" not in panel.text() and not panel._quick.busy and not panel._full.busy
    choose_tab(qtbot, window, "Explain")
    qtbot.waitUntil(lambda: "The Kremlin" in panel.text() and "rout" in panel.text(),
                    timeout=WAIT)


def test_the_analysis_dock_analyses_only_once_its_tab_is_chosen(make_window, qtbot):
    window = open_window(make_window, qtbot)
    panel = window.panels["analysis"]
    tab = panel.tabs.currentWidget()
    qtbot.wait(400)
    assert tab.result is None  # behind the Outcomes since the window opened
    choose_tab(qtbot, window, "Analysis")
    qtbot.waitUntil(lambda: tab.result is not None and not tab.dirty, timeout=WAIT)
    assert panel.simulation.shutdown()
