"""A target that answers and then dies mid-run (crashes, is killed): the suite reports the
crash once (INV-WIRE-007, connection refused), stops sending, and records the run as
incomplete with what it did not reach untested, instead of failing every later
requirement on "connection refused" (what it did before: a dead target is not a verdict
on every rule)."""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

from lambda_conformance.results.store import load_record
from lambda_conformance.transport.client import GONE_AFTER_REFUSALS
from tests.hostile.runner import run_suite, suite_args, write_manifest
from tests.hostile.server import HostileTarget

ANSWERED_BEFORE_DYING = 15


def test_target_that_dies_mid_run_stops_the_run_incomplete(tmp_path: Path) -> None:
    report_dir = tmp_path / "report"
    manifest = write_manifest(tmp_path / "manifest.yaml")
    target = HostileTarget("plausible").start()
    died = threading.Event()

    def kill_after_some_answers(process: subprocess.Popen[bytes]) -> None:
        def watch() -> None:
            until = time.monotonic() + 120
            while target.requests < ANSWERED_BEFORE_DYING and time.monotonic() < until:
                time.sleep(0.02)
            target.stop()  # the port is closed: every later connection is refused
            died.set()

        threading.Thread(target=watch, daemon=True).start()

    try:
        args = suite_args(target.url, manifest, report_dir, request_timeout=2)
        run = run_suite(args, timeout=300, report_dir=report_dir,
                        while_running=kill_after_some_answers)
    finally:
        target.stop()
    assert died.is_set(), "the target never got its requests: " + run.describe()
    record = load_record(report_dir / "results.json")
    assert not record["complete"], run.describe()
    assert "stopped accepting connections" in (record["stop_reason"] or ""), record["stop_reason"]
    refused = [(r["id"], f["test"]) for r in record["requirements"] for f in r["failures"]
               if "connection refused" in str(f["received"])]
    # The refusals that revealed the death, and nothing after them.
    assert 1 <= len(refused) <= GONE_AFTER_REFUSALS, refused
    gone = [r["id"] for r in record["requirements"]
            if any("stopped accepting connections" in why for why in r["untested_reasons"])]
    assert gone, "no requirement was left untested for the stop"
