"""Failed saves change nothing on disk: a full disk, a name too long, a vanished folder."""
from __future__ import annotations

import errno
import os

import pytest

from offramp_gui.api import load_text
from offramp_gui.fileformat import atomic
from offramp_gui.fileformat.atomic import SaveError, write_atomic
from offramp_gui.fileformat.json_io import content_digest, dumps, file_digest, read_file, save

TREE = ('{"format": "offramp-tree", "version": 1, "title": "t", "root": {"id": "r",'
        ' "type": "terminal", "payoff": 1}}')


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "tree.json"
    path.write_text("precious")
    return path


def only_files(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_full_disk_leaves_the_old_file_and_no_temporary(saved, monkeypatch):
    def full(_descriptor):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(SaveError, match="cannot save tree.json: no space left on device"):
        save(load_text(TREE), saved)
    assert saved.read_text() == "precious"
    assert only_files(saved.parent) == ["tree.json"]


def test_a_failed_replace_leaves_the_old_file(saved, monkeypatch):
    def refuse(_source, _target):
        raise OSError(errno.EIO, "Input/output error")
    monkeypatch.setattr(atomic.os, "replace", refuse)
    with pytest.raises(SaveError, match="input/output error"):
        write_atomic(saved, b"new", backup=False)
    assert saved.read_text() == "precious"
    assert only_files(saved.parent) == ["tree.json"]


def test_a_name_too_long_is_a_clear_error(tmp_path):
    with pytest.raises(SaveError, match="name too long"):
        save(load_text(TREE), tmp_path / ("x" * 300 + ".json"))
    assert only_files(tmp_path) == []


def test_a_long_but_legal_name_saves(tmp_path):
    path = tmp_path / ("x" * 240 + ".json")
    save(load_text(TREE), path)
    assert read_file(path).issues == []


def test_the_backup_is_one_generation(saved):
    write_atomic(saved, b"one")
    write_atomic(saved, b"two")
    assert saved.read_bytes() == b"two"
    assert saved.with_name("tree.json.bak").read_bytes() == b"one"
    assert only_files(saved.parent) == ["tree.json", "tree.json.bak"]


def test_a_backup_shares_nothing_with_the_new_file(saved):
    write_atomic(saved, b"new")
    backup = saved.with_name("tree.json.bak")
    assert backup.read_text() == "precious"
    assert os.stat(backup).st_ino != os.stat(saved).st_ino


def test_save_returns_the_fingerprint_of_what_it_wrote(tmp_path):
    path = tmp_path / "tree.json"
    digest = save(load_text(TREE), path)
    assert digest == content_digest(path.read_bytes()) == file_digest(path)
    assert read_file(path).digest == digest
    assert dumps(load_text(TREE)).encode() == path.read_bytes()


def test_file_digest_of_a_missing_file_is_none(tmp_path):
    assert file_digest(tmp_path / "nope.json") is None
