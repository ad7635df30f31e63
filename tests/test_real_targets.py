"""What the suite must say about real third-party targets (records written by .ci/targets.sh).

`.ci/targets.sh` runs the suite end to end against moto server (simple backend),
serverless-offline, LocalStack (host mode) and MiniStack (local executor), each into
`$LC_REAL_TARGETS_DIR/<name>/results.json`, then runs this module with that variable
set. Without it (a plain `pytest tests`) every test is skipped.

The expectations are deviations verified by hand (replaying the failure's curl command
against the live target; docs/targets.md): the suite must report them failed, and must
not fail what the target verifiably does right. No score is asserted: hypothesis draws
other examples on every run, and the score moves with the suite.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

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
            "STR-TYPE-001": "InvokeWithResponseStream is not routed (Werkzeug's HTML 404)",
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
    "ministack": (
        {
            "INV-PAY-004": "a body that is not JSON runs the function with `{}` (200)",
            "INV-CC-001": "the client context never reaches the function (always None)",
            "INV-CTX-003": "context.aws_request_id differs from x-amzn-RequestId",
            "INV-TYPE-005": "an invocation type outside the enum runs the function (200)",
            "INV-WIRE-001": "the 429 at reserved concurrency 0 has no x-amzn-ErrorType",
            "INV-NAME-001": "the partial ARN form account:function:name answers 404",
            "STR-FERR-001": "a function error's InvokeComplete has lower-case keys boto3 "
                            "does not read (errorCode: 500)",
            "STR-TYPE-003": "InvocationType Event is accepted on the streaming operation (202)",
        },
        {
            "INV-TYPE-001": "RequestResponse answers 200 with the function's result",
            "INV-TYPE-003": "Event answers 202",
            "INV-TYPE-004": "DryRun answers 204",
            "INV-NAME-005": "an absent function answers 404 ResourceNotFoundException",
            "INV-QUAL-004": "an unknown qualifier answers 404",
            "STR-TYPE-001": "the result comes back as PayloadChunk events and InvokeComplete",
            "STR-FRAME-001": "the stream's frames (preludes, CRC32s) are well formed",
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
    for path, text in targets_page.reports(runs).items():
        assert path.read_text(encoding="utf-8") == text, f"stale {path}: run the same command"
        # Every row links its report.
        assert f"](targets/{path.name})" in page


def test_every_kept_target_has_a_refresh_command() -> None:
    """Refreshing a row is one command: the target's recipe runs the suite into {out}."""
    from tools import targets_page

    for key, target in targets_page.TARGETS.items():
        command = targets_page.refresh_command(key, Path("/tmp/out"), python="/py")
        assert (targets_page.ROOT / command[0]).is_file(), (key, command[0])
        assert "--" in command, key
        joined = " ".join(command)
        assert "{url}" in joined, f"{key}: the recipe must get the {{url}} placeholder"
        assert "/tmp/out" in joined or "$LC_OUT" in joined, f"{key}: no report dir"
        assert target.recipe.split()[0] == command[0], key


def _requirement(rid: str, category: str, level: str = "MUST") -> dict[str, Any]:
    return {"id": rid, "category": category, "level": level, "status": "failed"}


def test_ranking_puts_lost_data_first_and_headers_last() -> None:
    from tools.deviation_rank import ranked, top

    failed = [_requirement("INV-HDR-004", "response-headers"),
              _requirement("INV-WIRE-005", "error-wire", "SHOULD"),
              _requirement("INV-FERR-007", "function-error", "SHOULD"),
              _requirement("INV-PAY-007", "payload"),
              _requirement("INV-PAY-004", "payload"),
              _requirement("INV-CC-001", "client-context")]
    order = [r["id"] for r in ranked(failed)]
    # Tier, then level, then category, then the spec's (the input's) order.
    assert order == ["INV-PAY-007", "INV-PAY-004", "INV-CC-001", "INV-FERR-007",
                     "INV-WIRE-005", "INV-HDR-004"]
    # One per category: the second payload failure does not hide the client context.
    assert [r["id"] for r in top(failed)] == ["INV-PAY-007", "INV-CC-001", "INV-FERR-007"]


def test_every_spec_category_is_ranked() -> None:
    """A category the ranking does not know sinks to the bottom of every bug report, below
    cosmetic headers: each category a spec document uses must have its place."""
    from tools.deviation_rank import IMPACT

    root = Path(__file__).resolve().parents[1] / "spec"
    used = {(path.name, requirement["category"])
            for path in (root / "invoke.yaml", root / "invoke-with-response-stream.yaml")
            for requirement in yaml.safe_load(path.read_text(encoding="utf-8"))["requirements"]}
    assert used, "no requirement read"
    assert sorted(c for c in used if c[1] not in IMPACT) == []


def test_stream_requirements_cite_their_own_evidence_in_reports() -> None:
    """The streaming operation's sections are not the API reference page's, and its
    evidence is not a row of aws-observed.md: the report must not say they are."""
    from tools.target_reports import RunReport, render_report

    requirement = {
        **_requirement("STR-HDR-001", "response-headers"), "statement": "s",
        "section": "botocore: InvokeWithResponseStreamResponse.ExecutedVersion",
        "source_text": "t", "operation": "stream", "failures_dropped": 0,
        "evidence": ["botocore: InvokeWithResponseStreamResponse.ExecutedVersion"],
        "failures": [{"expected": "$LATEST", "received": "None", "title": "t",
                      "curl": "curl http://127.0.0.1:1/x"}],
    }
    record = {"started_at": "2026-01-01T00:00:00Z", "finished_at": "2026-01-01T00:01:00Z",
              "profile": "aws", "suite_version": "0", "spec_version": "1",
              "total_requests": 1, "score": 0.5, "score_must": 0.5,
              "requirements": [requirement]}
    text = render_report("T", "targets/x/run.sh", "--provision",
                         [RunReport("T (aws)", "x--aws.json", record, {"STR-HDR-001": "c"})])
    assert "API reference page" not in text
    assert "aws-observed.md" not in text
    assert "Evidence: botocore" in text


def test_report_escapes_what_the_target_sent() -> None:
    """A target's answer lands in the report: it must not become Markdown, HTML or a
    fence break."""
    from tools.target_reports import RunReport, render_report

    hostile = "<script>x</script> ``` ](javascript:x) @everyone"
    requirement = {
        **_requirement("INV-PAY-004", "payload"), "statement": "s", "section": "Request Body",
        "source_text": "t", "evidence": [], "failures_dropped": 0,
        "failures": [{"expected": "400", "received": hostile, "title": "Status code",
                      "curl": f"curl -d '{hostile}' http://127.0.0.1:1/x"}],
    }
    record = {"started_at": "2026-01-01T00:00:00Z", "finished_at": "2026-01-01T00:01:00Z",
              "profile": "aws", "suite_version": "0", "spec_version": "1",
              "total_requests": 1, "score": 0.5, "score_must": 0.5,
              "requirements": [requirement]}
    text = render_report("T", "targets/x/run.sh", "--provision",
                         [RunReport("T (aws)", "x--aws.json", record,
                                    {"INV-PAY-004": "cause"})])
    fence = next(line for line in text.splitlines() if line.startswith("```") and "sh" in line)
    assert fence.startswith("````"), "the fence must outgrow the backticks in the command"
    # Outside code (a fence, an inline span) nothing of it may stay live.
    prose = re.sub(r"(?ms)^(`{3,})sh\n.*?^\1$", "", text)
    prose = re.sub(r"(`+) .*? \1", "", prose)
    assert "<script>" not in prose
    assert "](javascript" not in prose
