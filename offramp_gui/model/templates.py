"""Linked subtrees (docs/format.md, "Templates"): a node marked `template` is a master,
and a node with `use` takes its type, content and branches from that master, with the
use's bindings written in for the template's parameters.

A use's branches are copies made when the tree is read (`relink`) and kept in step by
the Tree's own mutators: a field set on a master node is set on each of its copies, a
branch added, removed or moved under one is added, removed or moved under each copy,
and a change of the links themselves (a `template` or `use` field, a subtree holding
one) expands every use again. So every path (the app's edits, undo, a script) keeps
the copies right, and each TreeChange names the copies it changed.

Plain Python: no Qt, no numpy.
"""
from __future__ import annotations

import hashlib
import operator
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from . import expressions
from .expressions import ExpressionError
from .issues import Issue, quote_text
from .tree import NODE_FIELDS, TERMINAL, Node, Tree

#: What a use takes from its template's master, besides the branches; it keeps the rest
#: (id, branch, probability, collapsed, notes, `x-` keys) of its own.
TAKEN_FIELDS = ("type", "name", "player", "solve", "payoff", "outcome")
#: Copied into a node below a use: all but the id and the links (a copy is neither a
#: master nor a use).
COPIED_FIELDS = tuple(name for name in NODE_FIELDS if name not in ("id", "template", "use"))
_EXPRESSIONS = frozenset({"probability", "payoff"})
#: Between the use's id and the master node's id in a copy's id.
SEPARATOR = "__"
_MAX_ID = 64


class TemplateEditRefused(ValueError):
    """An edit of a node inside a use: its template is to be edited instead."""


def label(node: Node) -> str:
    """A node in the user's words; a use by its branch, as its name is its template's."""
    if node.use is not None:
        return quote_text(node.branch or node.name or node.id)
    return quote_text(node.name or node.branch or node.id)


def template_name(node: Node) -> str | None:
    value = node.template
    return value.get("name") if isinstance(value, dict) else None


def used_template(node: Node) -> str | None:
    value = node.use
    return value.get("template") if isinstance(value, dict) else None


def parameters(node: Node) -> list[str]:
    value = node.template
    found = value.get("parameters") if isinstance(value, dict) else None
    return [p for p in found if isinstance(p, str)] if isinstance(found, list) else []


def bindings(node: Node) -> dict[str, str]:
    """The use's bindings as expression text (a number is written as one)."""
    value = node.use
    bind = value.get("bind") if isinstance(value, dict) else None
    if not isinstance(bind, dict):
        return {}
    return {name: _text(amount) for name, amount in bind.items()
            if isinstance(amount, (str, int, float)) and not isinstance(amount, bool)}


def _text(amount: str | int | float) -> str:
    if isinstance(amount, str):
        return amount.strip()
    return str(int(amount)) if float(amount).is_integer() and abs(amount) < 2 ** 53 \
        else repr(float(amount))


# ---- substitution ----------------------------------------------------------------------
@lru_cache(maxsize=65536)
def _pieces(text: str) -> tuple[tuple[str, str | None], ...] | None:
    """The text cut at each variable of its parsed expression: (text before, name)
    pairs; None when it is no expression (a number, "#", a slip reported elsewhere)."""
    try:
        used = expressions.names(expressions.parse(text))
    except ExpressionError:
        return None
    if not used:
        return None
    out: list[tuple[str, str | None]] = []
    last = 0
    for start, end in expressions.name_spans(text):
        word = text[start:end]
        # (a function's name is followed by its "("; a variable's never is)
        if word in used and not text[end:].lstrip().startswith("("):
            out.append((text[last:start], word))
            last = end
    out.append((text[last:], None))
    return tuple(out)


