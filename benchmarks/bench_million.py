"""A million nodes in the app, whole process, offscreen: the Done-when of issue 14.

    python bench_million.py [--size 1000000] [--runs 1]

The app starts as `offramp FILE` does (benchmarks/bench_open.py's child) on
`treegen.random_tree` with a variable `p` (0 to 1) in 1,000 probabilities and 1,000
payoffs (bench_live.py's), saved without folds, compactly on one line (the canonical
layout is over the file size limit). Once it is usable, in the app:

- slider step: one step of `p`'s slider in the Variables panel, to the results
  computed and the canvas repainted (the numbers on screen updated);
- autosave: what the 30-second timer does with those edits unsaved: the time its copy
  of the tree takes to be taken between events, the longest turn of the event loop
  meanwhile, slider steps while a worker writes it, and the time that takes;
- fold, expand: Fold or Expand (Space) on a node on screen, to the canvas repainted;
- Expand All, then pan and zoom frames over the whole tree (bench_scene.py's steps), a
  slider step with every node shown, then Fold All;
- quit: from File > Quit to the end of the process.

    python bench_million.py --panels [--size 1000000] [--runs 1]

The Explain and Risk Profile tabs chosen (behind the Properties and the Outcomes in the
default layout): slider steps a drag's pace apart, the time the panels take to catch up
after the last, then Find What Would Change It on the Explain panel, and the peak
memory.

    python bench_million.py --exports [--size 1000000] [--runs 1]

Exports from the app, as File > Export Image… and File > Export Briefing… write them
(after a step of `p`'s slider): the tree as it is shown (opened folded to fit) to PNG
and to PDF, then a briefing as PDF; for each, the time to the file written and the
longest the window went without handling its events.

    python bench_million.py --compare [--size 1000000] [--runs 1] [--code DIR ...]

View > Compare Scenarios shown (after a step of `p`'s slider: the base case and the
what-if values side by side), then slider steps a drag's pace apart: the time to the
columns solved again after the drag pauses, and the longest the window went without
handling its events from the first step to then; alternating with other checkouts.

    python bench_million.py --quit [--size 1000000] [--runs 1] [--save] [--code DIR ...]

Quit after edits alone, alternating with other checkouts (the code before a change):
once usable, three steps of `p`'s slider, an autosave started (what the 30-second timer
does in a session as long as the one above), then File > Quit, answering Discard (with
`--save`, Save: the tree, a fresh copy each run, is written as a save writes it, its
nodes on one line at a million nodes, where the indented layout is over the file size
limit).
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
#: Longest a step may take before the benchmark gives up on it.
PATIENCE = 300.0


def write(size: int, path: Path) -> None:
    from bench_live import with_variable
    from treegen import random_tree

    from offramp_gui.fileformat.json_io import dumps, to_dict
    from offramp_gui.fileformat.limits import MAX_FILE_BYTES

    tree = random_tree(size)
    with_variable(tree)
    text = dumps(tree)
    if len(text.encode()) > MAX_FILE_BYTES:
        text = json.dumps(to_dict(tree), ensure_ascii=False, separators=(",", ":"))
    path.write_text(text, encoding="utf-8")


def interact(window: Any) -> dict[str, Any]:
    """The gestures, run in the app once it is usable; returns their times (s)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    document, scene, view = window.document, window.scene, window.view
    counts = {"results": 0, "laid out": 0}
    document.results_ready.connect(lambda _r: counts.__setitem__("results", counts["results"] + 1))
    scene.laid_out.connect(lambda: counts.__setitem__("laid out", counts["laid out"] + 1))

    def timed(action: Callable[[], object], waits_for: str | None = None) -> float:
        """From the gesture to the canvas repainted (after `waits_for` has come)."""
        before = counts[waits_for] if waits_for else 0
        start = time.perf_counter()
        action()
        while waits_for and counts[waits_for] == before:
            app.processEvents()
            if time.perf_counter() - start > PATIENCE:
                raise SystemExit(f"no {waits_for} after {PATIENCE:.0f} s")
        app.processEvents()
        view.viewport().repaint()
        return time.perf_counter() - start

    slider = window.panels["variables"].rows["p"].slider
    root_value = lambda: float(document.results.expected[0, 0])  # noqa: E731

    def slider_steps(count: int) -> list[float]:
        times, values = [], {root_value()}
        for k in range(count):
            step = 7 if k % 2 == 0 else -6  # a drag that wanders, each step a new value
            times.append(timed(lambda step=step: slider.setValue(slider.value() + step),
                               "results"))
            values.add(root_value())
        assert len(values) > count // 2, "the slider did not change the root's value"
        return times

    figures: dict[str, Any] = {"slider": slider_steps(21)}
    figures["autosave"] = autosave(app, window.features["recovery"], lambda: slider_steps(5))
    node = document.tree.root.children[0].id  # on screen: the view opens on the root
    document.select(node)
    toggle = window.actions["toggle-fold"]
    figures["fold"], figures["expand"] = [], []
    for _ in range(3):
        figures["fold"].append(timed(toggle.trigger, "laid out"))
        figures["expand"].append(timed(toggle.trigger, "laid out"))
    figures["shown before"] = scene.shown_count()
    figures["expand all"] = timed(window.actions["expand-all"].trigger, "laid out")
    figures["shown after"] = scene.shown_count()
    view.reset_zoom()
    view.centerOn(scene.node_position(document.tree.root.id))
    timed(lambda: None)
    bar = view.verticalScrollBar()
    figures["pan"] = [timed(lambda: bar.setValue(bar.value() + 120)) for _ in range(30)]
    figures["zoom"] = [timed(lambda k=k: view.zoom_by(0.8 if k < 15 else 1.25))
                       for k in range(30)]
    figures["slider, all shown"] = slider_steps(9)
    figures["fold all"] = timed(window.actions["fold-all"].trigger, "laid out")
    return figures


