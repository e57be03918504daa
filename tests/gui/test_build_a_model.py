"""A new user builds the entry-deterrence game from File > New, with the menus, the
keyboard, clicks on the canvas and typing into the panels: two players, three criteria,
two variables used in expressions. The app solves it as game theory says, and what is
saved and opened again is the expected document."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

EXPECTED = Path(__file__).resolve().parents[1] / "data" / "built_entry_deterrence.json"
LEFT = Qt.MouseButton.LeftButton
CTRL = Qt.KeyboardModifier.ControlModifier
WAIT = 10_000  # ms: generous, for slow machines


@pytest.fixture
def window(make_window, qtbot):
    window = make_window()
    window.resize(1500, 950)
    window.show()
    qtbot.waitExposed(window)
    return window


# ---- what the user does -------------------------------------------------------------------
def field(widget: QWidget, name: str) -> QWidget:
    found = widget.findChild(QWidget, name)
    assert found is not None, name
    return found


def type_into(qtbot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def settled(window, qtbot) -> None:
    """Wait until the canvas and the results show the tree as it is now."""
    ids = set(window.document.tree.ids())
    qtbot.waitUntil(lambda: window.scene.node_ids() == ids, timeout=WAIT)
    qtbot.waitUntil(lambda: window.document.results is not None
                    and window.document.results.flat.index.keys() == ids, timeout=WAIT)


def click_node(window, qtbot, node_id: str) -> None:
    """Click a node's symbol on the canvas, scrolled into view first."""
    settled(window, qtbot)
    item = window.scene.item_for_node(node_id)
    window.view.ensureVisible(item)
    point: QPoint = window.view.mapFromScene(item.scenePos())
    qtbot.mouseClick(window.view.viewport(), LEFT, pos=point)
    assert window.document.selected_id == node_id


