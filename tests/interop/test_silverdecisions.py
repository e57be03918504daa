"""SilverDecisions import: every example matches the values SilverDecisions stored in it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sd_stored import MULTI, mismatches, number, sd_trees, stored_rules

from offramp_gui.api import evaluate
from offramp_gui.interop import ConversionError, Report, read
from offramp_gui.interop.sd_expressions import Scope, Untranslatable, stored_number, translate
from offramp_gui.interop.silverdecisions import from_document, read_silverdecisions

SD = Path(__file__).resolve().parent.parent / "data" / "interop" / "silverdecisions"
FILES = sorted(str(p.relative_to(SD)) for p in SD.rglob("*.json"))
PASSING = [f for f in FILES if "_fail" not in f]
FAILING = [f for f in FILES if "_fail" in f]
SAMPLE_TREE = SD / "SilverDecisions" / "demo" / "data" / "sample-tree.json"
VARIABLES = SD / "SilverDecisions" / "test" / "trees" / "variables_pass.json"
BAD_CHANCE = SD / "SilverDecisions" / "test" / "trees" / "badchance_fail.json"
TINY = SD / "synthetic" / "tiny_example.json"
#: The synthetic files store no computed values; their README gives SilverDecisions' EV.
README_VALUES = {"synthetic/synthetic_1093_nodes.json": (457.60554432799995, "d1"),
                 "synthetic/synthetic_9841_nodes.json": (619.0740939533339, "d2"),
                 "synthetic/tiny_example.json": (10.0, "Negotiate")}


def check_stored_values(path: Path) -> int:
    """Import every tree under every stored expected-value rule; return how many."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    checked = 0
    for index, top in enumerate(sd_trees(doc)):
        for rule in stored_rules(top):
            tree = from_document(doc, Report(), index, rule)
            assert mismatches(top, tree, evaluate(tree), rule) == [], (path.name, index, rule)
            checked += 1
    return checked


@pytest.mark.parametrize("name", PASSING)
def test_every_example_matches_the_values_silverdecisions_stored(name):
    path = SD / name
    if name in README_VALUES:
        value, choice = README_VALUES[name]
        tree, _report = read(path)
        results = evaluate(tree)
        assert results.expected[0, 0] == pytest.approx(value, rel=1e-9)
        assert tree.node(results.chosen_id(tree.root.id)).branch == choice
    else:
        assert check_stored_values(path) >= 1


def test_the_files_own_rule_is_followed_and_checked():
    """Read with its own rule, each file says it reproduced SilverDecisions' root value."""
    matched = []
    for name in PASSING:
        doc = json.loads((SD / name).read_text(encoding="utf-8"))
        report = Report()
        from_document(doc, report, 0)
        if any(line.startswith("checked:") for line in report.converted):
            matched.append(name)
        rule = doc.get("rule") or "expected-value-maximization"
        if rule.startswith("expected-value") and (sd_trees(doc)[0].get("computed")):
            assert name in matched, report.lines()
    # Not checked at the root with their own rule: three files whose rule ties two
    # alternatives that SilverDecisions averages (reported), one whose rule (mini-max) is
    # not an expected-value rule (reported), and three that store no values.
    unchecked = {name.rsplit("/", 1)[-1] for name in set(PASSING) - set(matched)}
    assert unchecked == {"mcdm.json", "mcdm2.json", "mcdm3.json",
                         "differentrulesandflip_pass.json", "synthetic_1093_nodes.json",
                         "synthetic_9841_nodes.json", "tiny_example.json"}


@pytest.mark.parametrize("name", FAILING)
def test_negative_examples_are_refused_with_a_reason(name):
    with pytest.raises(ConversionError) as refused:
        read_silverdecisions(SD / name, Report())
    message = "\n".join(refused.value.problems)
    assert name.rsplit("/", 1)[-1] in message
    assert any(words in message for words in (
        "not valid JSON", 'no "SilverDecisions" key', "add up to", "at least one branch"))


