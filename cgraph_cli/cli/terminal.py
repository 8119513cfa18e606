"""The process's own streams: ASCII fallbacks when stdout cannot encode `∂`, `━` or `−`, a quiet
end when the reader of a pipe goes away, a clear error on a full disk, and a progress spinner
on stderr that only a terminal sees."""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import sys
from collections.abc import Iterator
from typing import Any

from ..errors import OutputError

EXIT_PIPE_CLOSED = 141  # 128 + SIGPIPE: what a shell reports for `yes | head -1`
_DISK_FULL = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}

# What each non-ASCII character cgraph prints becomes where the output cannot encode it. One
# character for one wherever it may sit in a drawn layout (boxes, SymPy's 2-D brackets).
ASCII = {
    "∂": "d", "━": "-", "─": "-", "−": "-", "–": "-", "—": "-", "⋅": "*", "·": "*",
    "×": "x", "÷": "/", "│": "|", "┃": "|", "≠": "!=", "≈": "~", "≤": "<=", "≥": ">=",
    "→": "->", "←": "<-", "…": "...", "√": "sqrt", "π": "pi", "θ": "theta", "½": "1/2",
    "⎛": "(", "⎜": "|", "⎝": "(", "⎞": ")", "⎟": "|", "⎠": ")", "⎡": "[", "⎢": "|",
    "⎣": "[", "⎤": "]", "⎥": "|", "⎦": "]", "⎧": "{", "⎨": "{", "⎩": "{", "⎪": "|",
    "⎫": "}", "⎬": "}", "⎭": "}", "∞": "oo", "₀": "0", "₁": "1", "₂": "2", "²": "^2",
    "³": "^3", "✓": "ok", "✗": "x", "•": "*", "‖": "||", "∑": "sum", "∏": "prod",
    "“": '"', "”": '"', "‘": "'", "’": "'",
}  # fmt: skip
ERROR_HANDLER = "cgraph-ascii"


def _to_ascii(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(ASCII.get(ch, "?") for ch in text), error.end


codecs.register_error(ERROR_HANDLER, _to_ascii)


def ascii_fallback() -> None:
    """Switch stdout and stderr to the ASCII table above when they cannot encode cgraph's
    symbols (a Windows console, PYTHONIOENCODING=cp1252, LANG=C)."""
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "utf-8"
        try:
            "∂━−".encode(encoding)
        except UnicodeEncodeError:
            with contextlib.suppress(AttributeError, ValueError, OSError):
                stream.reconfigure(errors=ERROR_HANDLER)  # type: ignore[union-attr]
        except LookupError:
            continue


def flush_stdout() -> None:
    """Flush now, inside the error guard, so a full disk or closed pipe is reported here and
    not as a stray message when Python exits."""
    sys.stdout.flush()


def flush_stdout_quietly() -> None:
    """Flush before an exit code leaves (check exits 1 after printing), keeping a closed pipe
    quiet and a full disk reported."""
    try:
        sys.stdout.flush()
    except OSError as error:
        ended = stream_error(error)
        if isinstance(ended, OutputError):
            sys.stderr.write(f"error: {ended}\n")
            raise SystemExit(ended.exit_code) from None
        if ended is None:
            raise


def stream_error(error: OSError) -> int | OutputError | None:
    """How a write error on stdout ends: an exit code for a closed pipe, an OutputError for a
    full disk, None for anything else (a bug)."""
    if isinstance(error, BrokenPipeError) or error.errno == errno.EPIPE:
        _silence_stdout()
        return EXIT_PIPE_CLOSED
    if error.errno in _DISK_FULL:
        _silence_stdout()
        reason = os.strerror(error.errno) if error.errno else str(error)
        return OutputError(
            f"cannot write the output: {reason}", "free some space, or write somewhere else"
        )
    return None


def _silence_stdout() -> None:
    """Point stdout at /dev/null so Python's own flush at exit has nowhere to fail."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


@contextlib.contextmanager
def working(message: str) -> Iterator[Any]:
    """A spinner on stderr while long work runs, only when stderr is a terminal (a pipe, a
    file or a test sees nothing)."""
    if not (hasattr(sys.stderr, "isatty") and sys.stderr.isatty()):
        yield None
        return
    from rich.console import Console

    with Console(stderr=True).status(message, spinner="dots") as status:
        yield status
