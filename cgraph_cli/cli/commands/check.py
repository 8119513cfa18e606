"""`cgraph check`: is the answer the derivative? (homework/check.py, views/check_table.py)"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from ...errors import UsageError
from .. import examples
from ..inputs import load
from ..options import (
    JsonOpt,
    ProgramOpts,
    TableFormat,
    TableFormatOpt,
    chosen_format,
    program_options,
)
from ..output import print_json
from ..terminal import working

NAME = "check"
EXAMPLE = 'cgraph check "(w*x+b-t)^2" --wrt w --answer "2*(w*x+b-t)*x"'
PROBLEM_SUFFIXES = (".csv", ".json", ".toml")  # `check --file` of these: the old --problems

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
        "--problems",
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
JobsOpt = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        help="With --problems: check this many rows at once, in parallel processes "
        "(default: every core).",
    ),
]
CsvOpt = Annotated[
    str | None,
    typer.Option(
        "--csv",
        metavar="FILE",
        help="With --problems: write a gradebook, one row per problem "
        "(id, verdict, score, mistake, message), safe to open in a spreadsheet.",
    ),
]
OrderOpt = Annotated[
    int,
    typer.Option(
        "--order",
        min=1,
        help="Check a higher derivative: --wrt x --order 2 is ∂²f/∂x² "
        "(--wrt x,y is the mixed ∂²f/∂x∂y: the list is differentiated in turn).",
    ),
]
TolOpt = Annotated[
    float, typer.Option("--tol", min=0.0, help="Relative tolerance of a numeric answer.")
]
SeedOpt = Annotated[
    int,
    typer.Option(
        "--seed",
        help="Seed of the sample points a symbolic answer is compared at, when no proof is "
        "found (shown in the verdict). The same seed gives the same points.",
    ),
]
BudgetOpt = Annotated[
    float | None,
    typer.Option(
        "--budget",
        metavar="SECONDS",
        help="With --problems: the time the whole batch may take (default 600); rows not "
        "done by then are error rows, and the summary says how many.",
    ),
]


@program_options
def command(
    ctx: typer.Context,
    program: ProgramOpts,
    wrt: WrtOpt = None,
    answer: AnswerOpt = None,
    problems: ProblemsOpt = None,
    tol: TolOpt = 1e-6,
    fmt: TableFormatOpt = TableFormat.table,
    json_output: JsonOpt = False,
    table: TableOpt = None,
    order: OrderOpt = 1,
    jobs: JobsOpt = None,
    gradebook: CsvOpt = None,
    seed: SeedOpt = 0,
    budget: BudgetOpt = None,
) -> None:
    """Is the answer the derivative? Exit 0 correct, 1 wrong, 2 bad input.

    A symbolic answer is proved equal or checked at random points; a number is compared with
    the gradient at the given values. With --problems, every problem of a homework file is
    checked.
    """
    as_json = chosen_format(fmt, json=json_output) is TableFormat.json
    problems, program = problem_file(problems, program)
    refuse_mixed(program, table, problems, bool(wrt or answer), order, jobs, gradebook, budget)
    if table is not None:
        check_table(ctx, program, table, tol, as_json)
    elif problems is not None:
        check_batch(problems, tol, as_json, jobs, gradebook, seed, budget)
    else:
        check_one(ctx, program, wrt, answer, order, tol, seed, as_json)


def refuse_mixed(
    program: ProgramOpts,
    table: str | None,
    problems: str | None,
    one_answer: bool,
    order: int,
    jobs: int | None,
    gradebook: str | None,
    budget: float | None,
) -> None:
    """`check` does one of three things (a table, a file of problems, one answer); options of
    another one are a usage error, not silently ignored."""
    if table is not None:
        if one_answer or problems:
            raise UsageError(
                "--table grades a backprop table; it takes no --wrt, --answer or --problems",
                "check the table and the answers in two runs",
            )
    elif problems is not None:
        if program.args or program.file or program.at or program.values or one_answer or order != 1:
            raise UsageError(
                "--problems checks the problems in the file; it takes no program, "
                "--wrt, --answer, --order or values",
                "put them in the file, or leave out --problems",
            )
    elif jobs is not None or gradebook is not None or budget is not None:
        raise UsageError(
            "--jobs, --csv and --budget are for a file of problems",
            "give the file as --problems FILE",
        )


def problem_file(problems: str | None, program: ProgramOpts) -> tuple[str | None, ProgramOpts]:
    """(problems, program): `--file x.csv` is the deprecated spelling of `--problems x.csv`,
    told apart by the suffix; `--example homework.csv` is a problem file."""
    file, example = program.file, program.example
    if file is not None and Path(file).suffix.lower() in PROBLEM_SUFFIXES:
        typer.echo(
            f"note: `check --file {file}` is deprecated; write `check --problems {file}`",
            err=True,
        )
        if problems is not None:
            raise UsageError("give one problem file, with --problems")
        return file, replace(program, file=None)
    if example is not None and Path(example).suffix.lower() in PROBLEM_SUFFIXES:
        if problems is not None:
            raise UsageError("give one problem file, with --problems or --example")
        return str(examples.find(example)), replace(program, example=None)
    return problems, program


def check_one(
    ctx: typer.Context,
    program: ProgramOpts,
    wrt: str | None,
    answer: str | None,
    order: int,
    tol: float,
    seed: int,
    as_json: bool,
) -> None:
    """`check PROGRAM --wrt x --answer EXPR`: one verdict; exit 0 correct, 1 wrong."""
    from ...homework.check import Problem, check

    if answer is None:
        raise UsageError(
            "no answer given",
            'give it as --answer "2*x" (or check a file of problems with --problems)',
        )
    source, given = load(ctx, program)
    with working("checking the answer..."):
        result = check(Problem(source, wrt, answer, given, order=order), tol, seed)
    if as_json:
        print_json(result.as_dict())
    else:
        from ...views.check_table import print_result
        from ...views.tables import make_console

        print_result(make_console(), result)
    raise typer.Exit(result.exit_code)


def check_batch(
    path: str,
    tol: float,
    as_json: bool,
    jobs: int | None,
    gradebook: str | None,
    seed: int = 0,
    budget: float | None = None,
) -> None:
    """`check --problems FILE`: rows checked in parallel as a progress bar moves, the
    gradebook written as they finish, then the table, the summary and the mistakes counted;
    exit 1 if any answer is wrong."""
    from ...core.printable import printable
    from ...homework.batch import BUDGET_SECONDS, check_class, class_document, rules
    from ...homework.problem_file import read_problems, repeated_ids
    from ...homework.results import batch_exit_code
    from ...views.batch_view import print_class, progress_bar
    from ...views.tables import make_console

    budget = BUDGET_SECONDS if budget is None else budget
    how = rules(tol, seed, budget)  # the budget's clock starts before the file is read
    problems = read_problems(path)
    for note in repeated_ids(problems):
        typer.echo(printable(note), err=True)  # it names ids from the file
    with progress_bar(len(problems)) as advance:
        results = check_class(problems, how, jobs, gradebook, lambda _i, _r: advance())
    if as_json:
        print_json(class_document(results, budget))
    else:
        print_class(make_console(), results, budget=budget)
    raise typer.Exit(batch_exit_code(results))


def check_table(
    ctx: typer.Context, program: ProgramOpts, path: str, tol: float, as_json: bool
) -> None:
    """`check PROGRAM [values] --table FILE`: every cell graded; exit 1 if any is wrong."""
    from ...homework.table import grade_table
    from ...homework.table_file import read_table

    source, given = load(ctx, program)
    grade = grade_table(source, given, read_table(path), tol)
    if as_json:
        print_json(grade.as_dict())
    else:
        from ...views.table_grade import print_table_grade
        from ...views.tables import make_console

        print_table_grade(make_console(), grade)
    raise typer.Exit(grade.exit_code)
