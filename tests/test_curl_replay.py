"""A failure's curl command, run by hand, gets the same answer the suite recorded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from lambda_conformance.reference import ReferenceTarget
from tests.suite_runner import run_suite
from tools import replay


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_failure_curl_reproduces_the_answer(tmp_path: Path) -> None:
    with ReferenceTarget(profile="aws", mutant="not-found-400") as target:
        manifest = tmp_path / "manifest.yaml"
        manifest.write_text(
            yaml.safe_dump(
                {
                    "region": target.region,
                    "account_id": target.account_id,
                    "functions": dict(target.functions),
                    "introspect_version": target.introspect_version,
                    "introspect_alias": target.introspect_alias,
                    "callback_host": "127.0.0.1",
                }
            ),
            encoding="utf-8",
        )
        run = run_suite(
            tmp_path / "report",
            "--profile",
            "aws",
            "--target-url",
            target.url,
            "--fixtures-manifest",
            str(manifest),
            paths=("suites/test_function_name.py",),
        )
        assert run.record is not None, run.stdout[-3000:]
        failures = [
            f
            for r in run.record["requirements"]
            for f in r["failures"]
            if r["id"] == "INV-NAME-005"
        ]
        assert failures, run.stdout[-3000:]
        failure = failures[0]
        assert "AWS_SECRET_ACCESS_KEY" in failure["curl"]  # a reference, never the value
        # Replayed as a user would, with the project's replay tool (credentials from the
        # environment; the target's answer summarized).
        (plan,) = replay.plan(run.record, target.url, [], frozenset({"INV-NAME-005"}))
        assert plan.command == failure["curl"]
        answer = replay.run_curl(plan.command, timeout=30)
        assert answer.startswith("HTTP/1.1 400 "), answer
        assert failure["received"].startswith("400 ResourceNotFoundException")
        assert "ResourceNotFoundException" in answer
