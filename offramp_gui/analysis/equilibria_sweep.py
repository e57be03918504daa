"""Where the set of equilibria changes as one variable moves.

`find_equilibria` is run at evenly spaced values of the variable. Each value's set of
equilibria is summed up by a signature: each equilibrium's strategy (the branch chosen
at every information set of 2+ nodes), so that equilibria are the same across values
when the players do the same. Where two neighbouring values' signatures differ, the
switch is found by bisection.

Where payoffs tie exactly, both choices count as best (`TIE_TOLERANCE`), so the set
there is the union of its neighbours' and a little more, on a sliver far narrower than
anything a reader can act on: switches closer together than `SAME_SWITCH` of the range
are one switch, and a sliver whose two sides agree is no switch at all.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from ..model.tree import Tree
from .equilibria import Equilibrium, EquilibriumSearch, InformationSet, find_equilibria
from .evaluate import evaluate
from .flatten import FlatTree, flatten
from .readable import number, x_text
from .sensitivity import AnalysisError, variable_range

POINTS = 41
MAX_POINTS = 1001
#: Bisection stops when the bracket is this share of the range (or after MAX_STEPS).
PRECISION = 1e-9
MAX_STEPS = 40
#: Switches closer than this share of the range are one (module docstring).
SAME_SWITCH = 1e-6

Strategy = tuple[str, ...]  # the branch chosen at each information set, in their order
#: Sorted strategies, one per equilibrium; None where the tree cannot be evaluated.
Signature = tuple[Strategy, ...] | None


@dataclass(frozen=True)
class Described:
    """One equilibrium of an interval, as it is at the interval's middle."""

    strategy: Strategy
    kind: str  # "separating", "pooling", "neither", or "" outside signalling games
    #: (set name, branch) at each information set the play reaches.
    on_path: tuple[tuple[str, str], ...]
    values: Mapping[str, float]  # player id -> expected utility at the root


@dataclass(frozen=True)
class Interval:
    low: float
    high: float
    middle: float  # where the equilibria were described
    evaluable: bool  # False: the tree cannot be evaluated with these values
    complete: bool  # False: some search here stopped at its limit of profiles
    equilibria: tuple[Described, ...]

    @property
    def count(self) -> int | None:
        return len(self.equilibria) if self.evaluable else None


@dataclass(frozen=True)
class Change:
    """Equilibria that stay the same but for the branch chosen at one set."""

    set_name: str
    before: str
    after: str
    count: int


@dataclass(frozen=True)
class Switch:
    at: float
    changes: tuple[Change, ...]
    disappear: tuple[Strategy, ...]  # below `at` and not above it (but for `changes`)
    appear: tuple[Strategy, ...]  # above and not below
    #: (set name, branch) choices that pick out exactly what disappears (appears) among
    #: the equilibria on its side; empty when no common choices do.
    disappear_by: tuple[tuple[str, str], ...]
    appear_by: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class EquilibriumSweep:
    variable: str
    low: float
    high: float
    points: int
    information_sets: tuple[InformationSet, ...]
    intervals: tuple[Interval, ...]
    switches: tuple[Switch, ...]

    @property
    def complete(self) -> bool:
        return all(interval.complete for interval in self.intervals)


