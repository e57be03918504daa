"""The catalogue of analyses: every entry computes on every bundled tree, and its table,
JSON and text are exactly what the command line writes and prints."""
from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import numpy as np
import pytest

from offramp_gui.analysis.catalogue import (
    KINDS,
    InformationParameters,
    MonteCarloParameters,
    OneWayParameters,
    ProfileParameters,
    RequirementsParameters,
    SpiderParameters,
    ThresholdParameters,
    TornadoParameters,
    TwoWayParameters,
    kind_of,
)
from offramp_gui.analysis.catalogue.what_would_it_take import NONE_IN_RANGE, answers
from offramp_gui.analysis.flatten import CHANCE_KIND
from offramp_gui.analysis.readable import csv_number
from offramp_gui.analysis.sensitivity import AnalysisError
from offramp_gui.cli import main
from offramp_gui.cli.common import load_flat

TREES = Path(__file__).resolve().parents[2] / "trees"


@dataclasses.dataclass(frozen=True)
class Bundled:
    """A bundled tree and what to ask of it: two ranged variables, a decision of the
    other side's and a branch one would like it to choose."""

    name: str
    first: str
    second: str
    node: str
    target: str

    @property
    def path(self) -> str:
        return str(TREES / f"{self.name}.json")


BUNDLED = [
    Bundled("offramp", "face_value", "p_collapse", "offramp_pledges.stall",
            "offramp_pledges.stall.accept"),
    Bundled("concessions", "face_value", "p_west_blinks", "fig_leaves", "fig_leaves.accept"),
    Bundled("cuban-missile-crisis-1962", "jupiter_face", "p_tactical_use",
            "quarantine.demand_jupiters", "quarantine.demand_jupiters.quiet_deal"),
    Bundled("rhetoric", "rhetoric_stakes", "p_calculating", "maximalist.calculating",
            "maximalist.calculating.accept"),
]


#: What each analysis is asked of a bundled tree, and the same asked of the command line.
ASKED = {
    "one-way": lambda tree: (
        OneWayParameters(variable=tree.first, steps=31, values={tree.second: 0.3}),
        ["sensitivity", "--var", tree.first, "--steps", "31", "--set", f"{tree.second}=0.3"]),
    "two-way": lambda tree: (
        TwoWayParameters(x=tree.first, y=tree.second, steps=12),
        ["map", "--x", tree.first, "--y", tree.second, "--steps", "12"]),
    "tornado": lambda tree: (TornadoParameters(node=tree.node), ["tornado", "--node", tree.node]),
    "spider": lambda tree: (
        SpiderParameters(node=tree.node, steps=9, values={tree.second: 0.3}),
        ["spider", "--node", tree.node, "--steps", "9", "--set", f"{tree.second}=0.3"]),
    "threshold": lambda tree: (
        ThresholdParameters(node=tree.node, variable=tree.first),
        ["threshold", "--node", tree.node, "--var", tree.first]),
    "monte-carlo": lambda tree: (
        MonteCarloParameters(samples=300, seed=5), ["simulate", "-n", "300", "--seed", "5"]),
    "what-would-it-take": lambda tree: (
        RequirementsParameters(node=tree.node, target=tree.target), []),
    "value-of-information": lambda tree: (
        InformationParameters(event=first_event(tree), accuracy=0.7),
        ["voi", "--event", first_event(tree), "--accuracy", "0.7"]),
    "risk-profile": lambda tree: (ProfileParameters(node=tree.node, values={tree.first: 10}),
                                  ["profile", "--node", tree.node, "--set", f"{tree.first}=10"]),
}


def first_event(tree: Bundled) -> str:
    """The tree's first chance node (breadth first), known before the decision above it."""
    _settings, flat = load_flat(tree.path)
    return flat.ids[int(np.flatnonzero(flat.kind == CHANCE_KIND)[0])]


def command_line(capsys, args: list[str]) -> str:
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


