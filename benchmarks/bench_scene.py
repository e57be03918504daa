"""The canvas at scale, offscreen: Fold All, Expand All and Fold Below Level on a
100,000-node tree; first paint, pan and zoom frames on a 1,000,000-node tree.

    python benchmarks/bench_scene.py [--large 1000000] [--folding 100000]

Each fold is timed from the action to the canvas repainted; a frame is one scroll or
zoom step and the repaint of the canvas. Peak memory is the process's.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from treegen import random_tree  # noqa: E402

from offramp_gui.fileformat.json_io import dumps  # noqa: E402


def write_tree(folder: Path, size: int) -> Path:
    path = folder / f"tree-{size}.json"
    path.write_text(dumps(random_tree(size)), encoding="utf-8")
    return path


def settle(app: QApplication, window) -> None:  # noqa: ANN001
    """Let the queued relayout run, then paint the canvas."""
    app.processEvents()
    window.view.viewport().repaint()


def timed(app: QApplication, window, action) -> float:  # noqa: ANN001
    start = time.perf_counter()
    action()
    settle(app, window)
    return time.perf_counter() - start


def open_window(app: QApplication, path: Path):  # noqa: ANN201
    from offramp_gui.gui.main_window import MainWindow

    window = MainWindow()
    window.prompts.save_changes = lambda name: "discard"
    window.resize(1600, 1000)
    window.show()
    app.processEvents()
    start = time.perf_counter()
    window.files.open(path, ask=False)
    settle(app, window)
    return window, time.perf_counter() - start


def folding(app: QApplication, path: Path, size: int) -> None:
    window, _ = open_window(app, path)
    actions = window.actions
    window.prompts.number = lambda *args, **kwargs: 3
    for _ in range(2):
        figures = {name: timed(app, window, actions[key].trigger) * 1000 for name, key in (
            ("Fold All", "fold-all"), ("Expand All", "expand-all"),
            ("Fold Below Level 3", "fold-below"), ("Expand All again", "expand-all"))}
        print(f"{size:,} nodes: " + ", ".join(f"{name} {ms:.0f} ms"
                                             for name, ms in figures.items()), flush=True)
    print(f"  items on the canvas after Expand All: {len(window.scene.node_ids())},"
          f" nodes shown {window.scene.shown_count():,}", flush=True)
    window.close()


def frames(app: QApplication, window, step) -> tuple[float, float]:  # noqa: ANN001
    times = [timed(app, window, lambda k=k: step(k)) for k in range(40)]
    return max(times) * 1000, statistics.median(times) * 1000


def large(app: QApplication, path: Path, size: int) -> None:
    window, first_paint = open_window(app, path)
    view, scene = window.view, window.scene
    window.actions["expand-all"].trigger()
    expand = timed(app, window, lambda: None)
    print(f"{size:,} nodes: open to first paint {first_paint:.2f} s (file read and checked,"
          f" evaluated, laid out, painted); Expand All {expand:.2f} s;"
          f" {scene.shown_count():,} shown, {len(scene.node_ids())} items", flush=True)
    # Scrolling over the tree alone (not the room Fit makes for the overview's texts):
    # the frames then show the tree round its root, whichever version runs them.
    view.setSceneRect(QRectF())
    view.reset_zoom()
    view.centerOn(scene.node_position(window.document.tree.root.id))
    settle(app, window)
    bar = view.verticalScrollBar()
    pan = frames(app, window, lambda k: bar.setValue(bar.value() + 120))
    print(f"  pan at 100% (120 px a frame): slowest {pan[0]:.1f} ms, median {pan[1]:.1f} ms,"
          f" {len(scene.node_ids())} items", flush=True)
    zoom = frames(app, window, lambda k: view.zoom_by(0.8 if k < 20 else 1.25))
    print(f"  zoom out and back in, 20 steps each: slowest {zoom[0]:.1f} ms,"
          f" median {zoom[1]:.1f} ms", flush=True)
    fit = timed(app, window, window.actions["zoom-fit"].trigger)
    pan_far = frames(app, window, lambda k: bar.setValue(bar.value() + (30 if k % 2 else -30)))
    print(f"  Fit {fit * 1000:.0f} ms (the lines alone: {scene.dense}); pan there: slowest"
          f" {pan_far[0]:.1f} ms, median {pan_far[1]:.1f} ms", flush=True)
    window.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folding", type=int, default=100_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    with tempfile.TemporaryDirectory() as folder:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
        print(f"load {open('/proc/loadavg').read().split()[0]}", flush=True)
        if args.folding:
            folding(app, write_tree(Path(folder), args.folding), args.folding)
        if args.large:
            large(app, write_tree(Path(folder), args.large), args.large)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory {peak:.0f} MB; load {open('/proc/loadavg').read().split()[0]}")


if __name__ == "__main__":
    main()
