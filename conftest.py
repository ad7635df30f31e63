"""Root conftest: registers the suite's plugins and hypothesis profiles.

The plugins stay inert unless the session runs tests under suites/ (see
plugins/target.py: `suite_requested`), so the project's own tests in tests/ are
not affected by them.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

pytest_plugins = [
    "plugins.options",
    "plugins.target",
    "plugins.recording",
    "plugins.reporting",
]

_COMMON = {
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

# quick: CI of a target, under a minute against a local one; default; thorough: nightly.
settings.register_profile("quick", max_examples=6, **_COMMON)
settings.register_profile("default", max_examples=25, **_COMMON)
settings.register_profile("thorough", max_examples=150, **_COMMON)
settings.load_profile("default")
