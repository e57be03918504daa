"""Hostile and broken files through `offramp validate`: exit 1, one line per problem, no traceback.

The corpus is tests/data/bad/; expected.json gives, for each file, a piece of the message
it must get and how many problems (0: the file loads, and is shown safely by the app).
The big ones are made here, in a temporary folder.
"""
from __future__ import annotations

import gc
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from offramp_gui.api import evaluate, load
from offramp_gui.cli import main
from offramp_gui.fileformat.limits import MAX_FILE_BYTES

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "data" / "bad"
EXPECTED: dict[str, dict] = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))
HEAD = '{"format": "offramp-tree", "version": 1, "title": "t", '


def deep_nodes(depth: int) -> str:
    return (HEAD + '"root": ' + '{"type": "decision", "children": [' * depth
            + '{"type": "terminal"}' + "]}" * depth + "}")


def deep_named_nodes(depth: int) -> str:
    """Nodes nested `depth` deep, each with an id of its own."""
    return (HEAD + '"root": ' + "".join(f'{{"id": "d{k}", "type": "decision", "children": ['
                                        for k in range(depth))
            + '{"id": "leaf", "type": "terminal"}' + "]}" * depth + "}")


def chained_variables(count: int, backwards: bool = False) -> str:
    """v1 = 1, v2 = v1 + 1, ... and a payoff of the last: worth `count`."""
    variables = [{"name": "v1", "value": 1}] + [{"name": f"v{k}", "value": f"v{k - 1} + 1"}
                                                for k in range(2, count + 1)]
    return json.dumps({"format": "offramp-tree", "version": 1, "title": "chain",
                       "variables": variables[::-1] if backwards else variables,
                       "root": {"id": "r", "type": "terminal", "payoff": f"v{count}"}})


def failing_variables(count: int) -> str:
    """v1 = log(-1), v2 = log(v1 - 1), ...: each one's value cannot be computed."""
    variables = [{"name": "v1", "value": "log(0 - 1)"}] + [
        {"name": f"v{k}", "value": f"log(v{k - 1} - 1)"} for k in range(2, count + 1)]
    return json.dumps({"format": "offramp-tree", "version": 1, "title": "failing",
                       "variables": variables,
                       "root": {"id": "r", "type": "terminal", "payoff": f"v{count}"}})


def shared_formula(nodes: int) -> str:
    """`nodes` branches whose payoffs are one long formula, the same text each time."""
    formula = " + ".join(["p * 2"] * 120)  # 957 characters
    leaf = json.dumps({"type": "terminal", "payoff": formula})
    return (HEAD + '"variables": [{"name": "p", "value": 0.5}], "root": {"type": "decision",'
            ' "children": [' + ",".join([leaf] * nodes) + "]}}")


def tiny_nodes(path: Path, middles: int, leaves: int) -> None:
    """A root over `middles` decisions of `leaves` terminals each, the smallest nodes."""
    leaf = '{"type":"terminal"}'
    middle = '{"type":"decision","children":[' + ",".join([leaf] * leaves) + "]}"
    with open(path, "w") as stream:
        stream.write(HEAD + '"root":{"type":"decision","children":[')
        stream.write(",".join([middle] * middles))
        stream.write("]}}")


def big_label(size: int) -> str:
    return HEAD + '"root": {"type": "terminal", "name": "' + "x" * size + '"}}'


#: Made at test time: name -> (how to write it, message, problems).
GENERATED = {
    "nested-lists-100000.json": (lambda p: p.write_text("[" * 100_000 + "]" * 100_000),
                                 "the JSON is nested too deeply", 1),
    "nested-nodes-100000.json": (lambda p: p.write_text(deep_nodes(100_000)),
                                 "the JSON is nested too deeply", 1),
    "levels-1500.json": (lambda p: p.write_text(deep_named_nodes(1500)),
                         "more than 1000 levels deep", 1),
    "megabyte-key.json": (lambda p: p.write_text(HEAD + '"root": {"type": "terminal", "'
                                                 + "k" * (1 << 20) + '": 1}}'),
                          "unknown key", 1),
    "over-200-mb.json": (lambda p: sparse(p, MAX_FILE_BYTES + 1),
                         "offramp refuses files over 200 MB", 1),
    "megabyte-label.json": (lambda p: p.write_text(big_label(1 << 20)), None, 0),
    "twenty-megabyte-label.json": (lambda p: p.write_text(big_label(20 << 20)), None, 0),
}


