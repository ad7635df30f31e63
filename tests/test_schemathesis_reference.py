"""The schemathesis module against the embedded reference: no failure under either profile."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lambda_conformance.spec import PROFILES

ROOT = Path(__file__).resolve().parents[1]
MODULE = "suites/test_schemathesis.py"


@pytest.mark.parametrize("profile", PROFILES)
def test_schemathesis_module_fails_nothing_on_the_reference(profile: str, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", MODULE, "-q", "-p", "no:cacheprovider",
         "--profile", profile, "--report-dir", str(tmp_path),
         "--hypothesis-profile", "quick", "--hypothesis-seed", "20261126"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )
    results = tmp_path / "results.json"
    assert results.exists(), done.stdout[-3000:] + done.stderr[-3000:]
    record = json.loads(results.read_text(encoding="utf-8"))
    bad = {r["id"]: r["status"] for r in record["requirements"]
           if r["status"] in ("failed", "error")}
    assert bad == {}, done.stdout[-3000:]
    assert done.returncode == 0, done.stdout[-3000:]
    # The module judged something and its requests are in the record.
    passed = {r["id"] for r in record["requirements"] if r["status"] == "passed"}
    assert {"INV-WIRE-001", "INV-WIRE-002", "INV-WIRE-003", "INV-HDR-001"} <= passed
    assert record["total_requests"] > 0
