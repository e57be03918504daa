"""Gambit .efg: every example imports and solves; export is read by Gambit and round-trips."""
from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from offramp_gui.api import evaluate, load
from offramp_gui.interop import ConversionError, Report, read
from offramp_gui.interop.gambit import GameNode, from_game, parse_efg, read_gambit
from offramp_gui.interop.gambit_export import efg_text, gambit_label
from offramp_gui.interop.values import evaluated

HERE = Path(__file__).resolve().parent
TREES = sorted((HERE.parents[1] / "trees").rglob("*.json"))  # the reference models too
GAMBIT = HERE.parent / "data" / "interop" / "gambit"
GAMES = sorted(str(p.relative_to(GAMBIT)) for p in GAMBIT.rglob("*.efg"))
POKER = GAMBIT / "catalog" / "books" / "myerson1991" / "fig2_1.efg"
CENTIPEDE = GAMBIT / "contrib" / "games" / "cent4.efg"
INNER_OUTCOME = GAMBIT / "tests" / "test_games" / \
    "two_player_perfect_info_win_lose_with_nonterm_outcomes.efg"
#: pygambit refuses these as written: duplicate node or information-set labels (README).
REFUSED_BY_GAMBIT = {f"contrib/games/{name}.efg" for name in (
    "4cards", "caro2", "coord2ts", "e10", "e10a", "holdout", "nim", "nim7")}


def gambit_cross_check(test):
    """Checked with Gambit's own reader (pygambit, in the test extra, needs Python 3.11);
    marked `gambit` so that a run without pygambit can leave it out."""
    test = pytest.mark.gambit(test)
    return pytest.mark.skipif(sys.version_info < (3, 11), reason="pygambit needs Python 3.11")(test)


# ---- an independent solution: exact backward induction on the parsed game ------------
def backward_induction(game) -> tuple[tuple[Fraction, ...], dict[int, set[int]]]:
    """Root payoffs and, per player node (by preorder position), its best branches."""
    n = len(game.players)
    order: list[GameNode] = []
    stack = [game.root]
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(reversed(node.children))
    position = {id(node): k for k, node in enumerate(order)}
    value: dict[int, tuple[Fraction, ...]] = {}
    best: dict[int, set[int]] = {}
    for node in reversed(order):
        own = tuple(Fraction(x) for x in game.outcomes[node.outcome][1]) if node.outcome \
            else (Fraction(0),) * n
        kids = [value[id(c)] for c in node.children]
        if node.kind == "c":
            probs = [Fraction(p) for p in game.infosets[(0, node.infoset)].probabilities]
            below = tuple(sum(p * v[j] for p, v in zip(probs, kids, strict=True))
                          for j in range(n))
        elif node.kind == "p":
            top = max(v[node.player - 1] for v in kids)
            best[position[id(node)]] = {k for k, v in enumerate(kids)
                                        if v[node.player - 1] == top}
            below = kids[min(best[position[id(node)]])]
        else:
            below = (Fraction(0),) * n
        value[id(node)] = tuple(a + b for a, b in zip(own, below, strict=True))
    return value[id(game.root)], best


def check_solution(path: Path) -> None:
    game = parse_efg(path.read_text(encoding="utf-8", errors="replace"), str(path))
    tree = from_game(game, Report())
    results = evaluate(tree)
    root_value, best = backward_induction(game)
    assert results.utility[0] == pytest.approx([float(v) for v in root_value], rel=1e-12,
                                               abs=1e-12)
    preorder = [tree.root.id] + [n.id for n in tree.root.walk()][1:]
    for k, choices in best.items():
        i = results.flat.index[preorder[k]]
        chosen = int(results.choice[i]) - int(results.flat.child_start[i])
        assert chosen in choices, (path.name, preorder[k])


