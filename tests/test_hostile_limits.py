"""Safety limits against a target: --max-requests, --rate, and the non-loopback warning."""

from __future__ import annotations

import itertools
from pathlib import Path

from lambda_conformance.results.store import load_record
from tests.hostile import HostileTarget
from tests.hostile.runner import run_suite, suite_args, write_manifest

BUDGET = 5
RATE = 4.0


def test_max_requests_and_rate_hold_at_the_target(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "manifest.yaml")
    report_dir = tmp_path / "report"
    with HostileTarget("plausible") as target:
        args = suite_args(target.url, manifest, report_dir, max_requests=BUDGET,
                          extra=["--rate", f"{RATE:g}"])
        run = run_suite(args, timeout=180, report_dir=report_dir)
        arrivals = list(target.arrivals)
    assert not run.timed_out and run.returncode == 1, run.describe()
    # Counted by the target: the budget is what reaches the wire.
    assert 0 < len(arrivals) <= BUDGET
    # The pacer spaces the sends; on a loaded machine one request can reach the target a few
    # tens of milliseconds late, which shortens the next gap by as much. So the rate is
    # held on the whole span, and no two arrivals come in a burst (an unpaced client's gaps
    # are a few milliseconds).
    spacing = [b - a for a, b in itertools.pairwise(arrivals)]
    assert all(gap >= 0.5 / RATE for gap in spacing), spacing
    assert arrivals[-1] - arrivals[0] >= 0.95 * (len(arrivals) - 1) / RATE, spacing
    record = load_record(report_dir / "results.json")
    assert record["complete"] is False
    assert "--max-requests" in record["stop_reason"]
    assert record["total_requests"] <= BUDGET
    assert record["config"]["max_requests"] == BUDGET and record["config"]["rate"] == RATE


def test_non_loopback_target_is_announced(tmp_path: Path) -> None:
    # .invalid never resolves (RFC 6761): no request can leave the machine.
    url = "http://conformance-target.invalid:9"
    manifest = write_manifest(tmp_path / "manifest.yaml")
    report_dir = tmp_path / "report"
    args = suite_args(url, manifest, report_dir, request_timeout=1, max_requests=1)
    run = run_suite(args, timeout=120, report_dir=report_dir)
    assert not run.timed_out and run.returncode == 1, run.describe()
    warning = next(line for line in run.stderr.splitlines() if "WARNING" in line)
    assert url in warning and "not on this machine" in warning
    assert "SigV4-signed" in warning and "--max-requests" in warning
    record = load_record(report_dir / "results.json")
    wire = next(r for r in record["requirements"] if r["id"] == "INV-WIRE-007")
    assert wire["status"] == "failed"
    assert wire["failures"][0]["reason"] == "connection"
