"""What every analysis in the catalogue is made of, and what a run of one gives."""
from __future__ import annotations

import csv
import io
import math
import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

import numpy as np

from ..evaluate import evaluate
from ..flatten import FlatTree
from ..readable import csv_number
from ..sensitivity import AnalysisError, Subject, subject


@dataclass(frozen=True)
class Table:
    """The rows of a result: the one CSV layout, for the command line and the app."""

    header: list[str]
    rows: Iterable[Sequence[Any]]

    def csv(self) -> str:
        """Numbers as csv_number writes them; an empty cell where one cannot be computed."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.header)
        writer.writerows([cell(c) for c in row] for row in self.rows)
        return buffer.getvalue()


def cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (float, np.floating)):
        return csv_number(float(value))
    return value


def plain(value: Any) -> float | None:
    """A number for JSON: None where it cannot be computed, -0.0 as 0.0."""
    if value is None:
        return None
    value = float(value)
    return value + 0.0 if math.isfinite(value) else None


def plain_list(values: Iterable[Any]) -> list[float | None]:
    return [plain(v) for v in np.asarray(values, float).tolist()]


# ---- parameters -----------------------------------------------------------------------
def check(condition: bool, message: str) -> None:
    """Refuse parameters that cannot be analysed, saying why in one line."""
    if not condition:
        raise AnalysisError(message)


def check_whole(value: int, low: int, high: int, what: str) -> None:
    check(isinstance(value, (int, np.integer)) and not isinstance(value, bool),
          f"{what} must be a whole number, not {value!r}")
    check(low <= value <= high, f"{what} must be from {low:,} to {high:,}, not {value:,}")


def check_range(name: str, low: float | None, high: float | None) -> None:
    for end in (low, high):
        check(end is None or isinstance(end, numbers.Real) and math.isfinite(end),
              f"the range of {name} must be finite numbers, not {end}")
    if low is not None and high is not None:
        check(low < high, f"the range of {name} is empty ({low:g} to {high:g})")


def frozen_values(values: Mapping[str, float]) -> Mapping[str, float]:
    """Variables given other values, checked finite and kept read-only."""
    for name, value in values.items():
        check(isinstance(value, numbers.Real) and math.isfinite(value),
              f"the value given to {name} must be a finite number, not {value!r}")
    return MappingProxyType({name: float(value) for name, value in values.items()})


@dataclass(frozen=True, kw_only=True)
class Given:
    """Variables given other values than the tree's; the others keep theirs."""

    values: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", frozen_values(self.values))


@dataclass(frozen=True, kw_only=True)
class Decision(Given):
    """The decision analysed (default: the root) and whose values count (default: who
    decides there)."""

    node: str | None = None
    player: str | None = None

    def subject(self, flat: FlatTree) -> Subject:
        return subject(flat, self.node, self.player)


# ---- a kind of analysis, and a run of it ------------------------------------------------
@dataclass(frozen=True)
class AnalysisKind:
    """One analysis: its parameters, how it is computed, and each way its result is read."""

    name: str  # for file names and the app: "one-way"
    command: str | None  # the command line's command, if it has one
    parameters: type[Given]
    compute: Callable[..., Any]  # (flat, parameters, **options) -> result
    table: Callable[[Run], Table]
    document: Callable[[Run], dict]  # the command line's --json document
    text: Callable[[Run], str]  # what the command line prints

    def run(self, flat: FlatTree, parameters: Any, **options: Any) -> Run:
        """Compute on `flat`; `options` go to the compute function (e.g. progress)."""
        if not isinstance(parameters, self.parameters):
            raise TypeError(f"{self.name} takes {self.parameters.__name__},"
                            f" not {type(parameters).__name__}")
        known = set(flat.variable_names())
        for name in parameters.values:
            check(name in known, f'there is no variable "{name}"; the variables are '
                  + (", ".join(flat.variable_names()) or "none"))
        return Run(self, flat, parameters, self.compute(flat, parameters, **options))


@dataclass(frozen=True, eq=False)
class Run:
    """An analysis computed: the tree it ran on, what was asked, and the result."""

    kind: AnalysisKind
    flat: FlatTree
    parameters: Any
    result: Any

    @cached_property
    def topic(self) -> Subject:
        return self.parameters.subject(self.flat)

    def table(self) -> Table:
        return self.kind.table(self)

    def document(self) -> dict:
        return self.kind.document(self)

    def text(self) -> str:
        return self.kind.text(self)

    def csv(self) -> bytes:
        """The table as the bytes of a .csv file."""
        return self.table().csv().encode("utf-8")


def values_now(run: Run) -> dict[str, float]:
    """Every variable's value where the analysis starts: the tree's, or as given."""
    return evaluate(run.flat, run.parameters.values).variables
