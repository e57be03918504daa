"""The Analysis dock as a user drives it: each analysis from the app, its plotted data,
a long simulation cancelled, and the exports."""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDockWidget, QLineEdit

from offramp_gui.analysis import montecarlo, sensitivity
from offramp_gui.analysis.flatten import flatten
from offramp_gui.api import load
from offramp_gui.cli import main as offramp
from offramp_gui.fileformat.atomic import SaveError
from offramp_gui.gui import analysis_dock
from offramp_gui.gui.analysis_dock import NOT_READY
from offramp_gui.gui.plots import analysis_plots as plots
from offramp_gui.gui.plots.spider_plot import MAX_LINES

TREES = Path(__file__).resolve().parents[2] / "trees"
WAIT = 10_000  # ms: generous, for slow machines


@pytest.fixture
def window(make_window, qtbot):
    win = make_window()
    panel = win.panels["analysis"]  # the window docks it itself
    win.document.open(TREES / "offramp.json")
    win.show()
    dock = win.findChild(QDockWidget, "analysis-dock")
    dock.raise_()
    qtbot.waitUntil(panel.isVisible)
    yield win
    assert panel.simulation.shutdown(), "a simulation thread outlived its test"


@pytest.fixture
def panel(window):
    return window.panels["analysis"]


@pytest.fixture
def flat():
    return flatten(load(TREES / "offramp.json"))


def shown(qtbot, panel, tab):
    """Bring `tab` to the front and wait for its analysis (debounced) to be drawn."""
    panel.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.result is not None and not tab.dirty, timeout=WAIT)
    return tab


def command_line_csv(tmp_path, *args) -> bytes:
    """The table `offramp ARGS -o x.csv` writes for the off-ramp tree."""
    out = tmp_path / "command-line.csv"
    assert offramp([args[0], str(TREES / "offramp.json"), *args[1:], "-o", str(out)]) == 0
    return out.read_bytes()


def choose(combo, data) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


# ---- the dock -------------------------------------------------------------------------
def test_install_docks_the_panel_with_the_outcomes(window, panel):
    dock = window.findChild(QDockWidget, "analysis-dock")
    outcomes = window.findChild(QDockWidget, "outcomes-dock")
    assert dock.widget() is panel and window.panels["analysis"] is panel
    assert window.dockWidgetArea(dock) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert dock in window.tabifiedDockWidgets(outcomes)
    [view] = [a.menu() for a in window.menuBar().actions() if a.text() == "&View"]
    [panels] = [a.menu() for a in view.actions() if a.text() == "&Panels"]
    assert "&Analysis" in [a.text() for a in panels.actions()]
    assert [panel.tabs.tabText(k).replace("&", "") for k in range(panel.tabs.count())] == [
        "One-way", "Two-way", "Tornado", "Spider", "Monte Carlo", "What would it take",
        "Value of information"]
    assert [tab.kind.name for tab in panel.tab_list()] == [  # each the controls of an entry
        "one-way", "two-way", "tornado", "spider", "monte-carlo", "what-would-it-take",
        "value-of-information"]


# ---- one-way ------------------------------------------------------------------------
def test_one_way_draws_the_engines_values_and_marks_the_switch(qtbot, panel, flat):
    tab = panel.one_way
    choose(tab.variable, data="p_collapse")
    shown(qtbot, panel, tab)
    expected = sensitivity.one_way(flat, sensitivity.subject(flat), "p_collapse",
                                   *sensitivity.variable_range(flat, "p_collapse"))
    curves = tab.plot.curve_data()
    assert len(curves) == len(expected.alternatives) == 3
    for (x, y), values in zip(curves, expected.values, strict=True):
        np.testing.assert_array_equal(x, expected.x)
        np.testing.assert_array_equal(y, values)
    assert tab.plot.switch_positions() == pytest.approx([0.2217], abs=1e-4)
    assert tab.plot.switch_positions()[0] == pytest.approx(expected.switches[0][0], abs=1e-12)
    assert "p_collapse" in tab.plot.plot.getAxis("bottom").labelText
    left_title = tab.plot.plot.getAxis("left").labelText.replace("<br>", " ")  # it wraps
    assert "Expected utility for Western capitals" in left_title
    assert "Chance that the Russian front collapses" in tab.plot.caption.text()
    assert [name for name, _color in tab.plot.legend.entries()] == [
        "Seek Russia's defeat", "Support Ukraine while keeping an off-ramp open",
        "Push for an early settlement"]


