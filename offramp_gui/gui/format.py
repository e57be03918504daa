"""Numbers as the app shows them: the tree's number format, and plots' units."""
from __future__ import annotations

import math

import numpy as np

# The number format itself is Qt-free, for the engine's words (analysis/explain.py) too.
from ..analysis.display import AUTOMATIC, NumberFormat, probability, value

__all__ = ["AUTOMATIC", "NumberFormat", "probability", "value", "LARGE_VALUE", "plot_unit",
           "unit_text"]

#: Values this large are plotted in a unit of a power of ten (see `plot_unit`).
LARGE_VALUE = 1e100
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


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
