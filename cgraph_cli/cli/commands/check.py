"""`cgraph check`: is the answer the derivative? (homework/check.py, views/check_table.py)"""

from __future__ import annotations

from typing import Annotated

import typer

from ...errors import UsageError
from ..inputs import load
from ..options import AtOpt, JsonOpt, ProgramArgs, ValuesOpt
from ..output import print_json

NAME = "check"
EXAMPLE = 'cgraph check "(w*x+b-t)^2" --wrt w --answer "2*(w*x+b-t)*x"'

WrtOpt = Annotated[
    str | None,
    typer.Option(
        "--wrt",
        metavar="NAME",
        help="The input or step the derivative is taken by "
        "(optional when the program has one input).",
    ),
]
AnswerOpt = Annotated[
    str | None,
    typer.Option(
        "--answer",
        metavar="EXPR",
        help='The answer to check: an expression ("2*x") or, with values, a number.',
    ),
]
ProblemsOpt = Annotated[
    str | None,
    typer.Option(
        "-f",
        "--file",
        metavar="FILE",
        help="Check every problem in a .csv, .json or .toml "
        "file (columns/fields expression, wrt, answer, values).",
    ),
]
TableOpt = Annotated[
    str | None,
    typer.Option(
        "--table",
        metavar="FILE",
        help="Grade a backprop table worked by hand: a .csv (header node,value,grad) or .json "
        "file; each filled cell is checked at the given values.",
    ),
]
TolOpt = Annotated[
    float, typer.Option("--tol", min=0.0, help="Relative tolerance of a numeric answer.")
]


def command(
    args: ProgramArgs = None,
    wrt: WrtOpt = None,
    answer: AnswerOpt = None,
    problems: ProblemsOpt = None,
    at: AtOpt = None,
    values: ValuesOpt = None,
    tol: TolOpt = 1e-6,
    json_output: JsonOpt = False,
    table: TableOpt = None,
) -> None:
    """Is the answer the derivative? Exit 0 correct, 1 wrong, 2 bad input.

    A symbolic answer is proved equal or checked at random points; a number is compared with
    the gradient at the given values. With --file, every problem of a homework file is checked.
    """
    if table is not None:
        check_table(table, args, at, values, tol, json_output, bool(wrt or answer or problems))
    if problems is not None:
        check_batch(problems, tol, json_output, bool(args or wrt or answer or at or values))
    from ...homework.check import Problem, check

    if answer is None:
        raise UsageError(
            "no answer given", 'give it as --answer "2*x" (or check a file of problems with --file)'
        )
    source, given = load(args, None, at, values)
    result = check(Problem(source, wrt, answer, given), tol)
    if json_output:
        print_json(result.as_dict())
    else:
        from ...views.check_table import print_result
        from ...views.tables import make_console

        print_result(make_console(), result)
    raise typer.Exit(result.exit_code)


def check_batch(path: str, tol: float, json_output: bool, single_given: bool) -> None:
    """`check --file`: a table and a summary line; exit 1 if any answer is wrong."""
    from ...homework.check import batch_document, batch_exit_code, check_all, read_problems

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
        from ...views.check_table import print_batch
        from ...views.tables import make_console

        print_batch(make_console(), results)
    raise typer.Exit(batch_exit_code(results))


def check_table(
    path: str,
    args: list[str] | None,
    at: str | None,
    values: str | None,
    tol: float,
    json_output: bool,
    other_given: bool,
) -> None:
    """`check PROGRAM [values] --table FILE`: every cell graded; exit 1 if any is wrong."""
    from ...homework.table import grade_table, read_table

    if other_given:
        raise UsageError(
            "--table grades a backprop table; it takes no --wrt, --answer or --file",
            "check the table and the answers in two runs",
        )
    source, given = load(args, None, at, values)
    grade = grade_table(source, given, read_table(path), tol)
    if json_output:
        print_json(grade.as_dict())
    else:
        from ...views.table_grade import print_table_grade
        from ...views.tables import make_console

        print_table_grade(make_console(), grade)
    raise typer.Exit(grade.exit_code)
