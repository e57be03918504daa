"""Every node as one row of a CSV table, with the numbers `offramp evaluate --json` prints.

Rows follow the file's order (the root first, each node before its children).
Numbers are written to 15 significant digits (see csv_number), so `float(cell)` equals
the number in the evaluation document but for the float noise of its last digits; a
value that cannot be computed is an empty cell.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from ..analysis.readable import csv_number
from ..fileformat.atomic import SaveError, write_atomic
from ..model.tree import Tree
from .common import ConversionError, Report
from .values import Evaluated, evaluated

PATH_SEPARATOR = "/"


def header(values: Evaluated) -> list[str]:
    flat = values.flat
    return (["path", "id", "depth", "type", "branch", "name", "player", "outcome",
             "probability", "probability_as_written"]
            + [f"payoff.{c}" for c in flat.criteria]
            + [f"expected.{c}" for c in flat.criteria]
            + [f"utility.{p}" for p in flat.players]
            + ["choice", "tie", "reach"])


def rows(values: Evaluated) -> list[list[str]]:
    """One row per node, in document order."""
    results, flat, tree = values.results, values.flat, values.tree
    out = []
    for i in values.order():
        node = tree.node(flat.ids[i])
        path = values.path(i)
        chosen = int(results.choice[i])
        out.append(
            [PATH_SEPARATOR.join(path), node.id, str(len(path) - 1), node.type,
             node.branch or "", node.name or "", _player(flat, i), node.outcome or "",
             csv_number(results.probability[i]), _as_written(node.probability)]
            + [csv_number(v) for v in values.payoff[i]]
            + [csv_number(v) for v in results.expected[i]]
            + [csv_number(v) for v in results.utility[i]]
            + [flat.ids[chosen] if chosen >= 0 else "", "true" if results.tie[i] else "false",
               csv_number(results.reach[i])])
    return out


def csv_text(tree: Tree, values: Evaluated | None = None) -> str:
    values = values or evaluated(tree)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header(values))
    writer.writerows(rows(values))
    return buffer.getvalue()


def write_csv(tree: Tree, path: str | Path, report: Report) -> None:
    values = evaluated(tree, str(path))
    try:
        write_atomic(path, csv_text(tree, values).encode("utf-8"), backup=False)
    except SaveError as error:
        raise ConversionError(str(error)) from None
    flat = values.flat
    report.converted.append(f"CSV: {flat.size} rows, one per node, with {len(flat.criteria)}"
                            f" criteri{'on' if len(flat.criteria) == 1 else 'a'} and"
                            f" {len(flat.players)} player{'s' * (len(flat.players) != 1)}")
    report.dropped.append("the tree's settings beyond ids (criterion and player names, weights,"
                          " variables' ranges): a CSV table holds one row per node")


def _player(flat: Any, i: int) -> str:
    index = int(flat.player[i])
    return flat.players[index] if index >= 0 and flat.kind[i] >= 2 else ""


def _as_written(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else repr(value)
