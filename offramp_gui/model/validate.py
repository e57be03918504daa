"""The structural rules of docs/format.md, checked on a Tree. Returns problems; never raises.

Numeric rules that need the values of expressions (probability ranges and sums, results
that are not finite) are checked by the engine, which evaluates them anyway.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from . import expressions, information, templates
from .expressions import Expr, ExpressionError
from .issues import OVER_LIMIT, Issue, key_path, quote_text, spell_path
from .limits import MAX_DEPTH, MAX_OUTCOME_CELLS
from .tree import (
    CHANCE,
    DECISION,
    EXPONENTIAL,
    PIECEWISE,
    REMAINDER,
    TERMINAL,
    UTILITY_KINDS,
    Node,
    Player,
    Settings,
    Tree,
)

ID_PATTERN = re.compile(r"[A-Za-z0-9_.-]{1,64}")
NAME_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_ID_MATCH = ID_PATTERN.fullmatch
#: Ids one per line, each followed by a newline: one regex run checks them all.
COLOR_PATTERN = re.compile(r"#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})")


def parse_cached(text: str) -> Expr:
    """`expressions.parse`, once per text, failures included (a file may repeat a bad
    formula 100,000 times)."""
    parsed = _PARSED.get(text)
    if parsed is None:
        try:
            parsed = expressions.parse(text)
        except ExpressionError as error:
            parsed = str(error)
        _remember(text, parsed)
    if isinstance(parsed, str):
        raise ExpressionError(parsed)  # a new error each time: a raised one keeps its frames
    return parsed


#: Parsed texts, oldest first, holding at most `_PARSED_BUDGET` characters in all: every
#: formula of a tree with 50,000 short ones, without keeping megabytes of long ones.
_PARSED: dict[str, Expr | str] = {}
_PARSED_BUDGET = 1_000_000
_parsed_characters = 0


def _remember(text: str, parsed: Expr | str) -> None:
    global _parsed_characters
    _PARSED[text] = parsed
    _parsed_characters += len(text)
    while _parsed_characters > _PARSED_BUDGET:
        oldest = next(iter(_PARSED))
        _parsed_characters -= len(oldest)
        del _PARSED[oldest]


def validate(tree: Tree) -> list[Issue]:
    """Every structural problem of the tree, in document order."""
    marked: list[Node] = []  # the nodes naming an information set
    nodes = _check_nodes(tree, marked)
    return (validate_settings(tree) + _check_outcome_table(tree) + templates.problems(tree)
            + nodes + information.problems(tree, marked))


def _check_outcome_table(tree: Tree) -> list[Issue]:
    outcomes = len(tree.outcomes or [])
    if len(tree) * (outcomes + 1) <= MAX_OUTCOME_CELLS:
        return []
    return [Issue(f"the tree has {len(tree):,} nodes and {outcomes:,} outcomes: offramp keeps"
                  " the chance of each outcome at each node, and takes at most"
                  f" {MAX_OUTCOME_CELLS:,} of these (nodes × (outcomes + 1)); use fewer"
                  " outcomes", "$.outcomes", code=OVER_LIMIT)]


def validate_settings(settings: Settings) -> list[Issue]:
    """Problems in everything but the nodes: ids, weights, colours, variables."""
    issues: list[Issue] = []
    issues += _check_ids("criteria", [c.id for c in settings.criteria or []], "criterion")
    issues += _check_ids("players", [p.id for p in settings.players or []], "player")
    issues += _check_ids("outcomes", [o.id for o in settings.outcomes or []], "outcome")
    issues += _check_weights(settings)
    issues += check_utilities(settings)
    issues += _check_outcome_colors(settings)
    issues += check_variables(settings)
    return issues



def _check_ids(kind: str, ids: list[str], what: str) -> Iterator[Issue]:
    seen: set[str] = set()
    for i, ident in enumerate(ids):
        path = f"$.{kind}[{i}].id"
        if not ID_PATTERN.fullmatch(ident):
            yield Issue(f'the {what} id "{quote_text(ident)}" may use only letters, digits,'
                        " '_', '.' and '-' (1 to 64 of them)", path)
        elif ident in seen:
            yield Issue(f'the {what} id "{ident}" is used twice', path)
        seen.add(ident)


def _check_weights(tree: Settings) -> Iterator[Issue]:
    criteria = {c.id: c.name for c in tree.effective_criteria()}
    variables: set[str] | None = None
    for i, player in enumerate(tree.players or []):
        for criterion, weight in player.weights.items():
            path = key_path(f"$.players[{i}].weights", criterion)
            if criterion not in criteria:
                yield Issue(f'there is no criterion "{criterion}"; the criteria are'
                            f" {_listing(criteria)}", path)
            elif isinstance(weight, str):
                if variables is None:
                    variables = {v.name for v in tree.variables or []}
                whose = f"of {player.name} on {criteria[criterion]}"
                yield from _weight_expression(weight, whose, variables, path)


def _weight_expression(text: str, whose: str, variables: set[str],
                       path: str, what: str = "weight") -> Iterator[Issue]:
    """An expression weight (or risk tolerance) follows the rules of any expression
    (docs/format.md)."""
    weight = f'the {what} "{quote_text(text)}" {whose}'
    try:
        used = expressions.names(parse_cached(text))
    except ExpressionError as error:
        yield Issue(f"{weight} is not a valid expression: {error}", path)
        return
    for name in sorted(used - variables):
        yield Issue(f'{weight} uses "{name}", which is not a variable{_known(variables)}', path)


def check_utilities(tree: Settings) -> list[Issue]:
    """Each player's risk attitude (docs/format.md, "Players"), one problem a line."""
    variables = {v.name for v in tree.variables or []}
    return [issue for i, player in enumerate(tree.players or [])
            for issue in _utility_problems(player, f"$.players[{i}].utility", variables)]


