"""A picker of decision nodes that stays quick on a tree of a million nodes.

The list is a model over an array of the flat tree's rows: no item is made per node,
a label is made only when the list shows it, and all of them only when the user
first searches. Typing filters the decisions by label or id.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
)
from PySide6.QtWidgets import QComboBox, QCompleter

from ..analysis.flatten import FlatTree
from .plots.plot_parts import decision_label
from .text import shown

_NO_ROWS = np.zeros(0, np.int64)
Index = QModelIndex | QPersistentModelIndex


def labelled_with_id(flat: FlatTree, i: int) -> str:
    """A node as a picker lists it: its label, then its id (which tells equal labels
    apart)."""
    return f"{decision_label(flat, i)} ({shown(flat.ids[i], 40)})"


def same_nodes(old: FlatTree | None, new: FlatTree | None) -> bool:
    """Whether snapshot `new` has the nodes, kinds and labels of `old` (an edit of a
    number makes a snapshot sharing them): a list of its nodes stays as it is."""
    return old is not None and new is not None and new.ids is old.ids and \
        new.kind is old.kind and new.player is old.player and new.labels is old.labels


class NodeList(QAbstractListModel):
    """Some nodes of a flat tree, in its order: the text of a row is its label, its
    data (UserRole) the node's id."""

    def __init__(self, label: Callable[[FlatTree, int], str], parent: QObject | None = None):
        super().__init__(parent)
        self._label = label
        self._flat: FlatTree | None = None
        self._rows = _NO_ROWS
        self._labels: list[str] | None = None

    @property
    def flat(self) -> FlatTree | None:
        return self._flat

    def show(self, flat: FlatTree | None, rows: np.ndarray) -> None:
        """List the nodes at `rows` (ascending indices into `flat`)."""
        self.beginResetModel()
        self._flat, self._rows, self._labels = flat, rows, None
        self.endResetModel()

    def renumber(self, flat: FlatTree) -> None:
        """Read from `flat`, a snapshot of the same nodes (`same_nodes`): no row changes."""
        self._flat = flat

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        flat, row = self._flat, index.row()
        if flat is None or not 0 <= row < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self.label(row)
        if role == Qt.ItemDataRole.UserRole:
            return flat.ids[int(self._rows[row])]
        return None

    def label(self, row: int) -> str:
        if self._labels is not None:
            return self._labels[row]
        assert self._flat is not None
        return self._label(self._flat, int(self._rows[row]))

    def labels(self) -> list[str]:
        """Every row's label (made once for these rows: what a search looks through)."""
        if self._labels is None:
            flat, label = self._flat, self._label
            self._labels = [label(flat, i) for i in self._rows.tolist()] if flat else []
        return self._labels

    def row_of(self, node_id: str | None) -> int:
        """The row listing `node_id`, or -1."""
        flat = self._flat
        i = flat.index.get(node_id) if flat is not None and node_id is not None else None
        if i is None:
            return -1
        row = int(np.searchsorted(self._rows, i))
        return row if row < len(self._rows) and self._rows[row] == i else -1

    def match(self, start: Index, role: int, value: Any, hits: int = 1,
              flags: Qt.MatchFlag = Qt.MatchFlag.MatchExactly) -> list[QModelIndex]:
        """Qt's search of an editable combo box (findText, findData), by id or exact
        label, without asking for each row's data one call at a time."""
        if role == Qt.ItemDataRole.UserRole:
            row = self.row_of(value if isinstance(value, str) else None)
            return [self.index(row)] if row >= 0 else []
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole) and \
                flags in (Qt.MatchFlag.MatchExactly, Qt.MatchFlag.MatchFixedString):
            labels = self.labels()
            wanted = str(value)
            exact = flags == Qt.MatchFlag.MatchExactly
            found = [r for r, text in enumerate(labels)
                     if (text == wanted if exact else text.casefold() == wanted.casefold())]
            return [self.index(r) for r in found[:hits if hits >= 0 else None]]
        return super().match(start, role, value, hits, flags)


class NodePicker(QComboBox):
    """A node among many: the list scrolls through all of them, and typing part of a
    label or an id offers the nodes that match."""

    def __init__(self, label: Callable[[FlatTree, int], str], parent: QObject | None = None):
        super().__init__()
        self.nodes = NodeList(label, self)
        self.setModel(self.nodes)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # Not sized to its longest label: that would make every label.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(28)
        self.view().setUniformItemSizes(True)
        self.view().setTextElideMode(Qt.TextElideMode.ElideRight)
        self._labels_searched: list[str] | None = None
        self.search = QCompleter(self)
        self.search.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.search.setFilterMode(Qt.MatchFlag.MatchContains)
        self.search.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search.setMaxVisibleItems(12)
        self.setCompleter(self.search)
        self.search.activated[str].connect(self._found)  # type: ignore[index]
        edit = self.lineEdit()
        edit.setPlaceholderText("Type to search")
        edit.installEventFilter(self)
        edit.editingFinished.connect(self._show_chosen)

    def show_nodes(self, flat: FlatTree | None, rows: np.ndarray, keep: str | None) -> None:
        """List the nodes at `rows` of `flat`, `keep` chosen if it is among them (else
        the first); emits no signal."""
        self.blockSignals(True)
        try:
            self.nodes.show(flat, rows)
            row = self.nodes.row_of(keep)
            self.setCurrentIndex(row if row >= 0 else 0 if len(rows) else -1)
        finally:
            self.blockSignals(False)
        self.lineEdit().setCursorPosition(0)

    def node_id(self) -> str | None:
        data = self.currentData()
        return data if isinstance(data, str) else None

    def set_node(self, node_id: str | None) -> bool:
        """Choose `node_id` (emitting currentIndexChanged); False if it is not listed
        or chosen already."""
        row = self.nodes.row_of(node_id)
        if row < 0 or row == self.currentIndex():
            return False
        self.setCurrentIndex(row)
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.FocusIn, QEvent.Type.KeyPress):
            self._prepare_search()  # before the key reaches the search
        return super().eventFilter(watched, event)

    def _prepare_search(self) -> None:
        """Give the search every label, once per list (the user is about to type)."""
        labels = self.nodes.labels()
        if labels is not self._labels_searched:
            self._labels_searched = labels
            self.search.setModel(QStringListModel(labels, self.search))

    def _found(self, text: str) -> None:
        labels = self._labels_searched or []
        try:
            row = labels.index(text)
        except ValueError:
            return
        self.setCurrentIndex(row)

    def _show_chosen(self) -> None:
        """Text typed that chose nothing gives way to the node still chosen."""
        if self.currentIndex() >= 0:
            self.setEditText(self.nodes.label(self.currentIndex()))
            self.lineEdit().setCursorPosition(0)
