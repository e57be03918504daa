"""Read and write tree documents: bytes -> text -> JSON -> checked model, and back.

Reading goes in stages (encoding, JSON syntax, shape, model rules), collecting every
problem with its JSON path; `locate_issues` then adds line and column. Writing is
canonical: fixed key order, two-space indent, UTF-8, a trailing newline.
"""
from __future__ import annotations

import copy
import hashlib
import json
import operator
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from ..model import collector, scenarios, templates
from ..model.issues import OVER_LIMIT, Issue, TreeFormatError, fixable, quote_text
from ..model.limits import MAX_DEPTH, MAX_NODES
from ..model.scenarios import Scenario, Values
from ..model.tree import NODE_FIELDS, Node, Player, Tree, assign_missing_ids
from ..model.validate import validate
from .limits import MAX_FILE_BYTES, FileRefused, deep_recursion, open_regular, read_limited
from .locate import TextPositions, locate
from .schema import (
    CRITERION_KEYS,
    DISPLAY_KEYS,
    OUTCOME_KEYS,
    SOURCE_KEYS,
    VARIABLE_KEYS,
    BadConstant,
    DuplicateKeyDict,
    build_tree,
    too_many_nodes,
)

_UTF8_BOM = b"\xef\xbb\xbf"
_STRING_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"[ \t\r\n]*(:?)')
#: A whole string (a key when followed by ':'), a bracket, a comma, or a quote never closed.
_OPENING_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"(?:\s*:)?|[{}\[\],]|"')
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_JSON_MESSAGES = {
    "Expecting value": "expected a value (a number, text in double quotes, true, false,"
                       " null, an object or a list)",
    "Expecting property name enclosed in double quotes":
        "expected a key in double quotes (is there a comma before a closing brace?)",
    "Expecting ',' delimiter": "expected ',' between two items",
    "Expecting ':' delimiter": "expected ':' after a key",
    "Unterminated string starting at": "text that starts here is never closed with '\"'",
    "Invalid control character at": "a control character (such as a raw tab or line"
                                    " break) inside text; write it as \\t or \\n",
    "Extra data": "there is more text after the end of the JSON document",
    "Invalid \\escape": "an invalid escape sequence after a backslash",
    "Invalid \\uXXXX escape": "an invalid \\u escape (it needs four hexadecimal digits)",
}


@dataclass
class Loaded:
    """The outcome of reading a document: the model (if one could be built) and problems."""

    tree: Tree | None
    issues: list[Issue] = field(default_factory=list)
    text: str = ""
    #: `content_digest` of the bytes read (set by `read_file`): tells a later change apart.
    digest: str | None = None


def content_digest(data: bytes) -> str:
    """A fingerprint of a file's bytes, to notice when another program changed it."""
    import hashlib  # (only readings that keep the file's digest need it)

    return hashlib.sha256(data).hexdigest()


def file_digest(path: str | os.PathLike) -> str | None:
    """`content_digest` of the file as it is on disk now; None if it cannot be read."""
    import hashlib

    digest = hashlib.sha256()
    try:
        with open_regular(path) as (stream, _size):
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    except (OSError, FileRefused):
        return None
    return digest.hexdigest()


# ---- reading -----------------------------------------------------------------------
#: Told how much of a reading is done (0 to 1) after each of its stages; what it raises
#: ends the reading (the app's Cancel).
Progress = Callable[[float], None]


def _no_progress(_done: float) -> None:
    pass


def read_file(path: str | os.PathLike, progress: Progress = _no_progress) -> Loaded:
    """Read a tree file; problems are returned, not raised, even an unreadable file."""
    try:
        data = read_limited(path)
    except FileRefused as refusal:
        return Loaded(None, [Issue(str(refusal))])
    progress(0.05)
    loaded = loads(data, progress)
    loaded.digest = content_digest(data)
    return loaded


