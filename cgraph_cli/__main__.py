"""`python -m cgraph_cli`: the same as the `cgraph` command."""

from .cli import main

main()
