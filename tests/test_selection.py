"""Which sessions are conformance runs (plugins/selection.py), and the reference's
announcement that lets `pytest --target-url URL` judge it without a manifest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from lambda_conformance.provisioning.announced import NotAnnounced, announced_manifest
from lambda_conformance.reference import ReferenceTarget
from plugins.options import SETTINGS
from tests.suite_runner import ROOT, run_suite


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {s.env for s in SETTINGS}}
    return {**env, **extra}


@pytest.fixture(scope="module")
def reference() -> Iterator[ReferenceTarget]:
    with ReferenceTarget(profile="aws") as target:
        yield target


class _Stranger(BaseHTTPRequestHandler):
    """A target that is not the reference but answers the announcement path anyway."""

    body = json.dumps({"implementation": "some emulator", "manifest": {}}).encode()

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def stranger() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stranger)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_project_s_own_tests_keep_assertion_rewriting() -> None:
    with pytest.raises(AssertionError) as caught:
        assert [1, 2] == [1, 3]
    assert "assert [1, 2] == [1, 3]" in str(caught.value)
    assert "At index 1 diff: 2 != 3" in str(caught.value)


def test_the_reference_announces_its_fixtures(reference: ReferenceTarget) -> None:
    manifest = announced_manifest(reference.url, timeout=5)
    assert manifest.functions == reference.functions
    assert (manifest.region, manifest.account_id) == ("us-east-1", "000000000000")
    assert (manifest.introspect_version, manifest.introspect_alias) == ("1", "live")
    assert manifest.supports_concurrency_control


def test_another_target_s_announcement_is_not_taken(stranger: str) -> None:
    with pytest.raises(NotAnnounced, match="does not say it is the lambda-conformance"):
        announced_manifest(stranger, timeout=5)


def test_a_remote_target_is_not_asked() -> None:
    started = time.monotonic()
    # TEST-NET-1: a request there would hang until the timeout.
    with pytest.raises(NotAnnounced, match="not on this machine"):
        announced_manifest("http://192.0.2.1:9000", timeout=30)
    assert time.monotonic() - started < 1


def test_without_a_path_a_suite_option_runs_the_suites(reference: ReferenceTarget) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--target-url", reference.url, "--collect-only",
         "-q", "-p", "no:cacheprovider", "--report-dir", "reports/ci-selection"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env=_clean_env(), check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    collected = [line for line in done.stdout.splitlines() if "::" in line]
    assert collected and all(line.startswith("suites/test_") for line in collected)
    assert "is the lambda-conformance reference target" in done.stderr


def test_pytest_target_url_judges_the_reference_like_the_readme_s_first_command(
    reference: ReferenceTarget, tmp_path: Path
) -> None:
    run = run_suite(tmp_path / "R2", "--target-url", reference.url, "--profile", "aws",
                    paths=(), env=_clean_env())
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert run.record is not None and run.record["score"] == 1.0


def test_xdist_workers_follow_a_run_without_a_path(
    reference: ReferenceTarget, tmp_path: Path
) -> None:
    run = run_suite(tmp_path / "R", "--target-url", reference.url, "--profile", "aws",
                    "-n", "2", "-k", "test_payload", paths=(), env=_clean_env())
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert run.record is not None and run.record["complete"]
    assert " passed" in run.stdout and "tests/" not in run.stdout


def test_another_target_still_needs_a_manifest(stranger: str, tmp_path: Path) -> None:
    run = run_suite(tmp_path / "R", "--target-url", stranger, paths=(), env=_clean_env())
    assert run.returncode == 4
    assert "--target-url needs fixture functions: give --fixtures-manifest FILE" in run.stderr
    assert "does not say it is the lambda-conformance reference" in run.stderr


def test_other_projects_sessions_stay_untouched(tmp_path: Path) -> None:
    # A project whose environment has the package installed, and LC_* exported.
    (tmp_path / "test_theirs.py").write_text(
        "from hypothesis import given, settings, strategies as st\n"
        "def test_their_hypothesis_settings():\n"
        "    assert settings.default.max_examples == 100\n"
        "    assert settings.get_current_profile_name() != 'quick'\n"
        "@given(st.integers())\n"
        "def test_their_property(n):\n"
        "    assert n == n\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
        env=_clean_env(LC_TARGET_URL="http://127.0.0.1:1", LC_PROFILE="aws"),
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "2 passed" in done.stdout
    assert not (tmp_path / "reports").exists()
    assert "Lambda Invoke conformance" not in done.stdout
