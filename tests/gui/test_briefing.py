"""File > Export Briefing… and `offramp brief`: the PDF's pages and text, the HTML, the
tree in parts, the window's action and the command line."""
from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import SMALL
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPalette
from PySide6.QtWidgets import QDialogButtonBox

from offramp_gui import __version__
from offramp_gui.analysis.briefing import Provenance
from offramp_gui.analysis.explain import explain
from offramp_gui.api import load, load_text
from offramp_gui.gui.briefing import export_briefing, tree_parts
from offramp_gui.gui.briefing_dialog import BriefingDialog
from offramp_gui.gui.export import build_scene
from offramp_gui.gui.scene.node_item import NodeItem

TREES = Path(__file__).resolve().parents[2] / "trees"
OFFRAMP = TREES / "offramp.json"


# ---- reading the files back ---------------------------------------------------------------
def pdf_pages(path: Path) -> list[str]:
    """The text of each page, as pdftotext (poppler) reads it, ligatures spelt out (a
    font such as Nimbus Sans, which fontconfig gives for Helvetica where it is
    installed, joins "ff" and "fi" into one glyph)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("reading a PDF's text back needs pdftotext (poppler-utils)")
    text = subprocess.run([tool, "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    pages = unicodedata.normalize("NFKC", text).split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def page_count(path: Path) -> int:
    """The page objects in the PDF's bytes (Qt writes them uncompressed)."""
    return len(re.findall(rb"/Type\s*/Page[^s]", path.read_bytes()))


def media_box(path: Path) -> tuple[float, float]:
    found = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", path.read_bytes())
    assert found, "no page size in the PDF"
    return float(found[1]), float(found[2])


class Page(HTMLParser):
    """What a reader sees of an HTML file, and what it would load."""

    def __init__(self, text: str):
        super().__init__()
        self.words: list[str] = []
        self.tags: list[str] = []
        self.images: list[str] = []
        self.alts: list[str] = []
        self.links: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        if tag == "img":
            self.images.append(values.get("src") or "")
            self.alts.append(values.get("alt") or "")
        self.links += [v or "" for k, v in attrs if k in ("href", "src") and tag != "img"]

    def handle_data(self, data: str) -> None:
        self.words.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.words).split())


def one_line(text: str) -> str:
    return " ".join(text.split())


def provenance_of(path: Path) -> Provenance:
    return Provenance(path.name, hashlib.sha256(path.read_bytes()).hexdigest(), date.today(),
                      __version__)


# ---- the PDF ---------------------------------------------------------------------------------
def test_the_pdf_of_a_small_tree_page_by_page(tmp_path, qapp):
    tree = load_text(SMALL)
    out = tmp_path / "small.pdf"
    export_briefing(tree, out, "a4")
    pages = pdf_pages(out)
    # The title, the summary and sources; the tree's overview and its two parts (the tree
    # is too wide to read fitted to a portrait A4 page); the reasoning in words; what each
    # alternative leads to, with the risk profile under it; the tornado; the assumptions.
    assert page_count(out) == len(pages) == 8
    assert media_box(out) == pytest.approx((595.3, 841.9), abs=0.5)
    firsts = [one_line(page).split(" Page ")[0][:40] for page in pages]
    assert firsts[0].startswith("DECISION BRIEFING Small In brief")
    assert [one_line(p).startswith(("The tree, part 1 of 2", "The tree, part 2 of 2"))
            for p in pages[2:4]] == [True, True]
    assert one_line(pages[4]).startswith("Why the tree decides as it does")
    assert "Risk profile of the root decision" in pages[5]
    assert one_line(pages[6]).startswith("What moves the decision most")
    assert one_line(pages[7]).startswith("Assumptions")
    for k, page in enumerate(pages, 1):
        assert f"Page {k} of 8" in page
        assert "Untitled · SHA-256" in one_line(page)

    out = tmp_path / "landscape.pdf"
    export_briefing(tree, out, "a4", landscape=True)
    # On its side the page holds the tree fitted, but not the outcomes and the risk
    # profile together.
    assert page_count(out) == 7
    assert media_box(out) == pytest.approx((841.9, 595.3), abs=0.5)
    export_briefing(tree, tmp_path / "letter.pdf", "letter")
    assert media_box(tmp_path / "letter.pdf") == pytest.approx((612, 792), abs=0.5)


