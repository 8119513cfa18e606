"""Every JSON document cgraph prints carries `schema_version` and is valid against the JSON
Schema shipped in the package (cgraph_cli/schemas/)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from cgraph_cli.cli.app import app

REPO = Path(__file__).resolve().parents[1]
ENV = {"COLUMNS": "160", "NO_COLOR": "1"}
TABLE = str(REPO / "samples" / "linear_regression_table.csv")
HOMEWORK = str(REPO / "samples" / "homework.csv")

RUNS = [
    ("eval", ["eval", "q = x + y; f = q * z", "--x", "2", "--y", "3", "--z", "-4", "--json"]),
    ("eval", ["eval", "relu(x) + x/3", "--x", "0", "--format", "json", "--gradcheck"]),
    ("eval", ["eval", "x^2", "--x", "-2", "--json", "--no-exact"]),  # a null local gradient
    ("diff", ["diff", "(w*x+b-t)^2", "--json"]),
    ("diff", ["diff", "q = x*y; f = sin(q)", "--wrt", "q,x", "--x", "1", "--y", "2", "--json",
              "--latex"]),
    ("check", ["check", "(w*x+b-t)^2", "--wrt", "w", "--answer", "2*(w*x+b-t)*x", "--json"]),
    ("check", ["check", "x^3", "--answer", "3x", "--json"]),
    ("check", ["check", "x^2", "--answer", "2x", "--x", "3", "--json"]),
    ("check-batch", ["check", "--problems", HOMEWORK, "--json"]),
    ("check-table", ["check", "--example", "linear_regression", "--table", TABLE, "--json"]),
]  # fmt: skip


def schema(name: str) -> dict[str, Any]:
    text = (resources.files("cgraph_cli") / "schemas" / f"{name}.json").read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    Draft202012Validator.check_schema(document)
    return document


@pytest.mark.parametrize(("name", "args"), RUNS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(RUNS)])
def test_every_json_document_matches_its_schema(name: str, args: list[str]) -> None:
    result = CliRunner().invoke(app, args, env=ENV)
    assert result.exit_code in (0, 1), result.output
    document = json.loads(result.stdout)
    assert document["schema_version"] == 1
    assert next(iter(document)) == "schema_version"
    errors = sorted(Draft202012Validator(schema(name)).iter_errors(document), key=str)
    assert errors == [], "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_a_schema_catches_a_missing_field() -> None:
    result = CliRunner().invoke(app, ["eval", "x*2", "--x", "1", "--json"], env=ENV)
    document = json.loads(result.stdout)
    del document["gradients"]
    assert not Draft202012Validator(schema("eval")).is_valid(document)


def test_every_shipped_schema_is_valid_and_named_in_the_readme() -> None:
    names = sorted(p.name for p in (resources.files("cgraph_cli") / "schemas").iterdir())
    assert names == sorted(f"{n}.json" for n in {name for name, _ in RUNS})
    readme = (REPO / "README.md").read_text()
    for name in names:
        schema(name.removesuffix(".json"))
        assert name in readme, name
