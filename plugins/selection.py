"""Which sessions are conformance runs, and what pytest needs to know for one.

The plugin is registered wherever the package is installed (the pytest11 entry point), so
it must stay inert in every other session: the project's own tests, another project's
tests in the same environment. A session is a conformance run when

- its paths name the suites (`pytest suites`, `pytest suites/test_payload.py::test_x`,
  the installed copy the `lambda-conformance` command passes), or
- it names no path at all and sets a suite option on the command line
  (`pytest --target-url URL`): then the suites are what it runs.

Environment variables (LC_*) and ini values configure a conformance run but never start
one: a developer with LC_TARGET_URL exported still gets their own tests from `pytest`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

from lambda_conformance.layout import SUITES_DIR
from plugins import options
from plugins.hypothesis_settings import register_profiles

# The markers and warning filters a clone declares in pyproject.toml, for runs of an
# installed copy (no pyproject.toml there).
MARKERS: tuple[str, ...] = (
    "requirements(*ids): the spec requirement IDs a conformance test judges",
    "role(name): a fixture role the test needs (untested when the target does not host it)",
    "operation(key): the spec operation a test judges (default: the spec's own, invoke)",
)
WARNING_FILTERS: tuple[str, ...] = ("ignore::DeprecationWarning:botocore.*",)


def conformance_run(config: pytest.Config) -> bool:
    """True when this (controller or single) session runs the suites; see the module doc."""
    if config.args_source is pytest.Config.ArgsSource.ARGS:
        requested = _names_suites(config)
    else:
        requested = _suite_option_given(config)
        if requested:
            config.args = [str(SUITES_DIR)]
    if requested:
        _configure(config)
    return requested


def follow_controller(config: pytest.Config) -> None:
    """In an xdist worker of a conformance run: collect what the controller meant to run.

    Workers parse the controller's command line again; without a path it would collect the
    current directory, not the suites the controller chose.
    """
    if config.args_source is not pytest.Config.ArgsSource.ARGS:
        config.args = [str(SUITES_DIR)]
    _configure(config)


def suite_dirs(config: pytest.Config) -> list[Path]:
    """The folders whose tests are the suites: the package's own, and a clone's `suites/`.

    The second covers a clone run with an installed (non-editable) copy on the path: the
    rootdir holds this project's spec, so its `suites/` are this suite's.
    """
    dirs = [SUITES_DIR.resolve()]
    root = config.rootpath.resolve()
    if (root / "spec" / "invoke.yaml").is_file() and (root / "suites").is_dir():
        dirs.append(root / "suites")
    return dirs


def _names_suites(config: pytest.Config) -> bool:
    dirs = suite_dirs(config)
    for arg in config.args:
        path = (config.invocation_params.dir / arg.split("::", 1)[0]).resolve()
        if any(path == d or d in path.parents for d in dirs):
            return True
    return False


def _suite_option_given(config: pytest.Config) -> bool:
    # Every option the plugin registers defaults to None (options.py: precedence needs it),
    # so "not None" means given on the command line; False too, should a flag ever be
    # registered with default=False.
    return any(config.getoption(s.name, None) not in (None, False) for s in options.SETTINGS)


def _configure(config: pytest.Config) -> None:
    # A clone's pyproject.toml declares them already: added only where missing.
    for name, lines in (("markers", MARKERS), ("filterwarnings", WARNING_FILTERS)):
        present = config.getini(name)
        for line in lines:
            if line not in present:
                config.addinivalue_line(name, line)
    # Before hypothesis's own pytest_configure (ours runs tryfirst), which loads the
    # profile named by --hypothesis-profile.
    register_profiles()
    if config.getoption("hypothesis_profile", None) is None:
        settings.load_profile("default")
