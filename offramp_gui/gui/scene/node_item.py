"""NodeItem: one node's symbol, the branch leading into it, and its numbers.

Holds only the node's id and what it draws; it never touches the model. The scene
sets its look from the model; its numbers come from the scene's Readout when it
paints, so new results cost only the items on screen.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from .readout import NOTHING, Reading
from .theme import (
    LABEL_WIDTH,
    OVERVIEW_LEFT_PX,
    OVERVIEW_PX,
    OVERVIEW_RIGHT_PX,
    PROBLEM_COLOR,
    ROW_HEIGHT,
    SYMBOL,
    TEXT_GAP,
    Theme,
    readable,
)

HALF = SYMBOL / 2
FOLD_BOX = 14.0  # at least 12 px at 100%, to hit it easily
#: Lines of a branch label the overview writes at most; the tooltip has all of it.
MAX_OVERVIEW_LINES = 5
_TEXT_GAP = TEXT_GAP
#: How wide the template's name above a use or a master may be.
_MARK_WIDTH = 120
#: The least room between the numbers under a branch and the node's name beside them.
NAME_GAP = 12.0


@dataclass
class NodeLook:
    """What a NodeItem draws from the model; the scene fills it in."""

    kind: str = "terminal"  # decision, assumed, chance, terminal
    color: QColor = field(default_factory=lambda: QColor("#888888"))
    name: str = ""
    branch: str = ""
    #: The branch label as drawn, wrapped to its column (the last line is the lowest).
    branch_lines: tuple[str, ...] = ()
    #: Room for a line of payoff formulas under the numbers.
    formula_line: bool = False
    outcome: str = ""
    parent_offset: QPointF | None = None
    from_decision: bool = False  # the branch is an alternative of a decision
    foldable: bool = False
    folded: bool = False
    hidden: int = 0
    #: The template this node is a use ("use") or the master ("master") of, and its name.
    template_role: str = ""
    template: str = ""
    #: With whole labels (`Theme.whole_labels`): the node's own name in lines under its
    #: numbers when they leave it no room beside them (else none), or the root's on its
    #: left; and the template mark's lines, under the name (else it is above the symbol).
    name_lines: tuple[str, ...] = ()
    mark_lines: tuple[str, ...] = ()


def mark_words(role: str, template: str) -> str:
    """What marks a use ("use") or the master ("master") of the template named."""
    # (words, not symbols: the usual fonts have no glyph for a link or a diamond)
    return f"use of {template}" if role == "use" else f"template {template}"


@dataclass(frozen=True)
class OverviewText:
    """One line a view zoomed out too far for the drawing's texts writes instead, in
    pixels on screen from the node's centre."""

    rect: QRectF
    text: str
    font: QFont
    color: QColor
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft


