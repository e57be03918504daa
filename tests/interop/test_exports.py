"""GraphML, DOT and CSV exports carry exactly the numbers of `offramp evaluate --json`."""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from offramp_gui.analysis.readable import csv_number
from offramp_gui.api import evaluate, load
from offramp_gui.interop import ConversionError, convert, write
from offramp_gui.interop.graph import dot_text, to_networkx
from offramp_gui.interop.values import evaluated

ROOT = Path(__file__).resolve().parents[2]
TREES = sorted((ROOT / "trees").rglob("*.json"))  # the reference models too


def cli_evaluation(path: Path) -> dict:
    run = subprocess.run([sys.executable, "-m", "offramp_gui", "evaluate", str(path), "--json"],
                         capture_output=True, text=True, cwd=ROOT, timeout=60, check=True)
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def evaluations() -> dict[str, dict]:
    return {path.name: cli_evaluation(path) for path in TREES}


@pytest.mark.parametrize("path", TREES, ids=lambda p: p.name)
def test_csv_numbers_equal_the_command_line(path, tmp_path, evaluations):
    out = tmp_path / "tree.csv"
    report = convert(path, out)
    assert report.to_format == "csv" and report.dropped
    document = evaluations[path.name]
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert sorted(row["id"] for row in rows) == sorted(document["nodes"])
    assert [row["id"] for row in rows] == [n.id for n in load(path).root.walk()]
    for row in rows:
        node = document["nodes"][row["id"]]
        assert row["type"] == node["type"]
        assert row["path"].split("/")[-1] == row["id"]
        # The same numbers, to the 15 digits a CSV cell has (csv_number).
        for criterion in document["criteria"]:
            assert row[f"expected.{criterion}"] == csv_number(node["expected"][criterion])
        for player in document["players"]:
            assert row[f"utility.{player}"] == csv_number(node["utility"][player])
        assert row["reach"] == csv_number(node["reach"])
        assert (row["choice"] or None) == node["choice"]
        assert (row["tie"] == "true") == node["tie"]
    significant = [cell.lstrip("-").replace(".", "").strip("0")
                   for row in rows for cell in row.values()]
    assert max(len(d) for d in significant if d.isdigit()) <= 15  # 14.44, not ...00001


def test_csv_paths_probabilities_and_payoffs():
    tree = load(ROOT / "trees" / "offramp.json")
    rows = list(csv.DictReader(io.StringIO(_csv(tree))))
    by_id = {row["id"]: row for row in rows}
    results = evaluate(tree)
    for node in tree.root.walk():
        row = by_id[node.id]
        assert row["branch"] == (node.branch or "")
        if node.probability is not None:
            i = results.flat.index[node.id]
            assert row["probability"] == csv_number(results.probability[i])
            assert float(row["probability"]) == pytest.approx(results.probability[i],
                                                              rel=1e-14)
            assert row["probability_as_written"] == (
                node.probability if isinstance(node.probability, str) else repr(node.probability))
    deep = max(rows, key=lambda r: int(r["depth"]))
    ids = deep["path"].split("/")
    assert ids[0] == tree.root.id and len(ids) == int(deep["depth"]) + 1
    assert [tree.parent_id(b) for b in ids[1:]] == ids[:-1]


def _csv(tree) -> str:
    from offramp_gui.interop.table import csv_text
    return csv_text(tree)


@pytest.mark.parametrize("path", TREES, ids=lambda p: p.name)
def test_graphml_parses_back_with_every_node_and_its_values(path, tmp_path, evaluations):
    out = tmp_path / "tree.graphml"
    convert(path, out)
    graph = nx.read_graphml(out)
    document = evaluations[path.name]
    tree = load(path)
    assert set(graph.nodes) == set(document["nodes"])
    assert graph.number_of_edges() == len(tree) - 1
    assert graph.graph["title"] == tree.title
    for node_id, attrs in graph.nodes(data=True):
        node = document["nodes"][node_id]
        assert attrs["type"] == node["type"]
        for criterion, value in node["expected"].items():
            assert attrs[f"expected.{criterion}"] == value
        for player, value in node["utility"].items():
            assert attrs[f"utility.{player}"] == value
        assert attrs["reach"] == node["reach"]
        assert attrs.get("choice") == node["choice"]
        original = tree.node(node_id)
        assert attrs.get("branch") == original.branch and attrs.get("name") == original.name
    for parent, child in graph.edges:
        assert tree.parent_id(child) == parent


def test_the_networkx_view_keeps_fields_and_formulas():
    tree = load(ROOT / "trees" / "offramp.json")
    plain = to_networkx(tree)
    assert nx.is_arborescence(plain)
    with_values = to_networkx(tree, evaluated(tree))
    root = with_values.nodes[tree.root.id]
    assert root["choice"] == evaluate(tree).chosen_id(tree.root.id)
    formula = next(n for n in tree.root.walk() if isinstance(n.probability, str))
    assert plain.nodes[formula.id]["probability_formula"] == formula.probability
    assert isinstance(with_values.nodes[formula.id]["probability"], float)


def test_dot_is_one_statement_per_node_and_edge_with_quotes_escaped(tmp_path):
    tree = load(ROOT / "trees" / "offramp.json")
    tree.title = 'A "quoted" title\\ with a backslash'
    text = dot_text(tree, evaluated(tree))
    assert text.startswith('digraph "A \\"quoted\\" title\\\\ with a backslash" {')
    assert text.rstrip().endswith("}")
    assert sum(1 for line in text.splitlines() if " -> " in line) == len(tree) - 1
    assert 'style"="bold"' in text
    quoted = r'"(?:[^"\\\n]|\\.)*"'
    statement = re.compile(rf"  {quoted}(?: -> {quoted})? \[{quoted}={quoted}"
                           rf"(?:, {quoted}={quoted})*\];")
    body = text.splitlines()[4:-1]
    assert len(body) == 2 * len(tree) - 1
    assert all(statement.fullmatch(line) for line in body)


def test_an_invalid_tree_is_not_exported(tmp_path):
    tree = load(ROOT / "trees" / "offramp.json")
    tree.root.children[0].children[0].probability = 2
    with pytest.raises(ConversionError, match="probability"):
        write(tree, tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()
