"""The essay's trees: with every rival hypothesis switched off they give the numbers
docs/trees.md gives for them; each switch flips (or not) the West's war aim where the
document says; and every variable says where its value and range come from."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from offramp_gui import api, evaluation_document
from offramp_gui.analysis.catalogue import ThresholdParameters

ROOT = Path(__file__).resolve().parents[2]
TREES = ROOT / "trees"
ESSAY_TREES = ("offramp.json", "rhetoric.json", "concessions.json")
SWITCHES = ("rhetoric_commitment", "west_decides", "p_deal_breaks", "kremlin_cost_weight",
            "deal_tracks_battlefield")
#: The nodes the switches add to the off-ramp tree's templates and deals (and their copies).
ADDED = ("escalation.reply", "deal.breaks", "settle.accept.breaks")


def section(tree_file: str) -> str:
    """The part of docs/trees.md about one tree, its line breaks made spaces."""
    text = (ROOT / "docs" / "trees.md").read_text(encoding="utf-8")
    start = text.index(f"## `{tree_file}`")
    end = text.find("\n## ", start + 1)
    return " ".join(text[start:end if end > 0 else None].split())


def numbers(text: str, pattern: str) -> list[float]:
    match = re.search(pattern, text)
    assert match, f"docs/trees.md no longer says {pattern!r}"
    return [float(group.replace("−", "-")) for group in match.groups()]


def document(tree_file: str, values: dict[str, float] | None = None) -> dict:
    return evaluation_document(api.evaluate(api.load(TREES / tree_file), values))


def chance(node: dict, outcome: str) -> float:
    return node["outcomes"].get(outcome, 0.0)


# ---- every switch off: the numbers the document gives ----------------------------------
def test_the_off_ramp_tree_with_every_switch_off_solves_as_documented():
    doc = section("offramp.json")
    solved = document("offramp.json")
    nodes = solved["nodes"]
    root = nodes["aim"]
    west, kyiv, kremlin = numbers(
        doc, r"\*\*Root expected utilities\.\*\* West (\S+), Kyiv (\S+), Kremlin (\S+)\.")
    assert [round(root["utility"][p], 2) for p in ("west", "kyiv", "kremlin")] == \
        [west, kyiv, kremlin]
    settlement, long_war, wider = numbers(
        doc, r"Negotiated settlement (\S+)%, long war or frozen conflict (\S+)%, wider "
             r"NATO–Russia war (\S+)%")
    assert [round(100 * chance(root, o), 1) for o in ("settlement", "long_war", "wider_war")] \
        == [settlement, long_war, wider]
    assert "**Chance of nuclear use: 0.**" in doc and chance(root, "nuclear") == 0
    measured, maximalist = numbers(doc, r"Seeking defeat is worth (\S+) with measured "
                                        r"rhetoric, its best rhetoric \((\S+) with maximalist\)")
    no_pledges, settle = numbers(doc, r"The off-ramp without pledges is worth (\S+) and the "
                                      r"early settlement (\S+)\.")
    assert [round(nodes[n]["utility"]["west"], 2) for n in (
        "defeat_measured", "defeat_max", "offramp_no_pledges", "settle")] == \
        [measured, maximalist, no_pledges, settle]
    # The choices the document names: the off-ramp, the pledges, a deal after a rout,
    # grinding on in a stalemate, escalation under maximalist rhetoric.
    assert [nodes[n]["choice"] for n in ("aim", "offramp", "offramp_pledges.rout",
                                         "offramp_pledges.stall", "defeat_max.rout")] == [
        "offramp", "offramp_pledges", "offramp_pledges.rout.accept",
        "offramp_pledges.stall.grind", "defeat_max.rout.escalate"]


def test_the_other_essay_trees_solve_as_documented():
    doc = section("rhetoric.json")
    nodes = document("rhetoric.json")["nodes"]
    measured, maximalist = numbers(doc, r"expected utility (\S+) against (\S+) for maximalist")
    assert nodes["rhetoric"]["choice"] == "measured"
    assert [round(nodes[n]["utility"]["west"], 2) for n in ("measured", "maximalist")] == \
        [measured, maximalist]
    (kremlin,) = numbers(doc, r"The Kremlin's expected utility on the chosen path is (\S+)\.")
    assert round(nodes["rhetoric"]["utility"]["kremlin"], 2) == kremlin
    measured_nuclear, maximalist_nuclear = numbers(
        doc, r"\*\*Chance of nuclear use\*\*: (\S+)% under measured rhetoric, (\S+)% under")
    assert [round(100 * chance(nodes[n], "nuclear"), 1) for n in ("measured", "maximalist")] \
        == [measured_nuclear, maximalist_nuclear]

    doc = section("concessions.json")
    root = document("concessions.json")["nodes"]["format"]
    west, kyiv, kremlin = numbers(
        doc, r"\*\*Root expected utilities\.\*\* West (\S+), Kyiv (\S+), Kremlin (\S+)\.")
    assert [round(root["utility"][p], 2) for p in ("west", "kyiv", "kremlin")] == \
        [west, kyiv, kremlin]
    assert root["choice"] == "kyiv_moscow" and chance(root, "settlement") == 1


#: Each tree with switches: its switches, and the root whose choice they may flip.
SWITCHED = {"offramp.json": (SWITCHES, "aim"),
            "rhetoric.json": (("rhetoric_commitment", "kremlin_risk_appetite"), "rhetoric")}


@pytest.mark.parametrize("tree_file", SWITCHED)
def test_switched_off_the_rival_mechanisms_add_nothing(tree_file):
    tree = api.load(TREES / tree_file)
    results = api.evaluate(tree)
    solved = evaluation_document(results)
    switches, _root = SWITCHED[tree_file]
    assert all(tree.variable(name).value == 0 for name in switches)
    assert all(tree.variable(name).distribution is None for name in switches)  # kept off
    added = [node for node in solved["nodes"]
             if node in ADDED or node.endswith(tuple(f"__{a}" for a in ADDED))]
    # The West's answer in the escalation template and its three uses; the breakdown of
    # the face-saving deal, of its use in a stalemate and of the early settlement.
    assert len(added) == (4 + 3 if tree_file == "offramp.json" else 0)
    for node_id in added:
        assert results.probability[results.index(node_id)] == 0, node_id
    if tree_file == "rhetoric.json":
        # The Kremlin's utility curve is switched off too: its certainty equivalent of
        # every node is its expected utility, to the last digits.
        for node in solved["nodes"].values():
            assert node["certainty"]["kremlin"] == pytest.approx(
                node["utility"]["kremlin"], rel=1e-12, abs=1e-12)
    else:  # the off-ramp tree's Kremlin is risk-neutral
        assert "utilities" not in solved


# ---- each switch on: where it flips the West's first choice ---------------------------
def rival_rows(tree_file: str) -> list[list[str]]:
    """The rows of the table of switches in a tree's "Rival hypotheses" section."""
    _switches, root = SWITCHED[tree_file]
    text = (ROOT / "docs" / "trees.md").read_text(encoding="utf-8")
    start = text.index("### Rival hypotheses", text.index(f"## `{tree_file}`"))
    head = text.index(f"| switch | default | range | scenario | switch points at `{root}` |",
                      start)
    rows = []
    for line in text[head:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip().strip("`") for cell in line.strip("|").split("|")])
    return rows


