"""The domain model: a tree of decision, chance and terminal nodes, keyed by id.

Plain Python: no Qt, no numpy. The Tree's mutators are the only way to change it;
each is small, invertible and emits one TreeChange.
"""
from __future__ import annotations

import copy
from collections.abc import Container, Iterator
from dataclasses import dataclass, field, make_dataclass
from typing import TYPE_CHECKING, Any

from .events import ChangeNotifier, TreeChange
from .fields import CHANCE, DECISION, TERMINAL, VALUE_FIELDS

REMAINDER = "#"

#: Node keys in the order they are written (the children follow any `x-` keys).
NODE_FIELDS = tuple(field.name for field in VALUE_FIELDS)

Number = float | int
Value = Number | str


@dataclass
class Criterion:
    id: str
    name: str
    unit: str | None = None
    description: str | None = None
    extras: dict[str, Any] = field(default_factory=dict)


LINEAR, EXPONENTIAL, PIECEWISE = "linear", "exponential", "piecewise"
UTILITY_KINDS = (LINEAR, EXPONENTIAL, PIECEWISE)


@dataclass
class Utility:
    """A player's attitude to risk over its weighted score (docs/format.md, "Players").

    `risk_tolerance` is for "exponential" (a number or an expression), `points` for
    "piecewise" (score, utility) pairs; `model.validate` checks them.
    """

    kind: str = LINEAR
    risk_tolerance: Value | None = None
    points: list[list[Number]] | None = None
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def linear(self) -> bool:
        return self.kind == LINEAR


@dataclass
class Player:
    id: str
    name: str
    weights: dict[str, Value] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)
    #: None: not in the file, risk-neutral (linear), as before the key existed.
    utility: Utility | None = None

    @property
    def risk_neutral(self) -> bool:
        return self.utility is None or self.utility.linear


@dataclass
class Variable:
    name: str
    value: Value
    min: Number | None = None
    max: Number | None = None
    description: str | None = None
    distribution: dict[str, Any] | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    #: Where the value and range come from, in words (a forecast, a base rate, an
    #: elicitation, or "illustrative").
    source: str | None = None


@dataclass
class Outcome:
    id: str
    name: str
    color: str | None = None
    description: str | None = None
    extras: dict[str, Any] = field(default_factory=dict)


DEFAULT_CRITERION = Criterion("value", "Value")
DEFAULT_PLAYER_ID = "decision-maker"


if TYPE_CHECKING:
    from .scenarios import Scenario, Values
    from .templates import Links

    class _NodeFields:
        """What type checkers know of the fields code names directly."""

        id: str
        type: str
        branch: str | None
        name: str | None
        player: str | None
        solve: str | None
        information_set: str | None
        probability: Value | None
        payoff: Value | dict[str, Value] | None
        outcome: str | None
        collapsed: bool | None
        notes: str | None
        template: dict[str, Any] | None
        use: dict[str, Any] | None

        def __init__(self, id: str, type: str) -> None: ...
else:
    # Every field of a node, None until set. A generated dataclass: its __init__ sets
    # them one by one in its own code, twice as fast as a loop (files have hundreds of
    # thousands of nodes).
    _NodeFields = make_dataclass("_NodeFields", [(name, Any, None) for name in NODE_FIELDS],
                                 slots=True, eq=False, repr=False, match_args=False)


