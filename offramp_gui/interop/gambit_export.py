"""Write a tree as a Gambit extensive-form game (`.efg`, "EFG 2 R") that Gambit reads.

Gambit has one payoff per player: when each player weighs one criterion of their own by
1 (as an imported Gambit game does), that criterion is the player's payoff; otherwise a
player's payoff is their utility (the criteria weighted by their weights), which is what
offramp's backward induction maximises, so the solution is the same. Numbers are written
exactly: 0.35 as 0.35, 1/3 as 1/3. Gambit's reader (16.7) requires labels in printable
ASCII without double spaces, distinct node labels and chance probabilities that add up
to exactly 1; the writer makes them so and reports every label or number it changes.
The decisions of one `information_set` are one Gambit information set, labelled with
the set's name.
"""
from __future__ import annotations

import re
import unicodedata
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from ..fileformat.atomic import SaveError, write_atomic
from ..model.tree import CHANCE, DECISION, REMAINDER, Node, Tree
from .common import ConversionError, Report, describe, fraction_text
from .gambit import OUTCOME_KEY
from .values import Evaluated, evaluated

_RATIONAL = re.compile(r"\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:\s*/\s*\d+)?\s*")
_PUNCTUATION = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                "\u2014": "-", "\u2026": "...", "\u2212": "-", "\u00d7": "x", "\\": "/"}


def write_gambit(tree: Tree, path: str | Path, report: Report) -> None:
    text = efg_text(tree, report, str(path))
    try:
        write_atomic(path, text.encode("utf-8"), backup=False)
    except SaveError as error:
        raise ConversionError(str(error)) from None


def efg_text(tree: Tree, report: Report, source: str = "the tree") -> str:
    """The game as .efg text; every change Gambit forces goes into `report`."""
    return _Writer(evaluated(tree, source), report).text()


