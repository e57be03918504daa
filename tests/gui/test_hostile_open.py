"""Hostile and broken files through File > Open: a dialog, no crash, the document untouched.

Files that load (control characters, direction overrides, markup, huge labels) are drawn
as plain, bounded text. Files whose only problems are the model's, which the user fixes in
the app (`"app": "opens"` in expected.json), open with them in the Problems panel.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from offramp_gui.fileformat.json_io import dumps
from offramp_gui.fileformat.limits import MAX_FILE_BYTES
from offramp_gui.gui.main_window import MainWindow
from offramp_gui.gui.text import MAX_SHOWN
from offramp_gui.model.validate import validate

BAD = Path(__file__).resolve().parents[2] / "tests" / "data" / "bad"
EXPECTED: dict[str, dict] = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))
REFUSED = sorted(n for n, e in EXPECTED.items() if e["message"] and "app" not in e)
OPENS_WITH_PROBLEMS = sorted(n for n, e in EXPECTED.items() if e.get("app") == "opens")
LOADS = sorted(n for n, e in EXPECTED.items() if not e["message"])
HEAD = '{"format": "offramp-tree", "version": 1, "title": "t", '
#: Characters that must never reach the screen from a label.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def sparse(path: Path, size: int) -> None:
    """A file that says it is `size` bytes long and takes no room on disk."""
    path.touch()
    os.truncate(path, size)


@pytest.fixture
def window(make_window):
    return make_window(open=None)


def open_refused(window: MainWindow, path: Path) -> tuple[str, str, str]:
    """Open through the File menu's path; check nothing changed; return the error shown."""
    document = window.document
    before, title = dumps(document.tree), window.windowTitle()
    window.prompts.script("open", path)
    assert not window.files.open_dialog()
    assert dumps(document.tree) == before and document.path is None
    assert not document.modified and window.windowTitle() == title
    [error] = window.prompts.errors
    return error


@pytest.mark.parametrize("name", REFUSED)
def test_a_bad_file_is_refused_with_its_problems(window, name):
    title, text, details = open_refused(window, BAD / name)
    assert title == "Cannot open the tree"
    assert text.startswith(f"{name} has ") and text.endswith(" and was not opened.")
    assert EXPECTED[name]["message"] in details
    assert len(details.splitlines()) == EXPECTED[name]["problems"]


@pytest.mark.parametrize("name", OPENS_WITH_PROBLEMS)
def test_a_file_with_problems_to_fix_opens_with_them_listed(window, name):
    window.prompts.script("open", BAD / name)
    assert window.files.open_dialog()
    assert not window.prompts.errors and window.document.path == BAD / name
    assert not window.document.modified
    problems = window.panels["problems"]
    lines = [problems.list.item(i).text() for i in range(problems.count())]
    assert len(lines) == EXPECTED[name]["problems"]
    assert any(EXPECTED[name]["message"] in line for line in lines)
    count = EXPECTED[name]["problems"]
    assert window.statusBar().currentMessage() == (
        f"Opened {name}, which has {count} problem{'s' * (count != 1)}: see the Problems"
        " panel")


@pytest.mark.parametrize("make, fragment", [
    (lambda p: p.write_text("[" * 100_000 + "]" * 100_000), "nested too deeply"),
    (lambda p: p.write_text(HEAD + '"root": ' + '{"type": "decision", "children": ['
                            * 100_000 + '{"type": "terminal"}' + "]}" * 100_000 + "}"),
     "nested too deeply"),
    (lambda p: sparse(p, MAX_FILE_BYTES + 1), "refuses files over 200 MB"),
], ids=["nested-lists", "nested-nodes", "over-200-mb"])
def test_big_hostile_files_are_refused(window, tmp_path, make, fragment):
    path = tmp_path / "big.json"
    make(path)
    _title, _text, details = open_refused(window, path)
    assert fragment in details


@pytest.mark.parametrize("name", LOADS)
def test_odd_labels_load_and_are_drawn_as_plain_text(window, name):
    assert window.files.open(BAD / name)
    tree = window.document.tree
    for node in tree.root.walk():
        item = window.scene.item_for_node(node.id)
        if item is None:
            continue
        assert not UNSAFE.search(item.label_text())
        assert "<script" not in item.toolTip() and "<img" not in item.toolTip()
        if node.branch and "<" in node.branch:
            assert "&lt;" in item.toolTip(), "markup is shown as text, not rendered"
    assert not UNSAFE.search(window.windowTitle())


def test_a_megabyte_label_is_drawn_cut_short(window, tmp_path):
    path = tmp_path / "label.json"
    label = "x" * (1 << 20)
    path.write_text(HEAD + '"root": {"id": "r", "type": "decision", "children": [{"id": "a",'
                    ' "type": "terminal", "branch": "' + label + '"}]}}')
    assert window.files.open(path)
    shown = window.scene.item_for_node("a").label_text()
    assert len(shown) <= MAX_SHOWN + 1 and window.document.tree.node("a").branch == label


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not Path("/dev/zero").exists(),
                    reason="needs FIFOs and /dev/zero")
@pytest.mark.parametrize("make, kind", [
    (lambda p: os.mkfifo(p), "a pipe (FIFO)"),
    (lambda p: p.symlink_to("/dev/zero"), "a device"),
], ids=["fifo", "link-to-dev-zero"])
def test_what_is_not_a_file_is_refused_at_once(window, tmp_path, make, kind):
    path = tmp_path / "tree.json"
    make(path)
    _title, text, details = open_refused(window, path)
    assert text == "tree.json has 1 problem and was not opened."
    assert details == f"{path}: error: $: this is {kind}, not a regular file; offramp reads" \
                      " only files"


