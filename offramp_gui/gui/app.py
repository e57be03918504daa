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
    from .features.recovery import RecoveryManager
    from .icons import app_icon
    from .main_window import MainWindow

    app.setWindowIcon(app_icon())
    window = MainWindow()
    path = Path(file) if file else default_tree()
    window.files.open(path, ask=False, as_copy=file is None)
    window.show()
    window.view.show_start()  # the shown window has its size now
    recovery = window.features["recovery"]
    assert isinstance(recovery, RecoveryManager)
    recovery.offer_at_start()  # after a crash: the documents it left, one question each
    return app.exec()
