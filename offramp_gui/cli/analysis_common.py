"""What the analysis commands share: options, the decision analysed, output files.

The commands themselves (sensitivity, map, tornado, spider, threshold, simulate) each live in
their own module and turn their options into the parameters of an entry of
`analysis.catalogue`, which computes the result and gives its table, JSON and text.
Plots are drawn by `gui.plots.analysis_plots`, with Qt imported only when a plot is
asked for and run on its offscreen platform.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..analysis.catalogue import Run
from ..analysis.equilibria import equilibrium_results, has_information_sets
from ..analysis.evaluate import evaluate
from ..analysis.flatten import FlatTree
from ..analysis.sensitivity import AnalysisError, Subject, subject, variable_range
from ..fileformat.atomic import write_atomic
from ..model.tree import Settings, Tree
from .common import (
    EXIT_USAGE,
    CommandError,
    add_set_option,
    load_flat,
    offscreen_gui,
    one_line,
    open_tree,
    parse_assignments,
    quoted,
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
    values = parse_assignments(options.assignments, settings)
    if flat.suspect and isinstance(settings, Tree) and has_information_sets(settings):
        # A game with private information is analysed under its first equilibrium, as
        # `evaluate` shows it: its strategy at the information sets is held.
        shown, search = equilibrium_results(settings, values)
        if search is not None:
            flat = shown.flat
    return settings, flat, values


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
                      overrides: dict[str, Any], strict: bool = True) -> None:
    """Stop with the problems if the tree cannot be evaluated.

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


# ---- output -------------------------------------------------------------------------
def print_json(document: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(document, allow_nan=False, ensure_ascii=False) + "\n")


def output_kind(options: argparse.Namespace) -> str | None:
    """"csv", "plot" or None; an unknown extension or a missing folder stops here."""
    if options.output is None:
        return None
    path = Path(options.output)
    suffix = path.suffix.lower()
    if suffix not in OUTPUTS:
        raise CommandError(f"-o {quoted(options.output)}: the file name must end in .png, .svg"
                           " (a plot) or .csv (the table of values)", EXIT_USAGE)
    folder = Path(os.path.realpath(path)).parent
    if not folder.is_dir():
        raise CommandError(f"-o {quoted(options.output)}: the folder {quoted(str(folder))}"
                           " does not exist")
    return "csv" if suffix == ".csv" else "plot"


def write_output(options: argparse.Namespace, done: Run,
                 outcome_colors: Mapping[str, str] | None = None) -> None:
    """Write -o OUT, if given: the run's table (.csv) or its plot (.png, .svg)."""
    kind = output_kind(options)
    if kind is None:
        return
    try:
        if kind == "csv":
            write_atomic(options.output, done.csv(), backup=False)
        else:
            plots = offscreen_gui("plots.analysis_plots", "plots need PySide6 and pyqtgraph"
                                  " ({error}); -o OUT.csv writes the table of values"
                                  " without them")
            plots.save_widget(plots.plot_run(done, outcome_colors), options.output)
    except (OSError, ValueError, MemoryError) as error:
        raise CommandError(f"cannot write {quoted(options.output)}: {one_line(error)}") \
            from None


def finish(options: argparse.Namespace, done: Run,
           outcome_colors: Mapping[str, str] | None = None,
           settings: Settings | None = None) -> int:
    """Write -o OUT if asked, then print the result as JSON or as text; for a sweep of a
    game with private information (`settings` its tree), also where the set of
    equilibria changes over the range swept."""
    write_output(options, done, outcome_colors)
    switches = _equilibrium_switches(options, done, settings)
    if options.json:
        document = done.document()
        if switches is not None:
            document["equilibria_change_at"] = switches
        print_json(document)
    else:
        print(done.text())
        if switches is not None:
            print(_switches_in_words(options.var, switches, options.file))
    return 0


def _equilibrium_switches(options: argparse.Namespace, done: Run,
                          settings: Settings | None) -> list[float] | None:
    """Where the set of equilibria changes over a sweep's range; None for a tree
    without information sets, or a run that sweeps no variable."""
    variable = getattr(options, "var", None)
    if not variable or not isinstance(settings, Tree) or done.flat.held is None:
        return None
    from ..analysis.equilibria_sweep import equilibria_changes

    low, high = variable_range(done.flat, variable, options.low, options.high)
    with analysis_errors():
        sweep = equilibria_changes(settings, variable, low, high, overrides={
            k: v for k, v in done.parameters.values.items() if k != variable})
    return [switch.at for switch in sweep.switches]


def _switches_in_words(variable: str, switches: list[float], file: str) -> str:
    held = ("\nThis tree has information sets: the sweep holds its first equilibrium's"
            " strategy. ")
    if not switches:
        return held + f"The set of equilibria does not change over this range of {variable}."
    at = ", ".join(f"{at:.6g}" for at in switches)
    return (held + f"The set of equilibria changes at {variable} = {at}"
            f" (offramp equilibria {file} --var {variable} says how).")
