"""The pure-strategy perfect Bayesian equilibria of a tree with information sets
(docs/format.md, "Information sets (private information)").

A strategy profile picks one branch, by its position (the same label at every node of a
set), at each searched set: every information set of 2+ nodes, and every other
decision ("best") that has such a set below it. Every other decision heads a subtree of
perfect information: it is solved by backward induction once, as `evaluate` does, and
stands in the search as the values it is worth (pruning).

Profiles are examined in lexicographic order: the searched sets in depth-first order of
their first node, the first set the most significant, the branches in their order. The
equilibria are listed in that order, so the first is the one that takes the earliest
branches at the earliest sets. Profiles are evaluated many at once (numpy, a block of
profiles per pass over the searched part of the tree).

A profile is an equilibrium when each searched set's choice is best for its player:
- at a decision of its own, given the choices below it (sequential rationality, also
  off the equilibrium path: a Nash equilibrium sustained by an incredible threat, such
  as Selten's horse's, is not one);
- at a set of 2+ nodes, for the belief Bayes' rule gives within the smallest subgame
  that contains the set, wherever that subgame's play reaches the set with a positive
  chance; elsewhere (off the path) for at least one belief, and the range of beliefs
  that does it is reported.

Players' payoffs: a risk-neutral player's expected utility (its weighted criteria, as
`Results.utility`). A player with a non-linear utility is given the expectation of its
utility function (exponential: -sign(R) exp(-x / R), shifted so it cannot overflow;
piecewise: its points) over the perfect-information parts' certainty equivalents, which
is how its certainty equivalents are made; so its comparisons agree with the rollback.
"""
from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ..model.fields import DECISION
from ..model.tree import EXPONENTIAL, Tree
from .evaluate import (
    TIE_TOLERANCE,
    Overrides,
    Results,
    Shown,
    evaluate,
    risk_tolerances,
    through,
)
from .flatten import CHANCE_KIND, DECISION_KIND, FlatTree, flatten
from .readable import percent

Reach = np.ndarray | float

#: Profiles evaluated in one pass (memory: this many times the searched nodes' values).
BLOCK = 1 << 15


@dataclass(frozen=True)
class InformationSet:
    name: str  # the file's name; for a decision without the key, its own label
    player: str  # player id
    nodes: tuple[str, ...]  # decision node ids, in tree (depth-first) order
    labels: tuple[str, ...]  # the branch labels, shared by its nodes


@dataclass(frozen=True, eq=False)
class Equilibrium:
    #: Every solved ("best") decision node id -> the chosen child's id.
    choices: Mapping[str, str]
    #: Node id -> belief, at every node of a set of 2+ nodes that the play of its
    #: smallest subgame reaches with a positive chance (Bayes' rule there; on the
    #: equilibrium path this is Bayes' rule from the root).
    beliefs: Mapping[str, float]
    #: Set name -> the beliefs that sustain the equilibrium there, in words.
    off_path: Mapping[str, str]
    #: Set name -> node id -> (low, high): exact for 2-node sets; for larger ones each
    #: node's bounds over the region of beliefs that sustains the choice.
    off_path_bounds: Mapping[str, Mapping[str, tuple[float, float]]]
    #: "separating", "pooling" or "neither" in a signalling game; "" otherwise.
    kind: str
    #: Survives the Cho-Kreps intuitive criterion; None where the test does not apply.
    intuitive: bool | None
    #: Makes `results` (a rollback each: a search may find thousands of equilibria).
    make_results: Callable[[], Results] = field(repr=False, compare=False)

    @cached_property
    def results(self) -> Results:
        """`evaluate(flat, overrides, fixed=...)` under this profile: values,
        utilities, reach, outcome chances."""
        return self.make_results()


@dataclass(frozen=True)
class EquilibriumSearch:
    information_sets: tuple[InformationSet, ...]  # those of 2+ nodes
    equilibria: tuple[Equilibrium, ...]
    profiles: int  # pure strategy profiles over the searched sets
    searched: int  # how many were examined (== profiles when complete)
    complete: bool  # False when there were more profiles than the limit
    #: A single decision maker: `equilibria` holds its optimal strategies (all of them).
    one_player: bool
    signalling: bool


