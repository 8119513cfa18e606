"""Where a command's results go: JSON on stdout, pictures to files (with a line saying where)."""

from __future__ import annotations

from typing import Any

import typer

from ..errors import UsageError
from ..views.pictures import Format, Which  # light: no graphviz, no SymPy


def print_notes(notes: Any) -> None:
    """How ambiguous text was read (`read `sin x y` as sin(x)·y`), on stderr, for commands
    whose result does not carry the notes itself."""
    for note in notes:
        typer.echo(f"note: {note}", err=True)


def print_json(document: Any) -> None:
    """One JSON document, `schema_version` first (schemas: cgraph_cli/schemas/*.json)."""
    from ..views.report import json_text

    typer.echo(json_text(document))


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

    The prefix `-` writes the one picture --which names to stdout instead of a file.
    """
    from ..views.pictures import write_pictures
    from .terminal import working

    if prefix == "-":
        draw_to_stdout(graph, evaluation, fmt, which, force, digits, forms, **options)
        return
    notes: list[str] = []
    with working("drawing with Graphviz..."):
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


def draw_to_stdout(
    graph: Any,
    evaluation: Any,
    fmt: Format,
    which: Which,
    force: bool,
    digits: int,
    forms: Any,
    **options: Any,
) -> None:
    """`-o -`: draw into a private folder (the writers stay atomic), then copy to stdout."""
    import tempfile
    from pathlib import Path

    from ..views.pictures import write_pictures

    if which is Which.both:
        raise UsageError(
            "-o - writes one picture to stdout, and --which is both",
            "choose one: --which forward or --which backward",
        )
    with tempfile.TemporaryDirectory(prefix="cgraph-") as folder:
        paths = write_pictures(
            graph, evaluation, str(Path(folder) / "graph"), fmt=fmt, which=which,
            force=force, digits=digits, exact=forms, notes=[], **options,
        )  # fmt: skip
        stdout = typer.get_binary_stream("stdout")
        for path in paths:
            stdout.write(Path(path).read_bytes())
        stdout.flush()
