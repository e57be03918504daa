"""Random trees: the array engine equals a plain recursive reading of FORMAT.md, and the
engine's cheap screen (`FlatTree.suspect`) never misses a problem `validate` finds."""
from __future__ import annotations

import math
import warnings

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

with warnings.catch_warnings():
    # On a failure hypothesis imports libcst, which warns (an error under our filterwarnings)
    # and turns the failure into a pytest INTERNALERROR; import it here, quietly, instead.
    warnings.simplefilter("ignore", DeprecationWarning)
    try:
        import hypothesis.extra._patching  # noqa: F401
    except ImportError:
        pass

from offramp_gui.analysis.evaluate import evaluate
from offramp_gui.analysis.flatten import flatten
from offramp_gui.model.tree import Criterion, Node, Outcome, Player, Tree
from offramp_gui.model.validate import validate, validate_settings

FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---- random valid trees --------------------------------------------------------------------
@st.composite
def random_trees(draw, max_depth: int = 4) -> Tree:
    criteria = [Criterion(f"c{k}", f"C{k}") for k in range(draw(st.integers(1, 3)))]
    players = [Player(f"p{k}", f"P{k}", {c.id: draw(st.sampled_from([-2, -1, -0.5, 0, 0.3, 1, 2]))
                                        for c in criteria if draw(st.booleans())})
               for k in range(draw(st.integers(1, 3)))]
    outcomes = [Outcome(f"o{k}", f"O{k}") for k in range(draw(st.integers(0, 2)))]
    amount = st.integers(-10, 10) | st.sampled_from([0.5, -2.25, 1e-3])

    def payoff():
        if len(criteria) == 1 and draw(st.booleans()):
            return draw(amount)
        return {c.id: draw(amount) for c in criteria if draw(st.booleans())} or None

    def build(path: str, depth: int, probability=None) -> Node:
        kinds = ["terminal"] if depth == 0 else ["decision", "chance", "terminal", "decision"]
        node = Node(path, draw(st.sampled_from(kinds)), probability=probability,
                    payoff=payoff() if draw(st.booleans()) else None)
        if node.type == "terminal":
            node.outcome = draw(st.sampled_from([None] + [o.id for o in outcomes]))
            return node
        if node.type == "decision":
            node.player = draw(st.sampled_from([p.id for p in players]))
            node.solve = draw(st.sampled_from([None, "best", "best", "assumed"]))
        count = draw(st.integers(1, 3))
        shares: list = [None] * count
        if node.takes_probabilities:
            weights = draw(st.lists(st.integers(0, 6), min_size=count, max_size=count))
            weights[0] += 0 if sum(weights) else 1
            shares = [w / sum(weights) for w in weights]
            if draw(st.booleans()):
                shares[draw(st.integers(0, count - 1))] = "#"
        node.children = [build(f"{path}.{k}", depth - 1, shares[k]) for k in range(count)]
        return node

    tree = Tree(build("n0", draw(st.integers(0, max_depth))), "random")
    tree.criteria, tree.players, tree.outcomes = criteria, players, outcomes or None
    tree.reindex()
    return tree


# ---- the reference: FORMAT.md, "What the engine computes", read literally ------------------------
def reference(tree: Tree) -> dict[str, dict]:
    criteria = [c.id for c in tree.effective_criteria()]
    weights = {p.id: [p.weights.get(c, 0) for c in criteria] for p in tree.effective_players()}
    only_player = next(iter(weights)) if len(weights) == 1 else None
    keys = [o.id for o in tree.outcomes or []] + ["null"]
    out: dict[str, dict] = {}

    def own(node: Node) -> list[float]:
        if node.payoff is None:
            return [0.0] * len(criteria)
        if not isinstance(node.payoff, dict):
            return [float(node.payoff)]
        return [float(node.payoff.get(c, 0)) for c in criteria]

    def utility(values: list[float]) -> dict[str, float]:
        return {p: sum(w * v for w, v in zip(ws, values, strict=True)) for p, ws in weights.items()}

    def probabilities(node: Node) -> list[float]:
        given = [c.probability for c in node.children]
        rest = 1 - sum(p for p in given if p != "#")
        return [rest if p == "#" else p for p in given]

    def roll(node: Node, above: list[float]) -> dict:
        total = [a + b for a, b in zip(above, own(node), strict=True)]
        entry = {"choice": None, "tie": False}
        if node.type == "terminal":
            entry["expected"] = total
            entry["outcomes"] = {k: float(k == (node.outcome or "null")) for k in keys}
        else:
            kids = [roll(c, total) for c in node.children]
            if node.type == "chance" or node.solve == "assumed":
                ps = probabilities(node)
                entry["weights"] = ps
                pairs = list(zip(ps, kids, strict=True))
                entry["expected"] = [sum(p * k["expected"][i] for p, k in pairs)
                                     for i in range(len(criteria))]
                entry["outcomes"] = {o: sum(p * k["outcomes"][o] for p, k in pairs) for o in keys}
            else:
                player = node.player or only_player
                us = [k["utility"][player] for k in kids]
                best = max(us)
                near = [u >= best - 1e-9 * max(1, abs(best)) for u in us]
                first = near.index(True)
                entry.update(choice=node.children[first].id, tie=sum(near) > 1,
                             weights=[float(k == first) for k in range(len(kids))],
                             expected=kids[first]["expected"], outcomes=kids[first]["outcomes"])
        entry["utility"] = utility(entry["expected"])
        out[node.id] = entry
        return entry

    def reach(node: Node, share: float) -> None:
        out[node.id]["reach"] = share
        for child, w in zip(node.children, out[node.id].get("weights", []), strict=True):
            reach(child, share * w)

    roll(tree.root, [0.0] * len(criteria))
    reach(tree.root, 1.0)
    return out


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@FAST
@given(random_trees())
def test_engine_equals_the_reference(tree):
    results = evaluate(flatten(tree))
    assert results.issues == ()
    flat, expected = results.flat, reference(tree)
    players, keys = flat.players, results.outcome_keys
    for node_id, want in expected.items():
        i = flat.index[node_id]
        assert all(map(close, results.expected[i], want["expected"])), node_id
        assert all(close(results.utility[i][k], want["utility"][p])
                   for k, p in enumerate(players)), node_id
        assert results.chosen_id(node_id) == want["choice"], node_id
        assert bool(results.tie[i]) == want["tie"], node_id
        assert close(results.reach[i], want["reach"]), node_id
        assert all(close(results.outcomes[i][k], want["outcomes"][o])
                   for k, o in enumerate(keys)), node_id


