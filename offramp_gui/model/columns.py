"""A tree's node fields as parallel lists in breadth-first order.

Whole-list operations (set unions, comprehensions) are how checks and the engine's
array conversion stay fast on large trees. The lists come from model nodes here, or
straight from parsed JSON (`fileformat.fastpath`).
"""
from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from .fields import VALUE_FIELDS
from .tree import Node, breadth_first

#: How many nodes to take at a time when reading several fields of each: a block's
#: objects stay in the CPU's cache from one pass to the next.
CACHE_BLOCK = 2048

#: The node fields the engine reads, each with the column that holds its values.
ENGINE_FIELDS = tuple((field.name, field.column) for field in VALUE_FIELDS if field.column)


@dataclass(frozen=True)
class NodeColumns:
    """Node i's children are nodes start..start+counts[i], where start is
    1 + sum(counts[:i]); `levels` are the (start, end) spans of each depth."""

    counts: list[int]
    levels: list[tuple[int, int]]
    ids: list[Any]
    types: list[Any]
    branches: list[Any]
    names: list[Any]
    players: list[Any]
    solves: list[Any]
    probabilities: list[Any]
    payoffs: list[Any]
    outcomes: list[Any]
    #: What the values were read from (parsed JSON), so that it lives as long as they do.
    source: Any = None

    def __len__(self) -> int:
        return len(self.counts)


def columns_of(root: Node) -> NodeColumns:
    order, counts, levels = breadth_first(root)
    return NodeColumns(counts, levels, **{column: list(map(attrgetter(name), order))
                                          for name, column in ENGINE_FIELDS})
