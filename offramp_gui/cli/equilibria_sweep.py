"""`offramp equilibria FILE --var NAME [--from X --to Y] [--points N]`: the intervals of
one variable over which the set of equilibria stays the same, and what changes between."""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping

from ..analysis.equilibria_sweep import (
    Described,
    EquilibriumSweep,
    Interval,
    Strategy,
    Switch,
)
from ..analysis.flatten import FlatTree
from ..analysis.readable import number, x_text


# ---- words ---------------------------------------------------------------------------
def readable(sweep: EquilibriumSweep, flat: FlatTree) -> str:
    lines = [flat.title,
             f"How the equilibria change as {sweep.variable} moves from {x_text(sweep.low)}"
             f" to {x_text(sweep.high)} ({sweep.points} values searched, each switch found"
             f" by bisection):", ""]
    for k, interval in enumerate(sweep.intervals):
        lines += _interval(sweep, interval, flat) + [""]
        if k < len(sweep.switches):
            lines += [_switch(sweep.variable, sweep.switches[k]), ""]
    if not sweep.complete:
        lines.append("Some searches stopped at their limit of profiles: there may be more"
                     " equilibria, and more switches.")
    return "\n".join(lines).rstrip()


def _interval(sweep: EquilibriumSweep, interval: Interval, flat: FlatTree) -> list[str]:
    head = f"{sweep.variable} from {x_text(interval.low)} to {x_text(interval.high)}: "
    if not interval.evaluable:
        return [head + "the tree cannot be evaluated"]
    count = len(interval.equilibria)
    more = "" if interval.complete else " found (not every profile searched: there may be more)"
    if not count:
        return [head + f"no equilibrium in pure strategies{more}"]
    groups = Counter((d.kind, d.on_path, _values(d.values, flat)) for d in interval.equilibria)
    ways = f", {len(groups)} ways of playing" if len(groups) > 1 else ""
    lines = [head + f"{count} equilibri{'a' if count != 1 else 'um'}{more}{ways}"
             f" (values at {x_text(interval.middle)})"]
    for (kind, on_path, values), n in groups.items():
        what = f"{n} {kind + ' ' if kind else ''}equilibri{'a' if n != 1 else 'um'}"
        play = "; ".join(f"{name}: {label}" for name, label in on_path) \
            or "backward induction's (no information sets)"
        lines += [f"  {what}: {play}", f"    values: {values}"]
    return lines


def _values(values: Mapping[str, float], flat: FlatTree) -> str:
    return ", ".join(f"{name} {number(values[player])}"
                     for player, name in zip(flat.players, flat.labels.players))


def _switch(variable: str, switch: Switch) -> str:
    parts = []
    if switch.disappear:
        parts.append(_which(switch.disappear, switch.disappear_by) + " disappear"
                     + ("s" if len(switch.disappear) == 1 else ""))
    if switch.appear:
        parts.append(_which(switch.appear, switch.appear_by) + " appear"
                     + ("s" if len(switch.appear) == 1 else ""))
    for change in switch.changes:
        parts.append(f"in {change.count} equilibri{'a' if change.count != 1 else 'um'}"
                     f" the choice at “{change.set_name}” turns from {change.before}"
                     f" to {change.after}")
    return f"At {variable} = {x_text(switch.at)}: " + "; ".join(parts) + "."


def _which(strategies: tuple[Strategy, ...], picked_by: tuple[tuple[str, str], ...]) -> str:
    n = len(strategies)
    if not picked_by:
        return f"{n} equilibri{'a' if n != 1 else 'um'}"
    choices = [f"{label} at “{name}”" for name, label in picked_by]
    listed = choices[0] if len(choices) == 1 else \
        ", ".join(choices[:-1]) + " and " + choices[-1]
    return (f"the {n} equilibria in which the players choose {listed}" if n != 1 else
            f"the equilibrium in which the players choose {listed}")


# ---- JSON ----------------------------------------------------------------------------
def document(sweep: EquilibriumSweep) -> dict:
    names = [s.name for s in sweep.information_sets]
    return {
        "variable": sweep.variable,
        "from": sweep.low,
        "to": sweep.high,
        "points": sweep.points,
        "complete": sweep.complete,
        "information_sets": names,
        "intervals": [{
            "from": interval.low, "to": interval.high, "at": interval.middle,
            "count": interval.count, "complete": interval.complete,
            "equilibria": [_described(d, names) for d in interval.equilibria],
        } for interval in sweep.intervals],
        "switches": [{
            "at": switch.at,
            "disappear": [dict(zip(names, s)) for s in switch.disappear],
            "appear": [dict(zip(names, s)) for s in switch.appear],
            "changed": [{"information_set": c.set_name, "from": c.before, "to": c.after,
                         "count": c.count} for c in switch.changes],
            "disappear_by": dict(switch.disappear_by),
            "appear_by": dict(switch.appear_by),
        } for switch in sweep.switches],
    }


def _described(described: Described, names: list[str]) -> dict:
    return {
        "kind": described.kind or None,
        "strategy": dict(zip(names, described.strategy)),
        "on_path": dict(described.on_path),
        "values": {player: v if math.isfinite(v) else None
                   for player, v in described.values.items()},
    }
