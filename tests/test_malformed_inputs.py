"""Malformed inputs (manifest, baseline, option values in flags, env, ini): exit 4, one paragraph.

Each run uses `--max-requests 0` against a closed loopback port, so even an input
wrongly accepted sends nothing. The spec's path is fixed (spec/invoke.yaml), so a
malformed spec is tested by the spec loader's own tests, not here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.hostile.runner import PYTHON, clean_env, run_suite, write_manifest

GOOD_MANIFEST = "GOOD_MANIFEST"


@dataclass(frozen=True)
class BadInput:
    files: dict[str, str]  # name -> content, written to tmp_path
    args: tuple[str, ...]  # FILE:<name> is replaced by that file's path
    must_name: tuple[str, ...]  # what the message must name (FILE:<name> too)
    env: dict[str, str] = field(default_factory=dict)


CASES: dict[str, BadInput] = {
    "manifest-field-type": BadInput(
        {"m.yaml": "region: us-east-1\naccount_id: 123\nfunctions:\n  echo: fn\n"},
        ("--fixtures-manifest", "FILE:m.yaml"), ("FILE:m.yaml", "account_id")),
    "manifest-not-yaml": BadInput(
        {"m.yaml": "region: [us-east-1\nfunctions: {\n"},
        ("--fixtures-manifest", "FILE:m.yaml"), ("FILE:m.yaml", "not valid YAML", "line")),
    "manifest-unknown-role": BadInput(
        {"m.yaml": "region: us-east-1\naccount_id: '000000000000'\nfunctions:\n  bogus: fn\n"},
        ("--fixtures-manifest", "FILE:m.yaml"), ("FILE:m.yaml", "functions.bogus")),
    "manifest-missing": BadInput(
        {}, ("--fixtures-manifest", "FILE:absent.yaml"), ("FILE:absent.yaml", "cannot read")),
    "baseline-bad-date": BadInput(
        {"b.yaml": "- id: INV-WIRE-007\n  reason: known\n  expires: someday\n"},
        (GOOD_MANIFEST, "--baseline", "FILE:b.yaml"), ("FILE:b.yaml", "[0].expires")),
    "baseline-not-a-list": BadInput(
        {"b.yaml": "just: a mapping\n"},
        (GOOD_MANIFEST, "--baseline", "FILE:b.yaml"), ("FILE:b.yaml",)),
    "flag-not-a-number": BadInput(
        {}, (GOOD_MANIFEST, "--request-timeout", "soon"), ("--request-timeout", "'soon'")),
    "flag-negative-timeout": BadInput(
        {}, (GOOD_MANIFEST, "--request-timeout=-1"), ("--request-timeout", "request_timeout")),
    "flag-min-score": BadInput({}, (GOOD_MANIFEST, "--min-score", "7"), ("min_score",)),
    "flag-profile": BadInput({}, (GOOD_MANIFEST, "--profile", "nightly"), ("--profile",)),
    "env-not-an-int": BadInput(
        {}, (GOOD_MANIFEST,), ("$LC_MAX_REQUESTS", "'lots'"), {"LC_MAX_REQUESTS": "lots"}),
    "env-zero-timeout": BadInput(
        {}, (GOOD_MANIFEST,), ("$LC_REQUEST_TIMEOUT",), {"LC_REQUEST_TIMEOUT": "0"}),
    "flag-zero-max-time": BadInput(
        {}, (GOOD_MANIFEST, "--max-time", "0"), ("--max-time", "max_time")),
    "env-negative-max-timeouts": BadInput(
        {}, (GOOD_MANIFEST,), ("$LC_MAX_TIMEOUTS", "max_timeouts"), {"LC_MAX_TIMEOUTS": "-1"}),
    "ini-negative-rate": BadInput(
        {}, (GOOD_MANIFEST, "-o", "lc_rate=-2"), ("lc_rate", "rate")),
    "ini-file-not-a-number": BadInput(
        {"bad.ini": "[pytest]\npythonpath = .\nlc_async_wait = a while\n"},
        (GOOD_MANIFEST, "--rootdir", ".", "-c", "FILE:bad.ini"),
        ("FILE:bad.ini", "lc_async_wait", "'a while'")),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_malformed_input_is_a_usage_error(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    for file_name, content in case.files.items():
        (tmp_path / file_name).write_text(content, encoding="utf-8")
    manifest = write_manifest(tmp_path / "good-manifest.yaml")

    def resolve(value: str) -> str:
        if value == GOOD_MANIFEST:
            return f"--fixtures-manifest={manifest}"
        return str(tmp_path / value[5:]) if value.startswith("FILE:") else value

    report_dir = tmp_path / "report"
    # A flag would win over $LC_MAX_REQUESTS; the closed port is safe either way.
    budget = [] if "LC_MAX_REQUESTS" in case.env else ["--max-requests", "0"]
    args = [PYTHON, "-m", "pytest", "suites", "-q", "-p", "no:cacheprovider",
            "--report-dir", str(report_dir), *budget,
            "--target-url", "http://127.0.0.1:9", *map(resolve, case.args)]
    run = run_suite(args, timeout=120, report_dir=report_dir, env=clean_env(case.env))
    output = run.stdout + run.stderr
    assert run.returncode == 4, run.describe()
    assert "Traceback" not in output and "INTERNALERROR" not in output, run.describe()
    errors = [line for line in output.splitlines() if line.startswith("ERROR:")]
    assert len(errors) == 1, run.describe()
    for needle in map(resolve, case.must_name):
        assert needle in errors[0], f"{needle!r} not named in: {errors[0]}"
    assert not (report_dir / "results.json").exists(), "a usage error must not write a record"
