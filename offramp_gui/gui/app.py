"""Start the desktop app: `offramp [FILE]`."""
from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import NoReturn

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

from ..bundled import default_tree


def configure_application() -> QApplication:
    """The QApplication with the names QSettings files are kept under."""
    QCoreApplication.setOrganizationName("offramp")
    QCoreApplication.setApplicationName("offramp")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationDisplayName("offramp")
    return app


def run(file: str | None = None) -> NoReturn:
    """`offramp [FILE]`: the app, then the quickest way out."""
    leave(main(file))


def main(file: str | None = None) -> int:
    app = configure_application()
    from .features.recovery import RecoveryManager
    from .icons import app_icon
    from .main_window import MainWindow

    app.setWindowIcon(app_icon())
    window = MainWindow()
    window.show()  # at once: the file is read on a worker, with its progress shown
    path = Path(file) if file else default_tree()
    window.files.open_in_background(path, ask=False, as_copy=file is None)
    recovery = window.features["recovery"]
    assert isinstance(recovery, RecoveryManager)
    # After a crash: the documents it left, one question each (restoring one into this
    # window drops the file being opened).
    recovery.offer_at_start()
    return app.exec()


def leave(status: int) -> NoReturn:
    """End the process, once the windows have closed (their recovery copies removed)
    and the files being saved are written, without freeing the trees, the scenes and
    their millions of objects one by one: that took seconds for a large tree."""
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()  # a save still writing
    QSettings().sync()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, AttributeError):  # a closed pipe, or no stream at all
            pass
    os._exit(status)
