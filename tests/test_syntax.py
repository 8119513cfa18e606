"""The expression language of DESIGN.md: precedence, implicit multiplication, programs, errors.

Trees are compared as S-expressions built here (`neg(pow(x, 2))`), so a change in the parser's
own repr cannot hide a change in structure. Each parse error is checked for its message, the
line and column it points at, the caret drawn under that column, and its hint.
"""

from __future__ import annotations

import pytest
from helpers import sexpr, tree

from cgraph_cli import evaluate
from cgraph_cli.core.graph import compile_program
from cgraph_cli.core.syntax import parse_expression, parse_program
from cgraph_cli.errors import ParseError


def program(source: str) -> list[tuple[str | None, str]]:
    return [(s.target, sexpr(s.expr)) for s in parse_program(source).statements]


# --- precedence and associativity ----------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("-x^2", "neg(pow(x, 2))"),  # power binds tighter than unary minus
        ("-x**2", "neg(pow(x, 2))"),
        ("2^3^2", "pow(2, pow(3, 2))"),  # right-associative
        ("x^-2", "pow(x, -2)"),
        ("2^-x^2", "pow(2, neg(pow(x, 2)))"),
        ("a-b-c", "sub(sub(a, b), c)"),  # left-associative
        ("a/b/c", "div(div(a, b), c)"),
        ("a-b+c", "add(sub(a, b), c)"),
        ("a+b*c", "add(a, mul(b, c))"),
        ("(a+b)*c", "mul(add(a, b), c)"),
        ("a*b^c", "mul(a, pow(b, c))"),
        ("-x*y", "mul(neg(x), y)"),
        ("--x", "neg(neg(x))"),
        ("+x", "x"),
        ("-2", "-2"),  # a negative literal is one constant
        ("-2^2", "neg(pow(2, 2))"),  # ... but -2^2 is still -(2^2)
        ("x**2", "pow(x, 2)"),
        ("x ** -2", "pow(x, -2)"),
        ("pow(x, 3)", "pow(x, 3)"),
    ],
)
def test_precedence(source: str, expected: str) -> None:
    assert tree(source) == expected


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("2^3^2", 512.0),  # 2^(3^2), not (2^3)^2 = 64
        ("2**3**2", 512.0),
        ("-2^2", -4.0),
        ("(-2)^2", 4.0),
        ("8-4-2", 2.0),
        ("8/4/2", 1.0),
        ("2^-1", 0.5),
        ("1 + 2*3", 7.0),
    ],
)
def test_precedence_values(source: str, value: float) -> None:
    assert evaluate(source).value == value


# --- implicit multiplication -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("2x", "mul(2, x)"),
        ("2(x+y)", "mul(2, add(x, y))"),
        ("(x+1)(x-1)", "mul(add(x, 1), sub(x, 1))"),
        ("3 sin(x)", "mul(3, sin(x))"),
        ("3sin(x)", "mul(3, sin(x))"),
        ("w x", "mul(w, x)"),  # two names separated by a space
        ("x y z", "mul(mul(x, y), z)"),
        ("2x^2", "mul(2, pow(x, 2))"),  # the power binds first
        ("3x^2 + 2x + 1", "add(add(mul(3, pow(x, 2)), mul(2, x)), 1)"),
        ("2pi", "mul(2, pi)"),
    ],
)
def test_implicit_multiplication(source: str, expected: str) -> None:
    assert tree(source) == expected


@pytest.mark.parametrize("name", ["wx", "w1", "x_1", "alpha", "sinx", "expx"])
def test_a_multi_letter_name_is_one_variable(name: str) -> None:
    assert tree(name) == name
    assert compile_program(name).input_names == (name,)


# --- literals, functions, programs -------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("2", 2.0),
        ("3.5", 3.5),
        (".5", 0.5),
        ("1e-3", 0.001),
        ("1.5e+2", 150.0),
        ("1E3", 1000.0),
        ("3.", 3.0),
    ],
)
def test_numbers(source: str, value: float) -> None:
    node = parse_expression(source)
    assert (node.kind, node.value, node.text) == ("number", value, source)


