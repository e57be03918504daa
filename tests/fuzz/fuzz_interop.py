"""Fuzzing the Gambit and SilverDecisions readers with hypothesis, as long as asked.

Property (tests/interop/reader_fuzz.py): whatever the bytes, `interop.read` gives a tree
or raises ConversionError with one line per problem; nothing else escapes, nothing hangs.
tests/interop/test_reader_fuzz.py runs 200 examples of each with the other tests; this
file runs a few by default and, for a long run:

    OFFRAMP_FUZZ_EXAMPLES=100000 python -m pytest tests/fuzz/fuzz_interop.py -x -q \\
        -o faulthandler_timeout=0
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "interop"))
from reader_fuzz import (  # noqa: E402  (the shared inputs live beside the interop tests)
    GAMBIT_SEEDS,
    GAMBIT_TOKENS,
    SD_SEEDS,
    SD_TOKENS,
    mutated,
    read_or_refuse,
    swapped,
)

EXAMPLES = int(os.environ.get("OFFRAMP_FUZZ_EXAMPLES", "30"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])


@FUZZ
@given(mutated(GAMBIT_SEEDS, GAMBIT_TOKENS) | st.binary(max_size=1024))
def test_gambit_reader(data):
    read_or_refuse(data, ".efg")


@FUZZ
@given(mutated(SD_SEEDS, SD_TOKENS) | swapped())
def test_silverdecisions_reader(data):
    read_or_refuse(data, ".json")


@FUZZ
@given(st.lists(st.sampled_from(GAMBIT_TOKENS), max_size=60).map(b" ".join))
def test_gambit_reader_on_token_soup(data):
    read_or_refuse(b'EFG 2 R "soup" { "A" "B" }\n""\n' + data, ".efg")
