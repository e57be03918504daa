"""The briefing laid out: PDF pages through Qt, or one HTML file that needs nothing else.

`analysis.briefing.briefing_sections` says what a briefing holds; this module draws it.
The tree is the image export's scene (`export.build_scene`), painted by its render
function (`export.paint_scene`): as vectors on the PDF's pages, as PNG in the HTML.
The charts are the analysis plots and the outcomes panel, laid out once at one size
and painted into both. A tree too large to read when fitted to the page is printed in
parts at a readable size, cut only where there is no text, after an overview that
shows where each part lies.

The PDF is a QTextDocument laid out on the PDF writer, its figures drawn by a handler
of its images (`_FigureObject`), each page painted with its footer.
"""
from __future__ import annotations

import base64
import html
import math
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
    QPen,
    QPyTextObject,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsScene, QWidget

from .. import __version__
from ..analysis.briefing import (
    NOTE,
    Block,
    Bullets,
    OutcomesFigure,
    Paragraph,
    PlotFigure,
    Provenance,
    Section,
    Table,
    TreeFigure,
    briefing_comparison,
    briefing_sections,
)
from ..analysis.evaluate import evaluate_tree
from ..fileformat.atomic import check_writable, write_atomic
from ..fileformat.json_io import file_text_digest, snapshot
from ..model.tree import Tree
from .export import (
    MARGIN,
    FrozenDocument,
    build_scene,
    export_rect,
    paint_scene,
)
from .export_legend import LegendItem, legend_groups
from .plots.analysis_plots import lay_out, paint_widget, widget_png
from .plots.outcomes_plot import OutcomesPanel
from .plots.profile_plot import RiskProfilePlot
from .plots.tornado_plot import MAX_BARS, ROW_PX, TornadoPlot
from .scene.information_sets import JoinItem
from .scene.node_item import NodeItem
from .scene.tree_scene import TreeScene

FORMATS = (".pdf", ".html")
PAGES = ("a4", "letter")
_PAPER = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
_RESOLUTION = 1200  # the PDF's device pixels per inch
_PX = 96  # the scene's, the charts' and CSS's pixels per inch
#: Page margins in points: left, top, right, bottom (the footer sits in the bottom one).
_MARGINS = (54.0, 50.0, 54.0, 64.0)
#: The tree fitted to the page reads down to this scale (its text is then 6.3 and 5.4
#: points); below it, the tree is printed in parts at this scale or larger (as large as
#: the largest part allows).
MIN_READABLE = 0.65
#: More parts than this and only the overview is printed.
MAX_PARTS = 40
#: A tree showing more nodes than this is drawn folded below the deepest level within
#: it, as the app opens a large tree (more would not read on paper, and a million nodes
#: drawn would take minutes and gigabytes).
DRAWN_UP_TO = 2500
#: Room kept above a figure on its page for the heading and a line or two (logical px).
_HEADING_ROOM, _CAPTION_ROOM = 120.0, 36.0
CHART_WIDTH = 820  # the charts are laid out this wide, then scaled to the page
#: The HTML's column, and the height of a part of the tree there (a screenful or so).
HTML_WIDTH, HTML_PAGE_HEIGHT = 860, 1100
_ACCENT = "#9b2226"
_TEXT, _MUTED, _RULE = "#1b1f24", "#5f6770", "#c9ced4"
_FONTS = ("Helvetica Neue", "Helvetica", "Arial", "Liberation Sans", "DejaVu Sans")
T = TypeVar("T")


# ---- the whole of it ----------------------------------------------------------------------
def export_briefing(source: Tree | object, path: str | os.PathLike, page: str = "a4",
                    landscape: bool = False, provenance: Provenance | None = None,
                    scenarios: list[str] | None = None) -> None:
    """Write the briefing of a tree (or of a DocumentController's tree as shown) to a
    .pdf or .html file, by its extension; `scenarios`: those to compare with the base
    case (by default every scenario of the tree).

    Raises ValueError (another extension or page), KeyError (a scenario the tree does
    not have) or SaveError (a folder that does not exist or cannot be written) before
    anything is drawn; nothing is written then.
    """
    check_briefing_path(path)
    check_page(page)
    tree: Tree = source if isinstance(source, Tree) else source.tree  # type: ignore[attr-defined]
    comparison = briefing_comparison(tree, scenarios)
    results = getattr(source, "results", None)
    if results is None:
        results = evaluate_tree(tree)
    scene = build_scene(source, titled=False, results=results, most=DRAWN_UP_TO)
    try:
        write_briefing(path, briefing_sections(tree, results, comparison), scene,
                       provenance or document_provenance(source), page, landscape)
    finally:
        scene.clear()