def substitute(value: Any, bound: dict[str, str]) -> Any:
    """`value` (a probability or payoff) with each bound parameter replaced by its
    bound expression in parentheses; a value that is just the parameter takes the bound
    expression itself (a number stays a number)."""
    if not bound:
        return value
    if isinstance(value, dict):
        return {key: substitute(amount, bound) for key, amount in value.items()}
    if not isinstance(value, str):
        return value
    pieces = _pieces(value)
    if pieces is None or not any(name in bound for _text_, name in pieces):
        return value
    if len(pieces) == 2 and not pieces[0][0].strip() and not pieces[1][0].strip():
        only = pieces[0][1]
        return _plain(bound[only]) if only is not None and only in bound else value
    return "".join(before + (f"({bound[name]})" if name in bound else name or "")
                   for before, name in pieces)


_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def _plain(text: str) -> Any:
    """A bound expression that is only a number, as that number."""
    if not _PLAIN_NUMBER.fullmatch(text):
        return text
    number = float(text)
    return int(number) if number.is_integer() and abs(number) < 2 ** 53 else number


# ---- ids --------------------------------------------------------------------------------
def copy_id(use_id: str, source_id: str) -> str:
    """The id of the copy of master node `source_id` in the use `use_id`: both ids
    joined by "__", or, past 64 characters, the use's id and a digest of both."""
    joined = f"{use_id}{SEPARATOR}{source_id}"
    if len(joined) <= _MAX_ID - 4:  # (room for "-2"… should the id be taken)
        return joined
    digest = hashlib.sha1(joined.encode("utf-8")).hexdigest()[:12]
    return f"{use_id[:_MAX_ID - 4 - 14]}{SEPARATOR}{digest}"


