"""Threshold: the exact values of one variable at which the choice at a node changes."""
from __future__ import annotations

from dataclasses import dataclass

from .. import readable as words
from ..flatten import FlatTree
from ..sensitivity import Subject, Threshold, subject, threshold, variable_range
from .kind import (
    AnalysisKind,
    Given,
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


@dataclass(frozen=True, kw_only=True)
class ThresholdParameters(Given):
    """Move `variable` over low..high (default: its min..max) and follow the choice made at
    `node` by whoever decides there, searching a grid of `steps` points for changes."""

    node: str
    variable: str
    low: float | None = None
    high: float | None = None
    steps: int = 200

    def __post_init__(self) -> None:
        super().__post_init__()
        check(bool(self.node), "choose the decision whose choice should change")
        check(bool(self.variable), "choose a variable to move")
        check_range(self.variable, self.low, self.high)
        check_whole(self.steps, 2, MAX_STEPS, "the number of steps")

    def subject(self, flat: FlatTree) -> Subject:
        return subject(flat, self.node)


def compute(flat: FlatTree, asked: ThresholdParameters) -> Threshold:
    low, high = variable_range(flat, asked.variable, asked.low, asked.high)
    return threshold(flat, asked.node, asked.variable, low, high, asked.steps, asked.values)


def rows(flat: FlatTree, result: Threshold) -> list[list]:
    """(from, to, choice id, its branch label) of each interval."""
    return [[a, b, choice, words.branch(flat, choice) if choice else None]
            for a, b, choice in result.intervals]


def table(run: Run) -> Table:
    return Table(["from", "to", "choice", "branch"], rows(run.flat, run.result))


def document(run: Run) -> dict:
    flat, result = run.flat, run.result
    return {
        "node": result.node, "player": flat.players[max(int(flat.player[run.topic.node]), 0)],
        "variable": result.variable, "from": plain(result.low), "to": plain(result.high),
        "intervals": [{"from": plain(a), "to": plain(b), "choice": choice}
                      for a, b, choice in result.intervals],
        "thresholds": plain_list(result.thresholds),
    }


def text(run: Run) -> str:
    flat, topic, result = run.flat, run.topic, run.result
    name = result.variable
    now = values_now(run).get(name)
    who = words.player_label(flat, topic.player)
    span = f"from {words.x_text(result.low)} to {words.x_text(result.high)}"
    moves = f"  as {name} moves {span}"
    if now is not None:
        current = next((c for a, b, c in result.intervals if a <= now <= b), None)
        if current is not None:
            moves += f" (now {words.x_text(now)}: {words.branch(flat, current)})"
    lines = [f"What would it take: the choice at {words.decision_heading(flat, topic)}",
             moves, f"  {words.variable_line(flat, name)}"]
    headers = [f"{name} from", "to", f"{who} chooses"]
    cells = [[words.x_text(a), words.x_text(b)] for a, b, _c in result.intervals]
    widths = [max(len(r[k]) for r in cells + [headers]) for k in (0, 1)]
    body = [[a.rjust(widths[0]), b.rjust(widths[1]), words.branch(flat, choice)]
            for (a, b), (_a, _b, choice) in zip(cells, result.intervals)]
    headers = [headers[0].rjust(widths[0]), headers[1].rjust(widths[1]), headers[2]]
    lines += ["", words.table(headers, body, numeric_from=3), ""]
    if not result.thresholds:
        only = result.intervals[0][2]
        lines.append(f"No value of {name} {span} changes the choice: {who} chooses"
                     f" {words.branch(flat, only)} throughout.")
    else:
        lines.append("Thresholds")
        for (_a, at, before), (_at, _b, after) in zip(result.intervals, result.intervals[1:]):
            lines.append(f"  at {name} = {words.x_text(at)} the choice changes from"
                         f" {words.branch(flat, before)} to {words.branch(flat, after)}")
    return "\n".join(lines)


THRESHOLD = AnalysisKind(name="threshold", command="threshold", parameters=ThresholdParameters,
                         compute=compute, table=table, document=document, text=text)
