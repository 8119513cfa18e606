"""SymPy reference runner: the output as one SymPy expression, then `diff` per input variable.

This is forward-mode-by-hand symbolics, what a person does with SymPy alone; its cost grows
with (variables x expression size) and deep nesting hits RecursionError. The work runs in a
subprocess with a time cap so a hopeless size costs at most the cap ('over N s').

Usage: ``python benchmarks/ref_sympy.py PROGRAM.cg VALUES.json [--timeout S]``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

import ref_tape

DEFAULT_TIMEOUT = 60.0


def available() -> bool:
    return importlib.util.find_spec("sympy") is not None


def _functions():
    """Tape op -> SymPy constructor (sigmoid and relu spelled in SymPy's terms)."""
    import sympy as sp

    return {
        "neg": lambda a: -a,
        "pos": lambda a: a,
        "sin": sp.sin,
        "cos": sp.cos,
        "tan": sp.tan,
        "exp": sp.exp,
        "log": sp.log,
        "ln": sp.log,
        "sqrt": sp.sqrt,
        "abs": sp.Abs,
        "tanh": sp.tanh,
        "sigmoid": lambda a: 1 / (1 + sp.exp(-a)),
        "relu": lambda a: sp.Max(0, a),
        "add": lambda a, b: a + b,
        "sub": lambda a, b: a - b,
        "mul": lambda a, b: a * b,
        "div": lambda a, b: a / b,
        "pow": lambda a, b: a**b,
        "max": sp.Max,
        "min": sp.Min,
    }


def build(tape: ref_tape.Tape):
    """The output expression; named steps are shared Python objects, not re-derived."""
    import sympy as sp

    names = {i: name for name, i in tape.inputs.items()}
    fns = _functions()
    exprs = []
    for i, (op, args) in enumerate(zip(tape.ops, tape.args, strict=True)):
        if op is None:
            exprs.append(sp.Symbol(names[i]) if i in names else sp.Float(tape.leaf[i]))
        else:
            exprs.append(fns[op](*(exprs[a] for a in args)))
    return exprs[tape.output], {name: sp.Symbol(name) for name in tape.inputs}


def inner(program_path: str | Path, values_path: str | Path) -> dict:
    """The timed work itself: parse, build, then diff and evaluate once per variable."""
    import sympy  # noqa: F401  (imported before the clock starts: start-up is timed elsewhere)

    text = Path(program_path).read_text()
    values = json.loads(Path(values_path).read_text())
    t0 = time.perf_counter()
    tape = ref_tape.parse(text)
    report = {"engine": "sympy"}
    try:
        expr, symbols = build(tape)
        t1 = time.perf_counter()
        point = {symbols[n]: values.get(n, tape.leaf[i]) for n, i in tape.inputs.items()}
        output = float(expr.xreplace(point))
        grads = {n: float(expr.diff(s).xreplace(point)) for n, s in symbols.items()}
    except RecursionError:
        report["error"] = "RecursionError"
        return report
    t2 = time.perf_counter()
    report.update(build=t1 - t0, diff=t2 - t1, total=t2 - t0, output=output, gradients=grads)
    return report


def run(program_path: str | Path, values_path: str | Path, timeout: float = DEFAULT_TIMEOUT):
    """inner() in a subprocess, killed at `timeout` seconds; 'process' is its wall time."""
    if not available():
        return {"engine": "sympy", "skipped": "sympy not installed"}
    cmd = [sys.executable, __file__, "--inner", str(program_path), str(values_path)]
    start = time.perf_counter()
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"engine": "sympy", "error": f"over {timeout:g} s", "timeout": timeout}
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"engine": "sympy", "error": f"exit {done.returncode}: {last[:120]}"}
    return {**json.loads(done.stdout), "process": {"seconds": seconds}}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("program")
    parser.add_argument("values")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT)
    parser.add_argument("--inner", action="store_true", help="do the work in this process")
    args = parser.parse_args(argv)
    if args.inner:
        print(json.dumps(inner(args.program, args.values)))
    else:
        print(json.dumps(run(args.program, args.values, args.timeout)))


if __name__ == "__main__":
    main()
