"""One small test per entry of the op table: partials against central differences and SymPy.

The ops under test are discovered from `OPS`, so a new op without sample points here fails
`test_every_op_has_sample_points` until someone adds a line to POINTS. Failure messages show
both numbers, in the manner of autograd's `check_grads`.
"""

from __future__ import annotations

import math

import pytest
import sympy as sp

from cgraph_cli import evaluate
from cgraph_cli.core.ops import FUNCTIONS, OPS, SPELLINGS, op

# Points strictly inside each op's domain and away from its kinks: one tuple of arguments each.
POINTS: dict[str, list[tuple[float, ...]]] = {
    "add": [(1.5, -2.0), (0.3, 0.7)],
    "sub": [(1.5, -2.0), (0.3, 0.7)],
    "mul": [(1.5, -2.0), (0.3, 0.7)],
    "div": [(1.5, -2.0), (0.3, 0.7), (-4.0, 0.5)],
    "pow": [(1.7, 2.5), (2.0, 3.0), (0.5, -1.5), (-1.5, 3.0), (-2.0, -2.0)],
    "neg": [(0.7,), (-2.0,)],
    "sin": [(0.3,), (-1.2,), (2.0,)],
    "cos": [(0.3,), (-1.2,), (2.0,)],
    "tan": [(0.3,), (-1.2,), (2.0,)],
    "exp": [(0.5,), (-3.0,), (2.0,)],
    "log": [(0.5,), (3.0,), (8.0, 2.0), (0.5, 3.0)],
    "log2": [(0.5,), (3.0,)],
    "log10": [(0.5,), (3.0,)],
    "sqrt": [(0.25,), (4.0,), (2.0,)],
    "abs": [(-1.5,), (2.0,)],
    "tanh": [(-2.0,), (0.3,), (3.0,)],
    "sigmoid": [(-2.0,), (0.3,), (3.0,)],
    "relu": [(-1.0,), (2.0,)],
    "softplus": [(-3.0,), (0.5,), (20.0,)],
    "asin": [(-0.5,), (0.3,), (0.9,)],
    "acos": [(-0.5,), (0.3,), (0.9,)],
    "atan": [(-2.0,), (0.5,)],
    "sinh": [(-1.0,), (0.5,)],
    "cosh": [(-1.0,), (0.5,)],
    "leaky_relu": [(-1.5,), (2.0,), (-1.5, 0.2), (2.0, 0.2)],
    "max": [(1.0, 3.0), (3.0, 1.0, 2.0), (-1.0, -2.0)],
    "min": [(1.0, 3.0), (3.0, 1.0, 2.0), (-1.0, -2.0)],
    "sec": [(0.3,), (-1.2,), (2.0,)],
    "csc": [(0.3,), (-1.2,), (2.0,)],
    "cot": [(0.3,), (-1.2,), (2.0,)],
    "asec": [(-2.5,), (1.5,), (3.0,)],
    "acsc": [(-2.5,), (1.5,), (3.0,)],
    "acot": [(-2.0,), (0.5,), (3.0,)],
    "asinh": [(-2.0,), (0.5,)],
    "acosh": [(1.5,), (3.0,)],
    "atanh": [(-0.5,), (0.3,)],
    "sech": [(-1.0,), (0.5,)],
    "csch": [(-1.0,), (0.5,)],
    "coth": [(-1.0,), (0.5,)],
    "asech": [(0.3,), (0.8,)],
    "acsch": [(-2.0,), (0.5,)],
    "acoth": [(-2.0,), (1.5,)],
    "erf": [(-1.0,), (0.5,)],
    "erfc": [(-1.0,), (0.5,)],
    "sign": [(-1.5,), (2.0,)],
    "heaviside": [(-1.5, 0.5), (2.0, 0.0)],
}

RTOL = 1e-6
ATOL = 1e-7


