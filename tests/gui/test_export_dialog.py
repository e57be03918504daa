"""File > Export Image… as a user drives it: remembered choices, the confirmation, PDF pages."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialogButtonBox

from offramp_gui.gui.export import export_tree
from offramp_gui.gui.export_dialog import ExportDialog

TREES = Path(__file__).resolve().parents[2] / "trees"


@pytest.fixture
def window(make_window, tmp_path):
    window = make_window()
    path = tmp_path / "offramp.json"
    shutil.copy(TREES / "offramp.json", path)
    assert window.files.open(path, ask=False)
    return window


def open_export(window, qtbot) -> ExportDialog:
    window.actions["export"].trigger()
    dialog = window.prompts.dialogs[-1]
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def click(button, qtbot) -> None:
    """On the box or circle at the left of a check box or radio button."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(6, button.height() // 2))


def click_export(dialog: ExportDialog, qtbot, target: Path) -> None:
    dialog.file.setText(str(target))
    button = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert dialog.last_error is None and target.exists()


def test_the_dialog_starts_with_the_choices_made_last(window, qtbot, tmp_path):
    window.document.select("settle")
    dialog = open_export(window, qtbot)
    # A selection alone does not make the export a branch's.
    assert dialog.branch.isEnabled() and dialog.whole.isChecked()
    assert not dialog.expanded.isChecked()
    click(dialog.branch, qtbot)
    click(dialog.expanded, qtbot)
    click_export(dialog, qtbot, tmp_path / "branch.png")

    again = open_export(window, qtbot)
    assert again.branch.isChecked() and again.expanded.isChecked()
    click(again.whole, qtbot)
    click_export(again, qtbot, tmp_path / "whole.png")
    assert open_export(window, qtbot).whole.isChecked()


def test_a_remembered_branch_needs_a_selected_branch(window, qtbot, tmp_path):
    window.document.select("settle")
    dialog = open_export(window, qtbot)
    click(dialog.branch, qtbot)
    click_export(dialog, qtbot, tmp_path / "branch.png")
    window.document.select(window.document.tree.root.id)
    again = open_export(window, qtbot)
    assert not again.branch.isEnabled() and again.whole.isChecked()


def test_exporting_says_so_and_offers_the_folder(window, qtbot, tmp_path, monkeypatch):
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    window.show()
    folder = tmp_path / "pictures"
    folder.mkdir()
    click_export(open_export(window, qtbot), qtbot, folder / "tree.png")
    assert window.statusBar().currentMessage() == "Exported tree.png"
    [offer] = [b for b in window.statusBar().findChildren(type(window._offer_button))
               if b.isVisible()]
    assert offer.text() == "Open Folder"
    qtbot.mouseClick(offer, Qt.MouseButton.LeftButton)
    assert opened == [QUrl.fromLocalFile(str(folder))]
    window.statusBar().showMessage("Something else")
    assert not offer.isVisible()


def test_an_untitled_tree_is_exported_where_the_last_export_went(make_window, qtbot,
                                                                   tmp_path):
    window = make_window()
    click_export(open_export(window, qtbot), qtbot, tmp_path / "first.png")
    assert Path(open_export(window, qtbot).file.text()) == tmp_path / "tree.png"


def media_box(path: Path) -> tuple[float, float]:
    found = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", path.read_bytes())
    assert found, "no page size in the PDF"
    return float(found[1]), float(found[2])


def test_a_pdf_on_a4_landscape_paper(window, qtbot, tmp_path):
    dialog = open_export(window, qtbot)
    assert not dialog.page.isEnabled()  # a PNG to begin with
    dialog.file.setText(str(tmp_path / "tree.pdf"))
    assert dialog.page.isEnabled() and not dialog.orientation.isEnabled()
    dialog.page.setCurrentIndex(dialog.page.findData("a4"))
    assert dialog.orientation.isEnabled()
    dialog.orientation.setCurrentText("Landscape")
    click_export(dialog, qtbot, tmp_path / "tree.pdf")
    assert media_box(tmp_path / "tree.pdf") == pytest.approx((841.9, 595.3), abs=0.5)
    again = open_export(window, qtbot)
    assert (again.page.currentData(), again.orientation.currentText()) == ("a4", "Landscape")


def test_pdf_pages(offramp_tree, tmp_path, qtbot):
    export_tree(offramp_tree, tmp_path / "natural.pdf")
    export_tree(offramp_tree, tmp_path / "letter.pdf", page="letter")
    export_tree(offramp_tree, tmp_path / "a4.pdf", page="a4", landscape=True)
    assert media_box(tmp_path / "letter.pdf") == pytest.approx((612, 792), abs=0.5)
    assert media_box(tmp_path / "a4.pdf") == pytest.approx((841.9, 595.3), abs=0.5)
    width, height = media_box(tmp_path / "natural.pdf")
    assert width > 842 and height > 842  # the drawing's own size, larger than paper
    with pytest.raises(ValueError, match="page"):
        export_tree(offramp_tree, tmp_path / "x.pdf", page="a3")


# ---- the command line ---------------------------------------------------------------
def run_cli(*args: str):
    import os
    import subprocess
    import sys
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("DISPLAY", None)
    return subprocess.run([sys.executable, "-m", "offramp_gui", "export",
                           str(TREES / "offramp.json"), *args],
                          env=env, capture_output=True, text=True, timeout=120)


def test_cli_pdf_on_letter_landscape(tmp_path):
    out = tmp_path / "tree.pdf"
    done = run_cli("-o", str(out), "--page", "letter", "--landscape")
    assert (done.returncode, done.stderr) == (0, "")
    assert media_box(out) == pytest.approx((792, 612), abs=0.5)


@pytest.mark.parametrize("args", [("-o", "x.png", "--page", "a4"),
                                  ("-o", "x.pdf", "--landscape"),
                                  ("-o", "x.pdf", "--page", "a3")])
def test_cli_page_options_that_do_not_apply(tmp_path, args):
    done = run_cli(*[str(tmp_path / a) if a.startswith("x.") else a for a in args])
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []
