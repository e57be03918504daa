"""View > Number Format…: decimals, probabilities as percent or decimal, units; saved with
the tree (its "display", docs/format.md)."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..fileformat.schema import MAX_DECIMALS
from .commands import SetMetaCommand
from .document import DocumentController
from .format import NumberFormat

#: The decimals spin box's value that means "about three significant figures".
AUTOMATIC_DECIMALS = -1


class NumberFormatDialog(QDialog):
    def __init__(self, document: DocumentController, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.setWindowTitle("Number Format")
        style = NumberFormat.of(document.tree.display)
        self.decimals = QSpinBox(self)
        self.decimals.setObjectName("number-decimals")
        self.decimals.setRange(AUTOMATIC_DECIMALS, MAX_DECIMALS)
        self.decimals.setSpecialValueText("Automatic")
        self.decimals.setValue(AUTOMATIC_DECIMALS if style.decimals is None else style.decimals)
        self.decimals.setToolTip("Digits after the decimal point of every value and"
                                 " probability; Automatic shows about three significant"
                                 " figures.")
        self.percent = QRadioButton("&Percent (30%)", self)
        self.percent.setObjectName("number-percent")
        self.decimal = QRadioButton("&Decimal (0.3)", self)
        self.decimal.setObjectName("number-decimal")
        group = QButtonGroup(self)
        group.addButton(self.percent)
        group.addButton(self.decimal)
        (self.percent if style.percent else self.decimal).setChecked(True)
        probabilities = QHBoxLayout()
        probabilities.addWidget(self.percent)
        probabilities.addWidget(self.decimal)
        self.units = QCheckBox("Show each criterion's &unit after its values", self)
        self.units.setObjectName("number-units")
        self.units.setChecked(style.units)
        form = QFormLayout()
        form.addRow("D&ecimals:", self.decimals)
        form.addRow("Probabilities:", probabilities)
        form.addRow(self.units)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def chosen(self) -> NumberFormat:
        decimals = self.decimals.value()
        return NumberFormat(None if decimals == AUTOMATIC_DECIMALS else decimals,
                            self.percent.isChecked(), self.units.isChecked())

    def accept(self) -> None:
        tree = self.document.tree
        display = self.chosen().as_display()
        # The file's own keys (x-…) stay; an unchanged format is no edit.
        kept = {k: v for k, v in (tree.display or {}).items() if k.startswith("x-")}
        new = {**display, **kept} if display or kept else None
        if new != tree.display:
            self.document.push(SetMetaCommand(tree, "display", new, "Change number format"))
        super().accept()
