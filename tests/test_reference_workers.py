"""Reference target internals: warm workers, timeouts, concurrency, cleanup, mutants by name."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from lambda_conformance.reference import ReferenceTarget

TIMEOUT = 15
ECHO = "conformance-echo"
SLEEP = "conformance-sleep"


@pytest.fixture(scope="module")
def target() -> Iterator[ReferenceTarget]:
    with ReferenceTarget(profile="aws", timeouts={"sleep": 0.5}) as running:
        yield running


def invoke(
    target: ReferenceTarget, name: str, body: bytes = b"{}", headers: dict[str, str] | None = None
) -> requests.Response:
    return requests.post(
        f"{target.url}/2015-03-31/functions/{name}/invocations",
        data=body,
        headers=headers or {},
        timeout=TIMEOUT,
    )


def alive(pid: int) -> bool:
    """True while `pid` exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def children() -> set[int]:
    """Pids of this process's live children."""
    found: set[int] = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == os.getpid() and fields[0] != "Z":
                found.add(int(entry))
    return found


def test_warm_workers_are_reused(target: ReferenceTarget) -> None:
    with requests.Session() as http:
        url = f"{target.url}/2015-03-31/functions/{ECHO}/invocations"
        for i in range(3):  # warm up
            assert http.post(url, json={"i": i}, timeout=TIMEOUT).status_code == 200
        spawned = target.workers_spawned()["echo"]
        pids = target.worker_pids()["echo"]
        for i in range(30):
            r = http.post(url, json={"i": i}, timeout=TIMEOUT)
            assert r.status_code == 200 and r.json() == {"i": i}
    assert target.worker_pids()["echo"] == pids
    assert target.workers_spawned()["echo"] == spawned
    assert len(pids) == 1 and alive(pids[0])


def test_timeout_kills_and_replaces_the_worker(target: ReferenceTarget) -> None:
    assert invoke(target, SLEEP, b'{"seconds": 0}').status_code == 200
    before = target.worker_pids()["sleep"]
    started = time.monotonic()
    r = invoke(target, SLEEP, b'{"seconds": 5}')
    assert time.monotonic() - started < 3
    assert r.status_code == 200 and r.json()["errorType"] == "Sandbox.Timedout"
    after = target.worker_pids()["sleep"]
    assert after and not set(after) & set(before)
    assert not any(alive(pid) for pid in before)
    # The replacement is warm and works.
    assert invoke(target, SLEEP, b'{"seconds": 0}').json() == {"slept": 0}


def test_concurrent_invocations_run_in_parallel(target: ReferenceTarget) -> None:
    results: list[object] = []

    def call() -> None:
        results.append(invoke(target, SLEEP, b'{"seconds": 0.3}').json())

    threads = [threading.Thread(target=call) for _ in range(4)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    # Four 0.3 s sleeps back to back would take 1.2 s; a grown pool runs them side by side.
    # New workers' start-up does not count against the 0.5 s timeout: all four succeed.
    assert results == [{"slept": 0.3}] * 4
    assert time.monotonic() - started < 1.1
    assert len(target.worker_pids()["sleep"]) >= 2


def test_concurrent_echo_keeps_payloads_apart(target: ReferenceTarget) -> None:
    errors: list[str] = []

    def call(worker: int) -> None:
        with requests.Session() as http:
            url = f"{target.url}/2015-03-31/functions/{ECHO}/invocations"
            for i in range(25):
                r = http.post(url, json={"w": worker, "i": i}, timeout=TIMEOUT)
                if r.json() != {"w": worker, "i": i}:
                    errors.append(r.text)

    threads = [threading.Thread(target=call, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert errors == []


def test_stop_leaves_no_worker_processes() -> None:
    before = children()
    target = ReferenceTarget(profile="aws", timeouts={"sleep": 5})
    target.start()
    busy = threading.Thread(target=lambda: invoke(target, SLEEP, b'{"seconds": 3}'))
    busy.start()
    assert invoke(target, ECHO).status_code == 200
    time.sleep(0.2)
    pids = {pid for group in target.worker_pids().values() for pid in group}
    assert len(pids) >= 7 and pids <= children()
    target.stop()  # with the sleep invocation still running
    busy.join(TIMEOUT)
    assert not any(alive(pid) for pid in pids)
    assert children() <= before


@pytest.mark.parametrize(
    ("mutant", "request_kwargs", "reference", "deviant"),
    [
        ("event-200", {"headers": {"X-Amz-Invocation-Type": "Event"}}, 202, 200),
        ("not-found-400", {"name": "conformance-absent"}, 404, 400),
        ("function-error-handled", {"name": "conformance-fail"}, "Unhandled", "Handled"),
    ],
)
def test_a_mutant_changes_its_one_behaviour(
    mutant: str, request_kwargs: dict[str, object], reference: object, deviant: object
) -> None:
    def observe(t: ReferenceTarget) -> tuple[object, int]:
        name = str(request_kwargs.get("name", ECHO))
        headers = request_kwargs.get("headers")
        r = invoke(t, name, headers=headers if isinstance(headers, dict) else None)
        seen = (
            r.headers.get("X-Amz-Function-Error")
            if mutant == "function-error-handled"
            else r.status_code
        )
        # Everything else stays as the reference answers: a plain echo still works.
        return seen, invoke(t, ECHO, b'{"k": 1}').status_code

    with ReferenceTarget(profile="aws") as plain:
        assert observe(plain) == (reference, 200)
    with ReferenceTarget(profile="aws", mutant=mutant) as changed:
        assert observe(changed) == (deviant, 200)


def test_unknown_mutant_is_refused_with_the_known_names() -> None:
    with pytest.raises(ValueError, match=r"unknown mutant 'nope'; known: .*event-200"):
        ReferenceTarget(mutant="nope")
