"""The Scenarios panel as a user meets it: keep the values moved as a named scenario,
save and open it again, apply it, rename, annotate, copy and delete it, and undo."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton

from offramp_gui.api import load
from offramp_gui.gui.main_window import MainWindow
from offramp_gui.model.scenarios import Values

TREES = Path(__file__).resolve().parents[2] / "trees"


@pytest.fixture
def tree_file(tmp_path):
    """The off-ramp tree without the scenarios it ships with: each test adds its own."""
    path = tmp_path / "offramp.json"
    document = json.loads((TREES / "offramp.json").read_text(encoding="utf-8"))
    del document["scenarios"]
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


@pytest.fixture
def window(make_window, tree_file):
    window = make_window(**{"save-changes": "discard"})
    assert window.files.open(tree_file)
    return window


def drag(slider, position: int) -> None:
    slider.setSliderDown(True)
    slider.setSliderPosition(position)
    slider.setSliderDown(False)


def move_hawk(window: MainWindow) -> None:
    """The hawk's view: a likelier collapse, a Kremlin that weighs deterrence."""
    drag(window.panels["variables"].rows["p_collapse"].slider, 700)
    window.document.end_gesture()
    window.panels["weights"].spins[("kremlin", "deterrence")].setValue(0.3)
    window.document.end_gesture()


def add(window: MainWindow, name: str) -> None:
    window.prompts.script("scenario-name", name)
    window.panels["scenarios"].buttons["add"].click()


def lines(panel) -> list[tuple[str, str, str]]:
    """The list as shown: name, how many values, note."""
    return [tuple(panel.list.topLevelItem(i).text(c) for c in range(3))
            for i in range(panel.list.topLevelItemCount())]


def table(panel) -> list[tuple[str, ...]]:
    return [tuple(panel.table.item(r, c).text() for c in range(3))
            for r in range(panel.table.rowCount())]


def key(panel, key: Qt.Key) -> None:
    """A key pressed on the list. Qt first offers it to the list as a shortcut override:
    taken, the window's shortcut for it (Delete Branch, Rename Branch) does not fire."""
    panel.list.setFocus()
    override = QKeyEvent(QEvent.Type.ShortcutOverride, key, Qt.KeyboardModifier.NoModifier)
    override.ignore()
    QApplication.sendEvent(panel.list, override)
    assert override.isAccepted()
    QTest.keyClick(panel.list, key)


def test_a_scenario_keeps_the_values_moved_and_round_trips(window, make_window, tree_file):
    panel = window.panels["scenarios"]
    assert panel.now.text() == "Now: the base case"
    assert panel.empty.isVisibleTo(panel) and not panel.buttons["apply"].isEnabled()
    move_hawk(window)
    assert panel.now.text() == "Now: what-if values (2 values differ from the base case)"
    add(window, "Hawk")
    [(_key, _title, asked, proposed)] = window.prompts.questions("scenario-name")
    assert proposed == "Scenario 1"
    assert "keeps the 2 values that differ from the base case" in asked
    assert lines(panel) == [("Hawk", "2", "")]
    assert panel.now.text() == "Now: Hawk"
    assert panel.list.topLevelItem(0).font(0).bold()
    assert table(panel) == [("p_collapse", "0.435", "0.3"),
                            ("The Kremlin's weight on Deterrence of future aggression", "0.3",
                             "0")]
    window.prompts.script("scenario-note", "Escalation is a bluff.")
    panel.buttons["note"].click()
    assert lines(panel) == [("Hawk", "2", "Escalation is a bluff.")]
    assert panel.detail.text().endswith("\nEscalation is a bluff.")
    assert window.files.save()
    again = make_window()
    assert again.files.open(tree_file)
    [hawk] = again.document.tree.scenarios
    assert hawk.name == "Hawk" and hawk.note == "Escalation is a bluff."
    assert hawk.values == Values({"p_collapse": 0.435}, {"kremlin": {"deterrence": 0.3}})
    assert lines(again.panels["scenarios"]) == [("Hawk", "2", "Escalation is a bluff.")]
    assert again.panels["scenarios"].now.text() == "Now: Hawk"  # the what-if values kept too
    assert load(tree_file).scenarios == again.document.tree.scenarios


