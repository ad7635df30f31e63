"""Ctrl-C and SIGTERM mid-run: a partial record marked incomplete, a non-zero exit, no leftovers."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from lambda_conformance.results.store import load_record
from tests.hostile import HostileTarget
from tests.hostile.battery import check_reports
from tests.hostile.runner import run_suite, suite_args, write_manifest
from tests.moto_server import function_names, moto_server, moto_server_command

REQUEST_TIMEOUT_S = 2.0
STARTUP_LIMIT_S = 90.0  # interpreter, imports and collection on a loaded CI machine
# After the signal: the request in flight is cut at once or by its deadline, then
# the record and reports are written (and, with --provision, functions deleted).
WIND_DOWN_S = REQUEST_TIMEOUT_S + 30.0
SIGNALS = {"SIGINT": signal.SIGINT, "SIGTERM": signal.SIGTERM}


def _signal_when(ready: Callable[[], bool], signum: int, pause: float, sent: list[float]
                 ) -> Callable[[subprocess.Popen[bytes]], None]:
    """Wait (bounded) until `ready()`, then `pause` seconds, then send `signum`
    (its time goes to `sent`)."""
    def interrupt(process: subprocess.Popen[bytes]) -> None:
        until = time.monotonic() + STARTUP_LIMIT_S
        while not ready() and time.monotonic() < until and process.poll() is None:
            time.sleep(0.1)
        assert ready(), "the run never reached the point where it is to be interrupted"
        time.sleep(pause)
        assert process.poll() is None, "the run ended before the signal"
        process.send_signal(signum)
        sent.append(time.monotonic())
    return interrupt


def _check_partial(report_dir: Path, returncode: int) -> dict[str, object]:
    # pytest's "interrupted" is 2; a signal death would be negative, a crash 3.
    assert returncode not in (0, 3) and returncode > 0, returncode
    record = load_record(report_dir / "results.json")
    assert record["complete"] is False
    assert record["stop_reason"], record["stop_reason"]
    check_reports(report_dir)
    return record


@pytest.mark.parametrize("name", sorted(SIGNALS))
def test_signal_against_a_slow_target(name: str, tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "manifest.yaml")
    report_dir = tmp_path / "report"
    with HostileTarget("silent") as target:
        args = suite_args(target.url, manifest, report_dir, request_timeout=REQUEST_TIMEOUT_S,
                          max_requests=50)
        sent: list[float] = []
        run = run_suite(args, timeout=STARTUP_LIMIT_S + 1.5 + WIND_DOWN_S, report_dir=report_dir,
                        while_running=_signal_when(lambda: target.requests > 0,
                                                   SIGNALS[name], 1.5, sent))
        ended = time.monotonic()
    assert not run.timed_out, run.describe()
    assert ended - sent[0] <= WIND_DOWN_S, f"{ended - sent[0]:.1f} s from signal to exit"
    record = _check_partial(report_dir, run.returncode)
    assert "interrupt" in str(record["stop_reason"]).lower(), record["stop_reason"]
    assert "Traceback (most recent call last)" not in run.stderr, run.describe()


@pytest.mark.parametrize("name", sorted(SIGNALS))
def test_signal_with_provision_deletes_the_functions(name: str, tmp_path: Path) -> None:
    if moto_server_command() is None:
        pytest.skip("moto_server not installed (pip install 'moto[server,awslambda]==5.2.5')")
    report_dir = tmp_path / "report"
    with moto_server() as url:
        args = suite_args(url, None, report_dir, request_timeout=5.0,
                          extra=["--provision", "--rate", "5"])

        def ready() -> bool:
            try:
                return len(function_names(url)) >= 7
            except Exception:  # moto busy creating: ask again
                return False

        sent: list[float] = []
        run = run_suite(args, timeout=STARTUP_LIMIT_S + 3 + WIND_DOWN_S + 60,
                        report_dir=report_dir,
                        while_running=_signal_when(ready, SIGNALS[name], 3.0, sent))
        assert not run.timed_out, run.describe()
        _check_partial(report_dir, run.returncode)
        assert function_names(url) == [], "provisioned functions left behind"
