"""The real dialogs behind the app's questions: buttons map to answers, Escape to the last."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from offramp_gui.gui.prompts import Prompts

#: The real exec (conftest refuses modal dialogs; these tests answer them on a timer).
_EXEC = QMessageBox.exec


def answer_with(button_text: str | None, seen: list[str]) -> None:
    """Click the button of the message box that is about to open (None: press Escape)."""
    tries = iter(range(500))

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            if next(tries, None) is not None:  # give up after 5 s rather than hang
                QTimer.singleShot(10, click)
            return
        seen.append(box.text())
        if button_text is None:
            box.reject()
            return
        [button] = [b for b in box.buttons() if b.text() == button_text]
        button.click()
    QTimer.singleShot(0, click)


@pytest.fixture
def prompts(qtbot, monkeypatch):
    monkeypatch.setattr(QMessageBox, "exec", _EXEC)
    parent = QWidget()
    qtbot.addWidget(parent)
    return Prompts(parent)


@pytest.mark.parametrize("button, answer", [("Restore", "restore"), ("Discard", "discard"),
                                            ("Decide Later", "later"), (None, "later")])
def test_recover(prompts, button, answer):
    seen: list[str] = []
    answer_with(button, seen)
    assert prompts.recover("tree.json", "2026-05-09 14:03") == answer
    assert "tree.json" in seen[0] and "2026-05-09 14:03" in seen[0]


def test_an_unrecoverable_file_offers_discard_or_later(prompts):
    seen: list[str] = []
    answer_with("Discard", seen)
    assert prompts.recover("x\u202eevil.json", "today", "not valid JSON") == "discard"
    assert "not valid JSON" in seen[0] and "\u202e" not in seen[0]


@pytest.mark.parametrize("button, answer", [("Reload", "reload"),
                                            ("Keep My Version", "keep"), (None, "keep")])
def test_file_changed(prompts, button, answer):
    seen: list[str] = []
    answer_with(button, seen)
    assert prompts.file_changed("tree.json", modified=True) == answer
    assert "discards your unsaved changes" in seen[0]


@pytest.mark.parametrize("button, answer", [("Save Over It", True), ("Cancel", False),
                                            (None, False)])
def test_overwrite_changed(prompts, button, answer):
    answer_with(button, [])
    assert prompts.overwrite_changed("tree.json") is answer


@pytest.mark.parametrize("button, answer", [("Save", "save"), ("Discard", "discard"),
                                            ("Cancel", "cancel"), (None, "cancel")])
def test_save_changes(prompts, button, answer):
    seen: list[str] = []
    answer_with(button, seen)
    assert prompts.save_changes("tree.json") == answer
    assert seen == ["Save the changes to tree.json before closing it?"]


def test_closing_a_window_with_changes_asks_in_a_real_dialog(qtbot, monkeypatch):
    from offramp_gui.gui.main_window import MainWindow

    monkeypatch.setattr(QMessageBox, "exec", _EXEC)
    window = MainWindow()
    qtbot.addWidget(window)
    window.document.edit.set_title("Changed")
    seen: list[str] = []
    answer_with("Cancel", seen)
    assert not window.close()
    assert seen == ["Save the changes to Untitled before closing it?"]
    answer_with("Discard", seen)
    assert window.close()
