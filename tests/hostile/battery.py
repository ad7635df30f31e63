"""The battery: the whole suite against each hostile behaviour, and what each run must show.

Bound on one run's wall time (docs/hostile-targets.md):

    bound = N × (T + S) + C

N = --max-requests, T = --request-timeout, S = per-request slack (hypothesis
generation and shrinking, signing, judging), C = fixed overhead (interpreter start,
imports, collection, reports). A behaviour that defeated the hard deadline even once
would stall for the target's `hold` (150 s) and blow the bound.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lambda_conformance.results.store import load_record
from tests.hostile.runner import SuiteRun, run_suite, suite_args, write_manifest
from tests.hostile.server import HostileTarget

MAX_REQUESTS = 4  # N
REQUEST_TIMEOUT_S = 2.0  # T
SLACK_PER_REQUEST_S = 2.5  # S
FIXED_OVERHEAD_S = 60.0  # C
BOUND_S = MAX_REQUESTS * (REQUEST_TIMEOUT_S + SLACK_PER_REQUEST_S) + FIXED_OVERHEAD_S
# The subprocess is killed a while after the bound, so that a broken bound shows as
# "took 110 s, bound 78 s" rather than as a hung test run.
KILL_AFTER_S = BOUND_S + 30.0
PARALLEL_RUNS = 3

REPORTS = ("results.json", "junit.xml", "report.html", "summary.md", "badge.svg", "badge.json")


@dataclass(frozen=True)
class Expected:
    """What the record must say about a behaviour: this requirement fails for this reason.

    `requirement` None: any requirement (which test runs first is the suites' business).
    """

    requirement: str | None
    reason: str
    title: str | None = None
    # What ends the run first: the --max-requests budget, or (for a target that lets
    # requests run into their deadline) --max-timeouts, before the budget is spent.
    stop: str = "--max-requests"


EXPECTED: dict[str, Expected] = {
    "silent": Expected("INV-WIRE-007", "timeout", stop="--max-timeouts"),
    "late": Expected("INV-WIRE-007", "timeout", stop="--max-timeouts"),
    "slow_headers": Expected("INV-WIRE-007", "timeout", stop="--max-timeouts"),
    "slow_body": Expected("INV-WIRE-007", "timeout", stop="--max-timeouts"),
    "close_mid": Expected("INV-WIRE-007", "malformed"),
    "reset": Expected("INV-WIRE-007", "connection"),
    "refused": Expected("INV-WIRE-007", "connection"),
    "garbage": Expected("INV-WIRE-007", "malformed"),
    "wrong_length": Expected("INV-WIRE-007", "malformed"),
    "bad_chunked": Expected("INV-WIRE-007", "malformed"),
    "gzip_bomb": Expected("INV-WIRE-007", "too_large"),
    "huge_body": Expected("INV-WIRE-007", "too_large"),
    "not_json": Expected("INV-WIRE-003", "mismatch", "Error body shape"),
    "html_script": Expected("INV-WIRE-001", "mismatch", "Unknown error type"),
    "error500": Expected(None, "mismatch", "Status code"),
    "flaky": Expected("INV-WIRE-007", "malformed"),
    "echo_headers": Expected("INV-WIRE-006", "mismatch", "Content type of an error"),
}


@dataclass(frozen=True)
class BatteryRun:
    behaviour: str
    run: SuiteRun
    target_requests: int

    @property
    def report_dir(self) -> Path:
        return self.run.report_dir

    def record(self) -> dict[str, Any]:
        return load_record(self.report_dir / "results.json")


def run_behaviour(behaviour: str, workdir: Path, *, max_requests: int | None = MAX_REQUESTS,
                  bound: float = BOUND_S, kill_after: float = KILL_AFTER_S,
                  roles: tuple[str, ...] = ("echo",)) -> BatteryRun:
    """Start the hostile target, run the whole suite against it, stop the target.

    `max_requests=None` runs with the defaults, as a user who sets no budget would."""
    base = workdir / behaviour
    base.mkdir(parents=True, exist_ok=True)
    manifest = write_manifest(base / "manifest.yaml", roles)
    report_dir = base / "report"
    with HostileTarget(behaviour) as target:
        args = suite_args(target.url, manifest, report_dir, request_timeout=REQUEST_TIMEOUT_S,
                          max_requests=max_requests)
        run = run_suite(args, timeout=kill_after, report_dir=report_dir)
        requests = target.requests
    # What docs/hostile-targets.md quotes as measured.
    (base / "measured.json").write_text(json.dumps({
        "behaviour": behaviour, "elapsed_s": round(run.elapsed, 1), "bound_s": bound,
        "returncode": run.returncode, "max_rss_mib": round(run.max_rss_kib / 1024),
        "target_requests": requests}), encoding="utf-8")
    return BatteryRun(behaviour, run, requests)


def check_reports(report_dir: Path) -> None:
    """Every report exists; the XML ones parse with a strict parser, the JSON ones load."""
    for name in REPORTS:
        path = report_dir / name
        assert path.is_file() and path.stat().st_size > 0, f"{name} missing or empty"
    for name in ("junit.xml", "badge.svg"):
        ET.parse(report_dir / name)  # expat: raises on any XML-illegal character
    json.loads((report_dir / "badge.json").read_text(encoding="utf-8"))
    load_record(report_dir / "results.json")
    copies = list((report_dir.parent / "runs").glob("*/results.json"))
    assert copies, "no copy of the record under runs/"
    for copy in copies:
        load_record(copy)


def failures_of(record: dict[str, Any], requirement: str | None) -> list[dict[str, Any]]:
    if requirement is None:
        return [f for r in record["requirements"] if r["status"] == "failed"
                for f in r["failures"]]
    entry = next(r for r in record["requirements"] if r["id"] == requirement)
    assert entry["status"] == "failed", (
        f"{requirement} is {entry['status']}: {entry['untested_reasons']} {entry['errors']}"
    )
    return list(entry["failures"])
