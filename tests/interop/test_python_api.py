"""The Python API: light to import, and the documented example agrees with the CLI."""
from __future__ import annotations

import contextlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "python-api.md"


def run_python(code: str) -> str:
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, timeout=60)
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_importing_the_package_loads_nothing_heavy_and_never_qt():
    out = run_python(
        "import sys, offramp_gui\n"
        "print(sorted(m for m in sys.modules if m.startswith('offramp_gui')))\n"
        "from offramp_gui import (load, load_text, save, evaluate, check, convert, one_way,"
        " two_way, tornado, threshold, simulate, subject, read, write, flatten)\n"
        "print(any(m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6')"
        " for m in sys.modules))\n")
    first, second = out.splitlines()
    assert first == "['offramp_gui']"
    assert second == "False"


def test_every_public_name_resolves_and_unknown_names_fail():
    import offramp_gui
    for name in offramp_gui.__all__:
        assert getattr(offramp_gui, name) is not None
    assert "convert" in dir(offramp_gui)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        offramp_gui.nope  # noqa: B018


def documented_example(number: int = 1) -> dict:
    """Run an example of docs/python-api.md (the worked one by default); return its
    variables and output."""
    block = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)[number]
    namespace: dict = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(block, str(DOC), "exec"), namespace)  # our own documentation
    namespace["printed"] = printed.getvalue()
    return namespace


def offramp(*args: str) -> str:
    run = subprocess.run([sys.executable, "-m", "offramp_gui", *args], capture_output=True,
                         text=True, cwd=ROOT, timeout=60, check=True)
    return run.stdout


def offramp_json(*args: str) -> dict:
    return json.loads(offramp(*args))


def test_the_documented_example_gives_the_command_lines_results():
    example = documented_example()
    cli = offramp_json("evaluate", "trees/offramp.json", "--json")
    assert example["document"] == cli
    assert example["chosen"] == cli["nodes"]["aim"]["choice"]
    assert example["printed"].splitlines()[0] == f"{cli['nodes']['aim']['choice']} -12.42"
    bolder = offramp_json("evaluate", "trees/offramp.json", "--json", "--set", "p_collapse=0.5")
    assert example["bolder"].chosen_id("aim") == bolder["nodes"]["aim"]["choice"]
    assert example["sweep"].switches and example["bars"]


def test_the_documented_analyses_are_the_command_lines():
    example = documented_example(2)
    printed = offramp("threshold", "trees/offramp.json", "--node", "offramp_pledges.stall",
                      "--var", "face_value")
    assert example["printed"].startswith(printed)
    cli = offramp_json("threshold", "trees/offramp.json", "--node", "offramp_pledges.stall",
                       "--var", "face_value", "--json")
    assert example["run"].document() == cli
    assert example["fixed"] == offramp_json("tornado", "trees/offramp.json", "--set",
                                            "p_collapse=0.4", "--json")


def test_the_documented_explanation_is_the_command_lines():
    example = documented_example(3)
    cli = offramp_json("explain", "trees/offramp.json", "--json")
    assert example["told"].to_json() == cli
    holds = offramp_json("explain", "trees/offramp.json", "--node", "aim", "-n", "2000",
                         "--seed", "1", "--json")["decisions"][0]["holds"]
    assert example["printed"].splitlines()[-1] == str(holds["share"])


def test_convert_from_python_equals_convert_from_the_command_line(tmp_path):
    from offramp_gui import convert
    report = convert(ROOT / "trees" / "offramp.json", tmp_path / "api.csv")
    subprocess.run([sys.executable, "-m", "offramp_gui", "convert", "trees/offramp.json",
                    "-o", str(tmp_path / "cli.csv")], cwd=ROOT, check=True, timeout=60,
                   capture_output=True)
    assert (tmp_path / "api.csv").read_bytes() == (tmp_path / "cli.csv").read_bytes()
    assert report.as_dict()["to"] == "csv"