def test_one_way_follows_its_controls_and_the_selected_decision(qtbot, panel, window):
    tab = shown(qtbot, panel, panel.one_way)
    tab.steps.setValue(25)
    tab.set_range(0.1, 0.5)
    qtbot.waitUntil(lambda: not tab.dirty and tab.result.x.size == 25, timeout=WAIT)
    assert (tab.result.x[0], tab.result.x[-1]) == (0.1, 0.5)
    window.document.select("offramp_pledges.rout")  # a Kremlin decision
    assert panel.picker.node_id() == "offramp_pledges.rout"
    assert panel.picker.player_id() == "kremlin"
    qtbot.waitUntil(lambda: not tab.dirty and tab.result.alternatives[0].startswith(
        "offramp_pledges.rout."), timeout=WAIT)


def test_one_way_recomputes_when_a_variable_changes(qtbot, panel, window, flat):
    tab = panel.one_way
    choose(tab.variable, data="p_collapse")
    shown(qtbot, panel, tab)
    before = tab.plot.switch_positions()
    with qtbot.waitSignal(window.document.results_ready, timeout=WAIT):
        window.document.edit.set_variable("face_value", "value", 70)
    qtbot.waitUntil(lambda: not tab.dirty and tab.plot.switch_positions() != before,
                    timeout=WAIT)
    changed = flatten(window.document.tree)
    expected = sensitivity.one_way(changed, sensitivity.subject(changed), "p_collapse",
                                   *sensitivity.variable_range(changed, "p_collapse"))
    np.testing.assert_array_equal(tab.plot.curve_data()[1][1], expected.values[1])


def test_on_a_large_tree_the_one_way_waits_for_run(qtbot, panel, window, monkeypatch):
    tab = panel.one_way
    choose(tab.variable, data="p_collapse")
    before = shown(qtbot, panel, tab).plot.curve_data()[1][1].copy()
    monkeypatch.setattr(analysis_dock, "ANALYSED_BY_ITSELF_UP_TO", 10)  # the tree is large
    with qtbot.waitSignal(window.document.results_ready, timeout=WAIT):
        window.document.edit.set_variable("face_value", "value", 70)
    qtbot.waitUntil(tab.run_button.isVisible, timeout=WAIT)
    assert "press Run" in tab.message.text() and tab.message.isVisible()
    qtbot.wait(analysis_dock.DEBOUNCE_MS + 100)  # nothing reruns by itself
    np.testing.assert_array_equal(tab.plot.curve_data()[1][1], before)
    qtbot.mouseClick(tab.run_button, Qt.MouseButton.LeftButton)
    assert not tab.run_button.isVisible() and not tab.message.isVisible()
    changed = flatten(window.document.tree)
    expected = sensitivity.one_way(changed, sensitivity.subject(changed), "p_collapse",
                                   *sensitivity.variable_range(changed, "p_collapse"))
    np.testing.assert_array_equal(tab.plot.curve_data()[1][1], expected.values[1])
    assert not np.array_equal(before, expected.values[1])


def test_the_decision_list_keeps_its_choice_through_number_edits_and_shows_new_names(
        qtbot, panel, window):
    window.document.select("offramp_pledges.rout")
    picker = panel.picker.node
    listed = [picker.itemText(k) for k in range(picker.count())]
    with qtbot.waitSignal(window.document.results_ready, timeout=WAIT):
        window.document.edit.set_variable("face_value", "value", 70)
    assert panel.picker.node_id() == "offramp_pledges.rout"
    assert panel.picker.player_id() == "kremlin"
    assert [picker.itemText(k) for k in range(picker.count())] == listed
    with qtbot.waitSignal(window.document.results_ready, timeout=WAIT):
        window.document.edit.set_field("offramp_pledges.rout", "name", "Renamed rout")
    assert panel.picker.node_id() == "offramp_pledges.rout"
    assert picker.currentText().startswith("Renamed rout")


def test_a_bad_range_is_a_plain_message_not_a_traceback(qtbot, panel):
    tab = shown(qtbot, panel, panel.one_way)
    tab.set_range(0.3, 0.3)
    qtbot.waitUntil(lambda: tab.message.isVisible(), timeout=WAIT)
    assert tab.message.text().startswith("The range of ")
    assert tab.message.textFormat() == Qt.TextFormat.PlainText
    assert not tab.plot_area.isVisible() and not tab.export_plot_button.isEnabled()


