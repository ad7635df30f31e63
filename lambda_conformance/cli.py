"""`lambda-conformance`: run the conformance suite from any directory.

    lambda-conformance [suite options] [pytest options]

Runs pytest on the suites this package carries (lambda_conformance.layout) with the
package's own pytest configuration (cli.ini), so that the pytest.ini, pyproject.toml or
conftest.py files around the current directory do not change the run. Every argument is
passed to pytest as given: the suite's options are the plugin's (plugins/options.py), `-n`
is pytest-xdist's, `--hypothesis-*` are hypothesis's, and any other pytest option works
too. Reports go to ./reports/latest unless --report-dir says otherwise. The exit status is
pytest's, which the gate decides (plugins/reporting.py): 0 passed, 1 failed the gate or
incomplete, 4 a usage error.

This is the outermost layer: it runs pytest with the plugins, so it is the one module of
the package that reads them (for --help).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import pytest

from lambda_conformance import __version__
from lambda_conformance.layout import PACKAGE_DIR, SUITE_ROOT, SUITES_DIR

PROG = "lambda-conformance"
CLI_INI = PACKAGE_DIR / "cli.ini"
# Loaded by name when PYTEST_DISABLE_PLUGIN_AUTOLOAD is set, so that the suite still has
# its plugin, its hypothesis options and -n (a later `-p no:NAME` still wins).
REQUIRED_PLUGINS: tuple[str, ...] = ("lambda-conformance", "hypothesispytest", "xdist")
# Options of other plugins that a conformance run commonly uses, named in --help.
OTHER_OPTIONS = """\
  -n N                  run in N processes (pytest-xdist); the record is the same
  --hypothesis-profile quick|default|thorough
                        how many examples per test (6, 25, 150)
  --hypothesis-seed N   the seed a record prints, to reproduce its run
  -k EXPRESSION         only the tests whose names match (the rest is untested)
  --version             print the versions of the tool, the spec and pytest
  -h, --help            this help, then pytest's (every pytest option is accepted)
"""


def pytest_args(
    argv: Sequence[str], cwd: Path, env: Mapping[str, str] = os.environ
) -> list[str]:
    """pytest's command line for `lambda-conformance ARGV` run in `cwd`.

    The user's arguments come last, so that they win over the defaults here (a second
    `-c FILE` for lc_* ini settings of one's own, `-p no:cacheprovider`, ...).
    """
    args = ["-c", str(CLI_INI), "--rootdir", str(SUITE_ROOT)]
    # The cache goes where the user is, not into the installed package.
    args += ["-o", f"cache_dir={cwd / '.pytest_cache'}"]
    # cli.ini has no addopts: load the rewrite scope here (skip rewriting the third-party
    # plugins of a suite run: seconds of start-up, plugins/assertion_scope.py).
    args += ["-p", "plugins.assertion_scope"]
    if env.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD"):
        for name in REQUIRED_PLUGINS:
            args += ["-p", name]
    return [*args, str(SUITES_DIR), *argv]


class _OptionRecorder:
    """Stands in for pytest's Parser to read the options a plugin registers."""

    def __init__(self) -> None:
        self.options: list[tuple[tuple[str, ...], dict[str, Any]]] = []

    def getgroup(self, name: str, description: str = "", after: str | None = None) -> Any:
        return self

    def addoption(self, *opts: str, **attrs: Any) -> None:
        self.options.append((opts, attrs))

    def addini(self, *args: Any, **kwargs: Any) -> None:
        pass


def suite_options() -> list[tuple[tuple[str, ...], dict[str, Any]]]:
    """Every option the suite's plugin registers, read from its own pytest_addoption hooks
    (the modules the pytest11 entry point lists), so a new option needs no change here."""
    import plugins

    recorder = _OptionRecorder()
    for name in plugins.pytest_plugins:
        hook = getattr(importlib.import_module(name), "pytest_addoption", None)
        if hook is not None:
            hook(cast(pytest.Parser, recorder))
    return recorder.options


def suite_help() -> str:
    """The first part of --help: usage and the suite's options."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        usage=f"{PROG} [suite options] [pytest options]",
        description=textwrap.fill(
            "Run the AWS Lambda Invoke conformance suite against --target-url (without it, "
            "the embedded reference target), write the record and reports to --report-dir "
            "(default ./reports/latest) and exit with the gate's verdict: 0 passed, 1 failed "
            "or incomplete, 4 usage error. Each option can also be set by its LC_* "
            "environment variable.",
            width=80,
        ),
        add_help=False,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="other options often used:\n" + OTHER_OPTIONS,
    )
    group = parser.add_argument_group("suite options")
    for opts, attrs in suite_options():
        kept = {k: v for k, v in attrs.items() if k in ("action", "help", "metavar", "dest")}
        group.add_argument(*opts, **kept)
    return parser.format_help()


def version_text() -> str:
    from lambda_conformance.spec import load_spec

    spec = load_spec("documented")
    return f"{PROG} {__version__} (spec {spec.version}; pytest {pytest.__version__})"


def _asks(argv: Sequence[str], *flags: str) -> bool:
    # Only before a `--`: what follows it is pytest's positional arguments.
    words = list(argv)
    if "--" in words:
        words = words[: words.index("--")]
    return any(word in flags for word in words)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    cwd = Path.cwd()
    if _asks(args, "--version"):
        print(version_text())
        return 0
    if _asks(args, "-h", "--help"):
        print(suite_help())
        print("pytest's options (all accepted)")
        print("==============================")
        sys.stdout.flush()
        return int(pytest.main(pytest_args(["--help"], cwd)))
    return int(pytest.main(pytest_args(args, cwd)))


if __name__ == "__main__":
    sys.exit(main())
