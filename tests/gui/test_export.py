"""Export: PNG, SVG and PDF of the whole tree or one branch, from the app and the CLI."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from recording import FakePrompts
from test_export_dialog import media_box

from offramp_gui.api import load
from offramp_gui.cli import main
from offramp_gui.fileformat.atomic import SaveError
from offramp_gui.fileformat.json_io import dumps
from offramp_gui.gui.export import build_scene, export_tree
from offramp_gui.gui.export_dialog import ExportDialog
from offramp_gui.model.limits import MAX_DEPTH
from offramp_gui.model.tree import Node, Outcome, Player, Tree, Variable

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"


def svg_texts(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_png_of_the_tree_and_of_a_branch(offramp_tree, tmp_path, qtbot):
    whole, branch = tmp_path / "whole.png", tmp_path / "branch.png"
    export_tree(offramp_tree, whole)
    export_tree(offramp_tree, branch, node_id="offramp")
    whole_image, branch_image = QImage(str(whole)), QImage(str(branch))
    assert not whole_image.isNull() and whole_image.width() > 0 and whole_image.height() > 0
    assert not branch_image.isNull()
    assert branch_image.height() < whole_image.height()
    assert branch_image.width() * branch_image.height() < \
        whole_image.width() * whole_image.height()
    # Not blank: the corner is the white background, and there is ink.
    assert whole_image.pixelColor(0, 0).name() == "#ffffff"
    thumbnail = whole_image.scaled(60, 60)
    assert any(thumbnail.pixelColor(x, y).name() != "#ffffff"
               for x in range(60) for y in range(60))


def test_scale_two_doubles_the_size(offramp_tree, tmp_path, qtbot):
    one, two = tmp_path / "one.png", tmp_path / "two.png"
    export_tree(offramp_tree, one, node_id="settle", scale=1)
    export_tree(offramp_tree, two, node_id="settle", scale=2)
    small, large = QImage(str(one)), QImage(str(two))
    assert (large.width(), large.height()) == (2 * small.width(), 2 * small.height())


def test_transparent_png(offramp_tree, tmp_path, qtbot):
    path = tmp_path / "clear.png"
    export_tree(offramp_tree, path, node_id="settle", transparent=True)
    assert QImage(str(path)).pixelColor(0, 0).alpha() == 0


def test_svg_has_the_title_and_labels_as_text(offramp_tree, tmp_path, qtbot):
    path = tmp_path / "tree.svg"
    export_tree(offramp_tree, path)
    texts = svg_texts(path)
    assert offramp_tree.title in texts
    assert "Push for an early settlement" in texts
    assert "Nodes" in texts and "Outcomes" in texts  # the legend


def test_svg_of_a_branch_has_only_that_branch(offramp_tree, tmp_path, qtbot):
    path = tmp_path / "branch.svg"
    export_tree(offramp_tree, path, node_id="settle")
    texts = svg_texts(path)
    assert "Branch: Push for an early settlement" in texts
    assert "Push for an early settlement" not in texts  # the branch root has no label
    assert "Seek Russia's defeat" not in texts


def test_pdf(offramp_tree, tmp_path, qtbot):
    path = tmp_path / "tree.pdf"
    export_tree(offramp_tree, path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 1000


def test_folded_branches_stay_folded_unless_expanded(offramp_tree, qtbot):
    folded = [n.id for n in offramp_tree.root.walk() if n.collapsed]
    assert folded  # the article's tree folds two branches
    hidden = offramp_tree.node(folded[0]).children[0].id
    assert hidden not in build_scene(offramp_tree).node_ids()
    assert hidden in build_scene(offramp_tree, expanded=True).node_ids()
    # The user's tree is untouched.
    assert [n.id for n in offramp_tree.root.walk() if n.collapsed] == folded


def test_a_fold_says_how_many_nodes_it_hides_though_only_what_is_drawn_is_copied(
        offramp_tree, tmp_path, qtbot):
    folded = next(n for n in offramp_tree.root.walk() if n.collapsed and n.children)
    below = sum(1 for _ in folded.walk()) - 1
    export_tree(offramp_tree, tmp_path / "tree.svg")
    assert any(text.startswith(f"+{below} nodes") for text in svg_texts(tmp_path / "tree.svg"))
    scene = build_scene(offramp_tree)
    item = scene.item_for_node(folded.id)
    assert item.look.folded and item.look.hidden == below
    drawn = scene.snapshot.tree
    assert not drawn.node(folded.id).children  # its branch is not copied
    assert len(drawn) == len(scene.node_ids()) < len(offramp_tree)
    # Drawn whole, the same node shows open, with its branch.
    opened = build_scene(offramp_tree, expanded=True).item_for_node(folded.id)
    assert not opened.look.folded and opened.look.hidden == 0


def test_a_folded_branch_exported_alone_is_drawn_open(offramp_tree, qtbot):
    folded = next(n for n in offramp_tree.root.walk() if n.collapsed and n.children)
    scene = build_scene(offramp_tree, node_id=folded.id)
    assert {c.id for c in folded.children} <= scene.node_ids()
    assert not scene.item_for_node(folded.id).look.folded
    assert offramp_tree.node(folded.id).collapsed  # the user's fold stays


def test_folding_to_fit_copies_what_the_folded_tree_shows(offramp_tree, qtbot):
    from offramp_gui.model.layout import fold_to_fit, visible_nodes

    for most in (1, 5, 20, 60, 10_000):
        expected = offramp_tree.root.clone()
        folded_to = fold_to_fit(expected, most)
        scene = build_scene(offramp_tree, most=most)
        assert scene.folded_to == folded_to
        assert scene.node_ids() == {n.id for n in visible_nodes(expected)}
        for node in visible_nodes(expected):
            item = scene.item_for_node(node.id)
            hides = sum(1 for _ in node.walk()) - 1 if node.collapsed and node.children else 0
            assert (item.look.folded, item.look.hidden) == (hides > 0, hides), (most, node.id)


def test_export_from_the_document_shows_its_numbers(make_controller, offramp_tree, qtbot):
    controller = make_controller(offramp_tree)
    controller.set_display(player=2)
    scene = build_scene(controller, node_id="offramp")
    results = controller.results
    kremlin = results.utility[results.index("offramp"), 2]
    from offramp_gui.gui import format as fmt
    assert scene.item_for_node("offramp").value_text() == fmt.value(kremlin)
    assert scene.node_ids() <= set(offramp_tree.ids())
    assert "aim" not in scene.node_ids()


def test_missing_folder_writes_nothing(offramp_tree, tmp_path, qtbot):
    target = tmp_path / "missing" / "tree.png"
    with pytest.raises((SaveError, ValueError), match="does not exist"):
        export_tree(offramp_tree, target)
    assert not target.parent.exists()
    assert list(tmp_path.iterdir()) == []


def test_bad_format_node_and_scale(offramp_tree, tmp_path, qtbot):
    with pytest.raises(ValueError, match=r"\.png, \.svg or \.pdf"):
        export_tree(offramp_tree, tmp_path / "tree.gif")
    with pytest.raises(ValueError, match="nope"):
        export_tree(offramp_tree, tmp_path / "tree.png", node_id="nope")
    with pytest.raises(ValueError, match="scale"):
        export_tree(offramp_tree, tmp_path / "tree.png", scale=9)
    assert list(tmp_path.iterdir()) == []


def test_dialog_exports_and_reports_errors(make_controller, offramp_tree, tmp_path, qtbot):
    controller = make_controller(offramp_tree)
    controller.select("settle")
    dialog = ExportDialog(controller, FakePrompts())
    qtbot.addWidget(dialog)
    assert dialog.branch.isEnabled() and dialog.whole.isChecked()  # until chosen once
    dialog.branch.setChecked(True)
    dialog.scale.setValue(2)
    assert dialog.export(tmp_path / "branch.png")
    assert QImage(str(tmp_path / "branch.png")).width() > 0
    assert not dialog.export(tmp_path / "missing" / "x.png")
    assert "does not exist" in dialog.last_error
    dialog.whole.setChecked(True)
    assert dialog.export(tmp_path / "whole.svg")
    assert offramp_tree.title in svg_texts(tmp_path / "whole.svg")


# ---- the command line ---------------------------------------------------------------
def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("DISPLAY", None)
    return subprocess.run([sys.executable, "-m", "offramp_gui", "export", *args], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=120)


def test_cli_exports_png(tmp_path):
    out = tmp_path / "out.png"
    done = run_cli("trees/offramp.json", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert QImage(str(out)).width() > 0


def test_cli_exports_a_branch_to_svg(tmp_path):
    out = tmp_path / "out.svg"
    done = run_cli("trees/offramp.json", "-o", str(out), "--node", "offramp", "--expanded")
    assert done.returncode == 0, done.stderr
    assert "Branch: Support Ukraine while keeping an off-ramp open" in svg_texts(out)


def test_cli_unknown_node(tmp_path):
    done = run_cli("trees/offramp.json", "-o", str(tmp_path / "out.png"), "--node", "nope")
    assert done.returncode == 1
    assert "nope" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out.png").exists()


def test_cli_scale_out_of_range(tmp_path):
    done = run_cli("trees/offramp.json", "-o", str(tmp_path / "out.png"), "--scale", "9")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


def test_cli_missing_folder(tmp_path):
    done = run_cli("trees/offramp.json", "-o", str(tmp_path / "missing" / "out.png"))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "does not exist" in lines[0]
    assert "Traceback" not in done.stderr


# ---- trees as deep as the loader allows ----------------------------------------------------
HEAD = '{"format": "offramp-tree", "version": 1, "title": "Deep", '


def deep_chain(path: Path, depth: int = MAX_DEPTH) -> Path:
    """Decisions nested `depth` deep, one child each."""
    path.write_text(HEAD + '"root": ' + "".join(
        f'{{"id": "d{k}", "type": "decision", "children": [' for k in range(depth))
        + '{"id": "leaf", "type": "terminal", "branch": "The last step"}' + "]}" * depth + "}")
    return path


def deep_branching(path: Path, depth: int = MAX_DEPTH) -> Path:
    """Decisions nested `depth` deep, each with a terminal beside the next level."""
    path.write_text(HEAD + '"root": ' + "".join(
        f'{{"id": "d{k}", "type": "decision", "children": [{{"id": "t{k}",'
        f' "type": "terminal", "payoff": {k}}}, ' for k in range(depth))
        + '{"id": "leaf", "type": "terminal", "branch": "The last step"}' + "]}" * depth + "}")
    return path


def check_export(path: Path) -> None:
    """A whole file of its format, drawing the deepest branch."""
    if path.suffix == ".png":
        image = QImage(str(path))
        assert not image.isNull() and image.width() > 270_000  # at full size, not shrunk
    elif path.suffix == ".svg":
        assert "The last step" in svg_texts(path)
    else:
        data = path.read_bytes()
        assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_cli_exports_a_chain_as_deep_as_allowed(tmp_path, suffix):
    out = tmp_path / f"deep{suffix}"
    done = run_cli(str(deep_chain(tmp_path / "deep.json")), "-o", str(out))
    assert (done.returncode, done.stderr) == (0, "")
    check_export(out)


@pytest.mark.parametrize("suffix", [".svg", ".pdf"])
def test_cli_exports_a_branching_tree_as_deep_as_allowed(tmp_path, suffix):
    out = tmp_path / f"deep{suffix}"
    done = run_cli(str(deep_branching(tmp_path / "deep.json")), "-o", str(out))
    assert (done.returncode, done.stderr) == (0, "")
    check_export(out)


def test_cli_refuses_a_png_beyond_the_size_limit(tmp_path):
    out = tmp_path / "deep.png"
    done = run_cli(str(deep_branching(tmp_path / "deep.json")), "-o", str(out))
    assert done.returncode == 1 and done.stdout == ""
    [line] = done.stderr.splitlines()
    assert "the PNG would be 270,324 by 52,234 pixels, more than the 250 million" in line
    assert "export to PDF or SVG" in line and "branch" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deep.json"]


def test_the_app_exports_trees_as_deep_as_allowed(make_window, tmp_path, qtbot):
    window = make_window()
    for make, suffixes in ((deep_chain, (".png",)), (deep_branching, (".svg", ".pdf"))):
        assert window.files.open(make(tmp_path / f"{make.__name__}.json"), ask=False)
        dialog = ExportDialog(window.document, window.prompts)
        qtbot.addWidget(dialog)
        for suffix in suffixes:
            out = tmp_path / f"{make.__name__}{suffix}"
            assert dialog.export(out), dialog.last_error
            check_export(out)


def test_the_app_refuses_a_png_beyond_the_size_limit(make_window, tmp_path, qtbot):
    window = make_window()
    assert window.files.open(deep_branching(tmp_path / "deep.json"), ask=False)
    dialog = ExportDialog(window.document, window.prompts)
    qtbot.addWidget(dialog)
    assert not dialog.export(tmp_path / "deep.png")
    [(title, text, _details)] = window.prompts.errors
    assert title == "Export failed"
    assert "270,324 by 52,234 pixels" in text and "export to PDF or SVG" in text
    assert not (tmp_path / "deep.png").exists()
    assert dialog.export(tmp_path / "deep.pdf"), dialog.last_error  # as the message says


# ---- a large tree ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def large_tree() -> Tree:
    """3,280 nodes, ternary, seven levels deep, every branch labelled differently."""
    root = Node("n0", "decision", player="p")
    level, count = [root], 1
    for depth in range(7):
        next_level = []
        for node in level:
            for _ in range(3):
                kind = "terminal" if depth == 6 else "chance" if depth % 2 == 0 else "decision"
                child = Node(f"n{count}", kind, branch=f"step {count}", payoff=count % 7,
                             probability=1 / 3 if node.type == "chance" else None)
                if kind == "decision":
                    child.player = "p"
                node.children.append(child)
                next_level.append(child)
                count += 1
        level = next_level
    tree = Tree(root, "Large")
    tree.players = [Player("p", "Player", {"value": 1})]
    tree.reindex()
    return tree


def test_a_large_tree_exports_every_label_to_svg(large_tree, tmp_path, qtbot):
    export_tree(large_tree, tmp_path / "large.svg")
    texts = set(svg_texts(tmp_path / "large.svg"))
    labels = {node.branch for node in large_tree.root.walk() if node.branch}
    assert len(labels) == 3279 and labels <= texts


def text_objects(path: Path) -> int:
    """How many pieces of text the PDF's pages write."""
    data = path.read_bytes()
    return sum(zlib.decompress(stream).count(b"BT\n")
               for stream in re.findall(rb"/FlateDecode.*?stream\r?\n(.*?)endstream", data,
                                        re.DOTALL))


