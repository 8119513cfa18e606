"""Maths as textbooks and students write it: what is typed -> the canonical form it means.

Every row is read three ways, all of which must agree: as an expression, as the body of a
program step (`f = ...`), and as a `check` answer. The canonical form is itself parsed (it uses
only explicit `*`, parentheses and plain function calls), so a row says "these two texts are
the same tree". The ambiguity table adds the note a reading gets, or that it gets none.
"""

from __future__ import annotations

import math

import pytest
from helpers import sexpr, tree

from cgraph_cli.core.graph import compile_program
from cgraph_cli.core.question import parse_number
from cgraph_cli.core.syntax import parse_program
from cgraph_cli.errors import InputError, ParseError
from cgraph_cli.homework.check import Outcome, Problem, check

FORMS = [
    # functions applied without parentheses: the argument is the product written without a
    # space, with any power; a space, an operator or another function ends it
    ("sin x", "sin(x)"),
    ("ln x", "ln(x)"),
    ("sin 2x", "sin(2*x)"),
    ("sin 2πx", "sin(2*pi*x)"),
    ("sin x^2", "sin(x^2)"),
    ("sin x²", "sin(x^2)"),
    ("sin x cos x", "sin(x)*cos(x)"),
    ("sec x tan x", "sec(x)*tan(x)"),
    ("sin x + 1", "sin(x) + 1"),
    ("sin x/x", "sin(x)/x"),
    ("x ln x cos x", "x*ln(x)*cos(x)"),
    ("5 sin x", "5*sin(x)"),
    ("-sin x", "-(sin(x))"),
    ("sin -x", "sin(-x)"),
    ("sin cos x", "sin(cos(x))"),
    ("e^sin x cos x", "e^(sin(x))*cos(x)"),
    ("e^x sin x", "e^x*sin(x)"),
    ("ln|x|", "ln(abs(x))"),
    # powers of functions; ^-1 is the inverse
    ("sin^2 x", "sin(x)^2"),
    ("sin^2(x)", "sin(x)^2"),
    ("sin^2x", "sin(x)^2"),
    ("cot^3(4x + 1)", "cot(4*x + 1)^3"),
    ("csc² x", "csc(x)^2"),
    ("ln^2 x", "ln(x)^2"),
    ("2 sin^2 x cos x", "2*sin(x)^2*cos(x)"),
    ("sin(x)^2", "sin(x)^2"),
    ("sin^-1(x)", "asin(x)"),
    ("sin^-1 x", "asin(x)"),
    ("sin^(-1) x", "asin(x)"),
    ("sin⁻¹ x", "asin(x)"),
    ("tan⁻¹(2x)", "atan(2*x)"),
    ("cos^-1 x", "acos(x)"),
    ("sec^-1 x", "asec(x)"),
    ("tanh^-1 x", "atanh(x)"),
    # spellings
    ("arcsin x", "asin(x)"),
    ("arccos x", "acos(x)"),
    ("arctan x", "atan(x)"),
    ("arcsec x", "asec(x)"),
    ("arccsc x", "acsc(x)"),
    ("arccot x", "acot(x)"),
    ("arcsinh x", "asinh(x)"),
    ("arsinh x", "asinh(x)"),
    ("cosec x", "csc(x)"),
    ("tg x", "tan(x)"),
    ("ctg x", "cot(x)"),
    # the new functions
    ("sec x", "sec(x)"),
    ("csc x", "csc(x)"),
    ("cot x", "cot(x)"),
    ("asec x", "asec(x)"),
    ("acsc x", "acsc(x)"),
    ("acot x", "acot(x)"),
    ("asinh x", "asinh(x)"),
    ("acosh x", "acosh(x)"),
    ("atanh x", "atanh(x)"),
    ("sech x", "sech(x)"),
    ("csch x", "csch(x)"),
    ("coth x", "coth(x)"),
    ("erf x", "erf(x)"),
    ("erfc x", "erfc(x)"),
    # logarithms with a base
    ("log_2(x)", "log2(x)"),
    ("log_2 x", "log2(x)"),
    ("log₂ x", "log2(x)"),
    ("log_10 x", "log10(x)"),
    ("log_3 x", "log(x, 3)"),
    ("log_3(x^2 + 1)", "log(x^2 + 1, 3)"),
    ("log_e x", "ln(x)"),
    ("log_b x", "log(x, b)"),
    ("log(x, 5)", "log(x, 5)"),
    # pasted characters
    ("π", "pi"),
    ("2π", "2*pi"),
    ("θ^2 + θ", "θ^2 + θ"),
    ("α x + β", "α*x + β"),
    ("x₁ + x₂", "x₁ + x₂"),
    ("x²", "x^2"),
    ("x³ + 2x²", "x^3 + 2*x^2"),
    ("x⁻¹", "x^-1"),
    ("x⁻²", "x^-2"),
    ("e⁻ˣ", "e^(-x)"),
    ("√x", "sqrt(x)"),
    ("√(x+1)", "sqrt(x + 1)"),
    ("1/√x", "1/sqrt(x)"),
    ("√x^2", "sqrt(x^2)"),
    ("2⋅x", "2*x"),
    ("2·x", "2*x"),
    ("2×x", "2*x"),
    ("x÷2", "x/2"),
    ("x − 1", "x - 1"),
    ("x – 1", "x - 1"),
    ("x\u00a0+\u00a01", "x + 1"),
    ("x\u2009+\u202f1", "x + 1"),
    ("|x|", "abs(x)"),
    ("2|x - 1|", "2*abs(x - 1)"),
    ("|x - |y||", "abs(x - abs(y))"),
    ("x|x|", "x*abs(x)"),
    ("2x + 1.", "2*x + 1"),
    ("sin x.", "sin(x)"),
    # a name that is not a function, before a parenthesis, multiplies
    ("3x(18x^4 + 13/(x + 1))", "3*x*(18*x^4 + 13/(x + 1))"),
    ("x(x+1)", "x*(x + 1)"),
    ("w0 (1 - f) f", "w0*(1 - f)*f"),
]


