"""Bounds that keep hostile files from hanging or crashing the reader."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

#: Files larger than this are refused unread.
MAX_FILE_BYTES = 200 * 1024 * 1024
#: JSON nesting the C parser may follow; a tree 1,000 levels deep needs about 2,000.
_RECURSION_LIMIT = 6000


@contextmanager
def deep_recursion() -> Iterator[None]:
    """Let the JSON scanner follow deep (but bounded) nesting."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, _RECURSION_LIMIT))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)
