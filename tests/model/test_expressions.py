"""The expression language of FORMAT.md: what it computes and everything it refuses."""
from __future__ import annotations

import builtins
import json
import math

import pytest

from offramp_gui.analysis.expr_eval import compile_expr, diagnose
from offramp_gui.analysis.expr_eval import evaluate as run
from offramp_gui.api import load_text
from offramp_gui.model.expressions import MAX_NESTING, ExpressionError, names, parse
from offramp_gui.model.issues import TreeFormatError
from offramp_gui.model.limits import MAX_EXPRESSION_LENGTH as MAX_LENGTH
from offramp_gui.model.tree import Node, Tree, Variable
from offramp_gui.model.validate import validate


def value(text: str, **env: float) -> float:
    """Parse and evaluate over plain numbers."""
    return float(run(compile_expr(parse(text)), env))


def refused(text: str) -> str:
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    return str(caught.value)


def tree_with_payoff(payoff: str, variables: list[Variable] | None = None) -> Tree:
    root = Node("r", "decision", children=[Node("a", "terminal", branch="A", payoff=payoff)])
    tree = Tree(root)
    tree.variables = variables
    return tree


# ---- what expressions compute ------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("-2^2", -4), ("2^3^2", 512), ("2**3**2", 512), ("(2^3)^2", 64), ("2*3^2", 18),
    ("2^-1", 0.5), ("-2^-2", -0.25), ("10 - 2 - 3", 5), ("8/2/2", 2), ("1 - -1", 2),
    ("+3", 3), ("0.25", 0.25), (".5", 0.5), ("1e-3", 0.001), ("2E2", 200),
    ("1 + 2 * 3", 7), ("(1 + 2) * 3", 9), ("1 +\n 2", 3),
])
def test_arithmetic_and_precedence(text, expected):
    assert value(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("1 < 2", 1), ("2 < 1", 0), ("2 <= 2", 1), ("3 > 4", 0), ("3 >= 3", 1),
    ("1 == 1", 1), ("1 != 1", 0), ("-1 < 0", 1), ("(1 < 2) == 1", 1), ("1 + (2 > 1)", 2),
    ("1 and 0", 0), ("2 and 3", 1), ("0 or 0", 0), ("0 or 5", 1), ("not 0", 1), ("not 7", 0),
    ("1 or 0 and 0", 1), ("not 0 and 0", 0), ("not 1 == 2", 1), ("not not 3", 1),
    ("1 < 2 and 2 < 3", 1), ("1 < 2 or 3 < 2", 1),
])
def test_comparisons_and_logic_give_one_or_zero(text, expected):
    assert value(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("min(3, 1, 2)", 1), ("min(4)", 4), ("max(1, 5)", 5), ("max(-1, -2, -3)", -1),
    ("abs(-3)", 3), ("sqrt(16)", 4), ("exp(0)", 1), ("log(1)", 0), ("log(exp(2))", 2),
    ("clamp(5, 0, 1)", 1), ("clamp(-5, 0, 1)", 0), ("clamp(0.5, 0, 1)", 0.5),
    ("if(0, 1, 2)", 2), ("if(3, 1, 2)", 1), ("if(1 < 2, 10, 20)", 10),
])
def test_every_function(text, expected):
    assert value(text) == pytest.approx(expected, abs=1e-12)


def test_variables_are_looked_up():
    assert value("p * payoff + (1 - p) * 2", p=0.25, payoff=10) == 4
    assert names(parse("a + min(b, c) * if(d, e, 1)")) == {"a", "b", "c", "d", "e"}


@pytest.mark.parametrize("text, count, wanted", [
    ("min()", 0, "at least 1 argument"), ("max()", 0, "at least 1 argument"),
    ("abs()", 0, "takes 1 argument"), ("abs(1, 2)", 2, "takes 1 argument"),
    ("sqrt(1, 2)", 2, "takes 1 argument"), ("exp()", 0, "takes 1 argument"),
    ("log(1, 10)", 2, "takes 1 argument"), ("clamp(1, 2)", 2, "takes 3 arguments"),
    ("clamp(1, 2, 3, 4)", 4, "takes 3 arguments"), ("if(1, 2)", 2, "takes 3 arguments"),
])
def test_wrong_number_of_arguments(text, count, wanted):
    message = refused(text)
    assert wanted in message and f"not {count}" in message
    assert text.split("(")[0] + "()" in message


def test_function_name_without_parentheses():
    assert "needs arguments in parentheses" in refused("min + 1")


# ---- limits --------------------------------------------------------------------------
def test_length_limit_is_one_thousand_characters():
    longest = ("1+" * 499 + "1").ljust(MAX_LENGTH)
    assert len(longest) == 1000 and value(longest) == 500
    message = refused(longest + " ")
    assert "1001 characters" in message and "1000" in message