def close(a: float, b: float, rtol: float = RTOL, atol: float = ATOL) -> bool:
    return abs(a - b) <= atol or abs(a - b) <= rtol * max(abs(a), abs(b))


def central_difference(name: str, args: tuple[float, ...], i: int) -> float | None:
    """(f(a + h) - f(a - h)) / 2h in argument i; None where f is undefined beside the point."""
    forward = OPS[name].forward
    h = 1e-5 * max(1.0, abs(args[i]))
    try:
        up = forward(*args[:i], args[i] + h, *args[i + 1 :])
        down = forward(*args[:i], args[i] - h, *args[i + 1 :])
    except (ValueError, ZeroDivisionError):
        return None
    return (up - down) / (2 * h)


def cases() -> list[tuple[str, tuple[float, ...]]]:
    return [(name, args) for name in sorted(OPS) for args in POINTS.get(name, [])]


@pytest.mark.parametrize("name", sorted(OPS))
def test_every_op_has_sample_points(name: str) -> None:
    assert POINTS.get(name), (
        f"op {name!r} is in the OPS table but has no sample points: "
        "add a line to POINTS in tests/test_ops.py"
    )


def test_sample_points_name_only_real_ops() -> None:
    assert sorted(set(POINTS) - set(OPS)) == []


@pytest.mark.parametrize(("name", "args"), cases())
def test_partials_match_central_differences(name: str, args: tuple[float, ...]) -> None:
    spec = OPS[name]
    out = spec.forward(*args)
    partials = spec.partials(out, *args)
    assert len(partials) == len(args), f"{name}: {len(partials)} partials for {len(args)} args"
    for i, analytic in enumerate(partials):
        numeric = central_difference(name, args, i)
        if numeric is None:  # x^y beside a negative base: no real slope in y
            assert not math.isfinite(analytic), (
                f"d {name}/d arg{i} at {args}: no real derivative, but partials gives {analytic}"
            )
            continue
        assert close(analytic, numeric), (
            f"d {name}/d arg{i} at {args}:\n  analytic: {analytic!r}\n  numeric:  {numeric!r}"
        )


@pytest.mark.parametrize(("name", "args"), cases())
def test_forward_and_partials_match_the_sympy_form(name: str, args: tuple[float, ...]) -> None:
    """The SymPy form (used for symbolic derivatives) agrees with the float implementation."""
    spec = OPS[name]
    symbols = sp.symbols(f"a0:{len(args)}", real=True)
    form = spec.sympy(sp, *symbols)
    point = {s: sp.Rational(repr(a)) for s, a in zip(symbols, args, strict=True)}
    out = spec.forward(*args)
    exact = complex(form.evalf(30, subs=point))
    assert exact.imag == 0 and close(out, exact.real, 1e-12, 1e-14), (
        f"{name}{args}:\n  forward: {out!r}\n  sympy:   {exact!r}"
    )
    partials = spec.partials(out, *args)
    symbolic = (
        spec.sympy_partials(sp, *symbols)
        if spec.sympy_partials is not None
        else [sp.diff(form, s) for s in symbols]
    )
    for i, analytic in enumerate(partials):
        if not math.isfinite(analytic):
            continue  # checked against central differences above
        slope = complex(sp.sympify(symbolic[i]).evalf(30, subs=point))
        assert close(analytic, slope.real, 1e-12, 1e-14), (
            f"d {name}/d arg{i} at {args}:\n  partials: {analytic!r}\n  sympy:    {slope!r}"
        )


