"""File > Import… and File > Export Data…, driven through stand-in dialogs."""
from __future__ import annotations

import json
import threading
from pathlib import Path

import networkx as nx
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QProgressBar, QPushButton

from offramp_gui.api import load

DATA = Path(__file__).resolve().parents[1] / "data" / "interop"
CENTIPEDE = DATA / "gambit" / "contrib" / "games" / "cent4.efg"
SAMPLE_TREE = DATA / "silverdecisions" / "SilverDecisions" / "demo" / "data" / "sample-tree.json"
BAD_CHANCE = DATA / "silverdecisions" / "SilverDecisions" / "test" / "trees" / "badchance_fail.json"
TINY = DATA / "silverdecisions" / "synthetic" / "tiny_example.json"
TREES = Path(__file__).resolve().parents[2] / "trees"


@pytest.fixture
def window(make_window):
    return make_window(**{"save-changes": "discard", "import-tree": 1})


def test_the_file_menu_offers_import_and_export_data(window):
    [file_menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "&File"]
    texts = [a.text() for a in file_menu.actions()]
    assert texts.index("Open &Example…") == texts.index("Open &Recent") + 1
    assert texts.index("&Import…") == texts.index("Reference &Models") + 1
    assert texts.index("Export &Data…") == texts.index("&Export Image…") + 1


def test_importing_a_silverdecisions_file_opens_an_unsaved_untitled_tree(window):
    window.prompts.script("import", SAMPLE_TREE)
    assert window.actions["import"].isEnabled()
    window.actions["import"].trigger()
    window.features["interop"].wait()
    document = window.document
    assert document.tree.title == "Diagram title" and document.path is None
    assert document.modified
    title, text, _icon = window.prompts.reports[-1]
    assert title == "Imported sample-tree.json"
    assert "Approximated: the file's code: p = " in text and "\n" in text
    assert document.results.expected[0, 0] == pytest.approx(1 + 3704647 / 4042689)


def test_a_gambit_game_imports_and_a_file_of_several_trees_asks_which(window, tmp_path):
    actions = window.features["interop"]
    assert actions.import_file(CENTIPEDE)
    assert window.document.tree.title == "Centipede game, 4 move"
    doc = json.loads(TINY.read_text())
    second = json.loads(json.dumps(doc["data"]["trees"][0]))
    second["name"] = "The second tree"
    doc["data"]["trees"].append(second)
    path = tmp_path / "two.json"
    path.write_text(json.dumps(doc))
    window.prompts.script("import-tree", 2)
    assert actions.import_file(path)
    assert window.prompts.texts("import-tree") == ["This file holds 2 trees. Import tree:"]
    assert window.document.tree.root.name == "The second tree"
    window.prompts.script("import-tree", None)  # cancelled: nothing changes
    assert not actions.import_file(path)


def test_a_refused_import_shows_why_and_keeps_the_document(window):
    actions = window.features["interop"]
    before = window.document.tree
    assert not actions.import_file(BAD_CHANCE)
    assert window.document.tree is before
    title, text, icon = window.prompts.reports[-1]
    assert icon == "warning"
    assert title == "Cannot import" and "add up to 1.299" in text


def test_unsaved_changes_are_asked_about_first(window):
    window.document.undo_stack.resetClean()
    window.prompts.script("save-changes", "cancel")
    before = window.document.tree
    assert not window.features["interop"].import_file(CENTIPEDE)
    assert len(window.prompts.questions("save-changes")) == 1
    assert window.document.tree is before


@pytest.mark.parametrize("name", ["tree.graphml", "tree.dot", "tree.csv", "tree.efg"])
def test_export_data_writes_each_format(window, tmp_path, name):
    window.document.replace_tree(load(TREES / "offramp.json"), None)
    window.prompts.script("export-data", tmp_path / name)
    window.actions["export-data"].trigger()
    assert (tmp_path / name).stat().st_size > 0
    assert not [r for r in window.prompts.reports if r[2] == "warning"]
    if name.endswith(".graphml"):
        graph = nx.read_graphml(tmp_path / name)
        assert graph.number_of_nodes() == len(window.document.tree)
    if name.endswith(".efg"):  # criteria become utilities: reported, never silent
        assert "Not kept: the criteria" in window.prompts.reports[-1][1]


def test_export_to_a_missing_folder_says_so(window, tmp_path):
    actions = window.features["interop"]
    assert not actions.export_file(tmp_path / "missing" / "tree.csv")
    assert "does not exist" in window.prompts.reports[-1][1]


def test_a_gambit_move_of_100000_actions_is_refused_with_a_dialog(window, tmp_path):
    actions = " ".join(f'"a{k}"' for k in range(100_000))
    game = tmp_path / "wide.efg"
    game.write_text(f'EFG 2 R "wide" {{ "A" }}\n""\np "" 1 1 "" {{ {actions} }} 0\n'
                    + 't "" 0\n' * 100_000)
    before = window.document.tree
    window.prompts.script("import", game)
    window.actions["import"].trigger()
    window.features["interop"].wait()
    assert window.document.tree is before
    title, text, icon = window.prompts.reports[-1]
    assert (title, icon) == ("Cannot import", "warning")
    assert text.startswith("wide.efg cannot be imported.\n")
    assert text.endswith("this move has more than 10000 actions; offramp reads 10000"
                         " branches per node at most")


def test_a_silverdecisions_file_of_the_wrong_shape_is_refused_with_a_dialog(window, tmp_path):
    doc = json.loads(TINY.read_text())
    doc["data"]["payoffNames"] = 5
    path = tmp_path / "names.json"
    path.write_text(json.dumps(doc))
    assert not window.features["interop"].import_file(path)
    title, text, icon = window.prompts.reports[-1]
    assert (title, icon) == ("Cannot import", "warning")
    assert '"data.payoffNames" is a number; it should be a list of texts' in text


def test_a_file_is_converted_on_a_worker_with_cancel_while_the_window_goes_on(
        window, monkeypatch, qtbot):
    from offramp_gui.gui.features import interop as interop_feature

    go = threading.Event()
    real = interop_feature.interop.read

    def held(*args):
        assert go.wait(30), "the test never let the conversion go on"
        return real(*args)
    monkeypatch.setattr(interop_feature.interop, "read", held)
    window.show()
    before = window.document.tree
    window.prompts.script("import", SAMPLE_TREE)
    window.actions["import"].trigger()  # returns at once
    assert window.statusBar().currentMessage() == "Importing sample-tree.json…"
    cancel = window.statusBar().findChild(QPushButton, "progress-cancel")
    qtbot.waitUntil(cancel.isVisible)
    bar = window.statusBar().findChild(QProgressBar, "progress")
    assert bar.isVisible() and bar.maximum() == 0  # busy: a conversion cannot say how far
    ticked = []
    QTimer.singleShot(0, lambda: ticked.append(True))
    qtbot.waitUntil(lambda: ticked == [True])  # the event loop runs meanwhile
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    go.set()
    assert window.features["interop"].job is None and window.document.tree is before
    assert window.statusBar().currentMessage() == "Did not import sample-tree.json"
    assert not cancel.isVisible()
    # Imported again, to the end: the tree converted is shown.
    window.prompts.script("import", SAMPLE_TREE)
    window.actions["import"].trigger()
    window.features["interop"].wait()
    assert window.document.tree.title == "Diagram title"
