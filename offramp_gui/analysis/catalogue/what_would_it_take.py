"""What would it take: which values of each variable, alone, make a node choose a branch.

The threshold of every variable with a range at one decision (typically the other
side's), read for one branch one would like it to choose.
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import readable as words
from ..evaluate import evaluate
from ..flatten import FlatTree
from ..sensitivity import Requirements, Subject, requirements, subject
from .kind import AnalysisKind, Given, Run, Table, check, check_whole, plain
from .threshold import MAX_STEPS
from .threshold import rows as threshold_rows

NONE_IN_RANGE = "no value in range would"


@dataclass(frozen=True, kw_only=True)
class RequirementsParameters(Given):
    """Which values would make `node` choose `target`, each variable with a range alone."""

    node: str
    target: str
    steps: int = 200

    def __post_init__(self) -> None:
        super().__post_init__()
        check(bool(self.node), "choose the decision whose choice should change")
        check(bool(self.target), "choose the branch it should choose")
        check_whole(self.steps, 2, MAX_STEPS, "the number of steps")

    def subject(self, flat: FlatTree) -> Subject:
        return subject(flat, self.node)


def compute(flat: FlatTree, asked: RequirementsParameters) -> Requirements:
    return requirements(flat, asked.node, asked.target, asked.values, asked.steps)


def table(run: Run) -> Table:
    """Every variable's intervals and the choice in each (as `threshold`'s, one per row)."""
    rows = [[found.variable, *row] for found in run.result.thresholds
            for row in threshold_rows(run.flat, found)]
    return Table(["variable", "from", "to", "choice", "branch"], rows)


def document(run: Run) -> dict:
    flat, result = run.flat, run.result
    return {
        "node": result.node, "player": flat.players[max(int(flat.player[run.topic.node]), 0)],
        "target": result.target,
        "variables": {name: [{"from": plain(a), "to": plain(b)}
                             for a, b in result.intervals(name)]
                      for name in result.variables()},
    }


def answers(result: Requirements) -> list[tuple[str, str, str]]:
    """(variable, its range, the values at which the target is chosen) of each variable,
    those that could first."""
    ordered = sorted(result.thresholds, key=lambda found: not result.intervals(found.variable))
    return [(found.variable, f"{found.low:.4g} to {found.high:.4g}",
             "; ".join(f"{a:.4g} to {b:.4g}" for a, b in result.intervals(found.variable))
             or NONE_IN_RANGE) for found in ordered]


def summary(run: Run) -> str:
    """What it chooses now, and how many variables alone could make it choose the target."""
    flat, result = run.flat, run.result
    chosen = evaluate(flat, run.parameters.values).chosen_id(result.node)
    count = sum(bool(result.intervals(name)) for name in result.variables())
    now = (f"At the tree's values it chooses {words.branch(flat, chosen)}." if chosen
           else "At the tree's values its choice cannot be computed.")
    return (f"{now} {count} of {len(result.variables())} variables, each alone, could"
            f" make it choose {words.branch(flat, result.target)}.")


def text(run: Run) -> str:
    flat, result = run.flat, run.result
    lines = [f"What would it take: the choice at {words.decision_heading(flat, run.topic)}",
             f"  to be {words.branch(flat, result.target)}, each variable with a range moved"
             " alone over it, the others at their values", "",
             words.table(["Variable", "Range", "Chooses it when"],
                         [list(row) for row in answers(result)], numeric_from=3),
             "", summary(run)]
    return "\n".join(lines)


WHAT_WOULD_IT_TAKE = AnalysisKind(name="what-would-it-take", command=None,
                                  parameters=RequirementsParameters, compute=compute,
                                  table=table, document=document, text=text)
