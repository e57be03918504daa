"""Property pages: the groups of fields shown for a node, registered per node kind.

Like Gaphor's PropertyPages, each page class is registered for the node kinds it
edits and may decline a node (`applies`). The panel builds the pages for the selected
node and disposes of them, which disconnects them from the document.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QSlider,
    QWidget,
)

from ...model import expressions
from ...model.fields import FIELD, FIELDS, Kind, NodeField
from ...model.templates import bindings as template_bindings
from ...model.templates import parameters as template_parameters
from ...model.tree import CHANCE, DECISION, REMAINDER, TERMINAL, Node, Tree
from ...model.validate import ID_PATTERN
from ..text import shown, tooltip
from .fields import (
    FieldMessage,
    NotesEdit,
    Refused,
    add_field_row,
    current_value,
    guard_wheel,
    is_typing,
    number_text,
    parse_amount,
    plain_label,
)

if TYPE_CHECKING:
    from ..document import DocumentController

class PropertyPage(QGroupBox):
    """One titled group of fields for one node; built per selection, then disposed."""

    title = ""

    def __init__(self, document: DocumentController, node_id: str):
        super().__init__(self.title)
        self.document, self.node_id = document, node_id
        self.form = QFormLayout(self)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._connections: list[tuple[Any, Callable]] = []
        self.messages: dict[str, FieldMessage] = {}
        self.build()
        self.refresh()

    @classmethod
    def applies(cls, tree: Tree, node: Node) -> bool:
        return True

    @property
    def node(self) -> Node:
        return self.document.tree.node(self.node_id)

    def build(self) -> None:
        """Create the editors."""

    def refresh(self) -> None:
        """Show the model's values, leaving alone a field the user is typing in."""

    def on_results(self, _results: object) -> None:
        # Opening a file sends the new tree's results before `document_reset` (and clears
        # the selection first): a page left from the old tree must not read them.
        if self.document.selected_id == self.node_id:
            self.refresh()

    def listen(self, signal: Any, slot: Callable) -> None:
        """Connect to the document; `dispose` disconnects. Bound methods only: Qt then
        also drops the connection if the page is deleted first."""
        signal.connect(slot)
        self._connections.append((signal, slot))

    def dispose(self) -> None:
        for signal, slot in self._connections:
            signal.disconnect(slot)
        self._connections.clear()

    # ---- building blocks --------------------------------------------------------------
    def add_row(self, label: str, editor: QWidget, name: str) -> FieldMessage:
        message = add_field_row(self.form, label, editor, name)
        self.messages[name] = message
        return message

    def text_field(self, label: str, name: str, commit: Callable[[str], None]) -> QLineEdit:
        edit = QLineEdit()
        message = self.add_row(label, edit, name)
        edit.editingFinished.connect(lambda: self._commit_text(edit, message, commit))
        return edit

    @staticmethod
    def _commit_text(edit: QLineEdit, message: FieldMessage,
                     commit: Callable[[str], None]) -> None:
        if not edit.isModified():
            return
        edit.setModified(False)  # so the refresh that follows may show the stored value
        try:
            commit(edit.text())
        except Refused as why:
            edit.setModified(True)
            message.say(str(why))
        else:
            message.say(None)

    def combo(self, label: str, name: str, items: list[tuple[str, str]],
              commit: Callable[[str], None]) -> QComboBox:
        box = QComboBox()
        # Long outcome or player names must not widen the dock: the popup shows them whole.
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        box.setMinimumContentsLength(8)
        for text, data in items:
            box.addItem(shown(text, 200), data)
        self.add_row(label, box, name)
        guard_wheel(box)
        box.currentIndexChanged.connect(lambda i: commit(box.itemData(i)))
        return box

    def show_text(self, edit: QLineEdit, text: str) -> None:
        if is_typing(edit) or edit.text() == text:
            return
        with QSignalBlocker(edit):
            edit.setText(text)
            edit.setCursorPosition(0)  # show the start of a long name or expression
        self.messages[edit.objectName()].say(None)

    @staticmethod
    def show_choice(box: QComboBox, data: str | None) -> None:
        with QSignalBlocker(box):
            box.setCurrentIndex(box.findData(data) if data is not None else -1)

    def variables(self) -> dict[str, float]:
        known = {v.name for v in self.document.tree.variables or []}
        values = self.document.results.variables if self.document.results else {}
        return {name: values.get(name, math.nan) for name in known}

    def set_field(self, field: str, value: Any, merge: bool = False) -> None:
        self.document.edit.set_field(self.node_id, field, value, merge)


