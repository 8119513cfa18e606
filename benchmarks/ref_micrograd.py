"""micrograd reference runner: the same programs through Karpathy's scalar autograd engine.

micrograd has only + * ** relu, so the functions the workloads use (sin, tanh, exp, ...) are
added here in micrograd's own style (a Value with a `_backward` closure). Its `backward()`
builds the topological order recursively, so deep graphs end in RecursionError: that is
reported as the result, not worked around. Optional: without micrograd installed the runner
reports a skip (`pip install micrograd`).

Usage: ``python benchmarks/ref_micrograd.py PROGRAM.cg VALUES.json`` prints a JSON report.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from pathlib import Path

import ref_tape

SKIP_NOTE = "micrograd not installed (pip install micrograd)"


def available() -> bool:
    return importlib.util.find_spec("micrograd") is not None


def _unary(value_cls, x, op: str):
    """One micrograd node for a unary function, derivative given by the tape's table."""
    fn, dfn = ref_tape.UNARY[op]
    y = fn(x.data)
    out = value_cls(y, (x,), op)

    def _backward():
        x.grad += dfn(x.data, y) * out.grad

    out._backward = _backward
    return out


def _binary(value_cls, a, b, op: str, b_is_const: bool):
    """micrograd's own operators where it has them; max/min/pow-of-variable added here."""
    if op == "add":
        return a + b
    if op == "sub":
        return a - b
    if op == "mul":
        return a * b
    if op == "div":
        return a / b
    if op == "pow" and b_is_const:  # micrograd's ** takes a number exponent only
        return a**b.data
    fn, dfn = ref_tape.BINARY[op]
    y = fn(a.data, b.data)
    out = value_cls(y, (a, b), op)

    def _backward():
        da, db = dfn(a.data, b.data, y)
        a.grad += da * out.grad
        b.grad += db * out.grad

    out._backward = _backward
    return out


def build(tape: ref_tape.Tape, values: dict[str, float]):
    """Replay the tape as micrograd Values (this is micrograd's forward pass)."""
    from micrograd.engine import Value

    names = {i: name for name, i in tape.inputs.items()}
    nodes = []
    for i, (op, args) in enumerate(zip(tape.ops, tape.args, strict=True)):
        if op is None:
            v = Value(float(values[names[i]]) if names.get(i) in values else tape.leaf[i])
        elif len(args) == 1:
            v = _unary(Value, nodes[args[0]], op)
        else:
            const = tape.ops[args[1]] is None and args[1] not in names
            v = _binary(Value, nodes[args[0]], nodes[args[1]], op, const)
        nodes.append(v)
    return nodes


def run(program_path: str | Path, values_path: str | Path) -> dict:
    """Time parse, forward (building Values) and backward; RecursionError is a result."""
    if not available():
        return {"engine": "micrograd", "skipped": SKIP_NOTE}
    text = Path(program_path).read_text()
    values = json.loads(Path(values_path).read_text())
    t0 = time.perf_counter()
    tape = ref_tape.parse(text)
    t1 = time.perf_counter()
    nodes = build(tape, values)
    t2 = time.perf_counter()
    report = {"engine": "micrograd", "parse": t1 - t0, "forward": t2 - t1}
    out = nodes[tape.output]
    try:
        out.backward()
    except RecursionError:
        report["error"] = "RecursionError"
        return report
    t3 = time.perf_counter()
    grads = {name: float(nodes[i].grad) for name, i in tape.inputs.items()}
    report.update(backward=t3 - t2, total=t3 - t0, output=out.data, gradients=grads)
    return report


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        sys.exit(f"usage: {Path(__file__).name} PROGRAM.cg VALUES.json")
    print(json.dumps(run(*args)))


if __name__ == "__main__":
    main()