def test_a_tree_with_problems_is_not_analysed(qtbot, panel, window):
    tab = shown(qtbot, panel, panel.one_way)
    window.document.edit.set_variable("p_collapse", "value", "no_such_name * 2")
    qtbot.waitUntil(lambda: tab.message.isVisible(), timeout=WAIT)
    assert tab.message.text() == NOT_READY


# ---- two-way and tornado --------------------------------------------------------------
def test_two_way_map_shows_the_best_alternative_over_the_grid(qtbot, panel, flat):
    tab = panel.two_way
    choose(tab.x_variable, data="p_collapse")
    choose(tab.y_variable, data="face_value")
    tab.steps.setValue(30)
    shown(qtbot, panel, tab)
    qtbot.waitUntil(lambda: not tab.dirty and tab.result.y_variable == "face_value"
                    and tab.result.x.size == 30, timeout=WAIT)
    expected = sensitivity.two_way(flat, sensitivity.subject(flat), "p_collapse",
                                   sensitivity.variable_range(flat, "p_collapse"), "face_value",
                                   sensitivity.variable_range(flat, "face_value"), 30)
    np.testing.assert_array_equal(tab.plot.region_grid(), expected.best_index)
    assert {0, 1} <= set(np.unique(tab.plot.region_grid()))
    assert tab.plot.plot.getAxis("left").labelText == "face_value"


def test_tornado_bars_are_ordered_by_swing(qtbot, panel, flat):
    tab = shown(qtbot, panel, panel.tornado)
    expected = sensitivity.tornado(flat, sensitivity.subject(flat))
    assert tab.plot.bar_variables() == [bar.variable for bar in expected.bars]
    swings = [abs(high - low) for low, high in tab.plot.bar_extents()]
    assert swings == sorted(swings, reverse=True)
    assert tab.plot.bar_variables()[0] == "face_value"
    assert {"face_value", "p_collapse"} <= set(tab.plot.marked_variables())


# ---- spider ----------------------------------------------------------------------------
def test_spider_draws_a_line_per_variable_through_the_base(qtbot, panel, flat):
    tab = shown(qtbot, panel, panel.spider)
    topic = sensitivity.subject(flat)
    expected = sensitivity.spider(flat, topic, steps=tab.steps.value())
    ranged = [v.name for v in flat.variables if v.low is not None and v.high is not None]
    assert sorted(line.variable for line in expected.lines) == sorted(ranged)
    # The tree has as many ranged variables as the plot has line styles: it draws each.
    assert len(ranged) == 24 == MAX_LINES
    drawn = expected.lines[:MAX_LINES]
    assert [name.split(" (")[0] for name, _color in tab.plot.legend.entries()] == \
        tab.plot.line_variables() == [line.variable for line in drawn]
    for (x, y), line in zip(tab.plot.curve_data(), drawn, strict=True):
        assert x.size == line.percent.size + len(line.switches)  # the rings on the line
        assert y[np.flatnonzero(x == 0.0)[0]] == expected.base  # every line meets there
    assert len(tab.plot.switch_points()) == sum(len(line.switches) for line in drawn)
    assert "variables that move it most are shown" not in tab.plot.caption.text()
    assert tab.plot.plot.getAxis("bottom").labelText == "Change from base (% of range)"
    assert "Expected utility for Western capitals" in \
        tab.plot.plot.getAxis("left").labelText.replace("<br>", " ")
    assert "Support Ukraine while keeping an off-ramp open, the best alternative in the" \
        " base case" in tab.plot.caption.text()


def test_spider_follows_a_range_changed_in_the_model_editor(qtbot, panel, window):
    tab = shown(qtbot, panel, panel.spider)
    face = next(line for line in tab.result.lines if line.variable == "face_value")
    assert (face.percent[0], face.percent[-1]) == (-50.0, 50.0)  # 40 in 0..80
    editor = window.panels["model"].show_tab("variables")
    listing = editor.list
    listing.setCurrentRow(next(i for i in range(listing.count())
                               if listing.item(i).text() == "face_value"))
    edit = editor.findChild(QLineEdit, "variable-max")
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "60")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert window.document.undo_stack.undoText() == "Change variable \u201cface_value\u201d's max"

    def face_line():
        return next(line for line in tab.result.lines if line.variable == "face_value")
    qtbot.waitUntil(lambda: not tab.dirty and face_line().high == 60, timeout=WAIT)
    # 0 and 60 around 40: -40 / 60 and +20 / 60 of the range
    assert face_line().percent[0] == pytest.approx(-200 / 3)
    assert face_line().percent[-1] == pytest.approx(100 / 3)
    k = tab.plot.line_variables().index("face_value")
    x, _y = tab.plot.curve_data()[k]
    assert (x[0], x[-1]) == (face_line().percent[0], face_line().percent[-1])
    window.document.undo_stack.undo()
    qtbot.waitUntil(lambda: not tab.dirty and face_line().high == 80, timeout=WAIT)


