"""Information sets in the app: Join the selected decisions (one undo step), drawn on the
canvas as a dashed line through them; refused, with labels, for decisions that cannot
share a set; Split and Leave; the Properties panel's text row; no joins without sets."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from offramp_gui.gui.panels.property_panel import PropertyPanel

#: Beer or quiche: the receiver sees the drink, not the sender's type.
SIGNALLING = Path(__file__).resolve().parents[1] / "data" / "signalling.json"
BEER = ("strong-beer", "weak-beer")


@pytest.fixture
def window(make_window, tmp_path, qtbot):
    path = tmp_path / "signalling.json"
    shutil.copy(SIGNALLING, path)
    win = make_window(**{"information-set-name": "Receiver after Beer"})
    assert win.files.open(path)
    qtbot.waitUntil(lambda: "weak-quiche" in win.scene.node_ids())
    return win


def sets(window) -> dict[str, str | None]:
    tree = window.document.tree
    return {i: tree.node(i).information_set
            for i in ("strong-beer", "weak-beer", "strong-quiche", "weak-quiche")}


def click(window, node_id: str, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    from pytestqt.qtbot import QtBot
    view = window.view
    point = view.mapFromScene(window.scene.item_for_node(node_id).scenePos())
    QtBot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifiers, point)


def test_join_two_decisions_draws_them_joined_and_undoes_in_one_step(window, qtbot):
    document, actions = window.document, window.actions
    assert not actions["join-information-set"].isEnabled()
    window.view.ensureVisible(window.scene.itemsBoundingRect())
    click(window, "strong-beer")
    click(window, "weak-beer", Qt.KeyboardModifier.ShiftModifier)
    assert set(document.selected_ids) == set(BEER)
    assert window.scene.item_for_node("strong-beer").selected
    assert window.scene.item_for_node("weak-beer").selected
    assert actions["join-information-set"].isEnabled()
    assert actions["join-information-set"].shortcut().toString() == "Ctrl+J"

    actions["join-information-set"].trigger()
    # The name proposed: the player's and the branch leading in.
    assert window.prompts.questions("information-set-name")[0][3] == "Receiver after Beer"
    assert sets(window) == {"strong-beer": "Receiver after Beer",
                            "weak-beer": "Receiver after Beer",
                            "strong-quiche": None, "weak-quiche": None}
    assert window.scene.join_names() == {"Receiver after Beer"}
    join = window.scene.join_item("Receiver after Beer")
    assert join.isVisible() and join.pen().style() == Qt.PenStyle.CustomDashLine
    # Through both nodes, in the receiver's colour (the second player's).
    assert join.points == tuple(window.scene.item_for_node(i).scenePos() for i in BEER)
    assert join.color == window.scene.item_for_node("weak-beer").look.color

    assert actions["undo"].text() == "&Undo Join information set “Receiver after Beer”"
    actions["undo"].trigger()
    assert set(sets(window).values()) == {None}
    assert window.scene.join_names() == set()
    actions["redo"].trigger()
    assert sets(window)["strong-beer"] == sets(window)["weak-beer"] == "Receiver after Beer"
    assert window.scene.join_names() == {"Receiver after Beer"}


def test_different_branch_labels_are_refused_with_their_labels(window):
    document = window.document
    document.select_many(["strong-quiche", "weak-quiche"])
    window.actions["join-information-set"].trigger()
    title, text, _details = window.prompts.errors[-1]
    assert title == "Cannot join the information set"
    assert text == ("“Sees quiche” and “Sees quiche” have different branches (Duel, Yield; "
                    "Fight, Yield): the nodes of an information set have the same branch "
                    "labels in the same order.")
    assert set(sets(window).values()) == {None}
    assert not window.prompts.questions("information-set-name")
    assert not window.document.undo_stack.canUndo()


def test_decisions_of_two_players_are_refused(window):
    window.document.select_many(["strong", "weak-beer"])
    window.actions["join-information-set"].trigger()
    assert window.prompts.errors[-1][1].startswith(
        "“Strong sender” is decided by Sender and “Sees beer” by Receiver")
    assert set(sets(window).values()) == {None}


def test_split_and_leave(window, qtbot):
    document, actions = window.document, window.actions
    document.select_many(list(BEER))
    actions["join-information-set"].trigger()
    document.select("weak-beer")
    assert actions["split-information-set"].isEnabled()
    assert actions["leave-information-set"].isEnabled()
    actions["split-information-set"].trigger()
    assert set(sets(window).values()) == {None}
    assert window.scene.join_names() == set()
    qtbot.waitUntil(lambda: not actions["split-information-set"].isEnabled())

    actions["undo"].trigger()
    assert window.scene.join_names() == {"Receiver after Beer"}
    qtbot.waitUntil(actions["leave-information-set"].isEnabled)
    actions["leave-information-set"].trigger()
    assert sets(window)["weak-beer"] is None
    assert sets(window)["strong-beer"] == "Receiver after Beer"
    assert window.scene.join_names() == set()  # one node is no set to draw
    assert actions["undo"].text() == "&Undo “Sees beer” leaves its information set"


def test_the_properties_row_edits_the_field_and_the_drawing_follows(window, qtbot):
    document = window.document
    document.select_many(list(BEER))
    window.actions["join-information-set"].trigger()
    document.select("weak-quiche")
    row = window.findChild(PropertyPanel).findChild(QLineEdit, "information_set-edit")
    assert row.text() == ""
    row.setFocus()
    qtbot.keyClicks(row, "Receiver after Beer")
    qtbot.keyClick(row, Qt.Key.Key_Return)
    assert sets(window)["weak-quiche"] == "Receiver after Beer"
    join = window.scene.join_item("Receiver after Beer")
    assert join.points == tuple(window.scene.item_for_node(i).scenePos()
                                for i in ("strong-beer", "weak-beer", "weak-quiche"))
    document.select("strong-beer")
    row = window.findChild(PropertyPanel).findChild(QLineEdit, "information_set-edit")
    assert row.text() == "Receiver after Beer"


def test_folding_away_part_of_a_set_draws_what_is_shown(window, qtbot):
    document = window.document
    document.select_many(list(BEER))
    window.actions["join-information-set"].trigger()
    document.edit.fold("weak", True)
    qtbot.waitUntil(lambda: "weak-beer" not in window.scene.node_ids())
    assert window.scene.join_names() == set()
    document.edit.fold("weak", False)
    qtbot.waitUntil(lambda: window.scene.join_names() == {"Receiver after Beer"})
    join = window.scene.join_item("Receiver after Beer")
    assert join.points == tuple(window.scene.item_for_node(i).scenePos() for i in BEER)


def test_a_tree_without_information_sets_has_no_joins(make_window, qtbot):
    from offramp_gui.gui.scene.information_sets import JoinItem
    window = make_window()
    assert not any(isinstance(item, JoinItem) for item in window.scene.items())
    assert window.scene.join_names() == set()
