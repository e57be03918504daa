"""Check the JSON shape of a tree document and build the model from it.

Only what the model cannot represent is checked here: unknown keys, wrong JSON types,
non-finite numbers, duplicate keys. Rules about the tree itself (references, children,
probabilities) live in `model.validate`, so the editor can check a tree being edited.
Every problem is collected; the model is built as far as it can be.
"""
from __future__ import annotations

import difflib
import math
import sys
from typing import Any, TypeGuard

from ..model.fields import FIELDS, NODE_TYPES
from ..model.issues import NEWER_VERSION, OVER_LIMIT, Issue, key_path, quote_text, spell_path
from ..model.limits import (
    MAX_CHILDREN,
    MAX_CRITERIA,
    MAX_NODES,
    MAX_OUTCOMES,
    MAX_PLAYERS,
    MAX_SCENARIOS,
    MAX_VARIABLES,
)
from ..model.scenarios import Scenario, Values
from ..model.templates import TAKEN_FIELDS
from ..model.tree import Criterion, Node, Outcome, Player, Settings, Tree, Utility, Variable

FORMAT = "offramp-tree"
CURRENT_VERSION = 1

TOP_KEYS = ("format", "version", "title", "description", "sources", "criteria", "players",
            "variables", "outcomes", "display", "scenarios", "what_if", "root")
NODE_KEYS = tuple(field.name for field in FIELDS)
SCENARIO_KEYS = ("name", "note", "variables", "weights")
WHAT_IF_KEYS = ("variables", "weights")
SOURCE_KEYS = ("title", "author", "publisher", "year", "url")
CRITERION_KEYS = ("id", "name", "unit", "description")
PLAYER_KEYS = ("id", "name", "weights", "utility")
UTILITY_KEYS = ("kind", "risk_tolerance", "points")
#: How many points a piecewise utility may have.
MAX_UTILITY_POINTS = 1000
VARIABLE_KEYS = ("name", "value", "min", "max", "description", "source", "distribution")
OUTCOME_KEYS = ("id", "name", "color", "description")
DISPLAY_KEYS = ("decimals", "probabilities", "units")
#: How many decimals "display" may ask for.
MAX_DECIMALS = 6
PROBABILITY_STYLES = ("percent", "decimal")
DISTRIBUTION_PARAMETERS = {
    "uniform": ("low", "high"), "triangular": ("low", "mode", "high"),
    "beta": ("alpha", "beta"), "normal": ("mean", "sd"), "lognormal": ("mu", "sigma"),
    "discrete": ("values", "weights"),
}
#: The lists of the document that have a limit (model/limits.py).
LIST_LIMITS = {"criteria": MAX_CRITERIA, "players": MAX_PLAYERS, "variables": MAX_VARIABLES,
               "outcomes": MAX_OUTCOMES, "scenarios": MAX_SCENARIOS}


def too_many_nodes(count: int) -> str:
    return f"the tree has {count:,} nodes; offramp takes at most {MAX_NODES:,}"


class DuplicateKeyDict(dict):
    """A JSON object in which some key appeared more than once."""

    duplicates: list[str]


class BadConstant:
    """Stands in for NaN / Infinity literals, which JSON does not allow."""

    def __init__(self, text: str):
        self.text = text


def is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


#: JSON integers have no limit; past this one they do not fit in a float.
_FLOAT_LIMIT = int(sys.float_info.max)


