"""The one test fake for the app's dialogs: records what was asked, answers as scripted.

It overrides only the primitives of `Prompts`, so the app's own questions (save changes?
restore? reload?) are worded by the real code in every test.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

from offramp_gui.gui.prompts import Prompts


class FakePrompts(Prompts):
    """`FakePrompts(**{"save-changes": "discard"})` or `fake.script("recover", "restore",
    "later")`: each key answers its list in turn, the last answer repeating. A question
    nobody scripted fails the test, naming it."""

    def __init__(self, **answers: Any):
        super().__init__(None)
        self.answers: dict[str, list[Any]] = {}
        for key, value in answers.items():
            self.script(key.replace("_", "-"), *(value if isinstance(value, list) else
                                                 [value]))
        #: (key, title, text, choices) of every question, file dialog and number asked.
        self.asked: list[tuple[str, str, str, Any]] = []
        self.errors: list[tuple[str, str, str]] = []
        self.reports: list[tuple[str, str, str]] = []
        self.dialogs: list[QDialog] = []

    def script(self, key: str, *answers: Any) -> FakePrompts:
        self.answers[key] = list(answers)
        return self

    def questions(self, key: str) -> list[tuple[str, str, str, Any]]:
        return [q for q in self.asked if q[0] == key]

    def texts(self, key: str) -> list[str]:
        return [text for _key, _title, text, _choices in self.questions(key)]

    def _answer(self, key: str, title: str, text: str, choices: Any = None) -> Any:
        self.asked.append((key, title, text, choices))
        if key not in self.answers:
            raise AssertionError(f"unexpected question {key!r}: {title}: {text}")
        answers = self.answers[key]
        return answers.pop(0) if len(answers) > 1 else answers[0]

    # ---- the primitives ---------------------------------------------------------------
    def ask(self, key: str, title: str, text: str, choices: list[tuple[str, str]],
            icon: str = "question") -> str:
        answer = self._answer(key, title, text, choices)
        assert answer in [value for _label, value in choices], (key, answer, choices)
        return answer

    def number(self, key: str, title: str, label: str, value: int, low: int,
               high: int) -> int | None:
        return self._answer(key, title, label, (value, low, high))

    def text(self, key: str, title: str, label: str, value: str = "") -> str | None:
        return self._answer(key, title, label, value)

    def tick(self, key: str, title: str, text: str, options: list[str],
             ticked: list[str]) -> list[str] | None:
        return self._answer(key, title, text, (options, ticked))

    def choose(self, key: str, title: str, text: str,
               options: list[tuple[str, str]]) -> int | None:
        return self._answer(key, title, text, options)

    def error(self, title: str, text: str, details: str = "") -> None:
        self.errors.append((title, text, details))

    def inform(self, title: str, text: str, icon: str = "information") -> None:
        self.reports.append((title, text, icon))

    def open_path(self, key: str, title: str, folder: str, filters: str) -> Path | None:
        return self._answer(key, title, folder, filters)

    def save_path(self, key: str, title: str, suggestion: Path, filters: dict[str, str],
                  strict_suffix: bool = False) -> Path | None:
        return self._answer(key, title, str(suggestion), filters)

    def run(self, make_dialog: Callable[[QWidget | None], QDialog]) -> int:
        """Build the dialog (kept in `dialogs` for the test to drive) without showing it."""
        self.dialogs.append(make_dialog(None))
        return 0
