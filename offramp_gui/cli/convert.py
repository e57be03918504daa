"""`offramp convert IN -o OUT [--from FMT] [--to FMT] [--tree N] [--strict] [--json]`."""
from __future__ import annotations

import argparse
import json
import sys

from ..interop import READABLE, WRITABLE, ConversionError, convert
from .common import EXIT_INVALID, EXIT_USAGE, CommandError, quoted


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "convert", help="convert a tree to or from another tool's format",
        description="Read a tree (offramp .json, SilverDecisions .json, Gambit .efg) and"
        " write it as offramp .json, Gambit .efg, GraphML, Graphviz DOT or CSV. The formats"
        " follow the file extensions unless --from or --to name them. Everything that is"
        " approximated or not kept is listed, one line each.")
    parser.add_argument("source", metavar="IN", help="the file to read")
    parser.add_argument("-o", "--output", metavar="OUT", required=True,
                        help="the file to write")
    parser.add_argument("--from", dest="from_format", metavar="FMT",
                        choices=READABLE, help=f"the format of IN: {', '.join(READABLE)}")
    parser.add_argument("--to", dest="to_format", metavar="FMT", choices=WRITABLE,
                        help=f"the format of OUT: {', '.join(WRITABLE)}")
    parser.add_argument("--tree", metavar="N", type=_tree_number, default=1,
                        help="which tree of a SilverDecisions file holding several"
                        " (1 is the first, the default)")
    parser.add_argument("--strict", action="store_true",
                        help="refuse, rather than approximate, what offramp cannot represent"
                        " exactly")
    parser.add_argument("--json", action="store_true",
                        help="print what was converted and approximated as JSON")
    parser.set_defaults(run=run)


def _tree_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text}: trees are numbered from 1")
    return value


def run(options: argparse.Namespace) -> int:
    try:
        report = convert(options.source, options.output, options.from_format,
                         options.to_format, options.tree - 1, options.strict)
    except ConversionError as error:
        for line in error.problems:
            print(f"offramp: {line}", file=sys.stderr)
        raise CommandError("", EXIT_USAGE if error.usage else EXIT_INVALID) from None
    if options.json:
        sys.stdout.write(json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        print(f"{quoted(options.source)} ({report.from_format}) -> {quoted(options.output)}"
              f" ({report.to_format})")
        for line in report.lines():
            print(f"  {line}")
    return 0
