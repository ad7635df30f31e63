"""Shared pieces: the machine's state, the JSON store, running the suite as a subprocess."""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
JSON_PATH = ROOT / "docs" / "benchmarks.json"
MD_PATH = ROOT / "docs" / "benchmarks.md"
PYTHON = sys.executable
SEED = 20261126


def load_average() -> list[float]:
    """1, 5 and 15 minute load averages (what else ran on the machine)."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:  # pragma: no cover - not on Linux
        return []


def machine() -> dict[str, Any]:
    return {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def now() -> str:
    return _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def load_store(path: Path = JSON_PATH) -> dict[str, Any]:
    if path.exists():
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data
    return {}


def save_section(name: str, data: dict[str, Any], path: Path = JSON_PATH) -> None:
    """Merge one benchmark's figures into the store (other sections are kept)."""
    store = load_store(path)
    store["machine"] = machine()
    store.setdefault("benchmarks", {})[name] = data
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(store, indent=2, sort_keys=False) + "\n", encoding="utf-8")


def pytest_args(
    *,
    hypothesis_profile: str = "quick",
    spec_profile: str = "aws",
    workers: int = 0,
    mutant: str | None = None,
    report_dir: str,
    seed: int = SEED,
    extra: list[str] | None = None,
) -> list[str]:
    """The suite's pytest arguments (for an in-process `pytest.main`, or a command)."""
    return [
        "suites",
        "-q",
        "-p",
        "no:cacheprovider",
        "--profile",
        spec_profile,
        "--hypothesis-profile",
        hypothesis_profile,
        "--hypothesis-seed",
        str(seed),
        "--report-dir",
        report_dir,
        *(["-n", str(workers)] if workers else []),
        *(["--reference-mutant", mutant] if mutant else []),
        *(extra or []),
    ]


def suite_command(**options: Any) -> list[str]:
    """`python -m pytest` with `pytest_args(**options)`: one run of the suite."""
    return [PYTHON, "-m", "pytest", *pytest_args(**options)]


def shown(command: list[str]) -> str:
    """A command as it would be typed in the repository (interpreter path shortened)."""
    parts = [".venv/bin/python" if c == PYTHON else c for c in command]
    return " ".join(parts)


@dataclass
class SuiteRun:
    command: list[str]
    seconds: float
    cpu_seconds: float
    returncode: int
    record: dict[str, Any] | None
    load_before: list[float]
    load_after: list[float]
    trace: dict[str, Any] | None = None
    output: str = field(default="", repr=False)

    @property
    def total_requests(self) -> int:
        return int(self.record["total_requests"]) if self.record else 0

    def failed_requirements(self) -> list[str]:
        if not self.record:
            return []
        return [r["id"] for r in self.record["requirements"] if r["status"] in ("failed", "error")]


def run_suite(
    *,
    hypothesis_profile: str = "quick",
    spec_profile: str = "aws",
    workers: int = 0,
    mutant: str | None = None,
    seed: int = SEED,
    extra: list[str] | None = None,
    trace: bool = False,
    timeout: float = 3600,
) -> SuiteRun:
    """Run the whole suite in a fresh process against the embedded reference (or a mutant)."""
    with tempfile.TemporaryDirectory(prefix="lc-bench-") as tmp:
        more = list(extra or [])
        trace_path = Path(tmp) / "trace.json"
        if trace:
            more += ["-p", "bench.plugin", "--bench-trace", str(trace_path)]
        command = suite_command(
            hypothesis_profile=hypothesis_profile,
            spec_profile=spec_profile,
            workers=workers,
            mutant=mutant,
            report_dir=str(Path(tmp) / "report"),
            seed=seed,
            extra=more,
        )
        before = load_average()
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        done = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
        )
        seconds = time.monotonic() - started
        # CPU of the run's process tree (children reaped by it); with parallel runs in
        # threads of this process the figure mixes them, so it is kept for serial runs.
        after_usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after_usage.ru_utime - usage.ru_utime) + (after_usage.ru_stime - usage.ru_stime)
        after = load_average()
        results = Path(tmp) / "report" / "results.json"
        record = json.loads(results.read_text(encoding="utf-8")) if results.exists() else None
        traced = json.loads(trace_path.read_text(encoding="utf-8")) if trace_path.exists() else None
    return SuiteRun(
        command,
        seconds,
        cpu,
        done.returncode,
        record,
        before,
        after,
        traced,
        output=(done.stdout[-3000:] + done.stderr[-3000:]),
    )
