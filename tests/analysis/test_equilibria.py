"""Pure-strategy perfect Bayesian equilibria of textbook games, each worked out by hand
in its comment; and the search against backward induction on random trees."""
from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import given
from test_property import FAST, random_trees

from offramp_gui.analysis.equilibria import (
    find_equilibria,
    has_information_sets,
    information_sets,
)
from offramp_gui.analysis.evaluate import evaluate, evaluate_tree, solve
from offramp_gui.analysis.flatten import DECISION_KIND, flatten
from offramp_gui.analysis.sensitivity import AnalysisError, threshold
from offramp_gui.model.tree import Criterion, Node, Player, Tree, Utility


def decision(node_id: str, player: str, children: list[Node], branch: str | None = None,
             information_set: str | None = None, name: str | None = None) -> Node:
    node = Node(node_id, "decision", player=player, branch=branch, name=name,
                information_set=information_set)
    node.children = children
    return node


def chance(node_id: str, children: list[Node], branch: str | None = None) -> Node:
    node = Node(node_id, "chance", branch=branch)
    node.children = children
    return node


def end(node_id: str, branch: str, probability: float | None = None,
        **payoff: float) -> Node:
    return Node(node_id, "terminal", branch=branch, probability=probability,
                payoff=dict(payoff) or None)


def game(root: Node, *players: str) -> Tree:
    tree = Tree(root, "game")
    tree.criteria = [Criterion(p, p) for p in players]
    tree.players = [Player(p, p, {p: 1}) for p in players]
    tree.reindex()
    return tree


def profile(found, *nodes: str) -> tuple[str, ...]:
    return tuple(found.choices[n] for n in nodes)


# ---- beer-quiche ----------------------------------------------------------------------
def beer_quiche() -> Tree:
    """Cho and Kreps (1987), "Signaling games and stable equilibria", QJE 102(2), the
    numbers of Fudenberg and Tirole, Game Theory (1991) §11.2: the sender is weak (0.1)
    or surly (0.9); it gets 1 for the breakfast it likes (weak: quiche, surly: beer) and
    2 more if the receiver does not duel; the receiver gets 1 for duelling the weak and
    for leaving the surly alone."""
    def sender(node_id: str, label: str, p: float, weak: bool) -> Node:
        def reply(message: str, liked: bool) -> Node:
            base = 1 if liked else 0
            return decision(f"{node_id}_{message}", "r", [
                end(f"{node_id}_{message}_duel", "Duel", s=base, r=1 if weak else 0),
                end(f"{node_id}_{message}_not", "Don't", s=base + 2, r=0 if weak else 1),
            ], branch=message.capitalize(), information_set=f"after {message}")
        node = decision(node_id, "s", [reply("beer", not weak), reply("quiche", weak)],
                        branch=label)
        node.probability = p
        return node
    return game(chance("type", [sender("weak", "Weak", 0.1, True),
                                sender("surly", "Surly", 0.9, False)]), "s", "r")


def test_beer_quiche_has_two_pooling_equilibria_and_only_beer_is_intuitive():
    # By hand. Pooling on beer: after beer the prior (surly 0.9) says don't duel
    # (0.9 > 0.1); weak gets 2, surly 3. After quiche, off the path, the receiver must
    # duel (else weak takes quiche: 3 > 2): duel is best when P(weak) >= 1/2.
    # Intuitive: quiche earns the surly at most 2 < 3, so only the weak could send it;
    # facing the weak the receiver duels, weak gets 1 < 2: nobody gains, it survives.
    # Pooling on quiche: weak 3, surly 2; after beer duel needs P(weak) >= 1/2. Beer
    # earns the weak at most 2 < 3; facing the surly the receiver does not duel and the
    # surly gets 3 > 2: it fails. No separating equilibrium (the weak would mimic).
    # Profiles: weak's message, after beer, after quiche, surly's message (16).
    search = find_equilibria(beer_quiche())
    assert search.signalling and not search.one_player and search.complete
    assert (search.profiles, search.searched) == (16, 16)
    assert [s.name for s in search.information_sets] == ["after beer", "after quiche"]
    beer, quiche = search.equilibria
    assert profile(beer, "weak", "surly", "weak_beer", "weak_quiche") == (
        "weak_beer", "surly_beer", "weak_beer_not", "weak_quiche_duel")
    assert beer.kind == "pooling" and beer.intuitive is True
    assert beer.beliefs == pytest.approx({"weak_beer": 0.1, "surly_beer": 0.9})
    assert beer.off_path == {"after quiche": "any belief that it faces “Weak” of at least 50%"}
    assert beer.off_path_bounds["after quiche"]["weak_quiche"] == pytest.approx((0.5, 1.0))
    assert beer.off_path_bounds["after quiche"]["surly_quiche"] == pytest.approx((0.0, 0.5))
    assert beer.results.utility[0] == pytest.approx([0.1 * 2 + 0.9 * 3, 0.9])
    assert profile(quiche, "weak", "surly", "weak_beer", "weak_quiche") == (
        "weak_quiche", "surly_quiche", "weak_beer_duel", "weak_quiche_not")
    assert quiche.kind == "pooling" and quiche.intuitive is False
    assert quiche.off_path == {"after beer": "any belief that it faces “Weak” of at least 50%"}


