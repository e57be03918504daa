"""The window's size and docks are restored only where they fit the screen."""
from __future__ import annotations

from PySide6.QtCore import Qt


def test_a_layout_larger_than_the_screen_is_not_restored(make_window, qtbot):
    big = make_window()
    big.show()
    big.resize(3000, 2400)  # saved on a larger screen, or at a smaller scale factor
    big.resizeDocks([big.docks["analysis"]], [1600], Qt.Orientation.Vertical)
    big.save_layout()
    big.close()

    window = make_window()
    window.show()
    qtbot.waitExposed(window)
    screen = window.screen().availableGeometry()
    assert window.frameGeometry().height() <= screen.height()
    assert window.frameGeometry().width() <= screen.width()
    assert window.width() >= 0.8 * screen.width()
    # The canvas keeps most of the window, not what the larger layout's docks left it.
    assert window.view.height() >= 0.4 * window.height()


def test_a_layout_that_fits_is_restored(make_window, qtbot):
    first = make_window()
    first.show()
    qtbot.waitExposed(first)
    # Just inside the screen, frame included: a size the user might well choose.
    screen = first.screen().availableGeometry()
    frame = first.frameGeometry().size() - first.size()
    size = (screen.width() - frame.width() - 40, screen.height() - frame.height() - 40)
    first.resize(*size)
    first.docks["analysis"].hide()
    first.save_layout()
    first.close()

    window = make_window()
    window.show()
    qtbot.waitExposed(window)
    assert (window.width(), window.height()) == size
    assert not window.docks["analysis"].isVisible()
