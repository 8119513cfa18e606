"""Build the computational graph of a program: nodes in topological order, inputs first.

The graph mirrors the text: `x - y` is one subtraction node, a name used twice is one node with
two out-edges, each literal is its own constant node, and a named step names its node. Nodes are
small immutable records; values and gradients live in the lists the passes return, so one graph
serves many points. Ids are `n0, n1, ...` in topological order: inputs (in order of first
appearance), then constants and ops in the order they are written.

A name may be assigned again (`c = c + 1`, `c += 1`): each assignment is a new node, labelled
c, c′, c′′, ... A name first assigned a constant (`x = 2`, `x = pi/4`) is an input with that
default.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import cached_property, partial
from typing import NamedTuple

from ..errors import ParseError, UsageError, did_you_mean
from .exponents import refuse_inexact_exponents
from .ops import ATOM, CONSTANTS, OPS, PREFIX, write
from .syntax import Program, Statement, Syntax, parse_program
from .util import gc_paused

INPUT, CONST = "input", "const"
PRIME = "′"  # the second assignment of c is the node c′, the third c′′
DEFAULT_OUTPUT_NAMES = ("f", "out", "output", "result")


class Node(NamedTuple):
    """One node. `op` is "input", "const" or an op name from ops.OPS."""

    id: str
    op: str
    inputs: tuple[int, ...]  # indices of argument nodes, in argument order
    name: str | None  # variable or step name; None for unnamed intermediate nodes
    value: float | None = None  # the number, for constants
    text: str | None = None  # the literal as written, for constants ("2", "-4", "pi")

    @property
    def label(self) -> str:
        """How the node is called in tables and pictures: its name, literal or id."""
        return self.name or self.text or self.id


class Graph:
    """Nodes in topological order with the program's names, defaults and output."""

    def __init__(
        self,
        nodes: list[Node],
        output: int,
        names: dict[str, int],
        defaults: dict[str, float],
        source: str,
        notes: tuple[str, ...] = (),
        named_output: bool = True,
        id_prefix: str = "n",
    ) -> None:
        self.nodes = nodes
        self.output = output
        self.names = names  # every name the program defines or uses -> node index
        self.defaults = defaults  # input name -> default value from `x = 2` lines
        self.source = source
        self.notes = notes  # how ambiguous text was read (`sin x y` -> sin(x)·y)
        self.named_output = named_output  # False when cgraph made the output's name up
        self.id_prefix = id_prefix  # node ids are id_prefix + index; never a name (`id_prefix`)

    def __len__(self) -> int:
        return len(self.nodes)

    @cached_property
    def input_names(self) -> tuple[str, ...]:
        """Input variables in order of first appearance."""
        return tuple(node.name for node in self.nodes if node.op == INPUT)  # type: ignore[misc]

    @cached_property
    def consumers(self) -> list[list[int]]:
        """For each node, the nodes that use it (one entry per use)."""
        out: list[list[int]] = [[] for _ in self.nodes]
        for index, node in enumerate(self.nodes):
            for arg in node.inputs:
                out[arg].append(index)
        return out

    @cached_property
    def varying(self) -> list[bool]:
        """Whether each node depends on some input (constant subgraphs need no gradient)."""
        flags = [False] * len(self.nodes)
        for index, node in enumerate(self.nodes):
            if node.op == INPUT:
                flags[index] = True
                continue
            for arg in node.inputs:
                if flags[arg]:
                    flags[index] = True
                    break
        return flags

    def index_of(self, name: str) -> int:
        """Node index for a name or an id (`q`, `n3`); a clear error otherwise."""
        if name in self.names:
            return self.names[name]
        digits = name[len(self.id_prefix) :] if name.startswith(self.id_prefix) else ""
        if _ID_DIGITS.fullmatch(digits) and int(digits) < len(self.nodes):
            return int(digits)
        choices = sorted(self.names)
        raise UsageError(
            f"the program has no step or variable named `{name}`",
            did_you_mean(name, choices) or f"names: {', '.join(choices)}",
        )

    @cached_property
    def texts(self) -> list[str]:
        """Each node's expression in terms of its arguments' names (see `expression_texts`)."""
        return expression_texts(self)

    def output_name(self, output: int | None = None) -> str:
        return self.nodes[self.output if output is None else output].label


def compile_program(source: str) -> Graph:
    """Text -> Graph: parse, then build."""
    return build_graph(parse_program(source))


