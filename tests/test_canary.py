"""Canary credentials: no file a run writes, nor its output, ever holds the run's secrets.

The suite runs with canary credentials twice: against the embedded reference as a
mutant that fails (so failures with curl commands are written), and against a
hostile target that echoes every request header back in its bodies and headers.
Then every file under the run's directory (reports, runs/, captured stdout and
stderr) is searched for each canary, whole and in part.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from lambda_conformance.results.store import load_record
from tests.hostile import HostileTarget
from tests.hostile.runner import clean_env, run_suite, suite_args, write_manifest

KEY_ID = "AKIACANARY" + secrets.token_hex(5).upper()
SECRET_KEY = "canarySecretKey" + secrets.token_hex(16)
SESSION_TOKEN = "canarySessionToken" + secrets.token_hex(80)
CANARIES = (KEY_ID, SECRET_KEY, SESSION_TOKEN)
# The random parts alone too: a secret cut by an excerpt must not leak its prefix.
FRAGMENTS = tuple(c[-10:] for c in CANARIES) + tuple(c[len(c) // 2 : len(c) // 2 + 10]
                                                     for c in CANARIES)


def _canary_env() -> dict[str, str]:
    return clean_env({"AWS_ACCESS_KEY_ID": KEY_ID, "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
                      "AWS_SESSION_TOKEN": SESSION_TOKEN})


def _leaks(directory: Path) -> list[str]:
    found = []
    files = [p for p in directory.rglob("*") if p.is_file()]
    assert len(files) > 5, f"too few files written under {directory}: {files}"
    for path in files:
        data = path.read_bytes()
        for needle in (*CANARIES, *FRAGMENTS):
            if needle.encode() in data:
                found.append(f"{path.relative_to(directory)} holds {needle[:14]}…")
    return found


def test_reference_mutant_run_keeps_the_canaries(tmp_path: Path) -> None:
    report_dir = tmp_path / "report"
    args = suite_args(None, None, report_dir, request_timeout=10,
                      extra=["--reference-mutant", "unknown-function-500"])
    run = run_suite(args, timeout=600, report_dir=report_dir, env=_canary_env())
    assert not run.timed_out and run.returncode == 1, run.describe()
    record = load_record(report_dir / "results.json")
    curls = [f["curl"] for r in record["requirements"] for f in r["failures"] if f["curl"]]
    assert curls, "the mutant should have produced failures with curl commands"
    assert any("x-amz-security-token" in c.lower() for c in curls), curls[0]
    assert _leaks(tmp_path) == []


@pytest.mark.parametrize("behaviour", ["echo_headers"])
def test_echoing_target_run_keeps_the_canaries(behaviour: str, tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "manifest.yaml")
    report_dir = tmp_path / "report"
    with HostileTarget(behaviour) as target:
        args = suite_args(target.url, manifest, report_dir, max_requests=8)
        run = run_suite(args, timeout=300, report_dir=report_dir, env=_canary_env())
        seen = list(target.seen)
    assert not run.timed_out and run.returncode == 1, run.describe()
    # The target did get the secrets it echoes (else the test proves nothing).
    assert any(KEY_ID in (r.header("Authorization") or "") for r in seen)
    assert any(r.header("X-Amz-Security-Token") == SESSION_TOKEN for r in seen)
    record = load_record(report_dir / "results.json")
    assert any("[REDACTED]" in f["received"] for r in record["requirements"]
               for f in r["failures"]), "no echoed, redacted value reached the record"
    assert _leaks(tmp_path) == []
