"""A file's name is shown in the window title and the status line as plain, one-line text."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: An escape sequence, a right-to-left override, a line break and a tab.
HOSTILE_NAME = "red\x1b[31m rtl\u202egnp.exe new\nline\ttab.json"
RAW = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_a_hostile_file_name_is_shown_safely(make_window, tmp_path, qtbot):
    path = tmp_path / HOSTILE_NAME
    path.write_bytes((ROOT / "trees" / "concessions.json").read_bytes())
    window = make_window()
    assert window.files.open(path, ask=False)
    title, status = window.windowTitle(), window.statusBar().currentMessage()
    for text in (title, status):
        assert not RAW.search(text)
        assert "red" in text and "gnp.exe new" in text and "line" in text  # recognisable
    assert status.startswith("Opened red")
    assert title.endswith("[*] — offramp")
