"""The status line as a service: features post messages, the shell shows them."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class StatusLine(QObject):
    #: A message to show, and for how many milliseconds (0: until the next one).
    posted = Signal(str, int)

    def show(self, text: str, milliseconds: int = 0) -> None:
        self.posted.emit(text, milliseconds)
