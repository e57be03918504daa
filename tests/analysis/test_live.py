"""The live evaluation the app keeps per document: after any sequence of edits of numbers
(probabilities, payoffs, variables, weights) its results are exactly a full evaluation's,
problems included, and the edits it cannot take are said to need one."""
from __future__ import annotations

import copy
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

with warnings.catch_warnings():
    # (as in test_property: hypothesis imports libcst on a failure, which warns)
    warnings.simplefilter("ignore", DeprecationWarning)
    try:
        import hypothesis.extra._patching  # noqa: F401
    except ImportError:
        pass

from offramp_gui.analysis.evaluate import Results, evaluate_tree
from offramp_gui.analysis.live import LiveEvaluation
from offramp_gui.model.events import TreeChange
from offramp_gui.model.tree import Criterion, Node, Outcome, Player, Tree, Variable

FIELDS = ("expected", "utility", "choice", "tie", "reach", "outcomes", "probability")


def same_results(mine: Results, full: Results) -> None:
    for name in FIELDS:
        np.testing.assert_array_equal(getattr(mine, name), getattr(full, name), err_msg=name)
    assert mine.variables == full.variables
    assert mine.issues == full.issues
    for name in ("probability", "payoff", "weights"):
        np.testing.assert_array_equal(getattr(mine.flat, name), getattr(full.flat, name),
                                      err_msg=name)
    assert [(v.name, repr(v.value), v.formula and v.formula.text) for v in mine.flat.variables] \
        == [(v.name, repr(v.value), v.formula and v.formula.text) for v in full.flat.variables]
    assert mine.flat.labels == full.flat.labels
    assert list(mine.flat.ids) == list(full.flat.ids)
    assert [mine.flat.ids[i] for i in range(-1, len(full.flat.ids))] == [
        full.flat.ids[i] for i in range(-1, len(full.flat.ids))]


class Recorder:
    """Makes edits as the app's commands do (in a batch) and hands each change on."""

    def __init__(self, tree: Tree):
        self.tree = tree
        self.live = LiveEvaluation(tree)
        self.incremental = 0
        self.changes: list[TreeChange] = []
        tree.notifier.subscribe(self.changes.append)

    def edit(self, *steps) -> None:
        with self.tree.batch():
            for kind, *args in steps:
                if kind == "meta":
                    self.tree.set_meta(*args)
                elif kind == "field":
                    self.tree.set_field(*args)
                else:
                    getattr(self.tree, kind)(*args)
        for change in self.changes:
            if self.live.apply(self.tree, change):
                self.incremental += 1
            else:
                self.live = LiveEvaluation(self.tree)
        self.changes.clear()
        same_results(self.live.results(), evaluate_tree(self.tree))


# ---- random trees with variables in their formulas, and random edits -------------------
@st.composite
def trees(draw) -> Tree:
    criteria = [Criterion(f"c{k}", f"C{k}") for k in range(draw(st.integers(1, 3)))]
    players = [Player(f"p{k}", f"P{k}", {c.id: draw(st.sampled_from([-2, -0.5, 0, 0.3, 1]))
                                        for c in criteria})
               for k in range(draw(st.integers(1, 2)))]
    if draw(st.booleans()):
        players[0].weights[criteria[0].id] = "w"
    amount = st.integers(-10, 10) | st.sampled_from([0.5, -2.25, 1e-3, 0.1, 1 / 3])
    counter = iter(range(10 ** 6))

    def payoff():
        if draw(st.integers(0, 5)) == 0:
            return {criteria[-1].id: "v2 + 1"}
        return {c.id: draw(amount) for c in criteria if draw(st.booleans())} or None

    def build(depth: int, probability=None) -> Node:
        kinds = ["terminal"] if depth == 0 else ["decision", "chance", "terminal", "decision"]
        node = Node(f"n{next(counter)}", draw(st.sampled_from(kinds)), probability=probability,
                    payoff=payoff() if draw(st.booleans()) else None)
        if node.type == "terminal":
            node.outcome = draw(st.sampled_from([None, "o0", "o1"]))
            return node
        if node.type == "decision":
            node.player = draw(st.sampled_from([p.id for p in players]))
            node.solve = draw(st.sampled_from([None, "best", "assumed"]))
        count = draw(st.integers(1, 3))
        shares: list = [None] * count
        if node.takes_probabilities:
            shares = [round(1 / count, 3)] * count
            shares[draw(st.integers(0, count - 1))] = draw(st.sampled_from(["#", "#", "v0"]))
            if "v0" in shares and count > 1:
                shares[shares.index("v0") - 1] = "#"
        node.children = [build(depth - 1, shares[k]) for k in range(count)]
        return node

    tree = Tree(build(draw(st.integers(1, 4))), "random")
    tree.criteria, tree.players = criteria, players
    tree.outcomes = [Outcome("o0", "O0"), Outcome("o1", "O1")]
    tree.variables = [Variable("v0", 0.25, 0, 1), Variable("v2", "v0 * 8 - 1"),
                      Variable("w", 0.5)]
    tree.reindex()
    return tree


