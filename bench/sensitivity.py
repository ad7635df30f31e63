"""Sensitivity per budget: requests sent before each mutant's first declared failure.

Each mutant runs the whole suite once, in one process, under `--profile aws` (where every
mutant declares a deviation) with a fixed hypothesis seed, with `bench.plugin` counting
requests as they go on the wire. When a `Failure` of a requirement is first created (a
passive rule judged on a response, or an active check raising), the count of requests
sent so far, that request included, is noted. The figure of a mutant is the smallest such
count over its declared requirements that the final record marks failed: with the suite's
order and seed, a budget of that many requests (`--max-requests`) would already show a
failed declared requirement. The count until *every* declared requirement failed (the
mutation table's definition of "detected") is given beside it.
"""

from __future__ import annotations

import json
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench.common import SEED, load_average, now, run_suite, shown
from lambda_conformance.reference.mutants import MUTANTS
from lambda_conformance.spec import load_spec


def one(
    mutant: str | None, hypothesis_profile: str, trace: bool, seed: int = SEED
) -> dict[str, Any]:
    spec = load_spec("aws")
    declared = list(MUTANTS[mutant].violated_under(spec)) if mutant else []
    run = run_suite(
        hypothesis_profile=hypothesis_profile,
        mutant=mutant,
        trace=trace,
        seed=seed,
        timeout=900,
    )
    failed = run.failed_requirements()
    hit = [r for r in declared if r in failed]
    row: dict[str, Any] = {
        "mutant": mutant,
        "declared": declared,
        "failed": failed,
        "detected": bool(declared) and len(hit) == len(declared),
        "any_declared_failed": bool(hit),
        "total_requests": run.total_requests,
        "seconds": round(run.seconds, 2),
        "load_before": run.load_before,
        "returncode": run.returncode,
    }
    if run.record is None:
        row["error"] = run.output
    if trace and run.trace:
        first = run.trace["first_failure_after_requests"]
        counts = [first[r] for r in hit if r in first]
        row["requests_to_first_declared_failure"] = min(counts) if counts else None
        row["requests_to_all_declared_failures"] = (
            max(counts) if counts and len(counts) == len(declared) else None
        )
        row["sent_traced"] = run.trace["sent"]
    return row


def sweep(
    hypothesis_profile: str,
    mutants: list[str],
    jobs: int = 2,
    trace: bool = True,
    cache: Path | None = None,
    stop_after: float | None = None,
) -> dict[str, Any]:
    """Run the reference and `mutants`; rows already in `cache` (JSON lines) are reused,
    new ones appended. After `stop_after` seconds no new run starts: the figures then
    cover the mutants measured (listed in `not_measured` otherwise)."""
    started = now()
    before = load_average()
    clock = time.monotonic()
    done: dict[str | None, dict[str, Any]] = {}
    if cache is not None and cache.exists():
        for line in cache.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row.get("hypothesis_profile") == hypothesis_profile:
                done[row["mutant"]] = row
    lock = threading.Lock()

    def job(mutant: str | None) -> dict[str, Any] | None:
        if mutant in done:
            return done[mutant]
        if stop_after is not None and time.monotonic() - clock > stop_after:
            return None
        row = one(mutant, hypothesis_profile, trace)
        row["hypothesis_profile"] = hypothesis_profile
        if cache is not None:
            with lock, cache.open("a", encoding="utf-8") as out:
                out.write(json.dumps(row) + "\n")
        return row

    jobs_list: list[str | None] = [None, *mutants]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(job, jobs_list))
    rows = [r for r in results if r is not None]
    not_measured = [m for m, r in zip(jobs_list, results, strict=True) if r is None]
    if not rows or rows[0]["mutant"] is not None:
        raise RuntimeError("the reference run did not complete")
    reference, mutant_rows = rows[0], rows[1:]
    detected = [r for r in mutant_rows if r["detected"]]
    result: dict[str, Any] = {
        "hypothesis_profile": hypothesis_profile,
        "measured_at": started,
        "load_before": before,
        "load_after": load_average(),
        "jobs": jobs,
        "command": shown(
            [
                "python",
                "-m",
                "pytest",
                "suites",
                "-q",
                "--profile",
                "aws",
                "--hypothesis-profile",
                hypothesis_profile,
                "--hypothesis-seed",
                str(SEED),
                "--reference-mutant",
                "NAME",
                *(["-p", "bench.plugin", "--bench-trace", "FILE"] if trace else []),
            ]
        ),
        "reference": reference,
        "reference_clean": not reference["failed"],
        "mutants": mutant_rows,
        "not_measured": not_measured,
        "detected": len(detected),
        "applicable": len(mutant_rows),
        "detected_share": round(len(detected) / len(mutant_rows), 4) if mutant_rows else None,
        "any_declared_failed": sum(1 for r in mutant_rows if r["any_declared_failed"]),
        "wall_seconds_sum": round(sum(r["seconds"] for r in rows), 1),
    }
    if trace:
        firsts = [
            r["requests_to_first_declared_failure"]
            for r in mutant_rows
            if r.get("requests_to_first_declared_failure") is not None
        ]
        alls = [
            r["requests_to_all_declared_failures"]
            for r in mutant_rows
            if r.get("requests_to_all_declared_failures") is not None
        ]
        if firsts:
            result["first_failure_requests"] = _summary(firsts)
            result["detected_within_budget"] = {
                str(b): sum(1 for f in firsts if f <= b) for b in (10, 25, 50, 100, 200)
            }
        if alls:
            result["all_declared_requests"] = _summary(alls)
    return result


def _summary(values: list[int]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "min": ordered[0],
        "median": statistics.median(ordered),
        "p90": ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))],
        "max": ordered[-1],
    }