def test_the_pdf_has_the_title_every_variable_and_the_footer(tmp_path, qapp):
    tree = load(OFFRAMP)
    out = tmp_path / "briefing.pdf"
    export_briefing(tree, out, "letter", provenance=provenance_of(OFFRAMP))
    pages = pdf_pages(out)
    assert page_count(out) == len(pages)
    text = one_line(" ".join(pages))
    assert tree.title in text
    for variable in tree.variables:
        assert variable.name in text
    digest = hashlib.sha256(OFFRAMP.read_bytes()).hexdigest()[:12]
    footer = f"offramp.json · SHA-256 {digest} ·"
    assert all(footer in one_line(page) and f"offramp {__version__}" in page
               for page in pages)
    assert "Tom McTague, Putin Needs an Off-Ramp. The Atlantic, 2022." in text
    assert "Western war aim: what moves its value most" in text  # the tornado's title
    first = explain(tree).decisions[0].sentences[0]
    assert first == ("At “Western war aim”, Western capitals chooses “Support Ukraine while"
                     " keeping an off-ramp open”.")
    assert text.count(first) == 2  # in brief, and where the reasoning is told
    compared = text[text.index("Scenarios compared"):]
    assert "As the essay argues" in compared and "Rhetoric commits the West" in compared


def test_a_tree_too_wide_to_read_is_printed_in_parts_after_an_overview(tmp_path, qapp):
    out = tmp_path / "briefing.pdf"
    export_briefing(load(OFFRAMP), out, "a4")
    pages = pdf_pages(out)
    # (the tree's summary and sources take the first page and more)
    overview = next(k for k, page in enumerate(pages) if one_line(page).startswith("The tree "))
    assert overview > 0
    found = re.search(r"The tree is shown in (\d+) parts", one_line(pages[overview]))
    assert found, "no overview"
    count = int(found[1])
    assert count > 1
    for k in range(1, count + 1):
        assert one_line(pages[overview + k]).startswith(f"The tree, part {k} of {count}")
    # then the reasoning, the outcomes with the risk profile, the tornado, the assumptions
    # and the scenarios compared, each starting a page
    after = [one_line(page) for page in pages[overview + count + 1:]]
    assert after[0].startswith("Why the tree decides as it does")
    sections = ("Why the tree decides as it does", "What each alternative leads to",
                "What moves the decision most", "Assumptions", "Scenarios compared")
    starts = [next(k for k, page in enumerate(after) if page.startswith(section))
              for section in sections]
    assert starts == sorted(starts)


def test_every_node_is_drawn_whole_in_exactly_one_part(qapp):
    scene = build_scene(load(OFFRAMP), titled=False)
    width, height = 658.0, 900.0  # A4's width within its margins, in pixels
    parts = tree_parts(scene, width, height)
    assert parts.split and len(parts.parts) > 1
    nodes = [item for item in scene.items() if isinstance(item, NodeItem)]
    for node in nodes:
        owners = [part for part in parts.parts if node in part.items]
        assert len(owners) == 1, node.node_id
        assert owners[0].rect.contains(node.mapRectToScene(node.text_rect())), node.node_id
    for part in parts.parts:
        assert part.rect.width() * parts.scale <= width + 0.01
        assert part.rect.height() * parts.scale <= height + 0.01
    assert parts.scale >= 0.65  # text no smaller than 5.4 points
    scene.clear()


def test_a_tree_too_large_to_print_in_parts_gets_its_overview_alone(tmp_path, qapp):
    children = ", ".join(f'{{"branch": "Choice {k}", "type": "terminal", "payoff": {k}}}'
                         for k in range(1500))
    tree = load_text('{"format": "offramp-tree", "version": 1, "title": "Many choices",'
                     f' "root": {{"type": "decision", "children": [{children}]}}}}')
    out = tmp_path / "wide.pdf"
    export_briefing(tree, out, "a4")
    pages = pdf_pages(out)
    found = re.search(r"At a readable size the tree would take (\d+) pages", one_line(pages[1]))
    assert found and int(found[1]) > 40
    assert "The tree, part" not in " ".join(pages)
    assert one_line(pages[2]).startswith("Why the tree decides as it does")  # the next
    assert one_line(pages[3]).startswith("What each alternative leads to")


