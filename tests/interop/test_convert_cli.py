"""`offramp convert` as a user runs it: formats, the --json report, exit codes, no traceback."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from offramp_gui.api import evaluate, load

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "interop"
POKER = DATA / "gambit" / "catalog" / "books" / "myerson1991" / "fig2_1.efg"
CENTIPEDE = DATA / "gambit" / "contrib" / "games" / "cent4.efg"
FORGETFUL = DATA / "gambit" / "tests" / "test_games" / "not_perfect_recall.efg"
SAMPLE_TREE = DATA / "silverdecisions" / "SilverDecisions" / "demo" / "data" / "sample-tree.json"
BAD_CHANCE = DATA / "silverdecisions" / "SilverDecisions" / "test" / "trees" / "badchance_fail.json"
TINY = DATA / "silverdecisions" / "synthetic" / "tiny_example.json"
OFFRAMP = ROOT / "trees" / "offramp.json"


def offramp(*args: str | Path, timeout: float = 60) -> subprocess.CompletedProcess:
    run = subprocess.run([sys.executable, "-m", "offramp_gui", *map(str, args)],
                         capture_output=True, text=True, cwd=ROOT, timeout=timeout)
    for stream in (run.stdout, run.stderr):
        assert "Traceback" not in stream and "internal error" not in stream, stream
    return run


def test_json_report_lists_what_was_converted(tmp_path):
    out = tmp_path / "poker.json"
    run = offramp("convert", POKER, "-o", out, "--json")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["format"] == "offramp-conversion"
    assert (report["from"], report["to"]) == ("gambit", "offramp")
    assert report["target"] == str(out)
    assert any("A simple Poker game" in line for line in report["converted"])
    assert report["approximated"] == []  # Alice's information set is kept exactly
    assert isinstance(report["dropped"], list)
    assert load(out).title == "A simple Poker game"
    assert {n.information_set for n in load(out).root.walk()} == {None, "Alice, set 1"}


def test_silverdecisions_to_offramp_keeps_the_values(tmp_path):
    out = tmp_path / "sample.json"
    run = offramp("convert", SAMPLE_TREE, "-o", out)
    assert run.returncode == 0, run.stderr
    assert "(silverdecisions) ->" in run.stdout and "approximated: " in run.stdout
    assert evaluate(load(out)).expected[0, 0] == pytest.approx(1 + 3704647 / 4042689, rel=1e-9)
    assert not list(tmp_path.glob(".*.tmp"))  # written atomically, nothing left behind


def test_every_writable_format_from_the_command_line(tmp_path):
    for name in ("o.efg", "o.graphml", "o.dot", "o.gv", "o.csv", "o.json"):
        run = offramp("convert", OFFRAMP, "-o", tmp_path / name)
        assert run.returncode == 0, (name, run.stderr)
        assert (tmp_path / name).stat().st_size > 0
    run = offramp("convert", OFFRAMP, "-o", tmp_path / "table.txt", "--to", "csv")
    assert run.returncode == 0 and (tmp_path / "table.txt").read_text().startswith("path,id")


@pytest.mark.parametrize("args, status, words", [
    (["convert", BAD_CHANCE, "-o", "{tmp}/x.json"], 1,
     "add up to 1.299"),
    (["convert", FORGETFUL, "-o", "{tmp}/x.json", "--strict"], 1,
     "refused (strict)"),
    (["convert", OFFRAMP, "-o", "{tmp}/missing/x.csv"], 1, "does not exist"),
    (["convert", "{tmp}/nothing.efg", "-o", "{tmp}/x.json"], 1, "cannot read the file"),
    (["convert", OFFRAMP, "-o", "{tmp}/x.xlsx"], 2, "give --to"),
    (["convert", "{tmp}/x.csv", "-o", "{tmp}/x.json"], 2, "cannot read CSV"),
    (["convert", OFFRAMP, "-o", "{tmp}/x.json", "--from", "graphml"], 2, "invalid choice"),
    (["convert", OFFRAMP, "-o", "{tmp}/x.json", "--tree", "0"], 2, "numbered from 1"),
    (["convert", TINY, "-o", "{tmp}/x.json",
      "--tree", "2"], 2, "there is no tree 2"),
    (["convert", OFFRAMP], 2, "-o"),
    (["convert", OFFRAMP, "-o", "{tmp}/x.json", "--tree", "2"], 2,
     "only a SilverDecisions file holds several trees"),
])
def test_exit_codes_and_messages(tmp_path, args, status, words):
    (tmp_path / "x.csv").write_text("path,id\n")
    run = offramp(*[str(a).replace("{tmp}", str(tmp_path)) for a in args])
    assert run.returncode == status, run.stderr
    assert words in run.stderr
    assert not (tmp_path / "x.json").exists()


def test_an_existing_output_is_replaced_whole(tmp_path):
    out = tmp_path / "game.efg"
    out.write_text("old")
    assert offramp("convert", CENTIPEDE, "-o", out).returncode == 0
    assert out.read_text().startswith("EFG 2 R")


def test_a_fifo_as_input_is_refused_within_seconds(tmp_path):
    """Nothing writes to the FIFO: a reader that waits for it would never return."""
    import os

    for name in ("game.efg", "tree.json"):
        fifo = tmp_path / name
        os.mkfifo(fifo)
        run = offramp("convert", fifo, "-o", tmp_path / "out.json", timeout=10)
        assert run.returncode == 1
        assert run.stderr.startswith(f"offramp: {fifo}") and run.stderr.count("\n") == 1
        assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize("text, words", [
    ('EFG 2 R "e" { "A" }\n""\nc "" 1 "" { "x" 1e999999999 "y" 0 } 0\nt "" 0\nt "" 0\n',
     "game.efg:3:17: the probability '1e999999999' is refused: it is too large"),
    ('EFG 2 R "e" { "A" }\n""\nt "" 1 "o" { 1e999999999 }\n',
     "game.efg:3:14: the payoff in outcome 1 '1e999999999' is refused: it is too large"),
])
def test_a_huge_exponent_is_refused_at_once_with_its_place(tmp_path, text, words):
    game = tmp_path / "game.efg"
    game.write_text(text)
    run = offramp("convert", game, "-o", tmp_path / "out.json", timeout=20)
    assert run.returncode == 1 and words in run.stderr and run.stderr.count("\n") == 1


def test_a_gambit_game_5000_moves_deep_is_refused_with_its_line(tmp_path):
    moves = "".join(f'p "" 1 {k + 1} "" {{ "stop" "go" }} 0\nt "" 0\n' for k in range(5000))
    game = tmp_path / "deep.efg"
    game.write_text(f'EFG 2 R "deep" {{ "A" }}\n""\n{moves}t "" 0\n')
    run = offramp("convert", game, "-o", tmp_path / "out.json")
    assert run.returncode == 1
    assert run.stderr == (f"offramp: {game}:2003:1: this move is 1000 levels below the root"
                          " and has actions; offramp reads games up to 1000 levels deep\n")
