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

from ..model.columns import CACHE_BLOCK, ENGINE_FIELDS, NodeColumns
from ..model.fields import NODE_TYPES, VALUE_FIELDS
from ..model.limits import MAX_CHILDREN, MAX_NODES, MAX_OUTCOME_CELLS
from ..model.tree import Settings
from ..model.validate import validate_settings
from .json_io import holds_only, keys_parsed
from .limits import FileRefused, read_limited
from .schema import NODE_KEYS, build_settings

#: Templates and their uses are expanded, and information sets checked, by the careful
#: reader.
_NODE_KEYS = frozenset(NODE_KEYS) - {"template", "use", "information_set"}
_FIELDS = tuple(field.name for field in VALUE_FIELDS if field.name in _NODE_KEYS)
#: The plain fields, with the types their values may have.
_PLAIN = tuple((field.name, {field.json_type, type(None)}) for field in VALUE_FIELDS
               if field.json_type is not None)
#: The fields whose types are checked here: the plain ones and the ids.
_CHECKED = frozenset(["id", *(name for name, _types in _PLAIN)])


def read_plain(path: str | os.PathLike) -> tuple[Settings, NodeColumns] | None:
    """The settings and node columns of a plainly valid file, or None."""
    try:
        data = read_limited(path)
        if data.count(b"{") > MAX_NODES:
            return None  # perhaps too many nodes: the careful reader counts them first
        # orjson refuses NaN, Infinity, 1e999, invalid UTF-8, a BOM and lone
        # surrogates: all of them cases for the careful reader.
        raw = orjson.loads(data)
    except (FileRefused, orjson.JSONDecodeError):
        return None
    if type(raw) is not dict:
        return None
    columns, node_keys = _columns(raw.get("root"), may_hold_null=b"null" in data)
    beside_root = {k: None if k == "root" else v for k, v in raw.items()}
    if columns is None or max(columns.counts) > MAX_CHILDREN or not holds_only(
            data, node_keys + keys_parsed(beside_root)):
        return None
    if _rounded_integers(beside_root):
        return None
    settings, issues = build_settings(raw)
    if settings is None or issues or validate_settings(settings):
        return None
    if len(columns.counts) * (len(settings.outcomes or []) + 1) > MAX_OUTCOME_CELLS:
        return None  # the careful reader says why
    return settings, columns


def _rounded_integers(settings: Any) -> bool:
    """Whether a number may be an integer orjson rounded: it reads integers beyond 64
    bits as floats, where the careful reader keeps them exact (so min 1e29 + 1 stays
    above max 1e29). Only the settings are looked at; amounts in nodes become floats
    in the engine anyway."""
    stack = [settings]
    while stack:
        value = stack.pop()
        if type(value) is dict:
            stack += value.values()
        elif type(value) is list:
            stack += value
        elif type(value) is float and abs(value) >= 2.0 ** 63 and value.is_integer():
            return True
    return False


def _columns(root: Any, may_hold_null: bool) -> tuple[NodeColumns | None, int]:
    """Node columns and the number of keys in node objects, or (None, 0)."""
    counts: list[int] = []
    levels: list[tuple[int, int]] = []
    field: dict[str, list] = {name: [] for name, _column in ENGINE_FIELDS}
    # The fields the engine does not read (notes, collapsed) are only checked: the
    # types of their values, and how many are not null.
    types: dict[str, set[type]] = {name: set() for name in _FIELDS if name not in field}
    others = 0
    present: set[str] = set()
    node_keys = amount_keys = childless = 0
    level = [root]
    try:
        while level:
            levels.append((len(counts), len(counts) + len(level)))
            kids: list[list | tuple] = []
            # Block by block, so that the passes over the same nodes find them in the
            # CPU's cache: on a large tree this halves the time of reading the fields.
            for start in range(0, len(level), CACHE_BLOCK):
                block = level[start:start + CACHE_BLOCK]
                # A node without "children" gets (); "children": null stays None,
                # refused. (dict.get raises TypeError on a node that is not an object.)
                kids += map(dict.get, block, repeat("children"), repeat(()))
                keys = set().union(*block)
                present |= keys
                node_keys += sum(map(len, block))
                for name, column in field.items():
                    if name in keys:
                        column += map(dict.get, block, repeat(name))
                    else:  # (a field such as "name" is often on no node of a block)
                        column += repeat(None, len(block))
                for name in keys.intersection(types):
                    values = list(map(dict.get, block, repeat(name)))
                    types[name].update(map(type, values))
                    others += len(values) - values.count(None)
                amounts = field["payoff"][-len(block):]
                # An object or list among the amounts hides keys from this count, so
                # the file goes to the careful reader; the engine refuses such an
                # amount anyway.
                amount_keys += sum(map(len, compress(amounts, map(isinstance, amounts,
                                                                  repeat(dict)))))
            if not set(map(type, kids)) <= {list, tuple}:
                return None, 0
            counts += map(len, kids)
            childless += kids.count(())
            level = list(chain.from_iterable(kids))
    except TypeError:  # a node that is not an object
        return None, 0
    types.update((name, set(map(type, field[name])))
                 for name in present.intersection(field, _CHECKED))
    if not present <= _NODE_KEYS or not _plain_fields(field["type"], types, present):
        return None, 0
    # An explicit null ("payoff": null, an error) reads like a missing key: if the
    # non-null values are fewer than the keys, some key holds a null.
    if may_hold_null and node_keys != len(counts) - childless + others + sum(
            len(counts) - column.count(None) for column in field.values()):
        return None, 0
    engine: dict[str, Any] = {column: field[name] for name, column in ENGINE_FIELDS}
    return NodeColumns(counts, levels, **engine, source=root), node_keys + amount_keys


def _plain_fields(kinds: list, types: dict[str, set[type]], present: set[str]) -> bool:
    """Types the engine's screen cannot see; it checks probabilities and payoffs itself."""
    if types.get("id") != {str} or sum(map(kinds.count, NODE_TYPES)) < len(kinds):
        return False
    return all(types[name] <= allowed for name, allowed in _PLAIN if name in present)
