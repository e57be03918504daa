"""docs/trees.md's table of the essay's claims: every claim of the essay has a row, and
every number in a row is what the engine computes: the choice, the runner-up and the
margin, every variable that alone would change the choice and where, the share of the
Monte Carlo draws (the number and the seed the document states) in which the choice
holds, the value of information, and a verdict that calls a thin result thin."""
from __future__ import annotations

import contextlib
import io
import json
import re
from functools import cache
from pathlib import Path

import pytest

from offramp_gui import api, evaluation_document
from offramp_gui.analysis.catalogue import MonteCarloParameters, ThresholdParameters
from offramp_gui.analysis.equilibria import find_equilibria
from offramp_gui.analysis.explain import explain
from offramp_gui.analysis.flatten import flatten
from offramp_gui.cli import main
from offramp_gui.cli.equilibria import document as equilibria_document

ROOT = Path(__file__).resolve().parents[2]
TREES = ROOT / "trees"
DOC = ROOT / "docs" / "trees.md"
HEADING = "## The essay's claims, and how far they hold"
COLUMNS = ["#", "the claim", "carried by", "solved value", "switch points (each variable alone)",
           "holds in", "value of information", "how far it holds"]
#: What the verdicts mean (the document says so above the table).
HOLDS_MARGIN, HOLDS_SHARE = 5.0, 0.65


def section() -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(HEADING)
    return text[start:text.index("\n## ", start + 1)]


def table() -> list[dict[str, str]]:
    lines = section().splitlines()
    head = lines.index("| " + " | ".join(COLUMNS) + " |")
    rows = []
    for line in lines[head + 2:]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        assert len(cells) == len(COLUMNS), line
        rows.append(dict(zip(COLUMNS, cells)))
    return rows


ROWS = table()
BY_NUMBER = {row["#"]: row for row in ROWS}


def draws() -> tuple[int, int]:
    """The number of draws and the seed the document says the shares come from."""
    found = re.search(r"the share of ([\d,]+) draws .*?\(seed (\d+)\)", " ".join(section().split()))
    assert found, "the document no longer says how many draws, with which seed"
    return int(found.group(1).replace(",", "")), int(found.group(2))


def rounds_to(found: float, written: str) -> bool:
    """`found` rounds to `written` at the number of decimals it was written with."""
    decimals = len(written.split(".")[1]) if "." in written else 0
    return abs(found - float(written)) <= 0.5 * 10 ** -decimals + 1e-9


# ---- what the engine says ---------------------------------------------------------------
@cache
def tree(file: str):
    return api.load(TREES / file)


@cache
def explained(file: str) -> dict[str, dict]:
    """Every decision the table names in one tree, explained at once, by id."""
    nodes = sorted({node for row in ROWS for f, node in [carrier(row)] if f == file and node})
    told = explain(tree(file), nodes).to_json()
    return {d["node"]: d for d in told["decisions"]}


@cache
def simulated(file: str, node: str):
    samples, seed = draws()
    return api.analyse(flatten(tree(file)),
                       MonteCarloParameters(node=node, samples=samples, seed=seed)).result


def shares(file: str, node: str) -> dict[str, float]:
    run = simulated(file, node)
    return {alt: float((run.best == k).mean()) for k, alt in enumerate(run.alternatives)}


def cli_json(*args: object) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main([str(a) for a in args] + ["--json"]) == 0
    return json.loads(out.getvalue())


def weight_thresholds(file: str, player: str, criterion: str, node: str) -> list[float]:
    """Where the choice at `node` changes as the player's weight on the criterion moves
    over 0..1.5: the weight made a variable, and the threshold engine asked."""
    document = json.loads((TREES / file).read_text(encoding="utf-8"))
    (weights,) = [p["weights"] for p in document["players"] if p["id"] == player]
    document["variables"].append({"name": "weight_moved", "value": weights.get(criterion, 0),
                                  "min": 0, "max": 1.5})
    weights[criterion] = "weight_moved"
    probed = api.load_text(json.dumps(document))
    return list(api.analyse(probed, ThresholdParameters(node=node,
                                                        variable="weight_moved")).result.thresholds)


