"""Import SilverDecisions files (versions 0.5 to 1.2) as offramp trees.

SilverDecisions puts payoffs and probabilities on edges; offramp puts them on the node
an edge leads to, which is the same thing (offramp sums payoffs along the path:
docs/format.md, "Payoffs").
Variables come from its code blocks: the file's and each node's, which offramp turns
into one list of variables, renaming where a node redefines a name. Its objective
rule becomes a player's weights; see `rules.py`.
"""
from __future__ import annotations

import itertools
import json
import math
from pathlib import Path
from typing import Any

from ..fileformat.limits import deep_recursion
from ..model.fields import NODE_TYPES
from ..model.limits import MAX_CHILDREN, MAX_DEPTH, MAX_NODES, MAX_VARIABLES
from ..model.tree import CHANCE, DECISION, REMAINDER, Criterion, Node, Tree, Variable
from .common import (
    ConversionError,
    Names,
    Report,
    checked,
    child_id,
    describe,
    json_integer,
    plain,
    read_source,
    slug,
)
from .sd_expressions import (
    Definition,
    Scope,
    Untranslatable,
    definitions,
    offramp_name,
    random_range,
    stored_number,
    translate,
)
from .sd_rules import MULTI_RULES, apply_rule, check_against_stored, data_of, rule_of

TESTED_VERSIONS = "0.5 to 1.2"