def equilibria_changes(tree: Tree, variable: str, low: float | None = None,
                       high: float | None = None, points: int = POINTS,
                       overrides: Mapping[str, float] | None = None) -> EquilibriumSweep:
    """The intervals of `variable` (over its min..max, or `low`..`high`) over which the
    set of equilibria stays the same, and the switches between them."""
    if not 2 <= points <= MAX_POINTS:
        raise AnalysisError(f"the number of points must be from 2 to {MAX_POINTS:,},"
                            f" not {points:,}")
    flat = flatten(tree)
    low, high = variable_range(flat, variable, low, high)
    sweeper = _Sweeper(tree, flat, variable, overrides or {})
    grid = [low + (high - low) * k / (points - 1) for k in range(points)]
    grid[-1] = high
    signatures = [sweeper.signature(x) for x in grid]
    step = PRECISION * (high - low)
    found: list[tuple[float, Signature, Signature]] = []
    for a, b, sa, sb in zip(grid, grid[1:], signatures, signatures[1:]):
        if sa != sb:
            found += sweeper.boundaries(a, sa, b, sb, step, MAX_STEPS)
    edges = _merged(found, SAME_SWITCH * (high - low))
    cuts = [low] + [at for at, _left, _right in edges] + [high]
    kinds = [signatures[0]] + [right for _at, _left, right in edges]
    intervals = tuple(sweeper.interval(a, b, signature)
                      for a, b, signature in zip(cuts, cuts[1:], kinds))
    names = [s.name for s in sweeper.sets]
    switches = tuple(_switch(at, before.equilibria, after.equilibria, names)
                     for (at, _left, _right), before, after
                     in zip(edges, intervals, intervals[1:]))
    return EquilibriumSweep(variable, low, high, points, sweeper.sets, intervals, switches)


def _merged(found: list[tuple[float, Signature, Signature]],
            within: float) -> list[tuple[float, Signature, Signature]]:
    """Switches closer than `within` made one (at the middle of the first and last);
    those whose two sides agree dropped."""
    clusters: list[list[tuple[float, Signature, Signature]]] = []
    for edge in sorted(found, key=lambda e: e[0]):
        if clusters and edge[0] - clusters[-1][-1][0] <= within:
            clusters[-1].append(edge)
        else:
            clusters.append([edge])
    merged = [((c[0][0] + c[-1][0]) / 2, c[0][1], c[-1][2]) for c in clusters]
    return [edge for edge in merged if edge[1] != edge[2]]


class _Sweeper:
    """The searches made so far, by value of the variable."""

    def __init__(self, tree: Tree, flat: FlatTree, variable: str,
                 overrides: Mapping[str, float]):
        self.tree, self.flat, self.variable = tree, flat, variable
        self.overrides = dict(overrides)
        self.searches: dict[float, EquilibriumSearch | None] = {}
        self.sets: tuple[InformationSet, ...] = ()

    def search(self, x: float) -> EquilibriumSearch | None:
        if x not in self.searches:
            overrides = {**self.overrides, self.variable: x}
            found = None
            if not evaluate(self.flat, overrides).issues:
                found = find_equilibria(self.tree, overrides)
                self.sets = found.information_sets
            self.searches[x] = found
        return self.searches[x]

    def strategy(self, equilibrium: Equilibrium, sets: tuple[InformationSet, ...]) -> Strategy:
        return tuple(self.branch(equilibrium.choices.get(s.nodes[0], "")) for s in sets)

    def branch(self, node_id: str) -> str:
        index = self.flat.index.get(node_id)
        return (self.flat.labels.branches[index] or node_id) if index is not None else ""

    def signature(self, x: float) -> Signature:
        found = self.search(x)
        if found is None:
            return None
        return tuple(sorted(self.strategy(e, found.information_sets) for e in found.equilibria))

    def boundaries(self, a: float, sa: Signature, b: float, sb: Signature, step: float,
                   steps: int) -> list[tuple[float, Signature, Signature]]:
        """Where the signature changes between `a` and `b`: each change as (where, the
        signature before, after); more than one when the middle has a third."""
        if b - a <= step or steps == 0:
            return [((a + b) / 2, sa, sb)]
        middle = (a + b) / 2
        sm = self.signature(middle)
        if sm == sa:
            return self.boundaries(middle, sm, b, sb, step, steps - 1)
        if sm == sb:
            return self.boundaries(a, sa, middle, sm, step, steps - 1)
        return (self.boundaries(a, sa, middle, sm, step, steps - 1)
                + self.boundaries(middle, sm, b, sb, step, steps - 1))

    def interval(self, low: float, high: float, signature: Signature) -> Interval:
        """The interval's equilibria described at its middle (or, should the middle
        differ, at the searched value inside it nearest the middle that agrees)."""
        middle = (low + high) / 2
        inside = sorted((x for x in self.searches if low <= x <= high),
                        key=lambda x: abs(x - middle))
        complete = all(s.complete for x in inside if (s := self.searches[x]) is not None)
        if signature is None:
            return Interval(low, high, middle, False, complete, ())
        where = next((x for x in [middle, *inside] if self.signature(x) == signature), middle)
        found = self.search(where)
        assert found is not None  # (its signature is not None)
        described = sorted((self.describe(e, found.information_sets) for e in found.equilibria),
                           key=lambda d: d.strategy)
        return Interval(low, high, where, True, complete and found.complete, tuple(described))

    def describe(self, equilibrium: Equilibrium, sets: tuple[InformationSet, ...]) -> Described:
        results = equilibrium.results
        strategy = self.strategy(equilibrium, sets)
        on_path = tuple((s.name, label) for s, label in zip(sets, strategy)
                        if any(results.reach[self.flat.index[node]] > 0 for node in s.nodes))
        values = {player: float(results.utility[0, p])
                  for p, player in enumerate(self.flat.players)}
        return Described(strategy, equilibrium.kind, on_path, values)