# ---- information sets -----------------------------------------------------------------
def _grouped(tree: Tree) -> dict[str, list]:
    groups: dict[str, list] = {}
    for node in tree.root.walk():
        if node.type == DECISION and not node.is_assumed and node.information_set:
            groups.setdefault(node.information_set, []).append(node)
    return groups


def information_sets(tree: Tree) -> tuple[InformationSet, ...]:
    """The information sets of 2+ nodes, in depth-first order of their first node."""
    default_player = tree.effective_players()[0].id
    return tuple(
        InformationSet(name, nodes[0].player or default_player,
                       tuple(node.id for node in nodes),
                       tuple(child.branch or "" for child in nodes[0].children))
        for name, nodes in _grouped(tree).items() if len(nodes) >= 2)


def has_information_sets(tree: Tree) -> bool:
    """True when some information set has 2+ nodes; False: solve as ever."""
    seen: set[str] = set()
    for node in tree.root.walk():
        name = node.information_set
        if name and node.type == DECISION and not node.is_assumed:
            if name in seen:
                return True
            seen.add(name)
    return False


# ---- the search ---------------------------------------------------------------------
def find_equilibria(tree: Tree, overrides: Overrides | None = None,
                    limit: int = 10_000_000) -> EquilibriumSearch:
    """Every pure-strategy perfect Bayesian equilibrium among the first `limit`
    profiles (module docstring); on a tree without information sets, the one that
    backward induction finds."""
    flat = flatten(tree)
    sets = information_sets(tree)
    base = evaluate(flat, overrides)
    deciders = flat.player[flat.kind == DECISION_KIND]
    one_player = len(set(deciders.tolist())) <= 1
    if not sets:
        only = Equilibrium(_choices(flat, base), {}, {}, {}, "", None, lambda: base)
        return EquilibriumSearch((), (only,), 1, 1, True, one_player, False)
    game = _Game(flat, base, sets, overrides)
    found, searched = game.search(limit, one_player)
    equilibria = game.equilibria(found)
    return EquilibriumSearch(sets, equilibria, game.profiles, searched,
                             searched == game.profiles, one_player, game.signalling is not None)


def equilibrium_results(tree: Tree, overrides: Overrides | None = None,
                        chosen: int = 0) -> tuple[Results, EquilibriumSearch | None]:
    """What a tree with information sets shows: the results of equilibrium `chosen`
    (the last when there are fewer), `Results.equilibrium` saying which of how many;
    with no pure-strategy equilibrium, backward induction's. A tree that cannot be
    evaluated gives its problems, not searched (None)."""
    base = evaluate(flatten(tree), overrides)
    if base.issues:
        return base, None
    search = find_equilibria(tree, overrides)
    count = len(search.equilibria)
    if not count:
        return dataclasses.replace(base, equilibrium=Shown(-1, 0, search.complete)), search
    index = max(0, min(chosen, count - 1))
    shown = Shown(index, count, search.complete)
    return dataclasses.replace(search.equilibria[index].results, equilibrium=shown), search


def _choices(flat: FlatTree, results: Results) -> dict[str, str]:
    deciding = np.flatnonzero((flat.kind == DECISION_KIND) & (results.choice >= 0))
    return {flat.ids[i]: flat.ids[int(results.choice[i])] for i in deciding.tolist()}


@dataclass(frozen=True)
class _Searched:
    """A set whose choice a profile picks."""

    name: str
    nodes: tuple[int, ...]  # flat indices, depth-first
    player: int
    actions: int


@dataclass(frozen=True)
class _Signalling:
    sender: int  # player index
    types: tuple[int, ...]  # the sender's decision nodes, one per type
    messages: tuple[str, ...]  # labels, as the first type's branches
    receiver_sets: Mapping[str, int]  # message label -> searched set number


