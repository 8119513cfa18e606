"""Split program text into tokens, reading what people paste as what they mean.

Besides ASCII, the lexer takes what a PDF, a web page or `cgraph diff` itself hands over: Greek
letters as names (`θ`, `π`), subscripts in names (`x₁`, `log₂`), superscript powers (`x²`,
`x⁻¹`, `sin⁻¹`), `√`, the operators `− – × · ⋅ ∙ ∗ ÷ ∕`, no-break and thin spaces, `|x|`, and a
trailing period at the end of a statement.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterator
from itertools import accumulate, compress, count, repeat
from operator import itemgetter

from ..errors import ParseError
from .ops import BINARY_OPERATORS, FUNCTIONS, PREFIX_OPERATORS

MAX_NAME_LENGTH = 64

Token = tuple[str, str, int]  # (kind, text, start); kind "end" closes a statement

# Characters people paste from PDFs and slides, read as the operator they mean. Invisible
# characters (zero-width space, invisible times) stay errors: text must read as it looks.
OPERATOR_ALIASES = {
    "−": "-",
    "–": "-",
    "‐": "-",
    "×": "*",
    "·": "*",
    "⋅": "*",
    "∙": "*",
    "∗": "*",
    "÷": "/",
    "∕": "/",
    # Braces as a typeset answer key groups an exponent or an argument: `e^{2x}`, `x^{1/2}`,
    # `sin^{-1}(x)` read as `e^(2x)`... (each `{` must close with `}`: _braces_match).
    "{": "(",
    "}": ")",
}
GREEK = "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩαβγδεζηθικλμνξοπρστυφχψωϑϕϵµ"
SUBSCRIPT_DIGITS = "₀₁₂₃₄₅₆₇₈₉"
# Superscripts map one character to one ASCII character, so offsets stay exact.
_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾ⁿˣʸᵗᶻᵃᵇᵏᵐⁱʲ", "0123456789+-()nxytzabkmij", strict=True))
_SPACES = " \t\r\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
_SPACES += "\u2009\u200a\u202f\u205f\u3000"

# Operator tokens come from the op table; `+` is also the do-nothing sign (`+x`).
_OPERATORS = sorted({*BINARY_OPERATORS, *PREFIX_OPERATORS, "+"}, key=len, reverse=True)
_LONG_OPERATORS = "".join("|" + re.escape(token) for token in _OPERATORS if len(token) > 1)

# Every character belongs to exactly one piece, so a piece's offset is the sum of the lengths
# before it: `findall` and `accumulate` run in C, which makes tokenizing a million characters
# quick. A piece's kind follows from its first character.
_NAME = rf"(?:[A-Za-z_][A-Za-z0-9_]*|[{GREEK}](?:_[A-Za-z0-9_]+|[0-9]+)?)[{SUBSCRIPT_DIGITS}]*′*"
NAME = re.compile(_NAME + r"\Z")  # a whole variable name: x, w1, x_1, θ, θ1, x₁, c′
_PIECE = re.compile(
    # a number: ASCII digits only (Python's float() also reads Bengali or fullwidth ones);
    # an exponent with no digits (`1e`, `2e-`) is kept in the piece, to be refused with a caret
    r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+|[eE][+-]?(?![A-Za-z0-9_^*(√|"
    rf"{''.join(_SUPERSCRIPTS)}{GREEK}]))?"  # number
    r"|[A-Za-z][A-Za-z0-9_]*_\{[A-Za-z0-9]+\}"  # a braced subscript: log_{2}, x_{1}
    rf"|{_NAME}"
    rf"{_LONG_OPERATORS}|[-+*/]="  # operators longer than one character (`**`), `+=` ...
    rf"|[{_SPACES}]+"  # space
    r"|\#[^\n]*"  # comment
    rf"|[{''.join(_SUPERSCRIPTS)}]+"  # a superscript run: a power
    r"|.",  # any other single character: an operator, a newline, or an error
    re.DOTALL,
)
_KIND_BY_FIRST = {
    **dict.fromkeys("0123456789.", "number"),
    **dict.fromkeys(string.ascii_letters + "_" + GREEK + "√", "name"),
    **dict.fromkeys(_SPACES, "space"),
    **dict.fromkeys("(),=;|" + "".join(OPERATOR_ALIASES), "op"),
    **{token[0]: "op" for token in _OPERATORS},
    **dict.fromkeys(_SUPERSCRIPTS, "superscript"),
    "#": "comment",
    "\n": "newline",
}

_KEPT = {kind: kind != "space" and kind != "comment" for kind in {*_KIND_BY_FIRST.values()}}
_KEPT["other"] = True
_DEPTH = {"(": 1, ")": -1}
_ENDS = frozenset(";\n")

_CHARACTER_HINTS = {
    "[": "use parentheses ( ) for grouping; there are no lists or indexing",
    "]": "use parentheses ( ) for grouping; there are no lists or indexing",
    ".": "a number needs digits (`0.5`, `.5`); names have no attributes",
    "!": "factorials are not supported",
    "%": "the modulo operator is not supported",
    "'": "strings are not part of the language; write a math expression",
    '"': "strings are not part of the language; write a math expression",
    "\\": "backslashes are not part of the language",
    ":": "write an assignment as `name = expression`",
    "<": "comparisons are not supported",
    ">": "comparisons are not supported",
    "&": "logical operators are not supported",
    "∛": "write a cube root as x^(1/3)",
    "∜": "write a fourth root as x^(1/4)",
    "∂": "write the derivative itself; `∂f/∂x =` may only start an answer",
}


def tokenize(source: str) -> list[Token]:
    """Tokens of the source; newlines inside parentheses are dropped so long expressions wrap.

    Written as whole-list passes rather than one loop with branches: this is the hot path for
    a million-character program, and the rare cases (aliases, superscripts, errors) cost only
    when present.
    """
    pieces = _PIECE.findall(source)
    kinds = [_KIND_BY_FIRST.get(piece[0], "other") for piece in pieces]
    if "." in pieces:
        pieces, kinds = _drop_final_periods(pieces, kinds)
    if "other" in kinds or "." in pieces:
        at = kinds.index("other") if "other" in kinds else len(pieces)
        at = min(at, pieces.index(".") if "." in pieces else at)
        raise _bad_character(source, pieces[at], sum(map(len, pieces[:at])))
    superscripts = "superscript" in kinds
    longest_piece = max(map(len, pieces), default=0)
    del kinds  # made again on the fly below: one list less while the tokens are made
    # zip, compress and map run in C: no Python line per token (spaces and comments dropped)
    tokens = list(
        compress(
            zip(_kinds(pieces), pieces, accumulate(map(len, pieces), initial=0), strict=False),
            map(_KEPT.__getitem__, _kinds(pieces)),
        )
    )
    del pieces  # the tokens hold what is needed
    if "_{" in source:  # `log_{2}` is `log_2`, `x_{1}` is `x_1`: the name as typeset
        tokens = [
            (k, t.replace("{", "").replace("}", "") if k == "name" else t, at)
            for k, t, at in tokens
        ]
    if superscripts:
        tokens = _expand_superscripts(tokens)
    if "{" in source or "}" in source:
        _braces_match(source, tokens)
    if any(char in source for char in OPERATOR_ALIASES):
        tokens = [(kind, OPERATOR_ALIASES.get(text, text), start) for kind, text, start in tokens]
    longest = 0  # no piece longer than the limit (the common case) means no name is either
    if longest_piece > MAX_NAME_LENGTH:
        longest = max((len(text) for kind, text, _ in tokens if kind == "name"), default=0)
    if longest > MAX_NAME_LENGTH:
        kind, text, start = next(t for t in tokens if t[0] == "name" and len(t[1]) == longest)
        raise ParseError(
            f"name is too long ({longest} characters)",
            source,
            start,
            f"names may have at most {MAX_NAME_LENGTH} characters",
        )
    if "\n" in source or ";" in source:
        _statement_ends(tokens)
    tokens.append(("end", "", len(source)))
    return tokens


def _braces_match(source: str, tokens: list[Token]) -> None:
    """A `{` read as `(` must still be closed by `}`, and `(` by `)`: `(x}` is a typo."""
    opened: list[Token] = []
    for token in tokens:
        text = token[1]
        if text in "({":
            opened.append(token)
        elif text in ")}" and opened:
            start = opened.pop()
            if (start[1], text) not in (("(", ")"), ("{", "}")):
                raise ParseError(
                    f"`{text}` closes the `{start[1]}` at column {start[2] + 1}",
                    source,
                    token[2],
                    "close `(` with `)` and `{` with `}`",
                )


def _kinds(pieces: list[str]) -> Iterator[str]:
    """Each piece's kind, from its first character (every character is known by now)."""
    return map(_KIND_BY_FIRST.__getitem__, map(itemgetter(0), pieces))


