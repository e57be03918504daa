"""Saving is lossless, canonical and atomic; every bundled tree round-trips byte for byte."""
from __future__ import annotations

import hashlib
import json
import math
import os
import stat
import sys
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

with warnings.catch_warnings():
    # On a failure hypothesis imports libcst, which warns (an error under our filterwarnings)
    # and turns the failure into a pytest INTERNALERROR; import it here, quietly, instead.
    warnings.simplefilter("ignore", DeprecationWarning)
    try:
        import hypothesis.extra._patching  # noqa: F401
    except ImportError:
        pass

from offramp_gui.api import load, load_text, save
from offramp_gui.fileformat.atomic import SaveError
from offramp_gui.fileformat.json_io import dumps, loads, read_file, to_dict
from offramp_gui.fileformat.limits import deep_recursion
from offramp_gui.model.limits import MAX_DEPTH
from offramp_gui.model.tree import Criterion, Node, Outcome, Player, Tree, Variable

# Every bundled tree, the reference models in trees/reference/ too.
TREES = sorted((Path(__file__).resolve().parents[2] / "trees").rglob("*.json"))
SETTINGS = ("title", "description", "sources", "criteria", "players", "variables", "outcomes",
            "extras")


def same_model(a: Tree, b: Tree) -> bool:
    return a.root == b.root and all(getattr(a, k) == getattr(b, k) for k in SETTINGS)


def small_tree() -> Tree:
    root = Node("r", "decision", name="Choose", children=[
        Node("c", "chance", branch="Gamble", children=[
            Node("w", "terminal", branch="Win", probability="p", payoff=10, outcome="good"),
            Node("l", "terminal", branch="Lose", probability="#", payoff=-5)]),
        Node("s", "terminal", branch="Safe", payoff=1, notes="plain <b>text</b>")])
    tree = Tree(root, "Small — “quoted” tree")
    tree.variables = [Variable("p", 0.4, 0, 1)]
    tree.outcomes = [Outcome("good", "Good", "#00ff00")]
    return tree


# ---- lossless, canonical text ----------------------------------------------------------------
def test_load_dumps_load_gives_an_equal_model():
    first = load_text(dumps(small_tree()))
    assert same_model(first, small_tree())
    assert same_model(load_text(dumps(first)), first)


def test_x_keys_are_kept_everywhere():
    doc = json.loads(dumps(small_tree()))
    doc["x-top"] = {"nested": [1, 2.5, None, True, "é"]}
    doc["root"]["x-node"] = "kept"
    doc["root"]["children"][0]["children"][1]["x-deep"] = [{"a": 1}]
    doc["variables"][0]["x-var"] = 1
    doc["outcomes"][0]["x-out"] = False
    doc["criteria"] = [{"id": "value", "name": "Value", "x-crit": {}}]
    doc["players"] = [{"id": "me", "name": "Me", "weights": {"value": 1}, "x-pl": 0}]
    text = dumps(load_text(json.dumps(doc)))
    assert json.loads(text) == doc
    tree = load_text(text)
    assert tree.extras == {"x-top": {"nested": [1, 2.5, None, True, "é"]}}
    assert tree.node("l").extras == {"x-deep": [{"a": 1}]}


def test_x_keys_sit_before_root_and_after_node_fields():
    doc = json.loads(dumps(small_tree()))
    doc = {"x-first": 1, **doc}
    doc["root"] = {"x-early": 1, **doc["root"]}
    out = json.loads(dumps(load_text(json.dumps(doc))))
    assert list(out)[-2:] == ["x-first", "root"]
    assert list(out["root"])[-2:] == ["x-early", "children"]


def test_missing_ids_are_written_back_as_path_ids():
    doc = {"format": "offramp-tree", "version": 1, "title": "t", "root": {
        "type": "chance", "children": [
            {"type": "terminal", "probability": 0.5},
            {"id": "n0.1", "type": "decision", "probability": "#",
             "children": [{"type": "terminal"}]}]}}
    out = json.loads(dumps(load_text(json.dumps(doc))))
    assert out["root"]["id"] == "n0"
    assert out["root"]["children"][0]["id"] == "n0.0"
    assert out["root"]["children"][1]["children"][0]["id"] == "n0.1.0"
    assert list(out["root"]) == ["id", "type", "children"]


def test_stable_indented_json_with_trailing_newline():
    text = dumps(small_tree())
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text.startswith('{\n  "format": "offramp-tree",\n  "version": 1,\n  "title": ')
    assert '"Small — “quoted” tree"' in text  # not \u escapes
    assert list(json.loads(text)) == ["format", "version", "title", "variables", "outcomes",
                                      "root"]
    node = json.loads(text)["root"]["children"][0]["children"][0]
    assert list(node) == ["id", "type", "branch", "probability", "payoff", "outcome"]
    assert dumps(load_text(text)) == text


def test_key_order_of_the_input_does_not_matter():
    doc = json.loads(dumps(small_tree()))
    shuffled = dict(reversed(doc.items()))
    shuffled["root"] = dict(reversed(doc["root"].items()))
    assert dumps(load_text(json.dumps(shuffled))) == dumps(small_tree())


