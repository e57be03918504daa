"""Every rule of a document's shape, through the loader: where each problem is and what it says."""
from __future__ import annotations

import json
import re

import pytest

from offramp_gui.api import load, load_text
from offramp_gui.fileformat import json_io, schema
from offramp_gui.fileformat.fastpath import read_plain
from offramp_gui.fileformat.json_io import dumps, loads, nodes_in_text
from offramp_gui.model.issues import TreeFormatError
from offramp_gui.model.limits import (
    MAX_CHILDREN,
    MAX_CRITERIA,
    MAX_NODES,
    MAX_OUTCOMES,
    MAX_PLAYERS,
    MAX_VARIABLES,
)

HEAD = {"format": "offramp-tree", "version": 1, "title": "t"}
LEAF = {"id": "r", "type": "terminal"}
HUGE = 10 ** 400  # a JSON integer no float can hold

FULL = {
    **HEAD, "title": "Every key", "description": "All of them", "x-top": {"k": [1.5, {"v": 2}]},
    "sources": [{"title": "An essay", "author": "A. Writer", "publisher": "A magazine",
                 "year": 2022, "url": "https://example.org/essay"},
                {"title": "A note", "year": "c. 2020"}],
    "criteria": [{"id": "gain", "name": "Gain", "unit": "points", "description": "what is won",
                  "x-c": 1},
                 {"id": "risk", "name": "Risk"}],
    "players": [{"id": "west", "name": "West", "weights": {"gain": 1, "risk": 0.5}, "x-p": [1]},
                {"id": "east", "name": "East", "weights": {"gain": -1}}],
    "variables": [
        {"name": "p", "value": 0.25, "min": 0, "max": 1, "description": "a chance",
         "distribution": {"type": "beta", "alpha": 2, "beta": 6}, "x-v": "kept"},
        {"name": "q", "value": "p / 2", "distribution": {"type": "uniform", "low": 0, "high": 0.5}},
        {"name": "t", "value": 1, "distribution": {"type": "triangular", "low": 0, "mode": 1,
                                                   "high": 2}},
        {"name": "n", "value": 0, "distribution": {"type": "normal", "mean": 0, "sd": 1}},
        {"name": "l", "value": 1, "distribution": {"type": "lognormal", "mu": 0, "sigma": 0.5}},
        {"name": "d", "value": 2, "distribution": {"type": "discrete", "values": [1, 2, 3],
                                                   "weights": [1, 2, 1]}},
    ],
    "outcomes": [{"id": "win", "name": "Win", "color": "#2e7d32", "description": "won",
                  "x-o": None},
                 {"id": "loss", "name": "Loss"}],
    "display": {"decimals": 2, "probabilities": "decimal", "units": True, "x-d": 1},
    "root": {
        "id": "start", "type": "decision", "player": "west", "name": "First move",
        "notes": "plain text", "x-node": True,
        "children": [
            {"id": "bet", "branch": "Bet", "type": "chance", "collapsed": True,
             "payoff": {"gain": "t + d", "risk": -1}, "children": [
                 {"id": "up", "branch": "Up", "probability": "p", "type": "terminal",
                  "outcome": "win", "payoff": {"gain": 10}},
                 {"id": "mid", "branch": "Mid", "probability": 0.25, "type": "terminal",
                  "payoff": {"gain": "n + l"}},
                 {"id": "down", "branch": "Down", "probability": "#", "type": "terminal",
                  "outcome": "loss", "payoff": {"gain": -5, "risk": -10}}]},
            {"id": "reply", "branch": "Wait", "type": "decision", "player": "east",
             "solve": "assumed", "children": [
                 {"id": "yes", "branch": "Yes", "probability": "q", "type": "terminal",
                  "collapsed": False},
                 {"id": "no", "branch": "No", "probability": "#", "type": "terminal"}]}]},
}
ONE_CRITERION = {**HEAD, "root": {"id": "r", "type": "decision", "children": [
    {"id": "a", "branch": "A", "type": "terminal", "payoff": 3},
    {"id": "b", "branch": "B", "type": "terminal", "payoff": "1 + 1.5"}]}}


def document(root: dict | None = None, **top) -> dict:
    return {**HEAD, **top, "root": root or LEAF}


def chance(*children: dict) -> dict:
    return {"id": "r", "type": "chance", "children": list(children)}


