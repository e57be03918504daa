"""View menu: zoom, fit, the overview, folding, reach probabilities and formulas."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence

from ..contributions import CANVAS_MENU, NODE_MENU, TOOLBAR, ActionSpec, Contributions, Place
from ..document import DocumentController
from ..minimap import Overview
from ..number_format import NumberFormatDialog
from ..prompts import Prompts
from ..status import FOLDS, StatusLine
from ..view import TreeView

Key = QKeySequence.StandardKey
ZOOM, FOLD, SHOW = "1_zoom", "2_fold", "3_show"
#: Whether View > Show Formulas is on; off until the user turns it on.
FORMULAS_SETTING = "view/show-formulas"
#: Whether View > Show Certainty Equivalents is on; off until the user turns it on.
CERTAINTY_SETTING = "view/show-certainty"
#: Whether View > Show Overview is on; on until the user turns it off.
OVERVIEW_SETTING = "view/show-overview"


class ViewingFeature:
    name = "viewing"

    def __init__(self, document: DocumentController, canvas: TreeView, prompts: Prompts,
                 status: StatusLine):
        self.document = document
        self.canvas = canvas
        self.prompts = prompts
        self.status = status
        #: What a fold action did, said once the canvas has placed its nodes.
        self._done = ""
        canvas.tree_scene.laid_out.connect(self._say_shown)
        #: Changes to the tree so far: a fold action that made none is said at once.
        self._changes = 0
        document.tree_changed.connect(self._count_change)
        self.overview = Overview(canvas)

    def contributions(self) -> Contributions:
        view = self.canvas
        return Contributions(actions=(
            ActionSpec("zoom-in", "Zoom &In", view.zoom_in, (Place("view", ZOOM, 10),
                                                             Place(TOOLBAR, "4_zoom", 10)),
                       Key.ZoomIn, "zoom-in", "Zoom in"),
            ActionSpec("zoom-out", "Zoom &Out", view.zoom_out, (Place("view", ZOOM, 20),
                                                                Place(TOOLBAR, "4_zoom", 20)),
                       Key.ZoomOut, "zoom-out", "Zoom out"),
            ActionSpec("zoom-fit", "&Fit to Window", view.fit,
                       (Place("view", ZOOM, 30), Place(TOOLBAR, "4_zoom", 30),
                        Place(CANVAS_MENU, "1_view", 10)),
                       "Ctrl+0", "zoom-fit", "Show the whole tree"),
            ActionSpec("zoom-selection", "Zoom to &Selection", view.zoom_to_selection,
                       (Place("view", ZOOM, 35), Place(NODE_MENU, "3_move", 40)),
                       "Ctrl+Alt+0", None,
                       "Show the selected node and its branches as large as they fit",
                       self._has_selection),
            ActionSpec("zoom-reset", "&Actual Size", view.reset_zoom, (Place("view", ZOOM, 40),),
                       "Ctrl+Shift+0", None, "Show the tree at 100%"),
            ActionSpec("show-overview", "Show &Overview", lambda: None,
                       (Place("view", ZOOM, 50),), None, None,
                       "When the tree is larger than the window, show all of it in a corner,"
                       " with the part in view framed: drag the frame to move the view",
                       checkable=True, toggled=self.show_overview,
                       checked=QSettings().value(OVERVIEW_SETTING, True, bool)),
            ActionSpec("toggle-fold", "&Fold or Expand", self.toggle_fold,
                       (Place("view", FOLD, 10), Place(NODE_MENU, "3_move", 30)),
                       "Space", None, "Fold or expand the selected node", self._has_children),
            ActionSpec("expand-all", "E&xpand All", self.keeping_selection(self.expand_all),
                       (Place("view", FOLD, 20), Place(TOOLBAR, "4_zoom", 40),
                        Place(CANVAS_MENU, "1_view", 20)),
                       "Ctrl+Shift+E", "expand-all", "Show every node"),
            ActionSpec("fold-all", "Fold A&ll", self.keeping_selection(self.fold_all),
                       (Place("view", FOLD, 30), Place(TOOLBAR, "4_zoom", 50),
                        Place(CANVAS_MENU, "1_view", 30)),
                       "Ctrl+Shift+F", "fold-all", "Fold the tree down to its root"),
            ActionSpec("fold-below", "Fold &Below Level…", self.keeping_selection(
                           self.fold_below), (Place("view", FOLD, 40),), "Ctrl+Shift+L", None,
                       "Show only the first levels of the tree"),
            ActionSpec("show-reach", "Show &Reach Probabilities", lambda: None,
                       (Place("view", SHOW, 10),), None, None,
                       "Show, under each branch, the chance the solved policy passes it",
                       checkable=True,
                       toggled=lambda on: self.document.set_display(show_reach=on)),
            ActionSpec("show-formulas", "Show &Formulas", lambda: None,
                       (Place("view", SHOW, 20),), None, None,
                       "Show the expression behind each probability and payoff, with its"
                       " value", checkable=True, toggled=self.show_formulas,
                       checked=QSettings().value(FORMULAS_SETTING, False, bool)),
            ActionSpec("show-certainty", "Show &Certainty Equivalents", lambda: None,
                       (Place("view", SHOW, 25),), None, None,
                       "Beside the expected value of a player who is risk-averse or"
                       " risk-seeking, show the certainty equivalent it chooses by",
                       checkable=True, toggled=self.show_certainty,
                       checked=QSettings().value(CERTAINTY_SETTING, False, bool)),
            ActionSpec("number-format", "&Number Format…", self.number_format,
                       (Place("view", SHOW, 30),), None, None,
                       "Decimals, probabilities as percent or decimal, and units; saved"
                       " with the tree"),
        ))

    def number_format(self) -> None:
        self.prompts.run(lambda parent: NumberFormatDialog(self.document, parent))

    def show_formulas(self, on: bool) -> None:
        QSettings().setValue(FORMULAS_SETTING, on)
        self.document.set_display(show_formulas=on)

    def show_certainty(self, on: bool) -> None:
        QSettings().setValue(CERTAINTY_SETTING, on)
        self.document.set_display(show_certainty=on)

    def show_overview(self, on: bool) -> None:
        QSettings().setValue(OVERVIEW_SETTING, on)
        self.overview.set_wanted(on)

    def keeping_selection(self, fold: Callable[[], object]) -> Callable[[], None]:
        """`fold`, keeping the selected node where it is on screen."""
        def run() -> None:
            if self.document.selected_id is not None:
                self.canvas.keep_in_place(self.document.selected_id)
            fold()
        return run

    def toggle_fold(self) -> None:
        node = self.document.selected_node
        if node is not None:
            self.canvas.keep_in_place(node.id)
            self.document.edit.fold(node.id, not node.collapsed)
            self.status.withdraw(FOLDS)

    def expand_all(self) -> None:
        self._fold_and_say("Expanded all", self.document.edit.expand_all)

    def fold_all(self) -> None:
        self._fold_and_say("Folded all", self.document.edit.fold_all)

    def fold_below(self) -> None:
        level = self.prompts.number("fold-below", "Fold below level",
                                    "Show this many levels below the root:", 2, 0, 1000)
        if level is not None:
            self._fold_and_say(f"Folded below level {level}",
                               lambda: self.document.edit.fold_below(level))

    def _fold_and_say(self, done: str, fold: Callable[[], object]) -> None:
        changes, self._done = self._changes, done
        fold()
        if self._changes == changes:  # nothing to place again: the count stands
            self._say_shown()

    def _count_change(self, _change: object) -> None:
        self._changes += 1

    def _say_shown(self) -> None:
        """Say what the folds show now (the message about them when opening is stale)."""
        if self._done:
            shown, total = self.canvas.tree_scene.shown_count(), len(self.document.tree)
            self.status.show(f"{self._done}: {shown:,} of {total:,} nodes shown", 5000)
            self._done = ""

    def _has_selection(self) -> bool:
        return self.document.selected_id is not None

    def _has_children(self) -> bool:
        node = self.document.selected_node
        return bool(node is not None and node.children)
