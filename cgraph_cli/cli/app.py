"""The `cgraph` command line: each command reads options, calls the core, hands results to a view.

Errors from the core (the CgraphError family) become a message on stderr and their exit code;
anything unexpected becomes one line asking for a bug report (`--debug` shows the traceback).
Heavy modules (SymPy, graphviz) are imported inside the commands that need them, so
`cgraph --help` stays quick.
"""

from __future__ import annotations

import functools
import gc
import os
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer
from typer.core import TyperGroup

from .. import __version__
from ..errors import EXIT_WRONG, CgraphError, InputError, UsageError
from ..views.explain import Format as ExplainFormat  # light: SymPy is imported lazily
from ..views.pictures import PICTURE_DIGITS, Format, Which  # light: no graphviz, no SymPy
from .argv import join_values, split_arguments

EXIT_INTERNAL = 70  # a bug in cgraph, not in the input


class _CgraphGroup(TyperGroup):
    """Reads `--x -inf` as the value -inf: Click would split `-inf` into short options."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, join_values(args, self._declared_options()))

    def _declared_options(self) -> set[str]:
        names = {opt for param in self.params for opt in getattr(param, "opts", ())}
        for command in self.commands.values():
            names.update(opt for param in command.params for opt in getattr(param, "opts", ()))
        return names


app = typer.Typer(
    name="cgraph",
    cls=_CgraphGroup,
    help="Computational graphs and backpropagation from a math expression: every node's value "
    "and gradient, graph pictures, symbolic derivatives, homework checks.",
    epilog='Example: cgraph eval "(x+y)*z" --x 2 --y 3 --z -4',
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

# Commands that take variable values as `--x 2` accept options they do not declare.
VALUE_COMMAND = {
    "allow_extra_args": True,
    "ignore_unknown_options": True,
    "help_option_names": ["-h", "--help"],
}

_debug = {"on": bool(os.environ.get("CGRAPH_DEBUG"))}

F = TypeVar("F", bound=Callable[..., Any])


def guarded(command: F) -> F:
    """Map CgraphError to its message and exit code; never let a traceback reach the user."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except CgraphError as error:
            fail(error)
        except KeyboardInterrupt:
            raise typer.Exit(130) from None
        except Exception as error:  # noqa: BLE001 - the last line of defence
            if _debug["on"]:
                raise
            typer.echo(
                f"error: internal error in cgraph ({type(error).__name__}: "
                f"{str(error)[:200]}). This is a bug: please report it with the "
                "command you ran; --debug shows the traceback.",
                err=True,
            )
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


def fail(error: CgraphError) -> None:
    typer.echo(f"error: {error}", err=True)
    raise typer.Exit(error.exit_code)


# --- shared options ----------------------------------------------------------------------

ProgramArgs = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="PROGRAM [--NAME VALUE]...",
        show_default=False,
        help='The program, e.g. "(x+y)*z" or "q = x + y; f = q * z", then values '
        "as --x 2 --y 3 (also --x=2).",
    ),
]
FileOpt = Annotated[
    str | None,
    typer.Option("-f", "--file", metavar="FILE", help="Read the program from FILE ('-': stdin)."),
]
AtOpt = Annotated[
    str | None, typer.Option("--at", metavar='"x=2,y=3"', help="Values as one string.")
]
ValuesOpt = Annotated[
    str | None,
    typer.Option("--values", metavar="FILE.json", help='Values from a JSON object {"x": 2}.'),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
DigitsOpt = Annotated[
    int, typer.Option("--digits", min=1, max=17, help="Significant digits shown (float64 has ~15).")
]


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
    ] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if debug:
        _debug["on"] = True
    if version:
        typer.echo(f"cgraph {__version__}")
        raise typer.Exit()
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(2)


def load(
    args: list[str] | None, file: str | None, at: str | None, values_file: str | None
) -> tuple[str, dict[str, float]]:
    """The program text and the values given for it, from every place a value can come from."""
    from ..core.question import read_program, values_from_at, values_from_file, values_from_pairs

    positional, pairs = split_arguments(args or [])
    if len(positional) > 1 or (positional and file is not None):
        extra = positional[1] if len(positional) > 1 else positional[0]
        raise UsageError(
            f"unexpected argument {extra!r}",
            'quote the whole program, as in cgraph eval "x + y" --x 1 --y 2; '
            "values take two dashes (--x 2)",
        )
    source = read_program(positional[0] if positional else None, file)
    given: dict[str, float] = {}
    if values_file is not None:
        given.update(values_from_file(values_file))  # the command line may override a file
    at_values = values_from_at(at) if at is not None else {}
    option_values = values_from_pairs(pairs, "the command line")
    clash = sorted(set(at_values) & set(option_values))
    if clash:
        raise InputError(
            f"{clash[0]} is given twice on the command line (in --at and as --{clash[0]})",
            "give each variable once",
        )
    return source, {**given, **at_values, **option_values}


