"""The expression grammar exactly: how operators group, and each refusal word for word."""
from __future__ import annotations

import pytest

from offramp_gui.analysis.expr_eval import compile_expr
from offramp_gui.analysis.expr_eval import evaluate as run
from offramp_gui.model.expressions import ExpressionError, names, parse

COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")
#: Each function of the language with its fewest and most arguments (None: no limit).
ARITY = {"min": (1, None), "max": (1, None), "abs": (1, 1), "sqrt": (1, 1), "exp": (1, 1),
         "log": (1, 1), "clamp": (3, 3), "if": (3, 3)}


def grouped(text: str) -> str:
    """The parsed expression written out with a bracket around every operation."""
    def show(expr: tuple) -> str:
        tag = expr[0]
        if tag == "num":
            return f"{expr[1]:g}"
        if tag == "var":
            return expr[1]
        if tag == "neg":
            return f"(-{show(expr[1])})"
        if tag == "not":
            return f"(not {show(expr[1])})"
        if tag == "bin":
            return f"({show(expr[2])} {expr[1]} {show(expr[3])})"
        return f"{expr[1]}({', '.join(show(arg) for arg in expr[2])})"
    return show(parse(text))


def value(text: str, **env: float) -> float:
    return float(run(compile_expr(parse(text)), env))


def refusal(text: str) -> str:
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    return str(caught.value)


# ---- grouping ------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    # * and / bind tighter than + and -, on either side
    ("a - b * c", "(a - (b * c))"), ("a * b - c", "((a * b) - c)"),
    ("a + b / c", "(a + (b / c))"), ("a / b + c", "((a / b) + c)"),
    # operators of one level group from the left
    ("a - b - c", "((a - b) - c)"), ("a - b + c", "((a - b) + c)"),
    ("a + b - c", "((a + b) - c)"), ("a / b * c", "((a / b) * c)"),
    ("a * b / c", "((a * b) / c)"), ("a / b / c", "((a / b) / c)"),
    # ^ (also spelled **) binds tightest and groups from the right
    ("a ^ b ^ c", "(a ^ (b ^ c))"), ("a ** b ^ c", "(a ^ (b ^ c))"),
    ("a ^ b ** c", "(a ^ (b ^ c))"), ("a * b ^ c", "(a * (b ^ c))"),
    ("a ^ b * c", "((a ^ b) * c)"), ("a ^ b / c", "((a ^ b) / c)"),
    # unary minus: looser than ^, tighter than * and +
    ("-a ^ b", "(-(a ^ b))"), ("-a * b", "((-a) * b)"), ("-a + b", "((-a) + b)"),
    ("a ^ -b", "(a ^ (-b))"), ("a * -b", "(a * (-b))"), ("- -a", "(-(-a))"),
    ("+a * b", "(a * b)"), ("-a < b", "((-a) < b)"),
    # comparisons: looser than arithmetic, tighter than not, and, or
    ("a + b < c * d", "((a + b) < (c * d))"), ("a < b + c", "(a < (b + c))"),
    ("a < b and c", "((a < b) and c)"), ("not a < b", "(not (a < b))"),
    ("not a + b", "(not (a + b))"), ("not a and b", "((not a) and b)"),
    ("a and not b", "(a and (not b))"), ("not not a", "(not (not a))"),
    ("a or not b and c", "(a or ((not b) and c))"),
    # and binds tighter than or; both group from the left
    ("a or b and c", "(a or (b and c))"), ("a and b or c", "((a and b) or c)"),
    ("a or b or c", "((a or b) or c)"), ("a and b and c", "((a and b) and c)"),
    # brackets and function arguments start afresh at the loosest level
    ("(a or b) and c", "((a or b) and c)"), ("(a - b) * c", "((a - b) * c)"),
    ("min(a or b, c or d, e)", "min((a or b), (c or d), e)"),
    ("if(a < b, -c, not d)", "if((a < b), (-c), (not d))"),
    ("max(a)", "max(a)"), ("2.5e1 * x", "(25 * x)"),
])
def test_how_operators_group(text, expected):
    assert grouped(text) == expected


@pytest.mark.parametrize("op", COMPARISONS)
def test_each_comparison_is_looser_than_arithmetic_and_tighter_than_and(op):
    assert grouped(f"a + b {op} c - d") == f"((a + b) {op} (c - d))"
    assert grouped(f"a * b {op} c / d") == f"((a * b) {op} (c / d))"
    assert grouped(f"a {op} b and c {op} d") == f"((a {op} b) and (c {op} d))"
    assert grouped(f"not a {op} b") == f"(not (a {op} b))"


