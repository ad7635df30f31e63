"""Start-up: collection alone, and the time from launching pytest to the first request.

Both with `PYTHONDONTWRITEBYTECODE=1` (as this machine and CI run: no bytecode cache, so
every module pytest rewrites is compiled again on every run), each repeated; the figure
is the median. The first request: `python -m pytest suites` with a budget of one request
(`--max-requests 1`: the rest of the run stops at once) and `bench.plugin` appending the
wall-clock time of each process's first request to a file; the figure is that time minus
the time just before the process was launched. Under `-n 2` it is the first request of
either worker (each worker starts its own interpreter, imports and collects).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import PYTHON, ROOT, SEED, load_average, now, shown, suite_command

GOAL_SECONDS = 3.0


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}


def collect_only() -> dict[str, Any]:
    command = [PYTHON, "-m", "pytest", "suites", "--collect-only", "-q", "-p", "no:cacheprovider"]
    with tempfile.TemporaryDirectory(prefix="lc-bench-") as tmp:
        command += ["--report-dir", str(Path(tmp) / "report")]
        before = load_average()
        started = time.monotonic()
        subprocess.run(command, cwd=ROOT, env=_env(), capture_output=True, check=False)
        seconds = time.monotonic() - started
    return {"seconds": round(seconds, 3), "load_before": before, "command": shown(command)}


def first_request(workers: int = 0) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="lc-bench-") as tmp:
        stamps = Path(tmp) / "first.txt"
        command = suite_command(
            hypothesis_profile="quick",
            workers=workers,
            report_dir=str(Path(tmp) / "report"),
            seed=SEED,
            extra=[
                "--max-requests",
                "1",
                "-p",
                "bench.plugin",
                "--bench-first-request",
                str(stamps),
            ],
        )
        before = load_average()
        launched = time.time()
        subprocess.run(command, cwd=ROOT, env=_env(), capture_output=True, check=False)
        lines = stamps.read_text(encoding="utf-8").split() if stamps.exists() else []
        shown_command = shown(command).replace(tmp, "TMP")
    first = min(float(x) for x in lines) - launched if lines else None
    return {
        "seconds": round(first, 3) if first is not None else None,
        "load_before": before,
        "command": shown_command,
    }


def measure(repeat: int = 3) -> dict[str, Any]:
    started_at = now()
    before = load_average()
    collect = [collect_only() for _ in range(repeat)]
    first = [first_request() for _ in range(repeat)]
    first_n2 = [first_request(workers=2) for _ in range(repeat)]

    def median(runs: list[dict[str, Any]]) -> float | None:
        values = [r["seconds"] for r in runs if r["seconds"] is not None]
        return round(statistics.median(values), 3) if values else None

    first_median = median(first)
    return {
        "measured_at": started_at,
        "load_before": before,
        "load_after": load_average(),
        "env": "PYTHONDONTWRITEBYTECODE=1",
        "collect_only_seconds": median(collect),
        "first_request_seconds": first_median,
        "first_request_n2_seconds": median(first_n2),
        "collect_only_runs": collect,
        "first_request_runs": first,
        "first_request_n2_runs": first_n2,
        "goal_seconds_max": GOAL_SECONDS,
        "goal_met": first_median is not None and first_median <= GOAL_SECONDS,
    }
