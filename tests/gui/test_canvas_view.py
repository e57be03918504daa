"""Finding one's way on the canvas with the mouse: the menu of the node under the
pointer, Fit to Window, the overview, Zoom to Selection, and folding that keeps the
clicked node where it was."""
from __future__ import annotations

import json

import pytest
from conftest import SMALL
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication

from offramp_gui.gui.scene.node_item import FOLD_BOX

LEFT, RIGHT = Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton
NONE, ALT = Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.AltModifier


def show(make_window, qtbot, path):  # noqa: ANN001
    window = make_window()
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    assert window.files.open(path)
    return window


@pytest.fixture
def window(make_window, tmp_path, qtbot):
    path = tmp_path / "small.json"
    path.write_text(SMALL, encoding="utf-8")
    window = show(make_window, qtbot, path)
    window.view.reset_zoom()
    return window


@pytest.fixture
def big_window(make_window, tmp_path, qtbot):
    """A tree of 2,041 nodes, all of them shown: 40 chance nodes of 50 outcomes each."""
    chances = [{"id": f"c{i}", "branch": f"Option {i}", "type": "chance", "children": [
        {"id": f"c{i}.{j}", "branch": f"Case {j}", "probability": "#", "type": "terminal",
         "payoff": {"gain": j}} for j in range(50)]} for i in range(40)]
    tree = {"format": "offramp-tree", "version": 1, "title": "Big",
            "criteria": [{"id": "gain", "name": "Gain"}],
            "root": {"id": "root", "type": "decision", "name": "Choice", "children": chances}}
    path = tmp_path / "big.json"
    path.write_text(json.dumps(tree), encoding="utf-8")
    window = show(make_window, qtbot, path)
    assert len(window.scene.node_ids()) == 2041
    return window


def on_screen(window, node_id: str) -> QPointF:  # noqa: ANN001
    """Where a node's symbol is in the canvas's viewport, to the fraction of a pixel."""
    item = window.scene.item_for_node(node_id)
    return window.view.viewportTransform().map(item.scenePos())


def symbol(window, node_id: str) -> QPoint:  # noqa: ANN001
    return on_screen(window, node_id).toPoint()


def shown_whole(window, rect) -> bool:  # noqa: ANN001
    """`rect` of the scene is all inside the canvas's viewport."""
    mapped = window.view.mapFromScene(rect).boundingRect()
    return window.view.viewport().rect().contains(mapped)


def menus_opened(window, monkeypatch) -> list[list[str]]:  # noqa: ANN001
    """The entries of each context menu the canvas opens from here on (the menus are
    read, not shown: a shown menu would wait for a choice)."""
    opened: list[list[str]] = []
    real = window.context_menu

    class Unshown:
        def exec(self, *_args) -> None:  # noqa: ANN002
            pass

        def deleteLater(self) -> None:  # noqa: N802 - Qt's name
            pass

    def read(node_id):  # noqa: ANN001, ANN202
        menu = real(node_id)
        opened.append([a.text().replace("&", "") for a in menu.actions()])
        menu.deleteLater()
        return Unshown()

    monkeypatch.setattr(window, "context_menu", read)
    return opened


def right_click(window, qtbot, point: QPoint) -> None:  # noqa: ANN001
    """Press the right button, ask for the menu as the window system does on a press,
    release."""
    viewport = window.view.viewport()
    qtbot.mousePress(viewport, RIGHT, NONE, point)
    QApplication.sendEvent(viewport, QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, point, viewport.mapToGlobal(point)))
    qtbot.mouseRelease(viewport, RIGHT, NONE, point)


def settled(window, qtbot) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: not window.scene._layout_timer.isActive())


# ---- the menu of what is under the pointer ---------------------------------------------
def test_right_click_on_a_node_at_the_edge_opens_that_nodes_menu(window, qtbot, monkeypatch):
    opened = menus_opened(window, monkeypatch)
    view = window.view
    view.zoom_by(3.0)  # the tree is larger than the window: it scrolls
    view.centerOn(window.scene.item_for_node("collapse").scenePos())
    right_edge = view.viewport().width() - 6
    view.horizontalScrollBar().setValue(
        view.horizontalScrollBar().value() + symbol(window, "collapse").x() - right_edge)
    point = symbol(window, "collapse")
    assert point.x() == right_edge
    right_click(window, qtbot, point)
    assert window.document.selected_id == "collapse"
    assert len(opened) == 1 and "What would it take…" in opened[0]
    assert symbol(window, "collapse") == point  # selecting it did not scroll