def problems(doc: dict | str) -> list[str]:
    """The loader's error lines without the file, line and column: `path (node): message`."""
    text = doc if isinstance(doc, str) else json.dumps(doc, indent=1)
    with pytest.raises(TreeFormatError) as caught:
        load_text(text, "t.json")
    return [re.sub(r"^t\.json(:\d+:\d+)?: error: ", "", line) for line in caught.value.lines()]


def raw(doc: dict, old: str, new: str) -> str:
    """The document's JSON text with one literal swapped (for what json.dumps cannot write)."""
    text = json.dumps(doc)
    assert old in text
    return text.replace(old, new, 1)


# ---- what loads ------------------------------------------------------------------------
@pytest.mark.parametrize("doc", [FULL, ONE_CRITERION], ids=["every key", "one criterion"])
def test_a_valid_document_loads_and_saves_back_as_it_was(doc):
    assert json.loads(dumps(load_text(json.dumps(doc)))) == doc


def test_the_command_lines_fast_reader_takes_the_same_settings(tmp_path):
    doc = {**FULL, "root": {"id": "r", "type": "decision", "player": "west", "children": [
        {"id": "a", "branch": "A", "type": "terminal", "payoff": {"gain": 1}}]}}
    path = tmp_path / "plain.json"
    path.write_text(json.dumps(doc))
    settings, _ = read_plain(path)
    tree = load(path)
    for key in ("title", "description", "sources", "criteria", "players", "variables",
                "outcomes", "display", "extras"):
        assert getattr(settings, key) == getattr(tree, key), key
    path.write_text(json.dumps({**doc, "players": [{"id": "west", "name": "No weights"}]}))
    assert read_plain(path) is None  # left to the careful reader, which explains


@pytest.mark.parametrize("top", [
    {"version": 1.0}, {"sources": None}, {"criteria": None}, {"players": None},
    {"variables": None}, {"outcomes": None}, {"description": None}, {"criteria": []},
])
def test_tolerated_forms(top):
    assert load_text(json.dumps(document(**top))).root.id == "r"


# ---- the envelope and the top level ------------------------------------------------------
@pytest.mark.parametrize("doc, expected", [
    ({"format": "offramp-tree", "title": "t", "root": LEAF},
     '$: "version" must be the whole number 1'),
    (document(version=1.5), '$.version: "version" must be the whole number 1'),
    (document(version=True), '$.version: "version" must be the whole number 1'),
    (document(version=None), '$.version: "version" must be the whole number 1'),
    (document(version=-1), "$.version: there is no format version -1"),
    ({"format": "offramp-tree", "version": 1, "root": LEAF}, '$: missing "title"'),
    (document(title=3), '$.title: "title" must be text, not the number 3'),
    (document(description=[]), '$.description: "description" must be text, not a list'),
    (document(titel="x"), '$.titel: unknown key "titel"; did you mean "title"?'),
    (raw(document(), '"title": "t"', '"title": "t", "x-a": {"b": NaN}'),
     "$.x-a.b: NaN is not a number JSON allows; write a finite number"),
    (raw(document(), '"title": "t"', '"title": "t", "x-a": [{"b": 1, "b": 2}]'),
     '$.x-a[0].b: the key "b" appears more than once'),
])
def test_top_level_problems(doc, expected):
    assert problems(doc) == [expected]


def test_a_files_number_format_saves_back_byte_for_byte():
    text = dumps(load_text(json.dumps(document(display={"decimals": 0, "units": False}))))
    assert '"display": {\n    "decimals": 0,\n    "units": false\n  },' in text
    assert dumps(load_text(text)) == text
    assert load_text(json.dumps(document())).display is None  # older files: no key, none written
    assert '"display"' not in dumps(load_text(json.dumps(document())))


@pytest.mark.parametrize("display, expected", [
    (3, '$.display: "display" must be an object, not the number 3'),
    ({"decimals": 7}, '$.display.decimals: "decimals" must be a whole number from 0 to 6, not'
                      " the number 7"),
    ({"decimals": 1.5}, '$.display.decimals: "decimals" must be a whole number from 0 to 6, not'
                        " the number 1.5"),
    ({"probabilities": "fraction"},
     '$.display.probabilities: "probabilities" must be "percent" or "decimal", not "fraction"'),
    ({"units": "yes"}, '$.display.units: "units" must be true or false, not "yes"'),
    ({"decimal": 2}, '$.display.decimal: unknown key "decimal"; did you mean "decimals"?'),
])
def test_number_format_problems(display, expected):
    assert problems(document(display=display)) == [expected]