# ---- round trips ----------------------------------------------------------------------
def signature(tree) -> list[tuple]:
    """What must survive a round trip, node by node in document order."""
    values = evaluated(tree)
    results, flat = values.results, values.flat
    rows = []
    for node in tree.root.walk():
        i = flat.index[node.id]
        chosen = int(results.choice[i])
        rows.append((node.type, node.branch, node.player, node.outcome,
                     None if np.isnan(results.probability[i]) else float(results.probability[i]),
                     tuple(values.payoff[i].tolist()), tuple(results.utility[i].tolist()),
                     chosen - int(flat.child_start[i]) if chosen >= 0 else None,
                     bool(results.tie[i])))
    return rows


def infoset_partition(tree) -> set[frozenset[int]]:
    """The information sets of several nodes, as sets of preorder positions."""
    groups: dict[str, set[int]] = {}
    for k, node in enumerate(tree.root.walk()):
        if node.information_set:
            groups.setdefault(node.information_set, set()).add(k)
    return {frozenset(g) for g in groups.values()}


def gambit_partition(game, report: Report) -> set[frozenset[int]]:
    """The same from the parsed file: each personal set of several nodes, less the sets
    the report says were split (named by their number and player)."""
    order: list[GameNode] = []
    stack = [game.root]
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(reversed(node.children))
    position = {id(node): k for k, node in enumerate(order)}
    split = {line.split(" holds ")[0] for line in report.approximated}
    found = set()
    for (player, number), infoset in game.infosets.items():
        label = f' ("{infoset.label}")' if infoset.label else ""
        said = f"information set {number}{label} of {game.players[player - 1]}"
        if player and len(infoset.members) > 1 and said not in split:
            found.add(frozenset(position[id(m)] for m in infoset.members))
    return found


def round_trip(path: Path) -> tuple[object, object, str]:
    tree = read_gambit(path, Report())
    text = efg_text(tree, Report())
    again = from_game(parse_efg(text, "exported"), Report())
    assert signature(again) == signature(tree), path.name
    assert infoset_partition(again) == infoset_partition(tree)
    for before, after in zip(tree.root.walk(), again.root.walk(), strict=True):
        expected = gambit_label(before.name or "") or None
        assert after.name == expected or after.name.startswith(f"{expected} (")
    return tree, again, text


def gambit_terminals(game) -> list[tuple]:
    """Each terminal's total payoffs and path probability, as pygambit reads the file."""
    from pygambit import H

    players = list(game.players)

    def payoffs(labels: list[str]) -> tuple[Fraction, ...]:
        outcome = game.get_outcome(H.path(*labels))
        if outcome is None:
            return (Fraction(0),) * len(players)
        vector = game.get_outcome_payoffs(outcome)
        return tuple(Fraction(vector[p]) for p in players)

    out = []
    for play in game.get_histories(H.plays):  # the terminals, in document order
        labels = [step.action for step in play]
        total, chance = payoffs([]), Fraction(1)
        for k, label in enumerate(labels):
            probabilities = game.get_action_probs(H.path(*labels[:k]))  # {} if not chance
            chance *= Fraction(probabilities[label]) if probabilities else 1
            total = tuple(a + b for a, b in zip(total, payoffs(labels[:k + 1]), strict=True))
        out.append((total, chance))
    return out


def parsed_terminals(game) -> list[tuple]:
    """The same, from our own parse of the file: for games that pygambit refuses."""
    n = len(game.players)
    out, stack = [], [(game.root, (Fraction(0),) * n, Fraction(1))]
    while stack:
        node, total, chance = stack.pop()
        if node.outcome:
            own = game.outcomes[node.outcome][1]
            total = tuple(t + Fraction(x) for t, x in zip(total, own, strict=True))
        if not node.children:
            out.append((total, chance))
            continue
        probs = [Fraction(x) for x in game.infosets[(0, node.infoset)].probabilities] \
            if node.kind == "c" else [Fraction(1)] * len(node.children)
        pairs = list(zip(node.children, probs, strict=True))
        stack.extend((kid, total, chance * p) for kid, p in reversed(pairs))
    return out


# ---- every example game ---------------------------------------------------------------
@pytest.mark.parametrize("name", GAMES)
def test_every_game_imports_exports_and_round_trips_with_its_information_sets(name):
    path = GAMBIT / name
    report = Report()
    tree = read_gambit(path, report)
    game = parse_efg(path.read_text(encoding="utf-8", errors="replace"), name)
    assert infoset_partition(tree) == gambit_partition(game, report)
    if not infoset_partition(tree):  # backward induction solves perfect information
        check_solution(path)
    round_trip(path)


