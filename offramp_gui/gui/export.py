"""Export the tree drawing as PNG, SVG or PDF: one render function, thin format wrappers.

pyqtgraph's exporters are not used (its SVGExporter fails on PySide6 6.12, pyqtgraph #3485):
the scene is painted straight into a QImage, a QSvgGenerator or a QPdfWriter. Every
file is rendered in memory first and then written atomically, so a failed export
never leaves half a file behind.
"""
from __future__ import annotations

import codecs
import dataclasses
import math
import os
import struct
import zlib
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QObject,
    QRectF,
    QSizeF,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPdfWriter,
)
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsScene, QGraphicsSimpleTextItem

from ..analysis.evaluate import Results, evaluate_tree
from ..analysis.flatten import FlatTree as EngineTree
from ..fileformat.atomic import check_writable, write_atomic
from ..model.tree import Node, Tree
from .export_legend import LegendItem, legend_groups
from .scene.theme import Theme
from .scene.tree_scene import TreeScene
from .text import shown, xml_text

FORMATS = (".png", ".svg", ".pdf")
MARGIN = 24.0
MIN_SCALE, MAX_SCALE = 1, 4
#: Pixel sizes, so that text keeps its size on devices of any resolution.
FONT_PX, SMALL_FONT_PX, TITLE_FONT_PX = 13, 11, 20
#: The largest PNG: 1 GB once decoded, and no side longer than libpng (which most
#: programs read PNG with) accepts unless told to.
_MAX_SIDE = 1_000_000
_MAX_PIXELS = 250_000_000
_BAND_PIXELS = 4_000_000  # drawn at a time: 16 MB, however large the image
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_XML_PIECE = 1 << 22  # bytes of an SVG checked at a time
_POINTS_PER_PX = 72 / 96
_PDF_MAX_POINTS = 14_400.0  # PDF readers refuse pages larger than 200 inches
#: PDF pages: the drawing's own size, or paper with the drawing fitted to it.
PAGES = ("natural", "a4", "letter")
_PAPER = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
_PAPER_MARGIN_POINTS = 36.0  # half an inch


# ---- one render function ------------------------------------------------------------
def render(scene: QGraphicsScene, target_rect: QRectF, device: QPaintDevice,
           source_rect: QRectF | None = None, background: QColor | None = None) -> None:
    """Paint `source_rect` of the scene (its items and a margin) into `target_rect`.

    The scene's own background brush is left out: `background` fills the target
    instead, or nothing does (a transparent PNG).
    """
    painter = QPainter(device)
    try:
        paint_scene(scene, painter, target_rect, source_rect, background)
    finally:
        painter.end()


def paint_scene(scene: QGraphicsScene, painter: QPainter, target_rect: QRectF,
                source_rect: QRectF | None = None, background: QColor | None = None) -> None:
    """`render` with a painter already open: a page of a longer document (a briefing)."""
    source = source_rect if source_rect is not None else export_rect(scene)
    saved = scene.backgroundBrush()
    scene.setBackgroundBrush(Qt.BrushStyle.NoBrush)
    painter.save()
    try:
        painter.setRenderHints(QPainter.RenderHint.Antialiasing
                               | QPainter.RenderHint.TextAntialiasing
                               | QPainter.RenderHint.SmoothPixmapTransform)
        if background is not None:
            painter.fillRect(target_rect, background)
        scene.render(painter, target_rect, source, Qt.AspectRatioMode.KeepAspectRatio)
    finally:
        painter.restore()
        scene.setBackgroundBrush(saved)


def export_rect(scene: QGraphicsScene) -> QRectF:
    """The items' bounds plus a margin, grown to whole pixels."""
    rect = scene.itemsBoundingRect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
    return QRectF(math.floor(rect.x()), math.floor(rect.y()),
                  max(1, math.ceil(rect.width())), max(1, math.ceil(rect.height())))


def _background(scene: QGraphicsScene) -> QColor:
    theme = getattr(scene, "theme", None)
    return QColor(theme.background) if theme is not None else QColor("#ffffff")


