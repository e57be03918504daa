"""Edit operations: each user action becomes one undo step (a command or a macro)."""
from __future__ import annotations

import copy
import json
from contextlib import ExitStack
from typing import Any, Protocol

import numpy as np
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication

from ..analysis.flatten import FlatTree
from ..fileformat.json_io import node_from_text, node_to_dict
from ..fileformat.schema import too_many_nodes
from ..model import scenarios
from ..model.fields import NODE_TYPES, VALUE_FIELDS
from ..model.issues import TreeFormatError
from ..model.limits import MAX_CHILDREN, MAX_DEPTH, MAX_NODES
from ..model.tree import (
    CHANCE,
    DECISION,
    REMAINDER,
    TERMINAL,
    Node,
    Tree,
    make_ids_unique,
    unique_id,
)
from .commands import (
    AddSubtreeCommand,
    MoveChildCommand,
    RemoveSubtreeCommand,
    SetFieldCommand,
    SetMetaCommand,
    SetSettingsCommand,
)

FIELD_WORDS = {field.name: field.undo_text for field in VALUE_FIELDS if field.undo_text}

#: Fields that only some node types have: changing a node's type clears them.
_TYPE_BOUND = tuple(field.name for field in VALUE_FIELDS if field.on != NODE_TYPES)


class EditRefused(Exception):
    """An added or pasted branch that would take the tree over a limit (model/limits.py);
    the message says which. A tree the app saves must open again."""


class Editable(Protocol):
    """What edits need of the document (a DocumentController, which owns its Edits)."""

    tree: Tree
    undo_stack: QUndoStack

    def push(self, command: QUndoCommand) -> None: ...

    def gesture(self) -> int: ...

    def set_folds(self, folds: dict[str, bool]) -> None: ...

    def current_shape(self) -> FlatTree | None: ...


