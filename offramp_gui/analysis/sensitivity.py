"""One-way and two-way sensitivity, tornado and threshold ("what would it take").

Every analysis looks at one decision (a node and its children, the alternatives)
from one player's point of view: an alternative's value is its expected utility for
that player, and the best alternative is the one worth most to them (ties to the
first). Sweeps evaluate all their points in one vectorised `solve`; switch points
are then located to a relative precision of 1e-9 (of the larger of the point and the
range's ends), not the grid step.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .evaluate import TIE_TOLERANCE, solve
from .flatten import ASSUMED_KIND, DECISION_KIND, FlatTree

PRECISION = 1e-9
NONE = -1  # no alternative is best: values cannot be computed there


class AnalysisError(ValueError):
    """The analysis cannot be done as asked; the message says why."""


@dataclass(frozen=True)
class Subject:
    """The decision analysed: a node, its children, and whose utility counts."""

    node: int
    player: int
    alternatives: tuple[int, ...]

    def ids(self, flat: FlatTree) -> list[str]:
        return [flat.ids[a] for a in self.alternatives]


def subject(flat: FlatTree, node_id: str | None = None, player_id: str | None = None) -> Subject:
    """The node (default: the root) seen by `player_id` (default: who decides there)."""
    node = 0 if node_id is None else flat.index.get(node_id)
    if node is None:
        raise AnalysisError(f'there is no node "{node_id}"')
    alternatives = tuple(flat.children(node))
    if not alternatives:
        raise AnalysisError(f'node "{flat.ids[node]}" has no branches to compare')
    if player_id is not None:
        if player_id not in flat.players:
            raise AnalysisError(f'there is no player "{player_id}"; the players are '
                                + ", ".join(flat.players))
        player = flat.players.index(player_id)
    else:
        player = max(int(flat.player[node]), 0)
    return Subject(node, player, alternatives)


def variable_range(flat: FlatTree, name: str, low: float | None = None,
                   high: float | None = None) -> tuple[float, float]:
    """The range to sweep: `low`/`high` if given, else the variable's min and max."""
    var = next((v for v in flat.variables if v.name == name), None)
    if var is None:
        known = ", ".join(flat.variable_names()) or "none"
        raise AnalysisError(f'there is no variable "{name}"; the variables are {known}')
    low = var.low if low is None else low
    high = var.high if high is None else high
    if low is None or high is None:
        raise AnalysisError(f"the variable {name} has no range: give --from and --to, or"
                            " add min and max to it")
    if not low < high:
        raise AnalysisError(f"the range of {name} is empty ({low:g} to {high:g})")
    return float(low), float(high)


# ---- evaluating alternatives --------------------------------------------------------
#: Numbers of node x sample x criterion a sweep's solve holds at once: bounds memory.
_CHUNK_ELEMENTS = 8_000_000


def alternative_values(flat: FlatTree, topic: Subject, overrides: Mapping[str, Any],
                       samples: int) -> tuple[np.ndarray, np.ndarray]:
    """Each alternative's value (A, S) and the best one's node index (S,), -1 if none.

    Solved a window of samples at a time, so that memory stays bounded however large
    the tree (each sample is solved on its own either way)."""
    window = max(1, _CHUNK_ELEMENTS // max(1, flat.size * (len(flat.criteria) + 2)))
    parts = []
    for start in range(0, samples, window):
        stop = min(start + window, samples)
        part = overrides if stop - start == samples else {
            name: value[start:stop] if np.ndim(value) == 1 and len(value) == samples else value
            for name, value in overrides.items()}
        solution = solve(flat, part, stop - start, want_reach=False, want_outcomes=False)
        parts.append(solution.certainty(list(topic.alternatives))[:, :, topic.player])
    values = parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)
    return values, best_of(values, topic)


