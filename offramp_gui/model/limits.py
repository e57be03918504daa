"""How large a model offramp takes: every reader refuses more, with a clear message,
before the work grows (docs/format.md, "Limits").

Each bound is far above any tree a person builds (the bundled trees hold under 200
nodes) and low enough that the largest allowed file loads, evaluates, saves and exports
in bounded time and memory.
"""
from __future__ import annotations

#: Nodes in one tree (the root included).
MAX_NODES = 2_000_000
#: Levels below the root.
MAX_DEPTH = 1_000
#: Branches of one node.
MAX_CHILDREN = 10_000
#: Entries of each list of the document.
MAX_VARIABLES = 50_000
MAX_PLAYERS = 100
MAX_CRITERIA = 100
MAX_OUTCOMES = 1_000
MAX_SCENARIOS = 1_000
#: Nodes times (outcomes + 1): the engine keeps the chance of each outcome (and of none)
#: at each node, 8 bytes each, so this bounds that table to 400 MB.
MAX_OUTCOME_CELLS = 50_000_000
#: Characters of one expression.
MAX_EXPRESSION_LENGTH = 1_000
