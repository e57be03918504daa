"""The catalogue of analyses: one entry per kind, read by every caller.

Each entry (an `AnalysisKind`) holds its parameters (a frozen dataclass that refuses,
in one line, what cannot be analysed), its compute function, its one table of rows
(the only CSV layout: `offramp ... -o x.csv` and the app's "Export data…" write the
same bytes), its JSON form (`--json`) and its readable text (what the command line
prints). The command line, the Python API (`offramp_gui.analyse`) and the app's
Analysis dock all go through `kind.run(flat, parameters)`, which gives a `Run`.

To add an analysis, write four things:

1. its compute function, in `analysis/` (as `sensitivity.one_way` is): a FlatTree and
   plain values in, a frozen result out;
2. its entry: a module here with its parameters (a frozen dataclass deriving from
   `Decision` or `Given` whose `__post_init__` refuses mistakes with `check`),
   `compute`, `table`, `document` and `text`, ending in an `AnalysisKind(...)` that
   joins `KINDS` below (then say what to ask of it in `ASKED` of
   tests/analysis/test_catalogue.py, which runs it on every bundled tree);
3. its plot: a `PlotFrame` in `gui/plots/` and its line in `analysis_plots.PLOTS`,
   which "Export plot…" and the command line's -o x.png draw with;
4. its controls: an `AnalysisTab` in `gui/` whose `kind` is the entry and whose
   `parameters(flat)` reads the widgets, added to the tabs of `AnalysisPanel`.

A command for it is one more small module in `cli/` that turns options into the
same parameters (as `cli/tornado.py` does) and is named in `cli/__init__.py`.
"""
from __future__ import annotations

from .kind import AnalysisKind, Run, Table
from .monte_carlo import MONTE_CARLO, MonteCarloParameters
from .one_way import ONE_WAY, OneWayParameters
from .risk_profile import RISK_PROFILE, ProfileParameters
from .spider import SPIDER, SpiderParameters
from .threshold import THRESHOLD, ThresholdParameters
from .tornado import TORNADO, TornadoParameters
from .two_way import TWO_WAY, TwoWayParameters
from .value_of_information import VALUE_OF_INFORMATION, InformationParameters
from .what_would_it_take import WHAT_WOULD_IT_TAKE, RequirementsParameters

__all__ = ["KINDS", "AnalysisKind", "InformationParameters", "MonteCarloParameters",
           "OneWayParameters", "ProfileParameters", "RequirementsParameters", "Run",
           "SpiderParameters", "Table", "ThresholdParameters", "TornadoParameters",
           "TwoWayParameters", "kind_of"]

#: Every analysis, by name, in the order the app shows them.
KINDS: dict[str, AnalysisKind] = {kind.name: kind for kind in (
    ONE_WAY, TWO_WAY, TORNADO, SPIDER, MONTE_CARLO, WHAT_WOULD_IT_TAKE, THRESHOLD,
    VALUE_OF_INFORMATION, RISK_PROFILE)}


def kind_of(parameters: object) -> AnalysisKind:
    """The analysis that takes these parameters."""
    for kind in KINDS.values():
        if isinstance(parameters, kind.parameters):
            return kind
    raise TypeError(f"{type(parameters).__name__} are not the parameters of an analysis")
