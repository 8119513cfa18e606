"""What the test files share: cgraph run in-process as a piped terminal sees it (a fixed width,
colour off), a result shown in full when an assertion fails, and JSON read strictly.

Imported as `from helpers import ...`: pytest puts this folder on the path (no __init__.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

ENV = {"COLUMNS": "160", "NO_COLOR": "1"}


def cgraph(*args: str, stdin: str | None = None, env: Mapping[str, str] | None = None) -> Any:
    """`cgraph ARGS` through Typer's CliRunner: stdout and stderr apart, the exit code kept."""
    from typer.testing import CliRunner

    from cgraph_cli.cli.app import app

    return CliRunner().invoke(app, list(args), input=stdin, env=dict(env or ENV))


def shown(result: Any) -> str:
    """A CLI result for an assertion message: the exit code, then stdout and stderr."""
    return (
        f"exit code {result.exit_code}\n--- stdout ---\n{result.stdout}"
        f"--- stderr ---\n{result.stderr}"
    )


def sexpr(node: Any) -> str:
    """A parse tree as `add(x, mul(2, y))`: names as written, numbers by value, ops by their
    table name."""
    if node.kind == "number":
        return format(node.value, "g")
    if node.kind == "name":
        return node.text
    return f"{node.op}({', '.join(sexpr(arg) for arg in node.args)})"


def tree(source: str) -> str:
    """`sexpr` of an expression as cgraph's parser reads it."""
    from cgraph_cli.core.syntax import parse_expression

    return sexpr(parse_expression(source))


def strict_json(text: str) -> Any:
    """JSON that must not contain NaN, Infinity or -Infinity (DESIGN.md: strict JSON)."""

    def refuse(token: str) -> Any:
        raise AssertionError(f"not strict JSON: {token}")

    return json.loads(text, parse_constant=refuse)
