"""Recovery files on disk: where they live, what they hold, and which ones were left behind.

A recovery file is an offramp tree with one extra top-level key, `x-offramp-recovery`,
written on the file's second line: the original path (or none), the title, the time
and the fingerprint of the original file as it was read. Beside it, `NAME.lock` is a
QLockFile held by the running window that writes it. A recovery file whose lock no
living process holds was left behind by a crash, a kill or a power cut.

The original path is stored absolute, symbolic links resolved, so a copy restored by an
app started from another folder still names the user's file. Where a restored document
saves (`destination`) follows one rule: Save writes to the original path only when that
path is absolute, its folder exists and a regular file is there that offramp had read.
Then, if the file's bytes are still those read or last saved, it is restored as it was;
if they changed, it is the user's file changed on disk by another program (the path is
the very one they edited), and Save asks before writing over it, as for any open file.
In every other case the document is restored untitled, and Save asks where to keep it,
suggesting the original name in the original folder (or the home folder when that is
gone): a copy made by an earlier version that stored a relative path (its folder is
unknown), a folder that no longer exists, a file that was moved or deleted or is no
longer a regular file, or a copy that does not record what the file held.

Copies go to `recovery_folder()`; when that cannot be written, to `fallback_folder()`,
a private folder of the user's in the system's temporary folder. Both are looked in at
start.
"""
from __future__ import annotations

import contextlib
import functools
import getpass
import json
import os
import stat
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs
from PySide6.QtCore import QLockFile, QObject, QSettings, Signal

from ..fileformat.atomic import write_atomic
from ..fileformat.json_io import (
    Snapshot,
    SnapshotInSteps,
    file_digest,
    file_pieces,
    loads,
    snapshot,
)
from ..fileformat.limits import FileRefused, read_limited
from ..model.tree import Tree

#: Set to a folder to keep recovery files there (tests; portable installs).
ENV_FOLDER = "OFFRAMP_STATE_DIR"
META_KEY = "x-offramp-recovery"
SETTING = "autosave/seconds"
DEFAULT_SECONDS = 30
MAX_SECONDS = 24 * 3600
#: Temporary files older than this were left by a crash in the middle of a write.
_STALE_TEMP_SECONDS = 3600


def recovery_folder() -> Path:
    """`$OFFRAMP_STATE_DIR/recovery`, else the user's state folder for offramp."""
    base = os.environ.get(ENV_FOLDER)
    root = Path(base) if base else Path(platformdirs.user_state_dir("offramp",
                                                                    appauthor=False))
    return root / "recovery"


def fallback_folder() -> Path:
    """`<temporary folder>/offramp-<user>/recovery`: where copies go when the usual
    folder cannot be written."""
    user = str(os.geteuid()) if hasattr(os, "geteuid") else getpass.getuser()
    return Path(tempfile.gettempdir()) / f"offramp-{user}" / "recovery"


def make_private_folder(folder: Path) -> None:
    """Create `folder` and its parent for this user alone (mode 0o700); raise OSError,
    saying why, if either is another user's or others may write in it."""
    for path in (folder.parent, folder):
        with contextlib.suppress(FileExistsError):
            path.mkdir(mode=0o700)
        check_private(path)


def check_private(folder: Path) -> None:
    """Raise OSError unless `folder` is a real folder (not a link) that only we can write."""
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode):
        raise OSError(f"{folder} is not a folder")
    if os.name == "posix" and info.st_uid != os.geteuid():
        raise OSError(f"{folder} belongs to another user")
    if os.name == "posix" and info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise OSError(f"others may write in {folder}")


def is_private(folder: Path) -> bool:
    try:
        check_private(folder)
        check_private(folder.parent)
    except OSError:
        return False
    return True


#: Usual recovery folder -> the fallback used instead, in this process.
_moved: dict[Path, Path] = {}


def note_moved(usual: Path, fallback: Path) -> None:
    """Remember that copies go to `fallback` because `usual` cannot be written."""
    _moved[usual] = fallback


def folder_in_use() -> Path:
    """The folder this process writes its recovery copies to (Preferences shows it)."""
    usual = recovery_folder()
    return _moved.get(usual, usual)


def reason(error: OSError) -> str:
    """"permission denied", "no space left on device"…: the system's words, or ours."""
    if error.strerror:
        return error.strerror[:1].lower() + error.strerror[1:]
    return str(error) or type(error).__name__


def autosave_seconds() -> int:
    """The autosave interval from the settings; 0 means autosave is off."""
    value = QSettings().value(SETTING, DEFAULT_SECONDS)
    try:
        seconds = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return DEFAULT_SECONDS
    return max(0, min(seconds, MAX_SECONDS))


class _SettingsNotice(QObject):
    #: The autosave interval was changed (Preferences): every window re-times.
    changed = Signal()