def test_applying_a_scenario_sets_its_values_and_every_other_back_to_base(window):
    document, panel = window.document, window.panels["scenarios"]
    variables = window.panels["variables"]
    move_hawk(window)
    add(window, "Hawk")
    variables.findChild(QPushButton, "reset-to-base").click()
    drag(variables.rows["face_value"].slider, 100)
    assert panel.now.text().startswith("Now: what-if values (1 value differs")
    panel.select("Hawk")
    key(panel, Qt.Key.Key_Return)
    document.recompute()
    assert document.undo_stack.undoText() == "Apply scenario \u201cHawk\u201d"
    assert panel.now.text() == "Now: Hawk"
    row = variables.rows["p_collapse"]
    assert row.spin.value() == 0.435 and row.base.text() == "base 0.3"
    assert variables.rows["face_value"].spin.value() == 40  # back to its base
    assert window.panels["weights"].spins[("kremlin", "deterrence")].value() == 0.3
    document.undo_stack.undo()
    assert variables.rows["face_value"].spin.value() == 8
    # A double-click applies too, and Edit > Apply Scenario lists them.
    item = panel.list.topLevelItem(0)
    panel.list.itemDoubleClicked.emit(item, 0)
    assert panel.now.text() == "Now: Hawk"
    window.actions["reset-to-base"].trigger()
    menu = next(a.menu() for a in window.menuBar().actions()[1].menu().actions()
                if a.menu() is not None and a.text() == "Appl&y Scenario")
    menu.aboutToShow.emit()
    [entry] = menu.actions()
    assert entry.text() == "Hawk" and not entry.isChecked()
    entry.trigger()
    assert panel.now.text() == "Now: Hawk"


def test_rename_refuses_a_name_taken_and_undoes(window):
    document, panel = window.document, window.panels["scenarios"]
    move_hawk(window)
    add(window, "Hawk")
    add(window, "Dove")
    panel.select("Dove")
    window.prompts.script("scenario-name", "Hawk", "base CASE", "Realist")
    key(panel, Qt.Key.Key_F2)
    assert window.prompts.errors[-1] == ("Rename scenario",
                                         "There is already a scenario named \u201cHawk\u201d.",
                                         "")
    key(panel, Qt.Key.Key_F2)
    assert "names the values in place" in window.prompts.errors[-1][1]
    panel.buttons["rename"].click()
    assert [line[0] for line in lines(panel)] == ["Hawk", "Realist"]
    assert panel.selected() == "Realist"
    assert document.undo_stack.undoText() == ("Rename scenario \u201cDove\u201d to"
                                              " \u201cRealist\u201d")
    document.undo_stack.undo()
    assert [line[0] for line in lines(panel)] == ["Hawk", "Dove"]


def test_duplicate_and_delete_with_undo(window):
    document, panel = window.document, window.panels["scenarios"]
    move_hawk(window)
    add(window, "Hawk")
    add(window, "Dove")
    panel.select("Hawk")
    panel.buttons["duplicate"].click()
    panel.select("Hawk")
    panel.buttons["duplicate"].click()
    assert [line[0] for line in lines(panel)] == ["Hawk", "Hawk copy 2", "Hawk copy", "Dove"]
    assert document.tree.scenarios[2].values == document.tree.scenarios[0].values
    branch = document.tree.root.children[0].id
    document.select(branch)
    assert window.actions["delete"].isEnabled()
    panel.select("Hawk copy")
    key(panel, Qt.Key.Key_Delete)  # the scenario's, not the selected branch's
    assert [line[0] for line in lines(panel)] == ["Hawk", "Hawk copy 2", "Dove"]
    assert branch in document.tree
    assert panel.selected() == "Dove"
    assert document.undo_stack.undoText() == "Delete scenario \u201cHawk copy\u201d"
    document.undo_stack.undo()
    assert [line[0] for line in lines(panel)] == ["Hawk", "Hawk copy 2", "Hawk copy", "Dove"]
    for name in ("Hawk", "Hawk copy 2", "Hawk copy", "Dove"):
        panel.select(name)
        panel.buttons["delete"].click()
    assert document.tree.scenarios is None and panel.empty.isVisibleTo(panel)


def test_a_scenario_of_the_base_case_sets_nothing(window):
    panel = window.panels["scenarios"]
    add(window, "As written")
    [(_key, _title, asked, _proposed)] = window.prompts.questions("scenario-name")
    assert "No value differs from the base case now" in asked
    assert lines(panel) == [("As written", "0", "")]
    assert panel.detail.text() == "\u201cAs written\u201d sets nothing: it is the base case."
    assert not panel.table.isVisibleTo(panel)
    assert panel.now.text() == "Now: the base case"


def test_a_variable_renamed_in_the_model_editor_is_renamed_in_the_scenarios(window):
    panel = window.panels["scenarios"]
    move_hawk(window)
    add(window, "Hawk")
    window.panels["model"].edits.rename("variable", "p_collapse", "p_rout")
    assert window.document.tree.scenarios[0].values.variables == {"p_rout": 0.435}
    assert table(panel)[0] == ("p_rout", "0.435", "0.3")
    assert panel.now.text() == "Now: Hawk"
