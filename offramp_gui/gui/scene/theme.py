"""Colours and sizes of the tree drawing, readable on light and dark backgrounds."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QFontInfo, QGuiApplication, QPalette

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

#: Decision squares take their player's colour, in player order. The hues are those the
#: bundled trees' outcomes leave free (red, orange, green, blue, purple mean outcomes), so
#: a player never looks like an outcome.
PLAYER_COLORS = ("#00897b", "#ad1a7f", "#827717", "#4a2fbf")
CHANCE_COLOR = "#5f6b7a"
TERMINAL_COLOR = "#8d8d8d"
PROBLEM_COLOR = "#d32f2f"
#: The smallest text on the canvas at 100% zoom, in pixels, whatever the system font.
FONT_MIN_PX, SMALL_FONT_MIN_PX = 13, 11
#: Text smaller than this on screen cannot be read: a view zoomed out that far (Fit on a
#: big tree) writes the canvas's labels at OVERVIEW_PX instead, whatever the zoom.
LEGIBLE_PX = 9.0
OVERVIEW_PX = 12
#: Room in pixels at that size for an ending's value and label, right of it, and for the
#: root's name and value, left of it.
OVERVIEW_RIGHT_PX, OVERVIEW_LEFT_PX = 340.0, 140.0
#: WCAG AA for normal text: what every text on the canvas meets against its background.
AA_CONTRAST = 4.5


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


def contrast_ratio(foreground: QColor, background: QColor) -> float:
    """The WCAG contrast ratio of opaque text in `foreground` on `background` (1 to 21)."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(color: QColor) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4
    return (0.2126 * linear(color.redF()) + 0.7152 * linear(color.greenF())
            + 0.0722 * linear(color.blueF()))


def readable(color: QColor, background: QColor) -> QColor:
    """`color`, darkened (or lightened on a dark background) until text in it meets AA."""
    dark = background.lightness() < 128
    hue, saturation, lightness = max(color.hslHueF(), 0.0), color.hslSaturationF(), \
        color.lightnessF()
    adjusted = QColor(color)
    adjusted.setAlphaF(1.0)
    while contrast_ratio(adjusted, background) < AA_CONTRAST + 0.05 and (
            lightness < 1.0 if dark else lightness > 0.0):
        lightness = min(1.0, lightness + 0.02) if dark else max(0.0, lightness - 0.02)
        adjusted = QColor.fromHslF(hue, saturation, lightness)
    return adjusted


def _muted(text: QColor, background: QColor) -> QColor:
    """The palest mix of text into background that still meets AA: for the secondary."""
    for share in (0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9):
        mixed = QColor.fromRgbF(*(back + share * (front - back) for front, back in
                                  zip(_rgb(text), _rgb(background))))
        if contrast_ratio(mixed, background) >= AA_CONTRAST + 0.05:
            return mixed
    return QColor(text)


def _rgb(color: QColor) -> tuple[float, float, float]:
    return color.redF(), color.greenF(), color.blueF()


def _at_least(font: QFont, pixels: int) -> QFont:
    """`font` in pixels, no smaller than `pixels` (a point size gives its pixels at 96 dpi
    on most screens, too small for the numbers when the system font is small)."""
    sized = QFont(font)
    sized.setPixelSize(max(pixels, QFontInfo(font).pixelSize()))
    return sized


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
        text = readable(text, background)
        line = QColor("#9aa3ad" if dark else "#7b8590")
        font = _at_least(QGuiApplication.font(), FONT_MIN_PX)
        small = QFont(font)
        small.setPixelSize(max(SMALL_FONT_MIN_PX, round(font.pixelSize() * 0.85)))
        return Theme(background, text, _muted(text, background), line, QColor(text),
                     highlight, font, small)