# ---- reading a row ------------------------------------------------------------------------
def carrier(row: dict[str, str]) -> tuple[str, str | None]:
    """The tree file and the id of the decision (None for a game's information sets)."""
    cell = row["carried by"]
    file = re.match(r"`([\w.-]+\.json)`", cell).group(1)
    ids = re.findall(r"\(`([^`]+)`\)", cell)
    return file, ids[-1] if ids else None


def quoted(text: str) -> list[str]:
    return re.findall(r"“([^”]+)”", text)


def labels(file: str, node: str) -> dict[str, str]:
    return {child.id: child.branch for child in tree(file).node(node).children}


def named(file: str, node: str, written: str) -> str:
    """The child of `node` whose label starts with the words written."""
    found = [i for i, label in labels(file, node).items() if label.startswith(written)]
    assert len(found) == 1, (written, labels(file, node))
    return found[0]


SOLVED = re.compile(r"“([^”]+)” over “([^”]+)” by (\S+) \((\S+) against (\S+)\)")
DECISION_ROWS = [row for row in ROWS if SOLVED.fullmatch(row["solved value"])]


def test_every_claim_of_the_essay_has_a_row():
    # The essay's five claims (1 to 5, some in several rows), its conclusion and its analogue.
    assert {row["#"][0] for row in ROWS if row["#"][0].isdigit()} == set("12345")
    assert "H" in BY_NUMBER and "C" in BY_NUMBER  # the conclusion, and the analogue
    assert len(DECISION_ROWS) == 12


@pytest.mark.parametrize("row", DECISION_ROWS, ids=lambda row: row["#"])
def test_the_choice_and_its_margin_are_the_engines(row):
    file, node = carrier(row)
    decision = explained(file)[node]
    assert quoted(row["carried by"])[0] == decision["name"]
    chosen, runner_up, margin, value, runner_value = SOLVED.fullmatch(row["solved value"]).groups()
    assert named(file, node, chosen) == decision["chosen"]
    assert named(file, node, runner_up) == decision["runner_up"]
    values = {a["id"]: a["utility"] for a in decision["alternatives"]}
    assert rounds_to(decision["margin"], margin), (decision["margin"], margin)
    assert rounds_to(values[decision["chosen"]], value)
    assert rounds_to(values[decision["runner_up"]], runner_value)


SWITCH = re.compile(r"(?:weight on )?`(\w+)` ([<>]) ([\d.]+)(?: or ([<>]) ([\d.]+))?")


def written_switches(cell: str) -> dict[str, dict[str, str]]:
    """"`p` < 0.2 or > 0.5; ..." as {"p": {"<": "0.2", ">": "0.5"}}."""
    if cell.startswith("none"):
        return {}
    found = {}
    for part in cell.split("; "):
        match = SWITCH.match(part)
        assert match, part
        name, *sides = match.groups()
        found[name] = {side: at for side, at in zip(sides[::2], sides[1::2]) if side}
    return found


@pytest.mark.parametrize("row", DECISION_ROWS, ids=lambda row: row["#"])
def test_every_variable_that_alone_changes_the_choice_is_listed_where_it_does(row):
    file, node = carrier(row)
    found = {t["variable"]: {side: t[key]["at"] for side, key in (("<", "below"), (">", "above"))
                             if t[key]}
             for t in explained(file)[node]["thresholds"]}
    written = written_switches(row["switch points (each variable alone)"])
    assert set(written) == set(found)
    for name, sides in written.items():
        assert set(sides) == set(found[name]), name
        for side, at in sides.items():
            assert rounds_to(found[name][side], at), (name, side, found[name][side], at)