def write_briefing(path: str | os.PathLike, sections: list[Section], scene: TreeScene,
                   provenance: Provenance, page: str = "a4", landscape: bool = False) -> None:
    """Lay `sections` out (the tree drawn from `scene`) and write the file atomically."""
    kind = check_briefing_path(path)
    render = briefing_pdf if kind == ".pdf" else briefing_html
    write_atomic(path, render(sections, scene, provenance, page, landscape), backup=False)


def check_briefing_path(path: str | os.PathLike) -> str:
    """".pdf" or ".html" by the name's extension (".htm" counts as ".html"); refuse a
    name we cannot write."""
    target = Path(path)
    kind = {".htm": ".html"}.get(target.suffix.lower(), target.suffix.lower())
    if kind not in FORMATS:
        raise ValueError(f"cannot write a briefing to {target.name or target}: the file"
                         " name must end in .pdf or .html")
    check_writable(target)
    return kind


def check_page(page: str) -> str:
    if page not in PAGES:
        raise ValueError(f"the page must be one of {', '.join(PAGES)}, not {page}")
    return page


def document_provenance(source: Tree | object) -> Provenance:
    """The footer of the briefing of a document: its file as last read or written; or,
    when it has changes not saved (or no file), the text it would be saved as. A tree
    alone, whose file is not known, is named "Untitled" with the digest of that text."""
    return provenance_to_come(source)()


def provenance_to_come(source: Tree | object) -> Callable[[], Provenance]:
    """`document_provenance` in two halves: what is read from the document now (quick:
    its file's digest, or a snapshot of its tree), and a function that works out the
    rest on any thread (the text of a million nodes takes a while, then its digest)."""
    path = getattr(source, "path", None)
    digest = getattr(source, "disk_digest", None)
    if path is not None and digest and not getattr(source, "modified", False):
        known = Provenance(Path(path).name, digest, date.today(), __version__)
        return lambda: known
    tree: Tree = source if isinstance(source, Tree) else source.tree  # type: ignore[attr-defined]
    taken = snapshot(tree)
    name = Path(path).name if path is not None else "Untitled"
    unsaved = not isinstance(source, Tree)
    return lambda: Provenance(name, file_text_digest(taken), date.today(), __version__,
                              unsaved)


# ---- the tree, in parts a page holds -----------------------------------------------------
@dataclass(frozen=True, eq=False)
class TreePart:
    """A piece of the drawing: `rect` of the scene, showing only the nodes in `items`
    (each with all its text, which may reach into a neighbour's rect) and the lines of
    the information sets; None: everything."""

    rect: QRectF
    items: frozenset[QGraphicsItem] | None = None


@dataclass(frozen=True)
class TreeParts:
    """How the tree goes on pages: one picture, or parts after an overview."""

    #: The drawing, in the scene's pixels: with its legend when it is one picture,
    #: without when it is in parts (the overview is followed by the legend at the parts'
    #: size).
    whole: QRectF
    scale: float  # page pixels per scene pixel: of the one picture, or of every part
    parts: tuple[TreePart, ...]  # column by column (the root's first), top to bottom
    #: How many parts a readable print would take, when that is more than MAX_PARTS
    #: (then `parts` is empty and only the overview is printed).
    too_many: int = 0

    @property
    def split(self) -> bool:
        return len(self.parts) != 1


