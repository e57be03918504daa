"""Failed saves change nothing on disk: a full disk, a name too long, a vanished folder."""
from __future__ import annotations

import errno
import gc
import os
import stat

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


# ---- what interrupted saves leave behind -------------------------------------------------
def leftovers(folder, name="tree.json") -> list[str]:
    """Temporaries as interrupted saves of `name` leave them, and look-alikes that are not."""
    ours = [f".{name}.k3j9x0_a.tmp", f".{name}.zzzzzzzz.tmp", f".{name}.bak.tmp"]
    others = [f".{name}.tmp", f".{name}.ABCDEFGH.tmp", f"{name}.k3j9x0_a.tmp",
              f".{name}.k3j9x0_a.tmp.keep", ".other.json.k3j9x0_a.tmp",
              f".{name}.k3j9x0_abc.tmp", f".{name}.bak.tmp.old"]
    for leftover in ours + others:
        (folder / leftover).write_bytes(b"half a tree")
    return others


def test_the_next_save_removes_what_interrupted_saves_left(saved):
    others = leftovers(saved.parent)
    save(load_text(TREE), saved)
    assert only_files(saved.parent) == sorted(["tree.json", "tree.json.bak"] + others)


def test_a_temporary_that_a_running_save_holds_is_kept(saved):
    fcntl = pytest.importorskip("fcntl")
    running = saved.parent / ".tree.json.runs1234.tmp"
    running.write_bytes(b"being written")
    staging = saved.parent / ".tree.json.bak.tmp"
    staging.write_bytes(b"the backup on its way")
    with open(running, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as the save writing it does
        atomic.remove_stale_temporaries(saved)
        assert running.exists() and staging.exists()
    atomic.remove_stale_temporaries(saved)  # that save died: both are left over now
    assert only_files(saved.parent) == ["tree.json"]


def test_a_save_locks_its_temporary_until_it_is_in_place(saved, monkeypatch):
    fcntl = pytest.importorskip("fcntl")
    seen = []

    def replace(source, target):
        with open(source, "rb") as other:
            try:
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                seen.append("locked")
        atomic.remove_stale_temporaries(target)  # another process's clean-up, now
        seen.append(os.path.exists(source))
        os.rename(source, target)
    monkeypatch.setattr(atomic.os, "replace", replace)
    write_atomic(saved, b"new", backup=False)
    assert seen == ["locked", True]
    assert saved.read_bytes() == b"new"


def test_a_cli_conversion_removes_leftovers_of_its_output(tmp_path):
    from offramp_gui.interop import convert

    source = tmp_path / "in.json"
    source.write_text(TREE)
    out = tmp_path / "out" / "tree.json"
    out.parent.mkdir()
    others = leftovers(out.parent)
    convert(source, out)
    assert only_files(out.parent) == sorted(["tree.json"] + others)


# ---- what is not a file, and whose file it is -----------------------------------------------
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("through_link", [False, True])
def test_a_named_pipe_is_refused_and_kept(tmp_path, through_link):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    path = tmp_path / "tree.json" if through_link else pipe
    if through_link:
        path.symlink_to(pipe)
    with pytest.raises(SaveError, match=f"{path} is .*a named pipe, not a regular file"):
        save(load_text(TREE), path)
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
    assert only_files(tmp_path) == sorted({pipe.name, path.name})


def test_a_link_to_a_device_is_refused_and_kept(tmp_path):
    link = tmp_path / "tree.json"
    link.symlink_to(os.devnull)
    with pytest.raises(SaveError, match=f"is a link to {os.devnull}, a device"):
        write_atomic(link, b"new")
    with pytest.raises(SaveError, match="a device"):
        atomic.check_writable(link)
    assert link.is_symlink() and only_files(tmp_path) == ["tree.json"]


def test_a_read_only_file_is_refused_even_for_root(saved):
    saved.chmod(0o444)
    with pytest.raises(SaveError, match="tree.json is read-only"):
        save(load_text(TREE), saved)
    assert saved.read_text() == "precious"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_saving_as_root_keeps_the_owner_group_and_mode(saved):
    os.chown(saved, 65534, 65534)
    saved.chmod(0o640)
    save(load_text(TREE), saved)
    status = os.stat(saved)
    assert (status.st_uid, status.st_gid, status.st_mode & 0o777) == (65534, 65534, 0o640)
    assert read_file(saved).issues == []


def test_a_save_stopped_after_its_backup_step_leaves_nothing_on_the_next(saved):
    os.link(saved, saved.with_name("tree.json.bak"))  # the backup is the current file
    write_atomic(saved, b"new")
    assert saved.with_name("tree.json.bak").read_text() == "precious"
    assert only_files(saved.parent) == ["tree.json", "tree.json.bak"]


def test_pieces_are_written_in_order_as_one_file(tmp_path):
    path = tmp_path / "pieces.json"
    path.write_bytes(b"old")
    write_atomic(path, [b'{"a": ', b"1", b", \xe2\x9c\x93: 2}"])
    assert path.read_bytes() == '{"a": 1, ✓: 2}'.encode()
    assert path.with_name("pieces.json.bak").read_bytes() == b"old"


def test_a_save_reads_its_text_back_with_the_collector_paused(tmp_path, monkeypatch):
    """A million nodes read back while it collects stopped every thread for seconds."""
    from offramp_gui.fileformat import json_io

    collecting = []
    real = json_io.loads

    def watched(text, *args):
        collecting.append(gc.isenabled())
        return real(text, *args)
    monkeypatch.setattr(json_io, "loads", watched)
    path = tmp_path / "tree.json"
    json_io.save_snapshot(json_io.snapshot(load_text(TREE)), path)
    assert collecting == [False] and gc.isenabled()
    assert load_text(path.read_text()).root.payoff == 1