def test_the_29_perfect_information_games_and_those_with_perfect_recall_import_exactly():
    perfect, exact, forgetful = [], [], []
    for name in GAMES:
        report = Report()
        tree = read_gambit(GAMBIT / name, report)
        if report.approximated:
            forgetful.append(name)
            assert all("offramp's information sets need perfect recall" in line
                       for line in report.approximated)
            with pytest.raises(ConversionError, match="refused \\(strict\\)"):
                read_gambit(GAMBIT / name, Report(), strict=True)
        elif any(node.information_set for node in tree.root.walk()):
            exact.append(name)
        else:
            perfect.append(name)
    assert len(perfect) == 29
    assert "contrib/games/cent4.efg" in perfect and "contrib/games/e10.efg" in perfect
    assert "catalog/books/myerson1991/fig2_1.efg" in exact and len(exact) > 100
    assert "tests/test_games/not_perfect_recall.efg" in forgetful


@gambit_cross_check
@pytest.mark.parametrize("name", GAMES)
def test_gambit_reads_the_export_with_the_same_payoffs(tmp_path, name):
    import pygambit

    path = GAMBIT / name
    _tree, _again, text = round_trip(path)
    exported = tmp_path / "exported.efg"
    exported.write_text(text, encoding="utf-8")
    ours = gambit_terminals(pygambit.read_efg(str(exported)))
    if name in REFUSED_BY_GAMBIT:
        with pytest.raises(ValueError, match="label must be unique"):
            pygambit.read_efg(str(path))
        original = parsed_terminals(parse_efg(path.read_text(encoding="utf-8"), name))
    else:
        original = gambit_terminals(pygambit.read_efg(str(path)))
    assert ours == original


# ---- particular games -----------------------------------------------------------------
def test_players_criteria_outcomes_and_rationals():
    tree, report = read(POKER)
    assert [p.name for p in tree.players] == ["Fred", "Alice"]
    assert [c.name for c in tree.criteria] == ["Payoff to Fred", "Payoff to Alice"]
    assert tree.players[1].weights == {"alice": 1}
    assert [c.probability for c in tree.root.children] == ["1/2", "1/2"]
    assert tree.root.children[0].branch == "Red"
    assert [o.name for o in tree.outcomes] == ["Win Big", "Win", "Lose Big", "Lose"]
    assert tree.description.startswith("This is a simple game of one-card poker")
    assert report.approximated == []
    alice = [n for n in tree.root.walk() if n.player == "alice"]
    assert [n.information_set for n in alice] == ["Alice, set 1"] * 2
    assert {n.information_set for n in tree.root.walk() if n.player == "fred"} == {None}
    read(POKER, strict=True)


def test_a_unique_gambit_label_names_the_set_and_a_repeated_one_does_not():
    moves = ('c "" 1 "" { "a" 1/2 "b" 1/2 } 0\n'
             + 'p "" 1 1 "Not sure" { "x" "y" } 0\nt "" 0\nt "" 0\n' * 2)
    tree = from_game(parse_efg(game_text(moves=moves), "g.efg"), Report())
    assert [c.information_set for c in tree.root.children] == ["Not sure"] * 2
    twice = ('c "" 1 "" { "a" 1/4 "b" 1/4 "c" 1/4 "d" 1/4 } 0\n'
             + 'p "" 1 1 "Same" { "x" } 0\nt "" 0\n' * 2
             + 'p "" 1 2 "Same" { "z" } 0\nt "" 0\n' * 2)
    tree = from_game(parse_efg(game_text(moves=twice), "g.efg"), Report())
    assert [c.information_set for c in tree.root.children] == \
        ["P1, set 1", "P1, set 1", "P1, set 2", "P1, set 2"]


