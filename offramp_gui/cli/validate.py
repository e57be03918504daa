"""`offramp validate FILE...`: say ok, or list every problem."""
from __future__ import annotations

import argparse
import sys

from ..api import check
from ..fileformat.json_io import read_file
from .common import EXIT_INVALID, quoted, report


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("validate", help="check tree files",
                                 description="Check each file; print FILE: ok or every"
                                 " problem, one per line.")
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    status = 0
    for path in options.files:
        issues = check(read_file(path), path)
        if issues:
            report(issues, path, stream=sys.stdout)
            status = EXIT_INVALID
        else:
            print(f"{quoted(path)}: ok")
    return status
