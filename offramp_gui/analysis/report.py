"""The `offramp evaluate --json` document (CLI.md), built from Results."""
from __future__ import annotations

import json
import math
import re
from typing import Any

import numpy as np
import orjson

from .evaluate import Results
from .flatten import ASSUMED_KIND, CHANCE_KIND, DECISION_KIND, FlatTree

_TYPE_NAMES = {0: "terminal", CHANCE_KIND: "chance", DECISION_KIND: "decision",
               ASSUMED_KIND: "decision"}


def preorder(flat: FlatTree) -> list[int]:
    """Node indices in document order."""
    order, stack = [], [0]
    while stack:
        i = stack.pop()
        order.append(i)
        stack.extend(reversed(flat.children(i)))
    return order


def evaluation_document(results: Results) -> dict[str, Any]:
    flat = results.flat
    criteria, players = flat.criteria, flat.players
    keys = results.outcome_keys
    expected = _plain(results.expected)
    utility = _plain(results.utility)
    reach = _plain(results.reach)
    outcomes = _plain(results.outcomes)
    choice = results.choice.tolist()
    tie = results.tie.tolist()
    ids, kinds = flat.ids, flat.kind.tolist()
    nodes = {}
    for i in preorder(flat):
        nodes[ids[i]] = {
            "type": _TYPE_NAMES[kinds[i]],
            "expected": dict(zip(criteria, expected[i])),
            "utility": dict(zip(players, utility[i])),
            "choice": ids[choice[i]] if choice[i] >= 0 else None,
            "tie": tie[i],
            "reach": reach[i],
            "outcomes": {k: p for k, p in zip(keys, outcomes[i]) if p != 0},
        }
    return {**evaluation_document_head(results), "nodes": nodes}


def _plain(array: np.ndarray) -> Any:
    """Python floats for JSON: -0.0 becomes 0.0; nan (not computable) becomes None."""
    clean = array + 0.0
    if np.isnan(clean).any():
        return np.where(np.isnan(clean), None, clean).tolist()
    return clean.tolist()


def _number(value: float) -> float | None:
    return None if math.isnan(value) else value + 0.0


def evaluation_json(results: Results) -> str:
    """The same document as `evaluation_document`, written straight to compact text.

    One string template per node instead of nested dicts: on a 100,000-node tree
    this is several times faster than building the dicts and encoding them.
    """
    flat = results.flat
    joined = "\n".join(flat.ids)  # (an id holding "\n" itself must be escaped)
    safe = joined.count("\n") < len(flat.ids) and _SAFE_IDS.fullmatch(joined)
    ids = [f'"{i}"' for i in flat.ids] if safe else [
        json.dumps(i) for i in flat.ids]
    fields = ['"type":%s', _object_template(flat.criteria, "expected"),
              _object_template(flat.players, "utility"),
              '"choice":%s', '"tie":%s', '"reach":%s', '"outcomes":{%s}']
    template = "%s:{" + ",".join(fields) + "}"
    type_texts = {k: json.dumps(v) for k, v in _TYPE_NAMES.items()}
    types = [type_texts[k] for k in flat.kind.tolist()]
    choices = [ids[c] if c >= 0 else "null" for c in results.choice.tolist()]
    ties = ["true" if t else "false" for t in results.tie.tolist()]
    columns = [ids, types, *_number_columns(results.expected),
               *_number_columns(results.utility), choices, ties,
               _number_columns(results.reach[:, None])[0], _outcome_texts(results)]
    nodes = ",".join([template % row for row in zip(*columns)])
    head = evaluation_document_head(results)
    return json.dumps(head)[:-1] + ',"nodes":{' + nodes + "}}"


def evaluation_document_head(results: Results) -> dict[str, Any]:
    flat = results.flat
    return {"format": "offramp-evaluation", "version": 1, "title": flat.title,
            "root": flat.ids[0], "criteria": list(flat.criteria),
            "players": list(flat.players),
            "variables": {k: _number(v) for k, v in results.variables.items()}}


def _object_template(keys: tuple[str, ...], name: str) -> str:
    inner = ",".join(json.dumps(k).replace("%", "%%") + ":%s" for k in keys)
    return f'"{name}":{{{inner}}}'


_SAFE_IDS = re.compile(r"[A-Za-z0-9_.\n-]*")
_JSON_NUMBER = {"nan": "null", "inf": "null", "-inf": "null"}


def _number_columns(array: np.ndarray) -> list[list[str]]:
    """Each column of a 2-D array as JSON number texts (null where not computable)."""
    columns = np.ascontiguousarray((array + 0.0).T)
    if not np.isfinite(array).all():
        return [[_JSON_NUMBER.get(t, t) for t in map(repr, c)] for c in columns.tolist()]
    # orjson writes shortest round-trip numbers, as repr does, several times faster.
    return [orjson.dumps(c, option=orjson.OPT_SERIALIZE_NUMPY).decode()[1:-1].split(",")
            if c.size else [] for c in columns]


def _outcome_texts(results: Results) -> list[str]:
    keys = [json.dumps(k) + ":" for k in results.outcome_keys]
    one_hot = [k + "1.0" for k in keys]
    flat, dist = results.flat, results.outcomes
    texts = [one_hot[k] for k in flat.outcome.tolist()]  # right for every terminal
    internal = np.flatnonzero(flat.child_count > 0)
    for i, row in zip(internal.tolist(), dist[internal].tolist()):
        texts[i] = ",".join([k + _JSON_NUMBER.get(repr(p), repr(p))
                             for k, p in zip(keys, row) if p != 0])
    return texts
