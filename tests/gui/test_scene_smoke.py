"""The canvas mirrors the model: one item per visible node, numbers from the engine."""
from __future__ import annotations

from offramp_gui.gui.scene.tree_scene import TreeScene


def test_scene_has_an_item_per_node_and_shows_values(controller, qtbot):
    scene = TreeScene(controller)
    assert scene.node_ids() == set(controller.tree.ids())
    # West's utility at the root is -3.0 (talks): FORMAT.md's worked example.
    assert scene.item_for_node("aim").value_text() == "-3.00"
    assert scene.item_for_node("talks").chosen()
    assert not scene.item_for_node("defeat").chosen()
