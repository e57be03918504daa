"""Linked subtrees: a template's uses evaluate as the tree written out, keep in step with
their master through every mutator, undo exactly, and their problems are named."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from offramp_gui import interop
from offramp_gui.api import evaluate
from offramp_gui.fileformat.json_io import dumps, loads
from offramp_gui.model.events import TreeChange
from offramp_gui.model.templates import TemplateEditRefused, copy_id, substitute

VARIABLES = [{"name": "stakes", "value": 0.3}, {"name": "r", "value": 0.1},
             {"name": "cost", "value": 2}]


def doc_of(root: dict, variables: list | None = None) -> dict:
    return {"format": "offramp-tree", "version": 1, "title": "T",
            "variables": VARIABLES if variables is None else variables, "root": root}


def kremlin(node_id: str, p: str, cost: str, **place) -> dict:
    """The block as written out: escalate with chance `p`, paying -10 × `cost`."""
    return {"id": node_id, "type": "chance", "name": "Kremlin", **place, "children": [
        {"id": f"{node_id}-esc", "branch": "escalate", "type": "terminal", "probability": p,
         "payoff": f"-10 * {cost}"},
        {"id": f"{node_id}-acc", "branch": "accept", "type": "terminal",
         "probability": "#", "payoff": 5}]}


def three_uses() -> dict:
    """A master `m` and three uses: `b` binds stakes, `c` a number, `d` nothing."""
    master = kremlin("m", "stakes", "cost", branch="A",
                     template={"name": "K", "parameters": ["stakes", "cost"]})
    return doc_of({"id": "root", "type": "decision", "children": [
        master,
        {"id": "b", "branch": "B", "use": {"template": "K", "bind": {"stakes": "r + 0.1"}}},
        {"id": "c", "branch": "C", "use": {"template": "K", "bind": {"stakes": 0.5,
                                                                    "cost": "cost * 2"}}},
        {"id": "d", "branch": "D", "use": {"template": "K"}}]})


def test_the_app_tests_file_is_this_tree():
    saved = json.loads((Path(__file__).parents[1] / "data" / "three_uses.json").read_text())
    assert saved == dict(three_uses(), title="Three uses of one template")


def load(doc: dict):
    loaded = loads(json.dumps(doc))
    assert loaded.issues == [], [i.message for i in loaded.issues]
    return loaded.tree


def values(tree, ids) -> list[float]:
    results = evaluate(tree)
    return [float(results.expected[results.index(i), 0]) for i in ids]


def test_uses_take_the_master_with_their_bindings():
    tree = load(three_uses())
    assert [c.id for c in tree.node("b").children] == ["b__m-esc", "b__m-acc"]
    assert tree.node("b").type == "chance" and tree.node("b").name == "Kremlin"
    assert tree.node("b__m-esc").probability == "r + 0.1"
    assert tree.node("c__m-esc").probability == 0.5
    assert tree.node("c__m-esc").payoff == "-10 * (cost * 2)"
    assert tree.node("d__m-esc").probability == "stakes"
    # b: 0.2 × -20 + 0.8 × 5 = 0; c: 0.5 × -40 + 0.5 × 5 = -17.5; d: 0.3 × -20 + 0.7 × 5 = -2.5
    assert values(tree, ["m", "b", "c", "d"]) == pytest.approx([-2.5, 0, -17.5, -2.5])


def test_saving_keeps_the_links_and_not_the_copies():
    doc = three_uses()
    tree = load(doc)
    assert json.loads(dumps(tree)) == doc
    assert dumps(load(json.loads(dumps(tree)))) == dumps(tree)


@pytest.mark.parametrize("suffix", [".efg", ".graphml", ".dot", ".csv"])
def test_exports_write_the_tree_expanded(suffix, tmp_path):
    """Each export of the tree of uses is the export of the same tree with every use
    detached into ordinary nodes."""
    tree = load(three_uses())
    interop.write(tree, tmp_path / f"linked{suffix}")
    text = (tmp_path / f"linked{suffix}").read_text(encoding="utf-8")
    assert "b__m-esc" in text or "escalate" in text
    for use in "bcd":
        tree.set_field(use, "use", None)
    assert tree.links is not None and not tree.links.uses
    interop.write(tree, tmp_path / f"written{suffix}")
    assert (tmp_path / f"written{suffix}").read_text(encoding="utf-8") == text
    assert text.count("escalate") >= 4


# ---- the written-out tree and the tree of uses agree ------------------------------------
expressions = st.sampled_from(["0.1", "r", "r + 0.2", "stakes / 2", "min(r, 0.4)", "0.25"])
amounts = st.sampled_from(["cost", "cost * 3 - r", "2", "-cost", "max(cost, 1)"])
#: A master's shape: a leaf (its payoff's factor), or a chance or decision node's branches.
shapes = st.recursive(st.integers(-3, 3),
                      lambda below: st.tuples(st.sampled_from(["chance", "decision"]),
                                              st.lists(below, min_size=1, max_size=3)),
                      max_leaves=8)


def block(node_id: str, shape, p: str, cost: str) -> dict:
    """The subtree of `shape`, its formulas written with `p` and `cost` (a parameter's
    name in the master, the bound expression in parentheses when written out by hand)."""
    if isinstance(shape, int):
        return {"id": node_id, "type": "terminal", "payoff": f"{shape} + {cost} * {p}"}
    kind, below = shape
    kids = [block(f"{node_id}-{i}", child, p, cost) | {"branch": f"b{i}"}
            for i, child in enumerate(below)]
    if kind == "chance":
        for kid in kids[:-1]:
            kid["probability"] = f"({p}) / {len(kids) + 1}"
        kids[-1]["probability"] = "#"
    return {"id": node_id, "type": kind, "payoff": f"-{cost}", "children": kids}


@settings(max_examples=60, deadline=None)
@given(shapes.filter(lambda shape: not isinstance(shape, int)),
       st.lists(st.tuples(expressions, amounts), min_size=3, max_size=3))
def test_uses_evaluate_as_the_tree_written_out(shape, binds):
    """A random master used at three places with random bindings, against the same tree
    written out by hand: the bound expressions put in the master's formulas."""
    master = block("m", shape, "stakes", "cost") | {
        "branch": "M", "template": {"name": "T", "parameters": ["stakes", "cost"]}}
    used = [{"id": f"u{k}", "branch": f"U{k}",
             "use": {"template": "T", "bind": {"stakes": p, "cost": c}}}
            for k, (p, c) in enumerate(binds)]
    written = [block(f"u{k}", shape, f"({p})", f"({c})") | {"branch": f"U{k}"}
               for k, (p, c) in enumerate(binds)]
    unmarked = {key: value for key, value in master.items() if key != "template"}
    linked = load(doc_of({"id": "root", "type": "decision", "children": [master, *used]}))
    by_hand = load(doc_of({"id": "root", "type": "decision",
                           "children": [unmarked, *written]}))
    ids = ["root", "m", *(f"u{k}" for k in range(3))]
    assert values(linked, ids) == values(by_hand, ids)
    one, other = evaluate(linked), evaluate(by_hand)
    assert one.choice.tolist() == other.choice.tolist()


