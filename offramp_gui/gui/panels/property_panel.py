"""PropertyPanel: the selected node's fields, with the editors its kind needs.

The pages come from a registry keyed by node kind (property_pages.py). The panel
builds them for the selected node and disposes of them when the selection moves or
the node's kind changes. A field refuses an invalid value with a message under it; a
valid one goes to `document.edit`, which pushes one undo command per gesture. At the
bottom, read-only, are the node's rolled-back values.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...model.tree import Node
from .. import format as fmt
from ..text import shown
from .fields import plain_label
from .property_pages import (
    ALL_KINDS,
    TAKEN_PAGES,
    NodePage,
    PropertyPage,
    TemplatePage,
    pages_for,
    register,
)

if TYPE_CHECKING:
    from ..document import DocumentController

#: The widest the label column gets, in characters; longer labels wrap.
LABEL_CHARS = 18


@register(*ALL_KINDS)
class ValuesPage(PropertyPage):
    """The node's rolled-back values, read-only: conditional on reaching it."""

    title = "Values at this node"

    def build(self) -> None:
        tree = self.document.tree
        self.labels: list[tuple[str, int, QLabel]] = []
        for k, criterion in enumerate(tree.effective_criteria()):
            self._value_row(f"Expected {criterion.name}", "expected", k)
        for p, player in enumerate(tree.effective_players()):
            self._value_row(f"Utility for {player.name}", "utility", p)
            if not player.risk_neutral:
                self._value_row(f"Certainty equivalent for {player.name}", "certainty", p)
        self._value_row("Reach", "reach", 0)
        self._value_row("Chosen branch", "choice", 0)
        self.listen(self.document.results_ready, self.on_results)

    def _value_row(self, label: str, kind: str, column: int) -> None:
        value = plain_label("—")
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        value.setObjectName(f"value-{kind}-{column}")
        value.setWordWrap(True)  # a long branch label must not widen the dock
        self.form.addRow(plain_label(shown(label, 120)), value)
        self.labels.append((kind, column, value))

    def refresh(self) -> None:
        for kind, column, label in self.labels:
            label.setText(shown(self._value_text(kind, column)))

    def _value_text(self, kind: str, column: int) -> str:
        results = self.document.results
        i = results.flat.index.get(self.node_id) if results else None
        # Just after a criterion or player is added the rows are built before the
        # results with its column, which follow at once (`on_results`).
        if i is None or (kind in ("expected", "utility")
                         and column >= getattr(results, kind).shape[1]):
            return "—"
        style = fmt.NumberFormat.of(self.document.tree.display)
        if kind == "expected":
            unit = self.document.tree.effective_criteria()[column].unit
            number = fmt.value(float(results.expected[i, column]), style)
            return f"{number} {unit}" if unit and number != "—" else number
        if kind == "utility":
            return fmt.value(float(results.utility[i, column]), style)
        if kind == "certainty":
            found = results.certainty
            return "—" if found is None or column >= found.shape[1] else fmt.value(
                float(found[i, column]), style)
        if kind == "reach":
            return fmt.probability(float(results.reach[i]), style)
        return self._choice_text(results, i)

    def _choice_text(self, results: Any, i: int) -> str:
        chosen = results.chosen_id(self.node_id)
        if chosen is None or chosen not in self.document.tree:
            return "—"
        branch = self.document.tree.node(chosen).branch or chosen
        return branch + (" (a tie)" if bool(results.tie[i]) else "")


