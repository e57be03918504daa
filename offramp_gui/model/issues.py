"""Problems found in a tree, each one line a policy analyst can act on."""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .tree import Tree

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def key_path(base: str, key: str) -> str:
    """Extend a JSON path by an object key: `$.a.key`, or `$.a["odd key"]`."""
    return f"{base}.{key}" if _PLAIN_KEY.fullmatch(key) else f"{base}[{json.dumps(key)}]"


def spell_path(where: object) -> str:
    """Spell out a lazy node path: nested (parent path, child index) pairs.

    Loaders keep paths lazy because most nodes have no problem to report.
    >>> spell_path((("$.root", 1), 0))
    '$.root.children[1].children[0]'
    """
    indices = []
    while type(where) is tuple:
        where, index = where
        indices.append(index)
    return str(where) + "".join(f".children[{i}]" for i in reversed(indices))


def quote_text(text: str, limit: int = 60) -> str:
    """User text made safe for a one-line message: no control characters, bounded."""
    clean = "".join(ch if ch.isprintable() else "\N{REPLACEMENT CHARACTER}"
                    for ch in text[:limit])
    return clean + ("…" if len(text) > limit else "")


@dataclass(frozen=True)
class Issue:
    """One problem: where it is (JSON path, node, field) and what is wrong."""

    message: str
    path: str = "$"
    node_id: str | None = None
    field: str | None = None
    line: int | None = None
    column: int | None = None
    #: A machine-readable kind for the few problems callers treat specially.
    code: str | None = None
    #: A problem of the model the user can fix in the app (an unbalanced chance node, an
    #: undefined variable), found by `model.validate` or the engine; not one of reading,
    #: shape or limits. A file whose problems are all fixable opens in the app.
    fixable: bool = False

    def located(self, line: int | None, column: int | None) -> Issue:
        return replace(self, line=line, column=column)

    def format(self, filename: str | None = None) -> str:
        """Render as `file:line:col: error: $.path (node "id"): message`."""
        where = [filename or "<tree>"]
        if self.line is not None:
            where += [str(self.line), str(self.column or 1)]
        node = f' (node "{quote_text(self.node_id, 64)}")' if self.node_id else ""
        return f"{':'.join(where)}: error: {self.path}{node}: {self.message}"


def where_in_words(issue: Issue, tree: Tree) -> str:
    """Where a problem is, as the app tells the user: its node by the label shown for it,
    the id in brackets (`“Seek Russia's defeat” (option-b.3)`); else its JSON path."""
    node_id = issue.node_id
    if node_id is None or node_id not in tree:
        return issue.path
    node = tree.node(node_id)
    label = node.branch or node.name
    shown_id = quote_text(node_id, 64)
    return f"\u201c{quote_text(label)}\u201d ({shown_id})" if label else shown_id


def fixable(issues: Iterable[Issue]) -> list[Issue]:
    """The model's problems, marked as the user's to fix, except those over a limit."""
    return [replace(i, fixable=True) if i.code != OVER_LIMIT else i for i in issues]


def refusals(issues: list[Issue]) -> list[Issue]:
    """The problems that keep a file from opening even in the app."""
    return [i for i in issues if not i.fixable]


class TreeFormatError(Exception):
    """A file or text that cannot be loaded; carries every problem found."""

    def __init__(self, issues: list[Issue], filename: str | None = None):
        self.issues = list(issues)
        self.filename = filename
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [issue.format(self.filename) for issue in self.issues]


class UnsupportedVersionError(TreeFormatError):
    """A file written by a newer offramp than this one."""


NEWER_VERSION = "newer-version"
#: Over one of the limits of model/limits.py.
OVER_LIMIT = "over-limit"
