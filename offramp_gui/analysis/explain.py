"""The reasoning in words: why each decision goes the way it does, and the solved path
told from the root to the chances of the outcomes.

For each decision on the solved path (or each one asked for): who decides and what it
picks, the runner-up and the margin in the decider's utility (and in its certainty
equivalent, which it chooses by, when it has a risk attitude), the criteria that make
that margin in the decider's weights, every variable that alone would change the
choice and where (`sensitivity.thresholds`: the numbers `offramp threshold` gives),
and, given a Monte Carlo, how often the choice holds. Each item is data (for
`document()`, `--json` and the app) and sentences written from the tree's own labels,
units and number format: no sentence names a node's id.

    >>> from offramp_gui.api import load
    >>> from offramp_gui.bundled import default_tree
    >>> told = explain(load(default_tree()), thresholds=False)
    >>> root = told.decisions[0]
    >>> root.chosen.label, root.runner_up.label, round(root.margin, 4)
    ('Support Ukraine while keeping an off-ramp open', "Seek Russia's defeat", 1.5737)
"""
from __future__ import annotations

import dataclasses
import math
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..model.tree import Settings, Tree
from .catalogue.kind import plain
from .display import NumberFormat, probability, value
from .evaluate import Results, evaluate_tree, solve
from .flatten import ASSUMED_KIND, CHANCE_KIND, DECISION_KIND, FlatTree
from .montecarlo import sample_variables
from .readable import x_text
from .report import preorder
from .sensitivity import Threshold, thresholds, variable_range

if TYPE_CHECKING:
    from .catalogue import Run

#: The steps of each threshold's grid: `offramp threshold`'s default, for its numbers.
THRESHOLD_STEPS = 200
#: Criteria named on each side of a margin; the rest are counted.
CRITERIA_NAMED = 4
#: Sentences of the story of the solved path, at most (a large tree's path is long).
NARRATIVE_SENTENCES = 60
#: Numbers of node x sample x criterion a Monte Carlo's solve holds at once.
_CHUNK_ELEMENTS = 8_000_000

CHOICE, ASSUMED, SINGLE, UNDECIDED = "choice", "assumed", "single", "undecided"


class ExplainError(ValueError):
    """What was asked cannot be explained; the message says why, naming labels."""


# ---- the records ----------------------------------------------------------------------
@dataclass(frozen=True)
class Alternative:
    """One branch of a decision, as its decider values it."""

    id: str
    label: str
    utility: float  # the decider's expected utility (nan: cannot be computed)
    certainty: float | None  # its certainty equivalent, when the decider has a risk attitude
    probability: float | None  # the branch's chance, at an assumed decision
    expected: Mapping[str, float]  # criterion id -> expected total

    def document(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "utility": plain(self.utility),
                "certainty": plain(self.certainty), "probability": plain(self.probability),
                "expected": {k: plain(v) for k, v in self.expected.items()}}


@dataclass(frozen=True)
class Difference:
    """One criterion between the choice and the runner-up, in the decider's weights."""

    id: str
    name: str
    unit: str | None
    chosen: float  # the chosen branch's expected total
    runner_up: float
    weight: float  # the decider's weight on the criterion

    @property
    def difference(self) -> float:
        return self.chosen - self.runner_up

    @property
    def contribution(self) -> float:
        """What it adds to the margin in the decider's utility (its sign: which side it
        favours)."""
        return self.weight * self.difference

    def document(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "unit": self.unit,
                "chosen": plain(self.chosen), "runner_up": plain(self.runner_up),
                "difference": plain(self.difference), "weight": plain(self.weight),
                "contribution": plain(self.contribution)}


@dataclass(frozen=True)
class Flip:
    """A variable that alone changes the choice: the engine's threshold, read from the
    variable's value now."""

    threshold: Threshold  # as `offramp threshold` finds it (range, intervals, thresholds)
    now: float  # the variable's value
    #: (the threshold, the choice past it) nearest below and above the value now, where
    #: the choice changes; the choice is None where it cannot be computed.
    below: tuple[float, str | None] | None
    above: tuple[float, str | None] | None
    #: In words: "face_value above 56.225 (now 40), for “Accept a face-saving deal”".
    phrase: str = ""

    @property
    def variable(self) -> str:
        return self.threshold.variable

    @property
    def nearness(self) -> float:
        """How far the nearest change is, in parts of the range searched."""
        found = self.threshold
        ends = [end[0] for end in (self.below, self.above) if end is not None]
        distance = min(abs(at - self.now) for at in ends or found.thresholds)
        return distance / (found.high - found.low)

    def document(self) -> dict[str, Any]:
        found = self.threshold

        def side(end: tuple[float, str | None] | None) -> dict[str, Any] | None:
            return None if end is None else {"at": plain(end[0]), "choice": end[1]}

        return {"variable": found.variable, "now": plain(self.now), "from": plain(found.low),
                "to": plain(found.high), "thresholds": [plain(t) for t in found.thresholds],
                "intervals": [{"from": plain(a), "to": plain(b), "choice": c}
                              for a, b, c in found.intervals],
                "below": side(self.below), "above": side(self.above), "phrase": self.phrase}