def loads(data: bytes | str, progress: Progress = _no_progress) -> Loaded:
    """Check and build a tree from the bytes or text of a document.

    The model's own problems (`validate`) are marked `fixable`: the app opens a tree that
    has only those; the problems of reading and shape before them are not. The shares
    of the time told to `progress` are those of a large file.
    """
    if isinstance(data, bytes):
        text, problem = _decode(data)
        if problem:
            return Loaded(None, [problem])
    else:
        text = data[1:] if data.startswith("\ufeff") else data
    progress(0.1)
    raw, problem = _parse_json(text)
    if problem:
        return Loaded(None, [problem], text)
    progress(0.4)
    tree, issues = build_tree(raw)
    issues += _surrogate_issues(text, raw)
    del raw  # (freed here, not after the checks)
    progress(0.8)
    if tree is not None:
        if "" in tree:  # some node had no id: give each its path id
            assign_missing_ids(tree.root, {n.id for n in tree.root.walk() if n.id})
            tree.reindex()
        if '"use"' in text or '"template"' in text:  # (a quick look, spares other files a walk)
            templates.relink(tree)
        issues += fixable(validate(tree))
    progress(1.0)
    return Loaded(tree, printable(issues), text)


def printable(issues: list[Issue]) -> list[Issue]:
    """Issues whose messages hold no line breaks, control or direction characters.

    Messages quote the file's own text (ids, keys, names); each must stay one line on a
    terminal and read as it is, whatever the file holds.
    """
    return [i if i.message.isprintable() else
            replace(i, message="".join(c if c.isprintable() else "\N{REPLACEMENT CHARACTER}"
                                       for c in i.message)) for i in issues]


def locate_issues(text: str, issues: list[Issue]) -> list[Issue]:
    """Add line and column to issues that have a JSON path but no position yet."""
    wanted = [i.path for i in issues if i.line is None]
    if not wanted or not text:
        return issues
    where = locate(text, wanted)
    located = [i if i.line is not None else i.located(*where[i.path]) for i in issues]
    return sorted(located, key=lambda i: (i.line or 0, i.column or 0))


def _decode(data: bytes) -> tuple[str, Issue | None]:
    if not data.strip():
        return "", Issue("the file is empty", line=1, column=1)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4]:
        return "", Issue("the file is encoded as UTF-16 or UTF-32; save it as UTF-8")
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM):]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        line_start = data.rfind(b"\n", 0, error.start) + 1
        column = len(data[line_start:error.start].decode("utf-8", "replace")) + 1
        byte = data[error.start]
        return "", Issue(f"byte 0x{byte:02x} is not valid UTF-8; the file must be saved as"
                         " UTF-8", line=line, column=column)


def _object(pairs: list[tuple[str, Any]]) -> dict:
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    repeated = DuplicateKeyDict(result)
    seen: set[str] = set()
    repeated.duplicates = [k for k, _ in pairs if k in seen or seen.add(k)]  # type: ignore[func-returns-value]
    return repeated


def _parse_json(text: str) -> tuple[Any, Issue | None]:
    if not text.strip():
        return None, Issue("the file is empty", line=1, column=1)
    try:
        with deep_recursion():
            if text.count("{") > MAX_NODES:  # (each node is an object: most files stop here)
                nodes = nodes_in_text(text)
                if nodes > MAX_NODES:
                    return None, Issue(too_many_nodes(nodes), "$.root", code=OVER_LIMIT)
            keys = 0

            def counted(found: dict) -> dict:
                # Counting here is quicker than a walk afterwards, and being Python
                # code called for every object, it lets the app's window thread run
                # while a worker reads a large file.
                nonlocal keys
                keys += len(found)
                return found

            raw = json.loads(text, object_hook=counted, parse_constant=BadConstant)
            if not holds_only(text, keys):
                # Some object repeats a key; parse again, slowly, to find which.
                raw = json.loads(text, object_pairs_hook=_object, parse_constant=BadConstant)
            return raw, None
    except json.JSONDecodeError as error:
        early = _ends_early(text, error)
        if early is not None:
            return None, early
        message = _JSON_MESSAGES.get(error.msg, error.msg[:1].lower() + error.msg[1:])
        return None, Issue(f"this is not valid JSON: {message}", line=error.lineno,
                           column=error.colno)
    except RecursionError:
        line, column = _deepest_point(text)
        return None, Issue("the JSON is nested too deeply to be a tree offramp can read",
                           line=line, column=column)
    except ValueError as error:  # an integer with thousands of digits
        match = re.search(r"\d{1000,}", text)
        line, column = TextPositions(text).line_column(match.start() if match else 0)
        return None, Issue(f"a number has too many digits ({quote_text(str(error), 50)})",
                           line=line, column=column)


@dataclass
class _Opened:
    """An object or list the text opens: where, under which key (or, in a list, that
    list's key), and the node's id."""

    bracket: str
    offset: int
    key: str | None
    is_node: bool
    list_key: str | None = None
    node_id: str | None = None


