"""An answer as cgraph holds it: a graph read by cgraph's own parser, the program's names it may
use, its SymPy expression in the program's inputs, and its value at the point.

`answer_text.py` turns what a student typed into text the parser reads; this module takes it
from there. Shared by first derivatives (check.py) and higher ones (check_higher.py).
"""

from __future__ import annotations

from typing import Any

from ..core.autodiff import Evaluation, forward
from ..core.graph import CONST, Graph, compile_program
from ..core.question import COMMAND_LINE, Spelling
from ..core.syntax import parse_expression
from ..errors import EvaluationError, InputError, UsageError, did_you_mean


def answer_graph(text: str, program: Graph, spelling: Spelling = COMMAND_LINE) -> Graph:
    """The answer read by our own parser (never `sympify`), with the grammar of programs: one
    expression, no assignments, and no name the program does not have."""
    if not text.strip():
        raise UsageError("the answer is empty", f"give it as {spelling.set('answer', '2*x')}")
    parse_expression(text)  # refuses assignments and several statements
    graph = compile_program(text)
    _check_names(program, graph)
    return graph


def _check_names(graph: Graph, answer: Graph) -> None:
    """An answer may use the program's inputs and its named steps, nothing else."""
    allowed = answer_names(graph)
    for name in answer.input_names:
        if name not in allowed:
            choices = sorted(allowed)
            raise InputError(
                f"the answer uses `{name}`, which is not a variable of the program",
                did_you_mean(name, choices)
                or (
                    f"the program's variables are {', '.join(choices)}"
                    if choices
                    else "the program has no variables"
                ),
            )


def answer_names(graph: Graph) -> dict[str, int]:
    """Name -> node index of what an answer may mention: inputs and named steps, the output
    included when the program named it (CS231n's sigmoid gradient is `(1 - f) f`), not when
    cgraph made its name up."""
    return {
        name: index
        for name, index in graph.names.items()
        if graph.nodes[index].op != CONST and (index != graph.output or graph.named_output)
    }


def answer_expression(graph: Graph, answer: Graph) -> Any:
    """The answer as a SymPy expression in the program's own real input symbols; a named
    step in the answer stands for its expression."""
    from ..symbolic.expressions import node_expressions
    from ..symbolic.limits import check_symbolic_size

    check_symbolic_size(answer, answer.output, subject="the answer")  # constants: as built
    names = answer_names(graph)
    wanted = max((names[name] for name in answer.input_names), default=-1)
    program = node_expressions(graph, upto=wanted) if wanted >= 0 else []
    return node_expressions(answer, {name: program[names[name]] for name in answer.input_names})[
        answer.output
    ]


def answer_value(graph: Graph, answer: Graph, point: Evaluation) -> float | None:
    """The answer's value at the program's point (its named steps at their values there);
    None where the answer is undefined."""
    known = {name: point.values[index] for name, index in answer_names(graph).items()}
    try:
        return forward(answer, {n: known[n] for n in answer.input_names})[answer.output]
    except EvaluationError:
        return None
