"""File > New from Template and File > Open Example, through the menu as a user picks them."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _choose(window, action: str, key: str, index: int):
    window.prompts.script(key, index)
    window.actions[action].trigger()
    return window.prompts.questions(key)[-1]


def _shape(tree):
    return ([p.name for p in tree.effective_players()],
            [c.name for c in tree.effective_criteria()],
            [(n.type, n.branch) for n in tree.root.walk()])


def test_the_templates_are_reached_from_the_file_menu(make_window):
    window = make_window()
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    texts = [a.text() for a in file_menu.actions()]
    assert texts.index("&New") + 1 == texts.index("New from &Template…")
    assert "Open &Example…" in texts


def test_a_decision_under_uncertainty(make_window):
    window = make_window()
    _key, title, _text, options = _choose(window, "new-from-template", "template", 0)
    assert title == "New from Template"
    assert [name for name, _line in options] == [
        "A decision under uncertainty", "Entry deterrence", "A crisis with three actors"]
    assert all(line for _name, line in options)
    document = window.document
    players, criteria, nodes = _shape(document.tree)
    assert (players, criteria) == (["Decision maker"], ["Value"])
    assert nodes == [("decision", None), ("terminal", "Safe option"),
                     ("chance", "Risky option"), ("terminal", "Succeeds"),
                     ("terminal", "Fails")]
    assert document.tree.node("success").probability == "p_success"
    assert [v.name for v in document.tree.variables] == ["p_success"]
    assert document.results.issues == ()
    assert document.results.chosen_id("choice") == "risky"
    assert document.path is None and not document.modified


def test_entry_deterrence_gives_each_player_its_own_payoff(make_window):
    window = make_window()
    _choose(window, "new-from-template", "template", 1)
    tree = window.document.tree
    players, criteria, nodes = _shape(tree)
    assert players == ["Entrant", "Incumbent"]
    assert criteria == ["Entrant's payoff", "Incumbent's payoff"]
    assert [branch for _type, branch in nodes] == [None, "Enter", "Fight", "Accommodate",
                                                   "Stay out"]
    assert [p.weights for p in tree.effective_players()] == [
        {"entrant_payoff": 1}, {"incumbent_payoff": 1}]
    results = window.document.results
    assert results.issues == ()
    # Fighting hurts the incumbent too, so the threat is empty: the entrant enters.
    assert results.chosen_id("enter") == "accommodate"
    assert results.chosen_id("entry") == "enter"


def test_the_crisis_skeleton_has_three_actors_five_criteria_and_evaluates(make_window):
    window = make_window()
    _choose(window, "new-from-template", "template", 2)
    tree = window.document.tree
    assert [p.name for p in tree.effective_players()] == ["Coalition", "Partner", "Adversary"]
    assert len(tree.effective_criteria()) == 5
    assert {"Catastrophe", "Negotiated settlement, face saved"} <= {
        o.name for o in tree.outcomes}
    assert window.document.results.issues == ()
    assert window.document.path is None


def test_a_template_asks_to_save_changes_first_and_cancel_keeps_the_tree(make_window):
    window = make_window(**{"save-changes": "cancel"})
    before = window.document.tree
    window.document.edit.set_field(before.root.children[0].id, "branch", "Changed")
    _choose(window, "new-from-template", "template", 1)
    assert window.prompts.texts("save-changes")
    assert window.document.tree is before and window.document.modified
    window.prompts.script("save-changes", "discard")
    _choose(window, "new-from-template", "template", 1)
    assert window.document.tree.title == "Entry deterrence"
    assert window.document.undo_stack.count() == 0  # one step: nothing to undo into


def test_cancelling_the_choice_changes_nothing(make_window):
    window = make_window()
    before = window.document.tree
    _choose(window, "new-from-template", "template", None)
    assert window.document.tree is before


def test_open_example_lists_the_bundled_trees_and_opens_a_copy(make_window, tmp_path):
    window = make_window()
    _key, _title, _text, options = _choose(window, "open-example", "example", 3)
    names = [name for name, _line in options]
    assert len(names) == 5 and names[0] == "Putin needs an off-ramp"
    assert "The Cuban missile crisis, 1962" in names
    assert "Resolve and rhetoric: a game of private information" in names
    assert all(line.endswith((".", "?")) for _name, line in options)
    document = window.document
    assert document.tree.title == names[3] and document.path is None
    target = tmp_path / "mine.json"
    window.prompts.script("save", target)
    window.actions["save"].trigger()
    window.files.finish_saving()
    assert [q[0] for q in window.prompts.asked].count("save") == 1
    assert target.exists() and document.path == target


def test_the_reference_models_open_from_their_submenu(make_window):
    window = make_window()
    [file_menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "&File"]
    texts = [a.text() for a in file_menu.actions()]
    assert texts.index("Reference &Models") == texts.index("Open &Example…") + 1
    [submenu] = [a.menu() for a in file_menu.actions() if a.text() == "Reference &Models"]
    assert [a.text() for a in submenu.actions()] == [
        "&1 Fearon (1995): bargaining with private information about the cost of war",
        "&2 Powell (1987, 1990): brinkmanship as a competition in risk-taking",
        "&3 Schelling (1960): chicken and the threat that leaves something to chance",
        "&4 Zagare and Kilgour (2000): perfect deterrence"]
    assert all(a.statusTip().endswith(".") for a in submenu.actions())
    submenu.actions()[0].trigger()
    document = window.document
    assert document.tree.title.startswith("Fearon (1995)")
    assert document.path is None and not document.modified
    # A game with private information opens on its equilibrium: the proposer, not knowing
    # the receiver's cost, makes the same offer to every type and risks war.
    results = document.results
    assert (results.equilibrium.index, results.equilibrium.count) == (0, 1)
    offers = {document.tree.node(results.chosen_id(f"type{j}")).branch for j in range(5)}
    assert offers == {"Offer p − c̄/2: the three weakest accept"}


@pytest.mark.parametrize("name", ["trees", "resources"])
def test_the_wheel_carries_the_bundled_folders(name):
    """A non-editable install copies trees/ and resources/ (templates with it) into the
    package, where `bundled_dir` looks first."""
    text = (ROOT / "pyproject.toml").read_text()
    assert f'"{name}" = "offramp_gui/{name}"' in text