# ---- keeping in step --------------------------------------------------------------------
@pytest.fixture
def tree():
    return load(three_uses())


@pytest.fixture
def changes(tree) -> list[TreeChange]:
    seen: list[TreeChange] = []
    tree.notifier.subscribe(seen.append)
    return seen


def test_a_number_set_in_the_master_is_set_in_each_copy(tree, changes):
    tree.set_field("m-acc", "payoff", 7)
    assert [tree.node(f"{u}__m-acc").payoff for u in "bcd"] == [7, 7, 7]
    assert changes[-1].node_ids == {"m-acc", "b__m-acc", "c__m-acc", "d__m-acc"}
    assert not changes[-1].structural


def test_a_formula_set_in_the_master_is_bound_in_each_copy(tree):
    tree.set_field("m-esc", "probability", "stakes / 2")
    assert [tree.node(f"{u}__m-esc").probability for u in "bcd"] == [
        "(r + 0.1) / 2", "(0.5) / 2", "stakes / 2"]
    tree.set_field("m", "name", "Moscow")
    assert tree.node("b").name == "Moscow"


def test_branches_added_moved_and_removed_follow(tree, changes):
    from offramp_gui.model.tree import Node

    tree.add_subtree("m", 1, Node("m-grind", "terminal", branch="grind on", probability=0.1))
    assert [c.branch for c in tree.node("c").children] == ["escalate", "grind on", "accept"]
    assert "c__m-grind" in tree and changes[-1].structural
    assert {"b", "c", "d", "c__m-grind"} <= changes[-1].node_ids
    tree.move_child("m", 0, 2)
    assert [c.branch for c in tree.node("d").children] == ["grind on", "accept", "escalate"]
    tree.remove_subtree("m-grind")
    assert "c__m-grind" not in tree
    assert [c.branch for c in tree.node("b").children] == ["accept", "escalate"]


