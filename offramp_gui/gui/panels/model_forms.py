"""The parts of the model editor's tabs: forms whose fields commit on Enter, and a tab
that lists one kind of thing (add, move up or down, delete) above a form for the
selected one."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QColorDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...model import refactor
from ...model.events import TreeChange
from ...model.refactor import CRITERION, OUTCOME, PLAYER, VARIABLE
from ..model_edits import COLOR_KEY, WORDS, EditRefused, ModelEdits, quoted
from ..prompts import Prompts
from ..scene.theme import outcome_color, player_color
from ..text import shown
from .fields import FieldMessage, NotesEdit, Refused, add_field_row, is_typing

if TYPE_CHECKING:
    from ..document import DocumentController

#: What deleting something still in use does to the places that use it.
CONSEQUENCES = {
    VARIABLE: "writes its value where it is used",
    PLAYER: "leaves those decisions without a player",
    CRITERION: "removes their payoffs for it and the players' weights on it",
    OUTCOME: "leaves those endings unclassified",
}


class Form:
    """Rows of a QFormLayout whose line edits commit on Enter or when focus leaves, with
    a red line under a field whose value is refused."""

    def __init__(self, layout: QFormLayout, prefix: str):
        self.layout, self.prefix = layout, prefix
        self.messages: dict[str, FieldMessage] = {}

    def row(self, label: str, editor: QWidget, name: str) -> FieldMessage:
        message = add_field_row(self.layout, label, editor, f"{self.prefix}-{name}")
        self.messages[name] = message
        return message

    def text(self, label: str, name: str, commit: Callable[[str], None],
             placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(placeholderText=placeholder)
        message = self.row(label, edit, name)
        edit.editingFinished.connect(lambda: commit_text(edit, message, commit))
        return edit

    def notes(self, label: str, name: str, commit: Callable[[str], None]) -> NotesEdit:
        edit = NotesEdit()
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 4 + 12)
        message = self.row(label, edit, name)

        def finished() -> None:
            edit.document().setModified(False)
            attempt(message, lambda: commit(edit.toPlainText()))
        edit.editing_finished.connect(finished)
        return edit


def attempt(message: FieldMessage, change: Callable[[], None]) -> bool:
    """Make a change, or say under the field why it was refused."""
    try:
        change()
    except (Refused, EditRefused) as why:
        message.say(str(why))
        return False
    message.say(None)
    return True


def commit_text(edit: QLineEdit, message: FieldMessage, commit: Callable[[str], None]) -> None:
    if not edit.isModified():
        return
    edit.setModified(False)  # so the refresh that follows may show the stored value
    if not attempt(message, lambda: commit(edit.text())):
        edit.setModified(True)


def show_text(edit: QLineEdit | NotesEdit, text: str | None) -> None:
    """Show the model's value unless the user is typing there."""
    text = text or ""
    if is_typing(edit):
        return
    if isinstance(edit, NotesEdit):
        if edit.toPlainText() != text:
            edit.setPlainText(text)
        return
    if edit.text() != text:
        with QSignalBlocker(edit):
            edit.setText(text)
            edit.setCursorPosition(0)


def optional(text: str) -> str | None:
    return text.strip() or None


