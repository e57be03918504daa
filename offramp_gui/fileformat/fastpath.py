"""Read a well-formed tree file straight into node columns, skipping the node objects.

For the command line on large files: every check here works on whole lists at once,
and says only "plainly fine" or "look closer". Anything unusual (a missing id, an
`x-` key on a node, a repeated key, a value of the wrong type) returns None, and the caller
reads the file the careful way, which explains each problem. The node rules are
screened by the engine's own array form (`FlatTree.suspect`) after this.
"""
from __future__ import annotations

import os
from itertools import chain, compress, repeat
from typing import Any

import orjson

from ..model.columns import NodeColumns
from ..model.tree import NODE_TYPES, Settings
from ..model.validate import validate_settings
from .json_io import holds_only, keys_parsed
from .limits import MAX_FILE_BYTES
from .schema import NODE_KEYS, build_settings

_NODE_KEYS = frozenset(NODE_KEYS)
_NODE_TYPES = frozenset(NODE_TYPES)
_TEXT = {str, type(None)}


def read_plain(path: str | os.PathLike) -> tuple[Settings, NodeColumns] | None:
    """The settings and node columns of a plainly valid file, or None."""
    try:
        if os.stat(path).st_size > MAX_FILE_BYTES:
            return None
        with open(path, "rb") as stream:
            data = stream.read()
        # orjson refuses NaN, Infinity, 1e999, invalid UTF-8, a BOM and lone
        # surrogates: all of them cases for the careful reader.
        raw = orjson.loads(data)
    except (OSError, orjson.JSONDecodeError):
        return None
    if type(raw) is not dict:
        return None
    columns, node_keys = _columns(raw.get("root"), may_hold_null=b"null" in data)
    if columns is None or not holds_only(data, node_keys + _keys_beside_root(raw)):
        return None
    settings, issues = build_settings(raw)
    if settings is None or issues or validate_settings(settings):
        return None
    return settings, columns


def _keys_beside_root(raw: dict) -> int:
    """Keys outside the nodes: the top level's own (including "root") and below them."""
    return keys_parsed({k: None if k == "root" else v for k, v in raw.items()})


def _columns(root: Any, may_hold_null: bool) -> tuple[NodeColumns | None, int]:
    """Node columns and the number of keys in node objects, or (None, 0)."""
    order: list[dict] = []
    counts: list[int] = []
    levels: list[tuple[int, int]] = []
    level = [root]
    childless = 0
    while level:
        if set(map(type, level)) != {dict}:
            return None, 0
        levels.append((len(order), len(order) + len(level)))
        order += level
        # A node without "children" gets (); "children": null stays None and is refused.
        kids = list(map(dict.get, level, repeat("children"), repeat(())))
        if not set(map(type, kids)) <= {list, tuple}:
            return None, 0
        counts += map(len, kids)
        childless += kids.count(())
        level = list(chain.from_iterable(kids))
    present = set().union(*order)
    if not present <= _NODE_KEYS:
        return None, 0
    nothing = [None] * len(order)
    field = {name: list(map(dict.get, order, repeat(name))) if name in present else nothing
             for name in ("id", "type", "branch", "name", "player", "solve", "probability",
                          "payoff", "outcome", "notes", "collapsed")}
    if not _plain_fields(field, nothing):
        return None, 0
    keys = sum(map(len, order))
    # An explicit null ("payoff": null, an error) reads like a missing key: if the
    # non-null values are fewer than the keys, some key holds a null.
    if may_hold_null and keys != len(order) - childless + sum(
            len(order) - column.count(None) for column in field.values()):
        return None, 0
    # An object or list among the amounts hides keys from this count, so the file goes
    # to the careful reader; the engine's screen refuses such an amount in any case.
    payoffs = field["payoff"]
    keys += sum(map(len, compress(payoffs, map(isinstance, payoffs, repeat(dict)))))
    return NodeColumns(counts, levels, field["id"], field["type"], field["branch"],
                       field["name"], field["player"], field["solve"], field["probability"],
                       payoffs, field["outcome"]), keys


def _plain_fields(field: dict[str, list], nothing: list) -> bool:
    """Types the engine's screen cannot see; it checks probabilities and payoffs itself.

    A field no node has is the list `nothing`, which needs no look."""
    if set(map(type, field["id"])) != {str} or not _all_in(field["type"], _NODE_TYPES):
        return False
    texts = [field[name] for name in ("branch", "name", "player", "solve", "outcome", "notes")
             if field[name] is not nothing]
    if not all(set(map(type, column)) <= _TEXT for column in texts):
        return False
    return set(map(type, field["collapsed"])) <= {bool, type(None)}


def _all_in(values: list, allowed: frozenset[str]) -> bool:
    try:
        return set(values) <= allowed
    except TypeError:  # a list or an object among them
        return False