class Edits:
    """The controller's editing vocabulary; panels and the canvas call these."""

    def __init__(self, document: Editable):
        self._doc = document

    @property
    def _tree(self):  # noqa: ANN202 - the controller's current tree
        return self._doc.tree

    # ---- fields ---------------------------------------------------------------------
    def refusal(self, node_id: str, field: str | None = None) -> str | None:
        """Why a node (or one of its fields; "children": its branches) is not to be
        edited: it is part of a use of a template. None when it may be."""
        links = self._tree.links
        return None if links is None else links.refusal(self._tree, node_id, field)

    def _refuse_inside_use(self, node_id: str, field: str | None = None) -> None:
        why = self.refusal(node_id, field)
        if why is not None:
            raise EditRefused(why)

    def set_field(self, node_id: str, field: str, value: Any, merge: bool = False,
                  text: str | None = None) -> None:
        """Raises EditRefused for a field a node takes from a template."""
        node = self._tree.node(node_id)
        old = node.extras.get(field) if field.startswith("x-") else getattr(node, field)
        if old == value and type(old) is type(value):
            return
        self._refuse_inside_use(node_id, field)
        words = text or FIELD_WORDS.get(field, f"Change {field}")
        gesture = self._doc.gesture() if merge else None
        self._doc.push(SetFieldCommand(self._tree, node_id, field, value, words, gesture))

    def set_payoff(self, node_id: str, criterion: str, value: Any, merge: bool = False) -> None:
        """Set one criterion's payoff (None clears it)."""
        node = self._tree.node(node_id)
        single = len(self._tree.effective_criteria()) == 1
        if single and not isinstance(node.payoff, dict):
            self.set_field(node_id, "payoff", value, merge)
            return
        payoff = dict(node.payoff) if isinstance(node.payoff, dict) else {}
        if value is None:
            payoff.pop(criterion, None)
        else:
            payoff[criterion] = value
        self.set_field(node_id, "payoff", payoff or None, merge)

    # ---- folds: how the tree is shown, saved with it but not edits ----------------------
    def fold(self, node_id: str, folded: bool) -> None:
        node = self._tree.node(node_id)
        if node.children and bool(node.collapsed) != folded:
            self._doc.set_folds({node_id: folded})

    def expand_all(self) -> None:
        self.fold_below(None)

    def fold_all(self) -> None:
        self.fold_below(0)

    def fold_below(self, level: int | None) -> None:
        """Show `level` levels below the root and fold every node with children deeper
        (None: fold nothing). Level by level, the quickest way through a large tree."""
        shape = self._doc.current_shape()
        if shape is not None:
            self._doc.set_folds(_folds_below(shape, level))
            return
        folds: dict[str, bool] = {}
        nodes, depth = [self._tree.root], 0
        while nodes:
            fold = level is not None and depth >= level
            folds.update((n.id, fold) for n in nodes
                         if n.children and bool(n.collapsed) != fold)
            nodes = [child for node in nodes for child in node.children]
            depth += 1
        self._doc.set_folds(folds)

    # ---- structure ------------------------------------------------------------------
    def add_child(self, parent_id: str, index: int | None = None,
                  text: str = "Add branch") -> str:
        """Add a terminal branch; a terminal parent becomes a chance node. Returns its id."""
        parent = self._tree.node(parent_id)
        self._check_room(parent, 1, 0)
        with self._macro(text):
            if parent.type == TERMINAL:
                self.set_field(parent_id, "outcome", None)
                self.set_field(parent_id, "type", CHANCE)
            child = Node(unique_id(f"{parent_id}.{len(parent.children) + 1}", self._tree),
                         TERMINAL, branch=f"Branch {len(parent.children) + 1}")
            if parent.takes_probabilities:
                has_remainder = any(c.probability == REMAINDER for c in parent.children)
                child.probability = 0 if has_remainder or parent.children else REMAINDER
            position = len(parent.children) if index is None else index
            self._doc.push(AddSubtreeCommand(self._tree, parent_id, position,
                                             node_to_dict(child), text))
        return child.id

    def _check_room(self, parent: Node, nodes: int, levels_below: int) -> None:
        """Raise EditRefused unless a branch of `nodes` new nodes, `levels_below` levels
        deep under its own top, fits under `parent` within the limits (and is not inside
        a use of a template)."""
        self._refuse_inside_use(parent.id, "children")
        if len(parent.children) >= MAX_CHILDREN:
            raise EditRefused(f"this node has {len(parent.children):,} branches; offramp"
                              f" takes at most {MAX_CHILDREN:,}")
        total = len(self._tree) + nodes
        if total > MAX_NODES:
            raise EditRefused(too_many_nodes(total))
        self._check_depth(parent, levels_below)

    def _check_depth(self, parent: Node, levels_below: int) -> None:
        depth = 1 + levels_below
        node_id: str | None = parent.id
        while (node_id := self._tree.parent_id(node_id)) is not None:  # type: ignore[arg-type]
            depth += 1
        if depth > MAX_DEPTH:
            raise EditRefused(f"the tree would be {depth:,} levels deep; offramp takes at"
                              f" most {MAX_DEPTH:,}")

    def add_sibling(self, node_id: str) -> str | None:
        parent_id = self._tree.parent_id(node_id)
        if parent_id is None:
            return None
        index = self._tree.index_in_parent(node_id) + 1
        return self.add_child(parent_id, index, "Add sibling")

    def delete(self, node_id: str, text: str = "Delete branch") -> bool:
        parent_id = self._tree.parent_id(node_id)
        if parent_id is None:
            return False
        self._refuse_inside_use(node_id, "branch")  # (a use itself may go)
        self._refuse_inside_use(parent_id, "children")
        self._doc.push(RemoveSubtreeCommand(self._tree, node_id, text))
        return True

    def move(self, node_id: str, delta: int) -> bool:
        parent_id = self._tree.parent_id(node_id)
        if parent_id is None:
            return False
        old = self._tree.index_in_parent(node_id)
        new = old + delta
        if not 0 <= new < len(self._tree.node(parent_id).children):
            return False
        self._refuse_inside_use(node_id, "branch")
        self._refuse_inside_use(parent_id, "children")
        words = "Move branch up" if delta < 0 else "Move branch down"
        self._doc.push(MoveChildCommand(self._tree, parent_id, old, new, words))
        return True

    def change_type(self, node_id: str, kind: str) -> None:
        """Make a node a decision, chance or terminal node, keeping the tree sensible."""
        node = self._tree.node(node_id)
        if node.type == kind and not node.is_assumed:
            return
        with self._macro(FIELD_WORDS["type"]):
            if kind == TERMINAL:
                for child in list(node.children):
                    self.delete(child.id)
            for field in _TYPE_BOUND:
                self.set_field(node_id, field, None)
            self.set_field(node_id, "type", kind)
            if kind == DECISION and len(self._tree.effective_players()) > 1:
                self.set_field(node_id, "player", self._tree.effective_players()[0].id)
            if kind != TERMINAL and not node.children:
                self.add_child(node_id)
                self.add_child(node_id)
            self._fit_probabilities(node_id)

    def set_solve(self, node_id: str, solve: str | None) -> None:
        with self._macro(FIELD_WORDS["solve"]):
            self.set_field(node_id, "solve", solve)
            self._fit_probabilities(node_id)

    def _fit_probabilities(self, node_id: str) -> None:
        """Give children probabilities where the node now needs them, or drop them."""
        node = self._tree.node(node_id)
        if not node.takes_probabilities:
            for child in node.children:
                self.set_field(child.id, "probability", None)
            return
        missing = [c for c in node.children if c.probability is None]
        if not missing:
            return
        share = round(1 / len(node.children), 6)
        for child in missing[:-1]:
            self.set_field(child.id, "probability", share)
        has_remainder = any(c.probability == REMAINDER for c in node.children)
        self.set_field(missing[-1].id, "probability", 0 if has_remainder else REMAINDER)

    def _unmark_taken_templates(self, subtree: Node) -> None:
        """A copy of a template's master is an ordinary subtree: the name is taken."""
        links = self._tree.links
        for node in subtree.walk():
            if links is not None and (node.template or {}).get("name") in links.masters:
                node.template = None

    # ---- templates -------------------------------------------------------------------
    def make_template(self, node_id: str, name: str, parameters: list[str]) -> None:
        """Mark a subtree as the master of a template (docs/format.md, "Templates")."""
        self.set_field(node_id, "template", {"name": name, "parameters": parameters},
                       text=f"Make template “{name}”")

    def detach(self, use_id: str) -> None:
        """A use becomes ordinary nodes: its copies stay, saved with the file."""
        node = self._tree.node(use_id)
        name = (node.use or {}).get("template", "")
        self.set_field(use_id, "use", None, text=f"Detach use of template “{name}”")

    def set_binding(self, use_id: str, parameter: str, text: str | None) -> None:
        """Bind a use's parameter to an expression (None: unbind it)."""
        use = dict(self._tree.node(use_id).use or {})
        bind = dict(use.get("bind") or {})
        if text is None:
            bind.pop(parameter, None)
        else:
            bind[parameter] = text
        if bind:
            use["bind"] = bind
        else:
            use.pop("bind", None)
        where = _quoted_use(self._tree.node(use_id))
        self.set_field(use_id, "use", use, text=f"Bind {parameter} in “{where}”")

    # ---- information sets -------------------------------------------------------------
    def join_information_set(self, node_ids: list[str], name: str) -> None:
        """Put these decisions in the information set `name`, as one undo step (whether
        they may share one is the caller's to ask first: `information_set_refusal`)."""
        self._set_information_set(node_ids, name, f"Join information set “{name}”")

    def leave_information_set(self, node_ids: list[str], text: str) -> None:
        """Take these nodes out of their information set, as one undo step."""
        self._set_information_set(node_ids, None, text)

    def _set_information_set(self, node_ids: list[str], name: str | None, text: str) -> None:
        changing = [i for i in node_ids if self._tree.node(i).information_set != name]
        for node_id in changing:
            self._refuse_inside_use(node_id, "information_set")
        if not changing:
            return
        with self._macro(text):
            for node_id in changing:
                self._doc.push(SetFieldCommand(self._tree, node_id, "information_set", name,
                                               text))

    # ---- structure by mouse -----------------------------------------------------------
    def drop_refusal(self, node_id: str, parent_id: str, index: int | None,
                     copying: bool) -> str | None:
        """Why the branch `node_id` cannot be moved (or copied) under `parent_id`, at
        `index` among its branches or after the last (None); None when it can."""
        tree = self._tree
        old_parent = tree.parent_id(node_id)
        if old_parent is None:
            return "The top node cannot be moved"
        if parent_id == node_id or node_id in tree.ancestors(parent_id):
            return "Not into its own branch"
        if tree.node(parent_id).type == TERMINAL:
            return "An end node takes no branches"
        inside = self.refusal(parent_id, "children") or (
            None if copying else self.refusal(old_parent, "children"))
        if inside is not None:
            return inside[0].upper() + inside[1:]
        if not copying and parent_id == old_parent:
            if index is None:
                return "Already a branch here"
            if _index_after_moving(tree.index_in_parent(node_id), index) == \
                    tree.index_in_parent(node_id):
                return "Already here"
        return None

    def move_branch(self, node_id: str, parent_id: str, index: int | None = None) -> str:
        """Move a branch under `parent_id` (at `index`, or last), as one step: among its
        siblings it keeps its probability; under another parent it arrives as a pasted
        branch does (probability 0 under a chance node), and the branches it leaves keep
        theirs, as after Delete. Raises EditRefused for a move that cannot be made."""
        self._refuse_drop(node_id, parent_id, index, False)
        tree = self._tree
        node = tree.node(node_id)
        if tree.parent_id(node_id) == parent_id:
            assert index is not None  # _refuse_drop sends "last, same parent" away
            old = tree.index_in_parent(node_id)
            self._doc.push(MoveChildCommand(tree, parent_id, old,
                                            _index_after_moving(old, index),
                                            f"Reorder branch {_quoted(node)}"))
            return node_id
        parent = tree.node(parent_id)
        self._check_room(parent, 0, _levels_below(node))
        moved = node.clone()
        moved.probability = 0 if parent.takes_probabilities else None
        text = f"Move branch {_quoted(node)}"
        with self._macro(text):
            self._doc.push(RemoveSubtreeCommand(tree, node_id, text))
            position = len(parent.children) if index is None else index
            self._doc.push(AddSubtreeCommand(tree, parent_id, position, node_to_dict(moved),
                                             text))
        return node_id

    def copy_branch(self, node_id: str, parent_id: str, index: int | None = None) -> str:
        """Copy a branch under `parent_id` (at `index`, or last) with fresh ids, as paste
        does; returns the copy's id. Raises EditRefused for a copy that cannot be made."""
        self._refuse_drop(node_id, parent_id, index, True)
        node, parent = self._tree.node(node_id), self._tree.node(parent_id)
        self._check_room(parent, sum(1 for _ in node.walk()), _levels_below(node))
        copied = node.clone()
        make_ids_unique(copied, self._tree)
        self._unmark_taken_templates(copied)
        copied.probability = 0 if parent.takes_probabilities else None
        position = len(parent.children) if index is None else index
        self._doc.push(AddSubtreeCommand(self._tree, parent_id, position,
                                         node_to_dict(copied), f"Copy branch {_quoted(node)}"))
        return copied.id

    def insert_node(self, node_id: str) -> str | None:
        """Put a new chance node on the branch into `node_id`: it takes that branch's
        label and probability, and `node_id` becomes its only branch, with probability
        "#". Returns the new node's id (None for the root, which has no branch)."""
        tree = self._tree
        parent_id = tree.parent_id(node_id)
        if parent_id is None:
            return None
        node = tree.node(node_id)
        self._refuse_inside_use(parent_id, "children")
        self._check_depth(tree.node(parent_id), _levels_below(node) + 1)
        index = tree.index_in_parent(node_id)
        below = node.clone()
        inserted = Node(unique_id(f"{parent_id}.{index + 1}", tree), CHANCE,
                        branch=node.branch, probability=node.probability)
        below.branch, below.probability = "Branch 1", REMAINDER
        inserted.children = [below]
        with self._macro("Insert node"):
            self._doc.push(RemoveSubtreeCommand(tree, node_id, "Insert node"))
            self._doc.push(AddSubtreeCommand(tree, parent_id, index, node_to_dict(inserted),
                                             "Insert node"))
        return inserted.id

    def _refuse_drop(self, node_id: str, parent_id: str, index: int | None,
                     copying: bool) -> None:
        refusal = self.drop_refusal(node_id, parent_id, index, copying)
        if refusal is not None:
            raise EditRefused(refusal[0].lower() + refusal[1:])

    # ---- clipboard ------------------------------------------------------------------
    def copy(self, node_id: str) -> None:
        """Copy a branch as the JSON of its subtree: it pastes here, or into a text file.

        (Plain text rather than a QMimeData of our own: PySide6 and the clipboard would
        both own that object, and the app crashed on exit.)
        """
        data = json.dumps(node_to_dict(self._tree.node(node_id)), ensure_ascii=False)
        QApplication.clipboard().setText(data)

    def cut(self, node_id: str) -> bool:
        if self._tree.parent_id(node_id) is None:
            return False
        self.copy(node_id)
        return self.delete(node_id, "Cut branch")

    @staticmethod
    def _copied() -> Node | None:
        """The subtree on the clipboard, if the clipboard holds one; EditRefused if it
        is over a limit."""
        try:
            return node_from_text(QApplication.clipboard().text())
        except TreeFormatError as error:
            raise EditRefused(error.issues[0].message) from None

    def can_paste(self) -> bool:
        try:
            return self._copied() is not None
        except EditRefused:
            return True  # so that pasting says why not

    def paste(self, parent_id: str) -> str | None:
        """Paste the copied branch as the last branch of `parent_id`, with fresh ids.

        Raises EditRefused when the tree would be over a limit (model/limits.py): a tree
        the app saves must open again.
        """
        subtree = self._copied()
        if subtree is None:
            return None
        parent = self._tree.node(parent_id)
        self._check_room(parent, sum(1 for _ in subtree.walk()), _levels_below(subtree))
        make_ids_unique(subtree, self._tree)
        self._unmark_taken_templates(subtree)
        subtree.probability = 0 if parent.takes_probabilities else None
        with self._macro("Paste branch"):
            if parent.type == TERMINAL:
                self.set_field(parent_id, "outcome", None)
                self.set_field(parent_id, "type", CHANCE)
                subtree.probability = REMAINDER
            self._doc.push(AddSubtreeCommand(self._tree, parent_id, len(parent.children),
                                             node_to_dict(subtree), "Paste branch"))
        return subtree.id

    # ---- settings -------------------------------------------------------------------
    def set_variable(self, name: str, field: str, value: Any, merge: bool = False) -> None:
        """Set a field of a variable; its value is its base value (a what-if value, moved
        on the Variables panel, stays one: `ScenarioEdits`)."""
        key = ("variable", name, field, self._doc.gesture()) if merge else None
        text = f"Change variable {name}"
        if field == "value":
            changes = scenarios.base_variable(self._tree, name, value)
            if changes:
                self._doc.push(SetSettingsCommand(self._tree, changes, text, key))
            return
        variables = copy.deepcopy(self._tree.variables or [])
        target = next(v for v in variables if v.name == name)
        if getattr(target, field) == value:
            return
        setattr(target, field, value)
        self._doc.push(SetMetaCommand(self._tree, "variables", variables, text, key))

    def set_weight(self, player_id: str, criterion_id: str, value: float | str,
                   merge: bool = False) -> None:
        """Set a player's base weight on a criterion (as `set_variable` a value)."""
        changes = scenarios.base_weights(self._tree, player_id, {criterion_id: value})
        if not changes:
            return
        name = next(p.name for p in self._tree.effective_players() if p.id == player_id)
        key = ("weight", player_id, criterion_id, self._doc.gesture()) if merge else None
        self._doc.push(SetSettingsCommand(self._tree, changes, f"Change {name}'s weight", key))

    def set_title(self, title: str) -> None:
        if title != self._tree.title:
            self._doc.push(SetMetaCommand(self._tree, "title", title, "Change title"))

    # ---- helpers --------------------------------------------------------------------
    def _macro(self, text: str) -> _Macro:
        return _Macro(self._doc, text)



