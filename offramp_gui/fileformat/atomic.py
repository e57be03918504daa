"""Write files so that a crash at any moment leaves the old file or the new one, whole."""
from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from pathlib import Path


class SaveError(OSError):
    """A save that did not happen; the file on disk is unchanged."""


def check_writable(path: str | os.PathLike) -> Path:
    """Refuse, before any work, a target that cannot be written: a folder, a missing
    folder, a folder without write permission. Returns the path."""
    target = Path(path)
    if target.is_dir():
        raise SaveError(f"{target} is a folder, not a file name")
    folder = Path(os.path.realpath(target)).parent
    if not folder.is_dir():
        raise SaveError(f"the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise SaveError(f"cannot write in the folder {folder}: permission denied")
    return target


def write_atomic(path: str | os.PathLike, data: bytes, backup: bool = True) -> None:
    """Replace `path` by `data` in one step, keeping the old file as `path.bak`.

    A symbolic link is followed, so its target is updated and the link kept. The
    new file keeps the old one's permission bits.
    """
    target = Path(os.path.realpath(path))
    folder = target.parent
    if not folder.is_dir():
        raise SaveError(f"the folder {folder} does not exist")
    old_mode = _mode_of(target)
    if old_mode is not None and not os.access(target, os.W_OK):
        # As QSaveFile does: replacing the file would get round its read-only mode.
        raise SaveError(f"{target.name} is read-only; save it under another name")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name[:100]}.", suffix=".tmp",
                                             dir=folder)
    except OSError as error:
        # (The folder exists: "no such file" means it takes no new files, as /proc.)
        reason = "it takes no new files" if error.errno == errno.ENOENT else _reason(error)
        raise SaveError(f"cannot write in the folder {folder}: {reason}") from error
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, old_mode if old_mode is not None else _default_mode())
        if backup and old_mode is not None:
            _keep_backup(target)
        os.replace(temp, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise SaveError(f"cannot save {target.name}: {_reason(error)}") from error
    _sync_folder(folder)


def _reason(error: OSError) -> str:
    """"no space left on device", "permission denied"…: the system's words, in lower case."""
    if error.strerror:
        return error.strerror[:1].lower() + error.strerror[1:]
    return str(error) or type(error).__name__


def _mode_of(target: Path) -> int | None:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return None
    except OSError as error:  # a name too long, a folder we may not look into
        raise SaveError(f"cannot save {target.name}: {_reason(error)}") from error


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _keep_backup(target: Path) -> None:
    """Make `target.bak` the current file (a hard link where the disk allows it)."""
    backup = target.with_name(target.name + ".bak")
    staging = target.with_name(f".{target.name}.bak.tmp")
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
