"""Import Gambit extensive-form games (`.efg`, "EFG 2 R" and "EFG 2 D") as offramp trees.

Each Gambit player becomes an offramp player with a criterion of their own ("Payoff to
…") that only they weigh, so a player's utility is their Gambit payoff. An outcome
attached to a node (terminal or not) becomes that node's payoff; offramp adds payoffs
along the path (docs/format.md, "Payoffs") as Gambit adds outcomes. Chance moves keep
their probabilities, exact rationals such as 1/3 included (as the expression "1/3").

A player's information set of several nodes becomes decisions sharing an
`information_set` name: Gambit's label for the set when it has a unique one, else
"<player>, set <number>". offramp's information sets need perfect recall (docs/format.md);
in a game without it, each set where a player forgets becomes decisions of their own,
which the report says (or `strict` refuses). Chance moves stay chance nodes.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from ..model.limits import MAX_CHILDREN, MAX_DEPTH, MAX_NODES, MAX_OUTCOMES, MAX_PLAYERS
from ..model.tree import CHANCE, DECISION, TERMINAL, Criterion, Node, Outcome, Player, Tree
from .common import (
    MAX_NUMBER_DIGITS,
    ConversionError,
    Names,
    Report,
    checked,
    child_id,
    decimal_number,
    describe,
    plain,
    read_source,
    slug,
)

_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"|([{}])|(,)|([^\s{},"]+)|(\S)', re.S)
_INTEGER = re.compile(r"\d{1,18}", re.ASCII)  # player, information set and outcome numbers
_RATIONAL = re.compile(r"([-+]?\d+)/(\d+)", re.ASCII)
#: An extra key that carries what offramp has no field for, so an export can write it back.
OUTCOME_KEY = "x-gambit-outcome"


@dataclass(slots=True)
class GameNode:
    kind: str  # "p", "c" or "t"
    name: str
    player: int = 0  # 1.. for personal moves, 0 for chance
    infoset: int = 0
    outcome: int = 0
    children: list[GameNode] = field(default_factory=list)


@dataclass
class InfoSet:
    label: str
    actions: list[str]
    probabilities: list[str] = field(default_factory=list)
    members: list[GameNode] = field(default_factory=list)


@dataclass
class Game:
    title: str
    comment: str
    players: list[str]
    root: GameNode
    outcomes: dict[int, tuple[str, list[str]]]
    infosets: dict[tuple[int, int], InfoSet]


class _Tokens:
    """The items of the file, read one at a time (a 200 MB file is never held twice)."""

    def __init__(self, text: str, source: str):
        self.text, self.source = text, source
        self._matches = _TOKEN.finditer(text)
        self._next = self._advance()
        self.at = 0  # where the item taken last starts, for messages

    def _advance(self) -> tuple[int, str, int] | None:
        for match in self._matches:
            kind = match.lastindex
            assert kind is not None  # each alternative of the pattern is a group
            if kind != 3:  # commas only separate payoffs
                return kind, match.group(kind), match.start()
        return None

    def where(self, at: int | None = None) -> str:
        """`file:line:column` of a position (by default, of the item taken last)."""
        at = self.at if at is None else at
        line = self.text.count("\n", 0, at) + 1
        column = at - (self.text.rfind("\n", 0, at) + 1) + 1
        return f"{self.source}:{line}:{column}"

    def error(self, what: str, at: int | None = None) -> ConversionError:
        return ConversionError(f"{self.where(at)}: this is not a Gambit game file: {what}")

    def refuse(self, what: str, at: int | None = None) -> ConversionError:
        return ConversionError(f"{self.where(at)}: {what}")

    def peek(self) -> tuple[int, str] | None:
        return self._next[:2] if self._next is not None else None

    def next_at(self) -> int:
        """Where the next item starts (the end of the text after the last)."""
        return self._next[2] if self._next is not None else len(self.text)

    def take(self) -> tuple[int, str]:
        item = self._next
        if item is None:
            raise self.error("the file ends in the middle of a node", len(self.text))
        self.at = item[2]
        self._next = self._advance()
        return item[0], item[1]

    def word(self, what: str) -> str:
        kind, value = self.take()
        if kind != 4:
            raise self.error(f"expected {what}, found {_shown(kind, value)}")
        return value

    def integer(self, what: str) -> int:
        text = self.word(what)
        if not _INTEGER.fullmatch(text):
            raise self.error(f"expected {what}, found {_shown(4, text)}")
        return int(text)

    def string(self, what: str) -> str:
        kind, value = self.take()
        if kind != 1:
            raise self.error(f"expected {what} in double quotes, found {_shown(kind, value)}")
        return value.replace('\\"', '"')

    def optional_string(self) -> str | None:
        item = self.peek()
        return self.string("") if item is not None and item[0] == 1 else None

    def opens(self) -> bool:
        item = self.peek()
        if item is not None and item == (2, "{"):
            self.take()
            return True
        return False

    def until_close(self, most: int, too_many: str) -> list[tuple[int, str, int]]:
        """The items up to the closing brace, with where each starts; refuse, as soon
        as it is passed, more than `most` of them (`too_many` says why)."""
        found: list[tuple[int, str, int]] = []
        while True:
            item = self.take()
            if item == (2, "}"):
                return found
            if item[0] == 2:
                raise self.error("a '{' inside a list")
            if len(found) == most:
                raise self.refuse(too_many)
            found.append((*item, self.at))


def _shown(kind: int, value: str) -> str:
    shown = value if len(value) <= 40 else value[:40] + "…"
    return "the text " + repr(shown) if kind == 1 else repr(shown)


def parse_efg(text: str, source: str = "<efg>") -> Game:
    """Parse the text of an .efg file; refuse anything else with a located reason.

    The limits of docs/format.md (players, outcomes, nodes, depth, branches) are
    checked as the file is read, so an oversized game is refused before it is built.
    """
    tokens = _Tokens(text, source)
    if [tokens.peek()] != [(4, "EFG")]:
        raise ConversionError(f'{source}: this is not a Gambit game file: it does not start'
                              ' with "EFG 2 R"')
    tokens.take()
    if tokens.word("the version") != "2" or tokens.word("R or D") not in ("R", "D"):
        raise tokens.error('only "EFG 2 R" and "EFG 2 D" files are read')
    title = tokens.string("the title")
    if not tokens.opens():
        raise tokens.error("expected the list of players")
    players = [value for _kind, value, _at in tokens.until_close(
        MAX_PLAYERS, f"the game has more than {MAX_PLAYERS} players; offramp reads"
        f" {MAX_PLAYERS} at most")]
    comment = tokens.optional_string() or ""
    game = Game(title, comment, players, GameNode("t", ""), {}, {})
    game.root = _nodes(tokens, game)
    if tokens.peek() is not None:
        tokens.take()
        raise tokens.error("there is more text after the last node of the tree")
    return game


def _nodes(tokens: _Tokens, game: Game) -> GameNode:
    """Read the nodes in document (pre-)order, without recursion."""
    root: GameNode | None = None
    pending: list[tuple[GameNode, int, int]] = []  # (node, its depth, children to read)
    count = 0
    while root is None or pending:
        count += 1
        if count > MAX_NODES:
            raise tokens.refuse(f"the game has more than {MAX_NODES} nodes; offramp reads"
                                f" {MAX_NODES} at most", tokens.next_at())
        start = tokens.next_at()
        node, children = _record(tokens, game)
        depth = 0
        if pending:
            parent, depth, left = pending.pop()
            parent.children.append(node)
            if left > 1:
                pending.append((parent, depth, left - 1))
            depth += 1
        else:
            root = node
        if children:
            if depth == MAX_DEPTH:
                raise tokens.refuse(f"this move is {MAX_DEPTH} levels below the root and"
                                    f" has actions; offramp reads games up to {MAX_DEPTH}"
                                    " levels deep", start)
            pending.append((node, depth, children))
    return root


def _record(tokens: _Tokens, game: Game) -> tuple[GameNode, int]:
    kind = tokens.word("a node (p, c or t)")
    if kind not in ("p", "c", "t"):
        raise tokens.error(f"expected a node (p, c or t), found {kind!r}")
    node = GameNode(kind, tokens.string("the node's name"))
    count = 0
    if kind == "p":
        node.player = tokens.integer("the player's number")
        if not 1 <= node.player <= len(game.players):
            raise tokens.error(f"there is no player {node.player}")
    if kind in ("p", "c"):
        node.infoset = tokens.integer("the information set's number")
        count = _infoset(tokens, game, node)
    node.outcome = tokens.integer("the outcome's number")
    _outcome(tokens, game, node.outcome, tokens.at)
    return node, count


def _infoset(tokens: _Tokens, game: Game, node: GameNode) -> int:
    key = (node.player, node.infoset)
    label = tokens.optional_string()
    if tokens.opens():
        per_action = 2 if node.kind == "c" else 1
        items = tokens.until_close(
            MAX_CHILDREN * per_action, f"this move has more than {MAX_CHILDREN} actions;"
            f" offramp reads {MAX_CHILDREN} branches per node at most")
        if node.kind == "c":
            actions = [v for k, v, _at in items[0::2]]
            probabilities = [v for k, v, _at in items[1::2]]
            if len(actions) != len(probabilities) or any(k != 4 for k, _v, _at in items[1::2]):
                raise tokens.error("a chance move needs a probability after each action")
            if key not in game.infosets:
                for _kind, text, at in items[1::2]:
                    _checked_number(tokens, text, at, "the probability")
        else:
            actions, probabilities = [v for _k, v, _at in items], []
        actions = [a.replace('\\"', '"') for a in actions]
        game.infosets.setdefault(key, InfoSet(label or "", actions, probabilities))
    if key not in game.infosets:
        raise tokens.error(f"information set {node.infoset} is used before its actions are"
                           " listed")
    infoset = game.infosets[key]
    infoset.members.append(node)
    if not infoset.actions:
        raise tokens.error(f"information set {node.infoset} has no actions")
    return len(infoset.actions)


def _outcome(tokens: _Tokens, game: Game, number: int, at: int) -> None:
    label = tokens.optional_string()
    if tokens.opens():
        players = len(game.players)
        items = tokens.until_close(players, f"outcome {number} has more payoffs than the"
                                   f" {players} player{'s' * (players != 1)}")
        if number and number not in game.outcomes:
            if len(items) != players:
                raise tokens.error(f"outcome {number} has {len(items)} payoffs for"
                                   f" {players} players")
            if len(game.outcomes) == MAX_OUTCOMES:
                raise tokens.refuse(f"outcome {number} is one more than offramp reads: a game"
                                    f" has {MAX_OUTCOMES} outcomes at most", at)
            for _kind, text, at in items:
                _checked_number(tokens, text, at, f"the payoff in outcome {number}")
            game.outcomes[number] = (label or "", [v for _k, v, _at in items])
    if number and number not in game.outcomes:
        raise tokens.error(f"outcome {number} is used before its payoffs are given")


def _checked_number(tokens: _Tokens, text: str, at: int, what: str) -> None:
    try:
        gambit_number(text)
    except ValueError as why:
        raise tokens.refuse(f"{what} {_shown(4, text)} is refused: {why}", at) from None


# ---- the game as an offramp tree ------------------------------------------------------
def read_gambit(path: str | Path, report: Report, strict: bool = False) -> Tree:
    """Import an .efg file; sets where a player forgets are reported (or refused)."""
    text = read_source(path).decode("utf-8", errors="replace")
    return from_game(parse_efg(text, str(path)), report, str(path), Path(path).stem, strict)


def from_game(game: Game, report: Report, source: str = "<efg>", stem: str = "Game",
              strict: bool = False) -> Tree:
    forgetful = _forgetful_infosets(game)
    lines = [_forgetful_line(game, key) for key in forgetful]
    if strict and lines:
        raise ConversionError([f"{source}: refused (strict): {line}" for line in lines])
    report.approximated.extend(lines)
    builder = _Builder(game, source, _set_names(game, forgetful))
    tree = builder.build(game.title.strip() or stem)
    tree = checked(tree, source, builder.where)
    report.converted.append(_summary(tree, game))
    return tree


def _forgetful_infosets(game: Game) -> list[tuple[int, int]]:
    """The personal sets of several nodes that must be split for perfect recall.

    A set keeps perfect recall when its player has the same own history (its earlier
    sets and actions) at every node of it. Splitting a set makes the histories through
    it differ, which can break a later set, so splitting repeats until nothing changes.
    """
    if all(len(s.members) == 1 for k, s in game.infosets.items() if k[0]):
        return []
    split: set[tuple[int, int]] = set()
    while True:
        histories: dict[tuple[int, int], set[tuple]] = {}
        stack: list[tuple[GameNode, dict[int, tuple]]] = [(game.root, {})]
        while stack:
            node, own = stack.pop()
            key = (node.player, node.infoset)
            if node.kind == "p" and key not in split and len(game.infosets[key].members) > 1:
                histories.setdefault(key, set()).add(own.get(node.player, ()))
            if node.kind != "p":
                stack.extend((child, own) for child in node.children)
                continue
            where = key if key not in split else (*key, id(node))
            for action, child in enumerate(node.children):
                step = own.get(node.player, ()) + ((where, action),)
                stack.append((child, {**own, node.player: step}))
        broken = {key for key, seen in histories.items() if len(seen) > 1}
        if not broken:
            return sorted(split)
        split |= broken


def _forgetful_line(game: Game, key: tuple[int, int]) -> str:
    player, number = key
    infoset = game.infosets[key]
    name = game.players[player - 1] or f"player {player}"
    label = f' ("{infoset.label}")' if infoset.label else ""
    return (f"information set {number}{label} of {name} holds {len(infoset.members)} nodes"
            f" where {name} does not remember the same earlier moves; offramp's information"
            " sets need perfect recall, so each of its nodes chooses on its own, as if"
            f" {name} knew which one had been reached")


def _set_names(game: Game, forgetful: list[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """The `information_set` name of each personal set of several nodes kept as one."""
    kept = [key for key, infoset in game.infosets.items()
            if key[0] and len(infoset.members) > 1 and key not in forgetful]
    labels = [" ".join(game.infosets[key].label.split()) for key in kept]
    usable = {label for label in labels if labels.count(label) == 1 and 0 < len(label) <= 64}
    taken = set(usable)
    names = {}
    for key, label in zip(kept, labels, strict=True):
        if label not in usable:
            player = game.players[key[0] - 1].strip()[:40] or f"Player {key[0]}"
            base = label = f"{player}, set {key[1]}"
            n = 2
            while label in taken:
                label, n = f"{base} ({n})", n + 1
            taken.add(label)
        names[key] = label
    return names


class _Builder:
    def __init__(self, game: Game, source: str, set_names: dict[tuple[int, int], str]):
        self.game, self.source, self.set_names = game, source, set_names
        taken = Names()
        self.player_ids = [taken.unique(slug(name, f"player{i}"))
                           for i, name in enumerate(game.players, 1)]
        self.category_names = Names()
        self.payoffs: dict[int, dict[str, float | int | str]] = {}
        self.categories: dict[int, str] = {}
        self.nodes: dict[str, Node] = {}
        self.serial = itertools.count(1)

    def where(self, node_id: str) -> str:
        node = self.nodes.get(node_id)
        return describe(node) if node is not None else f'node "{node_id}"'

    def build(self, title: str) -> Tree:
        root = Node("n0", TERMINAL)
        stack = [(self.game.root, root)]
        while stack:
            game_node, node = stack.pop()
            self.fill(game_node, node)
            stack.extend(zip(reversed(game_node.children), reversed(node.children), strict=False))
        tree = Tree(root, title)
        tree.description = self.game.comment.strip() or None
        names = [n or f"Player {i}" for i, n in enumerate(self.game.players, 1)]
        pairs = list(zip(self.player_ids, names, strict=True))
        tree.criteria = [Criterion(i, f"Payoff to {n}") for i, n in pairs]
        tree.players = [Player(i, n, {i: 1}) for i, n in pairs]
        tree.outcomes = [Outcome(cid, self.game.outcomes[number][0])
                         for number, cid in self.categories.items()] or None
        return tree

    def fill(self, game_node: GameNode, node: Node) -> None:
        self.nodes[node.id] = node
        node.name = game_node.name.strip() or None
        node.type = {"p": DECISION, "c": CHANCE, "t": TERMINAL}[game_node.kind]
        infoset = self.game.infosets.get((game_node.player, game_node.infoset))
        if game_node.kind == "p":
            node.player = self.player_ids[game_node.player - 1]
            node.information_set = self.set_names.get((game_node.player, game_node.infoset))
        for i, _child in enumerate(game_node.children):
            child = Node(child_id(node.id, i, next(self.serial)))
            assert infoset is not None
            child.branch = infoset.actions[i].strip() or None
            if game_node.kind == "c":
                child.probability = gambit_number(infoset.probabilities[i])
            node.children.append(child)
        self.attach_outcome(game_node, node)

    def attach_outcome(self, game_node: GameNode, node: Node) -> None:
        if not game_node.outcome:
            return
        label, payoffs = self.game.outcomes[game_node.outcome]
        if game_node.outcome not in self.payoffs:  # each outcome's numbers are read once
            amounts = {pid: gambit_number(text)
                       for pid, text in zip(self.player_ids, payoffs, strict=False)}
            self.payoffs[game_node.outcome] = {k: v for k, v in amounts.items() if v != 0}
        node.payoff = dict(self.payoffs[game_node.outcome]) or None
        if not label.strip():
            return
        if game_node.kind == "t":
            if game_node.outcome not in self.categories:
                self.categories[game_node.outcome] = self.category_names.unique(
                    slug(label, f"outcome{game_node.outcome}"))
            node.outcome = self.categories[game_node.outcome]
        else:
            node.extras[OUTCOME_KEY] = label


def gambit_number(text: str) -> float | int | str:
    """A payoff or probability: exact rationals stay exact, as the expression "n/d".

    Raises ValueError saying why for anything else, a number too large for a double
    and a text of more than MAX_NUMBER_DIGITS digits included.
    """
    rational = _RATIONAL.fullmatch(text)
    if rational:
        top, bottom = rational.groups()
        if len(top) + len(bottom) > MAX_NUMBER_DIGITS:
            raise ValueError(f"it has more than {MAX_NUMBER_DIGITS} digits")
        if int(bottom) == 0:
            raise ValueError("it divides by zero")
        value = Fraction(int(top), int(bottom))
    else:
        found = decimal_number(text)
        if found is None:
            raise ValueError("it is not a number")
        value = found
    try:
        number = float(value)
    except OverflowError:
        raise ValueError("it is too large (offramp's numbers are at most about"
                         " 1.8e308)") from None
    if value.denominator == 1:
        return value.numerator
    if rational and max(abs(value.numerator), value.denominator) < 2**53:
        return f"{value.numerator}/{value.denominator}"
    return plain(number)


def _summary(tree: Tree, game: Game) -> str:
    kinds = {DECISION: 0, CHANCE: 0, TERMINAL: 0}
    for node in tree.root.walk():
        kinds[node.type] += 1
    return (f'game "{tree.title}": {len(game.players)} player'
            f'{"s" * (len(game.players) != 1)}, {len(tree)} nodes ({kinds[DECISION]} decision,'
            f" {kinds[CHANCE]} chance, {kinds[TERMINAL]} end), {len(game.outcomes)} outcome"
            f"{'s' * (len(game.outcomes) != 1)}")