def test_on_a_large_tree_the_spider_waits_for_run(qtbot, panel, window, monkeypatch):
    tab = shown(qtbot, panel, panel.spider)
    before = tab.result
    monkeypatch.setattr(analysis_dock, "ANALYSED_BY_ITSELF_UP_TO", 10)  # the tree is large
    with qtbot.waitSignal(window.document.results_ready, timeout=WAIT):
        window.document.edit.set_variable("face_value", "value", 70)
    qtbot.waitUntil(tab.run_button.isVisible, timeout=WAIT)
    qtbot.wait(analysis_dock.DEBOUNCE_MS + 100)  # nothing reruns by itself
    assert tab.result is before and "press Run" in tab.message.text()
    qtbot.mouseClick(tab.run_button, Qt.MouseButton.LeftButton)
    face = next(line for line in tab.result.lines if line.variable == "face_value")
    assert face.base == 70 and face.percent[-1] == pytest.approx(12.5)  # 70 in 0..80


def test_the_spider_waits_for_run_sooner_than_the_tornado_as_it_solves_per_line(
        qtbot, panel, window, flat, monkeypatch):
    ranged = sum(1 for v in flat.variables if v.low is not None and v.low < v.high)
    assert ranged > 1
    # Large enough for the tornado to rerun by itself, too much for one spider per line.
    monkeypatch.setattr(analysis_dock, "ANALYSED_BY_ITSELF_UP_TO", flat.size * 2)
    tornado = shown(qtbot, panel, panel.tornado)
    with qtbot.waitSignal(window.document.results_ready, timeout=WAIT):
        window.document.edit.set_variable("face_value", "value", 70)
    qtbot.waitUntil(lambda: not tornado.dirty, timeout=WAIT)
    assert not tornado.run_button.isVisible()
    spider = panel.spider
    panel.tabs.setCurrentWidget(spider)
    qtbot.waitUntil(spider.run_button.isVisible, timeout=WAIT)
    assert "press Run" in spider.message.text()
    qtbot.mouseClick(spider.run_button, Qt.MouseButton.LeftButton)
    assert len(spider.result.lines) == ranged


def test_spider_plot_and_data_export(qtbot, panel, tmp_path):
    tab = shown(qtbot, panel, panel.spider)
    tab.steps.setValue(5)
    qtbot.waitUntil(lambda: not tab.dirty and tab.run.parameters.steps == 5, timeout=WAIT)
    panel.prompts.script("export-plot", tmp_path / "spider.png")
    tab.export_plot_button.click()
    image = QImage(str(tmp_path / "spider.png"))
    assert not image.isNull() and (image.width(), image.height()) == (900, 600)
    assert tab.export_data(tmp_path / "app.csv")
    assert (tmp_path / "app.csv").read_bytes() == command_line_csv(tmp_path, "spider",
                                                                   "--steps", "5")
    assert panel.prompts.errors == []


# ---- what would it take ---------------------------------------------------------------
def test_what_would_it_take_from_the_canvas_menu(qtbot, panel, window):
    window.document.open(TREES / "concessions.json")
    menu = window.context_menu("fig_leaves")
    action = next(a for a in menu.actions() if a.text() == "What would it take…")
    action.trigger()
    tab = panel.requirements
    assert panel.tabs.currentWidget() is tab
    assert tab.node.currentData() == "fig_leaves"
    choose(tab.target, data="fig_leaves.accept")
    qtbot.waitUntil(lambda: not tab.dirty and tab.result is not None
                    and tab.result.target == "fig_leaves.accept", timeout=WAIT)
    (low, high), = tab.result.intervals("face_value")
    assert low == pytest.approx(13.6171875, abs=1e-3) and high == 80
    rows = {variable: answer for variable, _range, answer in tab.rows()}
    assert rows["face_value"] == "13.62 to 80"
    assert tab.plot.segments()  # the selected variable's band is drawn


