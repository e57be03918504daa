"""One test per rule of FORMAT.md that `model.validate` checks: message, JSON path, node."""
from __future__ import annotations

import json

import pytest

from offramp_gui.api import load_text
from offramp_gui.model.limits import MAX_DEPTH
from offramp_gui.model.tree import Criterion, Node, Outcome, Player, Tree, Variable
from offramp_gui.model.validate import validate

TWO_CRITERIA = [Criterion("c", "C"), Criterion("d", "D")]
TWO_PLAYERS = [Player("p", "P", {"value": 1}), Player("q", "Q", {"value": -1})]


def leaf(node_id: str, **fields) -> Node:
    return Node(node_id, "terminal", **fields)


def decision(node_id: str, *kids: Node, **fields) -> Node:
    return Node(node_id, "decision", children=list(kids), **fields)


def chance(node_id: str, *kids: Node, **fields) -> Node:
    return Node(node_id, "chance", children=list(kids), **fields)


def make(root: Node, **settings) -> Tree:
    tree = Tree(root)
    for key, value in settings.items():
        setattr(tree, key, value)
    return tree


def only_issue(tree: Tree):
    issues = validate(tree)
    assert len(issues) == 1, [i.message for i in issues]
    return issues[0]


def check(tree: Tree, fragment: str, path: str, node_id: str | None = None,
          field: str | None = None) -> None:
    issue = only_issue(tree)
    assert fragment in issue.message
    assert issue.path == path
    assert issue.node_id == node_id
    if field is not None:
        assert issue.field == field


def with_variables(*variables: Variable, payoff: object = 1) -> Tree:
    return make(decision("r", leaf("a", payoff=payoff)), variables=list(variables))


def test_a_valid_tree_has_no_issues():
    tree = make(decision("r", chance("c", leaf("x", probability="p", payoff={"c": 1}),
                                     leaf("y", probability="#", payoff={"d": "2 * p"}),
                                     payoff={"c": -1}, player=None),
                         leaf("t", outcome="o"), player="p"),
                criteria=TWO_CRITERIA, players=[Player("p", "P", {"c": 1, "d": 0.5})],
                variables=[Variable("p", 0.3, 0, 1, distribution={"type": "beta", "alpha": 2,
                                                                     "beta": 3})],
                outcomes=[Outcome("o", "O", color="#aabbcc")])
    assert validate(tree) == []


# ---- references ------------------------------------------------------------------------
def test_unknown_player():
    check(make(decision("r", leaf("a"), player="ghost"), players=TWO_PLAYERS),
          'there is no player "ghost"; the players are "p", "q"', "$.root.player", "r", "player")


def test_unknown_outcome():
    check(make(decision("r", leaf("a", outcome="nope")), outcomes=[Outcome("o", "O")]),
          'there is no outcome "nope"; the outcomes are "o"', "$.root.children[0].outcome",
          "a", "outcome")


def test_outcome_when_none_are_defined():
    check(make(decision("r", leaf("a", outcome="nope"))), "none are defined",
          "$.root.children[0].outcome", "a")


def test_unknown_criterion_in_a_payoff():
    check(make(decision("r", leaf("a", payoff={"c": 1, "zzz": 5})), criteria=TWO_CRITERIA),
          'there is no criterion "zzz"; the criteria are "c", "d"',
          "$.root.children[0].payoff.zzz", "a", "payoff")


def test_unknown_criterion_in_weights():
    check(make(decision("r", leaf("a")), players=[Player("p", "P", {"value": 1, "rsk": 2})]),
          'there is no criterion "rsk"', "$.players[0].weights.rsk")


def test_odd_criterion_key_gets_a_quoted_path():
    issue = only_issue(make(decision("r", leaf("a", payoff={"a b": 1}))))
    assert issue.path == '$.root.children[0].payoff["a b"]'


