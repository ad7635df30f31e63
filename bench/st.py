"""Schemathesis alone: its own CLI against the reference and each mutant, same budget.

The reference (or mutant) runs in its own process (`bench.serve`), which counts the
requests it answered. `st run spec/openapi/invoke.aws.json --url URL` runs with all of
its checks, a fixed seed and no example database; `--max-examples` is calibrated on the
reference so that schemathesis sends about as many requests as the suite's quick run.
A mutant counts as detected when its run reports any failure while the reference run
with the same settings reports none.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench.common import PYTHON, ROOT, load_average, now

ST = str(Path(PYTHON).with_name("st"))
SPEC = "spec/openapi/invoke.aws.json"
_FAILURES = re.compile(r"(\d+) failures?\b")


_FAILED_CHECK = re.compile(r'"name":"(\w+)","status":"failure"')


def _options(max_examples: int, seed: int, exclude: tuple[str, ...]) -> list[str]:
    return [
        "--max-examples",
        str(max_examples),
        "--seed",
        str(seed),
        "--generation-database",
        "none",
        "--request-timeout",
        "15",
        "--workers",
        "1",
        # Without it a scenario stops at its first failure: a run against a target that
        # fails early would send a handful of requests, not the budget.
        "--continue-on-failure",
        *(["--exclude-checks", ",".join(exclude)] if exclude else []),
    ]


def st_command(
    url: str, max_examples: int, seed: int, report_dir: str, exclude: tuple[str, ...] = ()
) -> list[str]:
    return [
        ST,
        "run",
        SPEC,
        "--url",
        url,
        *_options(max_examples, seed, exclude),
        "--no-color",
        "--report",
        "junit,ndjson",
        "--report-dir",
        report_dir,
    ]


def shown_st(max_examples: int, seed: int, exclude: tuple[str, ...] = ()) -> str:
    return " ".join([".venv/bin/st run", SPEC, "--url URL", *_options(max_examples, seed, exclude)])


def one(
    mutant: str | None, max_examples: int, seed: int, exclude: tuple[str, ...] = ()
) -> dict[str, Any]:
    serve = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "bench.serve",
            "--profile",
            "aws",
            *(["--mutant", mutant] if mutant else []),
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert serve.stdout is not None and serve.stdin is not None
        url = serve.stdout.readline().strip()
        with tempfile.TemporaryDirectory(prefix="lc-bench-st-") as tmp:
            before = load_average()
            started = time.monotonic()
            env = dict(os.environ, NO_COLOR="1")
            done = subprocess.run(
                st_command(url, max_examples, seed, tmp, exclude),
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=1800,
                check=False,
                env=env,
            )
            seconds = time.monotonic() - started
            junit = next(Path(tmp).glob("*.xml"), None)
            junit_text = junit.read_text(encoding="utf-8") if junit else ""
            events = "".join(p.read_text(encoding="utf-8") for p in Path(tmp).glob("*.ndjson"))
        serve.stdin.close()
        requests = int((serve.stdout.readline() or "0").strip() or 0)
    finally:
        try:
            serve.wait(timeout=30)
        except subprocess.TimeoutExpired:
            serve.kill()
            serve.wait()
    out = done.stdout + done.stderr
    failures = _failure_count(junit_text, out)
    return {
        "mutant": mutant,
        "returncode": done.returncode,
        "failures": failures,
        "reported_failure": done.returncode != 0 or failures > 0,
        "failed_checks": sorted(set(_FAILED_CHECK.findall(events))),
        "requests": requests,
        "seconds": round(seconds, 2),
        "load_before": before,
        "summary": _summary_line(out),
    }


def _failure_count(junit: str, out: str) -> int:
    m = re.search(r'failures="(\d+)"', junit)
    if m:
        errors = re.search(r'errors="(\d+)"', junit)
        return int(m.group(1)) + (int(errors.group(1)) if errors else 0)
    m = _FAILURES.search(out)
    return int(m.group(1)) if m else 0


def _summary_line(out: str) -> str:
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    tail = [line for line in lines if "passed" in line or "failed" in line or "error" in line]
    return (tail[-1] if tail else (lines[-1] if lines else ""))[:300]


def calibrate(budget: int, seed: int, start: int = 63) -> tuple[int, list[dict[str, Any]]]:
    """The --max-examples whose reference run sends closest to `budget` requests."""
    tried: list[dict[str, Any]] = []
    n = start
    for _ in range(6):
        row = one(None, n, seed)
        row["max_examples"] = n
        tried.append(row)
        if row["requests"] <= 0:
            break
        if abs(row["requests"] - budget) <= 0.1 * budget:
            break
        per = row["requests"] / n
        n = max(1, round(n * budget / max(row["requests"], 1))) if per else n * 2
        if any(t["max_examples"] == n for t in tried):
            break
    best = min(tried, key=lambda t: abs(t["requests"] - budget))
    return int(best["max_examples"]), tried


def reference_clean_exclusions(
    max_examples: int, seed: int, tries: int = 4
) -> tuple[tuple[str, ...], list[dict[str, Any]]]:
    """The checks to exclude so that the reference run reports no failure."""
    exclude: tuple[str, ...] = ()
    runs: list[dict[str, Any]] = []
    for _ in range(tries):
        row = one(None, max_examples, seed, exclude)
        runs.append({k: row[k] for k in ("failed_checks", "failures", "requests", "seconds")})
        if not row["reported_failure"] or not row["failed_checks"]:
            break
        exclude = tuple(sorted(set(exclude) | set(row["failed_checks"])))
    return exclude, runs


def sweep(
    mutants: list[str],
    budget: int,
    seed: int,
    jobs: int = 2,
    max_examples: int | None = None,
    exclude: tuple[str, ...] = (),
) -> dict[str, Any]:
    started = now()
    before = load_average()
    calibration: list[dict[str, Any]] = []
    if max_examples is None:
        max_examples, calibration = calibrate(budget, seed)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        rows = list(pool.map(lambda m: one(m, max_examples, seed, exclude), [None, *mutants]))
    reference, mutant_rows = rows[0], rows[1:]
    reference_clean = not reference["reported_failure"]
    for row in mutant_rows:
        row["detected"] = reference_clean and row["reported_failure"]
    detected = sum(1 for r in mutant_rows if r["detected"])
    return {
        "measured_at": started,
        "load_before": before,
        "load_after": load_average(),
        "jobs": jobs,
        "budget_requests": budget,
        "max_examples": max_examples,
        "seed": seed,
        "exclude_checks": list(exclude),
        "command": shown_st(max_examples, seed, exclude),
        "calibration": [
            {k: t[k] for k in ("max_examples", "requests", "failures", "seconds")}
            for t in calibration
        ],
        "reference": reference,
        "reference_clean": reference_clean,
        "mutants": mutant_rows,
        "detected": detected,
        "reported_any_failure": sum(1 for r in mutant_rows if r["reported_failure"]),
        "applicable": len(mutant_rows),
        "detected_share": round(detected / len(mutant_rows), 4) if mutant_rows else None,
        "wall_seconds_sum": round(sum(r["seconds"] for r in rows), 1),
    }


if __name__ == "__main__":  # pragma: no cover - manual check
    print(json.dumps(one(None, 10, 1), indent=2))
