"""The records the parser makes: syntax-tree nodes, statements, the program, and the
operators waiting on the parser's stack."""

from __future__ import annotations

from dataclasses import dataclass


class Syntax:
    """A node of the syntax tree: a number, a name, or an op applied to argument nodes.

    `start`/`end` are character offsets into the source, for carets and for the text of steps.
    """

    __slots__ = ("kind", "op", "args", "value", "text", "start", "end", "node")

    def __init__(
        self,
        kind: str,
        op: str | None,
        args: tuple[Syntax, ...],
        value: float | None,
        text: str,
        start: int,
        end: int,
    ) -> None:
        self.kind = kind  # "number" | "name" | "op"
        self.op = op  # op name from ops.OPS when kind == "op"
        self.args = args
        self.value = value  # the number, when kind == "number"
        self.text = text  # the literal as written, or the name
        self.start = start
        self.end = end
        self.node = -1  # the graph node built from it (set by graph.py)

    def __repr__(self) -> str:
        if self.kind == "op":
            return f"{self.op}({', '.join(map(repr, self.args))})"
        return self.text


@dataclass(frozen=True, slots=True)
class Statement:
    """`target = expr`, or a bare `expr` (target None); offsets point into the source.

    `order` lists the expression's syntax nodes children-first (the order the parser made
    them, ending with `expr`), so the graph can be built in one flat loop.
    """

    target: str | None
    expr: Syntax
    start: int
    order: tuple[Syntax, ...] = ()


@dataclass(frozen=True, slots=True)
class Program:
    """The statements, and notes on how ambiguous text was read (`sin x y` -> sin(x)·y)."""

    statements: tuple[Statement, ...]
    source: str
    notes: tuple[str, ...] = ()


class Pending:
    """An operator waiting on the stack: binary, unary, a function applied without
    parentheses ("apply"), an open parenthesis, a call, or an open absolute-value bar."""

    __slots__ = ("kind", "op", "precedence", "start", "args", "extra", "power", "head", "note")

    def __init__(self, kind: str, op: str | None, precedence: float, start: int) -> None:
        self.kind = kind  # "binary" | "unary" | "apply" | "paren" | "call" | "bar"
        self.op = op
        self.precedence = precedence
        self.start = start
        self.args = 0  # arguments completed so far, for calls
        self.extra: Syntax | None = None  # a logarithm's base, the call's last argument
        self.power: Syntax | None = None  # `sin^2`: the power the result is raised to
        self.head = ""  # the function as written (`sin^2`, `√`), for notes and errors
        self.note: tuple | None = None  # an implicit product whose reading is noted
