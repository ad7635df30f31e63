"""A target whose fixture functions are not ready (409 ResourceConflictException, as AWS
answers for a function not Active, GT-058): the suite reports the requirements that need
a running function untested, with the reason, and still fails what the target answers
wrongly before any function state matters (validation, absent functions, qualifiers).

This is what LocalStack without Docker does (its functions end `Failed`): without the
rule, every test that needs a running function failed on it, a false failure.
"""

from __future__ import annotations

from pathlib import Path

from tests.hostile.runner import run_suite, suite_args
from tests.hostile.server import HostileTarget

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "fixtures" / "manifests" / "serverless-offline.yaml"  # any names will do

# Decided before a function's state is looked at: a 409 to them is a deviation.
MUST_FAIL = {
    "INV-NAME-002": "a name breaking the pattern is a validation error first",
    "INV-NAME-005": "an absent function has no state: 404",
    "INV-QUAL-004": "an unknown qualifier: 404",
    "INV-QUAL-008": "the qualifier conflict comes before existence (GT-014)",
    "INV-TYPE-005": "an invocation type outside the enum: 400",
}
# Need the function to run: the precondition failed, nothing to judge.
MUST_BE_UNTESTED = ("INV-TYPE-001", "INV-TYPE-003", "INV-TYPE-004", "INV-PAY-001",
                    "INV-FERR-002", "INV-QUAL-001", "INV-CTX-003", "INV-ASYNC-002",
                    "INV-PAY-004")


def test_fixtures_not_ready_are_untested_not_failed(tmp_path: Path) -> None:
    report_dir = tmp_path / "report"
    with HostileTarget("not_ready") as target:
        args = suite_args(target.url, MANIFEST, report_dir, request_timeout=5,
                          extra=("--profile", "aws"))
        run = run_suite(args, timeout=400, report_dir=report_dir)
    assert run.returncode == 1, run.describe()  # nonconforming: some requirements failed
    from lambda_conformance.results.store import load_record

    record = load_record(report_dir / "results.json")
    by_id = {r["id"]: r for r in record["requirements"]}
    wrong = {rid: by_id[rid]["status"] for rid in MUST_FAIL if by_id[rid]["status"] != "failed"}
    assert not wrong, f"deviations before the state check not failed: {wrong}"
    for rid in MUST_BE_UNTESTED:
        requirement = by_id[rid]
        assert requirement["status"] == "untested", (rid, requirement["failures"][:1])
        assert any("not ready" in reason for reason in requirement["untested_reasons"]), rid
    # No failure anywhere claims a function answer the target could not give.
    claimed = [(r["id"], f["expected"]) for r in record["requirements"] for f in r["failures"]
               if f["expected"].startswith(("200 from", "202", "204"))]
    assert not claimed, claimed
