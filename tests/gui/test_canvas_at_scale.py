"""A large tree on the canvas: items only for what is in view, made as the view moves;
keyboard moves onto nodes far off screen; Fold All, Expand All and Fold Below Level on
20,421 nodes; zoomed out past single rows, the tree's lines."""
from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor

from offramp_gui.gui.scene.theme import ROW_HEIGHT
from offramp_gui.gui.scene.tree_scene import EVERY_ITEM_UP_TO, TreeScene

WIDE, LEAVES = 20, 50  # 20 x 20 chance nodes, 50 endings under each: 20,421 nodes


def depth_of(node_id: str) -> int:
    return 0 if node_id == "root" else node_id.count(".") + 1


@pytest.fixture
def window(make_window, tmp_path, qtbot):
    root = {"id": "root", "type": "decision", "name": "Choice", "children": [
        {"id": f"a{i}", "branch": f"Option {i}", "type": "chance", "children": [
            {"id": f"a{i}.{j}", "branch": f"Case {j}", "probability": "#", "type": "chance",
             "children": [{"id": f"a{i}.{j}.{k}", "branch": f"End {k}", "probability": "#",
                           "type": "terminal", "payoff": {"gain": k}} for k in range(LEAVES)]}
            for j in range(WIDE)]} for i in range(WIDE)]}
    tree = {"format": "offramp-tree", "version": 1, "title": "Large",
            "criteria": [{"id": "gain", "name": "Gain"}], "root": root}
    path = tmp_path / "large.json"
    path.write_text(json.dumps(tree), encoding="utf-8")
    window = make_window()
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    assert window.files.open(path)
    window.actions["expand-all"].trigger()
    qtbot.waitUntil(lambda: window.scene.shown_count() == len(window.document.tree))
    window.view.reset_zoom()
    window.view.centerOn(window.scene.node_position("root"))
    return window


def in_view(window, node_id: str) -> bool:  # noqa: ANN001
    place = window.scene.node_position(node_id)
    return place is not None and window.view.visible_scene_rect().contains(place)


def test_only_the_nodes_in_and_near_view_have_items(window):
    scene, ids = window.scene, window.document.tree.ids()
    assert len(ids) == 20_421
    shown = {node_id for node_id in ids if in_view(window, node_id)}
    assert shown and shown <= scene.node_ids()
    assert len(scene.node_ids()) < EVERY_ITEM_UP_TO < len(ids)
    for node_id in shown:
        item = scene.item_for_node(node_id)
        assert item.scenePos() == scene.node_position(node_id)
        assert item.look.kind == ("terminal" if depth_of(node_id) == 3 else
                                  "decision" if node_id == "root" else "chance")


def test_panning_gives_items_to_the_nodes_coming_into_view(window, qtbot):
    scene, view = window.scene, window.view
    far = "a12.7.30"
    assert scene.item_for_node(far) is None
    view.centerOn(scene.node_position(far))
    assert in_view(window, far)
    item = scene.item_for_node(far)
    assert item is not None and item.isVisible()
    assert item.look.branch == "End 30" and item.scenePos() == scene.node_position(far)
    assert scene.item_for_node("a0.0.0") is None  # far behind now
    assert all(in_view(window, n) <= (n in scene.node_ids()) for n in window.document.tree.ids())


def test_the_keyboard_moves_onto_a_node_far_off_screen_and_shows_it(window, qtbot):
    scene, view = window.scene, window.view
    window.document.select("a0")
    assert not in_view(window, "a1")  # a thousand rows below
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert window.document.selected_id == "a1"
    assert in_view(window, "a1")
    item = scene.item_for_node("a1")
    assert item is not None and item.selected and item.isVisible()
    assert [i.node_id for i in scene.items() if getattr(i, "selected", False)] == ["a1"]


def test_fold_below_a_level_leaves_exactly_the_levels_above_it_open(window, qtbot):
    window.prompts.script("fold-below", 2)
    window.actions["fold-below"].trigger()
    tree = window.document.tree
    assert {n.id for n in tree.root.walk() if n.collapsed} == {
        f"a{i}.{j}" for i in range(WIDE) for j in range(WIDE)}
    assert not window.document.undo_stack.canUndo()
    qtbot.waitUntil(lambda: window.scene.shown_count() == 1 + WIDE + WIDE * WIDE)
    # Few enough to have an item each, wherever they are.
    assert window.scene.node_ids() == {n for n in tree.ids() if depth_of(n) <= 2}
    folded = window.scene.item_for_node("a19.19")
    assert folded.look.folded and folded.look.hidden == LEAVES