class ItemsTab(QWidget):
    """A list of one kind of thing, its buttons, and a form for the selected one."""

    kind = ""
    #: The settings whose change may change this tab.
    watched: frozenset[str] = frozenset()

    def __init__(self, document: DocumentController, edits: ModelEdits, prompts: Prompts):
        super().__init__()
        self.document, self.edits, self.prompts = document, edits, prompts
        self.selected: str | None = None
        self._row = 0
        self._entries: list[tuple[str, str]] = []
        kind = self.kind
        self.list = QListWidget(objectName=f"{kind}-list")
        self.list.setMaximumHeight(150)
        self.list.currentRowChanged.connect(self._row_chosen)
        self.new_name = QLineEdit(objectName=f"{kind}-new-name",
                                  placeholderText=f"Name of a new {WORDS[kind]}")
        self.new_name.returnPressed.connect(self.add)
        self.buttons = {name: QPushButton(text, objectName=f"{kind}-{name}")
                        for name, text in (("add", "Add"), ("up", "Up"), ("down", "Down"),
                                           ("delete", "Delete"))}
        self.buttons["add"].clicked.connect(self.add)
        self.buttons["up"].clicked.connect(lambda: self.move(-1))
        self.buttons["down"].clicked.connect(lambda: self.move(1))
        self.buttons["delete"].clicked.connect(self.delete)
        self.form_box = QGroupBox()
        self.form = Form(QFormLayout(self.form_box), kind)
        self.build_form()
        layout = QVBoxLayout(self)
        adding = QHBoxLayout()
        adding.addWidget(self.new_name, 1)
        adding.addWidget(self.buttons["add"])
        order = QHBoxLayout()
        for name in ("up", "down", "delete"):
            order.addWidget(self.buttons[name])
        order.addStretch(1)
        layout.addLayout(adding)
        layout.addWidget(self.list)
        layout.addLayout(order)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.form_box)
        column.addStretch(1)  # the form's rows together at the top
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)
        document.document_reset.connect(self.refresh)
        document.tree_changed.connect(self._on_tree_changed)
        self.refresh()

    # ---- what subclasses say --------------------------------------------------------------
    def build_form(self) -> None:
        raise NotImplementedError

    def show_item(self, item: Any) -> None:
        raise NotImplementedError

    def entries(self) -> list[tuple[str, str]]:
        """(key, what the list shows) for each thing, in order."""
        return [(self.edits.key(self.kind, i), i.name) for i in self.edits.items(self.kind)]

    # ---- model -> widgets -----------------------------------------------------------------
    def _on_tree_changed(self, change: TreeChange) -> None:
        if change.fields & self.watched:
            self.refresh()

    def refresh(self) -> None:
        entries = self.entries()
        keys = [key for key, _text in entries]
        if self.selected not in keys:
            self.selected = keys[min(self._row, len(keys) - 1)] if keys else None
        if entries != self._entries:
            self._entries = entries
            with QSignalBlocker(self.list):
                self.list.clear()
                for key, text in entries:
                    item = QListWidgetItem(shown(text, 120))
                    item.setData(Qt.ItemDataRole.UserRole, key)
                    self.list.addItem(item)
        row = keys.index(self.selected) if self.selected is not None else -1
        self._row = max(row, 0)
        with QSignalBlocker(self.list):
            self.list.setCurrentRow(row)
        self.form_box.setVisible(row >= 0)
        self.buttons["up"].setEnabled(row > 0)
        self.buttons["down"].setEnabled(0 <= row < len(keys) - 1)
        self.buttons["delete"].setEnabled(row >= 0)
        if row >= 0:
            self.form_box.setTitle(shown(entries[row][1], 120).replace("&", "&&"))
            self.show_item(self.current())

    def current(self) -> Any:
        return self.edits.item(self.kind, self.selected) if self.selected is not None else None

    def _row_chosen(self, row: int) -> None:
        if 0 <= row < len(self._entries):
            self.selected, self._row = self._entries[row][0], row
            self.refresh()

    # ---- gestures -------------------------------------------------------------------------
    def add(self) -> None:
        name = self.new_name.text().strip() or f"{WORDS[self.kind].capitalize()}" \
            f" {len(self._entries) + 1}"
        try:
            key = self.edits.add(self.kind, name)
        except EditRefused as why:
            self.prompts.error(f"Add {WORDS[self.kind]}", str(why))
            return
        self.new_name.clear()
        self.selected = key
        self.refresh()

    def move(self, delta: int) -> None:
        if self.edits.move(self.kind, self._row, delta):
            self._row += delta
            self.refresh()

    def delete(self) -> None:
        key = self.selected
        if key is None:
            return
        try:
            self.edits.check_delete(self.kind)
        except EditRefused as why:
            self.prompts.error(f"Delete {WORDS[self.kind]}", str(why))
            return
        places = refactor.used_at(self.document.tree, self.kind, key)
        thing = f"The {WORDS[self.kind]} {quoted(self.edits.label(self.kind, key))}"
        if places and not self.prompts.delete_in_use(thing, places, CONSEQUENCES[self.kind]):
            return
        self.edits.delete(self.kind, key)
        document = self.document
        if (document.shown_player >= len(self.edits.items(PLAYER))
                or (document.shown_criterion or 0) >= len(self.edits.items(CRITERION))):
            document.set_display(player=0, criterion=None)  # what was shown is gone

    # ---- form helpers ---------------------------------------------------------------------
    def rename_key(self, text: str) -> None:
        """Rename the selected thing's id (or a variable's name), and keep it selected."""
        old = self.selected
        if old is None:
            return
        self.edits.rename(self.kind, old, text)
        self.selected = text.strip()
        self.refresh()

    def set(self, attribute: str, value: Any) -> None:
        if self.selected is not None:
            self.edits.set_attribute(self.kind, self.selected, attribute, value)

    def name_and_id(self) -> None:
        self.name_edit = self.form.text(
            "Name", "name", lambda text: self.edits.set_name(self.kind, self.selected, text))
        self.id_edit = self.form.text("Id", "id", self.rename_key)
        self.id_edit.setToolTip("How the tree refers to it; changing it changes every"
                                " reference")

    def color_row(self) -> None:
        self.color_button = QPushButton("Choose…")
        self.color_button.clicked.connect(self.choose_color)
        self.form.row("Colour", self.color_button, "color")

    def show_color(self, color: str, default: bool) -> None:
        """The colour the canvas draws it in, and whether that is the default one."""
        self.color_button.setText(color + (" (default)" if default else ""))
        self.color_button.setToolTip("The default colour for its place in the list: choose"
                                     " one to keep" if default else "Choose another colour")
        size = self.color_button.iconSize()
        swatch = QPixmap(size)
        swatch.fill(QColor(color))
        self.color_button.setIcon(QIcon(swatch))

    def shown_color(self, item: Any) -> tuple[str, bool]:
        """The colour the canvas uses for `item` and whether it is the default."""
        if self.kind == OUTCOME:
            return outcome_color(item)
        return player_color(item, self.edits.items(PLAYER).index(item))

    def choose_color(self) -> None:
        """A colour dialog through the prompts (tests drive the dialog they are given)."""
        item, key = self.current(), self.selected
        if item is None or key is None:
            return
        attribute = "color" if self.kind == OUTCOME else COLOR_KEY
        start = self.shown_color(item)[0]

        def make(parent: QWidget | None) -> QColorDialog:
            dialog = QColorDialog(QColor(start), parent)
            dialog.setWindowTitle(f"Colour of {shown(item.name, 80)}")
            dialog.colorSelected.connect(lambda color: self.edits.set_attribute(
                self.kind, key, attribute, color.name()))
            return dialog
        self.prompts.run(make)
