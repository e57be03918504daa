"""Export at scale, offscreen: a 1,000-node tree to PNG, a 100,000-node tree to PDF and SVG.

    python benchmarks/bench_export.py [--large N] [--rounds R] [--against FOLDER]

Figures (targets): a 1,000-node tree to PNG (< 1 s), beside the whole-image PNG that
Qt's own writer encodes, alternating; a 100,000-node tree to PDF and to SVG, each in a
process of its own: the time and the process's peak memory (well under 2 GB); and what
a PNG of it says (refused, with its size). With --against, the 1,000-node PNG by
another checkout of offramp (say an older commit, `git archive COMMIT | tar -x -C
FOLDER`) and by this one, in processes taking turns: the whole export_tree call, and
the processor time it took (all threads), which a busy machine inflates less.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM: ru_maxrss would count the parent's
    before the fork)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def qt_png(scene) -> bytes:  # noqa: ANN001 - a TreeScene
    """The PNG as export wrote it before: the whole image at once, Qt's PNG writer."""
    from PySide6.QtCore import QBuffer, QIODevice, QRectF, QSize
    from PySide6.QtGui import QImage

    from offramp_gui.gui.export import _background, export_rect, render

    source = export_rect(scene)
    size = QSize(math.floor(source.width()), math.floor(source.height()))
    image = QImage(size, QImage.Format.Format_RGB32)
    image.fill(_background(scene))
    render(scene, QRectF(0, 0, size.width(), size.height()), image, source,
           _background(scene))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG", 80)
    return bytes(buffer.data())


def small_png(rounds: int, folder: Path) -> None:
    from PySide6.QtWidgets import QApplication
    from treegen import random_tree

    from offramp_gui.gui.export import build_scene, export_rect, export_tree

    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841 - kept alive
    tree = random_tree(1_000)
    out = folder / "tree.png"
    source = export_rect(build_scene(tree))
    before, after = [], []
    for _ in range(rounds):  # alternating, so both see the same load
        start = time.perf_counter()
        scene = build_scene(tree)
        data = qt_png(scene)
        out.write_bytes(data)
        before.append(time.perf_counter() - start)
        start = time.perf_counter()
        export_tree(tree, out)
        after.append(time.perf_counter() - start)
    print(f"1,000 nodes to PNG ({source.width():,.0f} x {source.height():,.0f} px):"
          f" {statistics.median(after):.2f} s, {out.stat().st_size / 1e6:.1f} MB"
          f" (whole image through Qt's writer: {statistics.median(before):.2f} s,"
          f" {len(data) / 1e6:.1f} MB); median of {rounds}, load {os.getloadavg()[0]:.1f}")


def timed_png(rounds: int) -> None:
    """In a process of its own (the checkout on PYTHONPATH): export the 1,000-node tree
    to PNG `rounds` times after a first one, print each time and processor time."""
    from PySide6.QtWidgets import QApplication
    from treegen import random_tree

    from offramp_gui.gui.export import export_tree

    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841 - kept alive
    tree = random_tree(1_000)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "tree.png"
        export_tree(tree, out)  # fonts and glyphs loaded, as in an app that has drawn
        figures = []
        for _ in range(rounds):
            start, processor = time.perf_counter(), time.process_time()
            export_tree(tree, out)
            figures.append((time.perf_counter() - start, time.process_time() - processor))
    print(json.dumps(figures))


def against(folder: Path, rounds: int) -> None:
    """The 1,000-node PNG by the checkout in `folder` and by this one, taking turns."""
    here = Path(__file__).resolve().parent.parent
    figures: dict[Path, list[tuple[float, float]]] = {folder: [], here: []}
    for _ in range(rounds):
        for checkout in figures:
            done = subprocess.run([sys.executable, __file__, "--timed", "2"],
                                  env={**os.environ, "PYTHONPATH": str(checkout)},
                                  capture_output=True, text=True, check=True)
            figures[checkout] += [tuple(pair) for pair in json.loads(done.stdout)]
    for checkout, pairs in figures.items():
        seconds, processor = (statistics.median(pair[k] for pair in pairs) for k in (0, 1))
        print(f"1,000 nodes to PNG by {checkout}: median {seconds:.2f} s (processor"
              f" {processor:.2f} s) of {len(pairs)}; load {os.getloadavg()[0]:.1f}")


def large_one(path: Path, suffix: str) -> None:
    """In a process of its own: export the tree to `suffix`, print the figures as JSON."""
    from PySide6.QtWidgets import QApplication

    from offramp_gui.api import load
    from offramp_gui.gui.export import build_scene, export_rect, export_tree

    app = QApplication(sys.argv[:1])  # noqa: F841 - kept alive
    tree = load(path)
    loaded = peak_mb()
    start = time.perf_counter()
    source = export_rect(build_scene(tree))  # what the export builds first, alone
    scene_seconds = time.perf_counter() - start
    out = path.with_suffix(suffix)
    start = time.perf_counter()
    try:
        export_tree(tree, out)
        message = ""
    except ValueError as error:
        message = str(error)
    print(json.dumps({"seconds": time.perf_counter() - start, "scene": scene_seconds,
                      "loaded_mb": loaded, "peak_mb": peak_mb(), "message": message,
                      "megabytes": out.stat().st_size / 1e6 if out.exists() else 0,
                      "size": [source.width(), source.height()]}))


def large(size: int, folder: Path) -> None:
    from treegen import random_tree

    from offramp_gui.fileformat.json_io import dumps

    path = folder / f"tree-{size}.json"
    path.write_text(dumps(random_tree(size)), encoding="utf-8")
    for suffix in (".png", ".pdf", ".svg"):
        done = subprocess.run([sys.executable, __file__, "--one", str(path), suffix],
                              capture_output=True, text=True, check=True)
        figures = json.loads(done.stdout.splitlines()[-1])
        width, height = figures["size"]
        what = (f"refused in {figures['seconds']:.1f} s: {figures['message']}"
                if figures["message"] else
                f"{figures['seconds']:.1f} s, {figures['megabytes']:.1f} MB written")
        print(f"{size:,} nodes to {suffix[1:].upper()} ({width:,.0f} x {height:,.0f} px):"
              f" {what}; peak memory {figures['peak_mb']:,.0f} MB (the tree loaded:"
              f" {figures['loaded_mb']:,.0f} MB; building the scene alone"
              f" {figures['scene']:.1f} s); load {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--large", type=int, default=100_000, metavar="N",
                        help="nodes in the large tree (default 100,000; 0 skips it)")
    parser.add_argument("--rounds", type=int, default=3, metavar="R",
                        help="PNG exports of the 1,000-node tree, each way (default 3)")
    parser.add_argument("--against", type=Path, metavar="FOLDER",
                        help="another checkout to compare the 1,000-node PNG with, alone")
    parser.add_argument("--one", nargs=2, metavar=("TREE", "SUFFIX"), help=argparse.SUPPRESS)
    parser.add_argument("--timed", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))  # treegen, when run from here
    if options.one:
        large_one(Path(options.one[0]), options.one[1])
        return
    if options.timed:
        timed_png(options.timed)
        return
    if options.against:
        against(options.against.resolve(), options.rounds)
        return
    with tempfile.TemporaryDirectory() as folder:
        small_png(options.rounds, Path(folder))
        if options.large:
            large(options.large, Path(folder))


if __name__ == "__main__":
    main()
