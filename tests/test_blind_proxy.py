"""The blind proxy answers as each tested deviation intends; pass-through changes nothing.

Real servers on loopback (the reference target and the proxy), no mocks.
"""

from __future__ import annotations

import base64
import http.client
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

import pytest
import requests
import yaml

from lambda_conformance.reference.blind import DEVIATIONS, BlindTarget
from lambda_conformance.reference.blind.catalogue import PROFILES

ROOT = Path(__file__).resolve().parents[1]
INVOKE = "/2015-03-31/functions/{}/invocations"


def invoke(
    url: str,
    name: str,
    body: bytes = b"{}",
    qualifier: str | None = None,
    **headers: str,
) -> requests.Response:
    params = {"Qualifier": qualifier} if qualifier is not None else None
    return requests.post(
        url + INVOKE.format(name), data=body, params=params, headers=headers, timeout=15
    )


@pytest.fixture(scope="module")
def passthrough() -> Iterator[str]:
    with BlindTarget("aws", None) as target:
        yield target.url


class Callbacks(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        Callbacks.received.append(json.loads(body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def listener() -> Iterator[str]:
    Callbacks.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Callbacks)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/beacon"
    finally:
        server.shutdown()
        server.server_close()


# --- the catalogue --------------------------------------------------------------------------
def test_catalogue_size_and_shape() -> None:
    deviations = [m for m in DEVIATIONS.values() if not m.control]
    controls = [m for m in DEVIATIONS.values() if m.control]
    assert len(deviations) >= 48
    assert len(controls) >= 6
    for mutant in deviations:
        assert any(mutant.violates[p] for p in PROFILES), mutant.name
    for mutant in controls:
        assert all(not mutant.violates[p] for p in PROFILES), mutant.name


def test_declared_ids_exist_in_the_spec() -> None:
    spec = yaml.safe_load((ROOT / "spec" / "invoke.yaml").read_text())
    known = {r["id"]: r for r in spec["requirements"]}
    for mutant in DEVIATIONS.values():
        for profile, ids in mutant.violates.items():
            for rid in ids:
                assert rid in known, (mutant.name, rid)
                scoped = known[rid].get("profiles")
                assert scoped is None or profile in scoped, (mutant.name, profile, rid)


# --- pass-through ---------------------------------------------------------------------------
def test_pass_through_forwards_invoke(passthrough: str) -> None:
    answer = invoke(passthrough, "conformance-echo", b'{"a": [1, "\\u00e9"]}')
    assert answer.status_code == 200
    assert answer.json() == {"a": [1, "é"]}
    assert answer.headers["X-Amz-Executed-Version"] == "$LATEST"
    missing = invoke(passthrough, "conformance-nope")
    assert missing.status_code == 404
    assert missing.headers["x-amzn-ErrorType"] == "ResourceNotFoundException"


def test_pass_through_forwards_the_control_plane(passthrough: str) -> None:
    concurrency = passthrough + "/2017-10-31/functions/conformance-throttled/concurrency"
    put = requests.put(concurrency, json={"ReservedConcurrentExecutions": 0}, timeout=10)
    try:
        assert put.status_code == 200
        throttled = invoke(passthrough, "conformance-throttled")
        assert throttled.status_code == 429
        assert throttled.json()["Reason"] == "ReservedFunctionConcurrentInvocationLimitExceeded"
    finally:
        requests.delete(concurrency, timeout=10)
    assert invoke(passthrough, "conformance-throttled").status_code == 200


def test_pass_through_keeps_log_tail_and_qualifier(passthrough: str) -> None:
    answer = invoke(passthrough, "conformance-introspect", qualifier="live")
    assert answer.headers["X-Amz-Executed-Version"] == "1"
    logged = invoke(passthrough, "conformance-log", b'{"lines": 2}', **{"X-Amz-Log-Type": "Tail"})
    tail = base64.b64decode(logged.headers["X-Amz-Log-Result"]).decode()
    assert "L000001:" in tail and "REPORT RequestId:" in tail


# --- deviations -------------------------------------------------------------------------------
def test_event_status_200() -> None:
    with BlindTarget("aws", "event-status-200") as target:
        answer = invoke(target.url, "conformance-echo", **{"X-Amz-Invocation-Type": "Event"})
        assert answer.status_code == 200
        assert answer.content == b""


def test_not_found_status_400() -> None:
    with BlindTarget("documented", "not-found-status-400") as target:
        answer = invoke(target.url, "conformance-nope")
        assert answer.status_code == 400
        assert answer.headers["x-amzn-ErrorType"] == "ResourceNotFoundException"


def test_qualifier_pattern_not_validated_answers_404() -> None:
    with BlindTarget("aws", "qualifier-pattern-not-validated") as target:
        answer = invoke(target.url, "conformance-echo", qualifier="invalid!")
        assert answer.status_code == 404
        assert answer.json()["Message"].endswith(":conformance-echo:invalid!")


def test_log_result_not_base64() -> None:
    with BlindTarget("aws", "log-result-not-base64") as target:
        answer = invoke(target.url, "conformance-log", b"{}", **{"X-Amz-Log-Type": "Tail"})
        assert answer.headers["X-Amz-Log-Result"].startswith("START RequestId: ")


def test_client_context_dropped() -> None:
    context = base64.b64encode(json.dumps({"custom": {"k": "v"}}).encode()).decode()
    with BlindTarget("aws", "client-context-dropped") as target:
        answer = invoke(target.url, "conformance-introspect", **{"X-Amz-Client-Context": context})
        assert answer.status_code == 200
        assert answer.json()["client_context"] is None


def test_event_no_retry_shows_one_execution(listener: str) -> None:
    with BlindTarget("aws", "event-no-retry") as target:
        body = json.dumps({"callback_url": listener, "fail": True, "tag": 7}).encode()
        answer = invoke(
            target.url, "conformance-beacon", body, **{"X-Amz-Invocation-Type": "Event"}
        )
        assert answer.status_code == 202
        time.sleep(2.0)  # the reference retries after 0.2 s and 0.4 s
    assert len(Callbacks.received) == 1
    record = Callbacks.received[0]
    assert record["request_id"] == answer.headers["x-amzn-RequestId"]
    # The suite sees its own callback_url, not the proxy's relay address.
    assert record["event"] == {"callback_url": listener, "fail": True, "tag": 7}


def test_connection_reset_on_oversized() -> None:
    with BlindTarget("aws", "connection-reset-on-oversized") as target:
        with pytest.raises(requests.ConnectionError):
            invoke(target.url, "conformance-echo", b'"' + b"x" * 6_300_000 + b'"')


# --- controls ---------------------------------------------------------------------------------
def test_control_chunked_encoding_keeps_the_body() -> None:
    with BlindTarget("documented", "control-chunked-encoding") as target:
        parts = urlsplit(target.url)
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
        try:
            connection.request("POST", INVOKE.format("conformance-echo"), body=b'{"k": 1}')
            answer = connection.getresponse()
            assert answer.getheader("Transfer-Encoding") == "chunked"
            assert answer.getheader("Content-Length") is None
            assert json.loads(answer.read()) == {"k": 1}
        finally:
            connection.close()


def test_control_lowercase_header_names() -> None:
    with BlindTarget("aws", "control-lowercase-header-names") as target:
        parts = urlsplit(target.url)
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
        try:
            connection.request("POST", INVOKE.format("conformance-echo"), body=b"{}")
            answer = connection.getresponse()
            answer.read()
            names = [name for name, _ in answer.getheaders()]
        finally:
            connection.close()
    assert "x-amz-executed-version" in names
    assert "X-Amz-Executed-Version" not in names


# --- the runner's table -----------------------------------------------------------------------
def test_runner_table_snapshot() -> None:
    from lambda_conformance.reference.blind.run import Outcome, table

    outcomes = [
        Outcome("aws", "pass-through", True, [], score=1.0, seconds=12.0),
        Outcome("aws", "event-status-200", False, ["INV-TYPE-003"], ["INV-TYPE-003"], score=0.9),
        Outcome("aws", "log-tail-ignored", False, ["INV-LOG-001"], [], score=1.0),
        Outcome("aws", "bare-name-64-not-enforced", False, [], [], score=1.0),
    ]
    assert table(outcomes).splitlines()[6:14] == [
        "Deviations under this profile: 2; detected 1, attributed 1. Controls (incl. "
        "pass-through): 1, flagged 0. Entries that are no deviation here: 1, flagged 0.",
        "",
        "| profile | name | control? | declared IDs | IDs the suite failed | detected | "
        "attributed | score | s |",
        "|---|---|---|---|---|---|---|---|---|",
        "| aws | pass-through | yes | - | - | no | - | 1.0000 | 12.0 |",
        "| aws | event-status-200 | no | INV-TYPE-003 | INV-TYPE-003 | yes | yes | 0.9000 | 0.0 |",
        "| aws | log-tail-ignored | no | INV-LOG-001 | - | no | no | 1.0000 | 0.0 |",
        "| aws | bare-name-64-not-enforced | no | - | - | no | - | 1.0000 | 0.0 |",
    ]


def test_schedule_runs_every_deviation_before_second_profiles() -> None:
    from lambda_conformance.reference.blind.catalogue import PASS_THROUGH
    from lambda_conformance.reference.blind.run import schedule

    jobs = schedule([PASS_THROUGH, *DEVIATIONS.values()], list(PROFILES))
    judged = sum(1 for m in DEVIATIONS.values() for p in PROFILES if m.control or m.violates[p])
    controls = sum(m.control for m in DEVIATIONS.values())
    first_pass = jobs[: 2 * controls + 2 + len(DEVIATIONS) - controls]
    assert len(jobs) == 2 * (len(DEVIATIONS) + 1)
    assert {m.name for _, m in first_pass} >= {m.name for m in DEVIATIONS.values()}
    assert all(m.control or m.violates[p] for p, m in jobs[: judged + 2])