def test_log_is_ln_is_the_natural_log() -> None:
    assert tree("log(x)") == tree("ln(x)") == "log(x)"
    assert evaluate("log(x)", x=1).value == 0.0
    assert evaluate("ln(e)").value == 1.0


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("q = x + y; f = q * z", [("q", "add(x, y)"), ("f", "mul(q, z)")]),
        ("q = x + y\nf = q * z", [("q", "add(x, y)"), ("f", "mul(q, z)")]),
        ("q = x + y;\n\n;f = q * z;", [("q", "add(x, y)"), ("f", "mul(q, z)")]),
        (
            "# a comment\nq = x + y  # trailing comment\n# another\nf = q * z",
            [("q", "add(x, y)"), ("f", "mul(q, z)")],
        ),
        ("x = 2; y = -4; f = x*y", [("x", "2"), ("y", "-4"), ("f", "mul(x, y)")]),
        ("f = (x\n  + y)", [("f", "add(x, y)")]),  # a newline inside parentheses continues
        ("f = max(x,\n        y)", [("f", "max(x, y)")]),
        ("(x+y)*z", [(None, "mul(add(x, y), z)")]),
        ("q = x + y\r\nf = q * z\r\n", [("q", "add(x, y)"), ("f", "mul(q, z)")]),
    ],
)
def test_programs(source: str, expected: list[tuple[str | None, str]]) -> None:
    assert program(source) == expected


def test_statement_start_offsets() -> None:
    statements = parse_program("q = x + y; f = q * z").statements
    assert [s.start for s in statements] == [0, 11]


# --- errors: message, line, column, caret, hint ----------------------------------------------


@pytest.mark.parametrize(
    ("source", "message", "line", "column", "hint"),
    [
        ("x $ y", "unexpected character '$'", 1, 3, None),
        ("x[1]", "unexpected character '['", 1, 2, "use parentheses ( ) for grouping"),
        ("x + y)", "unmatched ')'", 1, 6, "remove it, or add the '(' it closes"),
        ("(x + y", "'(' is never closed", 1, 1, "add the missing ')'"),
        ("2*(x + (y", "'(' is never closed", 1, 8, "add the missing ')'"),
        ("sin(x", "'(' is never closed", 1, 4, "add the missing ')'"),
        (
            "x +",
            "the expression ends after '+'",
            1,
            4,
            "finish it, or remove the trailing operator",
        ),
        ("x^", "the expression ends after '^'", 1, 3, "finish it, or remove the trailing operator"),
        (
            "a = 1\nb = a *\n",
            "the expression ends after '*'",
            2,
            8,
            "finish it, or remove the trailing operator",
        ),
        (
            "x +* y",
            "expected a number, name or '(' before '*'",
            1,
            4,
            "'*' needs a value on each side",
        ),
        ("1 2", "missing operator before 2", 1, 3, "write `*` for a product"),
        ("x = ", "nothing after `x =`", 1, 4, "write x = <expression>"),
        ("sine(x)", "unknown function `sine`", 1, 1, "did you mean `sin`? For a product"),
        ("y = 2*sigmiod(x)", "unknown function `sigmiod`", 1, 7, "did you mean `sigmoid`?"),
        ("sin", "`sin` is a function and needs an argument", 1, 1, "write sin(x) or sin x"),
        ("2 + exp", "`exp` is a function and needs an argument", 1, 5, "write exp(x) or exp x"),
        ("2x - sin", "`sin` is a function and needs an argument", 1, 6, "write sin(x) or sin x"),
        ("sin + 1", "`sin` is a function and needs an argument", 1, 1, "write sin(x) or sin x"),
        ("2 floor(x)", "`floor` is a mathematical function cgraph does not support", 1, 3, "step"),
        ("ceil x", "`ceil` is a mathematical function cgraph does not support", 1, 1, "step"),
        ("lg x", "`lg` is a mathematical function cgraph does not support", 1, 1, "lg means"),
        ("gamma*x", "`gamma` is a mathematical function cgraph does not support", 1, 1, "for the"),
        ("sin^x x", "a power written on sin must be a whole number, as in sin^2 x", 1, 4, "for"),
        ("sin^-2 x", "`sin^-2` is ambiguous", 1, 4, "write 1/sin(x)^2 for a power of 1/sin"),
        ("exp^-1 x", "`exp^-1` (the inverse function of exp) is not supported", 1, 1, "for 1/"),
        ("log_1 x", "a logarithm has no base 1", 1, 1, "the base is positive and not 1"),
        ("max x", "max needs parentheses around its arguments", 1, 1, "for example max(x, y)"),
        ("|x", "'|' is never closed", 1, 1, "close the absolute value with another '|'"),
        ("(|x)", "'|' is never closed", 1, 2, "close the absolute value with another '|'"),
        ("x.y", "unexpected character '.'", 1, 2, "a number needs digits"),
        ("x += 1 += 2", "unexpected '+='", 1, 8, "an assignment is `name += expression`"),
        ("sin()", "sin() needs 1 argument", 1, 5, "for example sin(x)"),
        ("sin(x, y)", "sin() takes 1 argument, got 2", 1, 1, None),
        ("1 + max(x)", "max() takes at least 2 arguments, got 1", 1, 5, None),
        ("leaky_relu(x, 1, 2)", "leaky_relu() takes 1 or 2 arguments, got 3", 1, 1, None),
        ("x, y", "unexpected ','", 1, 2, "commas separate the arguments of a function"),
        ("()", "empty parentheses", 1, 2, "put an expression inside"),
    ],
)
def test_parse_errors(source: str, message: str, line: int, column: int, hint: str | None) -> None:
    with pytest.raises(ParseError) as caught:
        parse_program(source)
    assert_error(caught.value, message, line, column, hint)