@pytest.mark.parametrize("key", ["sources", "criteria", "players", "variables", "outcomes"])
def test_each_top_level_list_must_be_a_list_of_objects(key):
    assert problems(document(**{key: 4})) == [f'$.{key}: "{key}" must be a list, not the number 4']
    assert problems(document(**{key: ["x"]})) == [
        f'$.{key}[0]: each entry of {key} must be an object, not "x"']


# ---- sources, criteria, players, outcomes ----------------------------------------------------
def anonymous(what: str, kind: str) -> str:
    return (f"$.{kind}[0].id: the {what} id \"\" may use only letters, digits, '_', '.' and"
            " '-' (1 to 64 of them)")


@pytest.mark.parametrize("top, expected", [
    ({"sources": [{"author": "A"}]}, ['$.sources[0]: missing "title"']),
    ({"sources": [{"title": "T", "year": True}]},
     ["$.sources[0].year: the year must be a number, not true"]),
    ({"sources": [{"title": "T", "author": 1}]},
     ['$.sources[0].author: "author" must be text, not the number 1']),
    ({"sources": [{"title": "T", "publisher": False}]},
     ['$.sources[0].publisher: "publisher" must be text, not false']),
    ({"sources": [{"title": "T", "url": {}}]},
     ['$.sources[0].url: "url" must be text, not an object']),
    ({"sources": [{"title": "T", "isbn": "1"}]}, ['$.sources[0].isbn: unknown key "isbn"']),
    ({"criteria": [{"name": "C"}]},
     ['$.criteria[0]: missing "id"', anonymous("criterion", "criteria")]),
    ({"criteria": [{"id": "c"}]}, ['$.criteria[0]: missing "name"']),
    ({"criteria": [{"id": "c", "name": "C", "unit": 5}]},
     ['$.criteria[0].unit: "unit" must be text, not the number 5']),
    ({"criteria": [{"id": "c", "name": "C"}, {"id": "c", "name": "D"}]},
     ['$.criteria[1].id: the criterion id "c" is used twice']),
    ({"players": [{"name": "P", "weights": {}}]},
     ['$.players[0]: missing "id"', anonymous("player", "players")]),
    ({"players": [{"id": "p", "weights": {}}]}, ['$.players[0]: missing "name"']),
    ({"players": [{"id": "p", "name": "P"}]},
     ['$.players[0]: missing "weights" (how much the player values each criterion)']),
    ({"players": [{"id": "p", "name": "P", "weights": [1]}]},
     ['$.players[0].weights: "weights" must be an object, not a list']),
    ({"players": [{"id": "p", "name": "P", "weights": {"value": "high"}}]},
     ['$.players[0].weights.value: the weight "high" of P on Value uses "high", which is not'
      ' a variable (there are no variables)']),
    ({"players": [{"id": "p", "name": "P", "weights": {"value": True}}]},
     ["$.players[0].weights.value: a weight must be a number, not true"]),
    ({"players": [{"id": "p", "name": "P", "weights": {"value": HUGE}}]},
     ["$.players[0].weights.value: a weight is too large to be a number"]),
    ({"players": [{"id": "p", "name": "P", "weights": {"a b": None}}]},
     ['$.players[0].weights["a b"]: a weight must be a number, not null']),
    ({"players": [{"id": "p", "name": "P", "weights": {}}, {"id": "p", "name": "Q",
                                                          "weights": {}}]},
     ['$.players[1].id: the player id "p" is used twice']),
    ({"outcomes": [{"name": "O"}]},
     ['$.outcomes[0]: missing "id"', anonymous("outcome", "outcomes")]),
    ({"outcomes": [{"id": "o"}]}, ['$.outcomes[0]: missing "name"']),
    ({"outcomes": [{"id": "o", "name": "O", "color": 5}]},
     ['$.outcomes[0].color: "color" must be text, not the number 5']),
    ({"outcomes": [{"id": "o", "name": "O", "colour": "#000000"}]},
     ['$.outcomes[0].colour: unknown key "colour"; did you mean "color"?']),
    ({"outcomes": [{"id": "o", "name": "O"}, {"id": "o", "name": "P"}]},
     ['$.outcomes[1].id: the outcome id "o" is used twice']),
])
def test_entry_problems(top, expected):
    assert problems(document(**top)) == expected


