"""Help > About: the version, and the sources of the tree in view."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from ... import __version__
from ..contributions import ActionSpec, Contributions, Place
from ..document import DocumentController
from ..icons import app_icon
from ..prompts import Prompts
from ..text import shown


class HelpFeature:
    name = "help"

    def __init__(self, document: DocumentController, prompts: Prompts):
        self.document = document
        self.prompts = prompts

    def contributions(self) -> Contributions:
        return Contributions(actions=(ActionSpec(
            "about", "&About offramp", self.about, (Place("help", "1_about", 10),),
            tip="Version, and the sources of this tree"),))

    def about_text(self) -> str:
        tree = self.document.tree
        sources = [", ".join(str(s[k]) for k in ("title", "author", "publisher", "year")
                             if s.get(k)) for s in tree.sources or []]
        return (f"offramp {__version__}\nA decision-tree explorer for choices under"
                f" escalation risk.\n\nThis tree: {shown(tree.title, 200)}\n"
                + ("Sources:\n" + "\n".join(f"  • {shown(s, 300)}" for s in sources)
                   if sources else "This tree names no sources."))

    def about(self) -> None:
        self.prompts.run(lambda parent: _about_box(self.about_text(), parent))


def _about_box(text: str, parent: QWidget | None) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Information, "About offramp", text,
                      QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setIconPixmap(app_icon().pixmap(64, 64))
    return box
