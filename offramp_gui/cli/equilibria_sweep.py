"""`offramp equilibria FILE --var NAME [--from X --to Y] [--points N]`: the intervals of
one variable over which the set of equilibria stays the same, and what changes between."""
from __future__ import annotations

import math

from ..analysis.equilibria_sweep import Described, EquilibriumSweep


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