def test_a_press_to_drag_a_node_at_the_edge_does_not_scroll(window, qtbot):
    view = window.view
    view.zoom_by(3.0)
    view.centerOn(window.scene.item_for_node("stalemate").scenePos())
    view.verticalScrollBar().setValue(
        view.verticalScrollBar().value() + symbol(window, "stalemate").y() - 4)
    point = symbol(window, "stalemate")
    qtbot.mousePress(view.viewport(), LEFT, NONE, point)
    assert window.document.selected_id == "stalemate"
    assert symbol(window, "stalemate") == point
    qtbot.mouseRelease(view.viewport(), LEFT, NONE, point)


def test_the_keyboard_still_scrolls_the_selection_into_view(window, qtbot):
    view = window.view
    view.zoom_by(3.0)
    view.centerOn(window.scene.item_for_node("aim").scenePos())
    window.document.select("collapse")
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert window.document.selected_id == "escalate"
    assert view.viewport().rect().contains(symbol(window, "escalate"))


def test_right_click_on_the_background_opens_the_canvas_menu(window, qtbot, monkeypatch):
    opened = menus_opened(window, monkeypatch)
    right_click(window, qtbot, QPoint(5, 5))
    assert len(opened) == 1 and "Fit to Window" in opened[0]
    assert "What would it take…" not in opened[0]


# ---- fit, zoom to selection, the overview --------------------------------------------
def test_fit_to_window_shows_all_of_a_large_tree(big_window):
    view = big_window.view
    assert not shown_whole(big_window, big_window.scene.tree_rect())  # opened readable
    big_window.actions["zoom-fit"].trigger()
    assert shown_whole(big_window, big_window.scene.tree_rect())
    assert shown_whole(big_window, big_window.scene.sceneRect())
    assert view.zoom < 0.05  # below the wheel's smallest zoom
    view.zoom_out()  # the wheel and the buttons may go as far as Fit did
    assert view.zoom < 0.05


def test_fit_shows_the_whole_off_ramp_tree_and_its_labels_can_be_read(make_window, qtbot):
    """At 1600 x 1000, Fit shows every node of the bundled tree; its labels, too small
    to read at that zoom in the drawing's own size, are written at 12 px on screen, each
    in full view, none over another, every ending with its value and label."""
    from offramp_gui.bundled import default_tree
    from offramp_gui.gui.minimap import Overview
    from offramp_gui.gui.scene.theme import OVERVIEW_PX

    window = make_window()
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    assert window.files.open(default_tree(), ask=False, as_copy=True)
    view, scene = window.view, window.scene
    window.actions["zoom-fit"].trigger()
    assert not scene.legible_at(view.zoom)  # the drawing's own texts would be specks
    assert scene.overview_zoom == view.zoom
    seen = view.viewport().rect()
    pieces = []
    for node_id in scene.node_ids():
        item = scene.item_for_node(node_id)
        assert seen.contains(symbol(window, node_id)), node_id
        origin = on_screen(window, node_id)
        texts = item.overview_texts(view.zoom)
        for piece in texts:
            assert piece.font.pixelSize() >= OVERVIEW_PX
            box = piece.rect.translated(origin)
            assert seen.contains(box.toAlignedRect()), (node_id, piece.text)
            pieces.append((box, piece.text))
        node = window.document.tree.node(node_id)
        words = " ".join(piece.text for piece in texts)
        if node is not window.document.tree.root:
            assert node.branch.split()[0][:4] in words, node_id
        if node.type == "terminal":
            assert item.reading().value in words, node_id
    for k, (box, text) in enumerate(pieces):
        for other, other_text in pieces[k + 1:]:
            assert not box.adjusted(1, 1, -1, -1).intersects(other), (text, other_text)
    # The overview map and exported pictures draw the tree as it is, without these.
    minimap = window.findChild(Overview)
    assert scene.overview_zoom_in(minimap.viewport()) is None
    assert scene.overview_zoom_in(None) is None
    view.reset_zoom()  # at 100% the drawing's own texts come back
    assert scene.overview_zoom is None