@pytest.mark.parametrize("tree_file", SWITCHED)
def test_the_document_has_a_row_for_every_switch(tree_file):
    assert tuple(row[0] for row in rival_rows(tree_file)) == SWITCHED[tree_file][0]


def close_to_the_documented(found: float, written: str) -> bool:
    """`found` rounds to `written` at the number of decimals it was written with."""
    decimals = len(written.split(".")[1]) if "." in written else 0
    return abs(found - float(written)) <= 0.5 * 10 ** -decimals + 1e-12


def scenario_values(name: str, written: str) -> dict[str, float]:
    """"0.02, p_calculating 1": the switch's value, then other variables the scenario sets."""
    first, *others = written.split(", ")
    values = {name: float(first)}
    values.update((other.split()[0], float(other.split()[1])) for other in others)
    return values


@pytest.mark.parametrize(("tree_file", "row"), [
    (tree_file, row) for tree_file in SWITCHED for row in rival_rows(tree_file)],
    ids=lambda x: x if isinstance(x, str) else x[0])
def test_each_switch_flips_the_west_where_the_document_says(tree_file, row):
    name, default, span, on, points, choice = row
    tree = api.load(TREES / tree_file)
    root = SWITCHED[tree_file][1]
    variable = tree.variable(name)
    low, high = (float(x) for x in span.split("–"))
    assert (variable.value, variable.min, variable.max) == (float(default), low, high)
    found = api.analyse(tree, ThresholdParameters(node=root, variable=name)).result.thresholds
    written = [] if points == "none" else points.split(", ")
    assert len(found) == len(written)
    assert all(close_to_the_documented(f, w) for f, w in zip(found, written)), (found, written)
    # The scenario that turns it on sets it at the documented value (and what else the
    # document says), and the West chooses there what the document says.
    values = scenario_values(name, on)
    (scenario,) = [s for s in tree.scenarios if name in s.values.variables]
    assert scenario.values.variables == values and not scenario.values.weights
    nodes = document(tree_file, values)["nodes"]
    label, _, rhetoric = choice.partition(" (")
    assert tree.node(nodes[root]["choice"]).branch.startswith(label)
    if rhetoric:
        assert tree.node(nodes["defeat"]["choice"]).branch.lower().startswith(
            rhetoric.rstrip(")"))


def test_the_scenarios_that_were_there_are_kept():
    tree = api.load(TREES / "offramp.json")
    assert [s.name for s in tree.scenarios[:2]] == ["As the essay argues",
                                                    "Rhetoric commits the West"]
    assert len(tree.scenarios) == 2 + len(SWITCHES)


# ---- sources ---------------------------------------------------------------------------
CITATION = re.compile(r"^([A-Z][\w'-]+)(?: and [A-Z][\w'-]+)? (\d{4})$")


def citations(text: str) -> set[tuple[str, int]]:
    """The works a text cites, "(Fearon 1995; Powell 2006)", as (first author, year)."""
    return {(m.group(1), int(m.group(2))) for group in re.findall(r"\(([^()]*)\)", text)
            for part in group.split("; ") if (m := CITATION.match(part.strip()))}


@pytest.mark.parametrize("tree_file", ESSAY_TREES)
def test_every_variable_says_where_it_comes_from_and_the_tree_lists_what_is_cited(tree_file):
    tree = api.load(TREES / tree_file)
    cited: set[tuple[str, int]] = set()
    for variable in tree.variables:
        source = variable.source or ""
        assert len(source) > 20, f"{variable.name} has no source"
        assert "illustrative" in source.lower() or citations(source), variable.name
        cited |= citations(source)
    listed = {(work.get("author"), work.get("year")) for work in tree.sources or []}
    for author, year in cited:
        assert any(author in (who or "") and year == when for who, when in listed), \
            f"{tree_file} cites {author} {year} but does not list it"
    essay = ("Tom McTague", 2022)
    for who, when in listed - {essay}:
        assert any(author in (who or "") and year == when for author, year in cited), \
            f"{tree_file} lists {who} {when}, which no variable cites"
    assert essay in listed