def tree_parts(scene: TreeScene, width: float, height: float,
               first: float | None = None) -> TreeParts:
    """The tree fitted to `width` x `first` (page pixels: the room on the page where it
    starts; default `height`) if it reads there; else its nodes shared out among even
    parts of at most `width` x `height` at a readable scale, whole columns of the tree
    at a time, so that every label is whole in the one part that shows it."""
    whole = export_rect(scene)
    fit = min(1.0, width / whole.width(), (height if first is None else first) / whole.height())
    if fit >= MIN_READABLE:
        return TreeParts(whole, fit, (TreePart(whole),))
    whole = _without_legend(scene)
    scale = min(1.0, max(MIN_READABLE, width / whole.width()))
    most_wide, most_high = width / scale - 2 * _PART_MARGIN, height / scale - 2 * _PART_MARGIN
    # (the least there can be: more means shares to work out, and nothing printed)
    least = math.ceil(whole.width() / most_wide) * math.ceil(whole.height() / most_high)
    if least > MAX_PARTS:
        return TreeParts(whole, scale, (), least)
    nodes = [(item, item.mapRectToScene(item.text_rect()), item.scenePos())
             for item in scene.items() if isinstance(item, NodeItem)]
    parts = []
    for column in _shares([(at.x(), box.left(), box.right(), (item, box, at))
                           for item, box, at in nodes], most_wide):
        for row in _shares([(at.y(), box.top(), box.bottom(), (item, box, at))
                            for item, box, at in column], most_high):
            rect = QRectF(row[0][1])
            for _item, box, _at in row:
                rect = rect.united(box)
            parts.append(TreePart(rect.adjusted(-_PART_MARGIN, -_PART_MARGIN, _PART_MARGIN,
                                                _PART_MARGIN),
                                  frozenset(item for item, _box, _at in row)))
    if len(parts) > MAX_PARTS:
        return TreeParts(whole, scale, (), len(parts))
    # As large as the largest part allows: the same number of pages, larger text.
    larger = min([1.0] + [min(width / part.rect.width(), height / part.rect.height())
                          for part in parts])
    return TreeParts(whole, max(scale, larger), tuple(parts))


_PART_MARGIN = 8.0  # scene pixels round what a part shows


def _shares(things: list[tuple[float, float, float, T]], most: float) -> list[list[T]]:
    """`things` (a place, the low and high ends of what it covers, and the thing) in
    runs by place, those at one place together, each run covering at most `most` (a
    place covering more alone), as few runs as can be and as even as they can be."""
    places: dict[float, list[tuple[float, float, T]]] = {}
    for at, low, high, thing in things:
        places.setdefault(at, []).append((low, high, thing))
    atoms = [(min(low for low, _h, _t in group), max(high for _l, high, _t in group),
              [thing for _l, _h, thing in group]) for _at, group in sorted(places.items(),
                                                                          key=lambda p: p[0])]

    def runs(cap: float) -> list[list[T]]:
        out: list[list[T]] = []
        low = high = 0.0
        for first, last, members in atoms:
            if out and max(high, last) - min(low, first) <= cap:
                out[-1] += members
                low, high = min(low, first), max(high, last)
            else:
                out.append(list(members))
                low, high = first, last
        return out

    count = len(runs(most))
    # The least cover that needs no more runs: the runs as even as they can be.
    small, large = 0.0, most
    for _ in range(24):
        middle = (small + large) / 2
        small, large = (small, middle) if len(runs(middle)) <= count else (middle, large)
    return runs(large)


def _without_legend(scene: TreeScene) -> QRectF:
    """The drawing's bounds without its legend and title, and a margin."""
    rect = QRectF()
    for item in scene.items():
        if item.parentItem() is None and isinstance(item, (NodeItem, JoinItem)):
            rect = rect.united(item.sceneBoundingRect())
    return rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)


def _paint_part(scene: TreeScene, part: TreePart, painter: QPainter, target: QRectF,
                shown: Callable[[QGraphicsItem], bool] | None = None) -> None:
    """One part: the scene's other nodes, the legend and the title hidden meanwhile
    (or all but the items `shown` says)."""
    if shown is None and part.items is not None:
        shown = _owned_by(part.items)
    hidden = []
    if shown is not None:
        for item in scene.items():
            if item.parentItem() is None and item.isVisible() and not shown(item):
                item.setVisible(False)
                hidden.append(item)
    try:
        paint_scene(scene, painter, target, part.rect, QColor("#ffffff"))
    finally:
        for item in hidden:
            item.setVisible(True)


def _owned_by(items: frozenset[QGraphicsItem]) -> Callable[[QGraphicsItem], bool]:
    """The part's nodes, and the lines of the information sets (which may span parts)."""
    return lambda item: isinstance(item, JoinItem) or item in items


