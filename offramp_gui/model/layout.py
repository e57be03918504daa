"""Tidy left-to-right layout: leaves stacked top to bottom, parents centred on children.

Plain Python, so the desktop app and the headless `offramp export` place nodes the
same way. A folded node is laid out as a leaf and hides its subtree.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .tree import Node


@dataclass(frozen=True)
class Placement:
    """Where a node sits, and its depth among the visible nodes."""

    x: float
    y: float
    depth: int


def visible_nodes(root: Node, folded: Callable[[Node], bool] | None = None) -> list[Node]:
    """Nodes in document order, leaving out those under a folded node.

    >>> from offramp_gui.model.tree import Node
    >>> root = Node("r", "chance", children=[Node("a"), Node("b")])
    >>> [n.id for n in visible_nodes(root)]
    ['r', 'a', 'b']
    >>> [n.id for n in visible_nodes(root, lambda n: n.id == "r")]
    ['r']
    """
    is_folded = folded or _collapsed
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        out.append(node)
        if node.children and not is_folded(node):
            stack.extend(reversed(node.children))
    return out


def layout(root: Node, row_height: float = 60.0, column_width: float = 240.0,
           folded: Callable[[Node], bool] | None = None,
           room: Callable[[Node], tuple[float, float]] | None = None) -> dict[str, Placement]:
    """Positions of the visible nodes, keyed by id.

    `room(node)` is how many extra row heights the node needs above and below its
    branch (a label that wraps above, a line of formulas below); the space is kept
    above and below its whole subtree, so it never overlaps its neighbours.

    >>> from offramp_gui.model.tree import Node
    >>> root = Node("r", "chance", children=[Node("a"), Node("b")])
    >>> {k: (p.x, p.y) for k, p in layout(root, 10, 100).items()}
    {'a': (100.0, 0.0), 'b': (100.0, 10.0), 'r': (0.0, 5.0)}
    >>> tall = layout(root, 10, 100, room=lambda n: (1.5, 0) if n.id == "b" else (0, 0))
    >>> {k: (p.x, p.y) for k, p in tall.items()}
    {'a': (100.0, 0.0), 'b': (100.0, 25.0), 'r': (0.0, 12.5)}
    """
    is_folded = folded or _collapsed
    extra = room or _no_room
    placed: dict[str, Placement] = {}
    next_row = 0.0
    # Post-order without recursion: a node is placed after all its children.
    stack: list[tuple[Node, int, bool]] = [(root, 0, False)]
    while stack:
        node, depth, children_done = stack.pop()
        open_children = node.children if node.children and not is_folded(node) else []
        if not children_done:
            above, below = extra(node)
            next_row += above
        if open_children and not children_done:
            stack.append((node, depth, True))
            stack.extend((child, depth + 1, False) for child in reversed(open_children))
            continue
        x = depth * column_width
        if open_children:
            first, last = placed[open_children[0].id], placed[open_children[-1].id]
            y = (first.y + last.y) / 2
            below = extra(node)[1]
        else:
            y = next_row * row_height
            next_row += 1
        next_row += below
        placed[node.id] = Placement(float(x), float(y), depth)
    return placed


def _no_room(node: Node) -> tuple[float, float]:
    return (0.0, 0.0)


def _collapsed(node: Node) -> bool:
    return bool(node.collapsed)


def fold_to_fit(top: Node, most: int) -> tuple[int, int] | None:
    """Fold `top`'s subtree below the deepest level at which no more than `most` nodes
    show (folds already there kept), as view state. Returns how many levels below `top`
    show and how many nodes, or None when it all shows within `most` (nothing folded).

    >>> from offramp_gui.model.tree import Node
    >>> root = Node("r", "chance", children=[Node("a", "chance", children=[Node("c")]),
    ...                                      Node("b")])
    >>> fold_to_fit(root, 3), root.children[0].collapsed
    ((1, 3), True)
    """
    level, shown, depth = [top], 1, 0
    while True:
        below = [child for node in level if not node.collapsed for child in node.children]
        if not below:
            return None
        if shown + len(below) > most:
            break
        level, shown, depth = below, shown + len(below), depth + 1
    for node in level:
        if node.children:
            node.collapsed = True
    return depth, shown
