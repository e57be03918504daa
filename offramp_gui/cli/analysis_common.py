"""What the analysis commands share: options, the decision analysed, output files.

The commands themselves (sensitivity, map, tornado, threshold, simulate) each live in
their own module; the numbers come from `analysis.sensitivity` and
`analysis.montecarlo`. Plots are drawn by `gui.plots.analysis_plots`, with Qt imported
only when a plot is asked for and run on its offscreen platform.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from ..analysis.evaluate import evaluate
from ..analysis.flatten import DECISION_KIND, FlatTree
from ..analysis.sensitivity import AnalysisError, Subject, subject, variable_range
from ..fileformat.atomic import SaveError, write_atomic
from ..model.tree import Settings
from .common import (
    EXIT_USAGE,
    CommandError,
    add_set_option,
    load_flat,
    open_tree,
    parse_assignments,
    report,
)

OUTPUTS = (".png", ".svg", ".csv")
#: A sweep holds about this many bytes per node and point and criterion (values,
#: payoffs, path totals), plus a few per node and point; refuse sweeps far past memory.
_MEMORY_LIMIT = 3 * 1024 ** 3


# ---- options ------------------------------------------------------------------------
def finite(text: str) -> float:
    """argparse type: a finite number."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text} is not a finite number")
    return value


def whole(low: int, high: int, what: str) -> Callable[[str], int]:
    """argparse type: a whole number from `low` to `high`."""
    def parse(text: str) -> int:
        try:
            value = int(text.replace("_", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what} must be from {low:,} to {high:,},"
                                             f" not {value:,}")
        return value
    return parse


def add_common(parser: argparse.ArgumentParser, node_required: bool = False,
               player: bool = True) -> None:
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--node", metavar="ID", required=node_required,
                        help="the decision to analyse" if node_required else
                        "the decision to analyse (default: the root)")
    if player:
        parser.add_argument("--player", metavar="ID",
                            help="whose values count (default: the player who decides there)")
    add_set_option(parser)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("-o", "--output", metavar="OUT",
                        help="also write a plot (.png, .svg) or the table of values (.csv)")


def add_range(parser: argparse.ArgumentParser, prefix: str = "", what: str = "") -> None:
    parser.add_argument(f"--{prefix}from", metavar="LOW", type=finite,
                        dest=f"{prefix.replace('-', '_')}low",
                        help=f"start of the range{what} (default: the variable's min)")
    parser.add_argument(f"--{prefix}to", metavar="HIGH", type=finite,
                        dest=f"{prefix.replace('-', '_')}high",
                        help=f"end of the range{what} (default: the variable's max)")


# ---- loading ------------------------------------------------------------------------
@contextmanager
def analysis_errors() -> Iterator[None]:
    """An analysis that cannot be done as asked: its message, exit status 1."""
    try:
        yield
    except AnalysisError as error:
        raise CommandError(str(error)) from None


def prepare(options: argparse.Namespace) -> tuple[Settings, FlatTree, dict[str, float]]:
    """Check the output path, load the file, read --set: the tree and the base values."""
    output_kind(options)
    settings, flat = load_flat(options.file)
    return settings, flat, parse_assignments(options.assignments, settings)


def topic_of(flat: FlatTree, options: argparse.Namespace) -> Subject:
    with analysis_errors():
        return subject(flat, options.node, getattr(options, "player", None))


def sweep_range(flat: FlatTree, name: str, low: float | None, high: float | None,
                option: str = "--") -> tuple[float, float]:
    """The variable's min..max, or the --from/--to given (`option`: "--x-" for --x-from)."""
    var = next((v for v in flat.variables if v.name == name), None)
    if var is not None and ((low is None and var.low is None)
                            or (high is None and var.high is None)):
        raise CommandError(f"the variable {name} has no range: give {option}from and"
                           f" {option}to, or add min and max to it")
    with analysis_errors():
        return variable_range(flat, name, low, high)


def require_evaluable(options: argparse.Namespace, flat: FlatTree,
                      overrides: dict[str, Any], strict: bool = True) -> dict[str, float]:
    """The variables' values; stop with the problems if the tree cannot be evaluated.

    A file that is itself invalid always stops here; with `strict` False, problems
    due only to the values are left to the analysis (a sweep may move past them).
    """
    results = evaluate(flat, overrides)
    if results.issues:
        _tree, loaded = open_tree(options.file)  # stops here if the file itself is invalid
        if strict:
            report(list(results.issues), options.file, loaded)
            raise CommandError("with these values the tree cannot be evaluated, so the"
                               " analysis cannot be done")
    return results.variables


def nowhere_evaluable(options: argparse.Namespace, flat: FlatTree, overrides: dict[str, Any],
                      message: str = "the tree cannot be evaluated anywhere in the range,"
                      " so the analysis cannot be done") -> CommandError:
    """Report why the tree cannot be evaluated at one point; the error to raise."""
    results = evaluate(flat, overrides)
    _tree, loaded = open_tree(options.file)
    report(list(results.issues), options.file, loaded)
    return CommandError(message)


def check_memory(flat: FlatTree, points: int, option: str) -> None:
    need = flat.size * points * 8 * (3 * len(flat.criteria) + 5)
    if need > _MEMORY_LIMIT:
        raise CommandError(f"{points:,} points on a tree of {flat.size:,} nodes would need"
                           f" about {need / 1024 ** 3:.0f} GB of memory: use a smaller {option}")