def test_a_set_where_the_player_forgets_is_split_and_said():
    path = GAMBIT / "tests" / "test_games" / "not_perfect_recall.efg"
    tree, report = read(path)
    assert [n.information_set for n in tree.root.walk()] == [None, None, None]
    assert report.approximated == [
        "information set 1 of Player 1 holds 2 nodes where Player 1 does not remember the"
        " same earlier moves; offramp's information sets need perfect recall, so each of"
        " its nodes chooses on its own, as if Player 1 knew which one had been reached"]
    with pytest.raises(ConversionError, match="strict"):
        read(path, strict=True)


def test_an_outcome_at_an_inner_node_is_that_nodes_payoff():
    tree, report = read(INNER_OUTCOME, strict=True)
    inner = tree.root.children[0]
    assert inner.type == "decision" and inner.payoff == {"1": -100, "2": 50}
    assert inner.extras["x-gambit-outcome"] == "a"
    assert report.approximated == []


def test_centipede_solves_to_take_at_once():
    tree, _report = read(CENTIPEDE)
    results = evaluate(tree)
    assert tree.node(results.chosen_id(tree.root.id)).branch == "TAKE"
    assert results.utility[0].tolist() == pytest.approx([0.8, 0.2])


@pytest.mark.parametrize("bad, why", [
    ("", 'start with "EFG 2 R"'), ('EFG 2 R "t" { "A" }\n""\np "" 2 1 "" { "x" } 0\n',
                                    "no player 2"),
    ('EFG 2 R "t" { "A" }\n""\np "" 1 1 "" { "x" "y" } 0\nt "" 0\n', "ends in the middle"),
    ('EFG 2 R "t" { "A" }\n""\nt "" 3\n', "outcome 3 is used before"),
])
def test_broken_games_are_refused_with_a_reason(bad, why):
    with pytest.raises(ConversionError, match=why):
        parse_efg(bad, "bad.efg")


# ---- the article's trees --------------------------------------------------------------
@pytest.mark.parametrize("path", TREES, ids=lambda p: p.name)
def test_the_articles_trees_export_as_games_with_the_same_solution(path):
    tree = load(path)
    report = Report()
    text = efg_text(tree, report)
    again = from_game(parse_efg(text, "exported"), Report())
    before, after = evaluate(tree), evaluate(again)
    assert after.utility[0] == pytest.approx(before.utility[0], rel=1e-12, abs=1e-12)
    order = [n.id for n in tree.root.walk()]
    order_again = [n.id for n in again.root.walk()]
    for old, new in zip(order, order_again, strict=True):
        i, j = before.flat.index[old], after.flat.index[new]
        assert (before.choice[i] >= 0) == (after.choice[j] >= 0)
        if before.choice[i] >= 0:
            assert before.choice[i] - before.flat.child_start[i] == \
                after.choice[j] - after.flat.child_start[j]
    assert any("Gambit games have no expressions" in line for line in report.approximated)


@gambit_cross_check
@pytest.mark.parametrize("path", TREES, ids=lambda p: p.name)
def test_gambit_reads_the_articles_trees_with_the_same_payoffs(path, tmp_path):
    import pygambit

    tree = load(path)
    exported = tmp_path / "tree.efg"
    exported.write_text(efg_text(tree, Report()), encoding="utf-8")
    terminals = gambit_terminals(pygambit.read_efg(str(exported)))
    results = evaluate(tree)
    leaves = [results.flat.index[n.id] for n in tree.root.walk() if not n.children]
    gambit_payoffs = [float(x) for total, _p in terminals for x in total]
    assert gambit_payoffs == pytest.approx(results.utility[leaves].ravel().tolist(),
                                           rel=1e-12, abs=1e-12)


def test_labels_gambit_refuses_are_rewritten_and_reported():
    assert gambit_label("  NATO–Russia  war’s\tend\n") == "NATO-Russia war's end"
    assert gambit_label("a\\b") == "a/b"


# ---- limits, numbers and depth ------------------------------------------------------
def game_text(players: int = 1, moves: str = "", outcomes: str = "") -> str:
    names = " ".join(f'"P{i}"' for i in range(1, players + 1))
    return f'EFG 2 R "limits" {{ {names} }}\n""\n{moves}{outcomes}'