def best_of(values: np.ndarray, topic: Subject) -> np.ndarray:
    """The tie rule of docs/format.md over (A, S) values: the first within tolerance."""
    top = np.max(values, axis=0)
    within = values >= top - TIE_TOLERANCE * np.maximum(1.0, np.abs(top))
    first = np.argmax(within, axis=0)
    best = np.asarray(topic.alternatives)[first]
    return np.where(np.isnan(top), NONE, best)


def grid(low: float, high: float, steps: int) -> np.ndarray:
    """`steps` (at least 2) evenly spaced points from `low` to `high`.

    Weighted means of the two ends rather than `low + k * (high - low) / n`, whose
    width overflows for a range such as -1e308..1e308.
    """
    t = np.linspace(0.0, 1.0, max(2, steps))
    return low * (1 - t) + high * t


def _with(base: Mapping[str, Any], name: str, values: np.ndarray) -> dict[str, Any]:
    return {**base, name: values}


# ---- one-way ------------------------------------------------------------------------
@dataclass(frozen=True)
class OneWay:
    variable: str
    x: np.ndarray  # (N,)
    alternatives: list[str]
    values: np.ndarray  # (A, N)
    best: list[str | None]
    switches: list[tuple[float, str | None, str | None]]  # (at, from, to)


def one_way(flat: FlatTree, topic: Subject, variable: str, low: float, high: float,
            steps: int = 200, base: Mapping[str, Any] | None = None) -> OneWay:
    """How each alternative's value moves as `variable` goes from `low` to `high`."""
    base = dict(base or {})
    x = grid(low, high, steps)
    values, best = alternative_values(flat, topic, _with(base, variable, x), x.size)

    def probe(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        found, labels = alternative_values(flat, topic, _with(base, variable, points),
                                           points.size)
        return labels, found

    switches = _switch_points(x, best, probe, topic.alternatives)
    name = _namer(flat)
    return OneWay(variable, x, topic.ids(flat), values, [name(b) for b in best],
                  [(at, name(a), name(b)) for at, a, b in switches])


Probe = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]
#: A probe of several sweeps at once: (points, the sweep each belongs to) -> as Probe.
LinesProbe = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]
#: A probe of some of the cells being located: (a point of each, which cells) -> as Probe.
CellsProbe = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def _switch_points(x: np.ndarray, labels: np.ndarray, probe: Probe,
                   candidates: tuple[int, ...]) -> list[tuple[float, int, int]]:
    """Where the best (or chosen) branch changes between grid points, located exactly.

    `probe(points)` gives the label (a node index) at each point and every candidate's
    score there (K, S). Where the two branches' scores cross inside a cell, the point
    is where they are equal (found by the Illinois variant of regula falsi, exact for
    straight lines); where one jumps past the other instead, it is where the label
    changes (found by bisection).
    """
    found = _switch_points_of_lines(x, labels, np.zeros(x.size, int),
                                    lambda points, _lines: probe(points), candidates)
    return [(at, f, t) for _line, at, f, t in found]


