"""Numbers as the tree's display settings show them (docs/format.md, "Display"): the
app's canvas, panels and exports, and the sentences of `explain`."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class NumberFormat:
    """How numbers are shown: the tree's "display" (docs/format.md, "Display")."""

    #: Digits after the point; None: about three significant figures.
    decimals: int | None = None
    percent: bool = True
    units: bool = False

    @classmethod
    def of(cls, display: dict[str, Any] | None) -> NumberFormat:
        display = display or {}
        decimals = display.get("decimals")
        return cls(None if decimals is None else int(decimals),
                   display.get("probabilities", "percent") != "decimal",
                   bool(display.get("units", False)))

    def as_display(self) -> dict[str, Any] | None:
        """The file's "display" object for this format; None when it is the default."""
        display: dict[str, Any] = {}
        if self.decimals is not None:
            display["decimals"] = self.decimals
        if not self.percent:
            display["probabilities"] = "decimal"
        if self.units:
            display["units"] = True
        return display or None


AUTOMATIC = NumberFormat()


def value(number: float | None, style: NumberFormat = AUTOMATIC,
          unit: str | None = None) -> str:
    """A value or utility: three significant figures or so, or the chosen decimals, and
    `unit` when units are shown; "—" when not computable."""
    text = _value(number, style.decimals)
    return f"{text} {unit}" if unit and style.units and text != "—" else text


def _value(number: float | None, decimals: int | None) -> str:
    if number is None or math.isnan(number):
        return "—"
    number += 0.0
    if abs(number) >= 1e15:  # in full, 1e308 would be a line of 309 digits
        return f"{number:.3g}"
    if decimals is not None:
        return f"{number:,.{decimals}f}"
    if abs(number) >= 1000:
        return f"{number:,.0f}"
    if abs(number) >= 10:
        return f"{number:.1f}"
    return f"{number:.2f}"


def probability(p: float | None, style: NumberFormat = AUTOMATIC) -> str:
    if p is None or math.isnan(p):
        return "—"
    if style.percent:
        return f"{100 * p:.3g}%" if style.decimals is None else f"{100 * p:.{style.decimals}f}%"
    return f"{p:.3g}" if style.decimals is None else f"{p:.{style.decimals}f}"
