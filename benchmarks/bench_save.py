"""A save's work on a worker, and what it leaves the window: `save_snapshot` of a large
tree run on a thread while this one ticks every 5 ms, as the window's event loop would.

    python bench_save.py [--size 1000000]

The tree is bench_million.py's (`treegen.random_tree` with a variable), read as the app
reads it; prints the time to the file written and the longest this thread waited for
the interpreter meanwhile.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from offramp_gui.fileformat.json_io import read_file, save_snapshot, snapshot
from offramp_gui.model import collector

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tree.json"
        subprocess.run([sys.executable, str(HERE / "bench_million.py"), "--write",
                        str(options.size), str(path)], check=True)
        with collector.paused():  # as the app's reader does
            tree = read_file(path).tree
        assert tree is not None
        collector.keep_out()
        snap = snapshot(tree)
        done = threading.Event()
        worker = threading.Thread(target=lambda: (save_snapshot(snap, path), done.set()))
        ticks = [time.perf_counter()]
        worker.start()
        while not done.is_set():
            time.sleep(0.005)
            ticks.append(time.perf_counter())
        worker.join()
    longest = max(b - a for a, b in zip(ticks, ticks[1:]))
    print(f"{options.size:,} nodes: saved in {ticks[-1] - ticks[0]:.1f} s on a worker;"
          f" longest wait of this thread meanwhile {longest:.2f} s")


if __name__ == "__main__":
    main()
