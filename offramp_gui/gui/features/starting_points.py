"""File > New from Template, File > Open Example and File > Reference Models: trees that
ship with offramp, each opened as an untitled copy (Save asks where to keep it)."""
from __future__ import annotations

from ...bundled import BundledTree, examples, reference_models, templates
from ..contributions import ActionSpec, Contributions, Place, SubmenuSpec
from ..file_service import FileService
from ..prompts import Prompts
from .files import OPEN

#: Canonical models with published results (trees/reference/), each opened as a copy.
REFERENCE_MENU = "file/reference"


class StartingPointsFeature:
    name = "starting-points"

    def __init__(self, files: FileService, prompts: Prompts):
        self.files = files
        self.prompts = prompts

    def contributions(self) -> Contributions:
        models = tuple(
            ActionSpec(f"reference-model-{number}", f"&{number} {model.title}",
                       lambda _p=model.path: self.files.open(_p, as_copy=True),
                       (Place(REFERENCE_MENU, "", number),), None, None, model.summary)
            for number, model in enumerate(reference_models(), 1))
        return Contributions(actions=(
            ActionSpec("new-from-template", "New from &Template…", self.new_from_template,
                       (Place("file", OPEN, 15),), "Ctrl+Shift+N", None,
                       "Start a new tree from a template"),
            ActionSpec("open-example", "Open &Example…", self.open_example,
                       (Place("file", OPEN, 35),), None, None,
                       "Open a copy of one of the trees that come with offramp"),
            *models,
        ), submenus=(
            SubmenuSpec(REFERENCE_MENU, "Reference &Models", (Place("file", OPEN, 36),)),
        ))

    def new_from_template(self) -> bool:
        return self._open_chosen("template", "New from Template",
                                 "Start a new tree from:", templates())

    def open_example(self) -> bool:
        return self._open_chosen("example", "Open Example",
                                 "Open a copy of an example tree:", examples())

    def _open_chosen(self, key: str, title: str, text: str,
                     trees: list[BundledTree]) -> bool:
        chosen = self.prompts.choose(key, title, text,
                                     [(tree.title, tree.summary) for tree in trees])
        if chosen is None:
            return False
        return self.files.open(trees[chosen].path, as_copy=True)