def _paint_overview(scene: TreeScene, parts: TreeParts, painter: QPainter, target: QRectF,
                    pixel: float) -> None:
    """The whole tree in `target` (its legend left out), each part framed and numbered;
    `pixel` is the size of a page pixel on the device."""
    _paint_part(scene, TreePart(parts.whole), painter, target,
                lambda item: isinstance(item, (NodeItem, JoinItem)))
    scale = target.width() / parts.whole.width()
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    font = QFont()
    font.setFamilies(list(_FONTS))
    font.setPixelSize(max(1, round(11 * pixel)))
    font.setBold(True)
    painter.setFont(font)
    accent = QColor(_ACCENT)
    for k, part in enumerate(parts.parts, 1):
        frame = QRectF(target.left() + (part.rect.left() - parts.whole.left()) * scale,
                       target.top() + (part.rect.top() - parts.whole.top()) * scale,
                       part.rect.width() * scale, part.rect.height() * scale)
        painter.setPen(QPen(accent, 1.5 * pixel))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(frame)
        tag = QRectF(frame.left(), frame.top(), 22 * pixel, 16 * pixel)
        painter.fillRect(tag, accent)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, str(k))
    painter.restore()


def _key(scene: TreeScene, width: float) -> QGraphicsScene:
    """The drawing's legend `width` wide, in a scene of its own: the parts leave it out."""
    key = QGraphicsScene()
    key.addItem(LegendItem(legend_groups(scene.snapshot.tree, scene.document), scene.theme,
                           width))
    return key


# ---- the charts ---------------------------------------------------------------------------
class _Charts:
    """The sections' charts, each a widget laid out once, in light colours whatever the
    app's palette."""

    def __init__(self, scene: TreeScene, sections: list[Section]):
        self.host = QWidget()
        self.host.setPalette(_light_palette())
        self.tree = scene.snapshot.tree
        self.widgets: dict[int, QWidget] = {}
        for figure in _figures(sections):
            if isinstance(figure, (OutcomesFigure, PlotFigure)):
                widget = self._make(figure)
                lay_out(widget, CHART_WIDTH, _chart_height(figure))
                self.widgets[id(figure)] = widget

    def _make(self, figure: OutcomesFigure | PlotFigure) -> QWidget:
        if isinstance(figure, OutcomesFigure):
            document = FrozenDocument(self.tree, figure.results, None)
            document.shown_player = figure.player
            return OutcomesPanel(document, self.host)
        run = figure.run
        plot = TornadoPlot(self.host) if run.kind.name == "tornado" else RiskProfilePlot(self.host)
        plot.set_result(run.flat, run.topic, run.result)
        return plot

    def close(self) -> None:
        self.host.deleteLater()


def _light_palette() -> QPalette:
    palette = QPalette(QApplication.style().standardPalette())
    for role, color in ((QPalette.ColorRole.Window, "#ffffff"),
                        (QPalette.ColorRole.Base, "#ffffff"),
                        (QPalette.ColorRole.AlternateBase, "#f4f5f7"),
                        (QPalette.ColorRole.Text, _TEXT),
                        (QPalette.ColorRole.WindowText, _TEXT),
                        (QPalette.ColorRole.Mid, "#a9afb6"),
                        (QPalette.ColorRole.PlaceholderText, _MUTED)):
        palette.setColor(role, QColor(color))
    return palette


def _chart_height(figure: OutcomesFigure | PlotFigure) -> int:
    if isinstance(figure, OutcomesFigure):
        rows = len(figure.results.flat.children(0))
        return max(300, min(720, 150 + 56 * rows))
    result = figure.run.result
    if figure.run.kind.name == "tornado":
        bars = min(len(result.bars), MAX_BARS)
        return max(360, ROW_PX * (bars + 1) + 60 + 190)
    return 620


def _figures(sections: Iterable[Section]) -> list[Block]:
    return [block for section in sections for block in section.blocks
            if isinstance(block, (TreeFigure, OutcomesFigure, PlotFigure))]


# ---- PDF ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Drawing:
    """A figure on a page: its size in page pixels (at 96 per inch), and how it is drawn
    into a rectangle of the device."""

    size: QSizeF
    paint: Callable[[QPainter, QRectF], None]


class _FigureObject(QPyTextObject):
    """Draws the document's images, which are all figures: `offramp:K`, the K-th drawing."""

    def __init__(self, drawings: list[_Drawing], parent: QTextDocument):
        super().__init__(parent)
        self.drawings = drawings

    def _drawing(self, form: QTextFormat) -> _Drawing:
        return self.drawings[int(form.toImageFormat().name().rpartition(":")[2])]

    def intrinsicSize(self, document: QTextDocument, position: int,  # noqa: N802
                      form: QTextFormat) -> QSizeF:
        return self._drawing(form).size * (_RESOLUTION / _PX)

    def drawObject(self, painter: QPainter, rect: QRectF, document: QTextDocument,  # noqa: N802
                   position: int, form: QTextFormat) -> None:
        self._drawing(form).paint(painter, rect)


