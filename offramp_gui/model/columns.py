"""A tree's node fields as parallel lists in breadth-first order.

Whole-list operations (set unions, comprehensions) are how checks and the engine's
array conversion stay fast on large trees. The lists come from model nodes here, or
straight from parsed JSON (`fileformat.fastpath`).
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from operator import attrgetter
from typing import Any

from .fields import VALUE_FIELDS
from .tree import Node

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
    """The columns of the tree under `root`, in breadth-first order.

    One call per node reads all its fields (a tuple), and a block of those tuples is
    turned into columns while the nodes are still in the CPU's cache.
    """
    read = attrgetter(*(name for name, _column in ENGINE_FIELDS), "children")
    columns: list[list] = [[] for _ in range(len(ENGINE_FIELDS) + 1)]
    kids = columns[-1]
    levels: list[tuple[int, int]] = []
    level = [root]
    while level:
        levels.append((len(kids), len(kids) + len(level)))
        for start in range(0, len(level), CACHE_BLOCK):
            for column, values in zip(columns, zip(*map(read, level[start:start + CACHE_BLOCK]))):
                column += values
        level = list(chain.from_iterable(kids[levels[-1][0]:]))
    named = {column: values for (_name, column), values in zip(ENGINE_FIELDS, columns)}
    return NodeColumns(list(map(len, kids)), levels, **named)
