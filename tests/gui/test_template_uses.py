"""Templates in the app: editing a master updates every use on screen in one undo step;
Make Template, Detach Use and Go to Template, each one undo step; edits inside a use
are refused with the reason."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

#: A master "m" (escalate "m-esc", accept "m-acc") and uses "b", "c", "d" of it.
THREE_USES = Path(__file__).resolve().parents[1] / "data" / "three_uses.json"

USES = ("b", "c", "d")


@pytest.fixture
def window(make_window, tmp_path, qtbot):
    path = tmp_path / "uses.json"
    shutil.copy(THREE_USES, path)
    win = make_window()
    assert win.files.open(path)
    win.document.edit.expand_all()
    qtbot.waitUntil(lambda: "d__m-esc" in win.scene.node_ids())
    return win


def shown(win, node_id: str) -> str:
    return win.scene.item_for_node(node_id).value_text()


def test_editing_the_master_updates_every_use_and_one_undo_restores_them(window, qtbot):
    document = window.document
    before = {u: shown(window, u) for u in USES}
    with qtbot.waitSignal(document.results_ready):
        document.edit.set_field("m-acc", "payoff", 25)
    # d: 0.3 × -20 + 0.7 × 25 = 11.5; b: 0.2 × -20 + 0.8 × 25 = 16; c: 0.5 × -40 + 0.5 × 25
    assert [document.tree.node(f"{u}__m-acc").payoff for u in USES] == [25, 25, 25]
    after = {u: shown(window, u) for u in USES}
    assert all(after[u] != before[u] for u in USES)
    assert after["b"].startswith("16") and after["d"].startswith("11.5")
    assert window.actions["undo"].text() == "&Undo Change payoff"
    with qtbot.waitSignal(document.results_ready):
        window.actions["undo"].trigger()
    assert {u: shown(window, u) for u in USES} == before
    assert [document.tree.node(f"{u}__m-acc").payoff for u in USES] == [5, 5, 5]


def test_a_probability_edited_in_the_master_changes_the_uses(window, qtbot):
    document = window.document
    with qtbot.waitSignal(document.results_ready):
        document.edit.set_field("m-esc", "probability", "stakes / 3")
    # d: 0.1 × -20 + 0.9 × 5 = 2.5
    assert shown(window, "d").startswith("2.5")
    assert document.tree.node("b__m-esc").probability == "(r + 0.1) / 3"


def test_an_edit_inside_a_use_is_refused_with_the_reason(window):
    document = window.document
    document.select("b__m-esc")
    window.actions["delete"].trigger()
    assert "b__m-esc" in document.tree
    assert window.prompts.errors[-1][1] == ("Not changed: “escalate” is part of “B”, a use"
                                            " of template “K”: edit the template, or Detach"
                                            " this use.")


def test_detach_and_undo(window, qtbot):
    document = window.document
    document.select("c")
    assert window.actions["detach-use"].isEnabled()
    window.actions["detach-use"].trigger()
    assert window.actions["undo"].text() == "&Undo Detach use of template “K”"
    assert document.tree.node("c").use is None
    document.edit.set_field("c__m-acc", "payoff", 1)  # an ordinary node now
    window.actions["undo"].trigger()
    window.actions["undo"].trigger()
    assert document.tree.node("c").use == {"template": "K", "bind": {"stakes": 0.5,
                                                                     "cost": "cost * 2"}}
    with qtbot.waitSignal(document.results_ready):
        document.edit.set_field("m-acc", "payoff", 6)
    assert document.tree.node("c__m-acc").payoff == 6


def test_make_template_and_undo(window, qtbot):
    document = window.document
    window.prompts.script("template-name", "Outer")
    window.prompts.script("template-parameters", ["r"])
    document.select("root")
    window.actions["make-template"].trigger()
    assert document.tree.node("root").template == {"name": "Outer", "parameters": ["r"]}
    assert window.actions["undo"].text() == "&Undo Make template “Outer”"
    window.actions["undo"].trigger()
    assert document.tree.node("root").template is None


def test_go_to_template_selects_the_master(window):
    window.document.select("d")
    window.actions["go-to-template"].trigger()
    assert window.document.selected_id == "m"


def test_uses_and_the_master_are_marked_with_the_templates_name(window, qtbot):
    scene = window.scene
    looks = {i: scene.item_for_node(i).look for i in ("m", "b", "c", "d", "b__m-esc")}
    assert [(looks[i].template_role, looks[i].template) for i in "mbcd"] == [
        ("master", "K"), ("use", "K"), ("use", "K"), ("use", "K")]
    assert looks["b__m-esc"].template_role == ""
    assert "Use of template “K”" in scene.item_for_node("b").toolTip()
    window.document.select("c")
    window.actions["detach-use"].trigger()
    qtbot.waitUntil(lambda: scene.item_for_node("c").look.template_role == "")
    assert not window.view.grab().isNull()  # (the marks paint)


def test_the_properties_of_a_use_show_its_bindings_each_edit_one_undo_step(window, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit

    document, panel = window.document, window.panels["properties"]
    document.select("b")
    stakes = panel.findChild(QLineEdit, "bind-stakes")
    cost = panel.findChild(QLineEdit, "bind-cost")
    assert (stakes.text(), cost.text()) == ("r + 0.1", "")
    assert not panel.findChild(QComboBox, "type-combo").isEnabled()
    stakes.setFocus()
    stakes.selectAll()
    with qtbot.waitSignal(document.results_ready):
        qtbot.keyClicks(stakes, "0.4")
        qtbot.keyClick(stakes, Qt.Key.Key_Return)
    assert document.tree.node("b").use["bind"] == {"stakes": "0.4"}
    assert document.tree.node("b__m-esc").probability == 0.4
    assert window.actions["undo"].text() == "&Undo Bind stakes in “B”"
    window.actions["undo"].trigger()
    assert document.tree.node("b__m-esc").probability == "r + 0.1"
    document.select("b__m-esc")
    qtbot.waitUntil(lambda: panel.findChild(QLabel, "inside-use") is not None)
    assert panel.findChild(QLabel, "inside-use").text().startswith("“escalate” is part of “B”")
    assert not panel.findChild(QLineEdit, "branch-edit").isEnabled()


def test_copying_a_use_pastes_another_use_and_deleting_one_undoes(window, qtbot):
    document = window.document
    document.select("d")
    window.actions["copy"].trigger()
    document.select("root")
    window.actions["paste"].trigger()
    pasted = document.tree.root.children[-1]
    assert pasted.use == {"template": "K"} and pasted.id != "d"
    assert [c.id for c in pasted.children] == [f"{pasted.id}__m-esc", f"{pasted.id}__m-acc"]
    with qtbot.waitSignal(document.results_ready):
        document.edit.set_field("m-acc", "payoff", 8)
    assert document.tree.node(f"{pasted.id}__m-acc").payoff == 8
    document.select("b")
    window.actions["delete"].trigger()
    assert "b__m-esc" not in document.tree
    window.actions["undo"].trigger()
    assert [c.payoff for c in document.tree.node("b").children] == ["-10 * cost", 8]