# ---- particular files ----------------------------------------------------------------
def test_sample_tree_version_0_5_matches_and_reports_the_random_draw():
    report = Report()
    tree = read_silverdecisions(SAMPLE_TREE, report)
    assert check_stored_values(SAMPLE_TREE) == 1  # it stores one EV rule
    p = tree.variables[0]
    assert p.name == "p" and p.value == pytest.approx(0.291638189333878)
    assert p.distribution == {"type": "uniform", "low": 0.0, "high": 1.0}
    assert any("random()" in line and "stored" in line for line in report.approximated)
    assert tree.root.children[0].children[1].probability == "#"


def test_a_nodes_code_renames_the_variables_it_redefines():
    report = Report()
    tree = read_silverdecisions(VARIABLES, report)
    names = [v.name for v in tree.variables]
    assert names == ["p", "up", "down", "up_2", "down_2"]
    chance = tree.root.children[0]
    assert [c.payoff for c in chance.children] == [{"payoff": "up_2"}, {"payoff": "down_2"}]
    assert [c.payoff for c in tree.root.children[1].children] == [{"payoff": "up"},
                                                                  {"payoff": "down"}]
    assert any("called up_2" in line for line in report.converted)
    assert check_stored_values(VARIABLES) == 2


def test_tiny_example_two_criteria_and_the_remainder():
    tree, report = read(TINY)
    results = evaluate(tree)
    assert [c.name for c in tree.criteria] == ["Value", "Risk"]
    assert results.expected[0].tolist() == pytest.approx([10, 0.3 * 1 + 0.7 * 3])
    assert tree.node(results.chosen_id(tree.root.id)).branch == "Negotiate"
    assert tree.players[0].weights == {"value": 1}
    assert report.from_format == "silverdecisions"


def test_the_negative_copy_is_refused_naming_both_problems():
    with pytest.raises(ConversionError) as refused:
        read(BAD_CHANCE)
    text = "\n".join(refused.value.problems)
    assert "add up to 1.299, not 1" in text and "at least one branch" in text


# ---- pieces -------------------------------------------------------------------------
def minimal(**data):
    """A SilverDecisions 1.2 document with one chance node and three branches."""
    edges = [{"name": f"b{i}", "probability": p, "payoff": [pay, 0],
              "childNode": {"type": "terminal", "name": "", "childEdges": []}}
             for i, (p, pay) in enumerate(data.pop("branches"))]
    root = {"type": "chance", "name": "Root", "childEdges": edges, **data.pop("root", {})}
    return {"SilverDecisions": "1.2.1", "rule": data.pop("rule", "expected-value-maximization"),
            "data": {"code": data.pop("code", ""), "expressionScope": data.pop("scope", {}),
                     "trees": [root], "payoffNames": data.pop("names", [])}}


def test_several_remainders_share_what_is_left_equally():
    doc = minimal(branches=[("0.4", "1"), ("#", "2"), ("#", "3")])
    tree = from_document(doc, Report())
    assert [c.probability for c in tree.root.children] == [0.4, 0.3, 0.3]
    doc = minimal(code="q = 0.2", branches=[("q", "1"), ("#", "2"), ("#", "3")])
    tree = from_document(doc, Report())
    assert tree.root.children[1].probability == "(1 - (q)) / 2"
    assert evaluate(tree).expected[0, 0] == pytest.approx(0.2 * 1 + 0.4 * 2 + 0.4 * 3)


def test_a_value_that_is_not_arithmetic_takes_the_stored_number():
    doc = minimal(branches=[("0.5", "sin(1)"), ("#", "0"), ("0", "0")])
    doc["data"]["trees"][0]["childEdges"][0]["computed"] = {"payoff": ["3/4", "0"]}
    report = Report()
    tree = from_document(doc, report)
    assert tree.root.children[0].payoff == {"payoff": 0.75}
    assert len(report.approximated) == 1 and "sin()" in report.approximated[0]
    del doc["data"]["trees"][0]["childEdges"][0]["computed"]
    with pytest.raises(ConversionError, match="stores no value"):
        from_document(doc, Report())


