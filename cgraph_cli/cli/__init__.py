"""The `cgraph` command line: thin Typer commands over the core and the views."""

from .app import app, main

__all__ = ["app", "main"]
