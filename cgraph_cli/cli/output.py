"""Where a command's results go: JSON on stdout, pictures to files (with a line saying where)."""

from __future__ import annotations

from typing import Any

import typer

from ..views.pictures import Format, Which  # light: no graphviz, no SymPy


def print_json(document: Any) -> None:
    from ..views.report import dumps

    typer.echo(dumps(document))


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
    **options: Any,
) -> None:
    """Write the pictures and say where they went (on stderr when stdout holds a table/JSON).

    `options` go to write_pictures (decimals, fit, collapse, steps); its notes (a PNG drawn
    at a lower resolution) go to stderr.
    """
    from ..views.pictures import write_pictures

    notes: list[str] = []
    paths = write_pictures(
        graph,
        evaluation,
        prefix,
        fmt=fmt,
        which=which,
        force=force,
        digits=digits,
        exact=forms,
        notes=notes,
        **options,
    )
    for note in notes:
        typer.echo(f"note: {note}", err=True)
    for path in paths:
        typer.echo(f"wrote {path}", err=quiet_stdout)
