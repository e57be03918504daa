"""View > Number Format…: decimals, probabilities as percent or decimal, and units, on
the canvas and in the Outcomes chart, undoable and saved with the tree."""
from __future__ import annotations

import json
import math
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from offramp_gui.gui.export import export_tree
from offramp_gui.gui.format import NumberFormat, probability, value
from offramp_gui.gui.number_format import NumberFormatDialog
from offramp_gui.gui.plots.outcomes_plot import OutcomesPanel

SVG = "{http://www.w3.org/2000/svg}"
TREES = Path(__file__).resolve().parents[2] / "trees"


@pytest.fixture
def path(tmp_path):
    copy = tmp_path / "offramp.json"
    shutil.copyfile(TREES / "offramp.json", copy)
    return copy


@pytest.fixture
def window(make_window, path):
    window = make_window()
    assert window.files.open(path)
    return window


def chance_branch(window) -> str:
    """A branch of chance the canvas shows with its probability."""
    return next(node_id for node_id in window.document.tree.ids()
                if window.scene.readout(node_id).probability == "30%")


def choose_format(window, qtbot, decimals=None, decimal=None, units=None) -> None:
    """Open View > Number Format…, set what is given, and click OK."""
    window.actions["number-format"].trigger()
    dialog = window.prompts.dialogs[-1]
    assert isinstance(dialog, NumberFormatDialog)
    if decimals is not None:
        dialog.decimals.setValue(decimals)
    if decimal is not None:
        qtbot.mouseClick(dialog.decimal if decimal else dialog.percent,
                         Qt.MouseButton.LeftButton)
    if units is not None and dialog.units.isChecked() != units:
        qtbot.mouseClick(dialog.units, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.document.results_ready):  # the views update on it
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)


def decimals_of(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def test_decimals_and_decimal_probabilities_show_on_the_canvas_and_undo(window, qtbot):
    branch = chance_branch(window)
    small = next(node_id for node_id in window.document.tree.ids()  # shown as "-4.25"
                 if decimals_of(window.scene.readout(node_id).value) == 2)
    choose_format(window, qtbot, decimals=1, decimal=True)
    assert window.scene.readout(branch).probability == "0.3"
    assert re.fullmatch(r"-?\d+\.\d", window.scene.readout(small).value)
    assert window.isWindowModified()
    with qtbot.waitSignal(window.document.results_ready):
        window.actions["undo"].trigger()
    assert window.scene.readout(branch).probability == "30%"
    assert decimals_of(window.scene.readout(small).value) == 2
    assert not window.isWindowModified()


def test_the_format_is_saved_with_the_tree_and_restored_on_opening(window, path, qtbot,
                                                                   make_window):
    choose_format(window, qtbot, decimals=1, decimal=True)
    with qtbot.waitSignal(window.files.save_finished):
        window.actions["save"].trigger()
    assert json.loads(path.read_text(encoding="utf-8"))["display"] == {
        "decimals": 1, "probabilities": "decimal"}
    again = make_window()
    assert again.files.open(path)
    assert again.scene.readout(chance_branch_of(again)).probability == "0.3"
    again.actions["number-format"].trigger()
    dialog = again.prompts.dialogs[-1]
    assert dialog.decimals.value() == 1 and dialog.decimal.isChecked()


def chance_branch_of(window) -> str:
    return next(node_id for node_id in window.document.tree.ids()
                if window.scene.readout(node_id).probability == "0.3")


def test_units_show_after_the_values_of_a_criterion(window, qtbot):
    root = window.document.tree.root.id
    window.document.set_display(criterion=0)
    assert not window.scene.readout(root).value.endswith(" score")
    choose_format(window, qtbot, units=True)
    assert window.scene.readout(root).value.endswith(" score")
    window.document.set_display(criterion=None)  # a player's utility has no unit
    assert not window.scene.readout(root).value.endswith(" score")


def test_the_outcomes_charts_values_follow_the_decimals(window, qtbot):
    panel = window.findChild(OutcomesPanel)
    panel.refresh()
    before = [item.toPlainText() for item in panel._value_texts if item.isVisible()]
    assert before and any(decimals_of(text) != 3 for text in before)
    choose_format(window, qtbot, decimals=3)
    after = [item.toPlainText() for item in panel._value_texts if item.isVisible()]
    assert len(after) == len(before) and all(decimals_of(text) == 3 for text in after)


def test_an_exported_picture_shows_the_trees_number_format(window, qtbot, tmp_path):
    choose_format(window, qtbot, decimals=1, decimal=True)
    picture = tmp_path / "tree.svg"
    export_tree(window.document, picture, expanded=True)
    texts = {t.text or "" for t in ET.parse(picture).getroot().iter(f"{SVG}text")}
    assert any(text.startswith("0.3   ") for text in texts)  # probability, then value
    assert not any("%" in text for text in texts)


@pytest.mark.parametrize("display, number, p, expected", [
    (None, -4.254, 0.3, ("-4.25", "30%")),  # no "display": as before
    ({"decimals": 0}, -4.254, 0.3, ("-4", "30%")),
    ({"decimals": 2, "probabilities": "decimal"}, 1234.5, 0.125, ("1,234.50", "0.12")),
    ({"probabilities": "decimal", "units": True}, 53.775, 0.3, ("53.8 score", "0.3")),
])
def test_numbers_in_a_number_format(display, number, p, expected):
    style = NumberFormat.of(display)
    assert (value(number, style, "score"), probability(p, style)) == expected
    assert value(math.nan, style, "score") == "—"  # a value not computed has no unit
