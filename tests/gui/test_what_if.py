"""What-if values as a user meets them: drag a slider or step a weight, see the base it
left, reset to it or make the new values the base case, and save either way."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

from offramp_gui.gui.features.recovery import RecoveryManager
from offramp_gui.gui.main_window import MainWindow

TREES = Path(__file__).resolve().parents[2] / "trees"


@pytest.fixture
def tree_file(tmp_path):
    path = tmp_path / "work" / "offramp.json"
    path.parent.mkdir()
    shutil.copy(TREES / "offramp.json", path)
    return path


@pytest.fixture
def window(make_window, tree_file):
    window = make_window(**{"save-changes": "discard"})
    assert window.files.open(tree_file)
    return window


def drag(slider, *positions: int) -> None:
    """Press the slider's handle, move it through `positions`, let go."""
    slider.setSliderDown(True)
    for position in positions:
        slider.setSliderPosition(position)
    slider.setSliderDown(False)


def saved(window: MainWindow, path: Path) -> bytes:
    """Save As `path`, as the user would; the bytes written."""
    window.prompts.script("save", path)
    assert window.files.save_as()
    return path.read_bytes()


def settle(window: MainWindow) -> None:
    window.document.recompute()


def bar(panel) -> tuple[str, bool, bool]:
    """The line above the rows: what it says, and whether its buttons are enabled."""
    return (panel.findChild(QLabel, "base-case-summary").text(),
            panel.findChild(QPushButton, "reset-to-base").isEnabled(),
            panel.findChild(QPushButton, "make-base-case").isEnabled())


def test_a_dragged_slider_moves_a_what_if_value_and_marks_its_base(window):
    panel = window.panels["variables"]
    row = panel.rows["p_collapse"]
    document = window.document
    assert bar(panel) == ("All values are the base case", False, False)
    assert row.slider.base_position == 455  # 0.3 on 0.05..0.6
    assert not row.base.isVisibleTo(panel)
    before, steps = document.results.utility[0].copy(), document.undo_stack.count()
    drag(row.slider, 500, 600, 700)
    settle(window)
    assert document.tree.variable("p_collapse").value == 0.435
    assert list(document.results.utility[0]) != list(before)
    assert document.undo_stack.count() == steps + 1  # one drag, one step
    assert row.spin.value() == 0.435 and row.spin.font().bold()
    assert row.base.isVisibleTo(panel) and row.base.text() == "base 0.3"
    assert row.slider.base_position == 455 and row.slider.mark_x() is not None
    assert bar(panel) == ("1 value differs from the base case", True, True)
    assert bar(window.panels["weights"])[0] == "1 value differs from the base case"
    assert window.actions["reset-to-base"].isEnabled()
    # A drag that ends where it began leaves nothing to undo, and no what-if value.
    other = panel.rows["p_recover"]
    drag(other.slider, 600, 400)
    assert document.undo_stack.count() == steps + 1
    assert document.tree.variable("p_recover").value == 0.15
    assert not other.base.isVisibleTo(panel) and not other.spin.font().bold()


def test_reset_to_base_gives_back_the_saved_file_byte_for_byte(window, tmp_path):
    document = window.document
    original = saved(window, tmp_path / "before.json")
    variables, weights = window.panels["variables"], window.panels["weights"]
    drag(variables.rows["p_collapse"].slider, 600, 700)
    document.end_gesture()
    drag(variables.rows["nuclear_cost"].slider, 800)
    document.end_gesture()
    # The Kremlin gives deterrence no weight in the file: a weight moved there too.
    spin = weights.spins[("kremlin", "deterrence")]
    spin.setValue(0.2)
    document.end_gesture()
    base = weights.bases[("kremlin", "deterrence")]
    assert base.isVisibleTo(weights) and base.text() == "base 0"
    assert bar(variables) == ("3 values differ from the base case", True, True)
    moved = saved(window, tmp_path / "moved.json")
    written = json.loads(moved)
    assert written["what_if"] == {"variables": {"p_collapse": 0.435, "nuclear_cost": 130.0},
                                  "weights": {"kremlin": {"deterrence": 0.2}}}
    assert json.loads(original)["variables"] == written["variables"]  # the base, in place
    assert json.loads(original)["players"] == written["players"]
    steps = document.undo_stack.count()
    variables.findChild(QPushButton, "reset-to-base").click()
    assert document.undo_stack.count() == steps + 1
    assert document.undo_stack.undoText() == "Reset to base case"
    settle(window)
    assert bar(weights) == ("All values are the base case", False, False)
    assert variables.rows["p_collapse"].spin.value() == 0.3 and spin.value() == 0
    assert saved(window, tmp_path / "reset.json") == original
    document.undo_stack.undo()
    settle(window)
    assert document.tree.variable("p_collapse").value == 0.435
    assert bar(variables)[0] == "3 values differ from the base case"
    assert saved(window, tmp_path / "undone.json") == moved


