"""`offramp explain FILE [--node ID] [--scenario NAME] [--set NAME=VALUE]... [--json] [-n N]`.

The reasoning in words: for each decision on the solved path (or the one named), who
decides, what it picks, the runner-up and the margin, the criteria behind it, the
variables that alone would change it and where, and how often it holds in a Monte
Carlo; then the solved path told from the root to the chances of the outcomes.
"""
from __future__ import annotations

import argparse
import difflib
import secrets

from ..analysis.catalogue.monte_carlo import MAX_SAMPLES, MAX_SEED
from ..analysis.equilibria import equilibrium_results, has_information_sets
from ..analysis.evaluate import Results, evaluate
from ..analysis.explain import ExplainError, choice_shares, explain
from ..analysis.flatten import ASSUMED_KIND, DECISION_KIND, FlatTree
from ..analysis.sensitivity import AnalysisError
from ..model.tree import Settings, Tree
from .analysis_common import print_json, whole
from .common import (
    EXIT_USAGE,
    CommandError,
    add_scenario_option,
    add_set_option,
    escaped,
    leave_for_exit,
    load_in_scenario,
    open_tree,
    parse_assignments,
    report,
)


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "explain", help="the reasoning in words: why each decision goes as it does",
        description="Explain in words each decision on the solved path (or the one named"
        " with --node): who decides, what it picks, the runner-up and the margin, the"
        " criteria that make the difference, every variable that alone would change it"
        " and where, and (with -n) how often it holds across samples of the uncertain"
        " variables; then tell the solved path from the root to the outcomes' chances.")
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--node", metavar="ID",
                        help="explain this decision, named by its id or by a label no other"
                        " decision has (default: every decision on the solved path)")
    add_set_option(parser)
    add_scenario_option(parser)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("-n", "--samples", metavar="N", type=whole(1, MAX_SAMPLES, "-n"),
                        help="also draw N samples of the variables that have a distribution,"
                        " to say how often each choice holds")
    parser.add_argument("--seed", metavar="S", type=whole(0, MAX_SEED, "--seed"),
                        help="seed of the samples (default: a new one, printed)")
    parser.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    if options.seed is not None and options.samples is None:
        raise CommandError("--seed goes with -n/--samples: give the number of samples too",
                           EXIT_USAGE)
    settings, flat = load_in_scenario(options.file, options.scenario)
    values = parse_assignments(options.assignments, settings)
    results = _evaluated(settings, flat, values, options.file)
    node = None if options.node is None else _decision(results.flat, options.node)
    shares = None
    if options.samples is not None:
        seed = secrets.randbelow(2 ** 32) if options.seed is None else options.seed
        shares = choice_shares(results.flat, options.samples, seed, values)
    try:
        told = explain(settings, None if node is None else [node], shares, values=values,
                       results=results)
    except (ExplainError, AnalysisError) as error:
        raise CommandError(str(error)) from None
    leave_for_exit(results, told)
    if options.json:
        document = told.to_json()
        if options.scenario is not None:
            document["scenario"] = options.scenario
        print_json(document)
        return 0
    title, _, rest = told.text(story=node is None).partition("\n")
    if options.scenario is not None:
        title += f"\nIn the scenario “{escaped(options.scenario)}”"
    print(f"{title}\n{rest}")
    return 0


def _evaluated(settings: Settings, flat: FlatTree, values: dict[str, float],
               file: str) -> Results:
    """The tree rolled back, as `offramp evaluate` shows it (a game's first equilibrium)."""
    if flat.suspect and isinstance(settings, Tree) and has_information_sets(settings):
        results = equilibrium_results(settings, values)[0]
    else:
        results = evaluate(flat, values)
    if results.issues:
        _tree, loaded = open_tree(file)  # stops here if the file itself is invalid
        report(list(results.issues), file, loaded)
        raise CommandError("with these --set values the tree cannot be evaluated")
    return results


def _decision(flat: FlatTree, text: str) -> str:
    """The id of the decision --node names: by its id, or by a label (its name, or the
    branch leading to it) that no other decision has."""
    if text in flat.index:
        return text
    wanted = " ".join(text.split()).casefold()

    def named(i: int) -> bool:
        return any(" ".join((label or "").split()).casefold() == wanted
                   for label in (flat.labels.names[i], flat.labels.branches[i]))

    found = [i for i in range(flat.size) if named(i)]
    decisions = [i for i in found if flat.kind[i] in (DECISION_KIND, ASSUMED_KIND)]
    if len(decisions) == 1:
        return flat.ids[decisions[0]]
    shown = escaped(text)
    if decisions:
        ids = ", ".join(flat.ids[i] for i in decisions[:5]) + (", …" if len(decisions) > 5
                                                                else "")
        raise CommandError(f'--node "{shown}": {len(decisions)} decisions have this label;'
                           f" give the id of the one you mean ({ids})")
    if found:
        return flat.ids[found[0]]  # not a decision: `explain` says so, by its label
    labels = {label for label in flat.labels.names + flat.labels.branches if label}
    close = difflib.get_close_matches(text, sorted(labels) + list(flat.ids), n=3)
    hint = "; did you mean " + ", ".join(f'"{escaped(c)}"' for c in close) + "?" if close \
        else ""
    raise CommandError(f'--node "{shown}": there is no node with this id or label{hint}')