# ---- the links ---------------------------------------------------------------------------
class Links:
    """Which nodes are masters, uses and copies in one tree."""

    def __init__(self) -> None:
        #: template name -> its master's id (the first, if two masters share a name)
        self.masters: dict[str, str] = {}
        #: every use's id (expanded or not) -> the template it names
        self.uses: dict[str, str] = {}
        #: a copy's id -> the node it copies (a use's id -> its master's)
        self.source: dict[str, str] = {}
        #: a node's id -> the ids of its copies
        self.copies: dict[str, list[str]] = {}
        #: a copy below a use -> that use's id
        self.owner: dict[str, str] = {}
        #: found when the links were made: names repeated, unknown, in a cycle
        self.problems: list[Issue] = []

    # ---- questions -----------------------------------------------------------------
    def use_of(self, node_id: str) -> str | None:
        """The use `node_id` is part of (itself, if it is one), or None."""
        return node_id if node_id in self.uses else self.owner.get(node_id)

    def derived(self, node_id: str, name: str) -> bool:
        """Whether this field of this node comes from a template."""
        if node_id in self.owner:
            return name != "collapsed"
        return node_id in self.uses and self.source.get(node_id) is not None and (
            name in TAKEN_FIELDS)

    def refusal(self, tree: Tree, node_id: str, what: str | None = None) -> str | None:
        """Why `node_id` (or, with `what`, that field of it) may not be edited."""
        use_id = self.owner.get(node_id)
        if use_id is None:
            if node_id in self.uses and (what is None or what in TAKEN_FIELDS
                                         or what == "children"):
                use = tree.node(node_id)
                return (f"“{label(use)}” is a use of template “{quote_text(self.uses[node_id])}”:"
                        " edit the template, or Detach this use")
            return None
        use = tree.node(use_id)
        return (f"“{label(tree.node(node_id))}” is part of “{label(use)}”, a use of template"
                f" “{quote_text(self.uses[use_id])}”: edit the template, or Detach this use")

    def check(self, tree: Tree, node_id: str, what: str | None = None) -> None:
        why = self.refusal(tree, node_id, what)
        if why is not None:
            raise TemplateEditRefused(why)

    # ---- keeping copies in step --------------------------------------------------------
    def bound(self, tree: Tree, copy_id_: str) -> dict[str, str]:
        use_id = self.use_of(copy_id_)
        if use_id is None:
            return {}
        use = tree.node(use_id)
        master_id = self.masters.get(self.uses[use_id])
        if master_id is None or master_id not in tree:
            return {}
        allowed = set(parameters(tree.node(master_id)))
        return {k: v for k, v in bindings(use).items() if k in allowed}

    def mirror_field(self, tree: Tree, node_id: str, name: str) -> set[str]:
        """Set the field just set on `node_id` on each of its copies; their ids."""
        changed: set[str] = set()
        stack = [node_id]
        while stack:
            source = tree.node(stack.pop())
            for copied in self.copies.get(source.id, ()):
                node = tree.node(copied)
                if copied in self.uses and (name not in TAKEN_FIELDS):
                    continue
                value = getattr(source, name) if not name.startswith("x-") else None
                if name.startswith("x-"):
                    _set_extra(node, name, source.extras.get(name))
                else:
                    if name in _EXPRESSIONS:
                        value = substitute(value, self.bound(tree, copied))
                    setattr(node, name, value)
                changed.add(copied)
                stack.append(copied)
        return changed

    def mirror_add(self, tree: Tree, parent_id: str, index: int, subtree: Node) -> set[str]:
        changed: set[str] = set()
        stack = [(parent_id, subtree)]
        while stack:
            source_parent, source = stack.pop()
            for copied in self.copies.get(source_parent, ()):
                use_id = self.use_of(copied)
                assert use_id is not None
                made = self.copy_subtree(tree, source, use_id, self.bound(tree, copied))
                tree.node(copied).children.insert(index, made)
                tree.index_subtree(made, copied)
                changed.add(copied)
                changed.update(node.id for node in made.walk())
                stack.append((copied, made))
        return changed

    def mirror_remove(self, tree: Tree, parent_id: str, index: int) -> set[str]:
        changed: set[str] = set()
        stack = [parent_id]
        while stack:
            for copied in self.copies.get(stack.pop(), ()):
                gone = tree.node(copied).children.pop(index)
                tree.unindex_subtree(gone)
                self.forget(gone)
                changed.add(copied)
                stack.append(copied)
        return changed

    def mirror_move(self, tree: Tree, parent_id: str, old: int, new: int) -> set[str]:
        changed: set[str] = set()
        stack = [parent_id]
        while stack:
            for copied in self.copies.get(stack.pop(), ()):
                children = tree.node(copied).children
                children.insert(new, children.pop(old))
                changed.add(copied)
                stack.append(copied)
        return changed

    def detach(self, use_id: str) -> None:
        """The use's copies become nodes of their own (their content stays)."""
        del self.uses[use_id]
        for node in self._owned(use_id):
            source = self.source.pop(node, None)
            self.owner.pop(node, None)
            if source is not None and node in self.copies.get(source, ()):
                self.copies[source].remove(node)

    def can_rebind(self, use_id: str, old: Any, new: Any) -> bool:
        """Whether a use's new `use` differs from the old only in its bindings, and the
        use is expanded and copied nowhere else (it is not inside a master)."""
        return (use_id in self.source and not self.copies.get(use_id)
                and isinstance(old, dict) and isinstance(new, dict)
                and old.get("template") == new.get("template") == self.uses.get(use_id))

    def rebind(self, tree: Tree, use_id: str) -> set[str]:
        """Bind the use's copies again after its bindings changed, in place: the same
        nodes and ids as expanding it afresh, with only probabilities and payoffs
        changed (a change of numbers, not of shape); their ids."""
        bound = self.bound(tree, use_id)
        memo: dict[Any, Any] = {}
        changed: set[str] = set()
        use, master = tree.node(use_id), tree.node(self.source[use_id])
        for name in _EXPRESSIONS.intersection(TAKEN_FIELDS):
            value = substitute(getattr(master, name), bound)
            if value != getattr(use, name):
                setattr(use, name, value)
                changed.add(use_id)
        for node_id in self._owned(use_id)[1:]:
            node, source = tree.node(node_id), tree.node(self.source[node_id])
            for name in _EXPRESSIONS:
                value = getattr(source, name)
                if bound and value is not None:
                    value = _bound_value(value, bound, memo)
                if value != getattr(node, name):
                    setattr(node, name, value)
                    changed.add(node_id)
        return changed

    def _owned(self, use_id: str) -> list[str]:
        return [use_id, *(node for node, owner in self.owner.items() if owner == use_id)]

    def forget(self, subtree: Node) -> None:
        """Drop what is known of the nodes of a subtree leaving the tree."""
        for node in subtree.walk():
            node_id = node.id
            self.copies.pop(node_id, None)
            source = self.source.pop(node_id, None)
            self.owner.pop(node_id, None)
            if source is not None and source in self.copies:
                siblings = self.copies[source]
                if node_id in siblings:
                    siblings.remove(node_id)

    def copy_subtree(self, tree: Tree, top: Node, use_id: str, bound: dict[str, str]) -> Node:
        """A copy of a master's subtree for the use `use_id`, registered here (the caller
        puts it in the tree)."""
        memo: dict[Any, Any] = {}  # (a master repeats its formulas: each is bound once)
        made = self._copy_node(tree, top, use_id, bound, memo)
        stack = [(top, made)]
        while stack:
            original, copied = stack.pop()
            copied.children = [self._copy_node(tree, child, use_id, bound, memo)
                               for child in original.children]
            stack.extend(zip(original.children, copied.children))
        return made

    def _copy_node(self, tree: Tree, source: Node, use_id: str, bound: dict[str, str],
                   memo: dict[Any, Any]) -> Node:
        node_id = copy_id(use_id, source.id)
        if node_id in tree or node_id in self.source:
            base, n = node_id, 2
            while node_id in tree or node_id in self.source:
                node_id, n = f"{base}-{n}", n + 1
        node = Node(node_id, source.type)
        for name, value in zip(COPIED_FIELDS, _COPIED_VALUES(source)):
            if value is not None:
                if bound and name in _EXPRESSIONS:
                    value = _bound_value(value, bound, memo)
                setattr(node, name, value)
        if source.extras:
            node.extras = dict(source.extras)
        self.source[node_id] = source.id
        self.copies.setdefault(source.id, []).append(node_id)
        self.owner[node_id] = use_id
        return node


