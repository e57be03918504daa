"""Python's cycle collector around work that makes a tree's worth of new objects
(reading a file, a snapshot for saving).

While such work runs, each collection would go through all the objects made so far,
again and again; after it, their number alone would make a collection of everything due
(a second or more at a million nodes, the window stopped whichever thread it runs on).
So the collector is paused meanwhile, and the new objects are then put in its oldest
generation without being scanned (`gc.freeze()`, then `gc.unfreeze()` at once: they
are collected as any others once unreachable).

That only puts off the oldest generation's own collection, which comes once enough
objects have joined it since the last, and goes through all of them: 2.6 s at a million
nodes, on whichever thread made the last object, holding the interpreter. So a large
tree, once read, is left out of the collector's scans for good (`keep_out`). Its objects
are still freed by their reference counts (a tree holds no cycles: a closed one is freed
as it is dropped); only cyclic garbage left out with them is never collected.
"""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: Whether a tree was left out of the collector's scans (`keep_out`); counting the
#: objects left out (`gc.get_freeze_count`) goes through all of them.
kept_out = False


def pause() -> bool:
    """Pause the collector; whether it was running (for `resume`)."""
    was_running = gc.isenabled()
    gc.disable()
    return was_running


def resume(was_running: bool) -> None:
    """Undo `pause`, with the objects made meanwhile in the oldest generation; once a
    tree is kept out, they are left out with it (unfreezing them would bring it back)."""
    if was_running:
        gc.freeze()
        if not kept_out:
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


def keep_out() -> None:
    """Leave every object there is out of the collector's scans for good (after a large
    tree is read); the young ones are collected first."""
    global kept_out
    gc.collect(1)
    gc.freeze()
    kept_out = True
