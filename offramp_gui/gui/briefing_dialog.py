"""BriefingDialog: where to write the briefing, as PDF or HTML, on which paper.

It only asks: the Export Briefing feature makes the file once the dialog is accepted
(`requested`). The choices (format, paper, orientation) are remembered for next time."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .briefing import FORMATS, PAGES
from .prompts import Prompts

if TYPE_CHECKING:
    from .document import DocumentController

FILTERS = {".pdf": "PDF document (*.pdf)", ".html": "Web page (*.html *.htm)"}
FORMAT_NAMES = {".pdf": "PDF document", ".html": "Web page (HTML, one file)"}
PAGE_NAMES = {"a4": "A4", "letter": "Letter"}
_SETTINGS = "export-briefing"


def _setting(name: str, default: str, allowed: tuple[str, ...]) -> str:
    value = QSettings().value(f"{_SETTINGS}/{name}", default)
    return value if value in allowed else default


class BriefingDialog(QDialog):
    #: The file to write, the paper ("a4", "letter") and whether it is turned sideways.
    requested = Signal(object, str, bool)

    def __init__(self, document: DocumentController, prompts: Prompts,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.prompts = prompts
        self.setWindowTitle("Export Briefing")
        self.last_error: str | None = None
        self.format = QComboBox()
        for kind in FORMATS:
            self.format.addItem(FORMAT_NAMES[kind], kind)
        self.format.setCurrentIndex(self.format.findData(_setting("format", ".pdf", FORMATS)))
        self.file = QLineEdit(str(self._default_path(self.format.currentData())))
        self.file.textChanged.connect(self._follow_name)
        self.format.currentIndexChanged.connect(self._rename)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self.browse)
        self.page = QComboBox()
        for page in PAGES:
            self.page.addItem(PAGE_NAMES[page], page)
        self.page.setCurrentIndex(self.page.findData(_setting("page", "a4", PAGES)))
        self.orientation = QComboBox()
        self.orientation.addItems(["Portrait", "Landscape"])
        self.orientation.setCurrentIndex(
            int(_setting("orientation", "portrait", ("portrait", "landscape")) == "landscape"))
        self._build_layout(browse)

    def _build_layout(self, browse: QPushButton) -> None:
        what = QLabel("The title, the result in brief and the sources; the tree with its"
                      " solved path; the reasoning in words; what each alternative leads"
                      " to, its risk profile and the tornado; the assumptions; the"
                      " scenarios compared, when the tree has some.")
        what.setWordWrap(True)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file, 1)
        file_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("Format:", self.format)
        form.addRow("File:", file_row)
        form.addRow("Paper:", self.page)
        form.addRow("Orientation:", self.orientation)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self._on_ok)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(what)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def _default_path(self, kind: str) -> Path:
        path = self.document.path
        if path is not None:
            return Path(path).with_name(f"{Path(path).stem}-briefing{kind}")
        return (self.prompts.last_folder(_SETTINGS) or Path.home()) / f"briefing{kind}"

    def _rename(self) -> None:
        """A format chosen: the file's name takes its extension."""
        text = self.file.text().strip()
        if text:
            kind = self.format.currentData()
            if Path(text).suffix.lower() not in (kind, ".htm" if kind == ".html" else kind):
                self.file.setText(str(Path(text).with_suffix(kind)))

    def _follow_name(self, text: str) -> None:
        """A name typed with another extension: the format follows it."""
        suffix = Path(text.strip()).suffix.lower()
        index = self.format.findData(".html" if suffix == ".htm" else suffix)
        if index >= 0 and index != self.format.currentIndex():
            self.format.setCurrentIndex(index)

    def browse(self) -> None:
        current = Path(self.file.text().strip() or self._default_path(self.format.currentData()))
        path = self.prompts.save_path(_SETTINGS, "Export Briefing", current, FILTERS,
                                      strict_suffix=True)
        if path is not None:
            self.file.setText(str(path))

    def _on_ok(self) -> None:
        if self.export():
            self.accept()

    def export(self) -> bool:
        """Ask for the briefing to be written; on a name that cannot be one, say why
        (and return False)."""
        target = self.file.text().strip()
        if not target:
            return self._fail("Choose a file to write the briefing to.")
        path = Path(target)
        if not path.suffix:
            path = path.with_suffix(self.format.currentData())
        if path.suffix.lower() not in (*FORMATS, ".htm"):
            return self._fail(f"A briefing is written as PDF or HTML: the file name must end"
                              f" in .pdf or .html, not {path.suffix}.")
        if not path.parent.is_dir():
            return self._fail(f"The folder {path.parent} does not exist.")
        landscape = self.orientation.currentIndex() == 1
        self.last_error = None
        settings = QSettings()
        settings.setValue(f"{_SETTINGS}/format", self.format.currentData())
        settings.setValue(f"{_SETTINGS}/page", self.page.currentData())
        settings.setValue(f"{_SETTINGS}/orientation", "landscape" if landscape else "portrait")
        self.prompts.remember_folder(_SETTINGS, path.resolve().parent)
        self.requested.emit(path, self.page.currentData(), landscape)
        return True

    def _fail(self, message: str) -> bool:
        self.last_error = message
        self.prompts.error("Export failed", message)
        return False
