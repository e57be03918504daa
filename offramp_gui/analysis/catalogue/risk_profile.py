"""Risk profile: each alternative's chances of each score for the player who decides."""
from __future__ import annotations

from dataclasses import dataclass

from .. import readable as words
from ..flatten import FlatTree
from ..profile import (
    DOMINANCE_AMONG_UP_TO,
    FIRST_ORDER,
    AlternativeProfile,
    RiskProfile,
    decision_at,
    risk_profile,
)
from ..sensitivity import Subject
from .kind import AnalysisKind, Given, Run, Table, check, plain, plain_list

ORDER_WORDS = {1: "first order", 2: "second order"}


@dataclass(frozen=True, kw_only=True)
class ProfileParameters(Given):
    """The decision (default: the root), seen by the player who decides there."""

    node: str | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        check(self.node is None or bool(self.node), "choose the decision to profile")

    def subject(self, flat: FlatTree) -> Subject:
        node = decision_at(flat, self.node)
        return Subject(node, max(int(flat.player[node]), 0), tuple(flat.children(node)))


def compute(flat: FlatTree, asked: ProfileParameters) -> RiskProfile:
    return risk_profile(flat, asked.node, asked.values)


def table(run: Run) -> Table:
    flat = run.flat
    rows = [[flat.ids[alt.node], words.branch(flat, flat.ids[alt.node]), score, chance, below]
            for alt in run.result.alternatives
            for score, chance, below in zip(alt.scores, alt.chances, alt.cumulative)]
    return Table(["alternative", "branch", "score", "chance", "cumulative"], rows)


def document(run: Run) -> dict:
    flat, result = run.flat, run.result
    keys = flat.outcomes + ("null",)
    return {
        "node": flat.ids[result.node], "player": flat.players[result.player],
        "chosen": flat.ids[result.chosen] if result.chosen >= 0 else None,
        "alternatives": [{
            "id": flat.ids[alt.node], "expected": plain(alt.expected),
            "scores": plain_list(alt.scores), "chances": plain_list(alt.chances),
            "cumulative": plain_list(alt.cumulative),
            "outcomes": dict(zip(keys, plain_list(alt.outcomes)))}
            for alt in result.alternatives],
        "dominance": [{"better": flat.ids[d.better], "worse": flat.ids[d.worse],
                       "order": d.order} for d in result.dominance]
        if result.compared else None,
    }


def dominance_lines(flat: FlatTree, result: RiskProfile) -> list[str]:
    """"Negotiate dominates Escalate (first order)", one per pair; or that none does."""
    if not result.compared:
        return [f"Not compared: {len(result.alternatives):,} alternatives (dominance is"
                f" looked for among up to {DOMINANCE_AMONG_UP_TO})."]
    lines = [f"{words.branch(flat, flat.ids[d.better])} dominates"
             f" {words.branch(flat, flat.ids[d.worse])} ({ORDER_WORDS[d.order]})"
             for d in result.dominance]
    return lines or ["No alternative stochastically dominates another."]


def text(run: Run) -> str:
    flat, topic, result = run.flat, run.topic, run.result
    marks = words.numbering(flat, topic)
    who = words.player_label(flat, topic.player)
    chosen = flat.ids[result.chosen] if result.chosen >= 0 else None
    lines = [f"Risk profile at {words.decision_heading(flat, topic)}",
             f"  the score: the utility for {who} of the whole path to each ending, given that play"
             " is here and every later decision follows the solved policy", "",
             "Alternatives", _alternatives(flat, result, chosen), ""]
    for alt in result.alternatives:
        lines.append(f"{marks[flat.ids[alt.node]]}  {words.branch(flat, flat.ids[alt.node])}")
        lines.append(_distribution(alt))
    lines += ["", "Dominance", *("  " + line for line in dominance_lines(flat, result))]
    if any(d.order == FIRST_ORDER for d in result.dominance):
        lines.append("  (first order implies second order, which is not repeated)")
    lines += ["", "Chance of each outcome", _outcome_table(flat, topic, result)]
    return "\n".join(lines)


def _alternatives(flat: FlatTree, result: RiskProfile, chosen: str | None) -> str:
    rows = []
    for k, alt in enumerate(result.alternatives, 1):
        node_id = flat.ids[alt.node]
        rows.append([str(k), words.branch(flat, node_id), words.number(alt.expected),
                     "chosen" if node_id == chosen else ""])
    return words.table(["", "Alternative", "Expected", ""], rows, numeric_from=2)


def _distribution(alt: AlternativeProfile) -> str:
    if not alt.computable:
        return "  cannot be computed"
    rows = [[words.number(score), words.percent(chance), words.percent(below)]
            for score, chance, below in zip(alt.scores, alt.chances, alt.cumulative)]
    return words.table(["Score", "Chance", "At or below"], rows, numeric_from=0)


def _outcome_table(flat: FlatTree, topic: Subject, result: RiskProfile) -> str:
    marks = words.numbering(flat, topic)
    names = flat.labels.outcomes
    rows = [[name] + [words.percent(alt.outcomes[k]) for alt in result.alternatives]
            for k, name in enumerate(names)
            if any(alt.outcomes[k] > 0 for alt in result.alternatives)]
    headers = ["Outcome"] + [marks[flat.ids[alt.node]] for alt in result.alternatives]
    return words.table(headers, rows)


RISK_PROFILE = AnalysisKind(name="risk-profile", command="profile",
                            parameters=ProfileParameters, compute=compute, table=table,
                            document=document, text=text)