def load_document(path: str | Path) -> dict:
    """The JSON of a SilverDecisions file; refuse anything else with a plain reason."""
    try:
        text = read_source(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConversionError(f"{path}: this is not a SilverDecisions file: it is not UTF-8"
                              " text") from None
    try:
        with deep_recursion():
            doc = json.loads(text, parse_int=json_integer)
    except json.JSONDecodeError as error:
        raise ConversionError(f"{path}:{error.lineno}:{error.colno}: this is not a"
                              f" SilverDecisions file: it is not valid JSON ({error.msg})") \
            from None
    except RecursionError:
        raise ConversionError(f"{path}: the JSON is nested too deeply") from None
    if not isinstance(doc, dict) or "SilverDecisions" not in doc:
        raise ConversionError(f'{path}: this is not a SilverDecisions file: its top level has'
                              ' no "SilverDecisions" key')
    check_document(doc, str(path))
    return doc


#: The settings of a document the import reads, with the JSON types each may have.
_Expected = dict[str, tuple[tuple[type, ...], str]]
_SETTINGS: _Expected = {"title": ((str,), "a text"), "description": ((str,), "a text"),
                        "rule": ((str,), "the name of a rule")}
_DATA_SETTINGS: _Expected = {"trees": ((list,), "a list of trees"),
                             "payoffNames": ((list,), "a list of texts"),
                             "code": ((str,), "a text (the code block)"),
                             "expressionScope": ((dict,), "an object")}


def check_document(doc: dict, source: str) -> None:
    """Refuse, naming the key, a setting of the wrong JSON type (a number for the list
    `payoffNames`, say): every later step may then rely on the types."""
    data = doc.get("data")
    if data is not None and not isinstance(data, dict):
        raise ConversionError(f'{source}: "data" is {_kind(data)}; it should be an object')
    prefix = "data." if isinstance(data, dict) else ""
    for key, (types, wanted) in _SETTINGS.items():
        _expect(doc.get(key), types, f'"{key}"', wanted, source)
    for key, (types, wanted) in _DATA_SETTINGS.items():
        _expect(data_of(doc).get(key), types, f'"{prefix}{key}"', wanted, source)
    for i, name in enumerate(data_of(doc).get("payoffNames") or []):
        _expect(name, (str,), f'"{prefix}payoffNames[{i}]"', "a text", source)


def trees_of(doc: dict) -> list:
    """The trees of a document."""
    trees = data_of(doc).get("trees")
    return trees if isinstance(trees, list) else []


def read_silverdecisions(path: str | Path, report: Report, tree_index: int = 0,
                         rule: str | None = None) -> Tree:
    """Import one tree of a SilverDecisions file; every approximation goes into `report`."""
    doc = load_document(path)
    return from_document(doc, report, tree_index, rule, str(path), Path(path).stem)


def from_document(doc: dict, report: Report, tree_index: int = 0, rule: str | None = None,
                  source: str = "<SilverDecisions>", stem: str = "Imported tree") -> Tree:
    """Build, check and return the tree; `rule` overrides the file's objective rule."""
    check_document(doc, source)
    trees = trees_of(doc)
    if not trees:
        raise ConversionError(f"{source}: the file holds no tree")
    if not 0 <= tree_index < len(trees):
        raise ConversionError(f"{source}: the file holds {len(trees)} tree"
                              f"{'s' * (len(trees) != 1)}; there is no tree {tree_index + 1}",
                              usage=True)
    prefix = "data." if isinstance(doc.get("data"), dict) else ""
    _expect(trees[tree_index], (dict,), f'"{prefix}trees[{tree_index}]"',
            "an object (the root node of a tree)", source)
    importer = _Importer(doc, report, source, rule_of(doc, rule))
    tree = importer.build(trees[tree_index], doc.get("title") or stem)
    _describe_file(doc, report, tree_index, len(trees), importer.positioned)
    apply_rule(tree, doc, rule, report)
    tree = checked(tree, source, importer.where)
    check_against_stored(tree, trees[tree_index], rule_of(doc, rule), report)
    report.converted.append(_summary(tree))
    return tree


class _Importer:
    def __init__(self, doc: dict, report: Report, source: str, rule: str):
        self.doc, self.report, self.source = doc, report, source
        self.data = data_of(doc)
        self.variables: list[Variable] = []
        self.taken = Names()
        self.count = 1  # nodes made so far: the root
        self.columns = _criteria_count(self.data, doc, rule)
        self.criteria = self._criteria()
        self.criterion_ids = [c.id for c in self.criteria]
        self.nodes: dict[str, Node] = {}
        self.serial = itertools.count(1)
        self.positioned = False

    def where(self, node_id: str) -> str:
        node = self.nodes.get(node_id)
        return describe(node) if node is not None else f'node "{node_id}"'

    def build(self, top: dict, title: str) -> Tree:
        scope = self.code_scope(Scope(), self.data.get("code"),
                                self.data.get("expressionScope"), "the file's code")
        root = Node("n0", DECISION)
        stack = [(top, root, scope, 0, "the root node")]
        while stack:
            raw, node, parent_scope, depth, place = stack.pop()
            children = self.fill(raw, node, parent_scope, depth, place)
            stack.extend(reversed(children))
        tree = Tree(root, str(title))
        tree.description = self.doc.get("description") or None
        tree.criteria = self.criteria
        tree.variables = self.variables or None
        return tree

    # ---- nodes ----------------------------------------------------------------------
    def fill(self, raw: Any, node: Node, parent_scope: Scope, depth: int,
             place: str) -> list:
        """Set a node from its SilverDecisions object; return its children to visit.

        `place` names the node before its own label is known (the branch to it)."""
        if raw.get("type") not in NODE_TYPES:
            found = raw.get("type")
            shown = repr(found[:80]) if isinstance(found, str) else _kind(found)
            raise ConversionError(f"{self.source}: {place} has the type {shown};"
                                  " SilverDecisions nodes are decision, chance or terminal")
        node.type = raw["type"]
        node.name = _text(self.typed(raw, "name", (str,), place, "a text"))
        if raw.get("folded") is True:
            node.collapsed = True
        self.nodes[node.id] = node
        self.positioned = self.positioned or "location" in raw
        where = describe(node)
        self.typed(raw, "computed", (dict,), where, "an object")
        scope = self.code_scope(parent_scope,
                                self.typed(raw, "code", (str,), where, "a text"),
                                self.typed(raw, "expressionScope", (dict,), where, "an object"),
                                f"the code of {where}")
        edges = self.typed(raw, "childEdges", (list,), where, "a list of branches") or []
        if node.type == "terminal":
            return []
        self.within_limits(node, edges, depth)
        visits = []
        for i, edge in enumerate(edges):
            child = Node(child_id(node.id, i, next(self.serial)))
            if not isinstance(edge, dict):
                raise ConversionError(f"{self.source}: branch {i + 1} of {where} is"
                                      f" {_kind(edge)}; it should be an object")
            child.branch = _text(edge.get("name"))
            branch = self.branch(child, node)
            self.typed(edge, "name", (str,), branch, "a text")
            self.typed(edge, "computed", (dict,), branch, "an object")
            node.children.append(child)
            self.nodes[child.id] = child
            child.payoff = self.payoff(edge, scope, child, node)
            if not isinstance(edge.get("childNode"), dict):
                raise ConversionError(f'{self.source}: "childNode" of {branch} is'
                                      f" {_kind(edge.get('childNode'))}; it should be the node"
                                      " the branch leads to (an object)")
            visits.append((edge["childNode"], child, scope, depth + 1,
                           f"the node {branch} leads to"))
        if node.type == CHANCE:
            self.probabilities(node, edges, scope)
        return visits

    def within_limits(self, node: Node, edges: list, depth: int) -> None:
        """Refuse, before any of them is made, branches past the limits of docs/format.md."""
        where = describe(node)
        if len(edges) > MAX_CHILDREN:
            raise ConversionError(f"{self.source}: {where} has {len(edges)} branches; offramp"
                                  f" reads {MAX_CHILDREN} per node at most")
        if edges and depth == MAX_DEPTH:
            raise ConversionError(f"{self.source}: {where} is {MAX_DEPTH} levels below the"
                                  f" root and has branches; offramp reads trees up to"
                                  f" {MAX_DEPTH} levels deep")
        self.count += len(edges)
        if self.count > MAX_NODES:
            raise ConversionError(f"{self.source}: the tree has more than {MAX_NODES} nodes"
                                  f" (counted up to the branches of {where}); offramp reads"
                                  f" {MAX_NODES} at most")

    def typed(self, raw: dict, key: str, types: tuple[type, ...], where: str,
              wanted: str) -> Any:
        """raw[key], None when it is missing; refuse a value of another JSON type."""
        return _expect(raw.get(key), types, f'"{key}" of {where}', wanted, self.source)

    def payoff(self, edge: dict, scope: Scope, child: Node, parent: Node) -> dict | None:
        raw = edge.get("payoff", 0)
        stored = (edge.get("computed") or {}).get("payoff")
        amounts = {}
        for column, criterion_id in enumerate(self.criterion_ids):
            value = raw[column] if isinstance(raw, list) and column < len(raw) else (
                0 if isinstance(raw, list) or column else raw)
            saved = stored[column] if isinstance(stored, list) and column < len(stored) else (
                stored if not isinstance(stored, list) and column == 0 else None)
            what = f"the payoff{self.criterion_suffix(column)} of {self.branch(child, parent)}"
            amount = self.value(value, saved, scope, what)
            if amount != 0:
                amounts[criterion_id] = amount
        return amounts or None

    def probabilities(self, node: Node, edges: list, scope: Scope) -> None:
        shared = []
        for child, edge in zip(node.children, edges, strict=False):
            raw = edge.get("probability")
            if isinstance(raw, str) and raw.strip() == REMAINDER:
                shared.append(child)
                continue
            if raw is None:
                raise ConversionError(f"{self.source}: {self.branch(child, node)} has no"
                                      " probability")
            saved = (edge.get("computed") or {}).get("probability")
            child.probability = self.value(raw, saved, scope,
                                           f"the probability of {self.branch(child, node)}")
        _share_remainder(node, shared)

    def value(self, raw: Any, saved: Any, scope: Scope, what: str) -> float | int | str:
        """The translated value, or the stored number with a line in the report."""
        try:
            return translate(raw, scope)
        except Untranslatable as why:
            number = stored_number(saved)
            if number is None:
                raise ConversionError(f"{self.source}: {what} is {_quoted(raw)}, which offramp"
                                      f" cannot evaluate ({why}), and the file stores no value"
                                      " for it") from None
            self.report.approximated.append(
                f"{what}: {_quoted(raw)} is not plain arithmetic ({why}); it is replaced by"
                f" the value SilverDecisions stored, {number:.10g}")
            return plain(number)

    # ---- code blocks ----------------------------------------------------------------
    def code_scope(self, parent: Scope, code: Any, stored: Any, where: str) -> Scope:
        if not isinstance(code, str) or not code.strip():
            return parent
        scope = parent.child()
        found, other = definitions(code)
        for line in other:
            self.report.dropped.append(f"{where}: the line {_quoted(line)} is not an"
                                       " assignment")
        for definition in found:
            if len(self.variables) == MAX_VARIABLES and not definition.function:
                raise ConversionError(f"{self.source}: {where} defines one variable more than"
                                      f" offramp reads: {MAX_VARIABLES} in all, at most")
            if definition.function:
                scope.functions.add(definition.name)
                scope.names.pop(definition.name, None)
                self.report.dropped.append(
                    f"{where}: the function {_quoted(definition.text)} (offramp has no"
                    " functions of one's own; values that use it are the numbers"
                    " SilverDecisions stored)")
            else:
                self.define(definition, scope, stored if isinstance(stored, dict) else {},
                            where)
        return scope

    def define(self, definition: Definition, scope: Scope, stored: dict, where: str) -> None:
        name, text = definition.name, definition.text
        try:
            value: float | int | str = translate(text, scope)
            distribution = None
        except Untranslatable as why:
            number = stored_number(stored.get(name))
            if number is None:
                scope.names[name] = None
                self.report.approximated.append(
                    f"{where}: {name} = {_quoted(text)} cannot be evaluated ({why}) and the"
                    " file stores no value; values that use it are the numbers"
                    " SilverDecisions stored")
                return
            value, distribution = plain(number), random_range(text)
            self.report.approximated.append(_stored_line(where, name, text, number, why,
                                                         distribution))
        ours = offramp_name(name, self.taken)
        if ours != name:
            self.report.converted.append(f"{where}: the variable {name} is called {ours} in"
                                         " offramp (each variable has one name and one value)")
        scope.names[name] = ours
        variable = Variable(ours, value)
        if distribution is not None:
            variable.min, variable.max = (plain(x) for x in distribution)
            variable.distribution = {"type": "uniform", "low": distribution[0],
                                     "high": distribution[1]}
        if where != "the file's code":
            variable.description = f"Defined in {where} of the SilverDecisions file"
        self.variables.append(variable)

    # ---- criteria -------------------------------------------------------------------
    def _criteria(self) -> list[Criterion]:
        names = [n.strip() for n in self.data.get("payoffNames") or [] if n.strip()]
        defaults = ["Payoff"] if self.columns == 1 else ["Criterion 1", "Criterion 2"]
        taken = Names()
        out = []
        for column in range(self.columns):
            name = names[column] if column < len(names) else defaults[column]
            out.append(Criterion(taken.unique(slug(name, f"c{column + 1}")), name))
        return out

    def criterion_suffix(self, column: int) -> str:
        return f" ({self.criteria[column].name})" if self.columns > 1 else ""

    @staticmethod
    def branch(child: Node, parent: Node) -> str:
        label = f' "{child.branch}"' if child.branch else ""
        return f"branch {child.id.rsplit('.', 1)[-1]}{label} of {describe(parent)}"


def _share_remainder(node: Node, shared: list[Node]) -> None:
    """SilverDecisions shares the remainder equally among every branch marked '#'."""
    if len(shared) == 1:
        shared[0].probability = REMAINDER
        return
    if not shared:
        return
    marked = {id(child) for child in shared}
    others = [c.probability for c in node.children if id(c) not in marked]
    k = len(shared)
    if all(isinstance(p, (int, float)) for p in others):
        value: float | int | str = plain((1 - math.fsum(others)) / k)  # type: ignore[arg-type]
    else:
        wrap = len(others) > 1  # each term in parentheses: 'and' binds less than '+'
        terms = " + ".join(f"({p})" if isinstance(p, str) and wrap else str(p) for p in others)
        value = f"(1 - ({terms})) / {k}" if others else f"1 / {k}"
    for child in shared:
        child.probability = value


def _criteria_count(data: dict, doc: dict, rule: str) -> int:
    names = [n for n in data.get("payoffNames") or [] if n.strip()]
    if rule in MULTI_RULES or len(names) >= 2:
        return 2
    stack = [t for t in trees_of(doc)]
    while stack:
        node = stack.pop()
        for edge in (node.get("childEdges") or []) if isinstance(node, dict) else []:
            payoff = edge.get("payoff") if isinstance(edge, dict) else None
            if isinstance(payoff, list) and len(payoff) > 1 and payoff[1] not in (0, "0", ""):
                return 2
            stack.append(edge.get("childNode") if isinstance(edge, dict) else None)
    return 1


def _describe_file(doc: dict, report: Report, index: int, count: int,
                   positioned: bool) -> None:
    version = str(doc.get("SilverDecisions"))
    if _version(version) > (1, 2):
        report.converted.append(f"note: written by SilverDecisions {version}, newer than the"
                                f" versions offramp was checked against ({TESTED_VERSIONS})")
    if count > 1:
        report.dropped.append(f"the file holds {count} trees; this is tree {index + 1} (the"
                              " others can be imported one at a time, with --tree N)")
    data = data_of(doc)
    texts = data.get("texts")
    if isinstance(texts, list) and texts:
        report.dropped.append(f"{len(texts)} text note{'s' * (len(texts) != 1)} placed on"
                              " the SilverDecisions canvas")
    if positioned or doc.get("treeDesigner"):
        report.dropped.append("the layout (node positions and display settings): offramp"
                              " lays the tree out itself")
    if doc.get("sensitivityAnalysis"):
        report.dropped.append("the settings of SilverDecisions' sensitivity analyses")


def _version(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split(".", 2)[:2]:
        digits = "".join(ch for ch in piece[:9] if "0" <= ch <= "9")
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def _summary(tree: Tree) -> str:
    counts = {kind: 0 for kind in NODE_TYPES}
    for node in tree.root.walk():
        counts[node.type] += 1
    variables = len(tree.variables or [])
    criteria = len(tree.effective_criteria())
    return (f'tree "{tree.title}": {len(tree)} nodes ({counts["decision"]} decision,'
            f' {counts["chance"]} chance, {counts["terminal"]} end), {criteria}'
            f' criteri{"on" if criteria == 1 else "a"}, {variables} variable'
            f'{"s" * (variables != 1)}')


def _stored_line(where: str, name: str, text: str, number: float, why: Exception,
                 distribution: tuple[float, float] | None) -> str:
    line = (f"{where}: {name} = {_quoted(text)} is not plain arithmetic ({why}); {name}"
            f" takes the value SilverDecisions stored, {number:.10g}")
    if distribution is not None:
        line += (f", and a uniform distribution from {distribution[0]:g} to"
                 f" {distribution[1]:g} for simulation")
    return line


def _kind(value: Any) -> str:
    """A JSON value's type as a message names it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    kinds = ((str, "a text"), ((int, float), "a number"), (list, "a list"), (dict, "an object"))
    return next((name for types, name in kinds if isinstance(value, types)), "not JSON")


def _expect(value: Any, types: tuple[type, ...], where: str, wanted: str,
            source: str) -> Any:
    """`value` when it is missing (None) or of one of `types`; else refuse, naming where."""
    if value is None or (isinstance(value, types) and not isinstance(value, bool)):
        return value
    raise ConversionError(f"{source}: {where} is {_kind(value)}; it should be {wanted}")


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _quoted(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    text = " ".join(text.split())
    return f'"{text[:80]}{"…" if len(text) > 80 else ""}"'