def test_minimisation_negates_the_weight_and_folded_nodes_stay_folded():
    doc = minimal(rule="expected-value-minimization", branches=[("1", "5")],
                  root={"folded": True})
    report = Report()
    tree = from_document(doc, report)
    assert tree.players[0].weights == {"payoff": -1}
    assert tree.root.collapsed is True
    assert any("minimises" in line for line in report.converted)


def test_two_criteria_rules_become_weights():
    doc = minimal(rule="max-min", names=["Effect", "Cost"], branches=[("1", "5")])
    doc["data"]["defaultCriterion1Weight"] = "2"
    tree = from_document(doc, Report())
    assert tree.players[0].weights == {"effect": 2, "cost": -1}
    assert set(MULTI) == {"max-min", "max-max", "min-max", "min-min"}


def test_a_tree_that_does_not_exist_is_a_usage_error():
    with pytest.raises(ConversionError) as refused:
        from_document(minimal(branches=[("1", "0")]), Report(), tree_index=3)
    assert refused.value.usage and "there is no tree 4" in str(refused.value)


def test_expressions_translate_or_say_why():
    scope = Scope({"p": "p", "cost": "cost_2"})
    assert translate("-cost # a comment", scope) == "-cost_2"
    assert translate("2 * pi", Scope()) == f"2 * {3.141592653589793!r}"
    assert translate("1/2", Scope()) == "1/2"
    assert translate(" 7 ", Scope()) == 7 and translate("", Scope()) == 0
    for text, why in (("sin(p)", "sin()"), ("x + 1", '"x" is not defined'),
                      ("2p", "unexpected")):
        with pytest.raises(Untranslatable, match=why.replace("(", r"\(").replace(")", r"\)")):
            translate(text, scope)


def test_stored_numbers_read_mixed_fractions():
    assert stored_number("-7 1973731/5073127") == pytest.approx(-7.389056098930650)
    assert stored_number("2/5") == 0.4 and stored_number(3) == 3.0
    assert stored_number("Infinity") is None and number("1 1/2") == 1.5


def test_a_deep_tree_gets_ids_offramp_accepts():
    node: dict = {"type": "terminal", "childEdges": []}
    for level in range(300):
        node = {"type": "chance", "name": f"c{level}", "childEdges": [
            {"name": "on", "probability": "1", "payoff": "1", "childNode": node}]}
    doc = {"SilverDecisions": "1.2.1", "data": {"trees": [node]}}
    tree = from_document(doc, Report())
    assert len(tree) == 301 and max(len(i) for i in tree.ids()) <= 64
    assert evaluate(tree).expected[0, 0] == 300