# ---- the three formats, in memory -----------------------------------------------------
def png_bytes(scene: QGraphicsScene, scale: float = 1, transparent: bool = False) -> bytes:
    """The drawing as a PNG, drawn and compressed a band of rows at a time: memory stays
    small whatever the image's size, and each band is compressed on a worker thread while
    the next one is drawn."""
    source = export_rect(scene)
    scale = check_scale(scale)
    width = max(1, math.floor(source.width() * scale))
    height = max(1, math.floor(source.height() * scale))
    check_png_size(width, height, source)
    rows = max(1, min(height, _BAND_PIXELS // width))
    drawn = (QImage.Format.Format_ARGB32_Premultiplied if transparent
             else QImage.Format.Format_RGB32)
    # A PNG's bytes: alpha not premultiplied, red first.
    stored = QImage.Format.Format_RGBA8888 if transparent else QImage.Format.Format_RGB888
    channels = 4 if transparent else 3
    # zlib's quick setting: a diagram, mostly blank, still compresses well, in a third of
    # the time of the default.
    compressor = zlib.compressobj(1)

    def compressed(band: QImage, count: int) -> bytes:
        pixels = band.convertToFormat(stored)
        lines = np.empty((count, 1 + width * channels), np.uint8)
        lines[:, 0] = 0  # each line's filter: none
        lines[:, 1:] = np.frombuffer(pixels.constBits(), np.uint8).reshape(
            rows, pixels.bytesPerLine())[:count, :width * channels]
        return compressor.compress(lines)

    chunks = [_PNG_SIGNATURE,
              _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8,
                                               6 if transparent else 2, 0, 0, 0)),
              _png_chunk(b"pHYs", struct.pack(">IIB", *[round(96 * scale / 0.0254)] * 2, 1))]
    background = None if transparent else _background(scene)
    pending: deque[Future[bytes]] = deque()
    # Each band is converted and compressed on the worker while the next one is drawn.
    with ThreadPoolExecutor(max_workers=1) as worker:  # one worker: compressed in order
        for top in range(0, height, rows):
            count = min(rows, height - top)
            band = QImage(width, rows, drawn)
            if band.isNull():
                raise ValueError("there is not enough memory to draw the image")
            if transparent:  # render() paints the background of an opaque one
                band.fill(Qt.GlobalColor.transparent)
            render(scene, QRectF(0, 0, width, count), band,
                   QRectF(source.x(), source.y() + top / scale, width / scale, count / scale),
                   background)
            pending.append(worker.submit(compressed, band, count))
            if len(pending) > 2:  # at most three bands in memory at once
                chunks.append(_png_chunk(b"IDAT", pending.popleft().result()))
        pending.append(worker.submit(compressor.flush))
        chunks.extend(_png_chunk(b"IDAT", done.result()) for done in pending)
    chunks.append(_png_chunk(b"IEND", b""))
    return b"".join(chunks)


def check_png_size(width: int, height: int, source: QRectF) -> None:
    """Refuse an image larger than image viewers and editors open."""
    if width <= _MAX_SIDE and height <= _MAX_SIDE and width * height <= _MAX_PIXELS:
        return
    largest = math.floor(_largest_png_scale(source) * 10) / 10
    smaller = f", a scale of at most {largest:g}" if largest >= MIN_SCALE else ""
    raise ValueError(f"the PNG would be {width:,} by {height:,} pixels, more than the"
                     f" {_MAX_PIXELS // 1_000_000} million pixels ({_MAX_SIDE:,} along a"
                     f" side) an image may have; export to PDF or SVG{smaller}, or export"
                     " one branch")


def _largest_png_scale(source: QRectF) -> float:
    return min(_MAX_SIDE / max(source.width(), source.height()),
               math.sqrt(_MAX_PIXELS / (source.width() * source.height())))


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind))))


def svg_bytes(scene: QGraphicsScene, title: str = "") -> bytes:
    source = export_rect(scene)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(source.size().toSize())
    generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
    generator.setResolution(96)
    generator.setTitle(shown(title, 500))
    generator.setDescription("Drawn by offramp")
    render(scene, QRectF(0, 0, source.width(), source.height()), generator, source,
           _background(scene))
    return _xml_document(buffer.data())


