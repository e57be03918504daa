"""Qt-free fixtures; GUI tests add theirs in tests/gui/conftest.py."""
from __future__ import annotations

import gc
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from offramp_gui.model import collector

# Set before any test module can import Qt: GUI tests run with no display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
EVERY_FIELD = ROOT / "tests" / "data" / "every_field.json"
#: The fields of linked subtrees are tried on a tree of their own: every_field.json stays
#: a file the command line's quick reader takes.
TEMPLATE_FIELDS = ROOT / "tests" / "data" / "template_fields.json"
#: What a plain field the file lacks holds in the documents `field_document` makes.
PLAIN_SAMPLES: dict[type, object] = {str: "A sample — with “quotes” ✓", bool: True}


@pytest.fixture(autouse=True)
def private_state_dir(tmp_path_factory, monkeypatch):
    """Crash-recovery files of each test go to a folder of its own, never the user's
    (and not inside tmp_path, which some tests expect to find empty)."""
    folder = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("OFFRAMP_STATE_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def collector_as_it_was():
    """A large tree read leaves every object out of the cycle collector's scans for the
    rest of the process (`collector.keep_out`): each test starts with none left out."""
    yield
    gc.unfreeze()
    collector.kept_out = False


def _nodes_and_depths(doc: dict) -> Iterator[tuple[dict, int]]:
    stack = [(doc["root"], 0)]
    while stack:
        node, depth = stack.pop()
        yield node, depth
        stack.extend((child, depth + 1) for child in reversed(node.get("children", [])))


_UNSET = object()


@pytest.fixture
def field_document():
    """Factory: tests/data/every_field.json as data, with `field` on a node, and that
    node. The deepest node that holds the field is taken; a plain field the file lacks
    is given a sample value on the deepest node the format gives it. `value`, if
    given, replaces the field's value on that node."""
    def make(field, value: object = _UNSET) -> tuple[dict, dict]:
        source = TEMPLATE_FIELDS if field.name in ("template", "use") else EVERY_FIELD
        doc = json.loads(source.read_text(encoding="utf-8"))
        nodes = list(_nodes_and_depths(doc))
        holding = [(node, depth) for node, depth in nodes if field.name in node]
        if not holding:
            if field.json_type not in PLAIN_SAMPLES:
                pytest.fail(f"{EVERY_FIELD.name} has no {field.name!r}: give a node one")
            holding = [(node, depth) for node, depth in nodes if node["type"] in field.on
                       and (field.on_root or depth > 0)]
            value = PLAIN_SAMPLES[field.json_type] if value is _UNSET else value
        node = max(holding, key=lambda pair: pair[1])[0]
        if value is not _UNSET:
            node[field.name] = value
        return doc, node
    return make
