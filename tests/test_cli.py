"""The lambda-conformance command: help, version, pass-through, and its isolation from the
pytest configuration of the directory it is run in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from lambda_conformance.cli import pytest_args, suite_options
from lambda_conformance.layout import SUITES_DIR
from plugins.options import SETTINGS

COMMAND = str(Path(sys.executable).parent / "lambda-conformance")


def _run(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {s.env for s in SETTINGS}}
    return subprocess.run(
        [COMMAND, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**clean, **(env or {})},
        check=False,
    )


def test_version(tmp_path: Path) -> None:
    done = _run(tmp_path, "--version")
    assert done.returncode == 0
    assert done.stdout.startswith("lambda-conformance 0.1.0 (spec ")


def test_help_shows_every_suite_option_first_then_pytest_s(tmp_path: Path) -> None:
    done = _run(tmp_path, "--help")
    assert done.returncode == 0, done.stderr
    text = done.stdout
    suite_part, _, pytest_part = text.partition("pytest's options (all accepted)")
    assert suite_part.startswith("usage: lambda-conformance [suite options] [pytest options]")
    for setting in SETTINGS:
        assert setting.option in suite_part, setting.option
        # pytest's own help knows them too: the plugin is loaded.
        assert setting.option in pytest_part, setting.option
    assert "--hypothesis-profile" in pytest_part and "--numprocesses" in pytest_part


def test_suite_options_are_the_plugin_s_own_registration() -> None:
    registered = {opt for opts, _ in suite_options() for opt in opts}
    assert registered == {setting.option for setting in SETTINGS}


def test_user_arguments_come_last_and_plugins_are_named_only_without_autoload() -> None:
    args = pytest_args(["--target-url", "http://x", "-k", "payload"], Path("/w"), env={})
    assert args[-5:] == [str(SUITES_DIR), "--target-url", "http://x", "-k", "payload"]
    # The only plugin named with autoloading on is the rewrite scope (no entry point).
    assert [args[i + 1] for i, a in enumerate(args) if a == "-p"] == ["plugins.assertion_scope"]
    assert "cache_dir=/w/.pytest_cache" in args
    named = pytest_args([], Path("/w"), env={"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"})
    assert "lambda-conformance" in named and "hypothesispytest" in named


def test_the_directory_s_pytest_configuration_does_not_change_the_run(tmp_path: Path) -> None:
    # Another project's settings around the current directory: the suite's run ignores them.
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = --no-such-option\n")
    (tmp_path / "conftest.py").write_text("raise RuntimeError('not the suite')\n")
    done = _run(tmp_path, "--collect-only", "-q", "--report-dir", "R")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    collected = [line for line in done.stdout.splitlines() if "::" in line]
    assert collected and all(line.startswith("suites/test_") for line in collected)
    assert (tmp_path / "R" / "results.json").is_file()


def test_runs_with_plugin_autoloading_off(tmp_path: Path) -> None:
    done = _run(
        tmp_path,
        "--collect-only", "-q", "--hypothesis-profile", "quick", "-n", "0", "--report-dir", "R",
        env={"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "suites/test_payload.py::" in done.stdout


def test_suite_options_pass_through_and_a_bad_value_is_a_usage_error(tmp_path: Path) -> None:
    done = _run(tmp_path, "--rate", "fast")
    assert done.returncode == 4
    assert "--rate: expected float, got 'fast'" in done.stderr


def test_rerun_failed_reads_the_record_under_the_current_directory(tmp_path: Path) -> None:
    done = _run(tmp_path, "--rerun-failed", "--report-dir", "R")
    assert done.returncode == 4
    assert "--rerun-failed: " in done.stderr and "R/results.json" in done.stderr
