"""The rules of information sets (docs/format.md, "Information sets"): decisions sharing
an `information_set` name are one set of one player, with the same branches, and the
player keeps perfect recall. Plain Python: no Qt, no numpy.
"""
from __future__ import annotations

from .issues import Issue, quote_text
from .tree import DECISION, Node, Tree

MAX_NAME = 64


def label(node: Node) -> str:
    """A node in the user's words, quoted."""
    return "“" + quote_text(node.name or node.branch or node.id) + "”"


def problems(tree: Tree, marked: list[Node]) -> list[Issue]:
    """Every broken rule of the tree's information sets; `marked` are the nodes that
    name one, in document order (found by the walk that checks every node)."""
    members: dict[str, list[Node]] = {}
    issues: list[Issue] = []
    for node in marked:
        name = node.information_set
        if node.type != DECISION:
            issues.append(_issue(tree, node, f"{label(node)} is a {node.type} node: only"
                                 " decisions belong to information sets"))
        elif not isinstance(name, str) or not 1 <= len(name) <= MAX_NAME:
            issues.append(_issue(tree, node, f"the information set of {label(node)} must be"
                                 f" a name of 1 to {MAX_NAME} characters"))
        elif node.solve == "assumed":
            issues.append(_issue(tree, node, f"{label(node)} is an assumed decision (its"
                                 " branches have probabilities): it belongs to no information"
                                 " set"))
        else:
            members.setdefault(name, []).append(node)
    joined = {name: nodes for name, nodes in members.items() if len(nodes) > 1}
    if not joined:
        return issues
    default_player = _default_player(tree)
    for name, nodes in joined.items():
        issues += _set_problems(tree, name, nodes, default_player)
    if not issues:
        issues += _recall_problems(tree, joined, default_player)
    return issues


def _default_player(tree: Tree) -> str | None:
    players = tree.effective_players()
    return players[0].id if len(players) == 1 else None


def _set_problems(tree: Tree, name: str, nodes: list[Node],
                  default_player: str | None) -> list[Issue]:
    first = nodes[0]
    where = f"the information set “{quote_text(name)}”"
    player = first.player or default_player
    branches = [child.branch for child in first.children]
    for other in nodes[1:]:
        if (other.player or default_player) != player:
            return [_issue(tree, other, f"{label(first)} and {label(other)} are in {where}"
                           " but are decided by different players")]
        if [child.branch for child in other.children] != branches:
            return [_issue(tree, other, f"{label(first)} and {label(other)} are in {where}"
                           " but have different branches (the same labels in the same order"
                           " are needed: the player cannot tell them apart)")]
    return []


def _recall_problems(tree: Tree, joined: dict[str, list[Node]],
                     default_player: str | None) -> list[Issue]:
    """Perfect recall: at every node of a set, the player's own earlier sets and the
    branches it took there are the same, and no node of a set lies below another."""
    set_of = {id(node): name for name, nodes in joined.items() for node in nodes}
    history: dict[int, tuple] = {}  # node -> its player's own moves on the way down
    below_own: dict[int, str] = {}  # node -> a node of its own set above it
    stack: list[tuple[Node, dict[str, tuple], dict[str, Node]]] = [(tree.root, {}, {})]
    while stack:
        node, moves, seen_sets = stack.pop()
        player = node.player or default_player if node.type == DECISION else None
        key = set_of.get(id(node))
        if key is not None:
            history[id(node)] = moves.get(player or "", ())
            if key in seen_sets:
                below_own[id(node)] = label(seen_sets[key])
            seen_sets = {**seen_sets, key: node}
        for child in node.children:
            if player is None:
                stack.append((child, moves, seen_sets))
            else:
                step = (key if key is not None else node.id, child.branch)
                mine = moves.get(player, ())
                stack.append((child, {**moves, player: mine + (step,)}, seen_sets))
    issues = []
    for name, nodes in joined.items():
        where = f"the information set “{quote_text(name)}”"
        for node in nodes:
            if id(node) in below_own:
                issues.append(_issue(tree, node, f"{label(node)} lies below"
                                     f" {below_own[id(node)]}, and both are in {where}: a"
                                     " player cannot forget that it has already chosen there"))
                break
        else:
            first = nodes[0]
            for other in nodes[1:]:
                if history[id(other)] != history[id(first)]:
                    issues.append(_issue(
                        tree, other, f"{label(first)} and {label(other)} are in {where}, but"
                        " the player got there by different moves of its own (or knew"
                        " different things before): it would have to forget what it knew or"
                        " did (perfect recall is needed)"))
                    break
    return issues


def _issue(tree: Tree, node: Node, message: str) -> Issue:
    return Issue(message, tree.json_path(node.id) + ".information_set", node.id,
                 "information_set")
