"""`offramp validate` and `offramp evaluate` as a user runs them: exit codes, lines, JSON."""
from __future__ import annotations

import gc
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from offramp_gui.analysis.equilibria import has_information_sets
from offramp_gui.analysis.evaluate import evaluate as evaluate_flat
from offramp_gui.analysis.flatten import flatten, flatten_columns
from offramp_gui.analysis.report import evaluation_document, evaluation_json
from offramp_gui.api import evaluate, load, save
from offramp_gui.cli import main
from offramp_gui.fileformat.fastpath import read_plain
from offramp_gui.fileformat.json_io import read_file
from offramp_gui.model import templates

ROOT = Path(__file__).resolve().parent.parent
TREES = sorted((ROOT / "trees").rglob("*.json"))  # the reference models too
TEMPLATES = sorted((ROOT / "resources" / "templates").glob("*.json"))
CONFORMANCE = sorted(p for p in (ROOT / "tests" / "data" / "conformance").glob("*.json")
                     if ".expected" not in p.name)
NODE_KEYS = {"type", "expected", "utility", "choice", "tie", "reach", "outcomes"}

EXAMPLE = {
    "format": "offramp-tree", "version": 1, "title": "Escalate or take the off-ramp",
    "criteria": [{"id": "security", "name": "European security", "unit": "score"},
                 {"id": "risk", "name": "Nuclear risk avoided", "unit": "score"}],
    "players": [{"id": "west", "name": "Western capitals",
                 "weights": {"security": 0.6, "risk": 0.4}},
                {"id": "kremlin", "name": "Kremlin", "weights": {"security": -1.0, "risk": 0.2}}],
    "variables": [{"name": "p_collapse", "value": 0.3, "min": 0, "max": 1}],
    "outcomes": [{"id": "settlement", "name": "Negotiated settlement"},
                 {"id": "nuclear", "name": "Nuclear use"}],
    "root": {"id": "aim", "type": "decision", "player": "west", "name": "Western war aim",
             "children": [
                 {"id": "defeat", "branch": "Seek Russia's defeat", "type": "chance",
                  "payoff": {"security": 5}, "children": [
                      {"id": "collapse", "branch": "Russian front collapses",
                       "probability": "p_collapse", "type": "decision", "player": "kremlin",
                       "children": [
                           {"id": "escalate", "branch": "Escalate", "type": "terminal",
                            "outcome": "nuclear", "payoff": {"security": -60, "risk": -100}},
                           {"id": "accept", "branch": "Accept a face-saving deal",
                            "type": "terminal", "outcome": "settlement",
                            "payoff": {"security": 40, "risk": 0}}]},
                      {"id": "stalemate", "branch": "Stalemate", "probability": "#",
                       "type": "terminal", "payoff": {"security": -10, "risk": -10}}]},
                 {"id": "talks", "branch": "Push for talks now", "type": "terminal",
                  "outcome": "settlement", "payoff": {"security": -5, "risk": 0}}]}}


def offramp(*args: str | Path) -> subprocess.CompletedProcess:
    return offramp_many([args])[0]


def offramp_many(commands: list) -> list[subprocess.CompletedProcess]:
    """Run several `offramp` commands side by side; none may print a traceback."""
    started = [(args, subprocess.Popen([sys.executable, "-m", "offramp_gui", *map(str, args)],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       text=True, cwd=ROOT)) for args in commands]
    runs = []
    for args, process in started:
        out, err = process.communicate(timeout=60)
        runs.append(subprocess.CompletedProcess(args, process.returncode, out, err))
        for stream in (out, err):
            assert "Traceback" not in stream and "internal error" not in stream, stream
    return runs


def write(folder: Path, name: str, doc: dict | str) -> Path:
    path = folder / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc, indent=2))
    return path


@pytest.fixture
def example(tmp_path) -> Path:
    return write(tmp_path, "example.json", EXAMPLE)


# ---- validate --------------------------------------------------------------------------------
def test_validate_ok(example):
    run = offramp("validate", example)
    assert (run.returncode, run.stdout, run.stderr) == (0, f"{example}: ok\n", "")