@pytest.mark.parametrize(("typed", "canonical"), FORMS)
def test_typed_form_means_the_canonical_form(typed: str, canonical: str) -> None:
    assert tree(typed) == tree(canonical)


@pytest.mark.parametrize(("typed", "canonical"), FORMS)
def test_the_same_form_in_a_program_step(typed: str, canonical: str) -> None:
    statements = parse_program(f"f = {typed}").statements
    assert [s.target for s in statements] == ["f"]
    assert sexpr(statements[0].expr) == tree(canonical)


@pytest.mark.parametrize(("typed", "canonical"), FORMS)
def test_the_same_form_as_an_answer(typed: str, canonical: str) -> None:
    """`typed` as the answer for d/du of u·(canonical): the derivative is exactly the form."""
    result = check(Problem(f"h = u*({canonical})", "u", typed))
    assert result.outcome is Outcome.CORRECT, result


AMBIGUOUS = [
    # (typed, the reading taken, the note or None when nothing else is plausible)
    ("sin x y", "sin(x)*y", "read `sin x y` as sin(x)·y"),
    ("sin 2x y", "sin(2*x)*y", "read `sin 2x y` as sin(2x)·y"),
    ("sin 2(x+1)", "sin(2)*(x+1)", "read `sin 2(x+1)` as sin(2)·(x+1)"),
    ("sin x (x+1)", "sin(x)*(x+1)", None),
    ("sec x(tan x + sec x)", "sec(x)*(tan(x) + sec(x))", None),
    ("sin 2x(x+1)", "sin(2*x)*(x+1)", None),
    ("1/2x", "(1/2)*x", "read `1/2x` as (1/2)·x"),
    ("e^2x", "(e^2)*x", "read `e^2x` as (e^2)·x"),
    ("√2x", "sqrt(2)*x", "read `√2x` as √(2)·x"),
    ("sin 2*x", "sin(2)*x", "read `sin 2*…` as sin(2)*…"),
    ("sin x cos x", "sin(x)*cos(x)", None),
    ("sin 2x", "sin(2*x)", None),
    ("sin x^2", "sin(x^2)", None),
    ("sin x/x", "sin(x)/x", None),
    ("1/2 x", "(1/2)*x", None),
    ("x^2 y", "x^2*y", None),
    ("-x^2", "-(x^2)", None),
    ("2^3^2", "2^(3^2)", None),
    ("sin(x)^2", "sin(x)^2", None),
]


@pytest.mark.parametrize(("typed", "reading", "note"), AMBIGUOUS)
def test_ambiguous_text_gets_the_textbook_reading_and_a_note(
    typed: str, reading: str, note: str | None
) -> None:
    parsed = parse_program(typed)
    assert sexpr(parsed.statements[0].expr) == tree(reading)
    assert parsed.notes == ((note,) if note else ())


# --- programs: rebinding, in-place steps, constant inputs, definitions -------------------------

