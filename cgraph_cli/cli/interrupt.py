"""Ctrl-C: one line on stderr and exit 130, never a traceback, from the first moment of a run.

Python's own SIGINT handler raises KeyboardInterrupt wherever the main thread is, and during the
imports of the first 0.1 s (Typer, Rich, Click) that is a traceback. So `main` installs
`leave_at_once` before importing anything heavy: until a command starts there is nothing to
clean up, and the process ends at once. While a command runs, Ctrl-C raises KeyboardInterrupt
again (`while_a_command_runs`), so `finally` blocks (temporary picture files, the gradebook)
run before `cli.app.guarded` prints the line and exits 130. This module imports only the
standard library, and is light on purpose.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from types import FrameType

EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for a process ended by Ctrl-C
MESSAGE = "interrupted"


def _end_now(signum: int, frame: FrameType | None) -> None:
    with contextlib.suppress(OSError):
        os.write(2, f"{MESSAGE}\n".encode())
    os._exit(EXIT_INTERRUPTED)


def leave_at_once() -> None:
    """Ctrl-C ends the process at once with one line (nothing to clean up yet)."""
    signal.signal(signal.SIGINT, _end_now)


@contextlib.contextmanager
def while_a_command_runs() -> Iterator[None]:
    """Inside: Ctrl-C raises KeyboardInterrupt (cleanup runs). Only where `leave_at_once` was
    installed, that is under `main`: the Python API and the tests keep their own handler."""
    ours = (
        threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGINT) is _end_now
    )
    if ours:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        if ours:
            signal.signal(signal.SIGINT, _end_now)
