"""The samples shipped in the package: `cgraph examples` lists them, `--example NAME` reads one.

They live in the repository's `samples/` folder, which pyproject installs as the package
`cgraph_cli.samples`; from a source tree that is not installed, the folder is read directly.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from ..errors import UsageError, did_you_mean

SUFFIXES = (".cg", ".csv", ".toml", ".json")  # programs, then problem files for `check`


def folder() -> Traversable:
    try:
        return resources.files("cgraph_cli.samples")
    except ModuleNotFoundError:  # a source tree run without installing
        return Path(__file__).resolve().parents[2] / "samples"


def names() -> list[str]:
    """Every sample's file name, programs first, then problem files, each group sorted."""
    files = [f.name for f in folder().iterdir() if f.name.endswith(SUFFIXES)]
    return sorted(files, key=lambda name: (SUFFIXES.index(Path(name).suffix), name))


def find(name: str) -> Traversable:
    """A sample by name: `linear_regression` or `linear_regression.cg`, `homework.csv`."""
    wanted = name if Path(name).suffix in SUFFIXES else f"{name}.cg"
    if wanted in names():
        return folder() / wanted
    programs = [Path(n).stem for n in names() if n.endswith(".cg")]
    near = did_you_mean(Path(name).stem, programs)
    raise UsageError(f"no example named {name!r}", near or "cgraph examples lists them")


def read(name: str) -> str:
    return find(name).read_text(encoding="utf-8")


def summary(name: str) -> str:
    """The first comment line of a sample, as its one-line description."""
    for line in read(name).splitlines():
        if line.startswith("#"):
            return line.lstrip("# ").strip()
    return ""