def _utility_problems(player: Player, path: str, variables: set[str]) -> Iterator[Issue]:
    utility = player.utility
    if utility is None:
        return
    of = f"the utility of {player.name}"
    if utility.kind not in UTILITY_KINDS:
        yield Issue(f'{of} has the kind "{quote_text(utility.kind)}"; the kinds are'
                    f" {_listing(UTILITY_KINDS)}", f"{path}.kind")
        return
    if utility.kind == EXPONENTIAL:
        tolerance = utility.risk_tolerance
        where = f"{path}.risk_tolerance"
        if tolerance is None:
            yield Issue(f'{of} is exponential but has no "risk_tolerance"', path)
        elif isinstance(tolerance, str):
            yield from _weight_expression(tolerance, f"of {player.name}", variables, where,
                                          "risk tolerance")
        elif tolerance == 0:
            yield Issue(f"the risk tolerance of {player.name} is 0; it must be positive"
                        " (risk-averse) or negative (risk-seeking)", where)
    elif utility.kind == PIECEWISE:
        yield from _points_problems(utility.points, of, f"{path}.points")


def _points_problems(points: list[list[float | int]] | None, of: str,
                     path: str) -> Iterator[Issue]:
    if points is None or len(points) < 2:
        yield Issue(f'{of} is piecewise but has fewer than two "points"', path)
        return
    for k in range(1, len(points)):
        (score_before, utility_before), (score, utility) = points[k - 1], points[k]
        if not score > score_before:
            yield Issue(f"the points of {of} must have increasing scores, but point"
                        f" {k + 1} has {score:g} after {score_before:g}", f"{path}[{k}][0]")
            return
        if not utility > utility_before:
            yield Issue(f"the points of {of} must have increasing utilities, but point"
                        f" {k + 1} has {utility:g} after {utility_before:g}",
                        f"{path}[{k}][1]")
            return


def _check_outcome_colors(tree: Settings) -> Iterator[Issue]:
    for i, outcome in enumerate(tree.outcomes or []):
        if outcome.color is not None and not COLOR_PATTERN.fullmatch(outcome.color):
            yield Issue(f'the colour "{quote_text(outcome.color)}" is not of the form #rrggbb',
                        f"$.outcomes[{i}].color")


