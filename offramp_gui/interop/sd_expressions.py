"""SilverDecisions expressions (math.js) and code blocks, in offramp's expression language.

SilverDecisions evaluates probabilities, payoffs and its code blocks with math.js.
Plain arithmetic over variables carries over as it is, with variable names renamed
where offramp must (one global list of variables instead of nested scopes). Anything
else (a `random()` draw, `sin`, a function defined in a code block) cannot: the caller
then takes the number SilverDecisions stored in the file and reports it.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..model import expressions
from ..model.expressions import ExpressionError
from ..model.limits import MAX_EXPRESSION_LENGTH
from ..model.validate import NAME_PATTERN
from .common import MAX_NUMBER_DIGITS, Names, decimal_number

#: math.js constants, used when no variable of that name is defined.
CONSTANTS = {"pi": math.pi, "PI": math.pi, "e": math.e, "E": math.e, "true": 1, "false": 0}
_TOKEN = re.compile(r"(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_]\w*)"
                    r"|(?P<other>\s+|.)")
_ASSIGNMENT = re.compile(r"^\s*([A-Za-z_]\w*)\s*=(?!=)\s*(.*)$", re.S)
_FUNCTION = re.compile(r"^\s*([A-Za-z_]\w*)\s*\(([^)]*)\)\s*=(?!=)")
_RANDOM = re.compile(r"^\s*random\(\s*(?:([-+]?[\d.eE+-]+)\s*,\s*([-+]?[\d.eE+-]+)\s*)?\)\s*$")
_MIXED = re.compile(r"^\s*([-+]?)\s*(\d+)\s+(\d+)\s*/\s*(\d+)\s*$", re.ASCII)
_STORED_RATIONAL = re.compile(r"\s*([-+]?\d+)\s*/\s*(\d+)\s*", re.ASCII)
_CALL = re.compile(r"\s*\(")


class Untranslatable(ValueError):
    """The expression is not plain arithmetic offramp can evaluate; the message says why."""


class Scope:
    """What names mean at one node: SilverDecisions name -> offramp variable name.

    A name mapped to None has a value offramp cannot compute (a random draw that
    had no stored value, say); `functions` are names defined as functions. A node's
    scope holds only what its own code defines and looks the rest up in its parent's,
    remembering what it found: a tree of many code blocks under many variables is
    read in time linear in its size, not copied block by block.
    """

    def __init__(self, names: dict[str, str | None] | None = None,
                 parent: Scope | None = None):
        self.names: dict[str, str | None] = dict(names or {})
        self.functions: set[str] = set()
        self.parent = parent
        self._inherited: dict[str, tuple[bool, str | None]] = {}
        self._inherited_functions: dict[str, bool] = {}

    def child(self) -> Scope:
        return Scope(parent=self)

    def target(self, word: str) -> tuple[bool, str | None]:
        """(whether `word` is a variable here, the offramp name it stands for)."""
        visited: list[Scope] = []
        scope: Scope | None = self
        found: tuple[bool, str | None] = (False, None)
        while scope is not None:
            if word in scope.names:
                found = (True, scope.names[word])
                break
            if word in scope.functions:  # a function hides a variable of its name
                break
            if word in scope._inherited:
                found = scope._inherited[word]
                break
            visited.append(scope)
            scope = scope.parent
        for seen in visited:
            seen._inherited[word] = found
        return found

    def is_function(self, word: str) -> bool:
        visited: list[Scope] = []
        scope: Scope | None = self
        found = False
        while scope is not None:
            if word in scope.functions:
                found = True
                break
            if word in scope._inherited_functions:
                found = scope._inherited_functions[word]
                break
            visited.append(scope)
            scope = scope.parent
        for seen in visited:
            seen._inherited_functions[word] = found
        return found


def strip_comment(text: str) -> str:
    """math.js comments run from '#' to the end of the line."""
    return "\n".join(line.split("#", 1)[0] for line in text.split("\n")).strip()


def translate(value: Any, scope: Scope) -> float | int | str:
    """A number, or offramp expression text, for a math.js value; raise Untranslatable."""
    if isinstance(value, bool) or value is None:
        raise Untranslatable(f"{value!r} is not a number")
    if isinstance(value, (int, float)):
        try:
            finite = math.isfinite(value)
        except OverflowError:  # an integer beyond every double
            finite = False
        if not finite:
            raise Untranslatable("it is not a finite number")
        return value
    if not isinstance(value, str):
        raise Untranslatable("it is not a number or an expression")
    text = strip_comment(value)
    if not text:
        return 0  # SilverDecisions reads an empty payoff as 0
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise Untranslatable(f"it is longer than {MAX_EXPRESSION_LENGTH} characters")
    renamed = "".join(_rename(match, text, scope) for match in _TOKEN.finditer(text))
    try:
        parsed = expressions.parse(renamed)
    except ExpressionError as error:
        raise Untranslatable(str(error).split(" (at character")[0]) from None
    if parsed[0] == "num":
        return _plain(parsed[1])
    if parsed[0] == "neg" and parsed[1][0] == "num":
        return _plain(-parsed[1][1])
    return renamed.strip()


def _rename(match: re.Match, text: str, scope: Scope) -> str:
    word = match.group("name")
    if word is None:
        return match.group(0)
    if _CALL.match(text, match.end()):
        if scope.is_function(word):
            raise Untranslatable(f"it calls {word}(), a function defined in a code block")
        return word  # offramp's parser says whether it knows the function
    defined, target = scope.target(word)
    if defined:
        if target is None:
            raise Untranslatable(f"the value of {word} is not plain arithmetic")
        return target
    if word in CONSTANTS:
        return repr(CONSTANTS[word])
    if word in ("and", "or", "not"):
        return word
    raise Untranslatable(f'"{word}" is not defined')


def _plain(number: float) -> float | int:
    return int(number) if number == int(number) and abs(number) < 2**53 else number


# ---- code blocks ----------------------------------------------------------------------
@dataclass
class Definition:
    """One line of a code block: `name = expression` (or a function definition)."""

    name: str
    text: str
    function: bool = False


def definitions(code: str | None) -> tuple[list[Definition], list[str]]:
    """The assignments of a code block, and the lines that are not assignments."""
    found: list[Definition] = []
    other: list[str] = []
    for raw in re.split(r"[\n;]", code or ""):
        line = strip_comment(raw)
        if not line:
            continue
        function = _FUNCTION.match(line)
        if function:
            found.append(Definition(function.group(1), line, True))
            continue
        assignment = _ASSIGNMENT.match(line)
        if assignment:
            found.append(Definition(assignment.group(1), assignment.group(2).strip()))
        else:
            other.append(line)
    return found, other


def random_range(text: str) -> tuple[float, float] | None:
    """(low, high) when the expression is exactly `random()` or `random(low, high)`."""
    match = _RANDOM.match(text)
    if match is None:
        return None
    try:
        low = float(match.group(1)) if match.group(1) else 0.0
        high = float(match.group(2)) if match.group(2) else 1.0
    except ValueError:
        return None
    return (low, high) if low < high else None


def offramp_name(name: str, taken: Names) -> str:
    """A variable name offramp accepts and that is not yet taken, close to `name`."""
    base = name if NAME_PATTERN.fullmatch(name) else re.sub(r"\W", "_", name)[:60] or "var"
    if base.startswith("__"):
        base = "v" + base.lstrip("_")
    if base in expressions.RESERVED_NAMES or not NAME_PATTERN.fullmatch(base):
        base = f"{base}_var"
    return taken.unique(base)


# ---- numbers SilverDecisions stored ---------------------------------------------------
def stored_number(value: Any) -> float | None:
    """A number SilverDecisions wrote: 3, "2/5", "-7 1973731/5073127"; None if not one.

    Texts are read with a bound on their digits and exponent (common.decimal_number).
    """
    if isinstance(value, bool) or value is None:
        return None
    if not isinstance(value, (int, float, str)) or (
            isinstance(value, str) and len(value) > MAX_NUMBER_DIGITS + 20):
        return None
    try:
        number = float(value) if not isinstance(value, str) else _stored_text(value)
    except (ValueError, ZeroDivisionError, OverflowError):
        return None
    return number if number is not None and math.isfinite(number) else None


def _stored_text(text: str) -> float | None:
    mixed = _MIXED.match(text)
    if mixed:
        sign, whole, num, den = mixed.groups()
        fraction = int(whole) + Fraction(int(num), int(den))
        return float(-fraction if sign == "-" else fraction)
    rational = _STORED_RATIONAL.fullmatch(text)
    exact = Fraction(int(rational[1]), int(rational[2])) if rational else decimal_number(text)
    return None if exact is None else float(exact)