@pytest.mark.parametrize("tree", BUNDLED, ids=lambda tree: tree.name)
@pytest.mark.parametrize("name", list(KINDS))
def test_each_entry_is_what_the_command_line_gives(name, tree, tmp_path, capsys):
    kind = KINDS[name]
    parameters, args = ASKED[name](tree)
    assert kind_of(parameters) is kind
    _settings, flat = load_flat(tree.path)
    run = kind.run(flat, parameters)
    table = run.table()
    document = json.loads(json.dumps(run.document(), allow_nan=False))
    if kind.command is None:
        check_what_would_it_take(run, tree, tmp_path, capsys)
        return
    assert args[0] == kind.command
    command = [args[0], tree.path, *args[1:]]
    out = tmp_path / "out.csv"
    assert command_line(capsys, [*command, "-o", str(out)]) == run.text() + "\n"
    assert out.read_bytes() == run.csv()
    header, *rows = list(csv.reader(io.StringIO(out.read_text())))
    assert header == table.header and len(rows) == len(list(run.table().rows)) > 0
    assert json.loads(command_line(capsys, [*command, "--json"])) == document


def check_what_would_it_take(run, tree: Bundled, tmp_path, capsys) -> None:
    """Its table is the threshold table of every variable; a row of it each, as the
    command line's `threshold` writes it."""
    rows = list(csv.reader(io.StringIO(run.csv().decode())))
    assert rows[0] == ["variable", "from", "to", "choice", "branch"]
    for name in (tree.first, tree.second):
        out = tmp_path / f"{name}.csv"
        command_line(capsys, ["threshold", tree.path, "--node", tree.node, "--var", name,
                              "-o", str(out)])
        _header, *expected = list(csv.reader(io.StringIO(out.read_text())))
        assert [row[1:] for row in rows if row[0] == name] == expected
        chosen = [[a, b] for _name, a, b, choice, _label in
                  (row for row in rows if row[0] == name) if choice == tree.target]
        assert [[csv_number(span["from"]), csv_number(span["to"])]
                for span in run.document()["variables"][name]] == chosen
    text = run.text()
    assert run.document()["target"] == tree.target and tree.first in text
    for variable, _range, answer in answers(run.result):
        assert (answer == NONE_IN_RANGE) == (not run.result.intervals(variable))


def test_the_offramp_trees_what_would_it_take_matches_the_readme():
    _settings, flat = load_flat(str(TREES / "offramp.json"))
    run = KINDS["what-would-it-take"].run(flat, RequirementsParameters(
        node="offramp_pledges.stall", target="offramp_pledges.stall.accept"))
    could = {name: spans for name, spans in run.document()["variables"].items() if spans}
    assert set(could) == {"face_value", "defeat_face_loss", "kremlin_cost_weight"}
    assert could["face_value"][0]["from"] == pytest.approx(56.225, abs=1e-3)
    assert could["defeat_face_loss"][0]["to"] == pytest.approx(53.775, abs=1e-3)
    assert could["kremlin_cost_weight"][0]["from"] == pytest.approx(0.340, abs=1e-3)


def test_csv_numbers_carry_no_float_noise():
    """The doubles behind the README's 56.225 and 53.775 are 56.224999999999994 and
    53.775000000000006: the table writes what the arithmetic meant."""
    _settings, flat = load_flat(str(TREES / "offramp.json"))
    run = KINDS["what-would-it-take"].run(flat, RequirementsParameters(
        node="offramp_pledges.stall", target="offramp_pledges.stall.accept"))
    could = {name: spans for name, spans in run.document()["variables"].items() if spans}
    assert could["face_value"][0]["from"] == 56.224999999999994
    assert could["defeat_face_loss"][0]["to"] == 53.775000000000006
    rows = list(csv.reader(io.StringIO(run.csv().decode())))
    cells = {cell for row in rows for cell in row}
    assert {"56.225", "53.775"} <= cells
    digits = [cell.lstrip("-").replace(".", "").strip("0") for cell in cells]
    assert max(len(d) for d in digits if d.isdigit()) <= 15
    assert run.text().endswith("At the tree's values it chooses Grind on. 3 of 24 variables,"
                               " each alone, could make it choose Accept a face-saving deal.")


