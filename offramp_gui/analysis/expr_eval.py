"""Evaluate parsed expressions over floats or numpy arrays of samples at once.

`compile_expr` turns the parser's tuples into nested closures once, so evaluating a
tree hundreds of times (sensitivity, Monte Carlo) costs no parsing. All arithmetic is
float64; a non-finite result is an error, explained by `diagnose`.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from ..model.expressions import Expr

Env = Mapping[str, Any]
Compiled = Callable[[Env], Any]

_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": np.add, "-": np.subtract, "*": np.multiply, "/": np.true_divide,
    "^": np.power,
    "<": lambda a, b: np.less(a, b) * 1.0, "<=": lambda a, b: np.less_equal(a, b) * 1.0,
    ">": lambda a, b: np.greater(a, b) * 1.0, ">=": lambda a, b: np.greater_equal(a, b) * 1.0,
    "==": lambda a, b: np.equal(a, b) * 1.0, "!=": lambda a, b: np.not_equal(a, b) * 1.0,
    "and": lambda a, b: np.logical_and(a, b) * 1.0,
    "or": lambda a, b: np.logical_or(a, b) * 1.0,
}


def _min(*args: Any) -> Any:
    return np.minimum.reduce(np.broadcast_arrays(*args)) if len(args) > 1 else args[0]


def _max(*args: Any) -> Any:
    return np.maximum.reduce(np.broadcast_arrays(*args)) if len(args) > 1 else args[0]


_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "min": _min, "max": _max, "abs": np.abs, "sqrt": np.sqrt, "exp": np.exp,
    "log": np.log, "clamp": lambda x, lo, hi: np.minimum(np.maximum(x, lo), hi),
    "if": lambda c, a, b: np.where(np.not_equal(c, 0), a, b),
}


def compile_expr(expr: Expr) -> Compiled:
    """Turn a parsed expression into a function of a name -> value mapping."""
    tag = expr[0]
    if tag == "num":
        value = float(expr[1])
        return lambda env: value
    if tag == "var":
        name = expr[1]
        return lambda env: env[name]
    if tag == "neg":
        inner = compile_expr(expr[1])
        return lambda env: np.negative(inner(env))
    if tag == "not":
        inner = compile_expr(expr[1])
        return lambda env: np.equal(inner(env), 0) * 1.0
    if tag == "bin":
        first, steps = _chain(expr)
        start = compile_expr(first)
        then = [(_BINARY[op], compile_expr(right)) for op, right in steps]
        if len(then) == 1:
            [(op, right)] = then
            return lambda env: op(start(env), right(env))
        return lambda env: _run_chain(start(env), then, env)
    function = _FUNCTIONS[expr[1]]
    args = [compile_expr(a) for a in expr[2]]
    return lambda env: function(*(a(env) for a in args))


def _chain(expr: Expr) -> tuple[Expr, list[tuple[str, Expr]]]:
    """`a op b op c …` as its first operand and the steps that follow, in order.

    The parser nests such a chain to the left, one level per operator, so a
    1,000-character expression is 500 levels deep: walked here in a loop, since
    recursing down it would reach Python's recursion limit. Everything else nests
    only as deep as the parser's MAX_NESTING.
    """
    steps = []
    while expr[0] == "bin":
        steps.append((expr[1], expr[3]))
        expr = expr[2]
    steps.reverse()
    return expr, steps


def _run_chain(value: Any, then: list[tuple[Callable[[Any, Any], Any], Compiled]],
               env: Env) -> Any:
    for op, right in then:
        value = op(value, right(env))
    return value


def evaluate(compiled: Compiled, env: Env) -> Any:
    """Evaluate with floating-point warnings silenced; callers check finiteness.

    >>> from offramp_gui.model.expressions import parse
    >>> rule = compile_expr(parse("if(p > 0.5, 10, clamp(p * 20, 0, 5))"))
    >>> float(evaluate(rule, {"p": 0.1}))
    2.0
    >>> evaluate(rule, {"p": np.array([0.1, 0.2, 0.9])}).tolist()
    [2.0, 4.0, 10.0]
    """
    with np.errstate(all="ignore"):
        return compiled(env)


def diagnose(expr: Expr, env: Mapping[str, float]) -> str:
    """Say in words why an expression gives no finite number for scalar `env`.

    >>> from offramp_gui.model.expressions import parse
    >>> diagnose(parse("1 / (p - 0.5)"), {"p": 0.5})
    'division by zero'
    >>> diagnose(parse("log(p)"), {"p": 0})
    'log of zero or a negative number (0)'
    """
    try:
        result = _strict(expr, env)
    except _Failure as failure:
        return str(failure)
    if math.isnan(result) or math.isinf(result):
        return "the result is not a finite number"
    return "the result is not a finite number for some values in range"


class _Failure(Exception):
    pass


def _strict(expr: Expr, env: Mapping[str, float]) -> float:
    tag = expr[0]
    if tag == "num":
        return expr[1]
    if tag == "var":
        return _finite(float(env[expr[1]]), f"the variable {expr[1]} has no finite value")
    if tag == "neg":
        return -_strict(expr[1], env)
    if tag == "not":
        return float(_strict(expr[1], env) == 0)
    if tag == "bin":
        first, steps = _chain(expr)
        value = _strict(first, env)
        for op, right in steps:
            value = _strict_binary(op, value, _strict(right, env))
        return value
    if expr[1] == "if":
        condition, yes, no = expr[2]
        return _strict(yes if _strict(condition, env) != 0 else no, env)
    args = [_strict(a, env) for a in expr[2]]
    return _strict_call(expr[1], args)


def _strict_binary(op: str, a: float, b: float) -> float:
    if op == "/" and b == 0:
        raise _Failure("division by zero")
    if op == "^":
        try:
            value = math.pow(a, b)
        except OverflowError:
            raise _Failure("a power overflows (the number is too large)") from None
        except ValueError:
            raise _Failure(f"{a:g} ^ {b:g} is not a real number") from None
        return _finite(value, "a power overflows (the number is too large)")
    with np.errstate(all="ignore"):
        value = float(_BINARY[op](np.float64(a), np.float64(b)))
    return _finite(value, "the result overflows (the number is too large)")


def _strict_call(name: str, args: list[float]) -> float:
    x = args[0]
    if name == "sqrt" and x < 0:
        raise _Failure(f"sqrt of a negative number ({x:g})")
    if name == "log" and x <= 0:
        raise _Failure(f"log of zero or a negative number ({x:g})")
    with np.errstate(all="ignore"):
        value = float(_FUNCTIONS[name](*args))
    return _finite(value, f"{name}() overflows (the number is too large)")


def _finite(value: float, message: str) -> float:
    if math.isnan(value) or math.isinf(value):
        raise _Failure(message)
    return value
