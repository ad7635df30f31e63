"""Wall time of the whole suite against the reference, and its growth with max_examples.

Each figure is one fresh `python -m pytest suites` process (startup, starting the
reference target, collection, the run and the reports), timed from outside.
"""

from __future__ import annotations

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
    return {"runs": runs, "speedup_n2": speedups, "goal_speedup_min": 1.6}


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
