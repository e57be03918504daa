"""The model editor's Tree tab: the tree's title and description, and its sources (a
title, and an author, publisher, year or URL to find it by)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFormLayout, QGroupBox, QVBoxLayout, QWidget

from ..model_edits import SOURCE, EditRefused, ModelEdits
from ..prompts import Prompts
from .model_forms import Form, ItemsTab, optional, show_text

if TYPE_CHECKING:
    from ..document import DocumentController

#: A source's keys as the format names them (docs/format.md, "Sources"), and their labels.
SOURCE_FIELDS = (("title", "Title"), ("author", "Author"), ("publisher", "Publisher"),
                 ("year", "Year"), ("url", "URL"))


class SourcesList(ItemsTab):
    """The tree's sources; a source is known by its place in the list."""

    kind = SOURCE
    watched = frozenset({"sources"})

    def entries(self) -> list[tuple[str, str]]:
        return [(str(i), source.get("title") or "(untitled)")
                for i, source in enumerate(self.edits.items(SOURCE))]

    def current(self) -> Any:
        return self.edits.items(SOURCE)[int(self.selected)] if self.selected else None

    def build_form(self) -> None:
        self.edits_by_key = {key: self.form.text(label, key, lambda text, k=key: self._commit(
            k, text)) for key, label in SOURCE_FIELDS}
        self.edits_by_key["url"].setPlaceholderText("shown as text, never opened")

    def show_item(self, item: Any) -> None:
        for key, edit in self.edits_by_key.items():
            value = item.get(key)
            show_text(edit, None if value is None else str(value))

    def _commit(self, key: str, text: str) -> None:
        if key == "title" and not text.strip():
            raise EditRefused("A source needs a title.")
        value: Any = optional(text)
        if key == "year" and value is not None and value.isdigit():
            value = int(value)  # the format takes a number, or text such as "1962-63"
        if self.selected is not None:
            self.edits.set_source(int(self.selected), key, value)

    def add(self) -> None:
        title = self.new_name.text().strip() or f"Source {len(self._entries) + 1}"
        self.selected = str(self.edits.add_source(title))
        self.new_name.clear()
        self.refresh()

    def move(self, delta: int) -> None:
        if self.edits.move(SOURCE, self._row, delta):
            self._row += delta
            self.selected = str(self._row)
            self.refresh()

    def delete(self) -> None:
        if self.selected is not None:
            self.edits.delete_source(int(self.selected))


class TreeTab(QWidget):
    """What the whole tree is: its title, description and sources."""

    def __init__(self, document: DocumentController, edits: ModelEdits, prompts: Prompts):
        super().__init__()
        self.document, self.edits = document, edits
        about = QGroupBox("This tree")
        self.form = Form(QFormLayout(about), "tree")
        self.title_edit = self.form.text("Title", "title", self._commit_title)
        self.description_edit = self.form.notes(
            "Description", "description", lambda text: edits.set_tree("description",
                                                                      optional(text)))
        sources = QGroupBox("Sources")
        self.sources = SourcesList(document, edits, prompts)
        self.sources.layout().setContentsMargins(0, 0, 0, 0)
        QVBoxLayout(sources).addWidget(self.sources)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(sources, 1)
        document.document_reset.connect(self.refresh)
        document.tree_changed.connect(lambda change: self.refresh()
                                      if change.fields & {"title", "description"} else None)
        self.refresh()

    def _commit_title(self, text: str) -> None:
        if not text.strip():
            raise EditRefused("A tree needs a title.")
        self.edits.set_tree("title", text.strip())

    def refresh(self) -> None:
        show_text(self.title_edit, self.document.tree.title)
        show_text(self.description_edit, self.document.tree.description)


