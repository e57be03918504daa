"""Branch labels broken into lines that fit their column."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetricsF, QTextLayout, QTextOption

#: Lines a branch label takes on the canvas; the rest is elided, and the tooltip has it all.
MAX_LABEL_LINES = 3


def wrap(text: str, font: QFont, width: float, max_lines: int | None,
         break_words: bool = True) -> tuple[str, ...]:
    """`text` in lines no wider than `width` (broken at spaces where it can be, else
    anywhere, or with `break_words` False a word too long for a line is elided); beyond
    `max_lines`, the last line kept ends in "…"."""
    metrics = QFontMetricsF(font)
    if not text or metrics.horizontalAdvance(text) <= width:
        return (text,)
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere if break_words
                       else QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    spans: list[tuple[int, int]] = []
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        spans.append((line.textStart(), line.textLength()))
    layout.endLayout()
    lines = [metrics.elidedText(text[start:start + length].rstrip(),
                                Qt.TextElideMode.ElideRight, width)
             for start, length in spans]
    if max_lines is not None and len(lines) > max_lines:
        rest = text[spans[max_lines - 1][0]:]
        lines = lines[:max_lines - 1] + [
            metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)]
    return tuple(lines)