def test_make_these_the_base_case_writes_them_in_place(window, tmp_path):
    document = window.document
    panel = window.panels["variables"]
    drag(panel.rows["p_collapse"].slider, 700)
    panel.findChild(QPushButton, "make-base-case").click()
    assert document.undo_stack.undoText() == "Make these the base case"
    assert bar(panel) == ("All values are the base case", False, False)
    assert not panel.rows["p_collapse"].base.isVisibleTo(panel)
    assert panel.rows["p_collapse"].slider.base_position == 700
    written = json.loads(saved(window, tmp_path / "based.json"))
    assert "what_if" not in written
    assert written["variables"][0]["value"] == 0.435
    document.undo_stack.undo()
    assert panel.rows["p_collapse"].base.text() == "base 0.3"
    assert json.loads(saved(window, tmp_path / "undone.json"))["what_if"] == {
        "variables": {"p_collapse": 0.435}}


def test_the_edit_menu_resets_and_makes_the_base_case(window):
    document = window.document
    reset, make = window.actions["reset-to-base"], window.actions["make-base-case"]
    assert reset.shortcut().toString() == "Ctrl+Shift+R"
    assert reset in window.menuBar().actions()[1].menu().actions()
    settle(window)
    assert not reset.isEnabled() and not make.isEnabled()
    window.panels["weights"].spins[("west", "cost")].setValue(0.3)
    settle(window)
    assert reset.isEnabled() and make.isEnabled()
    reset.trigger()
    assert document.tree.players[0].weights["cost"] == 0.15
    assert document.tree.base_case is None


def test_the_model_editor_edits_the_base_value(window, qtbot):
    document = window.document
    drag(window.panels["variables"].rows["p_collapse"].slider, 700)
    editor = window.panels["model"]
    tab = editor.show_tab("variables")
    tab.list.setCurrentRow(0)
    value = tab.findChild(QLineEdit, "variable-value")
    note = tab.findChild(QLabel, "variable-what-if")
    assert value.text() == "0.3"
    assert note.isVisibleTo(tab) and note.text().startswith("Now 0.435, a what-if value")
    value.setFocus()
    value.selectAll()
    qtbot.keyClicks(value, "0.25")
    value.editingFinished.emit()
    assert document.tree.variable("p_collapse").value == 0.435
    assert document.tree.base_case.variables == {"p_collapse": 0.25}
    assert window.panels["variables"].rows["p_collapse"].base.text() == "base 0.25"
    # A base equal to the value now: nothing differs any more.
    value.selectAll()
    qtbot.keyClicks(value, "0.435")
    value.editingFinished.emit()
    assert document.tree.base_case is None and not note.isVisibleTo(tab)


def test_what_if_values_survive_autosave_and_recovery(make_window, tree_file):
    answers = {"save-changes": "discard", "recover": "later", "file-changed": "reload",
               "overwrite-changed": "yes"}
    first = make_window(**answers)
    assert first.files.open(tree_file)
    drag(first.panels["variables"].rows["p_collapse"].slider, 700)
    manager = first.features["recovery"]
    assert isinstance(manager, RecoveryManager)
    manager.tick()
    manager.finish_writing()
    manager.abandon()  # what a crash leaves
    again = make_window(**{**answers, "recover": "restore"})
    assert again.features["recovery"].offer_at_start() == 1
    row = again.panels["variables"].rows["p_collapse"]
    assert again.document.tree.variable("p_collapse").value == 0.435
    assert row.base.text() == "base 0.3" and row.slider.base_position == 455
    assert again.files.save()
    written = json.loads(tree_file.read_text())
    assert written["variables"][0]["value"] == 0.3  # not written as the base case
    assert written["what_if"] == {"variables": {"p_collapse": 0.435}}