@pytest.mark.parametrize("row", DECISION_ROWS, ids=lambda row: row["#"])
def test_how_often_the_choice_holds_is_the_share_of_the_draws(row):
    file, node = carrier(row)
    cell = row["holds in"]
    share = shares(file, node)
    chosen = explained(file)[node]["chosen"]
    assert rounds_to(100 * share[chosen], re.match(r"([\d.]+)%", cell).group(1))
    others = re.findall(r"“([^”]+)” ([\d.]+)%", cell)
    assert len(others) == len(share) - 1
    for label, written in others:
        assert rounds_to(100 * share[named(file, node, label)], written), label


@pytest.mark.parametrize("row", DECISION_ROWS, ids=lambda row: row["#"])
def test_the_value_of_information_is_the_simulations(row):
    file, node = carrier(row)
    run = simulated(file, node)
    cell = row["value of information"]
    assert rounds_to(run.evpi, re.match(r"EVPI ([\d.]+)", cell).group(1))
    named_values = re.findall(r"`(\w+)` ([\d.]+)", cell)
    for name, written in named_values:
        assert rounds_to(run.evppi[name], written), (name, run.evppi[name])
    if "every EVPPI 0.000" in cell:
        assert max(run.evppi.values(), default=0) < 0.0005
    elif run.evpi >= 0.0005:  # the variable worth most to know is among those named
        assert max(run.evppi, key=run.evppi.get) in dict(named_values)


@pytest.mark.parametrize("row", DECISION_ROWS, ids=lambda row: row["#"])
def test_a_thin_result_is_called_thin(row):
    file, node = carrier(row)
    decision = explained(file)[node]
    share = shares(file, node)[decision["chosen"]]
    verdict = re.match(r"\*\*(Holds|Thin|A coin flip|Contradicted)\b", row["how far it holds"])
    assert verdict, row["how far it holds"]
    firm = decision["margin"] >= HOLDS_MARGIN and share >= HOLDS_SHARE
    if verdict.group(1) == "Holds":
        assert firm
    elif verdict.group(1) in ("Thin", "A coin flip"):
        assert not firm
    if verdict.group(1) == "A coin flip":
        assert 0.35 <= share < HOLDS_SHARE
    # ("Contradicted": another choice is best more often, or the solved choice is not the
    # one the essay hopes for; the row's words say which.)


# ---- the numbers in the rows' words ------------------------------------------------------
def words(number: str) -> str:
    return " ".join(BY_NUMBER[number]["how far it holds"].split())


def test_the_headlines_path_and_its_nearest_switches():
    root = evaluation_document(api.evaluate(tree("offramp.json")))["nodes"]["aim"]
    long_war, settlement, wider = re.search(
        r"long war or frozen conflict (\S+)% of the time, a settlement (\S+)% and a wider "
        r"war (\S+)%", words("H")).groups()
    for outcome, written in (("long_war", long_war), ("settlement", settlement),
                             ("wider_war", wider)):
        assert rounds_to(100 * root["outcomes"][outcome], written)
    near = re.search(r"three of them \(([^)]*)\) within 30% of their default", words("H"))
    thresholds = explained("offramp.json")["aim"]["thresholds"]
    close = {t["variable"] for t in thresholds if t["now"] and min(
        abs(side["at"] - t["now"]) for side in (t["below"], t["above"]) if side)
        < 0.3 * abs(t["now"])}
    assert close == set(re.findall(r"`(\w+)`", near.group(1)))
    assert "Twelve variables" in words("H") and len(thresholds) == 12


def test_the_rhetoric_claims_numbers():
    nodes = evaluation_document(api.evaluate(tree("offramp.json")))["nodes"]
    maximalist, measured = (float(x) for x in re.search(
        r"lead over accepting defeat is (\S+) under maximalist rhetoric against (\S+) under "
        r"measured", words("1a")).groups())
    lead = {rhetoric: nodes[f"{rhetoric}.rout.escalate"]["utility"]["kremlin"]
            - nodes[f"{rhetoric}.rout.accept"]["utility"]["kremlin"]
            for rhetoric in ("defeat_max", "defeat_measured")}
    assert (round(lead["defeat_max"], 1), round(lead["defeat_measured"], 1)) == \
        (maximalist, measured)


