"""The Help menu: the tour, the shortcuts made from the window's actions, the user manual
shipped with the package, and What's This on every panel."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QWhatsThis

from offramp_gui.bundled import MANUAL_PAGES, manual_page
from offramp_gui.gui.contributions import ActionSpec, Contributions, Place
from offramp_gui.gui.features import DEFAULT
from offramp_gui.gui.help_views import TOUR, ManualDialog, ShortcutsDialog, TourDialog
from offramp_gui.gui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
PANELS = ("properties", "variables", "weights", "model", "scenarios", "outcomes",
          "risk_profile", "equilibria", "problems", "analysis", "explain")


def help_menu(window):
    return next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")


def trigger(window, text):
    """Click the Help menu's entry, as the user would: by its label."""
    entry = next(a for a in help_menu(window).actions() if a.text() == text)
    entry.trigger()
    return window.prompts.dialogs[-1]


def test_getting_started_walks_five_steps_with_next_and_back(make_window, qtbot):
    window = make_window()
    tour = trigger(window, "&Getting Started")
    assert isinstance(tour, TourDialog)
    qtbot.addWidget(tour)
    assert "Open a tree" in tour.step_text() and "Ctrl+O" in tour.step_text()
    assert not tour.back.isEnabled()
    seen = [tour.step_text()]
    for _ in range(len(TOUR) - 1):
        qtbot.mouseClick(tour.next, Qt.MouseButton.LeftButton)
        seen.append(tour.step_text())
    assert [title in text for (title, _), text in zip(TOUR, seen)] == [True] * 5
    assert [t for t, _ in TOUR] == ["Open a tree", "Read it", "Change it", "Analyse it",
                                    "Export and save"]
    assert not tour.next.isEnabled()
    qtbot.mouseClick(tour.back, Qt.MouseButton.LeftButton)
    assert "Analyse it" in tour.step_text()


def test_shortcuts_table_is_made_from_the_window_actions(make_window, qtbot):
    window = make_window()
    table = trigger(window, "&Keyboard Shortcuts")
    assert isinstance(table, ShortcutsDialog)
    qtbot.addWidget(table)
    rows = {command: (keys, menu) for command, keys, menu in table.rows()}
    native = QKeySequence.SequenceFormat.NativeText
    assert rows["Save"] == (QKeySequence(QKeySequence.StandardKey.Save).toString(native),
                            "File")
    assert rows["Save"][0] == "Ctrl+S"
    assert rows["Add Branch"] == ("Ins", "Edit")
    assert rows["What's This?"] == ("Shift+F1", "Help")
    # Every action with a key is listed, under its own words.
    keyed = [a for a in window.actions.values() if not a.shortcut().isEmpty()]
    assert len(table.rows()) == len(keyed)


class Extra:
    name = "extra"

    def contributions(self):
        return Contributions(actions=(ActionSpec(
            "tidy", "&Tidy Up", lambda: None, (Place("view", "8_tidy", 0),), "Ctrl+Alt+T"),))


def test_a_newly_registered_action_appears_in_the_shortcuts(qtbot):
    from recording import FakePrompts
    window = MainWindow(prompts=FakePrompts(), features=DEFAULT + (Extra,))
    qtbot.addWidget(window)
    table = trigger(window, "&Keyboard Shortcuts")
    qtbot.addWidget(table)
    assert ("Tidy Up", "Ctrl+Alt+T", "View") in table.rows()


def test_the_manual_opens_on_the_readme_and_shows_the_format_reference(make_window, qtbot):
    window = make_window()
    manual = trigger(window, "&User Manual")
    assert isinstance(manual, ManualDialog)
    qtbot.addWidget(manual)
    assert manual.headings()[0] == "offramp"
    assert "A short tour" in manual.headings()
    assert manual.browser.toPlainText().startswith("offramp")
    assert "![" not in manual.browser.toMarkdown()  # screenshots are not shipped
    # Choosing a heading in the contents brings it into view.
    last = manual.contents.count() - 1
    manual.contents.setCurrentRow(last)
    assert manual.browser.textCursor().block().text() == manual.headings()[last]


def test_format_reference_heading_is_listed(make_window, qtbot):
    manual = trigger(make_window(), "&User Manual")
    qtbot.addWidget(manual)
    manual.page.setCurrentIndex([t for t, _ in MANUAL_PAGES].index("The tree file format"))
    first = next(line for line in (ROOT / "docs/format.md").read_text().splitlines()
                 if line.startswith("# "))
    assert manual.headings()[0] == first[2:].strip()


def test_the_manual_ships_with_the_package():
    """The wheel copies each page from where the repository keeps it."""
    # Read without tomllib, which Python 3.10 lacks.
    section = (ROOT / "pyproject.toml").read_text().split(
        "[tool.hatch.build.targets.wheel.force-include]")[1].split("\n[")[0]
    shipped = dict(re.findall(r'^"([^"]+)" = "([^"]+)"$', section, re.MULTILINE))
    for _title, name in MANUAL_PAGES:
        source = manual_page(name).relative_to(ROOT).as_posix()
        assert shipped[source] == f"offramp_gui/manual/{name}"


def test_whats_this_explains_every_panel(make_window):
    window = make_window()
    for panel in PANELS:
        text = window.panels[panel].whatsThis()
        assert text.count(".") >= 2, panel
    assert set(PANELS) == set(window.panels)


def test_whats_this_action_enters_whats_this_mode(make_window):
    window = make_window()
    entry = next(a for a in help_menu(window).actions() if "What's This" in a.text())
    assert entry.shortcut().toString() == "Shift+F1"
    entry.trigger()
    try:
        assert QWhatsThis.inWhatsThisMode()
    finally:
        QWhatsThis.leaveWhatsThisMode()


@pytest.mark.parametrize("title, name", MANUAL_PAGES)
def test_every_manual_page_exists(title, name):
    assert manual_page(name).is_file(), title


def test_every_key_the_tour_names_is_a_key_of_the_window(make_window):
    """The tour's text is written by hand: it must not name a key the window lacks."""
    window = make_window()
    portable = QKeySequence.SequenceFormat.PortableText
    keys = {key.toString(portable)
            for action in window.actions.values() for key in action.shortcuts()}
    named = {QKeySequence(key).toString(portable) for _title, text in TOUR
             for key in re.findall(r"(?:Ctrl|Shift|Alt)\+[\w+]+|(?<!\+)\bF\d+\b", text)}
    assert {"Ctrl+O", "Ctrl+Ins", "Shift+F1", "F2"} <= named
    assert named <= keys, named - keys


def test_a_link_to_another_page_of_the_manual_opens_it(make_window, qtbot):
    manual = trigger(make_window(), "&User Manual")
    qtbot.addWidget(manual)
    manual.browser.anchorClicked.emit(QUrl("docs/cli.md"))
    assert manual.page.currentText() == "The command line"
    assert manual.headings()[0] == "The offramp command"  # the first heading of cli.md