def chain(depth: int) -> str:
    """A game `depth` moves deep: each move ends the game or goes on."""
    lines = [f'p "" 1 {k + 1} "" {{ "stop" "go" }} 0\nt "" 0\n' for k in range(depth)]
    return game_text(moves="".join(lines) + 't "" 1 "end" { 5 }\n')


def wide_move(actions: int) -> str:
    names = " ".join(f'"a{k}"' for k in range(actions))
    return game_text(moves=f'p "" 1 1 "" {{ {names} }} 0\n' + 't "" 0\n' * actions)


def test_a_game_as_deep_as_the_limit_imports_and_exports_in_every_format(tmp_path):
    from offramp_gui.interop import write
    from offramp_gui.model.limits import MAX_DEPTH

    tree = from_game(parse_efg(chain(MAX_DEPTH), "deep.efg"), Report())
    assert evaluate(tree).expected[0].tolist() == [5]
    for name in ("deep.efg", "deep.graphml", "deep.dot", "deep.csv"):
        write(tree, tmp_path / name)
        assert (tmp_path / name).stat().st_size > 0
    again = from_game(parse_efg((tmp_path / "deep.efg").read_text(), "again"), Report())
    assert len(again) == len(tree)


@pytest.mark.parametrize("depth", [1001, 5000])
def test_a_game_past_the_depth_limit_is_refused_at_its_line(depth):
    with pytest.raises(ConversionError) as refused:
        parse_efg(chain(depth), "deep.efg")
    [line] = refused.value.problems
    # The move 1000 levels down (the 1001st) is on line 3 + 2 × 1000 of the file.
    assert line.startswith("deep.efg:2003:1: this move is 1000 levels below the root")


def test_a_move_of_as_many_actions_as_the_limit_imports_and_one_more_is_refused():
    from offramp_gui.model.limits import MAX_CHILDREN

    tree = from_game(parse_efg(wide_move(MAX_CHILDREN), "wide.efg"), Report())
    assert len(tree.root.children) == MAX_CHILDREN
    for actions in (MAX_CHILDREN + 1, 100_000):
        with pytest.raises(ConversionError) as refused:
            parse_efg(wide_move(actions), "wide.efg")
        [line] = refused.value.problems
        assert line.startswith("wide.efg:3:")
        assert line.endswith(f"this move has more than {MAX_CHILDREN} actions; offramp"
                             f" reads {MAX_CHILDREN} branches per node at most")


def test_players_and_outcomes_at_the_limit_and_one_past():
    from offramp_gui.model.limits import MAX_OUTCOMES, MAX_PLAYERS

    payoffs = ", ".join(["1"] * MAX_PLAYERS)
    game = parse_efg(game_text(MAX_PLAYERS, outcomes=f't "" 1 "x" {{ {payoffs} }}\n'), "p.efg")
    assert len(game.players) == MAX_PLAYERS
    with pytest.raises(ConversionError, match=f"^p.efg:1:.*more than {MAX_PLAYERS} players"):
        parse_efg(game_text(MAX_PLAYERS + 1, outcomes='t "" 0\n'), "p.efg")

    def outcomes(count: int) -> str:
        chance = " ".join(f'"a{k}" 1/{count}' for k in range(count))
        leaves = "".join(f't "" {k + 1} "o{k}" {{ {k} }}\n' for k in range(count))
        return game_text(moves=f'c "" 1 "" {{ {chance} }} 0\n', outcomes=leaves)

    tree = from_game(parse_efg(outcomes(MAX_OUTCOMES), "o.efg"), Report())
    assert len(tree.outcomes) == MAX_OUTCOMES
    with pytest.raises(ConversionError) as refused:
        parse_efg(outcomes(MAX_OUTCOMES + 1), "o.efg")
    assert refused.value.problems == [
        f"o.efg:{MAX_OUTCOMES + 4}:6: outcome {MAX_OUTCOMES + 1} is one more than offramp"
        f" reads: a game has {MAX_OUTCOMES} outcomes at most"]


