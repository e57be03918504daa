"""What every converter shares: the report, the error, ids, numbers, the final check.

A conversion never approximates or drops anything silently: each importer and exporter
writes one line per item into a `Report`.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..model.issues import quote_text
from ..model.tree import Node, Tree


class ConversionError(Exception):
    """A conversion that cannot be done; `problems` says why, one line each.

    `usage` marks a wrong request (an unknown format, a tree that does not exist)
    rather than a bad file: the command line exits with 2 for those, 1 otherwise.
    """

    def __init__(self, problems: list[str] | str, usage: bool = False):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        self.usage = usage
        super().__init__("\n".join(self.problems))


@dataclass
class Report:
    """What a conversion did, one line per item, in three lists.

    `converted` says what was read and written; `approximated` lists every value or
    rule that offramp could not carry over exactly and replaced; `dropped` lists what
    the target cannot hold at all (positions, notes, other trees…).
    """

    source: str = ""
    target: str = ""
    from_format: str = ""
    to_format: str = ""
    converted: list[str] = field(default_factory=list)
    approximated: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Everything, ready to print: the summary, then one line per loss."""
        return (self.converted + [f"approximated: {line}" for line in self.approximated]
                + [f"not kept: {line}" for line in self.dropped])

    def as_dict(self) -> dict[str, Any]:
        return {"format": "offramp-conversion", "version": 1,
                "source": self.source, "target": self.target,
                "from": self.from_format, "to": self.to_format,
                "converted": list(self.converted), "approximated": list(self.approximated),
                "dropped": list(self.dropped)}


_NOT_ID = re.compile(r"[^A-Za-z0-9_.-]+")


def slug(text: str | None, fallback: str) -> str:
    """An id made from a name: `Nuclear risk` -> `nuclear_risk`; `fallback` if nothing is left."""
    base = _NOT_ID.sub("_", (text or "").strip().lower()).strip("_.-")[:60]
    return base or fallback


class Names:
    """Names given so far, each once: `unique` gives `base`, or `base_2`, `base_3`…

    Each base remembers where its numbering stopped, so a name repeated 50,000 times
    costs 50,000 steps, not 50,000² / 2.
    """

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self._next: dict[str, int] = {}

    def __contains__(self, name: str) -> bool:
        return name in self.taken

    def unique(self, base: str) -> str:
        """`base` if it is free, else the first free `base_N`; the result is taken."""
        name = base
        if name in self.taken:
            n = self._next.get(base, 2)
            while f"{base}_{n}" in self.taken:
                n += 1
            self._next[base] = n + 1
            name = f"{base}_{n}"
        self.taken.add(name)
        return name


#: Digits a number of an imported file may have (a double needs at most 17 significant
#: ones; an exact decimal of one, about 770). Longer texts are refused unread.
MAX_NUMBER_DIGITS = 1000
#: Decimal exponents past this are outside every double (1.8e308 at most, 5e-324 at least).
_EXPONENT_BOUND = 400
_DECIMAL = re.compile(r"([-+]?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?", re.ASCII)


def json_integer(text: str) -> int | float:
    """A JSON integer (json.loads' parse_int); one too long for a double is read as a
    float (inf past 1.8e308, which the import then refuses), not as an integer of any
    length."""
    return int(text) if len(text) <= 300 else float(text)


def decimal_number(text: str) -> Fraction | None:
    """The exact value of a decimal like `-12.5e3`, or None if `text` is not one.

    Bounded: at most MAX_NUMBER_DIGITS digits, and an exponent like 1e999999999 is
    judged by its size, not expanded (Fraction("1e999999999") would build a billion-digit
    integer). Too large for a double: ValueError; too small to tell from 0: 0.
    """
    match = _DECIMAL.fullmatch(text.strip())
    if match is None:
        return None
    sign, whole, decimals, exponent = match.groups()
    decimals = decimals or ""
    if not whole and not decimals:
        return None
    if len(whole) + len(decimals) > MAX_NUMBER_DIGITS:
        raise ValueError(f"it has more than {MAX_NUMBER_DIGITS} digits")
    digits = (whole + decimals).lstrip("0")
    if not digits:
        return Fraction(0)
    exponent_digits = (exponent or "0").lstrip("+-").lstrip("0") or "0"
    power = int(exponent_digits) if len(exponent_digits) <= 12 else 10**12
    if (exponent or "").startswith("-"):
        power = -power
    # The value is 0.<digits> × 10^magnitude.
    magnitude = power + len(whole.lstrip("0")) if whole.lstrip("0") else \
        power - (len(decimals) - len(decimals.lstrip("0")))
    if magnitude > 309:
        raise ValueError("it is too large (offramp's numbers are at most about 1.8e308)")
    if magnitude < -_EXPONENT_BOUND:
        return Fraction(0)
    value = Fraction(int(digits), 1) * Fraction(10) ** (magnitude - len(digits))
    return -value if sign == "-" else value