def _drop_final_periods(pieces: list[str], kinds: list[str]) -> tuple[list[str], list[str]]:
    """A lone `.` that ends a statement is the full stop of a pasted sentence: dropped."""
    keep = [True] * len(pieces)
    for index, piece in enumerate(pieces):
        if piece != ".":
            continue
        after = index + 1
        while after < len(pieces) and kinds[after] in ("space", "comment"):
            after += 1
        if after == len(pieces) or pieces[after] in ("\n", ";"):
            keep[index] = False
    if all(keep):
        return pieces, kinds
    # The period becomes a space piece, so the offsets of what follows stay right.
    pieces = [p if k else " " for p, k in zip(pieces, keep, strict=True)]
    kinds = [kind if k else "space" for kind, k in zip(kinds, keep, strict=True)]
    return pieces, kinds


def _expand_superscripts(tokens: list[Token]) -> list[Token]:
    """`x²` -> `x ^ ( 2 )`, `sin⁻¹` -> `sin ^ ( - 1 )`: a run is a parenthesised exponent."""
    out: list[Token] = []
    for kind, text, start in tokens:
        if kind != "superscript":
            out.append((kind, text, start))
            continue
        plain = "".join(_SUPERSCRIPTS[char] for char in text)
        out.append(("op", "^", start))
        out.append(("op", "(", start))
        offsets = accumulate(map(len, pieces := _PIECE.findall(plain)), initial=start)
        for piece, offset in zip(pieces, offsets, strict=False):
            out.append((_KIND_BY_FIRST.get(piece[0], "op"), piece, offset))
        out.append(("op", ")", start + len(text) - 1))
    return out