PROGRAMS = [
    # (program, values, nodes as (label, op), output value, gradients)
    (
        "c = 2; c = c + c + 1",
        {},
        [("c", "input"), ("n1", "add"), ("1", "const"), ("c′", "add")],
        5.0,
        {"c": 2.0},
    ),
    (
        "a = 3; b = a * 2; b += a; b *= b",
        {},
        [("a", "input"), ("2", "const"), ("b", "mul"), ("b′", "add"), ("b′′", "mul")],
        81.0,
        {"a": 54.0},
    ),
    (
        "x = 4; x -= 1; x /= 2",
        {},
        [("x", "input"), ("1", "const"), ("x′", "sub"), ("2", "const"), ("x′′", "div")],
        1.5,
        {"x": 0.5},
    ),
    (
        "c = x; c *= x; c *= x; c *= x; c *= x; c *= x",
        {"x": 2.0},
        [
            ("x", "input"),
            ("c′", "mul"),
            ("c′′", "mul"),
            ("c′′′", "mul"),
            ("c⁽⁴⁾", "mul"),
            ("c⁽⁵⁾", "mul"),
        ],
        64.0,
        {"x": 192.0},
    ),
    ("x = 2/3; f = x^2", {}, [("x", "input"), ("2", "const"), ("f", "pow")], 4 / 9, {"x": 4 / 3}),
    (
        "θ = π/4; f = sin θ",
        {},
        [("θ", "input"), ("f", "sin")],
        math.sin(math.pi / 4),
        {"θ": math.cos(math.pi / 4)},
    ),
    ("f(x) = x^2", {"x": 3.0}, [("x", "input"), ("2", "const"), ("f", "pow")], 9.0, {"x": 6.0}),
    ("f = 2 + 3", {}, [("2", "const"), ("3", "const"), ("f", "add")], 5.0, {}),
]


@pytest.mark.parametrize(("source", "values", "nodes", "value", "gradients"), PROGRAMS)
def test_programs_rebind_and_take_constant_inputs(
    source: str,
    values: dict[str, float],
    nodes: list[tuple[str, str]],
    value: float,
    gradients: dict[str, float],
) -> None:
    from cgraph_cli import evaluate

    result = evaluate(source, values)
    assert [(node.label, node.op) for node in result.graph.nodes] == nodes
    assert result.value == pytest.approx(value, rel=1e-15)
    assert result.gradients == pytest.approx(gradients, rel=1e-15)


def test_a_constant_input_can_be_overridden_like_a_number() -> None:
    from cgraph_cli import evaluate

    assert evaluate("x = pi/4; f = 2x", {"x": 1.0}).value == 2.0


