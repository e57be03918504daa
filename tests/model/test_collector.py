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
