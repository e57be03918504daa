"""File > Import… and File > Export Data…: other tools' formats, through `interop`.

An import opens the converted tree as a new, unsaved document (after the usual question
about unsaved changes) and shows, in plain text, everything that was approximated or
not kept.
"""
from __future__ import annotations

from pathlib import Path

from ... import interop
from ...interop import ConversionError, Report
from ..contributions import ActionSpec, Contributions, Place
from ..document import DocumentController
from ..file_service import FileService
from ..prompts import Prompts
from ..status import StatusLine

IMPORT_FILTER = ("SilverDecisions files (*.json);;Gambit games (*.efg);;"
                 "All files (*)")
EXPORT_FILTERS = {".graphml": "GraphML (*.graphml)", ".dot": "Graphviz DOT (*.dot)",
                  ".csv": "CSV table, one row per node (*.csv)",
                  ".efg": "Gambit game (*.efg)"}
_IMPORT_FORMATS = {".efg": "gambit", ".json": "silverdecisions"}


class InteropFeature:
    name = "interop"

    def __init__(self, document: DocumentController, files: FileService, prompts: Prompts,
                 status: StatusLine):
        self.document = document
        self.files = files
        self.prompts = prompts
        self.status = status

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
        return path is not None and self.import_file(path)

    def import_file(self, path: Path) -> bool:
        """Convert `path` and show it as a new untitled document; False if nothing changed."""
        fmt = _IMPORT_FORMATS.get(path.suffix.lower())
        index = self._tree_index(path, fmt)
        if index is None or not self.files.may_discard():
            return False
        try:
            tree, report = interop.read(path, _format_for(path, fmt), index)
        except ConversionError as error:
            self.prompts.inform("Cannot import", f"{path.name} cannot be imported.\n"
                                + "\n".join(error.problems), icon="warning")
            return False
        self.document.replace_tree(tree, None)
        self.document.mark_modified()  # an import is a new document that was never saved
        self._show(f"Imported {path.name}", report)
        return True

    def _tree_index(self, path: Path, fmt: str | None) -> int | None:
        if _format_for(path, fmt) != "silverdecisions":
            return 0
        from ...interop.silverdecisions import load_document, trees_of
        try:
            count = len(trees_of(load_document(path)))
        except ConversionError:
            return 0  # the import itself says what is wrong
        if count <= 1:
            return 0
        number = self.prompts.number("import-tree", "Import a tree",
                                     f"This file holds {count} trees. Import tree:", 1, 1, count)
        return None if number is None else number - 1

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

