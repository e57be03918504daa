"""The expression language of docs/format.md ("Expressions"), parsed into plain tuples.

Our own tokenizer and Pratt parser: nothing from the text is ever handed to Python's
`eval`, `exec` or `compile`. The tuples are evaluated by `analysis.expr_eval`, over
scalars or numpy arrays alike.

Parsed forms:
    ("num", value)  ("var", name)  ("neg", a)  ("not", a)
    ("bin", op, a, b) with op in + - * / ^ < <= > >= == != and or
    ("call", function, (args...))
"""
from __future__ import annotations

import math
import re

from .limits import MAX_EXPRESSION_LENGTH

MAX_NESTING = 100

#: Function name -> (fewest, most) arguments; None means no upper limit.
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "min": (1, None), "max": (1, None), "abs": (1, 1), "sqrt": (1, 1),
    "exp": (1, 1), "log": (1, 1), "clamp": (3, 3), "if": (3, 3),
}
KEYWORDS = ("and", "or", "not")
RESERVED_NAMES = frozenset(FUNCTIONS) | frozenset(KEYWORDS)

Expr = tuple

_TOKEN = re.compile(
    r"\s*(?:(?P<num>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>\*\*|<=|>=|==|!=|[-+*/^()<>,]))"
)
_BINARY_POWER = {
    "or": 1, "and": 2, "<": 4, "<=": 4, ">": 4, ">=": 4, "==": 4, "!=": 4,
    "+": 5, "-": 5, "*": 6, "/": 6, "^": 8, "**": 8,
}
_COMPARISON_POWER = 4
_UNARY_MINUS_POWER = 7
_NOT_POWER = 3
_FORBIDDEN = {
    "'": "text in quotes is not allowed", '"': "text in quotes is not allowed",
    ".": "attribute access ('.') is not allowed", "[": "indexing ('[') is not allowed",
    "]": "indexing (']') is not allowed", ":": "':' is not allowed (no lambdas or slices)",
    "=": "'=' is not allowed (use '==' to compare)", "{": "'{' is not allowed",
    "}": "'}' is not allowed", "%": "'%' is not allowed", "@": "'@' is not allowed",
    ";": "';' is not allowed", "!": "'!' is not allowed (use 'not')",
}


class ExpressionError(ValueError):
    """The text is not an expression of the language; the message says why."""


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens, pos = [], 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            rest = text[pos:].lstrip()
            if not rest:
                break
            at = len(text) - len(rest)
            raise ExpressionError(_unexpected(rest[0], at))
        kind = match.lastgroup
        assert kind is not None
        tokens.append((kind, match.group(kind), match.start(kind)))
        pos = match.end()
    tokens.append(("end", "", len(text)))
    return tokens


def _unexpected(char: str, at: int) -> str:
    why = _FORBIDDEN.get(char, f"unexpected character {char!r}")
    return f"{why} (at character {at + 1})"