def test_undoing_master_edits_restores_every_use_exactly(tree):
    before = dumps(tree)
    expanded = [(n.id, n.type, n.probability, n.payoff) for n in tree.root.walk()]
    old = tree.set_field("m-esc", "probability", 0.9)
    parent, index, gone = tree.remove_subtree("m-acc")
    tree.add_subtree(parent, index, gone)
    tree.set_field("m-esc", "probability", old)
    assert dumps(tree) == before
    assert [(n.id, n.type, n.probability, n.payoff) for n in tree.root.walk()] == expanded


def test_a_node_inside_a_use_cannot_be_edited(tree):
    with pytest.raises(TemplateEditRefused, match="“escalate” is part of “B”, a use of"
                       " template “K”: edit the template, or Detach this use"):
        tree.set_field("b__m-esc", "probability", 0.4)
    with pytest.raises(TemplateEditRefused):
        tree.remove_subtree("c__m-acc")
    with pytest.raises(TemplateEditRefused):
        tree.set_field("b", "type", "terminal")
    tree.set_field("b", "probability", None)  # (its own place: allowed)
    tree.set_field("b", "notes", "mine")


def test_detach_keeps_the_copies_as_nodes_and_undoes_exactly(tree):
    expanded = dumps(tree)
    old = tree.set_field("b", "use", None)
    assert tree.node("b__m-esc").probability == "r + 0.1"
    tree.set_field("b__m-esc", "probability", 0.4)  # an ordinary node now
    saved = json.loads(dumps(tree))
    assert [c["id"] for c in saved["root"]["children"][1]["children"]] == ["b__m-esc",
                                                                            "b__m-acc"]
    tree.set_field("m-esc", "payoff", 1)
    assert tree.node("b__m-esc").payoff == "-10 * cost"  # no longer follows
    tree.set_field("m-esc", "payoff", "-10 * cost")
    tree.set_field("b__m-esc", "probability", "r + 0.1")
    tree.set_field("b", "use", old)
    assert dumps(tree) == expanded
    tree.set_field("m-acc", "payoff", 3)
    assert tree.node("b__m-acc").payoff == 3


def test_make_template_links_the_uses_waiting_for_it_and_undoes():
    doc = three_uses()
    del doc["root"]["children"][0]["template"]
    loaded = loads(json.dumps(doc))
    assert any("does not exist" in i.message for i in loaded.issues)
    tree = loaded.tree
    assert tree.node("b").children == []
    old = tree.set_field("m", "template", {"name": "K", "parameters": ["stakes", "cost"]})
    assert [c.id for c in tree.node("b").children] == ["b__m-esc", "b__m-acc"]
    tree.set_field("m", "template", old)
    assert tree.node("b").children == [] and tree.node("b").type == "terminal"


def test_deleting_and_restoring_a_use(tree):
    parent, index, gone = tree.remove_subtree("c")
    assert "c__m-esc" not in tree
    tree.set_field("m-acc", "payoff", 9)
    tree.add_subtree(parent, index, gone)
    assert tree.node("c__m-acc").payoff == 9


def test_nested_templates_apply_both_bindings():
    inner = kremlin("i", "stakes", "cost", branch="I",
                    template={"name": "Inner", "parameters": ["stakes"]})
    outer = {"id": "o", "type": "decision", "branch": "O",
             "template": {"name": "Outer", "parameters": ["cost"]},
             "children": [{"id": "v", "branch": "V",
                           "use": {"template": "Inner", "bind": {"stakes": "r"}}},
                          {"id": "o-out", "branch": "out", "type": "terminal"}]}
    tree = load(doc_of({"id": "root", "type": "decision", "children": [
        inner, outer, {"id": "w", "branch": "W", "use": {"template": "Outer",
                                                         "bind": {"cost": 7}}}]}))
    assert tree.node("w__v__i-esc").probability == "r"
    assert tree.node("w__v__i-esc").payoff == "-10 * (7)"
    tree.set_field("i-acc", "payoff", 1)
    assert tree.node("w__v__i-acc").payoff == 1


