"""Analysis results as table rows, for "Export data…" (CSV), and "what would it take"."""
from __future__ import annotations

import csv
import io
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ...analysis.flatten import FlatTree
from ...analysis.montecarlo import Simulation
from ...analysis.sensitivity import OneWay, Threshold, Tornado, TwoWay, threshold, variable_range
from ...fileformat.atomic import check_writable, write_atomic
from .plot_parts import node_label

Rows = tuple[list[str], list[list[Any]]]


@dataclass(frozen=True)
class Requirements:
    """What would it take: for each ranged variable alone, where `target` is chosen."""

    node: str
    target: str
    thresholds: tuple[Threshold, ...]

    def intervals(self, name: str) -> list[tuple[float, float]]:
        found = next((t for t in self.thresholds if t.variable == name), None)
        return [] if found is None else [(a, b) for a, b, c in found.intervals
                                         if c == self.target]

    def variables(self) -> list[str]:
        return [t.variable for t in self.thresholds]

    def threshold_of(self, name: str) -> Threshold | None:
        return next((t for t in self.thresholds if t.variable == name), None)


def requirements(flat: FlatTree, node_id: str, target_id: str,
                 base: Mapping[str, Any] | None = None, steps: int = 200) -> Requirements:
    """The thresholds of every ranged variable at `node_id` (as what_would_it_take does)."""
    found = []
    for var in flat.variables:
        if var.low is None or var.high is None or not var.low < var.high:
            continue
        low, high = variable_range(flat, var.name)
        found.append(threshold(flat, node_id, var.name, low, high, steps, base))
    return Requirements(node_id, target_id, tuple(found))


def result_rows(flat: FlatTree, result: object) -> Rows:
    """(headers, rows) of any analysis result, for a CSV file."""
    for kind, rows in _ROWS.items():
        if isinstance(result, kind):
            return rows(flat, result)
    raise TypeError(f"no table for {type(result).__name__}")


def _one_way(flat: FlatTree, result: OneWay) -> Rows:
    headers = [result.variable] + [node_label(flat, a) for a in result.alternatives] + [
        "best"]
    rows = [[float(x)] + [float(v) for v in result.values[:, n]] + [
        node_label(flat, result.best[n]) if result.best[n] else ""]
        for n, x in enumerate(result.x)]
    return headers, rows


def _two_way(flat: FlatTree, result: TwoWay) -> Rows:
    headers = [result.x_variable, result.y_variable, "best"]
    rows = [[float(x), float(y), node_label(flat, result.best[j][i]) if result.best[j][i]
             else ""] for j, y in enumerate(result.y) for i, x in enumerate(result.x)]
    return headers, rows


def _tornado(flat: FlatTree, result: Tornado) -> Rows:
    headers = ["variable", "min", "max", "value at min", "value at max", "swing",
               "best at min", "best at max"]
    rows = [[b.variable, b.low, b.high, b.value_at_low, b.value_at_high, b.swing,
             _name(flat, b.best_at_low), _name(flat, b.best_at_high)] for b in result.bars]
    return headers, rows


def _threshold(flat: FlatTree, result: Threshold) -> Rows:
    headers = [f"{result.variable} from", f"{result.variable} to", "choice"]
    return headers, [[a, b, _name(flat, c)] for a, b, c in result.intervals]


def _simulation(flat: FlatTree, result: Simulation) -> Rows:
    headers = ["what", "name", "mean", "sd", "p5", "p50", "p95", "probability best", "value"]
    rows: list[list[Any]] = []
    for alternative, s in result.summary().items():
        rows.append(["alternative", node_label(flat, alternative), s["mean"], s["sd"],
                     s["p5"], s["p50"], s["p95"], s["probability_best"], ""])
    names = dict(zip(result.outcomes, flat.labels.outcomes, strict=False))
    for outcome, s in result.outcome_summary().items():
        rows.append(["outcome", names.get(outcome, outcome), s["mean"], "", s["p5"], "",
                     s["p95"], "", ""])
    rows.append(["EVPI", "", "", "", "", "", "", "", result.evpi])
    rows += [["EVPPI", name, "", "", "", "", "", "", value]
             for name, value in result.evppi.items()]
    return headers, rows


def _requirements(flat: FlatTree, result: Requirements) -> Rows:
    headers = ["variable", "min", "max", f"chosen from ({node_label(flat, result.target)})",
               "chosen to"]
    rows: list[list[Any]] = []
    for found in result.thresholds:
        spans = result.intervals(found.variable) or [("", "")]
        rows += [[found.variable, found.low, found.high, a, b] for a, b in spans]
    return headers, rows


def _name(flat: FlatTree, node_id: str | None) -> str:
    return node_label(flat, node_id) if node_id else ""


_ROWS = {OneWay: _one_way, TwoWay: _two_way, Tornado: _tornado, Threshold: _threshold,
         Simulation: _simulation, Requirements: _requirements}


def csv_text(headers: list[str], rows: list[list[Any]]) -> str:
    """The table as CSV; numbers in full precision."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([repr(float(v)) if isinstance(v, (float, np.floating)) else v
                         for v in row])
    return stream.getvalue()


def save_rows(flat: FlatTree, result: object, path: str | os.PathLike) -> None:
    """Write a result's table to a .csv file, atomically."""
    target = Path(path)
    if target.suffix.lower() != ".csv":
        raise ValueError(f"cannot write a table to {target.name}: the name must end in .csv")
    check_writable(target)
    headers, rows = result_rows(flat, result)
    write_atomic(target, csv_text(headers, rows).encode("utf-8"), backup=False)
