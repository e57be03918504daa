"""Qt-free fixtures; GUI tests add theirs in tests/gui/conftest.py."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

# Set before any test module can import Qt: GUI tests run with no display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
TREES = ROOT / "trees"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    """`../shared` (interop fixtures); tests that need it skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(autouse=True)
def private_state_dir(tmp_path_factory, monkeypatch):
    """Crash-recovery files of each test go to a folder of its own, never the user's
    (and not inside tmp_path, which some tests expect to find empty)."""
    folder = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("OFFRAMP_STATE_DIR", str(folder))
    return folder
