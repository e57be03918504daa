"""Value of information: what knowing a chance event's outcome (perfectly, or through a
test of given accuracy) before a decision is worth to the player who decides there."""
from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from .. import readable as words
from ..event_information import (
    EventInformation,
    Knowing,
    accuracy_likelihood,
    event_information,
    rows_of,
)
from ..flatten import FlatTree
from ..sensitivity import AnalysisError, Subject
from .kind import AnalysisKind, Given, Run, Table, check, plain, plain_list

Likelihood = Mapping[str, Mapping[str, float]]


@dataclass(frozen=True, kw_only=True)
class InformationParameters(Given):
    """Learn the outcome of the chance node `event` before the decision `before` (default:
    the nearest decision above it); also through a test that names the outcome with chance
    `accuracy`, or whose `likelihood[signal][outcome]` = P(signal | outcome) is given
    (outcomes by branch label or id; an outcome left out gives that signal no chance)."""

    event: str
    before: str | None = None
    accuracy: float | None = None
    likelihood: Likelihood | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        check(bool(self.event), "choose the chance event whose outcome would be known")
        check(self.accuracy is None or self.likelihood is None,
              "give the test's accuracy or its likelihoods, not both")
        if self.accuracy is not None:
            check(isinstance(self.accuracy, numbers.Real) and 0 <= self.accuracy <= 1,
                  f"the accuracy must be a chance from 0 to 1, not {self.accuracy!r}")
        if self.likelihood is not None:
            object.__setattr__(self, "likelihood", _frozen(self.likelihood))

    def subject(self, flat: FlatTree) -> Subject:
        _event, before = rows_of(flat, self.event, self.before)
        return Subject(before, int(flat.player[before]), tuple(flat.children(before)))


def _frozen(likelihood: Likelihood) -> Likelihood:
    check(len(likelihood) > 0, "give the chance of at least one signal")
    frozen = {}
    for signal, chances in likelihood.items():
        check(bool(str(signal).strip()), "each signal needs a name")
        for outcome, chance in chances.items():
            check(isinstance(chance, numbers.Real) and math.isfinite(chance)
                  and 0 <= chance <= 1, f"P({signal} | {outcome}) must be a chance from 0"
                  f" to 1, not {chance!r}")
        frozen[str(signal)] = MappingProxyType({str(k): float(v) for k, v in chances.items()})
    return MappingProxyType(frozen)


def compute(flat: FlatTree, asked: InformationParameters) -> EventInformation:
    event, _before = rows_of(flat, asked.event, asked.before)
    outcomes = list(flat.children(event))
    table, signals = None, None
    if asked.accuracy is not None:
        table = accuracy_likelihood(asked.accuracy, len(outcomes))
    elif asked.likelihood is not None:
        table, signals = _table(flat, event, asked.likelihood), list(asked.likelihood)
    return event_information(flat, asked.event, asked.before, asked.values, table, signals)


def _table(flat: FlatTree, event: int, likelihood: Likelihood) -> np.ndarray:
    """P(signal | outcome) as (signals, outcomes), an outcome named by label or id."""
    children = list(flat.children(event))
    column = {flat.ids[c]: k for k, c in enumerate(children)}
    for k, c in enumerate(children):
        label = flat.labels.branches[c]
        if label:
            column[label] = k
    table = np.zeros((len(likelihood), len(children)))
    for row, chances in enumerate(likelihood.values()):
        for outcome, chance in chances.items():
            if outcome not in column:
                known = ", ".join(_quoted(words.branch(flat, flat.ids[c])) for c in children)
                raise AnalysisError(f"“{outcome}” is not an outcome of"
                                    f" {_quoted(words.node_label(flat, event))}; its outcomes"
                                    f" are {known}")
            table[row, column[outcome]] = chance
    return table


# ---- reading the result ---------------------------------------------------------------
def _informations(result: EventInformation) -> list[tuple[str, Knowing]]:
    found = [("perfect", result.perfect)]
    if result.imperfect is not None:
        found.append(("imperfect", result.imperfect))
    return found


def _choice_id(flat: FlatTree, row: int) -> str | None:
    return flat.ids[row] if row >= 0 else None


def table(run: Run) -> Table:
    """A row as things are, then one per outcome (perfect) and per signal (imperfect):
    its chance, D's choice and value knowing it, the event's chances given it, and the
    information's worth."""
    flat, result = run.flat, run.result
    header = ["information", "signal", "probability", "choice", "value",
              *(f"P({label})" for label in result.outcomes), "worth"]
    rows = [["none", "", 1.0, _choice_id(flat, result.choice), result.value,
             *result.prior, None]]
    for name, knowing in _informations(result):
        for s, signal in enumerate(knowing.signals):
            rows.append([name, signal, knowing.probability[s],
                         _choice_id(flat, int(knowing.choices[s])), knowing.values[s],
                         *knowing.posterior[s], knowing.worth])
    return Table(header, rows)


