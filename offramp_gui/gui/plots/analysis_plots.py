"""Plots of the analyses, for the app's Analysis dock and the command line alike.

Each `plot_*` builds a plain QWidget (no window needed, a QApplication is);
`save_widget` draws one into PNG or SVG by painting the widget itself into a QImage
or a QSvgGenerator (never pyqtgraph's exporters: its SVG exporter fails on PySide6
6.12, its image exporter needs a widget on screen), then writes the file atomically.
`plot_run` draws a run of any analysis of the catalogue that has a plot.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QPoint, QRect, QRectF, QSize
from PySide6.QtGui import QImage, QPaintDevice, QPainter, QPalette
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication, QWidget

from ...analysis.catalogue import Run
from ...analysis.flatten import FlatTree
from ...analysis.montecarlo import Simulation
from ...analysis.profile import RiskProfile
from ...analysis.sensitivity import OneWay, Spider, Subject, Threshold, Tornado, TwoWay
from ...fileformat.atomic import check_writable, write_atomic
from ..text import xml_document
from .information_plot import InformationPlot
from .profile_plot import RiskProfilePlot
from .simulation_plot import SimulationPlot
from .spider_plot import SpiderPlot
from .sweep_plots import OneWayPlot, TwoWayPlot
from .tornado_plot import ThresholdPlot, TornadoPlot

__all__ = ["PLOTS", "InformationPlot", "OneWayPlot", "RiskProfilePlot", "SimulationPlot",
           "SpiderPlot", "ThresholdPlot", "TornadoPlot", "TwoWayPlot", "plot_information",
           "plot_one_way", "plot_risk_profile", "plot_run", "plot_simulation", "plot_spider",
           "plot_threshold", "plot_tornado", "plot_two_way", "save_widget", "widget_png",
           "widget_svg", "lay_out", "paint_widget"]

IMAGE_FORMATS = (".png", ".svg")


def plot_one_way(flat: FlatTree, topic: Subject, result: OneWay) -> QWidget:
    """A line per alternative against the variable; the best bold, switch points marked."""
    plot = OneWayPlot()
    plot.set_result(flat, topic, result)
    return plot


def plot_two_way(flat: FlatTree, topic: Subject, result: TwoWay) -> QWidget:
    """The best alternative over the grid of two variables, as coloured regions."""
    plot = TwoWayPlot()
    plot.set_result(flat, topic, result)
    return plot


def plot_tornado(flat: FlatTree, topic: Subject, result: Tornado) -> QWidget:
    """A bar per variable from its value at min to its value at max, largest on top."""
    plot = TornadoPlot()
    plot.set_result(flat, topic, result)
    return plot


def plot_spider(flat: FlatTree, topic: Subject, result: Spider) -> QWidget:
    """A line per variable: the base choice's value against its change in % of its range."""
    plot = SpiderPlot()
    plot.set_result(flat, topic, result)
    return plot


def plot_simulation(flat: FlatTree, topic: Subject, result: Simulation, *,
                    outcome_colors: Mapping[str, str] | None = None) -> QWidget:
    """Histograms, chance of being best, and outcome spreads (`outcome_colors`: id -> #rgb)."""
    plot = SimulationPlot()
    plot.set_result(flat, topic, result, outcome_colors)
    return plot


def plot_threshold(flat: FlatTree, result: Threshold) -> QWidget:
    """The variable's range as a band coloured by the branch chosen, thresholds marked."""
    plot = ThresholdPlot()
    plot.set_result(flat, result)
    return plot


def plot_risk_profile(flat: FlatTree, topic: Subject, result: RiskProfile) -> QWidget:
    """Each alternative's chance of each score as bars, its cumulative chances as steps."""
    plot = RiskProfilePlot()
    plot.set_result(flat, topic, result)
    return plot


#: How each analysis of the catalogue that has a plot of its own draws a run.
PLOTS: dict[str, Callable[[Run, Mapping[str, str] | None], QWidget]] = {
    "one-way": lambda run, _colors: plot_one_way(run.flat, run.topic, run.result),
    "two-way": lambda run, _colors: plot_two_way(run.flat, run.topic, run.result),
    "tornado": lambda run, _colors: plot_tornado(run.flat, run.topic, run.result),
    "spider": lambda run, _colors: plot_spider(run.flat, run.topic, run.result),
    "threshold": lambda run, _colors: plot_threshold(run.flat, run.result),
    "monte-carlo": lambda run, colors: plot_simulation(run.flat, run.topic, run.result,
                                                       outcome_colors=colors),
    "value-of-information": lambda run, _colors: plot_information(run),
    "risk-profile": lambda run, _colors: plot_risk_profile(run.flat, run.topic, run.result),
}


