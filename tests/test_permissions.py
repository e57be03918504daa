"""Permissions as an ordinary user: read-only folders and files, unwritable export folders.

Tests run as root in CI, and root ignores file modes; so each case runs in a child process
as the user nobody (setpriv). Where Python itself is installed somewhere nobody cannot
read (pyenv under /root), the child keeps only the right to read and search folders
(CAP_DAC_READ_SEARCH): writing is still checked as for anyone else, which is what these
tests are about.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
READ_SEARCH = ["--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search"]
TREE = (ROOT / "trees" / "cuban-missile-crisis-1962.json").read_bytes()


def _qt_plugins() -> str:
    """Qt finds its plugins by itself, except in a process with a raised capability."""
    try:
        import PySide6
    except ImportError:
        return ""
    return str(Path(PySide6.__file__).parent / "Qt" / "plugins")


def _as_nobody() -> list[str] | None:
    """The command prefix that runs Python as nobody, or None where that cannot be done."""
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("setpriv") is None:
        return None
    # The same Python as ours, with the project's dependencies, not some other one.
    code = ("import sys, numpy, PySide6, offramp_gui\n"
            f"assert sys.prefix == {sys.prefix!r}, sys.prefix")
    for extra in ([], READ_SEARCH):
        probe = subprocess.run(NOBODY + extra + [sys.executable, "-c", code],
                               env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True,
                               timeout=60)
        if probe.returncode == 0:
            return NOBODY + extra
    return None


PREFIX = _as_nobody()
pytestmark = pytest.mark.skipif(PREFIX is None, reason="needs root, Linux and setpriv")


@pytest.fixture
def place():
    """A folder everybody can reach (pytest's own tmp folders are root's alone)."""
    base = Path(tempfile.mkdtemp(prefix="offramp-nobody-"))
    base.chmod(0o755)
    yield base
    for folder in base.rglob("*"):
        if folder.is_dir():
            folder.chmod(0o755)
    shutil.rmtree(base)


def folder(base: Path, name: str, mode: int, tree_mode: int | None = 0o666) -> Path:
    """A folder with mode `mode` holding tree.json with mode `tree_mode` (None: no file)."""
    path = base / name
    path.mkdir()
    if tree_mode is not None:
        (path / "tree.json").write_bytes(TREE)
        (path / "tree.json").chmod(tree_mode)
    path.chmod(mode)
    return path


def child_env(home: Path) -> dict[str, str]:
    temp = home / "tmp"  # the system's temporary folder of the child: not the real one
    temp.mkdir(exist_ok=True)
    temp.chmod(0o1777)
    return dict(os.environ, PYTHONPATH=str(ROOT), HOME=str(home), QT_QPA_PLATFORM="offscreen",
                QT_PLUGIN_PATH=_qt_plugins(), XDG_CONFIG_HOME=str(home / "config"),
                XDG_RUNTIME_DIR=str(home / "runtime"), OFFRAMP_STATE_DIR=str(home / "state"),
                TMPDIR=str(temp))


def as_nobody(code: str, *args: str, home: Path) -> dict:
    """Run `code` as nobody; it prints one JSON object, which is returned."""
    done = subprocess.run(PREFIX + [sys.executable, "-c", code, *args], env=child_env(home),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


SAVE = """
import json, os, sys
from offramp_gui.api import load, save
from offramp_gui.fileformat.atomic import SaveError
tree = load(sys.argv[1])
tree.title = "changed"
try:
    save(tree, sys.argv[1])
    print(json.dumps({"saved": True, "uid": os.getuid()}))
except SaveError as error:
    print(json.dumps({"saved": False, "message": str(error), "uid": os.getuid()}))
"""


def test_saving_into_a_read_only_folder_fails_and_changes_nothing(place):
    home = folder(place, "home", 0o777, None)
    locked = folder(place, "locked", 0o555)
    result = as_nobody(SAVE, str(locked / "tree.json"), home=home)
    assert result == {"saved": False, "uid": 65534, "message":
                      f"cannot write in the folder {locked}: permission denied"}
    assert (locked / "tree.json").read_bytes() == TREE
    assert sorted(p.name for p in locked.iterdir()) == ["tree.json"]


def test_saving_a_read_only_file_fails_and_changes_nothing(place):
    home = folder(place, "home", 0o777, None)
    shared = folder(place, "shared", 0o777, tree_mode=0o444)
    result = as_nobody(SAVE, str(shared / "tree.json"), home=home)
    assert result["message"] == "tree.json is read-only; save it under another name"
    assert (shared / "tree.json").read_bytes() == TREE
    assert sorted(p.name for p in shared.iterdir()) == ["tree.json"]


def test_saving_in_a_writable_folder_works_as_nobody(place):
    home = folder(place, "home", 0o777, None)
    mine = folder(place, "mine", 0o777)
    assert as_nobody(SAVE, str(mine / "tree.json"), home=home)["saved"]
    assert (mine / "tree.json.bak").read_bytes() == TREE


APP_SAVE = """
import json, sys
from pathlib import Path
from offramp_gui.gui.app import configure_application
from offramp_gui.gui.main_window import MainWindow
sys.path.insert(0, sys.argv[2])
from recording import FakePrompts
app = configure_application()
window = MainWindow(prompts=FakePrompts())
assert window.files.open(Path(sys.argv[1]))
leaf = next(n for n in window.document.tree.root.walk() if n.type == "terminal")
window.document.edit.set_field(leaf.id, "branch", "changed")
saved = window.files.save()
autosave = window.features["recovery"].write()
copy = window.features["recovery"].file
print(json.dumps({"saved": saved, "errors": window.prompts.errors,
                  "modified": window.document.modified, "autosave": autosave,
                  "reports": window.prompts.reports, "copy": str(copy),
                  "written": copy.is_file()}))
"""


def test_the_app_says_so_and_keeps_the_document_unsaved(place):
    home = folder(place, "home", 0o777, None)
    (home / "state").mkdir(mode=0o555)  # nor the recovery folder: autosave moves
    locked = folder(place, "locked", 0o555)
    result = as_nobody(APP_SAVE, str(locked / "tree.json"), str(ROOT / "tests" / "gui"),
                       home=home)
    assert result["saved"] is False and result["modified"] is True
    [[title, text, details]] = result["errors"]
    assert (title, text) == ("Cannot save the tree", "tree.json was not saved.")
    assert details == f"cannot write in the folder {locked}: permission denied"
    assert result["autosave"] is True
    fallback = home / "tmp" / "offramp-65534" / "recovery"
    [[title, text, _icon]] = result["reports"]
    assert (title, text) == ("Autosave moved", (
        f"Autosave cannot write in {home / 'state' / 'recovery'}: permission denied."
        f" Unsaved changes are copied to {fallback} instead."))
    assert Path(result["copy"]).parent == fallback and result["written"]
    assert (locked / "tree.json").read_bytes() == TREE


def test_export_into_an_unwritable_folder_refuses_with_a_message(place):
    home = folder(place, "home", 0o777, None)
    source = folder(place, "source", 0o755, tree_mode=0o644)
    locked = folder(place, "locked", 0o555, None)
    for name in ("out.png", "out.svg", "out.pdf"):
        done = subprocess.run(PREFIX + [sys.executable, "-m", "offramp_gui.cli", "export",
                                        str(source / "tree.json"), "-o", str(locked / name)],
                              env=child_env(home), capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert (f"offramp: cannot export to {locked / name}: cannot write in the folder"
                f" {locked}: permission denied") in done.stderr
    assert list(locked.iterdir()) == []
