"""The value of information about a chance event, against values worked out by hand, and
the trees in which knowing an event before a decision is not defined."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from offramp_gui.analysis.evaluate import evaluate
from offramp_gui.analysis.event_information import accuracy_likelihood, event_information
from offramp_gui.analysis.flatten import FlatTree, flatten
from offramp_gui.analysis.sensitivity import AnalysisError
from offramp_gui.api import load_text


def tree(root: dict, variables: list | None = None, **settings) -> FlatTree:
    text = json.dumps({"format": "offramp-tree", "version": 1, "title": "Test",
                       "variables": variables or [], "root": root, **settings})
    return flatten(load_text(text))


def choice(node_id: str, *children: dict, **fields) -> dict:
    return {"id": node_id, "type": "decision", "children": list(children), **fields}


def chance(node_id: str, *children: dict, **fields) -> dict:
    return {"id": node_id, "type": "chance", "children": list(children), **fields}


def leaf(node_id: str, payoff, **fields) -> dict:
    return {"id": node_id, "type": "terminal", "payoff": payoff, **fields}


def market(prefix: str, up: float, down: float, p_up: object = 0.6) -> dict:
    return chance(prefix + "_market",
                  leaf(prefix + "_up", up, branch="Strong market", probability=p_up),
                  leaf(prefix + "_down", down, branch="Weak market", probability="#"),
                  branch="Invest" if prefix == "invest" else prefix.title())


def invest_or_not(p_up: object = 0.6, variables: list | None = None) -> FlatTree:
    """Invest (100 in a strong market, -50 in a weak one) or not (0)."""
    return tree(choice("choose", market("invest", 100, -50, p_up),
                       leaf("keep", 0, branch="Keep the money"), name="Invest?"), variables)


def test_perfect_information_on_a_two_outcome_event():
    # Without information: max(0.6 * 100 + 0.4 * -50, 0) = max(40, 0) = 40 (invest).
    # Knowing the market first: 0.6 * max(100, 0) + 0.4 * max(-50, 0) = 60.
    # EVPI = 60 - 40 = 20; a weak market makes one keep the money.
    found = event_information(invest_or_not(), "invest_market", "choose")
    assert found.value == pytest.approx(40)
    assert found.perfect.worth == pytest.approx(20)
    assert found.outcomes == ("Strong market", "Weak market")
    assert found.perfect.probability.tolist() == pytest.approx([0.6, 0.4])
    assert found.perfect.values.tolist() == pytest.approx([100, 0])
    flat = invest_or_not()
    assert [flat.ids[c] for c in found.perfect.choices] == ["invest_market", "keep"]
    assert found.perfect.changes(found.choice)
    assert found.imperfect is None


@pytest.mark.parametrize("utility", [
    {"kind": "exponential", "risk_tolerance": 100},
    {"kind": "piecewise", "points": [[-50, -100], [0, 0], [100, 50]]}])
def test_information_is_worth_its_certainty_equivalent_to_a_player_averse_to_risk(utility):
    root = choice("choose", market("invest", 100, -50), leaf("keep", 0, branch="Keep"),
                  player="me")
    flat = tree(root, players=[{"id": "me", "name": "Me", "weights": {"value": 1},
                                "utility": utility}])
    found = event_information(flat, "invest_market", "choose")
    if utility["kind"] == "exponential":
        # R = 100. Investing blind: CE = -100 ln(0.6 e^-1 + 0.4 e^0.5) = 12.76 > 0 (keep).
        # Knowing first: 100 in a strong market, 0 (keep) in a weak one, a lottery whose
        # CE is -100 ln(0.6 e^-1 + 0.4 e^0) = 47.69; the information is worth the difference.
        blind = -100 * math.log(0.6 * math.exp(-1) + 0.4 * math.exp(0.5))
        informed = -100 * math.log(0.6 * math.exp(-1) + 0.4)
    else:
        # u = 2x below 0 and x/2 above. Investing blind: E u = 0.6 * 50 + 0.4 * -100 = -10,
        # CE = -5, so one keeps the money (0). Knowing first: 100 or 0, E u = 0.6 * 50 =
        # 30, CE = 60: worth 60, against 20 to a risk-neutral player.
        blind, informed = 0.0, 60.0
    assert found.value == pytest.approx(blind)
    assert found.perfect.values.tolist() == pytest.approx([100, 0])
    assert found.perfect.worth == pytest.approx(informed - blind)


def test_imperfect_information_follows_bayes_rule():
    # A test right 80% of the time: P(says strong) = 0.6 * 0.8 + 0.4 * 0.2 = 0.56.
    # P(strong | says strong) = 0.48 / 0.56 = 6/7: invest is worth 600/7 - 50/7 = 550/7.
    # P(strong | says weak) = 0.12 / 0.44 = 3/11: invest is worth 300/11 - 200/11 * 2
    # = -100/11 < 0, so keep the money (0).
    # EVII = 0.56 * 550/7 + 0.44 * 0 - 40 = 44 - 40 = 4.
    flat = invest_or_not()
    found = event_information(flat, "invest_market", likelihood=accuracy_likelihood(0.8, 2))
    told = found.imperfect
    assert told is not None
    assert told.signals == ("says Strong market", "says Weak market")
    assert told.probability.tolist() == pytest.approx([0.56, 0.44])
    assert told.posterior[:, 0].tolist() == pytest.approx([6 / 7, 3 / 11])
    assert told.values.tolist() == pytest.approx([550 / 7, 0])
    assert told.worth == pytest.approx(4)
    assert found.perfect.worth == pytest.approx(20)


def test_imperfect_information_tends_to_perfect_and_to_nothing():
    flat = invest_or_not()
    worth = [event_information(flat, "invest_market", likelihood=accuracy_likelihood(q, 2))
             .imperfect.worth for q in (0.5, 0.6, 0.7, 0.9, 0.99, 1.0)]
    assert worth[0] == 0.0  # a coin toss tells nothing
    assert worth[-1] == pytest.approx(20)  # a test never wrong is perfect information
    assert worth == sorted(worth)


def test_a_likelihood_table_of_other_signals():
    # A test that never misses a weak market but calls a strong one "weak" half the time:
    # P(alarm) = 0.6 * 0.5 + 0.4 = 0.7, P(strong | alarm) = 0.3 / 0.7 = 3/7: invest is
    # worth 300/7 - 200/7 = 100/7 > 0; P(strong | all clear) = 1: worth 100.
    # EVII = 0.7 * 100/7 + 0.3 * 100 - 40 = 10 + 30 - 40 = 0: it never changes the choice.
    found = event_information(invest_or_not(), "invest_market",
                              likelihood=[[0.5, 1.0], [0.5, 0.0]],
                              signals=["alarm", "all clear"])
    told = found.imperfect
    assert told.signals == ("alarm", "all clear")
    assert told.values.tolist() == pytest.approx([100 / 7, 100])
    assert told.worth == 0.0 and not told.changes(found.choice)


def test_the_same_event_after_each_alternative_is_known_at_once():
    # Expand (200 / -100) or a small step (50 / 10), the same market after each:
    # without information max(0.6*200 - 0.4*100, 0.6*50 + 0.4*10) = max(80, 34) = 80;
    # knowing it: 0.6 * max(200, 50) + 0.4 * max(-100, 10) = 120 + 4 = 124; EVPI = 44.
    flat = tree(choice("choose", market("expand", 200, -100), market("step", 50, 10)))
    found = event_information(flat, "step_market")
    assert found.before == 0
    assert [flat.ids[p] for p in found.places] == ["expand_market", "step_market"]
    assert found.perfect.worth == pytest.approx(44)
    assert [flat.ids[c] for c in found.perfect.choices] == ["expand_market", "step_market"]


def test_the_users_tree_is_not_changed():
    flat = invest_or_not("p", [{"name": "p", "value": 0.6}])
    before = evaluate(flat).utility.copy()
    found = event_information(flat, "invest_market", values={"p": 0.5})
    # p = 0.5: without 25, knowing 0.5 * 100 = 50.
    assert found.perfect.worth == pytest.approx(25)
    assert np.array_equal(evaluate(flat).utility, before)
    assert flat.variable_names() == ["p"]


def test_another_players_response_changes_with_the_knowledge():
    """We enter or stay out (0); after entering a rival fights or accommodates, then the
    market turns out good or bad (even chances), the same market after either move."""
    def outcomes(prefix: str, good: tuple, bad: tuple) -> dict:
        return chance(prefix + "_market",
                      leaf(prefix + "_good", {"us": good[0], "them": good[1]},
                           branch="Good", probability=0.5),
                      leaf(prefix + "_bad", {"us": bad[0], "them": bad[1]},
                           branch="Bad", probability=0.5),
                      branch=prefix.title())
    flat = tree(choice(
        "entry",
        choice("rival", outcomes("fight", (-10, 30), (-20, -40)),
               outcomes("accommodate", (40, 10), (10, 0)), player="rival", branch="Enter"),
        leaf("out", {"us": 0, "them": 0}, branch="Stay out"), player="us"),
        criteria=[{"id": "us", "name": "Ours"}, {"id": "them", "name": "Theirs"}],
        players=[{"id": "us", "name": "Us", "weights": {"us": 1}},
                 {"id": "rival", "name": "Rival", "weights": {"them": 1}}])
    # Not knowing, the rival accommodates (5 against fighting's -5): we get 25 by entering.
    # A good market known: the rival fights (30 > 10) and we would get -10: stay out (0).
    # A bad market known: the rival accommodates (0 > -40): we enter and get 10.
    # EVPI = 0.5 * 0 + 0.5 * 10 - 25 = -20: the rival learns it too.
    found = event_information(flat, "fight_market", "entry")
    assert found.value == pytest.approx(25)
    assert found.perfect.worth == pytest.approx(-20)
    assert [flat.ids[c] for c in found.perfect.choices] == ["out", "rival"]
    # To the rival (5 not knowing): 0.5 * 30 + 0.5 * 0 - 5 = 10.
    known = event_information(flat, "fight_market", "rival")
    assert known.player == 1 and known.perfect.worth == pytest.approx(10)


@pytest.mark.parametrize("event, before, message", [
    ("keep", "choose", "“Keep the money” \\(keep\\) is not a chance node"),
    ("nowhere", None, 'there is no node "nowhere"'),
    ("invest_market", "invest_up", "is not a decision that chooses"),
])
def test_what_is_not_an_event_or_a_decision(event, before, message):
    with pytest.raises(AnalysisError, match=message) as caught:
        event_information(invest_or_not(), event, before)
    assert "\n" not in str(caught.value)


def test_an_event_must_come_after_the_decision():
    flat = tree(chance("weather",
                       choice("sunny", market("invest", 100, -50), leaf("keep", 0),
                              branch="Sunny", probability=0.5),
                       choice("rainy", leaf("stay", 0), market("go", 10, 0),
                              branch="Rainy", probability="#")))
    with pytest.raises(AnalysisError, match="“weather” comes before “Sunny” \\(sunny\\):"
                       " whoever chooses there already knows its outcome"):
        event_information(flat, "weather", "sunny")
    with pytest.raises(AnalysisError, match="“Go” \\(go_market\\) is not below “Sunny”"
                       " \\(sunny\\): that choice does not lead to it"):
        event_information(flat, "go_market", "sunny")
    with pytest.raises(AnalysisError, match="no decision comes before “weather”"):
        event_information(flat, "weather")


def test_chances_that_depend_on_the_choice_are_refused():
    flat = tree(choice("choose", market("expand", 200, -100, 0.6),
                       market("step", 50, 10, 0.7)))
    with pytest.raises(AnalysisError, match="the chances of “Step” \\(step_market\\) depend"
                       " on what “choose” chooses \\(0.7/0.3 after “Step”, 0.6/0.4 after"
                       " “Expand”\\), so it cannot be known before that choice"):
        event_information(flat, "step_market")


def test_chances_that_depend_on_an_earlier_event_are_refused():
    flat = tree(choice("choose", chance(
        "weather", dict(market("sunny", 100, -50, 0.6), probability=0.5),
        dict(market("rainy", 100, -50, 0.3), probability="#"), branch="Go"),
        leaf("keep", 0)))
    with pytest.raises(AnalysisError, match="differ from place to place after “Go”"):
        event_information(flat, "sunny_market")


def test_an_event_repeated_on_one_path_is_refused():
    again = market("again", 10, 0)
    first = chance("first_market",
                   dict(again, branch="Strong market", probability=0.6),
                   leaf("first_down", 0, branch="Weak market", probability="#"),
                   branch="Go")
    flat = tree(choice("choose", first, leaf("keep", 0)))
    with pytest.raises(AnalysisError, match="happens more than once on one path"):
        event_information(flat, "first_market")


@pytest.mark.parametrize("likelihood, message", [
    ([[0.8, 0.2], [0.1, 0.8]], "given outcome 1, the chances of the signals add up to 0.9"),
    ([[0.8, 0.2, 0.0]], "for each of the event's 2 outcomes"),
    ([[1.5, 0.2], [-0.5, 0.8]], "must be from 0 to 1"),
])
def test_a_likelihood_that_is_not_one_is_refused(likelihood, message):
    with pytest.raises(AnalysisError, match=message):
        event_information(invest_or_not(), "invest_market", likelihood=likelihood)