def test_fold_all_and_expand_all_on_a_large_tree(window, qtbot):
    scene = window.scene
    window.actions["fold-all"].trigger()
    qtbot.waitUntil(lambda: scene.node_ids() == {"root"})
    assert scene.item_for_node("root").look.hidden == 20_420
    window.actions["expand-all"].trigger()
    qtbot.waitUntil(lambda: scene.shown_count() == 20_421)
    assert not any(n.collapsed for n in window.document.tree.root.walk())
    assert "root" in scene.node_ids() and len(scene.node_ids()) < EVERY_ITEM_UP_TO


def test_zoomed_out_past_single_rows_the_canvas_and_the_map_draw_the_lines(window, qtbot):
    scene, view = window.scene, window.view
    window.actions["zoom-fit"].trigger()
    assert scene.dense and len(scene.node_ids()) <= 1  # the selected node at most
    line = QColor(scene.theme.line).rgb()
    picture = view.viewport().grab().toImage()
    middle = view.mapFromScene(scene.nodes_rect().center())
    column = view.mapFromScene(QPointF(3 * 240 - 10, scene.nodes_rect().center().y())).x()
    assert any(picture.pixel(column + dx, middle.y() + dy) == line
               for dx in range(-12, 13) for dy in range(-40, 41))
    view.reset_zoom()
    view.centerOn(scene.node_position("a10"))
    assert not scene.dense and "a10" in scene.node_ids()
    overview = window.features["viewing"].overview
    assert overview.isVisible()
    image = overview.viewport().grab().toImage()
    inked = {y for x in range(image.width()) for y in range(image.height())
             if image.pixel(x, y) == line}
    # The whole tree, top to bottom, though no item stands for most of it.
    tree_height = overview.mapFromScene(scene.nodes_rect()).boundingRect().height()
    assert max(inked) - min(inked) > 0.8 * tree_height


def test_a_scene_no_view_shows_has_an_item_for_every_node(window):
    scene = TreeScene(window.document)  # as exports build it
    assert scene.node_ids() == set(window.document.tree.ids())
    assert scene.itemsBoundingRect().contains(scene.nodes_rect())
    assert QRectF(scene.tree_rect()).contains(window.scene.tree_rect())


def drawn_as_placed(window) -> None:  # noqa: ANN001
    """Every item sits where its node is placed, its branch drawn to its parent's place."""
    scene, tree = window.scene, window.document.tree
    for node_id in scene.node_ids():
        item, place = scene.item_for_node(node_id), scene.node_position(node_id)
        assert item.scenePos() == place
        parent = tree.parent_id(node_id)
        if parent is not None:
            assert item.look.parent_offset == scene.node_position(parent) - place
        node = tree.node(node_id)
        assert item.look.folded == bool(node.children and node.collapsed)


def test_a_fold_moves_the_nodes_below_up_and_their_branches_with_them(window, qtbot):
    scene = window.scene
    window.view.centerOn(scene.node_position("a0.0.49"))
    below, parent = scene.node_position("a0.1"), scene.node_position("a0")
    assert {"a0.0.49", "a0.1.0"} <= scene.node_ids()
    window.document.select("a0.0")
    window.actions["toggle-fold"].trigger()
    qtbot.waitUntil(lambda: scene.shown_count() == 20_421 - LEAVES)
    # Its fifty rows of endings are one row now; its parent is centred on its children.
    assert scene.node_position("a0.1").y() == below.y() - (LEAVES - 1) * ROW_HEIGHT
    assert scene.node_position("a0").y() < parent.y()
    folded = scene.item_for_node("a0.0")
    assert folded.look.folded and folded.look.hidden == LEAVES
    assert "a0.0.49" not in scene.node_ids() and "a0.1.0" in scene.node_ids()
    drawn_as_placed(window)
    window.actions["toggle-fold"].trigger()
    qtbot.waitUntil(lambda: scene.shown_count() == 20_421)
    assert scene.node_position("a0.1") == below and scene.node_position("a0") == parent
    assert not scene.item_for_node("a0.0").look.folded
    drawn_as_placed(window)
