"""Assertion rewriting: kept for the project's tests, dropped for a suite run's plugins.

plugins/assertion_scope.py (loaded through the ini's addopts) forgets pytest's marks on
the entry-point plugins' modules when a session runs only suites/; these tests run pytest
in a subprocess with a probe plugin that reports how schemathesis (an entry-point
plugin) was loaded.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from plugins.assertion_scope import drop_plugin_marks, only_suites

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import sys

def pytest_collection_finish(session):
    module = sys.modules.get("schemathesis")
    loader = type(module.__loader__).__name__ if module is not None else "not imported"
    sys.stdout.write(f"\\nPROBE schemathesis: {loader}\\n")
"""


def _loader_of_schemathesis(tmp_path: Path, *args: str) -> str:
    (tmp_path / "rewrite_probe.py").write_text(PROBE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            *args,
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "rewrite_probe",
            "--report-dir",
            str(tmp_path / "report"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = [x for x in done.stdout.splitlines() if x.startswith("PROBE schemathesis: ")]
    assert lines, done.stdout[-2000:] + done.stderr[-2000:]
    return lines[-1].removeprefix("PROBE schemathesis: ")


def test_the_project_s_own_tests_keep_rewritten_assertion_messages() -> None:
    with pytest.raises(AssertionError) as caught:
        assert [1, 2] == [1, 3]
    assert "At index 1 diff: 2 != 3" in str(caught.value)


def test_a_suite_run_does_not_rewrite_the_entry_point_plugins(tmp_path: Path) -> None:
    # Values of options pytest does not know yet (--report-dir, -n) are not paths.
    loader = _loader_of_schemathesis(tmp_path, "suites", "-n", "0", "--profile", "aws")
    assert loader == "SourceFileLoader"


def test_a_session_with_the_project_s_tests_rewrites_them(tmp_path: Path) -> None:
    loader = _loader_of_schemathesis(tmp_path, "tests/test_assertion_scope.py")
    assert loader == "AssertionRewritingHook"
    mixed = _loader_of_schemathesis(tmp_path, "suites/test_payload.py", "tests/test_bench.py")
    assert mixed == "AssertionRewritingHook"


def test_dropping_marks_leaves_an_unknown_hook_alone() -> None:
    class Hook:
        def __init__(self) -> None:
            self._must_rewrite = {"schemathesis", "hypothesis"}
            self._marked_for_rewrite_cache = {"schemathesis": True}

    hook = Hook()
    assert drop_plugin_marks(hook) is True
    assert hook._must_rewrite == set() and hook._marked_for_rewrite_cache == {}
    assert drop_plugin_marks(object()) is False


def test_only_suites_needs_every_path_in_suites() -> None:
    assert only_suites(["suites", "suites/test_payload.py::test_x"], ROOT, ROOT)
    assert not only_suites([], ROOT, ROOT)
    assert not only_suites(["suites", "tests"], ROOT, ROOT)
    assert only_suites(["test_payload.py"], ROOT / "suites", ROOT)