def test_without_the_pledges_and_without_an_offer_the_kremlin_does_not_accept():
    grind, accept = re.search(r"grinds on in (\S+)% of the draws and accepts defeat in (\S+)%",
                              words("2a")).groups()
    share = shares("offramp.json", "offramp_no_pledges.rout")
    assert rounds_to(100 * share["offramp_no_pledges.rout.grind"], grind)
    assert rounds_to(100 * share["offramp_no_pledges.rout.accept"], accept)
    grind, escalate = re.search(r"grinds on in (\S+)% of the draws and escalates in (\S+)%",
                                words("2d")).groups()
    share = shares("concessions.json", "offer_nothing")
    assert rounds_to(100 * share["offer_nothing.grind"], grind)
    assert rounds_to(100 * share["offer_nothing.escalate"], escalate)
    # The essay's scenario sets the face the pledges buy past the stalemate's switch.
    (essay,) = [s for s in tree("offramp.json").scenarios if s.name == "As the essay argues"]
    (switch,) = [t for t in explained("offramp.json")["offramp_pledges.stall"]["thresholds"]
                 if t["variable"] == "face_value"]
    written = re.search(r"sets `face_value` to (\S+), past the switch", words("2b")).group(1)
    assert essay.values.variables["face_value"] == float(written) > switch["above"]["at"]


def test_a_weaker_regime_makes_escalation_and_nuclear_use_likelier():
    before, after = re.search(r"nuclear use under measured rhetoric goes from (\S+)% to (\S+)%",
                              words("3")).groups()
    (switch,) = [t["above"]["at"] for t in explained("offramp.json")["defeat_measured.rout"][
        "thresholds"] if t["variable"] == "p_regime_falls"]
    for value, written in ((None, before), (switch + 1e-6, after)):
        nodes = evaluation_document(api.evaluate(
            tree("offramp.json"), None if value is None else {"p_regime_falls": value}))["nodes"]
        assert rounds_to(100 * nodes["defeat_measured"]["outcomes"]["nuclear"], written)
    settle = re.search(r"the early settlement is best in (\S+)% of the draws", words("4"))
    assert rounds_to(100 * shares("offramp.json", "aim")["settle"], settle.group(1))


def test_the_weights_switch_where_the_document_says():
    row = BY_NUMBER["5"]
    file, node = carrier(row)
    document = json.loads((TREES / file).read_text(encoding="utf-8"))
    (west,) = [p["weights"] for p in document["players"] if p["id"] == "west"]
    given = dict(re.findall(r"`(\w+)` ([\d.]+)", row["solved value"]))
    assert {k: float(v) for k, v in given.items()} == west
    margin = re.search(r"the off-ramp by (\S+)$", row["solved value"]).group(1)
    assert rounds_to(explained(file)[node]["margin"], margin)
    written = written_switches(row["switch points (each variable alone)"])
    assert set(written) == set(west)
    for criterion, sides in written.items():
        found = weight_thresholds(file, "west", criterion, node)
        below = [t for t in found if t < west[criterion]]
        above = [t for t in found if t > west[criterion]]
        expected = {side: at for side, at in (("<", below[-1] if below else None),
                                              (">", above[0] if above else None)) if at}
        assert set(sides) == set(expected), criterion
        for side, at in sides.items():
            assert rounds_to(expected[side], at), (criterion, side, expected[side], at)


