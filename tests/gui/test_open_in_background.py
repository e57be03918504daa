"""Opening never blocks: a file is read on a worker with its progress and a Cancel button,
a large tree saved without folds opens folded to what fits the screen, and Quit ends
the app without freeing the tree."""
from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QProgressBar, QPushButton

import offramp_gui.gui.document as document_module
import offramp_gui.gui.scene.tree_scene as scene_module
from offramp_gui.fileformat.json_io import dumps
from offramp_gui.gui.document import FITS_ON_SCREEN
from offramp_gui.gui.scene.placement import FlatTree
from offramp_gui.model.tree import CHANCE, TERMINAL, Node, Tree

ROOT = Path(__file__).resolve().parents[2]
TREES = ROOT / "trees"
LEVELS = 8  # a full ternary tree: 9,841 nodes, 3**k of them on level k


def ternary_tree(levels: int = LEVELS) -> Tree:
    counter = iter(range(10**6))

    def node(level: int, k: int) -> Node:
        name, chance = f"deep-{next(counter)}", 0.3 if k < 2 else "#"
        if level == levels:
            return Node(name, TERMINAL, branch=f"b{k}", probability=chance, payoff=level)
        return Node(name, CHANCE, branch=f"b{k}", probability=chance,
                    children=[node(level + 1, j) for j in range(3)])

    root = node(0, 0)
    root.branch = root.probability = None
    return Tree(root, "A large tree")


def levels_of(tree: Tree) -> dict[str, int]:
    level = {tree.root.id: 0}
    for each in tree.root.walk():
        for child in each.children:
            level[child.id] = level[each.id] + 1
    return level


@pytest.fixture
def large_file(tmp_path) -> Path:
    path = tmp_path / "large.json"
    path.write_text(dumps(ternary_tree()), encoding="utf-8")
    return path


@pytest.fixture
def window(make_window, tmp_path):
    window = make_window()
    window.show()
    first = tmp_path / "first.json"
    first.write_bytes((TREES / "offramp.json").read_bytes())
    assert window.files.open(first)
    return window


@pytest.fixture
def held_reading(monkeypatch):
    """The worker's reading waits (after saying it is half done) until the gate opens."""
    gate = threading.Event()
    real = document_module.read_file

    def held(path, progress):
        progress(0.5)
        gate.wait(30)
        return real(path, progress)

    monkeypatch.setattr(document_module, "read_file", held)
    yield gate
    gate.set()


def progress_parts(window) -> tuple[QProgressBar, QPushButton]:
    return (window.statusBar().findChild(QProgressBar, "progress"),
            window.statusBar().findChild(QPushButton, "progress-cancel"))


def test_file_open_reads_on_a_worker_with_progress_while_the_window_goes_on(
        window, large_file, held_reading, qtbot):
    bar, cancel = progress_parts(window)
    assert not bar.isVisible()
    window.prompts.script("open", large_file)
    window.actions["open"].trigger()  # returns while the file is still being read
    assert window.document.path.name == "first.json"
    qtbot.waitUntil(lambda: bar.isVisible() and bar.value() > 0)
    assert cancel.isVisible()
    assert window.statusBar().currentMessage() == "Opening large.json…"
    ticked = []
    QTimer.singleShot(0, lambda: ticked.append(True))
    qtbot.waitUntil(lambda: ticked == [True])  # the event loop runs meanwhile
    assert window.document.opening is not None
    held_reading.set()
    qtbot.waitUntil(lambda: window.document.path == large_file)
    assert not bar.isVisible() and not window.files.opening
    assert window.document.tree.title == "A large tree"
    assert window.document.results is not None and not window.prompts.errors


def test_cancel_keeps_the_tree_and_the_file_there_were(window, large_file, held_reading,
                                                       qtbot):
    before = dumps(window.document.tree)
    first = window.document.path
    bar, cancel = progress_parts(window)
    window.prompts.script("open", large_file)
    window.actions["open"].trigger()
    qtbot.waitUntil(lambda: cancel.isVisible() and bar.value() > 0)  # (held in reading)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert not bar.isVisible() and not window.files.opening
    assert window.statusBar().currentMessage() == "Did not open large.json"
    [reader] = [t for t in threading.enumerate() if t.name == "offramp-open"]
    held_reading.set()
    reader.join(30)  # the file read after all is dropped
    qtbot.wait(50)
    assert dumps(window.document.tree) == before and window.document.path == first
    assert not window.document.modified and not window.isWindowModified()
    assert window.prompts.errors == []


