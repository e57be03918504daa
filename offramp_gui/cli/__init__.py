"""The `offramp` command: subcommands for files, or the desktop app without one."""
from __future__ import annotations

import argparse
import gc
import importlib
import os
import re
import sys
from typing import NoReturn

from .. import __version__
from .common import CommandError, escaped, left_for_exit

# Each command's module, imported only when needed: a run pays for its own command.
_COMMANDS = ("validate", "evaluate", "export", "brief", "convert", "sensitivity", "map",
             "tornado", "spider", "threshold", "simulate", "voi", "profile", "equilibria",
             "compare", "explain")
_MODULES = {"map": "region_map"}


class _Parser(argparse.ArgumentParser):
    """argparse's parser, whose errors escape what would not print as itself.

    Its messages repeat the user's words (an unknown option, a value of the wrong
    type): an escape sequence in them would recolour the terminal. The subcommands'
    parsers are of the same class.
    """

    def error(self, message: str) -> NoReturn:
        super().error(escaped(message))


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line; with `only`, just that command (the rest is not imported)."""
    parser = _Parser(
        prog="offramp", description="Explore decision trees of escalation and off-ramps."
        " Without a command, opens the desktop app on FILE (or the bundled off-ramp"
        " tree).")
    parser.add_argument("--version", action="version", version=f"offramp {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in [only] if only else _COMMANDS:
        module = importlib.import_module(f".{_MODULES.get(name, name)}", __name__)
        module.add_parser(commands)
    for each in [parser, *commands.choices.values()]:
        each._negative_number_matcher = _NEGATIVE_NUMBER
    return parser


# argparse takes "-1e2" for an option: its own pattern for negative numbers has no
# exponent. "-inf" and "-nan" count as numbers too, so that the option refuses them
# as numbers that are not finite, rather than as unknown options.
_NEGATIVE_NUMBER = re.compile(r"^-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^-(inf|infinity|nan)$",
                              re.IGNORECASE)


def _app_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="offramp", description="Open the desktop app.")
    parser.add_argument("--version", action="version", version=f"offramp {__version__}")
    parser.add_argument("file", nargs="?", help="a tree file (default: the off-ramp tree)")
    return parser


def run() -> NoReturn:
    """The `offramp` program: `main`, then the quickest way out."""
    if sys.argv[1:2] and sys.argv[1] in _COMMANDS:
        # A short-lived command that builds many objects: the cycle collector would
        # only slow it down (a third of the time on a 100,000-node tree).
        gc.disable()
    if sys.stdout is None:  # started with standard output closed: print to nowhere
        sys.stdout = open(os.devnull, "w")
    status = main()
    if left_for_exit:  # a command that printed its result: no need to free memory
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, AttributeError):  # a closed pipe, or no stream at all
                pass
        os._exit(status)
    sys.exit(status)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    left_for_exit.clear()
    try:
        if argv and argv[0] in _COMMANDS:
            options = build_parser(argv[0]).parse_args(argv)
            return options.run(options)
        if argv and argv[0] in ("-h", "--help"):
            build_parser().print_help()
            return 0
        return _open_app(_app_parser().parse_args(argv))
    except CommandError as error:
        if str(error):
            print(f"offramp: {escaped(str(error))}", file=sys.stderr)
        return error.status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` and the like: not an error, and no traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:  # a bug of ours: one line, and the details on request
        if os.environ.get("OFFRAMP_DEBUG"):
            raise
        print(f"offramp: internal error ({type(error).__name__}: {escaped(str(error))}); run"
              " again with OFFRAMP_DEBUG=1 for details, and please report it", file=sys.stderr)
        return 1


def _open_app(options: argparse.Namespace) -> NoReturn:
    try:
        from ..gui.app import run as run_app
    except ImportError as error:
        raise CommandError(f"the desktop app needs PySide6 and pyqtgraph ({error})") from None
    run_app(options.file)
