"""Load, check and evaluate trees from a script, the command line or the app.

    >>> from offramp_gui import OneWayParameters, analyse, evaluate, load
    >>> from offramp_gui.bundled import default_tree
    >>> tree = load(default_tree())  # trees/offramp.json
    >>> results = evaluate(tree)
    >>> tree.node(results.chosen_id(tree.root.id)).branch
    'Support Ukraine while keeping an off-ramp open'
    >>> print(analyse(tree, OneWayParameters(variable="face_value")).text().splitlines()[0])
    Sensitivity to face_value at "Western war aim" (aim), decided by Western capitals
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .analysis.evaluate import Results, evaluate_tree
from .analysis.evaluate import evaluate as evaluate_flat
from .analysis.flatten import FlatTree, flatten
from .fileformat.json_io import Loaded, loads, locate_issues, printable, read_file, save
from .model.issues import (
    NEWER_VERSION,
    Issue,
    TreeFormatError,
    UnsupportedVersionError,
    fixable,
)
from .model.tree import Tree

if TYPE_CHECKING:
    from .analysis.catalogue import Run

__all__ = ["load", "load_text", "check", "evaluate", "analyse", "save", "TreeFormatError"]


def load(path: str | os.PathLike) -> Tree:
    """Read a tree file; raise TreeFormatError listing every problem, located."""
    return _checked(read_file(path), os.fspath(path))


def load_text(text: str | bytes, filename: str = "<text>") -> Tree:
    """Like `load`, from the text (or bytes) of a document."""
    return _checked(loads(text), filename)


def check(loaded: Loaded, filename: str | None = None,
          evaluated: Results | None = None) -> list[Issue]:
    """Every problem of a loaded document (shape, structure, numbers), located; the
    structural and numeric ones are `fixable`. `evaluated` is the tree's evaluation
    (`evaluate_tree`'s) when made already: its problems are not looked for again."""
    issues = list(loaded.issues)
    if evaluated is not None:
        # Loading found the structural problems the evaluation lists too.
        found = set(issues)
        issues += [i for i in fixable(evaluated.issues) if printable([i])[0] not in found]
    elif loaded.tree is not None:  # loading ran the structural checks; add the numeric ones
        issues += fixable(evaluate_flat(flatten(loaded.tree)).issues)
    return locate_issues(loaded.text, issues)


def evaluate(tree: Tree, values: Mapping[str, float] | None = None) -> Results:
    """Roll the tree back, with some variables set to other values if given."""
    return evaluate_tree(tree, values)


def analyse(tree: Tree | FlatTree, parameters: Any, **options: Any) -> Run:
    """Run the analysis that `parameters` ask for (`OneWayParameters`, ...) on a tree.

    The run's `result` holds the numbers; `table()`, `document()` and `text()` are
    what the command line writes with -o x.csv, prints with --json and prints.
    `options` go to the analysis (a Monte Carlo's `progress`).
    """
    from .analysis.catalogue import kind_of  # only scripts that analyse pay for it

    flat = tree if isinstance(tree, FlatTree) else flatten(tree)
    return kind_of(parameters).run(flat, parameters, **options)


def _checked(loaded: Loaded, filename: str) -> Tree:
    issues = check(loaded, filename)
    if any(i.code == NEWER_VERSION for i in issues):
        raise UnsupportedVersionError(issues, filename)
    if issues or loaded.tree is None:
        raise TreeFormatError(issues, filename)
    return loaded.tree