# ---- the panel ----------------------------------------------------------------------
class PropertyPanel(QWidget):
    """Shows and edits the selected node; one page per aspect of its kind."""

    def __init__(self, document: DocumentController, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.pages: list[PropertyPage] = []
        self._shape: tuple = ()
        self._node: Node | None = None  # identity only: tells a rename from a new node
        self._empty = plain_label("Select a node in the tree to see and edit it here.")
        self._empty.setContentsMargins(8, 8, 8, 8)
        self._empty.setWordWrap(True)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        # The pages fit the dock's width: labels wrap instead of scrolling sideways.
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._empty, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self._scroll)
        document.selection_changed.connect(self._sync)
        document.tree_changed.connect(self._sync)
        document.document_reset.connect(self._rebuild)
        self._rebuild()

    def _shape_of(self, node: Node | None) -> tuple:
        """What decides which editors exist: the node's type and place, the pages,
        criteria, players, outcomes."""
        if node is None:
            return ()
        tree = self.document.tree
        settings = (tuple((c.id, c.name, c.unit) for c in tree.effective_criteria()),
                    tuple((p.id, p.name, p.risk_neutral) for p in tree.effective_players()),
                    tuple((o.id, o.name) for o in tree.outcomes or []))
        links = (repr(node.use), repr(node.template), self.document.edit.refusal(node.id))
        return (node.type, tree.parent_id(node.id) is None, pages_for(tree, node), settings,
                links)

    def _sync(self, *_: object) -> None:
        node = self.document.selected_node
        if node is None and self._node is None:
            return  # nothing was shown and nothing is to be shown
        # The same node object under the same editors: refresh in place, also after a
        # rename, so the id field keeps its focus. Anything else gets new editors.
        if node is None or node is not self._node or self._shape_of(node) != self._shape:
            self._rebuild()
            return
        for page in self.pages:
            page.node_id = node.id
            page.refresh()

    def _rebuild(self) -> None:
        node = self.document.selected_node
        focus_name = self._focused_field()
        for page in self.pages:
            page.dispose()
        kinds = pages_for(self.document.tree, node) if node is not None else ()
        self.pages = [kind(self.document, node.id) for kind in kinds]  # type: ignore[union-attr]
        if node is not None:
            self._lock_what_templates_give(node)
        self._shape, self._node = self._shape_of(node), node
        old = self._scroll.takeWidget()
        if old is not None:
            old.deleteLater()  # later: a signal from one of its editors may be running now
        self._scroll.setWidget(self._body())
        self._empty.setVisible(node is None)
        self._scroll.setVisible(node is not None)
        self._restore_focus(focus_name)

    def _lock_what_templates_give(self, node: Node) -> None:
        """Inside a use, nothing is edited here; a use keeps only its place editable."""
        if self.document.edit.refusal(node.id) is None:
            return
        use = node.use is not None
        for page in self.pages:
            if isinstance(page, TemplatePage):
                continue
            if not use or isinstance(page, TAKEN_PAGES):
                page.setEnabled(False)
            elif isinstance(page, NodePage):
                page.type_combo.setEnabled(False)
                if "name" in page.text_edits:
                    page.text_edits["name"].setEnabled(False)

    def _body(self) -> QWidget:
        body = QWidget()
        column = QVBoxLayout(body)
        for page in self.pages:
            column.addWidget(page)
        column.addStretch(1)
        _align_labels(self.pages)
        return body

    def _focused_field(self) -> str:
        """The name of the field with focus (a spin box, not its inner line edit)."""
        widget = QApplication.focusWidget()
        while widget is not None and self.isAncestorOf(widget):
            name = widget.objectName()
            if name and not name.startswith("qt_"):
                return name
            widget = widget.parentWidget()
        return ""

    def _restore_focus(self, name: str) -> None:
        body = self._scroll.widget()
        widget = body.findChild(QWidget, name) if name else None
        if widget is not None:
            widget.setFocus()


def _align_labels(pages: list[PropertyPage]) -> None:
    """Give every page's label column one width, so the fields line up down the panel;
    a long label (a criterion's or a player's name) wraps rather than widening it."""
    labels = [page.form.itemAt(row, QFormLayout.ItemRole.LabelRole) for page in pages
              for row in range(page.form.rowCount())]
    widgets = [item.widget() for item in labels if item is not None and item.widget()]
    if not widgets:
        return
    cap = widgets[0].fontMetrics().horizontalAdvance("x") * LABEL_CHARS
    width = min(max(w.sizeHint().width() for w in widgets), cap)
    for widget in widgets:
        if isinstance(widget, QLabel):
            widget.setWordWrap(True)
        widget.setFixedWidth(width)
