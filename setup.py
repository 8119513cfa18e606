"""The one thing pyproject.toml cannot say: find the packages AND ship the repository's samples/
folder inside the package as `cgraph_cli.samples`, so `cgraph examples` and `--example NAME`
work from an installed wheel while `samples/...` paths keep working in a checkout."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["cgraph_cli", "cgraph_cli.*"]), "cgraph_cli.samples"],
    package_dir={"cgraph_cli.samples": "samples"},
)