def test_every_template_validates_and_evaluates_with_no_problem():
    assert len(TEMPLATES) == 3
    runs = offramp_many([("validate", *TEMPLATES)] + [("evaluate", t) for t in TEMPLATES])
    assert (runs[0].returncode, runs[0].stdout) == (
        0, "".join(f"{t}: ok\n" for t in TEMPLATES))
    for run in runs[1:]:
        assert run.returncode == 0, run.stderr  # evaluate fails on any problem


def test_validate_lists_one_line_per_problem(tmp_path, example):
    doc = json.loads(example.read_text())
    doc["root"]["children"][1]["probabilty"] = 0.5
    doc["root"]["player"] = "ghost"
    bad = write(tmp_path, "bad.json", doc)
    run = offramp("validate", example, bad)
    lines = run.stdout.splitlines()
    assert run.returncode == 1 and lines[0] == f"{example}: ok" and len(lines) == 3
    assert re.fullmatch(rf'{re.escape(str(bad))}:\d+:\d+: error: \$\.root\.player \(node "aim"\):'
                        r' there is no player "ghost".*', lines[1])
    assert 'did you mean "probability"?' in lines[2]


@pytest.mark.parametrize("args", [["validate"], ["evaluate"], ["evaluate", "a.json", "--bogus"],
                                  ["evaluate", "a.json", "--set"]])
def test_usage_errors_exit_2(args):
    run = offramp(*args)
    assert run.returncode == 2 and "usage: offramp" in run.stderr and run.stdout == ""


BAD_FILES = {
    "missing.json": None,
    "empty.json": "",
    "garbage.json": "this is not json {",
    "array.json": "[1, 2, 3]",
    "deep.json": "[" * 100_000 + "]" * 100_000,
    "nan.json": json.dumps(EXAMPLE).replace('"value": 0.3', '"value": NaN'),
    "v2.json": json.dumps(EXAMPLE).replace('"version": 1', '"version": 2'),
    "outcome.json": json.dumps(EXAMPLE).replace('"outcome": "nuclear"', '"outcome": "ghost"'),
    "newline-id.json": json.dumps(EXAMPLE).replace('"id": "talks"', '"id": "ta\\nlks"'),
    "dup.json": json.dumps(EXAMPLE).replace('"id": "talks"', '"id": "talks", "id": "t2"'),
    "surrogate.json": json.dumps(EXAMPLE).replace("Stalemate", "\\udc00"),
}


@pytest.fixture
def bad_files(tmp_path) -> list[Path]:
    (tmp_path / "folder.json").mkdir()
    paths = [tmp_path / "folder.json"]
    for name, text in BAD_FILES.items():
        paths.append(tmp_path / name if text is None else write(tmp_path, name, text))
    (tmp_path / "utf16.json").write_bytes(json.dumps(EXAMPLE).encode("utf-16"))
    return paths + [tmp_path / "utf16.json"]


def test_bad_files_never_give_a_traceback(bad_files):
    run = offramp("validate", *bad_files)
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert all(": error: " in line for line in lines) and ": ok" not in run.stdout
    assert {line.split(":")[0] for line in lines} == set(map(str, bad_files))
    commands = [("evaluate", path, *extra) for path in bad_files for extra in ([], ["--json"])]
    for (_, path, *_), run in zip(commands, offramp_many(commands), strict=True):
        assert run.returncode == 1 and run.stdout == "", path
        assert run.stderr.startswith(f"{path}:") and ": error: " in run.stderr, path


# ---- evaluate ----------------------------------------------------------------------------------
def test_readable_summary(example):
    run = offramp("evaluate", example)
    assert run.returncode == 0 and run.stderr == ""
    text = run.stdout
    assert text.startswith("Escalate or take the off-ramp\n")
    assert "p_collapse = 0.3" in text
    policy = text[text.index("Policy"):text.index("Alternatives")]
    assert re.search(r"Western capitals\s+Western war aim\s+Push for talks now", policy)
    alternatives = text[text.index("Alternatives"):text.index("Outcomes")]
    assert "Seek Russia's defeat" in alternatives and "▶" in alternatives
    assert "-26.80" in alternatives and "-3.00" in alternatives
    outcomes = text[text.index("Outcomes"):]
    assert re.search(r"Negotiated settlement\s+100\.0%", outcomes)