# ---- players and node kinds -------------------------------------------------------------
def test_decision_without_player_when_several_players():
    check(make(decision("r", leaf("a")), players=TWO_PLAYERS),
          'a decision node needs a "player" when there are several', "$.root", "r", "player")


def test_decision_without_player_is_fine_with_one_player():
    assert validate(make(decision("r", leaf("a")), players=TWO_PLAYERS[:1])) == []


@pytest.mark.parametrize("field, value", [("player", "p"), ("solve", "best")])
def test_player_and_solve_only_on_decisions(field, value):
    tree = make(chance("r", leaf("a", probability=1), **{field: value}), players=TWO_PLAYERS)
    check(tree, f'only decision nodes have a "{field}"', f"$.root.{field}", "r", field)
    check(make(decision("r", leaf("a", **{field: value})), players=TWO_PLAYERS[:1]),
          f'only decision nodes have a "{field}"', f"$.root.children[0].{field}", "a")


def test_solve_must_be_best_or_assumed():
    check(make(decision("r", leaf("a"), solve="maybe")), '"solve" must be "best" or "assumed"',
          "$.root.solve", "r", "solve")


def test_terminal_with_children():
    check(make(Node("r", "terminal", children=[leaf("a")])),
          "a terminal node cannot have branches", "$.root.children", "r", "children")


@pytest.mark.parametrize("kind", ["decision", "chance"])
def test_decision_and_chance_need_children(kind):
    check(make(Node("r", kind)), f"a {kind} node needs at least one branch", "$.root", "r")


def test_outcome_only_on_terminals():
    check(make(decision("r", leaf("a"), outcome="o"), outcomes=[Outcome("o", "O")]),
          'only terminal nodes have an "outcome"', "$.root.outcome", "r", "outcome")


# ---- probabilities -----------------------------------------------------------------------
def test_probability_missing_under_chance():
    check(make(chance("r", leaf("a", probability=0.5), leaf("b"))),
          'this branch needs a probability, because "r" is a chance node',
          "$.root.children[1]", "b", "probability")


def test_probability_missing_under_assumed_decision():
    check(make(decision("r", leaf("a"), solve="assumed")),
          "because \"r\" is a decision with assumed probabilities", "$.root.children[0]", "a")


def test_probability_forbidden_under_decision():
    check(make(decision("r", leaf("a", probability=0.5))),
          'a probability is not used here, because "r" is a decision node; remove it',
          "$.root.children[0].probability", "a", "probability")


def test_probability_forbidden_on_the_root():
    check(make(decision("r", leaf("a"), probability=1)), "because the root",
          "$.root.probability", "r")


def test_two_remainders():
    check(make(chance("r", leaf("a", probability="#"), leaf("b", probability="#"))),
          '2 branches use "#"; at most one may take the remainder', "$.root", "r", "probability")


def test_invalid_probability_expression():
    check(make(chance("r", leaf("a", probability="0.5 +"))), '"0.5 +" is not a valid expression',
          "$.root.children[0].probability", "a", "probability")


# ---- ids and the root --------------------------------------------------------------------
@pytest.mark.parametrize("bad", ["a b", "", "x" * 65, "é", "a/b"])
def test_bad_node_ids(bad):
    issue = only_issue(make(decision("r", leaf(bad))))
    assert "may use only letters, digits, '_', '.' and '-' (1 to 64 of them)" in issue.message
    assert issue.path == "$.root.children[0].id" and issue.field == "id"


def test_longest_id_is_fine():
    assert validate(make(decision("r", leaf("A-z_0.9" + "x" * 57)))) == []


def test_duplicate_node_ids_name_the_node_that_has_the_id_first():
    check(make(decision("r", leaf("a", branch="Defeat"), chance("c", leaf("a", probability=1)))),
          'duplicate id "a": the node "Defeat" already has it',
          "$.root.children[1].children[0].id", "a")
    check(make(decision("r", leaf("a", name="Stalemate", branch="Wait"),
                        chance("c", leaf("a", probability=1)))),
          'duplicate id "a": the node "Stalemate" already has it',
          "$.root.children[1].children[0].id", "a")
    check(make(decision("r", leaf("a"), chance("c", leaf("a", probability=1)))),
          'duplicate id "a": another node already has it',
          "$.root.children[1].children[0].id", "a")


