"""Text from files is data: make it safe to print in a terminal or write to a spreadsheet.

A problem file (or an answer, an id) may hold control characters: ESC starts terminal escape
sequences (`ESC[2J` clears the screen), BEL rings, `\\r` overwrites the line, and bidi overrides
(U+202E) reverse what follows, so `wrong` can be made to read as `correct`. `printable`
replaces each such character with U+FFFD (one visible character for one, so a caret under an
error still points at the right column). Rich markup (`[bold green]`) is a separate matter:
the views print file text as `rich.text.Text`, never as markup.
"""

from __future__ import annotations

import unicodedata

REPLACEMENT = "\ufffd"
# Format characters that are harmless and needed: joiners shape Persian, Indic and emoji text.
_KEPT_FORMAT = frozenset("\u200c\u200d")


def _unsafe(char: str) -> bool:
    """Control (Cc), format (Cf: bidi overrides, zero-width space, BOM) and line/paragraph
    separators (Zl, Zp), except the joiners."""
    category = unicodedata.category(char)
    return category in ("Cc", "Zl", "Zp") or (category == "Cf" and char not in _KEPT_FORMAT)


_ASCII = {code: REPLACEMENT for code in range(128) if _unsafe(chr(code))}  # the fast path


def printable(text: str, *, newlines: bool = False) -> str:
    """`text` with every control, format and separator character replaced by U+FFFD; a tab is
    a space, and `\\n` is kept only when `newlines` is True (a multi-line message)."""
    text = text.replace("\t", " ")
    if newlines:
        return "\n".join(_clean(line) for line in text.split("\n"))
    return _clean(text)


def _clean(text: str) -> str:
    if text.isascii():
        if text.isprintable():
            return text
        return text.translate(_ASCII)
    return "".join(REPLACEMENT if _unsafe(char) else char for char in text)


def one_line(text: str) -> str:
    """For a table cell or a spreadsheet cell: line breaks become spaces, the rest as
    `printable`."""
    return printable(text.replace("\r\n", " ").replace("\n", " ").replace("\r", " "))
