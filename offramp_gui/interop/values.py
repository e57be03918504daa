"""A tree rolled back once, with each node's own payoffs, for the exporters.

`offramp evaluate --json` and every export take their numbers from the same
evaluation, so a CSV or GraphML file shows exactly what the command line prints.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..analysis.evaluate import Results, evaluate_tree, solve
from ..analysis.flatten import FlatTree
from ..analysis.report import preorder
from ..model.tree import Tree
from .common import ConversionError


@dataclass(frozen=True)
class Evaluated:
    """The results, plus what the engine computed but Results does not keep."""

    tree: Tree
    results: Results
    payoff: np.ndarray  # (n, C): each node's own payoff after expressions
    weights: np.ndarray  # (P, C): the players' weights, expressions worked out

    @property
    def flat(self) -> FlatTree:
        return self.results.flat

    def order(self) -> list[int]:
        """Node indices in document order (the order of the file)."""
        return preorder(self.flat)

    def path(self, i: int) -> list[str]:
        """Ids from the root down to node i."""
        flat, ids = self.flat, []
        while i >= 0:
            ids.append(flat.ids[i])
            i = int(flat.parent[i]) if i else -1
        return ids[::-1]


def evaluated(tree: Tree, source: str = "the tree") -> Evaluated:
    """Roll the tree back; refuse (with every problem) a tree that cannot be evaluated."""
    results = evaluate_tree(tree)
    flat = results.flat
    if results.issues:
        raise ConversionError([f"{source}: {issue.format().split(': error: ', 1)[-1]}"
                               for issue in results.issues])
    solution = solve(flat, want_reach=False, want_outcomes=False)
    return Evaluated(tree, results, np.array(solution.payoff[:, 0, :], dtype=float),
                     solution.sample_weights(0))