def _switch_points_of_lines(x: np.ndarray, labels: np.ndarray, lines: np.ndarray,
                            probe: LinesProbe, candidates: tuple[int, ...]
                            ) -> list[tuple[int, float, int, int]]:
    """`_switch_points` of several sweeps located together (one probe a step for all):
    sweep n's points are a run of `x`, ascending, where `lines` is n (0, 0, ..., 1, 1,
    ...). Gives (sweep, at, from, to) of each switch."""
    cells = np.flatnonzero((labels[:-1] != labels[1:]) & (lines[:-1] == lines[1:]))
    if not cells.size:
        return []
    # Precision is relative to the larger of the point and the range's ends: a switch
    # at 3.7e-13 in 0..1e-12 is found as finely as one at 0.37 in 0..1.
    first = np.flatnonzero(np.r_[True, lines[1:] != lines[:-1]])
    last = np.r_[first[1:] - 1, x.size - 1]
    ends = np.maximum(np.abs(x[first]), np.abs(x[last]))
    cell_lines = lines[cells]
    scale = ends[cell_lines]
    row = {node: k for k, node in enumerate(candidates)}
    low, high = x[cells].copy(), x[cells + 1].copy()
    left, right = labels[cells].copy(), labels[cells + 1].copy()
    crossing = np.array([f in row and t in row for f, t in zip(left, right)])
    at = np.full(cells.size, np.nan)
    if crossing.any():
        k = np.flatnonzero(crossing)
        owners = cell_lines[k]
        at[k] = _crossings(low[k], high[k], [row[f] for f in left[k]],
                           [row[t] for t in right[k]],
                           lambda points, which: probe(points, owners[which]), scale[k])
    found = np.isfinite(at)
    if found.any():  # keep a crossing only if the label really changes there
        step = PRECISION * np.maximum(np.abs(at[found]), scale[found]) * 10
        before, _ = probe(at[found] - step, cell_lines[found])
        after, _ = probe(at[found] + step, cell_lines[found])
        good = (before == left[found]) & (after == right[found])
        at[np.flatnonzero(found)[~good]] = np.nan
    missing = np.flatnonzero(np.isnan(at))
    if missing.size:
        unfound = cell_lines[missing]
        at[missing] = _bisect(low[missing], high[missing], left[missing],
                              lambda points, which: probe(points, unfound[which]),
                              scale[missing])
    return [(int(n), float(a), int(f), int(t))
            for n, a, f, t in zip(cell_lines, at, left, right)]


def _crossings(low: np.ndarray, high: np.ndarray, first: list[int], second: list[int],
               probe: CellsProbe, scale: np.ndarray) -> np.ndarray:
    """Where score[first] - score[second] is zero in each [low, high]; nan if it isn't.

    `probe(points, cells)` gives the labels and scores at one point of each of `cells`.
    A bracket found stops moving, and is probed no more: a cell comes out the same
    located alone or with others (`thresholds` locates many at once).
    """
    rows = (np.asarray(first, int), np.asarray(second, int))

    def gap(points: np.ndarray, cells: np.ndarray) -> np.ndarray:
        _labels, scores = probe(points, cells)
        columns = np.arange(cells.size)
        return scores[rows[0][cells], columns] - scores[rows[1][cells], columns]

    every = np.arange(low.size)
    g_low, g_high = gap(low, every), gap(high, every)
    usable = np.isfinite(g_low) & np.isfinite(g_high) & (np.sign(g_low) != np.sign(g_high))
    for _ in range(100):
        cells = np.flatnonzero(usable & (high - low > _tolerance(low, scale)))
        if not cells.size:
            break
        a, b, g_a, g_b = low[cells], high[cells], g_low[cells], g_high[cells]
        # (written so that nothing overflows, even for a cell near -1e308..1e308)
        share = g_b / np.where(g_b != g_a, g_b - g_a, 1.0)
        guess = b * (1 - share) + a * share
        guess = np.where((guess > a) & (guess < b), guess, a / 2 + b / 2)
        g_guess = gap(guess, cells)
        to_low = np.sign(g_guess) == np.sign(g_a)
        exact = g_guess == 0
        # Illinois: the end kept has its value halved
        a, g_a, g_b = (np.where(to_low, guess, a), np.where(to_low, g_guess, g_a),
                       np.where(to_low, g_b / 2, g_b))
        b, g_b = np.where(to_low, b, guess), np.where(to_low, g_b, g_guess)
        g_a = np.where(~to_low, g_a / 2, g_a)
        low[cells], high[cells] = np.where(exact, guess, a), np.where(exact, guess, b)
        g_low[cells], g_high[cells] = g_a, g_b
    middle = np.where(np.abs(g_low) < np.abs(g_high), low, high)
    return np.where(usable, middle, np.nan)