def is_finite(value: int | float) -> bool:
    """A number the engine can compute with (an integer of 400 digits is not)."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


class _Checker:
    def __init__(self) -> None:
        self.issues: list[Issue] = []

    def problem(self, path: str, message: str, node_id: str | None = None,
                field: str | None = None, code: str | None = None) -> None:
        self.issues.append(Issue(message, path, node_id, field, code=code))

    def keys(self, obj: dict, allowed: tuple[str, ...], path: str,
             node_id: str | None = None) -> dict[str, Any]:
        """Report unknown and repeated keys; return the `x-` keys."""
        extras = {}
        for key in obj:
            if key.startswith("x-"):
                extras[key] = obj[key]
                self.verbatim(obj[key], key_path(path, key), node_id)
            elif key not in allowed:
                # difflib is quadratic-ish in the key's length: a huge key gets no hint.
                hint = difflib.get_close_matches(key, allowed, n=1, cutoff=0.7) if len(
                    key) <= 100 else []
                tip = f'; did you mean "{hint[0]}"?' if hint else ""
                self.problem(key_path(path, key), f'unknown key "{quote_text(key)}"{tip}',
                             node_id, key)
        for key in getattr(obj, "duplicates", ()):
            self.problem(key_path(path, key), f'the key "{quote_text(key)}" appears more'
                         " than once", node_id, key)
        return extras

    def verbatim(self, value: Any, path: str, node_id: str | None) -> None:
        """An `x-` value is written back as it was read: no repeated keys, no NaN or inf."""
        stack = [(value, path)]
        while stack:
            item, where = stack.pop()
            if isinstance(item, dict):
                for key in getattr(item, "duplicates", ()):
                    self.problem(key_path(where, key), f'the key "{quote_text(key)}" appears'
                                 " more than once", node_id)
                stack.extend((v, key_path(where, k)) for k, v in item.items())
            elif isinstance(item, list):
                stack.extend((v, f"{where}[{i}]") for i, v in enumerate(item))
            elif isinstance(item, (BadConstant, float)):
                self.number(item, where, "this number", node_id)

    def number(self, value: Any, path: str, what: str, node_id: str | None = None,
               field: str | None = None) -> bool:
        if isinstance(value, BadConstant):
            self.problem(path, f"{value.text} is not a number JSON allows; write a finite"
                         " number", node_id, field)
            return False
        if not is_number(value):
            self.problem(path, f"{what} must be a number, not {_describe(value)}",
                         node_id, field)
            return False
        if not is_finite(value):
            self.problem(path, f"{what} is too large to be a number", node_id, field)
            return False
        return True

    def text(self, obj: dict, key: str, path: str, required: bool = False,
             node_id: str | None = None) -> str | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.problem(path, f'missing "{key}"', node_id, key)
            return None
        if not isinstance(value, str):
            self.problem(f"{path}.{key}", f'"{key}" must be text, not {_describe(value)}',
                         node_id, key)
            return None
        return value

    def number_or_expression(self, value: Any, path: str, what: str,
                             node_id: str | None = None, field: str | None = None) -> Any:
        if isinstance(value, str):
            return value
        return value if self.number(value, path, what, node_id, field) else None

    def objects(self, raw: dict, key: str) -> list[tuple[str, dict]]:
        """The entries of a top-level list of objects, with their paths."""
        items = raw.get(key)
        if items is None:
            return []
        if not isinstance(items, list):
            self.problem(f"$.{key}", f'"{key}" must be a list, not {_describe(items)}')
            return []
        out = []
        for i, item in enumerate(items):
            path = f"$.{key}[{i}]"
            if isinstance(item, dict):
                out.append((path, item))
            else:
                self.problem(path, f"each entry of {key} must be an object, not"
                             f" {_describe(item)}")
        return out


def _describe(value: Any) -> str:
    if isinstance(value, BadConstant):
        return value.text
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{quote_text(value, 40)}"'
    if is_number(value):
        return f"the number {value!r}"
    return "a list" if isinstance(value, list) else "an object"


def build_tree(raw: Any) -> tuple[Tree | None, list[Issue]]:
    """Check `raw` (parsed JSON) and build a Tree; return it with every problem found."""
    settings, check = _settings(raw)
    if settings is None:
        return None, check.issues
    root_raw = raw.get("root")
    if not isinstance(root_raw, dict):
        if root_raw is None:
            check.problem("$", 'missing "root" (the first node of the tree)')
        else:
            check.problem("$.root", f'"root" must be a node object, not {_describe(root_raw)}')
        return None, check.issues
    root = _build_nodes(root_raw, check)
    if root is None:
        return None, check.issues
    tree = Tree(root)
    tree.copy_settings_from(settings)
    return tree, check.issues


def build_settings(raw: Any) -> tuple[Settings | None, list[Issue]]:
    """Check and build everything but the nodes."""
    settings, check = _settings(raw)
    return settings, check.issues


def _settings(raw: Any) -> tuple[Settings | None, _Checker]:
    check = _Checker()
    if not isinstance(raw, dict):
        check.problem("$", f"the file must hold a JSON object, not {_describe(raw)}")
        return None, check
    if not _check_envelope(raw, check) or not _within_limits(raw, check):
        return None, check
    settings = Settings(check.text(raw, "title", "$", True) or "")
    settings.extras = check.keys(raw, TOP_KEYS, "$")
    settings.description = check.text(raw, "description", "$")
    settings.sources = _sources(raw, check)
    settings.criteria = _criteria(raw, check)
    settings.players = _players(raw, check)
    settings.variables = _variables(raw, check)
    settings.outcomes = _outcomes(raw, check)
    settings.display = _display(raw, check)
    settings.scenarios = _scenarios(raw, settings, check)
    _what_if(raw, settings, check)
    return settings, check


def _within_limits(raw: dict, check: _Checker) -> bool:
    """Whether each list is within its limit; one that is not is reported, and the
    file is read no further."""
    before = len(check.issues)
    for key, limit in LIST_LIMITS.items():
        items = raw.get(key)
        if isinstance(items, list) and len(items) > limit:
            check.problem(f"$.{key}", f"the tree has {len(items):,} {key}; offramp takes at"
                          f" most {limit:,}", code=OVER_LIMIT)
    return len(check.issues) == before


def _check_envelope(raw: dict, check: _Checker) -> bool:
    fmt = raw.get("format")
    if fmt != FORMAT:
        said = 'it has no "format"' if fmt is None else f'its "format" is {_describe(fmt)}'
        check.problem("$", f'this is not an offramp tree: {said}, not "{FORMAT}"')
        return False
    version = raw.get("version")
    if not (is_number(version) and version == int(version)):
        check.problem("$.version" if "version" in raw else "$",
                      f'"version" must be the whole number {CURRENT_VERSION}')
        return False
    if version > CURRENT_VERSION:
        check.issues.append(Issue(f"this file is format version {int(version)}, written by"
                                  f" a newer offramp; this program reads version"
                                  f" {CURRENT_VERSION}", "$.version", code=NEWER_VERSION))
        return False
    if version < 1:
        check.problem("$.version", f"there is no format version {version}")
        return False
    return True


def _sources(raw: dict, check: _Checker) -> list[dict] | None:
    if "sources" not in raw:
        return None
    out = []
    for path, item in check.objects(raw, "sources"):
        check.keys(item, SOURCE_KEYS, path)
        check.text(item, "title", path, required=True)
        for key in ("author", "publisher", "url"):
            check.text(item, key, path)
        year = item.get("year")
        if year is not None and not (isinstance(year, str) or is_number(year)):
            check.problem(f"{path}.year", f"the year must be a number, not {_describe(year)}")
        out.append(dict(item))
    return out


def _criteria(raw: dict, check: _Checker) -> list[Criterion] | None:
    if "criteria" not in raw:
        return None
    out: list[Criterion] = []
    seen: set[str] = set()
    for path, item in check.objects(raw, "criteria"):
        extras = check.keys(item, CRITERION_KEYS, path)
        _keep_first(out, Criterion(check.text(item, "id", path, True) or "",
                                   check.text(item, "name", path, True) or "",
                                   check.text(item, "unit", path),
                                   check.text(item, "description", path), extras),
                    path, "criterion", seen, check)
    return out


def _keep_first(out: list, item: Any, path: str, what: str, seen: set[str],
                check: _Checker) -> None:
    """Add `item` unless an earlier one has its id, which is reported here.

    A repeat is left out so that the engine's columns (one per criterion, player or
    outcome id) still line up while it looks for the file's other problems.
    """
    if item.id in seen:
        if item.id:  # a missing id is reported already
            check.problem(f"{path}.id", f'the {what} id "{quote_text(item.id)}" is used twice')
        return
    seen.add(item.id)
    out.append(item)


def _players(raw: dict, check: _Checker) -> list[Player] | None:
    if "players" not in raw:
        return None
    out: list[Player] = []
    seen: set[str] = set()
    for path, item in check.objects(raw, "players"):
        extras = check.keys(item, PLAYER_KEYS, path)
        weights: dict[str, Any] = {}
        raw_weights = item.get("weights")
        if raw_weights is None:
            check.problem(path, 'missing "weights" (how much the player values each'
                          ' criterion)')
        elif not isinstance(raw_weights, dict):
            check.problem(f"{path}.weights", f'"weights" must be an object, not'
                          f" {_describe(raw_weights)}")
        else:
            check.keys(raw_weights, tuple(raw_weights), f"{path}.weights")
            for criterion, value in raw_weights.items():
                weight = check.number_or_expression(
                    value, key_path(f"{path}.weights", criterion), "a weight")
                if weight is not None:
                    weights[criterion] = weight
        player = Player(check.text(item, "id", path, True) or "",
                        check.text(item, "name", path, True) or "", weights, extras)
        if "utility" in item:
            player.utility = _utility(item["utility"], f"{path}.utility", check)
        _keep_first(out, player, path, "player", seen, check)
    return out


def _utility(raw: Any, path: str, check: _Checker) -> Utility | None:
    """The shape of a player's utility; what its numbers mean `model.validate` checks."""
    if not isinstance(raw, dict):
        check.problem(path, f'"utility" must be an object, not {_describe(raw)}')
        return None
    problems = len(check.issues)
    extras = check.keys(raw, UTILITY_KEYS, path)
    utility = Utility(check.text(raw, "kind", path, True) or "", extras=extras)
    if "risk_tolerance" in raw:
        utility.risk_tolerance = check.number_or_expression(
            raw["risk_tolerance"], f"{path}.risk_tolerance", "the risk tolerance")
    if "points" in raw:
        utility.points = _points(raw["points"], f"{path}.points", check)
    # (a utility read with a problem is left out: validation would only repeat it)
    return utility if len(check.issues) == problems else None


