"""Root conftest: the suite's plugins and hypothesis profiles, for everything run in a clone.

The plugins are also registered by the package's `pytest11` entry point (an install needs
nothing from this file); listing them here keeps a clone working when plugin autoloading is
off (PYTEST_DISABLE_PLUGIN_AUTOLOAD), and registering a module twice is a no-op. They stay
inert unless the session runs the conformance suites (plugins/selection.py), so the
project's own tests in tests/ are not affected by them.
"""

from __future__ import annotations

from hypothesis import settings

from plugins import pytest_plugins  # noqa: F401  (read by pytest: the plugin's modules)
from plugins.hypothesis_settings import register_profiles

register_profiles()
settings.load_profile("default")