class _Game:
    """The part of the tree above every information set of 2+ nodes, solved for many
    profiles at once; every node hanging off it is worth its backward-induction value."""

    def __init__(self, flat: FlatTree, base: Results, sets: tuple[InformationSet, ...],
                 overrides: Overrides | None):
        self.flat, self.base, self.overrides = flat, base, overrides
        self.utility = _vnm_utilities(base)
        self.probability = base.probability
        member = {flat.index[node]: k for k, s in enumerate(sets) for node in s.nodes}
        active = np.zeros(flat.size, bool)
        active[list(member)] = True
        for start, end in reversed(flat.levels[1:]):
            parents = flat.parent[start:end][active[start:end]]
            active[parents] = True
        self.active = active
        self.order = self._depth_first()  # the searched part, depth-first
        self.skeleton = sorted(self.order)  # breadth first: children after parents
        self.kids = {i: tuple(flat.children(i)) for i in self.skeleton}
        self.searched = self._searched_sets(sets, member)
        self.set_of = {x: k for k, s in enumerate(self.searched) for x in s.nodes}
        self.subgame_roots = self._subgame_roots()
        self.profiles = math.prod(s.actions for s in self.searched)
        self.signalling = self._signalling()
        self._labels: dict[str, list[str]] = {}

    def _depth_first(self) -> list[int]:
        found, stack = [], [0]
        while stack:
            i = stack.pop()
            found.append(i)
            stack.extend(c for c in reversed(self.flat.children(i)) if self.active[c])
        return found

    def _searched_sets(self, sets: tuple[InformationSet, ...],
                       member: dict[int, int]) -> list[_Searched]:
        flat = self.flat
        named = {k: s for k, s in enumerate(sets)}
        found, done = [], set()
        for i in self.order:
            if flat.kind[i] != DECISION_KIND:
                continue
            k = member.get(i)
            if k is None:
                found.append(_Searched(flat.labels.node(i, flat.ids[i]), (i,),
                                       int(flat.player[i]), int(flat.child_count[i])))
            elif k not in done:
                done.add(k)
                nodes = tuple(flat.index[n] for n in named[k].nodes)
                found.append(_Searched(named[k].name, nodes, int(flat.player[i]),
                                       int(flat.child_count[i])))
        return found

    def _subgame_roots(self) -> set[int]:
        """The searched nodes that root a subgame: every set they reach lies wholly
        below them (and they are in no set of 2+ nodes)."""
        below: dict[int, dict[int, int]] = {}
        sizes = [len(s.nodes) for s in self.searched]
        roots = set()
        for i in reversed(self.skeleton):
            counts: dict[int, int] = {}
            for c in self.kids[i]:
                for k, n in below.get(c, {}).items():
                    counts[k] = counts.get(k, 0) + n
            own = self.set_of.get(i)
            if own is not None:
                counts[own] = counts.get(own, 0) + 1
            below[i] = counts
            if all(n == sizes[k] for k, n in counts.items()) and (
                    own is None or sizes[own] == 1):
                roots.add(i)
        roots.add(0)
        return roots

    # ---- many profiles at once ---------------------------------------------------------
    def digits(self, index: np.ndarray) -> np.ndarray:
        """Each profile's branch position at each searched set, (K, sets)."""
        found = np.empty((len(index), len(self.searched)), np.int64)
        rest = index.copy()
        for k in reversed(range(len(self.searched))):
            actions = self.searched[k].actions
            found[:, k] = rest % actions
            rest //= actions
        return found

    def run(self, digits: np.ndarray) -> tuple[dict[int, np.ndarray], dict[int, Reach]]:
        """Each searched node's utilities per player ((K, P), or (P,) where the same
        for all), and its chance of being reached from its nearest subgame root."""
        count, players = len(digits), self.utility.shape[1]
        value: dict[int, np.ndarray] = {}
        for i in reversed(self.skeleton):
            kid_values = [value.get(c, self.utility[c]) for c in self.kids[i]]
            k = self.set_of.get(i)
            if k is None:  # chance, or an assumed decision
                p = self.probability[list(self.kids[i])]
                total = p[0] * kid_values[0]
                for share, kid in zip(p[1:], kid_values[1:]):
                    total = total + share * kid
            else:
                taken = digits[:, k, None]
                total = np.array(np.broadcast_to(kid_values[0], (count, players)))
                for a, kid in enumerate(kid_values[1:], 1):
                    np.copyto(total, kid, where=taken == a)
            value[i] = total
        reach: dict[int, Reach] = {}
        for i in self.skeleton:
            here = 1.0 if i in self.subgame_roots else reach[i]
            k = self.set_of.get(i)
            for a, c in enumerate(self.kids[i]):
                if self.active[c]:
                    reach[c] = (here * self.probability[c] if k is None
                                else here * (digits[:, k] == a))
        return value, reach

    def payoffs(self, value: dict[int, np.ndarray], searched: _Searched,
                count: int) -> np.ndarray:
        """The set's player's utility of each branch at each node, (nodes, actions, K)."""
        return np.stack([np.stack([np.broadcast_to(value.get(c, self.utility[c])[...,
                                                                                 searched.player],
                                                   (count,)) for c in self.kids[x]])
                         for x in searched.nodes])

    def rational(self, digits: np.ndarray, value: dict[int, np.ndarray],
                 reach: dict[int, Reach]) -> np.ndarray:
        """Which profiles choose best at every searched set, (K,)."""
        count = len(digits)
        ok = np.ones(count, bool)
        for k, searched in enumerate(self.searched):
            q = self.payoffs(value, searched, count)  # (N, A, K)
            taken = digits[:, k]
            if len(searched.nodes) == 1:
                ok &= _best(q[0], taken)
                continue
            weights = np.stack([np.broadcast_to(reach[x], (count,)) for x in searched.nodes])
            total = weights.sum(axis=0)
            on = total > 0
            expected = (weights[:, None, :] * q).sum(axis=0) / np.where(on, total, 1.0)
            good = np.where(on, _best(expected, taken), True)
            off = ~on & ok
            if off.any():
                good[off] = _sustainable(q[:, :, off], taken[off])
            ok &= good
        return ok

    def search(self, limit: int, one_player: bool) -> tuple[list[int], int]:
        searched = min(self.profiles, max(limit, 0))
        found: list[np.ndarray] = []
        scores: list[np.ndarray] = []
        for start in range(0, searched, BLOCK):
            index = np.arange(start, min(start + BLOCK, searched), dtype=np.int64)
            digits = self.digits(index)
            value, reach = self.run(digits)
            ok = self.rational(digits, value, reach)
            found.append(index[ok])
            if one_player:
                root = np.broadcast_to(value[0][..., self.searched[0].player], (len(index),))
                scores.append(root[ok])
        indices = np.concatenate(found) if found else np.empty(0, np.int64)
        if one_player and indices.size:
            score = np.concatenate(scores)
            best = np.nanmax(score) if not np.isnan(score).all() else np.nan
            indices = indices[score >= best - TIE_TOLERANCE * max(1.0, abs(best))]
        return indices.tolist(), searched

    # ---- one equilibrium ---------------------------------------------------------------
    def equilibria(self, indices: list[int]) -> tuple[Equilibrium, ...]:
        """The equilibria of these profiles, their beliefs worked out all at once; each
        one's full results when first asked for."""
        if not indices:
            return ()
        count = len(indices)
        digits = self.digits(np.array(indices, np.int64))
        value, reach = self.run(digits)
        base_choices = _choices(self.flat, self.base)
        per_set = []
        for k, searched in enumerate(self.searched):
            if len(searched.nodes) >= 2:
                weights = np.stack([np.broadcast_to(reach[x], (count,))
                                    for x in searched.nodes])
                per_set.append((k, searched, weights, self.payoffs(value, searched, count)))
        return tuple(self._equilibrium(j, digits[j], value, per_set, base_choices)
                     for j in range(count))

    def _equilibrium(self, j: int, digits: np.ndarray, value: dict[int, np.ndarray],
                     per_set: list, base_choices: dict[str, str]) -> Equilibrium:
        flat = self.flat
        fixed = {x: self.kids[x][int(digits[k])]
                 for k, searched in enumerate(self.searched) for x in searched.nodes}
        choices = dict(base_choices)  # (outside the searched part: backward induction)
        choices.update((flat.ids[x], flat.ids[c]) for x, c in fixed.items())
        beliefs: dict[str, float] = {}
        off_path: dict[str, str] = {}
        bounds: dict[str, dict[str, tuple[float, float]]] = {}
        for k, searched, weights, payoff in per_set:
            total = float(weights[:, j].sum())
            if total > 0:
                beliefs.update((flat.ids[x], float(w) / total)
                               for x, w in zip(searched.nodes, weights[:, j]))
                continue
            region = _belief_bounds(payoff[:, :, j], int(digits[k]))
            if region is None:  # (cannot happen: the search kept it)
                continue
            bounds[searched.name] = {flat.ids[x]: b for x, b in zip(searched.nodes, region)}
            off_path[searched.name] = _in_words(self.labels(searched), region)
        kind, intuitive = self._signalling_verdict(digits, value, j)
        # Its results are of the tree with this strategy held, so that what is worked
        # out from them (the app's analyses) keeps the equilibrium.
        held, overrides = dataclasses.replace(self.flat, held=fixed), self.overrides
        return Equilibrium(choices, beliefs, off_path, bounds, kind, intuitive,
                           lambda: evaluate(held, overrides))

    def labels(self, searched: _Searched) -> list[str]:
        found = self._labels.get(searched.name)
        if found is None:
            found = self._labels[searched.name] = distinct_labels(self.flat, searched.nodes)
        return found

    # ---- signalling games ------------------------------------------------------------
    def _signalling(self) -> _Signalling | None:
        """A chance move picks the sender's type; the sender (one decision per type)
        sends a message; the receiver sees the message, not the type: one set per
        message, of one node per type, with nothing to solve below it."""
        flat = self.flat
        if flat.kind[0] != CHANCE_KIND:
            return None
        types = tuple(flat.children(0))
        if len(types) < 2 or any(flat.kind[t] != DECISION_KIND for t in types):
            return None
        senders = {int(flat.player[t]) for t in types}
        if len(senders) != 1 or any(len(self.searched[self.set_of[t]].nodes) != 1
                                     for t in types if t in self.set_of):
            return None
        receiver_sets: dict[str, int] = {}
        for t in types:
            labels = [flat.labels.branches[m] or "" for m in flat.children(t)]
            if len(set(labels)) != len(labels):
                return None
            for m, label in zip(flat.children(t), labels):
                k = self.set_of.get(m)
                if k is None or len(self.searched[k].nodes) != len(types):
                    return None
                if receiver_sets.setdefault(label, k) != k:
                    return None
                if any(self.active[c] for c in flat.children(m)):
                    return None
        if len(set(receiver_sets.values())) != len(receiver_sets):
            return None
        first = [flat.labels.branches[m] or "" for m in flat.children(types[0])]
        return _Signalling(senders.pop(), types, tuple(first), receiver_sets)

    def _signalling_verdict(self, digits: np.ndarray, value: dict[int, np.ndarray],
                            j: int) -> tuple[str, bool | None]:
        game = self.signalling
        if game is None:
            return "", None
        flat = self.flat
        sent = [flat.labels.branches[self.kids[t][int(digits[self.set_of[t]])]] or ""
                for t in game.types]
        kind = ("pooling" if len(set(sent)) == 1 else
                "separating" if len(set(sent)) == len(sent) else "neither")
        unsent = [m for m in game.messages if m not in sent]
        if not unsent:
            return kind, None
        earned = [float(value[t][..., game.sender] if value[t].ndim == 1
                        else value[t][j, game.sender]) for t in game.types]
        return kind, all(self._intuitive(game, m, earned) for m in unsent)

    def _intuitive(self, game: _Signalling, message: str, earned: list[float]) -> bool:
        """Cho and Kreps (1987): drop the types for which `message` is worse than their
        equilibrium payoff whatever the receiver does; the equilibrium fails when some
        type gains by `message` whatever best reply the receiver makes to a belief on
        the types that remain."""
        receivers = self.searched[game.receiver_sets[message]]
        receiver = receivers.player
        sender_gets = np.array([[self.utility[c, game.sender] for c in self.kids[x]]
                                for x in receivers.nodes])  # (types, replies)
        receiver_gets = np.array([[self.utility[c, receiver] for c in self.kids[x]]
                                  for x in receivers.nodes])
        tolerance = [TIE_TOLERANCE * max(1.0, abs(e)) for e in earned]
        kept = [t for t in range(len(earned))
                if sender_gets[t].max() >= earned[t] - tolerance[t]]
        if not kept:
            return True
        replies = [a for a in range(receiver_gets.shape[1])
                   if _belief_bounds(receiver_gets[kept], a) is not None]
        worst = sender_gets[:, replies].min(axis=1)
        return not any(worst[t] > earned[t] + tolerance[t] for t in range(len(earned)))