def child_id(parent_id: str, index: int, serial: int) -> str:
    """The path id of a child (`n0.1.2`), or `node-<serial>` where that passes 64 characters."""
    candidate = f"{parent_id}.{index}"
    return candidate if len(candidate) <= 64 else f"node-{serial}"


def plain(value: float) -> float | int:
    """A number as a file would show it: 3 rather than 3.0."""
    if math.isfinite(value) and value == int(value) and abs(value) < 2**53:
        return int(value)
    return value


def fraction_text(value: Fraction) -> str:
    """Exact text for a rational: a decimal when it has one (0.35), else `n/d`.

    >>> fraction_text(Fraction(7, 20)), fraction_text(Fraction(-1, 3)), fraction_text(Fraction(4))
    ('0.35', '-1/3', '4')
    """
    if value.denominator == 1:
        return str(value.numerator)
    d = value.denominator
    twos = fives = 0
    while d % 2 == 0:
        d, twos = d // 2, twos + 1
    while d % 5 == 0:
        d, fives = d // 5, fives + 1
    if d != 1:
        return f"{value.numerator}/{value.denominator}"
    places = max(twos, fives)
    digits = abs(value.numerator) * 10**places // value.denominator
    sign = "-" if value < 0 else ""
    whole, rest = divmod(digits, 10**places)
    return f"{sign}{whole}.{str(rest).rjust(places, '0').rstrip('0')}"


def number_text(value: float) -> str:
    """The shortest text that reads back as exactly this float.

    >>> number_text(1e-07), number_text(0.1), number_text(3.0)
    ('0.0000001', '0.1', '3')
    """
    if value == int(value) and abs(value) < 2**53:
        return str(int(value))
    return fraction_text(Fraction(repr(value)))


def describe(node: Node) -> str:
    """A node as messages name it: `decision node "Kremlin response" (n0.1)`."""
    label = node.name or node.branch
    named = f' "{quote_text(label, 50)}"' if label else ""
    return f"{node.type} node{named} ({node.id})"


def checked(tree: Tree, source: str, where: Callable[[str], str] | None = None) -> Tree:
    """The tree as offramp would read it back from a file; refuse it if it is invalid.

    Writing and re-reading runs every rule of docs/format.md (shape, structure, numbers),
    so an importer cannot hand on a tree that the app or `offramp evaluate` would refuse.
    """
    from ..fileformat.json_io import dumps, loads

    try:
        text = dumps(tree)
    except ValueError as error:  # a number that is not finite
        raise ConversionError(f"{source}: the converted tree cannot be written: {error}") \
            from None
    loaded = loads(text)
    issues = problems(loaded)
    if issues or loaded.tree is None:
        name = where or (lambda node_id: f'node "{node_id}"')
        raise ConversionError([f"{source}: {name(i.node_id) + ': ' if i.node_id else ''}"
                               f"{i.message}" for i in issues])
    return loaded.tree


def problems(loaded: Any) -> list:
    """Every problem of a loaded document: its shape and structure, then its numbers."""
    from ..analysis.evaluate import evaluate
    from ..analysis.flatten import flatten

    issues = list(loaded.issues)
    if loaded.tree is not None:
        issues += evaluate(flatten(loaded.tree)).issues
    return issues


def read_source(path: str | Path) -> bytes:
    """The bytes of a file to import; refuse an unreadable or huge file, or a non-file."""
    from ..fileformat.limits import FileRefused, read_limited

    try:
        return read_limited(path)
    except FileRefused as refusal:
        raise ConversionError(f"{path}: {refusal}") from None


def folder_problem(path: str | Path) -> str | None:
    """Why a file cannot be written at `path`, or None when its folder exists."""
    folder = Path(path).expanduser().resolve().parent
    if not folder.exists():
        return f"cannot write {path}: the folder {folder} does not exist"
    if not folder.is_dir():
        return f"cannot write {path}: {folder} is not a folder"
    if Path(path).is_dir():
        return f"cannot write {path}: it is a folder"
    return None
