"""kill -9 in the middle of saving: the file is always the old version or the new one, whole.

A child process saves two different trees to the same path, one after the other, as fast
as it can; the test kills it with SIGKILL at a random moment, checks the file and its
.bak, and does it again.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from offramp_gui.api import load
from offramp_gui.fileformat.json_io import dumps, save

ROOT = Path(__file__).resolve().parents[2]
KILLS = 30

SAVER = """
import sys
from offramp_gui.fileformat.json_io import loads, save
trees = [loads(open(name, "rb").read()).tree for name in sys.argv[2:4]]
save(trees[0], sys.argv[1])
print("saving", flush=True)
n = 0
while True:
    n += 1
    save(trees[n % 2], sys.argv[1])
"""


@pytest.fixture
def versions(tmp_path) -> list[bytes]:
    """Two different, valid versions of a 60 KB tree, as files the child reads."""
    tree = load(ROOT / "trees" / "offramp.json")
    first = dumps(tree)
    tree.title += " (edited)"
    tree.root.children[0].branch = "Renamed"
    second = dumps(tree)
    for name, text in (("a.json", first), ("b.json", second)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    return [first.encode(), second.encode()]


def kill_while_saving(target: Path, sources: list[Path], delay: float) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    child = subprocess.Popen([sys.executable, "-c", SAVER, str(target), *map(str, sources)],
                             env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline() == "saving\n"
        time.sleep(delay)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(30)
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL, "the saver stopped by itself"


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_while_saving_leaves_a_whole_file(tmp_path, versions):
    target = tmp_path / "saved" / "tree.json"
    target.parent.mkdir()
    sources = [tmp_path / "a.json", tmp_path / "b.json"]
    chance = random.Random(5)
    seen = set()
    leftovers: set[str] = set()
    for _ in range(KILLS):
        kill_while_saving(target, sources, chance.uniform(0, 0.12))
        now = target.read_bytes()
        assert now in versions, "a torn or empty file after kill -9"
        assert target.with_name("tree.json.bak").read_bytes() in versions
        seen.add(now)
        load(target)  # and it loads
        leftovers.update(p.name for p in target.parent.iterdir())
        save(load(target), target)  # the next save leaves no stray file
        assert sorted(p.name for p in target.parent.iterdir()) == ["tree.json",
                                                                   "tree.json.bak"]
    assert len(seen) == 2, "the kills should land on both versions"
    assert any(name.endswith(".tmp") for name in leftovers), "no kill landed mid-write"