settings_notice = _SettingsNotice()


def set_autosave_seconds(seconds: int) -> None:
    QSettings().setValue(SETTING, max(0, min(int(seconds), MAX_SECONDS)))
    settings_notice.changed.emit()


def make_lock(path: Path) -> QLockFile:
    """A lock that never goes stale by age: only when its process is gone."""
    lock = QLockFile(str(path))
    lock.setStaleLockTime(0)
    return lock


# ---- writing ---------------------------------------------------------------------------
@dataclass(frozen=True)
class RecoveryCopy:
    """What a recovery file holds, taken on the main thread in one quick pass: the
    tree's snapshot and the recovery details. `recovery_pieces` makes the file's bytes
    from it, on a worker."""

    snap: Snapshot
    meta: dict[str, Any]


def take_copy(tree: Tree, original: Path | None, digest: str | None) -> RecoveryCopy:
    return _copy_of(snapshot(tree), _meta(tree, original, digest))


class CopyInSteps:
    """`take_copy`, taken a number of nodes at a time (`SnapshotInSteps`): dropped by
    the caller if the tree changes before it is whole."""

    def __init__(self, tree: Tree, original: Path | None, digest: str | None):
        self._meta = _meta(tree, original, digest)
        self._snapshot = SnapshotInSteps(tree)

    def step(self, count: int) -> RecoveryCopy | None:
        """Take up to `count` more nodes; the copy once they are all taken."""
        snap = self._snapshot.step(count)
        return None if snap is None else _copy_of(snap, self._meta)


def _meta(tree: Tree, original: Path | None, digest: str | None) -> dict[str, Any]:
    meta: dict[str, Any] = {"title": tree.title, "saved": time.time(), "digest": digest}
    meta.update(_path_field(original))
    return meta


def _copy_of(snap: Snapshot, meta: dict[str, Any]) -> RecoveryCopy:
    snap.head.pop(META_KEY, None)  # a recovery file opened as a tree: keep one key, ours
    return RecoveryCopy(snap, meta)


def recovery_pieces(copy: RecoveryCopy, pause: Callable[[], None] | None = None
                    ) -> list[bytes]:
    """The tree as a document, with what recovery needs to know on its second line, in
    pieces of bytes: joined, a million nodes' text (and its copies) held the interpreter
    for a second, and any window with it. Raises ValueError when it cannot be written (a
    lone surrogate in a label). `pause`: see `snapshot_text`. Written as a save writes
    the tree (`file_text`: on one line where the canonical layout would be over the file
    size limit), so that it opens again."""
    head = json.dumps({META_KEY: copy.meta}, ensure_ascii=False)[1:-1]
    pieces = iter(file_pieces(copy.snap, pause))
    first = "{\n  " + head + ",\n" + next(pieces)[2:]  # (the file's text opens with "{\n")
    return [first.encode("utf-8"), *(piece.encode("utf-8") for piece in pieces)]


def recovery_bytes(copy: RecoveryCopy) -> bytes:
    """`recovery_pieces` joined."""
    return b"".join(recovery_pieces(copy))


def recovery_text(tree: Tree, original: Path | None, digest: str | None) -> bytes:
    """`recovery_bytes` of the tree as it is now."""
    return recovery_bytes(take_copy(tree, original, digest))


def write_recovery(path: Path, data: list[bytes]) -> None:
    write_atomic(path, data, backup=False)


def _path_field(path: Path | None) -> dict[str, str | None]:
    if path is None:
        return {"path": None}
    text = os.path.realpath(path)  # absolute: valid from any working folder
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a file name that is not UTF-8: keep its bytes
        return {"path": None, "path-bytes": os.fsencode(text).hex()}
    return {"path": text}


# ---- reading ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Destination:
    """Where a restored document saves, and what the user is told about it."""

    #: The file Save writes; None: Save asks where, suggesting `suggestion`.
    path: Path | None
    suggestion: Path | None = None
    #: Why Save will ask, or that it will ask before writing over a changed file.
    note: str = ""


def destination(original: Path | None, digest: str | None) -> Destination:
    """Where a document restored from a copy of `original` (read with `digest`) saves:
    the rule in the module's docstring."""
    if original is None:
        return Destination(None)
    name = original.name
    if not original.is_absolute():
        return Destination(None, Path.home() / name, (
            f"This copy was made by an earlier version of offramp that did not record which"
            f" folder {name} was in, so Save will ask where to keep it."))
    folder = original.parent
    if not folder.is_dir():
        return Destination(None, Path.home() / name, (
            f"The folder {folder} no longer exists, so Save will ask where to keep {name}."))
    ask = functools.partial(Destination, None, original)
    try:
        mode = original.stat().st_mode
    except FileNotFoundError:
        return ask(f"{name} is no longer in {folder}, so Save will ask where to keep it.")
    except OSError as error:
        return ask(f"{original} cannot be looked at ({reason(error)}), so Save will ask"
                   " where to keep it.")
    if not stat.S_ISREG(mode):
        return ask(f"{original} is no longer a file, so Save will ask where to keep it.")
    now = file_digest(original)
    if digest is None or now is None:
        return ask(f"offramp cannot tell whether {original} is the file you edited, so"
                   " Save will ask where to keep it.")
    if now != digest:
        return Destination(original, note=(
            f"{name} was changed on disk since you opened or saved it, so Save will ask"
            " before writing over it."))
    return Destination(original)