class Node(_NodeFields):
    """One node; `children` are Node objects in display order.

    Its attributes are the fields of `model.fields`; a field not in the file is None.
    """

    __slots__ = ("extras", "children")

    def __init__(self, id: str, type: str = TERMINAL, **fields: Any):
        _NodeFields.__init__(self, id, type)
        self.extras: dict[str, Any] = {}
        self.children: list[Node] = []
        for key, value in fields.items():
            setattr(self, key, value)

    def __repr__(self) -> str:
        return f"Node({self.id!r}, {self.type!r}, {len(self.children)} children)"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Node):
            return NotImplemented
        return all(getattr(self, k) == getattr(other, k) for k in _COMPARED)

    __hash__ = None  # type: ignore[assignment]

    @property
    def is_assumed(self) -> bool:
        return self.type == DECISION and self.solve == "assumed"

    @property
    def takes_probabilities(self) -> bool:
        """True when this node's children carry probabilities."""
        return self.type == CHANCE or self.is_assumed

    def walk(self) -> Iterator[Node]:
        """Every node of this subtree in document (pre-)order, without recursion."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def clone(self) -> Node:
        """A deep copy of this subtree, made without recursion (trees go 1,000 levels deep)."""
        top = self._copy_alone()
        stack = [(self, top)]
        while stack:
            original, copied = stack.pop()
            copied.children = [child._copy_alone() for child in original.children]
            stack.extend(zip(original.children, copied.children))
        return top

    def _copy_alone(self) -> Node:
        """A copy of this node's own fields and extras, without its children."""
        copied = Node(self.id, self.type)
        for name in NODE_FIELDS:
            value = getattr(self, name)
            # (most fields hold text, numbers or None, which need no copy: deepcopy's
            # own dispatch was most of the time of copying a large tree)
            setattr(copied, name, value if type(value) in _IMMUTABLE else copy.deepcopy(value))
        copied.extras = copy.deepcopy(self.extras) if self.extras else {}
        return copied


_COMPARED = NODE_FIELDS + ("extras", "children")
_IMMUTABLE = frozenset({str, int, float, bool, type(None)})


class Settings:
    """Everything in a document but its nodes: title, criteria, players, variables…

    None means "not in the file" (defaults apply), so saving writes back only what
    was there.
    """

    def __init__(self, title: str = "Untitled tree") -> None:
        self.title = title
        self.description: str | None = None
        self.sources: list[dict[str, Any]] | None = None
        self.criteria: list[Criterion] | None = None
        self.players: list[Player] | None = None
        self.variables: list[Variable] | None = None
        self.outcomes: list[Outcome] | None = None
        #: How the app shows numbers (docs/format.md, "Display"): the file's object as read.
        self.display: dict[str, Any] | None = None
        #: Named sets of values (model/scenarios.py), None while the file has none.
        self.scenarios: list[Scenario] | None = None
        #: The base values of the variables and weights that now hold what-if values.
        self.base_case: Values | None = None
        self.extras: dict[str, Any] = {}

    def effective_criteria(self) -> list[Criterion]:
        return self.criteria or [DEFAULT_CRITERION]

    def effective_players(self) -> list[Player]:
        if self.players:
            return self.players
        weights: dict[str, Value] = {c.id: 1 for c in self.effective_criteria()}
        return [Player(DEFAULT_PLAYER_ID, "Decision maker", weights)]

    def variable(self, name: str) -> Variable | None:
        return next((v for v in self.variables or [] if v.name == name), None)

    def copy_settings_from(self, other: Settings) -> None:
        for key in ("title", "description", "sources", "criteria", "players", "variables",
                    "outcomes", "display", "scenarios", "base_case", "extras"):
            setattr(self, key, getattr(other, key))


