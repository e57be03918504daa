"""Files that ship with offramp: the article's trees, the reference models, the templates,
the app's icons and the user manual."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

_HERE = Path(__file__).resolve().parent
DEFAULT_TREE = "offramp.json"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


@dataclass(frozen=True)
class BundledTree:
    """A tree that ships with offramp, as File > New from Template and Open Example
    list it."""

    path: Path
    title: str
    #: The first sentence of the tree's description.
    summary: str


def bundled_dir(kind: str) -> Path:
    """`trees` or `resources`: inside the installed package, or beside it in a checkout."""
    installed = _HERE / kind
    return installed if installed.is_dir() else _HERE.parent / kind


#: The user manual's pages, (title, file name): the README and two references. The wheel
#: copies them into the package's `manual/` folder (pyproject.toml), so they cannot drift.
MANUAL_PAGES = (("offramp", "README.md"), ("The tree file format", "format.md"),
                ("The command line", "cli.md"))


def manual_page(name: str) -> Path:
    """A page of the manual: inside the installed package, or its source in a checkout."""
    installed = _HERE / "manual" / name
    if installed.is_file():
        return installed
    return _HERE.parent / name if name == "README.md" else _HERE.parent / "docs" / name


def default_tree() -> Path:
    return bundled_dir("trees") / DEFAULT_TREE


def examples() -> list[BundledTree]:
    """The article's trees, the default one first."""
    paths = sorted(bundled_dir("trees").glob("*.json"),
                   key=lambda path: (path.name != DEFAULT_TREE, path.name))
    return [_described(path) for path in paths]


def reference_models() -> list[BundledTree]:
    """The canonical models of trees/reference/ (File > Reference Models), in the order
    of their file names."""
    return [_described(path)
            for path in sorted((bundled_dir("trees") / "reference").glob("*.json"))]


def templates() -> list[BundledTree]:
    """The starting points of File > New from Template, in the order of their names."""
    return [_described(path)
            for path in sorted((bundled_dir("resources") / "templates").glob("*.json"))]


def _described(path: Path) -> BundledTree:
    document = json.loads(path.read_text(encoding="utf-8"))
    description = str(document.get("description") or "").strip()
    summary = _SENTENCE_END.split(description, maxsplit=1)[0] if description else ""
    return BundledTree(path, str(document.get("title") or path.stem), summary)