# ---- parameters ------------------------------------------------------------------------
@pytest.mark.parametrize("make, message", [
    (lambda: OneWayParameters(variable="p", steps=1), "the number of steps must be from 2"),
    (lambda: OneWayParameters(variable="p", steps=2.5), "must be a whole number, not 2.5"),
    (lambda: OneWayParameters(variable=""), "choose a variable to vary"),
    (lambda: OneWayParameters(variable="p", low=0.5, high=0.5), "the range of p is empty"),
    (lambda: OneWayParameters(variable="p", high=float("inf")), "must be finite numbers"),
    (lambda: TwoWayParameters(x="p", y="p"), "choose two different variables"),
    (lambda: TwoWayParameters(x="p", y="q", y_low=2, y_high=1), "the range of q is empty"),
    (lambda: TornadoParameters(values={"p": float("nan")}), "given to p must be a finite"),
    (lambda: ThresholdParameters(node="n", variable="p", steps=100_001), "100,000"),
    (lambda: RequirementsParameters(node="n", target=""), "choose the branch"),
    (lambda: SpiderParameters(steps=1), "the number of steps must be from 2 to 10,000"),
    (lambda: SpiderParameters(variables=[]), "choose at least one variable to move"),
    (lambda: SpiderParameters(variables="p"), "as a list of names, not 'p'"),
    (lambda: MonteCarloParameters(samples=0), "the number of samples must be from 1"),
    (lambda: MonteCarloParameters(samples=10, seed=-1), "the seed must be from 0"),
    (lambda: InformationParameters(event=""), "choose the chance event"),
    (lambda: InformationParameters(event="e", accuracy=1.5), "the accuracy must be a chance"),
    (lambda: InformationParameters(event="e", accuracy=0.9, likelihood={"s": {"k": 1}}),
     "the test's accuracy or its likelihoods, not both"),
    (lambda: InformationParameters(event="e", likelihood={"s": {"k": 2}}),
     "P\\(s \\| k\\) must be a chance from 0 to 1"),
    (lambda: InformationParameters(event="e", likelihood={}), "at least one signal"),
    (lambda: ProfileParameters(node=""), "choose the decision to profile"),
])
def test_parameters_refuse_mistakes_in_one_line(make, message):
    with pytest.raises(AnalysisError, match=message) as caught:
        make()
    assert "\n" not in str(caught.value)


def test_what_the_tree_must_have_is_checked_when_run():
    _settings, flat = load_flat(str(TREES / "offramp.json"))
    for parameters, message in [
            (OneWayParameters(variable="nope"), 'there is no variable "nope"'),
            (TornadoParameters(values={"nope": 1}), 'there is no variable "nope"'),
            (TornadoParameters(node="nowhere"), 'there is no node "nowhere"'),
            (SpiderParameters(variables=["nope"]), 'there is no variable "nope"'),
            (RequirementsParameters(node="offramp_pledges.stall", target="aim.defeat"),
             'is not a branch of "offramp_pledges.stall"'),
            (ThresholdParameters(node="offramp_pledges.stall.grind", variable="face_value"),
             "is not a decision node"),
            (ProfileParameters(node="nowhere"), 'there is no node "nowhere"'),
            (ProfileParameters(node="offramp_pledges.stall.grind"),
             r'^"A war of attrition" \(offramp_pledges.stall.grind\) is a chance node, not a'
             " decision")]:
        with pytest.raises(AnalysisError, match=message):
            kind_of(parameters).run(flat, parameters)


def test_parameters_are_values_that_cannot_change():
    given = {"p_collapse": 0.4}
    parameters = TornadoParameters(values=given)
    given["p_collapse"] = 0.9
    assert parameters.values == {"p_collapse": 0.4}
    with pytest.raises(TypeError):
        parameters.values["p_collapse"] = 0.1  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        parameters.node = "aim"  # type: ignore[misc]
    with pytest.raises(TypeError, match="are not the parameters of an analysis"):
        kind_of(object())
    with pytest.raises(TypeError, match="tornado takes TornadoParameters"):
        KINDS["tornado"].run(None, OneWayParameters(variable="p"))  # type: ignore[arg-type]


def test_every_entry_has_its_own_name_and_command_and_is_tested():
    assert list(KINDS) == [kind.name for kind in KINDS.values()]
    assert set(ASKED) == set(KINDS)
    commands = [kind.command for kind in KINDS.values() if kind.command]
    assert sorted(commands) == ["map", "profile", "sensitivity", "simulate", "spider",
                                "threshold", "tornado", "voi"]
