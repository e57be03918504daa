"""Tornado on tiny trees (no PySide6 needed)."""
from __future__ import annotations

import json
import math

from offramp_gui.analysis.flatten import FlatTree, flatten
from offramp_gui.analysis.sensitivity import subject, tornado
from offramp_gui.api import load_text


def tree(root: dict, variables: list, **settings) -> FlatTree:
    text = json.dumps({"format": "offramp-tree", "version": 1, "title": "Test",
                       "variables": variables, "root": root, **settings})
    return flatten(load_text(text))


def choice(node_id: str, *children: dict, **fields) -> dict:
    return {"id": node_id, "type": "decision", "children": list(children), **fields}


def leaf(node_id: str, payoff, **fields) -> dict:
    return {"id": node_id, "branch": node_id.title(), "type": "terminal", "payoff": payoff,
            **fields}


def var(name: str, value, low=None, high=None) -> dict:
    return {"name": name, "value": value,
            **({} if low is None else {"min": low}), **({} if high is None else {"max": high})}


def test_a_bar_without_a_value_at_one_end_ranks_as_no_swing():
    flat = tree(choice("pick", leaf("mix", "u"), leaf("zed", 0.2), payoff="sqrt(bad)"),
                [var("bad", 0, -1, 1), var("u", 0.5, 0, 1), var("tiny", 0, 0, 1e-3)])
    result = tornado(flat, subject(flat))
    assert [b.variable for b in result.bars] == ["u", "bad", "tiny"]
    bad = result.bars[1]
    assert math.isnan(bad.value_at_low) and bad.best_at_low is None
    assert (bad.value_at_high, bad.best_at_high) == (1.5, "mix") and math.isnan(bad.swing)
    assert result.bars[2].swing == 0