class _Macro:
    """`with` block: the commands pushed inside are one undo step and one model change."""

    def __init__(self, document: Editable, text: str):
        self._doc, self._text = document, text
        self._batch = ExitStack()

    def __enter__(self) -> None:
        self._doc.undo_stack.beginMacro(self._text)
        self._batch.enter_context(self._doc.tree.batch())

    def __exit__(self, *exc: object) -> None:
        self._batch.close()
        self._doc.undo_stack.endMacro()


def _folds_below(shape: FlatTree, level: int | None) -> dict[str, bool]:
    """Every node with children folded from `level` down and open above it (None: all
    open), read from the snapshot's levels (a million nodes in a blink; setting the
    folds skips those already so)."""
    levels = shape.levels
    first = len(shape.ids) if level is None or level >= len(levels) else levels[level][0]
    parents = np.flatnonzero(shape.child_count > 0)
    ids = shape.ids
    folds = dict.fromkeys([ids[i] for i in parents[parents < first].tolist()], False)
    folds.update(dict.fromkeys([ids[i] for i in parents[parents >= first].tolist()], True))
    return folds


def _quoted_use(node: Node) -> str:
    return node.branch or node.name or node.id


def _quoted(node: Node) -> str:
    """A branch as the undo history names it: its label, else its node's name."""
    return f"\u201c{node.branch or node.name or 'untitled'}\u201d"


def _index_after_moving(old: int, before: int) -> int:
    """The index a branch at `old` ends up at when put before the sibling at `before`
    (counted with it still in place; the number of siblings puts it last)."""
    return before if before <= old else before - 1


def _levels_below(top: Node) -> int:
    """How many levels a subtree reaches below its top node (0 for a leaf)."""
    deepest, level = 0, [top]
    while (level := [child for node in level for child in node.children]):
        deepest += 1
    return deepest
