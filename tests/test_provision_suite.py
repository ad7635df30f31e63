"""--provision end to end against moto server: functions created, suite run, nothing left."""

from __future__ import annotations

from pathlib import Path

import boto3

from tests.suite_runner import run_suite
from tests.test_provisioning_moto import moto_url  # noqa: F401  (the moto server fixture)


def _function_names(url: str) -> list[str]:
    client = boto3.client(
        "lambda",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    return [f["FunctionName"] for f in client.list_functions()["Functions"]]


def test_provision_creates_runs_and_deletes(moto_url: str, tmp_path: Path) -> None:  # noqa: F811
    before = _function_names(moto_url)
    run = run_suite(
        tmp_path,
        "--target-url",
        moto_url,
        "--provision",
        "--profile",
        "aws",
        paths=(
            "suites/test_invocation_types.py",
            "suites/test_qualifier.py",
            "suites/test_dry_run.py",
        ),
    )
    record = run.record
    assert record is not None, run.stdout[-3000:] + run.stderr[-3000:]
    assert record["complete"] is True
    assert record["config"]["provision"] is True
    statuses = run.statuses()
    # The fixtures existed during the run: the echo and introspect checks got answers.
    assert statuses["INV-TYPE-003"] in ("passed", "failed")
    by_id = {r["id"]: r for r in record["requirements"]}
    assert by_id["INV-TYPE-001"]["requests"] > 0
    assert by_id["INV-QUAL-004"]["requests"] > 0
    assert _function_names(moto_url) == before, "provisioned functions were left behind"
    # moto's simple backend runs no code, so no beacon callback arrives even for a plain
    # invocation: DryRun's non-execution cannot be judged and must not be failed.
    assert statuses["INV-DRY-001"] == "untested"