def autosave(app: Any, recovery: Any, meanwhile: Callable[[], list[float]]
             ) -> tuple[float, float, float, list[float]]:
    """The autosave timer's tick: (its copy taken, the longest event-loop turn
    meanwhile, the copy written), in seconds, and the times of `meanwhile`'s gestures
    made while it is written."""
    start = time.perf_counter()
    recovery.tick()
    longest = time.perf_counter() - start
    while recovery.taking:
        turn = time.perf_counter()
        app.processEvents()
        longest = max(longest, time.perf_counter() - turn)
    taken = time.perf_counter()
    assert recovery.writing, "no autosave under way"
    gestures = meanwhile()
    assert recovery.writing, "the copy was written before the gestures ended"
    while recovery.writing:
        app.processEvents()
        time.sleep(0.01)
    return taken - start, longest, time.perf_counter() - taken, gestures


def interact_with_panels_shown(window: Any) -> dict[str, Any]:
    """The Explain and Risk Profile tabs chosen: slider steps a drag's pace apart (each
    to the numbers on screen), the panels caught up after, then Find What Would Change
    It on the Explain panel, to the variables found."""
    from PySide6.QtWidgets import QApplication, QDockWidget

    app = QApplication.instance()
    document = window.document
    results = [0]
    document.results_ready.connect(lambda _r: results.__setitem__(0, results[0] + 1))
    for dock in ("explain-dock", "risk_profile-dock"):
        window.findChild(QDockWidget, dock).raise_()
    explain, profile = window.panels["explain"], window.panels["risk_profile"]

    def settle() -> float:
        start = time.perf_counter()
        while explain.pending or profile._dirty:
            app.processEvents()
            time.sleep(0.005)
            if time.perf_counter() - start > PATIENCE:
                raise SystemExit(f"the panels did not settle in {PATIENCE:.0f} s")
        return time.perf_counter() - start

    settle()
    slider = window.panels["variables"].rows["p"].slider
    steps = []
    for k in range(21):
        before, start = results[0], time.perf_counter()
        slider.setValue(slider.value() + (7 if k % 2 == 0 else -6))
        while results[0] == before:
            app.processEvents()
        app.processEvents()
        window.view.viewport().repaint()
        steps.append(time.perf_counter() - start)
        pace = time.perf_counter() + 0.03  # a drag's next step
        while time.perf_counter() < pace:
            app.processEvents()
            time.sleep(0.002)
    figures: dict[str, Any] = {"slider, panels shown": steps, "panels caught up": settle()}
    assert explain.find_button.isVisible(), "the thresholds were sought by themselves"
    start = time.perf_counter()
    explain.find_button.click()
    settle()
    figures["find"] = time.perf_counter() - start
    return figures


def watched(action: Callable[[], object], done: Callable[[], bool]) -> tuple[float, float]:
    """(Seconds from `action` to `done()`, the longest turn of the event loop meanwhile.)"""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    ticks = [time.perf_counter()]
    ticker = QTimer()
    ticker.setInterval(5)
    ticker.timeout.connect(lambda: ticks.append(time.perf_counter()))
    ticker.start()
    action()
    ticks.append(time.perf_counter())
    while not done():
        app.processEvents()
        time.sleep(0.002)
        if time.perf_counter() - ticks[0] > PATIENCE:
            raise SystemExit(f"not done after {PATIENCE:.0f} s")
    ticks.append(time.perf_counter())
    ticker.stop()
    return ticks[-1] - ticks[0], max(b - a for a, b in zip(ticks, ticks[1:]))