@dataclass(frozen=True)
class Holding:
    """How often a decision makes each choice across the samples of a Monte Carlo."""

    samples: int  # drawn
    valid: int  # those in which the choice could be worked out
    seed: int
    shares: Mapping[str, float]  # branch id -> share of the valid samples
    chosen: str  # the branch chosen with the variables at their values

    @property
    def share(self) -> float:
        """The share of the valid samples in which the choice is the same as now."""
        return self.shares.get(self.chosen, 0.0)

    def document(self) -> dict[str, Any]:
        return {"samples": self.samples, "valid": self.valid, "seed": self.seed,
                "share": plain(self.share),
                "shares": {k: plain(v) for k, v in self.shares.items()}}


@dataclass(frozen=True)
class DecisionExplanation:
    """Why one decision goes the way it does: the data, and `sentences` saying it."""

    node: str  # its id (data only: no sentence names it)
    name: str  # its label
    player: str  # the decider's id
    player_name: str
    #: CHOICE (solved), ASSUMED (its branches have chances), SINGLE (one branch) or
    #: UNDECIDED (the values of its branches cannot all be computed).
    kind: str
    reach: float  # the chance that the solved policy gets here (0: off the path)
    tie: bool
    #: True where an equilibrium holds the choice (a game with information sets).
    held: bool
    information_set: str | None
    risk: bool  # the decider has a risk attitude: it chooses by certainty equivalent
    alternatives: tuple[Alternative, ...]
    chosen: Alternative | None
    runner_up: Alternative | None
    margin: float | None  # chosen - runner-up, in the decider's expected utility
    margin_certainty: float | None  # the same in certainty equivalents (risk only)
    #: The criteria that differ between the choice and the runner-up, those that count
    #: most for the decider first.
    criteria: tuple[Difference, ...]
    #: The variables that alone change the choice, the nearest to doing so first; None
    #: where no threshold was sought (not a solved choice, a held one, or not asked).
    flips: tuple[Flip, ...] | None
    tried: tuple[str, ...]  # the variables moved in search of thresholds
    holding: Holding | None
    #: The sentences, by what they say, in order: "decision" (who picks what; or the
    #: chances of an assumed decision), "reach" (off the solved path), "equilibrium" (a
    #: held choice), "margin", "criteria", "thresholds", "holds".
    said: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def reached(self) -> bool:
        return self.reach > 0

    @property
    def sentences(self) -> tuple[str, ...]:
        return tuple(sentence for part in self.said.values() for sentence in part)

    @property
    def text(self) -> str:
        return " ".join(self.sentences)

    def document(self) -> dict[str, Any]:
        return {
            "node": self.node, "name": self.name, "player": self.player,
            "kind": self.kind, "reached": self.reached, "reach": plain(self.reach),
            "tie": self.tie, "held": self.held, "information_set": self.information_set,
            "chosen": self.chosen and self.chosen.id,
            "runner_up": self.runner_up and self.runner_up.id,
            "margin": plain(self.margin), "margin_certainty": plain(self.margin_certainty),
            "alternatives": [a.document() for a in self.alternatives],
            "criteria": [c.document() for c in self.criteria],
            "thresholds": None if self.flips is None else [f.document() for f in self.flips],
            "tried": list(self.tried),
            "holds": self.holding and self.holding.document(),
            "sentences": list(self.sentences),
            "said": {about: list(part) for about, part in self.said.items()}}


@dataclass(frozen=True)
class Explanation:
    """The decisions explained, and the story of the solved path."""

    title: str
    decisions: tuple[DecisionExplanation, ...]
    narrative: tuple[str, ...]
    outcomes: Mapping[str, float]  # outcome id ("null": unclassified) -> chance at the root
    values: Mapping[str, float]  # player id -> expected utility at the root
    #: In a game with information sets: {"shown", "of", "complete"} as `offramp
    #: evaluate --json` gives it; None otherwise.
    equilibrium: Mapping[str, Any] | None = None
    simulation: Mapping[str, int] | None = None  # {"samples", "seed"} of a Monte Carlo

    def decision(self, node_id: str) -> DecisionExplanation | None:
        return next((d for d in self.decisions if d.node == node_id), None)

    def to_json(self) -> dict[str, Any]:
        """The `offramp explain --json` document (docs/cli.md)."""
        return {"format": "offramp-explanation", "version": 1, "title": self.title,
                "equilibrium": self.equilibrium and dict(self.equilibrium),
                "simulation": self.simulation and dict(self.simulation),
                "decisions": [d.document() for d in self.decisions],
                "narrative": list(self.narrative),
                "outcomes": {k: plain(v) for k, v in self.outcomes.items()},
                "values": {k: plain(v) for k, v in self.values.items()}}

    def text(self, story: bool = True, width: int = 88) -> str:
        """For a reader: each decision's sentences under its name, then the story."""
        lines = [self.title]
        if self.simulation is not None:
            lines.append(f"How often each choice holds: {self.simulation['samples']:,} samples of"
                         f" the uncertain variables, seed {self.simulation['seed']}")
        def wrapped(words: str) -> list[str]:
            return textwrap.wrap(words, width, initial_indent="  ", subsequent_indent="  ",
                                 break_on_hyphens=False)

        for decision in self.decisions:
            lines += ["", f"“{decision.name}” ({decision.player_name})",
                      *wrapped(decision.text)]
        if story and self.narrative:
            lines += ["", "The solved path", *wrapped(" ".join(self.narrative))]
        return "\n".join(lines)


