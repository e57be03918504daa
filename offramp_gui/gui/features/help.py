"""The Help menu: Getting Started (a short tour), Keyboard Shortcuts (made from the
window's actions), the User Manual (shipped with the package), What's This, and About."""
from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox, QWhatsThis, QWidget

from ... import __version__
from ...bundled import MANUAL_PAGES, manual_page
from ..contributions import ActionSpec, Contributions, Place
from ..document import DocumentController
from ..help_views import ManualDialog, ShortcutsDialog, TourDialog
from ..icons import app_icon
from ..prompts import Prompts
from ..text import shown

QKey = QKeySequence.StandardKey


class HelpFeature:
    name = "help"

    def __init__(self, document: DocumentController, prompts: Prompts,
                 actions: Mapping[str, QAction]):
        self.document = document
        self.prompts = prompts
        self.actions = actions  # complete once the window is built: read it when asked

    def contributions(self) -> Contributions:
        guide = "0_guide"
        return Contributions(actions=(
            ActionSpec("getting-started", "&Getting Started", self.getting_started,
                       (Place("help", guide, 10),), tip="A short tour: open, read, change,"
                       " analyse, export"),
            ActionSpec("keyboard-shortcuts", "&Keyboard Shortcuts", self.keyboard_shortcuts,
                       (Place("help", guide, 20),), tip="Every key of every command"),
            ActionSpec("user-manual", "&User Manual", self.user_manual,
                       (Place("help", guide, 30),), QKey.HelpContents,
                       tip="The guide, the file format and the command line"),
            ActionSpec("whats-this", "What's &This?", lambda: None, (Place("help", guide, 40),),
                       make=QWhatsThis.createAction),
            ActionSpec("about", "&About offramp", self.about, (Place("help", "1_about", 10),),
                       tip="Version, and the sources of this tree"),
        ))

    def getting_started(self) -> None:
        self.prompts.run(TourDialog)

    def keyboard_shortcuts(self) -> None:
        self.prompts.run(lambda parent: ShortcutsDialog(self.actions, parent))

    def user_manual(self) -> None:
        pages = [(title, manual_page(name)) for title, name in MANUAL_PAGES]
        self.prompts.run(lambda parent: ManualDialog(pages, parent))

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
