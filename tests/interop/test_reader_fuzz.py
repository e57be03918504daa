"""A short fuzz run of the Gambit and SilverDecisions readers with the other tests;
tests/fuzz/fuzz_interop.py runs the same properties as long as asked."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from reader_fuzz import (
    GAMBIT_SEEDS,
    GAMBIT_TOKENS,
    SD_SEEDS,
    SD_TOKENS,
    mutated,
    read_or_refuse,
    swapped,
)

SHORT = settings(max_examples=200, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SHORT
@given(mutated(GAMBIT_SEEDS, GAMBIT_TOKENS))
def test_mutated_gambit_games_read_or_are_refused_with_a_message(data):
    read_or_refuse(data, ".efg")


@SHORT
@given(mutated(SD_SEEDS, SD_TOKENS) | swapped())
def test_mutated_silverdecisions_files_read_or_are_refused_with_a_message(data):
    read_or_refuse(data, ".json")