def _statement_ends(tokens: list[Token]) -> None:
    """`;` and newlines end statements, except newlines inside parentheses (dropped); in place.

    The parenthesis depth at each token is a running sum made in C (`accumulate`), and only
    the `;` and newline tokens reach Python, with their index and depth (`compress`): no
    Python line and no list per token. An unmatched `)` counts as depth 0 from there on (the
    parser reports it), so such text takes the plain loop.
    """

    def texts() -> Iterator[str]:
        return map(itemgetter(1), tokens)

    def depths() -> Iterator[int]:
        return accumulate(map(_DEPTH.get, texts(), repeat(0)))

    if min(depths(), default=0) < 0:
        clamped = _clamped_depths(list(texts()))
        ends = [(i, clamped[i], t) for i, t in enumerate(texts()) if t in _ENDS]
    else:
        ends = list(compress(zip(count(), depths(), texts()), map(_ENDS.__contains__, texts())))
    dropped = False
    for index, depth, text in ends:
        if text == "\n" and depth:
            tokens[index] = None  # type: ignore[call-overload]
            dropped = True
        else:
            tokens[index] = ("end", text, tokens[index][2])
    if dropped:
        tokens[:] = filter(None, tokens)


def _clamped_depths(texts: list[str]) -> list[int]:
    """The parenthesis depth after each token, where a `)` with nothing open changes nothing."""
    depths = []
    depth = 0
    for text in texts:
        depth = max(0, depth + _DEPTH.get(text, 0))
        depths.append(depth)
    return depths


def _bad_character(source: str, char: str, offset: int) -> ParseError:
    hint = _CHARACTER_HINTS.get(char)
    if char.isalpha() and not char.isascii():
        described = unicodedata.name(char, f"U+{ord(char):04X}")
        return ParseError(
            f"unexpected character {char!r} ({described})",
            source,
            offset,
            "names use ASCII or Greek letters, digits and _ (x, w1, alpha, θ)",
        )
    if not char.isprintable():
        return ParseError(
            f"unexpected control character U+{ord(char):04X}",
            source,
            offset,
            "remove it; programs are plain text",
        )
    method = _METHOD.match(source, offset)
    if method is not None and method[1] in FUNCTIONS:  # micrograd's `(b + a).relu()`, `n.tanh()`
        hint = f"write {method[1]}(...) around the value instead of .{method[1]}()"
    return ParseError(f"unexpected character {char!r}", source, offset, hint)


_METHOD = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)\(\s*\)")
