"""PyTorch reference runner: scalar autograd, one 0-d tensor per node, as the issue measured.

Only when torch is already installed: the benchmarks never install it (it is large), so
without it the runner reports a skip.

Usage: ``python benchmarks/ref_torch.py PROGRAM.cg VALUES.json`` prints a JSON report.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from pathlib import Path

import ref_tape

SKIP_NOTE = "torch not installed (not installed by the benchmarks on purpose)"


def available() -> bool:
    return importlib.util.find_spec("torch") is not None


def _functions(torch):
    """Tape op -> torch function on 0-d float64 tensors."""
    return {
        "neg": torch.neg,
        "pos": lambda a: a,
        "sin": torch.sin,
        "cos": torch.cos,
        "tan": torch.tan,
        "exp": torch.exp,
        "log": torch.log,
        "ln": torch.log,
        "sqrt": torch.sqrt,
        "abs": torch.abs,
        "tanh": torch.tanh,
        "sigmoid": torch.sigmoid,
        "relu": torch.relu,
        "add": torch.add,
        "sub": torch.sub,
        "mul": torch.mul,
        "div": torch.div,
        "pow": torch.pow,
        "max": torch.maximum,
        "min": torch.minimum,
    }


def run(program_path: str | Path, values_path: str | Path) -> dict:
    """Time parse, forward (building the autograd graph) and backward."""
    if not available():
        return {"engine": "torch", "skipped": SKIP_NOTE}
    import torch

    text = Path(program_path).read_text()
    values = json.loads(Path(values_path).read_text())
    t0 = time.perf_counter()
    tape = ref_tape.parse(text)
    t1 = time.perf_counter()
    names = {i: name for name, i in tape.inputs.items()}
    fns = _functions(torch)
    nodes = []
    for i, (op, args) in enumerate(zip(tape.ops, tape.args, strict=True)):
        if op is None:
            value = float(values[names[i]]) if names.get(i) in values else tape.leaf[i]
            t = torch.tensor(value, dtype=torch.float64, requires_grad=i in names)
        else:
            t = fns[op](*(nodes[a] for a in args))
        nodes.append(t)
    t2 = time.perf_counter()
    nodes[tape.output].backward()
    t3 = time.perf_counter()
    grads = {}
    for name, i in tape.inputs.items():
        g = nodes[i].grad
        grads[name] = 0.0 if g is None else float(g)
    return {
        "engine": "torch",
        "parse": t1 - t0,
        "forward": t2 - t1,
        "backward": t3 - t2,
        "total": t3 - t0,
        "output": float(nodes[tape.output]),
        "gradients": grads,
    }


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        sys.exit(f"usage: {Path(__file__).name} PROGRAM.cg VALUES.json")
    print(json.dumps(run(*args)))


if __name__ == "__main__":
    main()