def test_a_refused_file_read_on_the_worker_gives_the_same_dialog(window, tmp_path, qtbot):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "offramp-tree", "version": 1, "title": "x", "root": 7}')
    window.prompts.script("open", bad)
    window.actions["open"].trigger()
    qtbot.waitUntil(lambda: bool(window.prompts.errors))
    [(title, text, _details)] = window.prompts.errors
    assert (title, text) == ("Cannot open the tree", "bad.json has 1 problem and was not"
                                                     " opened.")
    assert window.document.path.name == "first.json"
    assert not progress_parts(window)[0].isVisible()


def test_a_large_tree_saved_without_folds_opens_folded_to_fit_the_screen(
        window, large_file, qtbot):
    window.prompts.script("open", large_file)
    window.actions["open"].trigger()
    qtbot.waitUntil(lambda: window.document.path == large_file)
    tree = window.document.tree
    level = levels_of(tree)
    folded = {n.id for n in tree.root.walk() if n.collapsed}
    # Levels 0 to 6 hold 1,093 nodes; with level 7 (2,187 more) they would not fit.
    assert folded == {n.id for n in tree.root.walk() if level[n.id] == 6}
    assert len(window.scene.node_ids()) == 1093 <= FITS_ON_SCREEN < 1093 + 2187
    assert window.statusBar().currentMessage() == (
        "Opened large.json, folded below level 6 to fit the screen (1,093 of 9,841 nodes"
        " shown)")
    # View state, not an edit: nothing to undo, nothing unsaved.
    assert not window.document.modified and not window.isWindowModified()
    assert window.document.undo_stack.count() == 0
    assert b'"collapsed"' not in large_file.read_bytes()


def test_the_canvas_lays_out_the_opened_tree_as_it_would_any_tree(
        window, large_file, qtbot, monkeypatch):
    flattened_here = []  # the roots the window's own thread flattened

    class Watched(FlatTree):
        def __init__(self, root: Node, hidden_below: dict[str, int] | None = None):
            if threading.current_thread() is threading.main_thread():
                flattened_here.append(root)
            super().__init__(root, hidden_below)

    monkeypatch.setattr(scene_module, "FlatTree", Watched)
    window.prompts.script("open", large_file)
    window.actions["open"].trigger()
    qtbot.waitUntil(lambda: window.document.path == large_file)
    tree = window.document.tree
    assert tree.root not in flattened_here  # (the worker that read it did)
    afresh = scene_module.TreeScene(window.document)  # as exports build it
    assert tree.root in flattened_here
    shown = [n.id for n in tree.root.walk() if afresh.node_position(n.id) is not None]
    assert len(shown) == window.scene.shown_count() == 1093
    assert all(window.scene.node_position(n) == afresh.node_position(n) for n in shown)
    item = window.scene.item_for_node(tree.root.children[2].id)
    assert item.look.branch == "b2" and not item.look.folded
    afresh.deleteLater()


def test_the_tree_opened_stays_in_reach_of_the_cycle_collector(window, large_file, qtbot):
    window.prompts.script("open", large_file)
    window.actions["open"].trigger()
    qtbot.waitUntil(lambda: window.document.path == large_file)
    assert gc.isenabled() and gc.get_freeze_count() == 0  # nothing kept for good
    node = window.document.tree.root.children[0]
    assert any(o is node for o in gc.get_objects(generation=2))  # (not scanned again)


def test_a_tree_of_50_000_nodes_and_more_is_kept_out_of_the_collectors_scans(
        window, large_file, qtbot, monkeypatch):
    monkeypatch.setattr(document_module, "KEPT_OUT_FROM", 9_841)  # (the file's nodes)
    window.prompts.script("open", large_file)
    window.actions["open"].trigger()
    qtbot.waitUntil(lambda: window.document.path == large_file)
    node = window.document.tree.root.children[0]
    # A collection of everything would go through a million nodes in seconds.
    assert gc.isenabled() and not any(o is node for o in gc.get_objects())
    window.document.edit.set_field(node.id, "name", "Edited")
    recovery = window.features["recovery"]
    recovery.tick()  # an autosave's copy, made with the collector paused
    assert recovery.taking or recovery.writing
    qtbot.waitUntil(lambda: not recovery.taking and not recovery.writing)
    assert not any(o is node for o in gc.get_objects())


