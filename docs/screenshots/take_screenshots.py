"""Regenerate the README's screenshots: `python docs/screenshots/take_screenshots.py`.

Runs the app offscreen on the bundled off-ramp tree and grabs the window and panels.
Name screenshots to take only those: `python docs/screenshots/take_screenshots.py drag`.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QSettings, Qt, QThread  # noqa: E402
from PySide6.QtGui import QMouseEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

HERE = Path(__file__).resolve().parent


def main() -> None:
    QCoreApplication.setOrganizationName("offramp-screenshots")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "/tmp/offramp-shots")
    app = QApplication(sys.argv[:1])
    from offramp_gui.bundled import default_tree
    from offramp_gui.gui.main_window import MainWindow

    window = MainWindow()
    window.resize(1600, 1000)
    window.files.open(default_tree(), ask=False, as_copy=True)
    window.show()
    app.processEvents()
    # (The window opens on the root's side at a readable zoom; Fit would show all of it small.)
    if sys.argv[1:] == ["drag"]:
        drag_in_progress(window, app)
        return
    if sys.argv[1:] == ["information-set"]:
        information_set(window, app)
        return
    if sys.argv[1:] == ["equilibria"]:
        equilibria(window, app)
        return
    if sys.argv[1:] == ["compare"]:
        compare(window, app)
        return
    if sys.argv[1:] == ["scenarios"]:
        scenarios(window, app)
        return
    if sys.argv[1:] == ["explain"]:
        explain(window, app)
        return
    document = window.document
    document.select("offramp")
    QTest.qWait(50)  # a running event loop, as the app's: it deletes the docks' old tab bars
    window.grab().save(str(HERE / "main-window.png"))
    window.actions["zoom-fit"].trigger()  # the whole tree, its labels at a readable size
    QTest.qWait(50)
    window.view.grab().save(str(HERE / "whole-tree-fitted.png"))
    window.view.show_start()
    sizes = {"properties": (470, 1080), "variables": (470, 760), "outcomes": (1200, 380)}
    for name, (width, height) in sizes.items():
        panel = window.panels[name]
        dock = panel.parentWidget()
        dock.setFloating(True)  # on its own, at a size that shows all of it
        dock.resize(width, height)
        dock.show()
        app.processEvents()
        panel.grab().save(str(HERE / f"{name}-panel.png"))
        dock.setFloating(False)
    editor = window.panels["model"]
    dock = editor.parentWidget()
    dock.setFloating(True)
    dock.resize(470, 900)
    dock.show()
    for tab in ("players", "variables"):
        editor.show_tab(tab)
        app.processEvents()
        editor.grab().save(str(HERE / f"model-editor-{tab}.png"))
    dock.setFloating(False)
    analysis = window.panels["analysis"]
    dock = analysis.parentWidget()
    dock.setFloating(True)
    dock.resize(1400, 460)
    dock.show()
    analysis.show_requirements("offramp_pledges.stall")
    settle(app)
    analysis.grab().save(str(HERE / "what-would-it-take.png"))
    analysis.show_information("defeat_max")  # right-click > What is it worth to know this?
    dock.resize(1400, 560)  # (its table, plot and notes need more height)
    settle(app)
    analysis.grab().save(str(HERE / "value-of-information.png"))
    dock.setFloating(False)
    profile = window.panels["risk_profile"]
    dock = profile.parentWidget()
    dock.setFloating(True)
    dock.resize(1400, 460)
    dock.show()
    document.select("offramp_pledges.rout")
    settle(app)
    profile.grab().save(str(HERE / "risk-profile.png"))
    dock.setFloating(False)
    from offramp_gui.gui.export import export_tree

    export_tree(document, HERE / "exported-branch.png", node_id="offramp_pledges.rout")
    drag_in_progress(window, app)
    information_set(window, app)
    equilibria(window, app)
    compare(window, app)
    scenarios(window, app)
    explain(window, app)
    print("screenshots written to", HERE)


def settle(app: QApplication) -> None:
    """Let a tab recompute (it does after a short pause) and draw."""
    for _ in range(40):
        app.processEvents()
        QThread.msleep(10)


def drag_in_progress(window, app) -> None:  # noqa: ANN001
    """The canvas while a branch is Ctrl-dragged onto a node: its ghost, the ring round
    the target, and the words saying what the drop will do."""
    view, scene = window.view, window.scene
    window.document.edit.expand_all()
    app.processEvents()
    view.reset_zoom()
    window.document.select("defeat_max.recover")  # before the press, which would scroll
    source, target = (scene.item_for_node(i).scenePos()
                      for i in ("defeat_max.recover", "defeat_measured"))
    view.centerOn(target + QPointF(420, 40))  # the target and the ghost below it
    app.processEvents()
    viewport = view.viewport()
    start, end = view.mapFromScene(source), view.mapFromScene(target)
    control = Qt.KeyboardModifier.ControlModifier
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, control, start)
    for step in range(1, 9):
        point = start + (end - start) * step / 8
        QApplication.sendEvent(viewport, QMouseEvent(
            QEvent.Type.MouseMove, QPointF(point), QPointF(viewport.mapToGlobal(point)),
            Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton, control))
    app.processEvents()
    view.grab().save(str(HERE / "drag-in-progress.png"))
    scene.drag.cancel()
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, control, end)
    window.document.undo_stack.undo()  # the expand_all


#: Beer or quiche: the receiver sees the drink, not whether the sender is strong or weak.
SIGNALLING = """{"format": "offramp-tree", "version": 1, "title": "Beer or quiche",
 "players": [{"id": "sender", "name": "Sender", "weights": {"value": 1}},
             {"id": "receiver", "name": "Receiver", "weights": {"value": 1}}],
 "root": {"id": "nature", "type": "chance", "name": "Sender's type", "children": [%s]}}"""
SENDER = """{"id": "%(t)s", "branch": "%(T)s", "probability": %(p)s, "type": "decision",
  "player": "sender", "name": "%(T)s sender", "children": [%(beer)s, %(quiche)s]}"""
RECEIVER = """{"id": "%(t)s-%(d)s", "branch": "%(D)s", "type": "decision",
  "player": "receiver", "name": "Sees %(d)s", %(set)s"children": [
   {"branch": "Duel", "type": "terminal", "payoff": %(duel)s},
   {"branch": "Yield", "type": "terminal", "payoff": %(yield)s}]}"""


def information_set(window, app) -> None:  # noqa: ANN001
    """Two information sets of the receiver, one of them just joined (both nodes still
    selected): a dashed line through the nodes it cannot tell apart, with the set's name."""
    from offramp_gui.api import load_text

    def receiver(t: str, drink: str, duel: int, payoff: int, joined: bool) -> str:
        in_set = '"information_set": "Receiver after Quiche", ' if joined else ""
        return RECEIVER % {"t": t, "d": drink.lower(), "D": drink, "set": in_set,
                           "duel": duel, "yield": payoff}
    senders = [SENDER % {"t": t, "T": t.title(), "p": p,
                         "beer": receiver(t, "Beer", 1 if t == "strong" else 0, 3, False),
                         "quiche": receiver(t, "Quiche", 0 if t == "strong" else 1, 2, True)}
               for t, p in (("strong", 0.9), ("weak", '"#"'))]
    document = window.document
    document.replace_tree(load_text(SIGNALLING % ", ".join(senders)), None)
    document.select_many(["strong-beer", "weak-beer"])
    window.prompts.text = lambda *_args: "Receiver after Beer"  # the name it proposes
    window.actions["join-information-set"].trigger()
    window.resize(1300, 640)
    if window.actions["show-overview"].isChecked():
        window.actions["show-overview"].trigger()  # (it would hide part of a small tree)
    for panel in window.panels.values():  # room for the whole tree
        dock = panel.parentWidget()
        if window.dockWidgetArea(dock) == Qt.DockWidgetArea.BottomDockWidgetArea:
            dock.hide()
    window.status.show("Joined “Receiver after Beer”", 0)
    settle(app)
    window.view.reset_zoom()
    window.view.show_start()  # the root's side: all of this small tree but its endings
    settle(app)
    window.grab().save(str(HERE / "information-set.png"))


