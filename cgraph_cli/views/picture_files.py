"""Picture files: run Graphviz's `dot` with a time limit, write a set of files all or nothing.

The `graphviz` package builds the DOT source (its quoting and attribute lists) and knows the
formats and the missing-executable error; it has no time limit, so `dot` runs here, through
`subprocess` with the package's source on stdin. Files are written to temporary names first and
renamed together under a lock on their folder, so a failure leaves no half pair and no temporary
file, and two renders to one prefix never mix their pictures.
"""

from __future__ import annotations

import contextlib
import fcntl
import math
import os
import re
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from ..core.util import is_folder
from ..errors import GraphvizFailed, GraphvizMissing, OutputError

DOT_TIMEOUT = 120.0  # seconds; a layout that takes longer is stopped, not waited for
PNG_DPI = 192  # twice dot's default: sharp on a projector
MAX_PNG_PIXELS = 40_000_000  # a bigger PNG is drawn at a lower resolution (with a note)

INSTALL_HINT = (
    "install Graphviz, then run the command again: sudo apt-get install graphviz "
    "(Debian/Ubuntu), brew install graphviz (macOS) or conda install -c conda-forge "
    "graphviz"
)


def run_dot(source: str, fmt: str, timeout: float = DOT_TIMEOUT, dpi: int | None = None) -> bytes:
    """Lay out and draw DOT text with `dot -T<fmt>`: the picture's bytes.

    A missing `dot` is GraphvizMissing, a crash or a timeout GraphvizFailed (both exit 4).
    """
    import graphviz  # type: ignore[import-untyped]

    if fmt not in graphviz.FORMATS:
        raise OutputError(f"unknown picture format {fmt!r}", "use svg, png, pdf or dot")
    executable = shutil.which("dot")
    command = [executable or "dot", f"-T{fmt}"] + ([f"-Gdpi={dpi}"] if dpi else [])
    try:
        if executable is None:
            raise graphviz.ExecutableNotFound(command)
        result = subprocess.run(
            command, input=source.encode("utf-8"), capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise GraphvizFailed(
            f"Graphviz's dot took more than {timeout:g} s and was stopped",
            "write the DOT source with --format dot and lay it out separately, "
            "or draw a smaller graph (--collapse STEP hides a step's inside)",
        ) from None
    except (graphviz.ExecutableNotFound, OSError) as error:
        raise GraphvizMissing(f"cannot run Graphviz's dot: {error}", INSTALL_HINT) from None
    if result.returncode != 0 or not result.stdout:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GraphvizFailed(
            f"Graphviz's dot failed (exit {result.returncode})"
            + (f": {message[-1]}" if message else ""),
            "this is likely a bug in cgraph or Graphviz; --format dot writes the DOT source",
        )
    return result.stdout


def svg_size(svg: bytes) -> tuple[float, float]:
    """(width, height) in points of an SVG that dot drew."""
    head = svg[:2000].decode("utf-8", "replace")
    found = re.search(r'width="([\d.]+)pt"\s+height="([\d.]+)pt"', head)
    return (float(found.group(1)), float(found.group(2))) if found else (0.0, 0.0)


def png_dpi(svg: bytes) -> int:
    """The resolution that keeps a PNG of this picture under MAX_PNG_PIXELS."""
    width, height = svg_size(svg)
    inches = (width / 72) * (height / 72)
    if inches <= 0 or inches * PNG_DPI * PNG_DPI <= MAX_PNG_PIXELS:
        return PNG_DPI
    return max(8, math.floor(math.sqrt(MAX_PNG_PIXELS / inches)))


# --- writing a set of files ----------------------------------------------------------------


def prepare_folder(path: Path) -> None:
    """Create the output's folder if missing; say clearly when that or the file cannot be."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(
            f"cannot create the folder {folder}: {_reason(error)}", "choose another -o prefix"
        ) from None
    if is_folder(path):
        raise OutputError(f"cannot write {path}: it is a folder", "choose another -o prefix")


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive lock on the folder itself (no lock file is left behind)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def write_all(files: dict[Path, bytes], stale: tuple[Path, ...] = ()) -> None:
    """Write every file or none: temporary files first, then all renamed under the lock.

    `stale` files (frames of an earlier, longer run) are removed under the same lock.
    """
    temps: dict[Path, Path] = {}
    try:
        for path, data in files.items():
            # at most 255 bytes however long the final name is
            temp = path.with_name(f".{path.name[:60]}.{secrets.token_hex(4)}.tmp")
            temps[path] = temp
            descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
        folders = sorted({path.parent.resolve() for path in files})
        with contextlib.ExitStack() as stack:
            for folder in folders:
                stack.enter_context(folder_lock(folder))
            for path in stale:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
            done: list[Path] = []
            try:
                for path, temp in temps.items():
                    os.replace(temp, path)
                    done.append(path)
            except OSError:
                for path in done:  # no half set: take back what was already renamed
                    with contextlib.suppress(OSError):
                        path.unlink()
                raise
    except OSError as error:
        first = next(iter(files))
        raise OutputError(
            f"cannot write {first}: {_reason(error)}",
            "check that the folder exists and is writable, or choose another -o prefix",
        ) from None
    finally:
        for temp in temps.values():
            with contextlib.suppress(OSError):
                temp.unlink()


def atomic_write(path: Path, data: bytes) -> None:
    """One file, whole or not at all."""
    write_all({path: data})


def _reason(error: OSError) -> str:
    return error.strerror or str(error)
