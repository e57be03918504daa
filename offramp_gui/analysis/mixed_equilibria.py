"""Mixed equilibria of two-player games with private information, through Gambit.

Gambit's sequence-form solver (Lemke's algorithm on the extensive form, pygambit's
`lcp_solve`) finds one Nash equilibrium in behaviour strategies, mixed where it must
be. offramp then checks it itself: at every information set, given the beliefs, each
action played with a positive chance must be a best reply. If so the equilibrium is
"perfect Bayesian", else "Nash only" (a threat off the path that the player would not
carry out). pygambit is an optional extra, imported only when this runs.
"""
from __future__ import annotations

import io
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from ..model.tree import DECISION, Node, Tree
from .evaluate import Overrides, evaluate_tree

#: How near the best an action's value must be (relative, at least 1e-9 absolute).
TOLERANCE = 1e-9
EXTRA = "mixed equilibria need the optional extra: pip install 'offramp[equilibria]'"
PERFECT_BAYESIAN, NASH_ONLY = "perfect Bayesian", "Nash only"


@dataclass(frozen=True)
class MixedEquilibrium:
    #: information set name (or a decision's id when it is a set of its own) ->
    #: branch label -> probability
    behaviour: Mapping[str, Mapping[str, float]]
    beliefs: Mapping[str, float]  # node id -> belief, at the nodes of sets of 2+ nodes
    values: Mapping[str, float]  # player id -> expected utility at the root
    kind: str  # PERFECT_BAYESIAN or NASH_ONLY


class MixedUnavailable(Exception):
    """What is not computed and why, in one line."""


def mixed_equilibria(tree: Tree, overrides: Overrides | None = None
                     ) -> tuple[MixedEquilibrium, ...]:
    """The equilibria Gambit's sequence-form solver finds (it finds one)."""
    game = _Game(tree, overrides)
    try:
        import pygambit  # type: ignore[import-untyped]
        from pygambit import H
    except ImportError:
        raise MixedUnavailable(EXTRA) from None
    solved = pygambit.nash.lcp_solve(pygambit.read_efg(io.StringIO(game.efg())),
                                     rational=False)
    profile = solved.equilibrium
    behaviour = {key: dict(zip(game.labels(key), (float(p) for _a, p in
                                                  profile[H.path(*game.path[members[0].id])]),
                               strict=True))
                 for key, members in game.sets.items()}
    found = {history.actions: belief for history, belief in profile.beliefs}
    beliefs = {node.id: float(found[game.path[node.id]])
               for members in game.sets.values() if len(members) > 1
               for node in members if found[game.path[node.id]] is not None}
    return (game.equilibrium(behaviour, beliefs),)


def kind_of(tree: Tree, behaviour: Mapping[str, Mapping[str, float]],
            beliefs: Mapping[str, float], overrides: Overrides | None = None) -> str:
    """"perfect Bayesian" or "Nash only" for a profile given by hand (keyed as in
    MixedEquilibrium); an unreached set without beliefs passes if some belief makes its
    choice a best reply."""
    return _Game(tree, overrides).equilibrium(behaviour, beliefs).kind


