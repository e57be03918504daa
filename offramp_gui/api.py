"""Load, check and evaluate trees from a script, the command line or the app.

    >>> from offramp_gui import load, evaluate
    >>> from offramp_gui.bundled import default_tree
    >>> tree = load(default_tree())  # trees/offramp.json
    >>> results = evaluate(tree)
    >>> tree.node(results.chosen_id(tree.root.id)).branch
    'Support Ukraine while keeping an off-ramp open'
"""
from __future__ import annotations

import os
from collections.abc import Mapping

from .analysis.evaluate import Results, evaluate_tree
from .analysis.evaluate import evaluate as evaluate_flat
from .analysis.flatten import flatten
from .fileformat.json_io import Loaded, loads, locate_issues, read_file, save
from .model.issues import NEWER_VERSION, Issue, TreeFormatError, UnsupportedVersionError
from .model.tree import Tree

__all__ = ["load", "load_text", "check", "evaluate", "save", "TreeFormatError"]


def load(path: str | os.PathLike) -> Tree:
    """Read a tree file; raise TreeFormatError listing every problem, located."""
    return _checked(read_file(path), os.fspath(path))


def load_text(text: str | bytes, filename: str = "<text>") -> Tree:
    """Like `load`, from the text (or bytes) of a document."""
    return _checked(loads(text), filename)


def check(loaded: Loaded, filename: str | None = None) -> list[Issue]:
    """Every problem of a loaded document (shape, structure, numbers), located."""
    issues = list(loaded.issues)
    if loaded.tree is not None:  # loading ran the structural checks; add the numeric ones
        issues += evaluate_flat(flatten(loaded.tree)).issues
    return locate_issues(loaded.text, issues)


def evaluate(tree: Tree, values: Mapping[str, float] | None = None) -> Results:
    """Roll the tree back, with some variables set to other values if given."""
    return evaluate_tree(tree, values)


def _checked(loaded: Loaded, filename: str) -> Tree:
    issues = check(loaded, filename)
    if any(i.code == NEWER_VERSION for i in issues):
        raise UnsupportedVersionError(issues, filename)
    if issues or loaded.tree is None:
        raise TreeFormatError(issues, filename)
    return loaded.tree
