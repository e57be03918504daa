"""Random trees of a given size, and a timer, for the benchmarks."""
from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable

from offramp_gui.model.tree import (
    CHANCE,
    DECISION,
    TERMINAL,
    Criterion,
    Node,
    Outcome,
    Player,
    Tree,
)


def random_tree(size: int, branching: int = 3, seed: int = 1, players: int = 2) -> Tree:
    """About `size` nodes: decision and chance levels alternate, payoffs on every node."""
    rng = random.Random(seed)
    root = Node("n0", DECISION, player="p0")
    frontier, count = [root], 1
    while frontier and count < size:
        next_frontier = []
        for node in frontier:
            if count >= size:
                break
            kind = CHANCE if node.type == DECISION else DECISION
            probabilities = _split(rng, branching)
            for k in range(branching):
                child = Node(f"n{count}", kind, branch=f"branch {k}",
                             payoff={"a": rng.randint(-20, 20), "b": rng.randint(-5, 5)})
                if kind == DECISION:
                    child.player = f"p{rng.randrange(players)}"
                if node.type == CHANCE:
                    child.probability = probabilities[k]
                node.children.append(child)
                next_frontier.append(child)
                count += 1
        frontier = next_frontier
    for node in frontier + [n for n in root.walk() if not n.children]:
        node.type, node.player = TERMINAL, None
        node.outcome = f"o{rng.randrange(4)}"
    tree = Tree(root, f"Random tree of {count} nodes")
    tree.criteria = [Criterion("a", "A"), Criterion("b", "B")]
    tree.players = [Player(f"p{k}", f"Player {k}", {"a": 1.0, "b": 0.5 - k})
                    for k in range(players)]
    tree.outcomes = [Outcome(f"o{k}", f"Outcome {k}") for k in range(4)]
    tree.reindex()
    return tree


def _split(rng: random.Random, parts: int) -> list[float]:
    cuts = sorted(round(rng.random(), 3) for _ in range(parts - 1))
    edges = [0.0] + cuts + [1.0]
    values = [round(b - a, 3) for a, b in zip(edges, edges[1:])]
    values[-1] = round(1 - sum(values[:-1]), 3)
    return values


def timed(action: Callable[[], object], repeat: int = 1) -> float:
    """The median of `repeat` runs of `action`, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def timed_cpu(action: Callable[[], object], repeat: int = 1) -> tuple[float, float]:
    """The medians of `repeat` runs of `action`: (wall seconds, CPU seconds of this
    process). On a shared machine the CPU time is the steadier of the two."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return statistics.median(walls), statistics.median(cpus)
