"""Regenerate the README's screenshots: `python docs/screenshots/take_screenshots.py`.

Runs the app offscreen on the bundled off-ramp tree and grabs the window and panels.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QSettings, QThread  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

HERE = Path(__file__).resolve().parent


def main() -> None:
    QCoreApplication.setOrganizationName("offramp-screenshots")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "/tmp/offramp-shots")
    app = QApplication(sys.argv[:1])
    from offramp_gui.bundled import default_tree
    from offramp_gui.gui.main_window import MainWindow

    window = MainWindow()
    window.resize(1600, 1000)
    window.files.open(default_tree(), ask=False, as_copy=True)
    window.show()
    app.processEvents()
    window.view.fit()
    document = window.document
    document.select("offramp")
    app.processEvents()
    window.grab().save(str(HERE / "main-window.png"))
    sizes = {"properties": (470, 1080), "variables": (470, 760), "outcomes": (1200, 380)}
    for name, (width, height) in sizes.items():
        panel = window.panels[name]
        dock = panel.parentWidget()
        dock.setFloating(True)  # on its own, at a size that shows all of it
        dock.resize(width, height)
        dock.show()
        app.processEvents()
        panel.grab().save(str(HERE / f"{name}-panel.png"))
        dock.setFloating(False)
    editor = window.panels["model"]
    dock = editor.parentWidget()
    dock.setFloating(True)
    dock.resize(470, 900)
    dock.show()
    for tab in ("players", "variables"):
        editor.show_tab(tab)
        app.processEvents()
        editor.grab().save(str(HERE / f"model-editor-{tab}.png"))
    dock.setFloating(False)
    analysis = window.panels["analysis"]
    dock = analysis.parentWidget()
    dock.setFloating(True)
    dock.resize(1400, 460)
    dock.show()
    analysis.show_requirements("offramp_pledges.stall")
    for _ in range(40):  # the tab recomputes after a short pause
        app.processEvents()
        QThread.msleep(10)
    analysis.grab().save(str(HERE / "what-would-it-take.png"))
    dock.setFloating(False)
    from offramp_gui.gui.export import export_tree

    export_tree(document, HERE / "exported-branch.png", node_id="offramp_pledges.rout")
    print("screenshots written to", HERE)


if __name__ == "__main__":
    main()
