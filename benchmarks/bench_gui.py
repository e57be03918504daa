"""Desktop app speed, offscreen: open and first paint, one edit, a large tree, export.

    python benchmarks/bench_gui.py [--save-only]

Figures (targets): open + first paint of a 10,000-node tree (< 1.5 s); a probability
edit updating every visible number (< 50 ms); open a 100,000-node tree (< 5 s, folded
below a depth); pan and zoom frames on it; export a 1,000-node tree to PNG (< 2 s);
how long saving a ~50 MB tree blocks the window, on the main thread as the app used to
save and through File > Save on its worker (the longest the event loop waited), and the
same for one autosave of it.
"""
from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from treegen import random_tree  # noqa: E402

from offramp_gui.fileformat.json_io import dumps  # noqa: E402

FOLD_DEPTH = 6  # the 100,000-node tree opens with nodes deeper than this folded


def write_tree(folder: Path, size: int, fold_below: int | None = None) -> Path:
    tree = random_tree(size)
    if fold_below is not None:
        depth = {tree.root.id: 0}
        for node in tree.root.walk():
            for child in node.children:
                depth[child.id] = depth[node.id] + 1
            if node.children and depth[node.id] >= fold_below:
                node.collapsed = True
    path = folder / f"tree-{size}.json"
    path.write_text(dumps(tree), encoding="utf-8")
    return path


def seconds(action) -> float:  # noqa: ANN001
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def open_and_paint(app: QApplication, path: Path):  # noqa: ANN201
    from offramp_gui.gui.main_window import MainWindow

    window = MainWindow()
    window.prompts.save_changes = lambda name: "discard"  # no dialog may block
    window.resize(1600, 1000)
    start = time.perf_counter()
    window.files.open(path, ask=False)
    window.show()
    window.view.viewport().repaint()
    app.processEvents()
    return window, time.perf_counter() - start


def edit_probability(app: QApplication, window) -> float:  # noqa: ANN001
    """Push one probability change and wait until the canvas shows the new numbers."""
    document = window.document
    node = next(n for n in document.tree.root.walk() if n.type == "chance")
    first, second = node.children[0], node.children[1]
    total = first.probability + second.probability
    times = []
    for step in range(5):
        share = round(total * (0.3 + 0.1 * step), 3)

        def edit(share: float = share) -> None:
            with document.tree.batch():
                document.edit.set_field(first.id, "probability", share)
                document.edit.set_field(second.id, "probability", round(total - share, 3))
            document.recompute()  # what the zero-delay timer does on the next turn
            window.view.viewport().repaint()

        times.append(seconds(edit))
    return statistics.median(times)


def longest_stall(start, finished) -> tuple[float, float]:  # noqa: ANN001
    """Run `start` from the event loop until `finished` is emitted: the longest the loop
    waited between two ticks of a 10 ms timer, and the whole time, in seconds."""
    ticks: list[float] = []
    ticker = QTimer()
    ticker.setInterval(10)
    ticker.timeout.connect(lambda: ticks.append(time.perf_counter()))
    loop = QEventLoop()
    finished.connect(loop.quit)

    def begin() -> None:
        ticks.append(time.perf_counter())
        start()

    ticker.start()
    QTimer.singleShot(0, begin)
    loop.exec()
    ended = time.perf_counter()
    ticker.stop()
    finished.disconnect(loop.quit)
    stalls = [later - earlier for earlier, later in zip(ticks, ticks[1:] + [ended])]
    return max(stalls), ended - ticks[0]


def save_blocking(app: QApplication, folder: Path) -> None:
    """Print how long saving, and autosaving, a ~50 MB tree keeps the window from
    answering."""
    from offramp_gui.fileformat.json_io import save

    path = write_tree(folder, 85_000)
    window, _opened = open_and_paint(app, path)
    megabytes = path.stat().st_size / 2**20
    window.document.edit.set_title("Saved on the main thread")
    # (Elsewhere: the window's own file changed behind its back would ask first.)
    on_main_thread = seconds(lambda: save(window.document.tree, folder / "before.json"))
    window.document.edit.set_title("Saved on the worker")
    app.processEvents()  # the edit's own recompute and redraw, before the save
    stall, took = longest_stall(window.actions["save"].trigger, window.files.save_finished)
    print(f"save a {megabytes:.0f} MB tree: window blocked {on_main_thread:.2f} s on the main"
          f" thread (before); through File > Save, longest stall {stall * 1000:.0f} ms"
          f" while the worker took {took:.2f} s (after)")
    recovery = window.features["recovery"]
    window.document.edit.set_title("Autosaved on the main thread")
    app.processEvents()
    on_main_thread = seconds(recovery.write)  # what every tick did before
    window.document.edit.set_title("Autosaved on the worker")
    app.processEvents()
    stall, took = longest_stall(recovery.tick, recovery.autosaved)
    print(f"autosave the {megabytes:.0f} MB tree: window blocked {on_main_thread:.2f} s on"
          f" the main thread (before); one autosave tick, longest stall"
          f" {stall * 1000:.0f} ms while the worker took {took:.2f} s (after)")
    window.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--save-only", action="store_true",
                        help="measure only how long a save and an autosave block the"
                             " window")
    options = parser.parse_args()
    gc.disable()
    QCoreApplication.setOrganizationName("offramp-benchmarks")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    app = QApplication(sys.argv[:1])
    from offramp_gui.gui.export import export_tree

    with tempfile.TemporaryDirectory() as folder:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
        os.environ["OFFRAMP_STATE_DIR"] = folder  # recovery copies go in here too
        if options.save_only:
            save_blocking(app, Path(folder))
            return
        ten_k = write_tree(Path(folder), 10_000)
        window, opened = open_and_paint(app, ten_k)
        print(f"10,000 nodes: open and first paint {opened:.2f} s (target < 1.5 s)")
        print(f"10,000 nodes: probability edit, all visible numbers updated"
              f" {edit_probability(app, window) * 1000:.0f} ms (target < 50 ms)")
        window.close()
        big = write_tree(Path(folder), 100_000, fold_below=FOLD_DEPTH)
        window, opened = open_and_paint(app, big)
        shown = len(window.scene.node_ids())
        print(f"100,000 nodes (folded below depth {FOLD_DEPTH}, {shown:,} nodes on the"
              f" canvas): open {opened:.2f} s (target < 5 s)")
        frames = []
        for step in range(20):
            frames.append(seconds(lambda s=step: (window.view.zoom_by(1.1 if s % 2 else 0.9),
                                                  window.view.horizontalScrollBar().setValue(
                                                      s * 40),
                                                  window.view.viewport().repaint())))
        print(f"100,000 nodes: pan and zoom, slowest frame {max(frames) * 1000:.0f} ms,"
              f" median {statistics.median(frames) * 1000:.0f} ms")
        window.close()
        from offramp_gui.api import load
        thousand = load(write_tree(Path(folder), 1_000))
        out = Path(folder) / "tree.png"
        print(f"1,000 nodes: export to PNG {seconds(lambda: export_tree(thousand, out)):.2f} s"
              " (target < 2 s)")
        save_blocking(app, Path(folder))


if __name__ == "__main__":
    main()
