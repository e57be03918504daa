"""DocumentController: one open tree, its undo stack, its file, and live results.

Panels and the scene never change the model themselves: they call the controller,
which pushes an undo command. The model's change events then flow one way: tree
changed -> one recompute per burst (a zero-delay timer) -> results_ready -> views.
The recompute hands the burst's changes to the document's live evaluation, which
re-solves only what an edit touches (a structural edit patches its arrays); anything
else (a formula typed in) is a full evaluation.
"""
from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..analysis.catalogue import Run
from ..analysis.equilibria import EquilibriumSearch
from ..analysis.evaluate import Results
from ..analysis.flatten import FlatTree
from ..analysis.live import LiveEvaluation
from ..api import check
from ..fileformat.atomic import remove_stale_temporaries
from ..fileformat.json_io import file_digest, read_file, snapshot
from ..model import collector
from ..model.events import TreeChange
from ..model.issues import Issue, TreeFormatError, refusals
from ..model.layout import fold_to_fit
from ..model.tree import CHANCE, TERMINAL, Node, Tree
from .background_save import Cancelled, SaveJob, WorkerJob
from .edits import Edits
from .scenario_edits import ScenarioEdits

#: Seconds without a change after which scrubbing starts a new undo step.
GESTURE_PAUSE = 1.5
#: Node fields that say how the tree is shown, not what it says: saved with the file,
#: but changed without an undo step and without making the document modified.
VIEW_FIELDS = frozenset({"collapsed"})
#: A tree opened without folds of its own shows at most this many nodes at first: more
#: do not fit on a screen, and would only make the window slow to show them.
FITS_ON_SCREEN = 2500
#: Nodes freed at once when a large tree is closed (a few milliseconds' work).
DROPPED_AT_ONCE = 5000
#: A tree read with at least this many nodes is left out of the cycle collector's scans
#: (`collector.keep_out`): a collection of everything would take a tenth of a second
#: and more, on any thread, the window stopped.
KEPT_OUT_FROM = 50_000


def is_view_change(change: TreeChange) -> bool:
    """True for a change of view state alone (folding), which is not an edit."""
    return not change.structural and bool(change.fields) and change.fields <= VIEW_FIELDS


def new_tree() -> Tree:
    """The tree of File > New: one decision between two alternatives."""
    root = Node("decision", "decision", name="Decision", children=[
        Node("option-a", TERMINAL, branch="Option A", payoff=0),
        Node("option-b", CHANCE, branch="Option B", children=[
            Node("good", TERMINAL, branch="Goes well", probability=0.5, payoff=10),
            Node("bad", TERMINAL, branch="Goes badly", probability="#", payoff=-10)])])
    return Tree(root, "Untitled tree")


@dataclass
class Opened:
    """A file read, checked and evaluated on a worker thread, ready to be shown."""

    tree: Tree
    #: The problems it opens with, each one the user can fix here.
    issues: list[Issue]
    digest: str | None
    live: LiveEvaluation
    #: Folded to fit the screen: how many levels below the root show, and how many nodes.
    folded: tuple[int, int] | None
    #: What the views asked the worker to make of the tree (`prepare_opened`), by name.
    prepared: dict[str, object] = field(default_factory=dict)


class OpenJob(WorkerJob[Opened]):
    """One file opened on a worker: `result`, or `error` (a TreeFormatError when it
    cannot be read as a tree, `Cancelled` when cancelled), is set when `finished` comes."""

    def __init__(self, path: Path, revision: int,
                 prepare: dict[str, Callable[[Tree], object]] | None = None):
        # A daemon: reading writes nothing that quitting should wait for.
        super().__init__(lambda: read_checked(path, self.report, prepare), "offramp-open",
                         daemon=True)
        self.path = path
        #: The document's revision when the file was asked for: an edit made while it
        #: was read is not lost without asking.
        self.revision = revision
        #: Set by whoever shows the outcome: the tree is now the document's.
        self.shown = False


