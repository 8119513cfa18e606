"""How the pictures look: colours, font sizes, numbers as a slide writes them, text widths.

Every number slot in a picture is a fixed-size cell whose size comes from `text_width`, so the
forward picture, the backward picture and every step frame have the same geometry and Graphviz
puts every node in the same place (the slot may be empty, a `?` or the number).
"""

from __future__ import annotations

import math

from ..core.numbers import format_number

FONT = "Helvetica,Arial,sans-serif"
GREEN = "#1b7a3d"  # forward values
RED = "#b42318"  # gradients
INK = "#222222"
MUTED = "#6b6b6b"
FAINT = "#a3a3a3"
HIGHLIGHT = "#ffe28a"  # the current step of a step frame
INPUT_FILL, INPUT_LINE = "#e8f0fa", "#3a6ea5"
GATE_FILL, GATE_LINE = "#ffffff", "#4a4a4a"
OUTPUT_FILL, OUTPUT_LINE = "#fdf0e1", "#b5651d"
INERT_FILL = "#f4f4f4"

SIZE_GATE = 16  # the op symbol in a gate, an input's name
SIZE_NUMBER = 14  # values and gradients beside the nodes
SIZE_EDGE = 13  # edge labels
SIZE_CAPTION = 13
PICTURE_DIGITS = 3  # significant digits a slide can hold (0.197); --digits or --decimals change it
LABELLED_EDGES_MAX = 150  # more edges are drawn without labels: unreadable, and 7x slower in dot
MINUS = "\u2212"  # −, the typographic minus (a hyphen is too short to read as minus)

# Advance widths of Helvetica (= Arial, Liberation Sans) in 1/1000 em, for the characters the
# pictures use; anything else counts as a wide letter, so cells err on the roomy side.
_WIDTHS: dict[str, int] = {
    **dict.fromkeys("0123456789", 556),
    **dict.fromkeys("abcdeghknopqsuvxyz", 556),
    **dict.fromkeys("fjrt", 333),
    **dict.fromkeys("il", 222),
    "m": 833,
    "w": 722,
    **dict.fromkeys("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 700),
    " ": 278,
    "\u00a0": 278,
    ".": 278,
    ",": 278,
    ":": 278,
    "·": 278,
    "(": 333,
    ")": 333,
    "/": 278,
    "^": 469,
    "-": 333,
    "_": 556,
    "?": 556,
    "=": 584,
    "+": 584,
    MINUS: 584,
    "×": 584,
    "÷": 584,
    "∂": 494,
    "σ": 600,
    "π": 600,
    "—": 1000,
    "…": 1000,
    "²": 333,
    "³": 333,
}
_WIDE = 720


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of a line of text at `size` pt (bold runs are about 6% wider)."""
    em = sum(_WIDTHS.get(char, _WIDE) for char in text) / 1000
    return em * size * (1.06 if bold else 1.0)


def cell_width(texts: list[str], size: float, bold: bool = False) -> int:
    """A cell wide enough for the widest of `texts`, rounded up, with a little air."""
    widest = max((text_width(text, size, bold) for text in texts), default=0.0)
    return math.ceil(widest * 1.08) + 4


def minus_signs(text: str) -> str:
    """`-4` -> `−4`, `1e-07` -> `1e−7`: what a slide prints."""
    return text.replace("-", MINUS)


def number(value: float | None, digits: int = PICTURE_DIGITS, decimals: int | None = None) -> str:
    """One number for a picture: `digits` significant digits, or `decimals` fixed ones."""
    if decimals is not None and value is not None and value == value and math.isfinite(value):
        text = f"{value:.{decimals}f}"
        if float(text) == 0:
            text = text.lstrip("-")  # -0.00 is 0.00
        return minus_signs(text)
    return minus_signs(format_number(value, digits))


def factor(text: str) -> str:
    """A number written after `×`: a negative in parentheses, so `× −4` reads `× (−4)`."""
    return f"({text})" if text.startswith(MINUS) else text
