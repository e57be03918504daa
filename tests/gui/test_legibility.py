"""The canvas is legible: numbers big enough at 100% zoom, every text at WCAG AA contrast
on light and dark palettes, and no player drawn in an outcome's hue."""
from __future__ import annotations

import pytest
from conftest import TREES
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QFont, QFontInfo, QImage, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyleOptionGraphicsItem

from offramp_gui.api import load
from offramp_gui.gui.scene.theme import outcome_color, player_color

BUNDLED = sorted(TREES.glob("*.json"))


class RecordingPainter(QPainter):
    """Paints on an image and remembers each text drawn, in its font and colour."""

    def __init__(self, image: QImage):
        super().__init__(image)
        self.texts: list[tuple[str, QFont, QColor]] = []

    def drawText(self, *args):  # noqa: N802 - Qt's name
        text = next(a for a in args if isinstance(a, str))
        self.texts.append((text, QFont(self.font()), QColor(self.pen().color())))
        super().drawText(*args)


def painted_texts(window) -> list[tuple[str, QFont, QColor]]:
    """What every node item of the canvas draws, at the view's zoom."""
    scene, zoom = window.scene, window.view.zoom
    image = QImage(4000, 4000, QImage.Format.Format_ARGB32)
    painter = RecordingPainter(image)
    painter.scale(zoom, zoom)
    for node_id in scene.node_ids():
        item = scene.item_for_node(node_id)
        option = QStyleOptionGraphicsItem()
        painter.save()
        painter.translate(item.pos() + QPointF(1000, 1000))
        item.paint(painter, option)
        painter.restore()
    painter.end()
    return painter.texts


def contrast_ratio(foreground: QColor, background: QColor) -> float:
    """WCAG 2's contrast ratio, from the relative luminance of each colour."""
    def luminance(color: QColor) -> float:
        channels = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
                    for c in color.getRgbF()[:3]]
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def on(background: QColor, color: QColor) -> QColor:
    """`color` as seen over `background` (a translucent pen shows the background through)."""
    alpha = color.alphaF()
    return QColor.fromRgbF(*(alpha * c + (1 - alpha) * b for c, b in
                             zip(color.getRgbF()[:3], background.getRgbF()[:3])))


@pytest.fixture
def small_system_font(qapp):
    """A desktop whose font is small, as the one the numbers were 7 px on."""
    before = QApplication.font()
    font = QFont(before)
    font.setPointSizeF(6.5)
    QApplication.setFont(font)
    yield
    QApplication.setFont(before)


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, color in ((QPalette.ColorRole.Base, "#1e1e1e"),
                        (QPalette.ColorRole.Window, "#2b2b2b"),
                        (QPalette.ColorRole.Text, "#e6e6e6"),
                        (QPalette.ColorRole.WindowText, "#e6e6e6"),
                        (QPalette.ColorRole.Highlight, "#3d6fb4")):
        palette.setColor(role, QColor(color))
    return palette


def light_palette() -> QPalette:
    palette = QPalette()
    for role, color in ((QPalette.ColorRole.Base, "#ffffff"),
                        (QPalette.ColorRole.Window, "#efefef"),
                        (QPalette.ColorRole.Text, "#000000"),
                        (QPalette.ColorRole.WindowText, "#000000"),
                        (QPalette.ColorRole.Highlight, "#308cc6")):
        palette.setColor(role, QColor(color))
    return palette


@pytest.mark.parametrize("palette", [light_palette, dark_palette], ids=["light", "dark"])
def test_every_number_at_actual_size_is_10_px_and_aa_contrast(make_window, small_system_font,
                                                             palette):
    window = make_window()
    window.setPalette(palette())  # the system switches theme
    assert window.files.open(TREES / "offramp.json")
    window.actions["zoom-reset"].trigger()  # View > Actual Size
    assert window.view.zoom == pytest.approx(1.0)
    background = window.scene.theme.background
    assert background.name() == palette().color(QPalette.ColorRole.Base).name()

    texts = painted_texts(window)
    numbers = [(t, f, c) for t, f, c in texts if any(ch.isdigit() for ch in t)]
    assert len(numbers) > 30  # the values, probabilities of every branch
    for text, font, _color in numbers:
        assert QFontInfo(font).pixelSize() * window.view.zoom >= 10, text
    for text, _font, color in texts:
        assert contrast_ratio(on(background, color), background) >= 4.5, text
    assert any(f.italic() for _t, f, _c in texts)  # and italic: branches not chosen


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_no_player_shares_a_hue_with_an_outcome(path):
    """A decision square never looks like an ending that means something else."""
    tree = load(path)
    players = {p.name: QColor(player_color(p, k)[0])
               for k, p in enumerate(tree.effective_players())}
    outcomes = {o.name: QColor(outcome_color(o)[0]) for o in tree.outcomes or []}
    for player, player_hue in players.items():
        for outcome, outcome_hue in outcomes.items():
            if outcome_hue.hsvSaturationF() < 0.2:
                continue  # a grey has no hue to be confused by
            apart = abs(player_hue.hsvHueF() - outcome_hue.hsvHueF()) * 360
            assert min(apart, 360 - apart) >= 30, (player, outcome)
    hues = sorted(c.hsvHueF() * 360 for c in players.values())
    assert all(b - a >= 30 for a, b in zip(hues, hues[1:]))  # nor two players alike
