"""The window's features. Each declares what it adds (see ../contributions.py) and is
given only the collaborators its constructor names; `DEFAULT` is the order they are
installed in, which is also the order of their docks in View > Panels.
"""
from __future__ import annotations

from .analysis import AnalysisFeature
from .briefing import BriefingFeature
from .compare import CompareFeature
from .disk_watch import DiskWatch
from .editing import EditingFeature
from .equilibria import EquilibriaFeature
from .explain import ExplainFeature
from .export_image import ExportImageFeature
from .files import FilesFeature
from .help import HelpFeature
from .information_sets import InformationSetsFeature
from .interop import InteropFeature
from .model_editor import ModelEditorFeature
from .panels import PanelsFeature
from .preferences import PreferencesFeature
from .recovery import RecoveryManager
from .scenarios import ScenariosFeature
from .starting_points import StartingPointsFeature
from .templates import TemplatesFeature
from .viewing import ViewingFeature

DEFAULT = (FilesFeature, StartingPointsFeature, InteropFeature, ExportImageFeature,
           BriefingFeature, EditingFeature, TemplatesFeature, InformationSetsFeature,
           PreferencesFeature, ViewingFeature, PanelsFeature, ModelEditorFeature,
           ScenariosFeature, EquilibriaFeature, AnalysisFeature, ExplainFeature, CompareFeature,
           HelpFeature, RecoveryManager, DiskWatch)