def test_a_tree_too_large_to_draw_is_drawn_to_the_levels_that_fit(tmp_path, qapp,
                                                                   monkeypatch):
    from offramp_gui.gui import briefing
    monkeypatch.setattr(briefing, "DRAWN_UP_TO", 20)  # the off-ramp tree (118) is "large"
    tree = load(OFFRAMP)
    # Its levels show 1, 3, 6 and 10 nodes as the file folds it (20 in all); the next
    # 10 would pass 20.
    scene = build_scene(tree, titled=False, most=20)
    assert scene.folded_to == (3, 20)
    assert len([item for item in scene.items() if isinstance(item, NodeItem)]) == 20
    scene.clear()
    out = tmp_path / "large.html"
    export_briefing(tree, out)
    text = " ".join(Page(out.read_text("utf-8")).text.split())
    assert ("The tree has 118 nodes: drawn here to 3 levels below the root (20 nodes), as"
            " more would not read on paper.") in text
    assert build_scene(tree, titled=False).folded_to is None  # the image export: all of it


def test_a_tree_that_fits_is_one_picture(qapp):
    scene = build_scene(load_text(SMALL), titled=False)
    parts = tree_parts(scene, 960.0, 600.0)  # Letter turned sideways
    assert not parts.split and parts.parts[0].items is None
    scene.clear()


# ---- the HTML --------------------------------------------------------------------------------
def test_the_html_is_one_page_with_everything_in_it(tmp_path, qapp):
    tree = load(OFFRAMP)
    out = tmp_path / "briefing.html"
    export_briefing(tree, out, provenance=provenance_of(OFFRAMP))
    page = Page(out.read_text("utf-8"))
    text = page.text
    assert page.tags.count("h1") == 1 and tree.title in text
    for variable in tree.variables:
        assert variable.name in text
    digest = hashlib.sha256(OFFRAMP.read_bytes()).hexdigest()[:12]
    assert f"offramp.json · SHA-256 {digest}" in text and f"offramp {__version__}" in text
    assert "script" not in page.tags and page.links == []
    # The tree's overview and its legend, then each of its parts (too wide to read at
    # the column's width); what each alternative leads to, the risk profile and the
    # tornado: all in the file.
    found = re.search(r"The tree is shown in (\d+) parts", text)
    assert found, "no overview"
    count = int(found[1])
    assert all(f"The tree, part {k} of {count}" in text for k in range(1, count + 1))
    assert len(page.images) == 2 + count + 3
    for source in page.images:
        assert source.startswith("data:image/png;base64,")
        assert base64.b64decode(source.partition(",")[2])[:8] == b"\x89PNG\r\n\x1a\n"
    assert "@page { size: A4 portrait;" in out.read_text("utf-8")
    assert explain(tree).decisions[0].sentences[0] in text
    assert "Why the tree decides as it does" in text and "Scenarios compared" in text