def print_json(document: Any) -> None:
    from ..views.report import dumps

    typer.echo(dumps(document))


# --- commands ----------------------------------------------------------------------------


@app.command(
    "eval",
    context_settings=VALUE_COMMAND,
    epilog='Example: cgraph eval "(x+y)*z" --x 2 --y 3 --z -4',
)
@guarded
def eval_command(
    ctx: typer.Context,
    args: ProgramArgs = None,
    file: FileOpt = None,
    at: AtOpt = None,
    values: ValuesOpt = None,
    json_output: JsonOpt = False,
    output: Annotated[
        str | None,
        typer.Option(
            "--output", metavar="NAME", help="Differentiate this named step instead of the last."
        ),
    ] = None,
    digits: DigitsOpt = 15,
    show_all: Annotated[bool, typer.Option("--all", help="Show every row of a big graph.")] = False,
    exact: Annotated[
        bool,
        typer.Option(
            "--exact/--no-exact", help="Show exact forms (1/3, sqrt(2)/2) beside the decimals."
        ),
    ] = True,
    svg: Annotated[
        str | None,
        typer.Option(
            "--svg", metavar="PREFIX", help="Also draw PREFIX.forward.svg and PREFIX.backward.svg."
        ),
    ] = None,
    gradcheck: Annotated[
        bool,
        typer.Option(
            "--gradcheck",
            help="Compare each gradient with a central finite difference; exit 1 "
            "if one differs by more than --tol.",
        ),
    ] = False,
    tol: Annotated[
        float, typer.Option("--tol", min=0.0, help="Largest relative error --gradcheck accepts.")
    ] = 1e-6,
) -> None:
    """Forward and backward pass: every node's value and gradient, as a table or JSON."""
    from ..core.question import run

    source, given = load(args, file, at, values)
    evaluation = run(source, given, output)
    check = None
    if gradcheck:
        from ..core.gradcheck import gradcheck as finite_differences

        check = finite_differences(evaluation, tol)
    forms = None
    if exact:
        from ..symbolic.derivatives import exact_forms

        forms = exact_forms(evaluation)
    if json_output:
        from ..views.report import evaluation_document

        document = evaluation_document(evaluation, forms)
        if check is not None:
            from ..views.report import gradcheck_document

            document["gradcheck"] = gradcheck_document(check)
        print_json(document)
    else:
        from ..views.tables import make_console, print_evaluation, print_gradcheck

        print_evaluation(make_console(), evaluation, digits=digits, exact=forms, show_all=show_all)
        if check is not None:
            print_gradcheck(make_console(), check, digits, bool(evaluation.notes))
    if svg is not None:
        draw(
            evaluation.graph,
            evaluation,
            svg,
            Format.svg,
            Which.both,
            False,
            digits if given_explicitly(ctx, "digits") else PICTURE_DIGITS,
            forms,
            quiet_stdout=True,
        )
    if check is not None and not check.passed:
        raise typer.Exit(EXIT_WRONG)


# --- render: graph pictures (views/pictures.py) ----------------------------------------


@app.command(
    "render",
    context_settings=VALUE_COMMAND,
    epilog='Example: cgraph render "(x+y)*z" --x 2 --y 3 --z -4 -o out/graph',
)
@guarded
def render_command(
    out: Annotated[
        str,
        typer.Option(
            "-o",
            "--out",
            metavar="PREFIX",
            show_default=False,
            help="Where to write: PREFIX.forward.svg and PREFIX.backward.svg (folders are made).",
        ),
    ],
    args: ProgramArgs = None,
    file: FileOpt = None,
    at: AtOpt = None,
    values: ValuesOpt = None,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format", case_sensitive=False, help="svg, png or pdf; dot writes the DOT source."
        ),
    ] = Format.svg,
    which: Annotated[
        Which,
        typer.Option(
            "--which", case_sensitive=False, help="Draw the forward picture, the backward, or both."
        ),
    ] = Which.both,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Draw a graph of more than 300 nodes (Graphviz may take minutes)."
        ),
    ] = False,
    digits: DigitsOpt = PICTURE_DIGITS,
    exact: Annotated[
        bool,
        typer.Option(
            "--exact/--no-exact", help="Show exact forms (1/3, sqrt(2)/2) under the decimals."
        ),
    ] = True,
) -> None:
    """Draw the graph: forward values and backward gradients, as SVG (or PNG, PDF, DOT).

    Without values the pictures show the structure only.
    """
    from ..core.autodiff import evaluate
    from ..core.graph import compile_program
    from ..core.question import resolve_inputs

    source, given = load(args, file, at, values)
    graph = compile_program(source)
    evaluation, forms = None, None
    if given or all(name in graph.defaults for name in graph.input_names):
        evaluation = evaluate(graph, resolve_inputs(graph, given))
        if exact:
            from ..symbolic.derivatives import exact_forms

            forms = exact_forms(evaluation)
    else:
        typer.echo(
            "no values given: drawing the structure only (give values as --x 2 to see numbers)",
            err=True,
        )
    draw(graph, evaluation, out, fmt, which, force, digits, forms)