class _Writer:
    def __init__(self, values: Evaluated, report: Report):
        self.values, self.report = values, report
        self.tree, self.flat = values.tree, values.flat
        self.direct = _direct_criteria(values.weights)
        self.outcomes: dict[tuple, int] = {}
        self.outcome_labels: set[str] = set()
        self.node_labels: set[str] = set()
        self.infosets: dict[tuple, tuple[int, Node]] = {}
        self.counters: dict[int, int] = {}
        self.infoset_labels: dict[int, dict[str, int]] = {}
        self.noted: set[str] = set()
        self.lines: list[str] = []

    def text(self) -> str:
        self.describe_losses()
        names = " ".join(_quoted(self.label(n, "the player name"))
                         for n in self.flat.labels.players)
        title = self.ascii_title(self.tree.title)
        comment = (self.tree.description or "").replace("\\", "/")
        head = [f"EFG 2 R {_quoted(title)} {{ {names} }}", _quoted(comment), ""]
        for node in self.tree.root.walk():
            self.lines.append(self.node_line(node))
        self.report.converted.append(
            f'game "{title}": {len(self.flat.players)} player'
            f'{"s" * (len(self.flat.players) != 1)}, {len(self.tree)} nodes,'
            f" {len(self.outcomes)} outcome{'s' * (len(self.outcomes) != 1)}")
        return "\n".join(head + self.lines) + "\n"

    # ---- what Gambit cannot hold ----------------------------------------------------
    def describe_losses(self) -> None:
        flat = self.flat
        if self.direct is None:
            self.report.dropped.append(
                "the criteria: each player's Gambit payoff is their utility, the criteria"
                " weighted by their weights (Gambit has one payoff per player)")
        else:
            unweighed = [c for c in range(len(flat.criteria)) if c not in self.direct
                         and np.any(self.values.payoff[:, c])]
            for c in unweighed:
                self.report.dropped.append(f'the criterion "{flat.labels.criteria[c]}", which'
                                           " no player weighs")
        for player in self.tree.players or []:
            if not player.risk_neutral:
                self.report.dropped.append(
                    f"the attitude to risk of {player.name}: Gambit takes the payoffs as"
                    " utilities, so it solves the game as if every player were"
                    " risk-neutral")
        if self.tree.variables:
            names = ", ".join(v.name for v in self.tree.variables)
            self.report.dropped.append(f"the variables ({names}): Gambit games have no"
                                       " parameters, so their current values are written")

    # ---- one node -------------------------------------------------------------------
    def node_line(self, node: Node) -> str:
        i = self.flat.index[node.id]
        name = _quoted(self.node_label(node))
        outcome = self.outcome(node, i)
        if node.type == DECISION and not node.is_assumed:
            player = int(self.flat.player[i]) + 1
            number, label, actions = self.infoset(node, player)
            return (f"p {name} {player} {number} {_quoted(label)} {{ {actions} }}"
                    f" {outcome}")
        if node.type == CHANCE or node.is_assumed:
            if node.is_assumed:
                self.report.approximated.append(
                    f"{describe(node)}: an assumed decision (its branches' probabilities are"
                    " given, not chosen) is written as a chance move")
            self.counters[0] = number = self.counters.get(0, 0) + 1
            moves = " ".join(f"{_quoted(self.branch(c))} {fraction_text(p)}"
                             for c, p in zip(node.children, self.probabilities(node), strict=False))
            return f'c {name} {number} "" {{ {moves} }} {outcome}'
        return f"t {name} {outcome}"

    def infoset(self, node: Node, player: int) -> tuple[int, str, str]:
        """The information set: the decisions of one `information_set` share one, with
        the set's name as its label; any other decision has one of its own."""
        name = node.information_set
        key: tuple = (player, node.id)
        if name:
            key = (player, "set", name)
            first = self.infosets.get(key)
            if first is not None and len(first[1].children) != len(node.children):
                self.report.approximated.append(
                    f"{describe(node)}: its information set has another number of"
                    " actions, so it gets one of its own")
                key = (player, node.id)
        if key not in self.infosets:
            self.counters[player] = self.counters.get(player, 0) + 1
            self.infosets[key] = (self.counters[player], node)
        number, first_node = self.infosets[key]
        shared = name if name and key[1] == "set" else ""
        label = self.unique_infoset_label(player, number, shared)
        actions = " ".join(_quoted(self.branch(c)) for c in first_node.children)
        return number, label, actions

    def unique_infoset_label(self, player: int, number: int, label: str) -> str:
        """Gambit needs a player's information-set labels distinct: a repeat is blanked."""
        label = self.label(label, "an information set label")
        owners = self.infoset_labels.setdefault(player, {})
        if not label or owners.setdefault(label, number) == number:
            return label
        self.note(f'the information set label "{label}" is used by two sets of one player;'
                  " Gambit needs distinct ones, so the second is left blank")
        return ""

    def probabilities(self, node: Node) -> list[Fraction]:
        """Exact probabilities that add up to exactly 1, as Gambit requires."""
        results = self.values.results
        exact: list[Fraction | None] = []
        for child in node.children:
            value = self.flat_value(child, child.probability,
                                    float(results.probability[self.flat.index[child.id]]),
                                    "probability")
            exact.append(None if child.probability == REMAINDER else value)
        known = sum((p for p in exact if p is not None), Fraction(0))
        if None in exact:
            rest = max(Fraction(0), 1 - known)
            exact = [rest if p is None else p for p in exact]
        return self.made_exact(node, [p for p in exact if p is not None])

    def made_exact(self, node: Node, exact: list[Fraction]) -> list[Fraction]:
        total = sum(exact, Fraction(0))
        if total != 1:
            k = max(range(len(exact)), key=lambda j: exact[j])
            exact[k] += 1 - total
            if abs(1 - total) > Fraction(1, 10**12):
                self.report.approximated.append(
                    f"{describe(node)}: its probabilities add up to {float(total):.10g};"
                    f" Gambit needs exactly 1, so branch {k + 1} is written as"
                    f" {fraction_text(exact[k])}")
        return exact

    def outcome(self, node: Node, i: int) -> str:
        payoffs = self.payoffs(node, i)
        label = ""
        if node.outcome and node.type != DECISION and not node.children:
            label = self.flat.labels.outcomes[self.flat.outcomes.index(node.outcome)]
        elif isinstance(node.extras.get(OUTCOME_KEY), str):
            label = node.extras[OUTCOME_KEY]
        label = self.label(label, "an outcome label")
        if not label and not any(payoffs):
            return "0"
        texts = tuple(fraction_text(p) for p in payoffs)
        key = (label, texts)
        if key not in self.outcomes:
            if label and label in self.outcome_labels:
                label = self.renamed(label, self.outcome_labels, "outcome label")
                key = (label, texts)
            self.outcome_labels.add(label)
            self.outcomes[key] = len(self.outcomes) + 1
        return f"{self.outcomes[key]} {_quoted(label)} {{ {', '.join(texts)} }}"

    def payoffs(self, node: Node, i: int) -> list[Fraction]:
        flat = self.flat
        if self.direct is None:
            utility = self.values.weights @ self.values.payoff[i]
            return [Fraction(repr(float(u))) for u in utility]
        out = []
        for c in self.direct:
            criterion = flat.criteria[c]
            raw = node.payoff.get(criterion, 0) if isinstance(node.payoff, dict) else (
                node.payoff or 0)
            out.append(self.flat_value(node, raw, float(self.values.payoff[i, c]), "payoff"))
        return out

    def flat_value(self, node: Node, raw: Any, value: float, field: str) -> Fraction:
        """The exact number: from the file's text when it is one, else the computed value."""
        if isinstance(raw, bool):
            raw = None
        if isinstance(raw, int):
            return Fraction(raw)
        if isinstance(raw, float):
            return Fraction(repr(raw))
        if isinstance(raw, str) and _RATIONAL.fullmatch(raw):
            return Fraction(raw.replace(" ", ""))
        if isinstance(raw, str) and raw != REMAINDER:
            self.report.approximated.append(
                f'{describe(node)}: the {field} "{raw}" is written as its value,'
                f" {value:.10g} (Gambit games have no expressions)")
        return Fraction(repr(value))

    # ---- labels -----------------------------------------------------------------------
    def node_label(self, node: Node) -> str:
        label = self.label(node.name or "", "a node name")
        if label and label in self.node_labels:
            label = self.renamed(label, self.node_labels, "node name")
        if label:
            self.node_labels.add(label)
        return label

    def branch(self, node: Node) -> str:
        return self.label(node.branch or "", "a branch label")

    def renamed(self, label: str, taken: set[str], what: str) -> str:
        n = 2
        while f"{label} ({n})" in taken:
            n += 1
        new = f"{label} ({n})"
        self.report.approximated.append(f'the {what} "{label}" is used more than once;'
                                        f' Gambit needs distinct ones, so one is "{new}"')
        return new

    def label(self, text: str, what: str) -> str:
        clean = gambit_label(text)
        if clean != text:
            self.note(f'{what} "{text}" is written as "{clean}" (Gambit labels are plain'
                      " ASCII, single-spaced)")
        return clean

    def note(self, line: str) -> None:
        """Report a change once, however many nodes it touches."""
        if line not in self.noted:
            self.noted.add(line)
            self.report.approximated.append(line)

    def ascii_title(self, text: str) -> str:
        clean = _ascii(text).replace('"', "'")
        if clean != text:
            self.report.approximated.append(f'the title "{text}" is written as "{clean}"')
        return clean


def gambit_label(text: str) -> str:
    """A label Gambit accepts: printable ASCII, no double or edge spaces, no backslash."""
    return " ".join(_ascii(text).split())


def _ascii(text: str) -> str:
    text = "".join(_PUNCTUATION.get(ch, ch) for ch in text)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch if " " <= ch <= "~" else (" " if ch.isspace() else "") for ch in text
                   if not unicodedata.combining(ch))


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"'


def _direct_criteria(weights: np.ndarray) -> list[int] | None:
    """Each player's own criterion, when each weighs exactly one by 1; else None."""
    own = []
    for row in weights:
        nonzero = np.flatnonzero(row)
        if len(nonzero) != 1 or row[nonzero[0]] != 1:
            return None
        own.append(int(nonzero[0]))
    return own if len(set(own)) == len(own) else None