# ---- what changes at a switch -----------------------------------------------------------
def _switch(at: float, before: tuple[Described, ...], after: tuple[Described, ...],
            names: list[str]) -> Switch:
    gone = Counter(d.strategy for d in before) - Counter(d.strategy for d in after)
    new = Counter(d.strategy for d in after) - Counter(d.strategy for d in before)
    changes = _changes(gone, new, names)
    gone_left, new_left = sorted(gone.elements()), sorted(new.elements())
    return Switch(at, changes, tuple(gone_left), tuple(new_left),
                  _picked_by(gone_left, before, names), _picked_by(new_left, after, names))


def _changes(gone: Counter[Strategy], new: Counter[Strategy],
             names: list[str]) -> tuple[Change, ...]:
    """Pairs of a disappearing and an appearing equilibrium that differ at one set only,
    counted by set and branches; each pair is taken out of `gone` and `new`."""
    found: Counter[tuple[int, str, str]] = Counter()
    for k in range(len(names)):
        waiting: dict[Strategy, list[Strategy]] = {}
        for strategy in new.elements():
            waiting.setdefault(strategy[:k] + strategy[k + 1:], []).append(strategy)
        for strategy in list(gone.elements()):
            partners = waiting.get(strategy[:k] + strategy[k + 1:])
            if partners:
                partner = partners.pop()
                gone[strategy] -= 1
                new[partner] -= 1
                found[(k, strategy[k], partner[k])] += 1
    return tuple(Change(names[k], was, now, count)
                 for (k, was, now), count in sorted(found.items()))


def _picked_by(chosen: list[Strategy], among: tuple[Described, ...],
               names: list[str]) -> tuple[tuple[str, str], ...]:
    """Choices that `chosen` share and that no other equilibrium of `among` makes all of:
    their common choices on the path of play (what the players do), else the fewest of
    their common choices (the earliest sets kept longest); () when none do."""
    if not chosen or not names:
        return ()
    others = list((Counter(d.strategy for d in among) - Counter(chosen)).elements())
    position = {name: k for k, name in enumerate(names)}

    def picks(kept: list[int]) -> bool:
        return not any(all(s[k] == chosen[0][k] for k in kept) for s in others)

    paths = [set(d.on_path) for d in among if d.strategy in chosen]
    on_path = sorted(position[name] for name, _label in set.intersection(*paths)) \
        if paths else []
    if on_path and picks(on_path):
        return tuple((names[k], chosen[0][k]) for k in on_path)
    common = [k for k in range(len(names)) if len({s[k] for s in chosen}) == 1]
    if not picks(common):
        return ()
    kept = list(common)
    for k in reversed(common):
        fewer = [j for j in kept if j != k]
        if fewer and picks(fewer):
            kept = fewer
    return tuple((names[k], chosen[0][k]) for k in kept)