def check_variables(tree: Settings) -> list[Issue]:
    """Names, expressions, ranges, distributions, undefined names and cycles."""
    issues: list[Issue] = []
    depends: dict[str, set[str]] = {}
    paths: dict[str, str] = {}
    for i, var in enumerate(tree.variables or []):
        path = f"$.variables[{i}]"
        problem = _name_problem(var.name)
        if problem:
            issues.append(Issue(problem, f"{path}.name"))
            continue
        if var.name in depends:
            issues.append(Issue(f'the variable "{var.name}" is defined twice', f"{path}.name"))
            continue
        paths[var.name] = path
        depends[var.name] = set()
        if isinstance(var.value, str):
            try:
                depends[var.name] = expressions.names(parse_cached(var.value))
            except ExpressionError as error:
                issues.append(Issue(f'the value "{quote_text(var.value)}" of {var.name} is not a'
                                    f" valid expression: {error}", f"{path}.value"))
        if var.min is not None and var.max is not None and var.min > var.max:
            issues.append(Issue(f"min {var.min:g} is above max {var.max:g}", f"{path}.min"))
        issues += _distribution_problems(var.distribution, f"{path}.distribution")
    known = ""  # the list of variables, spelled once (a sort) for all the problems
    for name, used in depends.items():
        # (not `used - depends.keys()`, which goes through every variable each time)
        for missing in sorted(n for n in used if n not in depends):
            known = known or _known(depends)
            issues.append(Issue(f'the value of {name} uses "{missing}", which is not a'
                                f" variable{known}", f"{paths[name]}.value"))
    for cycle in find_cycles(depends):
        issues.append(Issue("these variables are defined in a circle: "
                            + " -> ".join(cycle + [cycle[0]]), f"{paths[cycle[0]]}.value"))
    return issues


def _name_problem(name: str) -> str | None:
    if not NAME_PATTERN.fullmatch(name):
        return (f'the variable name "{quote_text(name)}" must start with a letter or "_" and'
                " use only letters, digits and \"_\" (at most 64)")
    if name.startswith("__"):
        return f'the variable name "{name}" may not start with two underscores'
    if name in expressions.RESERVED_NAMES:
        return f'"{name}" is a word of the expression language; choose another name'
    return None


def _distribution_problems(dist: dict | None, path: str) -> list[Issue]:
    if not dist:
        return []
    kind = dist["type"]
    rules = {
        "uniform": (dist.get("low", 0) <= dist.get("high", 0), "low must not exceed high"),
        "triangular": (dist.get("low", 0) <= dist.get("mode", 0) <= dist.get("high", 0),
                       "needs low <= mode <= high"),
        "beta": (dist.get("alpha", 1) > 0 and dist.get("beta", 1) > 0,
                 "alpha and beta must be above 0"),
        "normal": (dist.get("sd", 0) >= 0, "sd must not be negative"),
        "lognormal": (dist.get("sigma", 0) >= 0, "sigma must not be negative"),
    }
    if kind == "discrete":
        values, weights = dist.get("values", []), dist.get("weights", [])
        ok = len(values) == len(weights) and all(w >= 0 for w in weights) and sum(weights) > 0
        rules["discrete"] = (ok, "needs as many weights as values, none negative, not all 0")
    ok, why = rules[kind]
    return [] if ok else [Issue(f"this {kind} distribution {why}", path)]