def interact_with_compare(window: Any) -> dict[str, Any]:
    """Compare Scenarios shown, then a drag of `p`'s slider: (seconds to the columns
    solved, the longest turn of the event loop meanwhile) for each."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    slider = window.panels["variables"].rows["p"].slider
    slider.setValue(slider.value() + 7)  # (what-if values: a column beside the base case)
    feature = window.features["compare"]

    def solved() -> bool:
        compare = feature.window
        # (`job`: the worker solving the columns, in the code that has one)
        return (compare is not None and compare.comparison is not None
                and not compare._timer.isActive() and not compare._stale & {0}
                and getattr(compare, "job", None) is None)

    figures = {"shown": watched(feature.show, solved)}
    assert len(feature.window.comparison.columns) == 2, "no what-if column"

    def drag() -> None:
        for k in range(5):
            slider.setValue(slider.value() + (7 if k % 2 == 0 else -6))
            pace = time.perf_counter() + 0.03  # a drag's next step
            while time.perf_counter() < pace:
                app.processEvents()
                time.sleep(0.002)
    figures["drag"] = watched(drag, solved)
    return figures


def compare_runs(options: argparse.Namespace, tree: Path, megabytes: float) -> None:
    from bench_open import one_run

    codes = [HERE.parent] + [c.resolve() for c in options.code]
    for run in range(options.runs):
        for code in codes:
            with open("/proc/loadavg") as load:
                before = load.read().split()[0]
            with tempfile.TemporaryDirectory() as state:
                f = one_run(code, tree, Path(state), "bench_million:interact_with_compare")
            print(f"{options.size:,} nodes ({megabytes:.0f} MB), {code.name}, run {run + 1}"
                  f" (load {before}): Compare Scenarios shown, solved in {f['shown'][0]:.2f} s"
                  f" (longest stall {f['shown'][1]:.2f} s); after a drag of five steps,"
                  f" solved again {f['drag'][0]:.2f} s after the first (longest stall"
                  f" {f['drag'][1]:.2f} s)", flush=True)


def interact_with_exports(window: Any) -> dict[str, Any]:
    """Export Image to PNG and PDF, then Export Briefing: (seconds to the file written,
    the longest turn of the event loop meanwhile) for each."""
    from offramp_gui.gui.export import export_tree

    slider = window.panels["variables"].rows["p"].slider
    slider.setValue(slider.value() + 7)  # (what-if values: the briefing compares them)
    briefing = window.features["briefing"]
    folder = Path(tempfile.mkdtemp())

    figures = {kind: watched(lambda kind=kind: export_tree(window.document,
                                                           folder / f"tree.{kind}"),
                             lambda: True) for kind in ("png", "pdf")}
    written = folder / "briefing.pdf"
    figures["briefing"] = watched(lambda: briefing.start(written), written.exists)
    shutil.rmtree(folder)
    return figures


def export_runs(options: argparse.Namespace, tree: Path, megabytes: float) -> None:
    for run, before, f in app_runs(options, tree, "bench_million:interact_with_exports"):
        said = "; ".join(f"{name}: {f[key][0]:.1f} s, longest stall {f[key][1]:.2f} s"
                         for name, key in (("PNG", "png"), ("PDF", "pdf"),
                                           ("briefing", "briefing")))
        print(f"{options.size:,} nodes ({megabytes:.0f} MB), exports, run {run + 1}"
              f" (load {before}):\n  {said} (peak memory {f['peak_gb']:.2f} GB)", flush=True)


def interact_then_quit(window: Any, answer: str = "discard") -> dict[str, Any]:
    """A few slider steps and an autosave under way; the quit that follows is timed."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    document = window.document
    results = [0]
    document.results_ready.connect(lambda _r: results.__setitem__(0, results[0] + 1))
    slider = window.panels["variables"].rows["p"].slider
    for step in (7, -6, 7):
        before = results[0]
        slider.setValue(slider.value() + step)
        while results[0] == before:
            app.processEvents()
    recovery = window.features["recovery"]
    recovery.tick()
    while recovery.taking:  # a large tree's copy is taken between events
        app.processEvents()
    assert document.modified and recovery.writing, "no autosave under way"
    window.prompts.save_changes = lambda _name: answer
    return {}


def interact_then_save(window: Any) -> dict[str, Any]:
    return interact_then_quit(window, "save")


def quit_runs(options: argparse.Namespace, tree: Path, megabytes: float) -> None:
    codes = [HERE.parent] + [c.resolve() for c in options.code]
    part = "bench_million:" + ("interact_then_save" if options.save else "interact_then_quit")
    from bench_open import one_run

    for run in range(options.runs):
        for code in codes:
            with open("/proc/loadavg") as load:
                before = load.read().split()[0]
            with tempfile.TemporaryDirectory() as state:
                copy = Path(state) / tree.name
                shutil.copyfile(tree, copy)
                f = one_run(code, copy, Path(state), part)
            print(f"{options.size:,} nodes ({megabytes:.0f} MB), {code.name}, run {run + 1}:"
                  f" usable {f['usable']:.2f} s, quit after edits"
                  f" ({'Save' if options.save else 'Discard'}) {f['quit']:.2f} s"
                  f" (peak memory {f['peak_gb']:.2f} GB; load {before})", flush=True)


