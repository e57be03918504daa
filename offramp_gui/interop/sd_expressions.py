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
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..model import expressions
from ..model.expressions import ExpressionError
from ..model.validate import NAME_PATTERN

#: math.js constants, used when no variable of that name is defined.
CONSTANTS = {"pi": math.pi, "PI": math.pi, "e": math.e, "E": math.e, "true": 1, "false": 0}
_TOKEN = re.compile(r"(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_]\w*)"
                    r"|(?P<other>\s+|.)")
_ASSIGNMENT = re.compile(r"^\s*([A-Za-z_]\w*)\s*=(?!=)\s*(.*)$", re.S)
_FUNCTION = re.compile(r"^\s*([A-Za-z_]\w*)\s*\(([^)]*)\)\s*=(?!=)")
_RANDOM = re.compile(r"^\s*random\(\s*(?:([-+]?[\d.eE+-]+)\s*,\s*([-+]?[\d.eE+-]+)\s*)?\)\s*$")
_MIXED = re.compile(r"^\s*([-+]?)\s*(\d+)\s+(\d+)\s*/\s*(\d+)\s*$")


class Untranslatable(ValueError):
    """The expression is not plain arithmetic offramp can evaluate; the message says why."""


@dataclass
class Scope:
    """What names mean at one node: SilverDecisions name -> offramp variable name.

    A name mapped to None has a value offramp cannot compute (a random draw that
    had no stored value, say); `functions` are names defined as functions.
    """

    names: dict[str, str | None] = field(default_factory=dict)
    functions: set[str] = field(default_factory=set)

    def child(self) -> Scope:
        return Scope(dict(self.names), set(self.functions))


def strip_comment(text: str) -> str:
    """math.js comments run from '#' to the end of the line."""
    return "\n".join(line.split("#", 1)[0] for line in text.split("\n")).strip()


def translate(value: Any, scope: Scope) -> float | int | str:
    """A number, or offramp expression text, for a math.js value; raise Untranslatable."""
    if isinstance(value, bool) or value is None:
        raise Untranslatable(f"{value!r} is not a number")
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise Untranslatable(f"{value} is not a finite number")
        return value
    if not isinstance(value, str):
        raise Untranslatable("it is not a number or an expression")
    text = strip_comment(value)
    if not text:
        return 0  # SilverDecisions reads an empty payoff as 0
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
    following = text[match.end():].lstrip()[:1]
    if following == "(":
        if word in scope.functions:
            raise Untranslatable(f"it calls {word}(), a function defined in a code block")
        return word  # offramp's parser says whether it knows the function
    if word in scope.names:
        target = scope.names[word]
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


def offramp_name(name: str, taken: set[str]) -> str:
    """A variable name offramp accepts and that is not yet taken, close to `name`."""
    base = name if NAME_PATTERN.fullmatch(name) else re.sub(r"\W", "_", name)[:60] or "var"
    if base.startswith("__"):
        base = "v" + base.lstrip("_")
    if base in expressions.RESERVED_NAMES or not NAME_PATTERN.fullmatch(base):
        base = f"{base}_var"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate


# ---- numbers SilverDecisions stored ---------------------------------------------------
def stored_number(value: Any) -> float | None:
    """A number SilverDecisions wrote: 3, "2/5", "-7 1973731/5073127"; None if not one."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    if not isinstance(value, str):
        return None
    mixed = _MIXED.match(value)
    try:
        if mixed:
            sign, whole, num, den = mixed.groups()
            fraction = int(whole) + Fraction(int(num), int(den))
            return float(-fraction if sign == "-" else fraction)
        number = float(Fraction(value.strip()))
    except (ValueError, ZeroDivisionError):
        return None
    return number if math.isfinite(number) else None