def _ends_early(text: str, error: json.JSONDecodeError) -> Issue | None:
    """The file cut short (a download or a copy that stopped): say where it ends and
    what it leaves open; None when the error is not the text running out."""
    end = len(text.rstrip())
    in_text = error.msg == "Unterminated string starting at"
    if error.pos < end and not in_text:
        return None
    opened, text_start = _open_at_end(text)
    if not opened and text_start is None:
        return None
    positions = TextPositions(text)
    line, column = positions.line_column(end)
    words = f"this is not valid JSON: the file ends early, at line {line:,}"
    if text_start is not None:
        start_line, start_column = positions.line_column(text_start)
        words += (f", inside text that starts at line {start_line:,}, column"
                  f" {start_column:,}")
    if opened:
        innermost = opened[-1]
        words += (f", before the {_opened_words(innermost, positions)} is closed")
        if len(opened) > 1:
            words += f" (and {len(opened) - 1:,} around it)"
    return Issue(words, line=line, column=column)


def _opened_words(opened: _Opened, positions: TextPositions) -> str:
    kind = "object" if opened.bracket == "{" else "list"
    key = f" {json.dumps(quote_text(opened.key))}" if opened.key else ""
    line = positions.line_column(opened.offset)[0]
    words = f"{kind}{key} opened at line {line:,}"
    if opened.node_id is not None:
        whose = "the node" if opened.is_node else "id"
        words += f" ({whose} {json.dumps(quote_text(opened.node_id, 64))})"
    if opened.list_key and not opened.is_node:
        words += f" in the list {json.dumps(quote_text(opened.list_key))}"
    return words


def _open_at_end(text: str) -> tuple[list[_Opened], int | None]:
    """The objects and lists still open where the text ends, outermost first, and
    where the text (a string) it ends inside starts, if it does."""
    opened: list[_Opened] = []
    key: str | None = None  # the key whose value comes next
    for match in _OPENING_TOKEN.finditer(text):
        token = match.group()
        if token == '"':  # a quote no closing one follows
            return opened, match.start()
        if token in "{[":
            container = opened[-1] if opened else None
            if container is not None and container.bracket == "[":
                opened.append(_Opened(token, match.start(), None,
                                      token == "{" and container.key == "children",
                                      container.key))
            else:
                opened.append(_Opened(token, match.start(), key, key == "root"))
            key = None
        elif token in "}]":
            if opened:
                opened.pop()
            key = None
        elif token == ",":
            key = None
        elif token[0] == '"':
            if token.endswith(":"):
                key = _unquoted(token[:token.rindex('"') + 1])
            elif key == "id" and opened and opened[-1].bracket == "{":
                opened[-1].node_id = _unquoted(token)
    return opened, None


def _unquoted(string: str) -> str:
    """The text of a JSON string token; its raw inside when an escape is invalid."""
    try:
        return str(json.loads(string))
    except ValueError:
        return string[1:-1]


def nodes_in_text(text: str) -> int:
    """How many nodes the document holds, counted in a parse that keeps almost nothing.

    Each object becomes the number of nodes it would hold as a node (numbers become
    None), so 4 million nodes cost a few list slots each, not a dict and its strings.
    """
    last_root: list[Any] = [None]

    def nodes_below(pairs: list[tuple[str, Any]]) -> int:
        found = dict(pairs)  # the last of a repeated key, as the careful reading keeps
        last_root[0] = found.get("root")  # the outermost object is the last one closed
        children = found.get("children")
        if type(children) is not list:
            return 1
        return 1 + sum(child for child in children if type(child) is int)

    def nothing(_text: str) -> None:
        return None

    outer = json.loads(text, object_pairs_hook=nodes_below, parse_int=nothing,
                       parse_float=nothing, parse_constant=nothing)
    return last_root[0] if type(outer) is int and type(last_root[0]) is int else 0


def holds_only(text: str | bytes, keys: int) -> bool:
    """Whether the text holds just `keys` object keys: none repeated, since the
    parser keeps one of each.

    Every ':' outside strings ends a key, so `keys` colons in all mean no repeated
    key and no ':' inside a string; only otherwise are the keys counted.
    """
    colons = text.count(b":") if isinstance(text, bytes) else text.count(":")
    return colons == keys or keys_in_text(text) == keys


