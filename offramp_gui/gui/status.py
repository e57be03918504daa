"""The status line as a service: features post messages, the shell shows them."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

#: Messages about the tree's current problems: withdrawn when there are none.
PROBLEMS = "problems"


class StatusLine(QObject):
    #: A message to show, and for how many milliseconds (0: until the next one).
    posted = Signal(str, int)

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
