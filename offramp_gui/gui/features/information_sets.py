"""Information sets: join the selected decisions into one, split a set, leave one
(docs/format.md, "Information sets (private information)"). The canvas draws each set
(scene/information_sets.py); the Properties panel edits the field as text."""
from __future__ import annotations

from ...model.refactor import node_label
from ...model.tree import DECISION, Node, Tree
from ..contributions import NODE_MENU, ActionSpec, Contributions, Place
from ..document import DocumentController
from ..edits import EditRefused
from ..prompts import Prompts

GROUP = "5_information_set"
#: The longest name the format takes (docs/format.md).
MAX_NAME = 64


class InformationSetsFeature:
    name = "information-sets"

    def __init__(self, document: DocumentController, prompts: Prompts):
        self.document = document
        self.prompts = prompts

    def contributions(self) -> Contributions:
        places = [(Place("edit", GROUP, order), Place(NODE_MENU, GROUP, order))
                  for order in (10, 20, 30)]
        return Contributions(actions=(
            ActionSpec("join-information-set", "&Join Information Set…", self.join,
                       places[0], "Ctrl+J", None,
                       "Make the selected decisions one information set: their player "
                       "cannot tell them apart (Shift-click to select several)",
                       self._several_decisions),
            ActionSpec("split-information-set", "&Split Information Set", self.split,
                       places[1], None, None,
                       "Make every decision of the selected node's information set a set "
                       "of its own", self._in_a_set),
            ActionSpec("leave-information-set", "&Leave Information Set", self.leave,
                       places[2], None, None,
                       "Take the selected decisions out of their information set",
                       self._in_a_set),
        ))

    # ---- when they apply ----------------------------------------------------------------
    def _selected_nodes(self) -> list[Node]:
        tree = self.document.tree
        return [tree.node(i) for i in self.document.selected_ids if i in tree]

    def _several_decisions(self) -> bool:
        nodes = self._selected_nodes()
        return len(nodes) >= 2 and all(node.type == DECISION for node in nodes)

    def _in_a_set(self) -> bool:
        return any(node.information_set is not None for node in self._selected_nodes())

    # ---- the actions --------------------------------------------------------------------
    def join(self) -> None:
        nodes = self._selected_nodes()
        why = join_refusal(self.document.tree, nodes)
        if why is not None:
            self.prompts.error("Cannot join the information set", why)
            return
        name = self.prompts.text("information-set-name", "Join Information Set",
                                 "Name of the information set:",
                                 suggested_name(self.document.tree, nodes))
        if name is None:
            return
        name = name.strip()
        if not name or len(name) > MAX_NAME:
            self.prompts.error("Cannot join the information set",
                               f"An information set needs a name of 1 to {MAX_NAME} "
                               "characters.")
            return
        self._edit(lambda: self.document.edit.join_information_set(
            [node.id for node in nodes], name))

    def split(self) -> None:
        """Every node of the selected nodes' sets leaves it."""
        names = {n.information_set for n in self._selected_nodes()} - {None}
        if not names:
            return
        members = [node.id for node in self.document.tree.root.walk()
                   if node.information_set in names]
        words = "”, “".join(sorted(str(name) for name in names))
        self._edit(lambda: self.document.edit.leave_information_set(
            members, f"Split information set “{words}”"))

    def leave(self) -> None:
        leaving = [node for node in self._selected_nodes() if node.information_set is not None]
        if not leaving:
            return
        what = _quoted(leaving[0]) if len(leaving) == 1 else f"{len(leaving)} decisions"
        self._edit(lambda: self.document.edit.leave_information_set(
            [node.id for node in leaving], f"{what} leave their information set"
            if len(leaving) > 1 else f"{what} leaves its information set"))

    def _edit(self, edit) -> None:  # noqa: ANN001 - a function making one undo step
        try:
            edit()
        except EditRefused as refusal:
            self.prompts.error("Cannot change the information set", f"{refusal}.")


def join_refusal(tree: Tree, nodes: list[Node]) -> str | None:
    """Why these nodes cannot be one information set (one line, naming them by their
    labels), or None if they can."""
    if len(nodes) < 2:
        return "Select two or more decisions (Shift-click adds a node to the selection)."
    for node in nodes:
        if node.type != DECISION:
            return f"{_quoted(node)} is not a decision: only decisions share information sets."
        if node.is_assumed:
            return (f"{_quoted(node)} is an assumed decision (its branches have chances): "
                    "it belongs to no information set.")
    first_player = tree.effective_players()[0].id
    players = {p.id: p.name or p.id for p in tree.effective_players()}
    first = nodes[0]
    for node in nodes[1:]:
        if (node.player or first_player) != (first.player or first_player):
            return (f"{_quoted(first)} is decided by {players.get(first.player or first_player)}"
                    f" and {_quoted(node)} by {players.get(node.player or first_player)}: "
                    "an information set belongs to one player.")
        if _branches(node) != _branches(first):
            return (f"{_quoted(first)} and {_quoted(node)} have different branches "
                    f"({_listed(first)}; {_listed(node)}): the nodes of an information set "
                    "have the same branch labels in the same order.")
    chosen = {node.id for node in nodes}
    for node in nodes:
        above = chosen.intersection(tree.ancestors(node.id))
        if above:
            return (f"{_quoted(node)} lies below {_quoted(tree.node(above.pop()))}: a player "
                    "cannot forget that it already chose there.")
    return None


def suggested_name(tree: Tree, nodes: list[Node]) -> str:
    """The nodes' set if one of them is in one already; else the player and the branch
    leading in, when it is the same at each ("Receiver after Beer"), unique in the tree."""
    for node in nodes:
        if node.information_set is not None:
            return node.information_set
    players = {p.id: p.name or p.id for p in tree.effective_players()}
    player = players.get(nodes[0].player or tree.effective_players()[0].id, "Player")
    branches = {node.branch for node in nodes}
    leading = branches.pop() if len(branches) == 1 else None
    base = f"{player} after {leading}" if leading else f"{player}’s information set"
    base = base[:MAX_NAME - 3]
    taken = {node.information_set for node in tree.root.walk()} - {None}
    name, number = base, 2
    while name in taken:
        name, number = f"{base} {number}", number + 1
    return name


def _branches(node: Node) -> list[str]:
    return [child.branch or "" for child in node.children]


def _listed(node: Node) -> str:
    return ", ".join(child.branch or "(no label)" for child in node.children)


def _quoted(node: Node) -> str:
    return f"“{node_label(node)}”"
