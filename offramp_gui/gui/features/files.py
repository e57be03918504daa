"""File menu: New, Open, Open Recent, Save, Save As, Revert (the file service does the work)."""
from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu

from ..contributions import TOOLBAR, ActionSpec, Contributions, Place, SubmenuSpec
from ..file_service import FileService
from ..text import shown

Key = QKeySequence.StandardKey
OPEN, EXPORT = "1_open", "2_export"


class FilesFeature:
    name = "files"

    def __init__(self, files: FileService):
        self.files = files

    def contributions(self) -> Contributions:
        files = self.files
        return Contributions(actions=(
            ActionSpec("new", "&New", files.new, (Place("file", OPEN, 10),
                                                  Place(TOOLBAR, "1_file", 10)),
                       Key.New, "new", "Start a new tree"),
            ActionSpec("open", "&Open…", files.open_dialog_in_background,
                       (Place("file", OPEN, 20), Place(TOOLBAR, "1_file", 20)),
                       Key.Open, "open", "Open a tree file"),
            ActionSpec("save", "&Save", files.save_in_background, (Place("file", OPEN, 50),
                                                    Place(TOOLBAR, "1_file", 30)),
                       Key.Save, "save", "Save the tree"),
            ActionSpec("save-as", "Save &As…", files.save_as_in_background,
                       (Place("file", OPEN, 60),), Key.SaveAs, None,
                       "Save the tree under another name"),
            ActionSpec("revert", "&Revert", files.revert_in_background,
                       (Place("file", OPEN, 70),), None, None,
                       "Discard the changes since the last save"),
        ), submenus=(
            SubmenuSpec("file/recent", "Open &Recent", (Place("file", OPEN, 30),),
                        self.fill_recent, lambda: bool(files.recent())),
        ))

    def closed(self) -> None:
        """The window is going: a file still being opened is not shown in it (its
        progress would reach a status line that is gone)."""
        self.files.close()

    def may_close(self) -> bool:
        """Closing the window closes the document: save or discard its changes first."""
        return self.files.may_discard()

    def fill_recent(self, menu: QMenu) -> None:
        menu.clear()
        paths = self.files.recent()
        for number, path in enumerate(paths, 1):
            action = menu.addAction(f"&{number} {shown(path.name, 80)}")
            action.setStatusTip(str(path))
            action.triggered.connect(
                lambda _c=False, p=path: self.files.open_in_background(p))
