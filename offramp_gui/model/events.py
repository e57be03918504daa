"""Change notifications: what changed in a tree, and a tiny observer."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class TreeChange:
    """One change, or a batch of them merged.

    kind: "field", "add", "remove", "move", "meta" or "batch".
    node_ids: nodes whose own data or children changed.
    structural: True when nodes were added, removed or reordered.
    fields: the names of fields or tree-level settings that changed.
    """

    kind: str
    node_ids: frozenset[str] = frozenset()
    structural: bool = False
    fields: frozenset[str] = frozenset()

    def merged(self, other: TreeChange) -> TreeChange:
        return TreeChange(
            "batch",
            self.node_ids | other.node_ids,
            self.structural or other.structural,
            self.fields | other.fields,
        )


Listener = Callable[[TreeChange], None]


class OutsideTransactionError(RuntimeError):
    """A guarded tree was changed outside `batch()` (that is, outside an undo command)."""


class ChangeNotifier:
    """Subscribers get one TreeChange per mutation, or one per outermost batch."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._batch_depth = 0
        #: The changes of the open batch, merged once when it closes (merging each as it
        #: came made a batch of n changes cost n squared).
        self._pending: list[TreeChange] = []
        #: When True, mutations outside `batch()` raise: the editor sets it so that
        #: every change goes through an undoable command.
        self.require_batch = False

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    @property
    def in_batch(self) -> bool:
        return self._batch_depth > 0

    @contextmanager
    def batch(self) -> Iterator[None]:
        self._batch_depth += 1
        try:
            yield
        finally:
            self._batch_depth -= 1
            if self._batch_depth == 0 and self._pending:
                changes, self._pending = self._pending, []
                self._emit(_merged(changes))

    def check_allowed(self) -> None:
        if self.require_batch and not self.in_batch:
            raise OutsideTransactionError("tree changed outside an undoable command")

    def notify(self, change: TreeChange) -> None:
        if self.in_batch:
            self._pending.append(change)
        else:
            self._emit(change)

    def _emit(self, change: TreeChange) -> None:
        for listener in list(self._listeners):
            listener(change)


def _merged(changes: list[TreeChange]) -> TreeChange:
    if len(changes) == 1:
        return changes[0]
    return TreeChange("batch", frozenset().union(*(c.node_ids for c in changes)),
                      any(c.structural for c in changes),
                      frozenset().union(*(c.fields for c in changes)))
