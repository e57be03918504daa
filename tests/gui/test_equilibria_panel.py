"""The equilibria of a game with private information in the app: the Equilibria panel
lists them, choosing one shows it everywhere (values, bold strategy, beliefs beside the
nodes of each information set), View > Next Equilibrium steps through them, and joining
a set with the mouse makes a tree a game the panel solves at once."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

DATA = Path(__file__).resolve().parents[1] / "data"
BEER_QUICHE = DATA / "equilibria" / "beer-quiche.json"
SIGNALLING = DATA / "signalling.json"


@pytest.fixture
def game(make_window, tmp_path, qtbot):
    path = tmp_path / "beer-quiche.json"
    shutil.copy(BEER_QUICHE, path)
    window = make_window()
    assert window.files.open(path)
    qtbot.waitUntil(lambda: window.document.equilibria is not None)
    return window


def test_the_panel_lists_both_equilibria_and_shows_the_first(game):
    panel = game.panels["equilibria"]
    assert panel.list.count() == 2
    assert panel.list.item(0).text().startswith(
        "1. pooling, survives the intuitive criterion. Sender 2.90, Receiver 0.90.")
    assert panel.list.item(1).text().startswith("2. pooling, fails the intuitive criterion.")
    assert panel.list.currentRow() == 0
    assert "2 perfect Bayesian equilibria" in panel.summary.text()
    # The chosen one's strategy and beliefs, set by set.
    rows = {panel.table.item(r, 1).text(): (panel.table.item(r, 2).text(),
                                            panel.table.item(r, 3).text())
            for r in range(panel.table.rowCount())}
    assert rows["after beer"] == ("Don't", "Weak 10.0%, Surly 90.0%")
    assert rows["after quiche"] == (
        "Duel", "off the path: any belief that it faces “Weak” of at least 50%")


def test_choosing_an_equilibrium_shows_it_on_the_canvas_and_in_the_values(game, qtbot):
    document, panel, scene = game.document, game.panels["equilibria"], game.scene
    assert document.results.utility[0] == pytest.approx([2.9, 0.9])
    beer = document.results.flat.index["weak"]
    assert document.results.flat.ids[document.results.choice[beer]] == "weak_beer"
    join = scene.join_item("after beer")
    assert join is not None and sorted(join.beliefs) == ["10%", "90%"]

    panel.list.setCurrentRow(1)  # as a click on the second line does
    assert document.results.equilibrium.index == 1
    assert document.results.utility[0] == pytest.approx([2.1, 0.9])
    assert document.results.flat.ids[document.results.choice[beer]] == "weak_quiche"
    qtbot.waitUntil(lambda: sorted(scene.join_item("after quiche").beliefs) == ["10%", "90%"])
    assert scene.join_item("after beer").beliefs == ("", "")  # off the path: no belief


def test_next_and_previous_equilibrium_step_through_them(game):
    actions, document = game.actions, game.document
    assert actions["next-equilibrium"].isEnabled()
    assert actions["next-equilibrium"].shortcut().toString() == "Ctrl+Alt+Right"
    actions["next-equilibrium"].trigger()
    assert document.results.equilibrium.index == 1
    assert game.panels["equilibria"].list.currentRow() == 1
    actions["next-equilibrium"].trigger()  # past the last: back to the first
    assert document.results.equilibrium.index == 0
    actions["previous-equilibrium"].trigger()
    assert document.results.equilibrium.index == 1


def test_the_chosen_equilibrium_is_kept_while_a_number_changes(game):
    document = game.document
    game.actions["next-equilibrium"].trigger()
    # A payoff edited: the equilibria are searched again, and the second is still shown.
    document.edit.set_field("surly_beer_not", "payoff", {"s": 3.5, "r": 1})
    document.recompute()
    assert document.results.equilibrium.index == 1
    assert game.panels["equilibria"].list.currentRow() == 1


def test_joining_a_set_with_the_mouse_makes_a_game_the_panel_solves(make_window, tmp_path):
    path = tmp_path / "signalling.json"
    shutil.copy(SIGNALLING, path)
    window = make_window(**{"information-set-name": "Receiver after Beer"})
    assert window.files.open(path)
    panel = window.panels["equilibria"]
    assert "No information sets" in panel.summary.text()
    assert not panel.list.isVisibleTo(panel)
    assert not window.actions["next-equilibrium"].isEnabled()
    document = window.document
    document.select_many(["strong-beer", "weak-beer"])
    window.actions["join-information-set"].trigger()
    document.recompute()
    search = document.equilibria
    assert search is not None and [s.name for s in search.information_sets] == [
        "Receiver after Beer"]
    assert panel.list.count() == len(search.equilibria) >= 1
    assert panel.summary.text().startswith("1 information set; all ")
    assert document.results.equilibrium.index == 0
    document.undo_stack.undo()  # the join undone: one solution again, backward induction's
    document.recompute()
    assert document.equilibria is None
    assert document.results.equilibrium is None
    assert "No information sets" in panel.summary.text()


def test_where_the_set_of_equilibria_changes_as_a_variable_moves(make_window, tmp_path, qtbot):
    from offramp_gui.bundled import bundled_dir

    path = tmp_path / "resolve.json"
    shutil.copy(bundled_dir("trees") / "resolve.json", path)
    window = make_window()
    assert window.files.open(path)
    panel = window.panels["equilibria"]
    assert panel.where.isEnabled()
    panel.variable.setCurrentText("rhetoric_stakes")
    qtbot.mouseClick(panel.where, Qt.MouseButton.LeftButton)
    assert not panel.where.isEnabled()  # (searched on a worker; the window stays live)
    qtbot.waitUntil(panel.where.isEnabled, timeout=20_000)
    text = panel.changes.toPlainText()
    # The calculating Kremlin takes the deal after maximalist rhetoric while
    # 0.8 (-40 - s) - 1.5 > -36, that is s < 3.125 (docs/trees.md).
    assert "rhetoric_stakes from 0 to 3.125: 11 equilibria" in text
    assert "rhetoric_stakes from 3.125 to 50: 8 equilibria" in text
    assert "At rhetoric_stakes = 3.125:" in text


def test_the_one_way_tab_of_a_game_says_where_its_equilibria_change(make_window, qtbot):
    from PySide6.QtWidgets import QDockWidget

    from offramp_gui.bundled import bundled_dir

    window = make_window()
    window.document.open(bundled_dir("trees") / "resolve.json")
    window.show()
    window.findChild(QDockWidget, "analysis-dock").raise_()
    panel = window.panels["analysis"]
    tab = panel.one_way
    panel.tabs.setCurrentWidget(tab)
    tab.variable.setCurrentIndex(tab.variable.findData("rhetoric_stakes"))
    qtbot.waitUntil(lambda: tab.result is not None and not tab.dirty
                    and tab.run.parameters.variable == "rhetoric_stakes", timeout=10_000)
    # The sweep holds the shown equilibrium; the line says where the set changes, found
    # on a worker (the calculating Kremlin's deal after maximalist rhetoric: s < 3.125).
    qtbot.waitUntil(lambda: "changes at rhetoric_stakes = 3.125"
                    in tab.equilibria_line.text(), timeout=20_000)
    assert tab.equilibria_line.isVisible()
    assert "strategy is held" in tab.equilibria_line.text()
