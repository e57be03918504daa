"""The Open, Save, Import and Export file dialogs: where they start and how large they are."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QTreeView, QWidget

from offramp_gui.gui.prompts import TREE_FILTERS, Prompts


class Chooser:
    """Stands in for the user of a file dialog: notes where it opened, picks `answer`."""

    def __init__(self, monkeypatch):
        self.answer: Path | None = None
        self.opened: list[QFileDialog] = []
        self.folders: list[Path] = []
        chooser = self

        def run(dialog: QFileDialog) -> int:
            chooser.opened.append(dialog)
            chooser.folders.append(Path(dialog.directory().absolutePath()))
            if chooser.answer is None:
                return QDialog.DialogCode.Rejected
            dialog.selectFile(str(chooser.answer))
            return QDialog.DialogCode.Accepted
        monkeypatch.setattr(QFileDialog, "exec", run)
        monkeypatch.setattr(QFileDialog, "selectedFiles",
                            lambda _d: [str(chooser.answer)] if chooser.answer else [])

    def folder(self) -> Path:
        return self.folders[-1]


@pytest.fixture
def prompts(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    return Prompts(parent)


def test_each_kind_of_file_starts_in_the_folder_it_last_used(prompts, monkeypatch, tmp_path):
    chooser = Chooser(monkeypatch)
    trees, imports = tmp_path / "trees", tmp_path / "imports"
    trees.mkdir()
    imports.mkdir()
    chooser.answer = imports / "game.efg"
    assert prompts.open_path("import", "Import a tree", "", "All files (*)") == chooser.answer
    assert chooser.folder() == Path.home()  # the first time: nothing remembered yet
    chooser.answer = trees / "a.json"
    assert prompts.open_path("open", "Open tree", "", "offramp trees (*.json)")

    chooser.answer = None  # cancelled: remembers nothing
    prompts.open_path("import", "Import a tree", "", "All files (*)")
    assert chooser.folder() == imports
    prompts.open_path("open", "Open tree", "", "offramp trees (*.json)")
    assert chooser.folder() == trees
    # Saving has a folder of its own.
    prompts.save_path("save", "Save tree as", Path.home() / "tree.json", TREE_FILTERS)
    assert chooser.folder() == Path.home()
    chooser.answer = trees / "b.json"
    assert prompts.save_path("save", "Save tree as", Path.home() / "tree.json",
                             TREE_FILTERS) == trees / "b.json"
    chooser.answer = None
    prompts.save_path("save", "Save tree as", Path("untitled.json"), TREE_FILTERS)
    assert chooser.folder() == trees
    # The document's own folder, when it has one, comes first.
    prompts.open_path("import", "Import a tree", str(trees), "All files (*)")
    assert chooser.folder() == trees


def test_a_remembered_folder_that_is_gone_is_not_used(prompts, monkeypatch, tmp_path):
    chooser = Chooser(monkeypatch)
    gone = tmp_path / "gone"
    gone.mkdir()
    chooser.answer = gone / "game.efg"
    prompts.open_path("import", "Import a tree", "", "All files (*)")
    gone.rmdir()
    chooser.answer = None
    prompts.open_path("import", "Import a tree", "", "All files (*)")
    assert chooser.folder() == Path.home()


def test_file_dialogs_are_large_enough_for_their_columns(prompts, monkeypatch):
    chooser = Chooser(monkeypatch)
    monkeypatch.setattr(QFileDialog, "testOption", lambda _d, _o: True)  # Qt's own dialog
    prompts.open_path("open", "Open tree", "", "offramp trees (*.json)")
    dialog = chooser.opened[-1]
    screen = dialog.screen().availableGeometry()
    assert dialog.width() >= min(900, 0.8 * screen.width()) - 1
    assert dialog.height() >= min(600, 0.8 * screen.height()) - 1
    files = dialog.findChild(QTreeView, "treeView")
    assert files is not None and files.header().sectionSize(0) >= dialog.width() // 2 - 1
