"""The model editor as a user drives it: players, criteria, outcomes, variables and the
tree's own fields, each change one named undo step; renaming rewrites every reference."""
from __future__ import annotations

import json

import pytest
from conftest import SMALL
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLineEdit, QWidget

from offramp_gui.gui import model_edits

#: The small tree with `p` used in five expressions, and `p2` and "p" in a label beside.
FIVE_USES = json.loads(SMALL)
FIVE_USES["variables"] = [
    {"name": "p", "value": 0.3, "min": 0, "max": 1},
    {"name": "p2", "value": "p * 2"},
    {"name": "loss", "value": "60 + p2"},
]
_defeat = FIVE_USES["root"]["children"][0]
_defeat["payoff"] = {"security": "5 - p"}
_collapse, _stalemate = _defeat["children"]
_collapse["probability"] = "p"
_collapse["name"] = "Kremlin response to p"
_escalate, _accept = _collapse["children"]
_escalate["payoff"] = {"security": "-loss", "risk": "-100 * p"}
_accept["payoff"] = {"security": "40 * (1 - p) + p2", "risk": 0}


@pytest.fixture
def window(make_window, qtbot):
    window = make_window()
    window.show()
    qtbot.waitExposed(window)
    return window


def open_tree(window, tmp_path, doc) -> None:
    path = tmp_path / "tree.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert window.files.open(path)


def tab(window, key: str):
    return window.panels["model"].show_tab(key)


def field(widget, name: str):
    found = widget.findChild(QWidget, name)
    assert found is not None, name
    return found


