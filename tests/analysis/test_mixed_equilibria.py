"""Mixed equilibria through Gambit's sequence-form solver, checked by offramp."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from offramp_gui.analysis.mixed_equilibria import (
    MixedUnavailable,
    kind_of,
    mixed_equilibria,
)
from offramp_gui.api import load_text
from offramp_gui.interop import read

POKER = Path(__file__).resolve().parents[1] / "data" / "interop" / "gambit" / "catalog" / \
    "books" / "myerson1991" / "fig2_1.efg"


def needs_gambit(test):
    """pygambit (an optional extra) needs Python 3.11; marked so a run can leave it out."""
    test = pytest.mark.gambit(test)
    return pytest.mark.skipif(sys.version_info < (3, 11), reason="pygambit needs 3.11")(test)


def game(players: list[str], root: dict) -> str:
    return json.dumps({
        "format": "offramp-tree", "version": 1, "title": "game",
        "criteria": [{"id": p, "name": p} for p in players],
        "players": [{"id": p, "name": p, "weights": {p: 1}} for p in players],
        "root": root})


def end(node_id: str, branch: str, **payoff: float) -> dict:
    return {"id": node_id, "branch": branch, "type": "terminal", "payoff": payoff}


#: Selten's entry game: the incumbent's threat to fight is a Nash equilibrium, not
#: a perfect one (fighting costs it 1, accommodating gives it 1).
ENTRY = game(["entrant", "incumbent"], {
    "id": "enter", "type": "decision", "player": "entrant", "children": [
        end("out", "Out", entrant=0, incumbent=2),
        {"id": "answer", "branch": "In", "type": "decision", "player": "incumbent",
         "children": [end("fight", "Fight", entrant=-1, incumbent=-1),
                      end("share", "Accommodate", entrant=1, incumbent=1)]}]})


@needs_gambit
def test_the_card_game_has_the_semi_separating_equilibrium_computed_by_hand():
    # Myerson (1991), Game Theory, section 2.1: Fred draws red or black (1/2 each),
    # raises or folds; Alice, not seeing the card, meets or passes. Red always raises
    # (raising is worth 2 or 1 to it, folding 1). Black folds (-1) or bluffs: with Alice
    # meeting at chance q, a bluff is worth (1 - q) - 2q, equal to -1 at q = 2/3. Alice is
    # indifferent (meet: -2m + 2(1 - m), pass: -1) at belief m = 3/4 in red; Bayes'
    # rule gives m = 1/2 / (1/2 + s/2), so black bluffs at s = 1/3. Fred's value:
    # 1/2 (2/3 × 2 + 1/3 × 1) + 1/2 (-1) = 1/3; Alice's -1/3.
    tree, _report = read(POKER)
    [found] = mixed_equilibria(tree)
    red, black = tree.root.children
    assert found.behaviour[red.id] == pytest.approx({"Raise": 1, "Fold": 0}, abs=1e-9)
    assert found.behaviour[black.id] == pytest.approx({"Raise": 1 / 3, "Fold": 2 / 3})
    assert found.behaviour["Alice, set 1"] == pytest.approx({"Meet": 2 / 3, "Pass": 1 / 3})
    assert found.beliefs == pytest.approx({red.children[0].id: 3 / 4,
                                           black.children[0].id: 1 / 4})
    assert found.values == pytest.approx({"fred": 1 / 3, "alice": -1 / 3})
    assert found.kind == "perfect Bayesian"


@needs_gambit
def test_the_label_says_whether_every_set_is_sequentially_rational():
    tree = load_text(ENTRY)
    assert kind_of(tree, {"enter": {"Out": 1, "In": 0}, "answer": {"Fight": 1,
                                                                   "Accommodate": 0}},
                   {}) == "Nash only"
    assert kind_of(tree, {"enter": {"Out": 0, "In": 1}, "answer": {"Fight": 0,
                                                                   "Accommodate": 1}},
                   {}) == "perfect Bayesian"
    [found] = mixed_equilibria(tree)
    fights = found.behaviour["answer"]["Fight"] > 1e-9
    assert found.kind == ("Nash only" if fights else "perfect Bayesian")
    if not fights:
        assert found.values == pytest.approx({"entrant": 1, "incumbent": 1})


def test_an_unreached_set_passes_when_some_belief_sustains_its_choice():
    # The entrant is strong or weak (1/2 each) and stays out; entering would meet a
    # fight (-1 either way). The incumbent, not knowing which, is never asked: fighting
    # (-1 against strong, 1 against weak) beats accommodating (0) for a belief in
    # "strong" up to 1/2, so a belief sustains it, but not the belief 0.9.
    def entrant(node_id: str, fought: int) -> dict:
        return {"id": node_id, "branch": node_id.title(), "type": "decision",
                "player": "entrant", "probability": 0.5, "children": [
                    end(f"{node_id}_out", "Out", entrant=0, incumbent=2),
                    {"id": f"{node_id}_in", "branch": "In", "type": "decision",
                     "player": "incumbent", "information_set": "after entry", "children": [
                         end(f"{node_id}_fight", "Fight", entrant=-1, incumbent=fought),
                         end(f"{node_id}_share", "Accommodate", entrant=1)]}]}

    tree = load_text(game(["entrant", "incumbent"], {
        "id": "type", "type": "chance",
        "children": [entrant("strong", -1), entrant("weak", 1)]}))
    deterred = {"strong": {"Out": 1, "In": 0}, "weak": {"Out": 1, "In": 0},
                "after entry": {"Fight": 1, "Accommodate": 0}}
    assert kind_of(tree, deterred, {}) == "perfect Bayesian"
    assert kind_of(tree, deterred, {"strong_in": 0.9, "weak_in": 0.1}) == "Nash only"
    assert kind_of(tree, deterred, {"strong_in": 0.4, "weak_in": 0.6}) == "perfect Bayesian"


def test_three_players_are_refused_with_a_reason():
    three = load_text(game(["a", "b", "c"], {
        "id": "root", "type": "decision", "player": "a",
        "children": [end("x", "X", a=1), end("y", "Y", b=1)]}))
    with pytest.raises(MixedUnavailable, match="^only two-player games: this tree has 3"
                                               " players$"):
        mixed_equilibria(three)


def test_without_pygambit_the_message_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pygambit", None)
    with pytest.raises(MixedUnavailable) as refused:
        mixed_equilibria(load_text(ENTRY))
    assert str(refused.value) == ("mixed equilibria need the optional extra:"
                                  " pip install 'offramp[equilibria]'")
