"""Python's cycle collector around work that makes a tree's worth of new objects
(reading a file, a snapshot for saving).

While such work runs, each collection would go through all the objects made so far,
again and again; after it, their number alone would make a collection of everything due
(a second or more at a million nodes, the window stopped whichever thread it runs on).
So the collector is paused meanwhile, and the new objects are then put in its oldest
generation without being scanned (`gc.freeze()`, then `gc.unfreeze()` at once: nothing
is kept for good; they are collected as any others once unreachable).
"""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


def pause() -> bool:
    """Pause the collector; whether it was running (for `resume`)."""
    was_running = gc.isenabled()
    gc.disable()
    return was_running


def resume(was_running: bool) -> None:
    """Undo `pause`, with the objects made meanwhile in the oldest generation."""
    if was_running:
        gc.freeze()
        gc.unfreeze()
        gc.enable()


@contextmanager
def paused() -> Iterator[None]:
    """`pause`, then `resume` however the block ends."""
    was_running = pause()
    try:
        yield
    finally:
        resume(was_running)