def keys_in_text(text: str | bytes) -> int:
    """How many object keys the text holds (a key is a string followed by ':').

    Compared with the keys the parser kept, this finds repeated keys without the
    slow per-object hook. When every colon directly follows a quote and no quote
    before a colon is escaped, each '":' ends a key, and counting them is exact.
    """
    if isinstance(text, bytes):
        quoted = text.count(b'":')
        # (Most files hold no backslash at all: that search is quickest.)
        if quoted == text.count(b":") and (b"\\" not in text or b'\\":' not in text):
            return quoted
        text = text.decode("utf-8")
    quoted = text.count('":')
    if quoted == text.count(":") and '\\":' not in text:
        return quoted
    return _STRING_TOKEN.findall(text).count(":")


def keys_parsed(raw: Any) -> int:
    """How many keys the parsed objects kept: fewer than the text when a key repeats."""
    if type(raw) is not dict and type(raw) is not list:
        return 0  # a bare number, text, true, false or null
    total = 0
    stack: list[Any] = [raw]
    pop, push = stack.pop, stack.append
    while stack:
        value = pop()
        if type(value) is dict:
            total += len(value)
            value = value.values()
        for item in value:
            kind = type(item)
            if kind is dict or kind is list:
                push(item)
    return total


def _deepest_point(text: str) -> tuple[int, int]:
    depth = 0
    for match in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        token = match.group()
        depth += 1 if token in "[{" else -1 if token in "]}" else 0
        if depth > 3000:
            return TextPositions(text).line_column(match.start())
    return 1, 1


def _surrogate_issues(text: str, raw: Any) -> list[Issue]:
    """Text holding half of a UTF-16 pair cannot be written back as UTF-8."""
    if not _SURROGATE_ESCAPE.search(text):
        return []
    issues = []
    stack: list[tuple[Any, str]] = [(raw, "$")]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                stack.append((key, path))
                stack.append((item, f"{path}.{key}" if key.isidentifier() else path))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{i}]") for i, item in enumerate(value))
        elif isinstance(value, str) and not _encodable(value):
            issues.append(Issue("the text holds an unpaired surrogate escape (\\ud800 to"
                                " \\udfff), which is not a character", path))
    return issues


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# ---- writing -----------------------------------------------------------------------
#: Indented, UTF-8 and strict about NaN: the canonical layout of one value.
_ENCODER = json.JSONEncoder(indent=2, ensure_ascii=False, allow_nan=False)
_ONE_LINE = json.JSONEncoder(ensure_ascii=False, allow_nan=False)


@dataclass
class Snapshot:
    """What a save writes, taken from the tree in one quick pass: the top-level keys
    before "root", then for every node, in document order, its field values (in
    NODE_FIELDS order), a copy of its `x-` keys (None: none) and its number of children.

    Field values are shared with the model, not copied: an edit replaces a value and
    never changes it in place (`gui/edits.py` copies a payoff or the players before it
    changes them), so the snapshot stays what the tree was while another thread writes it.
    """

    head: dict[str, Any]
    nodes: list[tuple[tuple[Any, ...], dict[str, Any] | None, int]]
    depth: int


_FIELD_VALUES = operator.attrgetter(*NODE_FIELDS)
#: The fields a use takes from its template: not written (nor its branches).
_TAKEN = frozenset(templates.TAKEN_FIELDS)
_TAKEN_AT = tuple(i for i, name in enumerate(NODE_FIELDS) if name in _TAKEN)


def _use_values(node: Node) -> tuple[Any, ...]:
    values = list(_FIELD_VALUES(node))
    for i in _TAKEN_AT:
        values[i] = None
    return tuple(values)


def snapshot(tree: Tree) -> Snapshot:
    """The data of `tree` as it is now, taken without recursion.

    The app takes it on the main thread, so it is kept quick: the cycle collector is
    paused meanwhile (`model.collector`).
    """
    with collector.paused():
        taken = SnapshotInSteps(tree).step(sys.maxsize)
    assert taken is not None
    return taken


