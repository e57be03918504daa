"""The Risk Profile panel and the Outcomes chart follow the selected decision, live."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from offramp_gui.api import load_text
from offramp_gui.cli import main as offramp
from offramp_gui.gui.panels.risk_profile_panel import NO_DECISION, RiskProfilePanel
from offramp_gui.gui.plots.outcomes_plot import OutcomesPanel

TREES = Path(__file__).resolve().parents[2] / "trees"
WAIT = 5_000  # ms

# The small tree (conftest.SMALL), for the West (weights 0.6 security, 0.4 risk avoided):
#   Seek defeat (+5 security), then the front collapses (p 0.3) and the Kremlin escalates
#   (35 for it, against -45 for accepting): -55 security, -100 risk -> -33 - 40 = -73;
#   or a stalemate (0.7): -5, -10 -> -3 - 4 = -7.
#   Talks now: -5 security -> -3, for sure.
# At the Kremlin's decision (weights -1 security, 0.2 risk avoided): escalating scores
# 55 - 20 = 35 for it, accepting (5 + 40 security) -45.


def approx_bars(bars: dict) -> dict:
    return {name: [(pytest.approx(s), pytest.approx(c)) for s, c in rows]
            for name, rows in bars.items()}


@pytest.fixture
def panel(controller, qtbot, prompts) -> RiskProfilePanel:
    panel = RiskProfilePanel(controller, prompts)
    qtbot.addWidget(panel)
    panel.resize(800, 600)
    panel.show()
    return panel


@pytest.fixture
def prompts():
    from recording import FakePrompts
    return FakePrompts()


def test_the_root_by_default_then_the_selected_decision(controller, panel):
    assert panel.plot.bars() == approx_bars({"Seek defeat": [(-73, 0.3), (-7, 0.7)],
                                             "Talks now": [(-3, 1.0)]})
    assert panel.plot.steps() == approx_bars({"Seek defeat": [(-73, 0.3), (-7, 1.0)],
                                              "Talks now": [(-3, 1.0)]})
    assert panel.plot.title.text() == "War aim: risk profile for West"
    controller.select("collapse")
    assert panel.plot.alternative_names() == ["Escalate", "Accept a deal"]
    assert panel.plot.bars() == approx_bars({"Escalate": [(35, 1.0)],
                                             "Accept a deal": [(-45, 1.0)]})
    assert panel.plot.title.text() == "Kremlin response: risk profile for Kremlin"
    assert "Escalate dominates Accept a deal (first order)" in panel.plot.caption.text()
    controller.select("stalemate")  # an ending: back to the root's decision
    assert panel.plot.alternative_names() == ["Seek defeat", "Talks now"]
    # -3 for sure is above both of seeking defeat's scores, -73 and -7:
    assert "Talks now dominates Seek defeat (first order)" in panel.plot.caption.text()


def test_a_probability_changed_moves_the_bars(controller, panel, qtbot):
    with qtbot.waitSignal(controller.results_ready, timeout=WAIT):
        controller.edit.set_field("collapse", "probability", 0.9)
    assert panel.plot.bars()["Seek defeat"] == approx_bars(
        {"x": [(-73, 0.9), (-7, 0.1)]})["x"]
    with qtbot.waitSignal(controller.results_ready, timeout=WAIT):
        controller.undo_stack.undo()
    assert panel.plot.bars()["Seek defeat"] == approx_bars(
        {"x": [(-73, 0.3), (-7, 0.7)]})["x"]


def test_a_hidden_panel_catches_up_when_shown(controller, panel, qtbot):
    panel.hide()
    controller.select("collapse")
    assert panel.plot.alternative_names() == ["Seek defeat", "Talks now"]  # not yet
    panel.show()
    assert panel.plot.alternative_names() == ["Escalate", "Accept a deal"]


def test_export_writes_the_plot_and_the_command_lines_table(controller, panel, prompts,
                                                            tmp_path):
    controller.select("collapse")
    picture = tmp_path / "profile.png"
    prompts.script("export-plot", picture)
    assert panel.export_plot()
    assert picture.read_bytes().startswith(b"\x89PNG")
    assert panel.export_data(tmp_path / "profile.csv")
    assert (tmp_path / "profile.csv").read_text().splitlines() == [
        "alternative,branch,score,chance,cumulative", "escalate,Escalate,35.0,1.0,1.0",
        "accept,Accept a deal,-45.0,1.0,1.0"]
    assert not panel.export_plot(tmp_path / "profile.txt")
    assert "must end in .png or .svg" in prompts.errors[-1][1]


CHANCE_ROOT = """{"format": "offramp-tree", "version": 1, "title": "Weather first",
 "root": {"id": "weather", "type": "chance", "children": [
   {"id": "dry", "branch": "Dry", "probability": 0.5, "type": "terminal", "payoff": 1},
   {"id": "wet", "branch": "Wet", "probability": "#", "type": "decision", "name": "Cover?",
    "payoff": 1, "children": [{"id": "cover", "branch": "Cover", "type": "terminal", "payoff": 0},
                 {"id": "bare", "branch": "Stay out", "type": "terminal", "payoff": -2}]}]}}"""


def test_a_root_that_is_not_a_decision_asks_for_one(make_controller, qtbot, prompts):
    controller = make_controller(load_text(CHANCE_ROOT))
    panel = RiskProfilePanel(controller, prompts)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.message.text() == NO_DECISION and panel.plot_area.isHidden()
    assert not panel.export_plot_button.isEnabled()
    controller.select("wet")
    assert not panel.message.isVisible() and panel.plot.title.text() == (
        "Cover?: risk profile for Decision maker")
    assert panel.plot.bars() == {"Cover": [(1.0, 1.0)], "Stay out": [(-1.0, 1.0)]}


def test_outcomes_follow_the_selected_decision(controller, qtbot):
    outcomes = OutcomesPanel(controller)
    qtbot.addWidget(outcomes)
    assert outcomes.alternatives() == ["Seek defeat", "Talks now"]
    assert outcomes.title.text() == ("“War aim”, decided by West: each alternative, then play"
                                     " as solved (its choice outlined)")
    controller.select("collapse")
    assert outcomes.alternatives() == ["Escalate", "Accept a deal"]
    assert outcomes.chosen_index() == 0 and outcomes.highlighted_alternative() == "Escalate"
    assert outcomes.outcome_shares()["nuclear"] == [1.0, 0.0]
    assert outcomes.outcome_shares()["deal"] == [0.0, 1.0]
    assert outcomes.title.text().startswith("“Kremlin response”, decided by Kremlin")
    controller.select("defeat")  # a chance node: the root's decision again
    assert outcomes.alternatives() == ["Seek defeat", "Talks now"]


def test_on_a_large_tree_it_redraws_once_a_burst_of_changes_pauses(
        controller, panel, qtbot, monkeypatch):
    from offramp_gui.gui.panels import risk_profile_panel
    monkeypatch.setattr(risk_profile_panel, "AT_ONCE_UP_TO", 3)  # the small tree is "large"
    controller.select("collapse")
    assert panel.plot.title.text() == "War aim: risk profile for West"  # not yet
    qtbot.waitUntil(lambda: panel.plot.title.text()
                    == "Kremlin response: risk profile for Kremlin", timeout=WAIT)


def test_the_window_docks_it_beside_the_outcomes(make_window, qtbot, tmp_path):
    window = make_window()
    window.document.open(TREES / "offramp.json")
    window.show()
    dock = window.findChild(QDockWidget, "risk_profile-dock")
    outcomes = window.findChild(QDockWidget, "outcomes-dock")
    panel = window.panels["risk_profile"]
    assert dock.widget() is panel
    assert window.dockWidgetArea(dock) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert dock in window.tabifiedDockWidgets(outcomes)
    dock.raise_()
    qtbot.waitUntil(panel.isVisible)
    window.document.select("offramp_pledges.rout")
    assert panel.plot.title.text() == "Kremlin response to a rout: risk profile for The Kremlin"
    caption = panel.plot.caption.text()
    assert "Accept a face-saving deal dominates Grind on (first order)" in caption
    out = tmp_path / "cli.csv"
    assert offramp(["profile", str(TREES / "offramp.json"), "--node", "offramp_pledges.rout",
                    "-o", str(out)]) == 0
    assert panel.run.csv() == out.read_bytes()


def test_a_decision_with_thousands_of_alternatives_draws_the_chosen_and_the_best(
        controller, panel):
    from offramp_gui.gui.plots.profile_plot import DRAWN_UP_TO
    count = 2_000
    options = ", ".join(f'{{"id": "a{k}", "branch": "Option {k}", "type": "terminal",'
                        f' "payoff": {(k * 7919) % count}}}' for k in range(count))
    text = ('{"format": "offramp-tree", "version": 1, "title": "Many", "root": {"id": "r",'
            f' "type": "decision", "name": "Pick", "children": [{options}]}}}}')
    controller.replace_tree(load_text(text), None)
    names = panel.plot.alternative_names()
    assert len(names) == DRAWN_UP_TO
    best = sorted(range(count), key=lambda k: -((k * 7919) % count))[:DRAWN_UP_TO]
    assert names == [f"Option {k}" for k in sorted(best)]  # the chosen one is the best
    assert f"Drawn: {DRAWN_UP_TO} of 2,000 alternatives" in panel.plot.caption.text()
    assert "Not compared: 2,000 alternatives" in panel.plot.caption.text()
