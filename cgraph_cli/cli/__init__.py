"""The `cgraph` command line: thin Typer commands over the core and the views.

`main` is the console script. It handles Ctrl-C before anything heavy is imported (see
`interrupt`), so this package imports the Typer app only when it is asked for.
"""

from __future__ import annotations

from typing import Any

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    from .interrupt import leave_at_once

    leave_at_once()
    from .app import main as run

    run()


def __getattr__(name: str) -> Any:
    if name == "app":
        from .app import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
