"""Aligned plain-text tables for the command line's readable output."""
from __future__ import annotations

import math


def number(value: float, digits: int = 2) -> str:
    """A value as shown to a reader: "—" when it cannot be computed."""
    if value is None or math.isnan(value):
        return "—"
    value += 0.0
    if abs(value) >= 1e15 or math.isinf(value):  # past what whole digits can show
        return f"{value:.4g}"
    return f"{value:,.0f}" if abs(value) >= 10_000 else f"{value:,.{digits}f}"


def percent(value: float) -> str:
    return "—" if value is None or math.isnan(value) else f"{100 * value:.1f}%"


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
