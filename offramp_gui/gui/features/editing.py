"""Edit menu: undo and redo, the clipboard, and the edits of the tree's shape."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from ...model.tree import CHANCE, DECISION, TERMINAL
from ..contributions import NODE_MENU, TOOLBAR, ActionSpec, Contributions, Place, SubmenuSpec
from ..document import DocumentController
from ..edits import EditRefused
from ..prompts import Prompts
from ..scene.drag import Drop
from ..view import TreeView

Key = QKeySequence.StandardKey
TYPE_MENU = "edit/type"


class EditingFeature:
    name = "editing"

    def __init__(self, document: DocumentController, canvas: TreeView, prompts: Prompts):
        self.document = document
        self.canvas = canvas
        self.prompts = prompts
        canvas.tree_scene.drag.dropped.connect(self._drop)

    def contributions(self) -> Contributions:
        edit, selected = self.document.edit, self._on_selected
        child, node = self._child_selected, self._node_selected
        return Contributions(actions=(
            ActionSpec("undo", "&Undo", lambda: None, (Place("edit", "1_undo", 10),
                                                       Place(TOOLBAR, "2_undo", 10)),
                       Key.Undo, "undo", make=self._undo_action(True)),
            ActionSpec("redo", "&Redo", lambda: None, (Place("edit", "1_undo", 20),
                                                       Place(TOOLBAR, "2_undo", 20)),
                       Key.Redo, "redo", make=self._undo_action(False)),
            ActionSpec("cut", "Cu&t", selected(edit.cut), (Place("edit", "2_clip", 10),
                                                           Place(NODE_MENU, "2_clip", 10)),
                       Key.Cut, None, "Cut the selected branch", child),
            ActionSpec("copy", "&Copy", selected(edit.copy), (Place("edit", "2_clip", 20),
                                                              Place(NODE_MENU, "2_clip", 20)),
                       Key.Copy, None, "Copy the selected branch", node),
            ActionSpec("paste", "&Paste", selected(self._paste),
                       (Place("edit", "2_clip", 30), Place(NODE_MENU, "2_clip", 30)),
                       Key.Paste, None, "Paste a copied branch under the selected node", node),
            ActionSpec("delete", "&Delete Branch", selected(edit.delete),
                       (Place("edit", "2_clip", 40), Place(TOOLBAR, "3_shape", 30),
                        Place(NODE_MENU, "2_clip", 40)),
                       Key.Delete, "delete", "Delete the selected branch and everything below it",
                       child),
            ActionSpec("rename", "Re&name Branch", selected(self.canvas.start_rename),
                       (Place("edit", "3_shape", 10), Place(NODE_MENU, "1_shape", 10)),
                       "F2", None, "Edit the label of the selected branch", child),
            ActionSpec("add-child", "Add &Branch", selected(self._add_child),
                       (Place("edit", "3_shape", 20), Place(TOOLBAR, "3_shape", 10),
                        Place(NODE_MENU, "1_shape", 20)),
                       "Insert", "add-child", "Add a branch below the selected node", node),
            ActionSpec("add-sibling", "Add &Sibling", selected(self._add_sibling),
                       (Place("edit", "3_shape", 30), Place(TOOLBAR, "3_shape", 20),
                        Place(NODE_MENU, "1_shape", 30)),
                       "Ctrl+Insert", "add-sibling", "Add a branch next to the selected one",
                       child),
            ActionSpec("insert-node", "&Insert Node", selected(self._insert_node),
                       (Place("edit", "3_shape", 35), Place(NODE_MENU, "1_shape", 35)),
                       None, None, "Put a new chance node on the selected node's branch,"
                       " above it", child),
            ActionSpec("move-up", "Move &Up", selected(lambda i: edit.move(i, -1)),
                       (Place("edit", "3_shape", 40), Place(TOOLBAR, "3_shape", 40),
                        Place(NODE_MENU, "3_move", 10)),
                       "Alt+Up", "move-up", "Move the selected branch up", child),
            ActionSpec("move-down", "Move Do&wn", selected(lambda i: edit.move(i, 1)),
                       (Place("edit", "3_shape", 50), Place(TOOLBAR, "3_shape", 50),
                        Place(NODE_MENU, "3_move", 20)),
                       "Alt+Down", "move-down", "Move the selected branch down", child),
            *(ActionSpec(f"type-{kind}", words,
                         selected(lambda i, k=kind: edit.change_type(i, k)),
                         (Place(TYPE_MENU, "", order),), key, kind,
                         f"Make the selected node a {kind} node", node)
              for order, (kind, words, key) in enumerate((
                  (DECISION, "&Decision", "Ctrl+1"), (CHANCE, "&Chance", "Ctrl+2"),
                  (TERMINAL, "&Terminal", "Ctrl+3")))),
        ), submenus=(
            SubmenuSpec(TYPE_MENU, "Change &Type", (Place("edit", "3_shape", 60),
                                                    Place(NODE_MENU, "1_shape", 40))),
        ))

    def _undo_action(self, undo: bool) -> Callable[[QObject], QAction]:
        stack = self.document.undo_stack
        if undo:
            return lambda parent: stack.createUndoAction(parent, "&Undo")
        return lambda parent: stack.createRedoAction(parent, "&Redo")

    def _on_selected(self, operation: Callable[[str], object]) -> Callable[[], None]:
        def run() -> None:
            node_id = self.document.selected_id
            if node_id is not None:
                self._refusable("Cannot edit", "Not changed", lambda: operation(node_id))
        return run

    def _paste(self, node_id: str) -> None:
        self._refusable("Cannot paste", "The branch was not pasted",
                        lambda: self.document.edit.paste(node_id))

    def _add_child(self, node_id: str) -> None:
        self._refusable("Cannot add a branch", "The branch was not added",
                        lambda: self.document.edit.add_child(node_id))

    def _add_sibling(self, node_id: str) -> None:
        self._refusable("Cannot add a branch", "The branch was not added",
                        lambda: self.document.edit.add_sibling(node_id))

    def _insert_node(self, node_id: str) -> None:
        self._refusable("Cannot insert a node", "The node was not inserted",
                        lambda: self.document.select(self.document.edit.insert_node(node_id)))

    def _drop(self, drop: Drop) -> None:
        """A branch dragged on the canvas was dropped: move or copy it there."""
        edit = self.document.edit
        if drop.copying:
            self._refusable("Cannot copy the branch", "The branch was not copied",
                            lambda: self.document.select(
                                edit.copy_branch(drop.node_id, drop.parent_id, drop.index)))
        else:
            self._refusable("Cannot move the branch", "The branch was not moved",
                            lambda: self.document.select(
                                edit.move_branch(drop.node_id, drop.parent_id, drop.index)))

    def _refusable(self, title: str, lead: str, edit: Callable[[], object]) -> None:
        try:
            edit()
        except EditRefused as refusal:
            self.prompts.error(title, f"{lead}: {refusal}.")

    def _node_selected(self) -> bool:
        return self.document.selected_node is not None

    def _child_selected(self) -> bool:
        node = self.document.selected_node
        return node is not None and self.document.tree.parent_id(node.id) is not None
