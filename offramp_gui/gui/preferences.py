"""Preferences: how often unsaved work is copied aside for crash recovery, and where."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from .recovery_files import (
    MAX_SECONDS,
    autosave_seconds,
    folder_in_use,
    recovery_folder,
    set_autosave_seconds,
)


class PreferencesDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.autosave = QSpinBox(self)
        self.autosave.setObjectName("autosave-seconds")
        self.autosave.setRange(0, MAX_SECONDS)
        self.autosave.setSuffix(" s")
        self.autosave.setSpecialValueText("Off")
        self.autosave.setValue(autosave_seconds())
        self.autosave.setToolTip("How often unsaved changes are copied aside, so that they"
                                 " can be restored after a crash. 0 turns this off.")
        form = QFormLayout()
        form.addRow("&Autosave every:", self.autosave)
        folder = folder_in_use()
        text = f"Recovery copies are kept in {folder}"
        if folder != recovery_folder():
            text += f" (the usual folder, {recovery_folder()}, cannot be written)"
        self.folder = QLabel(text, self)
        self.folder.setObjectName("recovery-folder")
        self.folder.setTextFormat(Qt.TextFormat.PlainText)
        self.folder.setWordWrap(True)
        self.folder.setTextInteractionFlags(self.folder.textInteractionFlags()
                                            | Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.folder)
        layout.addWidget(buttons)

    def accept(self) -> None:
        set_autosave_seconds(self.autosave.value())
        super().accept()