def briefing_pdf(sections: list[Section], scene: TreeScene, provenance: Provenance,
                 page: str = "a4", landscape: bool = False) -> bytes:
    """The briefing as PDF pages, the footer on each."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(_RESOLUTION)
    writer.setTitle(sections[0].heading if sections else "Briefing")
    writer.setCreator(f"offramp {__version__}")
    orientation = QPageLayout.Orientation.Landscape if landscape else \
        QPageLayout.Orientation.Portrait
    writer.setPageLayout(QPageLayout(QPageSize(_PAPER[check_page(page)]), orientation,
                                     QMarginsF(0, 0, 0, 0)))
    sheet = QRectF(writer.pageLayout().fullRectPixels(_RESOLUTION))
    left, top, right, bottom = (m * _RESOLUTION / 72 for m in _MARGINS)
    body = sheet.adjusted(left, top, -right, -bottom)
    charts = _Charts(scene, sections)
    drawings: list[_Drawing] = []
    document = QTextDocument()
    try:
        document.documentLayout().setPaintDevice(writer)
        document.setDocumentMargin(0)
        document.setPageSize(body.size())
        document.setDefaultFont(_font(10))
        document.setDefaultStyleSheet(_QT_STYLE)
        handler = _FigureObject(drawings, document)
        document.documentLayout().registerHandler(QTextFormat.ObjectTypes.ImageObject, handler)
        page_px = QSizeF(body.width() * _PX / _RESOLUTION, body.height() * _PX / _RESOLUTION)
        document.setHtml(_qt_html(sections, scene, charts, drawings, page_px))
        _keep_headings_with_next(document)
        _paint_pages(document, writer, body, provenance)
    finally:
        charts.close()
    del document  # (laid out on the writer: gone first)
    del writer  # finishes the file
    return bytes(buffer.data())


def _paint_pages(document: QTextDocument, writer: QPdfWriter, body: QRectF,
                 provenance: Provenance) -> None:
    height = document.pageSize().height()
    count = document.pageCount()
    painter = QPainter(writer)
    try:
        for k in range(count):
            if k:
                writer.newPage()
            painter.save()
            painter.translate(body.left(), body.top() - k * height)
            clip = QRectF(0, k * height, body.width(), height)
            painter.setClipRect(clip)
            context = QAbstractTextDocumentLayout.PaintContext()
            context.clip = clip
            document.documentLayout().draw(painter, context)
            painter.restore()
            _paint_footer(painter, body, provenance, f"{k + 1} of {count}")
    finally:
        painter.end()


def _paint_footer(painter: QPainter, body: QRectF, provenance: Provenance, page: str) -> None:
    point = _RESOLUTION / 72
    rule = body.bottom() + 18 * point
    painter.setPen(QPen(QColor(_RULE), 0.6 * point))
    painter.drawLine(QPointF(body.left(), rule), QPointF(body.right(), rule))
    painter.setFont(_font(7.5))
    painter.setPen(QColor(_MUTED))
    line = QRectF(body.left(), rule + 4 * point, body.width(), 12 * point)
    number = f"Page {page}"
    metrics = painter.fontMetrics()
    # A long file name is shortened in its middle: the digest and the date stay whole.
    room = line.width() - metrics.horizontalAdvance(number + provenance.footer("")) \
        - 18 * point
    name = metrics.elidedText(provenance.file_name, Qt.TextElideMode.ElideMiddle,
                              max(0, round(room)))
    painter.drawText(line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                     provenance.footer(name))
    painter.drawText(line, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, number)


def _font(points: float) -> QFont:
    font = QFont()
    font.setFamilies(list(_FONTS))
    font.setPointSizeF(points)
    return font


def _keep_headings_with_next(document: QTextDocument) -> None:
    """Move a heading left last on its page to the next, with what it heads: Qt's own
    layout breaks pages anywhere."""
    height = document.pageSize().height()
    layout = document.documentLayout()
    for _ in range(50):  # (each move settles one heading; a briefing has a few)
        block = document.begin()
        while block.isValid():
            after = block.next()
            if block.blockFormat().headingLevel() and after.isValid():
                here = layout.blockBoundingRect(block).top()
                lines = after.layout()
                there = layout.blockBoundingRect(after).top() + (
                    lines.lineAt(0).y() if lines.lineCount() else 0.0)
                # (a line moved to the next page starts right at its top: a device
                # pixel past it, so that rounding cannot leave it on this one)
                if int(here // height) != int((there + 1) // height):
                    form = QTextBlockFormat()
                    form.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                    QTextCursor(block).mergeBlockFormat(form)
                    break
            block = after
        else:
            return


def _qt_html(sections: list[Section], scene: TreeScene, charts: _Charts,
             drawings: list[_Drawing], page: QSizeF) -> str:
    """The sections in the HTML Qt's text documents read, each figure an image that
    `_FigureObject` draws."""

    def image(size: QSizeF, paint: Paint, _alt: str = "") -> str:
        drawings.append(_Drawing(size, paint))
        return f'<p class="figure" align="center"><img src="offramp:{len(drawings) - 1}"></p>'

    markup = _Markup(image, lambda text: _p(text, NOTE), lambda text: (
        f'<p class="caption" style="page-break-before: always">{_escape(text)}</p>'))

    out = []
    for n, section in enumerate(sections):
        breaking = ' style="page-break-before: always"' if n and section.new_page else ""
        if section.level == 1:
            out.append('<p class="kicker">DECISION BRIEFING</p>')
        tag = "h1" if section.level == 1 else "h2"
        out.append(f"<{tag}{breaking}>{_escape(section.heading)}</{tag}>")
        for block in section.blocks:
            if isinstance(block, TreeFigure):
                out.append(_tree_figure(scene, page, block.alt, markup))
            elif isinstance(block, (OutcomesFigure, PlotFigure)):
                widget = charts.widgets[id(block)]
                fit = min(1.0, page.width() / widget.width(),
                          (page.height() - _HEADING_ROOM) / widget.height())
                out.append(image(QSizeF(widget.width() * fit, widget.height() * fit),
                                 lambda painter, rect, w=widget: paint_widget(w, painter, rect)))
            else:
                out.append(_text_html(block, qt=True))
    return "<html><body>" + "".join(out) + "</body></html>"


Paint = Callable[[QPainter, QRectF], None]


@dataclass(frozen=True)
class _Markup:
    """How one output writes what the tree's figure is made of."""

    image: Callable[[QSizeF, Paint, str], str]  # size in page pixels, painter, words
    note: Callable[[str], str]
    part: Callable[[str], str]  # the caption of a part, which starts a page on paper


