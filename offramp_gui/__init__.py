"""offramp: a decision-tree explorer for choices under escalation risk.

The Python API, for scripts and notebooks (docs/python-api.md)::

    from offramp_gui import load, evaluate, convert
    tree = load("trees/offramp.json")
    results = evaluate(tree)

Every name is imported on first use (PEP 562), so `import offramp_gui` stays light
and never imports Qt.
"""
from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: Public name -> the module that defines it.
_LAZY = {
    "load": "offramp_gui.api",
    "load_text": "offramp_gui.api",
    "save": "offramp_gui.api",
    "check": "offramp_gui.api",
    "evaluate": "offramp_gui.api",
    "analyse": "offramp_gui.api",
    "TreeFormatError": "offramp_gui.api",
    "evaluation_document": "offramp_gui.analysis.report",
    "flatten": "offramp_gui.analysis.flatten",
    "subject": "offramp_gui.analysis.sensitivity",
    "variable_range": "offramp_gui.analysis.sensitivity",
    "one_way": "offramp_gui.analysis.sensitivity",
    "two_way": "offramp_gui.analysis.sensitivity",
    "tornado": "offramp_gui.analysis.sensitivity",
    "spider": "offramp_gui.analysis.sensitivity",
    "threshold": "offramp_gui.analysis.sensitivity",
    "requirements": "offramp_gui.analysis.sensitivity",
    "AnalysisError": "offramp_gui.analysis.sensitivity",
    "simulate": "offramp_gui.analysis.montecarlo",
    "OneWayParameters": "offramp_gui.analysis.catalogue",
    "TwoWayParameters": "offramp_gui.analysis.catalogue",
    "TornadoParameters": "offramp_gui.analysis.catalogue",
    "SpiderParameters": "offramp_gui.analysis.catalogue",
    "ThresholdParameters": "offramp_gui.analysis.catalogue",
    "RequirementsParameters": "offramp_gui.analysis.catalogue",
    "MonteCarloParameters": "offramp_gui.analysis.catalogue",
    "InformationParameters": "offramp_gui.analysis.catalogue",
    "ProfileParameters": "offramp_gui.analysis.catalogue",
    "risk_profile": "offramp_gui.analysis.profile",
    "explain": "offramp_gui.analysis.explain",
    "choice_shares": "offramp_gui.analysis.explain",
    "convert": "offramp_gui.interop",
    "read": "offramp_gui.interop",
    "write": "offramp_gui.interop",
    "ConversionError": "offramp_gui.interop",
    "to_networkx": "offramp_gui.interop.graph",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'offramp_gui' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
