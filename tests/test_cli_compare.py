"""`offramp compare`: scenarios side by side, and deciding in one world while living in
another, on the off-ramp tree with scenarios written into a copy of it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from offramp_gui.cli import main

OFFRAMP = Path(__file__).resolve().parents[1] / "trees" / "offramp.json"
STALEMATE = "Kremlin response to a stalemate"
#: What the essay argues: face matters more to the Kremlin, and rhetoric binds.
ESSAY = {"name": "Essay", "note": "Face matters more; rhetoric binds.",
         "variables": {"face_value": 80, "rhetoric_stakes": 50}}
HAWK = {"name": "Hawk", "variables": {"p_nuclear_use": 0.05}}


def tree_file(tmp_path: Path, **keys: object) -> str:
    document = json.loads(OFFRAMP.read_text(encoding="utf-8"))
    document.pop("scenarios", None)  # the tree's own: each test gives the ones it needs
    document.update(keys)
    path = tmp_path / "offramp.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


@pytest.fixture
def scenarios(tmp_path: Path) -> str:
    return tree_file(tmp_path, scenarios=[ESSAY, HAWK])


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        status = main(["compare", *args])
    except SystemExit as leaving:  # argparse refuses a wrong command line itself
        status = leaving.code
    out, err = capsys.readouterr()
    return status, out, err


def rows_of(out: str, heading: str) -> list[str]:
    """The lines of the table under `heading` (its header line first)."""
    lines = out.splitlines()
    start = next(k for k, line in enumerate(lines) if line.startswith(heading)) + 1
    end = next((k for k in range(start, len(lines)) if not lines[k].strip()), len(lines))
    return lines[start:end]


def test_the_essays_values_flip_the_kremlins_stalemate_choice_and_only_that(scenarios,
                                                                             capsys):
    status, out, err = run(capsys, scenarios)
    assert status == 0, err
    decisions = rows_of(out, "Decisions on the solved paths")
    assert decisions[0].split() == ["Decision", "Decider", "Base", "case", "Essay", "Hawk"]
    marked = [line for line in decisions[1:] if line.lstrip().startswith("*")]
    assert len(marked) == 1
    assert STALEMATE in marked[0]
    assert marked[0].index("Grind on") < marked[0].index("Accept a face-saving deal")
    assert marked[0].rstrip().endswith("Grind on")  # the hawk's column, as the base case
    unmarked = [line for line in decisions[1:] if not line.lstrip().startswith("*")]
    assert any("Western war aim" in line for line in unmarked)
    assert "Essay: Face matters more; rhetoric binds." in out

    values = rows_of(out, "Value of each alternative at “Western war aim” for Western"
                          " capitals (utility)")
    off_ramp = next(line for line in values if "keeping an off-ramp" in line)
    assert off_ramp.split()[-3:] == ["-12.42", "1.94", "-12.42"]
    outcomes = rows_of(out, "Chance of each outcome")
    deal = next(line for line in outcomes if "Negotiated settlement" in line)
    assert deal.lstrip().startswith("*") and deal.split()[-3:] == ["30.0%", "85.0%", "30.0%"]


def test_scenario_picks_the_columns_in_order_and_json_marks_what_differs(scenarios, capsys):
    status, out, err = run(capsys, scenarios, "--scenario", "Essay", "--scenario",
                           "base case", "--json")
    assert status == 0, err
    document = json.loads(out)
    assert [c["name"] for c in document["columns"]] == ["Essay", "Base case"]
    rows = {row["decision"]: row for row in document["decisions"]}
    assert rows[STALEMATE]["choices"] == ["Accept a face-saving deal", "Grind on"]
    assert rows[STALEMATE]["differs"] is True and rows[STALEMATE]["decider"] == "The Kremlin"
    assert [name for name, row in rows.items() if row["differs"]] == [STALEMATE]
    alternatives = document["alternatives"]
    assert alternatives["player"] == "Western capitals"
    assert alternatives["decision"] == "Western war aim"
    chances = {row["outcome"]: row["chances"] for row in document["outcomes"]}
    assert chances["Negotiated settlement, face saved"] == pytest.approx([0.85, 0.3])
    assert "two_worlds" not in document


def test_deciding_in_the_essays_world_and_living_in_the_base_case(scenarios, capsys):
    status, out, err = run(capsys, scenarios, "--decide-in", "Essay", "--live-in",
                           "Base case", "--player", "The Kremlin", "--json")
    assert status == 0, err
    worlds = json.loads(out)["two_worlds"]
    assert worlds["player"] == "The Kremlin"
    assert (worlds["decides_in"], worlds["lives_in"]) == ("Essay", "Base case")
    assert {"decision": STALEMATE, "believed": "Accept a face-saving deal",
            "best": "Grind on"} in worlds["choices"]
    assert worlds["value_of_policy"] == pytest.approx(-19.875)
    assert worlds["value_of_best"] == pytest.approx(-12.736)
    assert worlds["regret"] == pytest.approx(7.139)

    # In words, and without --player: the player whose choice the two worlds change.
    status, out, err = run(capsys, scenarios, "--decide-in", "Essay", "--live-in",
                           "Base case")
    assert status == 0, err
    block = out[out.index("The Kremlin, deciding as if “Essay” were true"):]
    stalemate = next(line for line in block.splitlines() if STALEMATE in line)
    assert stalemate.lstrip().startswith("*") and stalemate.rstrip().endswith("Grind on")
    assert "Value in “Base case” of the choices made believing “Essay”: -19.88" in block
    assert "Best value in “Base case”: -12.74" in block
    assert "Regret: 7.14 (utility)" in block


def test_a_player_may_be_named_by_id(scenarios, capsys):
    status, out, err = run(capsys, scenarios, "--player", "kremlin", "--json")
    assert status == 0, err
    assert json.loads(out)["alternatives"]["player"] == "The Kremlin"


def test_a_tree_without_scenarios_compares_the_base_case_and_says_so(tmp_path, capsys):
    status, out, err = run(capsys, tree_file(tmp_path))
    assert status == 0, err
    assert "This tree has no scenarios, so only the base case is shown" in out
    assert rows_of(out, "Chance of each outcome")[0].split() == ["Outcome", "Base", "case"]


def test_what_if_values_saved_with_the_file_are_a_column_of_their_own(tmp_path, capsys):
    path = tree_file(tmp_path, what_if={"variables": {"face_value": 80}})
    status, out, err = run(capsys, path, "--json")
    assert status == 0, err
    document = json.loads(out)
    assert [c["name"] for c in document["columns"]] == ["Base case", "What-if values"]
    rows = {row["decision"]: row["choices"] for row in document["decisions"]}
    assert rows[STALEMATE] == ["Grind on", "Accept a face-saving deal"]


@pytest.mark.parametrize("args, message", [
    (["--scenario", "Dove"],
     'offramp: there is no scenario "Dove"; the tree has "Base case", "Essay", "Hawk"\n'),
    (["--decide-in", "Essay", "--live-in", "Dove"],
     'offramp: there is no scenario "Dove"; the tree has "Base case", "Essay", "Hawk"\n'),
    (["--player", "Putin"], 'offramp: --player Putin: there is no player "Putin"; the'
     " players are Western capitals, Kyiv, The Kremlin\n"),
    (["--decide-in", "Essay"], "offramp: --decide-in and --live-in go together: give both\n"),
])
def test_a_wrong_name_or_a_lone_world_is_one_line_and_status_2(scenarios, capsys, args,
                                                                  message):
    status, out, err = run(capsys, scenarios, *args)
    assert (status, out, err) == (2, "", message)


def test_an_invalid_file_lists_its_problems_and_stops_with_1(tmp_path, capsys):
    path = tree_file(tmp_path, scenarios=[{"name": "Odd", "variables": {"nope": 1}}])
    status, out, err = run(capsys, path)
    assert status == 1 and out == ""
    assert "nope" in err and "Traceback" not in err
