"""Linked subtrees: make a template of a subtree, detach a use, go to a use's template
(docs/format.md, "Templates")."""
from __future__ import annotations

from collections.abc import Callable

from ...model.templates import template_name, used_template
from ..contributions import NODE_MENU, ActionSpec, Contributions, Place
from ..document import DocumentController
from ..edits import EditRefused
from ..prompts import Prompts

GROUP = "4_template"


class TemplatesFeature:
    name = "templates"

    def __init__(self, document: DocumentController, prompts: Prompts):
        self.document = document
        self.prompts = prompts

    def contributions(self) -> Contributions:
        return Contributions(actions=(
            ActionSpec("make-template", "Make &Template…", self._selected(self.make_template),
                       (Place("edit", GROUP, 10), Place(NODE_MENU, GROUP, 10)), None, None,
                       "Make the selected subtree a template, to be used at other places",
                       self._may_become_template),
            ActionSpec("detach-use", "De&tach Use", self._selected(self.detach),
                       (Place("edit", GROUP, 20), Place(NODE_MENU, GROUP, 20)), None, None,
                       "Turn the selected use of a template into ordinary nodes",
                       self._use_selected),
            ActionSpec("go-to-template", "&Go to Template", self._selected(self.go_to_template),
                       (Place("edit", GROUP, 30), Place(NODE_MENU, GROUP, 30)), None, None,
                       "Select the master of the selected use's template",
                       self._use_selected),
        ))

    def _selected(self, operation: Callable[[str], None]) -> Callable[[], None]:
        def run() -> None:
            node_id = self.document.selected_id
            if node_id is None:
                return
            try:
                operation(node_id)
            except EditRefused as refusal:
                self.prompts.error("Cannot change the template", f"{refusal}.")
        return run

    def _may_become_template(self) -> bool:
        node = self.document.selected_node
        return node is not None and bool(node.children) and node.use is None and (
            template_name(node) is None and self.document.edit.refusal(node.id) is None)

    def _use_selected(self) -> bool:
        node = self.document.selected_node
        return node is not None and used_template(node) is not None

    def make_template(self, node_id: str) -> None:
        tree = self.document.tree
        node = tree.node(node_id)
        taken = set(tree.links.masters) if tree.links else set()
        name = self.prompts.text("template-name", "Make Template",
                                 "Name of the template:", node.name or node.branch or "")
        if name is None:
            return
        name = name.strip()
        if not name:
            raise EditRefused("a template needs a name")
        if name in taken:
            raise EditRefused(f"there is already a template “{name}”")
        variables = [v.name for v in tree.variables or []]
        parameters: list[str] = []
        if variables:
            ticked = self.prompts.tick(
                "template-parameters", "Template Parameters",
                f"Tick the variables each use of “{name}” may give a value of its own:",
                variables, [])
            if ticked is None:
                return
            parameters = ticked
        self.document.edit.make_template(node_id, name, parameters)

    def detach(self, node_id: str) -> None:
        self.document.edit.detach(node_id)

    def go_to_template(self, node_id: str) -> None:
        tree = self.document.tree
        name = used_template(tree.node(node_id))
        master = tree.links.masters.get(name or "") if tree.links else None
        if master is None:
            raise EditRefused(f"there is no template “{name}”")
        self.document.select(master)