def press(window, qtbot, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """A shortcut typed on the canvas."""
    window.view.setFocus()
    qtbot.keyClick(window.view, key, modifiers)


def rename_on_canvas(window, qtbot, text: str) -> None:
    """F2, type the label, Enter."""
    press(window, qtbot, Qt.Key.Key_F2)
    editor = window.view.viewport().findChild(QLineEdit, "inline-rename")
    assert editor is not None and editor.hasFocus()
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def properties(window) -> QWidget:
    """The Properties panel, its tab brought to the front as clicking it does."""
    window.docks["properties"].raise_()
    return window.panels["properties"]


def prop(window, qtbot, name: str, text: str) -> None:
    """Type into a field of the Properties panel."""
    type_into(qtbot, field(properties(window), name), text)


def choose(qtbot, combo: QComboBox, text: str) -> None:
    """Pick an item of a drop-down list by typing its first letters."""
    combo.setFocus()
    qtbot.keyClicks(combo, text)
    assert combo.currentText() == text


def model_tab(window, key: str) -> QWidget:
    window.actions["edit-model"].trigger()  # Edit > Model…
    return window.panels["model"].show_tab(key)


def add(qtbot, tab: QWidget, kind: str, name: str) -> None:
    type_into(qtbot, field(tab, f"{kind}-new-name"), name)


def select(qtbot, tab: QWidget, kind: str, text: str) -> None:
    """Click a name in a tab's list."""
    listing = field(tab, f"{kind}-list")
    item = next(listing.item(i) for i in range(listing.count())
                if listing.item(i).text() == text)
    qtbot.mouseClick(listing.viewport(), LEFT, pos=listing.visualItemRect(item).center())
    assert listing.currentItem() is item


def shown_value(window, name: str) -> str:
    """A read-only value of the Properties panel for the selected node."""
    label = properties(window).findChild(QLabel, name)
    assert label is not None, name
    return label.text()


# ---- the test ---------------------------------------------------------------------------
def test_a_new_user_builds_the_entry_deterrence_game_and_it_saves_as_expected(
        window, make_window, qtbot, tmp_path):
    window.actions["new"].trigger()
    document = window.document

    # The tree: its title; the players; the criteria; the variables.
    type_into(qtbot, field(model_tab(window, "tree"), "tree-title"), "Entry deterrence")
    players = model_tab(window, "players")
    type_into(qtbot, field(players, "player-name"), "Entrant")
    type_into(qtbot, field(players, "player-id"), "entrant")
    add(qtbot, players, "player", "Incumbent")
    criteria = model_tab(window, "criteria")
    type_into(qtbot, field(criteria, "criterion-name"), "Entrant profit")
    type_into(qtbot, field(criteria, "criterion-id"), "entrant_profit")
    type_into(qtbot, field(criteria, "criterion-unit"), "$m")
    add(qtbot, criteria, "criterion", "Incumbent profit")
    type_into(qtbot, field(criteria, "criterion-id"), "incumbent_profit")
    type_into(qtbot, field(criteria, "criterion-unit"), "$m")
    add(qtbot, criteria, "criterion", "Reputation")
    type_into(qtbot, field(criteria, "criterion-unit"), "score")
    variables = model_tab(window, "variables")
    add(qtbot, variables, "variable", "entry_cost")
    type_into(qtbot, field(variables, "variable-value"), "3")
    type_into(qtbot, field(variables, "variable-min"), "0")
    type_into(qtbot, field(variables, "variable-max"), "10")
    add(qtbot, variables, "variable", "p_exit")
    type_into(qtbot, field(variables, "variable-value"), "0.4")
    type_into(qtbot, field(variables, "variable-min"), "0")
    type_into(qtbot, field(variables, "variable-max"), "1")

    # Each player values its criteria: the entrant its profit; the incumbent its profit
    # and its reputation for fighting.
    players = model_tab(window, "players")
    select(qtbot, players, "player", "Entrant")
    type_into(qtbot, field(players, "player-weight-entrant_profit"), "1")
    select(qtbot, players, "player", "Incumbent")
    # Added while there was one criterion, the incumbent weighs that one 1 until told.
    assert field(players, "player-weight-entrant_profit").text() == "1"
    type_into(qtbot, field(players, "player-weight-entrant_profit"), "0")
    type_into(qtbot, field(players, "player-weight-incumbent_profit"), "0.7")
    type_into(qtbot, field(players, "player-weight-reputation"), "0.3")

    # The root: the entrant's choice.
    click_node(window, qtbot, "decision")
    prop(window, qtbot, "id-edit", "entry")
    prop(window, qtbot, "name-edit", "Entrant's choice")
    choose(qtbot, field(properties(window), "player-combo"), "Entrant")

    # Staying out: the incumbent keeps the market.
    click_node(window, qtbot, "option-a")
    rename_on_canvas(window, qtbot, "Stay out")
    prop(window, qtbot, "id-edit", "stay_out")
    prop(window, qtbot, "payoff-entrant_profit", "0")
    prop(window, qtbot, "payoff-incumbent_profit", "20")
    prop(window, qtbot, "payoff-reputation", "0")

    # Entering: the incumbent's response (a chance node made a decision with Ctrl+1).
    click_node(window, qtbot, "option-b")
    prop(window, qtbot, "branch-edit", "Enter")
    prop(window, qtbot, "id-edit", "enter")
    press(window, qtbot, Qt.Key.Key_1, CTRL)
    prop(window, qtbot, "name-edit", "Incumbent's response")
    choose(qtbot, field(properties(window), "player-combo"), "Incumbent")

    # Accommodating: a shared market, the entrant's profit net of its entry cost.
    click_node(window, qtbot, "bad")
    rename_on_canvas(window, qtbot, "Accommodate")
    prop(window, qtbot, "id-edit", "accommodate")
    prop(window, qtbot, "payoff-entrant_profit", "10 - entry_cost")
    prop(window, qtbot, "payoff-incumbent_profit", "10")
    prop(window, qtbot, "payoff-reputation", "-5")

    # Fighting: a price war (Ctrl+2 makes it a chance node with two branches); the entrant
    # leaves with probability p_exit.
    click_node(window, qtbot, "good")
    rename_on_canvas(window, qtbot, "Fight")
    prop(window, qtbot, "id-edit", "fight")
    press(window, qtbot, Qt.Key.Key_2, CTRL)
    prop(window, qtbot, "name-edit", "Price war")
    # The 10 "Goes well" paid stays on the branch as a payoff along the way: cleared.
    payoff = field(properties(window), "payoff-entrant_profit")
    assert payoff.text() == "10"
    payoff.setFocus()
    payoff.selectAll()
    qtbot.keyClick(payoff, Qt.Key.Key_Backspace)
    qtbot.keyClick(payoff, Qt.Key.Key_Return)
    war = [c.id for c in document.tree.node("fight").children]
    assert len(war) == 2
    click_node(window, qtbot, war[0])
    rename_on_canvas(window, qtbot, "Entrant exits")
    prop(window, qtbot, "id-edit", "exits")
    prop(window, qtbot, "probability-expression", "p_exit")
    prop(window, qtbot, "payoff-entrant_profit", "-entry_cost - 2")
    prop(window, qtbot, "payoff-incumbent_profit", "8")
    prop(window, qtbot, "payoff-reputation", "10")
    click_node(window, qtbot, war[1])
    rename_on_canvas(window, qtbot, "Both stay")
    prop(window, qtbot, "id-edit", "both_stay")
    # The new chance node gave the first branch the remainder; that one now has p_exit,
    # so this one takes the rest ("#").
    remainder = field(properties(window), "remainder-check")
    assert not remainder.isChecked()
    qtbot.mouseClick(remainder, LEFT, pos=remainder.rect().center())
    assert remainder.isChecked()
    prop(window, qtbot, "payoff-entrant_profit", "-entry_cost")
    prop(window, qtbot, "payoff-incumbent_profit", "2")
    prop(window, qtbot, "payoff-reputation", "5")

    # A third way to answer entry, added with Insert and then thought better of: deleted.
    click_node(window, qtbot, "enter")
    press(window, qtbot, Qt.Key.Key_Insert)
    settled(window, qtbot)
    assert [c.branch for c in document.tree.node("enter").children] == [
        "Fight", "Accommodate", "Branch 3"]
    click_node(window, qtbot, document.tree.node("enter").children[-1].id)
    press(window, qtbot, Qt.Key.Key_Delete)
    settled(window, qtbot)

    # Backward induction. Incumbent's utility 0.7 x profit + 0.3 x reputation: a price
    # war is worth 0.4 x (5.6 + 3) + 0.6 x (1.4 + 1.5) = 5.18, accommodating 7 - 1.5 = 5.5,
    # so the threat to fight is not credible: it accommodates, and the entrant, expecting
    # that, enters for 10 - 3 = 7 rather than 0.
    assert document.results.issues == ()
    results = document.results
    assert results.chosen_id("entry") == "enter"
    assert results.chosen_id("enter") == "accommodate"
    click_node(window, qtbot, "fight")
    assert shown_value(window, "value-utility-0") == "-3.80"  # 0.4 x -5 + 0.6 x -3
    assert shown_value(window, "value-utility-1") == "5.18"
    click_node(window, qtbot, "enter")
    assert shown_value(window, "value-choice-0") == "Accommodate"
    assert shown_value(window, "value-utility-1") == "5.50"
    click_node(window, qtbot, "entry")
    assert shown_value(window, "value-choice-0") == "Enter"
    assert shown_value(window, "value-utility-0") == "7.00"
    assert shown_value(window, "value-utility-1") == "5.50"
    assert results.utility[0].tolist() == pytest.approx([7.0, 5.5])

    # File > Save As, close, then File > Open in a new window.
    target = tmp_path / "entry.json"
    window.prompts.script("save", target)
    with qtbot.waitSignal(window.files.save_finished, timeout=WAIT) as saved:
        window.actions["save-as"].trigger()
    assert saved.args == [True]
    assert window.close()
    again = make_window()
    again.show()
    again.prompts.script("open", target)
    again.actions["open"].trigger()
    again.files.finish_opening()  # (the file is read on a worker)
    assert again.document.path == target
    assert again.prompts.errors == []
    settled(again, qtbot)
    assert again.document.results.chosen_id("entry") == "enter"
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(
        EXPECTED.read_text(encoding="utf-8"))