# ---- job-market signalling ------------------------------------------------------------
def job_market() -> Tree:
    """Spence (1973), "Job market signaling", QJE 87(3), in the two-type form of
    Gibbons, A Primer in Game Theory (1992) §4.2, with numbers of our own: the worker's
    ability is high (1/3) or low (2/3); education costs the high 0.5 and the low 1.5;
    the firm pays a high wage (2) or a low one (1) and gets 1 when the wage matches the
    ability, 0 otherwise."""
    def worker(node_id: str, label: str, p: float, cost: float, high: bool) -> Node:
        def firm(message: str, spent: float) -> Node:
            return decision(f"{node_id}_{message}", "firm", [
                end(f"{node_id}_{message}_high", "High wage", worker=2 - spent,
                    firm=1 if high else 0),
                end(f"{node_id}_{message}_low", "Low wage", worker=1 - spent,
                    firm=0 if high else 1),
            ], branch=message, information_set=f"firm sees {message}")
        node = decision(node_id, "worker", [firm("Educate", cost), firm("Don't", 0)],
                        branch=label)
        node.probability = p
        return node
    return game(chance("ability", [worker("high", "High", 1 / 3, 0.5, True),
                                   worker("low", "Low", 2 / 3, 1.5, False)]),
                "worker", "firm")


def test_job_market_has_the_separating_equilibrium_first():
    # By hand. Separating: the high educates (high wage, 2 - 0.5 = 1.5 > 1), the low
    # does not (1 > 2 - 1.5); the firm believes what it sees (belief 1). Every message
    # is sent: no intuitive test. Pooling on no education: the firm's prior (low 2/3)
    # pays low; after education, off the path, it must pay low too (else the high
    # educates: 1.5 > 1), which needs P(high) <= 1/2. The low can never gain by
    # educating (at most 0.5 < 1), so the firm should believe "high" and pay high, and
    # the high gains (1.5 > 1): this pooling equilibrium fails the intuitive criterion.
    # Pooling on education fails (the low gets -0.5 < 1), as do the other separations.
    search = find_equilibria(job_market())
    assert len(search.equilibria) == 2
    separating, pooling = search.equilibria
    assert separating.kind == "separating" and separating.intuitive is None
    assert profile(separating, "high", "low", "high_Educate", "high_Don't") == (
        "high_Educate", "low_Don't", "high_Educate_high", "high_Don't_low")
    assert separating.beliefs == pytest.approx({"high_Educate": 1.0, "low_Educate": 0.0,
                                                "high_Don't": 0.0, "low_Don't": 1.0})
    assert separating.off_path == {}
    assert separating.results.utility[0] == pytest.approx([1.5 / 3 + 2 / 3, 1.0])
    assert pooling.kind == "pooling" and pooling.intuitive is False
    assert pooling.off_path == {
        "firm sees Educate": "any belief that it faces “High” of at most 50%"}


