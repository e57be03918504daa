"""Inputs and the property for fuzzing the Gambit and SilverDecisions readers.

Property: whatever the bytes, `interop.read` gives a tree or raises ConversionError with
one line per problem; nothing else escapes. The inputs are mutations of the example
files in tests/data/interop (flipped, inserted, deleted and repeated bytes and lines,
hostile tokens such as 1e999999999) and, for SilverDecisions, documents with values
swapped for others of any JSON type. Used by test_reader_fuzz.py (a short run with the
tests) and tests/fuzz/fuzz_interop.py (long runs).
"""
from __future__ import annotations

import json
import tempfile
import warnings
from pathlib import Path

from hypothesis import strategies as st

from offramp_gui.interop import ConversionError, read

DATA = Path(__file__).resolve().parents[1] / "data" / "interop"
#: Small examples only: each fuzzed input is read, checked and evaluated whole.
GAMBIT_SEEDS = [p.read_bytes() for p in sorted((DATA / "gambit").rglob("*.efg"))
                if p.stat().st_size < 4000]
SD_SEEDS = [p.read_bytes() for p in sorted((DATA / "silverdecisions").rglob("*.json"))
            if p.stat().st_size < 20000]

GAMBIT_TOKENS = [b"1e999999999", b"-1e400", b"1/0", b"9" * 1200, b"99999999999999999999",
                 b"{", b"}", b'"', b'\\"', b",", b"p", b"c", b"t", b"0", b"1", b"2", b"1/3",
                 b"\xc2\xb2", b"\xff", b"\x00", b"\n", b" ", b"EFG 2 R", b'"" { "a" "b" } 0']
SD_TOKENS = [b"{", b"}", b"[", b"]", b'"', b",", b":", b"1e999999999", b"-1e400", b"9" * 5000,
             b"NaN", b"Infinity", b"null", b"true", b'"#"', b'"x = 1\\n"', b"\\u0000",
             b'"payoffNames": 5, ', b'"childEdges": {}, ', b'"type": 3, ', b"\xef\xbb\xbf"]


@st.composite
def mutated(draw, seeds: list[bytes], tokens: list[bytes]) -> bytes:
    """A valid file with a few bytes or lines flipped, inserted, deleted or repeated."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, max(0, len(data) - 1)))
        kind = draw(st.sampled_from(["flip", "insert", "delete", "line", "truncate"]))
        if kind == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(tokens) | st.binary(max_size=4))
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 40))]
        elif kind == "line":
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at) + 1 or len(data)
            data[end:end] = data[start:end] * draw(st.integers(1, 3))
        else:
            del data[at:]
    return bytes(data)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**400, 10**400) | st.floats()
    | st.sampled_from(["#", "1/0", "1e999999999", "3 1/0", "x = 1\ny = x", "sin(1)",
                       "random()", "terminal", "chance", "decision", "x" * 1200, "\u202e",
                       "expected-value-maximization", "max-min"]) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner,
                                                                 max_size=3),
    max_leaves=5)


def _slots(value, found: list) -> list:
    """Every (container, key) of a JSON document, without recursion."""
    stack = [value]
    while stack:
        item = stack.pop()
        keys = item.keys() if isinstance(item, dict) else range(len(item)) \
            if isinstance(item, list) else ()
        for key in keys:
            found.append((item, key))
            stack.append(item[key])
    return found


@st.composite
def swapped(draw) -> bytes:
    """A SilverDecisions document with some values replaced, keys dropped or renamed."""
    doc = json.loads(draw(st.sampled_from([s for s in SD_SEEDS if _is_json(s)])))
    for _ in range(draw(st.integers(1, 4))):
        slots = _slots(doc, [])
        if not slots:
            break
        container, key = draw(st.sampled_from(slots))
        kind = draw(st.sampled_from(["value", "drop", "rename"]))
        if kind == "value" or isinstance(container, list):
            container[key] = draw(json_values)
        elif kind == "drop":
            del container[key]
        else:
            container[draw(st.text(max_size=12))] = container.pop(key)
    return json.dumps(doc, allow_nan=True).encode()


def _is_json(data: bytes) -> bool:
    try:
        json.loads(data)
    except ValueError:
        return False
    return True


def read_or_refuse(data: bytes, suffix: str) -> None:
    """The property: a tree, or ConversionError with one line per problem."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzzed{suffix}"
        path.write_bytes(data)
        try:
            with warnings.catch_warnings():
                # Known and harmless: numpy sums overflow on absurd numbers before the
                # import refuses them (as in tests/fuzz/fuzz_loader.py).
                warnings.filterwarnings("ignore", category=RuntimeWarning,
                                        module=r"offramp_gui\.analysis\.")
                read(path)
        except ConversionError as error:
            assert error.problems and all(line and "\n" not in line
                                          for line in error.problems), error.problems