def _points(raw: Any, path: str, check: _Checker) -> list[list[float | int]] | None:
    if not isinstance(raw, list):
        check.problem(path, f'"points" must be a list of [score, utility] pairs, not'
                      f" {_describe(raw)}")
        return None
    if len(raw) > MAX_UTILITY_POINTS:
        check.problem(path, f"a utility has {len(raw):,} points; offramp takes at most"
                      f" {MAX_UTILITY_POINTS:,}")
        return None
    points = []
    for k, pair in enumerate(raw):
        where = f"{path}[{k}]"
        if not isinstance(pair, list) or len(pair) != 2:
            check.problem(where, f"a point must be a pair [score, utility], not"
                          f" {_describe(pair)}")
            return None
        if not all(check.number(v, f"{where}[{j}]", f"a point's {what}")
                   for j, (what, v) in enumerate(zip(("score", "utility"), pair))):
            return None
        points.append(list(pair))
    return points


def _variables(raw: dict, check: _Checker) -> list[Variable] | None:
    if "variables" not in raw:
        return None
    out = []
    for path, item in check.objects(raw, "variables"):
        extras = check.keys(item, VARIABLE_KEYS, path)
        if "value" not in item:
            check.problem(path, 'missing "value"')
        value = check.number_or_expression(item.get("value", 0), f"{path}.value", "a value")
        bounds = [item.get(key) for key in ("min", "max")]
        bounds = [b if b is None or check.number(b, f"{path}.{key}", f'"{key}"') else None
                  for key, b in zip(("min", "max"), bounds)]
        distribution = _distribution(item.get("distribution"), f"{path}.distribution", check)
        out.append(Variable(check.text(item, "name", path, True) or "",
                            0 if value is None else value, bounds[0], bounds[1],
                            check.text(item, "description", path), distribution, extras,
                            check.text(item, "source", path)))
    return out