def test_json_document_follows_cli_md(example):
    run = offramp("evaluate", example, "--json")
    assert run.returncode == 0 and run.stderr == ""
    doc = json.loads(run.stdout)
    assert set(doc) >= {"format", "version", "title", "root", "criteria", "players", "variables",
                        "nodes"}
    assert (doc["format"], doc["version"], doc["root"]) == ("offramp-evaluation", 1, "aim")
    assert doc["criteria"] == ["security", "risk"] and doc["players"] == ["west", "kremlin"]
    assert doc["variables"] == {"p_collapse": 0.3}
    assert set(doc["nodes"]) == {"aim", "defeat", "collapse", "escalate", "accept", "stalemate",
                                 "talks"}
    assert all(set(node) == NODE_KEYS for node in doc["nodes"].values())
    assert doc["nodes"]["collapse"]["utility"] == {"west": -73.0, "kremlin": 35.0}
    assert doc == evaluation_document(evaluate(load(example)))


@pytest.mark.parametrize("path", TREES + CONFORMANCE, ids=lambda p: p.name)
def test_json_equals_the_library_document(path):
    run = offramp("evaluate", path, "--json")
    assert run.returncode == 0
    assert json.loads(run.stdout) == evaluation_document(evaluate(load(path)))
    assert "NaN" not in run.stdout and "Infinity" not in run.stdout


def test_set_changes_the_values(example):
    run = offramp("evaluate", example, "--json", "--set", "p_collapse=1")
    doc = json.loads(run.stdout)
    assert doc["variables"] == {"p_collapse": 1.0}
    assert doc["nodes"]["defeat"]["expected"] == {"security": -55.0, "risk": -100.0}
    assert doc == evaluation_document(evaluate(load(example), {"p_collapse": 1.0}))


def test_set_unknown_variable_lists_the_known_ones(example):
    run = offramp("evaluate", example, "--set", "p_colapse=0.5")
    assert run.returncode == 2 and run.stdout == ""
    assert 'there is no variable "p_colapse"; the variables are p_collapse' in run.stderr


@pytest.mark.parametrize("assignment", ["p_collapse=abc", "p_collapse=", "p_collapse=nan",
                                        "p_collapse=inf", "p_collapse"])
def test_set_needs_a_finite_number(example, assignment):
    run = offramp("evaluate", example, "--set", assignment)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.startswith(f"offramp: --set {assignment}: ")
    assert len(run.stderr.splitlines()) == 1


def test_set_that_breaks_probabilities_is_located(example):
    run = offramp("evaluate", example, "--set", "p_collapse=1.5")
    assert run.returncode == 1 and run.stdout == ""
    first, last = run.stderr.splitlines()[0], run.stderr.splitlines()[-1]
    assert re.match(rf'{re.escape(str(example))}:\d+:\d+: error: \$\.root\.children\[0\]'
                    r'\.children\[0\]\.probability \(node "collapse"\): probability 1\.5 is'
                    r' above 1', first)
    assert "cannot be evaluated" in last