# ---- choices and beliefs --------------------------------------------------------------
def _best(payoff: np.ndarray, taken: np.ndarray) -> np.ndarray:
    """Whether the taken branch is (within the tie tolerance) the best, (K,);
    `payoff` is (actions, K)."""
    best = payoff.max(axis=0)
    mine = np.take_along_axis(payoff, taken[None, :], axis=0)[0]
    return mine >= best - TIE_TOLERANCE * np.maximum(1.0, np.abs(best))


def _sustainable(payoff: np.ndarray, taken: np.ndarray) -> np.ndarray:
    """Whether some belief makes the taken branch best, per profile; `payoff` is
    (nodes, actions, K)."""
    count = payoff.shape[2]
    if payoff.shape[0] == 2:  # the belief t in the first node: an interval per branch
        mine = np.take_along_axis(payoff, taken[None, None, :], axis=1)  # (2, 1, K)
        gain = mine - payoff  # (2, A, K): what the taken branch gains at each node
        scale = TIE_TOLERANCE * np.maximum(1.0, np.abs(payoff).max(axis=(0, 1)))
        first, second = gain[0], gain[1]
        slope = first - second  # t * first + (1 - t) * second >= -scale
        with np.errstate(divide="ignore", invalid="ignore"):
            edge = (-scale - second) / slope
        low = np.where(slope > 0, edge, 0.0).max(axis=0, initial=0.0)
        high = np.where(slope < 0, edge, 1.0).min(axis=0, initial=1.0)
        flat_ok = np.where(slope == 0, second >= -scale, True).all(axis=0)
        return flat_ok & (low <= high)
    found = np.zeros(count, bool)
    cases: dict[bytes, bool] = {}
    for k in range(count):
        case = payoff[:, :, k]
        key = case.tobytes() + int(taken[k]).to_bytes(4, "little")
        if key not in cases:
            cases[key] = _belief_bounds(case, int(taken[k])) is not None
        found[k] = cases[key]
    return found


