"""The tree as a networkx graph, and as GraphML and Graphviz DOT files.

`to_networkx` is the graph view of the model: one node per tree node with every field
of the file (and, given results, what the engine computed), one edge per branch. The
files flatten it to scalars: `payoff.security`, `expected.security`, `utility.west`…
They hold results for other tools; offramp does not read them back.
"""
from __future__ import annotations

import io
import json
import math
from pathlib import Path
from typing import Any

import networkx as nx

from ..analysis.evaluate import Results
from ..fileformat.atomic import SaveError, write_atomic
from ..model.fields import FIELDS
from ..model.tree import Tree
from .common import ConversionError, Report
from .values import Evaluated, evaluated

_SHAPES = {"decision": "box", "chance": "ellipse", "terminal": "plaintext"}
#: Fields carried as they are; probabilities and payoffs are split into numbers and
#: formulas below, the id names the graph node and the children are its edges.
_FIELDS = tuple(field.name for field in FIELDS if field.graph_attribute)


def to_networkx(tree: Tree, results: Results | Evaluated | None = None) -> nx.DiGraph:
    """A directed graph, root to leaves, carrying every node attribute (and results)."""
    values, computed = ((results, results.results) if isinstance(results, Evaluated)
                        else (None, results))
    criteria = [c.id for c in tree.effective_criteria()]
    graph = nx.DiGraph(title=tree.title, root=tree.root.id, criteria=criteria,
                       players=[p.id for p in tree.effective_players()])
    stack = [(tree.root, 0)]
    while stack:
        node, depth = stack.pop()
        attrs = _node_attributes(node, depth, criteria)
        if computed is not None:
            attrs.update(_results_of(node.id, computed, values))
        graph.add_node(node.id, **attrs)
        for child in node.children:
            graph.add_edge(node.id, child.id, branch=child.branch,
                           probability=attrs_probability(child, computed))
            stack.append((child, depth + 1))
    return graph


def _node_attributes(node: Any, depth: int, criteria: list[str]) -> dict[str, Any]:
    attrs: dict[str, Any] = {key: getattr(node, key) for key in _FIELDS}
    attrs["depth"] = depth
    raw = node.payoff if isinstance(node.payoff, dict) else (
        {criteria[0]: node.payoff} if node.payoff is not None else {})
    attrs["payoff"] = {c: float(v) for c, v in raw.items() if not isinstance(v, str)}
    formulas = {c: v for c, v in raw.items() if isinstance(v, str)}
    if formulas:
        attrs["payoff_formula"] = formulas
    if isinstance(node.probability, str):
        attrs["probability_formula"] = node.probability
    elif node.probability is not None:
        attrs["probability"] = float(node.probability)
    attrs.update(node.extras)
    return attrs


def _results_of(node_id: str, results: Results, values: Evaluated | None) -> dict[str, Any]:
    flat, i = results.flat, results.flat.index[node_id]
    chosen = int(results.choice[i])
    out: dict[str, Any] = {
        "expected": dict(zip(flat.criteria, results.expected[i].tolist(), strict=False)),
        "utility": dict(zip(flat.players, results.utility[i].tolist(), strict=False)),
        "choice": flat.ids[chosen] if chosen >= 0 else None,
        "tie": bool(results.tie[i]),
        "reach": float(results.reach[i]),
        "outcomes": {k: p for k, p in zip(results.outcome_keys, results.outcomes[i].tolist(),
                                          strict=True) if p != 0},
    }
    if not math.isnan(results.probability[i]):
        out["probability"] = float(results.probability[i])
    if values is not None:
        out["payoff"] = dict(zip(flat.criteria, values.payoff[i].tolist(), strict=False))
    return out


def attrs_probability(child: Any, results: Results | None) -> float | str | None:
    if results is not None:
        value = float(results.probability[results.flat.index[child.id]])
        return None if math.isnan(value) else value
    return child.probability