def draw(
    graph: Any,
    evaluation: Any,
    prefix: str,
    fmt: Format,
    which: Which,
    force: bool,
    digits: int,
    forms: Any,
    quiet_stdout: bool = False,
) -> None:
    """Write the pictures and say where they went (on stderr when stdout holds a table/JSON)."""
    from ..views.pictures import write_pictures

    for path in write_pictures(
        graph, evaluation, prefix, fmt=fmt, which=which, force=force, digits=digits, exact=forms
    ):
        typer.echo(f"wrote {path}", err=quiet_stdout)


def given_explicitly(ctx: typer.Context, option: str) -> bool:
    """Whether the user typed this option (so `eval --svg` keeps slide-sized numbers otherwise)."""
    source = ctx.get_parameter_source(option)
    return source is not None and source.name != "DEFAULT"


# --- check: homework answers (homework/check.py, views/check_table.py) -------------------------


@app.command(
    "check",
    context_settings=VALUE_COMMAND,
    epilog='Example: cgraph check "(w*x+b-t)^2" --wrt w --answer "2*(w*x+b-t)*x"',
)
@guarded
def check_command(
    args: ProgramArgs = None,
    wrt: Annotated[
        str | None,
        typer.Option(
            "--wrt",
            metavar="NAME",
            help="The input or step the derivative is taken by "
            "(optional when the program has one input).",
        ),
    ] = None,
    answer: Annotated[
        str | None,
        typer.Option(
            "--answer",
            metavar="EXPR",
            help='The answer to check: an expression ("2*x") or, with values, a number.',
        ),
    ] = None,
    problems: Annotated[
        str | None,
        typer.Option(
            "-f",
            "--file",
            metavar="FILE",
            help="Check every problem in a .csv, .json or .toml "
            "file (columns/fields expression, wrt, answer, values).",
        ),
    ] = None,
    at: AtOpt = None,
    values: ValuesOpt = None,
    tol: Annotated[
        float, typer.Option("--tol", min=0.0, help="Relative tolerance of a numeric answer.")
    ] = 1e-6,
    json_output: JsonOpt = False,
) -> None:
    """Is the answer the derivative? Exit 0 correct, 1 wrong, 2 bad input.

    A symbolic answer is proved equal or checked at random points; a number is compared with
    the gradient at the given values. With --file, every problem of a homework file is checked.
    """
    if problems is not None:
        check_batch(problems, tol, json_output, bool(args or wrt or answer or at or values))
    from ..homework.check import Problem, check
    from ..views.tables import make_console

    if answer is None:
        raise UsageError(
            "no answer given", 'give it as --answer "2*x" (or check a file of problems with --file)'
        )
    source, given = load(args, None, at, values)
    result = check(Problem(source, wrt, answer, given), tol)
    if json_output:
        print_json(result.as_dict())
    else:
        from ..views.check_table import print_result

        print_result(make_console(), result)
    raise typer.Exit(result.exit_code)


def check_batch(path: str, tol: float, json_output: bool, single_given: bool) -> None:
    """`check --file`: a table and a summary line; exit 1 if any answer is wrong."""
    from ..homework.check import batch_document, batch_exit_code, check_all, read_problems
    from ..views.tables import make_console

    if single_given:
        raise UsageError(
            "--file checks the problems in the file; it takes no program, "
            "--wrt, --answer or values",
            "put them in the file, or leave out --file",
        )
    results = check_all(read_problems(path), tol)
    if json_output:
        print_json(batch_document(results))
    else:
        from ..views.check_table import print_batch

        print_batch(make_console(), results)
    raise typer.Exit(batch_exit_code(results))


# --- diff: symbolic derivatives (symbolic/) -------------------