class _Game:
    """The tree as a game: its sets, chance, and each terminal's utilities."""

    def __init__(self, tree: Tree, overrides: Overrides | None):
        results = evaluate_tree(tree, overrides)
        if results.issues:
            raise MixedUnavailable("mixed equilibria are not computed for a tree with"
                                   f" problems: {results.issues[0].message}")
        players = results.flat.players
        if len(players) != 2:
            raise MixedUnavailable(f"only two-player games: this tree has {len(players)}"
                                   f" player{'s' * (len(players) != 1)}")
        self.tree, self.results, self.players = tree, results, players
        self.order = list(tree.root.walk())
        self.path: dict[str, tuple[str, ...]] = {tree.root.id: ()}
        self.sets: dict[str, list[Node]] = {}
        for node in self.order:
            for k, child in enumerate(node.children, 1):
                self.path[child.id] = (*self.path[node.id], str(k))
            if self.decides(node):
                self.sets.setdefault(node.information_set or node.id, []).append(node)

    @staticmethod
    def decides(node: Node) -> bool:
        return node.type == DECISION and not node.is_assumed

    def row(self, node: Node) -> int:
        return self.results.flat.index[node.id]

    def labels(self, key: str) -> list[str]:
        return [child.branch or child.id for child in self.sets[key][0].children]

    def efg(self) -> str:
        """The game as Gambit text: actions numbered "1", "2"…, utilities at the ends."""
        numbers = {key: 1 + sum(1 for other in list(self.sets)[:k]
                                if self.player(self.sets[other][0]) == self.player(members[0]))
                   for k, (key, members) in enumerate(self.sets.items())}
        lines = ['EFG 2 R "" { "1" "2" }', '""']
        chance, ends = itertools.count(1), itertools.count(1)
        for node in self.order:
            actions = [f'"{k}"' for k in range(1, len(node.children) + 1)]
            if self.decides(node):
                key = node.information_set or node.id
                lines.append(f'p "" {self.player(node) + 1} {numbers[key]} ""'
                             f' {{ {" ".join(actions)} }} 0')
            elif node.children:
                moves = " ".join(f"{a} {_text(p)}" for a, p in
                                 zip(actions, self.exact_chances(node), strict=True))
                lines.append(f'c "" {next(chance)} "" {{ {moves} }} 0')
            else:
                utility = self.results.utility[self.row(node)]
                lines.append(f't "" {next(ends)} "" {{ {", ".join(map(_text, utility))} }}')
        return "\n".join(lines) + "\n"

    def player(self, node: Node) -> int:
        return int(self.results.flat.player[self.row(node)])

    def chances(self, node: Node) -> list[float]:
        return [float(self.results.probability[self.row(c)]) for c in node.children]

    def exact_chances(self, node: Node) -> list[Fraction]:
        """Gambit needs chances that add up to exactly 1: the largest takes the rest."""
        exact = [Fraction(repr(p)) for p in self.chances(node)]
        largest = max(range(len(exact)), key=exact.__getitem__)
        exact[largest] += 1 - sum(exact)
        return exact

    # ---- offramp's own check --------------------------------------------------------
    def equilibrium(self, behaviour: Mapping[str, Mapping[str, float]],
                    beliefs: Mapping[str, float]) -> MixedEquilibrium:
        moves = {node.id: [behaviour[key].get(label, 0.0) for label in self.labels(key)]
                 for key, members in self.sets.items() for node in members}
        value: dict[str, np.ndarray] = {}
        for node in reversed(self.order):
            if not node.children:
                value[node.id] = np.asarray(self.results.utility[self.row(node)], dtype=float)
            else:
                chances = moves[node.id] if node.id in moves else self.chances(node)
                value[node.id] = sum((p * value[c.id] for p, c in
                                   zip(chances, node.children, strict=True)),
                                  np.zeros(len(self.players)))
        rational = all(self.best_replies(members, moves[members[0].id], value, beliefs)
                       for members in self.sets.values())
        return MixedEquilibrium(
            {key: dict(behaviour[key]) for key in self.sets}, dict(beliefs),
            {player: float(v) for player, v in zip(self.players, value[self.tree.root.id],
                                                   strict=True)},
            PERFECT_BAYESIAN if rational else NASH_ONLY)

    def best_replies(self, members: list[Node], chosen: list[float],
                     value: dict[str, np.ndarray], beliefs: Mapping[str, float]) -> bool:
        """True when every action played is a best reply at this set, given its beliefs
        (or, where it has none, given some belief)."""
        player = self.player(members[0])
        # gains[x][a]: the player's value of action a at member x
        gains = np.array([[value[c.id][player] for c in x.children] for x in members])
        played = [a for a, p in enumerate(chosen) if p > TOLERANCE]
        if len(members) == 1:
            return _best(gains[0], played)
        if all(x.id in beliefs for x in members):
            return _best(np.array([beliefs[x.id] for x in members]) @ gains, played)
        return _some_belief(gains, played)


def _best(action_values: np.ndarray, played: list[int]) -> bool:
    top = float(action_values.max())
    return all(action_values[a] >= top - TOLERANCE * max(1.0, abs(top)) for a in played)


def _some_belief(gains: np.ndarray, played: list[int]) -> bool:
    """Whether a belief over the set's nodes makes every played action a best reply.

    The beliefs that do form a polytope; if it is not empty, one of its corners is, and
    each corner is where as many of its bounding planes meet as there are nodes less one.
    """
    nodes = gains.shape[0]
    rows = [gains[:, a] - gains[:, b] for a in played for b in range(gains.shape[1])
            if b != a]  # action a is at least as good as b: rows @ belief >= 0
    planes = [*rows, *np.eye(nodes)]
    for chosen in itertools.combinations(planes, nodes - 1):
        system = np.vstack([*chosen, np.ones(nodes)])
        if np.linalg.matrix_rank(system) < nodes:
            continue
        belief = np.linalg.solve(system, np.r_[np.zeros(nodes - 1), 1.0])
        scale = max(1.0, float(np.abs(gains).max()))
        if belief.min() >= -TOLERANCE and all(r @ belief >= -TOLERANCE * scale for r in rows):
            return True
    return False


def _text(number: Any) -> str:
    """A number as exact Gambit text: an integer or a fraction n/d."""
    exact = number if isinstance(number, Fraction) else Fraction(repr(float(number)))
    return str(exact.numerator) if exact.denominator == 1 else \
        f"{exact.numerator}/{exact.denominator}"
