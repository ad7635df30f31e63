"""A pytest plugin for benchmark runs of the suite (`-p bench.plugin`); inert unless asked.

--bench-examples N   run with the loaded hypothesis profile but max_examples=N (a
                     temporary profile; the committed ones are not changed)
--bench-trace FILE   count requests as they are sent and write, for every requirement,
                     how many requests had been sent when its first failure was observed
                     (single process only: under xdist each worker would count its own)
--bench-delay S      the embedded reference answers every request S seconds later (a slow
                     target on loopback); with --bench-latency FILE the process hosting it
                     writes how many requests it answered and the sum of their latencies
--bench-first-request FILE
                     each process appends the wall-clock time (time.time()) of its first
                     request to FILE, one line per process (start-up benchmark)
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest

_STATE: dict[str, Any] = {}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("bench", "lambda-conformance benchmarks")
    group.addoption("--bench-examples", type=int, default=None, dest="bench_examples")
    group.addoption("--bench-trace", default=None, dest="bench_trace")
    group.addoption("--bench-delay", type=float, default=None, dest="bench_delay")
    group.addoption("--bench-latency", default=None, dest="bench_latency")
    group.addoption("--bench-first-request", default=None, dest="bench_first_request")


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    examples = config.getoption("bench_examples", None)
    if examples:
        from hypothesis import settings

        # After hypothesis loaded --hypothesis-profile: the same settings, more examples.
        settings.register_profile("bench", settings(settings.default, max_examples=examples))
        settings.load_profile("bench")
    if config.getoption("bench_trace", None) and not hasattr(config, "workerinput"):
        install_trace()
    delay = config.getoption("bench_delay", None)
    if delay and not hasattr(config, "workerinput"):
        install_delay(float(delay))
    first = config.getoption("bench_first_request", None)
    if first:
        install_first_request(Path(first))


_LATENCY: dict[str, Any] = {}


def install_delay(seconds: float) -> dict[str, Any]:
    """Every answer of the embedded reference (in this process) `seconds` later; the time
    each request spent in the server, delay included, is summed (idempotent)."""
    if _LATENCY:
        return _LATENCY
    from lambda_conformance.reference import server

    lock = threading.Lock()
    state = _LATENCY
    state.update({"delay": seconds, "requests": 0, "latency_seconds": 0.0})
    original = server._Handler._serve

    def serve(self: Any) -> None:
        started = time.perf_counter()
        time.sleep(seconds)
        try:
            original(self)
        finally:
            spent = time.perf_counter() - started
            with lock:
                state["requests"] += 1
                state["latency_seconds"] += spent

    server._Handler._serve = serve  # type: ignore[method-assign]
    return state


def install_first_request(path: Path) -> None:
    """Append time.time() of this process's first request to `path` (one line per process)."""
    from lambda_conformance.transport.client import Client

    original_send = Client.send
    done = threading.Event()

    def send(self: Client, request: Any, **kwargs: Any) -> Any:
        if not done.is_set():
            done.set()
            with path.open("a", encoding="utf-8") as out:
                out.write(f"{time.time():.6f}\n")
        return original_send(self, request, **kwargs)

    Client.send = send  # type: ignore[method-assign]


def install_trace() -> dict[str, Any]:
    """Count sends and note the count at each requirement's first Failure (idempotent)."""
    if _STATE:
        return _STATE
    from lambda_conformance.checks.failure import Failure
    from lambda_conformance.transport.client import Client

    lock = threading.Lock()
    state = _STATE
    state.update({"sent": 0, "first": {}, "first_seconds": {}, "t0": time.monotonic()})
    original_send = Client.send
    original_init = Failure.__init__

    def send(self: Client, request: Any, **kwargs: Any) -> Any:
        exchange = original_send(self, request, **kwargs)
        if exchange.problem is None or exchange.problem.kind != "stopped":
            with lock:
                state["sent"] += 1
        return exchange

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        with lock:
            if self.requirement_id not in state["first"]:
                state["first"][self.requirement_id] = state["sent"]
                state["first_seconds"][self.requirement_id] = round(
                    time.monotonic() - state["t0"], 3
                )

    Client.send = send  # type: ignore[method-assign]
    Failure.__init__ = init  # type: ignore[method-assign]
    return state


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    latency = session.config.getoption("bench_latency", None)
    if latency and _LATENCY:
        Path(latency).write_text(json.dumps(_LATENCY), encoding="utf-8")
    path = session.config.getoption("bench_trace", None)
    if not path or not _STATE:
        return
    state = _STATE
    Path(path).write_text(
        json.dumps(
            {
                "sent": state["sent"],
                "first_failure_after_requests": state["first"],
                "first_failure_after_seconds": state["first_seconds"],
            }
        ),
        encoding="utf-8",
    )
