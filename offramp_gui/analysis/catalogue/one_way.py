"""One-way sensitivity: each alternative's value as one variable moves over a range."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import readable as words
from ..flatten import FlatTree
from ..sensitivity import OneWay, alternative_values, grid, one_way, variable_range
from .kind import (
    AnalysisKind,
    Decision,
    Run,
    Table,
    check,
    check_range,
    check_whole,
    plain,
    plain_list,
    values_now,
)

MAX_STEPS = 100_000
READABLE_POINTS = 11  # the readable table: the ends and every tenth of the range


@dataclass(frozen=True, kw_only=True)
class OneWayParameters(Decision):
    """Sweep `variable` over low..high (default: its min..max) in `steps` points."""

    variable: str
    low: float | None = None
    high: float | None = None
    steps: int = 200

    def __post_init__(self) -> None:
        super().__post_init__()
        check(bool(self.variable), "choose a variable to vary")
        check_range(self.variable, self.low, self.high)
        check_whole(self.steps, 2, MAX_STEPS, "the number of steps")


def compute(flat: FlatTree, asked: OneWayParameters) -> OneWay:
    topic = asked.subject(flat)
    low, high = variable_range(flat, asked.variable, asked.low, asked.high)
    return one_way(flat, topic, asked.variable, low, high, asked.steps, asked.values)


def table(run: Run) -> Table:
    result: OneWay = run.result
    rows = [[x] + [float(v) for v in result.values[:, k]] + [result.best[k]]
            for k, x in enumerate(result.x.tolist())]
    return Table([result.variable] + list(result.alternatives) + ["best"], rows)


def document(run: Run) -> dict:
    flat, topic, result = run.flat, run.topic, run.result
    return {
        "node": flat.ids[topic.node], "player": flat.players[topic.player],
        "variable": result.variable, "values": plain_list(result.x),
        "alternatives": {name: plain_list(row)
                         for name, row in zip(result.alternatives, result.values)},
        "best": list(result.best),
        "switches": [{"at": plain(at), "from": a, "to": b} for at, a, b in result.switches],
    }


def text(run: Run) -> str:
    flat, topic, result, base = run.flat, run.topic, run.result, run.parameters.values
    name = result.variable
    now = values_now(run).get(name)
    low, high = float(result.x[0]), float(result.x[-1])
    where = f"from {words.x_text(low)} to {words.x_text(high)} ({result.x.size:,} points)"
    if now is not None:
        where += f"; its value now is {words.x_text(now)}"
    others = {k: v for k, v in base.items() if k != name}
    where += "; the other variables at their values" + (
        " with " + ", ".join(f"{k} = {words.x_text(v)}" for k, v in others.items())
        if others else "")
    lines = [f"Sensitivity to {name} at {words.decision_heading(flat, topic)}",
             f"  {words.variable_line(flat, name)}", f"  {where}", "",
             "Alternatives", words.listing(flat, topic), "",
             "Where the best alternative changes", _switches(flat, result), "",
             f"Value of each alternative ({words.value_of(flat, topic.player)})",
             _values(run)]
    if any(b is None for b in result.best):
        lines += ["", "  — : the tree cannot be evaluated at some values of " + name]
    return "\n".join(lines)


def _switches(flat: FlatTree, result: OneWay) -> str:
    if not result.switches:
        best = next(b for b in result.best if b is not None)
        return f"  nowhere: {words.branch(flat, best)} is best over the whole range"
    return "\n".join(f"  at {result.variable} = {words.x_text(at)} the best alternative"
                     f" changes from {words.branch(flat, a)} to {words.branch(flat, b)}"
                     for at, a, b in result.switches)


def _values(run: Run) -> str:
    """The values at evenly spaced points, and at each switch point (marked)."""
    flat, topic, result = run.flat, run.topic, run.result
    points = grid(float(result.x[0]), float(result.x[-1]), READABLE_POINTS)
    switches = np.array([at for at, _a, _b in result.switches], float)
    x = np.concatenate([points, switches])
    values, best = alternative_values(flat, topic, {**run.parameters.values,
                                                    result.variable: x}, x.size)
    marks = words.numbering(flat, topic)
    rows = []
    for k in np.argsort(x, kind="stable").tolist():
        cells = [words.number(v) for v in values[:, k]]
        if k < points.size:
            chosen = marks[flat.ids[best[k]] if best[k] >= 0 else None]
            rows.append([words.x_text(x[k])] + cells + [chosen])
        else:
            _at, a, b = result.switches[k - points.size]
            rows.append([words.x_text(x[k]) + " *"] + cells + [f"{marks[a]} → {marks[b]}"])
    headers = [result.variable] + [str(k) for k in range(1, len(topic.alternatives) + 1)]
    shown = words.table(headers + ["Best"], rows)
    return shown + "\n  * a switch point" if switches.size else shown


ONE_WAY = AnalysisKind(name="one-way", command="sensitivity", parameters=OneWayParameters,
                       compute=compute, table=table, document=document, text=text)