def equilibria(window, app) -> None:  # noqa: ANN001
    """The essay's game of private information, its fourth equilibrium chosen: the
    strategies in bold, each side's beliefs beside the nodes it cannot tell apart, and
    the list of equilibria below."""
    from offramp_gui.bundled import bundled_dir

    window.resize(1600, 1000)
    window.files.open(bundled_dir("trees") / "resolve.json", ask=False, as_copy=True)
    settle(app)
    panel = window.panels["equilibria"]
    dock = panel.parentWidget()
    dock.show()
    dock.raise_()
    panel.list.setCurrentRow(3)
    window.document.select("calc-resolved-measured-kremlin")
    settle(app)
    window.view.show_start()
    settle(app)
    window.grab().save(str(HERE / "equilibria.png"))


def compare(window, app) -> None:  # noqa: ANN001
    """View > Compare Scenarios… on the off-ramp tree and its two scenarios, at a width
    of 800: the essay's view ends a stalemate in a deal, rhetoric that commits the West
    makes it seek Russia's defeat; then the West deciding as if its rhetoric committed
    it, living in the base case."""
    from offramp_gui.bundled import default_tree

    window.files.open(default_tree(), ask=False, as_copy=True)
    settle(app)
    window.actions["compare-scenarios"].trigger()
    shown = window.features["compare"].window
    shown.resize(800, 760)
    settle(app)
    shown.grab().save(str(HERE / "compare.png"))
    shown.tabs.setCurrentIndex(1)
    shown.resize(800, 420)
    settle(app)
    shown.grab().save(str(HERE / "compare-two-worlds.png"))
    shown.close()


