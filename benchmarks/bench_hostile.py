"""Hostile files: how long each takes to be refused, or loaded safely.

    python benchmarks/bench_hostile.py [--repeat 3] [--kills 30]

The inputs are the tests' own, imported from them: the corpus in tests/data/bad/ and the
big files of tests/test_hostile_files.py, the pathological documents of
tests/fileformat/test_loading.py, the kill-while-saving loop of
tests/fileformat/test_crash_safety.py and, when PySide6 is installed, File > Open as in
tests/gui/test_hostile_open.py. The tests check what each input gets; this script times
it, which a test cannot do reliably on a shared machine. Each line gives the median of
--repeat runs (the slowest input where there are many) and the budget it must stay
under; docs/benchmarks.md records a run.
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import io
import os
import random
import statistics
import sys
import tempfile
from pathlib import Path

from treegen import timed

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "fileformat"),
                str(ROOT / "tests" / "gui")]

import test_crash_safety as crash  # noqa: E402
import test_hostile_files as hostile  # noqa: E402
import test_loading as loading  # noqa: E402

from offramp_gui.api import load  # noqa: E402
from offramp_gui.cli import main as offramp  # noqa: E402
from offramp_gui.fileformat.json_io import dumps, loads  # noqa: E402


def report(figure: str, seconds: float, budget: float, note: str = "") -> None:
    verdict = "ok" if seconds < budget else "OVER BUDGET"
    print(f"{figure:<56} {seconds:7.3f} s  (budget {budget:g} s: {verdict}){note}")


def slowest(figure: str, times: dict[str, float], budget: float) -> None:
    name = max(times, key=times.get)
    report(f"{figure}: slowest", times[name], budget, f"  {name}")
    print(f"{f'{figure}: median of {len(times)}':<56} {statistics.median(times.values()):7.3f} s")


def validate(path: Path) -> None:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        offramp(["validate", str(path)])
    gc.enable()  # the command turns the cycle collector off, as a short-lived process may


def command_line(folder: Path, repeat: int) -> None:
    corpus = {name: timed(lambda name=name: validate(hostile.BAD / name), repeat)
              for name in sorted(hostile.EXPECTED)}
    slowest("validate, the files of tests/data/bad", corpus, 2)
    for name, (make, _message, _problems) in sorted(hostile.GENERATED.items()):
        path = folder / name
        make(path)
        report(f"validate {name}", timed(lambda path=path: validate(path), repeat), 2)
        path.unlink()
    in_a_process = {name: timed(lambda name=name: hostile.run_offramp(
        "validate", str(hostile.BAD / name)), repeat) for name in hostile.SUBPROCESS_CASES}
    slowest("offramp validate in a new process", in_a_process, 4)


def reader(repeat: int) -> None:
    for name, (make, fragment) in loading.PATHOLOGICAL.items():
        data = make()

        def read(data: str | bytes = data, fragment: str | None = fragment) -> None:
            loads(data)
            loading.error_lines(data) if fragment else loading.load_text(data)

        report(f"the reader on {name}", timed(read, repeat), 10)


def kill_while_saving(folder: Path, kills: int) -> None:
    tree = load(ROOT / "trees" / "offramp.json")
    sources = [folder / "a.json", folder / "b.json"]
    sources[0].write_text(dumps(tree), encoding="utf-8")
    tree.title += " (edited)"
    sources[1].write_text(dumps(tree), encoding="utf-8")
    target = folder / "saved.json"
    chance = random.Random(5)

    def cycles() -> None:
        for _ in range(kills):
            crash.kill_while_saving(target, sources, chance.uniform(0, 0.12))
            load(target)

    report(f"{kills} saves killed by SIGKILL, each file read back", timed(cycles), 25)


def app(folder: Path, repeat: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["OFFRAMP_STATE_DIR"] = str(folder / "state")  # recovery files: not the user's
    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtWidgets import QApplication
    from recording import FakePrompts

    from offramp_gui.gui.main_window import MainWindow

    QCoreApplication.setOrganizationName("offramp-benchmarks")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    application = QApplication.instance() or QApplication([])
    window = MainWindow(prompts=FakePrompts())

    def open_file(path: Path) -> None:
        window.files.open(path, ask=False)
        application.processEvents()

    refused = {name: timed(lambda name=name: open_file(hostile.BAD / name), repeat)
               for name, expected in sorted(hostile.EXPECTED.items()) if expected["message"]}
    for name in ("nested-lists-100000.json", "nested-nodes-100000.json", "over-200-mb.json"):
        path = folder / name
        hostile.GENERATED[name][0](path)
        refused[name] = timed(lambda path=path: open_file(path), repeat)
    assert len(window.prompts.errors) == len(refused) * repeat, "each was refused"
    slowest("File > Open refusing a file", refused, 2)
    label = folder / "label.json"
    label.write_text(hostile.HEAD + '"root": {"id": "r", "type": "decision", "children": '
                     '[{"id": "a", "type": "terminal", "branch": "' + "x" * (1 << 20) + '"}]}}')
    report("File > Open of a megabyte label, drawn cut short",
           timed(lambda: open_file(label), repeat), 2)
    window.close()


def run() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--kills", type=int, default=30)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        command_line(Path(folder), options.repeat)
        reader(options.repeat)
        kill_while_saving(Path(folder), options.kills)
        try:
            import PySide6  # noqa: F401
        except ImportError:
            print("File > Open: not timed (PySide6 is not installed)")
        else:
            app(Path(folder), options.repeat)


if __name__ == "__main__":
    run()
