"""The node field table: each field round-trips, both readers agree on it, it has undo
words, the graph exports carry it, and the format reference documents it."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from offramp_gui.analysis.flatten import flatten_columns
from offramp_gui.fileformat.fastpath import read_plain
from offramp_gui.fileformat.json_io import dumps, loads
from offramp_gui.interop.graph import flat_graph, to_networkx
from offramp_gui.model.columns import NodeColumns, columns_of
from offramp_gui.model.fields import FIELDS, VALUE_FIELDS, Kind
from offramp_gui.model.tree import Node

ROOT = Path(__file__).resolve().parents[2]
#: Wrong for every kind: not text, a flag, a number, an object, nor a list of nodes.
WRONG = [True]

by_name = pytest.mark.parametrize("field", FIELDS, ids=lambda field: field.name)


def write(folder: Path, doc: dict) -> Path:
    path = folder / "tree.json"
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def read_fast(path: Path) -> NodeColumns | None:
    """The columns the command line's quick reader takes, or None if it declines."""
    plain = read_plain(path)
    if plain is None or flatten_columns(*plain).suspect:
        return None
    return plain[1]


@by_name
def test_field_round_trips(field, field_document):
    doc, node = field_document(field)
    loaded = loads(json.dumps(doc))
    assert loaded.issues == []
    model = loaded.tree.node(node["id"])
    if field.kind is Kind.CHILDREN:
        assert [child.id for child in model.children] == [c["id"] for c in node["children"]]
    else:
        assert getattr(model, field.name) == node[field.name]
    text = dumps(loaded.tree)
    assert json.loads(text) == doc
    assert dumps(loads(text).tree) == text


@by_name
def test_both_readers_agree_on_a_good_value(field, field_document, tmp_path):
    doc, _node = field_document(field)
    path = write(tmp_path, doc)
    fast = read_fast(path)
    careful = loads(path.read_bytes())
    assert careful.issues == []
    if field.kind in (Kind.TEMPLATE, Kind.USE):
        assert fast is None, "uses are expanded by the careful reader alone"
        return
    if field.name == "information_set":
        assert fast is None, "information sets are checked by the careful reader alone"
        return
    assert fast is not None, "the quick reader declines a plainly valid file"
    assert dataclasses.replace(fast, source=None) == columns_of(careful.tree.root)


@by_name
def test_both_readers_refuse_a_value_of_the_wrong_type(field, field_document, tmp_path):
    doc, node = field_document(field, WRONG)
    path = write(tmp_path, doc)
    assert read_fast(path) is None
    issues = loads(path.read_bytes()).issues
    assert any(issue.field == field.name or issue.path.endswith(f".{field.name}")
               for issue in issues), [issue.message for issue in issues]


@by_name
def test_field_has_undo_words(field):
    if field.kind is Kind.CHILDREN:
        # Branches are added, deleted and moved by steps with words of their own.
        assert field.undo_text is None
    else:
        assert field.undo_text and field.undo_text[0].isupper()


@by_name
def test_graph_exports_carry_the_field(field, field_document):
    doc, node = field_document(field)
    attributes = flat_graph(to_networkx(loads(json.dumps(doc)).tree)).nodes[node["id"]]
    if field.graph_attribute:
        assert attributes[field.name] == node[field.name]
    elif field.kind in (Kind.TEMPLATE, Kind.USE):
        # The graphs hold the tree expanded: a use's copies, not its link.
        assert field.name not in attributes
        assert "d__esc" in to_networkx(loads(json.dumps(doc)).tree)
    else:
        assert field.kind in (Kind.ID, Kind.EXPRESSION, Kind.PAYOFF, Kind.CHILDREN), \
            "only fields with export code of their own may be left out"


@by_name
def test_format_reference_documents_the_field(field):
    assert f"`{field.name}`" in (ROOT / "docs" / "format.md").read_text(encoding="utf-8")


def test_a_node_has_every_field_and_no_other_attribute():
    optional = [field.name for field in VALUE_FIELDS if field.name not in ("id", "type")]
    node = Node("a", "chance")
    assert [getattr(node, name) for name in optional] == [None] * len(optional)
    filled = Node("a", "chance", **{name: name for name in optional})
    assert [getattr(filled, name) for name in optional] == optional
    assert filled.clone() == filled != node
    with pytest.raises(AttributeError):
        node.nodes = "a typo"


def test_engine_columns_follow_the_table():
    per_node = [f.name for f in dataclasses.fields(NodeColumns)
                if f.name not in ("counts", "levels", "source", "information_sets")]
    assert sorted(per_node) == sorted(field.column for field in FIELDS if field.column)


def test_field_names_are_unique():
    names = [field.name for field in FIELDS]
    assert len(set(names)) == len(names)
