"""What a reader sees of the numbers: values, percentages, names and aligned tables.

The command line prints with these, and the catalogue's readable texts are built
from them, so the app and the terminal name things the same way.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .flatten import DECISION_KIND, FlatTree

if TYPE_CHECKING:
    from .sensitivity import Subject


#: Significant digits of a number in a CSV file: all a double holds faithfully, so the
#: last bits of arithmetic (0.1 + 0.2 = 0.30000000000000004) are not written.
CSV_DIGITS = 15


def csv_number(value: float | None) -> str:
    """A number for a CSV cell: rounded to CSV_DIGITS significant digits, in the shortest
    text that reads back as that rounded double; empty when it cannot be computed.

    >>> csv_number(53.775000000000006), csv_number(0.1 + 0.2), csv_number(-0.0)
    ('53.775', '0.3', '0.0')
    >>> csv_number(1 / 3), csv_number(2.0), csv_number(1e300), csv_number(float("nan"))
    ('0.333333333333333', '2.0', '1e+300', '')
    """
    if value is None or not math.isfinite(value):
        return ""
    return repr(float(f"{float(value):.{CSV_DIGITS}g}") + 0.0)


def number(value: float | None, digits: int = 2) -> str:
    """A value as shown to a reader: "—" when it cannot be computed.

    >>> number(1234.5), number(12345.6), number(float("nan")), number(1e20)
    ('1,234.50', '12,346', '—', '1e+20')
    """
    if value is None or math.isnan(value):
        return "—"
    value += 0.0
    if abs(value) >= 1e15 or math.isinf(value):  # past what whole digits can show
        return f"{value:.4g}"
    return f"{value:,.0f}" if abs(value) >= 10_000 else f"{value:,.{digits}f}"


def percent(value: float | None) -> str:
    """A chance as a percentage.

    >>> percent(0.1234), percent(float("nan"))
    ('12.3%', '—')
    """
    return "—" if value is None or math.isnan(value) else f"{100 * value:.1f}%"


def x_text(value: float | None) -> str:
    """A variable's value: six significant digits."""
    if value is None or not math.isfinite(value):
        return "—"
    return f"{value + 0.0:.6g}"


def table(headers: list[str], rows: list[list[str]], numeric_from: int = 1,
          indent: str = "  ") -> str:
    """Columns from `numeric_from` on are right-aligned; the others left-aligned."""
    widths = [max(len(str(r[k])) for r in [headers] + rows) for k in range(len(headers))]
    lines = []
    for row in [headers] + rows:
        cells = [str(c).rjust(w) if k >= numeric_from else str(c).ljust(w)
                 for k, (c, w) in enumerate(zip(row, widths))]
        lines.append(indent + "  ".join(cells).rstrip())
    return "\n".join(lines)


# ---- names --------------------------------------------------------------------------
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


def value_of(flat: FlatTree, player: int) -> str:
    """What an alternative's value is for `player`: "utility of X", or "certainty
    equivalent of X" for a player who is risk-averse or risk-seeking."""
    risky = any(attitude.player == player for attitude in flat.risk)
    return ("certainty equivalent of " if risky else "utility of ") + player_label(flat,
                                                                                  player)


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
    marks: dict[str | None, str] = {flat.ids[a]: str(k)
                                    for k, a in enumerate(topic.alternatives, 1)}
    marks[None] = "—"
    return marks


def listing(flat: FlatTree, topic: Subject) -> str:
    return "\n".join(f"  {k}  {flat.labels.branches[a] or flat.ids[a]}"
                     for k, a in enumerate(topic.alternatives, 1))
