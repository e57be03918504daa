"""The app's icons: SVG files in resources/icons, loaded by name."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon

from ..bundled import bundled_dir

APP_ICON = "offramp.svg"


def icon_path(name: str) -> Path:
    return bundled_dir("resources") / "icons" / f"{name}.svg"


@cache
def icon(name: str) -> QIcon:
    """The icon called `name` (such as "undo"); an empty QIcon if there is none."""
    path = icon_path(name)
    return QIcon(str(path)) if path.is_file() else QIcon()


@cache
def app_icon() -> QIcon:
    path = bundled_dir("resources") / APP_ICON
    return QIcon(str(path)) if path.is_file() else QIcon()
