"""Running the whole conformance suite in a subprocess, as a user would, and measuring it.

`run_suite` starts `python -m pytest suites ...` in its own process group, waits
for it with `os.wait4` (so the maximum RSS is that one process's, even when several
runs go in parallel), kills the group when the subprocess timeout passes, and
returns what happened as data.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable

# Credentials for runs against hostile targets: long enough to be redacted, and
# the subprocess reads nothing from ~/.aws (AWS_CONFIG_FILE etc. point at nothing).
HOSTILE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "AKIAHOSTILETARGET01",
    "AWS_SECRET_ACCESS_KEY": "hostile-target-secret-key-not-a-real-one",
}


@dataclass(frozen=True)
class SuiteRun:
    """The outcome of one suite subprocess."""

    returncode: int  # negative: killed by that signal
    stdout: str
    stderr: str
    elapsed: float
    max_rss_kib: int  # the suite process's peak resident set (Linux: KiB)
    timed_out: bool
    report_dir: Path

    def describe(self) -> str:
        tail = "\n".join((self.stdout + "\n" + self.stderr).splitlines()[-40:])
        return (f"exit {self.returncode} after {self.elapsed:.1f} s, max RSS "
                f"{self.max_rss_kib / 1024:.0f} MiB, timed out: {self.timed_out}\n{tail}")


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a suite subprocess: no AWS config, no LC_* from the caller."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AWS_", "LC_", "PYTEST_", "GITHUB_STEP_SUMMARY"))}
    env.update(HOSTILE_CREDENTIALS)
    env.update({"AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
                "AWS_EC2_METADATA_DISABLED": "true", "PYTHONDONTWRITEBYTECODE": "1"})
    env.update(extra or {})
    return env


def write_manifest(path: Path, roles: Sequence[str] = ("echo",)) -> Path:
    """A manifest naming the fixture functions on a hostile target (any names do)."""
    manifest = {
        "region": "us-east-1",
        "account_id": "000000000000",
        "functions": {role: f"conformance-{role}" for role in roles},
        "supports_concurrency_control": False,
    }
    path.write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    return path


def suite_args(url: str | None, manifest: Path | None, report_dir: Path, *,
               request_timeout: float = 2.0, max_requests: int | None = None,
               extra: Sequence[str] = ()) -> list[str]:
    args = [PYTHON, "-m", "pytest", "suites", "-q", "--hypothesis-profile", "quick",
            "-p", "no:cacheprovider", "--report-dir", str(report_dir),
            "--request-timeout", f"{request_timeout:g}"]
    if url is not None:
        args += ["--target-url", url]
    if manifest is not None:
        args += ["--fixtures-manifest", str(manifest)]
    if max_requests is not None:
        args += ["--max-requests", str(max_requests)]
    return [*args, *extra]


def run_suite(args: Sequence[str], *, timeout: float, report_dir: Path,
              env: Mapping[str, str] | None = None,
              while_running: Callable[[subprocess.Popen[bytes]], None] | None = None
              ) -> SuiteRun:
    """Run `args` from the project root; kill the process group after `timeout` seconds.

    `while_running(process)` is called once right after the start (the signal tests
    use it to interrupt the run); it must return quickly or bound its own waits.
    """
    out_path = report_dir.parent / f"{report_dir.name}.stdout"
    err_path = report_dir.parent / f"{report_dir.name}.stderr"
    report_dir.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        process = subprocess.Popen(
            list(args), cwd=ROOT, env=dict(env) if env is not None else clean_env(),
            stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True,
        )
        timed_out = False
        status, rusage = 0, None
        try:
            if while_running is not None:
                while_running(process)
            while True:
                pid, status, rusage = os.wait4(process.pid, os.WNOHANG)
                if pid == process.pid:
                    break
                if time.monotonic() - started > timeout:
                    timed_out = True
                    _kill_group(process.pid)
                    pid, status, rusage = os.wait4(process.pid, 0)
                    break
                time.sleep(0.05)
        except BaseException:
            _kill_group(process.pid)
            process.wait(10)
            raise
        # Popen must not wait for the pid again (it was reaped here).
        process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.monotonic() - started
    return SuiteRun(
        returncode=process.returncode,
        stdout=out_path.read_text(encoding="utf-8", errors="replace"),
        stderr=err_path.read_text(encoding="utf-8", errors="replace"),
        elapsed=elapsed,
        max_rss_kib=rusage.ru_maxrss if rusage is not None else 0,
        timed_out=timed_out,
        report_dir=report_dir,
    )


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