def _distribution(value: Any, path: str, check: _Checker) -> dict | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        check.problem(path, f"a distribution must be an object, not {_describe(value)}")
        return None
    kind = value.get("type")
    if type(kind) is not str or kind not in DISTRIBUTION_PARAMETERS:
        kinds = ", ".join(DISTRIBUTION_PARAMETERS)
        check.problem(path, f"unknown distribution type {_describe(kind)}; use one of {kinds}")
        return None
    parameters = DISTRIBUTION_PARAMETERS[kind]
    check.keys(value, ("type",) + parameters, path)
    ok = True
    for name in parameters:
        if name not in value:
            check.problem(path, f'a {kind} distribution needs "{name}"')
            ok = False
        elif kind == "discrete":
            ok &= _number_list(value[name], f"{path}.{name}", name, check)
        else:
            ok &= check.number(value[name], f"{path}.{name}", f'"{name}"')
    return dict(value) if ok else None


def _number_list(value: Any, path: str, name: str, check: _Checker) -> bool:
    if not isinstance(value, list) or not value:
        check.problem(path, f'"{name}" must be a non-empty list of numbers')
        return False
    return all([check.number(v, f"{path}[{i}]", "each entry") for i, v in enumerate(value)])


def _outcomes(raw: dict, check: _Checker) -> list[Outcome] | None:
    if "outcomes" not in raw:
        return None
    out: list[Outcome] = []
    seen: set[str] = set()
    for path, item in check.objects(raw, "outcomes"):
        extras = check.keys(item, OUTCOME_KEYS, path)
        _keep_first(out, Outcome(check.text(item, "id", path, True) or "",
                                 check.text(item, "name", path, True) or "",
                                 check.text(item, "color", path),
                                 check.text(item, "description", path), extras),
                    path, "outcome", seen, check)
    return out


