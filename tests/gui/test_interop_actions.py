"""File > Import… and File > Export Data…, driven through stand-in dialogs."""
from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from offramp_gui.api import load
from offramp_gui.gui.interop_actions import _file_menu
from offramp_gui.gui.main_window import MainWindow

DATA = Path(__file__).resolve().parents[1] / "data" / "interop"
CENTIPEDE = DATA / "gambit" / "contrib" / "games" / "cent4.efg"
SAMPLE_TREE = DATA / "silverdecisions" / "SilverDecisions" / "demo" / "data" / "sample-tree.json"
BAD_CHANCE = DATA / "silverdecisions" / "SilverDecisions" / "test" / "trees" / "badchance_fail.json"
TINY = DATA / "silverdecisions" / "synthetic" / "tiny_example.json"
TREES = Path(__file__).resolve().parents[2] / "trees"


class Dialogs:
    """Answers the import and export dialogs; records what was shown."""

    def __init__(self, path: Path | None = None, tree: int | None = 1):
        self.path, self.tree = path, tree
        self.reports: list[tuple[str, str]] = []
        self.errors: list[tuple[str, str]] = []
        self.asked_tree: list[int] = []

    def import_path(self) -> Path | None:
        return self.path

    def export_path(self, suggestion: str) -> Path | None:
        return self.path

    def tree_number(self, count: int) -> int | None:
        self.asked_tree.append(count)
        return self.tree

    def report(self, title: str, text: str) -> None:
        self.reports.append((title, text))

    def error(self, title: str, text: str) -> None:
        self.errors.append((title, text))


class FilePrompts:
    def __init__(self, answer: str):
        self.answer, self.asked = answer, 0

    def save_changes(self, name: str) -> str:
        self.asked += 1
        return self.answer


@pytest.fixture
def window(qtbot):
    win = MainWindow()
    qtbot.addWidget(win)
    win.files.prompts = FilePrompts("discard")
    actions = win.interop_actions  # the window installs them itself
    actions.prompts = Dialogs()
    return win


def test_the_file_menu_offers_import_and_export_data(window):
    texts = [a.text() for a in _file_menu(window).actions()]
    assert texts.index("&Import…") == texts.index("Open &Recent") + 1
    assert texts.index("Export &Data…") == texts.index("&Export Image…") + 1


def test_importing_a_silverdecisions_file_opens_an_unsaved_untitled_tree(window):
    actions = window.interop_actions
    actions.prompts.path = SAMPLE_TREE
    assert actions.import_action.isEnabled()
    actions.import_action.trigger()
    document = window.document
    assert document.tree.title == "Diagram title" and document.path is None
    assert document.modified
    title, text = actions.prompts.reports[-1]
    assert title == "Imported sample-tree.json"
    assert "Approximated: the file's code: p = " in text and "\n" in text
    assert document.results.expected[0, 0] == pytest.approx(1 + 3704647 / 4042689)


def test_a_gambit_game_imports_and_a_file_of_several_trees_asks_which(window, tmp_path):
    actions = window.interop_actions
    assert actions.import_file(CENTIPEDE)
    assert window.document.tree.title == "Centipede game, 4 move"
    doc = json.loads(TINY.read_text())
    second = json.loads(json.dumps(doc["data"]["trees"][0]))
    second["name"] = "The second tree"
    doc["data"]["trees"].append(second)
    path = tmp_path / "two.json"
    path.write_text(json.dumps(doc))
    actions.prompts.tree = 2
    assert actions.import_file(path)
    assert actions.prompts.asked_tree == [2]
    assert window.document.tree.root.name == "The second tree"
    actions.prompts.tree = None  # cancelled: nothing changes
    assert not actions.import_file(path)


def test_a_refused_import_shows_why_and_keeps_the_document(window):
    actions = window.interop_actions
    before = window.document.tree
    assert not actions.import_file(BAD_CHANCE)
    assert window.document.tree is before
    title, text = actions.prompts.errors[-1]
    assert title == "Cannot import" and "add up to 1.299" in text


def test_unsaved_changes_are_asked_about_first(window):
    window.document.undo_stack.resetClean()
    window.files.prompts = FilePrompts("cancel")
    before = window.document.tree
    assert not window.interop_actions.import_file(CENTIPEDE)
    assert window.files.prompts.asked == 1 and window.document.tree is before


@pytest.mark.parametrize("name", ["tree.graphml", "tree.dot", "tree.csv", "tree.efg"])
def test_export_data_writes_each_format(window, tmp_path, name):
    window.document.replace_tree(load(TREES / "offramp.json"), None)
    actions = window.interop_actions
    actions.prompts.path = tmp_path / name
    actions.export_action.trigger()
    assert (tmp_path / name).stat().st_size > 0
    assert not actions.prompts.errors
    if name.endswith(".graphml"):
        graph = nx.read_graphml(tmp_path / name)
        assert graph.number_of_nodes() == len(window.document.tree)
    if name.endswith(".efg"):  # criteria become utilities: reported, never silent
        assert "Not kept: the criteria" in actions.prompts.reports[-1][1]


def test_export_to_a_missing_folder_says_so(window, tmp_path):
    actions = window.interop_actions
    assert not actions.export_file(tmp_path / "missing" / "tree.csv")
    assert "does not exist" in actions.prompts.errors[-1][1]