def read_checked(path: Path, report: Callable[[float], None],
                 prepare: dict[str, Callable[[Tree], object]] | None = None) -> Opened:
    """Read, check and evaluate a tree file (on a worker), folded to fit the screen if
    it has no folds of its own; raise TreeFormatError if it cannot be read as a tree.
    `report` is told how much is done, and may raise to stop; `prepare` is run on the
    tree as it will show."""
    with collector.paused():  # else it would stop every thread each time the tree grew
        remove_stale_temporaries(path)
        loaded = read_file(path, lambda done: report(0.7 * done))
        if refusals(loaded.issues) or loaded.tree is None:
            raise TreeFormatError(check(loaded, str(path)), str(path))
        # Flattened and evaluated once: the check takes its problems from the document's
        # live evaluation.
        live = LiveEvaluation(loaded.tree)
        report(0.9)
        issues = check(loaded, str(path), live.results())
        if refusals(issues):
            raise TreeFormatError(issues, str(path))
        # The id index the views look nodes up in, made here: on the window's thread it
        # was the longest stall after opening (half a second at a million nodes).
        _ = live.flat.index
        tree, digest = loaded.tree, loaded.digest
        del loaded  # its text: no longer needed
        folded = fold_to_fit_screen(tree)
        prepared = {name: make(tree) for name, make in (prepare or {}).items()}
        report(1.0)
    if len(tree) >= KEPT_OUT_FROM:
        collector.keep_out()
    return Opened(tree, issues, digest, live, folded, prepared)


def drop_in_pieces(holder: list[Tree]) -> None:
    """Free the tree in `holder` a few thousand nodes at a time (each node then frees
    only itself): freeing it at once would hold the interpreter, and stop the window,
    for as long as a million nodes take."""
    nodes = list(holder.pop().root.walk())  # parents before their children
    nodes.reverse()
    while nodes:
        del nodes[-DROPPED_AT_ONCE:]
        time.sleep(0)  # the window's turn


def fold_to_fit_screen(tree: Tree, most: int = FITS_ON_SCREEN) -> tuple[int, int] | None:
    """Fold a tree that has no folds of its own below the deepest level at which no more
    than `most` nodes show, as view state. Returns how many levels below the root show
    and how many nodes, or None when it is left as it is."""
    if any(node.collapsed for node in tree.root.walk()):
        return None  # the user's folds win
    return fold_to_fit(tree.root, most)