@pytest.mark.parametrize(("name", "args"), cases())
def test_the_engine_uses_the_table(name: str, args: tuple[float, ...]) -> None:
    """Through a whole program (`f = op(a0, a1)`), the gradients are the op's partials.

    An argument with no real partial there (the exponent of a negative base) is written as a
    literal, so no gradient has to flow through it.
    """
    spec = OPS[name]
    out = spec.forward(*args)
    expected = spec.partials(out, *args)
    names = [
        f"a{i}" if math.isfinite(p) else f"({a!r})"
        for i, (a, p) in enumerate(zip(args, expected, strict=True))
    ]
    if spec.infix is not None:
        text = f"({names[0]}){spec.infix}({names[1]})"
    elif name == "neg":
        text = f"-({names[0]})"
    else:
        text = f"{name}({', '.join(names)})"
    point = {n: a for n, a in zip(names, args, strict=True) if n.startswith("a")}
    result = evaluate(text, **point)
    assert result.value == out, text
    for arg_name, partial in zip(names, expected, strict=True):
        if arg_name in point:
            got = result.gradients[arg_name]
            assert got == partial, f"{text} at {args}: d/d{arg_name} = {got!r}, op says {partial!r}"


def test_every_function_name_reaches_an_op() -> None:
    aliases = {alias: target for alias, target in FUNCTIONS.items() if alias != target}
    assert aliases == {"ln": "log", **SPELLINGS}
    assert aliases["arcsin"] == "asin" and aliases["arsinh"] == "asinh"
    assert set(FUNCTIONS.values()) <= set(OPS)
    callable_ops = {name for name, spec in OPS.items() if spec.infix is None and name != "neg"}
    assert callable_ops <= set(FUNCTIONS)


def test_design_functions_are_all_present() -> None:
    listed = "sin cos tan exp log ln sqrt abs tanh sigmoid relu max min pow".split()
    assert [name for name in listed if name not in FUNCTIONS] == []


def test_a_missing_rule_names_the_op() -> None:
    with pytest.raises(KeyError, match="no rule for op 'gelu'"):
        op("gelu")


# --- kinks: the stated conventions and the notes they produce -------------------------------


@pytest.mark.parametrize(
    ("program", "point", "gradients", "note"),
    [
        (
            "relu(x)",
            {"x": 0.0},
            {"x": 0.0},
            "f = relu(x): relu is not differentiable at 0; the gradient is taken as 0",
        ),
        (
            "abs(x)",
            {"x": 0.0},
            {"x": 0.0},
            "f = abs(x): abs is not differentiable at 0; the gradient is taken as 0",
        ),
        (
            "leaky_relu(x)",
            {"x": 0.0},
            {"x": 0.01},
            "f = leaky_relu(x): leaky_relu is not differentiable at 0; the gradient is taken as "
            "alpha",
        ),
        (
            "leaky_relu(x, a)",
            {"x": 0.0, "a": 0.2},
            {"x": 0.2, "a": 0.0},
            "f = leaky_relu(x, a): leaky_relu is not differentiable at 0; the gradient is taken "
            "as alpha",
        ),
        (
            "max(x, y)",
            {"x": 2.0, "y": 2.0},
            {"x": 0.5, "y": 0.5},
            "f = max(x, y): max has a tie (2 inputs equal 2); the gradient is split equally, 1/2 "
            "to each (PyTorch's convention)",
        ),
        (
            "min(x, y)",
            {"x": -1.0, "y": -1.0},
            {"x": 0.5, "y": 0.5},
            "f = min(x, y): min has a tie (2 inputs equal -1); the gradient is split equally, 1/2 "
            "to each (PyTorch's convention)",
        ),
        (
            "m = max(x, y, z); f = 3*m",
            {"x": 1.0, "y": 4.0, "z": 4.0},
            {"x": 0.0, "y": 1.5, "z": 1.5},
            "m = max(x, y, z): max has a tie (2 inputs equal 4); the gradient is split equally, "
            "1/2 to each (PyTorch's convention)",
        ),
    ],
)
def test_kink_conventions_and_notes(
    program: str, point: dict[str, float], gradients: dict[str, float], note: str
) -> None:
    result = evaluate(program, **point)
    assert result.gradients == gradients
    assert result.notes == [note]