def test_weights_with_a_repeated_criterion():
    text = raw(document(players=[{"id": "p", "name": "P", "weights": {"value": 1}}]),
               '"value": 1', '"value": 1, "value": 2')
    assert problems(text) == ['$.players[0].weights.value: the key "value" appears more than once']


def test_a_repeated_id_is_left_out_and_the_rest_kept():
    doc = document(players=[{"id": "p", "name": "P", "weights": {"value": 1, "gain": True}},
                            {"id": "p", "name": "Q", "weights": {}}],
                   criteria=[{"id": "value", "name": "V"}, {"id": "value", "name": "W"},
                             {"name": "no id"}, {"name": "none either"}],
                   outcomes=[{"id": "o", "name": "O"}, {"id": "o", "name": "P"}])
    tree = loads(json.dumps(doc)).tree
    assert [(p.name, p.weights) for p in tree.players] == [("P", {"value": 1})]
    assert [c.name for c in tree.criteria] == ["V", "no id"]
    assert [o.name for o in tree.outcomes] == ["O"]


# ---- variables and their distributions -------------------------------------------------------
def variable(**fields) -> dict:
    return document(variables=[{"name": "x", "value": 1, **fields}])


DISTRIBUTIONS = {
    "uniform": {"low": 0, "high": 1}, "triangular": {"low": 0, "mode": 0.5, "high": 1},
    "beta": {"alpha": 2, "beta": 3}, "normal": {"mean": 0, "sd": 1},
    "lognormal": {"mu": 0, "sigma": 1}, "discrete": {"values": [1, 2], "weights": [1, 3]},
}
KINDS = ", ".join(DISTRIBUTIONS)
AT = "$.variables[0].distribution"


@pytest.mark.parametrize("fields, expected", [
    ({"value": None}, ["$.variables[0].value: a value must be a number, not null"]),
    ({"value": True}, ["$.variables[0].value: a value must be a number, not true"]),
    ({"value": HUGE}, ["$.variables[0].value: a value is too large to be a number"]),
    ({"min": "a", "max": True}, ['$.variables[0].min: "min" must be a number, not "a"',
                                 '$.variables[0].max: "max" must be a number, not true']),
    ({"max": HUGE}, ['$.variables[0].max: "max" is too large to be a number']),
    ({"min": 2, "max": 1}, ["$.variables[0].min: min 2 is above max 1"]),
    ({"description": 1}, ['$.variables[0].description: "description" must be text, not the'
                          " number 1"]),
    ({"distribution": 3}, [f"{AT}: a distribution must be an object, not the number 3"]),
    ({"distribution": {"low": 0}}, [f"{AT}: unknown distribution type null; use one of {KINDS}"]),
    ({"distribution": {"type": "gamma"}},
     [f'{AT}: unknown distribution type "gamma"; use one of {KINDS}']),
    ({"distribution": {"type": ["uniform"]}},
     [f"{AT}: unknown distribution type a list; use one of {KINDS}"]),
    ({"distribution": {"type": "uniform", "low": 0, "high": 1, "mode": 0.5}},
     [f'{AT}.mode: unknown key "mode"']),
    ({"distribution": {"type": "uniform", "low": 0, "hihg": 1}},
     [f'{AT}: a uniform distribution needs "high"',
      f'{AT}.hihg: unknown key "hihg"; did you mean "high"?']),
    ({"distribution": {"type": "uniform", "low": True, "high": HUGE}},
     [f'{AT}.low: "low" must be a number, not true',
      f'{AT}.high: "high" is too large to be a number']),
    ({"distribution": {"type": "discrete", "values": [1, "a", None], "weights": [1, 1, 1]}},
     [f'{AT}.values[1]: each entry must be a number, not "a"',
      f"{AT}.values[2]: each entry must be a number, not null"]),
    ({"distribution": {"type": "discrete", "values": [HUGE], "weights": []}},
     [f"{AT}.values[0]: each entry is too large to be a number",
      f'{AT}.weights: "weights" must be a non-empty list of numbers']),
    # the rules of each kind, checked once the shape is right
    ({"distribution": {"type": "uniform", "low": 2, "high": 1}},
     [f"{AT}: this uniform distribution low must not exceed high"]),
    ({"distribution": {"type": "triangular", "low": 0, "mode": 2, "high": 1}},
     [f"{AT}: this triangular distribution needs low <= mode <= high"]),
    ({"distribution": {"type": "beta", "alpha": 0, "beta": 1}},
     [f"{AT}: this beta distribution alpha and beta must be above 0"]),
    ({"distribution": {"type": "normal", "mean": 0, "sd": -1}},
     [f"{AT}: this normal distribution sd must not be negative"]),
    ({"distribution": {"type": "lognormal", "mu": 0, "sigma": -1}},
     [f"{AT}: this lognormal distribution sigma must not be negative"]),
    ({"distribution": {"type": "discrete", "values": [1, 2], "weights": [1]}},
     [f"{AT}: this discrete distribution needs as many weights as values, none negative,"
      " not all 0"]),
    ({"distribution": {"type": "discrete", "values": [1], "weights": [0]}},
     [f"{AT}: this discrete distribution needs as many weights as values, none negative,"
      " not all 0"]),
])
def test_variable_problems(fields, expected):
    assert problems(variable(**fields)) == expected


