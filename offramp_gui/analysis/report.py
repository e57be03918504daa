"""The `offramp evaluate --json` document (docs/cli.md), built from Results."""
from __future__ import annotations

import json
import math
from collections.abc import Iterator
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
    certainty = None if results.certainty is None else _plain(results.certainty)
    for i in preorder(flat):
        node: dict[str, Any] = {
            "type": _TYPE_NAMES[kinds[i]],
            "expected": dict(zip(criteria, expected[i])),
            "utility": dict(zip(players, utility[i])),
        }
        if certainty is not None:  # (only in a tree with a risk attitude)
            node["certainty"] = dict(zip(players, certainty[i]))
        node.update({
            "choice": ids[choice[i]] if choice[i] >= 0 else None,
            "tie": tie[i],
            "reach": reach[i],
            "outcomes": {k: p for k, p in zip(keys, outcomes[i]) if p != 0},
        })
        nodes[ids[i]] = node
    return {**evaluation_document_head(results), "nodes": nodes}


def _plain(array: np.ndarray) -> Any:
    """Python floats for JSON: -0.0 becomes 0.0; nan (not computable) becomes None."""
    clean = array + 0.0
    missing = np.isnan(clean)
    if missing.any():
        numbers = clean.astype(object)
        numbers[missing] = None
        return numbers.tolist()
    return clean.tolist()


def _number(value: float) -> float | None:
    return None if math.isnan(value) else value + 0.0


def evaluation_json(results: Results) -> str:
    """The same document as `evaluation_document`, written straight to compact text."""
    return "".join(evaluation_json_pieces(results))


#: Nodes written per piece: few enough that a piece's texts take a few megabytes.
PIECE_NODES = 1 << 15


def evaluation_json_pieces(results: Results) -> Iterator[str]:
    """`evaluation_json`'s text in consecutive pieces, each for a block of nodes.

    Columns of texts woven between fixed pieces, instead of nested dicts: on a
    100,000-node tree this is several times faster than building and encoding dicts.
    Block by block, so that a large tree's texts never all exist at once.
    """
    flat = results.flat
    # Plain ids hold no comma and nothing JSON escapes: quote them all at once.
    ids = ('"' + '","'.join(flat.ids) + '"').split(",") if flat.plain_ids else [
        json.dumps(i) for i in flat.ids]
    # Texts picked by code with numpy's take: no Python call per node.
    chosen = np.array([*ids, "null"], object)  # (choice -1, none, picks the last)
    types = np.array([json.dumps(_TYPE_NAMES[k]) for k in range(len(_TYPE_NAMES))], object)
    ties = np.array(["false", "true"], object)
    head = json.dumps(evaluation_document_head(results))
    yield head[:-1] + ',"nodes":{'
    for start in range(0, len(ids), PIECE_NODES):
        block = slice(start, start + PIECE_NODES)
        parts: list[str | list[str]] = [ids[block], ':{"type":',
                                         types.take(flat.kind[block]).tolist()]
        columns = [("expected", flat.criteria, results.expected),
                   ("utility", flat.players, results.utility)]
        if results.certainty is not None:  # (only in a tree with a risk attitude)
            columns.append(("certainty", flat.players, results.certainty))
        for name, keys, values in columns:
            parts.append(f',"{name}":{{')
            for k, (key, column) in enumerate(zip(keys, _number_columns(values[block]))):
                parts += [("," if k else "") + json.dumps(key) + ":", column]
            parts.append("}")
        parts += [',"choice":', chosen.take(results.choice[block]).tolist(),
                  ',"tie":', ties.take(results.tie[block]).tolist(),
                  ',"reach":', _number_columns(results.reach[block, None])[0],
                  ',"outcomes":{', _outcome_texts(results, block), "}}"]
        yield _rows("," if start else "", parts, len(parts[0]), "")
    yield "}}"