def _scenarios(raw: dict, settings: Settings, check: _Checker) -> list[Scenario] | None:
    if "scenarios" not in raw:
        return None
    out: list[Scenario] = []
    seen: set[str] = set()
    for path, item in check.objects(raw, "scenarios"):
        extras = check.keys(item, SCENARIO_KEYS, path)
        name = check.text(item, "name", path, True)
        if not name:
            if name is not None:
                check.problem(f"{path}.name", "a scenario's name must not be empty")
            continue
        if name in seen:
            check.problem(f"{path}.name", f'two scenarios are named "{quote_text(name)}"')
            continue
        seen.add(name)
        values = _values(item, path, f'scenario "{quote_text(name)}"', settings, check)
        out.append(Scenario(name, values, check.text(item, "note", path), extras))
    return out


def _what_if(raw: dict, settings: Settings, check: _Checker) -> None:
    """Set the what-if values over the base case read, which `base_case` keeps."""
    if "what_if" not in raw:
        return
    item = raw["what_if"]
    if not isinstance(item, dict):
        check.problem("$.what_if", f'"what_if" must be an object, not {_describe(item)}')
        return
    check.keys(item, WHAT_IF_KEYS, "$.what_if")
    values = _values(item, "$.what_if", "the what-if values", settings, check)
    base = Values()
    for variable in settings.variables or []:
        if variable.name in values.variables and not isinstance(variable.value, str):
            base.variables[variable.name] = variable.value
            variable.value = values.variables[variable.name]
    for player in settings.players or []:
        for criterion, weight in values.weights.get(player.id, {}).items():
            was = player.weights.get(criterion)  # None: the base case gives no weight
            if not isinstance(was, str) and weight is not None:
                base.weights.setdefault(player.id, {})[criterion] = was
                player.weights[criterion] = weight
    settings.base_case = base or None