# ---- Monte Carlo ------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class ChoiceShares:
    """How often each decision makes each choice across Monte Carlo samples: the
    variables with a distribution drawn as `offramp simulate` draws them (the same seed,
    the same samples)."""

    samples: int
    seed: int
    counts: np.ndarray  # (n,) the samples in which each node is its parent's choice
    valid: np.ndarray  # (n,) the samples in which each decision's choice is worked out


def choice_shares(flat: FlatTree, samples: int, seed: int = 0,
                  values: Mapping[str, float] | None = None,
                  progress: Callable[[int, int], bool] | None = None) -> ChoiceShares:
    """Draw `samples` sets of the variables (those in `values` stay fixed) and count the
    choice of every decision in each; `progress(done, total)` may return False to stop
    (`montecarlo.Cancelled` is not raised: the counts so far are kept)."""
    base = dict(values or {})
    inputs = sample_variables(flat, samples, seed, base)
    decisions = np.flatnonzero(flat.kind == DECISION_KIND)
    counts = np.zeros(flat.size, np.int64)
    valid = np.zeros(flat.size, np.int64)
    chunk = max(1, _CHUNK_ELEMENTS // max(1, flat.size * (len(flat.criteria) + 2)))
    for start in range(0, samples, chunk):
        stop = min(samples, start + chunk)
        overrides = {**base, **{k: v[start:stop] for k, v in inputs.items()}}
        chosen = solve(flat, overrides, stop - start, want_reach=False,
                       want_outcomes=False).choice[decisions]
        made = chosen >= 0
        valid[decisions] += made.sum(axis=1)
        counts += np.bincount(chosen[made], minlength=flat.size)
        if progress is not None and progress(stop, samples) is False:
            samples = stop
            break
    return ChoiceShares(samples, seed, counts, valid)


# ---- explaining -------------------------------------------------------------------------
def explain(tree: Settings, node_ids: Iterable[str] | None = None,
            simulation: ChoiceShares | Run | None = None, *,
            values: Mapping[str, float] | None = None, results: Results | None = None,
            thresholds: bool = True) -> Explanation:
    """Explain the decisions on the solved path (every decision the solved policy
    reaches, in the tree's order), or those of `node_ids`, and tell the solved path.

    `tree` gives the labels, the number format and the information sets' names;
    `results` its evaluation with `values` (the variables given other values), made
    here when not given (`evaluate_tree`: a game's first equilibrium). `simulation` says
    how often each choice holds: a `ChoiceShares`, or a Monte Carlo `Run` of the
    catalogue (for its decision, when it is valued by the decider). `thresholds=False`
    leaves out the search for thresholds, the one part that takes time (a few tenths
    of a second on the bundled trees).
    """
    if results is None:
        if not isinstance(tree, Tree):
            raise TypeError("explain needs a Tree, or the results of one")
        results = evaluate_tree(tree, values)
    writer = _Writer(tree, results, values or {})
    nodes = writer.path() if node_ids is None else [writer.decision_index(n) for n in node_ids]
    found = writer.flips(nodes) if thresholds else {}
    holdings = _holdings(results.flat, results, simulation, nodes)
    decisions = tuple(writer.explain(i, found.get(i), holdings.get(i))
                      for i in nodes)
    flat = results.flat
    keys = results.outcome_keys
    shown = results.equilibrium
    return Explanation(
        title=flat.title, decisions=decisions, narrative=tuple(writer.narrative()),
        outcomes={k: float(p) for k, p in zip(keys, results.outcomes[0]) if p != 0},
        values={p: float(u) for p, u in zip(flat.players, results.utility[0])},
        equilibrium=None if shown is None else {
            "shown": shown.index + 1 if shown.index >= 0 else None, "of": shown.count,
            "complete": shown.complete},
        simulation=_simulation_of(simulation))


def _simulation_of(simulation: ChoiceShares | Run | None) -> dict[str, int] | None:
    if simulation is None:
        return None
    if isinstance(simulation, ChoiceShares):
        return {"samples": simulation.samples, "seed": simulation.seed}
    return {"samples": simulation.result.samples, "seed": simulation.result.seed}


def _holdings(flat: FlatTree, results: Results, simulation: ChoiceShares | Run | None,
              nodes: Sequence[int]) -> dict[int, Holding]:
    """How often each solved choice among `nodes` holds in the simulation."""
    if simulation is None:
        return {}
    found = {}
    if isinstance(simulation, ChoiceShares):
        for i in nodes:
            chosen, total = int(results.choice[i]), int(simulation.valid[i])
            held = flat.held is not None and i in flat.held  # (chosen in every sample)
            if chosen < 0 or flat.kind[i] != DECISION_KIND or not total or held:
                continue
            shares = {flat.ids[c]: float(simulation.counts[c] / total)
                      for c in flat.children(i)}
            found[i] = Holding(simulation.samples, total, simulation.seed, shares,
                               flat.ids[chosen])
        return found
    # A Monte Carlo of one decision: its values are the decider's when asked so.
    run, sampled = simulation, simulation.result
    i = flat.index.get(run.flat.ids[run.topic.node], -1)
    if (i in nodes and results.choice[i] >= 0 and sampled.valid
            and int(flat.player[i]) == run.topic.player
            and sampled.alternatives == [flat.ids[c] for c in flat.children(i)]):
        shares = {a: float(np.mean(sampled.best == k))
                  for k, a in enumerate(sampled.alternatives)}
        found[i] = Holding(sampled.samples, sampled.valid, sampled.seed, shares,
                           flat.ids[int(results.choice[i])])
    return found


class _Writer:
    """The records and their sentences, for one evaluation of one tree."""

    def __init__(self, tree: Settings, results: Results, values: Mapping[str, float]):
        self.tree, self.results, self.values = tree, results, dict(values)
        self.flat = flat = results.flat
        self.style = NumberFormat.of(tree.display)
        self.weights = solve(flat, values, 1, want_reach=False,
                             want_outcomes=False).sample_weights(0)
        self.risky = {attitude.player for attitude in flat.risk}
        self.certainty = results.certainty

    # -- which nodes ---------------------------------------------------------------------
    def path(self) -> list[int]:
        """The decisions the solved policy reaches, in the tree's order."""
        flat, reach = self.flat, self.results.reach
        return [i for i in preorder(flat)
                if flat.kind[i] in (DECISION_KIND, ASSUMED_KIND) and reach[i] > 0]

    def decision_index(self, node_id: str) -> int:
        flat = self.flat
        i = flat.index.get(node_id)
        if i is None:
            raise ExplainError(f'there is no node "{node_id}"')
        if flat.kind[i] not in (DECISION_KIND, ASSUMED_KIND):
            kind = "a chance node" if flat.kind[i] == CHANCE_KIND else "an ending"
            raise ExplainError(f"“{self.node_name(i)}” is {kind}, not a decision: there is"
                               " no choice to explain")
        return i

    # -- names ---------------------------------------------------------------------------
    def node_name(self, i: int) -> str:
        labels = self.flat.labels
        return labels.names[i] or labels.branches[i] or (
            self.flat.title if i == 0 else "an unnamed node")

    def branch(self, i: int) -> str:
        labels = self.flat.labels
        if labels.branches[i] or labels.names[i]:
            return labels.branches[i] or labels.names[i] or ""
        parent = int(self.flat.parent[i])
        return f"branch {i - int(self.flat.child_start[parent]) + 1}" if parent >= 0 else ""

    def player_name(self, player: int) -> str:
        names = self.flat.labels.players
        return names[player] if 0 <= player < len(names) else "nobody"

    def number(self, x: float | None) -> str:
        return value(x, self.style)

    def chance(self, p: float | None) -> str:
        return probability(p, self.style)

    def amount(self, x: float, unit: str | None) -> str:
        return f"{self.number(x)} {unit}" if unit else self.number(x)

    # -- thresholds ----------------------------------------------------------------------
    def flips(self, nodes: Sequence[int]) -> dict[int, tuple[Flip, ...]]:
        """The variables that alone change each solved choice among `nodes`, found
        together (`sensitivity.thresholds`: each as `offramp threshold` finds it)."""
        flat, results = self.flat, self.results
        solved = [i for i in nodes if flat.kind[i] == DECISION_KIND and results.choice[i] >= 0
                  and flat.child_count[i] > 1 and not self.is_held(i)]
        names = self.moved()
        asked = [(flat.ids[i], name, *variable_range(flat, name))
                 for i in solved for name in names]
        found: dict[int, list[Flip]] = {i: [] for i in solved}
        for threshold in thresholds(flat, asked, THRESHOLD_STEPS, self.values):
            i = flat.index[threshold.node]
            flip = self.flip(threshold, flat.ids[int(results.choice[i])])
            if flip is not None:
                found[i].append(flip)
        return {i: tuple(sorted(flips, key=lambda f: f.nearness)) for i, flips in found.items()}

    def moved(self) -> list[str]:
        """The variables a threshold is sought for: those with a range, not held at a
        value given to them (as What Would It Take moves them)."""
        return [v.name for v in self.flat.variables if v.low is not None
                and v.high is not None and v.low < v.high and v.name not in self.values]

    def flip(self, found: Threshold, chosen: str) -> Flip | None:
        """`found` read from the variable's value now; None if it never changes the
        choice."""
        now = self.results.variables[found.variable]
        if not found.thresholds or all(c == chosen for _a, _b, c in found.intervals):
            return None
        below = above = None
        for k, (a, b, c) in enumerate(found.intervals):
            if c == chosen and a <= now <= b:
                before = found.intervals[k - 1] if k else None
                after = found.intervals[k + 1] if k + 1 < len(found.intervals) else None
                below = (a, before[2]) if before is not None else None
                above = (b, after[2]) if after is not None else None
                break
        flip = Flip(found, now, below, above)
        return dataclasses.replace(flip, phrase=self.flip_phrase(flip, chosen))

    def flip_phrase(self, flip: Flip, chosen: str) -> str:
        name, now = flip.variable, x_text(flip.now)
        ends = [(way, end) for way, end in (("below", flip.below), ("above", flip.above))
                if end is not None]
        if len(ends) == 2 and ends[0][1][1] == ends[1][1][1]:  # (the same choice either way)
            return (f"{name} below {x_text(ends[0][1][0])} or above {x_text(ends[1][1][0])}"
                    f" (now {now}), for {self.choice(ends[0][1][1])}")
        if len(ends) == 2:
            return (f"{name} below {x_text(ends[0][1][0])} (for {self.choice(ends[0][1][1])})"
                    f" or above {x_text(ends[1][1][0])} (for {self.choice(ends[1][1][1])}),"
                    f" now {now}")
        if ends:
            way, (at, choice) = ends[0]
            return f"{name} {way} {x_text(at)} (now {now}), for {self.choice(choice)}"
        # Its value lies outside the range searched: where in the range it chooses otherwise.
        return "; ".join(f"{name} from {x_text(a)} to {x_text(b)} (now {now}), for"
                         f" {self.choice(c)}" for a, b, c in flip.threshold.intervals
                         if c != chosen)

    def choice(self, node_id: str | None) -> str:
        """A branch chosen, in words."""
        if node_id is None:
            return "a choice that cannot be worked out"
        return f"“{self.branch(self.flat.index[node_id])}”"

    def is_held(self, i: int) -> bool:
        return self.flat.held is not None and i in self.flat.held

    # -- one decision --------------------------------------------------------------------
    def alternative(self, i: int, player: int) -> Alternative:
        results, flat = self.results, self.flat
        certainty = None
        if player in self.risky and self.certainty is not None:
            certainty = float(self.certainty[i, player])
        chance = float(results.probability[i]) if flat.kind[flat.parent[i]] == ASSUMED_KIND \
            else None
        return Alternative(flat.ids[i], self.branch(i), float(results.utility[i, player]),
                           certainty, chance,
                           dict(zip(flat.criteria, results.expected[i].tolist())))

    def explain(self, i: int, flips: tuple[Flip, ...] | None,
                holding: Holding | None) -> DecisionExplanation:
        flat, results = self.flat, self.results
        player = max(int(flat.player[i]), 0)
        alternatives = tuple(self.alternative(c, player) for c in flat.children(i))
        kind, chosen, runner_up = self.kind_of(i, alternatives)
        margin = margin_certainty = None
        criteria: tuple[Difference, ...] = ()
        if chosen is not None and runner_up is not None:
            margin = chosen.utility - runner_up.utility
            if chosen.certainty is not None and runner_up.certainty is not None:
                margin_certainty = chosen.certainty - runner_up.certainty
            criteria = self.differences(chosen, runner_up, player)
        record = DecisionExplanation(
            node=flat.ids[i], name=self.node_name(i), player=flat.players[player],
            player_name=self.player_name(player), kind=kind, reach=float(results.reach[i]),
            tie=bool(results.tie[i]), held=self.is_held(i),
            information_set=self.information_set(i), risk=player in self.risky,
            alternatives=alternatives, chosen=chosen, runner_up=runner_up, margin=margin,
            margin_certainty=margin_certainty, criteria=criteria, flips=flips,
            tried=tuple(self.moved()) if flips is not None else (), holding=holding)
        return dataclasses.replace(record, said=_Sentences(self, record).all())

    def kind_of(self, i: int, alternatives: tuple[Alternative, ...]
                ) -> tuple[str, Alternative | None, Alternative | None]:
        """The decision's kind, its choice and the runner-up: the best of the others
        for the decider (by certainty equivalent with a risk attitude), the first of equals."""
        flat = self.flat
        if flat.kind[i] == ASSUMED_KIND:
            return ASSUMED, None, None
        chosen = int(self.results.choice[i])
        if chosen < 0:
            return UNDECIDED, None, None
        pick = alternatives[chosen - int(flat.child_start[i])]
        if len(alternatives) == 1:
            return SINGLE, pick, None
        others = [a for a in alternatives if a is not pick]
        worth = [_worth(a) for a in others]
        best = int(np.argmax(np.nan_to_num(worth, nan=-np.inf)))
        return CHOICE, pick, others[best]

    def differences(self, chosen: Alternative, runner_up: Alternative,
                    player: int) -> tuple[Difference, ...]:
        labels = self.flat.labels
        found = [Difference(c, labels.criteria[k], labels.units[k], chosen.expected[c],
                            runner_up.expected[c], float(self.weights[player, k]))
                 for k, c in enumerate(self.flat.criteria)]
        found = [d for d in found if d.difference != 0 or math.isnan(d.difference)]
        return tuple(sorted(found, key=lambda d: -abs(np.nan_to_num(d.contribution))))

    def information_set(self, i: int) -> str | None:
        if not isinstance(self.tree, Tree) or self.flat.ids[i] not in self.tree:
            return None
        return self.tree.node(self.flat.ids[i]).information_set

    # -- the story -----------------------------------------------------------------------
    def narrative(self) -> list[str]:
        """The solved path from the root: each decision's choice, each chance event's
        odds, then the chance of each outcome and what each player expects."""
        told = _Story(self)
        return told.all()


def _worth(alternative: Alternative) -> float:
    """What the decider compares: its certainty equivalent, or expected utility."""
    return alternative.utility if alternative.certainty is None else alternative.certainty


def _listed(items: Sequence[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _possessive(name: str) -> str:
    return name + ("’" if name.endswith("s") else "’s")


def _capital(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


class _Sentences:
    """The sentences of one decision's record."""

    def __init__(self, writer: _Writer, record: DecisionExplanation):
        self.w, self.r = writer, record
        self.who = record.player_name

    def all(self) -> dict[str, tuple[str, ...]]:
        r = self.r
        said: dict[str, list[str]] = {}
        if r.kind == ASSUMED:
            said["decision"] = self.assumed()
        elif r.kind == UNDECIDED:
            said["decision"] = [f"At “{r.name}”, {_possessive(self.who)} choice cannot be"
                                " worked out with these values: the values of some of its"
                                " branches cannot be computed."]
        elif r.kind == SINGLE:
            said["decision"] = [f"At “{r.name}”, {self.who} has one branch only,"
                                f" “{r.chosen.label}”: there is nothing to compare."]  # type: ignore[union-attr]
        else:
            said["decision"] = [f"At “{r.name}”, {self.who} chooses “{r.chosen.label}”."]  # type: ignore[union-attr]
        if not r.reached:
            said["reach"] = [f"The solved policy does not reach this decision: this is what"
                             f" {self.who} would do if play got here."]
        if r.kind == CHOICE:
            if r.held:
                said["equilibrium"] = [self.held()]
            said.update(margin=self.margin(), criteria=self.criteria(),
                        thresholds=self.flips(), holds=self.holding())
        return {about: tuple(part) for about, part in said.items() if part}

    def assumed(self) -> list[str]:
        r, w = self.r, self.w
        odds = _listed([f"“{a.label}” {w.chance(a.probability)}" for a in r.alternatives])
        said = [f"At “{r.name}”, {_possessive(self.who)} choice is assumed, not solved:"
                f" {odds}. With chances rather than a choice, there is no threshold to find."]
        worths = [_worth(a) for a in r.alternatives]
        if len(worths) > 1 and not np.isnan(worths).all():
            best = r.alternatives[int(np.nanargmax(worths))]
            said.append(f"Were {self.who} to choose, “{best.label}” would be worth most to it"
                        f" ({w.number(_worth(best))}).")
        return said

    def margin(self) -> list[str]:
        r, w = self.r, self.w
        chosen, other = r.chosen, r.runner_up
        assert chosen is not None and other is not None
        whose = f"{_possessive(self.who)} utility"
        said = []
        if r.tie:
            said.append(f"It is a tie: “{other.label}” is worth as much to {self.who}"
                        f" ({w.number(_worth(other))}), and the first in the tree’s order is"
                        " taken.")
            return said
        if r.margin_certainty is not None:
            said.append(f"{self.who} weighs risk, so it compares certainty equivalents: the"
                        f" runner-up, “{other.label}”, is {self.gap(r.margin_certainty)}"
                        f" ({w.number(chosen.certainty)} against {w.number(other.certainty)});"
                        f" in expected utility “{chosen.label}” is worth"
                        f" {self.more_or_less(r.margin)}"
                        f" ({w.number(chosen.utility)} against {w.number(other.utility)}).")
        else:
            said.append(f"The runner-up is “{other.label}”, {self.gap(r.margin)} in {whose}"
                        f" ({w.number(chosen.utility)} against {w.number(other.utility)}).")
        return said

    def held(self) -> str:
        shown = self.w.results.equilibrium
        which = "the equilibrium shown"
        if shown is not None and shown.index >= 0:
            which += f" ({'the first' if shown.index == 0 else f'number {shown.index + 1}'}"
            which += f" of {shown.count:,})"
        where = f" “{self.r.information_set}”" if self.r.information_set else ""
        return (f"{_capital(which)} holds this choice: it is made for the whole information"
                f" set{where}, whose nodes {self.who} cannot tell apart, so at this node alone"
                " it need not be the best.")

    def more_or_less(self, margin: float | None) -> str:
        if margin is None or math.isnan(margin):
            return "an amount that cannot be computed"
        return f"{self.w.number(abs(margin))} {'more' if margin >= 0 else 'less'}"

    def gap(self, margin: float | None) -> str:
        if margin is None or math.isnan(margin):
            return "by a margin that cannot be computed"
        if margin >= 0:
            return f"{self.w.number(margin)} behind"
        return f"{self.w.number(-margin)} ahead"

    def criteria(self) -> list[str]:
        r = self.r
        if r.tie or r.chosen is None or r.runner_up is None:
            return []
        counted = [d for d in r.criteria if d.contribution != 0]
        if not counted:
            return [f"The two are equal on every criterion {self.who} weighs."]
        sides = [self.side(r.chosen.label, [d for d in counted if d.contribution > 0], 1),
                 self.side(r.runner_up.label, [d for d in counted if d.contribution < 0], -1)]
        totals = "In expected totals, what" if r.risk else "What"
        return [f"{totals} separates them in {_possessive(self.who)} weights: "
                + "; ".join(s for s in sides if s) + "."]

    def side(self, label: str, favouring: list[Difference], sign: int) -> str:
        if not favouring:
            return ""
        w = self.w
        named = [f"{w.amount(abs(d.difference), d.unit)}"
                 f" {'more' if sign * d.difference > 0 else 'less'} {d.name}"
                 f" (worth {w.number(abs(d.contribution))})"
                 for d in favouring[:CRITERIA_NAMED]]
        rest = len(favouring) - CRITERIA_NAMED
        if rest > 0:
            named.append(f"{rest} smaller difference{'s' if rest > 1 else ''}")
        return f"“{label}” has {_listed(named)}"

    def flips(self) -> list[str]:
        r = self.r
        if r.held:
            return ["No threshold is sought for a choice an equilibrium holds."]
        if r.flips is None:
            return []
        if not r.tried:
            return ["No variable has a range to move, so no threshold is sought."]
        if not r.flips:
            count = len(r.tried)
            return [f"No variable alone, moved across its range, changes this choice"
                    f" ({count} tried)." if count > 1 else
                    f"Moving {r.tried[0]} across its range does not change this choice."]
        lead = ("One variable alone would change it" if len(r.flips) == 1
                else "Each of these variables alone would change it")
        return [f"{lead}: {'; '.join(flip.phrase for flip in r.flips)}."]

    def holding(self) -> list[str]:
        held, r = self.r.holding, self.r
        if held is None or r.chosen is None:
            return []
        others = sorted(((share, node) for node, share in held.shares.items()
                         if node != held.chosen and share > 0), reverse=True)
        rest = _listed([f"{self.w.choice(node)} in {self.w.chance(share)}"
                        for share, node in others[:3]])
        across = (f"Across {held.valid:,} samples of the uncertain variables"
                  if held.valid == held.samples else
                  f"Across the {held.valid:,} of {held.samples:,} samples of the uncertain"
                  " variables in which the choice can be worked out")
        return [f"{across}, {self.who} chooses “{r.chosen.label}” in"
                f" {self.w.chance(held.share)} of them" + (f"; otherwise {rest}." if rest else ".")]


class _Story:
    """The narrative of the solved path, from the root down."""

    def __init__(self, writer: _Writer):
        self.w = writer
        self.flat, self.results = writer.flat, writer.results
        self.said: list[str] = []

    def all(self) -> list[str]:
        shown = self.results.equilibrium
        if shown is not None:
            self.said.append(self.equilibrium())
        stack: list[tuple[int, str]] = [(0, "")]
        untold = 0
        while stack:
            i, lead = stack.pop()
            if len(self.said) >= NARRATIVE_SENTENCES:
                untold += 1
                continue
            stack.extend(reversed(self.step(i, lead)))
        if untold:
            self.said.append(f"(The rest of the solved path, {untold:,} more step"
                             f"{'s' if untold > 1 else ''}, is not told here.)")
        self.said += self.ending()
        return self.said

    def equilibrium(self) -> str:
        shown = self.results.equilibrium
        assert shown is not None
        more = "" if shown.complete else " (not every strategy profile was searched)"
        if shown.index < 0:
            return ("This game of private information has no equilibrium in pure strategies"
                    f"{more}: the choices told are backward induction’s, as if each player"
                    " saw where it stands.")
        count = (f"{shown.count:,} perfect Bayesian equilibria" if shown.count != 1
                 else "one perfect Bayesian equilibrium")
        which = "first" if shown.index == 0 else f"one shown, number {shown.index + 1}"
        return (f"This game of private information has {count} in pure strategies{more};"
                f" the choices told are those of the {which}.")

    def step(self, i: int, lead: str) -> list[tuple[int, str]]:
        """Tell node `i` (reached); what to tell next, with its lead-in."""
        flat = self.flat
        kind = flat.kind[i]
        if kind == DECISION_KIND:
            return self.decision(i, lead)
        if kind in (CHANCE_KIND, ASSUMED_KIND):
            return self.odds(i, lead)
        self.said.append(_capital(f"{lead}the tree ends at “{self.w.node_name(i)}”"
                                  f"{self.ending_of(i)}."))
        return []

    def decision(self, i: int, lead: str) -> list[tuple[int, str]]:
        w, flat = self.w, self.flat
        who = w.player_name(max(int(flat.player[i]), 0))
        chosen = int(self.results.choice[i])
        if chosen < 0:
            self.said.append(_capital(f"{lead}{_possessive(who)} choice at “{w.node_name(i)}”"
                                      " cannot be worked out."))
            return []
        tie = " (a tie)" if self.results.tie[i] else ""
        if flat.child_count[chosen] == 0:
            self.said.append(_capital(f"{lead}{who} chooses “{w.branch(chosen)}”{tie} at"
                                      f" “{w.node_name(i)}”, which ends the tree"
                                      f"{self.ending_of(chosen, ' in ')}."))
            return []
        self.said.append(_capital(f"{lead}{who} chooses “{w.branch(chosen)}”{tie} at"
                                  f" “{w.node_name(i)}”."))
        return [(chosen, "then ")]

    def odds(self, i: int, lead: str) -> list[tuple[int, str]]:
        w, flat, results = self.w, self.flat, self.results
        children = [c for c in flat.children(i) if results.probability[c] > 0]
        listed = _listed([f"“{w.branch(c)}” {w.chance(results.probability[c])}"
                          + (self.ending_of(c, " (ending in ", ")")
                             if flat.child_count[c] == 0 else "") for c in children])
        if flat.kind[i] == ASSUMED_KIND:
            who = w.player_name(max(int(flat.player[i]), 0))
            self.said.append(_capital(f"{lead}{who} is assumed to choose at “{w.node_name(i)}”"
                                      f" with these chances: {listed}."))
        else:
            self.said.append(_capital(f"{lead}“{w.node_name(i)}” is left to chance: {listed}."))
        return [(c, f"if “{w.branch(c)}”, ") for c in children if flat.child_count[c] > 0]

    def ending_of(self, i: int, before: str = ", in ", after: str = "") -> str:
        """The outcome a terminal is classified in, in words; "" without outcomes."""
        flat = self.flat
        if not flat.outcomes:
            return ""
        return f"{before}“{flat.labels.outcomes[int(flat.outcome[i])]}”{after}"

    def ending(self) -> list[str]:
        w, flat, results = self.w, self.flat, self.results
        said = []
        if flat.outcomes:
            chances = results.outcomes[0]
            order = np.argsort(-np.nan_to_num(chances), kind="stable").tolist()
            named = [f"“{flat.labels.outcomes[k]}” {w.chance(chances[k])}" for k in order
                     if chances[k] > 0]
            if len(named) == 1:
                said.append(f"Under this policy the tree ends in"
                            f" “{flat.labels.outcomes[order[0]]}” for certain.")
            elif named:
                said.append(f"Under this policy the chances of the outcomes are {_listed(named)}.")
        expects = []
        for p, name in enumerate(flat.labels.players):
            text = f"{w.number(results.utility[0, p])} for {name}"
            if p in w.risky and w.certainty is not None:
                text += f" (a certainty equivalent of {w.number(w.certainty[0, p])})"
            expects.append(text)
        said.append(f"At the start, the expected utility is {_listed(expects)}.")
        return said
