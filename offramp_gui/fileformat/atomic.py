"""Write files so that a crash at any moment leaves the old file or the new one, whole."""
from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows, where a file that is open cannot be deleted: that is the lock
    fcntl = None  # type: ignore[assignment]

#: The random part tempfile.mkstemp puts in a name.
_RANDOM = "[a-z0-9_]{8}"
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
          (stat.S_ISSOCK, "a socket"))


class SaveError(OSError):
    """A save that did not happen; the file on disk is unchanged."""


def check_writable(path: str | os.PathLike) -> Path:
    """Refuse, before any work, a target that cannot be written: a folder, a missing
    folder, a folder without write permission. Returns the path."""
    target = Path(path)
    if target.is_dir():
        raise SaveError(f"{target} is a folder, not a file name")
    _refuse_special(target)
    folder = Path(os.path.realpath(target)).parent
    if not folder.is_dir():
        raise SaveError(f"the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise SaveError(f"cannot write in the folder {folder}: permission denied")
    return target


def write_atomic(path: str | os.PathLike, data: bytes | list[bytes], backup: bool = True
                 ) -> None:
    """Replace `path` by `data` (or its pieces, in order) in one step, keeping the old
    file as `path.bak`.

    A symbolic link is followed, so its target is updated and the link kept. The new
    file keeps the old one's permission bits, owner and group (the group only, or
    neither, where the system does not let us give it away). Anything but a regular
    file, and a file nobody may write (whoever we are, root included), is refused.
    Temporaries that earlier saves of this file left behind are removed.
    """
    target = Path(os.path.realpath(path))
    folder = target.parent
    if not folder.is_dir():
        raise SaveError(f"the folder {folder} does not exist")
    old = _refuse_special(Path(path))
    if old is not None and (not os.access(target, os.W_OK)
                            or not old.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)):
        # As QSaveFile does: replacing the file would get round its read-only mode.
        # (os.access says yes to root whatever the mode: the bits say read-only.)
        raise SaveError(f"{target.name} is read-only; save it under another name")
    remove_stale_temporaries(target)
    handle, temp = _locked_temporary(folder, target.name)
    try:
        with os.fdopen(handle, "wb") as stream:
            if isinstance(data, bytes):
                stream.write(data)
            else:
                stream.writelines(data)
            stream.flush()
            os.fsync(stream.fileno())
            if old is not None:
                _keep_owner(temp, old)
            os.chmod(temp, stat.S_IMODE(old.st_mode) if old is not None else _default_mode())
            if backup and old is not None:
                _keep_backup(target)
            # Still open, so still locked: no other save's clean-up takes it meanwhile.
            os.replace(temp, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise SaveError(f"cannot save {target.name}: {_reason(error)}") from error
    _sync_folder(folder)


def remove_stale_temporaries(path: str | os.PathLike) -> None:
    """Remove what interrupted saves of `path` left beside it: `.NAME.XXXXXXXX.tmp`
    (a save's new file) and `.NAME.bak.tmp` (its backup on the way), nothing else.

    Safe against a save running now, in this process or another: a save holds an
    exclusive lock (flock) on its temporary from just after creating it until it is
    in place, and the lock dies with its process. So a temporary we can lock has no
    living writer; one we cannot is skipped. The backup's staging name is removed
    only while no temporary of the file is locked, that is while no save of it runs.
    On Windows a file another process holds open cannot be deleted, which keeps the
    same promise. Best effort: a folder we may not read or write is left alone.
    """
    target = Path(os.path.realpath(path))
    name = target.name
    pattern = re.compile(re.escape(f".{name[:100]}.") + _RANDOM + r"\.tmp")
    staging = f".{name}.bak.tmp"
    with contextlib.suppress(OSError):
        found = [entry.name for entry in os.scandir(target.parent)
                 if pattern.fullmatch(entry.name) or entry.name == staging]
        running = False
        for temporary in found:
            if temporary != staging:
                running |= not _remove_unless_locked(target.parent / temporary)
        if staging in found and not running:
            (target.parent / staging).unlink()


def _remove_unless_locked(temporary: Path) -> bool:
    """Delete a temporary no process is writing; False when one is (or it stays)."""
    try:
        handle = os.open(temporary, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return True
    except OSError:
        return False
    try:
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return False  # a save is writing it
        temporary.unlink()
        return True
    except OSError:
        return False
    finally:
        os.close(handle)


def _locked_temporary(folder: Path, name: str) -> tuple[int, Path]:
    """A new temporary beside the file, open and locked against another save's clean-up."""
    while True:
        try:
            handle, temp_name = tempfile.mkstemp(prefix=f".{name[:100]}.", suffix=".tmp",
                                                 dir=folder)
        except OSError as error:
            # (The folder exists: "no such file" means it takes no new files, as /proc.)
            reason = "it takes no new files" if error.errno == errno.ENOENT else _reason(error)
            raise SaveError(f"cannot write in the folder {folder}: {reason}") from error
        if fcntl is None:
            return handle, Path(temp_name)
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            # A clean-up may have locked and removed it before we locked it: then again.
            if os.path.samestat(os.fstat(handle), os.stat(temp_name)):
                return handle, Path(temp_name)
        except FileNotFoundError:
            pass
        os.close(handle)


def _refuse_special(path: Path) -> os.stat_result | None:
    """The status of the file at `path` (a link followed), None if there is none yet;
    refuse a named pipe, a device, a socket or a folder, which saving would replace."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    except OSError as error:  # a name too long, a folder we may not look into
        raise SaveError(f"cannot save {path.name}: {_reason(error)}") from error
    if stat.S_ISREG(status.st_mode):
        return status
    what = next((kind for test, kind in _KINDS if test(status.st_mode)), "not a file")
    link = f"a link to {os.path.realpath(path)}, " if path.is_symlink() else ""
    raise SaveError(f"{path} is {link}{what}, not a regular file; offramp saves only over"
                    " a file")


def _keep_owner(temp: Path, old: os.stat_result) -> None:
    """Give the new file the old one's owner and group, or at least its group."""
    for uid in (old.st_uid, -1):
        with contextlib.suppress(OSError):
            os.chown(temp, uid, old.st_gid)
            return


def _reason(error: OSError) -> str:
    """"no space left on device", "permission denied"…: the system's words, in lower case."""
    if error.strerror:
        return error.strerror[:1].lower() + error.strerror[1:]
    return str(error) or type(error).__name__


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _keep_backup(target: Path) -> None:
    """Make `target.bak` the current file (a hard link where the disk allows it)."""
    backup = target.with_name(target.name + ".bak")
    staging = target.with_name(f".{target.name}.bak.tmp")
    with contextlib.suppress(FileNotFoundError):
        if os.path.samefile(target, backup):
            # A save stopped after this step: the backup is already the current file,
            # and renaming a second link of it over it would do nothing, leaving staging.
            return
    with contextlib.suppress(FileNotFoundError):
        staging.unlink()
    try:
        os.link(target, staging)
    except OSError:
        shutil.copy2(target, staging)
    os.replace(staging, backup)


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