def _knowing_document(flat: FlatTree, result: EventInformation, knowing: Knowing) -> dict:
    return {"worth": plain(knowing.worth), "changes_choice": knowing.changes(result.choice),
            "signals": [{"signal": signal, "probability": plain(knowing.probability[s]),
                         "posterior": plain_list(knowing.posterior[s]),
                         "choice": _choice_id(flat, int(knowing.choices[s])),
                         "value": plain(knowing.values[s])}
                        for s, signal in enumerate(knowing.signals)]}


def document(run: Run) -> dict:
    flat, result, asked = run.flat, run.result, run.parameters
    found = {
        "event": flat.ids[result.event], "before": flat.ids[result.before],
        "player": flat.players[result.player],
        "places": [flat.ids[p] for p in result.places],
        "outcomes": list(result.outcomes), "prior": plain_list(result.prior),
        "value": plain(result.value), "choice": _choice_id(flat, result.choice),
        "perfect": _knowing_document(flat, result, result.perfect),
    }
    if result.imperfect is not None:
        found["imperfect"] = _knowing_document(flat, result, result.imperfect)
        if asked.accuracy is not None:
            found["imperfect"]["accuracy"] = plain(asked.accuracy)
    return found


def _quoted(text: str) -> str:
    return f"“{text}”"


def _changes(flat: FlatTree, result: EventInformation, knowing: Knowing,
             perfect: bool) -> str:
    """What knowing would make D choose otherwise, and when."""
    moves: dict[int, list[str]] = {}
    for s, signal in enumerate(knowing.signals):
        chosen = int(knowing.choices[s])
        if knowing.probability[s] > 0 and chosen != result.choice:
            moves.setdefault(chosen, []).append(signal)
    now = _quoted(words.branch(flat, _choice_id(flat, result.choice)))
    if not moves:
        return f"the choice would be {now} whatever it {'is' if perfect else 'says'}"
    when = "it is " if perfect else "the test says "
    parts = [f"to {_quoted(words.branch(flat, _choice_id(flat, chosen)))} if {when}"
             + " or ".join(_quoted(s.removeprefix("says ")) for s in signals)
             for chosen, signals in moves.items()]
    return f"it would change the choice from {now} " + ", ".join(parts)


def answer(run: Run) -> str:
    """The answer in words: what knowing is worth, to whom, and what it would change."""
    flat, result, asked = run.flat, run.result, run.parameters
    event = _quoted(words.node_label(flat, result.event))
    decision = _quoted(words.node_label(flat, result.before))
    who = words.player_label(flat, result.player)
    perfect = result.perfect
    lines = [f"Knowing the outcome of {event} before choosing at {decision} is worth"
             f" {words.number(perfect.worth)} to {who}: "
             f"{_changes(flat, result, perfect, True)}."]
    if perfect.worth < 0:
        lines.append("It is worth less than nothing: the other players' choices after the"
                     " decision follow the knowledge too.")
    told = result.imperfect
    if told is not None:
        test = (f"A test right {words.percent(asked.accuracy)} of the time"
                if asked.accuracy is not None else "The test described")
        lines.append(f"{test} is worth {words.number(told.worth)}:"
                     f" {_changes(flat, result, told, False)}.")
    return " ".join(lines)


def text(run: Run) -> str:
    flat, result, topic = run.flat, run.result, run.topic
    places = ", ".join(flat.ids[p] for p in result.places)
    lines = [f"Value of information: {words.node_label(flat, result.event)}"
             f" ({flat.ids[result.event]}) known before {words.decision_heading(flat, topic)}",
             f"  the value: the {words.value_of(flat, result.player)} at the decision",
             f"  the event's places fixed together: {places}",
             f"  as things are: {words.branch(flat, _choice_id(flat, result.choice))} is"
             f" chosen, worth {words.number(result.value)}", ""]
    headers = ["Outcome", "Choice", "Chance", "Value"]
    for name, knowing in _informations(result):
        rows = [[signal, words.branch(flat, _choice_id(flat, int(knowing.choices[s]))),
                 words.percent(knowing.probability[s]), words.number(knowing.values[s])]
                for s, signal in enumerate(knowing.signals)]
        title = "Perfect information" if name == "perfect" else "Imperfect information"
        lines += [title, words.table(headers if name == "perfect"
                                     else ["Signal", *headers[1:]], rows, numeric_from=2),
                  f"  worth: {words.number(knowing.worth)}", ""]
    lines.append(answer(run))
    return "\n".join(lines)


VALUE_OF_INFORMATION = AnalysisKind(
    name="value-of-information", command="voi", parameters=InformationParameters,
    compute=compute, table=table, document=document, text=text)
