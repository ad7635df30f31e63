"""Rules a test judges together but that hold independently: one failing must not leave
the other untested (found on every real target: INV-PAY-006 failed, so INV-PAY-007 was
never sent)."""

from __future__ import annotations

from pathlib import Path

from lambda_conformance.results.store import load_record
from tests.hostile.runner import run_suite, suite_args, write_manifest
from tests.hostile.server import HostileTarget


def test_payload_limits_are_judged_each_on_its_own(tmp_path: Path) -> None:
    report_dir = tmp_path / "report"
    manifest = write_manifest(tmp_path / "manifest.yaml")
    with HostileTarget("error500") as target:  # 500 ServiceException to everything
        args = suite_args(target.url, manifest, report_dir, request_timeout=10,
                          extra=("-k", "payload_limit"))
        run = run_suite(args, timeout=300, report_dir=report_dir)
    statuses = {r["id"]: r["status"] for r in load_record(report_dir / "results.json")[
        "requirements"]}
    for rid in ("INV-PAY-006", "INV-PAY-007", "INV-PAY-008", "INV-PAY-009"):
        assert statuses[rid] == "failed", (rid, statuses[rid], run.describe())