class SnapshotInSteps:
    """`snapshot(tree)` taken `step` by step, a number of nodes at a time, so that a
    large tree's can be taken between other work on the thread that edits it. It is
    the tree as it was at the first step only if nothing changed it meanwhile: the
    caller drops it at any edit."""

    def __init__(self, tree: Tree):
        self._tree = tree
        self._nodes: list[tuple[tuple[Any, ...], dict[str, Any] | None, int]] = []
        self._stack = [(tree.root, 0)]
        self._depth = 0

    def step(self, count: int) -> Snapshot | None:
        """Take up to `count` more nodes; the snapshot once every node is taken."""
        append = self._nodes.append
        stack = self._stack
        depth = self._depth
        for _ in range(count):
            if not stack:
                break
            node, level = stack.pop()
            if node.use is None:
                children = node.children
                values = _FIELD_VALUES(node)
            else:  # (its copies are made again when the file is read)
                children, values = [], _use_values(node)
            append((values, dict(node.extras) if node.extras else None, len(children)))
            if children:
                depth = max(depth, level + 1)
                stack.extend((child, level + 1) for child in reversed(children))
        self._depth = depth
        if stack:
            return None
        return Snapshot(copy.deepcopy(_head(self._tree)), self._nodes, depth)


def _fields_of(values: tuple[Any, ...], extras: dict[str, Any] | None) -> dict[str, Any]:
    fields = {key: value for key, value in zip(NODE_FIELDS, values) if value is not None}
    if extras:
        fields.update(extras)
    return fields


#: `snapshot_text` calls its `pause` every 256 nodes (a millisecond or two of work).
PAUSE_EVERY = 255


def file_text(snap: Snapshot, pause: Callable[[], None] | None = None) -> str:
    """The text of a snapshot's file: the canonical layout, unless that would be over
    the file size limit (a tree of about 300,000 nodes or more, which the canonical
    layout's indents make three to six times the size), then the nodes on one line,
    which any JSON writer may write and the readers take: the file opens again."""
    return "".join(file_pieces(snap, pause))


def file_text_digest(snap: Snapshot, pause: Callable[[], None] | None = None) -> str:
    """The SHA-256 of `file_text(snap)` encoded as UTF-8, without ever holding the text
    whole: its pieces are hashed as they are made (joining a million nodes' text holds
    the interpreter for seconds, and any window with it)."""
    digest = hashlib.sha256()
    for piece in file_pieces(snap, pause):
        digest.update(piece.encode("utf-8"))
    return digest.hexdigest()


def file_pieces(snap: Snapshot, pause: Callable[[], None] | None) -> Iterable[str]:
    """`file_text`'s pieces: the canonical ones if within the limit, else the one-line
    ones, made as they are read."""
    canonical = _canonical_within_limit(snap, pause)
    if canonical is not None and _encoded_size(canonical) <= MAX_FILE_BYTES:
        return canonical
    del canonical  # (up to 200 MB: not held while the other is made)
    return _text_pieces(snap, pause, one_line=True)


def _canonical_within_limit(snap: Snapshot, pause: Callable[[], None] | None
                            ) -> list[str] | None:
    """The canonical text's pieces; None as soon as they pass the file size limit in
    characters (each at least a byte), so that an oversized text is never made whole."""
    pieces: list[str] = []
    size = 0
    for piece in _text_pieces(snap, pause, one_line=False):
        pieces.append(piece)
        size += len(piece)
        if size > MAX_FILE_BYTES:
            return None
    return pieces


def _encoded_size(pieces: list[str]) -> int:
    return sum(len(p) if p.isascii() else len(p.encode("utf-8", "surrogatepass"))
               for p in pieces)


def snapshot_text(snap: Snapshot, pause: Callable[[], None] | None = None,
                  one_line: bool = False) -> str:
    """The canonical text of a snapshot, as `json.dumps(to_dict(tree), indent=2)` writes
    it (and a final line break), node by node: any depth, no recursion.

    A node more than MAX_DEPTH levels down (a tree the depth rule refuses, kept in the
    app until it is fixed) is written on one line with its branch: indenting it would
    make the file grow with the square of the depth. `one_line`: every node is (the
    settings above the root stay indented).

    `pause`, if given, is called every PAUSE_EVERY + 1 nodes: a worker writing a large
    tree waits there while the window needs the interpreter.
    """
    return "".join(_text_pieces(snap, pause, one_line))


