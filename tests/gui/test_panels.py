"""The docked panels, driven as a user would: through their widgets, found by name."""
from __future__ import annotations

import copy

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QFocusEvent, QWheelEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSlider,
    QWidget,
)

from offramp_gui.analysis.evaluate import evaluate_tree
from offramp_gui.gui.commands import SetMetaCommand
from offramp_gui.gui.document import new_tree
from offramp_gui.gui.panels.problems_panel import ProblemsPanel
from offramp_gui.gui.panels.property_pages import ProbabilityPage
from offramp_gui.gui.panels.property_panel import PropertyPanel
from offramp_gui.gui.panels.variables_panel import VariablesPanel
from offramp_gui.gui.panels.weights_panel import WeightsPanel


@pytest.fixture
def show(qtbot):
    """Factory: build a panel on a controller and show it (offscreen)."""
    def make(panel_type, controller):
        panel = panel_type(controller)
        qtbot.addWidget(panel)
        panel.resize(420, 900)
        panel.show()
        qtbot.waitExposed(panel)
        return panel
    return make


@pytest.fixture
def simple(make_controller):
    """File > New's tree: option A pays 0; option B pays 10 (p 0.5) or -10 ("#")."""
    return make_controller(new_tree())


def find(panel, kind, name):
    widget = panel.findChild(kind, name)
    assert widget is not None, f"no {kind.__name__} named {name!r}"
    return widget


def message(panel, name) -> QLabel:
    return find(panel, QLabel, f"{name}-message")


def engine_root(controller):
    """The root's utilities as the engine computes them from the tree as it is now."""
    return evaluate_tree(controller.tree).utility[0]


