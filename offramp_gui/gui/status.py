"""The status line as a service: features post messages, the shell shows them."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QSizePolicy, QWidget

#: Messages about the tree's current problems: withdrawn when there are none.
PROBLEMS = "problems"
#: Messages saying how many nodes the folds show: withdrawn when a fold changes.
FOLDS = "folds"
#: The progress of a task that cannot tell how far it is.
UNKNOWN = -1.0


class StatusLine(QObject):
    #: A message to show, and for how many milliseconds (0: until the next one).
    posted = Signal(str, int)
    #: A task under way (opening a file): its text and how much of it is done (0 to 1;
    #: below 0, not known).
    progressed = Signal(str, float)
    #: The task under way ended.
    progress_ended = Signal()
    #: The user asked to stop the task under way.
    cancel_requested = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        #: What the message shown until the next one is about, while no other came.
        self._lasting_about = ""

    def show(self, text: str, milliseconds: int = 0, about: str = "") -> None:
        """Show `text`; a lasting message `about` something can be withdrawn."""
        self._lasting_about = about if milliseconds == 0 else ""
        self.posted.emit(text, milliseconds)

    def withdraw(self, about: str) -> None:
        """Clear the message about `about` if it is still shown: it is no longer true."""
        if about and about == self._lasting_about:
            self.show("")

    def show_progress(self, text: str, done: float) -> None:
        """Show a task under way: a progress bar and a Cancel button (the message is
        the task's to post). `done` UNKNOWN: how far it is cannot be told (the bar
        shows that it is busy)."""
        self.progressed.emit(text, done)

    def end_progress(self) -> None:
        self.progress_ended.emit()


class ProgressIndicator(QWidget):
    """The status line's progress bar and Cancel button, shown while a task runs."""

    def __init__(self, status: StatusLine, parent: QWidget | None = None):
        super().__init__(parent)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("progress")
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setFixedWidth(200)
        self.cancel = QPushButton("Cancel", self)
        self.cancel.setObjectName("progress-cancel")
        self.cancel.clicked.connect(status.cancel_requested)
        # (else the status line gives it all the room its message leaves)
        self.cancel.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addStretch(1)  # (the bar and its button together, at the right)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel)
        status.progressed.connect(self._show)
        status.progress_ended.connect(self.hide)
        self.hide()

    def _show(self, text: str, done: float) -> None:
        self.bar.setRange(0, 0 if done < 0 else 1000)
        self.bar.setValue(round(1000 * min(1.0, max(0.0, done))))
        self.bar.setToolTip(text)
        self.show()
