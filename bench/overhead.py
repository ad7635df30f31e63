"""Overhead per request: the suite vs a plain `requests.Session` loop, one process.

The suite runs in this process (`pytest.main`) against the embedded reference target.
A recorder wraps the transport's `Client.send` and keeps every request the run put on
the wire (method, URL, headers, body) with the time spent inside `send`. When the
session finishes, and before the reference target is stopped, a plain loop replays the
same requests, in the same order, one after another, with a plain `requests.Session`
against the same reference: the same bodies and headers (plus the User-Agent the suite
adds), unsigned (the reference does not check signatures; signing is part of what the
suite costs), reading each body whole.

suite seconds: from the end of collection to the end of the session (starting the
reference, pytest's startup and collection are not counted), minus the time spent
waiting for asynchronous executions to call back (`BeaconListener.wait_for`: the target
runs the function after answering 202, so the wait is the target's, not the suite's).
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import requests

from bench.common import SEED, load_average, now, pytest_args, shown

FAST_SECONDS = 0.25  # a request whose exchange took longer waited on the function


@dataclass
class Sent:
    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    seconds: float


@dataclass
class Recorder:
    """A pytest plugin object: records the run's requests, then replays them."""

    replays: int = 1
    sent: list[Sent] = field(default_factory=list)
    beacon_wait: float = 0.0
    t_collected: float = 0.0
    t_finished: float = 0.0
    loops: list[dict[str, Any]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _undo: list[Any] = field(default_factory=list)

    def install(self) -> None:
        from lambda_conformance.checks.beacon import BeaconListener
        from lambda_conformance.transport import client as client_module

        original_send = client_module.Client.send
        original_wait = BeaconListener.wait_for
        recorder = self

        def send(self: Any, request: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            exchange = original_send(self, request, **kwargs)
            spent = time.perf_counter() - started
            if exchange.problem is None or exchange.problem.kind != "stopped":
                headers = tuple(request.headers)
                if request.header("user-agent") is None:
                    headers += (("User-Agent", client_module.USER_AGENT),)
                with recorder._lock:
                    recorder.sent.append(
                        Sent(request.method, exchange.url, headers, request.body, spent)
                    )
            return exchange

        def wait_for(self: Any, *args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original_wait(self, *args, **kwargs)
            finally:
                with recorder._lock:
                    recorder.beacon_wait += time.perf_counter() - started

        client_module.Client.send = send  # type: ignore[method-assign]
        BeaconListener.wait_for = wait_for  # type: ignore[method-assign]
        self._undo = [
            (client_module.Client, "send", original_send),
            (BeaconListener, "wait_for", original_wait),
        ]

    def uninstall(self) -> None:
        for owner, name, value in self._undo:
            setattr(owner, name, value)
        self._undo = []

    # --- pytest hooks ----------------------------------------------------------------
    def pytest_collection_finish(self, session: Any) -> None:
        self.t_collected = time.perf_counter()

    def pytest_sessionfinish(self, session: Any, exitstatus: int) -> None:
        self.t_finished = time.perf_counter()
        from plugins.target import RUN_KEY

        run = session.config.stash.get(RUN_KEY, None)
        if run is None or not self.sent:
            return
        for _ in range(self.replays):
            self.loops.append(replay(self.sent))


def _wire_headers(headers: tuple[tuple[str, str], ...]) -> dict[str, str]:
    merged: dict[str, str] = {}
    lower: dict[str, str] = {}
    for name, value in headers:
        key = name.lower()
        if key in lower:
            merged[lower[key]] = f"{merged[lower[key]]},{value}"
        else:
            lower[key] = name
            merged[name] = value
    return merged


def replay(mix: list[Sent], timeout: float = 30.0) -> dict[str, Any]:
    """Send `mix` one after another with a plain requests.Session; wall time per request."""
    session = requests.Session()
    session.trust_env = False
    per: list[float] = []
    errors = 0
    started = time.perf_counter()
    for item in mix:
        one = time.perf_counter()
        prepared = requests.Request(
            item.method, item.url, headers=_wire_headers(item.headers), data=item.body
        ).prepare()
        prepared.url = item.url  # the path exactly as the suite sent it
        try:
            response = session.send(prepared, timeout=timeout, allow_redirects=False)
            response.content  # noqa: B018 - read the body whole
        except requests.RequestException:
            errors += 1
        per.append(time.perf_counter() - one)
    seconds = time.perf_counter() - started
    session.close()
    return {"seconds": seconds, "per_request": per, "errors": errors}


def measure(
    hypothesis_profile: str = "quick",
    spec_profile: str = "aws",
    seed: int = SEED,
    replays: int = 1,
) -> dict[str, Any]:
    import pytest

    recorder = Recorder(replays=replays)
    report_dir = tempfile.mkdtemp(prefix="lc-bench-overhead-")
    args = pytest_args(
        hypothesis_profile=hypothesis_profile,
        spec_profile=spec_profile,
        report_dir=report_dir,
        seed=seed,
    )
    before = load_average()
    started_at = now()
    recorder.install()
    started = time.perf_counter()
    try:
        exit_code = pytest.main(args, plugins=[recorder])
    finally:
        recorder.uninstall()
        shutil.rmtree(report_dir, ignore_errors=True)
    total = time.perf_counter() - started
    after = load_average()
    n = len(recorder.sent)
    suite_phase = recorder.t_finished - recorder.t_collected
    suite_seconds = suite_phase - recorder.beacon_wait
    loop = min(recorder.loops, key=lambda lp: lp["seconds"]) if recorder.loops else None
    result: dict[str, Any] = {
        "measured_at": started_at,
        "load_before": before,
        "load_after": after,
        "command": "python -m bench overhead  # in-process: "
        + shown(["python", "-m", "pytest", *args]).replace(report_dir, "TMP"),
        "hypothesis_profile": hypothesis_profile,
        "spec_profile": spec_profile,
        "exit_code": int(exit_code),
        "requests": n,
        "pytest_main_seconds": round(total, 3),
        "suite_phase_seconds": round(suite_phase, 3),
        "beacon_wait_seconds": round(recorder.beacon_wait, 3),
        "suite_seconds": round(suite_seconds, 3),
        "suite_send_seconds": round(sum(s.seconds for s in recorder.sent), 3),
        "goal_ratio_max": 1.5,
    }
    if loop and n:
        per_loop = loop["per_request"]
        fast = [
            i
            for i, s in enumerate(recorder.sent)
            if s.seconds < FAST_SECONDS and per_loop[i] < FAST_SECONDS
        ]
        slow_suite = sum(s.seconds for i, s in enumerate(recorder.sent) if i not in set(fast))
        slow_loop = sum(per_loop[i] for i in range(n) if i not in set(fast))
        fast_set = set(fast)
        suite_fast = suite_seconds - slow_suite
        loop_fast = loop["seconds"] - slow_loop
        result.update(
            {
                "loop_seconds": round(loop["seconds"], 3),
                "loop_errors": loop["errors"],
                "loop_runs": [round(lp["seconds"], 3) for lp in recorder.loops],
                "suite_ms_per_request": round(1000 * suite_seconds / n, 2),
                "loop_ms_per_request": round(1000 * loop["seconds"] / n, 2),
                "ratio": round(suite_seconds / loop["seconds"], 3),
                # Without the requests that wait on a function (sleep fixtures, timeouts):
                # the suite's time minus its slow exchanges vs the loop's fast requests.
                "fast_requests": len(fast_set),
                "suite_ms_per_fast_request": round(1000 * suite_fast / max(len(fast_set), 1), 2),
                "loop_ms_per_fast_request": round(1000 * loop_fast / max(len(fast_set), 1), 2),
                "ratio_fast": round(suite_fast / loop_fast, 3) if loop_fast > 0 else None,
                "suite_non_http_ms_per_request": round(
                    1000 * (suite_seconds - sum(s.seconds for s in recorder.sent)) / n, 2
                ),
            }
        )
        result["goal_met"] = result["ratio"] <= 1.5
    return result
