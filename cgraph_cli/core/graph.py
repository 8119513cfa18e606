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
from itertools import chain, repeat
from typing import NamedTuple

from ..errors import ParseError, UsageError, did_you_mean
from .exponents import refuse_inexact_exponents
from .ops import CONSTANTS, OPS
from .syntax import Program, Statement, Syntax, parse_program
from .util import gc_paused

INPUT, CONST = "input", "const"
PRIME = "′"  # the second assignment of c is the node c′, the third c′′
_SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def label(name: str, count: int) -> str:
    """The label of the node made by assignment number `count` + 1 of `name`: c, c′, c′′, c′′′,
    then c⁽⁴⁾, c⁽⁵⁾, ... as textbooks write the n-th derivative. Primes alone would make the
    labels of an unrolled loop (`c += x` 100,000 times) quadratic in total size."""
    if count <= 3:
        return name + PRIME * count
    return f"{name}⁽{str(count).translate(_SUPERSCRIPT_DIGITS)}⁾"


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
        from .texts import expression_texts  # texts reads Graph: imported when first asked

        return expression_texts(self)

    def output_name(self, output: int | None = None) -> str:
        return self.nodes[self.output if output is None else output].label


def compile_program(source: str) -> Graph:
    """Text -> Graph: parse, then build. Nothing else holds the syntax tree here, so each
    statement's tree is freed as soon as its nodes are made: tree and graph are never both
    whole (on a 100,000-step program that is the difference between ~1.1 and ~1 KB a node)."""
    program = parse_program(source)
    statements, notes = list(program.statements), program.notes
    del program  # the list is now the only holder of the statements
    with gc_paused():
        graph = _Builder(statements, source, notes).build()
    refuse_inexact_exponents(graph)  # x^(2^53+1): float64 would flip the sign
    return graph


def build_graph(program: Program) -> Graph:
    """Build the graph of a parsed program (iterative; the cyclic GC is paused meanwhile)."""
    with gc_paused():
        graph = _Builder(list(program.statements), program.source, program.notes).build()
    refuse_inexact_exponents(graph)  # x^(2^53+1): float64 would flip the sign
    return graph


class _Builder:
    """Turns statements into nodes, drafted column by column and made into Nodes once.

    Constants and ops are drafted as 0, 1, 2, ... in the order they are written; inputs as
    -1, -2, ... in order of first use, so that putting the inputs first is one shift at the
    end (no permutation, no draft tuple per node: columns are what keeps a 100,000-step
    build under 1 KB per node).
    """

    def __init__(self, statements: list[Statement], source: str, notes: tuple[str, ...]) -> None:
        self.statements: list[Statement | None] = statements  # type: ignore[assignment]
        self.source = source
        self.notes = notes
        self.ops: list[str] = []  # the draft columns of constants and ops
        self.args: list[tuple[int, ...]] = []
        self.values: list[float | None] = []
        self.texts: list[str | None] = []
        self.names: list[str | None] = []  # the column of step names (None: unnamed)
        self.input_names: list[str] = []  # inputs in order of first use: drafts -1, -2, ...
        self.scope: dict[str, int] = {}
        self.defaults: dict[str, float] = {}
        self.step_lines: dict[str, int] = {}  # step name -> index of its first statement
        self.labels: list[str | None] = []  # statement index -> its node's label (c, c′, ...)
        # label -> node, for reassigned names only: `c` the first c, `c′` the next (every
        # other name's node is its scope entry)
        self.labelled: dict[str, int] = {}
        self.input_lines: set[int] = set()  # statements that declare an input's default

    def build(self) -> Graph:
        statements = self.statements
        self._declare(statements)  # type: ignore[arg-type]
        output = -1
        for position, statement in enumerate(statements):
            statements[position] = None  # built once: the tree can go when nothing else holds it
            target = statement.target  # type: ignore[union-attr]
            if position in self.input_lines:
                index = self._input(target)  # type: ignore[arg-type]
            else:
                index = self._expression(statement, position)  # type: ignore[arg-type]
            if target is not None:
                label = self.labels[position] or target  # set for every target
                if label != target:  # a reassignment, c′: the first c keeps the name c
                    self.labelled.setdefault(target, self.scope[target])
                    self.labelled[label] = index
                self.scope[target] = index
                if index >= 0 and self.names[index] is None:  # `q = x`: x keeps its name
                    self.names[index] = label
            output = index
        return self._finish(output)

    def _declare(self, statements: list[Statement]) -> None:
        """Label every assignment and record input defaults before building, so that misuse
        is caught early and an input may be given its default after it is used."""
        seen: dict[str, int] = {}
        assigned = {statement.target for statement in statements}
        self.labels = [None] * len(statements)
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
            self.labels[position] = label(target, count)
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
        ops, args, values, texts, names = self.ops, self.args, self.values, self.texts, self.names
        for syntax in statement.order:
            kind = syntax.kind
            if kind == "op":
                syntax.node = len(ops)
                ops.append(syntax.op)  # type: ignore[arg-type]
                args.append(tuple([arg.node for arg in syntax.args]))
                values.append(None)
                texts.append(None)
                names.append(None)
            elif kind == "number":
                syntax.node = self._constant_node(syntax.value, syntax.text)  # type: ignore[arg-type]
            else:
                syntax.node = self._reference(syntax, position)
        return statement.expr.node

    def _constant_node(self, value: float, text: str) -> int:
        self.ops.append(CONST)
        self.args.append(())
        self.values.append(value)
        self.texts.append(text)
        self.names.append(None)
        return len(self.ops) - 1

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
            return self._constant_node(CONSTANTS[name], name)
        return self._input(name)

    def _input(self, name: str) -> int:
        if name not in self.scope:
            self.input_names.append(name)
            self.scope[name] = -len(self.input_names)
        return self.scope[name]

    def _finish(self, output: int) -> Graph:
        """Put the inputs first, give ids, and name an unnamed output.

        Column by column: ids are made by `map` in C, and each Node by `tuple.__new__` (a
        NamedTuple's own constructor is a Python function: a frame per node). Arguments are
        renumbered in place, so each old tuple is freed as it goes.
        """
        inputs, ops = len(self.input_names), self.ops
        named_output = output < 0 or self.names[output] is not None
        if not named_output and ops[output] != CONST:
            label = next((n for n in DEFAULT_OUTPUT_NAMES if n not in self.scope), None)
            if label:
                self.scope[label] = output
                self.names[output] = label
        # draft j >= 0 -> inputs + j; draft -k (the k-th input) -> k - 1, by negative indexing
        shift = [*range(inputs, inputs + len(ops)), *range(inputs - 1, -1, -1)]
        renumber = shift.__getitem__
        args = self.args
        for j, arguments in enumerate(args):
            if arguments:
                args[j] = tuple(map(renumber, arguments))
        prefix = id_prefix([*self.scope, *self.labelled])
        columns = zip(
            map((prefix + "{}").format, range(inputs + len(ops))),
            chain(repeat(INPUT, inputs), ops),
            chain(repeat((), inputs), args),
            chain(self.input_names, self.names),
            chain(repeat(None, inputs), self.values),
            chain(repeat(None, inputs), self.texts),
            strict=True,
        )
        nodes: list[Node] = list(map(partial(tuple.__new__, Node), columns))
        del self.ops, self.args, self.values, self.texts, self.names
        names = self.scope  # every name -> its node; a reassigned name is its first node
        names.update(self.labelled)
        for name, old in names.items():
            names[name] = shift[old]
        return Graph(
            nodes,
            shift[output],
            names,
            self.defaults,
            self.source,
            self.notes,
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