def _belief_bounds(payoff: np.ndarray, taken: int) -> list[tuple[float, float]] | None:
    """Per node, the lowest and highest belief among those that make branch `taken`
    best (`payoff`: nodes x actions); None when no belief does. The region is a
    polytope of the simplex: its vertices, where nodes - 1 of its sides meet, give the
    bounds."""
    nodes = payoff.shape[0]
    gains = [payoff[:, taken] - payoff[:, a] for a in range(payoff.shape[1]) if a != taken]
    scale = TIE_TOLERANCE * max(1.0, float(np.abs(payoff).max()))
    if nodes == 2:
        return _interval(gains, scale)
    sides = [np.eye(nodes)[x] for x in range(nodes)] + gains  # each side: row . mu >= 0
    vertices = []
    for chosen in itertools.combinations(range(len(sides)), nodes - 1):
        system = np.array([sides[s] for s in chosen] + [np.ones(nodes)])
        if abs(np.linalg.det(system)) < 1e-12:
            continue
        mu = np.linalg.solve(system, np.r_[np.zeros(nodes - 1), 1.0])
        if all(float(side @ mu) >= -scale for side in sides[nodes:]) and (mu >= -1e-12).all():
            vertices.append(np.clip(mu, 0.0, 1.0))
    if not vertices:
        return None
    stacked = np.array(vertices)
    return [(float(low), float(high)) for low, high in zip(stacked.min(0), stacked.max(0))]


