"""The canvas's array layout places every node where the plain layout of model/layout.py
does, folds and tall labels included."""
from __future__ import annotations

import random

import numpy as np
import pytest

from offramp_gui.gui.scene.placement import FlatTree, Placed
from offramp_gui.model.layout import layout, visible_nodes
from offramp_gui.model.tree import Node


def random_tree(rng: random.Random, size: int) -> Node:
    root = Node("n0", "decision")
    nodes = [root]
    for k in range(1, size):
        parent = rng.choice(nodes[-40:])  # deep and bushy by turns
        parent.type = parent.type if parent.children else rng.choice(["decision", "chance"])
        child = Node(f"n{k}")
        parent.children.append(child)
        nodes.append(child)
    for node in nodes:
        node.collapsed = True if node.children and rng.random() < 0.1 else None
    return root


@pytest.mark.parametrize("seed", range(5))
def test_the_array_layout_matches_the_plain_one(seed):
    rng = random.Random(seed)
    root = random_tree(rng, 1500)
    rooms = {n.id: (rng.choice([0, 0, 0, 0.5, 2.0]), rng.choice([0, 0, 0.25]))
             for n in root.walk()}
    rooms["n0"] = (0, 0)
    expected = layout(root, 60, 240, room=lambda n: rooms[n.id])
    flat = FlatTree(root)
    above = np.array([rooms[n.id][0] for n in flat.nodes])
    below = np.array([rooms[n.id][1] for n in flat.nodes])
    placed = Placed(flat, above, below, 60, 240)
    ids = [flat.nodes[k].id for k in placed.shown]
    assert ids == [n.id for n in visible_nodes(root)]
    for k, node_id in enumerate(ids):
        place = expected[node_id]
        assert (placed.x[k], placed.y[k], placed.depth[k]) == pytest.approx(
            (place.x, place.y, place.depth)), node_id


@pytest.mark.parametrize("seed", range(3))
def test_a_node_is_found_down_its_path_where_the_id_map_finds_it(seed):
    from offramp_gui.model.tree import Tree

    tree = Tree(random_tree(random.Random(seed), 800))
    flat = FlatTree(tree.root)
    found = {node.id: flat.index(node.id, tree) for node in tree.root.walk()}
    assert flat._index is None  # no id map was made
    assert found == {node.id: k for k, node in enumerate(flat.nodes)}
    assert flat.index("not there", tree) is None