@pytest.mark.parametrize("kind, make_item, what", [
    ("criteria", lambda i: Criterion(i, "N"), "criterion"),
    ("players", lambda i: Player(i, "N", {}), "player"),
    ("outcomes", lambda i: Outcome(i, "N"), "outcome"),
])
def test_duplicate_and_bad_ids_of_settings(kind, make_item, what):
    tree = make(decision("r", leaf("a"), player="x" if kind == "players" else None),
                **{kind: [make_item("x"), make_item("x"), make_item("no good")]})
    messages = {i.path: i.message for i in validate(tree)}
    assert messages[f"$.{kind}[1].id"] == f'the {what} id "x" is used twice'
    assert f'the {what} id "no good" may use only' in messages[f"$.{kind}[2].id"]


def test_root_with_branch():
    check(make(decision("r", leaf("a"), branch="in")), "the root has no branch leading into it",
          "$.root.branch", "r", "branch")


def test_too_deep():
    node = leaf("end")
    for depth in range(MAX_DEPTH + 5):
        node = decision(f"d{depth}", node)
    issue = only_issue(make(node))
    assert f"more than {MAX_DEPTH} levels deep" in issue.message
    assert issue.path.count("children") == MAX_DEPTH


# ---- variables ---------------------------------------------------------------------------
@pytest.mark.parametrize("name, fragment", [
    ("9lives", "must start with a letter"), ("a-b", "must start with a letter"),
    ("x" * 65, "at most 64"), ("", "must start with a letter"),
    ("__x", "may not start with two underscores"),
    ("and", "is a word of the expression language"), ("or", "word of the expression language"),
    ("not", "word of the expression language"), ("if", "word of the expression language"),
    ("sqrt", "word of the expression language"), ("clamp", "word of the expression language"),
])
def test_variable_name_rules(name, fragment):
    check(with_variables(Variable(name, 1)), fragment, "$.variables[0].name")


@pytest.mark.parametrize("name", ["lambda", "_private", "x" * 64, "If", "def"])
def test_legal_variable_names(name):
    assert validate(with_variables(Variable(name, 1), payoff=f"{name} + 1")) == []


def test_duplicate_variables():
    check(with_variables(Variable("a", 1), Variable("a", 2)), 'the variable "a" is defined twice',
          "$.variables[1].name")


def test_undefined_name_in_a_payoff():
    check(with_variables(Variable("p", 1), payoff="q * 2"),
          '"q * 2" uses "q", which is not a variable; the variables are "p"',
          "$.root.children[0].payoff", "a", "payoff")


def test_undefined_name_with_no_variables_at_all():
    issue = only_issue(with_variables(payoff="q"))
    assert "(there are no variables)" in issue.message


def test_undefined_name_in_a_probability():
    check(make(chance("r", leaf("a", probability="pp"))), 'uses "pp"',
          "$.root.children[0].probability", "a", "probability")


def test_undefined_name_in_a_variable():
    check(with_variables(Variable("a", "b + 1")),
          'the value of a uses "b", which is not a variable', "$.variables[0].value")


def test_invalid_variable_expression():
    check(with_variables(Variable("a", "1 +* 2")), 'the value "1 +* 2" of a is not a valid',
          "$.variables[0].value")


@pytest.mark.parametrize("variables, cycle, path", [
    ([Variable("a", "b"), Variable("b", "a + 1")], "a -> b -> a", "$.variables[0].value"),
    ([Variable("a", "a * 2")], "a -> a", "$.variables[0].value"),
    ([Variable("z", 1), Variable("x", "y"), Variable("y", "w"), Variable("w", "x + z")],
     "x -> y -> w -> x", "$.variables[1].value"),
])
def test_variable_cycles_are_named(variables, cycle, path):
    check(with_variables(*variables), f"these variables are defined in a circle: {cycle}", path)


