"""What the suite must say about real third-party targets (records written by .ci/targets.sh).

`.ci/targets.sh` runs the suite end to end against moto server (simple backend),
serverless-offline and LocalStack (host mode), each into
`$LC_REAL_TARGETS_DIR/<name>/results.json`, then runs this module with that variable
set. Without it (a plain `pytest tests`) every test is skipped.

The expectations are deviations verified by hand (replaying the failure's curl command
against the live target; docs/targets.md): the suite must report them failed, and must
not fail what the target verifiably does right. No score is asserted: hypothesis draws
other examples on every run, and the score moves with the suite.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from lambda_conformance.results.store import load_record

ENV = "LC_REAL_TARGETS_DIR"

# name -> (requirements that must be failed, requirements that must be passed)
EXPECTED: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "moto-simple": (
        {
            "INV-NAME-005": "an absent function answers 200 (the simple backend checks nothing)",
            "INV-ERR-ResourceNotFound": "no ResourceNotFoundException for absent functions",
            "INV-QUAL-004": "an unknown qualifier answers 200",
            "INV-TYPE-005": "an invocation type outside the enum is accepted",
            "INV-PAY-004": "a body that is not JSON is accepted",
            "INV-PAY-005": "a body that is not UTF-8 crashes moto with an HTML 500",
            "INV-HDR-001": "no X-Amz-Executed-Version header",
            "INV-ERR-Validation": "no pattern or length validation",
        },
        {
            "INV-TYPE-003": "Event answers 202",
            "INV-TYPE-004": "DryRun answers 204",
        },
    ),
    "serverless-offline": (
        {
            "INV-TYPE-004": "DryRun answers 400 InvalidParameterValueException",
            "INV-QUAL-001": "a qualified invoke (version 1) answers 404",
            "INV-HDR-004": "no answer carries an x-amzn-RequestId header",
            "INV-CTX-002": "context.invoked_function_arn is arn:aws:lambda:serverless:Fake",
            "INV-ASYNC-003": "a failing Event is attempted once, not three times",
        },
        {
            "INV-NAME-005": "an absent function answers 404 ResourceNotFoundException",
            "INV-TYPE-003": "Event answers 202",
        },
    ),
    "localstack": (
        {
            "INV-NAME-005": "a 171-256 character ARN answers 400 (LocalStack's limit is 170)",
            "INV-TYPE-005": "an invalid invocation type on a Failed function answers 409: "
                            "the state is checked before the header is validated",
        },
        {
            "INV-NAME-002": "a name breaking the pattern answers 400 ValidationException",
            "INV-QUAL-004": "an unknown qualifier answers 404",
            "INV-QUAL-008": "the qualifier conflict answers 400 InvalidParameterValueException",
            "INV-ERR-Validation": "ValidationException for invalid names and qualifiers",
        },
    ),
}

# LocalStack runs no function without Docker (every one ends `Failed`, invokes answer
# 409): what needs a running function must be untested for that reason, never failed.
NOT_READY: dict[str, tuple[str, ...]] = {
    "localstack": ("INV-TYPE-001", "INV-TYPE-003", "INV-PAY-001", "INV-FERR-002",
                   "INV-CTX-003"),
}


def _root() -> Path:
    value = os.environ.get(ENV)
    if not value:
        pytest.skip(f"{ENV} is not set: .ci/targets.sh runs the real targets and sets it")
    return Path(value)


def _record(name: str) -> dict[str, Any]:
    root = _root()
    skipped = root / f"{name}.skipped"
    if skipped.exists():
        pytest.skip(f"{name} was not run: {skipped.read_text(encoding='utf-8').strip()}")
    if name == "serverless-offline" and not (shutil.which("node") and shutil.which("npm")):
        pytest.skip("node/npm are not installed: serverless-offline cannot run")
    path = root / name / "results.json"
    assert path.exists(), f"the {name} run wrote no record at {path}"
    return load_record(path)  # raises if the record does not validate


def _statuses(record: dict[str, Any]) -> dict[str, str]:
    return {r["id"]: r["status"] for r in record["requirements"]}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_run_completes_with_a_valid_record(name: str) -> None:
    record = _record(name)
    assert record["complete"], f"{name}: the run stopped early: {record['stop_reason']}"
    assert record["profile"] == "aws"
    assert record["total_requests"] > 20, "the suite barely reached the target"
    # A run that dies half-way (the target crashed) shows up as refused connections.
    refused = [f["requirement_id"] for r in record["requirements"] for f in r["failures"]
               if "connection refused" in str(f["received"])]
    assert not refused, f"{name}: connections refused (did the target die?) for {refused}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_known_deviations_are_reported_failed(name: str) -> None:
    statuses = _statuses(_record(name))
    must_fail, _ = EXPECTED[name]
    wrong = {rid: f"{statuses.get(rid)} (expected failed: {why})"
             for rid, why in must_fail.items() if statuses.get(rid) != "failed"}
    assert not wrong, f"{name}: verified deviations not reported failed: {wrong}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_what_the_target_does_right_is_not_failed(name: str) -> None:
    statuses = _statuses(_record(name))
    _, must_pass = EXPECTED[name]
    wrong = {rid: f"{statuses.get(rid)} (expected passed: {why})"
             for rid, why in must_pass.items() if statuses.get(rid) != "passed"}
    assert not wrong, f"{name}: verified conforming behaviour not reported passed: {wrong}"


@pytest.mark.parametrize("name", sorted(NOT_READY))
def test_fixtures_not_ready_are_untested(name: str) -> None:
    by_id = {r["id"]: r for r in _record(name)["requirements"]}
    for rid in NOT_READY[name]:
        requirement = by_id[rid]
        assert requirement["status"] == "untested", (rid, requirement["failures"][:1])
        assert any("not ready" in why for why in requirement["untested_reasons"]), rid


def test_targets_page_is_generated_from_the_kept_records() -> None:
    """docs/targets.md is what tools/targets_page.py makes of docs/targets/results/*.json,
    and every failed requirement there has a cause (runs without the real targets)."""
    from tools import targets_page

    runs = targets_page.load_runs()
    assert runs, "no record in docs/targets/results/"
    assert not targets_page.missing_causes(runs), "failed requirements without a cause"
    assert not targets_page.unused_causes(runs), "causes of failures no kept run shows"
    page = targets_page.PAGE.read_text(encoding="utf-8")
    assert page == targets_page.render(runs), "stale: run python -m tools.targets_page"
