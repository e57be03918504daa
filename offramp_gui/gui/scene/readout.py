"""The engine's numbers for the canvas, formatted lazily, one node at a time.

A results update only swaps the Readout: items read their numbers when they paint,
so an edit costs the nodes on screen, not the whole tree.
"""
from __future__ import annotations

from dataclasses import dataclass

from ...analysis.evaluate import Results
from ...analysis.flatten import DECISION_KIND
from .. import format as fmt


@dataclass(frozen=True)
class Reading:
    """What one node shows: its branch probability, value and reach, and marks."""

    probability: str = ""
    value: str = "—"
    reach: str = ""
    chosen: bool = False
    problem: bool = False


NOTHING = Reading()


class Readout:
    """Readings for the nodes of one set of results and one display choice."""

    def __init__(self, results: Results | None, player: int = 0,
                 criterion: int | None = None, show_reach: bool = False):
        self.results = results
        self._player, self._criterion, self._show_reach = player, criterion, show_reach
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
            probability = fmt.probability(results.probability[i])
        reach = "reach " + fmt.probability(results.reach[i]) if self._show_reach else ""
        return Reading(probability, fmt.value(number), reach,
                       parent >= 0 and int(results.choice[parent]) == i,
                       node_id in self._problems)
