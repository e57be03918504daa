"""Tornado: every ranged variable swung from its min to its max, ranked by the swing."""
from __future__ import annotations

from dataclasses import dataclass

from .. import readable as words
from ..flatten import FlatTree
from ..sensitivity import Tornado, tornado
from .kind import AnalysisKind, Decision, Run, Table, plain


@dataclass(frozen=True, kw_only=True)
class TornadoParameters(Decision):
    """The variables given `values` stay fixed; every other one with a range swings."""


def compute(flat: FlatTree, asked: TornadoParameters) -> Tornado:
    return tornado(flat, asked.subject(flat), asked.values)


def table(run: Run) -> Table:
    header = ["variable", "low", "high", "value_at_low", "value_at_high", "swing",
              "best_at_low", "best_at_high"]
    rows = [[bar.variable, bar.low, bar.high, bar.value_at_low, bar.value_at_high, bar.swing,
             bar.best_at_low, bar.best_at_high] for bar in run.result.bars]
    return Table(header, rows)


def document(run: Run) -> dict:
    flat, topic, result = run.flat, run.topic, run.result
    return {
        "node": flat.ids[topic.node], "player": flat.players[topic.player],
        "base": plain(result.base),
        "bars": [{"variable": bar.variable, "low": plain(bar.low), "high": plain(bar.high),
                  "value_at_low": plain(bar.value_at_low),
                  "value_at_high": plain(bar.value_at_high),
                  "best_at_low": bar.best_at_low, "best_at_high": bar.best_at_high}
                 for bar in result.bars],
    }


def text(run: Run) -> str:
    flat, topic, result, given = run.flat, run.topic, run.result, run.parameters.values
    marks = words.numbering(flat, topic)
    rows = []
    for bar in result.bars:
        changes = bar.best_at_low != bar.best_at_high
        rows.append([bar.variable, words.x_text(bar.low), words.x_text(bar.high),
                     words.number(bar.value_at_low), words.number(bar.value_at_high),
                     words.number(bar.swing), marks.get(bar.best_at_low, "—"),
                     marks.get(bar.best_at_high, "—"), "*" if changes else ""])
    headers = ["Variable", "Low", "High", "Value at low", "Value at high", "Swing",
               "Best at low", "Best at high", ""]
    fixed = "; " + ", ".join(f"{k} = {words.x_text(v)}" for k, v in given.items()) \
        + " by --set" if given else ""
    base = (f"  base case: {words.branch(flat, result.base_best)} is best, worth"
            f" {words.number(result.base)} (every variable at its value{fixed})")
    lines = [f"Tornado at {words.decision_heading(flat, topic)}",
             "  the value of the decision: the best alternative's"
             f" {words.value_of(flat, topic.player).replace(' of ', ' for ', 1)}", base,
             "", "Alternatives", words.listing(flat, topic), "",
             words.table(headers, rows)]
    if any(row[-1] for row in rows):
        lines.append("  * the best alternative differs between the ends of the range")
    if given:
        lines.append(f"  ({', '.join(given)} given with --set: not swung)")
    return "\n".join(lines)


TORNADO = AnalysisKind(name="tornado", command="tornado", parameters=TornadoParameters,
                       compute=compute, table=table, document=document, text=text)
