"""`offramp sensitivity FILE --var NAME [--steps N] [--from LOW] [--to HIGH]`.

How each alternative's value moves as one variable moves over its range, and the
exact values at which the best alternative changes.
"""
from __future__ import annotations

import argparse

import numpy as np

from ..analysis.flatten import FlatTree
from ..analysis.sensitivity import OneWay, Subject, alternative_values, grid, one_way
from . import analysis_common as common
from .table import number, table

READABLE_POINTS = 11  # the readable table: the ends and every tenth of the range


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "sensitivity", help="how each alternative's value moves as one variable moves",
        description="Sweep one variable over its range (its min..max, or --from/--to):"
        " each alternative's value at every point, and the exact values at which the"
        " best alternative changes.")
    common.add_common(parser)
    parser.add_argument("--var", metavar="NAME", required=True, help="the variable to sweep")
    parser.add_argument("--steps", metavar="N", type=common.whole(2, 100_000, "--steps"),
                        default=200, help="points in the sweep (default 200)")
    common.add_range(parser)
    parser.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    _settings, flat, base = common.prepare(options)
    topic = common.topic_of(flat, options)
    low, high = common.sweep_range(flat, options.var, options.low, options.high)
    common.check_memory(flat, options.steps, "--steps")
    now = common.require_evaluable(options, flat, base, strict=False)
    with common.analysis_errors():
        result = one_way(flat, topic, options.var, low, high, options.steps, base)
    if all(b is None for b in result.best):
        raise common.nowhere_evaluable(options, flat, {**base, options.var: low})
    common.write_output(options, lambda: csv_table(result),
                        lambda plots: plots.plot_one_way(flat, topic, result))
    if options.json:
        common.print_json(document(flat, topic, result))
    else:
        print(readable(flat, topic, result, base, now.get(options.var)))
    return 0


def document(flat: FlatTree, topic: Subject, result: OneWay) -> dict:
    return {
        "node": flat.ids[topic.node], "player": flat.players[topic.player],
        "variable": result.variable, "values": common.plain_list(result.x),
        "alternatives": {name: common.plain_list(row)
                         for name, row in zip(result.alternatives, result.values)},
        "best": list(result.best),
        "switches": [{"at": common.plain(at), "from": a, "to": b}
                     for at, a, b in result.switches],
    }


def csv_table(result: OneWay) -> tuple[list[str], list[list]]:
    header = [result.variable] + list(result.alternatives) + ["best"]
    rows = [[x] + [float(v) for v in result.values[:, k]] + [result.best[k]]
            for k, x in enumerate(result.x.tolist())]
    return header, rows


def readable(flat: FlatTree, topic: Subject, result: OneWay, base: dict[str, float],
             now: float | None) -> str:
    name = result.variable
    low, high = float(result.x[0]), float(result.x[-1])
    where = f"from {common.x_text(low)} to {common.x_text(high)} ({result.x.size:,} points)"
    if now is not None:
        where += f"; its value now is {common.x_text(now)}"
    others = {k: v for k, v in base.items() if k != name}
    where += "; the other variables at their values" + (
        " with " + ", ".join(f"{k} = {common.x_text(v)}" for k, v in others.items())
        if others else "")
    lines = [f"Sensitivity to {name} at {common.decision_heading(flat, topic)}",
             f"  {common.variable_line(flat, name)}", f"  {where}", "",
             "Alternatives", common.listing(flat, topic), "",
             "Where the best alternative changes", _switches(flat, result), "",
             f"Value of each alternative (utility of {common.player_label(flat, topic.player)})",
             _values(flat, topic, result, base)]
    if any(b is None for b in result.best):
        lines += ["", "  — : the tree cannot be evaluated at some values of " + name]
    return "\n".join(lines)


def _switches(flat: FlatTree, result: OneWay) -> str:
    if not result.switches:
        best = next(b for b in result.best if b is not None)
        return f"  nowhere: {common.branch(flat, best)} is best over the whole range"
    return "\n".join(f"  at {result.variable} = {common.x_text(at)} the best alternative"
                     f" changes from {common.branch(flat, a)} to {common.branch(flat, b)}"
                     for at, a, b in result.switches)


def _values(flat: FlatTree, topic: Subject, result: OneWay, base: dict[str, float]) -> str:
    """The values at evenly spaced points, and at each switch point (marked)."""
    low, high = float(result.x[0]), float(result.x[-1])
    points = grid(low, high, READABLE_POINTS)
    switches = np.array([at for at, _a, _b in result.switches], float)
    x = np.concatenate([points, switches])
    values, best = alternative_values(flat, topic, {**base, result.variable: x}, x.size)
    marks = common.numbering(flat, topic)
    rows = []
    for k in np.argsort(x, kind="stable").tolist():
        if k < points.size:
            chosen = marks[flat.ids[best[k]] if best[k] >= 0 else None]
            rows.append([common.x_text(x[k])] + [number(v) for v in values[:, k]] + [chosen])
        else:
            _at, a, b = result.switches[k - points.size]
            rows.append([common.x_text(x[k]) + " *"] + [number(v) for v in values[:, k]]
                        + [f"{marks[a]} → {marks[b]}"])
    headers = [result.variable] + [str(k) for k in range(1, len(topic.alternatives) + 1)]
    text = table(headers + ["Best"], rows)
    if switches.size:
        text += "\n  * a switch point"
    return text
