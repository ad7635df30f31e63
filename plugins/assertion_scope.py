"""Assertion rewriting where its messages are read: not in the third-party plugins of a suite run.

pytest marks every module of every distribution that registers a `pytest11` entry point
for assertion rewriting (`Config._mark_plugins_for_rewrite`): schemathesis, hypothesis,
xdist and their packages, about 370 modules. Rewritten modules are cached as bytecode;
where no bytecode is written (`PYTHONDONTWRITEBYTECODE=1`, as this machine and CI set)
every run, and every xdist worker, parses and compiles them again: seconds before the
first request. A conformance run does not read those messages (its verdicts are
`Failure`s recorded through the harness), so for a session that runs only the suites
this plugin drops the marks; the suites' own modules and conftest.py are still rewritten
(pytest rewrites test files by their name, not by a mark). The project's own tests
(`pytest tests`, or a session with any path outside suites/) keep every mark.

Loaded with `-p` from the ini's `addopts`, so that it runs after pytest installs its
import hook and before the entry points are imported, which no conftest.py or
entry-point plugin can do. Same effect as `--assert=plain` on the third-party plugins,
without changing the commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

SUITES = "suites"


def paths_of(args: list[str], parser: pytest.Parser) -> list[str]:
    """The command line's paths, as far as pytest's parser can tell before the plugins'
    options exist: the value after an option it does not know yet (`--report-dir DIR`,
    `-n 2`) is taken for that option's, not for a path."""
    _, unknown = parser.parse_known_and_unknown_args(args)
    unknown_options = {u for u in unknown if u.startswith("-") and "=" not in u}
    kept: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg in unknown_options:
            skip = True
            continue
        kept.append(arg)
    return [str(p) for p in parser.parse_known_args(kept).file_or_dir]


def only_suites(paths: list[str], invocation_dir: Path, rootpath: Path) -> bool:
    """True when every path lies in suites/ (and there is one)."""
    if not paths:
        return False  # testpaths or the whole tree: the project's tests may be among them
    suites = (rootpath / SUITES).resolve()
    for arg in paths:
        path = (invocation_dir / arg.split("::", 1)[0]).resolve()
        if path != suites and suites not in path.parents:
            return False
    return True


def drop_plugin_marks(hook: Any) -> bool:
    """Forget the modules marked for rewriting (pytest's hook keeps them in `_must_rewrite`;
    pytest is pinned, and without that attribute nothing is changed). True if done."""
    marked = getattr(hook, "_must_rewrite", None)
    cache = getattr(hook, "_marked_for_rewrite_cache", None)
    if not isinstance(marked, set) or not isinstance(cache, dict):
        return False
    marked.clear()
    cache.clear()
    return True


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    # A historic hook: pytest called it before this plugin was imported and replays it
    # now, at registration, which is the earliest moment a plugin gets the parser.
    config = pluginmanager.get_plugin("pytestconfig")
    if not isinstance(config, pytest.Config):
        return
    if getattr(config.known_args_namespace, "assertmode", "rewrite") != "rewrite":
        return
    paths = paths_of([str(a) for a in config.invocation_params.args], parser)
    if only_suites(paths, config.invocation_params.dir, config.rootpath):
        drop_plugin_marks(getattr(pluginmanager, "rewrite_hook", None))


__all__ = ["drop_plugin_marks", "only_suites", "paths_of"]