def type_into(qtbot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def click(qtbot, widget, name: str) -> None:
    qtbot.mouseClick(field(widget, name), Qt.MouseButton.LeftButton)


def add(qtbot, widget, kind: str, name: str) -> None:
    type_into(qtbot, field(widget, f"{kind}-new-name"), name)


def select(widget, kind: str, text: str) -> None:
    listing = field_list(widget, kind)
    row = next(i for i in range(listing.count()) if listing.item(i).text() == text)
    listing.setCurrentRow(row)


def field_list(widget, kind: str):
    return widget.list if widget.kind == kind else widget.sources.list


def undo(window) -> None:
    window.actions["undo"].trigger()


def redo(window) -> None:
    window.actions["redo"].trigger()


def test_a_new_model_built_in_the_editor_saves_and_reopens(window, qtbot, tmp_path):
    window.files.new()
    document = window.document
    players = tab(window, "players")
    type_into(qtbot, field(players, "player-name"), "Kyiv")
    type_into(qtbot, field(players, "player-id"), "kyiv")
    add(qtbot, players, "player", "Moscow")
    assert document.undo_stack.undoText() == "Add player \u201cMoscow\u201d"
    assert [p.id for p in document.tree.players] == ["kyiv", "moscow"]
    assert document.tree.node("decision").player == "kyiv"  # it meant the only player

    criteria = tab(window, "criteria")
    add(qtbot, criteria, "criterion", "Cost")
    add(qtbot, criteria, "criterion", "Risk avoided")
    select(criteria, "criterion", "Value")
    type_into(qtbot, field(criteria, "criterion-name"), "Security")
    type_into(qtbot, field(criteria, "criterion-id"), "security")
    type_into(qtbot, field(criteria, "criterion-unit"), "score")
    assert [c.id for c in document.tree.criteria] == ["security", "cost", "risk-avoided"]
    assert document.tree.node("good").payoff == {"security": 10}  # was the single amount 10

    variables = tab(window, "variables")
    add(qtbot, variables, "variable", "p good")
    type_into(qtbot, field(variables, "variable-value"), "0.6")
    type_into(qtbot, field(variables, "variable-min"), "0")
    type_into(qtbot, field(variables, "variable-max"), "1")
    add(qtbot, variables, "variable", "gain")
    type_into(qtbot, field(variables, "variable-value"), "10 * p_good")
    document.edit.set_field("good", "probability", "p_good")
    document.edit.set_field("good", "payoff", {"security": "gain"})

    players = tab(window, "players")
    select(players, "player", "Moscow")
    type_into(qtbot, field(players, "player-weight-security"), "-1")
    document.recompute()
    assert document.results.issues == ()

    target = tmp_path / "built.json"
    window.prompts.script("save", target)
    assert window.files.save_as()
    assert window.files.open(target)
    saved = json.loads(target.read_text(encoding="utf-8"))
    assert saved["criteria"] == [
        {"id": "security", "name": "Security", "unit": "score"},
        {"id": "cost", "name": "Cost"}, {"id": "risk-avoided", "name": "Risk avoided"}]
    # Players added while there was one criterion weigh only it; the others count 0.
    assert saved["players"] == [{"id": "kyiv", "name": "Kyiv", "weights": {"security": 1}},
                                {"id": "moscow", "name": "Moscow",
                                 "weights": {"security": -1.0}}]
    assert saved["variables"] == [{"name": "p_good", "value": 0.6, "min": 0, "max": 1},
                                  {"name": "gain", "value": "10 * p_good"}]
    good = saved["root"]["children"][1]["children"][0]
    assert good["probability"] == "p_good" and good["payoff"] == {"security": "gain"}
    assert saved["root"]["player"] == "kyiv"


def test_renaming_a_variable_rewrites_its_five_uses_in_one_step(window, qtbot, tmp_path):
    open_tree(window, tmp_path, FIVE_USES)
    tree = window.document.tree
    variables = tab(window, "variables")
    select(variables, "variable", "p")
    type_into(qtbot, field(variables, "variable-name"), "p_collapse")
    assert window.document.undo_stack.undoText() == "Rename variable p to p_collapse"

    def uses() -> list:
        return [tree.node("defeat").payoff["security"], tree.node("collapse").probability,
                tree.node("escalate").payoff["risk"], tree.node("accept").payoff["security"],
                tree.variable("p2").value if tree.variable("p2") else None,
                tree.node("collapse").name, tree.variable("loss").value]
    renamed = ["5 - p_collapse", "p_collapse", "-100 * p_collapse",
               "40 * (1 - p_collapse) + p2", "p_collapse * 2", "Kremlin response to p",
               "60 + p2"]
    original = ["5 - p", "p", "-100 * p", "40 * (1 - p) + p2", "p * 2",
                "Kremlin response to p", "60 + p2"]
    assert uses() == renamed
    assert [v.name for v in tree.variables] == ["p_collapse", "p2", "loss"]
    assert set(window.panels["variables"].rows) == {"p_collapse", "p2", "loss"}
    assert field(variables, "variable-name").text() == "p_collapse"
    undo(window)
    assert uses() == original
    assert set(window.panels["variables"].rows) == {"p", "p2", "loss"}
    assert field(variables, "variable-name").text() == "p"
    redo(window)
    assert uses() == renamed


def test_a_name_in_use_or_not_a_name_is_refused_under_the_field(window, qtbot, tmp_path):
    open_tree(window, tmp_path, FIVE_USES)
    variables = tab(window, "variables")
    select(variables, "variable", "p")
    steps = window.document.undo_stack.count()
    type_into(qtbot, field(variables, "variable-name"), "p2")
    message = variables.findChild(QWidget, "variable-name-message")
    assert message.text() == 'there is already a variable "p2"'
    type_into(qtbot, field(variables, "variable-name"), "if")
    assert "word of the expression language" in message.text()
    assert window.document.undo_stack.count() == steps


def test_deleting_a_player_in_use_names_its_nodes_and_may_be_cancelled(window, qtbot,
                                                                       tmp_path):
    open_tree(window, tmp_path, json.loads(SMALL))
    document, prompts = window.document, window.prompts
    players = tab(window, "players")
    select(players, "player", "Kremlin")
    prompts.script("delete-in-use", "cancel")
    steps = document.undo_stack.count()
    click(qtbot, players, "player-delete")
    [text] = prompts.texts("delete-in-use")
    assert text.startswith("The player \u201cKremlin\u201d is used at: Kremlin response.")
    assert [p.id for p in document.tree.players] == ["west", "kremlin"]
    assert document.undo_stack.count() == steps

    prompts.script("delete-in-use", "delete")
    document.set_display(player=1, criterion=None)
    click(qtbot, players, "player-delete")
    assert document.shown_player == 0
    assert window.panels["weights"].display_combo.currentText() == "Utility for West"
    assert [p.id for p in document.tree.players] == ["west"]
    assert document.tree.node("collapse").player is None
    assert document.undo_stack.undoText() == "Delete player \u201cKremlin\u201d"
    undo(window)
    assert [p.id for p in document.tree.players] == ["west", "kremlin"]
    assert document.tree.node("collapse").player == "kremlin"


def test_an_unused_outcome_goes_without_a_question(window, qtbot, tmp_path):
    doc = json.loads(SMALL)
    doc["outcomes"].append({"id": "spare", "name": "Spare"})
    open_tree(window, tmp_path, doc)
    outcomes = tab(window, "outcomes")
    select(outcomes, "outcome", "Spare")
    click(qtbot, outcomes, "outcome-delete")
    assert [o.id for o in window.document.tree.outcomes] == ["deal", "nuclear"]
    assert window.prompts.asked == []


def test_renaming_an_outcome_id_follows_on_the_terminals(window, qtbot, tmp_path):
    open_tree(window, tmp_path, json.loads(SMALL))
    tree = window.document.tree
    outcomes = tab(window, "outcomes")
    select(outcomes, "outcome", "Deal")
    type_into(qtbot, field(outcomes, "outcome-id"), "settlement")
    assert [tree.node(i).outcome for i in ("accept", "talks")] == ["settlement"] * 2
    assert window.document.undo_stack.undoText() == "Change outcome id deal to settlement"
    undo(window)
    assert [tree.node(i).outcome for i in ("accept", "talks")] == ["deal"] * 2


def test_normalise_makes_the_weights_add_up_to_one_in_one_step(window, qtbot, tmp_path):
    open_tree(window, tmp_path, json.loads(SMALL))
    document = window.document
    players = tab(window, "players")
    select(players, "player", "West")
    type_into(qtbot, field(players, "player-weight-security"), "1.6")
    assert players.total.text() == "2"
    click(qtbot, players, "player-normalise")
    weights = document.tree.players[0].weights
    assert weights == pytest.approx({"security": 0.8, "risk": 0.2})
    assert players.total.text() == "1"
    assert document.undo_stack.undoText() == "Normalise \u201cWest\u201d's weights"
    assert window.panels["weights"].spins[("west", "security")].value() == pytest.approx(0.8)
    undo(window)
    assert document.tree.players[0].weights == {"security": 1.6, "risk": 0.4}


def test_reordering_players_is_one_step_each_way(window, qtbot, tmp_path):
    open_tree(window, tmp_path, json.loads(SMALL))
    document = window.document
    players = tab(window, "players")
    select(players, "player", "Kremlin")
    click(qtbot, players, "player-up")
    assert [p.id for p in document.tree.players] == ["kremlin", "west"]
    assert document.undo_stack.undoText() == "Move player \u201cKremlin\u201d up"
    assert players.list.currentItem().text() == "Kremlin"
    assert not field(players, "player-up").isEnabled()
    combo = window.panels["weights"].display_combo
    assert combo.itemText(0) == "Utility for Kremlin"
    click(qtbot, players, "player-down")
    assert [p.id for p in document.tree.players] == ["west", "kremlin"]
    undo(window)
    undo(window)
    assert [p.id for p in document.tree.players] == ["west", "kremlin"]
    assert document.undo_stack.undoText() != "Move player \u201cKremlin\u201d up"


def test_colours_come_from_a_colour_dialog(window, qtbot, tmp_path):
    open_tree(window, tmp_path, json.loads(SMALL))
    outcomes = tab(window, "outcomes")
    select(outcomes, "outcome", "Deal")
    click(qtbot, outcomes, "outcome-color")
    dialog = window.prompts.dialogs[-1]
    dialog.setCurrentColor(QColor("#123456"))
    dialog.accept()
    assert window.document.tree.outcomes[0].color == "#123456"
    assert window.document.undo_stack.undoText() == "Change outcome \u201cDeal\u201d's colour"
    players = tab(window, "players")
    click(qtbot, players, "player-color")
    dialog = window.prompts.dialogs[-1]
    dialog.setCurrentColor(QColor("#abcdef"))
    dialog.accept()
    assert window.document.tree.players[0].extras == {"x-offramp-color": "#abcdef"}


def swatch(button) -> str:
    """The colour of the swatch on a colour button."""
    return button.icon().pixmap(button.iconSize()).toImage().pixelColor(2, 2).name()


def test_the_colour_buttons_show_the_colour_drawn_even_the_default(window, qtbot, tmp_path):
    open_tree(window, tmp_path, json.loads(SMALL))
    scene = window.scene
    players = tab(window, "players")
    button = field(players, "player-color")
    select(players, "player", "Kremlin")
    assert (button.text(), swatch(button)) == ("#ad1a7f (default)", "#ad1a7f")
    assert scene.item_for_node("collapse").look.color.name() == "#ad1a7f"
    select(players, "player", "West")
    assert (button.text(), swatch(button)) == ("#00897b (default)", "#00897b")
    click(qtbot, players, "player-color")
    dialog = window.prompts.dialogs[-1]
    assert dialog.currentColor().name() == "#00897b"  # starts from the colour shown
    dialog.setCurrentColor(QColor("#ff8800"))
    dialog.accept()
    assert (button.text(), swatch(button)) == ("#ff8800", "#ff8800")
    assert scene.item_for_node("aim").look.color.name() == "#ff8800"  # the canvas agrees
    undo(window)
    assert button.text() == "#00897b (default)"
    assert scene.item_for_node("aim").look.color.name() == "#00897b"

    outcomes = tab(window, "outcomes")
    button = field(outcomes, "outcome-color")
    select(outcomes, "outcome", "Nuclear use")
    assert (button.text(), swatch(button)) == ("#b71c1c", "#b71c1c")
    add(qtbot, outcomes, "outcome", "Stalemate")
    assert (button.text(), swatch(button)) == ("#8d8d8d (default)", "#8d8d8d")
    document = window.document
    document.select("stalemate")
    properties = window.panels["properties"]
    combo = field(properties, "outcome-combo")
    combo.setCurrentIndex(combo.findText("Stalemate"))
    assert scene.item_for_node("stalemate").look.color.name() == "#8d8d8d"


def test_a_distribution_is_chosen_edited_and_previewed(window, qtbot, tmp_path):
    open_tree(window, tmp_path, json.loads(SMALL))
    variables = tab(window, "variables")
    combo = field(variables, "variable-distribution")
    combo.setCurrentIndex(combo.findData("normal"))
    variable = window.document.tree.variables[0]
    assert variable.distribution == {"type": "normal", "mean": 0.3, "sd": pytest.approx(1 / 6)}
    type_into(qtbot, field(variables, "variable-parameter-sd"), "0.1")
    assert window.document.tree.variables[0].distribution["sd"] == 0.1
    x, y = variables.plot.curve.getData()
    assert x[y.argmax()] == pytest.approx(0.3, abs=0.01)
    combo.setCurrentIndex(combo.findData("discrete"))
    type_into(qtbot, field(variables, "variable-parameter-values"), "0.1, 0.5")
    type_into(qtbot, field(variables, "variable-parameter-weights"), "1, 3")
    assert window.document.tree.variables[0].distribution == {
        "type": "discrete", "values": [0.1, 0.5], "weights": [1, 3]}
    assert list(variables.plot.bars.opts["height"]) == [0.25, 0.75]
    type_into(qtbot, field(variables, "variable-step"), "0.05")
    assert window.document.tree.variables[0].extras == {"x-offramp-step": 0.05}
    assert window.panels["variables"].rows["p_collapse"].spin.singleStep() == 0.05


def test_the_title_and_a_source(window, qtbot, tmp_path):
    open_tree(window, tmp_path, json.loads(SMALL))
    tree_tab = tab(window, "tree")
    type_into(qtbot, field(tree_tab, "tree-title"), "Ending the war")
    assert window.document.undo_stack.undoText() == "Change title"
    add(qtbot, tree_tab.sources, "source", "An essay")
    type_into(qtbot, field(tree_tab, "source-url"), "https://example.org/essay")
    type_into(qtbot, field(tree_tab, "source-year"), "2024")
    type_into(qtbot, field(tree_tab, "source-title"), "The essay")
    assert window.document.undo_stack.undoText() == "Change source \u201cThe essay\u201d"
    target = tmp_path / "saved.json"
    window.prompts.script("save", target)
    assert window.files.save_as()
    saved = json.loads(target.read_text(encoding="utf-8"))
    assert saved["title"] == "Ending the war"
    assert saved["sources"] == [{"title": "The essay", "year": 2024,
                                 "url": "https://example.org/essay"}]
    assert window.files.open(target)
    assert field(tree_tab, "tree-title").text() == "Ending the war"
    assert tree_tab.sources.list.item(0).text() == "The essay"


def test_past_the_limit_adding_is_refused_with_a_message(window, qtbot, monkeypatch):
    monkeypatch.setitem(model_edits.LIMITS, "criterion", 1)
    criteria = tab(window, "criteria")
    add(qtbot, criteria, "criterion", "Cost")
    assert window.prompts.errors == [("Add criterion", "A tree has at most 1 criteria; this"
                                      " one has 1.", "")]
    assert window.document.tree.criteria is None


def test_the_last_player_cannot_be_deleted(window, qtbot):
    window.files.new()
    players = tab(window, "players")
    click(qtbot, players, "player-delete")
    assert window.prompts.errors == [("Delete player", "A tree needs at least one player.",
                                      "")]
    assert window.prompts.asked == []
    assert [p.id for p in window.document.tree.effective_players()] == ["decision-maker"]


@pytest.mark.parametrize("distribution", [
    {"type": "uniform", "low": -1.7e308, "high": 1.7e308},
    {"type": "triangular", "low": -1.7e308, "mode": 0, "high": 1.7e308},
    {"type": "discrete", "values": [-1.7e308, 1.7e308], "weights": [1, 1]}])
def test_a_distribution_near_the_largest_double_is_previewed_in_a_power_of_ten(
        window, qtbot, tmp_path, distribution):
    doc = json.loads(SMALL)
    doc["variables"][0].update(min=-1.7e308, max=1.7e308, distribution=distribution)
    open_tree(window, tmp_path, doc)
    variables = tab(window, "variables")
    assert not variables.grab().isNull()
    qtbot.wait(50)  # the paints and range updates queued by the first one
    plot = variables.plot
    assert plot.getAxis("bottom").labelText == "× 10³⁰⁸"
    (low, high), _ = plot.viewRange()
    assert -3 < low < -1.6 and 1.6 < high < 3


def test_adding_a_criterion_or_player_with_a_node_selected_shows_its_new_rows(window,
                                                                              qtbot):
    window.files.new()
    document = window.document
    document.select("good")
    add(qtbot, tab(window, "criteria"), "criterion", "Cost")
    add(qtbot, tab(window, "players"), "player", "Rival")
    panel = window.panels["properties"]
    # The new rows wait for the results with the new columns, which follow at once.
    qtbot.waitUntil(lambda: panel.findChild(QWidget, "value-expected-1").text() == "0.00")
    assert panel.findChild(QWidget, "value-expected-0").text() == "10.0"
    assert panel.findChild(QWidget, "value-utility-1").text() == "10.0"
    assert panel.findChild(QWidget, "payoff-cost") is not None
