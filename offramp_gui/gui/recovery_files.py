"""Recovery files on disk: where they live, what they hold, and which ones were left behind.

A recovery file is an offramp tree with one extra top-level key, `x-offramp-recovery`,
written on the file's second line: the original path (or none), the title, the time
and the fingerprint of the original file as it was read. Beside it, `NAME.lock` is a
QLockFile held by the running window that writes it. A recovery file whose lock no
living process holds was left behind by a crash, a kill or a power cut.
"""
from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs
from PySide6.QtCore import QLockFile, QObject, QSettings, Signal

from ..fileformat.atomic import write_atomic
from ..fileformat.json_io import loads, snapshot, snapshot_text
from ..fileformat.limits import MAX_FILE_BYTES
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
def recovery_text(tree: Tree, original: Path | None, digest: str | None) -> bytes:
    """The tree as a document, with what recovery needs to know on its second line."""
    meta: dict[str, Any] = {"title": tree.title, "saved": time.time(), "digest": digest}
    meta.update(_path_field(original))
    snap = snapshot(tree)
    snap.head.pop(META_KEY, None)  # a recovery file opened as a tree: keep one key, ours
    head = json.dumps({META_KEY: meta}, ensure_ascii=False)[1:-1]
    return ("{\n  " + head + ",\n" + snapshot_text(snap)[2:]).encode("utf-8")


def write_recovery(path: Path, tree: Tree, original: Path | None, digest: str | None) -> None:
    write_atomic(path, recovery_text(tree, original, digest), backup=False)


def _path_field(path: Path | None) -> dict[str, str | None]:
    if path is None:
        return {"path": None}
    text = os.fspath(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a file name that is not UTF-8: keep its bytes
        return {"path": None, "path-bytes": os.fsencode(text).hex()}
    return {"path": text}


# ---- reading ---------------------------------------------------------------------------
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
        if file.stat().st_size > MAX_FILE_BYTES:
            entry.problem = "the file is too large"
            return entry
        data = file.read_bytes()
    except OSError as error:
        entry.problem = f"cannot read it ({error.strerror or error})"
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