def _text_pieces(snap: Snapshot, pause: Callable[[], None] | None,
                 one_line: bool) -> Iterator[str]:
    """`snapshot_text`'s text in pieces, node by node."""
    flat_below = -1 if one_line else MAX_DEPTH
    head = _ENCODER.encode(snap.head)
    yield head[:-2]
    yield ',\n  "root": '
    pieces: list[str] = []
    #: For each node whose children are being written: how many are left, and its
    #: indent (None: written on one line).
    open_nodes: list[list[Any]] = []
    for done, (values, extras, count) in enumerate(snap.nodes):
        if not done & PAUSE_EVERY:
            if pieces:  # (a block at a time: a piece a node would cost more)
                yield "".join(pieces)
                pieces.clear()
            if pause is not None:
                pause()
        fields = _fields_of(values, extras)
        above = open_nodes[-1][1] if open_nodes else None
        if above is not None:
            pieces.append(above + "    ")
        if len(open_nodes) > flat_below:
            indent = None
            text = _ONE_LINE.encode(fields)
            if count:  # reopen the object to add its children
                pieces.append((text[:-1] + ", " if fields else "{") + '"children": [')
        else:
            indent = above + "    " if above is not None else "  "
            text = _ENCODER.encode(fields).replace("\n", "\n" + indent)
            if count:
                pieces.append(text[:-len(indent) - 2] + ",\n" if fields else "{\n")
                pieces.append(indent + '  "children": [\n')
        if count:
            open_nodes.append([count, indent])
            continue
        pieces.append(text)
        while open_nodes:  # the node is complete: close every parent it completes
            parent = open_nodes[-1]
            parent[0] -= 1
            if parent[0]:
                pieces.append(", " if parent[1] is None else ",\n")
                break
            pieces.append("]}" if parent[1] is None else f"\n{parent[1]}  ]\n{parent[1]}}}")
            open_nodes.pop()
    pieces.append("\n}\n")
    yield "".join(pieces)


def to_dict(tree: Tree) -> dict[str, Any]:
    """The document as plain JSON data, keys in canonical order."""
    doc = _head(tree)
    doc["root"] = node_to_dict(tree.root)
    return doc


def _head(tree: Tree) -> dict[str, Any]:
    doc: dict[str, Any] = {"format": "offramp-tree", "version": 1, "title": tree.title}
    if tree.description is not None:
        doc["description"] = tree.description
    if tree.sources is not None:
        doc["sources"] = [_ordered(s, SOURCE_KEYS) for s in tree.sources]
    if tree.criteria is not None:
        doc["criteria"] = [_record(c, CRITERION_KEYS) for c in tree.criteria]
    if tree.players is not None:
        doc["players"] = [_player(p) for p in tree.players]
    if tree.variables is not None:
        doc["variables"] = [_record(v, VARIABLE_KEYS) for v in tree.variables]
    if tree.outcomes is not None:
        doc["outcomes"] = [_record(o, OUTCOME_KEYS) for o in tree.outcomes]
    if tree.display is not None:
        doc["display"] = _ordered(tree.display, DISPLAY_KEYS)
    if tree.scenarios is not None:
        doc["scenarios"] = [_scenario(s) for s in tree.scenarios]
    if tree.base_case is not None:
        _write_base_case(doc, tree.base_case)
        doc["what_if"] = _values(scenarios.what_if(tree))
    doc.update(tree.extras)
    return doc


def node_to_dict(top: Node) -> dict[str, Any]:
    """A subtree as plain JSON data, built without recursion."""
    out = _node_fields(top)
    stack = [(top, out)]
    while stack:
        node, data = stack.pop()
        if node.children and node.use is None:
            data["children"] = [_node_fields(c) for c in node.children]
            stack.extend(zip(node.children, data["children"]))
    return out


def _node_fields(node: Node) -> dict[str, Any]:
    data = {}
    for key in NODE_FIELDS:
        value = getattr(node, key)
        if value is not None and not (node.use is not None and key in _TAKEN):
            data[key] = value
    data.update(node.extras)
    return data


def _player(player: Player) -> dict[str, Any]:
    data = {"id": player.id, "name": player.name, "weights": player.weights}
    if player.utility is not None:
        data["utility"] = _record(player.utility, ("kind", "risk_tolerance", "points"))
    data.update(player.extras)
    return data


def _write_base_case(doc: dict[str, Any], base: Values) -> None:
    """The base case in the variables' and players' usual places (the what-if values
    are written apart)."""
    for variable in doc.get("variables", []):
        if variable["name"] in base.variables:
            variable["value"] = base.variables[variable["name"]]
    for player in doc.get("players", []):
        if player["id"] in base.weights:
            weights = {**player["weights"], **base.weights[player["id"]]}
            player["weights"] = {c: w for c, w in weights.items() if w is not None}


def _scenario(scenario: Scenario) -> dict[str, Any]:
    data: dict[str, Any] = {"name": scenario.name}
    if scenario.note is not None:
        data["note"] = scenario.note
    data.update(_values(scenario.values))
    data.update(scenario.extras)
    return data


