"""Value of information as a user asks it: right-click a chance node, read the answer,
change the test's accuracy; the numbers are the command line's."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDockWidget

from offramp_gui.analysis.catalogue import InformationParameters
from offramp_gui.analysis.catalogue.value_of_information import VALUE_OF_INFORMATION
from offramp_gui.cli import main as offramp

TREES = Path(__file__).resolve().parents[2] / "trees"
WAIT = 10_000  # ms
ASK = "What is it worth to know this?"


@pytest.fixture
def window(make_window, qtbot):
    win = make_window()
    panel = win.panels["analysis"]
    win.document.open(TREES / "offramp.json")
    win.show()
    win.findChild(QDockWidget, "analysis-dock").raise_()
    qtbot.waitUntil(panel.isVisible)
    yield win
    assert panel.simulation.shutdown()


def asked(qtbot, window, node_id: str):
    """Right-click `node_id`, choose the item, wait for the answer."""
    action = next(a for a in window.context_menu(node_id).actions() if a.text() == ASK)
    action.trigger()
    panel = window.panels["analysis"]
    tab = panel.information
    assert panel.tabs.currentWidget() is tab
    qtbot.waitUntil(lambda: tab.result is not None and not tab.dirty, timeout=WAIT)
    return tab


def test_right_click_a_chance_node_answers_in_words(qtbot, window):
    tab = asked(qtbot, window, "defeat_max")
    assert tab.event.node_id() == "defeat_max"
    assert tab.before.currentData() == "defeat"  # the nearest decision above it
    assert tab.result.perfect.worth == pytest.approx(1.2)
    answer = tab.answer.text()
    assert answer.startswith("Knowing the outcome of “Battlefield, next year” before"
                             " choosing at “Western rhetoric” is worth 1.20 to Western"
                             " capitals: it would change the choice from “Measured rhetoric”"
                             " to “Maximalist: 'must fail and be seen to fail'” if it is"
                             " “Front stalls” or “Russian offensive recovers”.")
    assert "A test right 80.0% of the time is worth 0.24" in answer
    rows = tab.rows()
    assert rows[0] == ("Not knowing", "100.0%", "Measured rhetoric", "-14.00")
    assert rows[2][:3] == ("Front stalls", "45.0%", "Maximalist: 'must fail and be seen to"
                           " fail'")
    assert [name for name, _value in tab.plot.rows()][:1] == ["Russian front collapses (40%)"]
    assert tab.plot.marks()["perfect"] == pytest.approx(-13.99675 + 1.2)


def test_changing_the_accuracy_changes_the_value_of_the_test(qtbot, window):
    tab = asked(qtbot, window, "defeat_max")
    at_80 = tab.result.imperfect.worth
    tab.accuracy.setValue(90.0)
    qtbot.waitUntil(lambda: not tab.dirty and tab.result.imperfect.worth != at_80,
                    timeout=WAIT)
    expected = VALUE_OF_INFORMATION.run(tab.run.flat, InformationParameters(
        event="defeat_max", accuracy=0.9)).result.imperfect.worth
    assert tab.result.imperfect.worth == expected == pytest.approx(0.62545)
    assert "A test right 90.0% of the time is worth 0.63" in tab.answer.text()
    tab.test.setChecked(False)  # perfect information only
    qtbot.waitUntil(lambda: not tab.dirty and tab.result.imperfect is None, timeout=WAIT)
    assert not any(name.startswith("says") for name, _v in tab.plot.rows())


def test_a_decision_the_tree_does_not_allow_is_said_plainly(qtbot, window):
    tab = asked(qtbot, window, "defeat_max")
    tab.before.setCurrentIndex(tab.before.findData("aim"))
    qtbot.waitUntil(lambda: not tab.dirty and tab.result is None, timeout=WAIT)
    assert tab.message.text().startswith("The chances of “Battlefield, next year”"
                                         " (defeat_max) depend on what “Western war aim”"
                                         " (aim) chooses")
    assert not tab.export_data_button.isEnabled()


def test_the_item_is_only_on_chance_nodes_below_a_decision(window):
    def items(node_id):
        return [a.text() for a in window.context_menu(node_id).actions()]
    assert ASK in items("defeat_max")
    assert ASK not in items("aim")  # a decision
    assert ASK not in items("settle.accept.holds")  # a terminal


def test_exports_are_the_command_lines(qtbot, window, tmp_path):
    tab = asked(qtbot, window, "defeat_max")
    assert tab.export_data(tmp_path / "app.csv")
    out = tmp_path / "cli.csv"
    assert offramp(["voi", str(TREES / "offramp.json"), "--event", "defeat_max",
                    "--accuracy", "0.8", "-o", str(out)]) == 0
    assert (tmp_path / "app.csv").read_bytes() == out.read_bytes()
    assert tab.export_plot(tmp_path / "app.svg")
    assert "Front stalls" in (tmp_path / "app.svg").read_text()


def test_a_test_described_signal_by_signal(qtbot, window):
    tab = asked(qtbot, window, "defeat_max")
    tab.accuracy.setValue(90.0)
    qtbot.waitUntil(lambda: not tab.dirty and tab.result.imperfect.worth > 0.6, timeout=WAIT)
    tab.by_signal.setChecked(True)  # starts as the 90% test, one signal per outcome
    assert tab.signals.isVisible() and not tab.accuracy.isEnabled()
    qtbot.waitUntil(lambda: not tab.dirty, timeout=WAIT)
    assert tab.result.imperfect.worth == pytest.approx(0.62545)
    tab.signals.set_chance(0, 0, "0.8")  # P(says collapse | collapse) 0.9 -> 0.8
    qtbot.waitUntil(lambda: not tab.dirty and tab.result is None, timeout=WAIT)
    assert "Given outcome 1, the chances of the signals add up to 0.9, not 1" in \
        tab.message.text()
    tab.signals.set_chance(1, 0, "0.15")
    qtbot.waitUntil(lambda: not tab.dirty and tab.result is not None, timeout=WAIT)
    expected = VALUE_OF_INFORMATION.run(tab.run.flat, InformationParameters(
        event="defeat_max", likelihood=tab.signals.likelihood())).result.imperfect.worth
    assert tab.result.imperfect.worth == expected != pytest.approx(0.62545)
    assert tab.signals.likelihood()["says Front stalls"]["defeat_max.rout"] == 0.15
    assert "The test described is worth" in tab.answer.text()
    tab.signals.set_chance(2, 1, "many")
    qtbot.waitUntil(lambda: not tab.dirty and tab.result is None, timeout=WAIT)
    assert "must be a number, not “many”" in tab.message.text()
