"""Fuzzing the loader and the expression parser with hypothesis.

Property: whatever the bytes, loading either gives a tree or raises the project's own
TreeFormatError with its list of problems; nothing else escapes, nothing hangs. The inputs
are random bytes and text, mutations of valid files (flipped, inserted, deleted and
duplicated bytes and lines; swapped values; repeated keys) and random expressions.

A few hundred examples run with the normal tests. For a long run:

    OFFRAMP_FUZZ_EXAMPLES=200000 python -m pytest tests/fuzz -x -q -o faulthandler_timeout=0

(`faulthandler_timeout=0` lifts the suite's 120 s hang alarm for the long run; hypothesis
keeps any failing example in .hypothesis/ and replays it first next time).
"""
from __future__ import annotations

import json
import os
import tempfile
import warnings
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

with warnings.catch_warnings():
    # On a failure hypothesis imports libcst, which warns (an error under our filterwarnings).
    warnings.simplefilter("ignore", DeprecationWarning)
    try:
        import hypothesis.extra._patching  # noqa: F401
    except ImportError:
        pass

from offramp_gui.analysis.evaluate import evaluate
from offramp_gui.analysis.flatten import flatten_columns
from offramp_gui.api import check, load_text
from offramp_gui.fileformat.fastpath import read_plain
from offramp_gui.fileformat.json_io import dumps, loads, nodes_in_text, read_file
from offramp_gui.fileformat.schema import count_nodes
from offramp_gui.model.expressions import ExpressionError, parse
from offramp_gui.model.issues import TreeFormatError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("OFFRAMP_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])
SEEDS = [p.read_bytes() for p in sorted((ROOT / "tests" / "data" / "conformance").glob("*.json"))
         if not p.name.endswith(".expected.json")]
SEEDS.append((ROOT / "trees" / "cuban-missile-crisis-1962.json").read_bytes())


def load_or_problems(data: bytes | str) -> None:
    """The property: a tree, or TreeFormatError with one line per problem."""
    try:
        with warnings.catch_warnings():
            # Known, reported, harmless: the engine's numpy sums overflow on absurd
            # probabilities (1e306) before the file is refused; see test_hostile_files.
            warnings.filterwarnings("ignore", category=RuntimeWarning,
                                    module=r"offramp_gui\.analysis\.")
            tree = load_text(data)
    except TreeFormatError as error:
        assert error.issues and all(line.count("\n") == 0 for line in error.lines())
        return
    # What loads must save and load again unchanged.
    text = dumps(tree)
    assert loads(text).issues == [] and dumps(load_text(text)) == text


# ---- strategies ----------------------------------------------------------------------
INTERESTING = [b"{", b"}", b"[", b"]", b'"', b",", b":", b"\\", b"\x00", b"\xff", b"\xef\xbb\xbf",
               b"#", b"-", b"1e999", b"NaN", b"-Infinity", b"0", b"9" * 400, b"\\ud800",
               b'"x-a": 1, ', b'"id": "a", ', b"__import__", b"\n", b"\t", b" " * 3]
EXPRESSION_TOKENS = ["1", "0", "0.5", "1e308", "1e999", "9", "p", "q", "x", "p_collapse",
                     "__import__", "lambda", "if", "min", "max", "abs", "sqrt", "exp", "log",
                     "clamp", "not",
                     "and", "or", "+", "-", "*", "/", "^", "**", "(", ")", ",", "<", "<=", "==",
                     "!=", ">", "'", '"', ".", "[", "]", ":", " ", "\u0661", "\u202e", "_"]


@st.composite
def mutated(draw) -> bytes:
    """A valid file with a few bytes or lines flipped, inserted, deleted or repeated."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, max(0, len(data) - 1)))
        kind = draw(st.sampled_from(["flip", "insert", "delete", "line", "truncate"]))
        if kind == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(INTERESTING) | st.binary(max_size=4))
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 40))]
        elif kind == "line":
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at) + 1 or len(data)
            data[end:end] = data[start:end]  # often repeats a key in the same object
        else:
            del data[at:]
    return bytes(data)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**30, 10**30) | st.floats()
    | st.sampled_from(["#", "p", "1/0", "9**9**9", "__import__('os')", "a.b", "", "terminal",
                       "chance", "decision", "x" * 300, "\u202e", "<b>"]) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                 max_size=3),
    max_leaves=5)


def _slots(value, found: list) -> list:
    """Every (container, key) in a JSON document."""
    if isinstance(value, dict):
        for key in value:
            found.append((value, key))
            _slots(value[key], found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.append((value, index))
            _slots(item, found)
    return found


@st.composite
def swapped(draw) -> str:
    """A valid file with some values replaced, keys dropped or renamed."""
    doc = json.loads(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        slots = _slots(doc, [])
        container, key = draw(st.sampled_from(slots))
        kind = draw(st.sampled_from(["value", "drop", "rename"]))
        if kind == "value" or isinstance(container, list):
            container[key] = draw(json_values)
        elif kind == "drop":
            del container[key]
        else:
            container[draw(st.text(max_size=12))] = container.pop(key)
    return json.dumps(doc, indent=draw(st.sampled_from([None, 1])), allow_nan=True,
                      ensure_ascii=draw(st.booleans()))


expression_texts = st.lists(st.sampled_from(EXPRESSION_TOKENS), max_size=30).map("".join) | \
    st.text(max_size=40)


def tree_with(expression: str, where: str) -> str:
    """A small document with `expression` as a payoff, a probability or a variable's value."""
    variables = [{"name": "p", "value": 0.3}, {"name": "q", "value": "p * 2"}]
    payoff, probability = 1, 0.5
    if where == "payoff":
        payoff = expression
    elif where == "probability":
        probability = expression
    else:
        variables.append({"name": "x", "value": expression})
    root = {"id": "r", "type": "chance", "children": [
        {"id": "a", "type": "terminal", "probability": probability, "payoff": payoff},
        {"id": "b", "type": "terminal", "probability": "#", "payoff": "x + q"
         if where == "variable" else 0}]}
    return json.dumps({"format": "offramp-tree", "version": 1, "title": "fuzz",
                       "variables": variables, "root": root})


# ---- the properties ------------------------------------------------------------------
@FUZZ
@given(st.binary(max_size=2048))
def test_random_bytes(data):
    load_or_problems(data)


@FUZZ
@given(st.text(max_size=512))
def test_random_text(text):
    load_or_problems(text)


@FUZZ
@given(mutated())
def test_mutated_bytes_of_valid_files(data):
    load_or_problems(data)


@FUZZ
@given(swapped())
def test_swapped_values_in_valid_files(text):
    load_or_problems(text)


@FUZZ
@given(expression_texts)
def test_the_expression_parser_parses_or_explains(text):
    try:
        parsed = parse(text)
    except ExpressionError as error:
        assert str(error) and "\n" not in str(error)
        return
    assert isinstance(parsed, tuple)


@FUZZ
@given(expression_texts, st.sampled_from(["payoff", "probability", "variable"]))
def test_expressions_in_a_tree_load_or_explain(text, where):
    load_or_problems(tree_with(text, where))


@FUZZ
@given(mutated() | swapped().map(str.encode))
def test_the_fast_path_never_passes_what_the_careful_reader_refuses(data):
    """`offramp evaluate` reads plainly valid files a quicker way: it must not be fooled."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tree.json"
        path.write_bytes(data)
        plain = read_plain(path)
        careful = check(read_file(path), str(path))
    if plain is None:
        return
    flat = flatten_columns(*plain)
    if flat.suspect:
        return
    quick = {issue.message for issue in evaluate(flat).issues}
    assert {issue.message for issue in careful} <= quick


@FUZZ
@given(st.one_of(mutated(), swapped()))
def test_the_lean_count_of_nodes_agrees_with_the_parsed_document(data):
    """The count that refuses too many nodes before reading them counts what the reader
    would build: the root and every object in a "children" list, wherever they are."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        raw = json.loads(text)
    except (ValueError, RecursionError):
        return
    root = raw.get("root") if isinstance(raw, dict) else None
    assert nodes_in_text(text) == (count_nodes(root) if isinstance(root, dict) else 0)
