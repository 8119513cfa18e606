"""Linearity pinned by counting operations, never by timing.

Two counters, each deterministic on any machine:
- the Python lines cgraph executes (a `sys.settrace` hook) for the whole `eval` path (parse,
  build, inputs, both passes, kinks, the JSON document and its text, the terminal table, both
  DOT pictures) on a program and on the same shape 10 times bigger;
- the comparisons made against input names (names given as a `str` subclass that counts its
  `__eq__`), which sees scans that run in C, such as `name in a_tuple`: that one line once made
  `eval` quadratic in the number of inputs (5 of 7 s on a program with 36,000 inputs).
"""

from __future__ import annotations

import io
import sys
from collections import Counter
from collections.abc import Callable

import pytest
from rich.console import Console

from cgraph_cli.core.graph import compile_program
from cgraph_cli.core.question import resolve_inputs, run
from cgraph_cli.views.pictures import picture_dot
from cgraph_cli.views.report import dumps, evaluation_document
from cgraph_cli.views.tables import print_evaluation

# Shapes a user writes, each with n ops: (program text, values).
Shape = Callable[[int], tuple[str, dict[str, float]]]


def steps(n: int) -> tuple[str, dict[str, float]]:
    """n short named steps over 10 inputs, each reusing earlier ones."""
    lines = [f"s{k} = tanh(s{k - 1} * x{k % 10})" if k > 1 else "s1 = x0" for k in range(1, n)]
    return "\n".join(lines), {f"x{i}": 0.1 * i for i in range(10)}


def many_inputs(n: int) -> tuple[str, dict[str, float]]:
    """One expression: a dot product over n/2 inputs (the wide MLP layer of issue 16)."""
    pairs = n // 2
    text = "f = " + " + ".join(f"w{i % 10}*x{i}" for i in range(pairs))
    values = {f"x{i}": 0.5 for i in range(pairs)} | {f"w{i}": 0.25 for i in range(10)}
    return text, values


def fan_out(n: int) -> tuple[str, dict[str, float]]:
    """One input used about n times."""
    return "f = " + " + ".join(["x*x"] * (n // 2)), {"x": 0.5}


def flat_sum(n: int) -> tuple[str, dict[str, float]]:
    text = "f = " + " + ".join(f"x{i % 50}" for i in range(n + 1))
    return text, {f"x{i}": 1.5 for i in range(50)}


def deep(n: int) -> tuple[str, dict[str, float]]:
    """sin(cos(sin(...(x)))) nested n deep."""
    return "f = " + "sin(cos(" * (n // 2) + "x" + "))" * (n // 2), {"x": 0.5}


def long_names(n: int) -> tuple[str, dict[str, float]]:
    pad = "_" + "q" * 56
    lines = [f"s{k}{pad} = sin(s{k - 1}{pad}) + a{pad}" for k in range(1, n // 2)]
    return f"s0{pad} = a{pad} * b{pad}\n" + "\n".join(lines), {f"a{pad}": 0.5, f"b{pad}": 2.0}


def rebound(n: int) -> tuple[str, dict[str, float]]:
    """One name assigned n/2 times (an unrolled loop), each step wrapped over two lines."""
    return "c = x\n" + "c += (x *\n  c)\n" * (n // 2), {"x": 0.01}


SHAPES = [steps, many_inputs, fan_out, flat_sum, deep, long_names, rebound]


def eval_everything(text: str, values: dict[str, float]) -> None:
    """What `eval` (JSON and table) and `render --format dot` do with a program."""
    evaluation = run(text, values)
    dumps(evaluation_document(evaluation))
    print_evaluation(Console(file=io.StringIO(), width=160), evaluation)
    for which in ("forward", "backward"):
        picture_dot(which, evaluation.graph, evaluation)


def lines_executed(work: Callable[[], object]) -> int:
    """Lines of cgraph_cli executed while `work` runs."""
    counts: Counter[str] = Counter()

    def local(frame, event, arg):  # noqa: ANN001 - the sys.settrace signature
        if event == "line":
            counts["lines"] += 1
        return local

    def tracer(frame, event, arg):  # noqa: ANN001
        return local if "cgraph_cli" in frame.f_code.co_filename else None

    sys.settrace(tracer)
    try:
        work()
    finally:
        sys.settrace(None)
    return counts["lines"]


@pytest.mark.parametrize("shape", SHAPES, ids=lambda shape: shape.__name__)
def test_ten_times_the_ops_is_at_most_eleven_times_the_lines(shape: Shape) -> None:
    small, big = (lines_executed(lambda n=n: eval_everything(*shape(n))) for n in (150, 1500))
    assert big <= 11 * small, f"{shape.__name__}: {small:,} lines at 150 ops, {big:,} at 1,500"


class CountingName(str):
    """An input name that counts how often it is compared or hashed."""

    comparisons = 0

    def __eq__(self, other: object) -> bool:
        CountingName.comparisons += 1
        return str.__eq__(self, other)

    def __hash__(self) -> int:
        return str.__hash__(self)


@pytest.mark.parametrize("inputs", [200, 2_000])
def test_resolving_values_compares_each_name_a_bounded_number_of_times(inputs: int) -> None:
    text, values = many_inputs(2 * inputs)
    graph = compile_program(text)
    given = {CountingName(name): value for name, value in values.items()}
    CountingName.comparisons = 0
    resolved = resolve_inputs(graph, given)
    assert resolved["x1"] == 0.5 and len(resolved) == inputs + 10
    # A scan of the input names per given value would make about inputs^2 / 2 comparisons.
    assert CountingName.comparisons <= 8 * len(given), CountingName.comparisons


def test_unknown_and_step_names_are_still_refused_by_name() -> None:
    graph = compile_program("q = x + y; f = q * z")
    with pytest.raises(Exception, match="q is a step the program computes"):
        resolve_inputs(graph, {"x": 1, "y": 2, "z": 3, "q": 4})
    with pytest.raises(Exception, match="no variable named w"):
        resolve_inputs(graph, {"x": 1, "y": 2, "z": 3, "w": 4})


def test_the_labels_of_a_rebound_name_grow_like_the_digits_of_its_count() -> None:
    """c, c′, c′′, c′′′, c⁽⁴⁾, ...: with primes alone, 100,000 reassignments (an unrolled loop)
    would make labels of 5e9 characters in all. Line counts cannot see string sizes."""
    graph = compile_program("c = x\n" + "c += x\n" * 2000)
    assert graph.nodes[-1].name == "c⁽²⁰⁰⁰⁾"
    assert max(map(len, graph.names)) == len("c⁽²⁰⁰⁰⁾")