class _Parser:
    def __init__(self, text: str):
        self.tokens = _tokenize(text)
        self.pos = 0
        self.depth = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.pos]

    def take(self) -> tuple[str, str, int]:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def expect(self, op: str) -> None:
        kind, value, at = self.take()
        if value != op or kind == "name":
            found = "the end" if kind == "end" else repr(value)
            raise ExpressionError(f"expected {op!r} but found {found} (at character {at + 1})")

    def parse(self) -> Expr:
        expr = self.expression(0)
        kind, value, at = self.peek()
        if kind != "end":
            raise ExpressionError(f"unexpected {value!r} (at character {at + 1})")
        return expr

    def expression(self, min_power: int) -> Expr:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ExpressionError(f"nested more than {MAX_NESTING} levels deep")
        left = self.prefix()
        compared = False
        while True:
            kind, op, at = self.peek()
            power = _BINARY_POWER.get(op) if kind in ("op", "name") else None
            if power is None or power <= min_power:
                break
            self.take()
            if power == _COMPARISON_POWER:
                if compared:
                    raise ExpressionError(
                        f"comparisons cannot be chained (at character {at + 1}); "
                        "write 'a < b and b < c'")
                compared = True
            # ^ is right-associative: its right side may hold another ^ of equal power.
            right = self.expression(power - 1 if op in ("^", "**") else power)
            left = ("bin", "^" if op == "**" else op, left, right)
        self.depth -= 1
        return left

    def prefix(self) -> Expr:
        kind, value, at = self.take()
        if kind == "num":
            number = float(value)
            if math.isinf(number):
                raise ExpressionError(f"the number {value} is too large")
            return ("num", number)
        if kind == "op" and value in "-+":
            operand = self.expression(_UNARY_MINUS_POWER)
            return ("neg", operand) if value == "-" else operand
        if kind == "op" and value == "(":
            inner = self.expression(0)
            self.expect(")")
            return inner
        if kind == "name":
            return self.name(value, at)
        found = "the end of the expression" if kind == "end" else repr(value)
        raise ExpressionError(f"expected a number, a name or '(' but found {found}"
                              f" (at character {at + 1})")

    def name(self, word: str, at: int) -> Expr:
        if word == "not":
            return ("not", self.expression(_NOT_POWER))
        if word in ("and", "or"):
            raise ExpressionError(f"'{word}' needs a value before it (at character {at + 1})")
        if word.startswith("__"):
            raise ExpressionError(f"names starting with two underscores are not allowed: {word}")
        if self.peek()[1] == "(" and self.peek()[0] == "op":
            return self.call(word, at)
        if word in FUNCTIONS:
            raise ExpressionError(f"the function {word} needs arguments in parentheses")
        return ("var", word)

    def call(self, function: str, at: int) -> Expr:
        if function not in FUNCTIONS:
            known = ", ".join(FUNCTIONS)
            raise ExpressionError(f"unknown function {function}() (at character {at + 1});"
                                  f" the functions are {known}")
        self.take()
        args = []
        if self.peek()[1] != ")":
            args.append(self.expression(0))
            while self.peek()[1] == ",":
                self.take()
                args.append(self.expression(0))
        self.expect(")")
        fewest, most = FUNCTIONS[function]
        if len(args) < fewest or (most is not None and len(args) > most):
            wanted = str(fewest) if fewest == most else f"at least {fewest}"
            noun = "argument" if fewest == 1 else "arguments"
            raise ExpressionError(f"{function}() takes {wanted} {noun}, not {len(args)}")
        return ("call", function, tuple(args))


def parse(text: str) -> Expr:
    """Parse an expression; raise ExpressionError with a plain-words reason.

    >>> parse("2 * x ^ 2")
    ('bin', '*', ('num', 2.0), ('bin', '^', ('var', 'x'), ('num', 2.0)))
    >>> parse("1 - 2 * 3")
    ('bin', '-', ('num', 1.0), ('bin', '*', ('num', 2.0), ('num', 3.0)))
    >>> parse("a + 1 < b")
    ('bin', '<', ('bin', '+', ('var', 'a'), ('num', 1.0)), ('var', 'b'))
    >>> parse("-x ^ 2")
    ('neg', ('bin', '^', ('var', 'x'), ('num', 2.0)))
    >>> for text in ("* 2)", "x = 1"):
    ...     try:
    ...         parse(text)
    ...     except ExpressionError as error:
    ...         print(error)
    expected a number, a name or '(' but found '*' (at character 1)
    '=' is not allowed (use '==' to compare) (at character 3)
    """
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(f"the expression is {len(text)} characters long;"
                              f" the limit is {MAX_EXPRESSION_LENGTH}")
    if not text.strip():
        raise ExpressionError("the expression is empty")
    return _Parser(text).parse()


def names(expr: Expr) -> set[str]:
    """The variable names an expression refers to.

    >>> sorted(names(parse("max(p, 1 - q) * cost")))
    ['cost', 'p', 'q']
    """
    found: set[str] = set()
    stack = [expr]
    while stack:
        item = stack.pop()
        tag = item[0]
        if tag == "var":
            found.add(item[1])
        elif tag in ("neg", "not"):
            stack.append(item[1])
        elif tag == "bin":
            stack.extend(item[2:])
        elif tag == "call":
            stack.extend(item[2])
    return found


def name_spans(text: str) -> list[tuple[int, int]]:
    """Where each word (a variable, function or keyword) stands in `text`: (start, end).

    Renaming a variable rewrites these spans only, never a name inside another.
    Raise ExpressionError where the text has a character the language does not have.

    >>> name_spans("p2 + p")
    [(0, 2), (5, 6)]
    """
    return [(at, at + len(word)) for kind, word, at in _tokenize(text) if kind == "name"]