def test_a_large_tree_shrunk_into_a_pdf_keeps_its_labels(large_tree, tmp_path, qtbot):
    export_tree(large_tree, tmp_path / "large.pdf")  # far taller than a PDF page may be
    width, height = media_box(tmp_path / "large.pdf")
    assert height == pytest.approx(14_400, abs=1) and width < 14_400
    assert text_objects(tmp_path / "large.pdf") > 2 * 3279  # a label and numbers each


# ---- labels with characters XML forbids --------------------------------------------------
#: Every class of character XML 1.0 forbids, and some it allows that are still unsafe.
HOSTILE_LABELS = {
    "U+FFFE": "\ufffe", "U+FFFF": "\uffff", "NUL": "\x00", "C0 controls": "\x01\x08\x0b\x0c\x1f",
    "carriage return": "\r", "escape sequence": "\x1b[31m", "lone surrogates": "\ud800\udfff",
    "DEL and C1 controls": "\x7f\x85\x9f", "direction override": "\u202e",
    "markup": "<b>&amp;</b>]]>",
}


def hostile_tree(mark: str) -> Tree:
    """A tree with `mark` inside its title, a node's name, a branch label, an outcome's
    name and a player's name: everything an export draws or records."""
    root = Node("r", "decision", name=f"root {mark} name", player="p")
    root.children = [Node("a", "terminal", branch=f"branch {mark} label", payoff=1,
                          outcome="o"),
                     Node("b", "terminal", branch="plain", payoff=0)]
    tree = Tree(root, f"title {mark} end")
    tree.outcomes = [Outcome("o", f"outcome {mark} name")]
    tree.players = [Player("p", f"player {mark} name", {"value": 1})]
    return tree