def sparse(path: Path, size: int) -> None:
    """A file that says it is `size` bytes long and takes no room on disk."""
    with open(path, "wb") as stream:
        stream.truncate(size)


@pytest.fixture(autouse=True)
def _gc_back_on():
    """`main` turns the cycle collector off for a short-lived command; turn it back on."""
    yield
    gc.enable()


def check_output(path: Path, status: int, out: str, err: str, message: str | None,
                 problems: int) -> None:
    assert "Traceback" not in out + err and "internal error" not in err
    if message is None:
        assert (status, out, err) == (0, f"{path}: ok\n", "")
        return
    lines = out.splitlines()
    assert status == 1 and err == ""
    assert len(lines) == problems, lines
    located = re.compile(re.escape(str(path)) + r"(:\d+:\d+)?: error: \$")
    assert all(located.match(line) for line in lines), lines
    assert any(message in line for line in lines), (message, lines)
    assert all(line.isprintable() for line in lines)


def validate(path: Path, capsys) -> tuple[int, str, str]:
    status = main(["validate", str(path)])
    out, err = capsys.readouterr()
    return status, out, err


def test_the_corpus_is_large_and_described():
    names = {p.name for p in BAD.iterdir()} - {"expected.json", "README.md"}
    assert names == set(EXPECTED)
    assert sum(1 for e in EXPECTED.values() if e["message"]) >= 40


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_file_gets_its_message(name, capsys):
    expected = EXPECTED[name]
    status, out, err = validate(BAD / name, capsys)
    check_output(BAD / name, status, out, err, expected["message"], expected["problems"])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_evaluate_refuses_each_bad_file_too(name, capsys):
    """`offramp evaluate` reads plainly valid files a quicker way; it is not fooled."""
    status = main(["evaluate", str(BAD / name)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "internal error" not in err
    message = EXPECTED[name]["message"]
    if message is None:
        assert status == 0 and err == ""
    else:
        assert status == 1 and out == "" and message in err
        assert len(err.splitlines()) == EXPECTED[name]["problems"]


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_each_big_file_gets_its_message(name, tmp_path, capsys):
    make, message, problems = GENERATED[name]
    path = tmp_path / name
    make(path)
    status, out, err = validate(path, capsys)
    check_output(path, status, out, err, message, problems)


def test_validate_never_changes_a_file(tmp_path, capsys):
    for name in sorted(EXPECTED)[:20]:
        before = (BAD / name).stat()
        validate(BAD / name, capsys)
        assert (BAD / name).stat().st_mtime_ns == before.st_mtime_ns
    assert not list(BAD.glob("*.bak")) and not list(BAD.glob(".*"))


def test_a_deep_tree_without_ids_is_valid(capsys, tmp_path):
    path = tmp_path / "forty-levels.json"
    path.write_text(deep_nodes(40))
    assert validate(path, capsys)[:2] == (0, f"{path}: ok\n")


def test_an_absurd_probability_gives_no_numpy_warning(capsys, tmp_path):
    path = tmp_path / "absurd.json"
    doc = json.loads((ROOT / "tests" / "data" / "conformance" / "expressions.json").read_text())
    doc["root"]["children"][0]["children"][1]["probability"] = 6.420332624508271e306  # fuzzing
    path.write_text(json.dumps(doc))
    status, out, err = validate(path, capsys)
    check_output(path, status, out, err, "probability 6.42033e+306 is above 1", 1)


# ---- the real command, in a process of its own -------------------------------------------
SUBPROCESS_CASES = ["utf16-le-bom.json", "nan.json", "expr-import.json", "expr-power-tower.json",
                    "duplicate-key-node.json", "sum-off-one.json"]


def run_offramp(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "offramp_gui.cli", *args], env=env,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_offramp_validate_in_a_process(name):
    done = run_offramp("validate", str(BAD / name))
    expected = EXPECTED[name]
    check_output(BAD / name, done.returncode, done.stdout, done.stderr, expected["message"],
                 expected["problems"])


def test_a_100000_deep_file_in_a_process(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text(deep_nodes(100_000))
    done = run_offramp("validate", str(path))
    check_output(path, done.returncode, done.stdout, done.stderr,
                 "the JSON is nested too deeply", 1)


def test_many_bad_files_at_once():
    names = sorted(n for n, e in EXPECTED.items() if e["message"])
    done = run_offramp("validate", *(str(BAD / n) for n in names))
    assert done.returncode == 1 and "Traceback" not in done.stderr and done.stderr == ""
    lines = done.stdout.splitlines()
    assert len(lines) == sum(EXPECTED[n]["problems"] for n in names)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")
def test_memory_stays_bounded_on_a_big_label(tmp_path):
    """A 50 MB label: the reader holds a few copies at most, never hundreds of MB more."""
    path = tmp_path / "label.json"
    path.write_text(big_label(50 << 20))
    # VmHWM, the peak of this process's own memory (ru_maxrss would count the parent's
    # memory at the fork too).
    code = ("import re, sys\nfrom offramp_gui.cli import main\n"
            "status = main(['validate', sys.argv[1]])\n"
            "peak = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())\n"
            "print(status, int(peak.group(1)) // 1024)")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                          text=True, timeout=60, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    status, megabytes = done.stdout.split()[-2:]
    assert status == "0"
    assert int(megabytes) < 400, f"{megabytes} MB for a 50 MB file"


# ---- inputs that are not files ------------------------------------------------------------
NOT_FILES = {
    "fifo": (lambda folder: os.mkfifo(folder / "tree.json"), "a pipe (FIFO)"),
    "dev-zero": (lambda folder: None, "a device"),
    "link-to-dev-zero": (lambda folder: (folder / "tree.json").symlink_to("/dev/zero"),
                         "a device"),
}


def not_a_file(name: str, folder: Path) -> tuple[Path, str]:
    """Make the input `name` of NOT_FILES; return its path and what it is called."""
    if not hasattr(os, "mkfifo") or not Path("/dev/zero").exists():
        pytest.skip("needs FIFOs and /dev/zero")
    make, kind = NOT_FILES[name]
    make(folder)
    return (Path("/dev/zero") if name == "dev-zero" else folder / "tree.json"), kind


@pytest.mark.parametrize("command", ["validate", "evaluate"])
@pytest.mark.parametrize("name", sorted(NOT_FILES))
def test_what_is_not_a_file_is_refused_at_once(name, command, tmp_path):
    """In a process with a timeout: reading a FIFO or /dev/zero must not hang the test."""
    path, kind = not_a_file(name, tmp_path)
    done = subprocess.run([sys.executable, "-m", "offramp_gui.cli", command, str(path)],
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True,
                          text=True, timeout=30)
    expected = f"{path}: error: $: this is {kind}, not a regular file; offramp reads only files\n"
    printed = done.stdout if command == "validate" else done.stderr
    assert (done.returncode, printed) == (1, expected)


@pytest.mark.parametrize("name", sorted(NOT_FILES))
def test_the_api_refuses_what_is_not_a_file(name, tmp_path):
    from offramp_gui.api import TreeFormatError, load

    path, kind = not_a_file(name, tmp_path)
    with pytest.raises(TreeFormatError) as caught:
        load(path)
    assert caught.value.lines() == [f"{path}: error: $: this is {kind}, not a regular file;"
                                    " offramp reads only files"]


# ---- many variables ------------------------------------------------------------------------
@pytest.mark.parametrize("backwards", [False, True], ids=["in-order", "last-first"])
def test_twenty_thousand_chained_variables_evaluate_to_the_right_value(backwards, tmp_path,
                                                                        capsys):
    path = tmp_path / "chain.json"
    path.write_text(chained_variables(20_000, backwards))
    results = evaluate(load(path))
    assert results.variables["v20000"] == 20_000 and results.variables["v1"] == 1
    assert results.expected[0].tolist() == [20_000] and not results.issues
    assert validate(path, capsys)[:2] == (0, f"{path}: ok\n")


def test_each_of_twenty_thousand_failing_variables_is_reported_once(tmp_path, capsys):
    path = tmp_path / "failing.json"
    path.write_text(failing_variables(20_000))
    status, out, _err = validate(path, capsys)
    lines = out.splitlines()
    assert status == 1 and len(lines) == 20_000
    assert lines[0].endswith('the value "log(0 - 1)" of v1 cannot be computed: log of zero or'
                             " a negative number (-1)")
    assert lines[-1].endswith('the value "log(v19999 - 1)" of v20000 cannot be computed: the'
                              " variable v19999 has no finite value")


def test_a_circle_among_many_variables_is_named(tmp_path, capsys):
    doc = json.loads(chained_variables(5_000))
    doc["variables"][0]["value"] = "v5000 - 4999"  # v1 now needs v5000, which needs v1
    path = tmp_path / "circle.json"
    path.write_text(json.dumps(doc))
    status, out, _err = validate(path, capsys)
    [line] = out.splitlines()
    assert status == 1 and "these variables are defined in a circle: v1 -> v5000 -> v4999" in line
    assert line.endswith("-> v2 -> v1")


def test_evaluate_refuses_more_outcome_cells_than_the_limit(tmp_path, capsys, monkeypatch):
    """The quick reader of `evaluate` hands such a tree to the careful one, which says why."""
    from offramp_gui.fileformat import fastpath
    from offramp_gui.model import validate as rules
    for module in (fastpath, rules):
        monkeypatch.setattr(module, "MAX_OUTCOME_CELLS", 9)
    path = tmp_path / "t.json"
    path.write_text(json.dumps({
        "format": "offramp-tree", "version": 1, "title": "t",
        "outcomes": [{"id": "win", "name": "Win"}, {"id": "lose", "name": "Lose"}],
        "root": {"id": "r", "type": "decision", "children": [
            {"id": "a", "type": "terminal", "outcome": "win"},
            {"id": "b", "type": "terminal", "outcome": "lose"},
            {"id": "c", "type": "terminal"}]}}))
    assert main(["evaluate", str(path)]) == 1
    assert "the tree has 4 nodes and 2 outcomes" in capsys.readouterr().err


def test_a_file_cut_short_says_where_it_ends_and_what_is_left_open(tmp_path, capsys):
    path = tmp_path / "cut.json"
    lines = (ROOT / "trees" / "offramp.json").read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:101]) + "\n", encoding="utf-8")
    assert lines[100].strip() == '"id": "regime_face",'  # (as docs/cli.md shows)
    assert validate(path, capsys) == (1, (
        f"{path}:101:27: error: $: this is not valid JSON: the file ends early, at line 101,"
        ' before the object opened at line 100 (id "regime_face") in the list "criteria" is'
        " closed (and 2 around it)\n"), "")


def test_a_node_cut_short_is_named(tmp_path, capsys):
    path = tmp_path / "cut.json"
    path.write_text(HEAD + '"root": {"id": "r", "type": "decision", "children": [\n'
                    '  {"id": "first", "type": "terminal"},\n  {"id": "second", "payoff": 1,\n',
                    encoding="utf-8")
    status, out, _err = validate(path, capsys)
    assert status == 1
    assert out.endswith(": the file ends early, at line 3, before the object opened at line 3"
                        ' (the node "second") is closed (and 3 around it)\n')