def flat_attributes(attrs: dict[str, Any]) -> dict[str, Any]:
    """Scalars only: nested dicts become `key.inner`, lists JSON text, None is left out."""
    out: dict[str, Any] = {}
    for key, value in attrs.items():
        if isinstance(value, dict):
            for inner, item in flat_attributes(value).items():
                out[f"{key}.{inner}"] = item
        elif isinstance(value, (list, tuple)):
            out[key] = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, (bool, str, int)):
            out[key] = value
        elif isinstance(value, float):
            if math.isfinite(value):
                out[key] = value
        elif value is not None:
            out[key] = json.dumps(value, ensure_ascii=False)
    return out


def flat_graph(graph: nx.DiGraph) -> nx.DiGraph:
    out = nx.DiGraph(**flat_attributes(dict(graph.graph)))
    out.add_nodes_from((n, flat_attributes(a)) for n, a in graph.nodes(data=True))
    out.add_edges_from((u, v, flat_attributes(a)) for u, v, a in graph.edges(data=True))
    return out


# ---- files ----------------------------------------------------------------------------
def write_graphml(tree: Tree, path: str | Path, report: Report) -> None:
    values = evaluated(tree, str(path))
    buffer = io.BytesIO()
    nx.write_graphml(flat_graph(to_networkx(tree, values)), buffer, encoding="utf-8")
    _write(path, buffer.getvalue())
    report.converted.append(f"GraphML: {len(tree)} nodes and {len(tree) - 1} edges, with"
                            " every field and the computed values")
    _note_write_only(report, tree, "GraphML")


def write_dot(tree: Tree, path: str | Path, report: Report) -> None:
    values = evaluated(tree, str(path))
    _write(path, dot_text(tree, values).encode("utf-8"))
    report.converted.append(f"DOT: {len(tree)} nodes and {len(tree) - 1} edges; the solved"
                            " choices are drawn bold")
    _note_write_only(report, tree, "DOT")


def dot_text(tree: Tree, values: Evaluated | None = None) -> str:
    """Graphviz DOT: a labelled node per tree node, every attribute kept as text."""
    graph = to_networkx(tree, values)
    lines = [f"digraph {_dot(tree.title)} {{",
             f"  graph [label={_dot(tree.title)}, labelloc=t, rankdir=LR];",
             '  node [fontname="Helvetica"];', '  edge [fontname="Helvetica"];']
    for node_id, attrs in graph.nodes(data=True):
        shown = {"label": _node_label(node_id, attrs),
                 "shape": _SHAPES.get(attrs["type"], "box"), **flat_attributes(attrs)}
        lines.append(f"  {_dot(node_id)} [{_dot_attributes(shown)}];")
    for parent, child, attrs in graph.edges(data=True):
        shown = {"label": _edge_label(attrs), **flat_attributes(attrs)}
        if graph.nodes[parent].get("choice") == child:
            shown["style"] = "bold"
        lines.append(f"  {_dot(parent)} -> {_dot(child)} [{_dot_attributes(shown)}];")
    return "\n".join(lines + ["}"]) + "\n"


def _node_label(node_id: str, attrs: dict[str, Any]) -> str:
    lines = [attrs.get("name") or attrs.get("branch") or node_id]
    for criterion, value in (attrs.get("expected") or {}).items():
        lines.append(f"{criterion}: {value:.4g}")
    return "\n".join(lines)


def _edge_label(attrs: dict[str, Any]) -> str:
    label = attrs.get("branch") or ""
    probability = attrs.get("probability")
    if isinstance(probability, float):
        label += f"\np = {probability:.4g}"
    return label.strip()


def _dot(text: Any) -> str:
    """A DOT double-quoted string."""
    value = text if isinstance(text, str) else json.dumps(text)
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "")
    return '"' + escaped.replace("\n", "\\n") + '"'


def _dot_attributes(attrs: dict[str, Any]) -> str:
    return ", ".join(f"{_dot(k)}={_dot(_scalar_text(v))}" for k, v in attrs.items())


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def _write(path: str | Path, data: bytes) -> None:
    try:
        write_atomic(path, data, backup=False)
    except SaveError as error:
        raise ConversionError(str(error)) from None


def _note_write_only(report: Report, tree: Tree, name: str) -> None:
    if tree.variables:
        report.dropped.append(f"the variables' definitions (ranges, distributions): the"
                              f" {name} file holds the values computed with their current"
                              " values")
