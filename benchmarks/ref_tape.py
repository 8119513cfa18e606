"""Plain-Python tape: the baseline of issue 6 and a correctness oracle for cgraph's gradients.

Parse with Python's `ast` (after `^` -> `**`), flatten to a tape of nodes in topological
order, then one forward loop and one backward loop. The cyclic garbage collector is paused
while the tape is built, as the issue's baseline did (it tripled the parse time otherwise).
The other reference runners reuse `parse` so they all read the programs the same way.

Usage: ``python benchmarks/ref_tape.py PROGRAM.cg VALUES.json`` prints a JSON report.
"""

from __future__ import annotations

import ast
import gc
import json
import math
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


# name -> (value(x), local derivative(x, y)) where y is the node's own value.
UNARY = {
    "neg": (lambda x: -x, lambda x, y: -1.0),
    "pos": (lambda x: x, lambda x, y: 1.0),
    "sin": (math.sin, lambda x, y: math.cos(x)),
    "cos": (math.cos, lambda x, y: -math.sin(x)),
    "tan": (math.tan, lambda x, y: 1.0 + y * y),
    "exp": (math.exp, lambda x, y: y),
    "log": (math.log, lambda x, y: 1.0 / x),
    "ln": (math.log, lambda x, y: 1.0 / x),
    "sqrt": (math.sqrt, lambda x, y: 0.5 / y),
    "abs": (abs, lambda x, y: 1.0 if x > 0 else -1.0 if x < 0 else 0.0),
    "tanh": (math.tanh, lambda x, y: 1.0 - y * y),
    "sigmoid": (_sigmoid, lambda x, y: y * (1.0 - y)),
    "relu": (lambda x: x if x > 0 else 0.0, lambda x, y: 1.0 if x > 0 else 0.0),
}


def _pow_grads(a: float, b: float, y: float) -> tuple[float, float]:
    da = b * a ** (b - 1) if b != 0 else 0.0
    db = y * math.log(a) if a > 0 else 0.0
    return da, db


# name -> (value(a, b), local derivatives(a, b, y) -> (d/da, d/db)).
BINARY = {
    "add": (lambda a, b: a + b, lambda a, b, y: (1.0, 1.0)),
    "sub": (lambda a, b: a - b, lambda a, b, y: (1.0, -1.0)),
    "mul": (lambda a, b: a * b, lambda a, b, y: (b, a)),
    "div": (lambda a, b: a / b, lambda a, b, y: (1.0 / b, -y / b)),
    "pow": (lambda a, b: a**b, _pow_grads),
    "max": (max, lambda a, b, y: (1.0, 0.0) if a >= b else (0.0, 1.0)),
    "min": (min, lambda a, b, y: (1.0, 0.0) if a <= b else (0.0, 1.0)),
}

_BINOPS = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.Pow: "pow"}
_UNOPS = {ast.USub: "neg", ast.UAdd: "pos"}
_CONSTANTS = {"pi": math.pi, "e": math.e}


@dataclass
class Tape:
    """Nodes in topological order: op name (None for a leaf), argument indices, leaf value."""

    ops: list[str | None] = field(default_factory=list)
    args: list[tuple[int, ...]] = field(default_factory=list)
    leaf: list[float] = field(default_factory=list)
    inputs: dict[str, int] = field(default_factory=dict)
    defaults: set[str] = field(default_factory=set)
    output: int = -1

    def push(self, op: str | None, args: tuple[int, ...] = (), value: float = 0.0) -> int:
        self.ops.append(op)
        self.args.append(args)
        self.leaf.append(value)
        return len(self.ops) - 1


# Integer codes for the ops the loops do inline (no call); the rest call their table entry.
ADD, SUB, MUL, DIV, NEG, CALL1, CALL2 = range(7)
_INLINE = {"add": ADD, "sub": SUB, "mul": MUL, "div": DIV, "neg": NEG}