def _interval(gains: list[np.ndarray], scale: float) -> list[tuple[float, float]] | None:
    """`_belief_bounds` of a 2-node set: t in the first node, t g0 + (1 - t) g1 >= 0
    for every other branch's gains g."""
    low, high = 0.0, 1.0
    for first, second in gains:
        slope = float(first - second)
        if slope == 0:
            if second < -scale:
                return None
            continue
        edge = (-scale - float(second)) / slope
        low, high = (max(low, edge), high) if slope > 0 else (low, min(high, edge))
    if low > high:
        return None
    return [(low, high), (1 - high, 1 - low)]


def kind_in_words(found: Equilibrium) -> str:
    """Its kind and the intuitive criterion's verdict, as a reader sees them ("pooling,
    fails the intuitive criterion"); "" when neither applies."""
    words = [found.kind] if found.kind else []
    if found.intuitive is not None:
        words.append("survives the intuitive criterion" if found.intuitive
                     else "fails the intuitive criterion")
    return ", ".join(words)


def strategy_rows(search: EquilibriumSearch,
                  found: Equilibrium) -> list[tuple[str, str, str, str]]:
    """Per information set: the player's name, the set's, the branch chosen, and the
    beliefs (by Bayes' rule where reached; off the path, the range that sustains it)."""
    flat = found.results.flat
    names = dict(zip(flat.players, flat.labels.players))
    rows = []
    for each in search.information_sets:
        chosen = found.choices.get(each.nodes[0])
        labels = distinct_labels(flat, [flat.index[node] for node in each.nodes])
        beliefs = ", ".join(f"{label} {percent(found.beliefs[node])}"
                            for label, node in zip(labels, each.nodes)
                            if node in found.beliefs)
        rows.append((names.get(each.player, each.player), each.name,
                     (flat.labels.branches[flat.index[chosen]] or chosen) if chosen else "—",
                     beliefs or "off the path: " + found.off_path.get(each.name, "any belief")))
    return rows


