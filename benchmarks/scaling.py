"""Per-phase scaling check: CPU time of every phase at N and 10N ops, in one process.

Each phase of `eval` and its neighbours (parse, build, input resolution, forward, backward,
kinks, expression texts, the JSON document and its text, the terminal table, both DOT
pictures) is timed with `time.process_time` (CPU, not wall: the machine is shared) on the
same family at two sizes; a phase whose time grows by much more than 10x for 10x the ops is
super-linear. Nothing here is a test: tests count operations (tests/test_linear.py).

Usage: ``python benchmarks/scaling.py [--n 2000] [--families random,wide,...]``.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from pathlib import Path

import workloads

from cgraph_cli.core.autodiff import Evaluation, backward, forward, kinks
from cgraph_cli.core.graph import build_graph
from cgraph_cli.core.question import resolve_inputs
from cgraph_cli.core.syntax import parse_program
from cgraph_cli.core.texts import expression_texts

WORK = Path(__file__).resolve().parent / "results" / "work"


def phases(program: Path, values_path: Path) -> dict[str, float]:
    """CPU seconds of each phase on one workload."""
    from rich.console import Console

    from cgraph_cli.views.pictures import picture_dot
    from cgraph_cli.views.report import dumps, evaluation_document
    from cgraph_cli.views.tables import print_evaluation

    text = program.read_text()
    given = json.loads(values_path.read_text())
    times: dict[str, float] = {}
    clock = time.process_time

    def step(name, thunk):
        start = clock()
        result = thunk()
        times[name] = clock() - start
        return result

    syntax = step("parse", lambda: parse_program(text))
    graph = step("build", lambda: build_graph(syntax))
    inputs = step("resolve", lambda: resolve_inputs(graph, given))
    values = step("forward", lambda: forward(graph, inputs))
    grads, local = step("backward", lambda: backward(graph, values))
    notes = step("kinks", lambda: kinks(graph, values, grads))
    step("texts", lambda: expression_texts(graph))
    evaluation = Evaluation(graph, inputs, values, grads, local, graph.output, notes)
    document = step("document", lambda: evaluation_document(evaluation))
    step("dumps", lambda: dumps(document))
    console = Console(file=io.StringIO(), width=160)
    step("table", lambda: print_evaluation(console, evaluation))
    step("dot", lambda: [picture_dot(w, graph, evaluation) for w in ("forward", "backward")])
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2_000)
    parser.add_argument("--families", default=",".join(workloads.FAMILIES))
    opts = parser.parse_args(argv)
    sys.setrecursionlimit(10_000)
    rows = []
    for family in opts.families.split(","):
        small, big = (workloads.generate(family, n, WORK) for n in (opts.n, 10 * opts.n))
        a, b = phases(small.program, small.values), phases(big.program, big.values)
        worst = max(a, key=lambda k: b[k] / max(a[k], 1e-4) if b[k] > 0.02 else 0)
        rows.append((family, a, b, worst))
        cells = " ".join(f"{k}={b[k] / max(a[k], 1e-4):.1f}x" for k in a if b[k] > 0.02)
        print(f"{family:10} {sum(b.values()):6.2f}s at {10 * opts.n:,}: {cells}", flush=True)


if __name__ == "__main__":
    main()
