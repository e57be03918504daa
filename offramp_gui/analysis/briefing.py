"""What a briefing says, section by section: File > Export Briefing and `offramp brief`.

The content is plain data (`Section`s of paragraphs, lists, tables and figures), made
here without Qt; `gui/briefing.py` lays the same list out as PDF pages or as one HTML
file, and draws the figures (the tree with the image export's own scene, the charts
with the analysis plots). `briefing_sections` is the one place the list is assembled.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..model.scenarios import Scenario
from ..model.tree import Settings
from . import readable as words
from .catalogue import RISK_PROFILE, TORNADO, ProfileParameters, Run, TornadoParameters
from .evaluate import Results
from .explain import ExplainError, Explanation, explain
from .flatten import ASSUMED_KIND, DECISION_KIND, FlatTree
from .profile import profile_of
from .scenarios import (
    BASE_CASE,
    Comparison,
    compare,
    every_column,
    scenario_named,
    unknown_scenario,
)
from .sensitivity import AnalysisError

#: Paragraph styles: LEAD opens what follows it (a decision explained, a table).
BODY, NOTE, LEAD = "body", "note", "lead"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


# ---- the blocks of a section ---------------------------------------------------------
@dataclass(frozen=True)
class Paragraph:
    text: str
    #: BODY, NOTE (smaller, for what qualifies what precedes it) or LEAD (bold)
    style: str = BODY


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    #: Which columns hold numbers (aligned right); none when empty.
    numeric: tuple[bool, ...] = ()


@dataclass(frozen=True)
class TreeFigure:
    """The tree as the app draws it, solved path bold, with its legend."""

    alt: str  # the figure in words, for a reader who cannot see it


@dataclass(frozen=True, eq=False)
class OutcomesFigure:
    """The root's alternatives: each one's value for `player` and chance of each outcome."""

    alt: str
    results: Results
    player: int


@dataclass(frozen=True, eq=False)
class PlotFigure:
    """The plot of an analysis run (the catalogue's, as the app and `-o x.png` draw it)."""

    alt: str
    run: Run


Figure = TreeFigure | OutcomesFigure | PlotFigure
Block = Paragraph | Bullets | Table | Figure


@dataclass(frozen=True)
class Section:
    #: What the section is, for code that finds or places sections: "title", "tree", …
    key: str
    heading: str
    blocks: tuple[Block, ...]
    #: 1 for the briefing's title (the first section), 2 for the others.
    level: int = 2
    #: On paper, the section starts a page of its own.
    new_page: bool = True


# ---- the footer --------------------------------------------------------------------
@dataclass(frozen=True)
class Provenance:
    """Where a briefing comes from: the footer of every page."""

    file_name: str
    #: SHA-256 of the file's bytes, in hex; of the text the tree would be saved as when
    #: it has unsaved changes.
    digest: str
    made: date
    version: str
    unsaved: bool = False

    def footer(self, file_name: str | None = None) -> str:
        """The line, with `file_name` for the file's name (a shortened one, say)."""
        name = (self.file_name if file_name is None else file_name) + (
            " (unsaved changes)" if self.unsaved else "")
        return (f"{name} · SHA-256 {self.digest[:12]} · {long_date(self.made)}"
                f" · offramp {self.version}")


def long_date(day: date) -> str:
    """"7 July 2026", the same in every locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


# ---- the sections ------------------------------------------------------------------
def briefing_sections(settings: Settings, results: Results,
                      comparison: Comparison | None = None) -> list[Section]:
    """Every section of the briefing of a tree (its `settings`: title, description,
    sources, variables) solved as `results`, in order; `comparison`: its scenarios side
    by side, when it has some.

    Runs the analyses the figures show (the root's risk profile, the tornado) and the
    explanation's search for thresholds: on a large tree, call it off the window's
    thread.
    """
    flat = results.flat
    root_decides = bool(flat.size) and int(flat.kind[0]) in (DECISION_KIND, ASSUMED_KIND) \
        and bool(flat.child_count[0])
    try:
        told: Explanation | str = explain(settings, results=results)
    except (ExplainError, AnalysisError) as error:
        told = f"The reasoning cannot be told: {error}"
    sections = [title_section(settings, results)]
    if isinstance(told, Explanation) and told.decisions:
        sections.append(summary_section(told))
    sections += [sources_section(settings), tree_section(settings, results),
                 explanation_section(told)]
    sections += outcomes_sections(flat, results, root_decides)
    sections.append(tornado_section(flat, root_decides))
    sections.append(assumptions_section(settings, results))
    if comparison is not None:
        sections.append(comparison_section(comparison))
    return sections


def briefing_comparison(tree: Settings, names: list[str] | None = None,
                        flat: FlatTree | None = None) -> Comparison | None:
    """The base case beside the scenarios `names` (by default, every scenario of the
    tree, and its what-if values); None for a tree without scenarios, unless named.
    Raises KeyError, with a message for the user, for a name the tree does not have.
    `tree` and `flat` as `scenarios.compare` takes them."""
    if names is None:
        return compare(tree, every_column(tree), flat=flat) if tree.scenarios else None
    columns = [Scenario(BASE_CASE)]
    for name in names:
        scenario = scenario_named(tree, name)
        if scenario is None:
            raise KeyError(unknown_scenario(tree, name))
        if scenario.name not in [c.name for c in columns]:
            columns.append(scenario)
    return compare(tree, columns, flat=flat)


def summary_section(told: Explanation) -> Section:
    """In brief: the first decision, its margin, and where the solved path leads."""
    first = told.decisions[0]
    points = [" ".join(first.said.get("decision", ()) + first.said.get("margin", ()))]
    points += [sentence for sentence in told.narrative[-2:] if sentence.startswith(
        ("Under this policy", "At the start"))]
    return Section("summary", "In brief", (Bullets(tuple(p for p in points if p)),),
                   new_page=False)


def explanation_section(told: Explanation | str) -> Section:
    """The reasoning in words: each decision on the solved path, then the path told."""
    heading = "Why the tree decides as it does"
    if isinstance(told, str):
        return Section("explanation", heading, (Paragraph(told, NOTE),))
    blocks: list[Block] = []
    for decision in told.decisions:
        blocks.append(Paragraph(f"{decision.name} ({decision.player_name})", LEAD))
        blocks.append(Paragraph(" ".join(decision.sentences)))
    if told.narrative:
        blocks.append(Paragraph("The solved path", LEAD))
        blocks.append(Paragraph(" ".join(told.narrative)))
    return Section("explanation", heading, tuple(blocks))


def comparison_section(comparison: Comparison) -> Section:
    """The scenarios side by side: choices, the first decision's values, outcome chances."""
    names = tuple(c.name for c in comparison.columns)
    mark = "* "
    blocks: list[Block] = [Paragraph(
        "Each scenario sets some of the values in the table of assumptions; the others"
        " keep their base values. Rows marked * differ between the columns.")]
    notes = tuple(f"{c.name}: {c.note}" for c in comparison.columns if c.note)
    if notes:
        blocks.append(Bullets(notes))
    blocks += [Paragraph("The choices on the solved paths", LEAD), Table(
        ("Decision", "Decider") + names,
        tuple(((mark if r.differs else "") + r.label, r.decider)
              + tuple(choice or "—" for choice in r.choices) for r in comparison.decisions),
        (False, False) + (False,) * len(names))]
    if comparison.alternatives:
        blocks += [Paragraph(f"The value of each alternative at “{comparison.decision}” for"
                             f" {comparison.player} ({comparison.values_are})", LEAD), Table(
            ("Alternative",) + names,
            tuple(((mark if r.differs else "") + r.label,) + tuple(
                words.number(v) for v in r.values) for r in comparison.alternatives),
            (False,) + (True,) * len(names))]
    blocks += [Paragraph("The chance of each outcome", LEAD), Table(
        ("Outcome",) + names,
        tuple(((mark if r.differs else "") + r.label,) + tuple(
            words.percent(v) for v in r.values) for r in comparison.outcomes),
        (False,) + (True,) * len(names))]
    return Section("scenarios", "Scenarios compared", tuple(blocks))


def title_section(settings: Settings, results: Results) -> Section:
    blocks: list[Block] = [Paragraph(text) for text in _paragraphs(settings.description)]
    issues = len(results.issues)
    if issues:
        blocks.append(Paragraph(f"offramp finds {_count(issues, 'problem')} in this tree: the"
                                " values that depend on them are missing.", NOTE))
    shown = results.equilibrium
    if shown is not None and shown.count > 1 and shown.index >= 0:
        blocks.append(Paragraph(f"This game has {shown.count:,} equilibria in pure"
                                f" strategies; the briefing shows equilibrium"
                                f" {shown.index + 1}.", NOTE))
    return Section("title", settings.title or "Untitled tree", tuple(blocks), level=1,
                   new_page=False)


def sources_section(settings: Settings) -> Section:
    sources = [source_text(s) for s in settings.sources or []]
    blocks: tuple[Block, ...] = (Bullets(tuple(sources)),) if sources else (
        Paragraph("The file names no sources."),)
    return Section("sources", "Sources", blocks, new_page=False)


def source_text(source: dict[str, Any]) -> str:
    """"Tom McTague, Putin Needs an Off-Ramp. The Atlantic, 2022. https://…"."""
    author, title = _text(source.get("author")), _text(source.get("title"))
    head = f"{author}, {title}" if author else title
    tail = ", ".join(t for t in (_text(source.get("publisher")), _text(source.get("year")))
                     if t)
    parts = [head] + ([tail] if tail else []) + ([_text(source["url"])] if source.get("url")
                                                 else [])
    return ". ".join(p.rstrip(".") for p in parts) + "."


def tree_section(settings: Settings, results: Results) -> Section:
    flat = results.flat
    decisions = int(((flat.kind == DECISION_KIND) & (flat.child_count > 0)).sum()) \
        if flat.size else 0
    lines = ["At each decision the branch its player chooses is drawn bold, the others"
             " dashed; the legend under the drawing says what the numbers are."
             if decisions else "The legend under the drawing says what the numbers are."]
    return Section("tree", "The tree", (
        Paragraph(" ".join(lines)),
        TreeFigure(f"The tree “{settings.title}”: {_count(flat.size, 'node')}, the solved"
                   " path drawn bold")))


def outcomes_sections(flat: FlatTree, results: Results, root_decides: bool) -> list[Section]:
    """The root's alternatives: what each leads to, and (at a decision) its risk profile."""
    if not flat.size or not flat.child_count[0]:
        return []
    player = max(int(flat.player[0]), 0) if root_decides else 0
    who = words.player_label(flat, player)
    root = words.node_label(flat, 0)
    sections = [Section("outcomes", "What each alternative leads to", (OutcomesFigure(
        f"Bar charts of “{root}”: each alternative's expected utility for {who}, and its"
        " chance of ending in each outcome", results, player),))]
    if root_decides:
        run = Run(RISK_PROFILE, flat, ProfileParameters(node=flat.ids[0]),
                  profile_of(results, 0))
        sections.append(Section("risk-profile", "Risk profile of the root decision", (
            PlotFigure(f"The risk profile of “{root}”: for each alternative, the chance of"
                       f" each score for {who}, and of each score or less", run),),
            new_page=False))
    return sections


def tornado_section(flat: FlatTree, root_decides: bool) -> Section:
    heading = "What moves the decision most"
    if not root_decides:
        return Section("tornado", heading, (
            Paragraph("The root is not a decision: there is no choice whose value the"
                      " variables could move."),))
    try:
        run = TORNADO.run(flat, TornadoParameters())
    except AnalysisError as error:
        return Section("tornado", heading, (Paragraph(f"No tornado: {error}."),))
    return Section("tornado", heading, (PlotFigure(
        f"Tornado of “{words.node_label(flat, 0)}”: each ranged variable swung from its min"
        " to its max, largest swing first", run),))


def assumptions_section(settings: Settings, results: Results) -> Section:
    heading = "Assumptions"
    variables = settings.variables or []
    blocks: list[Block] = []
    if not variables:
        blocks.append(Paragraph("This tree has no variables: its numbers are written into"
                                " its nodes."))
    else:
        missing = "none of its own" if settings.sources else "none recorded"
        rows = tuple((v.name, _value(v.value, results.variables.get(v.name)),
                      _range(v.min, v.max, v.distribution), _text(v.description) or "—",
                      _text(v.source) or missing)
                     for v in variables)
        blocks.append(Table(("Variable", "Value", "Range", "Description", "Source"), rows,
                            (False, True, False, False, False)))
        if not all(v.source for v in variables):
            blocks.append(Paragraph(
                "A variable without a source of its own rests on the tree's sources (listed"
                " under Sources)." if settings.sources else
                "The file records no sources, for the tree or for its variables.", NOTE))
    weights = weights_table(settings)
    if weights is not None:
        blocks += [Paragraph("What each player values: the weight of each criterion in"
                             " the player's utility."), weights]
    return Section("assumptions", heading, tuple(blocks))


def weights_table(settings: Settings) -> Table | None:
    """The players' weights, one row each; None when there is one player of one criterion."""
    criteria, players = settings.effective_criteria(), settings.effective_players()
    if len(criteria) < 2 and len(players) < 2:
        return None
    rows = tuple((p.name,) + tuple(_weight(p.weights.get(c.id)) for c in criteria)
                 for p in players)
    header = ("Player",) + tuple(c.name for c in criteria)
    return Table(header, rows, (False,) + (True,) * len(criteria))


# ---- words ---------------------------------------------------------------------------
def _paragraphs(text: str | None) -> list[str]:
    """A description's paragraphs: split at blank lines, each one's lines joined."""
    blocks: list[list[str]] = [[]]
    for line in (text or "").splitlines():
        if line.strip():
            blocks[-1].append(line.strip())
        elif blocks[-1]:
            blocks.append([])
    return [" ".join(block) for block in blocks if block]


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def _count(n: int, thing: str) -> str:
    return f"{n:,} {thing}" + ("" if n == 1 else "s")


def _value(value: Any, computed: float | None) -> str:
    """A number as written, or an expression and what it comes to."""
    if isinstance(value, str):
        return f"{value} = {words.x_text(computed)}"
    return words.x_text(float(value))


def _range(low: float | None, high: float | None, distribution: dict | None) -> str:
    span = "—" if low is None and high is None else \
        f"{_end(low, 'no minimum')} to {_end(high, 'no maximum')}"
    if distribution:
        kind = _text(distribution.get("type"))
        parameters = ", ".join(f"{key} {_parameter(value)}" for key, value
                               in distribution.items() if key != "type"
                               and not key.startswith("x-"))
        span += f"; {kind} ({parameters})" if parameters else f"; {kind}"
    return span


def _end(value: float | None, missing: str) -> str:
    return missing if value is None else words.x_text(float(value))


def _parameter(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_parameter(v) for v in value) + "]"
    return words.x_text(float(value)) if isinstance(value, (int, float)) \
        and not isinstance(value, bool) else _text(value)


def _weight(value: Any) -> str:
    if value is None:
        return "0"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return words.x_text(float(value)) if math.isfinite(value) else "—"
    return _text(value)