def test_a_variable_needs_a_name_and_a_value():
    assert problems(document(variables=[{"value": 1}])) == [
        '$.variables[0]: missing "name"',
        '$.variables[0].name: the variable name "" must start with a letter or "_" and use only'
        ' letters, digits and "_" (at most 64)']
    assert problems(document(variables=[{"name": "x"}])) == ['$.variables[0]: missing "value"']
    for fields in ({}, {"value": True}):  # the model is built with 0 in its place
        doc = document(variables=[{"name": "x", **fields}])
        assert loads(json.dumps(doc)).tree.variables[0].value == 0


@pytest.mark.parametrize("kind, name", [(k, n) for k in DISTRIBUTIONS for n in DISTRIBUTIONS[k]])
def test_each_distribution_parameter_is_required_and_typed(kind, name):
    valid = {"type": kind, **DISTRIBUTIONS[kind]}
    assert load_text(json.dumps(variable(distribution=valid))).variables[0].distribution == valid
    missing = {k: v for k, v in valid.items() if k != name}
    assert problems(variable(distribution=missing)) == [
        f'{AT}: a {kind} distribution needs "{name}"']
    wrong = problems(variable(distribution={**valid, name: "x"}))
    if kind == "discrete":
        assert wrong == [f'{AT}.{name}: "{name}" must be a non-empty list of numbers']
    else:
        assert wrong == [f'{AT}.{name}: "{name}" must be a number, not "x"']
    text = raw(variable(distribution={**valid, name: 123456789}), "123456789",
               "[NaN]" if kind == "discrete" else "NaN")
    where = f"{AT}.{name}[0]" if kind == "discrete" else f"{AT}.{name}"
    assert problems(text) == [f"{where}: NaN is not a number JSON allows; write a finite number"]


def test_a_bad_distribution_is_dropped_and_the_variable_kept():
    doc = variable(distribution={"type": "normal", "mean": "zero", "sd": 1})
    [kept] = loads(json.dumps(doc)).tree.variables
    assert (kept.name, kept.value, kept.distribution) == ("x", 1, None)


# ---- nodes -----------------------------------------------------------------------------------
def child(**fields) -> dict:
    """A chance root whose only branch, "a", has these fields."""
    return document(chance({"id": "a", "type": "terminal", "probability": 1, **fields}))


NO_BRANCH = '$.root (node "r"): a chance node needs at least one branch'


@pytest.mark.parametrize("root, expected", [
    ({"id": "r"}, ['$.root (node "r"): the node type is missing; use "decision", "chance" or'
                   ' "terminal"']),
    ({"id": "r", "type": "x" * 50}, [f'$.root.type (node "r"): the node type is "{"x" * 40}…";'
                                     ' use "decision", "chance" or "terminal"']),
    ({"id": "r", "type": ["chance"]}, ['$.root.type (node "r"): the node type is a list; use'
                                       ' "decision", "chance" or "terminal"']),
    ({"id": 3, "type": "terminal"}, ["$.root.id: an id must be text, not the number 3"]),
    ({"id": "r", "type": "chance", "children": 5},
     [NO_BRANCH, '$.root.children (node "r"): "children" must be a list, not the number 5']),
    ({"id": "r", "type": "chance", "children": "ab"},
     [NO_BRANCH, '$.root.children (node "r"): "children" must be a list, not "ab"']),
    (chance(5), [NO_BRANCH, '$.root.children[0] (node "r"): a child must be a node object, not'
                            ' the number 5']),
    ({"id": "r", "type": "terminal", "collapsed": 1},
     ['$.root.collapsed (node "r"): "collapsed" must be true or false']),
    ({"id": "r", "type": "terminal", "payoff": {"value": 1, "gain": None}},
     ['$.root.payoff.gain (node "r"): a payoff must be a number, not null']),
])
def test_node_problems(root, expected):
    assert problems(document(root)) == expected


