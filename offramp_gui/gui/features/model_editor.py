"""The model editor: a dock that defines the tree's players, criteria, outcomes,
variables, title, description and sources (panels/model_editor.py)."""
from __future__ import annotations

from PySide6.QtCore import Qt

from ..contributions import ActionSpec, Contributions, DockSpec, Place, reveal
from ..document import DocumentController
from ..panels.model_editor import ModelEditor
from ..prompts import Prompts

WHATS_THIS = ("<b>Model</b> defines what the tree is about, in tabs: players, criteria,"
              " outcome categories, variables, and the tree's title and sources. Renaming"
              " something rewrites every place that uses it, in one undo step.")


class ModelEditorFeature:
    name = "model-editor"

    def __init__(self, document: DocumentController, prompts: Prompts):
        self.editor = ModelEditor(document, prompts)

    def contributions(self) -> Contributions:
        return Contributions(
            actions=(ActionSpec("edit-model", "&Model…", lambda: reveal(self.editor),
                                (Place("edit", "8_model", 10),), None, None,
                                "Players, criteria, outcomes, variables and sources"),),
            docks=(DockSpec("model", "&Model", self.editor,
                            Qt.DockWidgetArea.RightDockWidgetArea, 35,
                            tabify_with="weights", whats_this=WHATS_THIS),))
