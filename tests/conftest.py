"""Shared pytest set-up: Hypothesis profiles, chosen with the HYPOTHESIS_PROFILE variable.

`ci` (the default) keeps the whole suite quick and reproducible; `fuzz` runs many more examples:
`HYPOTHESIS_PROFILE=fuzz .venv/bin/python -m pytest tests/test_hostile.py -k fuzz`.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz",
    max_examples=5_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