@pytest.mark.parametrize("op", COMPARISONS)
@pytest.mark.parametrize("other", COMPARISONS)
def test_comparisons_do_not_chain(op, other):
    message = refusal(f"a {op} b {other} c")
    assert message.startswith(f"comparisons cannot be chained (at character {6 + len(op)});")


@pytest.mark.parametrize("text, expected", [
    ("1 - 2 * 3", -5), ("2 * 3 - 1", 5), ("1 - 6 / 2", -2), ("6 / 2 - 1", 2),
    ("8 / 2 * 4", 16), ("2 - 3 + 4", 3), ("3 ^ 2 * 2", 18), ("2 ^ 3 ** 2", 512),
    ("2 ** 3 ^ 2", 512), ("-1 + 2", 1), ("-2 * -3", 6), ("1 < 2 + 3", 1), ("3 > 1 + 1", 1),
    ("1 + 1 == 2", 1), ("2 != 1 + 1", 0), ("4 >= 2 * 2", 1), ("4 <= 2 * 3 - 3", 0),
    ("(0 or 1) and 1", 1), ("min(0 or 2, 5)", 1), ("max(1, 0 or 0)", 1), ("1 + 2 + 3", 6),
])
def test_what_a_formula_computes(text, expected):
    assert value(text) == expected


def test_whitespace_anywhere_is_ignored():
    assert grouped("  a\t*\n(b + 1)   ") == "(a * (b + 1))"
    assert value("1 + 2   ") == 3


# ---- functions -----------------------------------------------------------------------
@pytest.mark.parametrize("function", ARITY)
def test_each_function_takes_its_number_of_arguments(function):
    fewest, most = ARITY[function]
    for count in (fewest, most if most is not None else fewest + 5):
        args = ", ".join(["1"] * count)
        assert grouped(f"{function}({args})") == f"{function}({args})"
    wanted = {1: "1 argument", 3: "3 arguments"}[fewest]
    if most is None:
        wanted = f"at least {wanted}"
    assert refusal(f"{function}()") == f"{function}() takes {wanted}, not 0"
    if most is not None:
        args = ", ".join(["1"] * (most + 1))
        assert refusal(f"{function}({args})") == f"{function}() takes {wanted}, not {most + 1}"


def test_names_lists_every_variable_once():
    assert names(parse("-a + not b * c ^ min(d, if(e, f, -g)) - a")) == set("abcdefg")
    assert names(parse("2 * (x or y)")) == {"x", "y"}
    assert names(parse("sqrt(4)")) == set()


# ---- refusals, word for word --------------------------------------------------------------
KNOWN = ", ".join(ARITY)


@pytest.mark.parametrize("text, message", [
    ("* 2)", "expected a number, a name or '(' but found '*' (at character 1)"),
    ("2 * 2)", "unexpected ')' (at character 6)"),
    ("(1 + 2))", "unexpected ')' (at character 8)"),
    ("1 2", "unexpected '2' (at character 3)"),
    ("(1", "expected ')' but found the end (at character 3)"),
    ("(1 2)", "expected ')' but found '2' (at character 4)"),
    ("min(1 2)", "expected ')' but found '2' (at character 7)"),
    ("1 +", "expected a number, a name or '(' but found the end of the expression"
            " (at character 4)"),
    ("1 + )", "expected a number, a name or '(' but found ')' (at character 5)"),
    ("x$y", "unexpected character '$' (at character 2)"),
    ("x $ y", "unexpected character '$' (at character 3)"),
    ("  a.b", "attribute access ('.') is not allowed (at character 4)"),
    ("a < b < c", "comparisons cannot be chained (at character 7); write 'a < b and b < c'"),
    ("or 1", "'or' needs a value before it (at character 1)"),
    ("1 + and 2", "'and' needs a value before it (at character 5)"),
    ("2 * foo(1)", f"unknown function foo() (at character 5); the functions are {KNOWN}"),
    ("1e999", "the number 1e999 is too large"),
    ("sqrt + 1", "the function sqrt needs arguments in parentheses"),
    ("__x", "names starting with two underscores are not allowed: __x"),
    (" \t", "the expression is empty"),
])
def test_refusal_says_what_and_where(text, message):
    assert refusal(text) == message


def test_nesting_limit_is_exactly_one_hundred_levels():
    for make in (lambda n: "(" * n + "1" + ")" * n, lambda n: "-" * n + "1",
                 lambda n: "not " * n + "1"):
        assert parse(make(99))
        assert refusal(make(100)) == "nested more than 100 levels deep"


def test_nesting_counts_depth_not_how_many_parts_came_before():
    before = "(1) + " * 50
    assert parse(before + "(" * 98 + "1" + ")" * 98)
    assert refusal(before + "(" * 99 + "1" + ")" * 99) == "nested more than 100 levels deep"
