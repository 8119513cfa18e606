"""The `cgraph` command line: builds the Typer app from one module per command, guards errors.

Errors from the core (the CgraphError family) become a message on stderr and their exit code;
anything unexpected becomes one line asking for a bug report (`--debug` shows the traceback).
Heavy modules (SymPy, graphviz) are imported inside the commands that need them, so
`cgraph --help` stays quick. A new command is a module in `commands/` and a row in COMMANDS.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from types import ModuleType
from typing import Annotated, Any, TypeVar

import typer
from typer.core import TyperGroup

from ..core.printable import printable
from ..errors import (
    EXIT_DOMAIN,
    EXIT_OK,
    EXIT_TOOL_MISSING,
    EXIT_USAGE,
    EXIT_WRONG,
    CgraphError,
)
from . import interrupt, terminal
from .argv import join_values
from .commands import check, diff, examples, explain, page, render
from .commands import eval as eval_

EXIT_INTERNAL = 70  # a bug in cgraph, not in the input

# "\b" keeps Click from re-flowing the lines that follow it into one paragraph.
EPILOG = f"""\b
Exit codes:
  {EXIT_OK}   success
  {EXIT_WRONG}   an answer or gradient check came out wrong
  {EXIT_USAGE}   bad usage or input (parse error, missing or unknown variable, bad option, file)
  {EXIT_DOMAIN}   math domain error at the given point (log of a negative, division by zero)
  {EXIT_TOOL_MISSING}   an external tool is missing or failed (Graphviz dot)
  {EXIT_INTERNAL}  a bug in cgraph (one line asking for a report; --debug shows the traceback)
  {interrupt.EXIT_INTERRUPTED}  interrupted (Ctrl-C): one line, at any moment

Example: cgraph eval "(x+y)*z" --x 2 --y 3 --z -4"""

COMMANDS: list[ModuleType] = [
    eval_,
    render,
    check,
    diff,
    explain,
    page,
    examples,
]  # in the order --help lists


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
    epilog=EPILOG,
    no_args_is_help=True,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
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
            with interrupt.while_a_command_runs():
                outcome = command(*args, **kwargs)
                terminal.flush_stdout()  # here, so a full disk or closed pipe is reported here
            return outcome
        except typer.Exit:
            terminal.flush_stdout_quietly()
            raise
        except typer.Abort:
            raise
        except CgraphError as error:
            fail(error)
        except KeyboardInterrupt:
            typer.echo(interrupt.MESSAGE, err=True)
            raise typer.Exit(interrupt.EXIT_INTERRUPTED) from None
        except OSError as error:  # a write to stdout: closed pipe, full disk
            ended = terminal.stream_error(error)
            if isinstance(ended, int):
                raise typer.Exit(ended) from None
            if isinstance(ended, CgraphError):
                fail(ended)
            internal_error(error)
        except Exception as error:  # noqa: BLE001 - the last line of defence
            internal_error(error)

    return wrapper  # type: ignore[return-value]


def internal_error(error: Exception) -> None:
    if _debug["on"]:
        raise error
    typer.echo(
        f"error: internal error in cgraph ({type(error).__name__}: "
        f"{printable(str(error)[:200])}). This is a bug: please report it with the "
        "command you ran; --debug shows the traceback.",
        err=True,
    )
    raise typer.Exit(EXIT_INTERNAL) from None


def fail(error: CgraphError) -> None:
    # The message may quote file text (a problem file's row): control characters replaced.
    typer.echo(f"error: {printable(str(error), newlines=True)}", err=True)
    raise typer.Exit(error.exit_code)


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
    ] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    terminal.ascii_fallback()
    if debug:
        _debug["on"] = True
    if version:
        from .. import __version__  # importlib.metadata: only when asked (start-up)

        typer.echo(f"cgraph {__version__}")
        raise typer.Exit()
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(2)


def register(module: ModuleType) -> None:
    """Add one command module (NAME, EXAMPLE, command) to the app, guarded."""
    settings, epilog = VALUE_COMMAND, f"Example: {module.EXAMPLE}"
    app.command(module.NAME, context_settings=settings, epilog=epilog)(guarded(module.command))


for _module in COMMANDS:
    register(_module)


def main() -> None:
    """Run the app (the console script is `cgraph_cli.cli.main`, which handles Ctrl-C first).

    The cyclic garbage collector stays on: the passes that build hundreds of thousands of
    acyclic objects (parse, build, forward, backward) pause it themselves (`core.util.
    gc_paused`), and everything else (SymPy, a 500-row batch) needs it to keep memory bounded.
    """
    app()