def test_the_folds_saved_in_the_file_win(window, tmp_path, qtbot):
    tree = ternary_tree()
    saved_fold = tree.root.children[1]
    saved_fold.collapsed = True
    path = tmp_path / "folded.json"
    path.write_text(dumps(tree), encoding="utf-8")
    window.prompts.script("open", path)
    window.actions["open"].trigger()
    qtbot.waitUntil(lambda: window.document.path == path)
    opened = window.document.tree
    assert [n.id for n in opened.root.walk() if n.collapsed] == [saved_fold.id]
    hidden = len(list(saved_fold.walk())) - 1
    assert window.scene.shown_count() == len(opened) - hidden
    assert window.scene.node_position(saved_fold.id) is not None
    assert window.scene.node_position(saved_fold.children[0].id) is None


def test_a_small_tree_opens_as_it_was_saved(window, tmp_path, qtbot):
    path = tmp_path / "small.json"
    path.write_text(dumps(ternary_tree(4)), encoding="utf-8")  # 121 nodes: they all fit
    window.prompts.script("open", path)
    window.actions["open"].trigger()
    qtbot.waitUntil(lambda: window.document.path == path)
    assert not any(n.collapsed for n in window.document.tree.root.walk())
    assert window.statusBar().currentMessage() == "Opened small.json"


QUITTING = r"""
import os, sys
from offramp_gui.model.tree import Node

def freed(node):
    if node.id.startswith("deep-"):  # a node of the opened file, not of the tree before
        os.write(2, b"a node of the tree was freed\n")
        os._exit(3)

Node.__del__ = freed
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from offramp_gui.gui import app
from offramp_gui.gui.main_window import MainWindow

def quit_once_opened():
    [window] = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    if window.document.path is None or window.files.opening:
        QTimer.singleShot(20, quit_once_opened)
        return
    print("opened", len(window.document.tree), flush=True)
    window.actions["quit"].trigger()

app.configure_application()
QTimer.singleShot(0, quit_once_opened)
app.run(sys.argv[1])
"""


def test_quit_ends_the_app_without_freeing_the_tree_node_by_node(large_file, tmp_path):
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT),
                       XDG_CONFIG_HOME=str(tmp_path / "config"),
                       OFFRAMP_STATE_DIR=str(tmp_path / "state"))
    done = subprocess.run([sys.executable, "-c", QUITTING, str(large_file)],
                          env=environment, capture_output=True, text=True, timeout=120)
    assert done.stdout == "opened 9841\n"
    assert "freed" not in done.stderr and done.returncode == 0
    # What must be written was: the window's layout, the file in Open Recent.
    settings = (tmp_path / "config" / "offramp" / "offramp.conf").read_text()
    assert "geometry" in settings and "large.json" in settings


def test_after_folding_the_status_line_says_what_the_folds_show(window, large_file, qtbot):
    window.prompts.script("open", large_file)
    window.actions["open"].trigger()
    qtbot.waitUntil(lambda: window.document.path == large_file)
    status = window.statusBar()
    assert "(1,093 of 9,841 nodes shown)" in status.currentMessage()

    def says(text):
        qtbot.waitUntil(lambda: status.currentMessage() == text)

    window.actions["expand-all"].trigger()
    says("Expanded all: 9,841 of 9,841 nodes shown")
    window.prompts.script("fold-below", 2)
    window.actions["fold-below"].trigger()
    says("Folded below level 2: 13 of 9,841 nodes shown")
    window.actions["fold-all"].trigger()
    says("Folded all: 1 of 9,841 nodes shown")
    assert window.scene.shown_count() == 1
    window.statusBar().clearMessage()
    window.actions["fold-all"].trigger()  # nothing left to fold: said all the same
    assert status.currentMessage() == "Folded all: 1 of 9,841 nodes shown"
    status.clearMessage()
    window.document.edit.add_child(window.document.tree.root.id)
    qtbot.wait(300)
    assert "nodes shown" not in status.currentMessage()  # edits say nothing of folds


def test_a_fold_withdraws_the_count_shown_when_the_tree_opened(window, large_file, qtbot):
    window.prompts.script("open", large_file)
    window.actions["open"].trigger()
    qtbot.waitUntil(lambda: window.document.path == large_file)
    assert "nodes shown" in window.statusBar().currentMessage()
    window.document.select(window.document.tree.root.children[0].id)
    window.actions["toggle-fold"].trigger()
    assert window.statusBar().currentMessage() == ""
