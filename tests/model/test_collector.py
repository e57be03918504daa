"""The cycle collector paused around a tree's worth of new objects, and given back."""
from __future__ import annotations

import gc

import pytest

from offramp_gui.model import collector


class Cycle:
    def __init__(self):
        self.me = self


def test_paused_gives_the_collector_back_with_the_new_objects_in_its_oldest_generation():
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
        made = Cycle()
    assert gc.isenabled() and gc.get_freeze_count() == 0  # nothing kept for good
    assert any(o is made for o in gc.get_objects(generation=2))
    del made
    assert gc.collect() > 0  # and collected once unreachable


def test_a_collector_paused_by_the_caller_stays_paused():
    gc.disable()
    try:
        with pytest.raises(ValueError), collector.paused():
            raise ValueError("the work failed")
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(ValueError), collector.paused():
        raise ValueError("the work failed")
    assert gc.isenabled()


def test_a_tree_kept_out_stays_out_of_every_scan_and_is_still_freed():
    tree = [Cycle() for _ in range(3)]
    young_garbage = Cycle()
    young_garbage_id = id(young_garbage)
    del young_garbage
    collector.keep_out()
    assert gc.get_freeze_count() >= 3
    assert not any(o is tree[0] for o in gc.get_objects())  # never scanned again
    assert not any(id(o) == young_garbage_id for o in gc.get_objects())
    with collector.paused():  # (as a later snapshot is made)
        made = Cycle()
    # Unfreezing to put `made` in the oldest generation would bring the tree back.
    assert not any(o is tree[0] for o in gc.get_objects())
    assert gc.isenabled() and not any(o is made for o in gc.get_objects())
    freed = []
    tree[0].__class__ = type("Watched", (Cycle,), {"__del__": lambda self: freed.append(1)})
    tree[0].me = None  # no cycle left: its reference count frees it
    del tree[0]
    assert freed == [1]
