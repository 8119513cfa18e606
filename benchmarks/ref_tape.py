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


class _Builder:
    """Turns one ast statement after another into tape nodes, without recursion."""

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
        """Post-order walk with an explicit stack: children first, then the node."""
        done: dict[int, int] = {}
        stack: list[tuple[ast.expr, bool]] = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            kids = _children(node)
            if not expanded and kids:
                stack.append((node, True))
                stack.extend((k, False) for k in reversed(kids))
                continue
            done[id(node)] = self.leaf_or_op(node, [done[id(k)] for k in kids])
        return done[id(root)]

    def leaf_or_op(self, node: ast.expr, kids: list[int]) -> int:
        tape = self.tape
        if isinstance(node, ast.Constant):
            return tape.push(None, (), float(node.value))
        if isinstance(node, ast.Name):
            return self.name(node.id)
        if isinstance(node, ast.BinOp):
            return tape.push(_BINOPS[type(node.op)], tuple(kids))
        if isinstance(node, ast.UnaryOp):
            return tape.push(_UNOPS[type(node.op)], tuple(kids))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            fn = "pow" if node.func.id == "pow" else node.func.id
            if fn not in UNARY and fn not in BINARY:
                raise ValueError(f"unknown function {fn!r}")
            return tape.push(fn, tuple(kids))
        raise ValueError(f"unsupported syntax: {ast.dump(node)[:60]}")

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


def _children(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        return [node.operand]
    if isinstance(node, ast.Call):
        return list(node.args)
    return []


def parse(text: str) -> Tape:
    """Program text -> tape, with the cyclic GC paused (the AST is many small objects)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        builder = _Builder()
        for stmt in ast.parse(text.replace("^", "**")).body:
            builder.statement(stmt)
        return builder.tape
    finally:
        if enabled:
            gc.enable()


def forward(tape: Tape, values: dict[str, float]) -> list[float]:
    """One loop in topological order; leaves keep their value unless `values` overrides it."""
    val = list(tape.leaf)
    for name, index in tape.inputs.items():
        if name in values:
            val[index] = float(values[name])
        elif name not in tape.defaults:
            raise KeyError(f"no value for input {name!r}")
    unary, binary = UNARY, BINARY
    for i, (op, args) in enumerate(zip(tape.ops, tape.args, strict=True)):
        if op is None:
            continue
        if len(args) == 1:
            val[i] = unary[op][0](val[args[0]])
        else:
            val[i] = binary[op][0](val[args[0]], val[args[1]])
    return val


def backward(tape: Tape, val: list[float]) -> list[float]:
    """One loop in reverse topological order accumulating d(output)/d(node)."""
    grad = [0.0] * len(val)
    grad[tape.output] = 1.0
    unary, binary, ops, args = UNARY, BINARY, tape.ops, tape.args
    for i in range(tape.output, -1, -1):
        op = ops[i]
        g = grad[i]
        if op is None or g == 0.0:
            continue
        a = args[i]
        if len(a) == 1:
            grad[a[0]] += g * unary[op][1](val[a[0]], val[i])
        else:
            da, db = binary[op][1](val[a[0]], val[a[1]], val[i])
            grad[a[0]] += g * da
            grad[a[1]] += g * db
    return grad


def run(program_path: str | Path, values_path: str | Path) -> dict:
    """Time parse, forward and backward; return timings, output and input gradients."""
    text = Path(program_path).read_text()
    values = json.loads(Path(values_path).read_text())
    t0 = time.perf_counter()
    tape = parse(text)
    t1 = time.perf_counter()
    val = forward(tape, values)
    t2 = time.perf_counter()
    grad = backward(tape, val)
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
