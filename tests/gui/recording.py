"""Prompts that record what the app asked and answer as the test says (no dialog opens)."""
from __future__ import annotations

from pathlib import Path


class RecordingPrompts:
    """Stands in for files.Prompts: every question is recorded; answers come from lists.

    An answer list that runs out repeats its last answer.
    """

    def __init__(self, save_changes: str = "discard", recover: list[str] | None = None,
                 file_changed: str = "reload", overwrite: bool = True,
                 open_path: Path | None = None, save_path: Path | None = None):
        self.asked: list[tuple] = []
        self.errors: list[tuple[str, str, str]] = []
        self.answers = {"save_changes": [save_changes], "recover": recover or ["later"],
                        "file_changed": [file_changed], "overwrite_changed": [overwrite]}
        self._open_path, self._save_path = open_path, save_path

    def _answer(self, question: str, *details: object):
        self.asked.append((question, *details))
        answers = self.answers[question]
        return answers.pop(0) if len(answers) > 1 else answers[0]

    def questions(self, name: str) -> list[tuple]:
        return [q for q in self.asked if q[0] == name]

    def save_changes(self, name: str) -> str:
        return self._answer("save_changes", name)

    def recover(self, name: str, when: str, problem: str = "") -> str:
        return self._answer("recover", name, when, problem)

    def file_changed(self, name: str, modified: bool) -> str:
        return self._answer("file_changed", name, modified)

    def overwrite_changed(self, name: str) -> bool:
        return self._answer("overwrite_changed", name)

    def error(self, title: str, text: str, details: str = "") -> None:
        self.errors.append((title, text, details))

    def open_path(self, folder: str) -> Path | None:
        return self._open_path

    def save_path(self, suggestion: str) -> Path | None:
        return self._save_path
