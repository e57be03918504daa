"""ExportDialog: what to draw (whole tree or the selected branch), where, and how.

The choices (whole tree or branch, unfolding, PDF page) are remembered for next time."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from .export import MAX_SCALE, MIN_SCALE, PAGES, export_tree
from .prompts import Prompts
from .text import shown

if TYPE_CHECKING:
    from .document import DocumentController

FILTERS = {".png": "PNG image (*.png)", ".svg": "SVG drawing (*.svg)",
           ".pdf": "PDF document (*.pdf)"}
PAGE_NAMES = {"natural": "The drawing's own size", "a4": "A4, fitted to one page",
              "letter": "Letter, fitted to one page"}
_SETTINGS = "export-image"


def _setting(name: str, default: str) -> str:
    value = QSettings().value(f"{_SETTINGS}/{name}", default)
    return value if isinstance(value, str) else default


class ExportDialog(QDialog):
    #: The file just written.
    exported = Signal(object)

    def __init__(self, document: DocumentController, prompts: Prompts,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.prompts = prompts
        self.setWindowTitle("Export Tree")
        self.last_error: str | None = None
        self.whole = QRadioButton("The whole tree")
        self.branch = QRadioButton(self._branch_text())
        self._scope = QButtonGroup(self)
        for button in (self.whole, self.branch):
            self._scope.addButton(button)
        selected = document.selected_id
        self.branch.setEnabled(selected is not None and selected != document.tree.root.id)
        wants_branch = _setting("draw", "whole") == "branch" and self.branch.isEnabled()
        (self.branch if wants_branch else self.whole).setChecked(True)
        self.file = QLineEdit(str(self._default_path()))
        self.file.textChanged.connect(self._update_enabled)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self.browse)
        self.scale = QSpinBox()
        self.scale.setRange(MIN_SCALE, MAX_SCALE)
        self.scale.setSuffix("×")
        self.background = QComboBox()
        self.background.addItems(["White", "Transparent"])
        self.expanded = QCheckBox("Unfold folded branches")
        self.expanded.setChecked(_setting("unfold", "no") == "yes")
        self.page = QComboBox()
        for page in PAGES:
            self.page.addItem(PAGE_NAMES[page], page)
        self.page.setCurrentIndex(max(0, self.page.findData(_setting("page", "natural"))))
        self.page.currentIndexChanged.connect(self._update_enabled)
        self.orientation = QComboBox()
        self.orientation.addItems(["Portrait", "Landscape"])
        self.orientation.setCurrentIndex(int(_setting("orientation", "portrait") == "landscape"))
        self._build_layout(browse)
        self._update_enabled()

    # ---- layout ---------------------------------------------------------------------
    def _build_layout(self, browse: QPushButton) -> None:
        file_row = QHBoxLayout()
        file_row.addWidget(self.file, 1)
        file_row.addWidget(browse)
        scope = QVBoxLayout()
        scope.addWidget(self.whole)
        scope.addWidget(self.branch)
        form = QFormLayout()
        form.addRow("Draw:", scope)
        form.addRow("File:", file_row)
        form.addRow("PNG scale:", self.scale)
        form.addRow("PNG background:", self.background)
        form.addRow("PDF page:", self.page)
        form.addRow("PDF orientation:", self.orientation)
        form.addRow("", self.expanded)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self._on_ok)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def _branch_text(self) -> str:
        node = self.document.selected_node
        if node is None:
            return "The selected branch (select a node first)"
        name = shown(node.branch or node.name or node.id, 32)
        return f"The selected branch: {name}"

    def _default_path(self) -> Path:
        path = self.document.path
        if path is not None:
            return Path(path).with_suffix(".png")
        return (self.prompts.last_folder("export-image") or Path.home()) / "tree.png"

    def _update_enabled(self) -> None:
        suffix = Path(self.file.text().strip()).suffix.lower()
        self.scale.setEnabled(suffix in ("", ".png"))
        self.background.setEnabled(suffix in ("", ".png"))
        self.page.setEnabled(suffix == ".pdf")
        self.orientation.setEnabled(suffix == ".pdf" and self.page.currentData() != "natural")

    # ---- actions --------------------------------------------------------------------
    def browse(self) -> None:
        current = Path(self.file.text().strip() or self._default_path())
        path = self.prompts.save_path("export-image", "Export Tree", current, FILTERS,
                                      strict_suffix=True)
        if path is not None:
            self.file.setText(str(path))

    def _on_ok(self) -> None:
        if self.export():
            self.accept()

    def export(self, path: str | Path | None = None) -> bool:
        """Write the file; on failure show why (and return False) rather than raise."""
        target = str(path if path is not None else self.file.text()).strip()
        if not target:
            return self._fail("Choose a file to export to.")
        if not Path(target).suffix:
            target += ".png"
        node_id = self.document.selected_id if self.branch.isChecked() else None
        landscape = self.orientation.currentIndex() == 1
        try:
            export_tree(self.document, target, node_id=node_id, scale=self.scale.value(),
                        transparent=self.background.currentIndex() == 1,
                        expanded=self.expanded.isChecked(), page=self.page.currentData(),
                        landscape=landscape)
        except (OSError, ValueError, MemoryError) as error:
            return self._fail(f"The tree could not be exported to {target}.\n\n"
                              f"{str(error) or type(error).__name__}")
        self.last_error = None
        self._remember(Path(target), landscape)
        self.exported.emit(Path(target))
        return True

    def _remember(self, target: Path, landscape: bool) -> None:
        settings = QSettings()
        settings.setValue(f"{_SETTINGS}/draw", "branch" if self.branch.isChecked() else "whole")
        settings.setValue(f"{_SETTINGS}/unfold", "yes" if self.expanded.isChecked() else "no")
        settings.setValue(f"{_SETTINGS}/page", self.page.currentData())
        settings.setValue(f"{_SETTINGS}/orientation", "landscape" if landscape else "portrait")
        self.prompts.remember_folder("export-image", target.resolve().parent)

    def _fail(self, message: str) -> bool:
        self.last_error = message
        self.prompts.error("Export failed", message)
        return False