# ---- words ---------------------------------------------------------------------------
def in_words(sweep: EquilibriumSweep, flat: FlatTree) -> str:
    """The sweep as the command line prints it and the app shows it."""
    lines = [flat.title,
             f"How the equilibria change as {sweep.variable} moves from {x_text(sweep.low)}"
             f" to {x_text(sweep.high)} ({sweep.points} values searched, each switch found"
             f" by bisection):", ""]
    for k, interval in enumerate(sweep.intervals):
        lines += _interval_words(sweep, interval, flat) + [""]
        if k < len(sweep.switches):
            lines += [_switch_words(sweep.variable, sweep.switches[k]), ""]
    if not sweep.complete:
        lines.append("Some searches stopped at their limit of profiles: there may be more"
                     " equilibria, and more switches.")
    return "\n".join(lines).rstrip()


def _interval_words(sweep: EquilibriumSweep, interval: Interval, flat: FlatTree) -> list[str]:
    head = f"{sweep.variable} from {x_text(interval.low)} to {x_text(interval.high)}: "
    if not interval.evaluable:
        return [head + "the tree cannot be evaluated"]
    count = len(interval.equilibria)
    more = "" if interval.complete else " found (not every profile searched: there may be more)"
    if not count:
        return [head + f"no equilibrium in pure strategies{more}"]
    groups = Counter((d.kind, d.on_path, _values_words(d.values, flat))
                     for d in interval.equilibria)
    ways = f", {len(groups)} ways of playing" if len(groups) > 1 else ""
    lines = [head + f"{count} equilibri{'a' if count != 1 else 'um'}{more}{ways}"
             f" (values at {x_text(interval.middle)})"]
    for (kind, on_path, values), n in groups.items():
        what = f"{n} {kind + ' ' if kind else ''}equilibri{'a' if n != 1 else 'um'}"
        play = "; ".join(f"{name}: {label}" for name, label in on_path) \
            or "backward induction's (no information sets)"
        lines += [f"  {what}: {play}", f"    values: {values}"]
    return lines


def _values_words(values: Mapping[str, float], flat: FlatTree) -> str:
    return ", ".join(f"{name} {number(values[player])}"
                     for player, name in zip(flat.players, flat.labels.players))


def _switch_words(variable: str, switch: Switch) -> str:
    parts = []
    if switch.disappear:
        parts.append(_which_words(switch.disappear, switch.disappear_by) + " disappear"
                     + ("s" if len(switch.disappear) == 1 else ""))
    if switch.appear:
        parts.append(_which_words(switch.appear, switch.appear_by) + " appear"
                     + ("s" if len(switch.appear) == 1 else ""))
    for change in switch.changes:
        parts.append(f"in {change.count} equilibri{'a' if change.count != 1 else 'um'}"
                     f" the choice at “{change.set_name}” turns from {change.before}"
                     f" to {change.after}")
    return f"At {variable} = {x_text(switch.at)}: " + "; ".join(parts) + "."


def _which_words(strategies: tuple[Strategy, ...], picked_by: tuple[tuple[str, str], ...]) -> str:
    n = len(strategies)
    if not picked_by:
        return f"{n} equilibri{'a' if n != 1 else 'um'}"
    choices = [f"{label} at “{name}”" for name, label in picked_by]
    listed = choices[0] if len(choices) == 1 else \
        ", ".join(choices[:-1]) + " and " + choices[-1]
    return (f"the {n} equilibria in which the players choose {listed}" if n != 1 else
            f"the equilibrium in which the players choose {listed}")
