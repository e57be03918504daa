"""The outcomes panel shows the engine's numbers for the root's alternatives."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from offramp_gui.api import load_text
from offramp_gui.gui.model_edits import OUTCOME, ModelEdits
from offramp_gui.gui.plots.outcomes_plot import OutcomesPanel
from offramp_gui.model.tree import Node, Tree


def make_panel(controller, qtbot) -> OutcomesPanel:
    panel = OutcomesPanel(controller)
    qtbot.addWidget(panel)
    panel.resize(760, 340)
    return panel


def engine_view(controller, player: int = 0):
    """What the panel should show, computed straight from the results."""
    results = controller.results
    rows = list(results.flat.children(0))
    shares = {key: results.outcomes[rows, k].tolist()
              for k, key in enumerate(results.outcome_keys)}
    chosen = int(results.choice[0])
    return (results.utility[rows, player].tolist(), shares,
            rows.index(chosen) if chosen in rows else -1)


def test_panel_shows_the_engines_numbers(controller, qtbot):
    panel = make_panel(controller, qtbot)
    utilities, shares, chosen = engine_view(controller)
    assert panel.alternatives() == ["Seek defeat", "Talks now"]
    assert panel.utilities() == pytest.approx(utilities)
    assert panel.utilities()[1] == pytest.approx(-3.0)  # FORMAT.md's worked example
    assert panel.outcome_shares().keys() == shares.keys() == {"deal", "nuclear", "null"}
    for key, row in shares.items():
        assert panel.outcome_shares()[key] == pytest.approx(row)
    assert panel.chosen_index() == chosen == 1
    assert panel.legend_names() == ["Deal", "Nuclear use", "Unclassified"]


def test_panel_follows_a_probability_edit(controller, qtbot):
    panel = make_panel(controller, qtbot)
    before = panel.utilities()
    shares_before = panel.outcome_shares()
    with qtbot.waitSignal(controller.results_ready, timeout=2000):
        controller.edit.set_field("collapse", "probability", 0.9)
    utilities, shares, _chosen = engine_view(controller)
    assert panel.utilities() == pytest.approx(utilities)
    assert panel.utilities()[0] != pytest.approx(before[0])
    assert panel.outcome_shares()["nuclear"] == pytest.approx(shares["nuclear"])
    assert panel.outcome_shares()["nuclear"][0] != pytest.approx(shares_before["nuclear"][0])
    with qtbot.waitSignal(controller.results_ready, timeout=2000):
        controller.undo_stack.undo()
    assert panel.utilities() == pytest.approx(before)


def test_panel_highlights_the_chosen_alternative(controller, qtbot):
    panel = make_panel(controller, qtbot)
    assert panel.highlighted_alternative() == "Talks now"
    # Make talks terrible for the West: the choice moves to "Seek defeat".
    with qtbot.waitSignal(controller.results_ready, timeout=2000):
        controller.edit.set_field("talks", "payoff", {"security": -500, "risk": 0})
    _utilities, _shares, chosen = engine_view(controller)
    assert chosen == panel.chosen_index() == 0
    assert panel.highlighted_alternative() == "Seek defeat"


def test_panel_shows_the_chosen_player(controller, qtbot):
    panel = make_panel(controller, qtbot)
    controller.set_display(player=1)
    utilities, _shares, _chosen = engine_view(controller, player=1)
    assert panel.utilities() == pytest.approx(utilities)
    bars_before = panel._value_bars
    controller.set_display(player=0)
    assert panel._value_bars is bars_before  # updated in place, never recreated


def test_panel_on_the_article_tree(make_controller, offramp_tree, qtbot):
    controller = make_controller(offramp_tree)
    panel = make_panel(controller, qtbot)
    utilities, shares, chosen = engine_view(controller)
    assert len(panel.alternatives()) == 3
    assert panel.utilities() == pytest.approx(utilities)
    assert panel.chosen_index() == chosen
    totals = np.sum([row for row in panel.outcome_shares().values()], axis=0)
    assert totals == pytest.approx([1.0, 1.0, 1.0])
    assert shares.keys() == panel.outcome_shares().keys()


def test_chance_root_shows_its_branches(make_controller, qtbot):
    tree = load_text("""{"format": "offramp-tree", "version": 1, "title": "Weather",
      "root": {"id": "r", "type": "chance", "children": [
        {"id": "sun", "type": "terminal", "branch": "Sun <b>", "probability": 0.7,
         "payoff": 10},
        {"id": "rain", "type": "terminal", "branch": "Rain", "probability": "#",
         "payoff": -2}]}}""")
    panel = make_panel(make_controller(tree), qtbot)
    assert panel.alternatives() == ["Sun <b> (70%)", "Rain (30%)"]  # plain text, as typed
    assert panel.utilities() == pytest.approx([10.0, -2.0])
    assert panel.chosen_index() == -1
    assert panel.highlighted_alternative() is None


def test_terminal_root_is_one_bar(make_controller, qtbot):
    tree = load_text("""{"format": "offramp-tree", "version": 1, "title": "One",
      "root": {"id": "r", "type": "terminal", "name": "Only", "payoff": 3}}""")
    panel = make_panel(make_controller(tree), qtbot)
    assert panel.alternatives() == ["Only"]
    assert panel.utilities() == pytest.approx([3.0])
    assert panel.outcome_shares() == {"null": [1.0]}


def test_values_that_cannot_be_computed_are_missing_bars(make_controller, qtbot):
    root = Node("r", "decision", children=[
        Node("a", "terminal", branch="Broken", payoff="1/0"),
        Node("b", "terminal", branch="Fine", payoff=1)])
    panel = make_panel(make_controller(Tree(root, "T")), qtbot)
    assert math.isnan(panel.utilities()[0])
    assert panel.utilities()[1] == pytest.approx(1.0)
    assert list(panel._value_bars.opts["y"]) == [1.0]  # only the computable bar is drawn
    assert panel._value_texts[0].toPlainText() == "—"


def test_payoffs_near_the_largest_double(make_controller, qtbot):
    """Spans and margins of such values overflow: an infinite range, refused by pyqtgraph,
    would be raised from the panel (or from a paint, which pytest-qt reports as a failure)."""
    payoffs = [1.7e308, -1.7e308, 5e307]
    tree = load_text(json.dumps({
        "format": "offramp-tree", "version": 1, "title": "Huge", "root": {
            "id": "r", "type": "decision", "children": [
                {"id": f"n{k}", "type": "terminal", "payoff": payoff}
                for k, payoff in enumerate(payoffs)]}}))
    panel = make_panel(make_controller(tree), qtbot)
    panel.show()
    qtbot.waitExposed(panel)
    for width in (760, 420):  # side by side, then stacked
        panel.resize(width, 340)
        assert not panel.grab().isNull()
    assert panel.isVisible() and panel.utilities() == payoffs
    axis = panel._values.getAxis("bottom")
    assert axis.labelText.endswith("(× 10³⁰⁸)")
    low, high = panel._values.viewRange()[0]
    assert math.isfinite(low) and math.isfinite(high) and low < -1.7 < 1.7 < high
    assert [item.toPlainText() for item in panel._value_texts] == \
        ["1.7e+308", "-1.7e+308", "5e+307"]


def axis_names(panel: OutcomesPanel) -> list[str]:
    """The alternatives' names on the values' axis, as its ticks draw them."""
    return [text for _value, text in panel._axis._tickLevels[0]]


def test_names_title_and_colours_follow_edits_between_value_changes(controller, qtbot):
    panel = make_panel(controller, qtbot)
    title = lambda: panel._values.getAxis("bottom").labelText  # noqa: E731
    swatches = lambda: [s.styleSheet() for s, _label in panel._legend._entries.values()]  # noqa: E731
    first_title, first_swatches = title(), swatches()
    with qtbot.waitSignal(controller.results_ready, timeout=2000):
        controller.edit.set_field("collapse", "probability", 0.9)  # numbers only
    assert axis_names(panel) == ["Seek defeat", "Talks now"]
    assert (title(), swatches()) == (first_title, first_swatches)
    with qtbot.waitSignal(controller.results_ready, timeout=2000):
        controller.edit.set_field("talks", "branch", "Talks at once")
    assert axis_names(panel) == ["Seek defeat", "Talks at once"]
    assert panel.highlighted_alternative() == "Talks at once"
    controller.set_display(player=1)
    player = controller.tree.effective_players()[1].name
    assert title() == f"Expected utility for {player}"
    controller.set_display(player=0)
    assert title() == first_title
    with qtbot.waitSignal(controller.results_ready, timeout=2000):
        ModelEdits(controller).set_attribute(OUTCOME, "deal", "color", "#123456")
    assert "#123456" in swatches()[0] and swatches()[1:] == first_swatches[1:]
