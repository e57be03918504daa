"""What the subcommands share: loading a file, --set, and errors without tracebacks."""
from __future__ import annotations

import argparse
import importlib
import math
import os
import sys
from types import ModuleType
from typing import TYPE_CHECKING, TextIO

from ..analysis.flatten import FlatTree, flatten, flatten_columns
from ..fileformat.fastpath import read_plain
from ..model.scenarios import restore_base

if TYPE_CHECKING:
    from ..fileformat.json_io import Loaded
    from ..model.issues import Issue
    from ..model.tree import Settings, Tree

EXIT_INVALID = 1
EXIT_USAGE = 2

#: What commands leave to the end of the process (see `leave_for_exit`).
left_for_exit: list[object] = []
#: The Qt application of a command that draws, kept so that it outlives the call.
_drawing_app: list[object] = []


class CommandError(Exception):
    """A message for the user and the exit status that goes with it."""

    def __init__(self, message: str, status: int = EXIT_INVALID):
        super().__init__(message)
        self.status = status


def quoted(name: str) -> str:
    """A file name (or an id) as printed: as it is, or in quotes with Python's escapes
    (`repr`) when it holds a character that does not print as itself.

    A name with an escape sequence, a direction override or a line break would
    otherwise recolour the terminal, read backwards or split the line.
    """
    return name if name.isprintable() else repr(name)


def escaped(message: str) -> str:
    """A message as printed: each character that does not print as itself escaped."""
    if message.isprintable():
        return message
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)


def add_set_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--set", metavar="NAME=VALUE", action="append", default=[],
                        dest="assignments", help="give a variable another value (repeatable)")


def open_tree(path: str, what_if: bool = False) -> tuple[Tree, Loaded]:
    """Load and check a tree file; print every problem and stop if it is invalid.
    The tree holds its base case, or with `what_if` the what-if values it was saved
    with (its `base_case` keeping their base values)."""
    # The careful reader: a plainly valid file never needs it (see `load_flat`).
    from ..api import check
    from ..fileformat.json_io import read_file

    loaded = read_file(path)
    issues = check(loaded, path)
    if issues or loaded.tree is None:
        report(issues, path)
        raise CommandError("")
    if not what_if:
        restore_base(loaded.tree)
    return loaded.tree, loaded


def leave_for_exit(*objects: object) -> None:
    """Keep large objects until the process ends, which frees them all at once.

    Freeing a 100,000-node tree's half a million objects one by one takes a tenth of
    a second; a command that prints its result and stops need not pay it.
    """
    left_for_exit.extend(objects)


def load_flat(path: str) -> tuple[Settings, FlatTree]:
    """A checked file's settings and engine arrays; the quick way when it is plainly valid."""
    plain = read_plain(path)
    if plain is not None:
        settings, columns = plain
        restore_base(settings)
        leave_for_exit(columns)
        flat = flatten_columns(settings, columns)
        if not flat.suspect:
            return settings, flat
    tree, _loaded = open_tree(path)
    return tree, flatten(tree)


def report(issues: list[Issue], filename: str, loaded: Loaded | None = None,
           stream: TextIO | None = None) -> None:
    """Print problems one per line (to stderr unless `stream` says otherwise)."""
    if loaded is not None:
        from ..fileformat.json_io import locate_issues

        issues = locate_issues(loaded.text, issues)
    for issue in issues:
        print(issue.format(quoted(filename)), file=stream or sys.stderr)


def parse_assignments(assignments: list[str], tree: Settings) -> dict[str, float]:
    """`--set NAME=VALUE` options as numbers; unknown names and non-numbers are errors."""
    known = [v.name for v in tree.variables or []]
    values = {}
    for text in assignments:
        name, equals, value = text.partition("=")
        name = name.strip()
        if not equals or not name:
            raise CommandError(f"--set {text}: write NAME=VALUE, such as --set p_collapse=0.4",
                               EXIT_USAGE)
        if name not in known:
            listing = ", ".join(known) if known else "none: this tree has no variables"
            raise CommandError(f'--set {text}: there is no variable "{name}"; the variables'
                               f" are {listing}", EXIT_USAGE)
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise CommandError(f"--set {text}: {value.strip() or 'nothing'} is not a finite"
                               " number", EXIT_USAGE)
        values[name] = number
    return values


def add_scenario_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scenario", metavar="NAME",
                        help='work in this scenario of the file: its values over the base'
                        ' case ("Base case" names the base case itself)')


def load_in_scenario(path: str, name: str | None) -> tuple[Settings, FlatTree]:
    """A checked file's settings and engine arrays, in the scenario `name` if given."""
    if name is None:
        return load_flat(path)
    from ..analysis.scenarios import scenario_named, unknown_scenario, variant

    tree, _loaded = open_tree(path, what_if=True)  # (the what-if values, if it names them)
    scenario = scenario_named(tree, name)
    if scenario is None:
        raise CommandError(f"--scenario {escaped(name)}: {unknown_scenario(tree, name)}",
                           EXIT_USAGE)
    world = variant(tree, scenario.values)
    return world, flatten(world)


def offscreen_gui(module: str, missing: str) -> ModuleType:
    """Start Qt without a display and import `module` of the app (which imports Qt);
    `missing` says what cannot be done without Qt (`{error}` is the import's error)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from PySide6.QtWidgets import QApplication

        loaded = importlib.import_module(f"..gui.{module}", __package__)
    except ImportError as error:
        raise CommandError(missing.format(error=error)) from None
    if QApplication.instance() is None:
        _drawing_app.append(QApplication(["offramp"]))
    return loaded


def one_line(error: BaseException) -> str:
    """An error's message on one line (an OSError's may hold line breaks)."""
    return " ".join((str(error) or type(error).__name__).split())
