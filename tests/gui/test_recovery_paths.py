"""A restored document saves to the user's file, or asks where: never to another file."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_recovery import autosave, crash, edit, recovery, recovery_files

from offramp_gui.api import load
from offramp_gui.fileformat.json_io import dumps, file_digest
from offramp_gui.gui.recovery_files import META_KEY, recovery_folder, recovery_text

TREES = Path(__file__).resolve().parents[2] / "trees"


@pytest.fixture
def original(tmp_path):
    path = tmp_path / "first" / "rel" / "offramp.json"
    path.parent.mkdir(parents=True)
    shutil.copy(TREES / "offramp.json", path)
    return path


@pytest.fixture
def home(tmp_path, monkeypatch):
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    return folder


def crash_with_edit(make_window, path: Path) -> str:
    """Open `path`, edit, autosave, crash; returns the edited document. (The crashed
    window lives on in the test: it may notice the file change on disk later.)"""
    window = make_window(**{"file-changed": "reload"})
    assert window.files.open(path)
    edit(window)
    autosave(window)
    crash(window)
    return dumps(window.document.tree)


def restore(make_window, **answers):
    window = make_window(recover="restore", **answers)
    assert recovery(window).offer_at_start() == 1
    return window


def test_a_relative_path_restored_from_another_folder_saves_to_the_original(
        make_window, original, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path / "first")
    expected = crash_with_edit(make_window, Path("rel/offramp.json"))
    [copy] = recovery_files()
    assert json.loads(copy.read_text())[META_KEY]["path"] == str(original)
    elsewhere = tmp_path / "second" / "rel" / "offramp.json"
    elsewhere.parent.mkdir(parents=True)
    elsewhere.write_bytes((TREES / "rhetoric.json").read_bytes())
    monkeypatch.chdir(tmp_path / "second")

    window = restore(make_window)  # any question but "recover" fails the test
    assert window.document.path == original
    assert window.files.save()
    assert dumps(window.document.tree) == expected
    assert original.read_bytes() != (TREES / "offramp.json").read_bytes()
    assert elsewhere.read_bytes() == (TREES / "rhetoric.json").read_bytes()
    assert [q[0] for q in window.prompts.asked] == ["recover"]
    assert recovery_files() == []


def test_the_copy_names_the_file_behind_a_link(make_window, original, tmp_path):
    link = tmp_path / "shortcut"
    link.symlink_to(original.parent, target_is_directory=True)
    crash_with_edit(make_window, link / "offramp.json")
    [copy] = recovery_files()
    assert json.loads(copy.read_text())[META_KEY]["path"] == str(original)


def test_a_relative_path_is_stored_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = recovery_text(load(TREES / "offramp.json"), Path("rel/x.json"), None)
    meta = json.loads(text)[META_KEY]
    assert meta["path"] == str(tmp_path.resolve() / "rel" / "x.json")


def test_when_the_original_folder_is_gone_save_asks_where(make_window, original, home,
                                                          tmp_path):
    expected = crash_with_edit(make_window, original)
    shutil.rmtree(tmp_path / "first")
    chosen = tmp_path / "kept" / "offramp.json"
    chosen.parent.mkdir()
    window = restore(make_window, save=chosen)
    note = f"The folder {original.parent} no longer exists, so Save will ask where to keep"
    assert note in window.prompts.texts("recover")[0]
    assert window.statusBar().currentMessage().startswith(note)
    assert window.document.path is None and window.document.modified
    assert window.files.save()
    assert window.prompts.texts("save") == [str(home / "offramp.json")]
    assert dumps(window.document.tree) == expected and file_digest(chosen) is not None
    assert not original.parent.exists() and recovery_files() == []


@pytest.mark.parametrize("gone", ["moved", "a folder now"])
def test_when_the_file_is_not_there_any_more_save_asks_suggesting_it(
        make_window, original, home, gone):
    crash_with_edit(make_window, original)
    original.rename(original.with_name("renamed.json"))
    if gone == "a folder now":
        original.mkdir()
    window = restore(make_window, save=None)
    [text] = window.prompts.texts("recover")
    assert "so Save will ask where to keep it." in text
    assert window.document.path is None
    assert not window.files.save()  # cancelled
    assert window.prompts.texts("save") == [str(original)]
    assert len(recovery_files()) == 1, "nothing saved: the copy stays"


def test_an_old_copy_with_a_relative_path_asks_and_never_names_a_file_here(
        make_window, original, home, tmp_path, monkeypatch):
    """A copy of an earlier version: its path is relative to a folder nobody knows. A file
    of that name under the working folder is not the user's, even with the same bytes."""
    data = recovery_text(load(TREES / "offramp.json"), None, file_digest(original)).replace(
        b'"path": null', b'"path": "rel/offramp.json"')
    recovery_folder().mkdir(parents=True)
    (recovery_folder() / "123-old.json").write_bytes(data)
    monkeypatch.chdir(tmp_path / "first")
    before = original.read_bytes()
    chosen = tmp_path / "chosen.json"
    window = restore(make_window, save=chosen)
    [text] = window.prompts.texts("recover")
    assert "A recovered copy of offramp.json" in text
    assert "did not record which folder offramp.json was in" in text
    assert window.document.path is None
    assert window.files.save()
    assert window.prompts.texts("save") == [str(home / "offramp.json")]
    assert [q[0] for q in window.prompts.asked] == ["recover", "save"]
    assert original.read_bytes() == before and chosen.exists()


def test_an_original_changed_on_disk_keeps_its_path_and_says_save_will_ask(
        make_window, original):
    crash_with_edit(make_window, original)
    original.write_text(original.read_text().replace('"title": "', '"title": "Theirs: ', 1))
    window = restore(make_window)
    note = "offramp.json was changed on disk since you opened or saved it, so Save will ask"
    assert note in window.prompts.texts("recover")[0]
    assert window.statusBar().currentMessage().startswith(note)
    assert window.document.path == original


def test_an_unchanged_original_restores_without_a_note(make_window, original):
    crash_with_edit(make_window, original)
    window = restore(make_window)
    [text] = window.prompts.texts("recover")
    assert text.endswith("holds changes that were not saved.")
    assert window.document.path == original and window.document.suggested_path is None
