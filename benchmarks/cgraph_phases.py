"""cgraph's own phases, timed in-process (CPU time) through its Python API (a process each).

A fresh process per workload keeps one size's garbage out of the next one's timings. With
``--memory`` the passes run under tracemalloc (slower, so never in the same run as the
timings) the way `cgraph eval` runs them (`compile_program`, which frees each statement's
syntax tree once its nodes are made, then forward and backward), and the report carries the
peak bytes allocated, per graph node.

Usage: ``python benchmarks/cgraph_phases.py [--memory] PROGRAM.cg VALUES.json``.
"""

from __future__ import annotations

import argparse
import json
import time
import tracemalloc
from pathlib import Path

from cgraph_cli.core.autodiff import backward, forward
from cgraph_cli.core.graph import build_graph, compile_program
from cgraph_cli.core.syntax import parse_program


def _grads(result) -> list[float]:
    """backward() returns (grads, local grads) today; a Gradients object with .grads also works."""
    return result.grads if hasattr(result, "grads") else result[0]


def run(program_path: str | Path, values_path: str | Path, memory: bool = False) -> dict:
    """Time parse, build, forward and backward; with memory=True, measure their peak instead."""
    text = Path(program_path).read_text()
    values = json.loads(Path(values_path).read_text())
    if memory:
        tracemalloc.start()
        graph = compile_program(text)
        grads = _grads(backward(graph, forward(graph, values)))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        nodes = len(graph.nodes)
        return {
            "engine": "cgraph",
            "nodes": nodes,
            "peak_bytes": peak,
            "bytes_per_node": peak / nodes,
        }
    t0 = time.process_time()
    program = parse_program(text)
    t1 = time.process_time()
    graph = build_graph(program)
    t2 = time.process_time()
    vals = forward(graph, values)
    t3 = time.process_time()
    grads = _grads(backward(graph, vals))
    t4 = time.process_time()
    report = {"engine": "cgraph", "nodes": len(graph.nodes)}
    report.update(parse=t1 - t0, build=t2 - t1, forward=t3 - t2, backward=t4 - t3, total=t4 - t0)
    report["output"] = vals[graph.output]
    report["gradients"] = {name: grads[graph.names[name]] for name in graph.input_names}
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("program")
    parser.add_argument("values")
    parser.add_argument("--memory", action="store_true", help="report peak traced memory")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.program, args.values, args.memory)))


if __name__ == "__main__":
    main()