def _values(item: dict, path: str, what: str, settings: Settings, check: _Checker) -> Values:
    """The "variables" and "weights" of a scenario or of the what-if values, each
    checked against the tree's own variables, players and criteria."""
    values = Values()
    variables = {v.name: v for v in settings.variables or []}
    for name, value in _entries(item, "variables", path, check):
        where = key_path(f"{path}.variables", name)
        variable = variables.get(name)
        if variable is None:
            check.problem(where, f'{what} sets "{quote_text(name)}", which is not a variable'
                          " of the tree")
        elif isinstance(variable.value, str):
            check.problem(where, f'{what} sets "{quote_text(name)}", which is computed from'
                          " a formula; set the variables it is computed from")
        elif check.number(value, where, f'the value of "{quote_text(name)}"'):
            values.variables[name] = value
    players = {p.id: p for p in settings.players or []}
    criteria = {c.id: c.name for c in settings.effective_criteria()}
    for player_id, weights in _entries(item, "weights", path, check):
        where = key_path(f"{path}.weights", player_id)
        player = players.get(player_id)
        if player is None:
            check.problem(where, f'{what} sets weights of "{quote_text(player_id)}", which is'
                          " not a player of the tree")
            continue
        if not isinstance(weights, dict):
            check.problem(where, f"{player.name}'s weights must be an object, not"
                          f" {_describe(weights)}")
            continue
        check.keys(weights, tuple(weights), where)
        for criterion, weight in weights.items():
            at = key_path(where, criterion)
            if criterion not in criteria:
                check.problem(at, f'{what} sets {player.name}\'s weight on "'
                              f'{quote_text(criterion)}", which is not a criterion of the tree')
            elif isinstance(player.weights.get(criterion), str):
                check.problem(at, f"{what} sets {player.name}'s weight on"
                              f" {criteria[criterion]}, which is a formula")
            elif check.number(weight, at, f"{player.name}'s weight on {criteria[criterion]}"):
                values.weights.setdefault(player_id, {})[criterion] = weight
    return values


def _entries(item: dict, key: str, path: str, check: _Checker) -> list[tuple[str, Any]]:
    found = item.get(key)
    if found is None:
        return []
    if not isinstance(found, dict):
        check.problem(f"{path}.{key}", f'"{key}" must be an object, not {_describe(found)}')
        return []
    check.keys(found, tuple(found), f"{path}.{key}")  # (repeated keys)
    return list(found.items())


def _display(raw: dict, check: _Checker) -> dict[str, Any] | None:
    """How the app shows numbers; kept as the file has it, so that it saves unchanged."""
    if "display" not in raw:
        return None
    display = raw["display"]
    if not isinstance(display, dict):
        check.problem("$.display", f'"display" must be an object, not {_describe(display)}')
        return None
    check.keys(display, DISPLAY_KEYS, "$.display")
    decimals = display.get("decimals")
    if "decimals" in display and not (is_number(decimals) and 0 <= decimals <= MAX_DECIMALS
                                      and decimals == int(decimals)):
        check.problem("$.display.decimals", f'"decimals" must be a whole number from 0 to'
                      f" {MAX_DECIMALS}, not {_describe(decimals)}")
    style = display.get("probabilities")
    if "probabilities" in display and style not in PROBABILITY_STYLES:
        check.problem("$.display.probabilities", '"probabilities" must be "percent" or'
                      f' "decimal", not {_describe(style)}')
    if "units" in display and not isinstance(display["units"], bool):
        check.problem("$.display.units", f'"units" must be true or false, not'
                      f" {_describe(display['units'])}")
    return dict(display)


def count_nodes(root_raw: dict) -> int:
    """The nodes of parsed JSON: the root, and every object in a "children" list."""
    count, level = 0, [root_raw]
    while level:
        count += len(level)
        level = [child for raw in level if type(children := raw.get("children")) is list
                 for child in children if isinstance(child, dict)]
    return count