def test_the_charts_are_dark_on_white_whatever_the_app_colours(tmp_path, qapp):
    before = QGuiApplication.palette()
    dark = QPalette(before)
    for role in (QPalette.ColorRole.Base, QPalette.ColorRole.Window):
        dark.setColor(role, QColor("#202124"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e8eaed"))
    qapp.setPalette(dark)
    try:
        export_briefing(load_text(SMALL), tmp_path / "small.html")
    finally:
        qapp.setPalette(before)
    images = Page((tmp_path / "small.html").read_text("utf-8")).images
    for source in images:
        image = QImage.fromData(base64.b64decode(source.partition(",")[2]))
        assert image.pixelColor(3, 3) == QColor("#ffffff")


# ---- the window --------------------------------------------------------------------------------
@pytest.fixture
def window(make_window, tmp_path):
    window = make_window()
    path = tmp_path / "offramp.json"
    shutil.copy(OFFRAMP, path)
    assert window.files.open(path, ask=False)
    return window


def open_briefing(window, qtbot) -> BriefingDialog:
    window.actions["export-briefing"].trigger()
    dialog = window.prompts.dialogs[-1]
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def click_export(dialog: BriefingDialog, qtbot) -> None:
    button = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_file_export_briefing_writes_the_pdf_and_offers_the_folder(window, qtbot, tmp_path):
    [file_menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "&File"]
    texts = [a.text() for a in file_menu.actions()]
    assert texts.index("Export &Briefing…") == texts.index("Export &Data…") + 1
    assert window.actions["export-briefing"].shortcut().toString() == "Ctrl+Shift+B"
    dialog = open_briefing(window, qtbot)
    assert dialog.file.text() == str(tmp_path / "offramp-briefing.pdf")
    dialog.page.setCurrentIndex(dialog.page.findData("letter"))
    dialog.orientation.setCurrentText("Landscape")
    click_export(dialog, qtbot)
    assert dialog.last_error is None and not dialog.isVisible()
    window.features["briefing"].wait()
    out = tmp_path / "offramp-briefing.pdf"
    assert media_box(out) == pytest.approx((792, 612), abs=0.5)
    text = one_line(" ".join(pdf_pages(out)))
    assert "Putin needs an off-ramp" in text
    digest = hashlib.sha256((tmp_path / "offramp.json").read_bytes()).hexdigest()[:12]
    assert f"offramp.json · SHA-256 {digest}" in text
    assert window.statusBar().currentMessage() == "Exported the briefing offramp-briefing.pdf"
    assert window.prompts.errors == []
    again = open_briefing(window, qtbot)
    assert (again.page.currentData(), again.orientation.currentText()) == ("letter",
                                                                           "Landscape")


def test_a_web_page_of_the_tree_with_its_unsaved_changes(window, qtbot, tmp_path):
    window.document.edit.set_field("aim", "name", "The war aim, edited")
    dialog = open_briefing(window, qtbot)
    dialog.format.setCurrentIndex(dialog.format.findData(".html"))
    assert dialog.file.text() == str(tmp_path / "offramp-briefing.html")
    click_export(dialog, qtbot)
    # Edited while the briefing is made: the footer is of the tree as it was asked for.
    window.document.edit.set_field("aim", "name", "Edited again")
    window.features["briefing"].wait()
    page = Page((tmp_path / "offramp-briefing.html").read_text("utf-8"))
    window.document.undo_stack.undo()
    assert window.files.save()
    digest = hashlib.sha256((tmp_path / "offramp.json").read_bytes()).hexdigest()[:12]
    assert f"offramp.json (unsaved changes) · SHA-256 {digest}" in page.text
    # The charts of the root's alternatives are of the tree as edited.
    assert [alt for alt in page.alts if "The war aim, edited" in alt] != []
    assert open_briefing(window, qtbot).format.currentData() == ".html"


def test_the_apps_briefing_of_a_large_tree_draws_what_fits_and_compares_its_scenarios(
        window, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr("offramp_gui.gui.features.briefing.DRAWN_UP_TO", 20)
    dialog = open_briefing(window, qtbot)
    dialog.format.setCurrentIndex(dialog.format.findData(".html"))
    click_export(dialog, qtbot)
    window.features["briefing"].wait()
    text = " ".join(Page((tmp_path / "offramp-briefing.html").read_text("utf-8")).text.split())
    assert ("The tree has 118 nodes: drawn here to 3 levels below the root (20 nodes), as"
            " more would not read on paper.") in text
    assert "Scenarios compared" in text and "As the essay argues" in text


def test_a_name_that_is_no_briefing_is_refused_in_the_dialog(window, qtbot, tmp_path):
    dialog = open_briefing(window, qtbot)
    dialog.file.setText(str(tmp_path / "briefing.docx"))
    click_export(dialog, qtbot)
    assert dialog.isVisible()
    assert window.prompts.errors == [("Export failed", "A briefing is written as PDF or"
                                      " HTML: the file name must end in .pdf or .html, not"
                                      " .docx.", "")]
    dialog.file.setText(str(tmp_path / "nowhere" / "briefing.pdf"))
    click_export(dialog, qtbot)
    assert "does not exist" in window.prompts.errors[-1][1]
    assert list(tmp_path.glob("briefing*")) == []


# ---- the command line ----------------------------------------------------------------------------
def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("DISPLAY", None)
    return subprocess.run([sys.executable, "-m", "offramp_gui", "brief", *args], env=env,
                          capture_output=True, text=True, timeout=300)


def test_cli_writes_a_pdf_and_an_html_file(tmp_path):
    done = run_cli(str(OFFRAMP), "-o", str(tmp_path / "b.pdf"), "--page", "letter",
                   "--landscape")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert media_box(tmp_path / "b.pdf") == pytest.approx((792, 612), abs=0.5)
    digest = hashlib.sha256(OFFRAMP.read_bytes()).hexdigest()[:12]
    assert f"offramp.json · SHA-256 {digest}" in one_line(pdf_pages(tmp_path / "b.pdf")[0])
    done = run_cli(str(OFFRAMP), "-o", str(tmp_path / "b.html"))
    assert (done.returncode, done.stderr) == (0, "")
    assert "Putin needs an off-ramp" in Page((tmp_path / "b.html").read_text("utf-8")).text


@pytest.mark.parametrize(("args", "status", "message"), [
    (("-o", "b.docx"), 2, "offramp: -o {dir}/b.docx: the file name must end in .pdf or .html"),
    (("-o", "nowhere/b.pdf"), 1, "offramp: cannot write {dir}/nowhere/b.pdf: the folder"
                                 " {dir}/nowhere does not exist"),
])
def test_cli_refuses_what_it_cannot_write(tmp_path, args, status, message):
    done = run_cli(str(OFFRAMP), *[str(tmp_path / a) if "b." in a else a for a in args])
    assert (done.returncode, done.stderr) == (status, message.format(dir=tmp_path) + "\n")
    assert list(tmp_path.rglob("b.*")) == []


def test_cli_compares_the_scenarios_named_and_refuses_one_the_tree_lacks(tmp_path):
    out = tmp_path / "b.html"
    done = run_cli(str(OFFRAMP), "-o", str(out), "--scenario", "Rhetoric commits the West")
    assert (done.returncode, done.stderr) == (0, "")
    text = Page(out.read_text("utf-8")).text
    compared = text[text.index("Scenarios compared"):]
    assert "Rhetoric commits the West" in compared and "As the essay argues" not in compared
    assert "* Western war aim" in compared  # the West seeks Russia's defeat there
    done = run_cli(str(OFFRAMP), "-o", str(tmp_path / "c.pdf"), "--scenario", "Dove")
    assert done.returncode == 2
    assert done.stderr.startswith('offramp: --scenario: there is no scenario "Dove"; the'
                                  ' tree has "Base case", "As the essay argues", "Rhetoric'
                                  ' commits the West", ')
    assert done.stderr.count("\n") == 1
    assert not (tmp_path / "c.pdf").exists()


def test_the_scenarios_compared_are_of_the_tree_as_asked_though_edited_meanwhile(
        window, qtbot, tmp_path):
    from offramp_gui.gui.model_edits import ModelEdits
    from offramp_gui.model.refactor import VARIABLE

    dialog = open_briefing(window, qtbot)
    dialog.format.setCurrentIndex(dialog.format.findData(".html"))
    click_export(dialog, qtbot)
    # The essay's face in the base case: the Kremlin would take the deal there too.
    ModelEdits(window.document).set_attribute(VARIABLE, "face_value", "value", 80)
    window.features["briefing"].wait()
    text = " ".join(Page((tmp_path / "offramp-briefing.html").read_text("utf-8")).text.split())
    compared = text[text.index("Scenarios compared"):]
    row = compared[compared.index("Kremlin response to a stalemate, after Support"):]
    assert row.startswith("Kremlin response to a stalemate, after Support Ukraine while"
                          " keeping an off-ramp open The Kremlin Grind on Accept a face-saving"
                          " deal")  # (the base case, then the essay's)
