"""What a branch shows: long labels wrapped (three lines on the canvas, all of them in an
exported image), and View > Show Formulas."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import SMALL
from PySide6.QtGui import QFontMetricsF

from offramp_gui.api import load_text
from offramp_gui.gui.export import export_tree

SVG = "{http://www.w3.org/2000/svg}"
#: 200 characters: forty numbered words, each to be found again.
LONG = " ".join(f"word{n:02d}" for n in range(40)).ljust(200, "!")[:200]


def _window(make_window):
    window = make_window()
    window.document.replace_tree(load_text(SMALL), None)
    return window


def test_a_long_label_wraps_to_three_lines_with_the_whole_of_it_in_the_tooltip(make_window):
    window = _window(make_window)
    scene = window.scene
    gap_before = scene.item_for_node("accept").y() - scene.item_for_node("escalate").y()
    window.document.edit.set_field("accept", "branch", LONG)
    scene.relayout()
    item = scene.item_for_node("accept")
    lines = item.look.branch_lines
    assert len(lines) == 3 and lines[0].startswith("word00 word01")
    assert lines[2].endswith("…") and "word39" not in "".join(lines)
    assert LONG in item.toolTip()
    # The two extra lines get room of their own: the branch moves down from its sibling,
    # and its label's top line stays clear of the sibling's numbers.
    line = QFontMetricsF(scene.theme.font).lineSpacing()
    gap = item.y() - scene.item_for_node("escalate").y()
    assert gap - gap_before == pytest.approx(2 * line)
    label_top = item.y() + item.label_rect().top() - 2 * line
    numbers_bottom = scene.item_for_node("escalate").y() + 3 + QFontMetricsF(
        scene.theme.small_font).height()
    assert label_top > numbers_bottom


def test_a_short_label_stays_one_line(make_window):
    window = _window(make_window)
    assert window.scene.item_for_node("accept").look.branch_lines == ("Accept a deal",)


def test_an_exported_svg_shows_the_whole_label_wrapped(tmp_path, qtbot):
    tree = load_text(SMALL)
    tree.node("accept").branch = LONG
    path = tmp_path / "tree.svg"
    export_tree(tree, path)
    texts = [t.text or "" for t in ET.parse(path).getroot().iter(f"{SVG}text")]
    holding = [t for t in texts if "word" in t]
    assert len(holding) > 3  # wrapped, beyond the canvas's three lines
    assert " ".join(holding).split() == LONG.split()  # and nothing left out


def test_show_formulas_shows_the_expression_behind_each_number(make_window):
    window = _window(make_window)
    window.document.edit.set_payoff("escalate", "risk", "-100 * p_collapse")
    scene = window.scene
    action = window.actions["show-formulas"]
    assert not action.isChecked()  # off by default
    assert scene.item_for_node("collapse").reading().probability == "30%"
    action.trigger()
    assert action.isChecked()
    assert scene.item_for_node("collapse").reading().probability == "p_collapse = 30%"
    assert scene.item_for_node("stalemate").reading().probability == "# = 70%"
    escalate = scene.item_for_node("escalate")
    assert escalate.reading().formulas == "Risk avoided: -100 * p_collapse = -30.0"
    assert escalate.look.formula_line
    assert scene.item_for_node("accept").reading().formulas == ""  # plain numbers
    action.trigger()
    assert scene.item_for_node("collapse").reading().probability == "30%"
    assert scene.item_for_node("escalate").reading().formulas == ""
    assert not scene.item_for_node("escalate").look.formula_line


def test_show_formulas_is_remembered_for_the_next_window(make_window):
    first = _window(make_window)
    first.actions["show-formulas"].trigger()
    second = _window(make_window)
    assert second.actions["show-formulas"].isChecked()
    assert second.document.show_formulas
    assert second.scene.item_for_node("collapse").reading().probability == "p_collapse = 30%"


def test_exported_formulas_follow_the_view(make_window, tmp_path):
    window = _window(make_window)
    window.actions["show-formulas"].trigger()
    path = tmp_path / "formulas.svg"
    export_tree(window.document, path)
    texts = [t.text or "" for t in ET.parse(path).getroot().iter(f"{SVG}text")]
    assert any("p_collapse = 30%" in t for t in texts)
    assert Path(path).exists()
