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