@dataclass
class Entry:
    """A recovery file left behind, locked by us while we decide what to do with it."""

    file: Path
    lock: QLockFile
    tree: Tree | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    #: Why the file cannot be restored ("" when it can).
    problem: str = ""

    @property
    def original(self) -> Path | None:
        if isinstance(self.meta.get("path"), str):
            return Path(self.meta["path"])
        with contextlib.suppress(KeyError, TypeError, ValueError):
            return Path(os.fsdecode(bytes.fromhex(self.meta["path-bytes"])))
        return None

    @property
    def digest(self) -> str | None:
        value = self.meta.get("digest")
        return value if isinstance(value, str) else None

    @functools.cached_property
    def destination(self) -> Destination:
        """Where the document saves if restored, looked at once (it reads the file)."""
        return destination(self.original, self.digest)

    @property
    def name(self) -> str:
        if self.original is not None:
            return self.original.name
        title = self.meta.get("title")
        return f"Untitled ({title})" if isinstance(title, str) and title else "Untitled"

    @property
    def when(self) -> str:
        saved = self.meta.get("saved")
        if not isinstance(saved, (int, float)):
            with contextlib.suppress(OSError):
                saved = self.file.stat().st_mtime
        if not isinstance(saved, (int, float)):
            return "an unknown time"
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(saved))

    def discard(self) -> None:
        """Delete the recovery file and its lock."""
        with contextlib.suppress(OSError):
            self.file.unlink()
        self.lock.unlock()

    def release(self) -> None:
        """Leave the file for the next start (Decide Later)."""
        self.lock.unlock()


def read_entry(file: Path, lock: QLockFile) -> Entry:
    """Read a left-behind recovery file; a broken one becomes an entry with a problem."""
    entry = Entry(file, lock)
    try:
        data = read_limited(file)
    except FileRefused as refusal:
        entry.problem = str(refusal)
        return entry
    entry.meta = _meta_line(data)
    loaded = loads(data)
    if loaded.tree is None:
        entry.problem = loaded.issues[0].message if loaded.issues else "it is not a tree"
        return entry
    meta = loaded.tree.extras.pop(META_KEY, None)
    entry.meta = meta if isinstance(meta, dict) else entry.meta
    entry.tree = loaded.tree
    return entry


def _meta_line(data: bytes) -> dict[str, Any]:
    """The recovery details from the second line, even when the rest is damaged."""
    lines = data[:65536].split(b"\n", 2)
    if len(lines) < 2:
        return {}
    try:
        meta = json.loads(b"{" + lines[1].strip().rstrip(b",") + b"}").get(META_KEY)
    except (ValueError, AttributeError):
        return {}
    return meta if isinstance(meta, dict) else {}


def left_behind_anywhere(own: Path | None = None) -> list[Entry]:
    """`left_behind` in the usual folder and in the fallback (if it is ours alone),
    oldest first."""
    entries = left_behind(recovery_folder(), own)
    fallback = fallback_folder()
    if fallback.is_dir() and is_private(fallback):
        entries += left_behind(fallback, own)
    return sorted(entries, key=lambda entry: _mtime(entry.file))


def left_behind(folder: Path, own: Path | None = None) -> list[Entry]:
    """Recovery files no living process holds, oldest first, each locked by us.

    Lock files without a recovery file (a window that never autosaved and then
    crashed) are removed on the way.
    """
    if not folder.is_dir():
        return []
    _remove_stale_temps(folder)
    entries = []
    for lock_path in sorted(folder.glob("*.lock")):
        if not lock_path.with_suffix(".json").exists():
            lock = make_lock(lock_path)
            if lock.tryLock(0):
                lock.unlock()  # removes the lock file of a dead process
    files = sorted(folder.glob("*.json"), key=_mtime)
    for file in files:
        if file == own:
            continue
        lock = make_lock(file.with_suffix(".lock"))
        if lock.tryLock(0):
            entries.append(read_entry(file, lock))
    return entries


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _remove_stale_temps(folder: Path) -> None:
    now = time.time()
    for temp in folder.glob(".*.tmp"):
        if now - _mtime(temp) > _STALE_TEMP_SECONDS:
            with contextlib.suppress(OSError):
                temp.unlink()