def type_into(qtbot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


# ---- property panel: probability ---------------------------------------------------------
def test_probability_spin_box_recomputes_and_undoes(simple, show, qtbot):
    panel = show(PropertyPanel, simple)
    simple.select("good")
    spin = find(panel, QDoubleSpinBox, "probability-spin")
    assert spin.value() == 0.5
    spin.setFocus()
    spin.lineEdit().selectAll()
    with qtbot.waitSignal(simple.results_ready):
        qtbot.keyClicks(spin, "0.8")
        qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert simple.tree.node("good").probability == 0.8
    assert simple.results.utility[0, 0] == pytest.approx(6.0)  # 0.8 * 10 - 0.2 * 10
    assert simple.results.utility[0] == pytest.approx(engine_root(simple))
    assert simple.undo_stack.undoText() == "Change probability"
    with qtbot.waitSignal(simple.results_ready):
        simple.undo_stack.undo()
    assert simple.tree.node("good").probability == 0.5
    assert spin.value() == 0.5
    assert find(panel, QSlider, "probability-slider").value() == 500
    assert simple.results.utility[0] == pytest.approx(engine_root(simple))


def test_slider_drag_is_one_undo_step_and_keeps_the_spin_box_in_step(simple, show, qtbot):
    panel = show(PropertyPanel, simple)
    simple.select("good")
    slider = find(panel, QSlider, "probability-slider")
    spin = find(panel, QDoubleSpinBox, "probability-spin")
    before = simple.undo_stack.count()
    for position in (550, 600, 650, 700):
        slider.setValue(position)
    assert simple.undo_stack.count() == before + 1
    assert simple.tree.node("good").probability == 0.7
    assert spin.value() == pytest.approx(0.7)
    simple.undo_stack.undo()
    assert simple.tree.node("good").probability == 0.5
    assert slider.value() == 500


def test_invalid_expressions_show_a_message_and_push_nothing(controller, show, qtbot):
    panel = show(PropertyPanel, controller)
    controller.select("collapse")
    edit = find(panel, QLineEdit, "probability-expression")
    assert edit.text() == "p_collapse"
    count = controller.undo_stack.count()
    for text, words in [("p_collapse *", "expected a number"),
                        ("p_colapse * 2", '"p_colapse" is not a variable'),
                        ("p_collapse * 5", "above 1"), ("-0.1", "below 0")]:
        type_into(qtbot, edit, text)
        assert words in message(panel, "probability-expression").text()
        assert not message(panel, "probability-expression").isHidden()
        assert edit.text() == text  # the refused text stays, to be corrected
    assert controller.undo_stack.count() == count
    assert controller.tree.node("collapse").probability == "p_collapse"


def test_an_expression_sets_the_probability_and_disables_the_spin_box(controller, show, qtbot):
    panel = show(PropertyPanel, controller)
    controller.select("collapse")
    edit = find(panel, QLineEdit, "probability-expression")
    with qtbot.waitSignal(controller.results_ready):
        type_into(qtbot, edit, "p_collapse * 0.5")
    assert controller.tree.node("collapse").probability == "p_collapse * 0.5"
    assert message(panel, "probability-expression").isHidden()
    assert controller.results.utility[0] == pytest.approx(engine_root(controller))
    spin = find(panel, QDoubleSpinBox, "probability-spin")
    assert not spin.isEnabled()
    assert spin.value() == pytest.approx(0.15)  # computed: 0.3 * 0.5
    with qtbot.waitSignal(controller.results_ready):
        type_into(qtbot, edit, "0.25")  # a plain number goes back to the spin box
    assert controller.tree.node("collapse").probability == 0.25
    assert spin.isEnabled() and spin.value() == 0.25


def test_remainder_checkbox(simple, show, qtbot):
    panel = show(PropertyPanel, simple)
    simple.select("good")
    check = find(panel, QCheckBox, "remainder-check")
    assert not check.isChecked()
    check.click()  # "bad" already takes the remainder
    assert not check.isChecked()
    assert '"bad" already takes the remainder' in message(panel, "probability-expression").text()
    assert simple.tree.node("good").probability == 0.5
    simple.select("bad")
    check = find(panel, QCheckBox, "remainder-check")
    assert check.isChecked()
    with qtbot.waitSignal(simple.results_ready):
        check.click()
    assert simple.tree.node("bad").probability == 0.5  # the value it had, now fixed
    simple.select("good")
    check = find(panel, QCheckBox, "remainder-check")
    check.click()
    assert simple.tree.node("good").probability == "#"
    assert not find(panel, QDoubleSpinBox, "probability-spin").isEnabled()


# ---- property panel: the other fields ----------------------------------------------------
def test_type_combo_changes_the_node_type_and_the_editors(simple, show, qtbot):
    panel = show(PropertyPanel, simple)
    simple.select("option-a")
    assert panel.findChild(QComboBox, "outcome-combo") is not None
    combo = find(panel, QComboBox, "type-combo")
    with qtbot.waitSignal(simple.results_ready):
        combo.setCurrentIndex(combo.findData("chance"))
    node = simple.tree.node("option-a")
    assert node.type == "chance" and len(node.children) == 2
    assert simple.undo_stack.undoText() == "Change node type"
    qtbot.waitUntil(lambda: panel.findChild(QComboBox, "outcome-combo") is None)
    assert find(panel, QComboBox, "type-combo").currentData() == "chance"
    simple.undo_stack.undo()
    assert simple.tree.node("option-a").type == "terminal"
    assert find(panel, QComboBox, "type-combo").currentData() == "terminal"


def test_id_edit_refuses_bad_and_duplicate_ids_and_renames(controller, show, qtbot):
    panel = show(PropertyPanel, controller)
    controller.select("talks")
    edit = find(panel, QLineEdit, "id-edit")
    count = controller.undo_stack.count()
    type_into(qtbot, edit, "defeat")
    assert "already used" in message(panel, "id-edit").text()
    type_into(qtbot, edit, "no spaces")
    assert "letters, digits" in message(panel, "id-edit").text()
    assert controller.undo_stack.count() == count
    type_into(qtbot, edit, "negotiate")
    assert "negotiate" in controller.tree and controller.selected_id == "negotiate"
    assert message(panel, "id-edit").isHidden()
    assert find(panel, QLineEdit, "id-edit") is edit  # same editors: focus stays put
    assert controller.undo_stack.undoText() == "Change id"


def test_text_fields_push_once_on_editing_finished(controller, show, qtbot):
    panel = show(PropertyPanel, controller)
    controller.select("talks")
    count = controller.undo_stack.count()
    type_into(qtbot, find(panel, QLineEdit, "branch-edit"), "Talk now")
    assert controller.tree.node("talks").branch == "Talk now"
    assert controller.undo_stack.count() == count + 1
    assert controller.undo_stack.undoText() == "Rename branch"
    with qtbot.waitSignal(controller.results_ready):
        type_into(qtbot, find(panel, QLineEdit, "payoff-security"), "p_collapse * -10")
    assert controller.tree.node("talks").payoff == {"security": "p_collapse * -10", "risk": 0}
    assert controller.results.utility[0] == pytest.approx(engine_root(controller))
    type_into(qtbot, find(panel, QLineEdit, "payoff-risk"), "sqrt(")
    assert "not a number or a valid expression" in message(panel, "payoff-risk").text()
    type_into(qtbot, find(panel, QLineEdit, "payoff-risk"), "1 / (p_collapse - 0.3)")
    assert "division by zero" in message(panel, "payoff-risk").text()
    assert controller.undo_stack.count() == count + 2


def test_outcome_player_solve_and_notes(controller, show, qtbot):
    panel = show(PropertyPanel, controller)
    controller.select("talks")
    outcome = find(panel, QComboBox, "outcome-combo")
    assert outcome.currentText() == "Deal"
    outcome.setCurrentIndex(outcome.findData(""))
    assert controller.tree.node("talks").outcome is None
    notes = find(panel, QPlainTextEdit, "notes-edit")
    qtbot.keyClicks(notes, "<b>not bold</b>")
    assert controller.tree.node("talks").notes is None  # not until focus leaves
    QApplication.sendEvent(notes, QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.TabFocusReason))
    assert controller.tree.node("talks").notes == "<b>not bold</b>"
    controller.select("collapse")
    player = find(panel, QComboBox, "player-combo")
    assert player.currentData() == "kremlin"
    player.setCurrentIndex(player.findData("west"))
    assert controller.tree.node("collapse").player == "west"
    solve = find(panel, QComboBox, "solve-combo")
    solve.setCurrentIndex(solve.findData("assumed"))
    assert controller.tree.node("collapse").solve == "assumed"
    assert {c.probability for c in controller.tree.node("collapse").children} == {0.5, "#"}
    assert controller.undo_stack.undoText() == "Change how the decision is solved"


