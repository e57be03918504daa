"""Scenarios and what-if values in the file: read, checked, written back."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from offramp_gui import api
from offramp_gui.fileformat import json_io
from offramp_gui.model.issues import TreeFormatError

TREES = Path(__file__).resolve().parents[2] / "trees"


def _document(**extra: object) -> dict:
    doc = json.loads((TREES / "offramp.json").read_text())
    doc.pop("scenarios", None)
    doc.update(extra)
    return doc


def test_the_bundled_tree_keeps_its_first_two_scenarios_that_round_trip():
    text = (TREES / "offramp.json").read_text()
    tree = api.load_text(text)
    assert [s.name for s in tree.scenarios[:2]] == ["As the essay argues",
                                                    "Rhetoric commits the West"]
    assert tree.scenarios[1].values.variables == {"p_west_blinks": 0.1,
                                                  "rhetoric_deterrence": 16}
    assert tree.scenarios[0].note.startswith("Kyiv's cheap pledges")
    assert json_io.dumps(tree) == text


def test_what_if_values_are_the_current_ones_and_the_base_case_is_written_in_place():
    doc = _document(what_if={"variables": {"p_collapse": 0.5},
                             "weights": {"west": {"cost": 0.3}}})
    tree = api.load_text(json.dumps(doc))
    assert tree.variable("p_collapse").value == 0.5
    assert next(p for p in tree.players if p.id == "west").weights["cost"] == 0.3
    assert tree.base_case.variables == {"p_collapse": 0.3}
    assert tree.base_case.weights == {"west": {"cost": 0.15}}
    written = json.loads(json_io.dumps(tree))
    assert next(v for v in written["variables"] if v["name"] == "p_collapse")["value"] == 0.3
    assert next(p for p in written["players"] if p["id"] == "west")["weights"]["cost"] == 0.15
    assert written["what_if"] == {"variables": {"p_collapse": 0.5},
                                  "weights": {"west": {"cost": 0.3}}}


@pytest.mark.parametrize(("scenarios", "message"), [
    ([{"name": "Hawk", "variables": {"p_nowhere": 1}}],
     'scenario "Hawk" sets "p_nowhere", which is not a variable of the tree'),
    ([{"name": "Hawk", "weights": {"west": {"courage": 1}}}],
     'scenario "Hawk" sets Western capitals\'s weight on "courage", which is not a criterion'),
    ([{"name": "Hawk", "weights": {"nato": {"cost": 1}}}],
     'scenario "Hawk" sets weights of "nato", which is not a player of the tree'),
    ([{"name": "Hawk"}, {"name": "Hawk"}], 'two scenarios are named "Hawk"'),
    ([{"name": "Hawk", "variables": {"p_collapse": "high"}}],
     'the value of "p_collapse" must be a number, not'),
    ([{"note": "nameless"}], 'missing "name"'),
])
def test_a_scenario_that_names_what_the_tree_lacks_is_refused(scenarios, message):
    with pytest.raises(TreeFormatError) as caught:
        api.load_text(json.dumps(_document(scenarios=scenarios)))
    assert message in str(caught.value)


def test_the_command_line_evaluates_the_base_case_not_the_what_if_values(tmp_path):
    moved = tmp_path / "moved.json"
    moved.write_text(json.dumps(_document(what_if={"variables": {"face_value": 80}})))
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps(_document()))

    def root_values(path: Path) -> list:
        done = subprocess.run([sys.executable, "-m", "offramp_gui", "evaluate", "--json",
                               str(path)], capture_output=True, text=True, check=True)
        return json.loads(done.stdout)["nodes"]["aim"]["utility"]

    assert root_values(moved) == root_values(plain)
    assert api.load(moved).variable("face_value").value == 80  # the app's view of it