# ---- shapes, limits and bounded work --------------------------------------------------
@pytest.mark.parametrize("change, message", [
    (lambda d: d["data"].update(payoffNames=5),
     '"data.payoffNames" is a number; it should be a list of texts'),
    (lambda d: d["data"].update(payoffNames=["Value", 3]),
     '"data.payoffNames[1]" is a number; it should be a text'),
    (lambda d: d.update(data=[]), '"data" is a list; it should be an object'),
    (lambda d: d["data"].update(trees={}), '"data.trees" is an object; it should be a list'),
    (lambda d: d["data"].update(trees=[7]), '"data.trees[0]" is a number; it should be an'
     " object"),
    (lambda d: d["data"].update(code=["x = 1"]), '"data.code" is a list; it should be a text'),
    (lambda d: d["data"].update(expressionScope="x"), '"data.expressionScope" is a text'),
    (lambda d: d.update(rule=["max-min"]), '"rule" is a list; it should be the name of a rule'),
    (lambda d: d.update(title={"a": 1}), '"title" is an object; it should be a text'),
    (lambda d: d["data"]["trees"][0].update(type=None),
     "the root node has the type null; SilverDecisions nodes are decision, chance or"),
    (lambda d: d["data"]["trees"][0].update(childEdges={}),
     '"childEdges" of chance node "Root" (n0) is an object; it should be a list of branches'),
    (lambda d: d["data"]["trees"][0].update(code=3),
     '"code" of chance node "Root" (n0) is a number; it should be a text'),
    (lambda d: d["data"]["trees"][0].update(computed=[]),
     '"computed" of chance node "Root" (n0) is a list; it should be an object'),
    (lambda d: d["data"]["trees"][0]["childEdges"].append(4),
     'branch 4 of chance node "Root" (n0) is a number; it should be an object'),
    (lambda d: d["data"]["trees"][0]["childEdges"][1].update(childNode=None),
     '"childNode" of branch 1 "b1" of chance node "Root" (n0) is null'),
    (lambda d: d["data"]["trees"][0]["childEdges"][1].update(computed="x"),
     '"computed" of branch 1 "b1" of chance node "Root" (n0) is a text'),
    (lambda d: d["data"]["trees"][0]["childEdges"][1].update(name=[]),
     '"name" of branch 1 of chance node "Root" (n0) is a list; it should be a text'),
    (lambda d: d["data"]["trees"][0]["childEdges"][2]["childNode"].update(name=2),
     '"name" of the node branch 2 "b2" of chance node "Root" (n0) leads to is a number'),
])
def test_a_value_of_the_wrong_json_type_is_refused_naming_where(tmp_path, change, message):
    doc = minimal(branches=[("0.5", "1"), ("0.25", "2"), ("#", "3")])
    change(doc)
    path = tmp_path / "shape.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(ConversionError) as refused:
        read(path)
    [line] = refused.value.problems
    assert line.startswith(f"{path}: ") and message in line


def test_payoff_names_given_as_a_number_are_refused_on_the_command_line(tmp_path):
    from test_convert_cli import offramp

    doc = minimal(branches=[("1", "1")])
    doc["data"]["payoffNames"] = 5
    path = tmp_path / "names.json"
    path.write_text(json.dumps(doc))
    run = offramp("convert", path, "-o", tmp_path / "out.json")
    assert run.returncode == 1
    assert run.stderr == (f'offramp: {path}: "data.payoffNames" is a number; it should be a'
                          " list of texts\n")
    assert not (tmp_path / "out.json").exists()


def deep_document(depth: int) -> dict:
    node: dict = {"type": "terminal"}
    for level in range(depth):
        node = {"type": "chance", "name": f"c{level}", "childEdges": [
            {"name": "on", "probability": "1", "payoff": "1", "childNode": node}]}
    return {"SilverDecisions": "1.2.1", "data": {"trees": [node]}}


def test_the_depth_limit_at_and_one_past():
    from offramp_gui.model.limits import MAX_DEPTH

    tree = from_document(deep_document(MAX_DEPTH), Report())
    assert evaluate(tree).expected[0, 0] == MAX_DEPTH
    with pytest.raises(ConversionError) as refused:
        from_document(deep_document(MAX_DEPTH + 1), Report(), source="deep.json")
    [line] = refused.value.problems
    assert line.startswith('deep.json: chance node "c0" (') and line.endswith(
        f"is {MAX_DEPTH} levels below the root and has branches; offramp reads trees up to"
        f" {MAX_DEPTH} levels deep")


def test_the_branch_limit_at_and_one_past():
    from offramp_gui.model.limits import MAX_CHILDREN

    doc = minimal(branches=[("#", str(k)) for k in range(MAX_CHILDREN)])
    assert len(from_document(doc, Report()).root.children) == MAX_CHILDREN
    doc = minimal(branches=[("#", "1")] * (MAX_CHILDREN + 1))
    with pytest.raises(ConversionError) as refused:
        from_document(doc, Report(), source="wide.json")
    assert refused.value.problems == [f'wide.json: chance node "Root" (n0) has'
                                      f" {MAX_CHILDREN + 1} branches; offramp reads"
                                      f" {MAX_CHILDREN} per node at most"]