def _bisect(low: np.ndarray, high: np.ndarray, left: np.ndarray, probe: CellsProbe,
            scale: np.ndarray) -> np.ndarray:
    """Where the label stops being `left`, by halving each cell (a cell found stops
    moving and is probed no more, as in `_crossings`)."""
    for _ in range(200):
        cells = np.flatnonzero(high - low > _tolerance(low, scale))
        if not cells.size:
            break
        middle = low[cells] / 2 + high[cells] / 2
        same = probe(middle, cells)[0] == left[cells]
        low[cells] = np.where(same, middle, low[cells])
        high[cells] = np.where(same, high[cells], middle)
    return low / 2 + high / 2


def _tolerance(low: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """How narrow a bracket must get: a thousandth of the promised precision."""
    return 1e-3 * PRECISION * np.maximum(np.abs(low), scale)


def _namer(flat: FlatTree):  # noqa: ANN202
    return lambda index: flat.ids[index] if index >= 0 else None


# ---- two-way ------------------------------------------------------------------------
@dataclass(frozen=True)
class TwoWay:
    x_variable: str
    x: np.ndarray
    y_variable: str
    y: np.ndarray
    alternatives: list[str]
    best: list[list[str | None]]  # [y][x]
    best_index: np.ndarray  # (Ny, Nx) position in alternatives, -1 where none


def two_way(flat: FlatTree, topic: Subject, x_var: str, x_range: tuple[float, float],
            y_var: str, y_range: tuple[float, float], steps: int = 50,
            base: Mapping[str, Any] | None = None) -> TwoWay:
    """Which alternative is best over a grid of two variables."""
    if x_var == y_var:
        raise AnalysisError("choose two different variables")
    x = grid(*x_range, steps)
    y = grid(*y_range, steps)
    grid_x, grid_y = np.meshgrid(x, y)
    overrides = {**(base or {}), x_var: grid_x.ravel(), y_var: grid_y.ravel()}
    _values, best = alternative_values(flat, topic, overrides, grid_x.size)
    position = {a: k for k, a in enumerate(topic.alternatives)}
    index = np.array([position.get(int(b), -1) for b in best]).reshape(grid_x.shape)
    name = _namer(flat)
    labels = [[name(int(b)) for b in row] for row in best.reshape(grid_x.shape)]
    return TwoWay(x_var, x, y_var, y, topic.ids(flat), labels, index)


# ---- tornado ------------------------------------------------------------------------
@dataclass(frozen=True)
class Bar:
    variable: str
    low: float
    high: float
    value_at_low: float
    value_at_high: float
    best_at_low: str | None
    best_at_high: str | None

    @property
    def swing(self) -> float:
        return abs(self.value_at_high - self.value_at_low)


@dataclass(frozen=True)
class Tornado:
    base: float
    base_best: str | None
    bars: list[Bar]


def tornado(flat: FlatTree, topic: Subject, base: Mapping[str, Any] | None = None) -> Tornado:
    """Each ranged variable swung low to high, the others at their values; by swing.

    The value is the best alternative's, so a bar shows what the decision is worth
    to the player at each end, and which alternative that is.
    """
    base = dict(base or {})
    ranges = [(v.name, v.low, v.high) for v in flat.variables
              if v.low is not None and v.high is not None and v.low < v.high
              and v.name not in base]
    if not ranges:
        raise AnalysisError("no variable has a range (min and max) to swing")
    plain = solve(flat, base, 1, want_reach=False, want_outcomes=False).variables
    count = 2 * len(ranges) + 1  # low and high of each variable, then the base case
    overrides = dict(base)
    for k, (variable, low, high) in enumerate(ranges):
        column = np.full(count, plain[variable][0])
        column[2 * k], column[2 * k + 1] = low, high
        overrides[variable] = column
    values, best = alternative_values(flat, topic, overrides, count)
    # (np.nanmax warns on a column with no value at all: a formula failing at one end)
    worth = np.fmax.reduce(values, axis=0) if values.size else values
    name = _namer(flat)
    bars = [Bar(variable, float(low), float(high), float(worth[2 * k]),
                float(worth[2 * k + 1]), name(int(best[2 * k])), name(int(best[2 * k + 1])))
            for k, (variable, low, high) in enumerate(ranges)]
    bars.sort(key=lambda bar: -bar.swing if np.isfinite(bar.swing) else 0.0)
    return Tornado(float(worth[-1]), name(int(best[-1])), bars)


# ---- threshold ----------------------------------------------------------------------
@dataclass(frozen=True)
class Threshold:
    node: str
    variable: str
    low: float
    high: float
    intervals: list[tuple[float, float, str | None]]  # (from, to, choice)
    thresholds: list[float]


def threshold(flat: FlatTree, node_id: str, variable: str, low: float, high: float,
              steps: int = 200, base: Mapping[str, Any] | None = None) -> Threshold:
    """The exact values of `variable` at which the choice at `node_id` changes."""
    return thresholds(flat, [(node_id, variable, low, high)], steps, base)[0]


#: What `thresholds` is asked: a decision's id, a variable, and the range to move it over.
Asked = tuple[str, str, float, float]


def thresholds(flat: FlatTree, asked: Sequence[Asked], steps: int = 200,
               base: Mapping[str, Any] | None = None) -> list[Threshold]:
    """`threshold` of each (node id, variable, low, high), in order, worked out together:
    every grid in a few solves, then every switch located in one probe a step.

    The numbers are those of each alone: every sample is solved on its own, the grid
    is the same, and a located switch stops moving while the others are still sought.
    Variables without formulas move together in one set of samples (a sample moving
    one holds the others at their values); a variable with a formula moves alone, so
    that no other variable is held at a value that should follow it.
    """
    base = dict(base or {})
    topics = [_threshold_topic(flat, node_id) for node_id, _v, _l, _h in asked]
    now = _plain_values(flat, base, {variable for _n, variable, _l, _h in asked})
    found: list[Threshold | None] = [None] * len(asked)
    batches: dict[str | None, list[int]] = {}
    for k, (_node, variable, _low, _high) in enumerate(asked):
        batches.setdefault(None if variable in now else variable, []).append(k)
    for members in batches.values():
        lines = [(topics[k], *asked[k][1:]) for k in members]
        for k, result in zip(members, _thresholds_together(flat, lines, steps, base, now)):
            found[k] = result
    return [result for result in found if result is not None]


def _threshold_topic(flat: FlatTree, node_id: str) -> Subject:
    topic = subject(flat, node_id)
    if flat.kind[topic.node] == ASSUMED_KIND:
        raise AnalysisError(f'"{node_id}" is an assumed decision: its branches have'
                            " probabilities, not a choice that could change")
    if flat.kind[topic.node] != DECISION_KIND:
        raise AnalysisError(f'"{node_id}" is not a decision node')
    if flat.held is not None and topic.node in flat.held:
        raise AnalysisError(f'"{node_id}" is in a game with information sets, where its'
                            " choice is held by the equilibrium analysed (the first, or"
                            " the one the app shows): `offramp equilibria --var` says where"
                            " the set of equilibria changes")
    return topic  # (seen by whoever decides there, whose choice a threshold follows)


def _plain_values(flat: FlatTree, base: Mapping[str, Any],
                  names: set[str]) -> dict[str, float]:
    """The value of each of `names` that has no formula (or is given one in `base`):
    these may be held at it while another moves. An unknown name is an error."""
    known = {var.name: var for var in flat.variables}
    values = {}
    for name in names:
        var = known.get(name)
        if var is None:
            listing = ", ".join(flat.variable_names()) or "none"
            raise AnalysisError(f'there is no variable "{name}"; the variables are {listing}')
        if name in base:
            values[name] = float(base[name])
        elif var.formula is None and not var.broken:
            values[name] = float(var.value)
    return values


def _thresholds_together(flat: FlatTree, lines: list[tuple[Subject, str, float, float]],
                         steps: int, base: dict[str, Any],
                         now: dict[str, float]) -> list[Threshold]:
    """The thresholds of (decision, variable, low, high) lines whose variables may
    move in one set of samples."""
    grids = {(variable, low, high): grid(low, high, steps)
             for _topic, variable, low, high in lines}
    decisions = np.array(sorted({topic.node for topic, *_rest in lines}), np.int64)
    row = {node: k for k, node in enumerate(decisions.tolist())}
    chosen = _grid_choices(flat, grids, base, now, decisions)
    x = np.concatenate([grids[key] for key in (line[1:] for line in lines)])
    labels = np.concatenate([chosen[line[1:]][row[line[0].node]] for line in lines])
    owner = np.repeat(np.arange(len(lines)), [grids[line[1:]].size for line in lines])
    candidates = tuple(a for topic, *_rest in lines for a in topic.alternatives)
    deciders = np.array([topic.player for topic, *_rest in lines for _a in topic.alternatives])
    nodes = np.array([topic.node for topic, *_rest in lines])
    variables = np.array([variable for _topic, variable, _low, _high in lines])

    def probe(points: np.ndarray, owners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        overrides = dict(base)
        moved = variables[owners]
        for name in set(moved.tolist()):
            column = np.full(points.size, now.get(name, np.nan))
            column[moved == name] = points[moved == name]
            overrides[name] = column
        solution = solve(flat, overrides, points.size, want_reach=False, want_outcomes=False)
        columns = np.arange(points.size)
        scores = solution.certainty(list(candidates))[
            np.arange(len(candidates))[:, None], columns, deciders[:, None]]
        return solution.choice[nodes[owners], columns], scores

    switches = _switch_points_of_lines(x, labels, owner, probe, candidates)
    name = _namer(flat)
    results = []
    for n, (topic, variable, low, high) in enumerate(lines):
        mine = [(at, t) for line, at, _f, t in switches if line == n]
        edges = [low] + [at for at, _t in mine] + [high]
        picks = [int(labels[owner == n][0])] + [t for _at, t in mine]
        results.append(Threshold(
            flat.ids[topic.node], variable, low, high,
            [(edges[k], edges[k + 1], name(picks[k])) for k in range(len(picks))],
            [at for at, _t in mine]))
    return results


def _grid_choices(flat: FlatTree, grids: dict[tuple[str, float, float], np.ndarray],
                  base: dict[str, Any], now: dict[str, float], nodes: np.ndarray
                  ) -> dict[tuple[str, float, float], np.ndarray]:
    """The choices at `nodes` (rows, in that order) at each grid's points, the grid's
    variable moved alone: solved a window of samples at a time, so that memory stays
    bounded however large the tree (each sample is solved on its own either way)."""
    keys = list(grids)
    points = np.concatenate([grids[key] for key in keys])
    owner = np.repeat(np.arange(len(keys)), [grids[key].size for key in keys])
    per_sample = max(1, flat.size * (len(flat.criteria) + 2))
    window = max(1, _CHUNK_ELEMENTS // per_sample)
    choices: np.ndarray | None = None
    for start in range(0, points.size, window):
        stop = min(start + window, points.size)
        mine, moved = owner[start:stop], points[start:stop]
        columns: dict[str, np.ndarray] = {}
        for k in np.unique(mine).tolist():
            name = keys[k][0]
            column = columns.setdefault(name, np.full(stop - start, now.get(name, np.nan)))
            column[mine == k] = moved[mine == k]
        solution = solve(flat, {**base, **columns}, stop - start, want_reach=False,
                          want_outcomes=False)
        if choices is None:
            choices = np.empty((nodes.size, points.size), solution.choice.dtype)
        choices[:, start:stop] = solution.choice[nodes]
    assert choices is not None  # (every grid has points)
    bounds = np.cumsum([0] + [grids[key].size for key in keys])
    return {key: choices[:, bounds[k]:bounds[k + 1]] for k, key in enumerate(keys)}


@dataclass(frozen=True)
class Requirements:
    """What would it take: each ranged variable's threshold at one node, and the branch
    one would like chosen there."""

    node: str
    target: str
    thresholds: tuple[Threshold, ...]

    def variables(self) -> list[str]:
        return [t.variable for t in self.thresholds]

    def threshold_of(self, name: str) -> Threshold | None:
        return next((t for t in self.thresholds if t.variable == name), None)

    def intervals(self, name: str) -> list[tuple[float, float]]:
        """Where `target` is the choice as `name` alone moves over its range."""
        found = self.threshold_of(name)
        return [] if found is None else [(a, b) for a, b, c in found.intervals
                                         if c == self.target]


def requirements(flat: FlatTree, node_id: str, target_id: str,
                 base: Mapping[str, Any] | None = None, steps: int = 200) -> Requirements:
    """For each variable with a range, alone, the values at which `node_id` chooses
    `target_id`: the threshold of each, over its min..max, the others at their values."""
    topic = subject(flat, node_id)
    if target_id not in topic.ids(flat):
        raise AnalysisError(f'"{target_id}" is not a branch of "{node_id}"')
    found = tuple(thresholds(flat, [(node_id, var.name, *variable_range(flat, var.name))
                                    for var in flat.variables if var.low is not None
                                    and var.high is not None and var.low < var.high
                                    and var.name not in (base or {})], steps, base))
    if not found:
        raise AnalysisError("no variable has a range (min and max) to try")
    return Requirements(flat.ids[topic.node], target_id, found)


# ---- spider -------------------------------------------------------------------------
@dataclass(frozen=True)
class SpiderSwitch:
    """Where the best alternative changes along a spider line."""

    percent: float
    at: float  # the variable's value there
    value: float  # the base choice's value just past it
    before: str | None
    after: str | None


@dataclass(frozen=True)
class SpiderLine:
    """One variable moved across its range, the others at their values."""

    variable: str
    low: float
    high: float
    base: float  # the variable's value in the base case
    settings: np.ndarray  # (N,) the variable's values, ascending, the base among them
    percent: np.ndarray  # (N,) their change from the base in percent of high - low
    values: np.ndarray  # (N,) the base choice's value at each
    best: tuple[str | None, ...]  # (N,) the best alternative at each
    switches: tuple[SpiderSwitch, ...]

    @property
    def half_swing(self) -> float:
        """Half the spread of its values (the whole may overflow: 1.7e308 - -1.7e308)."""
        finite = self.values[np.isfinite(self.values)]
        return float(finite.max() / 2 - finite.min() / 2) if finite.size else 0.0


@dataclass(frozen=True)
class Spider:
    """The base choice's value as each variable moves; lines by swing, largest first."""

    choice: str  # the alternative best in the base case, whose value every line shows
    base: float  # its value there
    lines: tuple[SpiderLine, ...]


def spider(flat: FlatTree, topic: Subject, base: Mapping[str, Any] | None = None,
           variables: list[str] | None = None, steps: int = 41) -> Spider:
    """Each ranged variable (or those named) moved across its min..max in `steps`
    points, the others at their values: the value of the alternative best in the base
    case, against the variable's change from its base in percent of its range.

    Every line passes through the base (0 %): where the base lies outside the range,
    the line also covers the stretch between it and the range.
    """
    base = dict(base or {})
    ranged = [(v.name, float(v.low), float(v.high)) for v in flat.variables
              if v.low is not None and v.high is not None and v.low < v.high
              and v.name not in base]
    if variables is not None:
        known = {name: (name, low, high) for name, low, high in ranged}
        for name in variables:
            _check_movable(flat, name, base, name in known)
        ranged = [known[name] for name in dict.fromkeys(variables)]
    if not ranged:
        raise AnalysisError("no variable has a range (min and max) to move")
    now = solve(flat, base, 1, want_reach=False, want_outcomes=False).variables
    base_values, base_best = alternative_values(flat, topic, base, 1)
    if base_best[0] == NONE:
        raise AnalysisError("the tree cannot be evaluated with every variable at its value")
    chosen = topic.alternatives.index(int(base_best[0]))
    for name, _low, _high in ranged:
        if not np.isfinite(now[name][0]):
            raise AnalysisError(f"the value of {name} cannot be computed, so it has no base"
                                " to move from")
    settings = [_spider_settings(low, high, float(now[name][0]), steps)
                for name, low, high in ranged]
    # Every line in one solve, each variable's points in its own block of columns; its
    # switch points are then located together, each probe one solve for all the lines.
    x = np.concatenate(settings)
    lines = np.repeat(np.arange(len(ranged)), [points.size for points in settings])
    names = [name for name, _low, _high in ranged]

    def probe(points: np.ndarray, owners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        overrides = dict(base)
        for n in np.unique(owners).tolist():
            column = np.full(points.size, now[names[n]][0])
            column[owners == n] = points[owners == n]
            overrides[names[n]] = column
        found, labels = alternative_values(flat, topic, overrides, points.size)
        return labels, found

    best, swept = probe(x, lines)
    switches = _switch_points_of_lines(x, best, lines, probe, topic.alternatives)
    where = np.array([at for _n, at, _f, _t in switches], float)
    owners = np.array([n for n, _at, _f, _t in switches], int)
    # The value just past each switch, where the new alternative is best: where the
    # base choice's value jumps there, the side it jumps to.
    ends = np.array([max(abs(points[0]), abs(points[-1])) for points in settings])
    past = where + PRECISION * 10 * np.maximum(np.abs(where), ends[owners])
    there = probe(past, owners)[1][chosen] if where.size else where
    name_of = _namer(flat)
    lines_found = []
    for n, (name, low, high) in enumerate(ranged):
        block, mine = lines == n, owners == n
        at = float(now[name][0])
        percent = _percent(x[block], at, low, high)
        marks = tuple(SpiderSwitch(float(p), float(a), float(v), name_of(f), name_of(t))
                      for p, a, v, (_n, _a, f, t) in zip(
                          _percent(where[mine], at, low, high), where[mine], there[mine],
                          [s for s in switches if s[0] == n], strict=True))
        lines_found.append(SpiderLine(
            name, low, high, at, _frozen(x[block]), _frozen(percent),
            _frozen(swept[chosen, block]), tuple(name_of(int(b)) for b in best[block]), marks))
    lines_found.sort(key=lambda line: -line.half_swing)
    return Spider(name_of(topic.alternatives[chosen]), float(base_values[chosen, 0]),
                  tuple(lines_found))


def _frozen(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def _check_movable(flat: FlatTree, name: str, base: Mapping[str, Any], ranged: bool) -> None:
    if name not in flat.variable_names():
        known = ", ".join(flat.variable_names()) or "none"
        raise AnalysisError(f'there is no variable "{name}"; the variables are {known}')
    if name in base:
        raise AnalysisError(f"{name} is held at a value given to it, so it cannot be moved")
    if not ranged:
        raise AnalysisError(f"the variable {name} has no range (a min below its max) to"
                            " move it across")


def _spider_settings(low: float, high: float, at: float, steps: int) -> np.ndarray:
    """`steps` points over the range widened to take in the base, plus the base and the
    range's ends."""
    points = np.concatenate([grid(min(low, at), max(high, at), steps), [low, high, at]])
    return np.unique(points)


def _percent(settings: np.ndarray, at: float, low: float, high: float) -> np.ndarray:
    """Change from `at` in percent of high - low (halved first: 1e308 - -1e308 is inf)."""
    return (settings / 2 - at / 2) / (high / 2 - low / 2) * 100.0
