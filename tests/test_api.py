"""The Python API's docstrings are tested: evaluate, check, diff and explain run as documented."""

from __future__ import annotations

import doctest

import cgraph_cli


def test_api_doctests_run() -> None:
    failures, tried = doctest.testmod(cgraph_cli, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried >= 9
    assert failures == 0


def test_check_diff_explain_are_exported() -> None:
    assert {"check", "diff", "explain", "evaluate"} <= set(cgraph_cli.__all__)