def test_the_node_limit_is_counted_while_reading(monkeypatch):
    from offramp_gui.interop import gambit

    monkeypatch.setattr(gambit, "MAX_NODES", 3)
    parse_efg(game_text(moves='c "" 1 "" { "a" 1/2 "b" 1/2 } 0\n', outcomes='t "" 0\n' * 2),
              "n.efg")
    with pytest.raises(ConversionError, match=r"^n.efg:6:1: the game has more than 3 nodes"):
        parse_efg(game_text(moves='c "" 1 "" { "a" 1/3 "b" 1/3 "c" 1/3 } 0\n',
                            outcomes='t "" 0\n' * 3), "n.efg")


@pytest.mark.parametrize("number, why", [
    ("1e999999999", "too large"), ("-1e400", "too large"), ("1/0", "divides by zero"),
    ("9" * 1001, "more than 1000 digits"), ("12abc", "not a number"), ("1/x", "not a number"),
])
def test_numbers_are_read_with_a_bound_and_refused_at_their_place(number, why):
    text = game_text(outcomes=f't "" 1 "o" {{ {number} }}\n')
    with pytest.raises(ConversionError) as refused:
        parse_efg(text, "n.efg")
    [line] = refused.value.problems
    assert line.startswith("n.efg:3:14: the payoff in outcome 1 ") and why in line
    chance = f'c "" 1 "" {{ "a" {number} "b" 1 }} 0\nt "" 0\nt "" 0\n'
    with pytest.raises(ConversionError, match=f"^n.efg:3:17: the probability .*{why}"):
        parse_efg(game_text(moves=chance), "n.efg")


@pytest.mark.parametrize("number, value", [
    ("1e-999999999", 0), ("0e999999999", 0), ("2.5e3", 2500), ("1e20", 10**20),
    ("0.35", 0.35), ("-1/3", "-1/3"), ("4/2", 2), (f"1/{10**30}", 1e-30),
])
def test_numbers_far_out_mean_what_a_double_can_hold(number, value):
    from offramp_gui.interop.gambit import gambit_number

    assert gambit_number(number) == value


@pytest.mark.parametrize("bad, why", [
    ('EFG 2 R "t" { "A" }\n""\np "" 1 99999999999999999999999 "" { "x" } 0\nt "" 0\n',
     "3:8: this is not a Gambit game file: expected the information set's number"),
    ('EFG 2 R "t" { "A" }\n""\np "" ² 1 "" { "x" } 0\nt "" 0\n',
     "3:6: this is not a Gambit game file: expected the player's number"),
    ('EFG 2 R "t" { "A" }\n""\nt "" 0\nt "" 0\n',
     "4:1: this is not a Gambit game file: there is more text after the last node"),
    ('EFG 2 R "t" { "A" }\n""\nt "" 1 "o" { 1, 2 }\n',
     "3:17: outcome 1 has more payoffs than the 1 player"),
])
def test_integers_and_lists_are_bounded_and_located(bad, why):
    with pytest.raises(ConversionError) as refused:
        parse_efg(bad, "bad.efg")
    [line] = refused.value.problems
    assert line.startswith(f"bad.efg:{why}")


# ---- information sets ---------------------------------------------------------------
@gambit_cross_check
def test_gambit_reads_the_information_sets_of_an_export(tmp_path):
    import pygambit
    from pygambit import H

    tree, _report = read(POKER)
    for node in tree.root.walk():
        if node.information_set:
            node.information_set = "Alice after a raise"
    exported = tmp_path / "poker.efg"
    exported.write_text(efg_text(tree, Report()), encoding="utf-8")
    game = pygambit.read_efg(str(exported))
    members = {player: [sorted(m.actions for m in game.get_members(H.path(*first.actions)))
                        for first in game.get_infosets(player)] for player in game.players}
    assert members == {"Fred": [[("Red",)], [("Black",)]],
                       "Alice": [[("Black", "Raise"), ("Red", "Raise")]]}
    assert 'p "" 2 1 "Alice after a raise" { "Meet" "Pass" } 0' in game.to_efg()
    assert game.is_perfect_recall
