"""Colours and sizes of the tree drawing, readable on light and dark backgrounds."""
from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontInfo, QFontMetricsF, QGuiApplication, QPalette

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
#: Texts a font remembers having elided or measured, before it forgets them all.
_REMEMBERED_TEXTS = 50_000


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


_readable: dict[tuple[object, object], QColor] = {}


def readable(color: QColor, background: QColor) -> QColor:
    """`color`, darkened (or lightened on a dark background) until text in it meets AA."""
    key = (color.getRgbF(), background.getRgbF())
    found = _readable.get(key)
    if found is None:  # worked out once per colour: every ending's outcome asks it
        if len(_readable) > _REMEMBERED_TEXTS:
            _readable.clear()
        found = _readable[key] = _make_readable(color, background)
    return QColor(found)


def _make_readable(color: QColor, background: QColor) -> QColor:
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


def _styled(font: QFont, bold: bool, italic: bool) -> QFont:
    font.setBold(bold)
    font.setItalic(italic)
    return font


def _at_least(font: QFont, pixels: int) -> QFont:
    """`font` in pixels, no smaller than `pixels` (a point size gives its pixels at 96 dpi
    on most screens, too small for the numbers when the system font is small)."""
    sized = QFont(font)
    sized.setPixelSize(max(pixels, QFontInfo(font).pixelSize()))
    return sized


class TextStyle:
    """A font with its metrics, remembering the texts it has elided and measured: the
    items paint the same texts in the same few fonts over and over."""

    def __init__(self, font: QFont):
        self.font = font
        self.metrics = QFontMetricsF(font)
        self.ascent = self.metrics.ascent()
        self.descent = self.metrics.descent()
        self.height = self.metrics.height()
        self.line_spacing = self.metrics.lineSpacing()
        self._elided: dict[tuple[str, float], str] = {}
        self._advances: dict[str, float] = {}

    def elided(self, text: str, width: float) -> str:
        """`text` cut to `width` with "…" at its end if it is wider."""
        key = (text, width)
        done = self._elided.get(key)
        if done is None:
            if len(self._elided) > _REMEMBERED_TEXTS:
                self._elided.clear()
            done = self._elided[key] = self.metrics.elidedText(
                text, Qt.TextElideMode.ElideRight, width)
        return done

    def advance(self, text: str) -> float:
        """How wide `text` is."""
        width = self._advances.get(text)
        if width is None:
            if len(self._advances) > _REMEMBERED_TEXTS:
                self._advances.clear()
            width = self._advances[text] = self.metrics.horizontalAdvance(text)
        return width


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
    #: Every text drawn whole, wrapped into lines where it needs them (a page, which has
    #: no tooltip or Properties panel to read the rest in); else a long one is elided.
    whole_labels: bool = False
    #: The fonts above and their variants with their metrics, made when first asked for.
    _styles: dict[tuple, TextStyle] = field(default_factory=dict, init=False, repr=False,
                                            compare=False)

    @property
    def body(self) -> TextStyle:
        """The drawing's font."""
        return self._style(("body",), lambda: QFont(self.font))

    @property
    def small(self) -> TextStyle:
        """The numbers' font."""
        return self._style(("small",), lambda: QFont(self.small_font))

    def label(self, bold: bool, italic: bool) -> TextStyle:
        """A branch label's font: bold when chosen, italic when not."""
        return self._style(("label", bold, italic),
                           lambda: _styled(QFont(self.font), bold, italic))

    def overview(self, bold: bool | None = None, italic: bool | None = None) -> TextStyle:
        """The font of the texts a canvas zoomed out far writes at one size on screen; a
        branch label's is bold or italic as in the drawing."""
        def make() -> QFont:
            font = QFont(self.font)
            font.setPixelSize(OVERVIEW_PX)
            return font if bold is None or italic is None else _styled(font, bold, italic)
        return self._style(("overview", bold, italic), make)

    def _style(self, key: tuple, make) -> TextStyle:  # noqa: ANN001 - a QFont maker
        style = self._styles.get(key)
        if style is None:
            style = self._styles[key] = TextStyle(make())
        return style

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
