"""cgraph: computational graphs and backpropagation from a math expression.

>>> from cgraph_cli import evaluate
>>> result = evaluate("(x+y)*z", x=2, y=3, z=-4)
>>> result.value, result.gradients
(-20.0, {'x': -4.0, 'y': -4.0, 'z': 5.0})
"""

from __future__ import annotations

from collections.abc import Mapping

try:  # the version is the installed distribution's (pyproject.toml), never written twice
    from importlib.metadata import PackageNotFoundError, version

    __version__ = version("cgraph-cli")
except PackageNotFoundError:  # a source tree that is not installed
    __version__ = "0+unknown"

from .core.autodiff import Evaluation, backward, forward
from .core.graph import Graph, Node, build_graph, compile_program
from .core.syntax import Program, parse_program
from .errors import CgraphError


def evaluate(
    program: str,
    /,
    values: Mapping[str, float] | None = None,
    *,
    output: str | None = None,
    **more: float,
) -> Evaluation:
    """Evaluate a program at the given values: values, gradients, local gradients and graph.

    Values come as keywords (`x=2`) or as a mapping (`{"x": 2}`: the way to give a variable
    named `values` or `output`). `output` names a step to differentiate instead of the last
    statement. Raises a CgraphError subclass (ParseError, InputError, EvaluationError, ...)
    on bad input. The result draws itself: `result.to_graphviz("forward")` is a
    graphviz.Digraph, and in Jupyter the result shows the backward picture and the node table.
    """
    from .core.question import run
    from .errors import UsageError

    if output is not None and not isinstance(output, str):
        raise UsageError(
            f"output must be the name of a step, not {output!r}",
            'to give a variable named output a value, pass values={"output": 3}',
        )
    from .views.notebook import Shown  # light: graphviz is imported only to draw

    return Shown.of(run(program, {**(values or {}), **more}, output))


__all__ = [
    "CgraphError",
    "Evaluation",
    "Graph",
    "Node",
    "Program",
    "__version__",
    "backward",
    "build_graph",
    "compile_program",
    "evaluate",
    "forward",
    "parse_program",
]