def build_graph(program: Program) -> Graph:
    """Build the graph of a parsed program (iterative; the cyclic GC is paused meanwhile)."""
    with gc_paused():
        graph = _Builder(program).build()
    refuse_inexact_exponents(graph)  # x^(2^53+1): float64 would flip the sign
    return graph


_Draft = tuple[str, tuple[int, ...], float | None, str | None]  # op, inputs, value, text


class _Builder:
    """Turns statements into nodes; nodes are drafted as tuples and made into Nodes once."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.source = program.source
        self.drafts: list[_Draft] = []  # in creation order; inputs are moved first at the end
        self.names_of: dict[int, str] = {}  # draft index -> its input or step name
        self.scope: dict[str, int] = {}
        self.defaults: dict[str, float] = {}
        self.step_lines: dict[str, int] = {}  # step name -> index of its first statement
        self.labels: dict[int, str] = {}  # statement index -> its node's label (c, c′, ...)
        self.labelled: dict[str, int] = {}  # label -> node: `c` is the first c, `c′` the next
        self.input_lines: set[int] = set()  # statements that declare an input's default

    def build(self) -> Graph:
        statements = self.program.statements
        self._declare(statements)
        output = -1
        for position, statement in enumerate(statements):
            target = statement.target
            if position in self.input_lines:
                index = self._input(target)  # type: ignore[arg-type]
            else:
                index = self._expression(statement, position)
            if target is not None:
                label = self.labels[position]
                self.scope[target] = index
                self.labelled[label] = index
                self.names_of.setdefault(index, label)
            output = index
        return self._finish(output)

    def _declare(self, statements: tuple) -> None:
        """Label every assignment and record input defaults before building, so that misuse
        is caught early and an input may be given its default after it is used."""
        seen: dict[str, int] = {}
        assigned = {statement.target for statement in statements}
        for position, statement in enumerate(statements):
            target = statement.target
            if target is None:
                if position != len(statements) - 1:
                    raise ParseError(
                        "this expression is not assigned to a name",
                        self.source,
                        statement.start,
                        "name it (`q = ...`) or make it the last statement, which is the output",
                    )
                continue
            count = seen.get(target, 0)
            seen[target] = count + 1
            self.labels[position] = target + PRIME * count
            if count:
                continue
            last = position == len(statements) - 1
            value = self._constant(statement, assigned, last)
            if value is None:
                self.step_lines[target] = position
            else:
                self.defaults[target] = value
                self.input_lines.add(position)

    def _constant(self, statement: Statement, assigned: set, last: bool) -> float | None:
        """The value of `x = 2` or `x = pi/4` (an input's default), else None. A constant
        expression as the last statement stays a graph (`f = 2 + 3` shows its sum)."""
        expr = statement.expr
        if expr.kind == "number":
            return expr.value
        if last:
            return None
        values: dict[int, float] = {}
        for syntax in statement.order:
            if syntax.kind == "number":
                values[id(syntax)] = syntax.value  # type: ignore[assignment]
            elif syntax.kind == "name":
                if syntax.text not in CONSTANTS or syntax.text in assigned:
                    return None
                values[id(syntax)] = CONSTANTS[syntax.text]
            else:
                spec = OPS[syntax.op]  # type: ignore[index]
                try:
                    value = spec.forward(*[values[id(arg)] for arg in syntax.args])
                except (ArithmeticError, ValueError):
                    value = float("nan")
                if not math.isfinite(value):
                    raise ParseError(
                        f"`{statement.target}` is given a value that is not a finite real number",
                        self.source,
                        syntax.start,
                        spec.domain,
                    )
                values[id(syntax)] = value
        return values[id(expr)]

    def _expression(self, statement: Statement, position: int) -> int:
        """Nodes for a statement's syntax, children first as the parser made them: no walk.
        (The hot loop of the build: appends inline, no method call per node.)"""
        drafts = self.drafts
        append = drafts.append
        for syntax in statement.order:
            kind = syntax.kind
            if kind == "op":
                syntax.node = len(drafts)
                append((syntax.op, tuple([arg.node for arg in syntax.args]), None, None))  # type: ignore[arg-type]
            elif kind == "number":
                syntax.node = len(drafts)
                append((CONST, (), syntax.value, syntax.text))
            else:
                syntax.node = self._reference(syntax, position)
        return statement.expr.node

    def _reference(self, syntax: Syntax, position: int) -> int:
        name = syntax.text
        if name in self.scope:
            return self.scope[name]
        if name in self.step_lines:
            defined = self.step_lines[name]
            raise ParseError(
                f"`{name}` is used before it is defined",
                self.source,
                syntax.start,
                f"`{name}` is defined by a later statement; define steps before using them"
                if defined > position
                else f"`{name}` cannot depend on itself",
            )
        if name in CONSTANTS and name not in self.defaults and name not in self.step_lines:
            self.drafts.append((CONST, (), CONSTANTS[name], name))
            return len(self.drafts) - 1
        return self._input(name)

    def _input(self, name: str) -> int:
        if name not in self.scope:
            self.scope[name] = len(self.drafts)
            self.names_of[len(self.drafts)] = name
            self.drafts.append((INPUT, (), None, None))
        return self.scope[name]

    def _finish(self, output: int) -> Graph:
        """Renumber so inputs come first, give ids, and name an unnamed output.

        Column by column: ids, ops and names are made by `map` in C, and each Node by
        `tuple.__new__` (a NamedTuple's own constructor is a Python function: a frame per node).
        """
        drafts = self.drafts
        order = [i for i, d in enumerate(drafts) if d[0] == INPUT]
        order += [i for i, d in enumerate(drafts) if d[0] != INPUT]
        new_index = [0] * len(order)
        for new, old in enumerate(order):
            new_index[old] = new
        names_of = self.names_of
        named_output = output in names_of
        if not named_output and drafts[output][0] != CONST:
            label = next((n for n in DEFAULT_OUTPUT_NAMES if n not in self.scope), None)
            if label:
                self.scope[label] = output
                names_of[output] = label
        prefix = id_prefix({**self.scope, **self.labelled})
        moved = list(map(drafts.__getitem__, order))
        self.drafts = []
        renumber = new_index.__getitem__
        columns = zip(
            map((prefix + "{}").format, range(len(order))),
            [d[0] for d in moved],
            [tuple(map(renumber, d[1])) if d[1] else () for d in moved],
            map(names_of.get, order),
            [d[2] for d in moved],
            [d[3] for d in moved],
            strict=True,
        )
        nodes: list[Node] = list(map(partial(tuple.__new__, Node), columns))
        names = {name: new_index[old] for name, old in {**self.scope, **self.labelled}.items()}
        return Graph(
            nodes,
            new_index[output],
            names,
            self.defaults,
            self.source,
            self.program.notes,
            named_output,
            prefix,
        )


_ID_DIGITS = re.compile(r"[0-9]{1,9}")  # ASCII only: "²".isdigit() is True, int("²") fails


def id_prefix(names: Iterable[str]) -> str:
    """`n` for the ids n0, n1, ...; `n_` (then `n__`, ...) when a name the user wrote looks like
    one (a step called `n5`), so that an automatic id never equals a name."""
    prefix = "n"
    while any(
        name.startswith(prefix) and name[len(prefix) :].isascii() and name[len(prefix) :].isdigit()
        for name in names
    ):
        prefix += "_"
    return prefix


# --- expression text ---------------------------------------------------------------------


def expression_texts(graph: Graph, budget: int = 48) -> list[str]:
    """Each node's expression as the user would write it, in terms of its arguments.

    Named arguments appear by name (`q * z`); an unnamed argument is written out when short,
    otherwise by id (`n17`). Bounded by `budget`, so a 100,000-deep chain stays linear.
    """
    full: list[tuple[str, int]] = []  # (text, precedence) of each node written out
    texts: list[str] = []
    for node in graph.nodes:
        if node.op in (INPUT, CONST):
            text, prec = node.label, ATOM
            if node.op == CONST and node.text and node.text.startswith("-"):
                prec = PREFIX
            full.append((text, prec))
            texts.append(text)
            continue
        parts: list[tuple[str, int]] = []
        for arg in node.inputs:
            arg_node = graph.nodes[arg]
            if arg_node.op == CONST:
                parts.append(full[arg])
            elif arg_node.name is not None:
                parts.append((arg_node.name, ATOM))
            elif len(full[arg][0]) <= budget:
                parts.append(full[arg])
            else:
                parts.append((arg_node.id, ATOM))
        written = write(OPS[node.op], parts)
        texts.append(written[0])
        full.append(written if node.name is None else (node.name, ATOM))
    return texts