def _xml_document(data: QByteArray) -> bytes:
    """`xml_document`, reading a piece at a time: a large tree's SVG (a quarter of a
    gigabyte at 100,000 nodes) is held twice at most, not five times."""
    view = memoryview(data)  # type: ignore[arg-type]  # a QByteArray is a buffer
    checker = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        for start in range(0, len(view), _XML_PIECE):
            text = checker.decode(view[start:start + _XML_PIECE])
            if xml_text(text) != text:
                break
        else:
            checker.decode(b"", final=True)
            return bytes(view)  # as Qt wrote it: the usual case
    except UnicodeDecodeError:
        pass
    replacer = codecs.getincrementaldecoder("utf-8")("replace")
    return b"".join([xml_text(replacer.decode(view[start:start + _XML_PIECE]))
                     .encode("utf-8") for start in range(0, len(view), _XML_PIECE)]
                    + [xml_text(replacer.decode(b"", final=True)).encode("utf-8")])


def pdf_bytes(scene: QGraphicsScene, title: str = "", page: str = "natural",
              landscape: bool = False) -> bytes:
    """One page: the size of the drawing ("natural"), or A4 or Letter with the drawing
    shrunk to fit within its margins (never enlarged) and centred."""
    source = export_rect(scene)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(xml_text(shown(title, 500)))  # the PDF's metadata is XML too
    writer.setCreator("offramp")
    if check_page(page) == "natural":
        # The size of the drawing, shrunk only if PDF readers would refuse it.
        fit = min(1.0, _PDF_MAX_POINTS / (max(source.width(), source.height())
                                          * _POINTS_PER_PX))
        size = QPageSize(QSizeF(source.width() * fit * _POINTS_PER_PX,
                                source.height() * fit * _POINTS_PER_PX),
                         QPageSize.Unit.Point, "offramp", QPageSize.SizeMatchPolicy.ExactMatch)
        writer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Portrait,
                                         QMarginsF(0, 0, 0, 0)))
    else:
        orientation = (QPageLayout.Orientation.Landscape if landscape
                       else QPageLayout.Orientation.Portrait)
        margin = _PAPER_MARGIN_POINTS
        writer.setPageLayout(QPageLayout(QPageSize(_PAPER[page]), orientation,
                                         QMarginsF(margin, margin, margin, margin)))
        area = writer.pageLayout().paintRectPixels(96)
        fit = min(1.0, area.width() / source.width(), area.height() / source.height())
    # Shrunk, the drawing goes on a finer grid rather than being scaled down, so the
    # nodes draw every label (at a small scale they would leave them out, as on screen).
    resolution = math.ceil(96 / fit)
    writer.setResolution(resolution)
    area = writer.pageLayout().paintRectPixels(resolution)  # painting starts at its corner
    width, height = (source.width() * fit * resolution / 96,
                     source.height() * fit * resolution / 96)
    target = QRectF(max(0.0, (area.width() - width) / 2),
                    max(0.0, (area.height() - height) / 2), width, height)
    render(scene, target, writer, source, _background(scene))
    del writer  # finishes the document
    return bytes(buffer.data())


def check_page(page: str) -> str:
    if page not in PAGES:
        raise ValueError(f"the page must be one of {', '.join(PAGES)}, not {page}")
    return page


# ---- thin file wrappers -------------------------------------------------------------------
def save_png(path: str | os.PathLike, scene: QGraphicsScene, scale: float = 1,
             transparent: bool = False) -> None:
    check_target(path, ".png")
    write_atomic(path, png_bytes(scene, scale, transparent), backup=False)


def save_svg(path: str | os.PathLike, scene: QGraphicsScene, title: str = "") -> None:
    check_target(path, ".svg")
    write_atomic(path, svg_bytes(scene, title), backup=False)


def save_pdf(path: str | os.PathLike, scene: QGraphicsScene, title: str = "",
             page: str = "natural", landscape: bool = False) -> None:
    check_target(path, ".pdf")
    write_atomic(path, pdf_bytes(scene, title, page, landscape), backup=False)


def check_scale(scale: float) -> float:
    if not isinstance(scale, (int, float)) or not MIN_SCALE <= scale <= MAX_SCALE:
        raise ValueError(f"the scale must be between {MIN_SCALE} and {MAX_SCALE}, not {scale}")
    return float(scale)