def _build_nodes(root_raw: dict, check: _Checker) -> Node | None:
    """Build the node hierarchy without recursion (files may nest deeply).

    Paths are kept as (parent path, index) pairs and spelled out only for a problem:
    most nodes have none, and a 100,000-node file should not pay for 100,000 strings.
    None when the tree is over a limit (reported), found before the next node is built.
    """
    root = _build_node(root_raw, "$.root", check)
    stack: list[tuple[Node, dict, Any]] = [(root, root_raw, "$.root")]
    pop, push = stack.pop, stack.append
    built, counted = 1, False
    while stack:
        node, raw, where = pop()
        children = raw.get("children")
        if children is None:
            continue
        if type(children) is not list:
            check.problem(f"{spell_path(where)}.children", f'"children" must be a list, not'
                          f" {_describe(children)}", node.id or None, "children")
            continue
        built += len(children)
        if len(children) > MAX_CHILDREN:
            check.problem(f"{spell_path(where)}.children", f"this node has {len(children):,}"
                          f" branches; offramp takes at most {MAX_CHILDREN:,}",
                          node.id or None, "children", OVER_LIMIT)
            return None
        if built > MAX_NODES and not counted:
            total = count_nodes(root_raw)  # (some children may be no nodes, but errors)
            if total > MAX_NODES:
                check.problem("$.root", too_many_nodes(total), code=OVER_LIMIT)
                return None
            counted = True
        append = node.children.append
        for i, child_raw in enumerate(children):
            child_where = (where, i)
            if type(child_raw) is not dict and not isinstance(child_raw, dict):
                check.problem(spell_path(child_where), f"a child must be a node object, not"
                              f" {_describe(child_raw)}", node.id or None, "children")
                continue
            child = _build_node(child_raw, child_where, check)
            append(child)
            push((child, child_raw, child_where))
    return root


_NODE_KEY_SET = frozenset(NODE_KEYS)
_NODE_TEXT = frozenset(field.name for field in FIELDS if field.json_type is str)
_NODE_FLAGS = frozenset(field.name for field in FIELDS if field.json_type is bool)
_NODE_TYPES = frozenset(NODE_TYPES)


def _build_node(raw: dict, where: Any, check: _Checker) -> Node:
    node_id = raw.get("id")
    if type(node_id) is not str:
        if node_id is not None:
            check.problem(f"{spell_path(where)}.id",
                          f"an id must be text, not {_describe(node_id)}")
        node_id = ""
    elif not node_id:  # (a missing id is made from the node's place; an empty one is a slip)
        check.problem(f"{spell_path(where)}.id", 'the id is empty; give the node an id, or'
                      ' leave "id" out and offramp makes one', None, "id")
    keys = raw.keys()
    node = Node(node_id, _node_type(raw, where, node_id, check))
    if not keys <= _NODE_KEY_SET or type(raw) is DuplicateKeyDict:
        node.extras = check.keys(raw, NODE_KEYS, spell_path(where), node_id or None)
    for key in keys & _NODE_TEXT:
        value = raw[key]
        if type(value) is str:
            setattr(node, key, value)
        else:
            check.text(raw, key, spell_path(where), node_id=node_id or None)
    probability = raw.get("probability")
    if probability is not None or "probability" in keys:
        node.probability = _number_or_text(probability, where, ".probability", "a probability",
                                           node_id, check)
    payoff = raw.get("payoff")
    if payoff is not None or "payoff" in keys:
        node.payoff = _payoff(payoff, where, node_id, check)
    for key in keys & _NODE_FLAGS:
        value = raw[key]
        if type(value) is bool:
            setattr(node, key, value)
        else:
            check.problem(f"{spell_path(where)}.{key}", f'"{key}" must be true or false',
                          node_id or None, key)
    for key in keys & _LINK_KEYS.keys():
        setattr(node, key, _link(raw[key], where, key, node_id, check))
    return node