def pdf_metadata(path: Path) -> ET.Element:
    """The XMP metadata Qt writes into a PDF, parsed: it is XML."""
    packet = re.search(rb"<x:xmpmeta.*?</x:xmpmeta>", path.read_bytes(), re.DOTALL)
    assert packet is not None
    return ET.fromstring(packet.group(0))


@pytest.mark.parametrize("mark", HOSTILE_LABELS.values(), ids=HOSTILE_LABELS.keys())
def test_hostile_labels_export_to_valid_svg_and_pdf(mark, tmp_path, qtbot):
    tree = hostile_tree(mark)
    export_tree(tree, tmp_path / "tree.svg")
    texts = " ".join(svg_texts(tmp_path / "tree.svg"))  # parses, or fails here
    for label in ("title", "root", "branch", "outcome", "player"):
        assert label in texts
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", texts)
    export_tree(tree, tmp_path / "tree.pdf")
    title = "".join(pdf_metadata(tmp_path / "tree.pdf").itertext())
    assert "title" in title and "end" in title


@pytest.mark.parametrize("name", ["safe-control-and-direction-characters.json",
                                  "safe-markup.json"])
def test_the_hostile_files_that_load_export_to_valid_svg_and_pdf(name, tmp_path, qtbot):
    tree = load(ROOT / "tests" / "data" / "bad" / name)
    export_tree(tree, tmp_path / "tree.svg")
    assert svg_texts(tmp_path / "tree.svg")
    export_tree(tree, tmp_path / "tree.pdf")
    pdf_metadata(tmp_path / "tree.pdf")


def test_a_plot_of_hostile_labels_is_valid_svg(tmp_path, capsys, qtbot):
    tree = hostile_tree("\ufffe\x01")
    tree.variables = [Variable("x", 0.5, 0, 1)]
    tree.node("a").payoff = "x"
    path = tmp_path / "tree.json"
    path.write_text(dumps(tree), encoding="utf-8")
    assert main(["sensitivity", str(path), "--var", "x", "-o", str(tmp_path / "x.svg")]) == 0
    assert any("branch" in text for text in svg_texts(tmp_path / "x.svg"))