@st.composite
def edits(draw, tree: Tree) -> list:
    ids = tree.ids()
    steps = []
    for _ in range(draw(st.integers(1, 3))):
        what = draw(st.sampled_from(["probability", "payoff", "variable", "weight"]))
        node = tree.node(draw(st.sampled_from(ids)))
        if what == "probability" and not isinstance(node.probability, str) and \
                node.probability is not None:
            steps.append(("field", node.id, "probability",
                          draw(st.sampled_from([0, 0.1, 0.25, 0.5, 1, 1.5, -0.25, 1 / 3]))))
        elif what == "payoff" and not isinstance(node.payoff, dict | str) or \
                what == "payoff" and not any(isinstance(v, str) for v in node.payoff.values()):
            criteria = [c.id for c in tree.effective_criteria()]
            steps.append(("field", node.id, "payoff", {
                c: draw(st.sampled_from([0, 3, -7, 0.1, 2.5, 1e6])) for c in criteria
                if draw(st.booleans())} or None))
        elif what == "variable":
            variables = copy.deepcopy(tree.variables)
            variables[draw(st.sampled_from([0, 2]))].value = draw(
                st.sampled_from([0, 0.2, 0.5, 0.75, 1, 1.5]))
            steps.append(("meta", "variables", variables))
        elif what == "weight":
            players = copy.deepcopy(tree.players)
            player = draw(st.sampled_from(players))
            criterion = draw(st.sampled_from(tree.effective_criteria())).id
            if not isinstance(player.weights.get(criterion), str):
                player.weights[criterion] = draw(st.sampled_from([-1, 0, 0.5, 2, 3]))
                steps.append(("meta", "players", players))
    return steps


def fresh_copy(node: Node, tree: Tree, prefix: str) -> Node:
    """A copy of a branch with ids the tree does not have, as Paste makes one."""
    copied = node.clone()
    for k, each in enumerate(copied.walk()):
        each.id = f"{prefix}{k}"
        assert each.id not in tree
    return copied


@st.composite
def structural_edits(draw, tree: Tree, counter) -> list:
    """One structural edit as the app's commands make it (one batch), at times with
    numbers edited in the same batch."""
    ids = tree.ids()
    node = tree.node(draw(st.sampled_from(ids)))
    parent_id = tree.parent_id(node.id)
    inner = [i for i in ids if tree.node(i).children]
    what = draw(st.sampled_from(["add", "delete", "move", "paste", "move_branch", "type"]))
    steps: list = []
    if what == "add" and node.children:
        child = Node(f"a{next(counter)}", "terminal", payoff=draw(st.sampled_from(
            [None, 2, -1.5])), probability=0 if node.takes_probabilities else None)
        steps.append(("add_subtree", node.id, draw(st.integers(0, len(node.children))), child))
    elif what == "delete" and parent_id is not None and len(tree.node(parent_id).children) > 1:
        steps.append(("remove_subtree", node.id))
    elif what == "move" and len(node.children) > 1:
        old, new = draw(st.permutations(range(len(node.children))))[:2]
        steps.append(("move_child", node.id, old, new))
    elif what == "paste" and inner:
        target = tree.node(draw(st.sampled_from(inner)))
        copied = fresh_copy(node, tree, f"c{next(counter)}.")
        copied.probability = 0 if target.takes_probabilities else None
        steps.append(("add_subtree", target.id, len(target.children), copied))
    elif what == "move_branch" and parent_id is not None and len(
            tree.node(parent_id).children) > 1:
        targets = [i for i in inner if i != node.id and node.id not in tree.ancestors(i)
                   and i != parent_id]
        if targets:
            target = tree.node(draw(st.sampled_from(targets)))
            moved = node.clone()
            moved.probability = 0 if target.takes_probabilities else None
            steps += [("remove_subtree", node.id),
                      ("add_subtree", target.id, draw(st.integers(0, len(target.children))),
                       moved)]
    elif what == "type" and node.children:
        kind = "chance" if node.type == "decision" else "decision"
        steps += [("field", node.id, "player", None), ("field", node.id, "solve", None),
                  ("field", node.id, "type", kind)]
        if kind == "decision":
            steps.append(("field", node.id, "player", tree.players[-1].id))
        shares = [round(1 / len(node.children), 3)] * (len(node.children) - 1) + ["#"]
        for child, share in zip(node.children, shares):
            steps.append(("field", child.id, "probability",
                          share if kind == "chance" else None))
    elif what == "type" and parent_id is not None:  # an end node becomes a chance node
        steps += [("field", node.id, "outcome", None), ("field", node.id, "type", "chance"),
                  ("add_subtree", node.id, 0, Node(f"a{next(counter)}", "terminal",
                                                  probability="#", payoff=1))]
    if steps and draw(st.booleans()):
        steps = draw(edits(tree)) + steps
    return steps


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_after_random_edits_the_numbers_are_a_full_evaluations(data):
    tree = data.draw(trees())
    recorder = Recorder(tree)
    same_results(recorder.live.results(), evaluate_tree(tree))
    counter = iter(range(10 ** 6))
    for _ in range(data.draw(st.integers(1, 6))):
        if data.draw(st.booleans()):
            steps = data.draw(structural_edits(tree, counter))
        else:
            steps = data.draw(edits(tree))
        if steps:
            recorder.edit(*steps)