def test_a_bom_is_not_written_back():
    text = dumps(small_tree())
    assert dumps(load_text(b"\xef\xbb\xbf" + text.encode())) == text


@pytest.mark.parametrize("path", TREES or [None], ids=lambda p: p.name if p else "none")
def test_every_bundled_tree_round_trips_byte_for_byte(path):
    if path is None:
        pytest.skip("trees/ holds no *.json")
    assert dumps(load(path)) == path.read_text(encoding="utf-8")


def todays_writer(tree: Tree) -> str:
    """The writer as it was: one recursive json.dumps of the whole document."""
    with deep_recursion():
        return json.dumps(to_dict(tree), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


EVERY_FIELD = Path(__file__).resolve().parents[1] / "data" / "every_field.json"


@pytest.mark.parametrize("path", TREES + [EVERY_FIELD], ids=lambda p: p.name)
def test_the_node_by_node_writer_writes_what_json_dumps_wrote(path):
    tree = load(path)
    assert dumps(tree) == todays_writer(tree)


def chain(depth: int, side_branches: bool = False) -> Tree:
    """A tree `depth` levels deep: chance nodes down to one terminal."""
    node = Node(f"n{depth}", "terminal", branch="end", probability="#", payoff={"a": 1})
    for level in reversed(range(depth)):
        children = [node]
        if side_branches:
            children.append(Node(f"s{level}", "terminal", branch="side", probability=0.25))
        node = Node(f"n{level}", "chance", branch=f"b{level}", children=children)
    node.branch = None
    return Tree(node, "Deep")


@pytest.mark.parametrize("side_branches", [False, True])
def test_a_tree_as_deep_as_the_limit_is_written_as_before(side_branches):
    tree = chain(MAX_DEPTH, side_branches)
    assert dumps(tree) == todays_writer(tree)


def ids_in_order(doc: dict) -> list[str]:
    out, stack = [], [doc["root"]]
    while stack:
        node = stack.pop()
        out.append(node["id"])
        stack.extend(reversed(node.get("children", [])))
    return out


def test_a_tree_5000_levels_deep_saves_and_reads_back(tmp_path):
    tree = chain(5000, side_branches=True)
    path = tmp_path / "deep.json"
    save(tree, path)
    loaded = read_file(path)  # refused (too deep) with a message, not a RecursionError
    assert loaded.issues and "deep" in loaded.issues[0].message
    # Below the limit, nodes keep the indented layout; deeper ones take one line each,
    # so the file grows with the depth, not its square.
    text = path.read_text(encoding="utf-8")
    assert len(text) < 30 * 2**20
    assert f'\n{" " * (2 + 4 * MAX_DEPTH)}{{\n' in text
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(40_000)  # json.loads follows nesting by recursion
    try:
        doc = json.loads(text)
    finally:
        sys.setrecursionlimit(limit)
    assert ids_in_order(doc) == [node.id for node in tree.root.walk()]
    assert doc["title"] == "Deep"


# ---- save ---------------------------------------------------------------------------------
def test_save_writes_the_canonical_text_and_keeps_a_backup(tmp_path):
    path = tmp_path / "tree.json"
    save(small_tree(), path)
    assert path.read_text() == dumps(small_tree())
    assert not (tmp_path / "tree.json.bak").exists()
    old = path.read_bytes()
    edited = small_tree()
    edited.title = "Edited"
    save(edited, path)
    assert load(path).title == "Edited"
    assert (tmp_path / "tree.json.bak").read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tree.json", "tree.json.bak"]


def test_save_keeps_permissions(tmp_path):
    path = tmp_path / "tree.json"
    path.write_text("{}")
    path.chmod(0o640)
    save(small_tree(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_save_through_a_symlink_updates_the_target(tmp_path):
    target = tmp_path / "real" / "tree.json"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    save(small_tree(), link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == dumps(small_tree())
    assert (target.parent / "tree.json.bak").read_text() == "old"


def test_a_tree_that_cannot_be_encoded_is_refused_untouched(tmp_path):
    path = tmp_path / "tree.json"
    path.write_text("precious")
    tree = small_tree()
    tree.root.name = "half a pair \ud800"
    with pytest.raises(SaveError, match="cannot be written"):
        save(tree, path)
    assert path.read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["tree.json"]


def test_a_non_finite_number_is_refused(tmp_path):
    path = tmp_path / "tree.json"
    tree = small_tree()
    tree.node("s").payoff = math.inf
    with pytest.raises(SaveError):
        save(tree, path)
    assert not path.exists()


def test_save_into_a_missing_folder(tmp_path):
    with pytest.raises(SaveError, match="does not exist"):
        save(small_tree(), tmp_path / "nope" / "tree.json")


# ---- property: random valid trees survive dumps -> loads ----------------------------------------
labels = st.text(max_size=12)
ids = st.from_regex(r"[A-Za-z0-9_.-]{1,8}", fullmatch=True)
numbers = st.one_of(st.integers(-10**6, 10**6),
                    st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False))
json_values = st.recursive(
    st.none() | st.booleans() | numbers | labels,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(labels, inner, max_size=3),
    max_leaves=6)
extras = st.dictionaries(st.from_regex(r"x-[a-z]{1,5}", fullmatch=True), json_values, max_size=2)


@st.composite
def random_trees(draw) -> Tree:
    criteria = [Criterion(f"c{k}", draw(labels), draw(st.none() | labels))
                for k in range(draw(st.integers(1, 3)))]
    players = [Player(f"p{k}", draw(labels), {c.id: draw(numbers) for c in criteria})
               for k in range(draw(st.integers(1, 3)))]
    outcomes = [Outcome(f"o{k}", draw(labels), draw(st.sampled_from([None, "#123", "#a0b1c2"])))
                for k in range(draw(st.integers(0, 2)))]
    counter = iter(range(10**6))
    taken: set[str] = set()

    def node_id() -> str:
        base = draw(ids)
        return base if base not in taken else f"{base}-{next(counter)}"

    def payoff():
        if len(criteria) == 1 and draw(st.booleans()):
            return draw(numbers)
        return draw(st.dictionaries(st.sampled_from([c.id for c in criteria]), numbers))

    def build(depth: int, probability=None, is_root=False) -> Node:
        kind = "terminal" if depth == 0 else draw(st.sampled_from(["decision", "chance",
                                                                    "terminal"]))
        node = Node(node_id(), kind, probability=probability, extras=draw(extras))
        taken.add(node.id)
        node.branch = None if is_root else draw(st.none() | labels)
        node.name, node.notes = draw(st.none() | labels), draw(st.none() | labels)
        node.payoff = payoff() if draw(st.booleans()) else None
        node.collapsed = draw(st.sampled_from([None, True, False]))
        if kind == "terminal":
            node.outcome = draw(st.sampled_from([None] + [o.id for o in outcomes]))
            return node
        if kind == "decision":
            node.player = draw(st.sampled_from([p.id for p in players]))
            node.solve = draw(st.sampled_from([None, "best"]))
        count = draw(st.integers(1, 3))
        weights = draw(st.lists(st.integers(1, 9), min_size=count, max_size=count))
        chances = [w / sum(weights) for w in weights]
        if draw(st.booleans()):
            chances[-1] = "#"
        for k in range(count):
            p = chances[k] if kind == "chance" else None
            node.children.append(build(depth - 1, p))
        return node

    tree = Tree(build(draw(st.integers(0, 3)), is_root=True), draw(labels))
    tree.description = draw(st.none() | labels)
    tree.criteria, tree.players, tree.outcomes = criteria, players, outcomes or None
    tree.extras = draw(extras)
    tree.reindex()
    return tree


@settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_trees())
def test_random_valid_trees_survive_dumps_and_loads(tree):
    text = dumps(tree)
    loaded = loads(text)
    assert loaded.issues == []
    assert same_model(loaded.tree, tree)
    assert dumps(loaded.tree) == text == todays_writer(tree)


def test_a_tree_over_the_file_size_limit_indented_is_saved_on_one_line(tmp_path,
                                                                        monkeypatch):
    """Indents make a large tree's file three to six times its size on one line: past
    the limit, the nodes are written on one line, so that the file opens again."""
    from offramp_gui.fileformat import json_io

    tree = load(Path(__file__).resolve().parents[2] / "trees" / "offramp.json")
    canonical = dumps(tree).encode("utf-8")
    monkeypatch.setattr(json_io, "MAX_FILE_BYTES", len(canonical) - 1)
    out = tmp_path / "large.json"
    save(tree, out)
    written = out.read_bytes()
    assert len(written) < 0.8 * len(canonical)  # (its long settings stay as they were)
    head, nodes = written.split(b'"root": ', 1)
    assert canonical.startswith(head) and nodes.count(b"\n") == 2  # its last "}" alone
    assert to_dict(load(out)) == to_dict(tree) and json.loads(written) == json.loads(canonical)
    monkeypatch.setattr(json_io, "MAX_FILE_BYTES", len(canonical))  # fits: canonical
    save(tree, out)
    assert out.read_bytes() == canonical


@pytest.mark.parametrize("room", [-1, 0, 10**9])
def test_the_digest_of_a_file_is_of_the_bytes_a_save_writes(tmp_path, monkeypatch, room):
    """Over the limit, at it, and well within it (a briefing's footer names the text
    the tree would be saved as)."""
    from offramp_gui.fileformat import json_io

    tree = load(Path(__file__).resolve().parents[2] / "trees" / "offramp.json")
    tree.root.children[0].name = "Ukraine’s choice — «sans» ASCII"
    canonical = dumps(tree).encode("utf-8")
    monkeypatch.setattr(json_io, "MAX_FILE_BYTES", len(canonical) + room)
    save(tree, tmp_path / "saved.json")
    written = (tmp_path / "saved.json").read_bytes()
    assert (written == canonical) == (room >= 0)
    digest = json_io.file_text_digest(json_io.snapshot(tree))
    assert digest == hashlib.sha256(written).hexdigest()