def _rows(before: str, parts: list[str | list[str]], count: int, after: str) -> str:
    """`count` rows joined by commas, between `before` and `after`; row i is `parts`
    with each list's i-th text.

    One join over a list filled by slice assignment: no per-row Python work, and no
    copy of the long text.
    """
    literals, columns = [""], []
    for part in parts:
        if isinstance(part, str):
            literals[-1] += part
        else:
            columns.append(part)
            literals.append("")
    stride = 2 * len(columns)
    pieces: list[str] = [""] * (1 + stride * count)
    for j, column in enumerate(columns):
        pieces[1 + 2 * j::stride] = column
        pieces[2 + 2 * j::stride] = [literals[j + 1]] * count
    pieces[stride::stride] = [literals[-1] + "," + literals[0]] * count
    pieces[0] = before + literals[0]
    pieces[-1] = literals[-1] + after
    return "".join(pieces)


def evaluation_document_head(results: Results) -> dict[str, Any]:
    flat = results.flat
    head: dict[str, Any] = {
        "format": "offramp-evaluation", "version": 1, "title": flat.title,
        "root": flat.ids[0], "criteria": list(flat.criteria), "players": list(flat.players),
        "variables": {k: _number(v) for k, v in results.variables.items()}}
    if flat.risk:  # (only in a tree with a risk attitude)
        kinds = {flat.players[a.player]: a.kind for a in flat.risk}
        head["utilities"] = {p: kinds.get(p, "linear") for p in flat.players}
    shown = results.equilibrium
    if shown is not None:  # (only in a tree with information sets)
        head["equilibrium"] = {"shown": shown.index + 1 if shown.index >= 0 else None,
                               "of": shown.count, "complete": shown.complete}
    return head


_JSON_NUMBER = {"nan": "null", "inf": "null", "-inf": "null"}


def _number_columns(array: np.ndarray) -> list[list[str]]:
    """Each column of a 2-D array as JSON number texts (null where not computable)."""
    columns = np.ascontiguousarray((array + 0.0).T)
    if not np.isfinite(array).all():
        return [[_JSON_NUMBER.get(t, t) for t in map(repr, c)] for c in columns.tolist()]
    # orjson writes shortest round-trip numbers, as repr does, several times faster.
    return [orjson.dumps(c, option=orjson.OPT_SERIALIZE_NUMPY).decode()[1:-1].split(",")
            if c.size else [] for c in columns]


def _outcome_texts(results: Results, block: slice) -> list[str]:
    """Each node's outcome distribution, without the categories of probability 0."""
    keys = [json.dumps(k).replace("%", "%%") + ":%s" for k in results.outcome_keys]
    one_hot = np.array([key % "1.0" for key in keys], object)
    flat, dist = results.flat, results.outcomes[block]
    texts = one_hot.take(flat.outcome[block])  # right for every terminal
    internal = np.flatnonzero(flat.child_count[block] > 0)
    shown = dist[internal] != 0  # (nan, not computable, is shown: as null)
    patterns, which = _row_patterns(shown)
    # A category of probability 0 consumes its number unprinted ("%.0s"), so every
    # row formats from the same columns.
    templates = [_pattern_template(keys, pattern) for pattern in patterns]
    texts[internal] = list(map(str.__mod__, map(templates.__getitem__, which),
                               zip(*_number_columns(dist[internal]))))
    return texts.tolist()


def _pattern_template(keys: list[str], shown: list[bool]) -> str:
    pieces, listed = [], False
    for key, on in zip(keys, shown):
        pieces.append(("," if listed else "") + key if on else "%.0s")
        listed = listed or on
    return "".join(pieces)


def _row_patterns(shown: np.ndarray) -> tuple[list[list[bool]], list[int]]:
    """The distinct rows of a boolean matrix, and which of them each row is."""
    if shown.shape[1] <= 63:  # each row fits one integer: unique is a plain sort
        codes = shown @ (1 << np.arange(shown.shape[1], dtype=np.int64))
        unique, which = np.unique(codes, return_inverse=True)
        patterns = (unique[:, None] >> np.arange(shown.shape[1]) & 1).astype(bool)
    else:
        patterns, which = np.unique(shown, axis=0, return_inverse=True)
    return patterns.tolist(), which.reshape(-1).tolist()
