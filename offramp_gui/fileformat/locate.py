"""Find the line and column of JSON paths in a document's text.

Only run when there are problems to report: it walks the text along the wanted paths
and lets the C JSON scanner skip every value off those paths.
"""
from __future__ import annotations

import bisect
import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]  # undocumented, not in the stubs

from .limits import deep_recursion

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_STEP = re.compile(r'\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]')


def _nothing(_value: object) -> None:
    return None


#: Skips a value to find its end, keeping almost nothing of it: each object and number
#: becomes None (the root of 4 million nodes would otherwise be built only to be dropped).
_DECODER = json.JSONDecoder(object_pairs_hook=_nothing, parse_float=_nothing,
                            parse_int=_nothing, parse_constant=_nothing)

Step = str | int


def parse_path(path: str) -> tuple[Step, ...]:
    """`$.root.children[1]["a.b"]` -> ("root", "children", 1, "a.b")."""
    steps: list[Step] = []
    for match in _STEP.finditer(path, 1):
        key, index, quoted = match.groups()
        steps.append(key if key is not None else int(index) if index is not None
                     else json.loads(quoted))
    return tuple(steps)


class TextPositions:
    """Line and column (both from 1) of character offsets in a text."""

    def __init__(self, text: str):
        self._newlines = [m.start() for m in re.finditer("\n", text)]

    def line_column(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_left(self._newlines, offset)
        start = self._newlines[line - 1] + 1 if line else 0
        return line + 1, offset - start + 1


def locate(text: str, paths: list[str]) -> dict[str, tuple[int, int]]:
    """Map each path to the (line, column) of its value, or of its nearest ancestor."""
    wanted = {path: parse_path(path) for path in paths}
    trie: dict = {}
    for steps in wanted.values():
        node = trie
        for step in steps:
            node = node.setdefault(step, {})
    offsets: dict[tuple[Step, ...], int] = {}
    with deep_recursion():
        try:
            _walk(text, _skip(text, 0), (), trie, offsets)
        except (ValueError, IndexError, RecursionError):
            pass  # a malformed tail: keep what was found before it
    positions = TextPositions(text)
    out = {}
    for path, steps in wanted.items():
        depth = len(steps)
        while depth and steps[:depth] not in offsets:
            depth -= 1
        out[path] = positions.line_column(offsets.get(steps[:depth], 0))
    return out


def _skip(text: str, index: int) -> int:
    return _WHITESPACE.match(text, index).end()  # type: ignore[union-attr]


def _walk(text: str, index: int, prefix: tuple, trie: dict, offsets: dict) -> int:
    """Record the value at `index` and the wanted values inside it; return its end."""
    offsets[prefix] = index
    opener = text[index] if index < len(text) else ""
    if not trie or opener not in "{[":
        return _DECODER.raw_decode(text, index)[1]
    index, closer = _skip(text, index + 1), "}" if opener == "{" else "]"
    position = 0
    while text[index] != closer:
        if opener == "{":
            key, index = scanstring(text, index + 1)
            index = _skip(text, _skip(text, index) + 1)  # past ':'
        else:
            key, position = position, position + 1
        child = trie.get(key)
        if child is None:
            index = _DECODER.raw_decode(text, index)[1]
        else:
            index = _walk(text, index, prefix + (key,), child, offsets)
        index = _skip(text, index)
        if text[index] == ",":
            index = _skip(text, index + 1)
    return index + 1