def test_a_rebound_name_is_read_by_its_latest_value_and_named_by_its_label() -> None:
    graph = compile_program("c = x; c = c*c; f = c + 1")
    assert graph.names["c′"] == graph.names["f"] - 2
    assert graph.nodes[graph.names["c′"]].op == "mul"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("x = log(-1); f = x", "`x` is given a value that is not a finite real number"),
        ("x = 1/0; f = x", "`x` is given a value that is not a finite real number"),
        ("c = c + 1", "`c` is used before it is defined"),
        ("c += 1", "`c` is used before it is defined"),
        ("sec = x + 1", "`sec` is a function and cannot be assigned"),
        ("erf = 2", "`erf` is a function and cannot be assigned"),
        ("floor = 2; f = floor", "`floor` is a mathematical function cgraph does not support"),
        ("log_2 = x", "`log_2` is a function and cannot be assigned"),
    ],
)
def test_program_errors(source: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        compile_program(source)
    assert caught.value.message == message


# --- reserved names ----------------------------------------------------------------------------

RESERVED = [
    *"sin cos tan sec csc cot asin acos atan asec acsc acot sinh cosh tanh sech csch coth".split(),
    *"asinh acosh atanh arcsin arccos arctan arcsec arccsc arccot exp log ln sqrt abs".split(),
    *"erf erfc sigmoid relu softplus log2 log10 log_2 log_b cosec".split(),
    *"gamma sgn sign floor ceil round lg arg Re Im det mod factorial".split(),
]


@pytest.mark.parametrize("name", RESERVED)
def test_no_function_name_is_ever_a_variable(name: str) -> None:
    for source in (f"2x - {name}", f"{name} + 1", f"{name}*x", f"y = {name}"):
        with pytest.raises(ParseError) as caught:
            parse_program(source)
        assert f"`{name}`" in caught.value.message, (source, caught.value.message)


def test_issue_10_hole_sec_as_a_variable_is_closed() -> None:
    from cgraph_cli.homework.check import check_safely

    result = check_safely(Problem("x^2 - sec x + 1", "x", "2x - sec"))
    assert (result.outcome, result.exit_code) == (Outcome.ERROR, 2)
    with pytest.raises(ParseError, match="`sec` is a function and needs an argument"):
        check(Problem("x^2 - sec x + 1", "x", "2x - sec"))
    right = check(Problem("x^2 - sec x + 1", "x", "2x - sec x tan x"))
    assert right.outcome is Outcome.CORRECT


# --- answers: named steps, the output, left sides ------------------------------------------------

SIGMOID = "dot = w0*x0 + w1*x1 + w2; f = 1/(1 + exp(-dot))"


@pytest.mark.parametrize(
    ("program", "wrt", "answer", "outcome"),
    [
        (SIGMOID, "x0", "w0 (1 - f) f", Outcome.CORRECT),  # CS231n's local gradient
        (SIGMOID, "x0", "w0 f (1 - f)", Outcome.CORRECT),
        (SIGMOID, "x0", "x0 (1 - f) f", Outcome.WRONG),
        (SIGMOID, "w2", "(1 - f) f", Outcome.CORRECT),
        ("q = x + y; f = q*z", "x", "z", Outcome.CORRECT),
        ("y = x^2 sin x", "x", "y' = 2x sin x + x^2 cos x", Outcome.CORRECT),
        ("x^2 sin x", "x", "f'(x) = 2x sin x + x² cos x.", Outcome.CORRECT),
        ("x^2 sin x", "x", "f′(x) = 2x sin x + x^2 cos x", Outcome.CORRECT),
        ("x^2 sin x", "x", "dy/dx = 2x sin x + x^2 cos x", Outcome.CORRECT),
        ("x^2 sin x", "x", "d/dx(x^2 sin x) = 2x sin x + x^2 cos x", Outcome.CORRECT),
        ("x^2 sin x", "x", "df/dx = 2x sin x", Outcome.WRONG),
        ("L = (w x - t)^2", "w", "∂L/∂w = 2(w x - t) x", Outcome.CORRECT),
        ("L = (w x - t)^2", "w", "dL/dw = 2(wx - t)x", Outcome.CORRECT),  # wx: w·x
        ("L = (w x - t)^2", "w", "dL/dw = 2(wx - t)", Outcome.WRONG),
        ("L = (w x - t)^2", "w", "dL/dw = 2(wz - t)x", Outcome.ERROR),  # wz: no such variable
        ("x^2 e^x", "x", "xe^x(x + 2)", Outcome.CORRECT),
        ("a x^2 + b x + c", "x", "2ax + b", Outcome.CORRECT),
    ],
)
def test_answers(program: str, wrt: str, answer: str, outcome: Outcome) -> None:
    from cgraph_cli.homework.check import check_safely

    result = check_safely(Problem(program, wrt, answer))
    assert result.outcome is outcome, result


@pytest.mark.parametrize(
    ("program", "wrt", "answer", "message"),
    [
        (
            "L = (w x - t)^2",
            "w",
            "∂L/∂b = 2(w x - t) x",
            "the answer's left side `∂L/∂b` names the derivative by b, but the question asks "
            "for ∂L/∂w",
        ),
        (
            "q = x + y; f = q*z",
            "x",
            "dq/dx = 1",
            "the answer's left side `dq/dx` names the derivative of q, but the question asks "
            "for ∂f/∂x",
        ),
        (
            "x^3",
            "x",
            "f''(x) = 6x",
            "the answer's left side `f''(x)` names a derivative of order 2, but the question "
            "asks for ∂f/∂x",
        ),
        ("x^3", "x", "f'(t) = 3t^2", "the answer's left side `f'(t)` names the derivative by t"),
        ("x^3", "x", "3x^2 = 3x^2", "cannot read the left side `3x^2` of the answer"),
        ("x^3", "x", "f'(x) =", "the answer has nothing after `=`"),
    ],
)
def test_left_sides_that_name_another_derivative_are_refused(
    program: str, wrt: str, answer: str, message: str
) -> None:
    with pytest.raises(InputError) as caught:
        check(Problem(program, wrt, answer))
    assert caught.value.message.startswith(message)


def test_the_made_up_output_name_is_not_a_variable_of_the_answer() -> None:
    with pytest.raises(InputError, match="`f`, which is not a variable of the program"):
        check(Problem("x^2", "x", "2f"))


# --- values use the same grammar -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("π/4", math.pi / 4), ("2π", 2 * math.pi), ("√2", math.sqrt(2)), ("−3", -3.0)],
)
def test_values_are_read_with_the_same_grammar(text: str, value: float) -> None:
    assert parse_number(text, "t") == value
