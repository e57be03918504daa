"""File > Import… and File > Export Data…: other tools' formats, through `interop`.

An import opens the converted tree as a new, unsaved document (after the usual question
about unsaved changes) and shows, in plain text, everything that was approximated or
not kept. The file is read and converted on a worker, as File > Open reads, with Cancel
in the status line: a SilverDecisions file of 100,000 nodes takes seconds.
"""
from __future__ import annotations

from pathlib import Path

from ... import interop
from ...interop import ConversionError, Report
from ...model import collector
from ...model.tree import Tree
from ..background_save import WorkerJob
from ..contributions import ActionSpec, Contributions, Place
from ..document import KEPT_OUT_FROM, DocumentController
from ..file_service import FileService
from ..prompts import Prompts
from ..status import UNKNOWN, StatusLine

IMPORT_FILTER = ("SilverDecisions files (*.json);;Gambit games (*.efg);;"
                 "All files (*)")
EXPORT_FILTERS = {".graphml": "GraphML (*.graphml)", ".dot": "Graphviz DOT (*.dot)",
                  ".csv": "CSV table, one row per node (*.csv)",
                  ".efg": "Gambit game (*.efg)"}
_IMPORT_FORMATS = {".efg": "gambit", ".json": "silverdecisions"}

#: A conversion's outcome: the tree and its report, or, for a SilverDecisions file of
#: several trees when none was picked, how many it holds.
Converted = tuple[Tree, Report] | int


class InteropFeature:
    name = "interop"

    def __init__(self, document: DocumentController, files: FileService, prompts: Prompts,
                 status: StatusLine):
        self.document = document
        self.files = files
        self.prompts = prompts
        self.status = status
        #: The conversion under way on a worker, if any.
        self.job: WorkerJob[Converted] | None = None
        self._imported = False
        status.cancel_requested.connect(self._cancel)

    def contributions(self) -> Contributions:
        return Contributions(actions=(
            ActionSpec("import", "&Import…", self.import_dialog, (Place("file", "1_open", 40),),
                       tip="Open a SilverDecisions file or a Gambit game as a new tree"),
            ActionSpec("export-data", "Export &Data…", self.export_dialog,
                       (Place("file", "2_export", 20),),
                       tip="Write the tree and its results as GraphML, DOT, CSV or a"
                       " Gambit game"),
        ))

    # ---- import ---------------------------------------------------------------------
    def import_dialog(self) -> bool:
        path = self.prompts.open_path("import", "Import a tree", "", IMPORT_FILTER)
        return path is not None and self.start_import(path)

    def import_file(self, path: Path) -> bool:
        """Convert `path` and show it as a new untitled document, returning once it is
        shown or refused (scripts, tests); False if nothing changed."""
        self._imported = False
        if not self.start_import(path):
            return False
        self.wait()
        return self._imported

    def wait(self) -> None:
        """Return once the file being imported (if any) is shown or refused."""
        while self.job is not None:  # (a second job when the user picks a tree)
            self.job.wait()

    def start_import(self, path: Path, index: int | None = None) -> bool:
        """Start converting `path` (its tree `index`; None: ask if it holds several) on
        a worker; it is shown when ready. False when the user kept the tree there is."""
        if self.job is not None:
            self.status.show("A file is still being imported: try again when it is open.",
                             5000)
            return False
        if index is None and not self.files.may_discard():
            return False
        fmt = _IMPORT_FORMATS.get(path.suffix.lower())
        revision = self.document.revision
        job: WorkerJob[Converted] = WorkerJob(lambda: _convert(path, fmt, index),
                                              "offramp-import", daemon=True)
        job.finished.connect(lambda: self._converted(job, path, revision))
        self.job = job
        text = f"Importing {path.name}…"
        self.status.show(text, 0)
        self.status.show_progress(text, UNKNOWN)  # (a conversion does not say how far it is)
        job.start()
        return True

    def _converted(self, job: WorkerJob[Converted], path: Path, revision: int) -> None:
        self.job = None
        self.status.end_progress()
        self.status.show("")
        if job.cancelled:
            self.status.show(f"Did not import {path.name}", 4000)
            return
        if isinstance(job.error, ConversionError):
            self.prompts.inform("Cannot import", f"{path.name} cannot be imported.\n"
                                + "\n".join(job.error.problems), icon="warning")
            return
        if job.error is not None:
            raise job.error
        assert job.result is not None
        if isinstance(job.result, int):
            number = self.prompts.number("import-tree", "Import a tree",
                                         f"This file holds {job.result} trees. Import tree:",
                                         1, 1, job.result)
            if number is not None:
                self.start_import(path, number - 1)
            return
        if self.document.revision != revision and not self.files.may_discard():
            return  # edited while the file was converted, and the user keeps the edits
        tree, report = job.result
        self.document.replace_tree(tree, None)
        self.document.mark_modified()  # an import is a new document that was never saved
        self._imported = True
        self._show(f"Imported {path.name}", report)

    def _cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def closed(self) -> None:
        self._cancel()

    # ---- export ---------------------------------------------------------------------
    def export_dialog(self) -> bool:
        stem = Path(self.document.path).stem if self.document.path else "tree"
        path = self.prompts.save_path("export-data", "Export data", Path(stem + ".csv"),
                                      EXPORT_FILTERS)
        return path is not None and self.export_file(path)

    def export_file(self, path: Path) -> bool:
        try:
            report = interop.write(self.document.tree, path)
        except ConversionError as error:
            self.prompts.inform("Cannot export", f"{path.name} was not written.\n"
                                + "\n".join(error.problems), icon="warning")
            return False
        self._show(f"Exported {path.name}", report)
        return True

    def _show(self, title: str, report: Report) -> None:
        losses = [f"Approximated: {line}" for line in report.approximated] + [
            f"Not kept: {line}" for line in report.dropped]
        self.status.show(title, 4000)
        if losses:
            self.prompts.inform(title, f"{title}.\n" + "\n".join(report.converted + losses))


def _format_for(path: Path, fmt: str | None) -> str | None:
    """A .json file is SilverDecisions unless it is offramp's own (read either way)."""
    if fmt == "silverdecisions" and not interop.is_silverdecisions(path):
        return None  # let `read` decide: offramp's own format, or a clear refusal
    return fmt



def _convert(path: Path, fmt: str | None, index: int | None) -> Converted:
    """On a worker: the tree of `path` and the report of its import; for a
    SilverDecisions file of several trees when `index` is None, how many it holds."""
    with collector.paused():  # (as when a file opens: a tree's worth of new objects)
        fmt = _format_for(path, fmt)
        if index is None and fmt == "silverdecisions":
            from ...interop.silverdecisions import load_document, trees_of
            try:
                count = len(trees_of(load_document(path)))
            except ConversionError:
                count = 1  # the import itself says what is wrong
            if count > 1:
                return count
        tree, report = interop.read(path, fmt, index or 0)
    if len(tree) >= KEPT_OUT_FROM:
        collector.keep_out()
    return tree, report
