"""Building a tree's shape with the mouse: dragging branches to move, copy and reorder
them, and inserting a node into a branch; each one undo step."""
from __future__ import annotations

import pytest
from conftest import SMALL
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from offramp_gui.fileformat.json_io import node_to_dict

LEFT = Qt.MouseButton.LeftButton
CTRL = Qt.KeyboardModifier.ControlModifier
NONE = Qt.KeyboardModifier.NoModifier


@pytest.fixture
def window(make_window, tmp_path, qtbot):
    path = tmp_path / "small.json"
    path.write_text(SMALL, encoding="utf-8")
    window = make_window()
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    assert window.files.open(path)
    window.view.reset_zoom()
    window.view.centerOn(window.scene.tree_rect().center())
    return window


def root_value(window) -> float:  # noqa: ANN001
    return float(window.document.results.utility[0, window.document.shown_player])


def value_of(window, node_id: str) -> float:  # noqa: ANN001
    results = window.document.results
    return float(results.utility[results.flat.index[node_id], window.document.shown_player])


def settled(window, qtbot) -> None:  # noqa: ANN001
    """Wait for the scene's relayout and the engine's results after an edit."""
    qtbot.waitUntil(lambda: window.scene.node_ids() == set(window.document.tree.ids()))
    qtbot.waitUntil(lambda: window.document.results.flat.index.keys()
                    == set(window.document.tree.ids()))


def symbol(window, node_id: str) -> QPoint:  # noqa: ANN001
    """Where a node's symbol is on the canvas."""
    item = window.scene.item_for_node(node_id)
    return window.view.mapFromScene(item.scenePos())


def on_branch(window, node_id: str, upper: bool) -> QPoint:  # noqa: ANN001
    """A point on a node's branch label (upper half) or on the numbers under it."""
    item = window.scene.item_for_node(node_id)
    label = item.label_rect()
    point = QPointF(label.center().x(), -label.height() / 2 if upper else 8)
    return window.view.mapFromScene(item.mapToScene(point))


def move_mouse(window, point: QPoint, modifiers=NONE) -> None:  # noqa: ANN001
    viewport = window.view.viewport()
    QApplication.sendEvent(viewport, QMouseEvent(
        QEvent.Type.MouseMove, QPointF(point), QPointF(viewport.mapToGlobal(point)),
        Qt.MouseButton.NoButton, LEFT, modifiers))


def drag(window, qtbot, source: QPoint, target: QPoint, modifiers=NONE,  # noqa: ANN001
         release: bool = True) -> None:
    """Press on `source`, move to `target` in steps, and release there."""
    viewport = window.view.viewport()
    qtbot.mousePress(viewport, LEFT, modifiers, source)
    steps = 6
    for step in range(1, steps + 1):
        move_mouse(window, source + (target - source) * step / steps, modifiers)
    if release:
        qtbot.mouseRelease(viewport, LEFT, modifiers, target)


def tree_data(window) -> dict:  # noqa: ANN001
    return node_to_dict(window.document.tree.root)


def children(window, node_id: str) -> list[str]:  # noqa: ANN001
    return [c.id for c in window.document.tree.node(node_id).children]


def undo_text(window) -> str:  # noqa: ANN001
    return window.actions["undo"].text().replace("&Undo ", "")


def test_dragging_a_branch_onto_a_node_moves_it_there(window, qtbot):
    document = window.document
    before, talks_first = tree_data(window), root_value(window)
    assert talks_first == pytest.approx(-3.0)  # West prefers the talks
    drag(window, qtbot, symbol(window, "talks"), symbol(window, "collapse"))
    settled(window, qtbot)
    assert children(window, "aim") == ["defeat"]
    assert children(window, "collapse") == ["escalate", "accept", "talks"]
    assert document.tree.node("talks").probability is None  # a decision's alternative
    assert document.selected_id == "talks"
    assert undo_text(window) == "Move branch \u201cTalks now\u201d"
    qtbot.waitUntil(lambda: root_value(window) == pytest.approx(-26.8))
    window.actions["undo"].trigger()
    settled(window, qtbot)
    assert tree_data(window) == before
    qtbot.waitUntil(lambda: root_value(window) == pytest.approx(-3.0))
    window.actions["redo"].trigger()
    settled(window, qtbot)
    assert children(window, "collapse") == ["escalate", "accept", "talks"]
    qtbot.waitUntil(lambda: root_value(window) == pytest.approx(-26.8))


