"""A real crash: the app runs in a child process, is killed with SIGKILL, and starts again."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from offramp_gui.fileformat.json_io import dumps
from offramp_gui.gui.recovery_files import left_behind, recovery_folder

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import json, os, sys
from pathlib import Path
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from offramp_gui.fileformat.json_io import dumps
from offramp_gui.gui.app import configure_application
from offramp_gui.gui.main_window import MainWindow

app = configure_application()
window = MainWindow()
window.files.open(Path(sys.argv[1]), ask=False)
leaf = next(n for n in window.document.tree.root.walk() if n.type == "terminal")
window.document.edit.set_field(leaf.id, "branch", "typed just before the crash")
assert window.features["recovery"].write()
print(json.dumps(dumps(window.document.tree)), flush=True)
app.exec()  # until killed
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_app_is_recovered_at_the_next_start(make_window, tmp_path):
    tree_file = tmp_path / "offramp.json"
    shutil.copy(ROOT / "trees" / "offramp.json", tree_file)
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "config"), HOME=str(tmp_path),
               PYTHONPATH=str(ROOT))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(tree_file)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        expected = json.loads(child.stdout.readline())
        # Alive, it holds its lock: another instance must not offer its file.
        assert left_behind(recovery_folder()) == []
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(30)
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL

    window = make_window(recover="restore")
    assert window.features["recovery"].offer_at_start() == 1
    assert dumps(window.document.tree) == expected
    assert window.document.modified and window.document.path == tree_file
    assert tree_file.read_bytes() == (ROOT / "trees" / "offramp.json").read_bytes()
