"""The engine's numbers for the canvas, formatted lazily, one node at a time.

A results update only swaps the Readout: items read their numbers when they paint,
so an edit costs the nodes on screen, not the whole tree.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ...analysis.evaluate import Results
from ...analysis.expr_eval import compile_expr, evaluate
from ...analysis.flatten import DECISION_KIND
from ...model.expressions import ExpressionError, parse
from ...model.tree import Criterion, Node, Tree
from .. import format as fmt
from ..text import shown

#: How much of an expression the canvas shows before "…" (the Properties panel has it all).
FORMULA_CHARS = 120


@dataclass(frozen=True)
class Reading:
    """What one node shows: its branch probability, value and reach, and marks."""

    probability: str = ""
    value: str = "—"
    reach: str = ""
    chosen: bool = False
    problem: bool = False
    #: The node's payoffs that are expressions, with their values (View > Show Formulas).
    formulas: str = ""

    @property
    def numbers(self) -> str:
        """The line written under the node's branch."""
        return "   ".join(t for t in (self.probability, self.value, self.reach) if t)


NOTHING = Reading()


class Readout:
    """Readings for the nodes of one set of results and one display choice."""

    def __init__(self, results: Results | None, player: int = 0,
                 criterion: int | None = None, show_reach: bool = False,
                 formulas_of: Tree | None = None, style: fmt.NumberFormat = fmt.AUTOMATIC,
                 unit: str | None = None, show_certainty: bool = False):
        """`formulas_of`: the tree whose expressions are shown with their values; `unit`:
        the shown criterion's; `show_certainty`: a risk-averse or risk-seeking player's
        certainty equivalent beside its expected utility."""
        self.results = results
        self._player, self._criterion, self._show_reach = player, criterion, show_reach
        self._certainty = None
        if show_certainty and criterion is None and results is not None and \
                results.certainty is not None and any(
                    a.player == player for a in results.flat.risk):
            self._certainty = results.certainty[:, player]
        self._tree = formulas_of
        self._style, self._unit = style, unit
        self._problems = {i.node_id for i in results.issues} if results else set()
        self._cache: dict[str, Reading] = {}

    def __call__(self, node_id: str) -> Reading:
        reading = self._cache.get(node_id)
        if reading is None:
            reading = self._cache[node_id] = self._read(node_id)
        return reading

    def _read(self, node_id: str) -> Reading:
        results = self.results
        flat = results.flat if results else None
        if results is None or flat is None or node_id not in flat.index:
            return Reading(problem=node_id in self._problems)
        i = flat.index[node_id]
        if self._criterion is None:
            number = results.utility[i, min(self._player, results.utility.shape[1] - 1)]
        else:
            number = results.expected[i, min(self._criterion, results.expected.shape[1] - 1)]
        parent = int(flat.parent[i])
        probability = ""
        if parent >= 0 and flat.kind[parent] != DECISION_KIND:
            probability = fmt.probability(results.probability[i], self._style)
        reach = ("reach " + fmt.probability(results.reach[i], self._style)
                 if self._show_reach else "")
        formulas = ""
        if self._tree is not None and node_id in self._tree:
            node = self._tree.node(node_id)
            if probability and isinstance(node.probability, str):
                probability = f"{shown(node.probability, FORMULA_CHARS)} = {probability}"
            formulas = payoff_formulas(self._tree, node, results.variables, self._style)
        value = fmt.value(number, self._style, self._unit)
        if self._certainty is not None and flat.child_count[i]:  # (a terminal's is its value)
            value += f"  CE {fmt.value(self._certainty[i], self._style)}"
        return Reading(probability, value, reach,
                       parent >= 0 and int(results.choice[parent]) == i,
                       node_id in self._problems, formulas)


def expression_payoffs(tree: Tree, node: Node) -> list[tuple[Criterion, str]]:
    """(criterion, expression) of each of the node's payoffs that is an expression."""
    payoff = node.payoff
    if isinstance(payoff, str):
        return [(tree.effective_criteria()[0], payoff)]
    if not isinstance(payoff, dict):
        return []
    criteria = {c.id: c for c in tree.effective_criteria()}
    return [(criteria.get(key, Criterion(key, key)), value) for key, value in payoff.items()
            if isinstance(value, str)]


def payoff_formulas(tree: Tree, node: Node, variables: dict[str, float],
                    style: fmt.NumberFormat = fmt.AUTOMATIC) -> str:
    """`-100 * p = -30`, each expression with its value; named by criterion when the
    tree has several."""
    named = len(tree.effective_criteria()) > 1
    texts = []
    for criterion, text in expression_payoffs(tree, node):
        try:
            number = float(evaluate(compile_expr(parse(text)), variables))
        except (ExpressionError, KeyError, TypeError, ValueError):
            number = math.nan  # the Problems panel says why
        formula = f"{shown(text, FORMULA_CHARS)} = {fmt.value(number, style, criterion.unit)}"
        texts.append(f"{shown(criterion.name, 40)}: {formula}" if named else formula)
    return "   ".join(texts)
