"""The Explain panel's page: an `Explanation` as simple HTML for a QTextBrowser, and as
plain text for the clipboard. Every label is escaped; no node id is written.

A decision explained on its own reads from its choice (a heading) down through the
margin, the criteria (a sentence, and a table of what each is worth to the decider),
the variables that alone would change it (a list) and how often it holds, then the
solved path. Without one, the solved path comes first, then each decision on it in a
paragraph.
"""
from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from ...analysis.display import NumberFormat, value
from ...analysis.explain import CHOICE, DecisionExplanation, Difference, Explanation
from ..text import shown

LOOKING = "Looking for the variables that would change it…"
PICK_ONE = "Select a decision to see why it goes as it does."
#: Criteria rows of the table, at most (the sentence counts the rest).
TABLE_ROWS = 12
#: A sentence may list many branches: cut only what no one would read.
_SENTENCE = 20_000


@dataclass(frozen=True)
class Look:
    """The colours of the page, from the panel's palette."""

    muted: str = "#777777"
    chosen: str = "#1f6fb2"  # what favours the choice
    other: str = "#b8560f"  # what favours the runner-up


def _e(text: str | None) -> str:
    return html.escape(shown(text, _SENTENCE))


def _paragraph(text: str, style: str = "") -> str:
    return f'<p style="{style}">{_e(text)}</p>' if style else f"<p>{_e(text)}</p>"


def page(told: Explanation, subject: str | None, pending: bool, style: NumberFormat,
         look: Look = Look()) -> str:
    """The page for the decision `subject` (an id of `told`), or for the whole path;
    `pending`: the thresholds are still being looked for."""
    one = told.decision(subject) if subject is not None else None
    parts: list[str] = []
    if one is not None:
        parts += decision_part(one, pending, style, look)
        parts += story_part(told)
    else:
        parts.append(_paragraph(PICK_ONE, f"color:{look.muted}"))
        parts += story_part(told)
        if told.decisions:
            parts.append("<h3>The decisions on the path</h3>")
            for decision in told.decisions:
                parts += compact_part(decision, pending, look)
    return "\n".join(parts)


def decision_part(d: DecisionExplanation, pending: bool, style: NumberFormat,
                  look: Look) -> list[str]:
    said = d.said
    heading, *rest = said.get("decision", ()) or (f"“{d.name}” ({d.player_name})",)
    parts = [f"<h3>{_e(heading)}</h3>"]
    parts += [_paragraph(s) for s in rest]
    for about in ("reach", "equilibrium", "margin", "criteria"):
        parts += [_paragraph(s) for s in said.get(about, ())]
    if d.kind == CHOICE and not d.tie and d.chosen is not None and d.runner_up is not None:
        parts += criteria_table(d, style, look)
    if d.flips:
        lead = ("One variable alone would change it:" if len(d.flips) == 1
                else "Each of these variables alone would change it:")
        items = []
        for flip in d.flips:
            name, phrase = flip.variable, flip.phrase
            after = phrase[len(name):] if phrase.startswith(name) else " " + phrase
            items.append(f"<li><b>{_e(name)}</b>{_e(after)}</li>")
        parts += [_paragraph(lead), f"<ul>{''.join(items)}</ul>"]
    elif d.flips is None and pending and d.kind == CHOICE and not d.held:
        parts.append(_paragraph(LOOKING, f"color:{look.muted}; font-style:italic"))
    else:
        parts += [_paragraph(s) for s in said.get("thresholds", ())]
    parts += [_paragraph(s) for s in said.get("holds", ())]
    return parts


def criteria_table(d: DecisionExplanation, style: NumberFormat, look: Look) -> list[str]:
    """What each criterion is worth to the decider: the two expected totals, and their
    difference in its weights, in the colour of the side it favours."""
    counted = [c for c in d.criteria if c.contribution != 0][:TABLE_ROWS]
    if not counted or d.chosen is None or d.runner_up is None:
        return []
    head = (f'<tr><th align="left">Criterion</th>'
            f'<th align="right" style="color:{look.chosen}">{_e(d.chosen.label)}</th>'
            f'<th align="right" style="color:{look.other}">{_e(d.runner_up.label)}</th>'
            f'<th align="right">Worth</th></tr>')
    rows = [head] + [_row(c, style, look) for c in counted]
    table = '<table cellspacing="0" cellpadding="2" width="100%" style="margin-top:4px">'
    return [table + "".join(rows) + "</table>",
            _paragraph(f"Worth: the difference in {d.player_name}’s weights, in the colour"
                       " of the branch it favours.", f"color:{look.muted}; font-size:small")]


def _row(c: Difference, style: NumberFormat, look: Look) -> str:
    name = f"{c.name} ({c.unit})" if c.unit else c.name
    colour = look.chosen if c.contribution > 0 else look.other
    sign = "+" if c.contribution > 0 else "-"
    return (f"<tr><td>{_e(name)}</td><td align=\"right\">{_e(value(c.chosen, style))}</td>"
            f"<td align=\"right\">{_e(value(c.runner_up, style))}</td>"
            f'<td align="right" style="color:{colour}">'
            f"{sign}{_e(value(abs(c.contribution), style))}</td></tr>")


def compact_part(d: DecisionExplanation, pending: bool, look: Look) -> list[str]:
    parts = [f"<p><b>{_e(f'“{d.name}”')}</b> "
             f'<span style="color:{look.muted}">({_e(d.player_name)})</span><br/>'
             f"{_e(d.text)}</p>"]
    if d.flips is None and pending and d.kind == CHOICE and not d.held:
        parts.append(_paragraph(LOOKING, f"color:{look.muted}; font-style:italic"))
    return parts


def story_part(told: Explanation) -> list[str]:
    parts = ['<h3 style="margin-top:18px">The solved path</h3>']
    parts += [_paragraph(" ".join(group)) for group in story_paragraphs(told.narrative)]
    return parts


def story_paragraphs(sentences: Sequence[str]) -> list[list[str]]:
    """The story in paragraphs: each branch of a chance event ("If …") starts one, and
    so does the ending (the chances of the outcomes, what each player expects)."""
    groups: list[list[str]] = []
    for sentence in sentences:
        starts = sentence.startswith(("If “", "Under this policy", "At the start"))
        if not groups or (starts and not (sentence.startswith("At the start")
                                          and groups[-1][0].startswith("Under this policy"))):
            groups.append([])
        groups[-1].append(sentence)
    return groups


def plain_text(told: Explanation, subject: str | None, pending: bool) -> str:
    """The page as plain text, a paragraph a line (for the clipboard)."""
    one = told.decision(subject) if subject is not None else None
    story = "The solved path\n\n" + "\n\n".join(
        " ".join(group) for group in story_paragraphs(told.narrative))
    if one is not None:
        return _plain_decision(one, pending) + "\n\n" + story
    decisions = [_plain_decision(d, pending) for d in told.decisions]
    return "\n\n".join([story, *(["The decisions on the path"] if decisions else []),
                        *decisions])


def _plain_decision(d: DecisionExplanation, pending: bool) -> str:
    text = f"“{d.name}” ({d.player_name})\n{d.text}"
    if d.flips is None and pending and d.kind == CHOICE and not d.held:
        text += f" ({LOOKING})"
    return text
