"""Wall time of the whole suite against the reference, and its growth with max_examples.

Each figure is one fresh `python -m pytest suites` process (startup, starting the
reference target, collection, the run and the reports), timed from outside.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from bench.common import SEED, run_suite, shown

QUICK_EXAMPLES = 6  # conftest.py's quick profile


def walltime(
    profiles: list[str], workers: list[int], spec_profile: str = "aws", seed: int = SEED
) -> dict[str, Any]:
    runs: list[dict[str, Any]] = []
    for hypothesis_profile in profiles:
        for n in workers:
            run = run_suite(
                hypothesis_profile=hypothesis_profile,
                spec_profile=spec_profile,
                workers=n,
                seed=seed,
            )
            runs.append(
                {
                    "hypothesis_profile": hypothesis_profile,
                    "workers": n,
                    "seconds": round(run.seconds, 2),
                    "cpu_seconds": round(run.cpu_seconds, 2),
                    "requests": run.total_requests,
                    "score": run.record["score"] if run.record else None,
                    "returncode": run.returncode,
                    "load_before": run.load_before,
                    "load_after": run.load_after,
                    "command": shown(run.command).replace(
                        run.command[run.command.index("--report-dir") + 1], "TMP"
                    ),
                }
            )
    speedups: dict[str, Any] = {}
    for hypothesis_profile in profiles:
        one = next(
            (
                r
                for r in runs
                if r["hypothesis_profile"] == hypothesis_profile and r["workers"] == 0
            ),
            None,
        )
        two = next(
            (
                r
                for r in runs
                if r["hypothesis_profile"] == hypothesis_profile and r["workers"] == 2
            ),
            None,
        )
        if one and two and two["seconds"]:
            speedups[hypothesis_profile] = round(one["seconds"] / two["seconds"], 3)
    return {"runs": runs, "speedup_n2": speedups, "goal_speedup_min": GOAL_SPEEDUP}


GOAL_SPEEDUP = 1.5  # -n 2 against one process, default profile (issue "Performance")


def slow_target(
    workers: list[int],
    delay: float = 0.05,
    hypothesis_profile: str = "quick",
    spec_profile: str = "aws",
    seed: int = SEED,
) -> dict[str, Any]:
    """The suite against a reference that answers every request `delay` seconds late.

    `bench.plugin --bench-delay` wraps the reference's request handler in the process that
    hosts it (the controller under xdist) and sums, per request, the time from reading it
    to the end of the answer (the delay included): the sum of the target's latencies. The
    ratio wall time / that sum is below 1 only where waits overlap (several workers).
    """
    runs: list[dict[str, Any]] = []
    for n in workers:
        with tempfile.TemporaryDirectory(prefix="lc-bench-") as tmp:
            latency_path = Path(tmp) / "latency.json"
            run = run_suite(
                hypothesis_profile=hypothesis_profile,
                spec_profile=spec_profile,
                workers=n,
                seed=seed,
                extra=[
                    "-p",
                    "bench.plugin",
                    "--bench-delay",
                    str(delay),
                    "--bench-latency",
                    str(latency_path),
                ],
            )
            latency = (
                json.loads(latency_path.read_text(encoding="utf-8"))
                if latency_path.exists()
                else {}
            )
        total = float(latency.get("latency_seconds", 0.0))
        command = shown(run.command).replace(
            run.command[run.command.index("--report-dir") + 1], "TMP"
        )
        runs.append(
            {
                "workers": n,
                "seconds": round(run.seconds, 2),
                "requests": run.total_requests,
                "answered": latency.get("requests"),
                "latency_sum_seconds": round(total, 2),
                "wall_over_latency": round(run.seconds / total, 3) if total else None,
                "score": run.record["score"] if run.record else None,
                "returncode": run.returncode,
                "load_before": run.load_before,
                "load_after": run.load_after,
                "command": command.replace(str(latency_path), "FILE"),
            }
        )
    return {"delay_seconds": delay, "hypothesis_profile": hypothesis_profile, "runs": runs}


def growth(factors: list[int], spec_profile: str = "aws", seed: int = SEED) -> dict[str, Any]:
    runs: list[dict[str, Any]] = []
    for factor in factors:
        examples = QUICK_EXAMPLES * factor
        run = run_suite(
            hypothesis_profile="quick",
            spec_profile=spec_profile,
            seed=seed,
            extra=["-p", "bench.plugin", "--bench-examples", str(examples)],
        )
        runs.append(
            {
                "factor": factor,
                "max_examples": examples,
                "seconds": round(run.seconds, 2),
                "cpu_seconds": round(run.cpu_seconds, 2),
                "requests": run.total_requests,
                "returncode": run.returncode,
                "load_before": run.load_before,
                "load_after": run.load_after,
                "command": shown(run.command).replace(
                    run.command[run.command.index("--report-dir") + 1], "TMP"
                ),
            }
        )
    base = runs[0]["seconds"] if runs else None
    for row in runs:
        row["relative_seconds"] = round(row["seconds"] / base, 3) if base else None
        row["relative_requests"] = (
            round(row["requests"] / runs[0]["requests"], 3) if runs[0]["requests"] else None
        )
    return {"runs": runs}
