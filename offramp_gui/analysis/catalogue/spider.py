"""Spider: the base choice's value as each variable moves, against its change from its
base in percent of its range (beside the tornado, which shows only the ends)."""
from __future__ import annotations

from dataclasses import dataclass

from .. import readable as words
from ..flatten import FlatTree
from ..sensitivity import Spider, spider
from .kind import AnalysisKind, Decision, Run, Table, check, check_whole, plain, plain_list

MAX_STEPS = 10_000


@dataclass(frozen=True, kw_only=True)
class SpiderParameters(Decision):
    """Move each of `variables` (default: every one with a range, except those given
    `values`) across its min..max in `steps` points, the others at their values."""

    variables: tuple[str, ...] | None = None
    steps: int = 41

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.variables is not None:
            check(not isinstance(self.variables, str),
                  f"give the variables as a list of names, not {self.variables!r}")
            object.__setattr__(self, "variables", tuple(self.variables))
            check(bool(self.variables), "choose at least one variable to move")
        check_whole(self.steps, 2, MAX_STEPS, "the number of steps")


def compute(flat: FlatTree, asked: SpiderParameters) -> Spider:
    variables = list(asked.variables) if asked.variables is not None else None
    return spider(flat, asked.subject(flat), asked.values, variables, asked.steps)


def table(run: Run) -> Table:
    """A row per point of each line: the variable, its change in percent of its range,
    its value there, the base choice's value, and the best alternative there."""
    flat = run.flat
    rows = [[line.variable, percent, setting, value, best,
             words.branch(flat, best) if best else None]
            for line in run.result.lines
            for percent, setting, value, best in zip(line.percent.tolist(),
                                                     line.settings.tolist(),
                                                     line.values.tolist(), line.best,
                                                     strict=True)]
    return Table(["variable", "percent", "setting", "value", "best", "branch"], rows)


def document(run: Run) -> dict:
    flat, topic, result = run.flat, run.topic, run.result
    return {
        "node": flat.ids[topic.node], "player": flat.players[topic.player],
        "choice": result.choice, "base": plain(result.base),
        "lines": [{"variable": line.variable, "low": plain(line.low),
                   "high": plain(line.high), "base": plain(line.base),
                   "percent": plain_list(line.percent), "settings": plain_list(line.settings),
                   "values": plain_list(line.values), "best": list(line.best),
                   "switches": [{"percent": plain(s.percent), "at": plain(s.at),
                                 "value": plain(s.value), "from": s.before, "to": s.after}
                                for s in line.switches]}
                  for line in result.lines],
    }


def change(percent: float) -> str:
    """A change from the base in percent of the range: "-39.2%", "0%", "+50%"."""
    return "0%" if percent == 0 else f"{percent:+.4g}%"


def text(run: Run) -> str:
    flat, topic, result, given = run.flat, run.topic, run.result, run.parameters.values
    marks = words.numbering(flat, topic)
    who = words.player_label(flat, topic.player)
    fixed = "; " + ", ".join(f"{k} = {words.x_text(v)}" for k, v in given.items()) \
        + " given" if given else ""
    rows = [[line.variable, f"{words.x_text(line.low)} to {words.x_text(line.high)}",
             words.x_text(line.base), change(float(line.percent[0])),
             change(float(line.percent[-1])), words.number(float(line.values[0])),
             words.number(float(line.values[-1])), "*" if line.switches else ""]
            for line in result.lines]
    headers = ["Variable", "Range", "Base", "From", "To", "Value at from", "Value at to", ""]
    lines = [f"Spider at {words.decision_heading(flat, topic)}",
             f"  the value shown: the utility for {who} of the alternative best in the"
             " base case",
             f"  base case: {words.branch(flat, result.choice)} is best, worth"
             f" {words.number(result.base)} (every variable at its value{fixed})",
             f"  each variable moved across its range ({run.parameters.steps:,} points and its"
             " value), the others at theirs; its change from its value in percent of its range",
             "", "Alternatives", words.listing(flat, topic), "",
             words.table(headers, rows),
             "  (the variables that move it most first; * the best alternative changes)",
             "", "Where the best alternative changes",
             _switches(flat, result, marks)]
    return "\n".join(lines)


def _switches(flat: FlatTree, result: Spider, marks: dict[str | None, str]) -> str:
    found = [(line, s) for line in result.lines for s in line.switches]
    if not found:
        return (f"  nowhere: {words.branch(flat, result.choice)} is best along every line")
    rows = [[line.variable, change(s.percent), words.x_text(s.at), words.number(s.value),
             f"{marks[s.before]} → {marks[s.after]}"] for line, s in found]
    return words.table(["Variable", "Change", "At", "Value", "Best"], rows) + \
        "\n  (Value: the base choice's value just past the switch)"


SPIDER = AnalysisKind(name="spider", command="spider", parameters=SpiderParameters,
                      compute=compute, table=table, document=document, text=text)