def test_the_menu_item_is_only_for_decisions_that_choose(window):
    def items(node_id):
        return [a.text() for a in window.context_menu(node_id).actions()]
    assert "What would it take…" in items("offramp_pledges.rout")
    assert "What would it take…" not in items("offramp_pledges.recover")  # a terminal
    assert "What would it take…" not in items(None)


# ---- Monte Carlo ----------------------------------------------------------------------
def test_monte_carlo_runs_in_the_background_and_matches_the_engine(qtbot, panel, flat):
    tab = panel.simulation
    panel.tabs.setCurrentWidget(tab)
    tab.samples.setValue(3000)
    tab.seed.setValue(7)
    qtbot.mouseClick(tab.run_button, Qt.MouseButton.LeftButton)
    assert tab.running and tab.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: not tab.running, timeout=WAIT)
    expected = montecarlo.simulate(flat, sensitivity.subject(flat), 3000, 7).summary()
    assert tab.plot.probability_best() == [expected[a]["probability_best"]
                                           for a in tab.result.alternatives]
    assert "3,000 samples" in tab.status.text()
    assert [key for key, *_ in tab.plot.outcome_rows()][:2] == ["nuclear", "wider_war"]


def test_a_long_simulation_can_be_cancelled(qtbot, panel):
    tab = panel.simulation
    panel.tabs.setCurrentWidget(tab)
    tab.samples.setValue(2_000_000)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    qtbot.mouseClick(tab.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=WAIT)  # the event loop keeps running
    assert tab.running
    qtbot.mouseClick(tab.cancel_button, Qt.MouseButton.LeftButton)
    timer.stop()
    assert not tab.running and tab.run_button.isEnabled() and not tab.progress.isVisible()
    assert tab.status.text() == "Cancelled."
    qtbot.waitUntil(tab.idle, timeout=30_000)  # the worker stops at its next chunk
    assert tab.result is None and tab.status.text() == "Cancelled."


def test_a_run_out_of_date_offers_recompute(qtbot, panel, window):
    tab = panel.simulation
    panel.tabs.setCurrentWidget(tab)
    tab.samples.setValue(500)
    tab.start()
    qtbot.waitUntil(lambda: not tab.running, timeout=WAIT)
    assert tab.stale.isHidden()
    with qtbot.waitSignal(window.document.results_ready, timeout=WAIT):
        window.document.edit.set_variable("face_value", "value", 20)
    assert tab.stale.isVisible()
    assert tab.stale_text.text() == "The tree has changed since this run."
    qtbot.mouseClick(tab.recompute_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.running, timeout=WAIT)
    assert tab.stale.isHidden()


# ---- exports --------------------------------------------------------------------------
def test_each_plot_and_its_data_export(qtbot, panel, tmp_path):
    tab = panel.one_way
    choose(tab.variable, data="p_collapse")
    shown(qtbot, panel, tab)
    panel.prompts.script("export-plot", tmp_path / "one-way.png", tmp_path / "one-way.svg")
    panel.prompts.script("export-data", tmp_path / "one-way.csv")
    tab.export_plot_button.click()
    tab.export_plot_button.click()
    tab.export_data_button.click()
    image = QImage(str(tmp_path / "one-way.png"))
    assert not image.isNull() and (image.width(), image.height()) == (900, 600)
    svg = ET.parse(tmp_path / "one-way.svg").getroot()
    assert svg.tag.endswith("svg")
    assert "p_collapse" in (tmp_path / "one-way.svg").read_text()
    rows = list(csv.reader(io.StringIO((tmp_path / "one-way.csv").read_text())))
    assert rows[0] == ["p_collapse", "defeat", "offramp", "settle", "best"]
    assert len(rows) == 201 and rows[1][-1] == "defeat"
    assert (tmp_path / "one-way.csv").read_bytes() == command_line_csv(
        tmp_path, "sensitivity", "--var", "p_collapse")
    assert panel.prompts.errors == []


def test_exported_data_is_the_command_lines_table(qtbot, panel, tmp_path):
    for tab, args in ((panel.two_way, ["map", "--x", "p_collapse", "--y", "defeat_push"]),
                      (panel.tornado, ["tornado"])):
        shown(qtbot, panel, tab)
        assert tab.export_data(tmp_path / "app.csv")
        assert (tmp_path / "app.csv").read_bytes() == command_line_csv(tmp_path, *args)


