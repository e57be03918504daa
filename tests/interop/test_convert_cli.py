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
SAMPLE_TREE = DATA / "silverdecisions" / "SilverDecisions" / "demo" / "data" / "sample-tree.json"
BAD_CHANCE = DATA / "silverdecisions" / "SilverDecisions" / "test" / "trees" / "badchance_fail.json"
TINY = DATA / "silverdecisions" / "synthetic" / "tiny_example.json"
OFFRAMP = ROOT / "trees" / "offramp.json"


def offramp(*args: str | Path) -> subprocess.CompletedProcess:
    run = subprocess.run([sys.executable, "-m", "offramp_gui", *map(str, args)],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    for stream in (run.stdout, run.stderr):
        assert "Traceback" not in stream and "internal error" not in stream, stream
    return run


def test_json_report_lists_what_was_converted_and_approximated(tmp_path):
    out = tmp_path / "poker.json"
    run = offramp("convert", POKER, "-o", out, "--json")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["format"] == "offramp-conversion"
    assert (report["from"], report["to"]) == ("gambit", "offramp")
    assert report["target"] == str(out)
    assert any("A simple Poker game" in line for line in report["converted"])
    assert len(report["approximated"]) == 1 and "information set" in report["approximated"][0]
    assert isinstance(report["dropped"], list)
    assert load(out).title == "A simple Poker game"


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
    (["convert", POKER, "-o", "{tmp}/x.json", "--strict"], 1,
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
