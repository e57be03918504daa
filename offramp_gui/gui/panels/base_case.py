"""What the Variables and Weights panels share about the base case: a slider that marks
its base value, the muted "base 0.35" beside a value that differs from it, and the line
above them that counts the values that differ, with "Reset to base" and "Make these the
base case" (docs/format.md, "Scenarios and what-if values")."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPolygonF
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QStyle,
    QStyleOptionSlider,
    QVBoxLayout,
    QWidget,
)

from ...model.events import TreeChange
from .fields import number_text, plain_label

if TYPE_CHECKING:
    from ..document import DocumentController

#: Settings whose change may change which values differ from the base case.
VALUE_FIELDS = frozenset({"variables", "players", "base_case"})
#: The base mark's size, in pixels: its height, its half width, and the room between it
#: and the handle.
MARK_HEIGHT, MARK_HALF_WIDTH, MARK_GAP = 5, 4, 1


def muted(label: QLabel) -> QLabel:
    """A label in the muted colour of secondary text."""
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText,
                     palette.color(QPalette.ColorRole.PlaceholderText))
    label.setPalette(palette)
    return label


def base_label(name: str) -> QLabel:
    """The muted "base 0.35" beside a value that differs from its base, hidden until then."""
    label = muted(plain_label())
    label.setObjectName(name)
    label.hide()
    return label


def show_base(label: QLabel, editor: QAbstractSpinBox, base: float | None) -> None:
    """Mark a value that differs from its base: its number in bold, its base beside it
    (`base` None: it is the base case's)."""
    differs = base is not None
    font = editor.font()
    if font.bold() != differs:
        font.setBold(differs)
        editor.setFont(font)
    label.setVisible(differs)
    if differs:
        label.setText(f"base {number_text(base)}")
        label.setToolTip(f"The base case's value is {number_text(base)}; Reset to base"
                         " puts it back")


class MarkedSlider(QSlider):
    """A horizontal slider with a small mark under its groove at the base value."""

    def __init__(self, name: str):
        super().__init__(Qt.Orientation.Horizontal, objectName=name)
        self.base_position: int | None = None
        # The handle is centred: room for the mark below it, clear of it at the base.
        self.setMinimumHeight(self.sizeHint().height() + 2 * (MARK_HEIGHT + MARK_GAP))

    def set_base(self, position: int | None) -> None:
        if position != self.base_position:
            self.base_position = position
            self.update()

    def mark_x(self) -> float | None:
        """Where the base mark is drawn, across the slider (None: no mark)."""
        if self.base_position is None:
            return None
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        style = self.style()
        groove = style.subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                      QStyle.SubControl.SC_SliderGroove, self)
        handle = style.subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                      QStyle.SubControl.SC_SliderHandle, self)
        span = groove.width() - handle.width()
        offset = QStyle.sliderPositionFromValue(self.minimum(), self.maximum(),
                                                self.base_position, span)
        return groove.left() + handle.width() / 2 + offset

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        x = self.mark_x()
        if x is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        color = QColor(self.palette().color(QPalette.ColorRole.Text))
        color.setAlphaF(0.55)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        bottom = self.height() - 1
        painter.drawPolygon(QPolygonF([QPointF(x, bottom - MARK_HEIGHT),
                                       QPointF(x - MARK_HALF_WIDTH, bottom),
                                       QPointF(x + MARK_HALF_WIDTH, bottom)]))
        painter.end()


class BaseCaseBar(QWidget):
    """"3 values differ from the base case", with Reset to base and Make these the base
    case; it follows the document."""

    def __init__(self, document: DocumentController, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.summary = plain_label()
        self.summary.setObjectName("base-case-summary")
        self.summary.setWordWrap(True)
        self.reset_button = QPushButton("Reset to base", objectName="reset-to-base")
        self.reset_button.setToolTip("Put every value that differs back to its base value"
                                     " (one step of Edit > Undo)")
        self.make_button = QPushButton("Make these the base case", objectName="make-base-case")
        self.make_button.setToolTip("Keep the values now as the base case: the file then"
                                    " holds them in place")
        for button in (self.reset_button, self.make_button):
            button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.reset_button.clicked.connect(document.scenario_edit.reset_to_base)
        self.make_button.clicked.connect(document.scenario_edit.make_base_case)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.make_button)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.summary)
        column.addLayout(buttons)
        document.document_reset.connect(self.refresh)
        document.tree_changed.connect(self._on_tree_changed)
        self.refresh()

    def _on_tree_changed(self, change: TreeChange) -> None:
        if change.fields & VALUE_FIELDS:
            self.refresh()

    def refresh(self) -> None:
        count = self.document.scenario_edit.differing().count()
        if count:
            self.summary.setText(f"{count} value{'s' * (count != 1)}"
                                 f" differ{'s' * (count == 1)} from the base case")
        else:
            self.summary.setText("All values are the base case")
        font = self.summary.font()
        font.setBold(bool(count))
        self.summary.setFont(font)
        self.reset_button.setEnabled(bool(count))
        self.make_button.setEnabled(bool(count))
