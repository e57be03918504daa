"""The app's side of the node field table: each field's change is one undo step with
the table's words, the canvas follows it, and a plain text field has a Properties row."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QLineEdit

from offramp_gui.api import load
from offramp_gui.gui.panels.property_pages import PLAIN_TEXT_FIELDS
from offramp_gui.gui.panels.property_panel import PropertyPanel
from offramp_gui.gui.scene.theme import COLUMN_WIDTH, ROW_HEIGHT
from offramp_gui.gui.scene.tree_scene import TreeScene
from offramp_gui.model.fields import CHANCE, DECISION, VALUE_FIELDS, Kind
from offramp_gui.model.layout import layout, visible_nodes

EVERY_FIELD = Path(__file__).resolve().parents[1] / "data" / "every_field.json"


@pytest.fixture
def every_field(make_controller):
    return make_controller(load(EVERY_FIELD))


def holds(tree, node, field) -> bool:
    """Whether the table gives this node the field."""
    return node.type in field.on and (field.on_root or node is not tree.root)


def first_holder(tree, field):
    """The first node below the root that the table gives the field."""
    return next(node for node in tree.root.walk()
                if node is not tree.root and holds(tree, node, field))


def another_value(field, node):
    value = getattr(node, field.name)
    if field.kind is Kind.ID:
        return "renamed"
    if field.kind is Kind.NODE_TYPE:
        return DECISION if value == CHANCE else CHANCE
    if field.kind is Kind.EXPRESSION:
        return 0.25
    if field.kind is Kind.PAYOFF:
        return {"security": 3}
    if field.json_type is bool:
        return not value
    if field.kind is Kind.TEMPLATE:
        return {"name": "Sample", "parameters": []}
    if field.kind is Kind.USE:  # (of no template: the node stays as it is, and says so)
        return {"template": "Sample"}
    assert field.json_type is str, f"no sample value for {field.kind}"
    return f"{value} changed"


def shows_the_tree(scene, tree) -> bool:
    """One item per visible node, each where the layout puts it."""
    places = layout(tree.root, ROW_HEIGHT, COLUMN_WIDTH)
    visible = visible_nodes(tree.root)
    return scene.node_ids() == {node.id for node in visible} and all(
        scene.item_for_node(node.id).pos() == QPointF(places[node.id].x, places[node.id].y)
        for node in visible)


@pytest.mark.parametrize("field", VALUE_FIELDS, ids=lambda field: field.name)
def test_a_field_change_is_one_undo_step_and_the_canvas_follows(field, every_field, qtbot):
    controller, tree = every_field, every_field.tree
    scene = TreeScene(controller)
    node = first_holder(tree, field)
    old, new = getattr(node, field.name), another_value(field, node)
    controller.edit.set_field(node.id, field.name, new)
    assert getattr(node, field.name) == new
    assert controller.undo_stack.undoText() == field.undo_text
    qtbot.waitUntil(lambda: shows_the_tree(scene, tree))
    controller.undo_stack.undo()
    assert getattr(node, field.name) == old
    qtbot.waitUntil(lambda: shows_the_tree(scene, tree))


@pytest.mark.parametrize("field", PLAIN_TEXT_FIELDS, ids=lambda field: field.name)
def test_a_plain_text_field_has_a_properties_row(field, every_field, qtbot):
    controller, tree = every_field, every_field.tree
    panel = PropertyPanel(controller)
    qtbot.addWidget(panel)
    panel.show()
    for node in tree.root.walk():
        controller.select(node.id)
        row = panel.findChild(QLineEdit, f"{field.name}-edit")
        assert (row is not None) == holds(tree, node, field), node.id
    node = first_holder(tree, field)
    controller.select(node.id)
    row = panel.findChild(QLineEdit, f"{field.name}-edit")
    box = row.parentWidget()
    assert box.parentWidget().layout().labelForField(box).text() == field.label
    row.setFocus()
    row.selectAll()
    qtbot.keyClicks(row, "Typed here")
    qtbot.keyClick(row, Qt.Key.Key_Return)
    assert getattr(node, field.name) == "Typed here"
    assert controller.undo_stack.undoText() == field.undo_text
    controller.undo_stack.undo()
    assert getattr(node, field.name) is None
    assert row.text() == ""