def test_a_json_nan_is_named_as_written():
    text = raw(document({"id": "r", "type": 123456789}), "123456789", "NaN")
    assert problems(text) == ['$.root.type (node "r"): the node type is NaN; use "decision",'
                              ' "chance" or "terminal"']


def test_an_unknown_key_is_found_beside_every_known_one():
    every = {"id": "r", "type": "terminal", "branch": "B", "name": "N", "player": "p",
             "solve": "best", "probability": 1, "payoff": 1, "outcome": "o", "collapsed": False,
             "notes": "", "children": [], "colour": "red"}
    assert '$.root.colour (node "r"): unknown key "colour"' in problems(document(every))


def test_a_node_without_type_is_read_as_a_decision_when_it_has_branches():
    doc = document({"id": "r", "children": [{"id": "a", "branch": "A", "type": "terminal"}]})
    assert problems(doc) == ['$.root (node "r"): the node type is missing; use "decision",'
                             ' "chance" or "terminal"']
    assert loads(json.dumps(doc)).tree.root.type == "decision"
    assert loads(json.dumps(document({"id": "r"}))).tree.root.type == "terminal"


@pytest.mark.parametrize("field", ["branch", "name", "player", "solve", "outcome", "notes"])
def test_node_text_fields_must_be_text(field):
    assert problems(child(**{field: 7})) == [
        f'$.root.children[0].{field} (node "a"): "{field}" must be text, not the number 7']


BAD_NUMBERS = [(None, "must be a number, not null"), (True, "must be a number, not true"),
               (False, "must be a number, not false"), ([0.5], "must be a number, not a list"),
               (HUGE, "is too large to be a number"), (-HUGE, "is too large to be a number"),
               ("1e999", "is too large to be a number"),
               ("NaN", "NaN is not a number JSON allows; write a finite number"),
               ("-Infinity", "-Infinity is not a number JSON allows; write a finite number")]


def with_literal(doc: dict, value) -> str:
    """`doc` as text, its 123456789 replaced by `value` (a JSON literal if given as text)."""
    return raw(doc, "123456789", value if isinstance(value, str) else json.dumps(value))


@pytest.mark.parametrize("value, what", BAD_NUMBERS)
def test_a_probability_or_payoff_must_be_a_finite_number_or_a_formula(value, what):
    message = what if what.startswith(("NaN", "-Inf")) else f"a probability {what}"
    lines = problems(with_literal(child(probability=123456789), value))
    assert f'$.root.children[0].probability (node "a"): {message}' in lines
    message = message.replace("a probability", "a payoff")
    for payoff, path in ((123456789, "payoff"), ({"value": 123456789}, "payoff.value"),
                         ({"odd key": 123456789}, 'payoff["odd key"]')):
        lines = problems(with_literal(document({"id": "r", "type": "terminal",
                                                "payoff": payoff}), value))
        assert f'$.root.{path} (node "r"): {message}' in lines


def test_a_problem_names_its_node_and_field():
    with pytest.raises(TreeFormatError) as caught:
        load_text(json.dumps(child(probability=None, payoff={"value": "1", "x": None})))
    found = {(i.path, i.node_id, i.field) for i in caught.value.issues}
    assert ("$.root.children[0].probability", "a", "probability") in found
    assert ("$.root.children[0].payoff.x", "a", "payoff") in found


def test_a_repeated_key_in_a_node_or_its_payoff_names_the_node():
    text = raw(child(payoff={"value": 1}), '"payoff": {"value": 1}',
               '"payoff": {"value": 1, "value": 2}, "type": "terminal"')
    assert problems(text) == [
        '$.root.children[0].payoff.value (node "a"): the key "value" appears more than once',
        '$.root.children[0].type (node "a"): the key "type" appears more than once']


