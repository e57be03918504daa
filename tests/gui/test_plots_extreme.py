"""The Analysis dock's plots of a tree whose variables range over ±1.7e308.

Spans of such values (and the plots' margins around them) overflow to infinity, which
pyqtgraph refuses, from inside a paint: pytest-qt fails a test on an exception raised in
Qt's handlers. The plots draw such values in a power of ten named on the axis.
"""
from __future__ import annotations

import json
import math

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

WIDEST = 1.7e308  # near the largest double
WAIT = 10_000  # ms: generous, for slow machines
UNIT = "(× 10³⁰⁸)"


def wide(name: str, **extra) -> dict:
    return {"name": name, "value": 0, "min": -WIDEST, "max": WIDEST, **extra}


# z, drawn at random for Monte Carlo, comes last: the model editor shows the first
# variable, and its own density plot is not one of the analysis plots.
HUGE = {"format": "offramp-tree", "version": 1, "title": "Huge",
        "variables": [wide("x"), wide("y"), wide("z", distribution={
            "type": "uniform", "low": -WIDEST, "high": WIDEST})],
        "root": {"id": "root", "type": "decision", "children": [
            {"id": "a", "branch": "A", "type": "terminal", "payoff": "x"},
            {"id": "b", "branch": "B", "type": "terminal", "payoff": "y"},
            {"id": "c", "branch": "C", "type": "terminal", "payoff": "z"}]}}


@pytest.fixture
def panel(make_window, qtbot, tmp_path):
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(HUGE), encoding="utf-8")
    win = make_window()
    panel = win.panels["analysis"]
    win.document.open(path)
    win.resize(1100, 800)
    win.show()
    win.findChild(QDockWidget, "analysis-dock").raise_()
    qtbot.waitUntil(panel.isVisible)
    yield panel
    assert panel.simulation.shutdown(), "a simulation thread outlived its test"


def drawn(qtbot, panel, tab):
    """Bring `tab` to the front, wait for its result, and paint it (where ranges fail)."""
    panel.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.result is not None and not tab.dirty, timeout=WAIT)
    assert not tab.message.isVisible(), tab.message.text()
    assert not panel.grab().isNull()
    qtbot.wait(50)  # the paints and range updates queued by the first one
    return tab.plot


def finite_view(plot) -> tuple[list[float], list[float]]:
    (x_low, x_high), (y_low, y_high) = plot.plot.viewRange()
    assert all(math.isfinite(v) for v in (x_low, x_high, y_low, y_high))
    return [x_low, x_high], [y_low, y_high]


def label(plot, side: str) -> str:
    return plot.plot.getAxis(side).labelText


def test_one_way(qtbot, panel):
    tab = panel.one_way
    tab.variable.setCurrentIndex(tab.variable.findData("x"))
    plot = drawn(qtbot, panel, tab)
    (x_low, x_high), (y_low, y_high) = finite_view(plot)
    assert x_low < -1.7 and 1.7 < x_high and y_low <= -1.7 and 1.7 <= y_high
    assert label(plot, "bottom").endswith(UNIT) and label(plot, "left").endswith(UNIT)
    x, y = plot.curve_data()[0]  # in the variable's and the values' own units
    assert (x[0], x[-1]) == pytest.approx((-WIDEST, WIDEST))
    assert (y[0], y[-1]) == pytest.approx((-WIDEST, WIDEST))
    assert plot.switch_positions() == pytest.approx([0.0], abs=1e300)


def test_two_way(qtbot, panel):
    tab = panel.two_way
    tab.x_variable.setCurrentIndex(tab.x_variable.findData("x"))
    tab.y_variable.setCurrentIndex(tab.y_variable.findData("y"))
    plot = drawn(qtbot, panel, tab)
    qtbot.waitUntil(lambda: not tab.dirty and tab.result.y_variable == "y", timeout=WAIT)
    assert not panel.grab().isNull()
    (x_low, x_high), (y_low, y_high) = finite_view(plot)
    assert x_low == pytest.approx(-1.7) and x_high == pytest.approx(1.7)
    assert y_low == pytest.approx(-1.7) and y_high == pytest.approx(1.7)
    assert label(plot, "bottom") == "x " + UNIT and label(plot, "left") == "y " + UNIT
    assert {0, 1, 2} == set(plot.region_grid().ravel())


def test_tornado(qtbot, panel):
    plot = drawn(qtbot, panel, panel.tornado)
    (x_low, x_high), _rows = finite_view(plot)
    assert x_low < 0 < 1.7 < x_high
    assert label(plot, "bottom").endswith(UNIT)
    assert plot.bar_extents() == [(0.0, WIDEST)] * 3


def test_spider(qtbot, panel):
    plot = drawn(qtbot, panel, panel.spider)
    (x_low, x_high), (y_low, y_high) = finite_view(plot)
    assert x_low < -49 and 49 < x_high  # each variable at 0, the middle of its range
    assert y_low <= -1.7 and 1.7 <= y_high and label(plot, "left").endswith(UNIT)
    assert sorted(plot.line_variables()) == ["x", "y", "z"]


def test_monte_carlo(qtbot, panel):
    tab = panel.simulation
    panel.tabs.setCurrentWidget(tab)
    tab.samples.setValue(500)
    qtbot.mouseClick(tab.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.running, timeout=WAIT)
    plot = drawn(qtbot, panel, tab)
    (x_low, x_high), _share = plot.histogram.viewRange()
    assert math.isfinite(x_low) and math.isfinite(x_high)
    assert plot.histogram.getAxis("bottom").labelText.endswith(UNIT)


def test_what_would_it_take(qtbot, panel):
    tab = panel.requirements
    panel.tabs.setCurrentWidget(tab)
    tab.show_node("root", "a")
    plot = drawn(qtbot, panel, tab)
    (x_low, x_high), _band = finite_view(plot)
    assert x_low < -1.7 and 1.7 < x_high
    assert label(plot, "bottom") == "x " + UNIT
    assert plot.threshold_positions() == pytest.approx([0.0], abs=1e300)
    assert [choice for _a, _b, choice in plot.segments()] == ["b", "a"]