def test_simulation_and_requirements_data_export(qtbot, panel, tmp_path):
    tab = panel.simulation
    panel.tabs.setCurrentWidget(tab)
    tab.samples.setValue(500)
    tab.seed.setValue(3)
    tab.start()
    qtbot.waitUntil(lambda: not tab.running, timeout=WAIT)
    assert tab.export_data(tmp_path / "mc.csv") and tab.export_plot(tmp_path / "mc.png")
    assert (tmp_path / "mc.csv").read_text().startswith("sample,p_collapse,")
    assert (tmp_path / "mc.csv").read_bytes() == command_line_csv(
        tmp_path, "simulate", "-n", "500", "--seed", "3")
    panel.show_requirements("offramp_pledges.rout")
    qtbot.waitUntil(lambda: panel.requirements.result is not None, timeout=WAIT)
    assert panel.requirements.export_data(tmp_path / "take.csv")
    assert panel.requirements.export_plot(tmp_path / "take.svg")
    assert panel.requirements.selected_variable() in (tmp_path / "take.svg").read_text()
    rows = list(csv.reader(io.StringIO((tmp_path / "take.csv").read_text())))
    assert rows[0] == ["variable", "from", "to", "choice", "branch"]
    face = [row for row in rows if row[0] == "face_value"]  # the choice in each interval
    assert [row[3:] for row in face] == [["offramp_pledges.rout.grind", "Grind on"], [
        "offramp_pledges.rout.accept", "Accept a face-saving deal"]]
    assert float(face[0][2]) == float(face[1][1]) == pytest.approx(8.6172, abs=1e-4)


def test_export_problems_are_reported_plainly(qtbot, panel, tmp_path):
    tab = shown(qtbot, panel, panel.tornado)
    assert not tab.export_plot(tmp_path / "missing" / "t.png")
    assert not tab.export_plot(tmp_path / "t.pdf")
    assert "does not exist" in panel.prompts.errors[0][1]
    assert ".png or .svg" in panel.prompts.errors[1][1]
    assert not list(tmp_path.iterdir())


# ---- the builders, headless (as the command line uses them) -----------------------------
def test_builders_draw_to_png_and_svg_without_a_window(qapp, flat, tmp_path):
    topic = sensitivity.subject(flat)
    low, high = sensitivity.variable_range(flat, "face_value")
    widgets = {
        "one": plots.plot_one_way(flat, topic, sensitivity.one_way(flat, topic, "face_value",
                                                                    low, high, 40)),
        "map": plots.plot_two_way(flat, topic, sensitivity.two_way(
            flat, topic, "face_value", (low, high), "p_collapse", (0.05, 0.6), 10)),
        "tornado": plots.plot_tornado(flat, topic, sensitivity.tornado(flat, topic)),
        "mc": plots.plot_simulation(flat, topic, montecarlo.simulate(flat, topic, 300, 1)),
        "band": plots.plot_threshold(flat, sensitivity.threshold(
            flat, "offramp_pledges.rout", "face_value", low, high)),
    }
    for name, widget in widgets.items():
        plots.save_widget(widget, tmp_path / f"{name}.png", 640, 480)
        plots.save_widget(widget, tmp_path / f"{name}.svg")
        assert QImage(str(tmp_path / f"{name}.png")).width() == 640
        assert ET.parse(tmp_path / f"{name}.svg").getroot().tag.endswith("svg")
        widget.deleteLater()
    with pytest.raises(ValueError, match="must end in .png or .svg"):
        plots.save_widget(widgets["one"], tmp_path / "x.jpg")
    with pytest.raises(SaveError, match="does not exist"):
        plots.save_widget(widgets["one"], tmp_path / "nowhere" / "x.png")


def test_spider_with_more_variables_than_line_styles_draws_those_that_move_most(
        qtbot, window, tmp_path):
    document = json.loads((TREES / "offramp.json").read_text(encoding="utf-8"))
    document["variables"] += [{"name": f"unused_{k}", "value": 1, "min": 0, "max": 2}
                              for k in range(2)]
    path = tmp_path / "more.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    window.document.open(path)
    panel = window.panels["analysis"]
    tab = shown(qtbot, panel, panel.spider)
    assert len(tab.result.lines) == 26 > MAX_LINES
    assert len(tab.plot.line_variables()) == MAX_LINES
    assert not {"unused_0", "unused_1"} & set(tab.plot.line_variables())  # they move nothing
    assert f"The {MAX_LINES} of 26 variables that move it most are shown." in \
        tab.plot.caption.text()