def scenarios(window, app) -> None:  # noqa: ANN001
    """A hawk's and a dove's view of the essay's tree kept as scenarios, the hawk's
    applied: the Variables panel marks each slider's base value and shows the base
    beside each value that differs, above the Scenarios panel."""
    from offramp_gui.bundled import default_tree

    window.resize(1400, 900)
    window.files.open(default_tree(), ask=False, as_copy=True)
    settle(app)
    document = window.document
    edit = document.scenario_edit
    for name, note, values in (
            ("Hawk", "Escalation is a bluff: a routed Kremlin takes a deal.",
             {"p_collapse": 0.45, "p_nuclear_use": 0.08, "p_west_blinks": 0.2}),
            ("Dove", "A cornered Kremlin escalates, and the West blinks.",
             {"p_collapse": 0.2, "p_nuclear_use": 0.4, "p_west_blinks": 0.55})):
        for variable, value in values.items():
            edit.move_variable(variable, value)
        edit.add(name, note)
    edit.reset_to_base()
    edit.apply("Hawk")
    variables, panel = window.panels["variables"], window.panels["scenarios"]
    docks = [variables.parentWidget(), panel.parentWidget()]
    for dock in docks:
        window.removeDockWidget(dock)  # out of their tabs, one above the other
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, docks[0])
    window.splitDockWidget(docks[0], docks[1], Qt.Orientation.Vertical)
    for dock in docks:
        dock.show()
    for name in ("properties", "weights", "model"):
        window.panels[name].parentWidget().hide()
    # The right-hand docks the whole height, beside the canvas and the outcomes.
    window.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
    window.resizeDocks(docks, [470, 380], Qt.Orientation.Vertical)
    window.resizeDocks([docks[0]], [470], Qt.Orientation.Horizontal)
    panel.select("Hawk")
    settle(app)
    window.view.show_start()
    settle(app)
    window.grab().save(str(HERE / "scenarios.png"))


def explain(window, app) -> None:  # noqa: ANN001
    """The Explain panel on the Kremlin's choice after a stalemate: the choice, the
    runner-up and the margin, the criteria that make it, the variables that would
    change it (found on a worker), and the solved path below."""
    from offramp_gui.bundled import default_tree

    window.files.open(default_tree(), ask=False, as_copy=True)
    window.resize(1280, 900)
    panel = window.panels["explain"]
    dock = panel.parentWidget()
    dock.show()
    dock.raise_()
    window.document.select("offramp_pledges.stall")
    while panel.pending:
        settle(app)
    window.view.centerOn(window.scene.item_for_node("offramp_pledges.stall"))
    settle(app)
    window.grab().save(str(HERE / "explain.png"))


if __name__ == "__main__":
    main()