def test_the_game_of_private_information_pools_on_measured_rhetoric():
    row = BY_NUMBER["1d"]
    sets = quoted(row["carried by"])
    count = int(re.search(r"all (\d+) perfect Bayesian equilibria pool on “([^”]+)”",
                          row["solved value"]).group(1))
    rhetoric = quoted(row["solved value"])[0]
    # `offramp equilibria --json`'s document, without the mixed equilibria Gambit adds
    found = equilibria_document(find_equilibria(tree("resolve.json")), (), None)
    assert len(found["equilibria"]) == count
    assert all(e["strategy"][name] == rhetoric for e in found["equilibria"] for name in sets)
    escalating = [e for e in found["equilibria"] if e["outcomes"].get("nuclear")]
    how_many, nuclear = re.search(r"in (\d+) of the \d+ the gambler escalates and nuclear use "
                                  r"is (\S+)%", words("1d")).groups()
    assert len(escalating) == int(how_many)
    assert all(rounds_to(100 * e["outcomes"]["nuclear"], nuclear) for e in escalating)
    # (A few points suffice to find each switch, which bisection then locates.)
    ((name, sides),) = written_switches(row["switch points (each variable alone)"]).items()
    sweep = cli_json("equilibria", TREES / "resolve.json", "--var", name, "--points", 5)
    assert [s["at"] for s in sweep["switches"]] == [pytest.approx(float(sides["<"]))]
    assert sweep["intervals"][0]["count"] > count  # below it, more equilibria appear
    low, high = (re.search(r"between (\S+) and (\S+)\.", words("1d")).groups())
    sweep = cli_json("equilibria", TREES / "resolve.json", "--var", "p_resolved",
                     "--points", 5)
    assert [round(s["at"], 3) for s in sweep["switches"]] == [float(low), float(high)]


def test_the_analogue_in_the_world_washington_believed():
    scenario, margin = re.search(r"In the scenario “([^”]+)” the strike is best by (\S+):",
                                 words("C")).groups()
    told = cli_json("explain", TREES / "cuban-missile-crisis-1962.json", "--node", "response",
                    "--scenario", scenario)
    (decision,) = told["decisions"]
    assert decision["chosen"] == "strike" and rounds_to(decision["margin"], margin)


@pytest.mark.parametrize("file", ["offramp.json", "rhetoric.json", "concessions.json",
                                  "resolve.json"])
def test_each_essay_tree_says_what_is_assumed_and_what_is_derived(file):
    text = DOC.read_text(encoding="utf-8")
    start = text.index(f"## `{file}`")
    own = " ".join(text[start:text.index("\n## ", start + 1)].split())
    said = re.search(r"\*\*Assumed and derived\.\*\* Assumed: (.+?) Derived: (.+?)\*\*Solved", own)
    assert said, f"the section on {file} does not say what is assumed and what is derived"
    assert "#the-essays-claims-and-how-far-they-hold" in said.group(2)
    # Its numbers are the table's, which the tests above hold to the engine's.
    claims = " ".join(section().split())
    for number in re.findall(r"\d+\.\d+%?", said.group(2)):
        assert number in claims, number


def test_the_readmes_short_table_says_what_the_full_one_says():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("## How far the essay's claims hold")
    short = readme[start:readme.index("\n## ", start + 1)]
    full = " ".join(section().split())
    for number in re.findall(r"\d+\.\d+%?", short):
        assert number in full, number
    assert "20,000" in short and "(seed 1)" in short
    # The main tree's line in the README's list of trees states the headline plainly.
    root = evaluation_document(api.evaluate(tree("offramp.json")))["nodes"]["aim"]
    margin, share, long_war = re.search(
        r"the off-ramp is best by (\S+) points over seeking Russia's defeat, in about (\d+)% "
        r"of the tree's own Monte Carlo draws, and its solved path is (\S+)% long war",
        readme).groups()
    assert rounds_to(explained("offramp.json")["aim"]["margin"], margin)
    assert round(100 * shares("offramp.json", "aim")["offramp"]) == int(share)
    assert rounds_to(100 * root["outcomes"]["long_war"], long_war)
