"""`cgraph examples`: the samples shipped with cgraph, runnable from any folder."""

from __future__ import annotations

from pathlib import Path

import typer

from .. import examples

NAME = "examples"
EXAMPLE = "cgraph examples; cgraph eval --example linear_regression"
FILE_FOR_CHECK = "a file for cgraph check (--problems, --table)"


def command() -> None:
    """List the sample programs and homework files shipped with cgraph.

    Run one with --example NAME on any command (eval, render, diff, explain, check); a
    homework file goes to check: cgraph check --example homework.csv.
    """
    files = examples.names()
    width = max(len(Path(name).stem if name.endswith(".cg") else name) for name in files)
    for name in files:
        shown = Path(name).stem if name.endswith(".cg") else name
        about = examples.summary(name) if name.endswith(".cg") else FILE_FOR_CHECK
        typer.echo(f"{shown:<{width}}  {about}")
