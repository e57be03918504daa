"""Exported trees (Export Image, `offramp export`, the briefing) write every label whole:
a name that its numbers leave no room beside goes on lines under them, a template mark
under the name, an ending's outcome and the root's name whole, and each takes room of
its own; the canvas still elides them."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from offramp_gui.api import load, load_text
from offramp_gui.gui.export import build_scene, export_rect, export_tree, svg_bytes
from offramp_gui.gui.scene.information_sets import JoinItem
from offramp_gui.gui.scene.node_item import NodeItem
from offramp_gui.gui.scene.tree_scene import TreeScene
from offramp_gui.model.layout import visible_nodes
from offramp_gui.model.tree import Tree

TREES = Path(__file__).resolve().parents[2] / "trees"
SVG = "{http://www.w3.org/2000/svg}"


def svg_texts(path: Path) -> list[str]:
    return [t.text or "" for t in ET.parse(path).getroot().iter(f"{SVG}text")]


def labels_shown(tree: Tree, expanded: bool) -> list[str]:
    """Every text of the tree an export draws: the names and branch labels of the nodes
    no fold hides, their template marks and their endings' outcomes."""
    outcomes = {o.id: o.name for o in tree.outcomes or []}
    texts = []
    for node in visible_nodes(tree.root, (lambda _n: False) if expanded else None):
        texts += [text for text in (node.name, node.branch) if text]
        if node.use is not None:
            texts.append(f"use of {node.use['template']}")
        if node.template is not None:
            texts.append(f"template {node.template['name']}")
        if node.outcome in outcomes:
            texts.append(outcomes[node.outcome])
    return texts


@pytest.mark.parametrize("expanded", [False, True])
def test_the_svg_of_the_off_ramp_tree_has_every_label_whole(expanded, tmp_path, qapp):
    tree = load(TREES / "offramp.json")
    out = tmp_path / "tree.svg"
    export_tree(tree, out, expanded=expanded)
    texts = svg_texts(out)
    assert not [text for text in texts if "…" in text]
    # A text wrapped into lines is written a line after the other.
    written = " ".join(" ".join(texts).split())
    wanted = labels_shown(tree, expanded)
    assert "Kremlin response to a stalemate" in wanted
    assert any(text.startswith("use of ") for text in wanted)
    assert [text for text in wanted if " ".join(text.split()) not in written] == []


def test_the_information_sets_names_are_whole(tmp_path, qapp):
    tree = load(TREES / "resolve.json")
    out = tmp_path / "game.svg"
    export_tree(tree, out)
    texts = svg_texts(out)
    assert not [text for text in texts if "…" in text]
    written = " ".join(" ".join(texts).split())
    sets = {node.information_set for node in tree.root.walk() if node.information_set}
    assert "Resolved West, after maximalist rhetoric and escalation" in sets
    assert [name for name in sets if name not in written] == []
    assert [text for text in labels_shown(tree, False) if text not in written] == []


def under_branch_bottom(item: NodeItem) -> float:
    """How far down in the scene what the node writes under its branch reaches."""
    small, look = item.theme.small, item.look
    lines = look.formula_line + len(look.name_lines) + len(look.mark_lines)
    return item.scenePos().y() + small.ascent + 3 + lines * small.line_spacing + small.descent


def label_top(item: NodeItem) -> float:
    """How far up in the scene the node's branch label reaches."""
    body = item.theme.body
    lines = max(1, len(item.look.branch_lines))
    return item.scenePos().y() - body.descent - 3 - (lines - 1) * body.line_spacing \
        - body.ascent


@pytest.mark.parametrize("name", ["offramp.json", "resolve.json"])
def test_the_lines_under_a_branch_end_above_the_next_label_in_its_column(name, qapp):
    scene = build_scene(load(TREES / name), expanded=True)
    items = [item for item in scene.items() if isinstance(item, NodeItem)]
    assert any(item.look.name_lines for item in items)
    columns: dict[float, list[NodeItem]] = {}
    for item in items:
        if item.look.parent_offset is not None:
            columns.setdefault(item.scenePos().x(), []).append(item)
    joins = [join for join in scene.items() if isinstance(join, JoinItem)]
    under = 0  # sets' names found under their first node
    for column in columns.values():
        column.sort(key=lambda item: item.scenePos().y())
        for upper, lower in zip(column, column[1:]):
            bottom = under_branch_bottom(upper)
            for join in joins:  # a set's name under its first node
                first = join.points[0]
                if abs(first.y() - upper.scenePos().y()) < 1 and \
                        abs(first.x() - upper.scenePos().x()) <= 6:
                    assert join.label_rect().top() >= bottom - 1
                    bottom = join.label_rect().bottom()
                    under += 1
            assert bottom < label_top(lower), (upper.node_id, lower.node_id)
    assert under == (len(joins) if name == "resolve.json" else 0)
    scene.clear()


LONG = """{"format": "offramp-tree", "version": 1, "title": "Long texts",
 "outcomes": [{"id": "o", "name": "An outcome whose name runs on far past the room of a label"}],
 "root": {"id": "r", "type": "decision", "name": "A root whose name is far too long for one line",
  "children": [
   {"id": "a", "branch": "First", "type": "chance",
    "name": "A chance node whose own name is much longer than its branch", "children": [
     {"id": "t1", "branch": "Ending", "type": "terminal", "outcome": "o", "payoff": 1,
      "probability": 0.5},
     {"id": "t2", "branch": "Other ending", "type": "terminal", "payoff": 2,
      "probability": 0.5}]},
   {"id": "b", "branch": "Second", "type": "terminal", "payoff": 0}]}}"""


def test_the_image_is_large_enough_for_the_whole_texts(qapp):
    scene = build_scene(load_text(LONG))
    bounds = export_rect(scene)
    ending, root = scene.item_for_node("t1"), scene.item_for_node("r")
    small = ending.theme.small
    outcome = "An outcome whose name runs on far past the room of a label"
    assert ending.look.outcome == outcome
    assert bounds.right() > ending.scenePos().x() + small.advance(outcome)
    # the root's name in lines on its left, rising from where one line would be
    assert " ".join(root.look.name_lines) == "A root whose name is far too long for one line"
    assert len(root.look.name_lines) > 1
    assert root.text_rect().height() > 2 * len(root.look.name_lines) * small.height / 2
    chance = scene.item_for_node("a")
    assert " ".join(chance.look.name_lines) == \
        "A chance node whose own name is much longer than its branch"
    text = chance.mapRectToScene(chance.text_rect())
    assert text.bottom() >= under_branch_bottom(chance)
    scene.clear()


def test_the_canvas_still_elides(make_controller, qapp):
    scene = TreeScene(make_controller(load_text(LONG)))
    assert not scene.theme.whole_labels
    texts = [t.text or "" for t in ET.fromstring(svg_bytes(scene)).iter(f"{SVG}text")]
    assert [text for text in texts if text.startswith("A chance node")] == \
        [text for text in texts if text.startswith("A chance node") and text.endswith("…")]
    assert any(text.startswith("A chance node") for text in texts)
    assert any(text.startswith("An outcome") and text.endswith("…") for text in texts)
    scene.clear()
