"""Small pieces the panels share: plain labels, field messages, value parsing.

User text is always shown as plain text. Values typed into fields are parsed here,
and a refused value raises Refused with a reason in plain words.
"""
from __future__ import annotations

import math
import re
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...analysis.expr_eval import compile_expr, diagnose
from ...analysis.expr_eval import evaluate as run_formula
from ...model import expressions
from ...model.expressions import ExpressionError
from ..text import shown

ERROR_COLOR = "#c62828"
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def plain_label(text: str | None = "", parent: QWidget | None = None) -> QLabel:
    """A label that shows user text literally, never as rich text."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(shown(text))
    return label


def is_typing(widget: QWidget) -> bool:
    """True while the user has typed into `widget` and not committed it yet."""
    if isinstance(widget, QLineEdit):
        return widget.isModified()  # also keeps a refused value on show with its reason
    if isinstance(widget, QPlainTextEdit):
        return widget.hasFocus() and widget.document().isModified()
    if isinstance(widget, QAbstractSpinBox):
        return widget.hasFocus() and widget.lineEdit().isModified()
    return False


def number_text(value: Any) -> str:
    """A field's value as the user typed it: numbers without float noise."""
    if value is None:
        return ""
    return value if isinstance(value, str) else format(value, ".15g")


class Refused(ValueError):
    """A value a field does not take; the message says why in plain words."""


def parse_amount(text: str, variables: dict[str, float]) -> int | float | str:
    """A number, or an expression over the variables that gives a number now."""
    text = text.strip()
    if _NUMBER.fullmatch(text):
        number = float(text)
        if not math.isfinite(number):
            raise Refused(f"the number {text} is too large")
        plain_integer = number.is_integer() and not re.search(r"[.eE]", text)
        return int(number) if plain_integer else number
    try:
        parsed = expressions.parse(text)
    except ExpressionError as error:
        raise Refused(f"not a number or a valid expression: {error}") from None
    unknown = sorted(expressions.names(parsed) - variables.keys())
    if unknown:
        names = sorted(variables)
        known = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
        raise Refused(f'"{unknown[0]}" is not a variable (the variables are: {known or "none"})')
    return text


def value_now(text: str, variables: dict[str, float]) -> str:
    """What an expression comes to now ("= 0.7"), or why it has no value."""
    try:
        if not expressions.names(expressions.parse(text)) <= variables.keys():
            return "(uses a name that is not a variable)"
        return f"= {current_value(text, variables):.6g}"
    except ExpressionError:
        return "(not a valid expression)"
    except Refused:
        return "(cannot be computed now)"


def expression_now(text: str, variables: dict[str, float]) -> str:
    """An expression with what it comes to now: "1 - w = 0.7"."""
    return f"{text} {value_now(text, variables)}"


def current_value(amount: int | float | str, variables: dict[str, float]) -> float:
    """What an amount comes to with the variables' current values."""
    if not isinstance(amount, str):
        return float(amount)
    parsed = expressions.parse(amount)
    value = float(run_formula(compile_expr(parsed), variables))
    if not math.isfinite(value):
        raise Refused(f"it cannot be computed now: {diagnose(parsed, variables)}")
    return value


class FieldMessage(QLabel):
    """The red line under a field that says why a value was refused."""

    def __init__(self, name: str):
        super().__init__()
        self.setObjectName(f"{name}-message")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(ERROR_COLOR))
        self.setPalette(palette)
        self.hide()

    def say(self, text: str | None) -> None:
        self.setText(shown(text))
        self.setVisible(bool(text))


class NotesEdit(QPlainTextEdit):
    """Plain-text notes that commit when focus leaves them."""

    #: Focus left the notes after the user changed them.
    editing_finished = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if self.document().isModified():
            self.editing_finished.emit()


class _WheelGuard(QObject):
    """Pass the wheel on to the scroll area unless the field has focus."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Wheel or watched.hasFocus():  # type: ignore[attr-defined]
            return False
        parent = watched.parentWidget()  # type: ignore[attr-defined]
        if parent is not None:
            QApplication.sendEvent(parent, event)
        return True


def guard_wheel(*widgets: QWidget) -> None:
    """Scrolling a panel must not change a combo, spin box or slider it passes over
    (a type combo would turn a node into a terminal and drop its subtree)."""
    for widget in widgets:
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        widget.installEventFilter(_WheelGuard(widget))


def add_field_row(form: QFormLayout, label: str, editor: QWidget, name: str) -> FieldMessage:
    """A form row holding `editor` (named `name`) above the line that says why a value
    was refused; returns that line."""
    editor.setObjectName(name)
    message = FieldMessage(name)
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(editor)
    column.addWidget(message)
    form.addRow(plain_label(label), box)
    return message
