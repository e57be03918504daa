"""Numbers as the app shows them."""
from __future__ import annotations

import math

import numpy as np

#: Values this large are plotted in a unit of a power of ten (see `plot_unit`).
LARGE_VALUE = 1e100
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


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

def plot_unit(values: np.ndarray) -> float:
    """1, or for values beyond LARGE_VALUE the power of ten to divide them by for plotting.

    Near the largest double the plot's spans and margins (high - low, and more) would
    overflow: pyqtgraph refuses an infinite range, from inside a paint.
    """
    magnitudes = np.abs(values[np.isfinite(values)])
    largest = float(magnitudes.max()) if magnitudes.size else 0.0
    return 10.0 ** math.floor(math.log10(largest)) if largest >= LARGE_VALUE else 1.0


def unit_text(unit: float) -> str:
    """What an axis title adds for values plotted in `unit`: " (× 10³⁰⁸)"."""
    if unit == 1:
        return ""
    return f" (× 10{str(round(math.log10(unit))).translate(_SUPERSCRIPT)})"
