"""The layers import one way: cli -> views -> homework -> symbolic -> core -> errors.

Skipping a layer downwards is fine; an import up the layers fails here, naming the file and the
line. The core also stays free of SymPy, Rich, Typer and graphviz, so the numeric path is light.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "cgraph_cli"
LAYERS = ["errors", "core", "symbolic", "homework", "views", "cli"]  # lowest first
HEAVY = {"sympy", "mpmath", "rich", "typer", "click", "graphviz"}


def layer_of(module: str) -> str | None:
    """The layer of a dotted module name inside cgraph_cli, or None for the package root."""
    parts = module.split(".")
    if parts[0] != "cgraph_cli":
        return None
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) for every import in a file, relative ones resolved."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            module = (
                ".".join(base + ([node.module] if node.module else []))
                if node.level
                else (node.module or "")
            )
            found.append((node.lineno, module))
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.parent != PACKAGE)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_go_down_the_layers(path: Path) -> None:
    own = LAYERS.index(path.relative_to(PACKAGE).parts[0])
    for line, module in imports_of(path):
        layer = layer_of(module)
        if layer is not None:
            assert LAYERS.index(layer) <= own, f"{path.name}:{line} imports {module} (up a layer)"
        if own == LAYERS.index("core"):
            assert module.split(".")[0] not in HEAVY, f"core/{path.name}:{line} imports {module}"


def test_every_module_sits_in_a_layer() -> None:
    assert MODULES, "no modules found"
    strays = [p.name for p in MODULES if p.relative_to(PACKAGE).parts[0] not in LAYERS]
    assert strays == []


MAX_LINES = 450  # "about 400": past this a module holds two ideas and is split along its seam


def test_no_module_holds_two_ideas() -> None:
    """Issue 9's size rule, kept: the next engineer reads one idea per file."""
    sizes = {
        p.relative_to(PACKAGE): len(p.read_text(encoding="utf-8").splitlines()) for p in MODULES
    }
    assert {str(p): n for p, n in sizes.items() if n > MAX_LINES} == {}