def nodes_in_view(window) -> int:  # noqa: ANN001
    """How many of the tree's nodes are in the canvas's view."""
    seen = window.view.visible_scene_rect()
    return sum(1 for node in window.document.tree.root.walk()
               if (place := window.scene.node_position(node.id)) is not None
               and seen.contains(place))


def test_actual_size_and_zooming_in_after_fit_stay_on_the_tree(big_window, qtbot):
    """Fit makes room for the overview's texts far right of the tree; Actual Size, or
    zooming in with the keys, from there shows nodes, not that empty room."""
    view, scene = big_window.view, big_window.scene
    big_window.actions["zoom-fit"].trigger()
    assert scene.overview_zoom is not None  # the labels at one size on screen
    big_window.actions["zoom-reset"].trigger()  # View > Actual Size
    assert view.zoom == pytest.approx(1.0)
    assert nodes_in_view(big_window) >= 5
    big_window.actions["zoom-fit"].trigger()
    view.setFocus()
    for _ in range(40):  # Ctrl++ until the drawing's own texts can be read
        qtbot.keyClick(view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
        if scene.overview_zoom is None:
            break
    assert scene.overview_zoom is None
    assert nodes_in_view(big_window) >= 5


def test_zoom_to_selection_shows_the_node_and_its_branches(big_window, qtbot):
    view, scene = big_window.view, big_window.scene
    big_window.actions["zoom-fit"].trigger()
    fitted = view.zoom
    big_window.document.select("c20")
    big_window.actions["zoom-selection"].trigger()
    assert view.zoom > 10 * fitted
    for node_id in ["c20", "c20.0", "c20.49"]:
        assert shown_whole(big_window, scene.item_for_node(node_id).sceneBoundingRect())
    assert not view.viewport().rect().contains(symbol(big_window, "c22.0"))


def test_the_overview_frames_the_view_and_dragging_it_pans(big_window, qtbot):
    view = big_window.view
    overview = big_window.features["viewing"].overview
    assert big_window.actions["show-overview"].isChecked()
    assert overview.isVisible()  # the tree is larger than the window
    frame = overview.mapFromScene(view.visible_scene_rect()).boundingRect()
    assert overview.viewport().rect().intersects(frame)
    before = view.visible_scene_rect().center()
    start = frame.center()
    qtbot.mousePress(overview.viewport(), LEFT, NONE, start)
    for step in range(1, 5):
        qtbot.mouseMove(overview.viewport(), start + QPoint(0, 5 * step))
    qtbot.mouseRelease(overview.viewport(), LEFT, NONE, start + QPoint(0, 20))
    moved = view.visible_scene_rect().center() - before
    expected = overview.mapToScene(start + QPoint(0, 20)) - overview.mapToScene(start)
    assert moved.y() == pytest.approx(expected.y(), rel=0.05)
    assert abs(moved.x()) < 1 / overview.transform().m11()
    new_frame = overview.mapFromScene(view.visible_scene_rect()).boundingRect()
    assert abs(new_frame.center().y() - (start.y() + 20)) <= 2


def test_the_overview_hides_when_the_tree_fits_and_its_toggle_is_remembered(
        big_window, make_window):
    overview = big_window.features["viewing"].overview
    big_window.actions["zoom-fit"].trigger()
    assert not overview.isVisible()
    big_window.view.zoom_in()
    big_window.view.zoom_in()
    assert overview.isVisible()
    big_window.actions["show-overview"].trigger()
    assert not overview.isVisible()
    again = make_window()
    assert not again.actions["show-overview"].isChecked()


# ---- folding -------------------------------------------------------------------------
def test_expanding_a_node_keeps_it_where_it_was(big_window, qtbot):
    view, document = big_window.view, big_window.document
    document.edit.fold_all()
    settled(big_window, qtbot)
    document.edit.expand_all()
    settled(big_window, qtbot)
    document.edit.fold("c30", True)
    settled(big_window, qtbot)
    view.zoom_by(1.0 / view.zoom)
    view.centerOn(big_window.scene.item_for_node("c30").scenePos())
    view.verticalScrollBar().setValue(view.verticalScrollBar().value() + 300)
    before = on_screen(big_window, "c30")
    item = big_window.scene.item_for_node("c30")
    box = view.mapFromScene(item.mapToScene(item.fold_box().center()))
    qtbot.mouseClick(view.viewport(), LEFT, NONE, box)
    settled(big_window, qtbot)
    assert not document.tree.node("c30").collapsed
    after = on_screen(big_window, "c30")
    assert abs(after.x() - before.x()) <= 2 and abs(after.y() - before.y()) <= 2
    qtbot.mouseClick(view.viewport(), LEFT, NONE, box)  # and folding it again
    settled(big_window, qtbot)
    assert document.tree.node("c30").collapsed
    again = on_screen(big_window, "c30")
    assert abs(again.x() - before.x()) <= 2 and abs(again.y() - before.y()) <= 2


def test_alt_click_on_a_node_folds_and_expands_it(window, qtbot):
    viewport = window.view.viewport()
    qtbot.mouseClick(viewport, LEFT, ALT, symbol(window, "defeat"))
    assert window.document.tree.node("defeat").collapsed
    assert not window.scene.drag.active
    settled(window, qtbot)
    qtbot.mouseClick(viewport, LEFT, ALT, symbol(window, "defeat"))
    assert not window.document.tree.node("defeat").collapsed


def test_double_click_on_a_node_folds_it_and_on_its_label_renames(window, qtbot):
    from PySide6.QtWidgets import QLineEdit
    viewport = window.view.viewport()
    qtbot.mouseDClick(viewport, LEFT, NONE, symbol(window, "collapse"))
    assert window.document.tree.node("collapse").collapsed
    assert viewport.findChild(QLineEdit, "inline-rename") is None
    settled(window, qtbot)
    item = window.scene.item_for_node("talks")
    label = window.view.mapFromScene(item.mapToScene(item.label_rect().center()))
    qtbot.mouseDClick(viewport, LEFT, NONE, label)
    assert viewport.findChild(QLineEdit, "inline-rename") is not None


def test_double_click_on_the_fold_box_folds_once_and_renames_nothing(window, qtbot):
    from PySide6.QtWidgets import QLineEdit
    viewport = window.view.viewport()
    item = window.scene.item_for_node("collapse")
    box = window.view.mapFromScene(item.mapToScene(item.fold_box().center()))
    qtbot.mouseDClick(viewport, LEFT, NONE, box)
    assert window.document.tree.node("collapse").collapsed
    assert viewport.findChild(QLineEdit, "inline-rename") is None


def test_the_fold_box_is_at_least_twelve_pixels(window):
    item = window.scene.item_for_node("defeat")
    box = window.view.mapFromScene(item.mapToScene(item.fold_box())).boundingRect()
    assert FOLD_BOX >= 12 and box.width() >= 12 and box.height() >= 12


def test_the_app_starts_on_a_readable_tree_not_a_fitted_speck(qapp, monkeypatch):
    """`offramp` opens the off-ramp tree at a size its text can be read at (Fit would make
    all of it tiny), with the root in view."""
    from PySide6.QtCore import QTimer

    from offramp_gui.gui import app
    from offramp_gui.gui.main_window import MainWindow
    from offramp_gui.gui.prompts import Prompts
    from offramp_gui.gui.view import READABLE_ZOOM

    monkeypatch.setattr(Prompts, "save_changes", lambda self, name: "discard")
    before = set(qapp.topLevelWidgets())
    seen = {}

    def look_then_quit() -> None:
        [window] = [w for w in qapp.topLevelWidgets()
                    if isinstance(w, MainWindow) and w not in before]
        if window.files.opening:  # (the file is read on a worker)
            QTimer.singleShot(10, look_then_quit)
            return
        view = window.view
        root = window.scene.item_for_node(window.document.tree.root.id)
        seen["zoom"] = view.zoom
        seen["root shown"] = view.viewport().rect().contains(view.mapFromScene(root.scenePos()))
        # One quit only: closing the last window would ask for another, and a quit left
        # pending ends the next test's event loops at once.
        qapp.setQuitOnLastWindowClosed(False)
        window.close()
        qapp.quit()

    QTimer.singleShot(0, look_then_quit)
    try:
        assert app.main() == 0
    finally:
        qapp.setQuitOnLastWindowClosed(True)
    assert seen == {"zoom": pytest.approx(READABLE_ZOOM), "root shown": True}
