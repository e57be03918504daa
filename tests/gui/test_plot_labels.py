"""What the plots write around their data is whole and in sight: axis titles, ticks
and the numbers on the bars, as a new user first sees them in a 1600 x 1000 window."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QDockWidget, QScrollArea

TREES = Path(__file__).resolve().parents[2] / "trees"
WAIT = 10_000  # ms: generous, for slow machines


@pytest.fixture
def window(make_window, qtbot):
    win = make_window()
    win.resize(1600, 1000)
    win.show()
    qtbot.waitExposed(win)
    return win


def on_screen(frame, item) -> QRect:
    """Where a graphics item of a plot frame is drawn, in its graphics view's pixels."""
    return frame.graphics.mapFromScene(item.mapRectToScene(item.boundingRect())).boundingRect()


def in_sight(frame, item) -> tuple[QRect, QRect]:
    """Where an item of a plot frame shows and what is seen of the scroll area it is in,
    both in the coordinates of that area's viewport."""
    rect = on_screen(frame, item)
    area = frame.parentWidget()
    while not isinstance(area, QScrollArea):
        area = area.parentWidget()
    viewport = area.viewport()
    return QRect(frame.graphics.mapTo(viewport, rect.topLeft()), rect.size()), viewport.rect()


def inside(plot, numbers) -> bool:
    """Whether the numbers are drawn inside the plot's box."""
    box = plot.vb.sceneBoundingRect()
    return all(box.contains(number.sceneBoundingRect()) for number in numbers)


def test_the_outcomes_chart_of_a_new_tree_has_plain_ticks_and_its_numbers_inside(
        window, qtbot):
    window.actions["new"].trigger()  # File > New: every value is 0
    dock = window.docks["outcomes"]
    dock.raise_()
    panel = dock.widget()
    qtbot.waitUntil(panel.isVisible)
    assert panel.utilities() == [0.0, 0.0]
    for width in (1560, 700, 420):  # docked wide; narrow, stacked
        panel.resize(width, 280)
        qtbot.wait(10)
        plot = panel._values
        axis = plot.getAxis("bottom")
        assert "x0.001" not in axis.labelString() and "(x" not in axis.labelString()
        low, high = plot.viewRange()[0]
        _spacing, ticks = axis.tickValues(low, high, axis.width())[0]  # the labelled ones
        assert ticks and all(abs(t) <= 2 and round(t, 6) == round(t * 4) / 4 for t in ticks), \
            ticks  # whole numbers, or halves and quarters: not ±0.03
        numbers = panel._value_texts[:2]
        assert [number.textItem.toPlainText() for number in numbers] == ["0.00", "0.00"]

        qtbot.waitUntil(lambda p=plot, n=numbers: inside(p, n),  # once laid out at this width
                        timeout=2_000)


def test_the_monte_carlo_histogram_shows_its_x_axis_title(window, qtbot):
    window.document.open(TREES / "offramp.json")
    panel = window.panels["analysis"]
    window.findChild(QDockWidget, "analysis-dock").raise_()
    tab = panel.simulation
    panel.tabs.setCurrentWidget(tab)
    tab.samples.setValue(500)
    qtbot.mouseClick(tab.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.running, timeout=WAIT)
    qtbot.wait(20)
    axis = tab.plot.histogram.getAxis("bottom")
    assert axis.labelText.startswith("Expected utility for Western capitals")
    assert axis.label.isVisible()
    seen, viewport = in_sight(tab.plot, axis.label)
    assert viewport.contains(seen), (seen, viewport)
    assert panel.simulation.shutdown()


def test_the_one_way_plots_y_axis_title_is_not_clipped(window, qtbot):
    window.document.open(TREES / "offramp.json")
    panel = window.panels["analysis"]
    window.findChild(QDockWidget, "analysis-dock").raise_()
    tab = panel.one_way
    panel.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.result is not None and not tab.dirty, timeout=WAIT)
    qtbot.wait(20)
    axis = tab.plot.plot.getAxis("left")
    assert tab.plot.graphics.rect().contains(on_screen(tab.plot, axis.label))
    seen, viewport = in_sight(tab.plot, axis.label)
    assert viewport.contains(seen), (seen, viewport)
    assert panel.simulation.shutdown()
