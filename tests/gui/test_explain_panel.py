"""The Explain panel: the reasoning in words, following the selection and every change,
its thresholds found on a worker thread, how often a choice holds, the context menu's
"Explain This Decision" and Copy."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QToolButton

from offramp_gui.analysis.readable import x_text
from offramp_gui.analysis.sensitivity import threshold
from offramp_gui.gui.panels import explain_panel
from offramp_gui.gui.panels.explain_page import LOOKING, PICK_ONE

ROOT = Path(__file__).resolve().parents[2]
TREES = ROOT / "trees"
BEER_QUICHE = ROOT / "tests" / "data" / "equilibria" / "beer-quiche.json"
WAIT = 10_000  # ms: generous, for slow machines
STALL = "offramp_pledges.stall"  # "Kremlin response to a stalemate"
RUNNER_UP = ("The runner-up is “Accept a face-saving deal”, 13.0 behind in The Kremlin’s"
             " utility (-12.5 against -25.5).")


def open_window(make_window, qtbot, path: Path = TREES / "offramp.json"):
    window = make_window()
    window.document.open(path)
    window.resize(1280, 900)
    window.show()
    window.findChild(QDockWidget, "explain-dock").raise_()
    panel = window.panels["explain"]
    qtbot.waitUntil(panel.isVisible)
    return window, panel


@pytest.fixture
def window(make_window, qtbot):
    return open_window(make_window, qtbot)[0]


@pytest.fixture
def panel(window):
    return window.panels["explain"]


def settled(qtbot, panel) -> str:
    qtbot.waitUntil(lambda: not panel.pending, timeout=WAIT)
    return panel.text()


def test_a_selected_decision_is_explained_and_its_thresholds_follow(qtbot, window, panel):
    window.document.select(STALL)
    panel.refresh()  # (what the pause after the selection would do)
    text = panel.text()
    assert text.startswith("At “Kremlin response to a stalemate”, The Kremlin chooses"
                           " “Grind on”.")
    assert RUNNER_UP in text
    assert "Regime survival and face (score)" in text  # the criteria's table
    assert LOOKING in text  # the thresholds are being looked for on a worker
    text = settled(qtbot, panel)
    assert LOOKING not in text
    # The same numbers as `offramp threshold trees/offramp.json --node … --var face_value`.
    flat = window.document.results.flat
    switch = threshold(flat, STALL, "face_value", 0, 80).thresholds[0]
    assert x_text(switch) == "56.225"
    assert "face_value above 56.225 (now 40), for “Accept a face-saving deal”" in text
    assert "defeat_face_loss below 53.775 (now 70)" in text
    # Then the solved path, and never a node's id.
    assert "The solved path" in text and "If “Front stalls”, The Kremlin chooses" in text
    assert not [i for i in flat.ids if ("." in i or "_" in i) and i in text]


def test_the_panel_follows_a_change_of_a_variable(qtbot, window, panel):
    window.document.select(STALL)
    assert "chooses “Grind on”." in settled(qtbot, panel)
    window.document.edit.set_variable("face_value", "value", 70)
    qtbot.waitUntil(lambda: "chooses “Accept a face-saving deal”." in panel.text(),
                    timeout=WAIT)
    text = settled(qtbot, panel)
    assert "The runner-up is “Grind on”" in text
    assert "face_value below 56.225 (now 70), for “Grind on”" in text
    window.document.undo_stack.undo()
    qtbot.waitUntil(lambda: RUNNER_UP in panel.text(), timeout=WAIT)


def test_a_chance_node_shows_the_solved_path_and_each_decision_on_it(qtbot, window, panel):
    window.document.select("offramp_pledges")  # "Battlefield, next year"
    text = settled(qtbot, panel)
    assert text.startswith(PICK_ONE)
    assert "The solved path" in text
    assert ("Western capitals chooses “Support Ukraine while keeping an off-ramp open” at"
            " “Western war aim”.") in text
    assert "The decisions on the path" in text
    for name in ("Western war aim", "Kyiv's pledges", "Kremlin response to a rout",
                 "Kremlin response to a stalemate"):
        assert f"“{name}” (" in text
    assert "face_value below 8.61719 (now 40), for “Grind on”" in text  # the rout's


def test_a_newer_request_drops_an_older_one(qtbot, window, panel):
    window.document.select(STALL)
    panel.refresh()
    window.document.select("offramp_pledges.rout")
    panel.refresh()  # while the stalemate's thresholds are still being looked for
    pages = []
    panel.browser.textChanged.connect(lambda: pages.append(panel.text()))
    text = settled(qtbot, panel)
    assert text.startswith("At “Kremlin response to a rout”, The Kremlin chooses “Accept a"
                           " face-saving deal”.")
    assert "face_value below 8.61719 (now 40), for “Grind on”" in text
    assert pages and not [page for page in pages if "56.225" in page]  # never shown


def test_a_large_tree_is_explained_on_a_worker(qtbot, window, panel, monkeypatch):
    monkeypatch.setattr(explain_panel, "ONE_INLINE", 10)  # the off-ramp tree is "large"
    shown_before = panel.text()
    window.document.select(STALL)
    panel.refresh()
    assert panel.text() == shown_before  # nothing is worked out on the window's thread
    assert panel.status.isVisible() and panel.status.text() == explain_panel.EXPLAINING
    text = settled(qtbot, panel)
    assert RUNNER_UP in text and "face_value above 56.225" in text
    assert not panel.status.isVisible()


def test_on_a_large_tree_the_thresholds_wait_for_find(qtbot, window, panel, monkeypatch):
    monkeypatch.setattr(explain_panel, "THRESHOLDS_BY_THEMSELVES_UP_TO", 10)
    window.document.select(STALL)
    panel.refresh()
    qtbot.waitUntil(lambda: not panel.pending, timeout=WAIT)
    assert RUNNER_UP in panel.text() and "face_value above" not in panel.text()
    assert panel.status.isVisible() and panel.status.text().startswith(
        f"The tree has {window.document.results.flat.size:,} nodes: press Find What Would")
    assert panel.find_button.isVisible()
    qtbot.mouseClick(panel.find_button, Qt.MouseButton.LeftButton)
    assert not panel.find_button.isVisible() and not panel.status.isVisible()
    qtbot.waitUntil(lambda: "face_value above 56.225" in panel.text(), timeout=WAIT)
    window.document.select("offramp_pledges.rout")  # another decision: offered again
    qtbot.waitUntil(lambda: panel.find_button.isVisible(), timeout=WAIT)
    assert "face_value below 8.61719" not in panel.text()


def test_explain_this_decision_shows_the_dock_on_that_decision(qtbot, window, panel):
    dock = window.findChild(QDockWidget, "explain-dock")
    dock.hide()
    assert "Explain This Decision" not in [a.text() for a in
                                           window.context_menu("offramp_pledges").actions()]
    menu = window.context_menu(STALL)
    entry = next(a for a in menu.actions() if a.text() == "Explain This Decision")
    entry.trigger()
    assert dock.isVisible() and window.document.selected_id == STALL
    qtbot.waitUntil(lambda: RUNNER_UP in panel.text(), timeout=WAIT)


def test_copy_puts_the_explanation_on_the_clipboard_as_plain_text(qtbot, window, panel):
    window.document.select(STALL)
    settled(qtbot, panel)
    copy_button = next(b for b in panel.findChildren(QToolButton) if b.text() == "Copy")
    qtbot.mouseClick(copy_button, Qt.MouseButton.LeftButton)
    copied = QApplication.clipboard().text()
    assert copied.startswith("“Kremlin response to a stalemate” (The Kremlin)\nAt “Kremlin")
    assert RUNNER_UP in copied and "face_value above 56.225" in copied
    assert "\n\nThe solved path\n\n" in copied and "<" not in copied


def test_how_often_it_holds_is_counted_when_asked(qtbot, window, panel):
    window.document.select(STALL)
    text = settled(qtbot, panel)
    assert "samples" not in text and panel.hold_button.isVisible()
    qtbot.mouseClick(panel.hold_button, Qt.MouseButton.LeftButton)
    assert panel.progress.isVisible() and not panel.hold_button.isVisible()
    qtbot.waitUntil(lambda: "Across 10,000 samples" in panel.text(), timeout=WAIT)
    assert not panel.progress.isVisible() and not panel.hold_button.isVisible()
    assert ("The Kremlin chooses “Grind on” in 75.5% of them; otherwise “Accept a"
            " face-saving deal” in 24.5%.") in panel.text()
    # An edit makes the count out of date: it is no longer shown, and offered again.
    window.document.edit.set_variable("face_value", "value", 41)
    qtbot.waitUntil(lambda: "samples" not in panel.text(), timeout=WAIT)
    assert panel.hold_button.isVisible()


def test_the_analysis_docks_monte_carlo_says_how_often_it_holds(qtbot, window, panel):
    window.document.select(STALL)
    analysis = window.panels["analysis"]
    window.findChild(QDockWidget, "analysis-dock").raise_()
    tab = analysis.simulation
    analysis.tabs.setCurrentWidget(tab)
    assert analysis.picker.node_id() == STALL
    tab.samples.setValue(2000)
    tab.seed.setValue(3)
    qtbot.mouseClick(tab.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.running, timeout=WAIT)
    assert window.document.simulation is tab.run
    window.findChild(QDockWidget, "explain-dock").raise_()
    qtbot.waitUntil(lambda: "Across 2,000 samples" in panel.text(), timeout=WAIT)
    assert "The Kremlin chooses “Grind on” in" in panel.text()
    window.document.select("offramp_pledges.rout")  # another decision: not its run
    text = settled(qtbot, panel)
    assert "Kremlin response to a rout" in text and "samples" not in text


def test_the_equilibrium_shown_is_the_one_explained(make_window, qtbot):
    window, panel = open_window(make_window, qtbot, BEER_QUICHE)
    assert "those of the first." in settled(qtbot, panel)
    window.document.choose_equilibrium(1)
    qtbot.waitUntil(lambda: "those of the one shown, number 2." in panel.text(),
                    timeout=WAIT)
    text = settled(qtbot, panel)
    assert "The equilibrium shown (number 2 of 2) holds this choice" in text
    assert "information set “after quiche”" in text  # read from a copy of the game
    assert "Looking" not in text


def test_a_tree_with_problems_is_not_explained(qtbot, window, panel):
    window.document.select(STALL)
    settled(qtbot, panel)
    window.document.edit.set_variable("p_collapse", "value", "no_such_name * 2")
    qtbot.waitUntil(lambda: panel.text() == explain_panel.NOT_READY, timeout=WAIT)
    assert not panel.hold_button.isVisible()


def test_the_page_wraps_to_a_window_800_pixels_wide(qtbot, window, panel):
    window.resize(800, 700)
    window.document.select(STALL)
    settled(qtbot, panel)
    qtbot.wait(50)  # (the page is laid out again at the dock's width)
    assert window.width() == 800 and 0 < panel.browser.width() < 800
    assert panel.browser.horizontalScrollBar().maximum() == 0  # every line wraps
    assert panel.hold_button.isVisible()
    assert panel.hold_button.geometry().right() < panel.width()
