"""The spec's conformance examples: `offramp evaluate NAME.json --json` gives NAME.expected.json."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from offramp_gui.analysis.report import evaluation_document
from offramp_gui.api import evaluate, load

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "conformance"
NAMES = sorted(p.name[:-5] for p in EXAMPLES.glob("*.json") if ".expected" not in p.name)


def assert_matches(actual, expected, path="$"):
    """Same keys and values, numbers within 1e-9, zero outcome categories optional."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), path
        def keys(d):
            return {k for k, v in d.items() if not (path.endswith("outcomes") and v == 0)}
        assert keys(actual) == keys(expected), path
        for key in keys(expected):
            assert_matches(actual[key], expected[key], f"{path}.{key}")
    elif isinstance(expected, bool) or expected is None or isinstance(expected, str):
        assert actual == expected, path
    elif isinstance(expected, (int, float)):
        assert isinstance(actual, (int, float)) and not isinstance(actual, bool), path
        assert abs(actual - expected) <= 1e-9 * max(1.0, abs(expected)), (path, actual, expected)
    else:
        assert actual == expected, path


def test_there_are_six_examples():
    assert len(NAMES) == 6


@pytest.mark.parametrize("name", NAMES)
def test_engine_gives_the_expected_document(name):
    tree = load(EXAMPLES / f"{name}.json")
    document = evaluation_document(evaluate(tree))
    assert_matches(document, json.loads((EXAMPLES / f"{name}.expected.json").read_text()))


@pytest.mark.parametrize("name", NAMES)
def test_command_line_prints_the_expected_document(name):
    run = subprocess.run([sys.executable, "-m", "offramp_gui", "evaluate",
                          str(EXAMPLES / f"{name}.json"), "--json"],
                         capture_output=True, text=True, check=True)
    expected = json.loads((EXAMPLES / f"{name}.expected.json").read_text())
    assert_matches(json.loads(run.stdout), expected)
    assert run.stderr == ""
