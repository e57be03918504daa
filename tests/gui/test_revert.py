"""File > Revert throws the changes away, after asking whether to discard them."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

TREES = Path(__file__).resolve().parents[2] / "trees"


@pytest.fixture
def window(make_window, tmp_path):
    path = tmp_path / "offramp.json"
    shutil.copy(TREES / "offramp.json", path)
    window = make_window()
    assert window.files.open(path)
    window.document.edit.set_title("A title not saved")
    return window


def test_revert_asks_to_discard_and_reads_the_file_again(window):
    window.prompts.script("revert", "discard")
    window.actions["revert"].trigger()
    window.files.finish_opening()  # (the file is read on a worker)
    assert window.prompts.texts("revert") == ["Discard your changes to offramp.json?"]
    [(_key, _title, _text, choices)] = window.prompts.questions("revert")
    assert choices == [("Discard", "discard"), ("Cancel", "cancel")]
    assert window.prompts.questions("save-changes") == []
    assert window.document.tree.title != "A title not saved"
    assert not window.isWindowModified()


def test_cancel_keeps_the_changes(window):
    window.prompts.script("revert", "cancel")
    window.actions["revert"].trigger()
    assert window.document.tree.title == "A title not saved"
    assert window.isWindowModified()