class _Builder:
    """Turns one ast statement after another into tape nodes, without recursion.

    The post-order walk keeps its results on a stack (an RPN machine): a visited node pushes
    its index, an op pops its arguments' indices. No dict keyed by id(), no second pass.
    """

    def __init__(self) -> None:
        self.tape = Tape()
        self.names: dict[str, int] = {}

    def name(self, ident: str) -> int:
        if ident in self.names:
            return self.names[ident]
        if ident in _CONSTANTS:
            return self.tape.push(None, (), _CONSTANTS[ident])
        index = self.tape.push(None)
        self.tape.inputs[ident] = index
        self.names[ident] = index
        return index

    def expr(self, root: ast.expr) -> int:
        tape = self.tape
        ops, args, leaf = tape.ops, tape.args, tape.leaf
        results: list[int] = []
        stack: list[object] = [root]
        binops, unops = _BINOPS, _UNOPS
        BinOp, UnaryOp, Name, Constant, Call = (
            ast.BinOp,
            ast.UnaryOp,
            ast.Name,
            ast.Constant,
            ast.Call,
        )
        while stack:
            item = stack.pop()
            kind = type(item)
            if kind is str:  # an op whose arguments are done: the string is its name
                arity = 1 if item in UNARY else 2
                ops.append(item)  # type: ignore[arg-type]
                args.append(tuple(results[-arity:]))
                leaf.append(0.0)
                del results[-arity:]
                results.append(len(ops) - 1)
            elif kind is Name:
                results.append(self.name(item.id))  # type: ignore[attr-defined]
            elif kind is BinOp:
                stack += (binops[type(item.op)], item.right, item.left)  # type: ignore[attr-defined]
            elif kind is Constant:
                results.append(tape.push(None, (), float(item.value)))  # type: ignore[attr-defined]
            elif kind is UnaryOp:
                stack += (unops[type(item.op)], item.operand)  # type: ignore[attr-defined]
            elif kind is Call and type(item.func) is Name:  # type: ignore[attr-defined]
                fn = item.func.id  # type: ignore[attr-defined]
                if fn not in UNARY and fn not in BINARY:
                    raise ValueError(f"unknown function {fn!r}")
                stack.append(fn)
                stack += reversed(item.args)  # type: ignore[attr-defined]
            else:
                raise ValueError(f"unsupported syntax: {ast.dump(item)[:60]}")  # type: ignore[arg-type]
        return results[-1]

    def statement(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
            if isinstance(target, ast.Name):
                if isinstance(stmt.value, ast.Constant):  # `a = 3`: an input with a default
                    index = self.tape.push(None, (), float(stmt.value.value))
                    self.tape.inputs[target.id] = index
                    self.tape.defaults.add(target.id)
                else:
                    index = self.expr(stmt.value)
                self.names[target.id] = index
                self.tape.output = index
                return
        if isinstance(stmt, ast.Expr):
            self.tape.output = self.expr(stmt.value)
            return
        raise ValueError(f"unsupported statement at line {stmt.lineno}")


def parse(text: str) -> Tape:
    """Program text -> tape, with the cyclic GC paused (the AST is many small objects).

    A flat sum of 100,000 terms is an AST 100,000 deep, which CPython builds recursively: the
    recursion limit is raised for it (nesting is still capped at 200 parentheses by Python's
    parser, so a deeply nested expression is a SyntaxError: the tape cannot read it).
    """
    enabled = gc.isenabled()
    gc.disable()
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 1_000_000))
    try:
        builder = _Builder()
        for stmt in ast.parse(text.replace("^", "**")).body:
            builder.statement(stmt)
        return builder.tape
    finally:
        sys.setrecursionlimit(limit)
        if enabled:
            gc.enable()


Instruction = tuple[int, int, int, int, object, object]  # node, code, a, b, value fn, slope fn


def compile_tape(tape: Tape) -> list[Instruction]:
    """One instruction per op node: the common arithmetic by code, the rest by function."""
    code: list[Instruction] = []
    for i, (op, a) in enumerate(zip(tape.ops, tape.args, strict=True)):
        if op is None:
            continue
        if op in _INLINE:
            code.append((i, _INLINE[op], a[0], a[-1], None, None))
        elif len(a) == 1:
            fn, dfn = UNARY[op]
            code.append((i, CALL1, a[0], a[0], fn, dfn))
        else:
            fn, dfn = BINARY[op]
            code.append((i, CALL2, a[0], a[1], fn, dfn))
    return code


def forward(
    tape: Tape, values: dict[str, float], code: list[Instruction] | None = None
) -> list[float]:
    """One loop in topological order; leaves keep their value unless `values` overrides it."""
    val = list(tape.leaf)
    for name, index in tape.inputs.items():
        if name in values:
            val[index] = float(values[name])
        elif name not in tape.defaults:
            raise KeyError(f"no value for input {name!r}")
    for i, op, a, b, fn, _ in compile_tape(tape) if code is None else code:
        if op == MUL:
            val[i] = val[a] * val[b]
        elif op == ADD:
            val[i] = val[a] + val[b]
        elif op == CALL1:
            val[i] = fn(val[a])  # type: ignore[operator]
        elif op == SUB:
            val[i] = val[a] - val[b]
        elif op == DIV:
            val[i] = val[a] / val[b]
        elif op == NEG:
            val[i] = -val[a]
        else:
            val[i] = fn(val[a], val[b])  # type: ignore[operator]
    return val


def backward(tape: Tape, val: list[float], code: list[Instruction] | None = None) -> list[float]:
    """One loop in reverse topological order accumulating d(output)/d(node)."""
    grad = [0.0] * len(val)
    grad[tape.output] = 1.0
    for i, op, a, b, _, dfn in reversed(compile_tape(tape) if code is None else code):
        g = grad[i]
        if g == 0.0:
            continue
        if op == MUL:
            grad[a] += g * val[b]
            grad[b] += g * val[a]
        elif op == ADD:
            grad[a] += g
            grad[b] += g
        elif op == CALL1:
            grad[a] += g * dfn(val[a], val[i])  # type: ignore[operator]
        elif op == SUB:
            grad[a] += g
            grad[b] -= g
        elif op == DIV:
            grad[a] += g / val[b]
            grad[b] -= g * val[i] / val[b]
        elif op == NEG:
            grad[a] -= g
        else:
            da, db = dfn(val[a], val[b], val[i])  # type: ignore[operator]
            grad[a] += g * da
            grad[b] += g * db
    return grad


def run(program_path: str | Path, values_path: str | Path) -> dict:
    """Time parse, forward and backward; return timings, output and input gradients."""
    text = Path(program_path).read_text()
    values = json.loads(Path(values_path).read_text())
    t0 = time.perf_counter()
    tape = parse(text)
    code = compile_tape(tape)
    t1 = time.perf_counter()
    val = forward(tape, values, code)
    t2 = time.perf_counter()
    grad = backward(tape, val, code)
    t3 = time.perf_counter()
    return {
        "engine": "tape",
        "parse": t1 - t0,
        "forward": t2 - t1,
        "backward": t3 - t2,
        "total": t3 - t0,
        "nodes": len(tape.ops),
        "output": val[tape.output],
        "gradients": {name: grad[i] for name, i in tape.inputs.items()},
    }


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        sys.exit(f"usage: {Path(__file__).name} PROGRAM.cg VALUES.json")
    print(json.dumps(run(*args)))


if __name__ == "__main__":
    main()