def test_what_is_valid_in_a_payoff_is_kept_when_another_part_is_not():
    doc = document({"id": "r", "type": "terminal", "payoff": {"value": 2, "gain": "g", "x": None}})
    assert loads(json.dumps(doc)).tree.root.payoff == {"value": 2, "gain": "g"}


# ---- limits (model/limits.py, docs/format.md "Limits") ------------------------------------
def list_of(key: str, count: int) -> list[dict]:
    if key == "variables":
        return [{"name": f"v{i}", "value": i} for i in range(count)]
    if key == "players":
        return [{"id": f"p{i}", "name": f"P{i}", "weights": {"value": 1}} for i in range(count)]
    return [{"id": f"c{i}", "name": f"C{i}"} for i in range(count)]


@pytest.mark.parametrize("key", sorted(limits_table := {
    "criteria": MAX_CRITERIA, "players": MAX_PLAYERS, "variables": MAX_VARIABLES,
    "outcomes": MAX_OUTCOMES}))
def test_each_list_is_taken_at_its_limit_and_refused_past_it(key, tmp_path):
    limit = limits_table[key]
    load_text(json.dumps({**HEAD, key: list_of(key, limit), "root": LEAF}))
    path = tmp_path / "over.json"
    path.write_text(json.dumps({**HEAD, key: list_of(key, limit + 1), "root": LEAF}))
    assert read_plain(path) is None
    with pytest.raises(TreeFormatError) as caught:
        load(path)
    assert caught.value.lines() == [f"{path}:1:{caught.value.issues[0].column}: error:"
                                    f" $.{key}: the tree has {limit + 1:,} {key}; offramp takes"
                                    f" at most {limit:,}"]


def wide(children: int) -> dict:
    return {**HEAD, "root": {"id": "r", "type": "decision", "children": [
        {"id": f"t{i}", "type": "terminal"} for i in range(children)]}}


def test_a_node_is_taken_with_the_most_branches_and_refused_with_one_more(tmp_path):
    path = tmp_path / "wide.json"
    path.write_text(json.dumps(wide(MAX_CHILDREN)))
    assert read_plain(path) is not None and len(load(path)) == MAX_CHILDREN + 1
    path.write_text(json.dumps(wide(MAX_CHILDREN + 1)))
    assert read_plain(path) is None
    with pytest.raises(TreeFormatError) as caught:
        load(path)
    [line] = caught.value.lines()
    assert line.endswith('$.root.children (node "r"): this node has 10,001 branches; offramp'
                         " takes at most 10,000")


def tiny_tree(nodes: int) -> str:
    """A root over decisions of at most 10,000 terminals: `nodes` nodes in all."""
    leaf, leaves = '{"type":"terminal"}', nodes - 1
    middles = -(-leaves // (MAX_CHILDREN + 1))
    sizes = [leaves // middles + (k < leaves % middles) - 1 for k in range(middles)]
    return (json.dumps(HEAD)[:-1] + ', "root": {"type": "decision", "children": ['
            + ",".join('{"type":"decision","children":[' + ",".join([leaf] * size) + "]}"
                       for size in sizes) + "]}}")


def test_too_many_nodes_are_refused_before_they_are_read():
    text = tiny_tree(MAX_NODES + 1)
    assert nodes_in_text(text) == MAX_NODES + 1
    [issue] = loads(text).issues
    assert issue.message == "the tree has 2,000,001 nodes; offramp takes at most 2,000,000"


@pytest.mark.parametrize("limit", [50, 20_000])
def test_the_most_nodes_are_taken_and_one_more_is_refused(limit, monkeypatch):
    """With a smaller limit: the text's count, and the count while building (a paste)."""
    monkeypatch.setattr(json_io, "MAX_NODES", limit)
    monkeypatch.setattr(schema, "MAX_NODES", limit)
    message = f"the tree has {limit + 1:,} nodes; offramp takes at most {limit:,}"
    assert len(load_text(tiny_tree(limit))) == limit
    assert [i.message for i in loads(tiny_tree(limit + 1)).issues] == [message]
    tree, issues = schema.build_tree(json.loads(tiny_tree(limit + 1)))
    assert tree is None and [i.message for i in issues] == [message]