class Tree(Settings):
    """A whole document: settings, the root node, and an id index."""

    def __init__(self, root: Node, title: str = "Untitled tree") -> None:
        super().__init__(title)
        self.root = root
        self.notifier = ChangeNotifier()
        self._nodes: dict[str, Node] = {}
        self._parent: dict[str, str | None] = {}
        #: Templates and their uses (model/templates.py), None while the tree has none.
        self.links: Links | None = None
        self.reindex()

    # ---- reading -------------------------------------------------------------
    def reindex(self) -> None:
        """Rebuild the id index; the first node with an id wins if ids repeat."""
        self._nodes.clear()
        self._parent.clear()
        self._index_subtree(self.root, None)

    def _index_subtree(self, top: Node, parent_id: str | None) -> None:
        nodes, parents = self._nodes, self._parent
        stack = [(top, parent_id)]
        pop, push = stack.pop, stack.append
        while stack:
            node, pid = pop()
            node_id = node.id
            if node_id not in nodes:
                nodes[node_id] = node
                parents[node_id] = pid
            for child in node.children:
                push((child, node_id))

    def index_subtree(self, top: Node, parent_id: str | None) -> None:
        """Add a subtree just hung under `parent_id` to the id index."""
        self._index_subtree(top, parent_id)

    def unindex_subtree(self, top: Node) -> None:
        """Take a subtree just taken out of the tree off the id index."""
        for node in top.walk():
            self._nodes.pop(node.id, None)
            self._parent.pop(node.id, None)

    def node(self, node_id: str) -> Node:
        return self._nodes[node_id]

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._nodes

    def ids(self) -> list[str]:
        return [node.id for node in self.root.walk()]

    def __len__(self) -> int:
        return len(self._nodes)

    def parent_id(self, node_id: str) -> str | None:
        return self._parent[node_id]

    def index_in_parent(self, node_id: str) -> int:
        parent = self._parent[node_id]
        if parent is None:
            return 0
        siblings = self._nodes[parent].children
        return next(i for i, c in enumerate(siblings) if c.id == node_id)

    def ancestors(self, node_id: str) -> list[str]:
        """Ids from the node's parent up to the root."""
        out, current = [], self._parent[node_id]
        while current is not None:
            out.append(current)
            current = self._parent[current]
        return out

    def json_path(self, node_id: str) -> str:
        steps: list[int] = []
        current = node_id
        while self._parent[current] is not None:
            steps.append(self.index_in_parent(current))
            current = self._parent[current]  # type: ignore[assignment]
        return "$.root" + "".join(f".children[{i}]" for i in reversed(steps))

    # ---- mutating ------------------------------------------------------------
    def batch(self):  # noqa: ANN201 - context manager
        return self.notifier.batch()

    def add_subtree(self, parent_id: str, index: int, subtree: Node) -> None:
        self.notifier.check_allowed()
        from . import templates

        links = self.links
        if links is not None:
            links.check(self, parent_id, "children")
        linked = templates.has_links(subtree)
        if linked:  # (a use's branches are made again from its template)
            for node in subtree.walk():
                if node.use is not None:
                    node.children = []
        clash = [n.id for n in subtree.walk() if n.id in self._nodes]
        if clash:
            raise ValueError(f"ids already in the tree: {', '.join(clash)}")
        self._nodes[parent_id].children.insert(index, subtree)
        self._index_subtree(subtree, parent_id)
        changed = {parent_id, subtree.id}
        if linked:
            changed |= templates.relink(self)
        elif links is not None:
            changed |= links.mirror_add(self, parent_id, index, subtree)
        self.notifier.notify(TreeChange("add", frozenset(changed), True))

    def remove_subtree(self, node_id: str) -> tuple[str, int, Node]:
        """Detach a subtree; return (parent id, index, the subtree) for undo."""
        self.notifier.check_allowed()
        parent_id = self._parent[node_id]
        if parent_id is None:
            raise ValueError("the root cannot be removed")
        links = self.links
        if links is not None:
            links.check(self, parent_id, "children")
        index = self.index_in_parent(node_id)
        subtree = self._nodes[parent_id].children.pop(index)
        self.unindex_subtree(subtree)
        changed = {parent_id, node_id}
        if links is not None:
            from . import templates

            if templates.has_links(subtree):
                changed |= templates.relink(self)
            else:
                changed |= links.mirror_remove(self, parent_id, index)
                links.forget(subtree)
        self.notifier.notify(TreeChange("remove", frozenset(changed), True))
        return parent_id, index, subtree

    def move_child(self, parent_id: str, old: int, new: int) -> None:
        self.notifier.check_allowed()
        if old == new:
            return
        links = self.links
        if links is not None:
            links.check(self, parent_id, "children")
        children = self._nodes[parent_id].children
        children.insert(new, children.pop(old))
        changed = {parent_id}
        if links is not None:
            changed |= links.mirror_move(self, parent_id, old, new)
        self.notifier.notify(TreeChange("move", frozenset(changed), True))

    def set_field(self, node_id: str, name: str, value: Any) -> Any:
        """Set one node field (or an `x-` key); return the old value."""
        self.notifier.check_allowed()
        node = self._nodes[node_id]
        old = node.extras.get(name) if name.startswith("x-") else getattr(node, name)
        if old == value and type(old) is type(value):
            return old
        links = self.links
        if links is not None and name != "collapsed":
            links.check(self, node_id, name)
        if name.startswith("x-"):
            self._set_extra(node, name, value)
        elif name == "id":
            self._rename(node, value)
        else:
            setattr(node, name, copy.deepcopy(value))
        changed = {node_id, value} if name == "id" else {node_id}
        structural = name == "type"
        if links is not None or name in ("template", "use"):
            more, structural = self._follow_links(node, name, old, structural)
            changed |= more
        fields = {name}
        if name == "use" and not structural:  # the copies' numbers, bound again
            fields |= {"probability", "payoff"}
        self.notifier.notify(TreeChange("field", frozenset(changed), structural,
                                        frozenset(fields)))
        return old

    def _follow_links(self, node: Node, name: str, old: Any,
                      structural: bool) -> tuple[set[str], bool]:
        """Bring the uses in step with a field just set; the nodes this changed and
        whether their structure did."""
        from . import templates

        links = self.links
        if name == "use" and node.use is None and links is not None and node.id in links.uses:
            links.detach(node.id)  # Detach: the copies stay, as nodes of their own
            return set(), structural
        if name == "use" and links is not None and links.can_rebind(node.id, old, node.use):
            return links.rebind(self, node.id), structural  # (new bindings, same shape)
        if name in ("template", "use") or (name == "id" and links is not None and (
                old in links.copies or old in links.uses)):
            return templates.relink(self), True
        if links is None or name == "id":
            return set(), structural
        return links.mirror_field(self, node.id, name), structural

    def set_folds(self, folds: dict[str, bool]) -> None:
        """Fold (True) or expand nodes, as one change (Fold All on a large tree)."""
        self.notifier.check_allowed()
        changed = []
        for node_id, folded in folds.items():
            node = self._nodes[node_id]
            value = True if folded else None
            if node.collapsed is not value:
                node.collapsed = value
                changed.append(node_id)
        if changed:
            self.notifier.notify(TreeChange("field", frozenset(changed), False,
                                            frozenset({"collapsed"})))

    @staticmethod
    def _set_extra(node: Node, name: str, value: Any) -> None:
        if value is None:
            node.extras.pop(name, None)
        else:
            node.extras[name] = value

    def _rename(self, node: Node, new_id: str) -> None:
        if new_id in self._nodes:
            raise ValueError(f'id "{new_id}" is already used')
        old_id = node.id
        node.id = new_id
        self._nodes[new_id] = self._nodes.pop(old_id)
        self._parent[new_id] = self._parent.pop(old_id)
        for child in node.children:
            self._parent[child.id] = new_id

    def set_meta(self, name: str, value: Any) -> Any:
        """Set a tree-level setting (title, players, variables…); return the old value."""
        self.notifier.check_allowed()
        old = getattr(self, name)
        if old == value:
            return old
        setattr(self, name, copy.deepcopy(value))
        self.notifier.notify(TreeChange("meta", frozenset(), False, frozenset({name})))
        return old


