"""Tree mutators: each small, invertible, and announced by exactly one TreeChange."""
from __future__ import annotations

import pytest

from offramp_gui.model.events import OutsideTransactionError, TreeChange
from offramp_gui.model.tree import (
    Node,
    Player,
    Tree,
    assign_missing_ids,
    make_ids_unique,
    unique_id,
)


def leaf(node_id: str, **fields) -> Node:
    return Node(node_id, "terminal", **fields)


def sample_tree() -> Tree:
    """r (decision): a, b (chance: b1 0.4, b2 '#'), c."""
    chance = Node("b", "chance", branch="B", children=[
        leaf("b1", branch="B1", probability=0.4, payoff=1),
        leaf("b2", branch="B2", probability="#", payoff=2)])
    return Tree(Node("r", "decision", children=[leaf("a", branch="A"), chance,
                                                leaf("c", branch="C")]))


def children(tree: Tree, node_id: str) -> list[str]:
    return [c.id for c in tree.node(node_id).children]


@pytest.fixture
def tree() -> Tree:
    return sample_tree()


@pytest.fixture
def changes(tree) -> list[TreeChange]:
    seen: list[TreeChange] = []
    tree.notifier.subscribe(seen.append)
    return seen


# ---- reading ---------------------------------------------------------------------------
def test_index_and_paths(tree):
    assert tree.ids() == ["r", "a", "b", "b1", "b2", "c"]
    assert len(tree) == 6 and "b1" in tree and "zz" not in tree
    assert tree.parent_id("b2") == "b" and tree.parent_id("r") is None
    assert tree.index_in_parent("c") == 2
    assert tree.ancestors("b2") == ["b", "r"]
    assert tree.json_path("b2") == "$.root.children[1].children[1]"


# ---- add / remove / move ---------------------------------------------------------------
def test_add_subtree_at_an_index(tree, changes):
    tree.add_subtree("r", 1, Node("d", "chance", children=[leaf("d1", probability=1)]))
    assert children(tree, "r") == ["a", "d", "b", "c"]
    assert tree.parent_id("d1") == "d" and tree.json_path("d1") == "$.root.children[1].children[0]"
    assert changes == [TreeChange("add", frozenset({"r", "d"}), True)]


def test_add_subtree_refuses_ids_already_used(tree, changes):
    with pytest.raises(ValueError, match="ids already in the tree: b1"):
        tree.add_subtree("r", 0, Node("new", "chance", children=[leaf("b1")]))
    assert children(tree, "r") == ["a", "b", "c"] and "new" not in tree and changes == []


def test_remove_returns_parent_index_and_snapshot(tree, changes):
    before = tree.root.clone()
    parent, index, snapshot = tree.remove_subtree("b")
    assert (parent, index) == ("r", 1)
    assert [n.id for n in snapshot.walk()] == ["b", "b1", "b2"]
    assert children(tree, "r") == ["a", "c"] and "b1" not in tree and len(tree) == 3
    assert changes == [TreeChange("remove", frozenset({"r", "b"}), True)]
    tree.add_subtree(parent, index, snapshot)
    assert tree.root == before and tree.ids() == before_ids(before)
    assert tree.parent_id("b2") == "b"


def before_ids(root: Node) -> list[str]:
    return [n.id for n in root.walk()]


@pytest.mark.parametrize("node_id", ["a", "b", "c", "b1", "b2"])
def test_remove_then_re_add_restores_order_anywhere(tree, node_id):
    before = tree.root.clone()
    parent, index, snapshot = tree.remove_subtree(node_id)
    tree.add_subtree(parent, index, snapshot)
    assert tree.root == before


def test_the_root_cannot_be_removed(tree, changes):
    with pytest.raises(ValueError, match="root"):
        tree.remove_subtree("r")
    assert changes == []


def test_move_child(tree, changes):
    tree.move_child("r", 0, 2)
    assert children(tree, "r") == ["b", "c", "a"]
    assert tree.index_in_parent("a") == 2
    tree.move_child("r", 2, 0)
    assert children(tree, "r") == ["a", "b", "c"]
    assert changes == [TreeChange("move", frozenset({"r"}), True)] * 2


def test_moving_to_the_same_place_emits_nothing(tree, changes):
    tree.move_child("r", 1, 1)
    assert changes == []


# ---- set_field / set_meta --------------------------------------------------------------
def test_set_field_returns_the_old_value(tree, changes):
    assert tree.set_field("b1", "probability", 0.7) == 0.4
    assert tree.node("b1").probability == 0.7
    assert tree.set_field("b1", "probability", 0.4) == 0.7
    assert changes == [TreeChange("field", frozenset({"b1"}), False,
                                  frozenset({"probability"}))] * 2


def test_unchanged_value_emits_nothing(tree, changes):
    tree.set_field("b1", "probability", 0.4)
    tree.set_field("a", "branch", "A")
    assert changes == []


def test_int_and_float_are_different_values(tree, changes):
    tree.set_field("b1", "payoff", 1.0)
    assert type(tree.node("b1").payoff) is float and len(changes) == 1


def test_set_field_copies_mutable_values(tree):
    payoff = {"value": 3}
    tree.set_field("a", "payoff", payoff)
    payoff["value"] = 99
    assert tree.node("a").payoff == {"value": 3}


def test_changing_type_is_structural(tree, changes):
    tree.set_field("a", "type", "decision")
    assert changes[-1].structural and changes[-1].fields == {"type"}


