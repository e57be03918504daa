"""Edits in the app re-solve only what they touch (issue 14): a variable's slider, a
probability, a payoff and a weight keep the document's live evaluation and show on the
canvas exactly what a full evaluation of the edited tree gives; so do structural edits
(add, delete, move, paste, a change of type), which patch it."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDoubleSpinBox, QSlider

from offramp_gui.analysis.evaluate import evaluate_tree
from offramp_gui.gui.format import NumberFormat
from offramp_gui.gui.scene.readout import Readout


@pytest.fixture
def window(make_window, offramp_tree):
    win = make_window()
    win.document.replace_tree(offramp_tree, None)
    return win


def canvas_agrees_with_a_full_evaluation(win) -> None:
    """Every node on the canvas reads what a full evaluation of the tree says."""
    document = win.document
    full = Readout(evaluate_tree(document.tree), document.shown_player, None, False, None,
                   NumberFormat.of(document.tree.display))
    shown = win.scene.node_ids()
    assert shown
    assert {i: win.scene.readout(i) for i in shown} == {i: full(i) for i in shown}


def test_a_variable_slider_drag_updates_the_canvas_without_evaluating_again(window, qtbot):
    document = window.document
    live = document.live
    slider = window.panels["variables"].findChild(QSlider, "variable-p_collapse-slider")
    root = document.tree.root.id
    values = set()
    for position in (400, 550, 700):
        with qtbot.waitSignal(document.results_ready):
            slider.setValue(position)
        values.add(window.scene.readout(root).value)
        canvas_agrees_with_a_full_evaluation(window)
    assert len(values) == 3  # the root's value moved with the slider
    assert document.live is live  # the same evaluation, edited: no full evaluation
    document.undo_stack.undo()
    qtbot.waitUntil(lambda: document.results.variables["p_collapse"] == 0.3)
    canvas_agrees_with_a_full_evaluation(window)
    assert document.live is live


def test_a_probability_and_a_payoff_on_a_deep_node_keep_the_live_evaluation(window, qtbot):
    document = window.document
    tree = document.tree
    branch = next(i for i in tree.ids() if isinstance(tree.node(i).probability, str)
                  and tree.node(i).probability != "#")
    with qtbot.waitSignal(document.results_ready):
        document.edit.set_field(branch, "probability", 0.05)  # a formula made a number
    live = document.live
    with qtbot.waitSignal(document.results_ready):
        document.edit.set_field(branch, "probability", 0.1)
    canvas_agrees_with_a_full_evaluation(window)
    numeric = [i for i in tree.ids() if isinstance(tree.node(i).payoff, dict)
               and not any(isinstance(v, str) for v in tree.node(i).payoff.values())]
    deep = max(numeric, key=lambda i: len(tree.ancestors(i)))
    assert len(tree.ancestors(deep)) >= 3
    with qtbot.waitSignal(document.results_ready):
        document.edit.set_field(deep, "payoff", {k: v + 7 for k, v in
                                                 tree.node(deep).payoff.items()})
    canvas_agrees_with_a_full_evaluation(window)
    assert document.live is live


def test_a_weight_changes_the_values_on_the_canvas(window, qtbot):
    document = window.document
    live = document.live
    spin = next(s for s in window.panels["weights"].findChildren(QDoubleSpinBox)
                if s.isEnabled())
    before = window.scene.readout(document.tree.root.id).value
    with qtbot.waitSignal(document.results_ready):
        spin.setValue(spin.value() + 3)
    assert window.scene.readout(document.tree.root.id).value != before
    canvas_agrees_with_a_full_evaluation(window)
    assert document.live is live


def test_structural_edits_patch_the_live_evaluation(window, qtbot):
    document = window.document
    tree = document.tree
    live = document.live
    leaf = next(i for i in tree.ids() if not tree.node(i).children
                and tree.parent_id(i) is not None and len(tree.ancestors(i)) >= 2)
    parent = tree.parent_id(leaf)
    chance = next(i for i in tree.ids() if tree.node(i).type == "chance"
                  and i not in tree.ancestors(leaf))
    gestures = [
        lambda: document.edit.delete(leaf),
        lambda: document.edit.add_child(parent),
        lambda: document.edit.move(tree.node(parent).children[-1].id, -1),
        lambda: document.edit.copy(parent),
        lambda: document.edit.paste(chance),
        lambda: document.edit.change_type(parent, "decision"),
        lambda: document.edit.insert_node(parent),
        lambda: document.edit.move_branch(tree.node(chance).children[-1].id, tree.root.id),
        document.undo_stack.undo,
        document.undo_stack.undo,
    ]
    for gesture in gestures:
        gesture()
        document.recompute()
        canvas_agrees_with_a_full_evaluation(window)
        assert document.live is live  # patched, not evaluated again
        assert document.results.issues == evaluate_tree(tree).issues


def test_a_variable_slider_step_repaints_the_numbers_and_keeps_every_look(window, qtbot,
                                                                          monkeypatch):
    from offramp_gui.gui.scene.node_item import NodeItem

    document, scene = window.document, window.scene
    items = {i: scene.item_for_node(i) for i in scene.node_ids()}
    looks = {i: item.look for i, item in items.items()}
    looks_set = []
    original = NodeItem.set_look
    monkeypatch.setattr(NodeItem, "set_look",
                        lambda item, look: (looks_set.append(item.node_id),
                                            original(item, look))[1])
    slider = window.panels["variables"].findChild(QSlider, "variable-p_collapse-slider")
    root = document.tree.root.id
    before = scene.readout(root).value
    with qtbot.waitSignal(document.results_ready):
        slider.setValue(slider.value() + 150)
    assert scene.readout(root).value != before
    canvas_agrees_with_a_full_evaluation(window)
    assert looks_set == []
    assert {i: scene.item_for_node(i) for i in scene.node_ids()} == items
    assert all(items[i].look is looks[i] for i in items)