def _tree_figure(scene: TreeScene, page: QSizeF, alt: str, markup: _Markup) -> str:
    """The tree fitted to the page under its heading, or an overview there (with the
    legend at the parts' size) and each part after it, on a page of its own on paper."""
    parts = tree_parts(scene, page.width(), page.height() - _CAPTION_ROOM,
                       page.height() - _HEADING_ROOM)
    folded = _folded_note(scene, markup)
    if not parts.split:
        return folded + markup.image(
            parts.whole.size() * parts.scale,
            lambda painter, rect: paint_scene(scene, painter, rect, parts.whole,
                                              QColor("#ffffff")), alt)
    key = _key(scene, page.width() / parts.scale)
    key_rect = key.itemsBoundingRect()
    key_size = key_rect.size() * parts.scale
    overview = min(page.width() / parts.whole.width(),
                   (page.height() - _HEADING_ROOM - 40 - key_size.height())
                   / parts.whole.height())
    size = parts.whole.size() * overview
    count = len(parts.parts)
    out = [folded, markup.note(
        f"At a readable size the tree would take {parts.too_many:,} pages: fold branches"
        " to print it, or export it as an image (File > Export Image…, or offramp export)"
        " to read it whole." if parts.too_many else
        f"The tree is shown in {count} parts at a readable size after this overview; the"
        " numbered frames show where each part lies."),
        markup.image(size, lambda painter, rect: _paint_overview(
            scene, parts, painter, rect, rect.width() / size.width()),
            f"{alt}: the whole tree, small, each part framed"),
        markup.image(key_size, lambda painter, rect: paint_scene(key, painter, rect, key_rect),
                     "The legend of the tree")]
    for k, part in enumerate(parts.parts, 1):
        out.append(markup.part(f"The tree, part {k} of {count}"))
        fit = parts.scale * min(1.0, page.width() / (part.rect.width() * parts.scale),
                                (page.height() - _CAPTION_ROOM)
                                / (part.rect.height() * parts.scale))
        out.append(markup.image(part.rect.size() * fit, lambda painter, rect, part=part:
                                _paint_part(scene, part, painter, rect),
                                f"{alt}: part {k} of {count}"))
    return "".join(out)