def test_evaluate_never_imports_qt(example):
    code = ("import sys\nfrom offramp_gui.cli import main\n"
            f"assert main(['evaluate', {str(example)!r}, '--json']) == 0\n"
            f"assert main(['validate', {str(example)!r}]) == 0\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6',"
            " 'pyqtgraph') or m.startswith('offramp_gui.gui')]\n"
            "assert not bad, bad\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, cwd=ROOT)
    assert run.returncode == 0, run.stderr


# ---- the fast path agrees with the careful one --------------------------------------------
def fast_json(path: Path) -> str | None:
    plain = read_plain(path)
    if plain is None:
        return None
    flat = flatten_columns(*plain)
    assert not flat.suspect
    return evaluation_json(evaluate_flat(flat))


def careful_json(path: Path) -> str:
    return evaluation_json(evaluate_flat(flatten(load(path))))


def written_out(path: Path, folder: Path) -> Path:
    """The tree with each template use detached and each master unmarked: the same tree
    written out by hand, which the fast path reads (it leaves templates to the careful one)."""
    tree = load(path)
    if tree.links is None:
        return path
    for use_id in list(tree.links.uses):
        templates.detach(tree, use_id)
    for master_id in list(tree.links.masters.values()):
        tree.set_field(master_id, "template", None)
    assert tree.links is None
    save(tree, folder / path.name)
    return folder / path.name


@pytest.mark.parametrize("path", TREES + CONFORMANCE, ids=lambda p: p.name)
def test_fast_and_careful_paths_agree(path, tmp_path):
    written = written_out(path, tmp_path)
    if has_information_sets(load(path)):  # (their rules are checked by the careful reader)
        assert read_plain(written) is None
        return
    assert fast_json(written) == careful_json(path)


def test_a_top_level_x_key_changes_nothing(tmp_path):
    path = write(tmp_path, "x.json", {**EXAMPLE, "x-editor": {"zoom": 2}})
    assert careful_json(path) == careful_json(write(tmp_path, "plain.json", EXAMPLE))
    assert fast_json(path) in (None, careful_json(path))


@pytest.mark.parametrize("change", [
    lambda t: t.replace('"id": "talks",', '"id": "talks", "x-colour": "red",'),
    lambda t: t.replace('"id": "talks",', ""),
    lambda t: t.replace('"id": "talks",', '"id": "talks", "id": "talks",'),
    lambda t: t.replace('"value": 0.3', '"value": NaN'),
    lambda t: t.replace('"payoff": {"security": 5}', '"payoff": {"security": 5, "security": 6}'),
], ids=["x-key", "missing id", "duplicate key", "NaN", "duplicate payoff key"])
def test_fast_path_declines_unusual_files(tmp_path, change):
    text = json.dumps(EXAMPLE)
    assert read_plain(write(tmp_path, "plain.json", text)) is not None
    changed = change(text)
    assert changed != text
    assert read_plain(write(tmp_path, "odd.json", changed)) is None


@pytest.mark.parametrize("amount", ["true", '"nan"', '"inf"', '"1_0"'])
def test_amounts_numpy_would_take_are_refused(tmp_path, amount):
    """numpy turns true and texts such as "nan" into numbers; the format does not."""
    text = json.dumps(EXAMPLE).replace('"payoff": {"security": 5}',
                                       f'"payoff": {{"security": {amount}}}')
    run = offramp("evaluate", write(tmp_path, "odd.json", text), "--json")
    assert run.returncode == 1 and run.stdout == ""
    assert '$.root.children[0].payoff.security (node "defeat")' in run.stderr


def wide_tree(alternatives: int) -> dict:
    """A tree whose last level spans several of the fast reader's blocks of nodes."""
    def gamble(k: int) -> dict:
        return {"id": f"g{k}", "type": "chance", "branch": f"gamble {k}", "children": [
            {"id": f"g{k}w", "type": "terminal", "probability": 0.25 + k / 10_000,
             "payoff": {"security": k % 7, "risk": -(k % 5)}, "outcome": "settlement"},
            {"id": f"g{k}l", "type": "terminal", "probability": "#",
             "payoff": {"security": -(k % 3)}, "outcome": "nuclear"}]}
    return {**{k: v for k, v in EXAMPLE.items() if k != "variables"},
            "root": {"id": "aim", "type": "decision", "player": "west",
                     "children": [gamble(k) for k in range(alternatives)]}}


def test_fast_path_reads_many_blocks_as_the_careful_reader_does(tmp_path):
    path = write(tmp_path, "wide.json", json.dumps(wide_tree(1500), indent=1))
    assert fast_json(path) == careful_json(path)


@pytest.mark.parametrize("change", [
    lambda node: node.update(branch=5),
    lambda node: node.update(payoff=None),
    lambda node: node.update({"x-colour": "red"}),
    lambda node: node.update(outcome=["nuclear"]),
    lambda node: node.update(type="terminus"),
], ids=["number as branch", "null payoff", "x-key", "list as outcome", "unknown type"])
def test_fast_path_declines_a_flaw_in_a_late_block(tmp_path, change):
    tree = wide_tree(1500)
    change(tree["root"]["children"][-1]["children"][-1])
    assert read_plain(write(tmp_path, "flawed.json", json.dumps(tree))) is None


def buffered() -> dict[str, str]:
    """The environment without PYTHONUNBUFFERED: output waits in Python's buffer."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}


@pytest.mark.parametrize("alternatives", [2, 1500], ids=["short", "long"])
def test_the_result_arrives_whole(tmp_path, alternatives):
    """The command ends without freeing its memory: all output must be out first,
    whether it still sits in Python's buffer (short) or overflows a pipe (long)."""
    path = write(tmp_path, "wide.json", wide_tree(alternatives))
    run = subprocess.run([sys.executable, "-m", "offramp_gui", "evaluate", str(path), "--json"],
                         capture_output=True, text=True, cwd=ROOT, env=buffered(), timeout=60)
    assert run.returncode == 0 and run.stderr == ""
    assert json.loads(run.stdout) == evaluation_document(evaluate(load(path)))


def test_a_reader_that_stops_early_is_no_error(tmp_path):
    path = write(tmp_path, "wide.json", wide_tree(1500))
    command = [sys.executable, "-m", "offramp_gui", "evaluate", str(path), "--json"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          cwd=ROOT, env=buffered()) as process:
        assert process.stdout.read(100).startswith(b'{"format": "offramp-evaluation"')
        process.stdout.close()  # like `| head -c 100`
        errors = process.stderr.read()
        assert process.wait(timeout=60) == 0
    assert errors == b""


def test_calling_main_in_a_program_leaves_its_garbage_collector_on(example, capsys):
    assert gc.isenabled()
    assert main(["evaluate", str(example), "--json"]) == 0
    assert gc.isenabled()
    assert json.loads(capsys.readouterr().out)["root"] == "aim"


def test_a_closed_standard_output_is_no_error(example):
    run = subprocess.run([sys.executable, "-m", "offramp_gui", "evaluate", str(example),
                          "--json"], stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=60,
                         preexec_fn=lambda: os.close(1))
    assert (run.returncode, run.stderr) == (0, "")


def test_integers_beyond_64_bits_are_compared_exactly(tmp_path):
    """orjson rounds them to floats: the quick reader must leave such files alone."""
    text = json.dumps(EXAMPLE).replace('"min": 0, "max": 1',
                                       f'"min": {10**29 + 1}, "max": {10**29}')
    path = write(tmp_path, "big.json", text)
    assert read_plain(path) is None
    run = offramp("evaluate", path, "--json")
    assert run.returncode == 1 and run.stdout == ""
    assert "is above max" in run.stderr


def test_a_utility_too_large_to_compute_is_reported(tmp_path):
    doc = json.loads(json.dumps(EXAMPLE))
    doc["players"][0]["weights"]["security"] = 1e308
    path = write(tmp_path, "heavy.json", doc)
    run = offramp("evaluate", path, "--json")
    assert run.returncode == 1 and run.stdout == ""
    assert "a player's utility here is too large to compute (it overflows)" in run.stderr
    assert "Warning" not in run.stderr
    results = evaluate_flat(flatten(read_file(path).tree))
    assert np.isnan(results.utility[0, 0]) and not np.isinf(results.utility).any()
    json.dumps(evaluation_document(results), allow_nan=False)  # null, never Infinity


# ---- file names that would take over the terminal ------------------------------------------
#: An escape sequence (red text), a right-to-left override and a line break.
HOSTILE_NAME = "red\x1b[31m rtl\u202egnp.exe new\nline"
RAW = re.compile("[\x1b\u202e\n]")


def hostile_copy(folder: Path, source: Path) -> Path:
    path = folder / f"{HOSTILE_NAME}.json"
    path.write_bytes(source.read_bytes())
    return path


def printed_lines(capsys, *args: str | Path) -> list[str]:
    """What a command prints, line by line, with the one line break each line ends in."""
    main([str(a) for a in args])
    out, err = capsys.readouterr()
    return (out + err).splitlines()


#: Export draws with Qt: the run without PySide6 leaves it out (the main run has it).
NEEDS_QT = pytest.mark.skipif(not all(importlib.util.find_spec(name)
                                      for name in ("PySide6", "pyqtgraph")),
                              reason="export needs PySide6 and pyqtgraph")


@pytest.mark.parametrize("command", [["validate"], ["evaluate"], ["tornado"],
                                     pytest.param(["export", "-o", "{folder}/out.png"],
                                                  marks=NEEDS_QT)])
def test_hostile_file_names_are_quoted(tmp_path, capsys, command):
    args = [a.format(folder=tmp_path) for a in command[1:]]
    good = hostile_copy(tmp_path, ROOT / "trees" / "offramp.json")
    bad_folder = tmp_path / "bad"
    bad_folder.mkdir()
    bad = hostile_copy(bad_folder, ROOT / "tests" / "data" / "bad" / "nan.json")
    lines = printed_lines(capsys, command[0], bad, *args)
    assert lines and all(line.startswith(repr(str(bad))) for line in lines)
    if command[0] == "validate":
        assert printed_lines(capsys, "validate", good) == [f"{str(good)!r}: ok"]


@NEEDS_QT
def test_hostile_export_targets_are_quoted(tmp_path, capsys):
    good = hostile_copy(tmp_path, ROOT / "trees" / "offramp.json")
    for target in [tmp_path / "missing" / f"{HOSTILE_NAME}.png",
                   tmp_path / f"{HOSTILE_NAME}.gif"]:
        [line] = printed_lines(capsys, "export", good, "-o", target)
        assert repr(str(target)) in line and not RAW.search(line)


def test_ordinary_file_names_print_as_they_are(tmp_path, capsys):
    path = tmp_path / "an ordinary name, ünïcode.json"
    path.write_bytes((ROOT / "trees" / "offramp.json").read_bytes())
    assert printed_lines(capsys, "validate", path) == [f"{path}: ok"]


#: The hostile name as error messages write it: each character that does not print escaped.
ESCAPED_NAME = r"red\x1b[31m rtl\u202egnp.exe new\nline"


@pytest.mark.parametrize("args", [
    ["evaluate", "{tree}", "--set", f"{HOSTILE_NAME}=1"],  # our own error
    ["evaluate", "{tree}", f"--{HOSTILE_NAME}"],  # argparse's: an unknown option
    ["evaluate", "{tree}", HOSTILE_NAME],  # an argument too many
    ["simulate", "{tree}", "-n", HOSTILE_NAME],  # a value of the wrong type
    ["convert", "{tree}", "--from", HOSTILE_NAME, "-o", "out.json"],  # an unknown choice
    ["{tree}", HOSTILE_NAME],  # the app's command line
])
def test_command_line_errors_escape_what_would_not_print(capsys, args):
    tree = str(ROOT / "trees" / "offramp.json")
    try:
        status = main([a.format(tree=tree) for a in args])
    except SystemExit as stop:  # argparse's errors
        status = stop.code
    out, err = capsys.readouterr()
    lines = err.splitlines()  # the usage, then the error on the last line
    assert (status, out) == (2, "") and lines[-1].startswith("offramp")
    assert ESCAPED_NAME in lines[-1] and not any(RAW.search(line) for line in lines)


# ---- the contract gaps of the first hostile corpus ----------------------------------------
def test_what_validate_says_of_an_empty_id_a_near_sum_an_empty_file_and_a_duplicate(tmp_path):
    head = '{"format": "offramp-tree", "version": 1, "title": "t", "root": '
    near_sum = ('{"id": "r", "type": "chance", "children": [{"id": "a", "type": "terminal",'
                ' "probability": 0.5}, {"id": "b", "type": "terminal", "probability": 0.500002}]}')
    duplicate = ('{"id": "r", "type": "decision", "children": [{"id": "a", "branch": "Hold on",'
                 ' "type": "terminal"}, {"id": "a", "type": "terminal"}]}')
    # name -> (text, where the problem is, what is said of it)
    cases = {
        "empty-id.json": (head + '{"id": "", "type": "terminal"}}', '""',
                          '$.root.id: the id is empty; give the node an id, or leave "id" out'
                          " and offramp makes one"),
        "near-sum.json": (head + near_sum + "}", '{"id": "r"',
                          '$.root (node "r"): the probabilities of its branches add up to'
                          " 1.000002, not 1"),
        "empty.json": ("", "", "$: the file is empty"),
        "duplicate.json": (head + duplicate + "}", '"a"',
                           '$.root.children[1].id (node "a"): duplicate id "a": the node'
                           ' "Hold on" already has it'),
    }
    for name, (text, _where, _said) in cases.items():
        (tmp_path / name).write_text(text)
    runs = offramp_many([("validate", tmp_path / name) for name in cases])
    for (name, (text, where, said)), run in zip(cases.items(), runs):
        column = text.rindex(where) + 1
        assert (run.returncode, run.stdout, run.stderr) == (
            1, f"{tmp_path / name}:1:{column}: error: {said}\n", "")