def test_refresh_leaves_the_field_being_typed_in_alone(controller, show, qtbot):
    panel = show(PropertyPanel, controller)
    controller.select("talks")
    name = find(panel, QLineEdit, "name-edit")
    name.setFocus()
    qtbot.keyClicks(name, "half-typed")
    controller.edit.set_field("talks", "branch", "Changed elsewhere")
    assert find(panel, QLineEdit, "branch-edit").text() == "Changed elsewhere"
    assert name.text() == "half-typed"


def test_values_form_shows_the_rolled_back_values(controller, show):
    panel = show(PropertyPanel, controller)
    controller.select("aim")
    assert find(panel, QLabel, "value-utility-0").text() == "-3.00"  # West, via talks
    assert find(panel, QLabel, "value-reach-0").text() == "100%"
    assert find(panel, QLabel, "value-choice-0").text() == "Talks now"
    controller.select("escalate")
    assert find(panel, QLabel, "value-choice-0").text() == "—"
    assert panel.findChild(QWidget, "probability-spin") is None  # the root has no probability


def test_panel_follows_selection_and_empties(controller, show):
    panel = show(PropertyPanel, controller)
    controller.select("stalemate")
    assert isinstance(panel.pages[1], ProbabilityPage)
    assert find(panel, QCheckBox, "remainder-check").isChecked()
    controller.select(None)
    assert panel.pages == []


