"""The node fields of the file format, one row each: what every layer needs to know.

The model's slots, both readers, the writer, the GraphML/DOT attributes, the editor's
undo texts, the canvas's relayout rule and the generic rows of the Properties panel
are derived from `FIELDS`. A new plain text field is one row here (before the
children) and its line in docs/format.md; tests/model/test_fields.py then checks it
everywhere. A field of another kind also needs code where that kind is handled.

Plain Python: no Qt, no numpy.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

DECISION, CHANCE, TERMINAL = "decision", "chance", "terminal"
NODE_TYPES = (DECISION, CHANCE, TERMINAL)


class Kind(enum.Enum):
    """What a field holds. The readers check the JSON type of the plain kinds (text,
    long text, choice, reference, flag); the others have code of their own."""

    ID = "id"
    NODE_TYPE = "node type"
    TEXT = "text"  # one line, edited in a generic row of the Properties panel
    LONG_TEXT = "long text"  # several lines, with an editor of its own
    CHOICE = "choice"  # one of a few words
    REFERENCE = "reference"  # the id of a player or an outcome
    FLAG = "flag"  # true or false
    EXPRESSION = "expression"  # a number, a formula over the variables, or "#"
    PAYOFF = "payoff"  # a number or formula, or one per criterion
    TEMPLATE = "template"  # {"name", "parameters"}: the node is a template's master
    USE = "use"  # {"template", "bind"}: the node is a use of a template
    CHILDREN = "children"


_JSON_TYPES = {Kind.TEXT: str, Kind.LONG_TEXT: str, Kind.CHOICE: str, Kind.REFERENCE: str,
               Kind.FLAG: bool}


@dataclass(frozen=True)
class NodeField:
    name: str
    kind: Kind
    #: What the Properties panel calls it.
    label: str
    #: Edit > Undo's words for a change of this field alone; the children change by
    #: adding, deleting and moving branches, each with words of its own.
    undo_text: str | None
    #: The node types it belongs on; clearing it is part of changing to another type.
    on: tuple[str, ...] = NODE_TYPES
    #: False when the root has none.
    on_root: bool = True
    #: Changing it moves nodes on the canvas, rather than redrawing one.
    relayout: bool = False
    #: GraphML and DOT carry it as a node attribute of its own name.
    graph_attribute: bool = True
    #: The `NodeColumns` list the engine reads its values from, if any.
    column: str | None = None

    @property
    def json_type(self) -> type | None:
        """The JSON type of a plain field's value (null aside); None for the others."""
        return _JSON_TYPES.get(self.kind)


#: In the order they are written; the children come last, after any `x-` keys.
FIELDS = (
    NodeField("id", Kind.ID, "Id", "Change id", relayout=True, graph_attribute=False,
              column="ids"),
    NodeField("type", Kind.NODE_TYPE, "Type", "Change node type", relayout=True,
              column="types"),
    NodeField("branch", Kind.TEXT, "Branch", "Rename branch", on_root=False,
              column="branches"),
    NodeField("name", Kind.TEXT, "Name", "Rename node", column="names"),
    NodeField("player", Kind.REFERENCE, "Player", "Change player", on=(DECISION,),
              column="players"),
    NodeField("solve", Kind.CHOICE, "Solve by", "Change how the decision is solved",
              on=(DECISION,), column="solves"),
    # Decisions of one player that share a name are one information set: the player
    # cannot tell them apart (analysis/equilibria.py).
    NodeField("information_set", Kind.TEXT, "Information set", "Change information set",
              on=(DECISION,)),
    NodeField("probability", Kind.EXPRESSION, "Probability", "Change probability",
              on_root=False, graph_attribute=False, column="probabilities"),
    NodeField("payoff", Kind.PAYOFF, "Payoff", "Change payoff", graph_attribute=False,
              column="payoffs"),
    NodeField("outcome", Kind.REFERENCE, "Outcome", "Change outcome", on=(TERMINAL,),
              column="outcomes"),
    NodeField("collapsed", Kind.FLAG, "Folded", "Fold or expand", relayout=True),
    NodeField("notes", Kind.LONG_TEXT, "Notes", "Change notes"),
    NodeField("template", Kind.TEMPLATE, "Template", "Change template", on=(DECISION, CHANCE),
              graph_attribute=False),
    NodeField("use", Kind.USE, "Use of template", "Change use", relayout=True,
              graph_attribute=False),
    NodeField("children", Kind.CHILDREN, "Branches", None, on=(DECISION, CHANCE),
              relayout=True, graph_attribute=False),
)

FIELD = {field.name: field for field in FIELDS}

#: The fields a Node holds as attributes (the children are a list of their own).
VALUE_FIELDS = tuple(field for field in FIELDS if field.kind is not Kind.CHILDREN)