# ---- Selten's horse -------------------------------------------------------------------
def seltens_horse() -> Tree:
    """Selten (1975), "Reexamination of the perfectness concept", IJGT 4(1): player 1
    goes across (C) or down (D); player 2 then across (c, payoffs 1, 1, 1) or down (d);
    player 3, not knowing who went down, plays L or R: D-L 3,3,2; D-R 0,0,0;
    d-L 4,4,0; d-R 0,0,1."""
    def three(node_id: str, branch: str, left: tuple, right: tuple) -> Node:
        return decision(node_id, "p3", [
            end(f"{node_id}_L", "L", p1=left[0], p2=left[1], p3=left[2]),
            end(f"{node_id}_R", "R", p1=right[0], p2=right[1], p3=right[2]),
        ], branch=branch, information_set="player 3")
    two = decision("two", "p2", [end("across", "c", p1=1, p2=1, p3=1),
                                 three("after_d", "d", (4, 4, 0), (0, 0, 1))], branch="C")
    return game(decision("one", "p1", [two, three("after_D", "D", (3, 3, 2), (0, 0, 0))]),
                "p1", "p2", "p3")


def test_seltens_horse_lists_the_perfect_equilibrium_not_the_incredible_threat():
    # By hand. (D, c, L) is a Nash equilibrium: player 3 is reached after D and plays
    # L (2 > 0), so player 1 gets 3 > 1. But at its own node player 2 would take d
    # (L gives it 4 > 1): c is not sequentially rational, so it is not a PBE.
    # (C, c, R): player 3's set is off the path; R is best when 2 mu <= 1 - mu, that is
    # mu(after D) <= 1/3; player 2 gets 1 > 0 and player 1 gets 1 > 0. Every other pure
    # profile breaks a player's best reply.
    search = find_equilibria(seltens_horse())
    assert not search.signalling and search.profiles == 8
    (only,) = search.equilibria
    assert profile(only, "one", "two", "after_d", "after_D") == (
        "two", "across", "after_d_R", "after_D_R")
    assert only.off_path_bounds["player 3"]["after_D"] == pytest.approx((0.0, 1 / 3))
    assert only.off_path_bounds["player 3"]["after_d"] == pytest.approx((2 / 3, 1.0))
    assert only.off_path["player 3"] == "any belief that it faces “d” of at least 66.7%"
    assert only.kind == "" and only.intuitive is None
    assert list(only.results.utility[0]) == [1, 1, 1]


def test_an_off_path_set_of_three_nodes_states_the_region_of_beliefs():
    # A horse with three legs down: player 1 goes across (A: 1 each) or down to one of
    # B, C, D, which player 3 cannot tell apart. Player 3 gets 1 for L at B and 1 for R
    # at C or D: R is best when mu(B) <= mu(C) + mu(D), that is mu(B) <= 1/2. Player 1
    # gets 2 down when L, 0 when R. (A, R): the set is off the path, R sustained by
    # mu(B) <= 1/2 (C and D anything). (B, L): the set is reached at B alone, L best.
    # Down to C or D is met with R (0 < 1), and (A, L) loses to B.
    def leg(name: str) -> Node:
        return decision(name, "p3", [end(f"{name}_L", "L", p1=2, p3=1 if name == "B" else 0),
                                     end(f"{name}_R", "R", p1=0, p3=0 if name == "B" else 1)],
                        branch=name, information_set="player 3")
    tree = game(decision("one", "p1", [end("A", "A", p1=1, p3=1), leg("B"), leg("C"),
                                       leg("D")]), "p1", "p3")
    across, down = find_equilibria(tree).equilibria
    assert (across.choices["one"], across.choices["B"]) == ("A", "B_R")
    bounds = across.off_path_bounds["player 3"]
    assert bounds["B"] == pytest.approx((0, 0.5)) and bounds["C"] == pytest.approx((0, 1))
    assert across.off_path["player 3"] == (
        "beliefs within: “B” 0% to 50%, “C” 0% to 100%, “D” 0% to 100%")
    assert (down.choices["one"], down.choices["B"]) == ("B", "B_L")
    assert down.beliefs == {"B": 1.0, "C": 0.0, "D": 0.0} and down.off_path == {}