class NodeItem(QGraphicsItem):
    def __init__(self, node_id: str, theme: Theme):
        super().__init__()
        self.node_id = node_id
        self.theme = theme
        self.look = NodeLook()
        self.selected = False
        self._bounds: QRectF | None = None
        self._drawing: QRectF | None = None  # the bounds at a zoom its texts are read at
        #: The overview's texts for one zoom and one set of results, and the branch's
        #: line for the look: painting asks for them at every frame.
        self._overview: tuple[float, object, list[OverviewText]] | None = None
        self._branch: QPolygonF | None = None
        self.setAcceptHoverEvents(False)
        self.setCacheMode(QGraphicsItem.CacheMode.NoCache)

    # ---- data -----------------------------------------------------------------------
    def set_look(self, look: NodeLook) -> None:
        if look != self.look:
            self.prepareGeometryChange()
            self.look = look
            self._forget()
            self.update()

    def rebind(self, node_id: str) -> None:
        """Stand for another node (items are reused as the view moves)."""
        self.prepareGeometryChange()
        self.node_id = node_id
        self.look = NodeLook()
        self._forget()
        self.selected = False

    def set_theme(self, theme: Theme) -> None:
        self.prepareGeometryChange()  # the fonts may differ: so may the bounds
        self.theme = theme
        self._forget()
        self.update()

    def numbers_changed(self) -> None:
        """New numbers, with whole labels: the texts right of an ending and left of the
        root may take other room."""
        self.prepareGeometryChange()
        self._forget()

    def _forget(self) -> None:
        """What was worked out from the look, the theme or the layout no longer holds."""
        self._bounds = self._drawing = self._overview = self._branch = None

    def set_selected(self, selected: bool) -> None:
        if selected != self.selected:
            self.selected = selected
            self.update()

    def reading(self) -> Reading:
        """This node's numbers, from the scene's current results."""
        scene = self.scene()
        readout = getattr(scene, "readout", None)
        return readout(self.node_id) if readout is not None else NOTHING

    def label_text(self) -> str:
        return self.look.branch

    def value_text(self) -> str:
        return self.reading().value

    def chosen(self) -> bool:
        """Whether this branch is the one its decision node chooses."""
        return self.reading().chosen

    def fold_box(self) -> QRectF:
        return QRectF(HALF + 4, -FOLD_BOX / 2, FOLD_BOX, FOLD_BOX)

    def symbol_rect(self) -> QRectF:
        """The node's symbol, with the few pixels round it a click may miss by."""
        return QRectF(-HALF - 3, -HALF - 3, SYMBOL + 6, SYMBOL + 6)

    def label_rect(self) -> QRectF:
        """Where the branch label sits (for inline renaming)."""
        start = self._elbow_x() + _TEXT_GAP
        height = self.theme.body.height
        return QRectF(start, -height - 2, -HALF - _TEXT_GAP - start, height)

    def _extra_label_height(self) -> float:
        """How far the label's lines above the first reach up."""
        lines = max(1, len(self.look.branch_lines))
        return (lines - 1) * self.theme.body.line_spacing

    # ---- geometry -------------------------------------------------------------------
    def _elbow_x(self) -> float:
        offset = self.look.parent_offset
        return offset.x() + HALF + 10 if offset is not None else -HALF

    def boundingRect(self) -> QRectF:
        if self._bounds is None:
            if self._drawing is None:
                self._drawing = self.drawing_rect()
            self._bounds = QRectF(self._drawing)
            zoom = getattr(self.scene(), "overview_zoom", None)
            if zoom is not None:  # the texts written at a fixed size on screen
                for place in self._overview_places(zoom):
                    self._bounds = self._bounds.united(QRectF(
                        place.topLeft() / zoom, place.size() / zoom))
        return self._bounds

    def overview_changed(self) -> None:
        """The zoom the overview's texts are sized for changed, or the room above the
        node: so may the bounds and those texts."""
        self.prepareGeometryChange()
        self._bounds = self._overview = None

    def drawing_rect(self) -> QRectF:
        """What the node draws at a zoom its own texts can be read at."""
        look, small = self.look, self.theme.small
        line = self.theme.body.height
        rect = QRectF(-HALF - 4, -HALF - line - 6, SYMBOL + 8, SYMBOL + 2 * line + 12)
        offset = look.parent_offset
        if offset is not None:
            above = self._extra_label_height()
            below = small.line_spacing * self._lines_below()
            rect = rect.united(QRectF(offset.x(), min(offset.y(), 0) - line - 4 - above,
                                      -offset.x(),
                                      abs(offset.y()) + 2 * line + 10 + above + below))
        else:
            rect = rect.united(self._root_texts_rect())
        if look.template_role and not look.mark_lines:
            rect = rect.united(QRectF(-HALF, -HALF - 8 - small.height, _MARK_WIDTH,
                                      small.height + 4))
        right = 30.0
        if look.kind == "terminal" or look.folded:
            right = LABEL_WIDTH
            if self.theme.whole_labels:
                right = max(right, self._right_x() - HALF + self._right_texts_width() + 2)
        return rect.united(QRectF(HALF, -line, right, 2 * line + 4)).adjusted(-3, -3, 3, 3)

    def _root_texts_rect(self) -> QRectF:
        """Where the root writes its name and value (and its template mark, with whole
        labels), on its left."""
        look, small = self.look, self.theme.small
        line = self.theme.body.height
        if not self.theme.whole_labels:
            # The value is read at paint time: leave room for a long one.
            width = min(LABEL_WIDTH, max(small.advance(look.name),
                                         small.advance("-00,000,000")))
            return QRectF(-HALF - 6 - width, -line, width, 2 * line)
        texts = (*look.name_lines, self.reading().value, *look.mark_lines)
        width = max(small.advance(text) for text in texts)
        spacing = small.line_spacing
        top = min(-line, -2 - small.ascent - max(0, len(look.name_lines) - 1) * spacing)
        bottom = max(line, small.ascent + 2 + small.descent + len(look.mark_lines) * spacing)
        return QRectF(-HALF - 6 - width, top, width, bottom - top)

    def _lines_below(self) -> int:
        """The lines under the numbers below the branch: one of formulas, and with whole
        labels the name's and the template mark's."""
        look = self.look
        return look.formula_line + len(look.name_lines) + len(look.mark_lines)

    def text_rect(self) -> QRectF:
        """What the node draws about its own row: its symbol and every text round it (its
        branch label, numbers, name, template mark), without the branch's line up or down
        to its parent, which a page may cut where no text is."""
        drawing = self.drawing_rect()
        if self.look.parent_offset is None:
            return drawing  # (the root has no branch)
        line = self.theme.body.height
        small = self.theme.small
        mark = small.height + 4 if self.look.template_role and not self.look.mark_lines \
            else 0.0
        top = min(-HALF - line - 6, -line - 4 - self._extra_label_height()) - mark
        bottom = max(HALF + line + 6, line + 10 + small.line_spacing * self._lines_below())
        left = self._elbow_x()
        return QRectF(left, top, drawing.right() - left, bottom - top)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(QRectF(-HALF - 3, -HALF - 3, SYMBOL + FOLD_BOX + 12, SYMBOL + 6))
        if self.look.parent_offset is not None:
            path.addRect(self.label_rect().adjusted(0, -self._extra_label_height(), 0,
                                                    2 * _TEXT_GAP + 14))
        return path

    # ---- painting -------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        detail = option.levelOfDetailFromTransform(painter.worldTransform())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        reading = self.reading()
        scene = self.scene()
        overview = scene.overview_zoom_in(widget) if scene is not None and hasattr(
            scene, "overview_zoom_in") else None
        texts = overview is None and detail >= 0.35
        if self.look.parent_offset is not None:
            self._paint_branch(painter, texts, reading)
        self._paint_symbol(painter, reading)
        if overview is not None:
            self._paint_overview(painter, overview)
        elif texts:
            self._paint_texts(painter, reading)

    def _paint_branch(self, painter: QPainter, texts: bool, reading: Reading) -> None:
        look, theme = self.look, self.theme
        chosen = reading.chosen
        offset = look.parent_offset
        assert offset is not None
        elbow = self._elbow_x()
        if look.from_decision and not chosen:
            pen = QPen(theme.muted, 1.0, Qt.PenStyle.DashLine)
        else:
            pen = QPen(theme.chosen if chosen else theme.line, 2.6 if chosen else 1.2)
        painter.setPen(pen)
        if self._branch is None:
            self._branch = QPolygonF([QPointF(offset.x() + HALF, offset.y()),
                                      QPointF(elbow, offset.y()), QPointF(elbow, 0),
                                      QPointF(-HALF, 0)])
        painter.drawPolyline(self._branch)
        if not texts:
            return
        start, end = elbow + _TEXT_GAP, -HALF - _TEXT_GAP
        muted = look.from_decision and not chosen
        # Not only a paler grey tells the branches not chosen: italic. Elided in the font
        # the label is drawn in.
        style = theme.label(chosen, muted)
        painter.setFont(style.font)
        painter.setPen(theme.muted if muted else theme.text)
        lines = look.branch_lines or (look.branch,)
        spacing = style.line_spacing
        baseline = -style.descent - 3 - (len(lines) - 1) * spacing
        for line in lines:
            painter.drawText(QPointF(start, baseline), style.elided(line, end - start))
            baseline += spacing
        self._paint_under_branch(painter, start, end, reading)

    def _paint_under_branch(self, painter: QPainter, start: float, end: float,
                            reading: Reading) -> None:
        """Numbers at the left under the branch; the node's own name right-aligned."""
        look, theme = self.look, self.theme
        small = theme.small
        painter.setFont(small.font)
        baseline = small.ascent + 3
        numbers = small.elided(reading.numbers, end - start)
        painter.drawText(QPointF(start, baseline), numbers)
        room = end - start - small.advance(numbers) - NAME_GAP
        # (drawn whole, a name is on this line only if it fits: the scene saw to it)
        if look.name and not look.name_lines and (room > 30 or theme.whole_labels):
            name = small.elided(look.name, room)
            painter.setPen(theme.muted)
            painter.drawText(QPointF(end - small.advance(name), baseline), name)
        if reading.formulas and look.formula_line:
            painter.setPen(theme.text)
            painter.drawText(QPointF(start, baseline + small.line_spacing),
                             small.elided(reading.formulas, end - start))
        if look.name_lines or look.mark_lines:
            painter.setPen(theme.muted)
            baseline += small.line_spacing * look.formula_line
            for text in (*look.name_lines, *look.mark_lines):
                baseline += small.line_spacing
                painter.drawText(QPointF(end - small.advance(text), baseline), text)

    def _paint_symbol(self, painter: QPainter, reading: Reading) -> None:
        look, theme = self.look, self.theme
        if self.selected:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(theme.selection))
            painter.drawRoundedRect(QRectF(-HALF - 5, -HALF - 5, SYMBOL + 10, SYMBOL + 10), 4, 4)
        outline = QPen(QColor(PROBLEM_COLOR), 2.5) if reading.problem else QPen(theme.text, 1.0)
        painter.setPen(outline)
        painter.setBrush(QBrush(look.color))
        box = QRectF(-HALF, -HALF, SYMBOL, SYMBOL)
        if look.kind in ("decision", "assumed"):
            if look.kind == "assumed":
                painter.setBrush(QBrush(look.color, Qt.BrushStyle.Dense4Pattern))
            painter.drawRect(box)
        elif look.kind == "chance":
            painter.drawEllipse(box)
        else:
            painter.drawPolygon(QPolygonF([QPointF(-HALF, 0), QPointF(HALF, -HALF),
                                           QPointF(HALF, HALF)]))
        if look.foldable:
            self._paint_fold_box(painter)
        if look.template_role:
            self._paint_template_mark(painter)

    def _paint_template_mark(self, painter: QPainter) -> None:
        """A frame round the symbol (dashed: a use; solid: the master) and the template's
        name above it."""
        look, theme, small = self.look, self.theme, self.theme.small
        use = look.template_role == "use"
        painter.setPen(QPen(theme.chosen, 1.4, Qt.PenStyle.DashLine if use
                            else Qt.PenStyle.SolidLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(QRectF(-HALF - 3.5, -HALF - 3.5, SYMBOL + 7, SYMBOL + 7), 3, 3)
        if look.mark_lines:
            return  # (drawn whole, under the node's name)
        painter.setFont(small.font)
        painter.setPen(theme.muted)
        painter.drawText(QPointF(-HALF, -HALF - 6 - small.descent),
                         small.elided(mark_words(look.template_role, look.template),
                                      _MARK_WIDTH))

    def _paint_fold_box(self, painter: QPainter) -> None:
        box = self.fold_box()
        painter.setPen(QPen(self.theme.muted, 1.0))
        painter.setBrush(QBrush(self.theme.background))
        painter.drawRect(box)
        painter.setPen(QPen(self.theme.text, 1.2))
        center = box.center()
        painter.drawLine(QPointF(box.left() + 2.5, center.y()), QPointF(box.right() - 2.5,
                                                                       center.y()))
        if self.look.folded:
            painter.drawLine(QPointF(center.x(), box.top() + 2.5),
                             QPointF(center.x(), box.bottom() - 2.5))

    def _paint_texts(self, painter: QPainter, reading: Reading) -> None:
        look = self.look
        if look.kind == "terminal" or look.folded:
            self._paint_right_texts(painter, reading.value)
        if look.parent_offset is None:
            self._paint_root_texts(painter, reading.value)

    def _paint_root_texts(self, painter: QPainter, value: str) -> None:
        """The root's name and value sit to its left, clear of the branches (drawn
        whole, the name's lines rise from where its one line would be, and the template
        mark is under the value)."""
        look, theme = self.look, self.theme
        small = theme.small
        right = -HALF - 6
        painter.setFont(small.font)
        painter.setPen(theme.muted)
        if look.name_lines:
            baseline = -2 - (len(look.name_lines) - 1) * small.line_spacing
            for text in look.name_lines:
                painter.drawText(QPointF(right - small.advance(text), baseline), text)
                baseline += small.line_spacing
        elif look.name:
            name = small.elided(look.name, LABEL_WIDTH)
            painter.drawText(QPointF(right - small.advance(name), -2), name)
        baseline = small.ascent + 2
        for text in look.mark_lines:
            baseline += small.line_spacing
            painter.drawText(QPointF(right - small.advance(text), baseline), text)
        if value and not look.folded:
            painter.setPen(theme.text)
            painter.drawText(QPointF(right - small.advance(value), small.ascent + 2), value)

    def _right_x(self) -> float:
        """Where the texts right of an ending (or a folded node) start."""
        return HALF + (FOLD_BOX + 10 if self.look.foldable else 6)

    def _right_first(self, value: str) -> str:
        look = self.look
        return f"+{look.hidden} nodes   {value}" if look.folded else value

    def _right_texts_width(self) -> float:
        """How wide the texts right of an ending are, drawn whole."""
        theme = self.theme
        return max(theme.body.advance(self._right_first(self.reading().value)),
                   theme.small.advance(self.look.outcome))

    def _paint_right_texts(self, painter: QPainter, value: str) -> None:
        look, theme = self.look, self.theme
        body, small = theme.body, theme.small
        whole = theme.whole_labels  # (there is room on their right)
        x = self._right_x()
        painter.setFont(body.font)
        painter.setPen(theme.text)
        first = self._right_first(value)
        painter.drawText(QPointF(x, body.ascent / 2 - 2),
                         first if whole else body.elided(first, LABEL_WIDTH))
        if look.outcome:
            painter.setFont(small.font)
            painter.setPen(readable(look.color, theme.background) if look.kind == "terminal"
                           else theme.muted)
            painter.drawText(QPointF(x, body.ascent / 2 + small.height), look.outcome
                             if whole else small.elided(look.outcome, LABEL_WIDTH))

    # ---- the overview: a view zoomed out past reading --------------------------------
    def overview_texts(self, zoom: float) -> list[OverviewText]:
        """What this node writes, one size on screen, when the view's zoom is `zoom`: an
        ending its value and label on its right (nothing else is in its row); any other
        branch its label over the branch, in as many lines as the room above it allows;
        the root its name and value on its left."""
        readout = getattr(self.scene(), "readout", None)
        kept = self._overview
        if kept is not None and kept[0] == zoom and kept[1] is readout:
            return kept[2]
        texts = self._overview_texts(zoom)
        self._overview = (zoom, readout, texts)
        return texts

    def _overview_texts(self, zoom: float) -> list[OverviewText]:
        look, theme = self.look, self.theme
        style = theme.overview()
        font, line = style.font, style.line_spacing
        reading = self.reading()
        texts: list[OverviewText] = []
        if look.parent_offset is None:
            right = (-HALF - 6) * zoom
            for text, top, color in ((look.name, -line, theme.muted),
                                     (reading.value, 0.0, theme.text)):
                if text:
                    texts.append(OverviewText(
                        QRectF(right - OVERVIEW_LEFT_PX, top, OVERVIEW_LEFT_PX, line),
                        style.elided(text, OVERVIEW_LEFT_PX), font, color,
                        Qt.AlignmentFlag.AlignRight))
        elif look.kind != "terminal":
            texts += self._overview_label(zoom, line)
        place = self._overview_ending(zoom, line)
        if place is not None:
            parts = [f"+{look.hidden} nodes" if look.folded else "", reading.value,
                     "" if look.folded else look.branch]
            text = "   ".join(part for part in parts if part)
            texts.append(OverviewText(place, style.elided(text, place.width()), font,
                                      theme.text))
        return texts

    def _overview_places(self, zoom: float) -> list[QRectF]:
        """Where the overview's texts may go at `zoom`, in pixels on screen from the
        node's centre, found without writing them (the bounds need only this)."""
        look = self.look
        line = self.theme.overview().line_spacing
        places = []
        if look.parent_offset is None:
            places.append(QRectF((-HALF - 6) * zoom - OVERVIEW_LEFT_PX, -line,
                                 OVERVIEW_LEFT_PX, 2 * line))
        elif look.kind != "terminal":
            room = self._overview_label_room(zoom, line)
            if room is not None:
                start, width, lines = room
                places.append(QRectF(start, -2.0 - lines * line, width, lines * line))
        ending = self._overview_ending(zoom, line)
        if ending is not None:
            places.append(ending)
        return places

    def _overview_ending(self, zoom: float, line: float) -> QRectF | None:
        """Where an ending (or a folded node) writes its value and label."""
        look = self.look
        ending = look.kind == "terminal" or look.folded
        if not ending or (zoom * ROW_HEIGHT < line and look.parent_offset is not None):
            return None
        left = (HALF + (FOLD_BOX + 8 if look.foldable else 6)) * zoom
        return QRectF(left, -line / 2, OVERVIEW_RIGHT_PX - left, line)

    def _overview_label_room(self, zoom: float,
                             line: float) -> tuple[float, float, int] | None:
        """Where the branch label may go: its left, its width and its most lines."""
        scene = self.scene()
        room = scene.room_above(self.node_id) if scene is not None else 0.0
        lines = min(MAX_OVERVIEW_LINES, int((room * zoom - 4) // line))
        start = (self._elbow_x() + _TEXT_GAP) * zoom
        width = (-HALF - _TEXT_GAP) * zoom - start
        if lines < 1 or width < 3 * OVERVIEW_PX:
            return None
        return start, width, lines

    def _overview_label(self, zoom: float, line: float) -> list[OverviewText]:
        look, theme = self.look, self.theme
        room = self._overview_label_room(zoom, line)
        if room is None:
            return []
        start, width, lines = room
        chosen = self.reading().chosen
        muted = look.from_decision and not chosen
        styled = theme.overview(chosen, muted).font
        wrapped = self.scene().overview_lines(  # type: ignore[attr-defined]  # a TreeScene
            look.branch, styled, width, lines)
        bottom = -2.0
        color = theme.muted if muted else theme.text
        return [OverviewText(QRectF(start, bottom - (len(wrapped) - k) * line, width, line),
                             text, styled, color)
                for k, text in enumerate(wrapped)]

    def _paint_overview(self, painter: QPainter, zoom: float) -> None:
        painter.save()
        painter.scale(1 / zoom, 1 / zoom)  # from here on a unit is a pixel on screen
        for piece in self.overview_texts(zoom):
            painter.setFont(piece.font)
            painter.setPen(piece.color)
            painter.drawText(piece.rect, int(piece.align | Qt.AlignmentFlag.AlignVCenter),
                             piece.text)
        painter.restore()
