"""Aligned plain-text tables for the command line's readable output."""
from __future__ import annotations

import math


def number(value: float, digits: int = 2) -> str:
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


def percent(value: float) -> str:
    """A chance as a percentage: `percent(0.1234)` is `'12.3%'`.

    >>> percent(0.1234), percent(float("nan"))
    ('12.3%', '—')
    """
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
