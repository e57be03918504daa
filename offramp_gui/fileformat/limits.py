"""Bounds that keep hostile files from hanging or crashing the reader."""
from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

#: Files larger than this are refused unread.
MAX_FILE_BYTES = 200 * 1024 * 1024
#: JSON nesting the C parser may follow; a tree 1,000 levels deep needs about 2,000.
_RECURSION_LIMIT = 6000
#: Opening a FIFO for reading waits for a writer, and a terminal may become ours: neither.
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
               | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0))
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a pipe (FIFO)"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
          (stat.S_ISSOCK, "a socket"))


class FileRefused(Exception):
    """A file that is not read; the message says why, in the user's words."""


@contextmanager
def deep_recursion() -> Iterator[None]:
    """Let the JSON scanner follow deep (but bounded) nesting."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, _RECURSION_LIMIT))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def too_large(size: int) -> str:
    return (f"the file is {size / 2**20:.0f} MB; offramp refuses files over"
            f" {MAX_FILE_BYTES // 2**20} MB")


def read_limited(path: str | os.PathLike) -> bytes:
    """The bytes of a regular file (links followed) of at most MAX_FILE_BYTES.

    Anything else is refused unread: a folder, a device such as /dev/zero (which never
    ends), a FIFO (which waits for a writer). Raises FileRefused.
    """
    with open_regular(path) as (stream, size):
        if size > MAX_FILE_BYTES:
            raise FileRefused(too_large(size))
        try:
            return _read_at_most(stream, size)
        except OSError as error:
            raise FileRefused(f"cannot read the file: {error.strerror or error}") from None


@contextmanager
def open_regular(path: str | os.PathLike) -> Iterator[tuple[BinaryIO, int]]:
    """A regular file (links followed) open for reading, and its size; FileRefused else."""
    try:
        _refuse_unless_regular(os.stat(path))  # so that no device is even opened
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        raise FileRefused(f"cannot read the file: {error.strerror or error}") from None
    with open(descriptor, "rb", buffering=0) as stream:
        try:
            # The file opened is what counts: the name may point elsewhere by now.
            info = os.fstat(descriptor)
            _refuse_unless_regular(info)
            if _OPEN_FLAGS & getattr(os, "O_NONBLOCK", 0):
                os.set_blocking(descriptor, True)
        except OSError as error:
            raise FileRefused(f"cannot read the file: {error.strerror or error}") from None
        yield stream, info.st_size


def _refuse_unless_regular(info: os.stat_result) -> None:
    if stat.S_ISREG(info.st_mode):
        return
    kind = next((words for test, words in _KINDS if test(info.st_mode)), "not a file")
    if kind == "a folder":
        raise FileRefused("this is a folder, not a file")
    raise FileRefused(f"this is {kind}, not a regular file; offramp reads only files")


def _read_at_most(stream: BinaryIO, size: int) -> bytes:
    """Read the whole file, up to one byte past the limit (a file may grow while read)."""
    parts = []
    wanted, got = size + 1, 0
    while got <= MAX_FILE_BYTES:
        part = stream.read(min(wanted, MAX_FILE_BYTES + 1 - got))
        if not part:
            break
        parts.append(part)
        got += len(part)
        wanted = max(wanted - len(part), 1 << 20)
    if got > MAX_FILE_BYTES:
        raise FileRefused(too_large(got))
    return parts[0] if len(parts) == 1 else b"".join(parts)  # (one part: no copy)
