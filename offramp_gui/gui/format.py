"""Numbers as the app shows them."""
from __future__ import annotations

import math


def value(number: float | None) -> str:
    """A value or utility: three significant figures or so; "—" when not computable."""
    if number is None or math.isnan(number):
        return "—"
    number += 0.0
    if abs(number) >= 1e15:  # in full, 1e308 would be a line of 309 digits
        return f"{number:.3g}"
    if abs(number) >= 1000:
        return f"{number:,.0f}"
    if abs(number) >= 10:
        return f"{number:.1f}"
    return f"{number:.2f}"


def probability(p: float | None) -> str:
    if p is None or math.isnan(p):
        return "—"
    return f"{100 * p:.3g}%"
