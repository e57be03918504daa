"""Loading: located one-line errors, every problem at once, and no pathological file wins."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from offramp_gui.api import load, load_text
from offramp_gui.fileformat import limits
from offramp_gui.fileformat.json_io import loads, read_file
from offramp_gui.model.issues import TreeFormatError, UnsupportedVersionError

HEAD = '{"format": "offramp-tree", "version": 1, "title": "t", '

BAD = """{
  "format": "offramp-tree",
  "version": 1,
  "title": "bad",
  "root": {
    "id": "aim", "type": "chance",
    "children": [
      {"id": "defeat", "probability": 0.5, "type": "terminal"},
      {"id": "talks", "probability": 1.3, "type": "terminal"}
    ]
  }
}
"""


def document(root: dict, **top) -> str:
    doc = {"format": "offramp-tree", "version": 1, "title": "t", **top, "root": root}
    return json.dumps(doc, indent=2)


def chance(*children: dict, **fields) -> dict:
    return {"id": "r", "type": "chance", "children": list(children), **fields}


def terminal(node_id: str, **fields) -> dict:
    return {"id": node_id, "type": "terminal", **fields}


def error_lines(text: str | bytes, filename: str = "t.json") -> list[str]:
    with pytest.raises(TreeFormatError) as caught:
        load_text(text, filename)
    assert str(caught.value) == "\n".join(caught.value.lines())
    return caught.value.lines()


def only_line(text: str | bytes) -> str:
    lines = error_lines(text)
    assert len(lines) == 1, lines
    return lines[0]


# ---- the shape of a message --------------------------------------------------------------
def test_the_format_md_error_shape(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(BAD)
    with pytest.raises(TreeFormatError) as caught:
        load(path)
    assert caught.value.lines() == [f'{path}:9:38: error: $.root.children[1].probability'
                                    ' (node "talks"): probability 1.3 is above 1']
    [issue] = caught.value.issues
    assert (issue.line, issue.column, issue.node_id) == (9, 38, "talks")


def test_not_json_gets_the_parsers_line_and_column():
    line = only_line('{"format": "offramp-tree",\n "version": 1,\n "title": "x",\n}')
    assert line.startswith("t.json:4:1: error: $: this is not valid JSON: ")
    assert "comma before a closing brace" in line


def test_a_node_without_id_is_named_by_its_path_id():
    line = only_line(document({"type": "chance", "children": [{"type": "terminal"}]}))
    assert '$.root.children[0] (node "n0.0"): this branch needs a probability' in line


def test_did_you_mean():
    lines = error_lines(document(chance(terminal("a", probabilty=1)), titel="x"))
    assert any('$.root.children[0].probabilty (node "a"): unknown key "probabilty";'
               ' did you mean "probability"?' in line for line in lines)
    assert any('$.titel: unknown key "titel"; did you mean "title"?' in line for line in lines)


def test_no_hint_when_nothing_is_close():
    line = only_line(document(terminal("a", zebra=1)))
    assert line.endswith('unknown key "zebra"')


def test_every_problem_is_reported_at_once_in_file_order():
    text = document(chance(terminal("a", probability=0.2, colour="red"),
                           terminal("b", probability=0.3, outcome="nope"),
                           {"id": "c", "type": "decision", "probability": 0.1, "player": "x",
                            "children": [terminal("d", payoff="q + 1")]}),
                    players=[{"id": "p", "name": "P", "weights": {"value": 1}}])
    lines = error_lines(text)
    wanted = ['unknown key "colour"', 'there is no outcome "nope"', 'there is no player "x"',
              'uses "q", which is not a variable', "add up to 0.6, not 1"]
    assert all(any(w in line for line in lines) for w in wanted), lines
    positions = [tuple(int(n) for n in line.split(":")[1:3]) for line in lines]
    assert positions == sorted(positions)


@pytest.mark.parametrize("text, path", [
    (HEAD + '"title": "again", "root": {"type": "terminal"}}', "$.title"),
    (HEAD + '"root": {"id": "r", "id": "s", "type": "terminal"}}', "$.root.id"),
    (HEAD + '"root": {"type": "terminal", "payoff": {"value": 1, "value": 2}}}',
     "$.root.payoff.value"),
    (HEAD + '"variables": [{"name": "a", "value": 1, "value": 2}], "root": {"type": "terminal"}}',
     "$.variables[0].value"),
    (HEAD + '"x-data": {"k": 1, "k": 2}, "root": {"type": "terminal"}}', "$.x-data.k"),
    (HEAD + '"root": {"type": "terminal", "x-n": [{"k": 1, "k": 2}]}}', "$.root.x-n[0].k"),
])
def test_duplicate_keys_are_errors(text, path):
    line = only_line(text)
    assert f"{path}" in line and "appears more than once" in line


def test_non_finite_numbers_in_x_keys_are_errors():
    assert "NaN is not a number JSON allows" in only_line(HEAD + '"x-a": NaN, "root": {"type":'
                                                          ' "terminal"}}')
    assert "too large" in only_line(HEAD + '"root": {"type": "terminal", "x-a": [1e999]}}')


# ---- the envelope ----------------------------------------------------------------------
def test_newer_version_is_refused_naming_ours():
    line = only_line('{"format": "offramp-tree", "version": 2, "title": "t", "root": {}}')
    assert "$.version" in line and "format version 2" in line
    assert "this program reads version 1" in line


def test_newer_version_raises_the_typed_error():
    with pytest.raises(UnsupportedVersionError):
        load_text('{"format": "offramp-tree", "version": 2, "title": "t", "root": {}}')


@pytest.mark.parametrize("text, fragment", [
    ('{"format": "gambit", "version": 1}', 'this is not an offramp tree: its "format" is'
                                           ' "gambit", not "offramp-tree"'),
    ('{"version": 1, "root": {}}', 'it has no "format"'),
    ('[1, 2]', "the file must hold a JSON object, not a list"),
    ('{"format": "offramp-tree", "version": "1"}', '"version" must be the whole number 1'),
    ('{"format": "offramp-tree", "version": 0}', "there is no format version 0"),
    ('{"format": "offramp-tree", "version": 1, "title": "t"}', 'missing "root"'),
    ('{"format": "offramp-tree", "version": 1, "title": "t", "root": 3}',
     '"root" must be a node object, not the number 3'),
])
def test_envelope_problems(text, fragment):
    assert fragment in only_line(text)


# ---- files on disk -----------------------------------------------------------------------
def test_missing_file_and_folder(tmp_path):
    assert "cannot read the file" in read_file(tmp_path / "nope.json").issues[0].message
    assert "this is a folder" in read_file(tmp_path).issues[0].message


def test_oversized_file_is_refused_unread(tmp_path, monkeypatch):
    path = tmp_path / "big.json"
    path.write_text(document(terminal("a")))
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 10)
    [issue] = read_file(path).issues
    assert "offramp refuses files over" in issue.message


def test_a_file_of_the_largest_size_is_read_and_one_byte_more_is_not(tmp_path, monkeypatch):
    text = document(terminal("a"))
    path = tmp_path / "tree.json"
    path.write_text(text)
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", len(text))
    assert read_file(path).issues == [] and read_file(path).tree is not None
    path.write_text(text + " ")
    assert "offramp refuses files over" in read_file(path).issues[0].message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "tree.json"
    os.mkfifo(fifo)
    [issue] = read_file(fifo).issues
    assert issue.message == ("this is a pipe (FIFO), not a regular file; offramp reads"
                             " only files")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_device_and_a_link_to_it_are_refused_unread(tmp_path):
    link = tmp_path / "tree.json"
    link.symlink_to("/dev/zero")
    for path in ("/dev/zero", link):
        [issue] = read_file(path).issues
        assert issue.message == "this is a device, not a regular file; offramp reads only files"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_what_is_opened_is_checked_not_only_the_name(tmp_path, monkeypatch):
    """A regular file swapped for a FIFO between the look and the open is refused."""
    regular = tmp_path / "regular.json"
    regular.write_text(document(terminal("a")))
    fifo = tmp_path / "tree.json"
    os.mkfifo(fifo)
    monkeypatch.setattr(limits.os, "stat", lambda path: os.lstat(regular))
    with pytest.raises(limits.FileRefused, match="pipe"):
        limits.read_limited(fifo)


def test_invalid_utf8_is_located(tmp_path):
    path = tmp_path / "latin1.json"
    text = json.dumps({"format": "offramp-tree", "version": 1, "title": "t",
                       "root": terminal("a", name="caf\u00e9")}, indent=1, ensure_ascii=False)
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(TreeFormatError) as caught:
        load(path)
    [line] = caught.value.lines()
    assert line.startswith(f"{path}:8:15: error: ") and "byte 0xe9 is not valid UTF-8" in line


def test_loading_never_changes_the_file(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(BAD)
    before = path.stat()
    with pytest.raises(TreeFormatError):
        load(path)
    after = path.stat()
    assert path.read_text() == BAD and before.st_mtime_ns == after.st_mtime_ns
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"]


# ---- pathological input: a clear error (or a safe load); its speed: bench_hostile.py -----
def deep_nodes(depth: int) -> str:
    return (HEAD + '"root": ' + '{"type": "decision", "children": [' * depth
            + '{"type": "terminal"}' + "]}" * depth + "}")


def huge_label() -> bytes:
    return (HEAD + '"root": {"type": "terminal", "name": "' + "x" * (50 << 20) + '"}}').encode()


def huge_key() -> str:
    return HEAD + '"root": {"type": "terminal", "' + "k" * (50 << 20) + '": 1}}'


PATHOLOGICAL = {
    "nested lists": (lambda: "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    "nested nodes": (lambda: deep_nodes(100_000), "nested too deeply"),
    "1500 levels": (lambda: deep_nodes(1500), "more than 1000 levels deep"),
    "1e999999": (lambda: HEAD + '"root": {"type": "terminal", "payoff": 1e999999}}',
                 "$.root.payoff: a payoff is too large to be a number"),
    "NaN": (lambda: HEAD + '"root": {"type": "terminal", "payoff": NaN}}',
            "NaN is not a number JSON allows"),
    "Infinity": (lambda: HEAD + '"root": {"type": "terminal", "payoff": Infinity}}',
                 "Infinity is not a number JSON allows"),
    "-Infinity": (lambda: HEAD + '"variables": [{"name": "a", "value": -Infinity}],'
                  ' "root": {"type": "terminal"}}', "$.variables[0].value: -Infinity is not"),
    "50 MB label": (huge_label, None),
    "50 MB key": (huge_key, "unknown key"),
    "invalid UTF-8": (lambda: HEAD.encode() + b'"root": {"type": "terminal", "name": "\xff"}}',
                      "is not valid UTF-8"),
    "BOM": (lambda: b"\xef\xbb\xbf" + document(terminal("a")).encode(), None),
    "UTF-16": (lambda: document(terminal("a")).encode("utf-16"), "save it as UTF-8"),
    "UTF-16 without BOM": (lambda: document(terminal("a")).encode("utf-16-le"),
                           "save it as UTF-8"),
    "empty": (lambda: b"", "the file is empty"),
    "blank": (lambda: " \n\t ", "the file is empty"),
    "lone surrogate": (lambda: HEAD + '"root": {"type": "terminal", "name": "\\ud800"}}',
                       "$.root.name: the text holds an unpaired surrogate escape"),
    "5000 digits": (lambda: HEAD + '"root": {"type": "terminal", "payoff": 1' + "0" * 5000
                    + "}}", "a number has too many digits"),
    "truncated": (lambda: document(terminal("a"))[:40], "this is not valid JSON"),
}


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_pathological_input(name):
    make, fragment = PATHOLOGICAL[name]
    data = make()
    loaded = loads(data)  # returns problems; raises nothing
    if fragment is None:
        assert loaded.issues == [] and load_text(data).root.type == "terminal"
    else:
        lines = error_lines(data)
        assert any(fragment in line for line in lines), lines


@pytest.mark.parametrize("key", ["x\u202eevil", "bell\u0007", "tab\tkey", "nul\u0000"])
def test_odd_characters_in_keys_are_shown_safely(key):
    line = only_line(HEAD + '"root": {"type": "terminal", ' + json.dumps(key) + ": 1}}")
    assert "unknown key" in line and line.isprintable()
    assert "\N{REPLACEMENT CHARACTER}" in line


def test_odd_characters_in_a_node_id_are_shown_safely():
    line = only_line(document(terminal("a\u202eb")))
    assert '(node "a\N{REPLACEMENT CHARACTER}b")' in line and line.isprintable()


# ---- ids, sums and empty files -------------------------------------------------------------
def test_an_empty_id_is_refused_and_a_missing_one_is_made():
    [issue] = loads(document({"id": "r", "type": "decision",
                              "children": [terminal("")]})).issues
    assert issue.path == "$.root.children[0].id" and issue.message.startswith("the id is empty")
    loaded = loads(document({"type": "chance", "children": [{"type": "terminal",
                                                               "probability": 1}]}))
    assert loaded.issues == [] and loaded.tree.ids() == ["n0", "n0.0"]


@pytest.mark.parametrize("second, said", [
    (0.500002, "1.000002"), (0.4999, "0.9999"), (0.2, "0.7"), (0.4999985, "0.999999")])
def test_a_sum_that_is_not_1_is_shown_with_the_digits_that_show_it(second, said):
    text = document(chance(terminal("a", probability=0.5), terminal("b", probability=second)))
    with pytest.raises(TreeFormatError) as caught:
        load_text(text)
    [issue] = caught.value.issues
    assert issue.message == f"the probabilities of its branches add up to {said}, not 1"


@pytest.mark.parametrize("data", [b"", b"  \n", "", "\ufeff"])
def test_an_empty_file_is_placed_at_its_first_line_and_column(data):
    [issue] = loads(data).issues
    assert (issue.message, issue.line, issue.column) == ("the file is empty", 1, 1)