_COPIED_VALUES = operator.attrgetter(*COPIED_FIELDS)


def _bound_value(value: Any, bound: dict[str, str], memo: dict[Any, Any]) -> Any:
    if isinstance(value, dict):
        if not any(type(amount) is str for amount in value.values()):
            return value  # (shared: an edit replaces a payoff, never changes it in place)
        return {key: _bound_value(amount, bound, memo) for key, amount in value.items()}
    if not isinstance(value, str):
        return value
    done = memo.get(value)
    if done is None:
        done = memo[value] = substitute(value, bound)
    return done


def _set_extra(node: Node, name: str, value: Any) -> None:
    if value is None:
        node.extras.pop(name, None)
    else:
        node.extras[name] = value


def has_links(subtree: Node) -> bool:
    return any(node.use is not None or node.template is not None for node in subtree.walk())


# ---- making the links ------------------------------------------------------------------------
def relink(tree: Tree) -> set[str]:
    """Expand every use of the tree afresh; the ids of the nodes this changed (each use,
    each copy that went or came). Sets `tree.links` (None when the tree has no links)."""
    changed: set[str] = set()
    old = tree.links
    if old is not None:
        for use_id in old.uses:
            if use_id in tree:
                changed.add(use_id)
                changed.update(_strip(tree, tree.node(use_id)))
    masters, uses = _marked(tree.root)
    if not masters and not uses:
        tree.links = None
        return changed
    links = Links()
    tree.links = links
    for node in masters:
        name = template_name(node)
        assert name is not None
        if node.use is not None:
            links.problems.append(_issue(tree, node, f"“{label(node)}” is both the master of"
                                         f" template “{quote_text(name)}” and a use of one;"
                                         " a use takes all its content from its template"))
        elif name in links.masters:
            links.problems.append(_issue(tree, node, f"two nodes are the master of template"
                                         f" “{quote_text(name)}”: “{label(node)}” and “"
                                         f"{label(tree.node(links.masters[name]))}”"))
        else:
            links.masters[name] = node.id
    for node in uses:
        links.uses[node.id] = used_template(node) or ""
    for node in _expandable(tree, links, uses):
        changed.add(node.id)
        changed.update(n.id for n in _expand(tree, links, node).walk())
    return changed