def _values(values: Values) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if values.variables:
        data["variables"] = dict(values.variables)
    weights = {player: dict(w) for player, w in values.weights.items() if w}
    if weights:
        data["weights"] = weights
    return data


def _record(item: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    data = {k: getattr(item, k) for k in keys if getattr(item, k) is not None}
    data.update(item.extras)
    return data


def _ordered(data: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    out = {k: data[k] for k in keys if k in data}
    out.update((k, v) for k, v in data.items() if k not in out)
    return out


def dumps(tree: Tree) -> str:
    """Canonical text of a tree: stable, diff-friendly, indented JSON."""
    return snapshot_text(snapshot(tree))


def node_from_text(text: str) -> Node | None:
    """The subtree in copied text (`node_to_dict` as JSON), or None if it holds none.

    A subtree over a limit raises TreeFormatError saying which, before it is built.
    """
    if not text.lstrip().startswith("{") or len(text) > MAX_FILE_BYTES:
        return None
    try:
        with deep_recursion():
            if text.count("{") > MAX_NODES and (nodes := nodes_in_text(text)) > MAX_NODES:
                raise TreeFormatError([Issue(too_many_nodes(nodes), code=OVER_LIMIT)])
            data = json.loads(text)
        if not isinstance(data, dict) or ("type" not in data and "use" not in data):
            return None
        node = node_from_dict(data)
        assign_missing_ids(node, {n.id for n in node.walk()})  # (text written by hand)
        return node
    except (ValueError, RecursionError):
        return None
    except TreeFormatError as error:
        if any(issue.code == OVER_LIMIT for issue in error.issues):
            raise
        return None


def node_from_dict(data: dict[str, Any]) -> Node:
    """Build a subtree from plain data written by `node_to_dict` (clipboard, undo)."""
    doc = {"format": "offramp-tree", "version": 1, "title": "", "root": data}
    tree, issues = build_tree(doc)
    if tree is None:
        raise TreeFormatError(issues)
    return tree.root


def save(tree: Tree, path: str | os.PathLike) -> str:
    """Write the tree atomically; fail before touching the disk if it cannot be written.

    Returns the `content_digest` of the bytes written.
    """
    return save_snapshot(snapshot(tree), path)


def save_snapshot(snap: Snapshot, path: str | os.PathLike) -> str:
    """`save` from a snapshot: what the app's background save runs, off the main thread."""
    from .atomic import write_atomic  # (shutil, tempfile, pathlib: only for saving)

    data = checked_bytes(snap)
    write_atomic(path, data)
    return content_digest(data)


def checked_bytes(snap: Snapshot) -> bytes:
    """The bytes of a snapshot's file, re-read in memory first, so a document that would
    not load back (or cannot be encoded, such as a lone surrogate in a label) never
    replaces a good file. Raises SaveError."""
    from .atomic import SaveError

    try:
        text = file_text(snap)
        data = text.encode("utf-8")
    except (ValueError, UnicodeEncodeError) as error:
        raise SaveError(f"the tree cannot be written: {quote_text(str(error), 120)}") from None
    # (Collected meanwhile, a tree's worth of new objects stopped every thread for
    # seconds at a million nodes: see model/collector.py.)
    with collector.paused():
        if snap.depth <= MAX_DEPTH:
            reread = loads(text)
            tree, issues = reread.tree, reread.issues
        else:
            # Deeper than any valid tree, and nested beyond what the JSON reader follows
            # (limits.py): check the same data as parsed objects instead of as text, so
            # that whatever the app holds can still be saved.
            tree, issues = build_tree(_nested(snap))
    if tree is None:
        raise SaveError("the tree cannot be written: " + issues[0].message)
    return data


def _nested(snap: Snapshot) -> dict[str, Any]:
    """The snapshot as one document of nested objects, as the JSON reader would give it."""
    doc = dict(snap.head)
    #: For each node still taking children: its "children" list, how many are to come.
    parents: list[list[Any]] = []
    for values, extras, count in snap.nodes:
        data = _fields_of(values, extras)
        if parents:
            parents[-1][0].append(data)
            parents[-1][1] -= 1
        else:
            doc["root"] = data
        while parents and not parents[-1][1]:
            parents.pop()
        if count:
            data["children"] = []
            parents.append([data["children"], count])
    return doc