# ---- problems ---------------------------------------------------------------------------
def problems(doc: dict) -> list[str]:
    return [issue.message for issue in loads(json.dumps(doc)).issues]


def test_a_cycle_is_named():
    a = {"id": "a", "type": "decision", "branch": "A", "template": {"name": "A"},
         "children": [{"id": "x", "branch": "x", "use": {"template": "B"}}]}
    b = {"id": "b", "type": "decision", "branch": "B", "template": {"name": "B"},
         "children": [{"id": "y", "branch": "y", "use": {"template": "A"}}]}
    found = problems(doc_of({"id": "root", "type": "decision", "children": [a, b]}))
    assert "Template “A” uses “B”, which uses “A”" in found


def test_a_use_inside_its_own_master():
    a = {"id": "a", "type": "decision", "branch": "A", "template": {"name": "A"},
         "children": [{"id": "x", "branch": "again", "use": {"template": "A"}}]}
    found = problems(doc_of({"id": "root", "type": "decision", "children": [a]}))
    assert found == ["Template “A” uses itself: “again” stands inside its own master"]


def test_binding_problems_are_named():
    doc = three_uses()
    doc["root"]["children"][1]["use"]["bind"] = {"stake": "1", "stakes": "r +"}
    doc["root"]["children"][3]["use"] = {"template": "K", "bind": {"cost": "nowhere * 2"}}
    found = problems(doc)
    assert any(m.startswith("“B” binds “stake”, which is not a parameter of template “K”")
               for m in found)
    assert any(m.startswith("“B” binds “stakes” to “r +”, which is not a valid expression")
               for m in found)
    assert "“D” binds “cost” to “nowhere * 2”, which uses “nowhere”, not a variable of the" \
           " tree" in found
    doc = three_uses()
    doc["root"]["children"][3]["use"]["template"] = "Q"
    assert "“D” uses template “Q”, which does not exist; the templates are “K”" in problems(doc)


def test_a_use_with_content_of_its_own_is_refused():
    doc = three_uses()
    doc["root"]["children"][1]["type"] = "chance"
    found = loads(json.dumps(doc)).issues
    assert found and not found[0].fixable
    assert 'takes its "type" from the template' in found[0].message


def test_substitution_works_on_words_not_text():
    assert substitute("stakes2 + stakes * 2", {"stakes": "a + 1"}) == "stakes2 + (a + 1) * 2"
    assert substitute({"v": "stakes", "w": 3}, {"stakes": "4"}) == {"v": 4, "w": 3}
    assert substitute("#", {"stakes": "4"}) == "#"


def test_copy_ids_stay_ids():
    assert copy_id("k2", "escalate") == "k2__escalate"
    long = copy_id("u" * 60, "m" * 60)
    assert len(long) <= 60 and long == copy_id("u" * 60, "m" * 60)
    assert long != copy_id("u" * 60, "n" * 60)


def test_renaming_a_variable_renames_parameters_and_bindings(tree):
    from offramp_gui.model import refactor

    refactor.apply(tree, refactor.rename(tree, "variable", "r", "rate"))
    refactor.apply(tree, refactor.rename(tree, "variable", "stakes", "risk"))
    assert tree.node("m").template["parameters"] == ["risk", "cost"]
    assert tree.node("b").use["bind"] == {"risk": "rate + 0.1"}
    assert tree.node("b__m-esc").probability == "rate + 0.1"
    assert tree.node("d__m-esc").probability == "risk"
    assert problems(json.loads(dumps(tree))) == []


