"""`offramp brief FILE -o OUT.pdf|OUT.html [--page a4|letter] [--landscape] [--scenario NAME]...`.

Writes the briefing the app's File > Export Briefing writes, with no window: Qt runs on
its offscreen platform, imported only when the command runs.
"""
from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from .. import __version__
from ..analysis.briefing import Provenance
from .common import EXIT_USAGE, CommandError, offscreen_gui, one_line, open_tree, quoted

FORMATS = (".pdf", ".html", ".htm")
PAGES = ("a4", "letter")  # as gui.briefing.PAGES, known before Qt is loaded


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "brief", help="write a briefing of a tree as PDF or HTML",
        description="Write a briefing of the tree: its title, description and sources; the"
        " tree with its solved path; the reasoning in words; what each alternative of the"
        " root decision leads to and its risk profile; the tornado; the table of"
        " assumptions; the scenarios compared (with --scenario, those named). A PDF (pages"
        " with a footer naming the file, the date, the version and a digest of the file)"
        " or one HTML file that needs nothing else, by OUT's extension. Needs no display.")
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("-o", "--output", metavar="OUT", required=True,
                        help="the file to write (.pdf or .html)")
    parser.add_argument("--page", choices=PAGES, default="a4",
                        help="the paper: A4 (default) or Letter")
    parser.add_argument("--landscape", action="store_true", help="the paper turned sideways")
    parser.add_argument("--scenario", metavar="NAME", action="append", dest="scenarios",
                        help="a scenario to compare with the base case (repeatable; by"
                        " default every scenario of the file)")
    parser.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    out = Path(options.output)
    if out.suffix.lower() not in FORMATS:
        raise CommandError(f"-o {quoted(options.output)}: the file name must end in .pdf or"
                           " .html", EXIT_USAGE)
    tree, loaded = open_tree(options.file)
    assert loaded.digest is not None  # (read_file sets it)
    provenance = Provenance(Path(options.file).name, loaded.digest, date.today(), __version__)
    briefing = offscreen_gui("briefing", "brief needs PySide6 and pyqtgraph ({error})")
    try:
        briefing.export_briefing(tree, out, page=options.page, landscape=options.landscape,
                                 provenance=provenance, scenarios=options.scenarios)
    except KeyError as error:
        raise CommandError(f"--scenario: {error.args[0]}", EXIT_USAGE) from None
    except (OSError, ValueError, MemoryError) as error:
        raise CommandError(f"cannot write {quoted(options.output)}: {one_line(error)}") \
            from None
    return 0
