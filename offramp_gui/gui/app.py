"""Start the desktop app: `offramp [FILE]`."""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
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


def main(file: str | None = None) -> int:
    app = configure_application()
    from .icons import app_icon
    from .main_window import MainWindow

    app.setWindowIcon(app_icon())
    window = MainWindow()
    install_safety(window)
    path = Path(file) if file else default_tree()
    window.files.open(path, ask=False, as_copy=file is None)
    window.show()
    window.view.fit()
    from .recovery import offer_at_start

    offer_at_start(window)  # after a crash: the documents it left, one question each
    return app.exec()


def install_safety(window) -> None:  # noqa: ANN001 - a MainWindow
    """Autosave, crash recovery and the changed-on-disk watch (each installed once)."""
    from . import disk_watch, recovery

    recovery.install(window)
    disk_watch.install(window)
