"""Plots of the engine's results (pyqtgraph): items made once, refreshed with setData."""
