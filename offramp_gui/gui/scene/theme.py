"""Colours and sizes of the tree drawing, readable on light and dark backgrounds."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette

from ...model.tree import Outcome, Player
from ..model_edits import COLOR_KEY

ROW_HEIGHT = 52.0
COLUMN_WIDTH = 270.0
SYMBOL = 18.0  # node symbol size
ELBOW = 26.0  # where a branch leaves its parent, right of the parent's symbol
LABEL_WIDTH = COLUMN_WIDTH - ELBOW - SYMBOL - 14
TEXT_GAP = 3.0  # between a branch's lines and its text
#: The width of the text over a branch one column long: from its elbow to its node.
BRANCH_TEXT_WIDTH = COLUMN_WIDTH - SYMBOL - 10 - 2 * TEXT_GAP

#: Decision squares take their player's colour, in player order.
PLAYER_COLORS = ("#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f")
CHANCE_COLOR = "#5f6b7a"
TERMINAL_COLOR = "#8d8d8d"
PROBLEM_COLOR = "#d32f2f"


def player_color(player: Player, index: int) -> tuple[str, bool]:
    """The colour of a player's decisions: the one chosen for them in the model editor,
    else the palette's for their place in the list; and whether it is the palette's."""
    chosen = player.extras.get(COLOR_KEY)
    if isinstance(chosen, str) and QColor(chosen).isValid():
        return chosen, False
    return PLAYER_COLORS[index % len(PLAYER_COLORS)], True


def outcome_color(outcome: Outcome) -> tuple[str, bool]:
    """The colour of an outcome's endings on the canvas, and whether it is the default."""
    if outcome.color and QColor(outcome.color).isValid():
        return outcome.color, False
    return TERMINAL_COLOR, True


@dataclass(frozen=True)
class Theme:
    """What the items need to paint: text and line colours for one background."""

    background: QColor
    text: QColor
    muted: QColor
    line: QColor
    chosen: QColor
    selection: QColor
    font: QFont
    small_font: QFont

    @staticmethod
    def for_palette(palette: QPalette | None = None) -> Theme:
        """Match the application's palette (light or dark system theme)."""
        palette = palette or QGuiApplication.palette()
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        return Theme._make(base, text, palette.color(QPalette.ColorRole.Highlight))

    @staticmethod
    def light() -> Theme:
        """Black on white: for exported images, whatever the screen's theme."""
        return Theme._make(QColor("#ffffff"), QColor("#1a1a1a"), QColor("#1e88e5"))

    @staticmethod
    def _make(background: QColor, text: QColor, highlight: QColor) -> Theme:
        dark = background.lightness() < 128
        muted = QColor(text)
        muted.setAlphaF(0.45)
        line = QColor("#9aa3ad" if dark else "#7b8590")
        font = QGuiApplication.font()
        small = QFont(font)
        small.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        return Theme(background, text, muted, line, QColor(text), highlight, font, small)
