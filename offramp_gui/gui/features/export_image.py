"""File > Export Image…: the tree or the selected branch as PNG, SVG or PDF."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from ..contributions import CANVAS_MENU, NODE_MENU, TOOLBAR, ActionSpec, Contributions, Place
from ..document import DocumentController
from ..export_dialog import ExportDialog
from ..prompts import Prompts


class ExportImageFeature:
    name = "export-image"

    def __init__(self, document: DocumentController, prompts: Prompts,
                 offer_in_status: Callable[[str, str, Callable[[], object]], None]):
        self.document = document
        self.prompts = prompts
        self.offer_in_status = offer_in_status

    def contributions(self) -> Contributions:
        return Contributions(actions=(ActionSpec(
            "export", "&Export Image…", self.export_image,
            (Place("file", "2_export", 10), Place(TOOLBAR, "6_export", 10),
             Place(NODE_MENU, "4_export", 10), Place(CANVAS_MENU, "2_export", 10)),
            "Ctrl+E", "export", "Draw the tree or the selected branch as PNG, SVG or PDF"),))

    def export_image(self) -> None:
        self.prompts.run(self._dialog)

    def _dialog(self, parent: QWidget | None) -> ExportDialog:
        dialog = ExportDialog(self.document, self.prompts, parent)
        dialog.exported.connect(self._confirm)
        return dialog

    def _confirm(self, path: Path) -> None:
        folder = path.resolve().parent
        self.offer_in_status(f"Exported {path.name}", "Open Folder",
                             lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))
