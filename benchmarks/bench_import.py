"""File > Import of a SilverDecisions file in the app (offscreen): the time to the tree
shown and the longest the window went without handling its events meanwhile.

    python bench_import.py [--file FILE] [--runs 3] [--code DIR ...]

FILE defaults to the 9,841-node synthetic file of ../shared/interop. Each run is a
fresh app process, alternating with other checkouts (`--code`: the code before).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "shared" / "interop" / "silverdecisions" / "synthetic"

CHILD = r"""
import os, sys, time
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from offramp_gui.gui.main_window import MainWindow
window = MainWindow()
window.show()
for _ in range(50):
    app.processEvents()
window.prompts.save_changes = lambda name: "discard"
feature = window.features["interop"]
ticks = [time.perf_counter()]
ticker = QTimer()
ticker.setInterval(5)
ticker.timeout.connect(lambda: ticks.append(time.perf_counter()))
ticker.start()
start = time.perf_counter()
if hasattr(feature, "start_import"):  # (the code before converted on this thread)
    feature.start_import(Path(sys.argv[1]))
    ticks.append(time.perf_counter())
    while feature.job is not None:
        app.processEvents()
        time.sleep(0.002)
else:
    feature.import_file(Path(sys.argv[1]))
ticks.append(time.perf_counter())
print(len(window.document.tree), ticks[-1] - start,
      max(b - a for a, b in zip(ticks, ticks[1:])), flush=True)
os._exit(0)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--file", type=Path, default=SHARED / "synthetic_9841_nodes.json")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--code", type=Path, nargs="*", default=[],
                        help="other checkouts to time alternately (e.g. the code before)")
    options = parser.parse_args()
    for run in range(options.runs):
        for code in [HERE.parent] + [c.resolve() for c in options.code]:
            environment = {**os.environ, "PYTHONPATH": str(code),
                           "QT_QPA_PLATFORM": "offscreen"}
            line = subprocess.run([sys.executable, "-c", CHILD, str(options.file)],
                                  env=environment, capture_output=True, text=True,
                                  check=True).stdout.split()
            nodes, seconds, stall = int(line[0]), float(line[1]), float(line[2])
            print(f"{code.name}, run {run + 1}: {nodes:,} nodes imported in {seconds:.2f} s,"
                  f" longest stall {stall:.2f} s", flush=True)


if __name__ == "__main__":
    main()
