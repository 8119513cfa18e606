"""cgraph: computational graphs and backpropagation from a math expression.

>>> from cgraph_cli import evaluate
>>> result = evaluate("(x+y)*z", x=2, y=3, z=-4)
>>> result.value, result.gradients
(-20.0, {'x': -4.0, 'y': -4.0, 'z': 5.0})
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .core.autodiff import Evaluation, backward, forward
    from .core.graph import Graph, Node, build_graph, compile_program
    from .core.syntax import Program, parse_program
    from .errors import CgraphError

# The lower-level names, imported when first used: the `cgraph` command imports this package
# before it can handle Ctrl-C (cli/interrupt.py), so importing it must take no time at all.
_LAZY = {
    "Evaluation": "core.autodiff",
    "backward": "core.autodiff",
    "forward": "core.autodiff",
    "Graph": "core.graph",
    "Node": "core.graph",
    "build_graph": "core.graph",
    "compile_program": "core.graph",
    "Program": "core.syntax",
    "parse_program": "core.syntax",
    "CgraphError": "errors",
}


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
    from .core.question import PYTHON, run
    from .errors import UsageError

    if output is not None and not isinstance(output, str):
        raise UsageError(
            f"output must be the name of a step, not {output!r}",
            'to give a variable named output a value, pass values={"output": 3}',
        )
    from .views.notebook import Shown  # light: graphviz is imported only to draw

    return Shown.of(run(program, {**(values or {}), **more}, output, spelling=PYTHON))


def diff(
    program: str, /, *, wrt: str | Sequence[str] | None = None, in_steps: bool | None = None
) -> dict[str, str]:
    """Symbolic derivatives of the output, as text cgraph reads back, by input (or step) name.

    >>> from cgraph_cli import diff
    >>> diff("(w*x+b-t)^2", wrt="w")
    {'w': '2*x*(b - t + w*x)'}
    >>> diff("q = x + y; f = q * z")
    {'x': 'z', 'y': 'z', 'z': 'x + y'}

    `wrt` names inputs or steps (default: every input); `in_steps=True` writes the results in
    the program's named steps. Raises TooComplex for a program too big for symbolic work.
    """
    from .core.question import PYTHON, pose, wrt_nodes

    derivatives = _layer("symbolic.derivatives").derivatives
    one_line = _layer("symbolic.printing").one_line

    graph = pose(program, spelling=PYTHON).graph
    result = derivatives(graph, wrt_nodes(graph, wrt, spelling=PYTHON), in_steps=in_steps)
    return {item.wrt: one_line(item.expr) for item in result.items}


def check(
    program: str,
    /,
    answer: str,
    *,
    wrt: str | None = None,
    values: Mapping[str, float] | None = None,
    tol: float = 1e-6,
) -> Any:  # a homework.check.CheckResult (not imported: the API stays light)
    """Is `answer` the derivative of the program's output by `wrt`? As `cgraph check` decides.

    >>> from cgraph_cli import check
    >>> result = check("(w*x+b-t)^2", "2*(w*x+b-t)*x", wrt="w")
    >>> result.outcome, result.method, result.exit_code
    (<Outcome.CORRECT: 'correct'>, 'proved equal', 0)
    >>> check("x^3", "3x", wrt="x").outcome
    <Outcome.WRONG: 'wrong'>
    >>> check("(w*x+b-t)^2", "8", wrt="w", values={"x": 2, "w": 3, "b": 1, "t": 5}).outcome
    <Outcome.CORRECT: 'correct'>

    A number is compared with the gradient at `values`; an expression is proved equal or
    sampled. `result.as_dict()` is the `--format json` record.
    """
    from .core.question import PYTHON

    homework = _layer("homework.check")
    problem = homework.Problem(program, wrt, answer, dict(values or {}))
    return homework.check(problem, tol, spelling=PYTHON)


def explain(
    program: str,
    /,
    values: Mapping[str, float] | None = None,
    *,
    format: str = "text",
    digits: int = 15,
    exact: bool = True,
    **more: float,
) -> str:
    """The chain rule step by step, as `cgraph explain` prints it (text, markdown or latex).

    >>> from cgraph_cli import explain
    >>> print(explain("f = x * y", x=2, y=3).splitlines()[-1].strip())
    ∂f/∂y = x = 2

    Without values (and no `x = 2` lines in the program) the walk is symbolic. `exact` shows
    short exact forms beside the decimals (`0.3333 (= 1/3)`), as the command does.
    """
    from .core.question import PYTHON, pose

    views = _layer("views.explain")
    question = pose(program, {**(values or {}), **more}, spelling=PYTHON)
    return str(views.explanation(question, views.Format(format), digits, exact=exact))


def __getattr__(name: str) -> Any:
    """The lower-level names of `_LAZY`, and `__version__`, looked up when asked: the
    installed distribution's (pyproject.toml), never written twice. `importlib.metadata` costs
    as much start-up as Typer, so only `--version` pays for it."""
    if name in _LAZY:
        value = getattr(_layer(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cgraph-cli")
    except PackageNotFoundError:  # a source tree that is not installed
        return "0+unknown"


def _layer(name: str) -> Any:
    """A module above the core, imported when first needed (SymPy, Rich stay unloaded until
    then, and `mypy cgraph_cli/core` does not type-check the upper layers through here)."""
    import importlib

    return importlib.import_module(f"{__name__}.{name}")


__all__ = [
    "CgraphError",
    "Evaluation",
    "Graph",
    "Node",
    "Program",
    "__version__",
    "backward",
    "build_graph",
    "check",
    "compile_program",
    "diff",
    "evaluate",
    "explain",
    "forward",
    "parse_program",
]