@pytest.mark.parametrize("make", [
    lambda n: "(" * n + "1" + ")" * n,
    lambda n: "-" * n + "1",
    lambda n: "not " * n + "1",
    lambda n: "1^" * n + "1",
    lambda n: "abs(" * n + "1" + ")" * n,
])
def test_nesting_limit(make):
    assert math.isfinite(value(make(20)))
    assert f"nested more than {MAX_NESTING} levels deep" in refused(make(MAX_NESTING + 5))


def test_empty_expression():
    assert "empty" in refused("   ")


# ---- attacks: refused with a reason, never run -----------------------------------------
ATTACKS = {
    "__import__('os')": "text in quotes is not allowed",
    "__import__": "two underscores",
    "__class__ + 1": "two underscores",
    "x.y": "attribute access",
    "().__class__": "attribute access",
    "a[0]": "indexing",
    "lambda: 1": "no lambdas",
    "'a'*10**10": "text in quotes",
    '"a"': "text in quotes",
    "open(1)": "unknown function open()",
    "eval(1)": "unknown function eval()",
    "MIN(1)": "unknown function MIN()",
    "lambda(1)": "unknown function lambda()",
    "1; 2": "';' is not allowed",
    "1 < 2 < 3": "comparisons cannot be chained",
    "1 == 1 != 0": "comparisons cannot be chained",
    "a < b + c < d": "comparisons cannot be chained",
    "x = 1": "use '==' to compare",
    "!x": "use 'not'",
    "7 % 2": "'%' is not allowed",
    "{1}": "'{' is not allowed",
    "a @ b": "'@' is not allowed",
    "1 2": "unexpected '2'",
    "(1": "expected ')'",
    "1 +": "but found the end of the expression",
    "and 1": "'and' needs a value before it",
    "1e999": "too large",
    "x $ y": "unexpected character '$'",
}


@pytest.mark.parametrize("text", ATTACKS)
def test_attack_is_refused_with_a_clear_message(text):
    message = refused(text)
    assert ATTACKS[text] in message
    assert "Traceback" not in message and len(message) < 200


def test_messages_give_the_position():
    assert "(at character 2)" in refused("x.y")
    assert "(at character 5)" in refused("1 + [2]")


def test_nothing_is_handed_to_python(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("the expression language reached Python's eval/exec/compile")

    for name in ("eval", "exec", "compile"):
        monkeypatch.setattr(builtins, name, forbidden)
    for text in ATTACKS:
        with pytest.raises(ExpressionError):
            parse(text)
    assert value("min(2, 3) + if(1, lambda, 0)", **{"lambda": 4}) == 6


def test_an_attack_in_a_file_is_refused_and_not_run(tmp_path):
    marker = tmp_path / "pwned"
    attack = f"__import__('os').system('touch {marker}')"
    doc = {"format": "offramp-tree", "version": 1, "title": "t",
           "root": {"id": "r", "type": "terminal", "payoff": attack}}
    with pytest.raises(TreeFormatError) as caught:
        load_text(json.dumps(doc))
    assert 'node "r"' in caught.value.lines()[0] and "not a valid expression" in str(caught.value)
    assert not marker.exists()


def test_huge_power_parses_but_evaluates_to_an_overflow_error():
    expr = parse("9**9**9**9")
    assert expr[0] == "bin" and expr[1] == "^"
    assert "a power overflows" in diagnose(expr, {})
    with pytest.raises(TreeFormatError) as caught:
        load_text(json.dumps({"format": "offramp-tree", "version": 1, "title": "t",
                              "root": {"id": "r", "type": "terminal", "payoff": "9**9**9**9"}}))
    line = caught.value.lines()[0]
    assert '(node "r")' in line and "$.root.payoff" in line
    assert '"9**9**9**9" cannot be computed: a power overflows' in line


@pytest.mark.parametrize("text, why", [
    ("1/0", "division by zero"), ("sqrt(-1)", "sqrt of a negative number"),
    ("log(0)", "log of zero or a negative number"), ("exp(1000)", "exp() overflows"),
    ("(-8)^(1/3)", "is not a real number"),
])
def test_numeric_failures_are_explained(text, why):
    assert why in diagnose(parse(text), {})


# ---- lambda and other programming words are fine names ------------------------------------
@pytest.mark.parametrize("word", ["lambda", "class", "import", "def", "None", "True", "print"])
def test_programming_keywords_are_legal_names(word):
    assert parse(f"{word} * 2") == ("bin", "*", ("var", word), ("num", 2.0))
    assert value(f"{word} * 2", **{word: 3}) == 6
    tree = tree_with_payoff(f"{word} * 2", [Variable(word, 0.5)])
    assert validate(tree) == []


@pytest.mark.parametrize("word, why", [
    ("and", "word of the expression language"), ("if", "word of the expression language"),
    ("min", "word of the expression language"), ("__x", "two underscores"),
])
def test_language_words_are_not_variable_names(word, why):
    tree = tree_with_payoff("1", [Variable(word, 1)])
    [issue] = validate(tree)
    assert why in issue.message and issue.path == "$.variables[0].name"
