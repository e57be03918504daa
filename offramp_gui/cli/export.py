"""`offramp export FILE -o OUT [--node ID] [--scale S] [--expanded] [--transparent]
[--page a4|letter|natural] [--landscape]`.

Draws the tree as the app does, with no window: Qt runs on its offscreen platform.
Qt is imported only when the command runs, so the other commands never load it.
"""
from __future__ import annotations

import argparse
import difflib
from pathlib import Path

from .common import (
    EXIT_USAGE,
    CommandError,
    escaped,
    offscreen_gui,
    one_line,
    open_tree,
    quoted,
)

FORMATS = (".png", ".svg", ".pdf")
PAGES = ("natural", "a4", "letter")  # as gui.export.PAGES, known before Qt is loaded


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("export", help="draw a tree to PNG, SVG or PDF",
                                 description="Draw the tree, or the branch under one node,"
                                 " to an image or a PDF. The format follows OUT's extension:"
                                 " .png, .svg or .pdf. Needs no display.")
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("-o", "--output", metavar="OUT", required=True,
                        help="the file to write (.png, .svg or .pdf)")
    parser.add_argument("--node", metavar="ID", help="draw only the branch under this node")
    parser.add_argument("--scale", metavar="S", type=_scale, default=1.0,
                        help="PNG only: pixels per screen pixel, from 1 to 4 (default 1)")
    parser.add_argument("--expanded", action="store_true",
                        help="draw folded branches unfolded")
    parser.add_argument("--transparent", action="store_true",
                        help="PNG only: no background")
    parser.add_argument("--page", choices=PAGES, default="natural",
                        help="PDF only: the drawing's own size (default), or A4 or Letter"
                        " paper with the drawing fitted to one page")
    parser.add_argument("--landscape", action="store_true",
                        help="PDF on A4 or Letter only: the page turned sideways")
    parser.set_defaults(run=run)


def _scale(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text} is not a number") from None
    if not 1 <= value <= 4:
        raise argparse.ArgumentTypeError(f"{text} is outside 1..4")
    return value


def run(options: argparse.Namespace) -> int:
    out = Path(options.output)
    if out.suffix.lower() not in FORMATS:
        raise CommandError(f"-o {quoted(options.output)}: the file name must end in .png,"
                           " .svg or .pdf",
                           EXIT_USAGE)
    if (options.page != "natural" or options.landscape) and out.suffix.lower() != ".pdf":
        raise CommandError("--page and --landscape apply to a .pdf file only", EXIT_USAGE)
    if options.landscape and options.page == "natural":
        raise CommandError("--landscape needs --page a4 or --page letter", EXIT_USAGE)
    tree, _loaded = open_tree(options.file)
    if options.node is not None and options.node not in tree:
        raise CommandError(_unknown_node(options.node, tree.ids(), options.file))
    exporter = offscreen_gui("export", "export needs PySide6 ({error})")
    try:
        exporter.export_tree(tree, out, node_id=options.node, scale=options.scale,
                             transparent=options.transparent, expanded=options.expanded,
                             page=options.page, landscape=options.landscape)
    except (OSError, ValueError, MemoryError) as error:
        raise CommandError(f"cannot export to {quoted(options.output)}: {one_line(error)}") \
            from None
    return 0


def _unknown_node(node_id: str, ids: list[str], filename: str) -> str:
    close = difflib.get_close_matches(node_id, ids, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else \
        f"; the root is {ids[0]}" if ids else ""
    return (f'--node {escaped(node_id)}: there is no node with the id "{escaped(node_id)}"'
            f" in {quoted(filename)}{hint}")
