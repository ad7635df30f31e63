"""The suite's hypothesis profiles: quick, default and thorough.

Registered by the root conftest.py for everything run in a clone (the project's own tests
included, as they always were), and by plugins/selection.py for conformance runs anywhere,
never for another project's tests: loading these would change their hypothesis settings.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, settings

_COMMON: dict[str, Any] = {
    "deadline": None,
    # One shrunk failure per requirement is what the record shows.
    "report_multiple_bugs": False,
    # Replaying examples from an earlier run (maybe against another target) would make
    # request counts and verdicts depend on the machine's history.
    "database": None,
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
    "print_blob": True,
}


def register_profiles() -> None:
    """quick: CI of a target, under a minute against a local one; default; thorough: nightly."""
    settings.register_profile("quick", max_examples=6, **_COMMON)
    settings.register_profile("default", max_examples=25, **_COMMON)
    settings.register_profile("thorough", max_examples=150, **_COMMON)
