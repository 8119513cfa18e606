"""Seeded workload generators for the benchmarks (issue 6).

Each family writes a cgraph program (`.cg`) and a values file (`.json`, name -> number) so
every engine (cgraph, the plain-Python tape, micrograd, SymPy, PyTorch) reads the same text:

- ``random``: N ops over 100 variables x0..x99 as named steps ``s1 = ...``;
- ``mlp``: a 1-hidden-layer tanh MLP squared-error loss unrolled to scalars (~N ops);
- ``chain``: sin(cos(tanh(...))) of depth N, one named step per op;
- ``wide``: one expression, the squared error of a linear model summed over ~N/22 samples
  (about N/2 inputs: the many-inputs shape);
- ``fanout``: one expression in which one input is used about N times;
- ``flatsum``: one flat sum of N terms over 1,000 variables;
- ``longnames``: the random family with every name 60 characters long;
- ``expr``: one random expression of N ops, nested about 20 deep (no named steps);
- ``deep``: sin(cos(tanh(...(x)))) nested N deep in one expression (Python's parser stops at
  200 parentheses, so the tape cannot read it: that is the point).

Run as a script to write one workload: ``python benchmarks/workloads.py random 1000 -o DIR``.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
from dataclasses import dataclass
from pathlib import Path

FAMILIES = ("random", "mlp", "chain", "wide", "fanout", "flatsum", "longnames", "expr", "deep")
N_VARS = 100

# Random-program step templates: (ops, format, operand count). With operands in [-1, 1] each
# template's value stays in [-1, 1] and every local derivative is at most 1 in size, so values
# and gradients stay finite at any N (no overflow, no domain error).
TEMPLATES = (
    (1, "{a} * {b}", 2),
    (2, "tanh({a} + {b})", 2),
    (2, "sin({a} - {b})", 2),
    (2, "{a} / (2 + {b})", 2),
    (2, "cos({a}) * {b}", 2),
    (2, "({a} - {b}) / 2", 2),
    (3, "exp({a} * {b} - 1)", 2),
    (3, "tanh({a} * {b} + {c})", 3),
)
MAX_TEMPLATE_OPS = max(t[0] for t in TEMPLATES)
POOL_SHARE = 0.4

# MLP shape: inputs per sample and hidden units; the batch grows with N.
MLP_IN = 10
MLP_HIDDEN = 10


@dataclass(frozen=True)
class Workload:
    """One generated workload: where its files are and how many ops it has."""

    family: str
    n: int
    ops: int
    program: Path
    values: Path


class _RandomProgram:
    """Builds the random program step by step, keeping track of steps nobody uses yet.

    Operands come from the unused pool 40% of the time, else from the variables or any earlier
    step: the graph shares subexpressions yet stays shallow (depth ~100 at N = 1,000,000, so
    micrograd's recursive backward copes). What is still unused at the end (~7% of the ops) is
    summed by a balanced tree of additions, so every step feeds the output.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lines: list[str] = []
        self.pool: list[str] = []
        self.used: set[int] = set()
        self.ops = 0

    def operand(self, force_pool: bool = False) -> str:
        """Pick an unused step, a variable, or any earlier step (which gives shared subgraphs)."""
        rng = self.rng
        if self.pool and (force_pool or rng.random() < POOL_SHARE):
            i = rng.randrange(len(self.pool))
            self.pool[i], self.pool[-1] = self.pool[-1], self.pool[i]
            return self.pool.pop()
        if not self.lines or rng.random() < 0.5:
            k = rng.randrange(N_VARS)
            self.used.add(k)
            return f"x{k}"
        return f"s{rng.randrange(len(self.lines)) + 1}"

    def add(self, template: tuple[int, str, int], force_pool: bool = False) -> None:
        """Append one step made from a template and push it to the unused pool."""
        ops, fmt, arity = template
        names = [self.operand(force_pool and k == 0) for k in range(arity)]
        step = f"s{len(self.lines) + 1}"
        self.lines.append(f"{step} = " + fmt.format(**dict(zip("abc", names, strict=False))))
        self.pool.append(step)
        self.ops += ops

    def fold_cost(self) -> int:
        """Ops the final sum of the unused pool will take."""
        return max(len(self.pool) - 1, 0)

    def fold(self) -> None:
        """Sum the unused steps level by level into named steps; the last one is the output."""
        level = self.pool
        while len(level) > 1:
            pairs, odd = level[: len(level) // 2 * 2], level[len(level) // 2 * 2 :]
            level = odd
            for a, b in zip(pairs[::2], pairs[1::2], strict=True):
                step = f"s{len(self.lines) + 1}"
                self.lines.append(f"{step} = {a} + {b}")
                self.ops += 1
                level.append(step)
        self.pool = []


def random_program(n: int, rng: random.Random) -> tuple[str, dict[str, float], int]:
    """Exactly n ops (n >= 4) of random steps over x0..x99, all feeding the output.

    The values file names only the variables used (cgraph rejects values for unknown names).
    """
    prog = _RandomProgram(rng)
    while n - prog.ops - prog.fold_cost() > MAX_TEMPLATE_OPS:
        prog.add(rng.choice(TEMPLATES))
    while prog.ops + prog.fold_cost() < n:
        prog.add(TEMPLATES[0], force_pool=True)
    prog.fold()
    values = {f"x{i}": round(rng.uniform(-1.0, 1.0), 6) for i in range(N_VARS)}
    values = {name: v for i, (name, v) in enumerate(values.items()) if i in prog.used}
    return "\n".join(prog.lines) + "\n", values, prog.ops


def _mlp_sample(b: int) -> list[str]:
    """Statements for one sample's hidden layer, output and squared error."""
    lines = []
    for j in range(MLP_HIDDEN):
        terms = " + ".join(f"w{j}_{i} * x{b}_{i}" for i in range(MLP_IN))
        lines.append(f"h{b}_{j} = tanh({terms} + b{j})")
    out = " + ".join(f"v{j} * h{b}_{j}" for j in range(MLP_HIDDEN))
    lines.append(f"y{b} = {out} + c")
    lines.append(f"l{b} = (y{b} - t{b})^2")
    return lines


MLP_OPS_PER_SAMPLE = MLP_HIDDEN * (2 * MLP_IN + 1) + 2 * MLP_HIDDEN + 2


def mlp_program(n: int, rng: random.Random) -> tuple[str, dict[str, float], int]:
    """Sum of squared errors of a 10-10-1 tanh MLP over as many samples as make ~n ops."""
    batch = max(1, round((n + 1) / (MLP_OPS_PER_SAMPLE + 1)))
    lines: list[str] = []
    for b in range(batch):
        lines.extend(_mlp_sample(b))
        if b:
            prev = "l0" if b == 1 else f"loss{b - 1}"
            lines.append(f"loss{b} = {prev} + l{b}")
    ops = batch * MLP_OPS_PER_SAMPLE + (batch - 1)
    scale = 1.0 / math.sqrt(MLP_IN)
    values: dict[str, float] = {}
    for j in range(MLP_HIDDEN):
        for i in range(MLP_IN):
            values[f"w{j}_{i}"] = round(rng.gauss(0.0, scale), 6)
        values[f"b{j}"] = round(rng.gauss(0.0, 0.1), 6)
        values[f"v{j}"] = round(rng.gauss(0.0, 1.0 / math.sqrt(MLP_HIDDEN)), 6)
    values["c"] = round(rng.gauss(0.0, 0.1), 6)
    for b in range(batch):
        for i in range(MLP_IN):
            values[f"x{b}_{i}"] = round(rng.uniform(-1.0, 1.0), 6)
        values[f"t{b}"] = round(rng.uniform(-1.0, 1.0), 6)
    return "\n".join(lines) + "\n", values, ops


def chain_program(n: int, rng: random.Random) -> tuple[str, dict[str, float], int]:
    """sin(cos(tanh(...(x)))) of depth n, one named step per op, so nothing nests deeply."""
    funcs = ("sin", "cos", "tanh")
    lines = [f"s1 = {funcs[0]}(x)"]
    lines.extend(f"s{k} = {funcs[(k - 1) % 3]}(s{k - 1})" for k in range(2, n + 1))
    return "\n".join(lines) + "\n", {"x": round(rng.uniform(-1.0, 1.0), 6)}, n


WIDE_FEATURES = 10
WIDE_OPS_PER_SAMPLE = 2 * WIDE_FEATURES + 2  # products, their sum, - t, ^2, + the next sample


def wide_program(n: int, rng: random.Random) -> tuple[str, dict[str, float], int]:
    """One expression: sum over samples b of (w0*x_b_0 + ... + w9*x_b_9 - t_b)^2."""
    batch = max(1, round((n + 1) / WIDE_OPS_PER_SAMPLE))
    terms = []
    values = {f"w{i}": round(rng.gauss(0.0, 0.3), 6) for i in range(WIDE_FEATURES)}
    for b in range(batch):
        dot = " + ".join(f"w{i}*x{b}_{i}" for i in range(WIDE_FEATURES))
        terms.append(f"({dot} - t{b})^2")
        for i in range(WIDE_FEATURES):
            values[f"x{b}_{i}"] = round(rng.uniform(-1.0, 1.0), 6)
        values[f"t{b}"] = round(rng.uniform(-1.0, 1.0), 6)
    return "L = " + " + ".join(terms) + "\n", values, batch * WIDE_OPS_PER_SAMPLE - 1


FANOUT_TERMS = ("x*x", "sin(x)*x", "x/(2 + x)", "tanh(x)")  # 1, 2, 2, 1 ops; 2, 2, 2, 1 uses


def fanout_program(n: int, rng: random.Random) -> tuple[str, dict[str, float], int]:
    """One expression: a sum of small terms of x, so the one input x has ~n consumers."""
    costs = {"x*x": 1, "sin(x)*x": 2, "x/(2 + x)": 2, "tanh(x)": 1}
    terms: list[str] = []
    ops = -1  # n terms take n - 1 additions
    while ops + 3 <= n:
        term = rng.choice(FANOUT_TERMS)
        terms.append(term)
        ops += costs[term] + 1
    while ops < n:
        terms.append("tanh(x)")
        ops += 2
    return "f = " + " + ".join(terms) + "\n", {"x": round(rng.uniform(-1.0, 1.0), 6)}, ops


FLATSUM_VARS = 1_000


def flatsum_program(n: int, rng: random.Random) -> tuple[str, dict[str, float], int]:
    """One flat sum of n + 1 variable terms (n additions) over 1,000 variables."""
    names = [f"x{rng.randrange(FLATSUM_VARS)}" for _ in range(n + 1)]
    values = {name: round(rng.uniform(-1.0, 1.0), 6) for name in dict.fromkeys(names)}
    return "f = " + " + ".join(names) + "\n", values, n


LONG_NAME = 60  # cgraph accepts names up to 64 characters


def _long(name: str) -> str:
    return name + "_" + "q" * (LONG_NAME - len(name) - 1)


def longnames_program(n: int, rng: random.Random) -> tuple[str, dict[str, float], int]:
    """The random family with every variable and step name padded to 60 characters."""
    text, values, ops = random_program(n, rng)
    text = re.sub(r"\b([sx]\d+)\b", lambda m: _long(m.group(1)), text)
    return text, {_long(k): v for k, v in values.items()}, ops


def expr_program(n: int, rng: random.Random) -> tuple[str, dict[str, float], int]:
    """One random expression of n ops: random-family templates filled with subexpressions,
    combined by a balanced tree of additions (nesting ~20 deep, within Python's parser)."""
    pieces: list[str] = []
    ops = 0
    while ops + len(pieces) + MAX_TEMPLATE_OPS + 1 < n:  # each piece costs one addition
        cost, fmt, arity = rng.choice(TEMPLATES)
        leaves = [f"x{rng.randrange(N_VARS)}" for _ in range(arity)]
        pieces.append("(" + fmt.format(**dict(zip("abc", leaves, strict=False))) + ")")
        ops += cost
    while ops + len(pieces) - 1 < n:
        pieces.append(f"x{rng.randrange(N_VARS)} * x{rng.randrange(N_VARS)}")
        ops += 1
    ops += len(pieces) - 1
    while len(pieces) > 1:  # balanced sums: one level per pass
        paired = [f"({a} + {b})" for a, b in zip(pieces[::2], pieces[1::2], strict=False)]
        pieces = paired + (pieces[-1:] if len(pieces) % 2 else [])
    names = sorted(set(re.findall(r"x\d+", pieces[0])), key=lambda s: int(s[1:]))
    values = {name: round(rng.uniform(-1.0, 1.0), 6) for name in names}
    return "f = " + pieces[0] + "\n", values, ops


def deep_program(n: int, rng: random.Random) -> tuple[str, dict[str, float], int]:
    """sin(cos(tanh(...(x)...))) nested n deep in one expression."""
    funcs = ("sin", "cos", "tanh")
    opening = "".join(funcs[k % 3] + "(" for k in range(n))
    return f"f = {opening}x{')' * n}\n", {"x": round(rng.uniform(-1.0, 1.0), 6)}, n


GENERATORS = {
    "random": random_program,
    "mlp": mlp_program,
    "chain": chain_program,
    "wide": wide_program,
    "fanout": fanout_program,
    "flatsum": flatsum_program,
    "longnames": longnames_program,
    "expr": expr_program,
    "deep": deep_program,
}


def generate(family: str, n: int, outdir: Path, seed: int = 0) -> Workload:
    """Write (or reuse) the program and values files of one workload; same seed, same files."""
    outdir.mkdir(parents=True, exist_ok=True)
    stem = outdir / f"{family}_{n}_s{seed}"
    program, values, meta = (stem.with_suffix(s) for s in (".cg", ".json", ".meta"))
    if program.exists() and values.exists() and meta.exists():
        return Workload(family, n, int(meta.read_text()), program, values)
    text, vals, ops = GENERATORS[family](n, random.Random(f"{family}-{n}-{seed}"))
    program.write_text(text)
    values.write_text(json.dumps(vals))
    meta.write_text(str(ops))
    return Workload(family, n, ops, program, values)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("family", choices=FAMILIES)
    parser.add_argument("n", type=int, help="number of ops (approximate for mlp)")
    parser.add_argument("-o", "--outdir", type=Path, default=Path("benchmarks/results/work"))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    w = generate(args.family, args.n, args.outdir, args.seed)
    print(f"{w.program} {w.values} ops={w.ops}")


if __name__ == "__main__":
    main()
