"""Reference target: Event invocations run in the background and are retried (GT-051, GT-056)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

from lambda_conformance.reference import ReferenceTarget

TIMEOUT = 15
BEACON = "conformance-beacon"
DELAYS = (0.05, 0.05)


class Listener:
    """Collects the beacon's callbacks: one JSON body per execution."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with listener._lock:
                    listener.calls.append(json.loads(body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/callback"

    def for_request(self, request_id: str) -> list[dict[str, Any]]:
        with self._lock:
            return [c for c in self.calls if c["request_id"] == request_id]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    running = Listener()
    yield running
    running.close()


def beacon(
    target: ReferenceTarget, listener: Listener, invocation_type: str, fail: bool = False
) -> requests.Response:
    body = json.dumps({"callback_url": listener.url, "fail": fail}).encode()
    return requests.post(
        f"{target.url}/2015-03-31/functions/{BEACON}/invocations",
        data=body,
        headers={"X-Amz-Invocation-Type": invocation_type},
        timeout=TIMEOUT,
    )


def attempts(target: ReferenceTarget, listener: Listener, response: requests.Response) -> int:
    assert target.wait_for_events(TIMEOUT)
    request_id = response.headers["x-amzn-RequestId"]
    return len(listener.for_request(request_id))


@pytest.fixture(scope="module")
def target() -> Iterator[ReferenceTarget]:
    with ReferenceTarget(profile="aws", async_retry_delays=DELAYS) as running:
        yield running


def test_event_runs_once_in_the_background(target: ReferenceTarget, listener: Listener) -> None:
    r = beacon(target, listener, "Event")
    assert r.status_code == 202
    assert attempts(target, listener, r) == 1


def test_failing_event_is_attempted_three_times_with_one_request_id(
    target: ReferenceTarget, listener: Listener
) -> None:
    r = beacon(target, listener, "Event", fail=True)
    assert r.status_code == 202
    assert attempts(target, listener, r) == 3


def test_event_answers_before_the_function_finishes(target: ReferenceTarget) -> None:
    started = time.monotonic()
    r = requests.post(
        f"{target.url}/2015-03-31/functions/conformance-sleep/invocations",
        data=b'{"seconds": 1}',
        headers={"X-Amz-Invocation-Type": "Event"},
        timeout=TIMEOUT,
    )
    assert r.status_code == 202 and time.monotonic() - started < 0.8


def test_dry_run_runs_nothing(target: ReferenceTarget, listener: Listener) -> None:
    r = beacon(target, listener, "DryRun")
    assert r.status_code == 204
    time.sleep(0.3)
    assert attempts(target, listener, r) == 0


def test_event_with_reserved_concurrency_zero_is_accepted_not_run(listener: Listener) -> None:
    with ReferenceTarget(reserved_concurrency={"beacon": 0}, async_retry_delays=DELAYS) as target:
        r = beacon(target, listener, "Event")
        assert r.status_code == 202
        assert attempts(target, listener, r) == 0
        assert beacon(target, listener, "RequestResponse").status_code == 429


@pytest.mark.parametrize(
    ("mutant", "invocation_type", "fail", "expected"),
    [
        ("event-retried-5", "Event", True, 5),
        ("event-no-retries", "Event", True, 1),
        ("dryrun-executes", "DryRun", False, 1),
        ("dryrun-queues", "DryRun", True, 3),
    ],
)
def test_async_mutants_run_the_function_as_declared(
    listener: Listener, mutant: str, invocation_type: str, fail: bool, expected: int
) -> None:
    with ReferenceTarget(mutant=mutant, async_retry_delays=DELAYS) as target:
        r = beacon(target, listener, invocation_type, fail=fail)
        assert r.status_code in (202, 204)
        assert attempts(target, listener, r) == expected
