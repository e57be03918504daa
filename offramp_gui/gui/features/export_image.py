"""File > Export Image…: the tree or the selected branch as PNG, SVG or PDF."""
from __future__ import annotations

from ..contributions import CANVAS_MENU, NODE_MENU, TOOLBAR, ActionSpec, Contributions, Place
from ..document import DocumentController
from ..export_dialog import ExportDialog
from ..prompts import Prompts


class ExportImageFeature:
    name = "export-image"

    def __init__(self, document: DocumentController, prompts: Prompts):
        self.document = document
        self.prompts = prompts

    def contributions(self) -> Contributions:
        return Contributions(actions=(ActionSpec(
            "export", "&Export Image…", self.export_image,
            (Place("file", "2_export", 10), Place(TOOLBAR, "6_export", 10),
             Place(NODE_MENU, "4_export", 10), Place(CANVAS_MENU, "2_export", 10)),
            "Ctrl+E", "export", "Draw the tree or the selected branch as PNG, SVG or PDF"),))

    def export_image(self) -> None:
        self.prompts.run(lambda parent: ExportDialog(self.document, self.prompts, parent))