class DocumentController(QObject):
    #: The model changed (a command's redo or undo); carries the TreeChange.
    tree_changed = Signal(object)
    #: A different tree was loaded or created: views rebuild from scratch.
    document_reset = Signal()
    #: New results for the current tree; carries analysis.evaluate.Results.
    results_ready = Signal(object)
    #: The selected node changed; carries its id or None.
    selection_changed = Signal(object)
    #: The file path changed (open, save as); carries a Path or None.
    path_changed = Signal(object)
    #: The player or criterion whose values are shown changed, or "show reach", "show
    #: formulas" or "show certainty equivalents".
    display_changed = Signal()
    #: A Monte Carlo run of the Analysis dock finished (or was forgotten): `simulation`.
    simulation_changed = Signal()

    def __init__(self, tree: Tree | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.edit = Edits(self)
        #: What-if values and named scenarios (gui/scenario_edits.py).
        self.scenario_edit = ScenarioEdits(self)
        self.tree: Tree = tree or new_tree()
        self.path: Path | None = None
        #: What Save As proposes for an untitled document (one restored after a crash).
        self.suggested_path: Path | None = None
        #: Fingerprint of the file's bytes when last loaded or saved (None: not known).
        self.disk_digest: str | None = None
        self.results: Results | None = None
        self.selected_id: str | None = None
        #: Every selected node, the selected one last: Shift- or Ctrl-click adds nodes
        #: (Join Information Set acts on them all; everything else on `selected_id`).
        self.selected_ids: tuple[str, ...] = ()
        self.shown_player = 0
        self.shown_criterion: int | None = None  # None: show the player's utility
        self.show_reach = False
        #: Probabilities and payoffs that are expressions shown with them (`p = 30%`).
        self.show_formulas = False
        #: A risk-averse or risk-seeking player's certainty equivalent shown beside its
        #: expected value (View > Show Certainty Equivalents).
        self.show_certainty = False
        #: The last Monte Carlo run of the Analysis dock (a catalogue `Run`, on the
        #: snapshot it drew from), for the panels that say how often a choice holds.
        self.simulation: Run | None = None
        self._gesture = 0
        self._last_merge = 0.0
        #: Counts the model's changes: a save knows whether its snapshot is still current.
        self._revision = 0
        #: The changes made since the last recompute, for the live evaluation to take.
        self._pending: list[TreeChange] = []
        #: The live evaluation an edit left out of date, if any: recompute replaces it.
        self._stale: LiveEvaluation | None = None
        self._opening: OpenJob | None = None
        #: Work the views would do on a tree as it is shown, done instead by the worker
        #: that opens it (the canvas flattens a million nodes in seconds); while
        #: `document_reset` is handled, `prepared` holds what it made of the new tree.
        self.prepare_opened: dict[str, Callable[[Tree], object]] = {}
        self.prepared: dict[str, object] = {}
        self._recompute_timer = QTimer(self)
        self._recompute_timer.setSingleShot(True)
        self._recompute_timer.setInterval(0)
        self._recompute_timer.timeout.connect(self.recompute)
        self._attach(self.tree)

    # ---- the document ---------------------------------------------------------------
    def _attach(self, tree: Tree, live: LiveEvaluation | None = None) -> None:
        self.tree = tree
        #: Which document this is (New, Open and Revert make another): a save started
        #: before one of them does not touch the next.
        self._identity = object()
        tree.notifier.require_batch = True
        tree.notifier.subscribe(self._on_tree_change)
        # The live evaluation of this tree: its first results are a full evaluation
        # (made on the worker that read the file, when it was opened).
        self._pending = []
        self.live = live if live is not None else LiveEvaluation(tree)
        #: Which equilibrium of a tree with information sets is shown (view state).
        self.equilibrium = 0
        self.results = self.live.results()

    def replace_tree(self, tree: Tree, path: Path | None, digest: str | None = None,
                     suggestion: Path | None = None, live: LiveEvaluation | None = None,
                     prepared: dict[str, object] | None = None) -> None:
        """Show another document (New, Open, Revert): clears undo history, and ends a
        file still being opened (the newer choice wins).

        `digest` fingerprints the file's bytes as read, to notice later changes on disk.
        `suggestion` is what Save As proposes while there is no path. `live` is the
        tree's evaluation, when already made; `prepared`, what `prepare_opened` made.
        """
        opening, self._opening = self._opening, None
        if opening is not None:
            opening.cancel()
        old = self.tree
        self.tree.notifier.unsubscribe(self._on_tree_change)
        self.undo_stack.clear()
        self.selected_id, self.selected_ids = None, ()
        self.shown_player, self.shown_criterion = 0, None
        self.simulation = None
        # Absolute: a relative path would name another file once the working folder changes.
        self.path = Path(os.path.abspath(path)) if path is not None else None
        self.suggested_path = suggestion
        self.disk_digest = digest if path is not None else None
        self._attach(tree, live)
        self.undo_stack.setClean()
        self.prepared = prepared or {}
        try:
            self.document_reset.emit()
        finally:
            self.prepared = {}  # (the views have taken what they use)
        self.results_ready.emit(self.results)
        self.path_changed.emit(self.path)
        self.selection_changed.emit(None)
        if len(old) > DROPPED_AT_ONCE:
            # The views have let go of it: freed on a worker, in pieces.
            threading.Thread(target=drop_in_pieces, args=([old],), name="offramp-drop",
                             daemon=True).start()

    def open(self, path: Path) -> list[Issue]:
        """Load a file and return the problems it opened with, each one the user can fix
        here; raise TreeFormatError (with every problem) if it cannot be read as a tree."""
        job = self.start_open(path)
        job.wait()
        return self.take_opened(job).issues

    @property
    def opening(self) -> OpenJob | None:
        """The file being read to replace this document, if any."""
        return self._opening

    @property
    def revision(self) -> int:
        """Counts the model's changes (edits, undo and redo; not folds)."""
        return self._revision

    def start_open(self, path: Path) -> OpenJob:
        """Start reading `path` on a worker thread (a file being read already is
        dropped); take the outcome with `take_opened` when the job's `finished` comes."""
        if self._opening is not None:
            self._opening.cancel()
        job = self._opening = OpenJob(path, self._revision, dict(self.prepare_opened))
        job.start()
        return job

    def take_opened(self, job: OpenJob, as_copy: bool = False) -> Opened:
        """Show the tree `job` read (untitled `as_copy`); raise what it raised: a
        TreeFormatError (with every problem) if the file cannot be read as a tree,
        `Cancelled` if it was cancelled or another tree came first."""
        if self._opening is job:
            self._opening = None
        if job.error is not None:
            raise job.error
        opened = job.result
        if opened is None:
            raise Cancelled()
        path = None if as_copy else job.path
        self.replace_tree(opened.tree, path, opened.digest, live=opened.live,
                          prepared=opened.prepared)
        job.result = None  # the document holds the tree now
        return opened

    def current_issues(self) -> list[Issue]:
        """The problems of the tree as it is now, an edit just made included."""
        if self._recompute_timer.isActive():
            self.recompute()
        return list(self.results.issues) if self.results is not None else []

    def start_save(self, path: Path | None = None) -> SaveJob:
        """Start writing the tree to `path` (default: its file) on a worker thread; take
        the result with `saved` when the job's `finished` comes."""
        target = path or self.path
        if target is None:
            raise ValueError("no file name")
        job = SaveJob(snapshot(self.tree), target, self._revision, self._identity)
        job.start()
        return job

    def saved(self, job: SaveJob) -> None:
        """The file now holds the job's snapshot: the document is clean if it is still
        what was saved; edited meanwhile, it stays modified (the file holds the state
        before those edits)."""
        if job.error is not None or job.owner is not self._identity:
            return  # not saved, or another document was opened since
        self.disk_digest = job.digest
        if job.revision == self._revision:
            self.undo_stack.setClean()
        else:
            self.undo_stack.resetClean()
        if job.path != self.path:
            self.path = job.path
            self.path_changed.emit(job.path)

    def changed_on_disk(self, path: Path | None = None) -> bool:
        """True when the file at `path` (default: ours) is not what we last read or wrote.

        Another file (Save As over something else) and a file that is gone are not
        "changed": writing them loses nothing we have seen.
        """
        target = path or self.path
        if target is None or target != self.path:
            return False
        now = file_digest(target)
        return now is not None and now != self.disk_digest

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    def mark_modified(self) -> None:
        """Count the document as unsaved until the next save (restored, or kept over disk)."""
        self.undo_stack.resetClean()

    # ---- changes and results --------------------------------------------------------
    def push(self, command: QUndoCommand) -> None:
        """Run a command through the undo stack: the only way the model changes."""
        self.undo_stack.push(command)

    def set_folds(self, folds: dict[str, bool]) -> None:
        """Fold (True) or expand nodes: view state, so no undo step, nothing to recompute
        and the document no more modified than it was; the next save writes it."""
        with self.tree.batch():
            self.tree.set_folds(folds)

    def current_shape(self) -> FlatTree | None:
        """The live evaluation's snapshot when it holds the tree's nodes as they are now
        (no edit waits for it), else None."""
        if self._pending or self._stale is self.live:
            return None
        return self.live.flat

    def _on_tree_change(self, change: TreeChange) -> None:
        if is_view_change(change):
            self.tree_changed.emit(change)  # for the scene's layout
            return
        if self.selected_id is not None and self.selected_id not in self.tree:
            renamed = "id" in change.fields and len(change.node_ids) == 2
            fallback = next(iter(change.node_ids - {self.selected_id}), None)
            self.selected_id = fallback if renamed or fallback in self.tree else None
            self.selected_ids = (self.selected_id,) if self.selected_id else ()
            self.selection_changed.emit(self.selected_id)
        elif any(node_id not in self.tree for node_id in self.selected_ids):
            self.selected_ids = tuple(i for i in self.selected_ids if i in self.tree)
            self.selection_changed.emit(self.selected_id)
        self._revision += 1
        self._pending.append(change)
        if change.structural:
            # Patched from the tree as this change left it (the undo of a macro makes
            # several changes in a row, each from the tree as the one before left it).
            self._take_pending()
        self.tree_changed.emit(change)
        self._recompute_timer.start()

    def _take_pending(self) -> None:
        """Hand the pending changes to the live evaluation; one it cannot take leaves it
        stale until the next recompute evaluates the tree again (once per burst)."""
        pending, self._pending = self._pending, []
        if self._stale is not self.live and not all(
                self.live.apply(self.tree, change) for change in pending):
            self._stale = self.live

    def recompute(self) -> None:
        """Bring the results up to date now; views update on `results_ready`."""
        self._recompute_timer.stop()
        self._take_pending()
        if self._stale is self.live:
            self.live = LiveEvaluation(self.tree)  # the full evaluation
            self.live.choose(self.equilibrium)
        self.results = self.live.results()
        self.results_ready.emit(self.results)

    def simulated(self, run: Run | None) -> None:
        """The Analysis dock's Monte Carlo has a new run (None: none to speak of)."""
        self.simulation = run
        self.simulation_changed.emit()

    # ---- equilibria of a tree with information sets ----------------------------------
    @property
    def equilibria(self) -> EquilibriumSearch | None:
        """The equilibria of a tree with information sets; None for a tree without."""
        return self.live.search

    def choose_equilibrium(self, index: int) -> None:
        """Show another equilibrium: the canvas, panels and analyses follow it."""
        if self._pending or self._stale is self.live or self._recompute_timer.isActive():
            self.recompute()  # (an edit waiting is shown first)
        if self.live.search is None or index == self.equilibrium:
            return
        self.equilibrium = index
        self.live.choose(index)
        self.results = self.live.results()
        self.results_ready.emit(self.results)

    def beliefs(self) -> Mapping[str, float]:
        """Node id -> the chance its player gives it, at the nodes of information sets
        the shown equilibrium reaches (Bayes' rule)."""
        search, shown = self.live.search, self.results.equilibrium
        if search is None or shown is None or shown.index < 0:
            return {}
        return search.equilibria[shown.index].beliefs
    # ---- gestures: what merges into one undo step -------------------------------------
    def gesture(self) -> int:
        """The current gesture's number: scrubbing edits merge only within one gesture.

        A gesture ends when a slider is released or a field's editing finishes, or
        after a pause: two separate drags are two undo steps.
        """
        now = time.monotonic()
        if now - self._last_merge > GESTURE_PAUSE:
            self._gesture += 1
        self._last_merge = now
        return self._gesture

    def end_gesture(self) -> None:
        self._gesture += 1

    # ---- selection and display ------------------------------------------------------
    def select(self, node_id: str | None) -> None:
        if node_id is not None and node_id not in self.tree:
            node_id = None
        if node_id != self.selected_id or len(self.selected_ids) > 1:
            self.end_gesture()
            self.selected_id = node_id
            self.selected_ids = (node_id,) if node_id is not None else ()
            self.selection_changed.emit(node_id)

    def select_also(self, node_id: str) -> None:
        """Add a node to the selection, or take it out if it is in it (Shift- or
        Ctrl-click); the node added becomes the selected one."""
        if node_id not in self.tree:
            return
        self.end_gesture()
        if node_id in self.selected_ids:
            self.selected_ids = tuple(i for i in self.selected_ids if i != node_id)
        else:
            self.selected_ids = (*self.selected_ids, node_id)
        self.selected_id = self.selected_ids[-1] if self.selected_ids else None
        self.selection_changed.emit(self.selected_id)

    def select_many(self, node_ids: list[str]) -> None:
        """Select these nodes (the last one the selected node)."""
        kept = tuple(dict.fromkeys(i for i in node_ids if i in self.tree))
        self.end_gesture()
        self.selected_id, self.selected_ids = (kept[-1] if kept else None), kept
        self.selection_changed.emit(self.selected_id)

    @property
    def selected_node(self) -> Node | None:
        return self.tree.node(self.selected_id) if self.selected_id else None

    def set_display(self, player: int | None = None, criterion: int | None = -1,
                    show_reach: bool | None = None, show_formulas: bool | None = None,
                    show_certainty: bool | None = None) -> None:
        """Choose whose values the tree shows: a player's utility, or one criterion."""
        if player is not None:
            self.shown_player = player
        if criterion != -1:
            self.shown_criterion = criterion
        if show_reach is not None:
            self.show_reach = show_reach
        if show_formulas is not None:
            self.show_formulas = show_formulas
        if show_certainty is not None:
            self.show_certainty = show_certainty
        self.display_changed.emit()