# ---- one decision maker --------------------------------------------------------------
def invest_blind() -> Tree:
    """A decision made before an uncertainty is revealed (Clemen and Reilly, Making Hard
    Decisions (2001), ch. 12, the value of information): a market is good (0.6: invest
    gains 100) or bad (0.4: invest loses 120). Research (cost 5) reveals it first."""
    def market(prefix: str, blind: bool) -> list[Node]:
        def choose(state: str, p: float, gain: float) -> Node:
            node = decision(f"{prefix}_{state}", "decision-maker", [
                end(f"{prefix}_{state}_invest", "Invest", value=gain),
                end(f"{prefix}_{state}_not", "Don't", value=0),
            ], branch=state, information_set="market unknown" if blind else None)
            node.probability = p
            return node
        return [choose("good", 0.6, 100), choose("bad", 0.4, -120)]
    research = chance("research", market("r", False), branch="Research")
    research.payoff = {"value": -5}
    root = decision("start", "decision-maker", [research, chance("skip", market("s", True),
                                                                 branch="Skip")])
    tree = Tree(root, "invest")
    tree.reindex()
    return tree


def test_one_player_strategy_is_the_hand_computed_optimum():
    # By hand. Skipping research, the choice is made blind: invest is worth
    # 0.6 * 100 - 0.4 * 120 = 12 > 0. Research reveals the market: invest only when
    # good, 0.6 * 100 - 5 = 55 > 12, so research. Not investing blind would be as good
    # for the root (it is not taken) but is not best in its own subgame: one strategy.
    tree = invest_blind()
    assert has_information_sets(tree)
    assert [s.nodes for s in information_sets(tree)] == [("s_good", "s_bad")]
    search = find_equilibria(tree)
    assert search.one_player and search.profiles == 4
    (best,) = search.equilibria
    assert profile(best, "start", "r_good", "r_bad", "s_good", "s_bad") == (
        "research", "r_good_invest", "r_bad_not", "s_good_invest", "s_bad_invest")
    assert best.results.expected[0, 0] == pytest.approx(55)
    assert best.beliefs == pytest.approx({"s_good": 0.6, "s_bad": 0.4})


def test_a_risk_averse_decision_maker_weighs_the_blind_choice_by_its_utility():
    # Exponential utility, risk tolerance 100: investing blind is worth the certainty
    # equivalent -100 ln(0.6 e^-1 + 0.4 e^1.2) = -43.7 < 0, so it does not invest
    # (risk-neutral it would: 12 > 0).
    tree = invest_blind()
    tree.root.children = [tree.node("skip")]
    tree.reindex()
    assert find_equilibria(tree).equilibria[0].choices["s_good"] == "s_good_invest"
    tree.players = [Player("decision-maker", "Decision maker", {"value": 1},
                           utility=Utility("exponential", risk_tolerance=100))]
    (best,) = find_equilibria(tree).equilibria
    assert best.choices["s_good"] == "s_good_not" == best.results.chosen_id("s_good")


def test_one_player_ties_list_every_optimal_strategy():
    # Invest blind gains 50 or loses 50 at even odds: investing is worth 0, as is not
    # investing; both are optimal, listed in branch order.
    tree = invest_blind()
    root = tree.node("skip")
    root.children[0].children[0].payoff = {"value": 50}
    root.children[0].probability = root.children[1].probability = 0.5
    root.children[1].children[0].payoff = {"value": -50}
    tree.root.children = [tree.node("skip")]
    tree.reindex()
    search = find_equilibria(tree)
    assert [e.choices["s_good"] for e in search.equilibria] == ["s_good_invest", "s_good_not"]


# ---- limits, fixed choices, no information sets ----------------------------------------
def many_sets(count: int) -> Tree:
    """A chance move the player never sees, then `count` blind choices in a row."""
    def chain(state: str, k: int) -> Node:
        if k == count:
            return end(f"{state}_{k}", "Go on", value=1)
        return decision(f"{state}_{k}", "decision-maker", [
            chain(state, k + 1), end(f"{state}_{k}_stop", "Stop", value=k % 3)],
            branch="Go on" if k else state, information_set=f"step {k}")
    root = chance("state", [chain("a", 0), chain("b", 0)])
    root.children[0].probability = root.children[1].probability = 0.5
    tree = Tree(root, "many")
    tree.reindex()
    return tree


