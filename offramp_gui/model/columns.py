"""A tree's node fields as parallel lists in breadth-first order.

Whole-list operations (set unions, comprehensions) are how checks and the engine's
array conversion stay fast on large trees. The lists come from model nodes here, or
straight from parsed JSON (`fileformat.fastpath`).
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
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
    #: Some node names an information set: the tree is solved for its equilibria, and its
    #: sets' rules are checked by `model.validate`.
    information_sets: bool = False

    def __len__(self) -> int:
        return len(self.counts)


def columns_of(root: Node) -> NodeColumns:
    """The columns of the tree under `root`, in breadth-first order.

    One loop appends each node's fields to their lists: CPython 3.11 reads a slot by
    name and appends to a list in specialised instructions, twice as fast as one
    attrgetter call per node or one comprehension per field.
    """
    ids: list = []
    types: list = []
    branches: list = []
    names: list = []
    players: list = []
    solves: list = []
    probabilities: list = []
    payoffs: list = []
    outcomes: list = []
    kids: list[list[Node]] = []
    information_sets = False
    levels: list[tuple[int, int]] = []
    level = [root]
    while level:
        first = len(kids)
        levels.append((first, first + len(level)))
        for node in level:
            ids.append(node.id)
            types.append(node.type)
            branches.append(node.branch)
            names.append(node.name)
            players.append(node.player)
            solves.append(node.solve)
            probabilities.append(node.probability)
            payoffs.append(node.payoff)
            outcomes.append(node.outcome)
            kids.append(node.children)
            if node.information_set is not None:
                information_sets = True
        level = list(chain.from_iterable(kids[first:]))
    return NodeColumns(list(map(len, kids)), levels, ids=ids, types=types, branches=branches,
                       names=names, players=players, solves=solves,
                       probabilities=probabilities, payoffs=payoffs, outcomes=outcomes,
                       information_sets=information_sets)
