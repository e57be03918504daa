"""Undo commands: each a thin wrapper over one model mutation, holding ids and plain data.

Commands never touch graphics items: the scene and panels follow the model's change
events, during undo and redo alike.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoCommand

from ..fileformat.json_io import node_from_dict, node_to_dict
from ..model.tree import Tree

_MERGE_FIELD, _MERGE_META, _MERGE_SETTINGS = 1, 2, 3


class SetFieldCommand(QUndoCommand):
    """Set one field of one node. Edits of the same field within one gesture (a slider
    drag, spin-box scrubbing) merge into one step."""

    def __init__(self, tree: Tree, node_id: str, field: str, new: Any, text: str,
                 gesture: int | None = None):
        super().__init__(text)
        self._tree, self._id, self._field, self._new = tree, node_id, field, new
        self._old = _get(tree, node_id, field)
        self._gesture = gesture

    def id(self) -> int:
        return _MERGE_FIELD if self._gesture is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetFieldCommand) or other._gesture != self._gesture:
            return False
        if (other._id, other._field) != (self._id, self._field):
            return False
        self._new = other._new
        return True

    def redo(self) -> None:
        with self._tree.batch():
            self._tree.set_field(self._id, self._field, self._new)

    def undo(self) -> None:
        with self._tree.batch():
            node_id = self._new if self._field == "id" else self._id
            self._tree.set_field(node_id, self._field, self._old)


class SetMetaCommand(QUndoCommand):
    """Replace a tree-level setting (variables, players' weights, title…).

    `merge_key` lets a slider's many small changes to the same thing become one step.
    """

    def __init__(self, tree: Tree, field: str, new: Any, text: str,
                 merge_key: Any = None):
        super().__init__(text)
        self._tree, self._field, self._new = tree, field, new
        self._old = getattr(tree, field)
        self._merge_key = merge_key

    def id(self) -> int:
        return _MERGE_META if self._merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetMetaCommand) or other._merge_key != self._merge_key:
            return False
        self._new = other._new
        return True

    def redo(self) -> None:
        with self._tree.batch():
            self._tree.set_meta(self._field, self._new)

    def undo(self) -> None:
        with self._tree.batch():
            self._tree.set_meta(self._field, self._old)


class SetSettingsCommand(QUndoCommand):
    """Replace several tree-level settings at once (variables, players and the base
    case, when a slider moves a what-if value). Changes with the same `merge_key` (one
    drag) merge into one step, which drops out of the history if it ends where it
    began."""

    def __init__(self, tree: Tree, changes: dict[str, Any], text: str,
                 merge_key: Any = None):
        super().__init__(text)
        self._tree, self._new = tree, dict(changes)
        self._old = {name: getattr(tree, name) for name in changes}
        self._merge_key = merge_key

    def id(self) -> int:
        return _MERGE_SETTINGS if self._merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetSettingsCommand) or other._merge_key != self._merge_key:
            return False
        for name, value in other._old.items():
            self._old.setdefault(name, value)
        self._new.update(other._new)
        self.setObsolete(self._new == self._old)
        return True

    def redo(self) -> None:
        self._set(self._new)

    def undo(self) -> None:
        self._set(self._old)

    def _set(self, values: dict[str, Any]) -> None:
        with self._tree.batch():
            for name, value in values.items():
                self._tree.set_meta(name, value)


class AddSubtreeCommand(QUndoCommand):
    """Insert a subtree (kept as plain data) under a parent at an index."""

    def __init__(self, tree: Tree, parent_id: str, index: int, subtree: dict, text: str):
        super().__init__(text)
        self._tree, self._parent, self._index, self._data = tree, parent_id, index, subtree

    def redo(self) -> None:
        with self._tree.batch():
            self._tree.add_subtree(self._parent, self._index, node_from_dict(self._data))

    def undo(self) -> None:
        with self._tree.batch():
            self._tree.remove_subtree(self._data["id"])


class RemoveSubtreeCommand(QUndoCommand):
    """Remove a subtree; undo puts it back at the same place among its siblings."""

    def __init__(self, tree: Tree, node_id: str, text: str):
        super().__init__(text)
        self._tree, self._id = tree, node_id
        self._parent: str | None = None
        self._index = 0
        self._data: dict = {}

    def redo(self) -> None:
        with self._tree.batch():
            self._parent, self._index, subtree = self._tree.remove_subtree(self._id)
            self._data = node_to_dict(subtree)

    def undo(self) -> None:
        with self._tree.batch():
            self._tree.add_subtree(self._parent, self._index,  # type: ignore[arg-type]
                                   node_from_dict(self._data))


class MoveChildCommand(QUndoCommand):
    """Move a branch up or down among its siblings."""

    def __init__(self, tree: Tree, parent_id: str, old: int, new: int, text: str):
        super().__init__(text)
        self._tree, self._parent, self._old, self._new = tree, parent_id, old, new

    def redo(self) -> None:
        with self._tree.batch():
            self._tree.move_child(self._parent, self._old, self._new)

    def undo(self) -> None:
        with self._tree.batch():
            self._tree.move_child(self._parent, self._new, self._old)


def _get(tree: Tree, node_id: str, field: str) -> Any:
    node = tree.node(node_id)
    return node.extras.get(field) if field.startswith("x-") else getattr(node, field)