# ---- variables, weights, problems --------------------------------------------------------
def test_variables_slider_recomputes_live_as_one_undo_step(controller, show, qtbot):
    panel = show(VariablesPanel, controller)
    slider = find(panel, QSlider, "variable-p_collapse-slider")
    spin = find(panel, QDoubleSpinBox, "variable-p_collapse-spin")
    assert slider.value() == 300 and spin.value() == 0.3
    count = controller.undo_stack.count()
    for position in (400, 500, 600):
        with qtbot.waitSignal(controller.results_ready):
            slider.setValue(position)
        assert controller.results.variables["p_collapse"] == position / 1000
        assert controller.results.utility[0] == pytest.approx(engine_root(controller))
    assert spin.value() == 0.6
    assert controller.undo_stack.count() == count + 1
    controller.undo_stack.undo()
    assert controller.tree.variable("p_collapse").value == 0.3
    assert slider.value() == 300


def test_variables_panel_rebuilds_when_the_list_changes(controller, show):
    panel = show(VariablesPanel, controller)
    variables = list(controller.tree.variables) + [
        type(controller.tree.variables[0])("half", "p_collapse / 2")]
    controller.push(SetMetaCommand(controller.tree, "variables", variables, "Add variable"))
    controller.recompute()
    assert find(panel, QLabel, "variable-half-computed").text() == "0.15"
    assert find(panel, QLabel, "variable-half-expression").text() == "= p_collapse / 2"
    assert panel.findChild(QDoubleSpinBox, "variable-half-spin") is None


def test_weights_spin_box_changes_the_players_utility(controller, show, qtbot):
    panel = show(WeightsPanel, controller)
    spin = find(panel, QDoubleSpinBox, "weight-west-security")
    assert spin.value() == 0.6
    before = controller.results.utility[0, 0]
    with qtbot.waitSignal(controller.results_ready):
        spin.setValue(1.0)
    assert controller.tree.players[0].weights["security"] == 1.0
    assert controller.results.utility[0, 0] != pytest.approx(before)
    assert controller.results.utility[0] == pytest.approx(engine_root(controller))
    spin.setValue(1.05)
    assert controller.undo_stack.undoText() == "Change West's weight"
    controller.undo_stack.undo()
    assert spin.value() == 0.6


def test_display_combo_and_reach(controller, show):
    panel = show(WeightsPanel, controller)
    combo = find(panel, QComboBox, "display-combo")
    assert combo.currentText() == "Utility for West"
    combo.setCurrentIndex(combo.findData("player:1"))
    assert (controller.shown_player, controller.shown_criterion) == (1, None)
    combo.setCurrentIndex(combo.findText("Risk avoided"))
    assert controller.shown_criterion == 1
    find(panel, QCheckBox, "reach-check").click()
    assert controller.show_reach
    controller.set_display(player=0, criterion=None)
    assert combo.currentText() == "Utility for West"


def test_problems_panel_lists_issues_and_selects_their_node(simple, show, qtbot):
    panel = show(ProblemsPanel, simple)
    assert panel.count() == 0
    assert find(panel, QLabel, "problems-empty").isVisible()
    with qtbot.waitSignal(simple.results_ready):
        simple.edit.set_field("bad", "probability", 0.2)
    assert panel.count() == 1
    item = panel.list.item(0)
    assert item.text().startswith("\u201cOption B\u201d (option-b): the probabilities of its"
                                  " branches add up to 0.7")
    with qtbot.waitSignal(panel.problem_activated) as activated:
        qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton,
                         pos=panel.list.visualItemRect(item).center())
    assert activated.args == ["option-b"]
    assert simple.selected_id == "option-b"
    simple.select(None)
    panel.list.setCurrentRow(0)
    with qtbot.waitSignal(panel.problem_activated):
        qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    assert simple.selected_id == "option-b"
    with qtbot.waitSignal(simple.results_ready):
        simple.undo_stack.undo()
    assert panel.count() == 0