def breadth_first(root: Node) -> tuple[list[Node], list[int], list[tuple[int, int]]]:
    """Nodes level by level, each one's number of children, and each level's span.

    In this order every node's children are contiguous, which is what the engine's
    arrays rely on.
    """
    order: list[Node] = []
    counts: list[int] = []
    levels: list[tuple[int, int]] = []
    level = [root]
    while level:
        levels.append((len(order), len(order) + len(level)))
        order += level
        counts += [len(node.children) for node in level]
        level = [child for node in level for child in node.children]
    return order, counts, levels


def unique_id(base: str, taken: set[str] | Tree) -> str:
    """`base`, or `base-2`, `base-3`… whichever is not taken yet."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


MAX_ID_LENGTH = 64


def assign_missing_ids(root: Node, taken: set[str]) -> None:
    """Give every node whose id is empty its path id (`n0.1.2`), made unique.

    A path too long for an id (deeper than about 30 levels) gives `node-N` instead.
    """
    stack: list[tuple[Node, str]] = [(root, "n0")]
    count = 0
    while stack:
        node, path = stack.pop()
        count += 1
        if not node.id:
            base = path if len(path) <= MAX_ID_LENGTH - 4 else f"node-{count}"
            node.id = unique_id(base, taken)
            taken.add(node.id)
        stack.extend((c, f"{path}.{i}") for i, c in enumerate(node.children))


def make_ids_unique(subtree: Node, taken: Container[str]) -> None:
    """Rename ids in a subtree (a paste) so none clashes with `taken` (a tree: its ids
    are looked up, not listed) or another of the subtree."""
    given: set[str] = set()
    for node in subtree.walk():
        base, n = node.id, 2
        while node.id in taken or node.id in given:
            node.id, n = f"{base}-{n}", n + 1
        given.add(node.id)
