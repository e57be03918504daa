"""The open file changed on disk: offramp notices, asks once, and never loses either side."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from offramp_gui.fileformat.atomic import write_atomic
from offramp_gui.gui.main_window import MainWindow

TREES = Path(__file__).resolve().parents[2] / "trees"
TIMEOUT = 5000


@pytest.fixture
def tree_file(tmp_path):
    path = tmp_path / "offramp.json"
    shutil.copy(TREES / "offramp.json", path)
    return path


@pytest.fixture
def window(make_window, tree_file):
    win = make_window(**{"file-changed": "reload", "overwrite-changed": "yes"})
    assert win.files.open(tree_file)
    return win


def retitled(path: Path, title: str) -> bytes:
    doc = json.loads(path.read_text())
    doc["title"] = title
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode()


def another_program_writes(path: Path, data: bytes, replace: bool = True) -> None:
    """A sync tool or editor: most replace the file, some write into it."""
    if replace:
        temp = path.with_name("sync-tool.tmp")
        temp.write_bytes(data)
        os.replace(temp, path)
    else:
        path.write_bytes(data)


def edit(win: MainWindow) -> None:
    leaf = next(n for n in win.document.tree.root.walk() if n.type == "terminal")
    win.document.edit.set_field(leaf.id, "branch", "mine")


@pytest.mark.parametrize("replace", [True, False], ids=["replaced", "written-in-place"])
def test_reload_shows_what_the_other_program_wrote(window, tree_file, qtbot, replace):
    with qtbot.waitSignal(window.features["disk-watch"].checked, timeout=TIMEOUT) as seen:
        another_program_writes(tree_file, retitled(tree_file, "From the sync tool"), replace)
    assert seen.args == ["reload"]
    assert window.document.tree.title == "From the sync tool"
    assert not window.document.modified
    assert window.prompts.texts("file-changed") == [
        "offramp.json was changed on disk by another program."]


def test_changes_after_a_replace_are_still_seen(window, tree_file, qtbot):
    for title in ("one", "two", "three"):
        with qtbot.waitSignal(window.features["disk-watch"].checked, timeout=TIMEOUT,
                              check_params_cb=lambda answer: answer == "reload"):
            another_program_writes(tree_file, retitled(tree_file, title))
        assert window.document.tree.title == title


def test_keep_my_version_marks_it_unsaved_and_saving_does_not_ask_again(window, tree_file,
                                                                         qtbot):
    window.prompts.script("file-changed", "keep")
    edit(window)
    with qtbot.waitSignal(window.features["disk-watch"].checked, timeout=TIMEOUT) as seen:
        another_program_writes(tree_file, retitled(tree_file, "Theirs"))
    assert seen.args == ["keep"]
    assert "discards your unsaved changes" in window.prompts.texts("file-changed")[0]
    assert window.document.tree.title != "Theirs" and window.document.modified
    assert window.files.save()
    assert window.prompts.questions("overwrite-changed") == []
    assert json.loads(tree_file.read_text())["title"] != "Theirs"


def test_a_burst_of_writes_asks_once(window, tree_file, qtbot):
    with qtbot.waitSignal(window.features["disk-watch"].checked, timeout=TIMEOUT):
        for k in range(10):
            another_program_writes(tree_file, retitled(tree_file, f"burst {k}"), k % 2 == 0)
    assert len(window.prompts.questions("file-changed")) == 1
    assert window.document.tree.title == "burst 9"


def test_our_own_saves_and_a_touch_ask_nothing(window, tree_file, qtbot):
    edit(window)
    with qtbot.waitSignal(window.features["disk-watch"].checked, timeout=TIMEOUT) as seen:
        assert window.files.save()
    assert seen.args == ["same"]
    with qtbot.waitSignal(window.features["disk-watch"].checked, timeout=TIMEOUT) as seen:
        os.utime(tree_file)
        tree_file.write_bytes(tree_file.read_bytes())
    assert seen.args == ["same"]
    assert window.prompts.questions("file-changed") == []


def test_a_deleted_file_asks_nothing_and_save_writes_it_again(window, tree_file, qtbot):
    with qtbot.waitSignal(window.features["disk-watch"].checked, timeout=TIMEOUT) as seen:
        tree_file.unlink()
    assert seen.args == ["gone"]
    edit(window)
    assert window.files.save() and tree_file.exists()
    assert window.prompts.asked == []


def test_reloading_a_broken_file_keeps_ours_and_asks_once(window, tree_file, qtbot):
    title = window.document.tree.title
    with qtbot.waitSignal(window.features["disk-watch"].checked, timeout=TIMEOUT) as seen:
        another_program_writes(tree_file, b'{"format": "offramp-tree", "vers')
    assert seen.args == ["reload"]
    assert window.document.tree.title == title
    [(heading, text, details)] = window.prompts.errors
    assert "not valid JSON" in details
    with qtbot.waitSignal(window.features["disk-watch"].checked, timeout=TIMEOUT) as seen:
        os.utime(tree_file)
    assert seen.args == ["same"]


def test_saving_over_a_file_changed_since_it_was_read_asks_first(window, tree_file):
    edit(window)
    theirs = retitled(tree_file, "Theirs")
    tree_file.write_bytes(theirs)  # no event loop runs: only the save can notice
    window.prompts.script("overwrite-changed", "no")
    assert not window.files.save()
    assert tree_file.read_bytes() == theirs and window.document.modified
    window.prompts.script("overwrite-changed", "yes")
    assert window.files.save()
    assert json.loads(tree_file.read_text())["title"] != "Theirs"
    assert len(window.prompts.questions("overwrite-changed")) == 2


def test_save_as_and_a_new_document_follow_the_new_path(window, tmp_path, qtbot):
    other = tmp_path / "other.json"
    window.prompts.script("save", other)
    assert window.files.save_as()
    assert str(other) in window.features["disk-watch"].watched()
    assert window.files.new()
    assert window.features["disk-watch"].watched() == []


def test_writes_into_the_same_folder_are_not_mistaken_for_the_file(window, tree_file,
                                                                   qtbot):
    with qtbot.waitSignal(window.features["disk-watch"].checked, timeout=TIMEOUT) as seen:
        write_atomic(tree_file.with_name("unrelated.json"), b"{}")
    assert seen.args == ["same"]
    assert window.prompts.asked == []