# ---- user text is shown literally --------------------------------------------------------
def test_panels_show_markup_as_text(controller, show):
    controller.edit.set_variable("p_collapse", "description", "<b>x</b>")
    players = copy.deepcopy(controller.tree.players)
    players[0].name = "<b>x</b> & co"
    controller.push(SetMetaCommand(controller.tree, "players", players, "Rename player"))
    variables = show(VariablesPanel, controller)
    label = find(variables, QLabel, "variable-p_collapse-description")
    assert label.text() == "<b>x</b>"
    assert label.textFormat() == Qt.TextFormat.PlainText
    weights = show(WeightsPanel, controller)
    assert weights.findChildren(QGroupBox)[0].title() == "<b>x</b> && co"
    properties = show(PropertyPanel, controller)
    controller.select("aim")
    labels = [w for w in properties.findChildren(QLabel) if w.text() == "Utility for <b>x</b> & co"]
    assert labels and all(w.textFormat() == Qt.TextFormat.PlainText for w in labels)


def test_the_wheel_scrolls_past_unfocused_fields_without_changing_them(simple, show):
    panel = show(PropertyPanel, simple)
    simple.select("option-b")
    send_wheel(find(panel, QComboBox, "type-combo"))
    assert simple.tree.node("option-b").type == "chance"
    simple.select("good")
    send_wheel(find(panel, QSlider, "probability-slider"))
    send_wheel(find(panel, QDoubleSpinBox, "probability-spin").lineEdit())
    assert simple.tree.node("good").probability == 0.5
    assert simple.undo_stack.count() == 0


def send_wheel(widget):
    """One notch of the wheel, down, over the middle of `widget`."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre)), QPoint(0, 0),
                        QPoint(0, -120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_panels_rebuild_when_another_tree_is_opened(controller, offramp_tree, show):
    panels = [show(kind, controller) for kind in
              (PropertyPanel, VariablesPanel, WeightsPanel, ProblemsPanel)]
    controller.select("talks")
    controller.replace_tree(offramp_tree, None)
    properties, variables, weights, problems = panels
    assert properties.pages == []
    assert set(variables.rows) == {v.name for v in offramp_tree.variables}
    assert len(weights.findChildren(QGroupBox)) == len(offramp_tree.players)
    assert problems.count() == 0
    controller.select(offramp_tree.root.id)
    assert find(properties, QLineEdit, "id-edit").text() == offramp_tree.root.id


def test_panels_survive_results_for_a_new_tree_before_its_reset(make_controller, offramp_tree,
                                                                 show):
    """Opening a file recomputes before `document_reset`: the panels still hold the old
    tree's editors when the new results arrive, even for a node id both trees have."""
    small = make_controller().tree
    controller = make_controller(offramp_tree)
    variables = show(VariablesPanel, controller)
    properties = show(PropertyPanel, controller)
    controller.select("aim")
    controller.replace_tree(small, None)
    assert set(variables.rows) == {"p_collapse"}
    controller.select("aim")
    assert find(properties, QLabel, "value-utility-0").text() == "-3.00"


def test_two_separate_slider_drags_are_two_undo_steps(controller, qtbot):
    from PySide6.QtWidgets import QSlider

    from offramp_gui.gui.panels.property_panel import PropertyPanel
    panel = PropertyPanel(controller)
    qtbot.addWidget(panel)
    controller.select("stalemate")  # its probability is "#": pick its sibling instead
    controller.edit.set_field("collapse", "probability", 0.3)
    controller.select("collapse")
    slider = panel.findChild(QSlider, "probability-slider")
    start = controller.undo_stack.count()
    for position in (310, 320, 330):
        slider.setValue(position)
    slider.sliderReleased.emit()
    for position in (400, 410):
        slider.setValue(position)
    assert controller.undo_stack.count() == start + 2
    controller.undo_stack.undo()
    assert controller.tree.node("collapse").probability == 0.33
