"""The line a sweep's tab shows on a game with private information: where, over the
range swept, the set of equilibria changes (the sweep itself holds the shown
equilibrium's strategy).

The equilibria are searched across the range on a worker thread, on a copy of the tree
(a game is small; the search takes a second or so), and the line follows when done; a
newer request drops an older one.
"""
from __future__ import annotations

from collections.abc import Callable

from ..analysis.equilibria_sweep import EquilibriumSweep, equilibria_changes
from ..analysis.readable import x_text
from ..analysis.sensitivity import AnalysisError
from ..fileformat.json_io import dumps, loads
from .background_save import WorkerJob
from .document import DocumentController

HELD = "This game is analysed under the shown equilibrium: its strategy is held."


def in_a_line(variable: str, sweep: EquilibriumSweep) -> str:
    if not sweep.switches:
        return f"{HELD} The set of equilibria does not change over this range of {variable}."
    at = ", ".join(x_text(switch.at) for switch in sweep.switches)
    return (f"{HELD} The set of equilibria changes at {variable} = {at} (the Equilibria"
            " panel's Where It Changes tab says how).")


class EquilibriumNote:
    """Asks for the line of one sweep, and gives it to `show` when it is known."""

    def __init__(self, document: DocumentController, show: Callable[[str], None]):
        self.document = document
        self.show = show
        self._asked: tuple | None = None
        self._job: WorkerJob | None = None

    def ask(self, variable: str, low: float, high: float) -> None:
        """The sweep now shown is of `variable` over low..high (nothing to say for a
        tree without information sets)."""
        document = self.document
        if document.equilibria is None or not document.equilibria.information_sets:
            self._asked = None
            self.show("")
            return
        asked = (id(document.results), variable, low, high)
        if asked == self._asked:
            return
        self._asked = asked
        if self._job is not None:
            self._job.cancel()
        copy = loads(dumps(document.tree)).tree  # (the tree may change while it runs)
        if copy is None:  # (only a file the reader refuses has none; a shown tree is not one)
            self.show(HELD)
            return
        self.show(f"{HELD} Searching where the set of equilibria changes over {variable}…")
        job: WorkerJob[str] = WorkerJob(
            lambda: in_a_line(variable, equilibria_changes(copy, variable, low, high)),
            "equilibria across a range", daemon=True)
        job.finished.connect(lambda: self._done(job, asked))
        self._job = job
        job.start()

    def _done(self, job: WorkerJob, asked: tuple) -> None:
        if job is not self._job or asked != self._asked:
            return  # (a newer request has been made)
        self._job = None
        if isinstance(job.error, AnalysisError):
            self.show(f"{HELD} {job.error}.")
        elif job.error is None and job.result is not None:
            self.show(job.result)