# ---- what a reader sees -------------------------------------------------------------
def x_text(value: float | None) -> str:
    """A variable's value: six significant digits."""
    if value is None or not math.isfinite(value):
        return "—"
    return f"{value + 0.0:.6g}"


def branch(flat: FlatTree, node_id: str | None) -> str:
    """The label of the branch into a node, else its id; "—" for none."""
    if node_id is None:
        return "— (cannot be computed)"
    i = flat.index[node_id]
    return flat.labels.branches[i] or node_id


def node_label(flat: FlatTree, i: int) -> str:
    return flat.labels.node(i, flat.ids[i])


def player_label(flat: FlatTree, player: int) -> str:
    return flat.labels.players[player] if 0 <= player < len(flat.labels.players) else "—"


def decision_heading(flat: FlatTree, topic: Subject) -> str:
    """`"Western war aim" (aim), decided by Western capitals`, and whose values if another's."""
    node = topic.node
    name = node_label(flat, node)
    where = f'"{name}"' + ("" if name == flat.ids[node] else f" ({flat.ids[node]})")
    decider = int(flat.player[node])
    who = player_label(flat, topic.player)
    if flat.kind[node] != DECISION_KIND:
        return f"{where}, valued by {who}"
    if decider == topic.player:
        return f"{where}, decided by {who}"
    return f"{where}, decided by {player_label(flat, decider)}, valued by {who}"


def variable_line(flat: FlatTree, name: str) -> str:
    var = next(v for v in flat.variables if v.name == name)
    return f"{name}: {var.description}" if var.description else name


def numbering(flat: FlatTree, topic: Subject) -> dict[str | None, str]:
    """Alternative id -> its number as shown ("1", "2", ...); None -> "—"."""
    marks = {flat.ids[a]: str(k) for k, a in enumerate(topic.alternatives, 1)}
    marks[None] = "—"
    return marks


def listing(flat: FlatTree, topic: Subject) -> str:
    return "\n".join(f"  {k}  {flat.labels.branches[a] or flat.ids[a]}"
                     for k, a in enumerate(topic.alternatives, 1))


# ---- output -------------------------------------------------------------------------
def plain(value: Any) -> float | None:
    """A number for JSON: None where it cannot be computed, -0.0 as 0.0."""
    if value is None:
        return None
    value = float(value)
    return value + 0.0 if math.isfinite(value) else None


def plain_list(values: Iterable[Any]) -> list[float | None]:
    return [plain(v) for v in np.asarray(values, float).tolist()]


def print_json(document: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(document, allow_nan=False, ensure_ascii=False) + "\n")


def output_kind(options: argparse.Namespace) -> str | None:
    """"csv", "plot" or None; an unknown extension or a missing folder stops here."""
    if options.output is None:
        return None
    path = Path(options.output)
    suffix = path.suffix.lower()
    if suffix not in OUTPUTS:
        raise CommandError(f"-o {options.output}: the file name must end in .png, .svg"
                           " (a plot) or .csv (the table of values)", EXIT_USAGE)
    folder = Path(os.path.realpath(path)).parent
    if not folder.is_dir():
        raise CommandError(f"-o {options.output}: the folder {folder} does not exist")
    return "csv" if suffix == ".csv" else "plot"


def cell(value: Any) -> Any:
    """A CSV cell: numbers in full precision, empty where not computable."""
    if value is None:
        return ""
    if isinstance(value, (float, np.floating)):
        return repr(float(value) + 0.0) if math.isfinite(value) else ""
    return value


def write_csv(path: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([cell(c) for c in row] for row in rows)
    try:
        write_atomic(path, buffer.getvalue().encode("utf-8"), backup=False)
    except (SaveError, OSError) as error:
        raise CommandError(f"cannot write {path}: {_one_line(error)}") from None


def write_plot(path: str, draw: Callable[[Any], Any]) -> None:
    """`draw(analysis_plots)` makes the widget; it is saved as PNG or SVG by the suffix."""
    plots = _load_plots()
    try:
        widget = draw(plots)
        plots.save_widget(widget, path)
    except (OSError, ValueError, MemoryError) as error:
        raise CommandError(f"cannot write {path}: {_one_line(error)}") from None


def write_output(options: argparse.Namespace, table: Callable[[], tuple[list, Iterable]],
                 draw: Callable[[Any], Any]) -> None:
    """Write -o OUT, if given: `table()` gives (header, rows); `draw` makes the plot."""
    kind = output_kind(options)
    if kind == "csv":
        write_csv(options.output, *table())
    elif kind == "plot":
        write_plot(options.output, draw)


def _load_plots():  # noqa: ANN202 - the gui.plots.analysis_plots module
    """Start Qt without a display and import the plots (which import Qt)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from PySide6.QtWidgets import QApplication

        from ..gui.plots import analysis_plots
    except ImportError as error:
        raise CommandError(f"plots need PySide6 and pyqtgraph ({error}); -o OUT.csv writes"
                           " the table of values without them") from None
    if QApplication.instance() is None:
        # Kept on the function so the application outlives this call.
        _load_plots.app = QApplication(["offramp"])  # type: ignore[attr-defined]
    return analysis_plots


def _one_line(error: BaseException) -> str:
    return " ".join((str(error) or type(error).__name__).split())
