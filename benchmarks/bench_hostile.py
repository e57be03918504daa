"""Hostile files: how long each takes to be refused, or loaded safely.

    python benchmarks/bench_hostile.py [--repeat 3] [--kills 30] [--only SECTION]

The inputs are the tests' own, imported from them: the corpus in tests/data/bad/ and the
big files of tests/test_hostile_files.py, the pathological documents of
tests/fileformat/test_loading.py, the kill-while-saving loop of
tests/fileformat/test_crash_safety.py and, when PySide6 is installed, File > Open as in
tests/gui/test_hostile_open.py. The tests check what each input gets; this script times
it, which a test cannot do reliably on a shared machine. Each line gives the median of
--repeat runs (the slowest input where there are many) and the budget it must stay
under; docs/benchmarks.md records a run. The sections on many variables and on memory
time the command line on files made here (peak memory is measured in a process of its
own, with the command's peak resident size from wait4).
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import importlib.util
import io
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
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
from offramp_gui.fileformat.json_io import dumps, loads, read_file  # noqa: E402
from offramp_gui.model.validate import _PARSED as parse_cache  # noqa: E402


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


def evaluate(path: Path) -> None:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        offramp(["evaluate", str(path)])
    gc.enable()


def cold(work):
    """`work` as a new process would do it: without the formulas parsed by a run before."""
    def run():
        parse_cache.clear()
        return work()
    return run


def many_variables(folder: Path, repeat: int) -> None:
    path = folder / "chain.json"
    for backwards in (False, True):
        path.write_text(hostile.chained_variables(20_000, backwards))
        order = "last first" if backwards else "in order"
        report(f"read and check 20,000 chained variables, {order}",
               timed(cold(lambda: read_file(path)), repeat), 1)
        report(f"validate 20,000 chained variables, {order}",
               timed(cold(lambda: validate(path)), repeat), 1)
        report(f"evaluate 20,000 chained variables, {order}",
               timed(cold(lambda: evaluate(path)), repeat), 1)
    path.write_text(hostile.failing_variables(20_000))
    report("validate 20,000 chained variables that cannot be computed",
           timed(cold(lambda: validate(path)), repeat), 5)


def in_a_process(*args: str) -> tuple[float, int]:
    """Seconds and peak resident megabytes of `offramp ARGS`, run on its own."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "offramp_gui.cli", *args],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=dict(os.environ, PYTHONPATH=str(ROOT)))
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss // 1024


def memory(folder: Path) -> None:
    path = folder / "memory.json"
    cases = {
        "100,000 nodes sharing one 957-character payoff": (
            lambda: path.write_text(hostile.shared_formula(100_000)), "evaluate"),
        "4,700,000 tiny nodes (refused)": (lambda: hostile.tiny_nodes(path, 470, 10_000),
                                           "validate"),
    }
    for name, (make, command) in cases.items():
        make()
        size = path.stat().st_size >> 20
        seconds, peak = in_a_process(command, str(path))
        print(f"offramp {command}, {name}: {size} MB file, peak {peak} MB"
              f" ({peak / max(size, 1):.1f} times), {seconds:.2f} s")
        path.unlink()


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
    parser.add_argument("--only", choices=SECTIONS, help="run one section")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        sections = {
            "command-line": lambda: command_line(folder, options.repeat),
            "reader": lambda: reader(options.repeat),
            "variables": lambda: many_variables(folder, options.repeat),
            "memory": lambda: memory(folder),
            "kills": lambda: kill_while_saving(folder, options.kills),
            "app": lambda: app(folder, options.repeat),
        }
        for section in [options.only] if options.only else SECTIONS:
            if section == "app" and importlib.util.find_spec("PySide6") is None:
                print("File > Open: not timed (PySide6 is not installed)")
            else:
                sections[section]()


SECTIONS = ("command-line", "reader", "variables", "memory", "kills", "app")


if __name__ == "__main__":
    run()
