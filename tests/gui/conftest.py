"""Qt fixtures: a controller on a small tree, or on the article's tree."""
from __future__ import annotations

import gc
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QCoreApplication, QSettings  # noqa: E402

from offramp_gui.api import load, load_text  # noqa: E402
from offramp_gui.gui.document import DocumentController  # noqa: E402

TREES = Path(__file__).resolve().parents[2] / "trees"

SMALL = """{"format": "offramp-tree", "version": 1, "title": "Small",
 "criteria": [{"id": "security", "name": "Security"}, {"id": "risk", "name": "Risk avoided"}],
 "players": [{"id": "west", "name": "West", "weights": {"security": 0.6, "risk": 0.4}},
             {"id": "kremlin", "name": "Kremlin", "weights": {"security": -1, "risk": 0.2}}],
 "variables": [{"name": "p_collapse", "value": 0.3, "min": 0, "max": 1,
                "description": "Chance the front collapses"}],
 "outcomes": [{"id": "deal", "name": "Deal", "color": "#2e7d32"},
              {"id": "nuclear", "name": "Nuclear use", "color": "#b71c1c"}],
 "root": {"id": "aim", "type": "decision", "player": "west", "name": "War aim", "children": [
   {"id": "defeat", "branch": "Seek defeat", "type": "chance", "payoff": {"security": 5},
    "children": [
     {"id": "collapse", "branch": "Front collapses", "probability": "p_collapse",
      "type": "decision", "player": "kremlin", "name": "Kremlin response", "children": [
       {"id": "escalate", "branch": "Escalate", "type": "terminal", "outcome": "nuclear",
        "payoff": {"security": -60, "risk": -100}},
       {"id": "accept", "branch": "Accept a deal", "type": "terminal", "outcome": "deal",
        "payoff": {"security": 40, "risk": 0}}]},
     {"id": "stalemate", "branch": "Stalemate", "probability": "#", "type": "terminal",
      "payoff": {"security": -10, "risk": -10}}]},
   {"id": "talks", "branch": "Talks now", "type": "terminal", "outcome": "deal",
    "payoff": {"security": -5, "risk": 0}}]}}"""


@pytest.fixture(autouse=True)
def private_settings(qapp, tmp_path_factory):
    """Each test gets its own settings (recent files, window layout), outside its
    tmp_path, which tests check for the files a gesture wrote."""
    QCoreApplication.setOrganizationName("offramp-tests")
    QCoreApplication.setApplicationName("offramp-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path_factory.mktemp("settings")))


@pytest.fixture(autouse=True)
def collect_closed_windows():
    """Free each test's closed windows as it ends. Their Python wrappers hold one
    another in cycles whose Qt objects are gone; left to pile up over hundreds of tests
    (half a million objects), one collection in the middle of a later test crashed
    inside shiboken's deallocation. A window the test left open (one crash recovery
    opened) first finishes the file it is opening: freed, it could not show it."""
    yield
    from PySide6.QtWidgets import QApplication

    from offramp_gui.gui.main_window import MainWindow

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow):
            widget.files.finish_opening()
    gc.collect()


@pytest.fixture(autouse=True)
def private_temp_dir(tmp_path_factory, monkeypatch):
    """The system's temporary folder, where autosave falls back to, is one of each test's
    own: no test reads or writes the real one."""
    folder = tmp_path_factory.mktemp("temp")
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setenv("TMPDIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def no_blocking_dialogs(monkeypatch):
    """A modal dialog would wait forever offscreen: fail instead (windows under test
    ask their questions through a FakePrompts)."""
    from PySide6.QtWidgets import QDialog, QMessageBox

    def refuse(self, *args, **kwargs):
        raise AssertionError(f"a modal {type(self).__name__} was opened in a test")

    monkeypatch.setattr(QDialog, "exec", refuse)
    monkeypatch.setattr(QMessageBox, "exec", refuse)


@pytest.fixture
def make_window(qtbot):
    """Factory: a main window whose dialogs are a FakePrompts scripted with `answers`.

    When the test ends, pytest-qt closes the windows still open, discarding changes."""
    from recording import FakePrompts

    from offramp_gui.gui.main_window import MainWindow

    def make(**answers) -> MainWindow:
        prompts = FakePrompts(**answers)
        window = MainWindow(prompts=prompts)
        qtbot.addWidget(window, before_close_func=lambda _w: prompts.script("save-changes",
                                                                             "discard"))
        return window
    return make


@pytest.fixture
def make_controller(qtbot):
    """Factory: a DocumentController on a tree (the small one by default)."""
    def make(tree=None):
        controller = DocumentController(tree if tree is not None else load_text(SMALL))
        return controller
    return make


@pytest.fixture
def controller(make_controller):
    return make_controller()


@pytest.fixture
def offramp_tree():
    return load(TREES / "offramp.json")
