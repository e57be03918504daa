"""The rules of information sets: one player, the same branches, perfect recall; each
broken rule is one problem naming the nodes by their labels."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from offramp_gui.fileformat.json_io import dumps, loads

PLAYERS = [{"id": "sender", "name": "Sender", "weights": {"value": 1}},
           {"id": "receiver", "name": "Receiver", "weights": {"value": -1}}]


def doc_of(root: dict, players: list | None = None) -> dict:
    return {"format": "offramp-tree", "version": 1, "title": "T",
            "players": PLAYERS if players is None else players, "root": root}


def ending(branch: str, payoff: float = 0) -> dict:
    return {"branch": branch, "type": "terminal", "payoff": payoff}


def receiver(branch: str, name: str, labels=("Fight", "Yield"), player="receiver",
             info="after hard words", **extra) -> dict:
    return {"branch": branch, "name": name, "type": "decision", "player": player,
            "information_set": info, **extra,
            "children": [ending(label, k) for k, label in enumerate(labels)]}


def signalling(first: dict, second: dict) -> dict:
    """Nature picks the sender's type; the receiver sees only the words, not the type."""
    return doc_of({"type": "chance", "name": "Nature", "children": [
        {"branch": "Resolved", "probability": 0.3, "type": "decision", "player": "sender",
         "name": "Resolved sender", "children": [first, ending("Soft words", 1)]},
        {"branch": "Bluffing", "probability": 0.7, "type": "decision", "player": "sender",
         "name": "Bluffing sender", "children": [second, ending("Soft words", 2)]}]})


def problems(doc: dict) -> list[str]:
    return [issue.message for issue in loads(json.dumps(doc)).issues]


def test_a_signalling_game_is_valid_and_keeps_its_sets_when_written():
    doc = signalling(receiver("Hard words", "Receiver (resolved)"),
                     receiver("Hard words", "Receiver (bluffing)"))
    loaded = loads(json.dumps(doc))
    assert loaded.issues == []
    written = json.loads(dumps(loaded.tree))
    assert [c["children"][0]["information_set"] for c in written["root"]["children"]] == [
        "after hard words", "after hard words"]


def test_different_branches_are_named():
    doc = signalling(receiver("Hard words", "Receiver (resolved)"),
                     receiver("Hard words", "Receiver (bluffing)", labels=("Yield", "Fight")))
    assert problems(doc) == [
        "“Receiver (resolved)” and “Receiver (bluffing)” are in the information set “after"
        " hard words” but have different branches (the same labels in the same order are"
        " needed: the player cannot tell them apart)"]


def test_different_players_are_named():
    doc = signalling(receiver("Hard words", "Receiver (resolved)"),
                     receiver("Hard words", "Sender again", player="sender"))
    assert problems(doc) == [
        "“Receiver (resolved)” and “Sender again” are in the information set “after hard"
        " words” but are decided by different players"]


def test_only_solved_decisions_belong_to_a_set():
    chance = {"branch": "Hard words", "name": "Coin", "type": "chance",
              "information_set": "after hard words",
              "children": [{**ending("Heads"), "probability": 0.5},
                           {**ending("Tails"), "probability": 0.5}]}
    assumed = receiver("Hard words", "Receiver (bluffing)", solve="assumed")
    for child in assumed["children"]:
        child["probability"] = 0.5
    assert problems(signalling(chance, assumed)) == [
        "“Coin” is a chance node: only decisions belong to information sets",
        "“Receiver (bluffing)” is an assumed decision (its branches have probabilities): it"
        " belongs to no information set"]


def test_forgetting_ones_own_move_is_refused():
    # The sender chooses, then cannot tell which move it made: imperfect recall.
    doc = doc_of({"type": "decision", "player": "sender", "name": "First move", "children": [
        receiver("Left", "Later (after left)", player="sender", info="later"),
        receiver("Right", "Later (after right)", player="sender", info="later")]})
    assert problems(doc) == [
        "“Later (after left)” and “Later (after right)” are in the information set “later”,"
        " but the player got there by different moves of its own (or knew different things"
        " before): it would have to forget what it knew or did (perfect recall is needed)"]


def test_a_set_below_itself_is_refused():
    # The absent-minded driver (Piccione and Rubinstein 1997): the second exit lies
    # below the first, and the driver cannot tell them apart.
    driver = [{"id": "driver", "name": "Driver", "weights": {"value": 1}}]
    doc = doc_of({"type": "decision", "name": "First exit", "information_set": "exit",
                  "children": [ending("Exit", 0),
                               {"branch": "Continue", "type": "decision", "name": "Second exit",
                                "information_set": "exit",
                                "children": [ending("Exit", 4), ending("Continue", 1)]}]},
                 players=driver)
    assert problems(doc) == [
        "“Second exit” lies below “First exit”, and both are in the information set “exit”:"
        " a player cannot forget that it has already chosen there"]


def test_a_name_of_another_type_is_refused_by_the_reader():
    doc = signalling(receiver("Hard words", "Receiver (resolved)", info=7),
                     receiver("Hard words", "Receiver (bluffing)"))
    assert any("information_set" in issue.path for issue in loads(json.dumps(doc)).issues)


def test_validate_names_the_problem_and_exits_1(tmp_path):
    doc = signalling(receiver("Hard words", "Receiver (resolved)"),
                     receiver("Hard words", "Receiver (bluffing)", labels=("Yield", "Fight")))
    path = tmp_path / "game.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    before = path.read_bytes()
    run = subprocess.run([sys.executable, "-m", "offramp_gui", "validate", str(path)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    said = run.stdout + run.stderr
    assert "“Receiver (resolved)” and “Receiver (bluffing)” are in the information set" in said
    assert "Traceback" not in said
    assert path.read_bytes() == before


@pytest.mark.parametrize("info", ["a", "x" * 64])
def test_names_of_1_to_64_characters_are_taken(info):
    doc = signalling(receiver("Hard words", "Receiver (resolved)", info=info),
                     receiver("Hard words", "Receiver (bluffing)", info=info))
    assert problems(doc) == []
