"""The ids and labels of a patched tree are runs of the old ones (not copied): they
read as the tuple they stand for, edit after edit."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from offramp_gui.analysis.restructure import Spliced

runs = st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), max_size=6)


@given(st.lists(runs, min_size=1, max_size=5), st.integers(2, 5))
def test_runs_of_runs_read_as_the_tuple(edits, most):
    base = tuple(f"n{k}" for k in range(12))
    expected: tuple = base
    spliced: Spliced | tuple = base
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Spliced, "MAX_RUNS", most)  # joined into one tuple now and then
        for edit in edits:
            pieces = [(min(a, b, len(expected)), min(max(a, b), len(expected))) for a, b in edit]
            expected = tuple(x for a, b in pieces for x in expected[a:b]) + ("new",)
            spliced = Spliced([(spliced, a, b) for a, b in pieces] + [(("new",), 0, 1)])
            assert spliced == expected and expected == spliced and len(spliced) == len(expected)
            assert [spliced[i] for i in range(-len(expected), len(expected))] == list(
                expected + expected)
            assert spliced[1:-1] == expected[1:-1] and spliced[::2] == expected[::2]
    with pytest.raises(IndexError):
        spliced[len(expected)]