def distinct_labels(flat: FlatTree, nodes: Sequence[int]) -> list[str]:
    """What tells the set's nodes apart, in the user's words: the branch labels of the
    nearest ancestors (or the nodes themselves) where the paths differ: the type a
    chance move gave ("Resolved West"), else the nodes' own labels."""
    current = list(nodes)
    while not any(flat.parent[i] < 0 for i in current):
        labels = [flat.labels.branches[i] or "" for i in current]
        if all(labels) and len(set(labels)) == len(labels):
            return labels
        current = [int(flat.parent[i]) for i in current]
    labels = [flat.labels.node(i, flat.ids[i]) for i in nodes]
    return labels if len(set(labels)) == len(labels) else [flat.ids[i] for i in nodes]


def _percent(value: float) -> str:
    return f"{100 * value:.3g}%"


def _in_words(labels: list[str], region: list[tuple[float, float]]) -> str:
    if all(low <= 1e-9 and high >= 1 - 1e-9 for low, high in region):
        return "any belief"
    if len(labels) == 2:
        low, high = region[0]
        node = f"that it faces “{labels[0]}”"
        if low <= 1e-9:
            return f"any belief {node} of at most {_percent(high)}"
        if high >= 1 - 1e-9:
            return f"any belief {node} of at least {_percent(low)}"
        return f"any belief {node} between {_percent(low)} and {_percent(high)}"
    parts = [f"“{label}” {_percent(low)} to {_percent(high)}"
             for label, (low, high) in zip(labels, region)]
    return "beliefs within: " + ", ".join(parts)


# ---- payoffs ------------------------------------------------------------------------
def _vnm_utilities(results: Results) -> np.ndarray:
    """Each player's utility at each node, (n, P), whose expectation a player maximises
    (module docstring)."""
    found = np.array(results.utility, dtype=float)
    certainty = results.certainty
    if certainty is None:
        return found
    tolerances = risk_tolerances(results)
    for slot, attitude in enumerate(results.flat.risk):
        score = certainty[:, attitude.player]
        if attitude.kind == EXPONENTIAL:
            tolerance = tolerances[slot]
            finite = score[np.isfinite(score)]
            shift = (finite.min() if tolerance > 0 else finite.max()) if finite.size else 0.0
            with np.errstate(over="ignore", invalid="ignore"):
                found[:, attitude.player] = -np.sign(tolerance) * np.exp(
                    -(score - shift) / tolerance)
        elif attitude.scores.size:
            found[:, attitude.player] = through(score, attitude.scores, attitude.utilities)
        else:
            found[:, attitude.player] = np.nan
    return found
