"""Bring trees in from other tools and take them out: `convert`, `read`, `write`.

Formats, by name and extension:

=================  ================  =====  =====
name               extensions        read   write
=================  ================  =====  =====
offramp            .json             yes    yes
silverdecisions    .json             yes    no
gambit             .efg              yes    yes
graphml            .graphml          no     yes
dot                .dot, .gv         no     yes
csv                .csv              no     yes
=================  ================  =====  =====

A `.json` file whose top level has a "SilverDecisions" key is read as SilverDecisions,
any other as offramp's own format. Every conversion returns a `Report` that lists what
was converted and, one line each, everything approximated or not kept.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..fileformat.limits import deep_recursion
from ..model.tree import Tree
from .common import ConversionError, Report, folder_problem, json_integer, problems, read_source

__all__ = ["convert", "read", "write", "Report", "ConversionError", "FORMATS",
           "READABLE", "WRITABLE"]

FORMATS = {"offramp": (".json",), "silverdecisions": (".json",), "gambit": (".efg",),
           "graphml": (".graphml",), "dot": (".dot", ".gv"), "csv": (".csv",)}
READABLE = ("offramp", "silverdecisions", "gambit")
WRITABLE = ("offramp", "gambit", "graphml", "dot", "csv")
_TITLES = {"offramp": "offramp tree", "silverdecisions": "SilverDecisions",
           "gambit": "Gambit game", "graphml": "GraphML", "dot": "Graphviz DOT",
           "csv": "CSV table"}


def convert(source_path: str | Path, target_path: str | Path, from_format: str | None = None,
            to_format: str | None = None, tree_index: int = 0,
            strict: bool = False) -> Report:
    """Read `source_path` and write `target_path`; return what was done and lost.

    Raises ConversionError (with every problem, one line each) when it cannot be done.
    `tree_index` picks a tree of a SilverDecisions file (0 is the first); `strict`
    refuses a source that can only be approximated (a Gambit game whose information
    sets hold several nodes, a SilverDecisions value that is not plain arithmetic…).
    """
    to_format = _target_format(target_path, to_format)
    problem = folder_problem(target_path)
    if problem:
        raise ConversionError(problem)
    tree, report = read(source_path, from_format, tree_index, strict)
    return write(tree, target_path, to_format, report)


def read(path: str | Path, from_format: str | None = None, tree_index: int = 0,
         strict: bool = False) -> tuple[Tree, Report]:
    """The tree of a file in any readable format, and the report of its import."""
    fmt = _source_format(path, from_format)
    if tree_index and fmt != "silverdecisions":
        raise ConversionError(f"{path}: only a SilverDecisions file holds several trees,"
                              " so --tree does not apply to it", usage=True)
    report = Report(source=str(path), from_format=fmt)
    if fmt == "offramp":
        tree = _read_offramp(path)
        report.converted.append(f'offramp tree "{tree.title}": {len(tree)} nodes')
    elif fmt == "silverdecisions":
        from .silverdecisions import read_silverdecisions
        tree = read_silverdecisions(path, report, tree_index)
    else:
        from .gambit import read_gambit
        tree = read_gambit(path, report, strict)
    if strict and report.approximated:
        raise ConversionError([f"{path}: refused (strict): {line}"
                               for line in report.approximated])
    return tree, report


def write(tree: Tree, path: str | Path, to_format: str | None = None,
          report: Report | None = None) -> Report:
    """Write the tree in any writable format; add what was done to `report`."""
    fmt = _target_format(path, to_format)
    report = report or Report(from_format="offramp")
    report.target, report.to_format = str(path), fmt
    problem = folder_problem(path)
    if problem:
        raise ConversionError(problem)
    if fmt == "offramp":
        _write_offramp(tree, path, report)
    elif fmt == "gambit":
        from .gambit_export import write_gambit
        write_gambit(tree, path, report)
    elif fmt == "graphml":
        from .graph import write_graphml
        write_graphml(tree, path, report)
    elif fmt == "dot":
        from .graph import write_dot
        write_dot(tree, path, report)
    else:
        from .table import write_csv
        write_csv(tree, path, report)
    return report


# ---- formats --------------------------------------------------------------------------
def format_of(path: str | Path) -> str | None:
    """The format a file name's extension stands for (.json: offramp's own)."""
    suffix = Path(path).suffix.lower()
    return next((name for name, suffixes in FORMATS.items() if suffix in suffixes), None)


def _source_format(path: str | Path, given: str | None) -> str:
    fmt = _known(given, "--from") if given else format_of(path)
    if fmt is None:
        raise ConversionError(f"{path}: cannot tell the format from the extension"
                              f" {Path(path).suffix or '(none)'}; give --from"
                              f" ({', '.join(READABLE)})", usage=True)
    if fmt not in READABLE:
        raise ConversionError(f"{path}: offramp cannot read {_TITLES[fmt]} files: GraphML, DOT"
                              " and CSV are export formats that hold results for other tools;"
                              f" offramp reads {', '.join(READABLE)}", usage=True)
    if fmt == "offramp" and given is None and is_silverdecisions(path):
        return "silverdecisions"
    return fmt


def _target_format(path: str | Path, given: str | None) -> str:
    fmt = _known(given, "--to") if given else format_of(path)
    if fmt is None:
        raise ConversionError(f"{path}: cannot tell the format to write from the extension"
                              f" {Path(path).suffix or '(none)'}; give --to"
                              f" ({', '.join(WRITABLE)})", usage=True)
    if fmt not in WRITABLE:
        raise ConversionError(f"offramp cannot write {_TITLES[fmt]} files; it writes"
                              f" {', '.join(WRITABLE)}", usage=True)
    return fmt


def _known(name: str, option: str) -> str:
    fmt = name.strip().lower()
    if fmt not in FORMATS:
        raise ConversionError(f"{option} {name}: unknown format; the formats are"
                              f" {', '.join(FORMATS)}", usage=True)
    return fmt


def is_silverdecisions(path: str | Path) -> bool:
    """Whether a .json file's top level has a "SilverDecisions" key."""
    try:
        data = read_source(path)  # bounded, like every read of an import
        if b"SilverDecisions" not in data:
            return False
        with deep_recursion():
            doc = json.loads(data.decode("utf-8-sig"), parse_int=json_integer)
    except (ConversionError, ValueError, RecursionError):
        return False
    return isinstance(doc, dict) and "SilverDecisions" in doc


def _read_offramp(path: str | Path) -> Tree:
    from ..fileformat.json_io import locate_issues, read_file
    loaded = read_file(path)
    issues = locate_issues(loaded.text, problems(loaded))
    if issues or loaded.tree is None:
        raise ConversionError([i.format(str(path)) for i in issues]
                              or [f"{path}: cannot be read"])
    return loaded.tree


def _write_offramp(tree: Tree, path: str | Path, report: Report) -> None:
    from ..fileformat.atomic import SaveError
    from ..fileformat.json_io import save
    try:
        save(tree, path)
    except SaveError as error:
        raise ConversionError(f"{path}: {error}") from None
    report.converted.append(f"offramp tree: {len(tree)} nodes, everything kept")