# ---- paste is held to the limits of a file ------------------------------------------------
def paste_into(window: MainWindow, tmp_path: Path, children: int, clipboard: str) -> str:
    """Open a tree whose root has `children` branches, paste `clipboard` under the root;
    return the error shown, or "" when it was pasted."""
    path = tmp_path / "tree.json"
    path.write_text(HEAD + '"root": {"id": "r", "type": "decision", "children": ['
                    + ",".join(f'{{"id": "t{i}", "type": "terminal"}}' for i in range(children))
                    + "]}}")
    assert window.files.open(path)
    QApplication.clipboard().setText(clipboard)
    window.document.select("r")
    before = len(window.document.tree)
    window.actions["paste"].trigger()
    if not window.prompts.errors:
        assert len(window.document.tree) > before
        return ""
    [(title, text, _details)] = window.prompts.errors
    assert title == "Cannot paste" and len(window.document.tree) == before
    assert not window.document.modified
    return text


def branch(nodes: int, flat: bool = False) -> str:
    """A copied decision with `nodes - 1` nodes below it: terminals, or (to stay under
    the branch limit) pairs of a decision and its terminal."""
    pair = {"type": "decision", "children": [{"type": "terminal"}]}
    children = ([{"type": "terminal"}] * (nodes - 1) if flat
                else [pair] * ((nodes - 1) // 2) + [{"type": "terminal"}] * ((nodes - 1) % 2))
    return json.dumps({"type": "decision", "children": children})


@pytest.fixture
def small_limits(monkeypatch):
    """Limits of 40 nodes and 30 branches, so that a test reaches them quickly."""
    from offramp_gui.fileformat import json_io, schema
    from offramp_gui.gui import edits
    for module in (json_io, schema, edits):
        monkeypatch.setattr(module, "MAX_NODES", 40)
    for module in (schema, edits):
        monkeypatch.setattr(module, "MAX_CHILDREN", 30)


def test_a_paste_up_to_the_limits_is_taken(window, tmp_path, small_limits):
    assert paste_into(window, tmp_path, 29, branch(10)) == ""  # 1 + 29 + 10 = 40 nodes
    assert window.document.tree.root.children[-1].id == "n0"  # ids made where there were none
    assert validate(window.document.tree) == []


def test_a_paste_over_the_node_limit_is_refused_with_a_dialog(window, tmp_path, small_limits):
    assert paste_into(window, tmp_path, 2, branch(41)) == (
        "The branch was not pasted: the tree has 41 nodes; offramp takes at most 40.")
    window.prompts.errors.clear()
    assert paste_into(window, tmp_path, 29, branch(11)) == (
        "The branch was not pasted: the tree has 41 nodes; offramp takes at most 40.")


def test_a_paste_over_the_branch_limit_is_refused_with_a_dialog(window, tmp_path, small_limits):
    assert paste_into(window, tmp_path, 30, branch(1)) == (
        "The branch was not pasted: this node has 30 branches; offramp takes at most 30.")
    window.prompts.errors.clear()
    assert paste_into(window, tmp_path, 1, branch(32, flat=True)) == (
        "The branch was not pasted: this node has 31 branches; offramp takes at most 30.")


def test_add_branch_past_the_branch_limit_is_refused_with_a_dialog(window, tmp_path,
                                                                   small_limits):
    assert paste_into(window, tmp_path, 29, branch(1)) == ""  # the root now has 30
    before = len(window.document.tree)
    for action in ("add-child", "add-sibling"):
        window.document.select("r" if action == "add-child" else "t0")
        window.actions[action].trigger()
        [(title, text, _details)] = window.prompts.errors
        assert (title, text) == ("Cannot add a branch", "The branch was not added: this node"
                                 " has 30 branches; offramp takes at most 30.")
        assert len(window.document.tree) == before
        window.prompts.errors.clear()


def test_nothing_is_added_or_pasted_below_the_depth_limit(window, tmp_path, monkeypatch):
    from offramp_gui.gui import edits
    monkeypatch.setattr(edits, "MAX_DEPTH", 3)
    paste_into(window, tmp_path, 1, '{"type": "decision", "children": [{"type": "terminal"}]}')
    window.prompts.errors.clear()  # the root, the pasted decision and its terminal: 2 levels
    deepest = window.document.tree.root.children[-1].children[0].id
    window.document.select(deepest)
    window.actions["add-child"].trigger()  # a third level: at the limit
    assert not window.prompts.errors
    window.document.select(window.document.tree.node(deepest).children[0].id)
    window.actions["add-child"].trigger()
    [(_title, text, _details)] = window.prompts.errors
    assert text == ("The branch was not added: the tree would be 4 levels deep; offramp"
                    " takes at most 3.")
    window.prompts.errors.clear()
    window.document.select("r")
    QApplication.clipboard().setText(json.dumps(
        {"type": "decision", "children": [{"type": "decision", "children": [
            {"type": "decision", "children": [{"type": "terminal"}]}]}]}))
    window.actions["paste"].trigger()
    [(_title, text, _details)] = window.prompts.errors
    assert text.endswith("the tree would be 4 levels deep; offramp takes at most 3.")