def _folded_note(scene: TreeScene, markup: _Markup) -> str:
    """What a tree too large to draw whole shows, said above it (or nothing)."""
    folded = getattr(scene, "folded_to", None)
    if folded is None:
        return ""
    levels, count = folded
    total = scene.snapshot.results.flat.size
    return markup.note(
        f"The tree has {total:,} nodes: drawn here to {levels} level{'s' if levels != 1 else ''}"
        f" below the root ({count:,} nodes), as more would not read on paper. Fold branches"
        " in the app to choose what is drawn, or export a branch as an image (File > Export"
        " Image…, or offramp export --node) to print the rest.")


_QT_STYLE = f"""
h1 {{ font-size: 22pt; font-weight: 600; color: {_TEXT}; margin-top: 0px; margin-bottom: 12px; }}
h2 {{ font-size: 14pt; font-weight: 600; color: {_TEXT}; margin-top: 22px;
      margin-bottom: 8px; }}
p {{ margin-top: 0px; margin-bottom: 8px; line-height: 135%; color: {_TEXT}; }}
p.kicker {{ font-size: 8pt; font-weight: 600; color: {_ACCENT}; margin-bottom: 4px; }}
p.note {{ font-size: 8.5pt; color: {_MUTED}; }}
p.lead {{ font-weight: 600; margin-top: 10px; margin-bottom: 4px; }}
p.figure {{ line-height: 100%; margin-bottom: 6px; }}
p.caption {{ font-size: 9pt; font-weight: 600; color: {_MUTED}; }}
li {{ margin-bottom: 4px; line-height: 135%; }}
table {{ font-size: 8.5pt; }}
th {{ font-weight: 600; color: {_TEXT}; border-top: 1.5px solid {_TEXT};
      border-bottom: 1px solid {_TEXT}; }}
td {{ color: {_TEXT}; border-bottom: 0.75px solid {_RULE}; }}
"""


# ---- the blocks of text, in either HTML ---------------------------------------------------
def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def _p(text: str, style: str) -> str:
    return f'<p class="{style}">{_escape(text)}</p>'