def check_target(path: str | os.PathLike, suffix: str | None = None) -> str:
    """The format of `path` (".png", ".svg" or ".pdf"); refuse a path we cannot write."""
    target = Path(path)
    kind = target.suffix.lower()
    if kind not in FORMATS:
        raise ValueError(f"cannot export to {target.name or target}: the file name must end"
                         " in .png, .svg or .pdf")
    if suffix is not None and kind != suffix:
        raise ValueError(f"cannot write {suffix[1:].upper()} to {target.name}: the file name"
                         f" must end in {suffix}")
    check_writable(target)
    return kind


# ---- the tree, off screen -----------------------------------------------------------------
class FrozenDocument(QObject):
    """What TreeScene reads from a document, frozen: a copy of the tree and its results.

    `hidden_below`: the copy's folded nodes whose descendants were left out of it, with
    how many they hide."""

    #: Never emitted: a snapshot does not change. TreeScene connects to them.
    tree_changed = Signal(object)
    document_reset = Signal()
    results_ready = Signal(object)
    selection_changed = Signal(object)
    display_changed = Signal()

    def __init__(self, tree: Tree, results: Results, source: object,
                 hidden_below: dict[str, int] | None = None):
        super().__init__()
        self.tree = tree
        self.results = results
        self.hidden_below = hidden_below
        self.selected_id = None
        self.selected_ids: tuple[str, ...] = ()
        self.edit = None
        self.shown_player = getattr(source, "shown_player", 0)
        self.shown_criterion = getattr(source, "shown_criterion", None)
        self.show_reach = getattr(source, "show_reach", False)
        self.show_formulas = getattr(source, "show_formulas", False)
        self.show_certainty = getattr(source, "show_certainty", False)


def export_theme() -> Theme:
    """Black on white, with text sized in pixels so every format draws it alike, and
    every label whole."""
    theme = Theme.light()
    font, small = QFont(theme.font), QFont(theme.small_font)
    font.setPixelSize(FONT_PX)
    small.setPixelSize(SMALL_FONT_PX)
    return dataclasses.replace(theme, font=font, small_font=small, whole_labels=True)


def build_scene(source: Tree | object, node_id: str | None = None,
                expanded: bool = False, titled: bool = True,
                results: Results | None = None, most: int | None = None) -> TreeScene:
    """An off-screen scene of the tree, or of the branch under `node_id`, titled (unless
    a page around it has the title), with a legend.

    Draws a copy of the nodes it shows, and only of those: the user's tree (and what it
    has folded) is never touched, and a folded branch of a million nodes costs no more
    than a leaf. The numbers are the whole tree's, so a branch shows the values it has
    in context: `results` when given (a briefing shows the numbers its tables and charts
    show), else a document's own (brought up to date), else the tree evaluated. `most`:
    the copy is folded below the deepest level at which no more than this many nodes
    show, and the scene's `folded_to` says how many levels and nodes show (None when
    none was folded).
    """
    tree: Tree = source if isinstance(source, Tree) else source.tree  # type: ignore[attr-defined]
    if node_id is not None and node_id not in tree:
        raise ValueError(f'there is no node with the id "{shown(node_id, 80)}" in this tree')
    if results is None and not isinstance(source, Tree):
        recompute = getattr(source, "recompute", None)
        if recompute is not None:  # (an edit just made has its results a moment later)
            recompute()
        results = getattr(source, "results", None)
    if results is None:
        results = evaluate_tree(tree)
    top = tree.root if node_id is None else tree.node(node_id)
    copy, hidden_below, folded_to = drawn_copy(top, results.flat, expanded, most)
    drawn = _tree_like(tree, copy)
    document = FrozenDocument(drawn, results, source, hidden_below)
    scene = TreeScene(document, export_theme(), label_lines=None)  # a page shows it all
    scene.snapshot = document  # keep it alive as long as the scene
    scene.folded_to = folded_to
    _drop_fold_boxes(scene)
    _decorate(scene, drawn, None if top is tree.root else copy, titled)
    return scene