# ---- the screen never misses what validate finds ----------------------------------------------
@FAST
@given(random_trees())
def test_valid_random_trees_are_not_suspect(tree):
    assert validate(tree) == []
    assert flatten(tree).suspect is False


def _internal(tree: Tree) -> list[Node]:
    return [n for n in tree.root.walk() if n.children]


def _any(tree: Tree) -> list[Node]:
    return list(tree.root.walk())


MUTATIONS = {
    # name: (which nodes it may touch, what it does)
    "player on a non-decision": (_any, lambda n, t: n.type != "decision"
                                 and setattr(n, "player", "p0")),
    "solve on a non-decision": (_any, lambda n, t: n.type != "decision"
                                and setattr(n, "solve", "best")),
    "unknown solve": (_any, lambda n, t: setattr(n, "solve", "sometimes")),
    "unknown player": (_any, lambda n, t: setattr(n, "player", "ghost")),
    "no player": (_any, lambda n, t: setattr(n, "player", None)),
    "unknown outcome": (_any, lambda n, t: setattr(n, "outcome", "ghost")),
    "outcome on an inner node": (_internal, lambda n, t: setattr(n, "outcome", "o0")),
    "terminal with children": (_internal, lambda n, t: setattr(n, "type", "terminal")),
    "chance to decision": (_internal, lambda n, t: setattr(n, "type", "decision")),
    "decision to chance": (_internal, lambda n, t: setattr(n, "type", "chance")),
    "no children": (_internal, lambda n, t: n.children.clear()),
    "child on a terminal": (_any, lambda n, t: n.children.append(Node("extra", "terminal"))),
    "probability dropped": (_any, lambda n, t: setattr(n, "probability", None)),
    "probability added": (_any, lambda n, t: setattr(n, "probability", 0.5)),
    "second remainder": (_internal, lambda n, t: [setattr(c, "probability", "#")
                                                  for c in n.children[:2]]),
    "branch on the root": (lambda t: [t.root], lambda n, t: setattr(n, "branch", "in")),
    "bad id": (_any, lambda n, t: setattr(n, "id", "a b")),
    "id with a line break": (_any, lambda n, t: setattr(n, "id", "a\nb")),
    "empty id": (_any, lambda n, t: setattr(n, "id", "")),
    "repeated id": (_any, lambda n, t: setattr(n, "id", t.root.id)),
    "unknown criterion": (_any, lambda n, t: setattr(n, "payoff", {"ghost": 1})),
    "bare number payoff": (_any, lambda n, t: setattr(n, "payoff", 3)),
    "bad payoff formula": (_any, lambda n, t: setattr(n, "payoff", "1 +")),
    "undefined name in payoff": (_any, lambda n, t: setattr(n, "payoff", {"c0": "zz * 2"})),
    "bad probability formula": (_any, lambda n, t: setattr(n, "probability", "0.5 )")),
    "undefined name in probability": (_any, lambda n, t: setattr(n, "probability", "zz")),
    "probability of the wrong type": (_any, lambda n, t: setattr(n, "probability", [0.5])),
}


@FAST
@given(random_trees(max_depth=3), st.sampled_from(sorted(MUTATIONS)), st.data())
def test_suspect_flags_every_tree_validate_rejects(tree, name, data):
    which, mutate = MUTATIONS[name]
    node = data.draw(st.sampled_from(which(tree) or [tree.root]))
    mutate(node, tree)
    tree.reindex()
    node_problems = [i for i in validate(tree) if i not in validate_settings(tree)]
    if node_problems:
        assert flatten(tree).suspect, [i.message for i in node_problems]


def fixed_tree() -> Tree:
    root = Node("n0", "decision", player="p0", children=[
        Node("n0.0", "chance", children=[Node("n0.0.0", "terminal", probability=0.5),
                                         Node("n0.0.1", "terminal", probability="#")]),
        Node("n0.1", "terminal")])
    tree = Tree(root)
    tree.players = [Player("p0", "P", {}), Player("p1", "Q", {})]
    tree.criteria = [Criterion("c0", "C"), Criterion("c1", "D")]
    tree.outcomes = [Outcome("o0", "O")]
    return tree


def test_every_mutation_breaks_a_rule_somewhere():
    """Guards the property above against vacuity: each mutation can make validate complain."""
    assert validate(fixed_tree()) == [] and not flatten(fixed_tree()).suspect
    for name, (which, mutate) in MUTATIONS.items():
        for k in range(len(which(fixed_tree()))):
            tree = fixed_tree()
            mutate(which(tree)[k], tree)
            tree.reindex()
            if validate(tree):
                assert flatten(tree).suspect, name
                break
        else:
            raise AssertionError(f"{name} never breaks a rule")
