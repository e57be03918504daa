"""View > Compare Scenarios… on the off-ramp tree with two scenarios: the columns side by
side with the decision they disagree on highlighted, a bar series per column in the
chart, the regret of deciding in one world and living in another, and the window
following the tree as it changes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from offramp_gui.analysis.scenarios import decide_and_live, scenario_named
from offramp_gui.gui import format as fmt
from offramp_gui.gui.model_edits import ModelEdits
from offramp_gui.gui.panels import compare_panel
from offramp_gui.gui.panels.compare_panel import DIFFERS_BACKGROUND, EMPTY, SOLVING
from offramp_gui.model.refactor import VARIABLE

TREES = Path(__file__).resolve().parents[2] / "trees"
STALEMATE = "Kremlin response to a stalemate"
SCENARIOS = [{"name": "Essay", "note": "Face matters more; rhetoric binds.",
              "variables": {"face_value": 80, "rhetoric_stakes": 50}},
             {"name": "Hawk", "variables": {"p_nuclear_use": 0.05}}]


def tree_file(tmp_path: Path, **keys: object) -> Path:
    document = json.loads((TREES / "offramp.json").read_text(encoding="utf-8"))
    document.pop("scenarios", None)  # the tree's own: each test gives the ones it needs
    document.update(keys)
    path = tmp_path / "offramp.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def open_compare(window, qtbot, path: Path):
    assert window.files.open(path)
    window.actions["compare-scenarios"].trigger()
    compare = window.features["compare"].window
    qtbot.waitUntil(compare.isVisible)
    return compare


@pytest.fixture
def compare(make_window, qtbot, tmp_path):
    window = make_window()
    return open_compare(window, qtbot, tree_file(tmp_path, scenarios=SCENARIOS))


def row_of(table, label: str) -> int:
    return next(r for r in range(table.rowCount())
                if table.item(r, 0) is not None and table.item(r, 0).text() == label)


def cells(table, row: int) -> list[str]:
    return [table.item(row, k).text() for k in range(1, table.columnCount())]


def highlighted(table, row: int) -> list[bool]:
    return [table.item(row, k).background().color() == DIFFERS_BACKGROUND
            and table.item(row, k).font().bold() for k in range(table.columnCount())]


def test_the_decision_the_scenarios_disagree_on_is_highlighted(compare):
    table = compare.table
    assert [table.horizontalHeaderItem(k).text() for k in range(1, table.columnCount())] \
        == ["Base case", "Essay", "Hawk"]
    stalemate = row_of(table, STALEMATE)
    assert cells(table, stalemate) == ["Grind on", "Accept a face-saving deal", "Grind on"]
    assert all(highlighted(table, stalemate))
    war_aim = row_of(table, "Western war aim")
    assert not any(highlighted(table, war_aim))
    # The values of the first decision's alternatives, and the chances, as the app
    # writes numbers.
    off_ramp = row_of(table, "Support Ukraine while keeping an off-ramp open")
    assert cells(table, off_ramp) == ["-12.4", "1.94", "-12.4"]
    deal = row_of(table, "Negotiated settlement, face saved")
    assert cells(table, deal) == ["30%", "85%", "30%"] and all(highlighted(table, deal))
    assert not any(highlighted(table, row_of(table, "Push for an early settlement")))


def test_the_chart_has_a_bar_series_per_column_and_follows_the_columns_checked(compare,
                                                                               qtbot):
    chart = compare.chart
    assert list(chart.series) == ["Base case", "Essay", "Hawk"]
    assert chart.bar_lengths()["Essay"] == pytest.approx([0.0, 0.85, 0.15])  # war, deal, long
    columns = compare.columns
    columns.setFocus()
    columns.setCurrentRow(2)
    qtbot.keyClick(columns, Qt.Key.Key_Space)  # uncheck "Hawk"
    assert list(chart.series) == ["Base case", "Essay"]
    assert compare.table.columnCount() == 3


def test_deciding_in_the_essays_world_and_living_in_the_base_case(compare, qtbot):
    compare.tabs.setCurrentIndex(1)
    assert (compare.decides_in.currentText(), compare.lives_in.currentText()) == \
        ("Essay", "Base case")
    # The player whose choice the two worlds change: the Kremlin, at a stalemate.
    assert compare.worlds_player.currentText() == "The Kremlin"
    tree = compare.document.tree
    expected = decide_and_live(tree, scenario_named(tree, "Essay"),
                               scenario_named(tree, "Base case"), "kremlin")
    assert compare.regret.text() == fmt.value(expected.regret) == "7.14"
    assert "costs The Kremlin 7.14 points of utility" in compare.words.text()
    choices = compare.choices
    stalemate = row_of(choices, STALEMATE)
    assert [choices.item(stalemate, k).text() for k in (1, 2)] == \
        ["Accept a face-saving deal", "Grind on"]
    assert choices.item(stalemate, 1).background().color() == DIFFERS_BACKGROUND

    # Western capitals' choice is the same in both worlds: believing the essay costs
    # them nothing.
    picker = compare.worlds_player
    picker.setCurrentIndex(picker.findText("Western capitals"))
    picker.activated.emit(picker.currentIndex())
    assert compare.regret.text() == "0.00"
    assert "costs it nothing" in compare.words.text()


def test_an_edit_of_the_tree_solves_the_columns_again(compare, qtbot):
    edits = ModelEdits(compare.document)
    edits.set_attribute(VARIABLE, "face_value", "value", 80)  # the essay's face, in the base
    stalemate = row_of(compare.table, STALEMATE)
    qtbot.waitUntil(lambda: compare.table.item(stalemate, 1).text()
                    == "Accept a face-saving deal")
    assert cells(compare.table, stalemate) == ["Accept a face-saving deal"] * 3
    assert not any(highlighted(compare.table, stalemate))
    compare.document.undo_stack.undo()
    qtbot.waitUntil(lambda: all(highlighted(compare.table, row_of(compare.table, STALEMATE))))


def test_a_tree_without_scenarios_says_how_to_add_one(make_window, qtbot, tmp_path):
    compare = open_compare(make_window(), qtbot, tree_file(tmp_path))
    assert compare.pages.currentWidget() is compare.empty
    assert compare.empty.text() == EMPTY and "“Add from current values”" in EMPTY


def test_the_window_works_at_a_width_of_800(compare, qtbot):
    compare.resize(800, 600)
    qtbot.waitUntil(lambda: compare.width() == 800)
    assert compare.minimumSizeHint().width() <= 800
    table = compare.table
    header = table.horizontalHeader()
    assert header.sectionPosition(table.columnCount() - 1) + header.sectionSize(
        table.columnCount() - 1) <= table.viewport().width()
    compare.close()
    assert not compare.isVisible()


@pytest.fixture
def solved_apart(monkeypatch, make_window, qtbot, tmp_path):
    """The compare window of a tree taken as large: its columns are solved on a worker."""
    monkeypatch.setattr(compare_panel, "LARGE", 0)
    compare = open_compare(make_window(), qtbot, tree_file(tmp_path, scenarios=SCENARIOS))
    qtbot.waitUntil(lambda: compare.job is None and compare.comparison is not None)
    return compare


def test_a_large_tree_is_solved_on_a_worker_while_the_window_says_so(solved_apart, qtbot):
    compare = solved_apart
    stalemate = row_of(compare.table, STALEMATE)
    assert cells(compare.table, stalemate) == ["Grind on", "Accept a face-saving deal",
                                               "Grind on"]
    ModelEdits(compare.document).set_attribute(VARIABLE, "face_value", "value", 80)
    assert compare.document.current_shape() is None  # (the edit's results are to come)
    compare.refresh()  # (as when the window is shown just after an edit)
    assert compare.job is not None and compare.note.text() == SOLVING
    qtbot.waitUntil(lambda: compare.job is None)
    assert cells(compare.table, row_of(compare.table, STALEMATE)) == \
        ["Accept a face-saving deal"] * 3
    assert compare.note.text() != SOLVING


def test_an_edit_while_the_worker_solves_is_never_shown_out_of_date(solved_apart, qtbot):
    compare = solved_apart
    edits = ModelEdits(compare.document)
    compare.refresh()
    assert compare.job is not None
    edits.set_attribute(VARIABLE, "face_value", "value", 80)  # the worker has the old value
    compare.refresh()
    seen = []

    def settled() -> bool:
        if compare.job is None and compare.note.text() != SOLVING:
            seen.append(cells(compare.table, row_of(compare.table, STALEMATE)))
        return len(seen) >= 5
    qtbot.waitUntil(settled)
    assert seen == [["Accept a face-saving deal"] * 3] * 5


def test_deciding_in_one_world_is_solved_on_a_worker_as_on_this_thread(solved_apart, qtbot):
    compare = solved_apart
    compare.tabs.setCurrentIndex(1)
    assert compare.job is not None and compare.words.text() == SOLVING
    qtbot.waitUntil(lambda: compare.job is None)
    assert compare.worlds_player.currentText() == "The Kremlin"
    assert compare.regret.text() == "7.14"
    assert "costs The Kremlin 7.14 points of utility" in compare.words.text()