def drawn_copy(top: Node, flat: EngineTree, expanded: bool = False, most: int | None = None
               ) -> tuple[Node, dict[str, int], tuple[int, int] | None]:
    """A copy of the nodes under `top` that a drawing shows, `top` open; the copy's
    folded nodes left without their children. Returns the copy, how many nodes each
    such fold hides (by id; `flat` is the whole tree's arrays) and, with `most`, the
    levels and nodes shown when more would have shown (`model.layout.fold_to_fit`)."""
    def opens(node: Node) -> bool:
        return bool(node.children) and (node is top or expanded or not node.collapsed)

    levels, count, folded_to = [[top]], 1, None
    while True:
        below = [child for node in levels[-1] if opens(node) for child in node.children]
        if not below:
            break
        if most is not None and count + len(below) > most:
            folded_to = (len(levels) - 1, count)
            break
        levels.append(below)
        count += len(below)
    copied_top = top._copy_alone()
    pairs, folds = [(top, copied_top)], []
    for depth in range(len(levels)):
        below_pairs: list[tuple[Node, Node]] = []
        for node, copied in pairs:
            if depth < len(levels) - 1 and opens(node):
                copied.collapsed = None
                copied.children = [child._copy_alone() for child in node.children]
                below_pairs += zip(node.children, copied.children)
            elif node.children:
                copied.collapsed = True
                folds.append(node)
        pairs = below_pairs
    sizes = _subtree_sizes(flat) if folds else None
    hidden_below = {node.id: int(sizes[flat.index[node.id]]) - 1 for node in folds} \
        if sizes is not None else {}
    return copied_top, hidden_below, folded_to


def _subtree_sizes(flat: EngineTree) -> np.ndarray:
    """How many nodes each node's subtree holds, itself included."""
    size = np.ones(flat.size, np.int64)
    for (above, _end), (start, end) in reversed(list(zip(flat.levels, flat.levels[1:]))):
        parents = flat.parent[start:end] - above
        size[above:start] += np.bincount(parents, weights=size[start:end],
                                          minlength=start - above).astype(np.int64)
    return size


def _drop_fold_boxes(scene: TreeScene) -> None:
    """A page cannot be clicked: keep the box only where it marks a folded branch."""
    for node_id in scene.node_ids():
        item = scene.item_for_node(node_id)
        if item is not None and item.look.foldable and not item.look.folded:
            item.set_look(dataclasses.replace(item.look, foldable=False))


def _tree_like(settings: Tree, root: Node) -> Tree:
    tree = Tree(root, settings.title)
    tree.copy_settings_from(settings)
    return tree


def _decorate(scene: TreeScene, tree: Tree, branch: Node | None, titled: bool = True) -> None:
    """Put the title above the drawing and the legend below it."""
    theme = scene.theme
    drawing = scene.itemsBoundingRect()
    heading = QFont(theme.font)
    heading.setPixelSize(TITLE_FONT_PX)
    heading.setBold(True)
    lines = [(shown(tree.title, 300) or "Untitled tree", heading, theme.text)] if titled \
        else []
    if branch is not None:
        what = branch.branch or branch.name or branch.id
        lines.append((f"Branch: {shown(what, 300)}", theme.font, theme.muted))
    y = drawing.top() - 14
    for text, font, color in reversed(lines):
        item = QGraphicsSimpleTextItem(text)
        item.setFont(font)
        item.setBrush(color)
        y -= item.boundingRect().height()
        item.setPos(drawing.left(), y)
        scene.addItem(item)
    width = max(drawing.width(), 480.0)
    legend = LegendItem(legend_groups(tree, scene.document), theme, width)
    legend.setPos(drawing.left(), drawing.bottom() + 18)
    scene.addItem(legend)


def export_tree(source: Tree | object, path: str | os.PathLike, node_id: str | None = None,
                scale: float = 1, transparent: bool = False, expanded: bool = False,
                page: str = "natural", landscape: bool = False) -> None:
    """Draw a tree (or a DocumentController's tree as shown) to PNG, SVG or PDF by extension;
    a PDF's `page` is one of PAGES, `landscape` when on paper.

    Raises ValueError (unknown format, node or scale) or SaveError (a folder that does
    not exist or cannot be written) before anything is drawn; nothing is written then.
    """
    kind = check_target(path)
    if kind == ".png":
        check_scale(scale)
    check_page(page)
    scene = build_scene(source, node_id, expanded)
    title = scene.document.tree.title
    try:
        if kind == ".png":
            save_png(path, scene, scale, transparent)
        elif kind == ".svg":
            save_svg(path, scene, title)
        else:
            save_pdf(path, scene, title, page, landscape)
    finally:
        scene.clear()
