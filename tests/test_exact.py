"""Exact forms without SymPy (core/exact.py) give SymPy's text, and SymPy is not imported for
the common homework case of short decimal values on a rational graph."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cgraph_cli.core.exact import rational_forms
from cgraph_cli.core.question import run
from cgraph_cli.errors import CgraphError
from cgraph_cli.symbolic.exact import _exact_forms, exact_forms


def test_the_issue_example_is_exact_without_sympy() -> None:
    code = (
        "import sys\n"
        "from cgraph_cli.cli.app import main\n"
        "sys.argv = ['cgraph', 'eval', 'x/y + z', '--x', '1.5', '--y', '0.3', '--z', '-4']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('sympy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "False", done.stdout
    assert "f = 1 (= 1)" not in done.stdout and "∂f/∂y = -16.6666666666667 (= -50/3)" in done.stdout


@pytest.mark.parametrize(
    ("program", "values", "value_forms", "grad_forms"),
    [
        ("x/y + z", {"x": 1, "y": 3, "z": -4}, [None, None, None, "1/3", "-11/3"],
         ["1/3", "-1/9", None, None, None]),
        ("(x - 0.1)^3 / 7", {"x": 0.4}, [None, None, None, None, None, None, "27/7000"],
         ["27/700", None, "27/700", None, "1/7", None, None]),
    ],
)  # fmt: skip
def test_rational_forms(program: str, values: dict, value_forms: list, grad_forms: list) -> None:
    assert rational_forms(run(program, values)) == (value_forms, grad_forms)


@pytest.mark.parametrize(
    ("program", "values"),
    [
        ("sin(x) / 3", {"x": 1}),  # not rational
        ("x / 3 + pi", {"x": 1}),  # pi
        ("x^y", {"x": 2, "y": 3}),  # a varying exponent: x^y ln x
        ("x^0.5 / 3", {"x": 2}),  # a root
        ("x / 3", {"x": 1 / 3}),  # 0.333...: SymPy's nsimplify recognises 1/3
        ("x / 3", {"x": 1e-5}),  # written 1e-05: left to nsimplify as well
        ("relu(x) / 3", {"x": 1}),  # kinks follow SymPy's conventions
    ],
)
def test_anything_else_is_left_to_sympy(program: str, values: dict) -> None:
    evaluation = run(program, values)
    assert rational_forms(evaluation) is None
    assert exact_forms(evaluation) == _exact_forms(evaluation, {}) or "relu" in program


def test_a_huge_intermediate_is_left_to_sympy() -> None:
    assert rational_forms(run("((x^64)^64)^64 / 3", {"x": 1.0000001})) is None


DECIMALS = st.sampled_from(["1", "2", "-3", "0.5", "1.5", "0.3", "-0.25", "7", "0.125", "10"])


def expressions() -> st.SearchStrategy[str]:
    leaves = st.sampled_from(["x", "y", "z"]) | DECIMALS.map(lambda d: f"({d})")
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            inner.map(lambda e: f"-{e}"),
            st.tuples(inner, st.integers(-3, 4)).map(lambda t: f"({t[0]})^({t[1]})"),
        ),
        max_leaves=8,
    )


@given(expressions(), DECIMALS, DECIMALS, DECIMALS)
def test_rational_forms_are_sympys_forms(program: str, x: str, y: str, z: str) -> None:
    point = {"x": float(x), "y": float(y), "z": float(z)}
    try:
        evaluation = run(program, {name: v for name, v in point.items() if name in program})
    except CgraphError:
        assume(False)  # division by zero and friends: no forms to compare
        return
    fast = rational_forms(evaluation)
    if fast is not None:
        assert fast == _exact_forms(evaluation, {}), program