_PAGES: dict[str, list[type[PropertyPage]]] = {DECISION: [], CHANCE: [], TERMINAL: []}


def register(*kinds: str) -> Callable[[type[PropertyPage]], type[PropertyPage]]:
    """Show a page for nodes of these kinds, after the pages registered before it."""
    def add(page: type[PropertyPage]) -> type[PropertyPage]:
        for kind in kinds:
            _PAGES[kind].append(page)
        return page
    return add


def pages_for(tree: Tree, node: Node) -> tuple[type[PropertyPage], ...]:
    return tuple(page for page in _PAGES.get(node.type, []) if page.applies(tree, node))


ALL_KINDS = (DECISION, CHANCE, TERMINAL)
TYPE_ITEMS = [("Decision", DECISION), ("Chance", CHANCE), ("Terminal", TERMINAL)]
SOLVE_ITEMS = [("Best response", "best"), ("Assumed probabilities", "assumed")]
EXPRESSION_HELP = ("A number, an expression over the variables, or # for the remainder."
                   " Clearing an expression keeps the number it comes to now.")
#: Fields edited as one line of text, with nothing to check: each gets a generic row.
PLAIN_TEXT_FIELDS = tuple(field for field in FIELDS if field.kind is Kind.TEXT)


def has_field(tree: Tree, node: Node, field: NodeField) -> bool:
    """Whether the format gives this node the field."""
    return node.type in field.on and (field.on_root or tree.parent_id(node.id) is not None)


@register(*ALL_KINDS)
class NodePage(PropertyPage):
    title = "Node"

    def build(self) -> None:
        self.id_edit = self.text_field(FIELD["id"].label, "id-edit", self._commit_id)
        tree, node = self.document.tree, self.node
        self.text_edits = {field.name: self._text_row(field) for field in PLAIN_TEXT_FIELDS
                           if has_field(tree, node, field)}
        self.type_combo = self.combo(FIELD["type"].label, "type-combo", TYPE_ITEMS,
                                     self._change_type)

    def refresh(self) -> None:
        node = self.node
        self.show_text(self.id_edit, node.id)
        for name, edit in self.text_edits.items():
            self.show_text(edit, getattr(node, name) or "")
        self.show_choice(self.type_combo, node.type)

    def _text_row(self, field: NodeField) -> QLineEdit:
        """A generic row: the text as it is; an empty field removes the key."""
        return self.text_field(field.label, f"{field.name}-edit",
                               lambda text: self.set_field(field.name, text or None))

    def _change_type(self, kind: str) -> None:
        self.document.edit.change_type(self.node_id, kind)

    def _commit_id(self, text: str) -> None:
        text = text.strip()
        if text == self.node_id:
            return
        if not ID_PATTERN.fullmatch(text):
            raise Refused('an id needs 1 to 64 letters, digits, "_", "." or "-"')
        if text in self.document.tree:
            raise Refused(f'the id "{text}" is already used by another node')
        self.set_field("id", text)


