"""The CgraphError family: every failure a user can cause, with its exit code and a fix.

The CLI prints ``str(error)`` to stderr and exits with ``error.exit_code``; nothing else in the
package decides exit codes.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches

EXIT_OK = 0
EXIT_WRONG = 1  # an answer or gradient check came out wrong
EXIT_USAGE = 2  # bad usage or input
EXIT_DOMAIN = 3  # math domain error at the given point
EXIT_TOOL_MISSING = 4  # an external tool (Graphviz dot) is missing, crashed or timed out


class CgraphError(Exception):
    """Base class: a message saying what went wrong, an optional hint saying what to do."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message + (f"\nhint: {self.hint}" if self.hint else "")


class UsageError(CgraphError):
    """A bad option or combination of options."""


class ParseError(CgraphError):
    """The program text is not valid: points at the offending character with a caret."""

    def __init__(self, message: str, source: str, offset: int, hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.source = source
        self.pointed = offset >= 0  # an offset of -1 means "the whole input": no caret
        self.offset = max(0, min(offset, len(source)))
        self.line, self.column = line_and_column(source, self.offset)

    def __str__(self) -> str:
        if not self.pointed:
            return super().__str__()
        lines = self.source.split("\n")
        text = lines[self.line - 1] if self.line - 1 < len(lines) else ""
        where = (
            f"line {self.line}, column {self.column}"
            if len(lines) > 1
            else (f"column {self.column}")
        )
        excerpt, caret = _excerpt(text, self.column - 1)
        out = f"{self.message} ({where})\n  {excerpt}\n  {' ' * caret}^"
        return out + (f"\nhint: {self.hint}" if self.hint else "")


class InputError(CgraphError):
    """A value for a variable is missing, unknown, duplicated or not a number."""


class EvaluationError(CgraphError):
    """A math domain error at the given point: log of a negative, division by zero, overflow."""

    exit_code = EXIT_DOMAIN


class OutputError(CgraphError):
    """An output file or folder cannot be written."""


class GraphvizMissing(CgraphError):
    """Graphviz's `dot` program is not on PATH."""

    exit_code = EXIT_TOOL_MISSING


class GraphvizFailed(CgraphError):
    """Graphviz's `dot` crashed or ran past its time limit (an external tool failed: exit 4)."""

    exit_code = EXIT_TOOL_MISSING


class TooComplex(CgraphError):
    """A symbolic job would take too long or grow too large; says how to get a number instead."""


def line_and_column(source: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = source.count("\n", 0, offset) + 1
    start = source.rfind("\n", 0, offset) + 1
    return line, offset - start + 1


def _excerpt(text: str, index: int, width: int = 70) -> tuple[str, int]:
    """A window of ``text`` around ``index`` (long lines are cut), and the caret's place in it."""
    text = text.replace("\t", " ")
    if len(text) <= width:
        return _printable(text), index
    start = max(0, min(index - width // 2, len(text) - width))
    window = text[start : start + width]
    prefix = "..." if start > 0 else ""
    suffix = "..." if start + width < len(text) else ""
    return prefix + _printable(window) + suffix, index - start + len(prefix)


def _printable(text: str) -> str:
    """Control characters (a NUL byte, say) shown as '?', and pasted spaces (no-break, thin) as
    a space, so the caret line stays aligned."""
    return "".join(ch if ch.isprintable() else " " if ch.isspace() else "?" for ch in text)


def did_you_mean(name: str, choices: Iterable[str]) -> str | None:
    """'did you mean `sin`?' for a near miss, else None; a transposition (`tahn`) wins."""
    same_letters = [c for c in sorted(choices) if sorted(c) == sorted(name) and c != name]
    match = same_letters or get_close_matches(name, sorted(choices), n=1, cutoff=0.6)
    return f"did you mean `{match[0]}`?" if match else None
