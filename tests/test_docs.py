"""The reference documents still match the program a reader will run.

docs/format.md: each snippet introduced by a line "Example:" is a complete tree that
loads without a problem, and every key the reader knows by name is documented.
docs/cli.md: every command has its section, naming every option the command takes.
Qt-free: runs with PySide6 not installed.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from offramp_gui.api import load_text
from offramp_gui.cli import build_parser
from offramp_gui.fileformat import schema
from offramp_gui.model import expressions

DOCS = Path(__file__).resolve().parent.parent / "docs"
FORMAT = (DOCS / "format.md").read_text(encoding="utf-8")
CLI = (DOCS / "cli.md").read_text(encoding="utf-8")

_EXAMPLE = re.compile(r"^Example:\n\n```json\n(.*?)^```$", re.M | re.S)


def examples() -> list[str]:
    return _EXAMPLE.findall(FORMAT)


def test_format_reference_has_examples_to_check() -> None:
    assert len(examples()) >= 5


@pytest.mark.parametrize("text", examples(), ids=lambda text: text.split('"title": "')[1]
                         .split('"')[0])
def test_each_example_tree_loads(text: str) -> None:
    load_text(text, "docs/format.md example")  # raises, listing every problem


def test_every_key_and_word_of_the_format_is_documented() -> None:
    keys = set(schema.TOP_KEYS + schema.NODE_KEYS + schema.SOURCE_KEYS
               + schema.CRITERION_KEYS + schema.PLAYER_KEYS + schema.VARIABLE_KEYS
               + schema.OUTCOME_KEYS + tuple(schema.DISTRIBUTION_PARAMETERS))
    keys.update(p for params in schema.DISTRIBUTION_PARAMETERS.values() for p in params)
    keys.update(expressions.RESERVED_NAMES)
    named = set(re.findall(r"`([^`\s(]+)", FORMAT))
    missing = sorted(keys - named)
    assert not missing, f"docs/format.md does not name {missing} in `code`"


def cli_sections() -> dict[str, str]:
    """Each `## ...` section of docs/cli.md by its heading."""
    parts = re.split(r"^## (.*)$", CLI, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def subcommands() -> dict[str, object]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return dict(action.choices)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_command_has_a_section_naming_each_of_its_options(name: str) -> None:
    sections = [body for heading, body in cli_sections().items()
                if heading == f"`offramp {name}`"]
    assert sections, f"docs/cli.md has no section headed `offramp {name}`"
    command = subcommands()[name]
    options = {o for a in command._actions for o in a.option_strings} - {"-h", "--help"}
    missing = sorted(o for o in options if f"`{o}" not in sections[0])
    assert not missing, f"the section on offramp {name} does not name {missing}"


def anchors(text: str) -> set[str]:
    """The anchors a Markdown viewer gives the headings (outside fenced code)."""
    prose = re.sub(r"^```.*?^```$", "", text, flags=re.M | re.S)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
            for heading in re.findall(r"^#+ (.*)$", prose, flags=re.M)}


@pytest.mark.parametrize("document", ["format.md", "cli.md", "trees.md", "teaching.md"])
def test_links_lead_to_a_document_and_heading_that_exist(document: str) -> None:
    text = (DOCS / document).read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^):]*)\)", text)
    assert links
    broken = []
    for link in links:
        name, _, anchor = link.partition("#")
        target = DOCS / (name or document)
        if not target.is_file() or anchor and anchor not in anchors(
                target.read_text(encoding="utf-8")):
            broken.append(link)
    assert not broken
