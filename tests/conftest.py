"""Qt-free fixtures; GUI tests add theirs in tests/gui/conftest.py."""
from __future__ import annotations

import os

import pytest

# Set before any test module can import Qt: GUI tests run with no display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def private_state_dir(tmp_path_factory, monkeypatch):
    """Crash-recovery files of each test go to a folder of its own, never the user's
    (and not inside tmp_path, which some tests expect to find empty)."""
    folder = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("OFFRAMP_STATE_DIR", str(folder))
    return folder