def _marked(root: Node) -> tuple[list[Node], list[Node]]:
    masters, uses = [], []
    for node in root.walk():
        if node.template is not None and template_name(node) is not None:
            masters.append(node)
        if node.use is not None:
            uses.append(node)
    return masters, uses


def _strip(tree: Tree, use: Node) -> list[str]:
    gone = [node.id for child in use.children for node in child.walk()]
    for child in use.children:
        tree.unindex_subtree(child)
    use.children = []
    use.type = TERMINAL
    for name in TAKEN_FIELDS[1:]:
        setattr(use, name, None)
    return gone


def _issue(tree: Tree, node: Node, message: str, field: str = "use") -> Issue:
    return Issue(message, tree.json_path(node.id), node.id, field)


def _expandable(tree: Tree, links: Links, uses: list[Node]) -> list[Node]:
    """The uses that can be expanded, in an order where the uses inside a master come
    before the uses of that master; the others are reported."""
    inside: dict[str, list[Node]] = {}  # template -> the uses inside its master
    master_of = {master_id: name for name, master_id in links.masters.items()}
    for use in uses:
        for above in [use.id, *tree.ancestors(use.id)]:
            if above in master_of:
                inside.setdefault(master_of[above], []).append(use)
    bad = _report_cycles(tree, links, inside)
    usable = {use.id for use in uses if _usable(tree, links, use, bad)}
    done: set[str] = set()
    ordered: list[Node] = []
    for name in _dependencies_first(inside, links.masters):
        for use in inside.get(name, []):
            if use.id in usable and use.id not in done:
                done.add(use.id)
                ordered.append(use)
    ordered += [use for use in uses if use.id in usable and use.id not in done]
    return ordered


def _usable(tree: Tree, links: Links, use: Node, bad: set[str]) -> bool:
    name = links.uses[use.id]
    if name not in links.masters:
        known = ", ".join(f"“{quote_text(n)}”" for n in sorted(links.masters)) or "none"
        links.problems.append(_issue(tree, use, f"“{label(use)}” uses template"
                                     f" “{quote_text(name)}”, which does not exist; the"
                                     f" templates are {known}"))
        return False
    return name not in bad and use.template is None


def _report_cycles(tree: Tree, links: Links, inside: dict[str, list[Node]]) -> set[str]:
    """Templates that use themselves, directly or through others (reported), and those
    that use one of them."""
    uses_of = {name: {links.uses[u.id] for u in found} for name, found in inside.items()}
    bad: set[str] = set()
    for cycle in _cycles(uses_of):
        bad.update(cycle)
        first = next(u for u in inside[cycle[0]]
                     if links.uses[u.id] == (cycle[1] if len(cycle) > 1 else cycle[0]))
        if len(cycle) == 1:
            words = (f"Template “{quote_text(cycle[0])}” uses itself: “{label(first)}”"
                     " stands inside its own master")
        else:
            steps = [f"“{quote_text(name)}”" for name in [*cycle, cycle[0]]]
            words = f"Template {steps[0]} uses {steps[1]}" + "".join(
                f", which uses {step}" for step in steps[2:])
        links.problems.append(_issue(tree, first, words))
    grew = True
    while grew:  # (and whatever uses a template of a cycle cannot be expanded either)
        more = {name for name, used in uses_of.items() if used & bad} - bad
        bad |= more
        grew = bool(more)
    return bad


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One list of names for each cycle met walking the graph depth first."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the path, 2: done
    for start in sorted(graph):
        if state.get(start):
            continue
        path: list[str] = []
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph.get(start, ()))))]
        state[start] = 1
        path.append(start)
        while stack:
            name, following = stack[-1]
            step = next(following, None)
            if step is None:
                stack.pop()
                path.pop()
                state[name] = 2
            elif state.get(step) == 1:
                found.append(path[path.index(step):])
            elif not state.get(step):
                state[step] = 1
                path.append(step)
                stack.append((step, iter(sorted(graph.get(step, ())))))
    return found