def test_a_branch_moved_under_a_chance_node_comes_in_with_probability_0(window, qtbot):
    drag(window, qtbot, symbol(window, "accept"), symbol(window, "defeat"))
    settled(window, qtbot)
    assert children(window, "defeat") == ["collapse", "stalemate", "accept"]
    assert window.document.tree.node("accept").probability == 0
    assert window.document.results.issues == [] or all(
        issue.node_id != "defeat" for issue in window.document.results.issues)


def test_ctrl_drag_copies_a_branch_with_fresh_ids(window, qtbot):
    document = window.document
    before = tree_data(window)
    drag(window, qtbot, symbol(window, "collapse"), symbol(window, "aim"), CTRL)
    settled(window, qtbot)
    assert children(window, "defeat") == ["collapse", "stalemate"]  # the original stays
    copy = document.tree.node("aim").children[-1]
    assert copy.branch == "Front collapses" and copy.probability is None
    copied_ids = [n.id for n in copy.walk()]
    assert len(copied_ids) == 3 and not set(copied_ids) & {n["id"] for n in _walk(before)}
    assert len(set(document.tree.ids())) == len(document.tree) == 10
    assert undo_text(window) == "Copy branch \u201cFront collapses\u201d"
    assert document.selected_id == copy.id
    qtbot.waitUntil(lambda: copy.id in document.results.flat.index)
    # Payoffs add up along the path: the copy no longer passes "Seek defeat" (+5 security).
    assert value_of(window, copy.id) == pytest.approx(value_of(window, "collapse") - 0.6 * 5)
    window.actions["undo"].trigger()
    settled(window, qtbot)
    assert tree_data(window) == before
    window.actions["redo"].trigger()
    settled(window, qtbot)
    assert [c.branch for c in document.tree.node("aim").children][-1] == "Front collapses"


def _walk(data: dict):  # noqa: ANN202
    yield data
    for child in data.get("children", []):
        yield from _walk(child)


@pytest.mark.parametrize(("source", "target", "reason"), [
    ("defeat", "collapse", "Not into its own branch"),
    ("accept", "talks", "An end node takes no branches"),
    ("escalate", "collapse", "Already a branch here"),
])
def test_an_illegal_drop_is_shown_refused_and_changes_nothing(window, qtbot, source,
                                                              target, reason):
    document = window.document
    before, steps = tree_data(window), document.undo_stack.count()
    drag(window, qtbot, symbol(window, source), symbol(window, target), release=False)
    viewport = window.view.viewport()
    assert window.scene.drag.active
    assert viewport.cursor().shape() == Qt.CursorShape.ForbiddenCursor
    assert reason in _ghost_caption(window)
    qtbot.mouseRelease(viewport, LEFT, NONE, symbol(window, target))
    assert not window.scene.drag.active
    assert viewport.cursor().shape() != Qt.CursorShape.ForbiddenCursor
    assert tree_data(window) == before
    assert document.undo_stack.count() == steps
    assert not window.isWindowModified()


def _ghost_caption(window) -> str:  # noqa: ANN001
    from offramp_gui.gui.scene.drag import _Ghost
    ghost = next(i for i in window.scene.items() if isinstance(i, _Ghost))
    return ghost._caption


def test_a_legal_target_is_highlighted_while_dragging(window, qtbot):
    drag(window, qtbot, symbol(window, "talks"), symbol(window, "collapse"), release=False)
    assert window.view.viewport().cursor().shape() == Qt.CursorShape.DragMoveCursor
    assert _ghost_caption(window) == "Move under \u201cKremlin response\u201d"
    move_mouse(window, symbol(window, "collapse"), CTRL)
    assert window.view.viewport().cursor().shape() == Qt.CursorShape.DragCopyCursor
    assert _ghost_caption(window) == "Copy under \u201cKremlin response\u201d"
    qtbot.keyRelease(window.view, Qt.Key.Key_Control)  # without moving the mouse
    assert _ghost_caption(window) == "Move under \u201cKremlin response\u201d"
    qtbot.keyPress(window.view, Qt.Key.Key_Control)
    assert _ghost_caption(window) == "Copy under \u201cKremlin response\u201d"
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert not window.scene.drag.active
    qtbot.mouseRelease(window.view.viewport(), LEFT, NONE, symbol(window, "collapse"))
    assert children(window, "aim") == ["defeat", "talks"]
    assert window.document.undo_stack.count() == 0