@pytest.mark.parametrize(
    ("program", "point", "gradients"),
    [
        ("relu(x)", {"x": 2.0}, {"x": 1.0}),
        ("relu(x)", {"x": -2.0}, {"x": 0.0}),
        ("abs(x)", {"x": -3.0}, {"x": -1.0}),
        ("leaky_relu(x)", {"x": -3.0}, {"x": 0.01}),
        ("leaky_relu(x, a)", {"x": -3.0, "a": 0.2}, {"x": 0.2, "a": -3.0}),
        ("max(x, y)", {"x": 3.0, "y": 1.0}, {"x": 1.0, "y": 0.0}),
        ("min(x, y)", {"x": 3.0, "y": 1.0}, {"x": 0.0, "y": 1.0}),
        ("max(x, x)", {"x": 1.0}, {"x": 1.0}),  # both halves of the tie reach x
    ],
)
def test_away_from_kinks_there_is_no_note(
    program: str, point: dict[str, float], gradients: dict[str, float]
) -> None:
    result = evaluate(program, **point)
    assert result.gradients == gradients
    if program != "max(x, x)":
        assert result.notes == []


def test_no_note_when_no_gradient_flows_through_the_kink() -> None:
    assert evaluate("q = relu(x); f = 0*q", x=0).notes == []


def test_every_op_writes_latex_around_its_arguments() -> None:
    """The \\operatorname{...} fallback's braces are literal, not format fields (erf, asec)."""
    from cgraph_cli.core.ops import write_latex

    for spec in OPS.values():
        parts = [f"a_{i}" for i in range(spec.min_args)]
        written = write_latex(spec, parts)
        assert all(part in written for part in parts), (spec.name, written)
    assert write_latex(OPS["erf"], ["x"]) == r"\operatorname{erf}\left(x\right)"
    assert write_latex(OPS["leaky_relu"], ["x"]).startswith(r"\operatorname{leaky\_relu}")


# Partials at extreme magnitudes (QA): each gradient is the exact value rounded to float64
# (worked out by hand, checked against SymPy at 50 digits; one row says where it is not),
# where the naive order of operations overflowed, underflowed or lost the sign.
EXTREME_GRADIENTS = [
    # -a/(b*b) underflowed to 0 and overflowed to inf; -(a/b)/b does neither
    ("x/y", {"x": 1e200, "y": 1e200}, {"x": 1e-200, "y": -1e-200}),
    ("x/y", {"x": 1e-170, "y": 1e-170}, {"x": 1e170, "y": -1e170}),
    ("x/y", {"x": 3.0, "y": -2.0}, {"x": -0.5, "y": -0.75}),
    ("x^3/y^3", {"x": 1e100, "y": 1e100}, {"x": 3e-100, "y": -3e-100}),
    # was 1.0; the exact 2.8e-160 is 1 - 1 in float64 (cancellation, as in PyTorch)
    ("sinh(x)/cosh(x)", {"x": 400.0}, {"x": 0.0}),
    ("exp(x)/(exp(x)+exp(y))", {"x": 400.0, "y": 400.0}, {"x": 0.25, "y": -0.25}),
    # an integer exponent past 2^53: n - 1 rounds back to n in float64, so the sign came from
    # the wrong parity
    ("x^(2^60)", {"x": -1.0}, {"x": -(2.0**60)}),
    ("x^(2^60)", {"x": 1.0}, {"x": 2.0**60}),
    ("x^(2^53)", {"x": -1.0}, {"x": -(2.0**53)}),
    ("x^3", {"x": -2.0}, {"x": 12.0}),
    ("x^(-3)", {"x": -2.0}, {"x": -0.1875}),
    ("x^(-2)", {"x": -2.0}, {"x": 0.25}),
]


@pytest.mark.parametrize(("program", "values", "gradients"), EXTREME_GRADIENTS)
def test_partials_at_extreme_magnitudes(
    program: str, values: dict[str, float], gradients: dict[str, float]
) -> None:
    assert evaluate(program, values).gradients == pytest.approx(gradients, rel=1e-12, abs=0)