def test_more_profiles_than_the_limit_stops_and_says_so():
    started = time.perf_counter()
    search = find_equilibria(many_sets(40), limit=1000)
    assert time.perf_counter() - started < 10  # (a hang would take forever, not seconds)
    assert search.profiles == 2 ** 40 and search.searched == 1000 and not search.complete


def test_fixed_choices_are_followed_by_choice_reach_and_outcomes():
    # Without information sets the rollback sees the market when skipping: 0.6 * 100 =
    # 60 beats research (55). Fixed: research, and not investing in a good market.
    tree = invest_blind()
    flat = flatten(tree)
    assert evaluate(flat).chosen_id("start") == "skip"
    taken = evaluate(flat, fixed={flat.index["start"]: flat.index["research"],
                                  flat.index["r_good"]: flat.index["r_good_not"]})
    assert taken.chosen_id("start") == "research" and not taken.tie[0]
    assert taken.chosen_id("r_good") == "r_good_not"
    assert taken.chosen_id("r_bad") == "r_bad_not"  # (not fixed: the best)
    assert taken.reach[flat.index["skip"]] == 0
    assert taken.reach[flat.index["r_good_not"]] == pytest.approx(0.6)
    assert taken.reach[flat.index["r_good_invest"]] == 0
    assert taken.expected[0, 0] == pytest.approx(-5)
    assert taken.outcomes[0, -1] == pytest.approx(1)
    by_id = evaluate_tree(tree, fixed={"start": "research"})
    assert by_id.chosen_id("start") == "research"
    assert by_id.expected[0, 0] == pytest.approx(55)


def bi_choices(tree: Tree) -> dict[str, str]:
    flat = flatten(tree)
    results = evaluate(flat)
    return {flat.ids[i]: flat.ids[int(results.choice[i])]
            for i in np.flatnonzero((flat.kind == DECISION_KIND) & (results.choice >= 0))}


@FAST
@given(random_trees())
def test_perfect_information_gives_backward_induction(tree):
    search = find_equilibria(tree)
    (only,) = search.equilibria
    assert search.information_sets == () and search.complete
    assert only.choices == bi_choices(tree)
    assert np.array_equal(only.results.expected, evaluate(flatten(tree)).expected,
                          equal_nan=True)


@FAST
@given(random_trees())
def test_search_through_decisions_finds_backward_induction(tree):
    # A blind choice of one branch below the first terminal makes every decision above
    # it searched; the backward-induction profile is among the equilibria, the only one
    # when no decision has a tie.
    last = next(n for n in tree.root.walk() if n.type == "terminal")
    payoff, outcome = last.payoff, last.outcome
    player = tree.players[0].id
    last.type, last.outcome = "chance", None
    last.children = []
    for k in range(2):
        blind = decision(f"blind{k}", player, [Node(f"blind{k}_end", "terminal",
                                                     branch="only", outcome=outcome)],
                         branch=f"state {k}", information_set="blind")
        blind.probability = 0.5
        last.children.append(blind)
    del payoff
    tree.reindex()
    expected = bi_choices(tree)
    search = find_equilibria(tree)
    assert search.complete and len(search.information_sets) == 1
    assert expected in [e.choices for e in search.equilibria]
    if not evaluate(flatten(tree)).tie.any():
        assert len(search.equilibria) == 1


def test_analyses_of_an_equilibrium_keep_its_strategy():
    # The quiche equilibrium's results are of the tree with its strategy held: what an
    # analysis works out from them (here a sweep's rollback) keeps the sender on quiche
    # and the receiver duelling after beer, where backward induction would not.
    quiche = find_equilibria(beer_quiche()).equilibria[1]
    held = quiche.results.flat
    again = evaluate(held)
    assert [held.ids[again.choice[held.index[n]]] for n in ("weak", "surly")] == [
        "weak_quiche", "surly_quiche"]
    assert again.utility[0] == pytest.approx(quiche.results.utility[0])
    swept = solve(held, {}, 3, want_reach=False, want_outcomes=False)
    assert (swept.choice[held.index["weak"]] == held.index["weak_quiche"]).all()
    with pytest.raises(AnalysisError, match="information sets.*offramp equilibria --var"):
        threshold(held, "weak_beer", "p", 0, 1)