# ---- the app's live evaluation takes each master edit -----------------------------------
@pytest.mark.parametrize("steps", [
    [("set_field", "m-acc", "payoff", 11)],
    [("set_field", "m-esc", "probability", 0.05)],
    [("set_field", "m-esc", "probability", "stakes / 3")],
    [("set_field", "m-acc", "type", "chance"),
     ("add_subtree", "m-acc", 0, "leaf")],
    [("remove_subtree", "m-acc"), ("set_field", "m-esc", "probability", 1)],
    [("move_child", "m", 0, 1)],
    [("set_field", "b", "use", {"template": "K", "bind": {"stakes": 0.9}})],
    [("set_field", "c", "use", None)],
])
def test_live_evaluation_follows_the_copies(steps):
    """Each change names the copies it made, so the live results are a full one's."""
    from offramp_gui.analysis.evaluate import evaluate as evaluate_flat
    from offramp_gui.analysis.flatten import flatten
    from offramp_gui.analysis.live import LiveEvaluation
    from offramp_gui.model.tree import Node

    tree = load(three_uses())
    live = LiveEvaluation(tree)
    seen: list[TreeChange] = []
    tree.notifier.subscribe(seen.append)
    with tree.batch():
        for name, *args in steps:
            if args[-1] == "leaf":
                args[-1] = Node("new", "terminal", branch="new", probability=1, payoff=3)
            getattr(tree, name)(*args)
    assert len(seen) == 1
    taken = live.apply(tree, seen[0])
    if steps[0][1:3] in (["m-acc", "payoff"], ["b", "use"]):
        assert taken, "a number set in a master, or a binding, is taken without a full" \
            " evaluation"
    if not taken:
        live = LiveEvaluation(tree)
    mine, full = live.results(), evaluate_flat(flatten(tree))
    assert list(mine.flat.ids) == list(full.flat.ids)
    np.testing.assert_array_equal(mine.expected, full.expected)
    np.testing.assert_array_equal(mine.probability, full.probability)


@pytest.mark.parametrize("use", [
    {"template": "K", "bind": {"stakes": 0.9}},
    {"template": "K", "bind": {"stakes": "r * 2", "cost": 4}},
    {"template": "K"}])
def test_a_new_binding_binds_the_same_copies_again_as_a_change_of_numbers(use):
    tree = load(three_uses())
    ids = [node.id for node in tree.root.walk()]
    seen: list[TreeChange] = []
    tree.notifier.subscribe(seen.append)
    tree.set_field("c", "use", use)
    assert not seen[0].structural and {"probability", "payoff"} <= seen[0].fields
    assert [node.id for node in tree.root.walk()] == ids  # the same nodes, kept
    afresh = load(json.loads(dumps(tree)))  # as expanding it anew gives
    for node in tree.root.walk():
        again = afresh.node(node.id)
        assert (node.probability, node.payoff) == (again.probability, again.payoff), node.id
    assert values(tree, ["c"]) == values(afresh, ["c"])
    tree.set_field("c", "use", three_uses()["root"]["children"][2]["use"])  # undone
    assert values(tree, ["c"]) == pytest.approx([-17.5])


def test_make_template_and_detach_for_scripts():
    from offramp_gui.model import templates

    doc = three_uses()
    del doc["root"]["children"][0]["template"]
    tree = loads(json.dumps(doc)).tree
    templates.make_template(tree, "m", "K", ["stakes", "cost"])
    assert tree.node("c__m-esc").probability == 0.5
    with pytest.raises(ValueError, match="already a template “K”"):
        templates.make_template(tree, "root", "K", [])
    templates.detach(tree, "c")
    assert json.loads(dumps(tree))["root"]["children"][2]["children"][0]["id"] == "c__m-esc"
    with pytest.raises(ValueError, match="not a use"):
        templates.detach(tree, "c")


def test_renaming_a_use_renames_its_copies_and_back(tree):
    tree.set_field("b", "id", "bb")
    assert [c.id for c in tree.node("bb").children] == ["bb__m-esc", "bb__m-acc"]
    assert "b__m-esc" not in tree
    tree.set_field("bb", "id", "b")
    assert dumps(tree) == dumps(load(three_uses()))


def test_deleting_the_master_leaves_the_uses_waiting_and_undo_restores_them(tree):
    expanded = dumps(tree)
    parent, index, gone = tree.remove_subtree("m")
    assert tree.node("b").children == []
    assert "“B” uses template “K”, which does not exist; the templates are none" in [
        issue.message for issue in tree.links.problems]
    tree.add_subtree(parent, index, gone)
    assert dumps(tree) == expanded
    assert [c.id for c in tree.node("d").children] == ["d__m-esc", "d__m-acc"]
