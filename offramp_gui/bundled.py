"""Files that ship with offramp: the article's trees and the app's icons."""
from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent
DEFAULT_TREE = "offramp.json"


def bundled_dir(kind: str) -> Path:
    """`trees` or `resources`: inside the installed package, or beside it in a checkout."""
    installed = _HERE / kind
    return installed if installed.is_dir() else _HERE.parent / kind


def default_tree() -> Path:
    return bundled_dir("trees") / DEFAULT_TREE
