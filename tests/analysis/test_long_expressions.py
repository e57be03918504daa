"""The longest expressions a file may hold compute without reaching Python's recursion limit.

A chain `a / b / c …` nests one level per operator: a 1,000-character expression is
500 levels deep, so the engine must not recurse once per level.
"""
from __future__ import annotations

import inspect
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest

from offramp_gui.analysis.expr_eval import compile_expr, diagnose, evaluate
from offramp_gui.cli import main
from offramp_gui.model.expressions import parse
from offramp_gui.model.limits import MAX_EXPRESSION_LENGTH

LONGEST_CHAIN = 499  # operators in a chain of single characters under the length limit


@contextmanager
def little_stack(frames: int = 150) -> Iterator[None]:
    """Allow only `frames` more frames than the caller has: far fewer than a chain's levels."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + frames)
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)


def longest_chain(op: str) -> str:
    """`p op p op …` as long as an expression may be (comparisons do not chain, and `^`,
    right-associative, nests through the parser, whose nesting limit bounds it)."""
    between = f" {op} " if op.isalpha() else op
    count = (MAX_EXPRESSION_LENGTH + len(between)) // (1 + len(between))
    return between.join(["p"] * count)


@pytest.mark.parametrize("op", ["+", "-", "*", "/", "and", "or"])
def test_a_chain_as_long_as_allowed_computes(op):
    expr = parse(longest_chain(op))
    with little_stack():
        compiled = compile_expr(expr)
        scalar = evaluate(compiled, {"p": 1.0})
        samples = evaluate(compiled, {"p": np.array([1.0, 1.0])})
    assert np.isfinite(scalar) and samples.tolist() == [scalar, scalar]


def test_a_long_chain_that_fails_is_explained():
    expr = parse("1/" * LONGEST_CHAIN + "0")
    with little_stack():
        assert not np.isfinite(evaluate(compile_expr(expr), {}))
        assert diagnose(expr, {}) == "division by zero"


def test_a_file_with_the_longest_chain_validates_and_evaluates(tmp_path, capsys):
    path = tmp_path / "long.json"
    path.write_text('{"format": "offramp-tree", "version": 1, "title": "t", "root": {'
                    '"id": "r", "type": "decision", "children": [{"id": "a", "type":'
                    ' "terminal", "payoff": "' + "1+" * LONGEST_CHAIN + '1"}, {"id": "b",'
                    ' "type": "terminal", "payoff": "' + "1/" * LONGEST_CHAIN + '0"}]}}')
    assert main(["validate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert 'payoff "1/1/1/' in out and out.endswith("cannot be computed: division by zero\n")
    assert "Traceback" not in out + err and "recursion" not in out + err
