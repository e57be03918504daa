"""Opening and quitting the app at scale, whole process, offscreen.

    python bench_open.py [--sizes 100000 1000000] [--runs 1] [--code DIR ...]

Each run starts `offramp FILE` (the app's own start-up, `gui.app`) in a child process on
a tree saved without folds, and prints, from the moment the process was started:

- window shown: the main window is on screen;
- tree painted: the canvas first painted the opened tree;
- usable: the tree is the document, its results computed, the canvas painted and every
  event that opening posted handled (the window answers the next input at once);
- longest stall: the longest the event loop went without running a 10 ms timer, from
  the window shown to usable (what a user would feel as a freeze);
- quit: from File > Quit to the end of the process;
- the child process's peak memory.

`--code DIR` runs the app from another checkout (the code before a change) as well,
alternating with this one, run by run. Trees larger than the file size limit in the
canonical layout are written compactly (one line), as any JSON writer may.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OURS = HERE.parent

#: The child: starts the app as `offramp FILE` does, with hooks that time it, then quits.
CHILD = r'''
import os, sys, time
started = float(sys.argv[2])
interact = None
if len(sys.argv) > 3:  # "folder module[:function]": function(window) -> figures, run once usable
    sys.path.insert(0, sys.argv[3])
    module, _, function = sys.argv[4].partition(":")
    interact = getattr(__import__(module), function or "interact")
from PySide6.QtCore import QEvent, QObject, QTimer
from offramp_gui.gui import app as app_module
from offramp_gui.gui.main_window import MainWindow

marks, ticks = {}, []
def mark(name):
    marks.setdefault(name, time.monotonic() - started)

class Watch(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window, self.loaded = window, False
    def eventFilter(self, target, event):
        if event.type() == QEvent.Type.Show and target is self.window:
            mark("shown")
        elif event.type() == QEvent.Type.Paint and self.loaded:
            mark("painted")
            QTimer.singleShot(0, self.settle)
        return False
    def reset(self):
        self.loaded = True
        self.window.view.viewport().update()
    def settle(self):
        files = self.window.files
        if "usable" in marks or getattr(files, "opening", False):
            return
        ticks.append(time.monotonic())  # (the stall up to here counts)
        mark("usable")
        QTimer.singleShot(300, self.quit)
    def quit(self):
        ticker.stop()
        stalls = [b - a for a, b in zip(ticks, ticks[1:])]
        try:
            more = interact(self.window) if interact else {}
        except BaseException:  # (else Qt prints it and the app waits on)
            import traceback
            traceback.print_exc()
            os._exit(1)
        print(json.dumps({**marks, **more, "stall": max(stalls, default=0.0),
                          "quit_asked": time.monotonic()}), flush=True)
        self.window.actions["quit"].trigger()

import json
ticker = QTimer()
ticker.setInterval(10)
ticker.timeout.connect(lambda: "usable" not in marks and ticks.append(time.monotonic()))
original = MainWindow.__init__
def hooked(self, *args, **kwargs):
    original(self, *args, **kwargs)
    watch = Watch(self)
    self.installEventFilter(watch)
    self.view.viewport().installEventFilter(watch)
    self.document.document_reset.connect(watch.reset)
    self.prompts.save_changes = lambda name: "discard"
    ticker.start()
MainWindow.__init__ = hooked
if hasattr(app_module, "run"):
    app_module.run(sys.argv[1])
sys.exit(app_module.main(sys.argv[1]))
'''


def write_tree(folder: Path, size: int) -> Path:
    """A tree of `size` nodes saved without folds (made in a process of its own, whose
    memory is given back before the app starts)."""
    path = folder / f"tree-{size}.json"
    subprocess.run([sys.executable, __file__, "--write", str(size), str(path)], check=True)
    return path


def write(size: int, path: Path) -> None:
    from treegen import random_tree

    from offramp_gui.fileformat.json_io import dumps, to_dict
    from offramp_gui.fileformat.limits import MAX_FILE_BYTES

    tree = random_tree(size)
    text = dumps(tree)
    if len(text.encode()) > MAX_FILE_BYTES:
        text = json.dumps(to_dict(tree), ensure_ascii=False, separators=(",", ":"))
    path.write_text(text, encoding="utf-8")


def one_run(code: Path, tree: Path, state: Path, interact: str | None = None
            ) -> dict[str, float]:
    """Open `tree` in the app from `code`; `interact` names a module of benchmarks/ whose
    `interact(window)` (or "module:function") runs in the app once it is usable, and
    returns more figures."""
    environment = {**os.environ, "PYTHONPATH": str(code), "QT_QPA_PLATFORM": "offscreen",
                   "XDG_CONFIG_HOME": str(state), "OFFRAMP_STATE_DIR": str(state)}
    started = time.monotonic()
    more = [str(HERE), interact] if interact else []
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(tree), str(started), *more],
                             env=environment, stdout=subprocess.PIPE, text=True)
    line = child.stdout.readline() if child.stdout else ""
    _pid, status, usage = os.wait4(child.pid, 0)
    ended = time.monotonic()
    child.returncode = os.waitstatus_to_exitcode(status)
    if not line:
        raise SystemExit(f"the app from {code} did not report (exit status {child.returncode})")
    figures = json.loads(line)
    figures["quit"] = ended - figures.pop("quit_asked")
    figures["peak_gb"] = usage.ru_maxrss / 2**20
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--code", type=Path, nargs="*", default=[],
                        help="other checkouts to time alternately (e.g. the code before)")
    parser.add_argument("--write", nargs=2, metavar=("SIZE", "PATH"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.write:
        write(int(options.write[0]), Path(options.write[1]))
        return
    codes = [OURS] + [c.resolve() for c in options.code]
    with tempfile.TemporaryDirectory() as folder:
        for size in options.sizes:
            tree = write_tree(Path(folder), size)
            megabytes = tree.stat().st_size / 2**20
            for run in range(options.runs):
                for code in codes:
                    with open("/proc/loadavg") as load:
                        before = load.read().split()[0]
                    with tempfile.TemporaryDirectory() as state:
                        f = one_run(code, tree, Path(state))
                    print(f"{size:,} nodes ({megabytes:.0f} MB), {code.name}, run {run + 1}:"
                          f" window shown {f['shown']:.2f} s, tree painted"
                          f" {f['painted']:.2f} s, usable {f['usable']:.2f} s, longest"
                          f" stall {f['stall'] * 1000:.0f} ms, quit {f['quit']:.2f} s"
                          f" (peak memory {f['peak_gb']:.2f} GB; load {before})",
                          flush=True)


if __name__ == "__main__":
    main()