def test_dragging_onto_a_siblings_branch_reorders(window, qtbot):
    document = window.document
    before = tree_data(window)
    drag(window, qtbot, symbol(window, "talks"), on_branch(window, "defeat", upper=True),
         release=False)
    assert _ghost_caption(window) == "Move before \u201cSeek defeat\u201d"
    qtbot.mouseRelease(window.view.viewport(), LEFT, NONE,
                       on_branch(window, "defeat", upper=True))
    settled(window, qtbot)
    assert children(window, "aim") == ["talks", "defeat"]
    assert undo_text(window) == "Reorder branch \u201cTalks now\u201d"
    assert root_value(window) == pytest.approx(-3.0)
    window.actions["undo"].trigger()
    settled(window, qtbot)
    assert tree_data(window) == before
    window.actions["redo"].trigger()
    settled(window, qtbot)
    assert children(window, "aim") == ["talks", "defeat"]
    # Under another parent's branch: a move to that place, probability 0 there.
    drag(window, qtbot, symbol(window, "accept"), on_branch(window, "stalemate", upper=False))
    settled(window, qtbot)
    assert children(window, "defeat") == ["collapse", "stalemate", "accept"]
    assert document.tree.node("accept").probability == 0


def test_a_drag_that_ends_where_it_started_is_no_edit(window, qtbot):
    source = symbol(window, "talks")
    drag(window, qtbot, source, on_branch(window, "talks", upper=False))
    assert _no_edit(window)
    drag(window, qtbot, source, source + QPoint(40, 0))
    assert _no_edit(window)


def _no_edit(window) -> bool:  # noqa: ANN001
    return (window.document.undo_stack.count() == 0 and not window.isWindowModified()
            and children(window, "aim") == ["defeat", "talks"])


def test_a_click_still_selects_and_the_fold_box_still_folds(window, qtbot):
    viewport = window.view.viewport()
    qtbot.mouseClick(viewport, LEFT, NONE, symbol(window, "collapse"))
    assert window.document.selected_id == "collapse"
    item = window.scene.item_for_node("defeat")
    box = window.view.mapFromScene(item.mapToScene(item.fold_box().center()))
    qtbot.mouseClick(viewport, LEFT, NONE, box)
    assert window.document.tree.node("defeat").collapsed
    assert _no_edit(window)  # folding is view state, not an edit
    assert not window.scene.drag.active


def test_the_root_does_not_drag(window, qtbot):
    drag(window, qtbot, symbol(window, "aim"), symbol(window, "collapse"))
    assert not window.scene.drag.active
    assert window.document.undo_stack.count() == 0


def test_a_drop_over_a_limit_is_refused_with_a_dialog(window, qtbot, monkeypatch):
    from offramp_gui.gui import edits
    monkeypatch.setattr(edits, "MAX_NODES", 9)
    before = tree_data(window)
    drag(window, qtbot, symbol(window, "collapse"), symbol(window, "aim"), CTRL)
    assert window.prompts.errors[-1][0] == "Cannot copy the branch"
    assert "The branch was not copied" in window.prompts.errors[-1][1]
    assert tree_data(window) == before


def test_insert_node_puts_a_chance_node_into_the_branch(window, qtbot):
    document = window.document
    before = tree_data(window)
    value_before = root_value(window)
    qtbot.mouseClick(window.view.viewport(), LEFT, NONE, symbol(window, "collapse"))
    menu = window.context_menu("collapse")
    action = next(a for a in menu.actions() if a.text().replace("&", "") == "Insert Node")
    action.trigger()
    settled(window, qtbot)
    inserted = document.tree.node("defeat").children[0]
    assert inserted.type == "chance" and inserted.id == document.selected_id
    assert (inserted.branch, inserted.probability) == ("Front collapses", "p_collapse")
    assert [c.id for c in inserted.children] == ["collapse"]
    collapse = document.tree.node("collapse")
    assert (collapse.branch, collapse.probability) == ("Branch 1", "#")
    assert undo_text(window) == "Insert node"
    qtbot.waitUntil(lambda: inserted.id in document.results.flat.index)
    assert value_of(window, inserted.id) == pytest.approx(value_of(window, "collapse"))
    assert root_value(window) == pytest.approx(value_before)
    assert not document.results.issues
    window.actions["undo"].trigger()
    settled(window, qtbot)
    assert tree_data(window) == before
    window.actions["redo"].trigger()
    settled(window, qtbot)
    assert document.tree.parent_id("collapse") == inserted.id