@register(*ALL_KINDS)
class ProbabilityPage(PropertyPage):
    """A branch's probability: spin box and slider in step, "#", or an expression."""

    title = "Probability"

    @classmethod
    def applies(cls, tree: Tree, node: Node) -> bool:
        parent = tree.parent_id(node.id)
        return parent is not None and tree.node(parent).takes_probabilities

    def build(self) -> None:
        self.spin = QDoubleSpinBox(objectName="probability-spin", decimals=4, singleStep=0.01)
        self.spin.setRange(0.0, 1.0)
        self.spin.setKeyboardTracking(False)  # a typed number commits on Enter, not per key
        self.slider = QSlider(Qt.Orientation.Horizontal, objectName="probability-slider")
        self.slider.setRange(0, 1000)
        guard_wheel(self.spin, self.slider)
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.spin)
        line.addWidget(self.slider, 1)
        self.form.addRow(plain_label(FIELD["probability"].label), row)
        self.remainder = QCheckBox("Remainder (#): 1 minus the other branches",
                                   objectName="remainder-check")
        self.form.addRow(self.remainder)
        self.expression = self.text_field("Expression", "probability-expression",
                                          self._commit_expression)
        self.expression.setPlaceholderText("e.g. p_collapse * 0.5")
        self.spin.valueChanged.connect(self._spin_moved)
        self.slider.valueChanged.connect(self._slider_moved)
        self.slider.sliderReleased.connect(self.document.end_gesture)
        self.spin.editingFinished.connect(self.document.end_gesture)
        self.remainder.toggled.connect(self._remainder_toggled)
        self.listen(self.document.results_ready, self.on_results)

    def refresh(self) -> None:
        p = self.node.probability
        fixed = isinstance(p, (int, float))
        self._show_number(float(p) if fixed else self._computed())
        self.spin.setEnabled(fixed)  # an expression or "#" decides the number
        self.slider.setEnabled(fixed)
        with QSignalBlocker(self.remainder):
            self.remainder.setChecked(p == REMAINDER)
        formula = p if isinstance(p, str) and p != REMAINDER else ""
        self.show_text(self.expression, formula)
        self.expression.setToolTip(tooltip(formula, EXPRESSION_HELP))  # a long one is cut

    def _computed(self) -> float:
        results = self.document.results
        index = results.flat.index.get(self.node_id) if results else None
        return math.nan if index is None else float(results.probability[index])

    def _show_number(self, value: float) -> None:
        value = 0.0 if math.isnan(value) else min(max(value, 0.0), 1.0)
        if not is_typing(self.spin):
            with QSignalBlocker(self.spin):
                self.spin.setValue(value)
        with QSignalBlocker(self.slider):
            self.slider.setValue(round(value * 1000))

    def _spin_moved(self, value: float) -> None:
        with QSignalBlocker(self.slider):
            self.slider.setValue(round(value * 1000))
        self.set_field("probability", round(value, 4), merge=True)

    def _slider_moved(self, position: int) -> None:
        with QSignalBlocker(self.spin):
            self.spin.setValue(position / 1000)
        self.set_field("probability", position / 1000, merge=True)

    def _remainder_toggled(self, checked: bool) -> None:
        if not checked:
            computed = self._computed()
            self.set_field("probability", 0 if math.isnan(computed) else round(computed, 4))
            return
        try:
            self._check_remainder()
        except Refused as why:
            with QSignalBlocker(self.remainder):
                self.remainder.setChecked(False)
            self.messages["probability-expression"].say(str(why))
            return
        self.set_field("probability", REMAINDER)

    def _check_remainder(self) -> None:
        parent = self.document.tree.node(self.document.tree.parent_id(self.node_id))
        taken = [c.id for c in parent.children if c.probability == REMAINDER
                 and c.id != self.node_id]
        if taken:
            raise Refused(f'branch "{taken[0]}" already takes the remainder (#);'
                          " only one branch may")

    def _freeze_expression(self) -> None:
        """Clearing an expression keeps the number it comes to now."""
        p = self.node.probability
        if not isinstance(p, str) or p == REMAINDER:
            return
        computed = self._computed()
        if math.isnan(computed):
            raise Refused("the expression has no value now; type a number instead")
        self.set_field("probability", round(computed, 4))

    def _commit_expression(self, text: str) -> None:
        if not text.strip():
            self._freeze_expression()
            return
        if text.strip() == REMAINDER:
            self._check_remainder()
            self.set_field("probability", REMAINDER)
            return
        amount = parse_amount(text, self.variables())
        value = current_value(amount, self.variables())
        if not 0 <= value <= 1:
            side = "above 1" if value > 1 else "below 0"
            now = " with the variables' current values" if isinstance(amount, str) else ""
            raise Refused(f"a probability must be from 0 to 1; this is {value:.6g}{now},"
                          f" {side}")
        self.set_field("probability", amount)


@register(DECISION)
class DecisionPage(PropertyPage):
    title = "Decision"

    def build(self) -> None:
        players = self.document.tree.effective_players()
        self.player_combo = self.combo(FIELD["player"].label, "player-combo",
                                       [(p.name, p.id) for p in players], self._commit_player)
        self.player_combo.setPlaceholderText("(choose a player)")
        self.player_combo.setEnabled(len(players) > 1)  # one player needs no choosing
        self.solve_combo = self.combo(FIELD["solve"].label, "solve-combo", SOLVE_ITEMS,
                                      self._commit_solve)

    def refresh(self) -> None:
        node, players = self.node, self.document.tree.effective_players()
        self.show_choice(self.player_combo, node.player or
                         (players[0].id if len(players) == 1 else None))
        self.show_choice(self.solve_combo, node.solve or "best")

    def _commit_player(self, player_id: str) -> None:
        if len(self.document.tree.effective_players()) > 1:
            self.set_field("player", player_id)

    def _commit_solve(self, solve: str) -> None:
        if solve != (self.node.solve or "best"):
            self.document.edit.set_solve(self.node_id, None if solve == "best" else solve)