def test_the_variable_limit_at_and_one_past(monkeypatch):
    from offramp_gui.interop import silverdecisions

    MAX_VARIABLES = 500  # the reader's count, at a size a test can afford
    monkeypatch.setattr(silverdecisions, "MAX_VARIABLES", MAX_VARIABLES)
    code = "".join(f"v{k} = {k}\n" for k in range(MAX_VARIABLES))
    tree = from_document(minimal(code=code, branches=[("1", "v7")]), Report())
    assert len(tree.variables) == MAX_VARIABLES
    with pytest.raises(ConversionError) as refused:
        from_document(minimal(code=code + "w = 1", branches=[("1", "0")]), Report(),
                      source="vars.json")
    assert refused.value.problems == [f"vars.json: the file's code defines one variable more"
                                      f" than offramp reads: {MAX_VARIABLES} in all, at most"]


def test_a_name_redefined_on_every_line_of_a_long_code_block_gets_numbered_names():
    """Each redefinition takes the next free number, found without trying every one."""
    code = "x = 1\n" * 5_000 + "y = x + 1"
    report = Report()
    tree = from_document(minimal(code=code, branches=[("1", "y")]), report)
    assert tree.variables[-2].name == "x_5000" and tree.variables[-1].value == "x_5000 + 1"
    assert evaluate(tree).expected[0, 0] == 2


def test_code_under_code_looks_names_up_through_every_level():
    node: dict = {"type": "terminal"}
    for level in range(300):
        node = {"type": "chance", "name": f"c{level}", "code": f"a{level} = {level}",
                "childEdges": [{"name": "on", "probability": "1",
                                "payoff": f"a{level} - a{level + 1}" if level < 299 else "0",
                                "childNode": node}]}
    doc = {"SilverDecisions": "1.2.1", "data": {"code": "base = 5", "trees": [node]}}
    node["childEdges"][0]["payoff"] = "base"
    tree = from_document(doc, Report())
    assert len(tree.variables) == 301
    assert evaluate(tree).expected[0, 0] == 5 - 299  # each level adds a_k - a_(k+1) = -1


@pytest.mark.parametrize("text, expected", [
    ("1e999999999", None), ("-1e400", None), ("1e-999999999", 0.0), ("9" * 2000, None),
    ("1/0", None), ("3 1/0", None), ("2.5e3", 2500.0), (10**400, None), ("Infinity", None),
])
def test_stored_numbers_are_read_with_a_bound(text, expected):
    assert stored_number(text) == expected


def test_expressions_that_are_too_long_or_too_large_take_the_stored_number():
    long = " + ".join(["1"] * 600)
    for text in (long, "1e999999999", 10**400):
        with pytest.raises(Untranslatable):
            translate(text, Scope())
    doc = minimal(branches=[("1", long)])
    doc["data"]["trees"][0]["childEdges"][0]["computed"] = {"payoff": ["600", "0"]}
    report = Report()
    tree = from_document(doc, report)
    assert tree.root.children[0].payoff == {"payoff": 600}
    assert "longer than 1000 characters" in report.approximated[0]


def test_an_integer_of_thousands_of_digits_is_refused_as_too_large(tmp_path):
    path = tmp_path / "big.json"
    path.write_text('{"SilverDecisions": "1.2", "data": {"trees": [{"type": "chance",'
                    ' "childEdges": [{"name": "a", "probability": "1", "payoff": '
                    + "9" * 5000 + ', "childNode": {"type": "terminal"}}]}]}}')
    with pytest.raises(ConversionError, match="it is not a finite number"):
        read(path)