def find_cycles(depends: dict[str, set[str]]) -> list[list[str]]:
    """Each cycle among the names once, in definition order (iterative DFS)."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    cycles: list[list[str]] = []
    for start in depends:
        if start in state:
            continue
        state[start] = 1
        path = [start]
        stack = [iter(sorted(depends[start]))]
        while stack:
            for following in stack[-1]:
                mark = state.get(following)
                if mark is None and following in depends:
                    state[following] = 1
                    path.append(following)
                    stack.append(iter(sorted(depends[following])))
                    break
                if mark == 1:
                    cycles.append(path[path.index(following):])
            else:
                stack.pop()
                state[path.pop()] = 2
    return cycles


def _check_nodes(tree: Tree, marked: list[Node]) -> list[Issue]:
    """Every problem of every node, walked one by one with paths made only for problems;
    the nodes that name an information set are added to `marked`, in document order.

    (The engine's `FlatTree.suspect` tells cheaply whether this walk can find
    anything; callers that have flattened the tree use it to skip the walk.)
    """
    context = _NodeContext(tree)
    issues: list[Issue] = []
    stack: list[tuple[Node, Node | None, object, int]] = [(tree.root, None, "$.root", 0)]
    pop, push = stack.pop, stack.append
    while stack:
        node, parent, where, depth = pop()
        if node.information_set is not None:
            marked.append(node)
        if context.suspicious(node, parent):
            issues += context.check(node, parent, spell_path(where))
        if depth >= MAX_DEPTH and node.children:
            issues.append(Issue(f"the tree is more than {MAX_DEPTH} levels deep",
                                spell_path(where), node.id, code=OVER_LIMIT))
            continue
        for i in range(len(node.children) - 1, -1, -1):
            push((node.children[i], node, (where, i), depth + 1))
    return issues


class _NodeContext:
    """What node checks need to know about the whole tree."""

    def __init__(self, tree: Settings):
        self.criteria = [c.id for c in tree.effective_criteria()]
        self.criteria_set = frozenset(self.criteria)
        self.players = [p.id for p in tree.effective_players()]
        self.player_set = frozenset(self.players)
        self.outcomes = {o.id for o in tree.outcomes or []}
        self.variables = {v.name for v in tree.variables or []}
        self.known = ""  # `_known(self.variables)`, spelled at the first need
        self.first_with: dict[str, Node] = {}  # each id's first node, for a duplicate
        self.repeated_ids: set[int] = set()

    def suspicious(self, node: Node, parent: Node | None) -> bool:
        """False only when the node certainly breaks no rule (the common case)."""
        node_id = node.id
        if node_id in self.first_with:
            self.repeated_ids.add(id(node))
            return True
        self.first_with[node_id] = node
        kind, children = node.type, node.children
        if not _ID_MATCH(node_id) or node.outcome is not None and (
                kind != TERMINAL or node.outcome not in self.outcomes):
            return True
        if kind == TERMINAL:
            if children or node.player is not None or node.solve is not None:
                return True
        elif not children or (kind == DECISION and not self._player_ok(node.player,
                                                                       node.solve)) or (
                kind == CHANCE and (node.player is not None or node.solve is not None)):
            return True
        takes = parent.takes_probabilities if parent is not None else None
        probability = node.probability
        if (probability is None) == bool(takes) or parent is None and node.branch is not None:
            return True
        if type(probability) is str and probability != REMAINDER and not self.formula_ok(
                probability):
            return True
        if node.takes_probabilities and sum(c.probability == REMAINDER for c in children) > 1:
            return True
        return node.payoff is not None and not self.payoff_ok(node.payoff)

    def _player_ok(self, player: str | None, solve: str | None) -> bool:
        if solve not in (None, "best", "assumed"):
            return False
        if player is None:
            return len(self.players) == 1
        return player in self.player_set

    def formula_ok(self, text: str) -> bool:
        try:
            return expressions.names(parse_cached(text)) <= self.variables
        except ExpressionError:
            return False

    def payoff_ok(self, payoff: object) -> bool:
        if type(payoff) is dict:
            return payoff.keys() <= self.criteria_set and all(
                type(v) is not str or self.formula_ok(v) for v in payoff.values())
        return len(self.criteria) == 1 and (type(payoff) is not str or self.formula_ok(payoff))

    def check(self, node: Node, parent: Node | None, path: str) -> list[Issue]:
        found: list[tuple[str, str, str | None]] = []  # (message, path, field)
        self._identity(node, parent, path, found)
        self._shape(node, path, found)
        self._probability(node, parent, path, found)
        self._payoff(node, path, found)
        return [Issue(message, p, node.id or None, field) for message, p, field in found]

    def _identity(self, node: Node, parent: Node | None, path: str, found: list) -> None:
        if not ID_PATTERN.fullmatch(node.id):
            found.append((f'the id "{quote_text(node.id)}" may use only letters, digits, \'_\','
                          " '.' and '-' (1 to 64 of them)", f"{path}.id", "id"))
        elif id(node) in self.repeated_ids:
            first = self.first_with[node.id]
            label = first.name or first.branch
            owner = f'the node "{quote_text(label)}"' if label else "another node"
            found.append((f'duplicate id "{node.id}": {owner} already has it', f"{path}.id",
                          "id"))
        if parent is None and node.branch is not None:
            found.append(('the root has no branch leading into it; remove "branch"',
                          f"{path}.branch", "branch"))

    def _shape(self, node: Node, path: str, found: list) -> None:
        kind = node.type
        if kind in (DECISION, CHANCE) and not node.children:
            found.append((f"a {kind} node needs at least one branch", path, "children"))
        if kind == TERMINAL and node.children:
            found.append(("a terminal node cannot have branches; make it a decision or"
                          " chance node", f"{path}.children", "children"))
        if kind == DECISION:
            self._player(node, path, found)
            if node.solve not in (None, "best", "assumed"):
                found.append((f'"solve" must be "best" or "assumed", not'
                              f' "{quote_text(node.solve)}"', f"{path}.solve", "solve"))
        else:
            for field in ("player", "solve"):
                if getattr(node, field) is not None:
                    found.append((f'only decision nodes have a "{field}"', f"{path}.{field}",
                                  field))
        if node.outcome is not None:
            if kind != TERMINAL:
                found.append(('only terminal nodes have an "outcome"', f"{path}.outcome",
                              "outcome"))
            elif node.outcome not in self.outcomes:
                found.append((f'there is no outcome "{quote_text(node.outcome)}"; the outcomes'
                              f" are {_listing(self.outcomes)}", f"{path}.outcome", "outcome"))
        remainders = sum(1 for c in node.children if c.probability == REMAINDER)
        if remainders > 1:
            found.append((f'{remainders} branches use "#"; at most one may take the'
                          " remainder", path, "probability"))

    def _player(self, node: Node, path: str, found: list) -> None:
        if node.player is None:
            if len(self.players) > 1:
                found.append(("a decision node needs a \"player\" when there are several;"
                              f" the players are {_listing(self.players)}", path, "player"))
        elif node.player not in self.players:
            found.append((f'there is no player "{quote_text(node.player)}"; the players are'
                          f" {_listing(self.players)}", f"{path}.player", "player"))

    def _probability(self, node: Node, parent: Node | None, path: str, found: list) -> None:
        wanted = parent is not None and parent.takes_probabilities
        if node.probability is None:
            if wanted:
                assert parent is not None
                found.append((f"this branch needs a probability, because \"{parent.id}\" is a"
                              f" {_kind_words(parent)}", path, "probability"))
        elif not wanted:
            where = "the root" if parent is None else f"\"{parent.id}\" is a decision node"
            found.append((f"a probability is not used here, because {where}; remove it",
                          f"{path}.probability", "probability"))
        elif isinstance(node.probability, str) and node.probability != REMAINDER:
            self._expression(node.probability, f"{path}.probability", "probability", found)

    def _payoff(self, node: Node, path: str, found: list) -> None:
        payoff = node.payoff
        if payoff is None:
            return
        if not isinstance(payoff, dict):
            if len(self.criteria) != 1:
                found.append(("with several criteria, a payoff must be an object such as"
                              f' {{"{self.criteria[0]}": 5}}', f"{path}.payoff", "payoff"))
            elif isinstance(payoff, str):
                self._expression(payoff, f"{path}.payoff", "payoff", found)
            return
        for criterion, amount in payoff.items():
            item_path = key_path(f"{path}.payoff", criterion)
            if criterion not in self.criteria:
                found.append((f'there is no criterion "{quote_text(criterion)}"; the criteria are'
                              f" {_listing(self.criteria)}", item_path, "payoff"))
            elif isinstance(amount, str):
                self._expression(amount, item_path, "payoff", found)

    def _expression(self, text: str, path: str, field: str, found: list) -> None:
        try:
            used = expressions.names(parse_cached(text))
        except ExpressionError as error:
            found.append((f'"{quote_text(text)}" is not a valid expression: {error}', path, field))
            return
        for name in sorted(used - self.variables):
            self.known = self.known or _known(self.variables)
            found.append((f'"{quote_text(text)}" uses "{name}", which is not a variable'
                          f"{self.known}", path, field))


def _kind_words(node: Node) -> str:
    return "chance node" if node.type == CHANCE else "decision with assumed probabilities"


def _listing(names) -> str:  # noqa: ANN001 - any iterable of str
    names = list(names)
    if not names:
        return "none (none are defined)"
    shown = ", ".join(f'"{n}"' for n in names[:12])
    return shown + (f" and {len(names) - 12} more" if len(names) > 12 else "")


def _known(names) -> str:  # noqa: ANN001
    if not names:
        return " (there are no variables)"
    return f"; the variables are {_listing(sorted(names))}"
