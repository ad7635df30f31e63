"""Run the conformance suite in a subprocess, as a user would, and read its record."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class SuiteRun:
    returncode: int
    stdout: str
    stderr: str
    record: dict[str, Any] | None
    report_dir: Path | None = None

    def statuses(self) -> dict[str, str]:
        assert self.record is not None, self.stdout[-3000:] + self.stderr[-3000:]
        return {r["id"]: r["status"] for r in self.record["requirements"]}

    def failed(self) -> set[str]:
        return {k for k, v in self.statuses().items() if v in ("failed", "error")}


def run_suite(
    report_dir: Path,
    *args: str,
    paths: tuple[str, ...] = ("suites",),
    timeout: float = 300,
    env: dict[str, str] | None = None,
) -> SuiteRun:
    command = [
        sys.executable,
        "-m",
        "pytest",
        *paths,
        "-q",
        "-p",
        "no:cacheprovider",
        "--report-dir",
        str(report_dir),
        "--hypothesis-profile",
        "quick",
        *args,
    ]
    done = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        check=False,
    )
    path = report_dir / "results.json"
    record = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    return SuiteRun(done.returncode, done.stdout, done.stderr, record, report_dir)
