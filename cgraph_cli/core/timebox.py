"""The one time box: a deadline that stops Python code in any thread.

A watchdog thread keeps the open boxes. When a box's deadline passes while its block still
runs, the watchdog raises `TimeUp` in the thread that opened it, through CPython's
`PyThreadState_SetAsyncExc`: the exception appears in that thread at its next bytecode
boundary. Unlike SIGALRM this works in worker threads (the Python API called from a thread
pool), under another timer, and nested. Like SIGALRM it cannot stop one long C call (a huge
integer power): size limits are checked before such calls (`symbolic.limits`,
`symbolic.expressions`).

Usage: `within(2.0, slow_sympy_work, lambda: fallback)` runs the work and returns its
result, or `fallback` once the deadline passes. That is the only form the package uses: the
box exists before the `try` that catches its TimeUp. The older form

    try:
        with time_box(2.0) as box: ...
    except TimeUp as up:
        if up.box is not box: ...

breaks when an outer deadline passes while the `with` line is still opening the box: `box`
was never bound, and the handler raised UnboundLocalError instead of passing the outer
TimeUp on (seen under load in a batch row). tests/test_trust.py checks no module uses it.
"""

from __future__ import annotations

import ctypes
import queue
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Literal, TypeVar

T = TypeVar("T")

# A TimeUp that lands inside a gc callback or a __del__ is "ignored" by CPython (reported to
# sys.unraisablehook, never raised in the block): the block would run on past its deadline.
# A box still open this long after its TimeUp was sent is sent another.
RESEND_S = 0.02


def _set_async_exc(thread: int, exception: type[BaseException] | None) -> None:
    """Raise `exception` in `thread` at its next bytecode; None clears one not raised yet."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread), None if exception is None else ctypes.py_object(exception)
    )


class TimeUp(BaseException):
    """A time box ran out; a BaseException so that SymPy's `except Exception` cannot eat it.

    Raised as a subclass made for its box (an async exception must be a class), so `box` is a
    class attribute: `up.box is box` tells whose deadline passed.
    """

    box: object = None


class Box:
    """One open deadline in one thread; a context manager (see `time_box`)."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + max(seconds, 0.0)
        self.thread = threading.get_ident()
        self.fired = False  # TimeUp was sent to the thread
        self.fired_at = 0.0  # when it was last sent
        self.closed = False

    def __enter__(self) -> Box:
        try:
            _watchdog.open(self)
        except TimeUp as early:  # the deadline passed while opening: close, then say so
            self.__exit__(type(early), early, None)
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> Literal[False]:
        seen = type(error) if isinstance(error, TimeUp) else None
        swallowed = False
        while True:  # a TimeUp still pending may land while closing: close again, then go on
            try:
                _watchdog.close(self, seen, swallowed)
                return False
            except TimeUp as late:
                seen, swallowed = type(late), True

    @property
    def left(self) -> float:
        """Seconds until the deadline (negative once passed)."""
        return self.deadline - time.monotonic()


def time_box(seconds: float) -> Box:
    """A deadline `seconds` from now for the block; raises TimeUp (with `.box`) inside it.
    Prefer `within`, which cannot confuse this box's TimeUp with an outer one's."""
    return Box(seconds)


def within(seconds: float, work: Callable[[], T], expired: Callable[[], T]) -> T:
    """`work()` under a deadline `seconds` from now; `expired()` once the deadline passed.

    An outer box's TimeUp is never handled here: it goes on up, whenever it lands (even while
    this box is being opened or closed). `expired` runs outside the `except`, so an exception
    it raises (TooComplex) carries no TimeUp as its context.
    """
    box = Box(seconds)  # bound before the try: the handler can always tell whose TimeUp it is
    try:
        with box:
            return work()
    except TimeUp as up:
        if up.box is not box:
            raise
    return expired()


class _Watchdog:
    """Sends TimeUp to threads whose earliest open deadline has passed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # a C lock: no Python code runs while it is taken
        # C-level queue, not threading.Event: a TimeUp landing inside Event.set() (Python
        # code) could leave its condition's lock taken forever.
        self._wake: queue.SimpleQueue[None] = queue.SimpleQueue()
        self._boxes: list[Box] = []
        self._pending: dict[int, type[TimeUp]] = {}  # thread -> the TimeUp on its way there
        self._thread: threading.Thread | None = None

    def open(self, box: Box) -> None:
        with self._lock:
            self._prune(box.thread)
            self._boxes.append(box)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="cgraph-timebox")
                self._thread.daemon = True
                self._thread.start()
        self._wake.put(None)

    def close(self, box: Box, seen: type[TimeUp] | None, swallowed: bool) -> None:
        """Forget `box`. A TimeUp sent to this thread and not raised yet is cleared; if it (or
        one swallowed while closing) belonged to an outer box, that box is sent one again."""
        with self._lock:
            box.closed = True
            if box in self._boxes:
                self._boxes.remove(box)
            pending = self._pending.pop(box.thread, None)
            lost = []
            if pending is not None and pending is not seen:
                _set_async_exc(box.thread, None)
                lost.append(pending.box)
            if seen is not None and swallowed:
                lost.append(seen.box)
            for other in lost:
                if isinstance(other, Box) and other is not box and not other.closed:
                    other.fired = False
        self._wake.put(None)

    def _prune(self, thread: int) -> None:
        """Forget this thread's boxes whose TimeUp was already sent: their block is over even
        if their `__exit__` never ran (a TimeUp can land on its very first line)."""
        stale = [b for b in self._boxes if b.thread == thread and b.fired]
        for box in stale:
            box.closed = True
            self._boxes.remove(box)
        waiting = self._pending.get(thread)
        if waiting is not None and waiting.box in stale:
            del self._pending[thread]

    def _run(self) -> None:
        while True:
            try:
                self._wake.get(timeout=self._fire_due())
            except queue.Empty:
                pass

    def _fire_due(self) -> float | None:
        """Send TimeUp for each passed deadline (again for one that seems lost); seconds until
        the next thing to do (None: no box)."""
        now = time.monotonic()
        with self._lock:
            for box in sorted(self._boxes, key=lambda b: b.deadline):
                if box.deadline > now:
                    break
                pending = self._pending.get(box.thread)
                if box.fired:
                    if (
                        pending is not None
                        and pending.box is box
                        and now >= box.fired_at + RESEND_S
                    ):
                        box.fired_at = now  # still open: the last one was swallowed
                        _set_async_exc(box.thread, pending)
                    continue
                if pending is not None:
                    continue  # one TimeUp at a time per thread
                box.fired, box.fired_at = True, now
                exception = type("TimeUp", (TimeUp,), {"box": box})
                self._pending[box.thread] = exception
                _set_async_exc(box.thread, exception)
            later = [b.fired_at + RESEND_S if b.fired else b.deadline for b in self._boxes]
        return max(min(later) - now, 0.001) if later else None


_watchdog = _Watchdog()