def test_min_above_max():
    check(with_variables(Variable("a", 1, min=3, max=2)), "min 3 is above max 2",
          "$.variables[0].min")


@pytest.mark.parametrize("distribution, fragment", [
    ({"type": "uniform", "low": 2, "high": 1}, "low must not exceed high"),
    ({"type": "triangular", "low": 0, "mode": 3, "high": 2}, "needs low <= mode <= high"),
    ({"type": "beta", "alpha": 0, "beta": 1}, "alpha and beta must be above 0"),
    ({"type": "beta", "alpha": 1, "beta": -2}, "alpha and beta must be above 0"),
    ({"type": "normal", "mean": 0, "sd": -1}, "sd must not be negative"),
    ({"type": "lognormal", "mu": 0, "sigma": -1}, "sigma must not be negative"),
    ({"type": "discrete", "values": [1, 2], "weights": [1]}, "as many weights as values"),
    ({"type": "discrete", "values": [1, 2], "weights": [1, -1]}, "none negative"),
    ({"type": "discrete", "values": [1, 2], "weights": [0, 0]}, "not all 0"),
])
def test_bad_distributions(distribution, fragment):
    check(with_variables(Variable("a", 1, distribution=distribution)), fragment,
          "$.variables[0].distribution")


# ---- payoffs, colours, and everything at once --------------------------------------------------
def test_payoff_number_with_several_criteria():
    check(make(decision("r", leaf("a", payoff=5)), criteria=TWO_CRITERIA),
          'with several criteria, a payoff must be an object such as {"c": 5}',
          "$.root.children[0].payoff", "a", "payoff")


def test_outcome_colour():
    check(make(decision("r", leaf("a")), outcomes=[Outcome("o", "O", color="red")]),
          'the colour "red" is not of the form #rrggbb', "$.outcomes[0].color")


def test_every_problem_is_reported_in_document_order():
    tree = make(decision("r", chance("c"), leaf("a", probability=0.5), leaf("a", outcome="o"),
                         branch="x", player="ghost"),
                variables=[Variable("if", 1)])
    paths = [i.path for i in validate(tree)]
    assert paths == ["$.variables[0].name", "$.root.branch", "$.root.player", "$.root.children[0]",
                     "$.root.children[1].probability", "$.root.children[2].id",
                     "$.root.children[2].outcome"]


def test_control_characters_are_not_echoed():
    issue = only_issue(make(decision("r", leaf("a\u202eb\x07"))))
    assert "\u202e" not in issue.message and "\x07" not in issue.message
    assert "a\N{REPLACEMENT CHARACTER}b" in issue.message
    assert "\u202e" not in issue.format("f.json")


def test_nodes_times_outcomes_is_bounded_before_the_engine_builds_its_table(monkeypatch):
    from offramp_gui.model import validate as rules
    monkeypatch.setattr(rules, "MAX_OUTCOME_CELLS", 9)
    tree = load_text(json.dumps({
        "format": "offramp-tree", "version": 1, "title": "t",
        "outcomes": [{"id": "win", "name": "Win"}, {"id": "lose", "name": "Lose"}],
        "root": {"id": "r", "type": "decision", "children": [
            {"id": "a", "type": "terminal", "outcome": "win"},
            {"id": "b", "type": "terminal", "outcome": "lose"}]}}))
    assert validate(tree) == []  # 3 nodes × 3 columns: at the limit
    tree.root.children.append(Node("c", "terminal"))
    tree.reindex()
    [issue] = validate(tree)
    assert issue.message.startswith("the tree has 4 nodes and 2 outcomes: offramp keeps the"
                                    " chance of each outcome at each node, and takes at most 9")
