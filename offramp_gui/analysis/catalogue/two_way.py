"""Two-way sensitivity: the best alternative over a grid of two variables (a region map)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import readable as words
from ..flatten import FlatTree
from ..sensitivity import TwoWay, two_way, variable_range
from .kind import AnalysisKind, Decision, Run, Table, check, check_range, check_whole, plain_list

MAX_STEPS = 2_000
MAX_COLUMNS, MAX_ROWS = 48, 20  # the character map samples a larger grid
SYMBOLS = "123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True, kw_only=True)
class TwoWayParameters(Decision):
    """`x` across and `y` up, each over its own range (default: min..max), `steps` each."""

    x: str
    y: str
    x_low: float | None = None
    x_high: float | None = None
    y_low: float | None = None
    y_high: float | None = None
    steps: int = 50

    def __post_init__(self) -> None:
        super().__post_init__()
        check(bool(self.x) and bool(self.y), "a map needs two variables")
        check(self.x != self.y, "choose two different variables")
        check_range(self.x, self.x_low, self.x_high)
        check_range(self.y, self.y_low, self.y_high)
        check_whole(self.steps, 2, MAX_STEPS, "the number of steps")


def compute(flat: FlatTree, asked: TwoWayParameters) -> TwoWay:
    topic = asked.subject(flat)
    return two_way(flat, topic, asked.x, variable_range(flat, asked.x, asked.x_low, asked.x_high),
                   asked.y, variable_range(flat, asked.y, asked.y_low, asked.y_high),
                   asked.steps, asked.values)


def table(run: Run) -> Table:
    result: TwoWay = run.result
    rows = [[x, y, result.best[j][i]] for j, y in enumerate(result.y.tolist())
            for i, x in enumerate(result.x.tolist())]
    return Table([result.x_variable, result.y_variable, "best"], rows)


def document(run: Run) -> dict:
    flat, topic, result = run.flat, run.topic, run.result
    return {
        "node": flat.ids[topic.node], "player": flat.players[topic.player],
        "x": {"variable": result.x_variable, "values": plain_list(result.x)},
        "y": {"variable": result.y_variable, "values": plain_list(result.y)},
        "best": [list(row) for row in result.best],
    }


def text(run: Run) -> str:
    flat, topic, result = run.flat, run.topic, run.result
    count = result.best_index.size
    shares = [[SYMBOLS[k], flat.labels.branches[a] or flat.ids[a],
               words.percent(np.count_nonzero(result.best_index == k) / count)]
              for k, a in enumerate(topic.alternatives[:len(SYMBOLS)])]
    lines = [f"Best alternative at {words.decision_heading(flat, topic)}",
             f"  across: {words.variable_line(flat, result.x_variable)}",
             f"  up:     {words.variable_line(flat, result.y_variable)}",
             f"  a grid of {result.x.size:,} × {result.y.size:,} points", "",
             words.table(["", "Alternative", "Best on"], shares, numeric_from=2)]
    if (result.best_index < 0).any():
        lines.append(f"  ·  the tree cannot be evaluated: "
                     f"{words.percent(np.count_nonzero(result.best_index < 0) / count)}")
    lines += ["", _picture(result)]
    return "\n".join(lines)


def _picture(result: TwoWay) -> str:
    """The region map: a symbol per sampled grid point, y rising up the page."""
    columns = np.unique(np.linspace(0, result.x.size - 1, min(result.x.size, MAX_COLUMNS))
                        .round().astype(int))
    rows = np.unique(np.linspace(0, result.y.size - 1, min(result.y.size, MAX_ROWS))
                     .round().astype(int))[::-1]
    symbols = np.array(list(SYMBOLS) + ["·"])
    grid = result.best_index[np.ix_(rows, columns)]
    grid = np.where((grid < 0) | (grid >= len(SYMBOLS)), len(SYMBOLS), grid)
    y_labels = {0: words.x_text(result.y[rows[0]]), len(rows) - 1:
                words.x_text(result.y[rows[-1]])}
    width = max(len(t) for t in y_labels.values())
    lines = [f"  {result.y_variable}"]
    for k, row in enumerate(grid):
        lines.append(f"  {y_labels.get(k, '').rjust(width)} │" + "".join(symbols[row]))
    lines.append("  " + " " * width + " └" + "─" * len(columns))
    left, right = words.x_text(result.x[0]), words.x_text(result.x[-1])
    axis = left + right.rjust(max(len(right) + 2, len(columns) - len(left)))
    lines.append("  " + " " * (width + 2) + axis + f"  {result.x_variable}")
    return "\n".join(lines)


TWO_WAY = AnalysisKind(name="two-way", command="map", parameters=TwoWayParameters,
                       compute=compute, table=table, document=document, text=text)