def plot_information(run: Run) -> QWidget:
    """The decision's value knowing each outcome or signal, against not knowing."""
    plot = InformationPlot()
    plot.set_result(run.flat, run.topic, run.result)
    return plot


def plot_run(run: Run, outcome_colors: Mapping[str, str] | None = None) -> QWidget:
    """A new plot of an analysis run (`outcome_colors`: outcome id -> #rgb)."""
    return PLOTS[run.kind.name](run, outcome_colors)


# ---- drawing a widget into a file --------------------------------------------------------
def save_widget(widget: QWidget, path: str | os.PathLike, width: int = 900,
                height: int = 600) -> None:
    """Draw `widget` at `width` x `height` into a .png or .svg file (by its extension).

    Raises ValueError for another extension and SaveError for a folder that does not
    exist or cannot be written; nothing is written then.
    """
    kind = check_image_path(path)
    data = widget_png(widget, width, height) if kind == ".png" else \
        widget_svg(widget, width, height)
    write_atomic(path, data, backup=False)


def check_image_path(path: str | os.PathLike) -> str:
    target = Path(path)
    kind = target.suffix.lower()
    if kind not in IMAGE_FORMATS:
        raise ValueError(f"cannot draw a plot into {target.name or target}: the file name"
                         " must end in .png or .svg")
    check_writable(target)
    return kind


def widget_png(widget: QWidget, width: int = 900, height: int = 600, ratio: int = 1) -> bytes:
    """The widget drawn at `width` x `height`, with `ratio` image pixels per pixel (2 for a
    page that a high-density screen shows sharp)."""
    lay_out(widget, width, height)
    image = QImage(QSize(width * ratio, height * ratio), QImage.Format.Format_RGB32)
    image.setDevicePixelRatio(ratio)
    image.fill(widget.palette().color(QPalette.ColorRole.Base))
    _paint(widget, image)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise ValueError("the image could not be encoded as PNG")
    return bytes(buffer.data())


def widget_svg(widget: QWidget, width: int = 900, height: int = 600) -> bytes:
    lay_out(widget, width, height)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(width, height))
    generator.setViewBox(QRect(0, 0, width, height))
    generator.setResolution(96)
    title = getattr(widget, "title", None)
    generator.setTitle(title.text() if hasattr(title, "text") else "")
    generator.setDescription("Drawn by offramp")
    _paint(widget, generator)
    return xml_document(bytes(buffer.data()))


def lay_out(widget: QWidget, width: int, height: int) -> None:
    """Size the widget and let its layouts (Qt's and pyqtgraph's) settle.

    A widget never shown gets its resize events only when first painted, and
    pyqtgraph lays its plots out on the events that follow: so paint once into
    scratch, process events, and only then paint for real.
    """
    widget.resize(width, height)
    widget.ensurePolished()
    if widget.layout() is not None:
        widget.layout().activate()
    _paint(widget, QImage(QSize(width, height), QImage.Format.Format_RGB32))
    for _ in range(2):
        QApplication.processEvents()


def _paint(widget: QWidget, device: QPaintDevice) -> None:
    painter = QPainter(device)
    try:
        _render(widget, painter)
    finally:
        painter.end()


def paint_widget(widget: QWidget, painter: QPainter, target: QRectF) -> None:
    """Draw a widget already laid out (`lay_out`) into `target` with a painter already
    open, scaled to fit: a page of a longer document, as vectors on a PDF."""
    painter.save()
    try:
        painter.translate(target.topLeft())
        painter.scale(target.width() / max(widget.width(), 1),
                      target.height() / max(widget.height(), 1))
        _render(widget, painter)
    finally:
        painter.restore()


def _render(widget: QWidget, painter: QPainter) -> None:
    painter.setRenderHints(QPainter.RenderHint.Antialiasing
                           | QPainter.RenderHint.TextAntialiasing)
    widget.render(painter, QPoint(), renderFlags=QWidget.RenderFlag.DrawChildren
                  | QWidget.RenderFlag.DrawWindowBackground)