def _text_html(block: Block, qt: bool) -> str:
    if isinstance(block, Paragraph):
        return _p(block.text, block.style)
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{_escape(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Table):
        return _table_html(block, qt)
    raise TypeError(f"not a block of text: {type(block).__name__}")


def _table_html(table: Table, qt: bool) -> str:
    numeric = table.numeric or (False,) * len(table.header)
    attributes = ' width="100%" cellspacing="0" cellpadding="5" style="border-collapse:' \
        ' collapse"' if qt else ""

    def cells(row: tuple[str, ...], tag: str) -> str:
        return "".join(f'<{tag}{_align(number, qt)}>{_escape(text)}</{tag}>'
                       for text, number in zip(row, numeric))

    head = f"<thead><tr>{cells(table.header, 'th')}</tr></thead>"
    body = "".join(f"<tr>{cells(row, 'td')}</tr>" for row in table.rows)
    return f"<table{attributes}>{head}<tbody>{body}</tbody></table>"


def _align(number: bool, qt: bool) -> str:
    if qt:
        return ' align="right"' if number else ' align="left"'
    return ' class="num"' if number else ""


# ---- HTML ---------------------------------------------------------------------------------
def briefing_html(sections: list[Section], scene: TreeScene, provenance: Provenance,
                  page: str = "a4", landscape: bool = False) -> bytes:
    """The briefing as one HTML file: styles in it, figures as data: URIs, no script."""
    charts = _Charts(scene, sections)
    markup = _Markup(lambda size, paint, alt: _html_image(_drawn_png(size, paint), size, alt),
                     lambda text: _p(text, NOTE),
                     lambda text: f'<h3 class="part">{_escape(text)}</h3>')
    try:
        body = []
        for section in sections:
            tag = "h1" if section.level == 1 else "h2"
            classes = "section" + (" page" if section.new_page else "")
            body.append(f'<section class="{classes}" id="{_escape(section.key)}">')
            if section.level == 1:
                body.append('<p class="kicker">Decision briefing</p>')
            body.append(f"<{tag}>{_escape(section.heading)}</{tag}>")
            for block in section.blocks:
                if isinstance(block, TreeFigure):
                    body.append(_tree_figure(scene, QSizeF(HTML_WIDTH, HTML_PAGE_HEIGHT),
                                             block.alt, markup))
                elif isinstance(block, (OutcomesFigure, PlotFigure)):
                    widget = charts.widgets[id(block)]
                    data = widget_png(widget, widget.width(), widget.height(), ratio=2)
                    body.append(_html_image(data, QSizeF(widget.size()), block.alt))
                else:
                    body.append(_text_html(block, qt=False))
            body.append("</section>")
    finally:
        charts.close()
    title = _escape(sections[0].heading if sections else "Briefing")
    size = f"{'A4' if check_page(page) == 'a4' else 'letter'}" \
           f" {'landscape' if landscape else 'portrait'}"
    text = (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="generator" content="offramp {_escape(__version__)}">\n'
            f"<title>{title}</title>\n<style>{_HTML_STYLE.replace('PAGE_SIZE', size)}"
            f"</style>\n</head>\n<body>\n<main>\n" + "\n".join(body)
            + f'\n<footer>{_escape(provenance.footer())}</footer>\n</main>\n</body>\n</html>\n')
    return text.encode("utf-8")


def _drawn_png(size: QSizeF, paint: Paint) -> bytes:
    """A figure drawn at twice its size in pixels, sharp on a high-density screen."""
    image = QImage(max(1, round(2 * size.width())), max(1, round(2 * size.height())),
                   QImage.Format.Format_RGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    try:
        paint(painter, QRectF(0, 0, image.width(), image.height()))
    finally:
        painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise ValueError("the image could not be encoded as PNG")
    return bytes(buffer.data())


def _html_image(png: bytes, size: QSizeF, alt: str) -> str:
    source = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return (f'<figure><img src="{source}" width="{round(size.width())}"'
            f' height="{round(size.height())}" alt="{_escape(alt)}"></figure>')


_HTML_STYLE = f"""
@page {{ size: PAGE_SIZE; margin: 16mm 18mm 18mm; }}
:root {{ color-scheme: light; }}
* {{ box-sizing: border-box; }}
body {{ margin: 0; background: #ffffff; color: {_TEXT};
  font: 16px/1.55 "Source Sans 3", "Segoe UI", "Helvetica Neue", Helvetica, Arial,
    "Liberation Sans", sans-serif; -webkit-font-smoothing: antialiased; }}
main {{ max-width: {HTML_WIDTH + 64}px; margin: 0 auto; padding: 56px 32px 40px; }}
.kicker {{ margin: 0 0 6px; color: {_ACCENT}; font-size: 12px; font-weight: 700;
  letter-spacing: 0.12em; text-transform: uppercase; }}
h1 {{ margin: 0 0 18px; font-size: 34px; line-height: 1.15; font-weight: 700;
  letter-spacing: -0.01em; }}
h2 {{ margin: 0 0 12px; padding-top: 14px; border-top: 2px solid {_TEXT}; font-size: 21px;
  line-height: 1.25; font-weight: 700; }}
section {{ margin: 0 0 44px; }}
section#title p {{ font-size: 17px; }}
p {{ margin: 0 0 12px; max-width: 46em; }}
p.note {{ color: {_MUTED}; font-size: 14px; }}
p.lead {{ font-weight: 600; margin: 18px 0 4px; }}
ul {{ margin: 0 0 12px; padding-left: 22px; }}
li {{ margin: 0 0 4px; }}
figure {{ margin: 8px 0 16px; }}
figure img {{ display: block; max-width: 100%; height: auto; }}
h3.part {{ margin: 28px 0 6px; font-size: 15px; font-weight: 700; color: {_MUTED}; }}
table {{ width: 100%; border-collapse: collapse; margin: 4px 0 14px; font-size: 14px;
  line-height: 1.4; }}
th {{ text-align: left; font-weight: 700; padding: 7px 10px 7px 0;
  border-top: 2px solid {_TEXT}; border-bottom: 1px solid {_TEXT}; vertical-align: bottom; }}
td {{ padding: 7px 10px 7px 0; border-bottom: 1px solid {_RULE}; vertical-align: top; }}
td:first-child {{ font-weight: 600; white-space: nowrap; }}
.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
footer {{ margin-top: 48px; padding-top: 10px; border-top: 1px solid {_RULE}; color: {_MUTED};
  font-size: 13px; }}
@media print {{
  main {{ max-width: none; padding: 0; }}
  section.page {{ break-before: page; }}
  h2 {{ break-after: avoid; }}
  figure, tr {{ break-inside: avoid; }}
  h3.part {{ break-before: page; }}
}}
"""