# ---- what a user does, one edit at a time -------------------------------------------
def essay() -> Tree:
    """A West decision over a chance with a remainder, an East decision below it."""
    tree = Tree(Node("r", "decision", player="west", children=[
        Node("go", "chance", branch="Go", payoff={"a": 1}, children=[
            Node("east", "decision", branch="East", probability="p", player="east", children=[
                Node("give", "terminal", branch="Give", payoff={"a": 4, "b": -1},
                     outcome="win"),
                Node("take", "terminal", branch="Take", payoff={"a": -4, "b": 2})]),
            Node("sure", "terminal", branch="Sure", probability=0.25, payoff={"a": "k"}),
            Node("rest", "terminal", branch="Rest", probability="#", payoff={"b": 3})]),
        Node("stay", "terminal", branch="Stay", payoff={"a": 0.5, "b": 0.5})]), "Essay")
    tree.criteria = [Criterion("a", "A"), Criterion("b", "B")]
    tree.players = [Player("west", "West", {"a": 1, "b": 0.5}),
                    Player("east", "East", {"a": -1, "b": 1})]
    tree.outcomes = [Outcome("win", "Win")]
    tree.variables = [Variable("p", 0.5, 0, 1), Variable("k", 2)]
    tree.reindex()
    return tree


def test_each_edit_of_a_number_is_taken_without_a_full_evaluation():
    recorder = Recorder(essay())
    players = copy.deepcopy(recorder.tree.players)
    players[1].weights["b"] = -3  # the East now takes what it gave
    variables = copy.deepcopy(recorder.tree.variables)
    variables[0].value = 0.6
    for step in [("field", "sure", "probability", 0.125), ("field", "give", "payoff", {"a": 9}),
                 ("meta", "variables", variables), ("meta", "players", players),
                 ("field", "rest", "branch", "The rest"), ("field", "go", "notes", "why")]:
        recorder.edit(step)
    assert recorder.incremental == 6
    results = recorder.live.results()
    assert results.chosen_id("east") == "take"
    assert results.probability[results.index("rest")] == pytest.approx(1 - 0.6 - 0.125)


def test_a_sum_that_goes_wrong_is_reported_and_taken_back():
    recorder = Recorder(essay())
    recorder.edit(("field", "sure", "probability", 0.75))  # p 0.5 + 0.75: the rest is -0.25
    assert [i.node_id for i in recorder.live.results().issues] == ["rest"]
    assert np.isnan(recorder.live.results().expected[0]).all()
    recorder.edit(("field", "sure", "probability", 0.5))
    assert recorder.live.results().issues == ()
    assert recorder.incremental == 2


@pytest.mark.parametrize("step", [
    ("field", "sure", "probability", "p / 2"),  # a formula typed in
    ("field", "give", "payoff", {"a": "k"}),
    ("field", "give", "type", "chance"),
    ("field", "give", "payoff", {"nothing": 1}),  # a criterion that is not there
])
def test_what_it_cannot_take_asks_for_a_full_evaluation(step):
    recorder = Recorder(essay())
    recorder.edit(step)
    assert recorder.incremental == 0


def test_a_total_that_overflows_is_left_to_the_full_evaluation():
    recorder = Recorder(essay())
    recorder.edit(("field", "give", "payoff", {"a": 1e308}), ("field", "go", "payoff",
                                                              {"a": 1e308}))
    assert recorder.incremental == 0
    assert recorder.live.results().issues  # "too large to compute", as evaluate says


def test_a_snapshot_taken_before_an_edit_keeps_its_numbers():
    recorder = Recorder(essay())
    before = recorder.live.results().flat
    recorder.edit(("field", "sure", "probability", 0.125))
    assert before.probability[before.index["sure"]] == 0.25
    assert recorder.live.results().flat.probability[before.index["sure"]] == 0.125