@app.command(
    "diff", context_settings=VALUE_COMMAND, epilog='Example: cgraph diff "(w*x+b-t)^2" --wrt w'
)
@guarded
def diff_command(
    args: ProgramArgs = None,
    file: FileOpt = None,
    wrt: Annotated[
        str | None,
        typer.Option(
            "--wrt",
            metavar="NAMES",
            help="Inputs or steps to differentiate by, comma-separated "
            "(default: every input). A step q gives df/dq with q as a variable.",
        ),
    ] = None,
    at: AtOpt = None,
    values: ValuesOpt = None,
    latex_output: Annotated[bool, typer.Option("--latex", help="Print LaTeX.")] = False,
    json_output: JsonOpt = False,
    steps: Annotated[
        bool | None,
        typer.Option(
            "--steps/--inputs",
            help="Write the derivatives in terms of the program's named steps, "
            "or everything in the inputs (default: the inputs unless that would run to pages).",
        ),
    ] = None,
    digits: DigitsOpt = 15,
) -> None:
    """Symbolic derivatives of the output, simplified: drawn in the terminal, LaTeX or JSON.

    With values (--x 2 ..., or defaults in the program) each derivative's number at the point
    is shown too. Programs too big for symbolic work are refused: cgraph eval gives numbers.
    """
    from ..core.graph import compile_program
    from ..symbolic.derivatives import derivatives, exact_forms
    from ..symbolic.printing import derivatives_latex, derivatives_text

    source, given = load(args, file, at, values)
    graph = compile_program(source)
    targets = wrt_nodes(graph, wrt)
    evaluation = point_evaluation(graph, given)
    result = derivatives(graph, targets, in_steps=steps)
    exact = exact_forms(evaluation)[1] if evaluation is not None else None
    output = graph.output_name()
    if json_output:
        from ..views.report import derivatives_document

        print_json(
            derivatives_document(result, graph, graph.output, evaluation, exact, latex_output)
        )
    elif latex_output:
        typer.echo(derivatives_latex(result, output, evaluation, digits))
    else:
        typer.echo(derivatives_text(result, output, evaluation, exact, digits))


def wrt_nodes(graph: Any, wrt: str | None) -> list[int]:
    """`--wrt x,q` as node indices (default: every input); constants are refused."""
    if wrt is None:
        if not graph.input_names:
            raise UsageError("the program has no inputs, so there is nothing to differentiate")
        return [graph.names[name] for name in graph.input_names]
    names = [name.strip() for name in wrt.split(",") if name.strip()]
    if not names:
        raise UsageError("--wrt is empty", "name inputs or steps, as in --wrt x,y")
    nodes: list[int] = []
    for name in names:
        index = graph.index_of(name)
        if graph.nodes[index].op == "const":
            raise UsageError(f"`{name}` is a constant; derivatives are taken by inputs or steps")
        if index not in nodes:
            nodes.append(index)
    return nodes


def point_evaluation(graph: Any, given: dict[str, float]) -> Any:
    """Both passes at the given values (program defaults included), or None when no value is
    given anywhere. Some values but not all is a point with gaps: an error, as in eval."""
    from ..core.autodiff import evaluate
    from ..core.question import resolve_inputs

    if not given and not graph.defaults and graph.input_names:
        return None
    return evaluate(graph, resolve_inputs(graph, given))


# --- explain: the chain rule step by step (views/explain.py) ------------------------


@app.command(
    "explain",
    context_settings=VALUE_COMMAND,
    epilog='Example: cgraph explain "(x+y)*z" --x 2 --y 3 --z -4',
)
@guarded
def explain_command(
    args: ProgramArgs = None,
    file: FileOpt = None,
    at: AtOpt = None,
    values: ValuesOpt = None,
    fmt: Annotated[
        ExplainFormat,
        typer.Option("--format", case_sensitive=False, help="text, markdown or latex."),
    ] = ExplainFormat.text,
    digits: DigitsOpt = 15,
) -> None:
    """The backward pass as a textbook walks it: forward values, then the chain rule from the
    output back to the inputs, one line per gradient, local gradients in symbols beside the
    numbers.

    Without values (and no defaults in the program) the walk is symbolic: every gradient in
    terms of the program's names.
    """
    from ..core.graph import compile_program
    from ..views.explain import render, walk

    source, given = load(args, file, at, values)
    graph = compile_program(source)
    typer.echo(render(walk(graph, point_evaluation(graph, given)), fmt, digits))


def main() -> None:
    """Console-script entry point."""
    # A cgraph process is short-lived and builds hundreds of thousands of acyclic objects on a
    # big graph; the cyclic collector's passes over them cost seconds and reclaim nothing.
    gc.disable()
    app()