def _dependencies_first(inside: dict[str, list[Node]], masters: dict[str, str]) -> list[str]:
    """The template names, each after those used inside its master (a cycle, reported
    already, is cut where it closes)."""
    order: list[str] = []
    seen: set[str] = set()
    for start in sorted(masters):
        if start in seen:
            continue
        seen.add(start)
        stack = [(start, iter(inside.get(start, [])))]
        while stack:
            name, following = stack[-1]
            use = next(following, None)
            if use is None:
                stack.pop()
                order.append(name)
                continue
            used = used_template(use)
            if used in masters and used not in seen:
                seen.add(used)
                stack.append((used, iter(inside.get(used, []))))
    return order


def _expand(tree: Tree, links: Links, use: Node) -> Node:
    master = tree.node(links.masters[links.uses[use.id]])
    bound = links.bound(tree, use.id)
    use.type = master.type
    for name in TAKEN_FIELDS[1:]:
        value = getattr(master, name)
        setattr(use, name, substitute(value, bound) if name in _EXPRESSIONS else value)
    links.source[use.id] = master.id
    links.copies.setdefault(master.id, []).append(use.id)
    for child in use.children:  # (a use detached, now linked again by an undo)
        tree.unindex_subtree(child)
    use.children = [links.copy_subtree(tree, child, use.id, bound) for child in master.children]
    for child in use.children:
        tree.index_subtree(child, use.id)
    return use


# ---- problems a tree being edited may have -------------------------------------------------
def problems(tree: Tree) -> list[Issue]:
    """The links' problems, and those of parameters and bindings against the variables."""
    links = tree.links
    if links is None:
        return []
    out = list(links.problems)
    variables = {v.name for v in tree.variables or []}
    for name, master_id in links.masters.items():
        master = tree.node(master_id)
        for parameter in parameters(master):
            if parameter not in variables:
                out.append(_issue(tree, master, f"the parameter “{quote_text(parameter)}” of"
                                  f" template “{quote_text(name)}” is not a variable of the"
                                  " tree", "template"))
    for use_id, name in links.uses.items():
        out += _binding_problems(tree, tree.node(use_id), name, variables)
    return out


def _binding_problems(tree: Tree, use: Node, name: str, variables: set[str]) -> Iterable[Issue]:
    master_id = tree.links.masters.get(name) if tree.links else None
    if master_id is None:
        return
    allowed = parameters(tree.node(master_id))
    for parameter, text in bindings(use).items():
        where = f"“{label(use)}” binds “{quote_text(parameter)}”"
        if parameter not in allowed:
            listed = ", ".join(f"“{p}”" for p in allowed) or "none"
            yield _issue(tree, use, f"{where}, which is not a parameter of template"
                         f" “{quote_text(name)}”; its parameters are {listed}")
            continue
        try:
            used = expressions.names(expressions.parse(text))
        except ExpressionError as error:
            yield _issue(tree, use, f"{where} to “{quote_text(text)}”, which is not a valid"
                         f" expression: {error}")
            continue
        for missing in sorted(used - variables):
            yield _issue(tree, use, f"{where} to “{quote_text(text)}”, which uses"
                         f" “{quote_text(missing)}”, not a variable of the tree")


# ---- for scripts (the app makes the same changes through its undo stack) ----------------
def make_template(tree: Tree, node_id: str, name: str, parameters: list[str]) -> None:
    """Mark the subtree at `node_id` as the master of template `name`; any use waiting
    for that name is expanded."""
    node = tree.node(node_id)
    if not node.children or node.use is not None:
        raise ValueError(f"“{label(node)}” has no branches of its own to make a template of")
    if tree.links is not None and name in tree.links.masters:
        raise ValueError(f"there is already a template “{quote_text(name)}”")
    tree.set_field(node_id, "template", {"name": name, "parameters": list(parameters)})


def detach(tree: Tree, use_id: str) -> None:
    """Make a use ordinary nodes: its copies stay, and are saved with the file."""
    if tree.links is None or use_id not in tree.links.uses:
        raise ValueError(f"“{label(tree.node(use_id))}” is not a use of a template")
    tree.set_field(use_id, "use", None)
