"""File > Export Briefing…: the tree, its analyses and its assumptions as a PDF or a web
page to hand to a reader.

The tree is drawn as it is when asked; the analyses the briefing shows (the root's risk
profile, the tornado, the scenarios side by side when the document's arrays serve them)
are worked out on a worker thread, from the results and a copy of the settings, so the
window stays live, and so is the footer's digest of the text the tree would be saved as
(from a snapshot taken when asked); the pages are then painted on the window's thread
(Qt paints widgets there only), under a busy cursor.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QWidget

from ...analysis.briefing import Provenance, Section, briefing_comparison, briefing_sections
from ...analysis.scenarios import every_column, served_by
from ...model.tree import Settings
from ..background_save import WorkerJob
from ..briefing import DRAWN_UP_TO, provenance_to_come, write_briefing
from ..briefing_dialog import BriefingDialog
from ..contributions import ActionSpec, Contributions, Place
from ..document import DocumentController
from ..export import build_scene
from ..prompts import Prompts
from ..scene.tree_scene import TreeScene
from ..status import StatusLine


class BriefingFeature:
    name = "briefing"

    def __init__(self, document: DocumentController, prompts: Prompts, status: StatusLine,
                 offer_in_status: Callable[[str, str, Callable[[], object]], None]):
        self.document = document
        self.prompts = prompts
        self.status = status
        self.offer_in_status = offer_in_status
        self._job: WorkerJob[tuple[list[Section], Provenance]] | None = None

    def contributions(self) -> Contributions:
        return Contributions(actions=(ActionSpec(
            "export-briefing", "Export &Briefing…", self.export_briefing,
            (Place("file", "2_export", 30),), "Ctrl+Shift+B", None,
            "Write a briefing: the tree with its solved path, its analyses and its"
            " assumptions, as PDF or a web page"),))

    def export_briefing(self) -> None:
        self.prompts.run(self._dialog)

    def _dialog(self, parent: QWidget | None) -> BriefingDialog:
        dialog = BriefingDialog(self.document, self.prompts, parent)
        dialog.requested.connect(self.start)
        return dialog

    def start(self, path: Path, page: str = "a4", landscape: bool = False) -> None:
        """Make the briefing of the tree as it is now and write it to `path`."""
        if self._job is not None:
            self.status.show("A briefing is still being made: try again when it is written.",
                             5000)
            return
        document = self.document
        document.recompute()  # (an edit just made has its results a moment later)
        results = document.results
        scene = build_scene(document, titled=False, results=results, most=DRAWN_UP_TO)
        provenance = provenance_to_come(document)
        settings = Settings()
        settings.copy_settings_from(document.tree)  # (edits replace these, never change them)
        flat = document.current_shape()
        # The scenarios are solved on the worker when the arrays serve them all; else
        # here, since they read the nodes, which edits change in place.
        apart = served_by(flat, settings, every_column(settings))
        comparison = None if apart else briefing_comparison(document.tree, flat=flat)

        def sections() -> list[Section]:
            compared = briefing_comparison(settings, flat=flat) if apart else comparison
            return briefing_sections(settings, results, compared)
        self.status.show(f"Making the briefing {path.name}…")
        job: WorkerJob[tuple[list[Section], Provenance]] = WorkerJob(
            lambda: (sections(), provenance()), "offramp-briefing", daemon=True)
        job.finished.connect(lambda: self._write(job, path, scene, page, landscape))
        self._job = job
        job.start()

    def _write(self, job: WorkerJob[tuple[list[Section], Provenance]], path: Path,
               scene: TreeScene, page: str, landscape: bool) -> None:
        self._job = None
        try:
            if job.error is not None or job.result is None:
                if not job.cancelled:
                    self._failed(path, job.error)
                return
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                sections, provenance = job.result
                write_briefing(path, sections, scene, provenance, page, landscape)
            finally:
                QApplication.restoreOverrideCursor()
        except (OSError, ValueError, MemoryError) as error:
            self._failed(path, error)
            return
        finally:
            scene.clear()
        folder = path.resolve().parent
        self.offer_in_status(f"Exported the briefing {path.name}", "Open Folder",
                             lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))

    def _failed(self, path: Path, error: BaseException | None) -> None:
        self.status.show("")
        self.prompts.error("Export failed", f"The briefing could not be written to {path}."
                           f"\n\n{str(error) or type(error).__name__}")

    def wait(self) -> None:
        """Return once the briefing asked for (if any) is written (scripts, tests)."""
        if self._job is not None:
            self._job.wait()

    def closed(self) -> None:
        if self._job is not None:
            self._job.cancel()