def app_runs(options: argparse.Namespace, tree: Path, interact: str
             ) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """`options.runs` runs of the app on `tree` with `interact`, each with a fresh state
    folder: (the run, the load before it, its figures)."""
    from bench_open import one_run

    for run in range(options.runs):
        with open("/proc/loadavg") as load:
            before = load.read().split()[0]
        with tempfile.TemporaryDirectory() as state:
            yield run, before, one_run(HERE.parent, tree, Path(state), interact)


def panel_runs(options: argparse.Namespace, tree: Path, megabytes: float) -> None:
    for run, before, f in app_runs(options, tree, "bench_million:interact_with_panels_shown"):
        print(f"{options.size:,} nodes ({megabytes:.0f} MB), Explain and Risk Profile shown,"
              f" run {run + 1} (load {before}):\n"
              f"  slider step: {spread(f['slider, panels shown'])}; the panels caught up"
              f" {f['panels caught up']:.2f} s after the last\n"
              f"  Find What Would Change It: {f['find']:.1f} s"
              f" (peak memory {f['peak_gb']:.2f} GB)", flush=True)


def spread(times: list[float]) -> str:
    return f"median {statistics.median(times) * 1000:.0f} ms, slowest {max(times) * 1000:.0f} ms"


def main() -> None:
    from bench_open import one_run

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--quit", action="store_true",
                        help="time only Quit after a few edits, with an autosave under way")
    parser.add_argument("--save", action="store_true", help="with --quit: answer Save")
    parser.add_argument("--panels", action="store_true",
                        help="time slider steps with the Explain and Risk Profile tabs"
                        " chosen, then Find What Would Change It")
    parser.add_argument("--exports", action="store_true",
                        help="time Export Image (PNG, PDF) and Export Briefing")
    parser.add_argument("--compare", action="store_true",
                        help="time Compare Scenarios solving again after a slider's drag")
    parser.add_argument("--code", type=Path, nargs="*", default=[],
                        help="with --quit or --compare: other checkouts to time alternately")
    parser.add_argument("--write", nargs=2, metavar=("SIZE", "PATH"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.write:
        write(int(options.write[0]), Path(options.write[1]))
        return
    with tempfile.TemporaryDirectory() as folder:
        tree = Path(folder) / f"tree-{options.size}.json"
        subprocess.run([sys.executable, __file__, "--write", str(options.size), str(tree)],
                       check=True)  # in a process of its own, its memory given back
        megabytes = tree.stat().st_size / 2**20
        if options.quit:
            quit_runs(options, tree, megabytes)
            return
        if options.panels:
            panel_runs(options, tree, megabytes)
            return
        if options.exports:
            export_runs(options, tree, megabytes)
            return
        if options.compare:
            compare_runs(options, tree, megabytes)
            return
        for run in range(options.runs):
            with open("/proc/loadavg") as load:
                before = load.read().split()[0]
            with tempfile.TemporaryDirectory() as state:
                f = one_run(HERE.parent, tree, Path(state), "bench_million")
            with open("/proc/loadavg") as load:
                after = load.read().split()[0]
            print(f"{options.size:,} nodes ({megabytes:.0f} MB), run {run + 1}"
                  f" (load {before} before, {after} after):\n"
                  f"  open: window shown {f['shown']:.2f} s, tree painted {f['painted']:.2f} s,"
                  f" usable {f['usable']:.2f} s, longest stall {f['stall'] * 1000:.0f} ms\n"
                  f"  slider step ({f['shown before']:,} nodes shown): {spread(f['slider'])}\n"
                  f"  autosave: copy taken in {f['autosave'][0]:.2f} s, longest turn"
                  f" {f['autosave'][1] * 1000:.0f} ms; written in {f['autosave'][2]:.1f} s,"
                  f" a slider step meanwhile {spread(f['autosave'][3])}\n"
                  f"  fold a node on screen: {spread(f['fold'])}; expand it:"
                  f" {spread(f['expand'])}\n"
                  f"  Expand All: {f['expand all']:.2f} s ({f['shown after']:,} nodes shown)\n"
                  f"  pan (120 px a frame): {spread(f['pan'])}; zoom (0.8x, 1.25x a frame):"
                  f" {spread(f['zoom'])}\n"
                  f"  slider step, every node shown: {spread(f['slider, all shown'])}\n"
                  f"  Fold All: {f['fold all']:.2f} s\n"
                  f"  quit: {f['quit']:.2f} s (peak memory {f['peak_gb']:.2f} GB)", flush=True)


if __name__ == "__main__":
    main()