@register(*ALL_KINDS)
class PayoffPage(PropertyPage):
    title = "Payoff"

    def build(self) -> None:
        self.edits: dict[str, QLineEdit] = {}
        for criterion in self.document.tree.effective_criteria():
            unit = f" ({criterion.unit})" if criterion.unit else ""
            self.edits[criterion.id] = self.text_field(
                shown(criterion.name, 80) + unit, f"payoff-{criterion.id}",
                lambda text, c=criterion.id: self._commit(c, text))
            self.edits[criterion.id].setPlaceholderText("0")

    def refresh(self) -> None:
        payoff = self.node.payoff
        for criterion, edit in self.edits.items():
            value = payoff.get(criterion) if isinstance(payoff, dict) else payoff
            self.show_text(edit, number_text(value))

    def _commit(self, criterion: str, text: str) -> None:
        amount = parse_amount(text, self.variables()) if text.strip() else None
        if amount is not None:
            current_value(amount, self.variables())
        self.document.edit.set_payoff(self.node_id, criterion, amount)


@register(TERMINAL)
class OutcomePage(PropertyPage):
    title = "Outcome"

    def build(self) -> None:
        items = [("(none)", "")] + [(o.name, o.id) for o in self.document.tree.outcomes or []]
        self.outcome_combo = self.combo(FIELD["outcome"].label, "outcome-combo", items,
                                        lambda data: self.set_field("outcome", data or None))

    def refresh(self) -> None:
        self.show_choice(self.outcome_combo, self.node.outcome or "")


@register(*ALL_KINDS)
class NotesPage(PropertyPage):
    title = "Notes"

    def build(self) -> None:
        self.notes = NotesEdit(objectName="notes-edit")
        self.notes.setPlaceholderText("Assumptions, sources, caveats…")
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 5)
        self.form.addRow(self.notes)
        self.notes.editing_finished.connect(self._commit)

    def refresh(self) -> None:
        text = self.node.notes or ""
        if not is_typing(self.notes) and self.notes.toPlainText() != text:
            self.notes.setPlainText(text)
            self.notes.document().setModified(False)

    def _commit(self) -> None:
        self.notes.document().setModified(False)
        self.set_field("notes", self.notes.toPlainText() or None)


@register(*ALL_KINDS)
class TemplatePage(PropertyPage):
    """A use's template and its bindings (each editable, one undo step); a master's name
    and parameters; for a node inside a use, why it cannot be edited here."""

    title = "Template"

    @classmethod
    def applies(cls, tree: Tree, node: Node) -> bool:
        links = tree.links
        return node.use is not None or node.template is not None or (
            links is not None and node.id in links.owner)

    def build(self) -> None:
        node, tree = self.node, self.document.tree
        self.bindings: dict[str, QLineEdit] = {}
        if node.use is not None:
            name = str(node.use.get("template", ""))
            self.form.addRow("Use of", plain_label(name))
            master_id = tree.links.masters.get(name) if tree.links else None
            for parameter in template_parameters(tree.node(master_id)) if master_id else []:
                edit = self.text_field(parameter, f"bind-{parameter}",
                                       lambda text, p=parameter: self._bind(p, text))
                edit.setPlaceholderText("its own value")
                self.bindings[parameter] = edit
        elif node.template is not None:
            self.form.addRow("Template", plain_label(str(node.template.get("name", ""))))
            self.form.addRow("Parameters", plain_label(
                ", ".join(template_parameters(node)) or "none"))
        else:
            why = self.document.edit.refusal(self.node_id) or ""
            label = plain_label(why)
            label.setWordWrap(True)
            label.setObjectName("inside-use")
            self.form.addRow(label)

    def refresh(self) -> None:
        bound = template_bindings(self.node)
        for parameter, edit in self.bindings.items():
            self.show_text(edit, bound.get(parameter, ""))

    def _bind(self, parameter: str, text: str) -> None:
        text = text.strip()
        if text:
            try:
                used = expressions.names(expressions.parse(text))
            except expressions.ExpressionError as error:
                raise Refused(str(error)) from None
            unknown = sorted(used - {v.name for v in self.document.tree.variables or []})
            if unknown:
                raise Refused(f"“{unknown[0]}” is not a variable")
        self.document.edit.set_binding(self.node_id, parameter, text or None)


#: What a use takes from its template: its editors are locked.
TAKEN_PAGES = (DecisionPage, PayoffPage, OutcomePage)