def _node_type(raw: dict, where: Any, node_id: str, check: _Checker) -> str:
    node_type = raw.get("type")
    if "use" in raw:
        return _use_content(raw, where, node_id, check)
    if type(node_type) is not str or node_type not in _NODE_TYPES:  # a list is unhashable
        said = "is missing" if node_type is None else f"is {_describe(node_type)}"
        check.problem(spell_path(where) + (".type" if node_type is not None else ""),
                      f'the node type {said}; use "decision", "chance" or "terminal"',
                      node_id or None, "type")
        return "decision" if raw.get("children") else "terminal"
    return node_type


#: A link's keys: (key, what its value is, whether it is required).
_LINK_KEYS = {
    "template": (("name", str, True), ("parameters", list, False)),
    "use": (("template", str, True), ("bind", dict, False)),
}
_LINK_WORDS = {str: "text", list: "a list of variable names", dict: "an object"}


def _link(value: Any, where: Any, key: str, node_id: str, check: _Checker) -> dict | None:
    """A `template` or `use` object, checked for its shape; None if it has none."""
    path = f"{spell_path(where)}.{key}"
    if not isinstance(value, dict):
        check.problem(path, f'"{key}" must be an object, not {_describe(value)}',
                      node_id or None, key)
        return None
    check.keys(value, tuple(name for name, _kind, _needed in _LINK_KEYS[key]), path,
               node_id or None)
    ok = True
    for name, kind, needed in _LINK_KEYS[key]:
        if name not in value:
            if needed:
                check.problem(path, f'missing "{name}"', node_id or None, key)
                ok = False
        elif not isinstance(value[name], kind):
            check.problem(f"{path}.{name}", f'"{name}" must be {_LINK_WORDS[kind]}, not'
                          f" {_describe(value[name])}", node_id or None, key)
            ok = False
    for i, item in enumerate(value.get("parameters") or []):
        if not isinstance(item, str):
            check.problem(f"{path}.parameters[{i}]", "a parameter must be the name of a"
                          f" variable, not {_describe(item)}", node_id or None, key)
            ok = False
    for name, amount in (value.get("bind") or {}).items() if ok else ():
        if not isinstance(amount, str):
            ok &= check.number(amount, key_path(f"{path}.bind", name), "a binding",
                               node_id or None, key)
    return dict(value) if ok else None


#: What a use takes from its template, and so may not have of its own.
_TAKEN_KEYS = (*TAKEN_FIELDS, "children", "template")


def _use_content(raw: dict, where: Any, node_id: str, check: _Checker) -> str:
    """A use has no content of its own: its type and the rest come from its template.
    Its type until then is that of an ending."""
    for key in _TAKEN_KEYS:
        if key in raw:
            check.problem(f"{spell_path(where)}.{key}", f'a use of a template takes its'
                          f' "{key}" from the template; remove it here, or remove "use"',
                          node_id or None, key)
    return "terminal"


def _number_or_text(value: Any, where: Any, suffix: str, what: str, node_id: str,
                    check: _Checker) -> Any:
    kind = type(value)
    if kind is str or (kind is float and value - value == 0) or (
            kind is int and -_FLOAT_LIMIT <= value <= _FLOAT_LIMIT):
        return value
    field = suffix.split(".")[1].split("[")[0]
    return check.number_or_expression(value, spell_path(where) + suffix, what, node_id or None,
                                      field)


def _payoff(value: Any, where: Any, node_id: str, check: _Checker) -> Any:
    if type(value) is not dict and not isinstance(value, dict):
        return _number_or_text(value, where, ".payoff", "a payoff", node_id, check)
    if type(value) is dict:
        for amount in value.values():
            kind = type(amount)
            if kind is not str and not ((kind is float and amount - amount == 0) or (
                    kind is int and -_FLOAT_LIMIT <= amount <= _FLOAT_LIMIT)):
                break
        else:
            return value  # the common case: every amount a finite number or a formula
    else:
        check.keys(value, tuple(value), f"{spell_path(where)}.payoff", node_id or None)
    out = {}
    for criterion, amount in value.items():
        item = _number_or_text(amount, where, key_path(".payoff", criterion), "a payoff",
                               node_id, check)
        if item is not None:
            out[criterion] = item
    return out