def test_renaming_an_id_keeps_the_index(tree, changes):
    assert tree.set_field("b", "id", "bee") == "b"
    assert "b" not in tree and tree.node("bee").branch == "B"
    assert tree.parent_id("b1") == "bee" and tree.parent_id("bee") == "r"
    assert tree.ids() == ["r", "a", "bee", "b1", "b2", "c"]
    assert changes == [TreeChange("field", frozenset({"b", "bee"}), False, frozenset({"id"}))]
    tree.set_field("bee", "id", "b")
    assert tree.root == sample_tree().root


def test_renaming_to_a_used_id_is_refused(tree, changes):
    with pytest.raises(ValueError, match='id "c" is already used'):
        tree.set_field("a", "id", "c")
    assert tree.node("a").branch == "A" and tree.node("c").branch == "C" and changes == []


def test_x_keys_are_set_and_removed(tree, changes):
    assert tree.set_field("a", "x-colour", "red") is None
    assert tree.node("a").extras == {"x-colour": "red"}
    assert tree.set_field("a", "x-colour", None) == "red"
    assert tree.node("a").extras == {}
    tree.set_field("a", "x-colour", None)  # already absent: no change
    assert [c.fields for c in changes] == [frozenset({"x-colour"})] * 2


def test_set_meta(tree, changes):
    players = [Player("p", "P", {"value": 1})]
    assert tree.set_meta("title", "New") == "Untitled tree"
    assert tree.set_meta("players", players) is None
    players[0].name = "changed outside"
    assert tree.title == "New" and tree.players[0].name == "P"
    tree.set_meta("title", "New")
    assert changes == [TreeChange("meta", frozenset(), False, frozenset({"title"})),
                       TreeChange("meta", frozenset(), False, frozenset({"players"}))]


# ---- batches and the transaction guard -------------------------------------------------
def test_a_batch_emits_one_merged_change(tree, changes):
    with tree.batch():
        tree.set_field("a", "name", "Alpha")
        tree.add_subtree("r", 3, leaf("d"))
        with tree.batch():  # nested: still one change at the outermost end
            tree.set_meta("title", "T")
        assert changes == []
    assert changes == [TreeChange("batch", frozenset({"a", "r", "d"}), True,
                                  frozenset({"name", "title"}))]


def test_an_empty_batch_emits_nothing(tree, changes):
    with tree.batch():
        tree.set_field("a", "branch", "A")
    assert changes == []


def test_a_batch_that_fails_still_reports_what_changed(tree, changes):
    with pytest.raises(ValueError), tree.batch():
        tree.set_field("a", "name", "Alpha")
        tree.remove_subtree("r")
    assert len(changes) == 1 and changes[0].node_ids == {"a"}
    assert not tree.notifier.in_batch


def test_unsubscribe(tree, changes):
    tree.notifier.unsubscribe(changes.append)
    tree.set_field("a", "name", "x")
    assert changes == []


def test_require_batch_refuses_every_mutator_outside_a_batch(tree, changes):
    tree.notifier.require_batch = True
    before = tree.root.clone()
    attempts = [lambda: tree.add_subtree("r", 0, leaf("z")), lambda: tree.move_child("r", 0, 1),
                lambda: tree.set_field("a", "name", "x"), lambda: tree.set_meta("title", "x"),
                lambda: tree.remove_subtree("a")]
    for attempt in attempts:
        with pytest.raises(OutsideTransactionError):
            attempt()
    assert tree.root == before and tree.title == "Untitled tree" and changes == []
    with tree.batch():
        for attempt in attempts:
            attempt()
    assert len(changes) == 1 and tree.title == "x"


def test_without_the_guard_mutations_need_no_batch(tree):
    assert tree.notifier.require_batch is False
    tree.set_field("a", "name", "fine")


# ---- ids -------------------------------------------------------------------------------
def test_unique_id():
    assert unique_id("a", set()) == "a"
    assert unique_id("a", {"a"}) == "a-2"
    assert unique_id("a", {"a", "a-2", "a-3"}) == "a-4"
    assert unique_id("b1", sample_tree()) == "b1-2"


def test_missing_ids_become_path_ids():
    root = Node("", "decision", children=[
        leaf(""), Node("", "chance", children=[leaf("", probability=1), leaf("x", probability=0)])])
    assign_missing_ids(root, {"x"})
    assert [n.id for n in root.walk()] == ["n0", "n0.0", "n0.1", "n0.1.0", "x"]


def test_path_ids_are_made_unique():
    root = Node("n0.1", "decision", children=[leaf(""), leaf(""), leaf("n0.0")])
    assign_missing_ids(root, {"n0.1", "n0.0"})
    ids = [n.id for n in root.walk()]
    assert ids[0] == "n0.1" and ids[3] == "n0.0"
    assert sorted(ids[1:3]) == ["n0.0-2", "n0.1-2"] and len(set(ids)) == 4


def test_make_ids_unique_renames_a_pasted_copy():
    tree = sample_tree()
    paste = tree.node("b").clone()
    make_ids_unique(paste, set(tree.ids()))
    assert [n.id for n in paste.walk()] == ["b-2", "b1-2", "b2-2"]
    tree.add_subtree("r", 0, paste)
    assert len(set(tree.ids())) == len(tree.ids()) == 9


def test_make_ids_unique_against_the_tree_itself():
    tree = sample_tree()
    paste = tree.node("b").clone()
    paste.children[0].id = "b-2"  # taken by the pasted top once renamed
    make_ids_unique(paste, tree)
    assert [n.id for n in paste.walk()] == ["b-2", "b-2-2", "b2-2"]
    assert tree.ids() == ["r", "a", "b", "b1", "b2", "c"]


def test_make_ids_unique_within_the_copy_itself():
    paste = Node("x", "decision", children=[leaf("x"), leaf("y"), leaf("y")])
    make_ids_unique(paste, set())
    assert [n.id for n in paste.walk()] == ["x", "x-2", "y", "y-2"]