@pytest.mark.parametrize(
    ("source", "message", "line", "column", "hint"),
    [
        (
            "q = p + 1; p = x",
            "`p` is used before it is defined",
            1,
            5,
            "`p` is defined by a later statement; define steps before using them",
        ),
        (
            "x = 2\nq = q + x",
            "`q` is used before it is defined",
            2,
            5,
            "`q` cannot depend on itself",
        ),
        (
            "x + 1; y = x",
            "this expression is not assigned to a name",
            1,
            1,
            "name it (`q = ...`) or make it the last statement",
        ),
        ("sin = x + 1", "`sin` is a function and cannot be assigned", 1, 1, "choose another name"),
    ],
)
def test_program_errors(
    source: str, message: str, line: int, column: int, hint: str | None
) -> None:
    """Errors found while building the graph point into the source the same way."""
    with pytest.raises(ParseError) as caught:
        compile_program(source)
    assert_error(caught.value, message, line, column, hint)


@pytest.mark.parametrize("source", ["", "   ", "\n\n", ";;", "# only a comment\n"])
def test_empty_program(source: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_program(source)
    error = caught.value
    assert error.message == "the program is empty"
    assert not error.pointed  # nothing to point at: no caret
    assert "^" not in str(error)
    assert str(error).startswith("the program is empty\nhint: write an expression such as")


def test_error_text_shows_the_line_and_a_caret() -> None:
    with pytest.raises(ParseError) as caught:
        parse_program("q = x + y\nf = q $ z")
    assert str(caught.value) == (
        "unexpected character '$' (line 2, column 7)\n  f = q $ z\n        ^"
    )


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x(y+1)", "mul(x, add(y, 1))"),  # a one-letter name multiplies, as on paper
        ("3x(18x^4 + 13/(x + 1))", "mul(mul(3, x), add(mul(18, pow(x, 4)), div(13, add(x, 1))))"),
        ("w0 (1 - f) f", "mul(mul(w0, sub(1, f)), f)"),
        ("foo (x)", "mul(foo, x)"),  # with a space, a word multiplies too
        ("θ(x+1)", "mul(θ, add(x, 1))"),
    ],
)
def test_a_name_that_is_not_a_function_before_a_parenthesis_multiplies(
    source: str, expected: str
) -> None:
    assert tree(source) == expected
    assert parse_program(source).notes == ()


def test_a_word_against_a_parenthesis_is_an_unknown_function() -> None:
    with pytest.raises(ParseError) as caught:
        parse_program("foo(x)")
    assert caught.value.message == "unknown function `foo`"
    assert caught.value.hint == "for a product write `foo*(...)` or `foo (...)`"


def assert_error(error: ParseError, message: str, line: int, column: int, hint: str | None) -> None:
    """Message, position and hint exactly as given; the caret sits under that column."""
    shown = str(error)
    assert error.message == message, shown
    assert (error.line, error.column) == (line, column), shown
    if hint is None:
        assert error.hint is None, shown
    else:
        assert error.hint is not None and error.hint.startswith(hint), shown
    source_line = error.source.split("\n")[line - 1]
    where = f"line {line}, column {column}" if "\n" in error.source else f"column {column}"
    text = shown.split("\n")
    assert text[0] == f"{message} ({where})", shown
    assert text[1] == "  " + source_line, shown
    assert text[2] == "  " + " " * (column - 1) + "^", shown
