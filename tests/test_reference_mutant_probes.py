"""Each mutant answers one probe differently from the reference, and a plain echo alike."""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Callable, Iterator
from urllib.parse import quote

import pytest
import requests
from botocore.eventstream import EventStreamBuffer, ParserError

from lambda_conformance.checks.beacon import BeaconListener
from lambda_conformance.reference import MUTANTS, ReferenceTarget

TIMEOUT = 15
ARN = "arn:aws:lambda:us-east-1:000000000000:function"
Probe = Callable[[ReferenceTarget], object]


INVOKE_PATH = "/2015-03-31/functions/{}/invocations"
STREAM_PATH = "/2021-11-15/functions/{}/response-streaming-invocations"


def call(
    t: ReferenceTarget,
    name: str = "conformance-echo",
    body: bytes | None = b"{}",
    qualifier: str | None = None,
    path: str = INVOKE_PATH,
    **headers: str,
) -> requests.Response:
    wire = {k.replace("_", "-"): v for k, v in headers.items()}
    params = {"Qualifier": qualifier} if qualifier is not None else None
    return requests.post(
        t.url + path.format(quote(name, safe="")),
        data=body,
        params=params,
        headers=wire,
        timeout=TIMEOUT,
    )


def status(**kwargs: object) -> Probe:
    return lambda t: call(t, **kwargs).status_code  # type: ignore[arg-type]


def header(wire_name: str, **kwargs: object) -> Probe:
    return lambda t: call(t, **kwargs).headers.get(wire_name)  # type: ignore[arg-type]


def body(**kwargs: object) -> Probe:
    return lambda t: call(t, **kwargs).content  # type: ignore[arg-type]


def log_tail(**kwargs: object) -> Probe:
    def probe(t: ReferenceTarget) -> object:
        value = call(t, **kwargs).headers.get("X-Amz-Log-Result")  # type: ignore[arg-type]
        try:
            return None if value is None else len(base64.b64decode(value, validate=True))
        except ValueError:
            return "not base64"

    return probe


def event_timing(t: ReferenceTarget) -> object:
    started = time.monotonic()
    call(t, "conformance-sleep", b'{"seconds": 0.6}', X_Amz_Invocation_Type="Event")
    return time.monotonic() - started > 0.5


def event_attempts(t: ReferenceTarget, name: str, invocation_type: str) -> object:
    before = t.event_attempts_run()
    call(t, name, X_Amz_Invocation_Type=invocation_type)
    assert t.wait_for_events(5)
    return t.event_attempts_run() - before


def throttle_body(t: ReferenceTarget) -> object:
    t.concurrency.put("conformance-echo", 0)
    try:
        return call(t).json()
    finally:
        t.concurrency.delete("conformance-echo")


def event_throttled(t: ReferenceTarget) -> object:
    t.concurrency.put("conformance-echo", 0)
    try:
        return call(t, X_Amz_Invocation_Type="Event").status_code
    finally:
        t.concurrency.delete("conformance-echo")


def start_line_version(t: ReferenceTarget) -> object:
    response = call(t, "conformance-introspect", qualifier="1", X_Amz_Log_Type="Tail")
    log = base64.b64decode(response.headers["X-Amz-Log-Result"])
    match = re.match(rb"START RequestId: \S+ Version: (\S+)", log)
    return match.group(1) if match else None


def event_request_id_matches(t: ReferenceTarget) -> object:
    listener = BeaconListener().start()
    try:
        token = listener.new_token()
        response = call(
            t,
            "conformance-beacon",
            json.dumps({"callback_url": listener.url(token)}).encode(),
            X_Amz_Invocation_Type="Event",
        )
        calls = listener.wait_for(token, 1, 5)
        return bool(calls) and calls[0].request_id == response.headers["x-amzn-RequestId"]
    finally:
        listener.stop()


def second_oversized_type(t: ReferenceTarget) -> object:
    call(t, "conformance-large", b'{"bytes": 6300000}')
    return call(t, "conformance-large", b'{"bytes": 6300000}').json()["errorType"]


def same_request_id(t: ReferenceTarget) -> object:
    response = call(t, "conformance-introspect")
    return response.json()["aws_request_id"] == response.headers["x-amzn-RequestId"]


def stream_call(
    t: ReferenceTarget,
    name: str = "conformance-echo",
    body: bytes = b"{}",
    qualifier: str | None = None,
    **headers: str,
) -> requests.Response:
    return call(t, name, body, qualifier, STREAM_PATH, **headers)


def stream_events(**kwargs: object) -> Probe:
    """The decoded messages as (event type, content type, payload), or the parse error."""

    def probe(t: ReferenceTarget) -> object:
        response = stream_call(t, **kwargs)  # type: ignore[arg-type]
        buffer = EventStreamBuffer()
        buffer.add_data(response.content)
        try:
            return [
                (m.headers.get(":event-type"), m.headers.get(":content-type"), m.payload)
                for m in buffer
            ]
        except ParserError as error:
            return type(error).__name__

    return probe


def stream_status(**kwargs: object) -> Probe:
    return lambda t: stream_call(t, **kwargs).status_code  # type: ignore[arg-type]


ECHO_TEXT = json.dumps({"text": "abcdefghijklmnopqrstuvwxyz"}).encode()
CC = base64.b64encode(json.dumps({"client": {"a": 1}, "custom": {}, "env": {}}).encode()).decode()
BIG_LOG = b'{"lines": 200, "width": 60}'

PROBES: dict[str, Probe] = {
    "event-200": status(X_Amz_Invocation_Type="Event"),
    "event-waits": event_timing,
    "dryrun-executes": lambda t: (
        call(
            t, "conformance-sleep", b'{"seconds": 0.6}', X_Amz_Invocation_Type="DryRun"
        ).elapsed.total_seconds()
        > 0.5
    ),
    "dryrun-queues": lambda t: event_attempts(t, "conformance-fail", "DryRun"),
    "no-function-error-header": header("X-Amz-Function-Error", name="conformance-fail"),
    "function-error-handled": header("X-Amz-Function-Error", name="conformance-fail"),
    "wrapped-error": lambda t: call(t, "conformance-fail").json()["errorType"],
    "function-error-500": status(name="conformance-fail"),
    "timeout-plain-text": header("Content-Type", name="conformance-sleep", body=b'{"seconds": 2}'),
    "oversized-response-413": status(name="conformance-large", body=b'{"bytes": 6300000}'),
    "executed-version-latest": header(
        "X-Amz-Executed-Version", name="conformance-introspect", qualifier="1"
    ),
    "executed-version-absent": header("X-Amz-Executed-Version"),
    "executed-version-alias": header(
        "X-Amz-Executed-Version", name="conformance-introspect", qualifier="live"
    ),
    "qualifier-ignored": header(
        "X-Amz-Executed-Version", name="conformance-introspect", qualifier="live"
    ),
    "unknown-alias-latest": status(qualifier="nope"),
    "qualifier-conflict-ignored": status(name="conformance-introspect:live", qualifier="1"),
    "unknown-function-500": status(name="conformance-absent"),
    "unknown-function-200": status(name="conformance-absent"),
    "not-found-400": status(name="conformance-absent"),
    "cross-region-runs-local": status(
        name="arn:aws:lambda:eu-west-1:000000000000:function:conformance-echo"
    ),
    "invalid-names-accepted": status(name="my-function!"),
    "long-names-accepted": status(name="a" * 257),
    "long-qualifiers-accepted": status(qualifier="a" * 129),
    "error-type-no-suffix": header("x-amzn-ErrorType", name="conformance-absent"),
    "error-body-no-type": lambda t: "Type" in call(t, "conformance-absent").json(),
    "message-key-case": lambda t: sorted(call(t, "conformance-absent").json()),
    "invalid-json-as-empty": status(body=b"test data"),
    "empty-body-rejected": status(body=None),
    "non-object-json-rejected": status(body=b"[1]"),
    "oversized-payload-accepted": status(body=b'"' + b"x" * 6291456 + b'"'),
    "oversized-payload-400": status(body=b'"' + b"x" * 6291456 + b'"'),
    "logresult-not-base64": log_tail(
        name="conformance-log", body=b'{"lines": 2}', X_Amz_Log_Type="Tail"
    ),
    "logresult-untrimmed": log_tail(name="conformance-log", body=BIG_LOG, X_Amz_Log_Type="Tail"),
    "logresult-without-tail": log_tail(name="conformance-log", body=b'{"lines": 2}'),
    "client-context-dropped": lambda t: call(
        t, "conformance-introspect", X_Amz_Client_Context=CC
    ).json()["client_context"],
    "bad-client-context-500": status(X_Amz_Client_Context="not base64!"),
    "throttle-no-reason": throttle_body,
    "event-no-retries": lambda t: event_attempts(t, "conformance-fail", "Event"),
    "event-retried-5": lambda t: event_attempts(t, "conformance-fail", "Event"),
    "sync-runs-twice": lambda t: (
        call(t, "conformance-sleep", b'{"seconds": 0.3}').elapsed.total_seconds() > 0.55
    ),
    # The probes' sleep timeout is 1 s: 0.7 s fits it, not its half.
    "timeout-early": header(
        "X-Amz-Function-Error", name="conformance-sleep", body=b'{"seconds": 0.7}'
    ),
    "event-executed-version": header("X-Amz-Executed-Version", X_Amz_Invocation_Type="Event"),
    "not-found-message": lambda t: call(t, "conformance-absent").json(),
    "validation-message": lambda t: call(t, "my-function!").json(),
    "validation-errors-not-combined": lambda t: call(
        t, "my-function!", qualifier="a" * 129
    ).json(),
    "invalid-json-message": lambda t: call(t, body=b"test data").json(),
    "error-body-type-sender": lambda t: call(t, "conformance-absent").json().get("Type"),
    "none-result-empty": body(body=b"null"),
    "log-start-latest": start_line_version,
    "event-new-request-id": event_request_id_matches,
    "event-throttled-429": event_throttled,
    "timeout-message-short": lambda t: (
        call(t, "conformance-sleep", b'{"seconds": 2}')
        .json()["errorMessage"]
        .startswith("RequestId: ")
    ),
    "oversized-poisons": second_oversized_type,
    "error-type-in-body-only": header("x-amzn-ErrorType", name="conformance-absent"),
    "partial-arn-unresolved": status(name="000000000000:function:conformance-echo"),
    "context-version-latest": lambda t: (
        call(t, "conformance-introspect", qualifier="1").json()["function_version"]
    ),
    "context-request-id-differs": same_request_id,
    "client-context-invalid-content": header(
        "x-amzn-ErrorType", name="conformance-introspect", X_Amz_Client_Context="%%%"
    ),
    "stream-no-default": stream_status(),
    "stream-dryrun-streams": stream_status(X_Amz_Invocation_Type="DryRun"),
    "stream-event-accepted": stream_status(X_Amz_Invocation_Type="Event"),
    "stream-bad-crc": stream_events(),
    "stream-unknown-event-type": stream_events(),
    "stream-truncated": stream_events(),
    "stream-complete-not-json": stream_events(),
    "stream-errors-plain-text": lambda t: stream_call(t, "conformance-absent").headers[
        "Content-Type"
    ],
    "stream-chunk-content-type": stream_events(),
    "stream-no-invoke-complete": stream_events(),
    "stream-chunks-reversed": stream_events(body=ECHO_TEXT),
    "stream-error-as-json": lambda t: stream_call(t, "conformance-fail").headers["Content-Type"],
    "stream-error-code-always": stream_events(),
    "stream-error-in-chunks": stream_events(name="conformance-fail"),
    "stream-no-log-result": lambda t: sorted(
        json.loads(
            stream_events(name="conformance-log", body=b'{"lines": 2}', X_Amz_Log_Type="Tail")(
                t
            )[-1][2]  # type: ignore[index]
        )
    ),
    "stream-executed-version-absent": lambda t: stream_call(t).headers.get(
        "X-Amz-Executed-Version"
    ),
    "stream-validation-in-stream": stream_status(name="my-function!"),
    "stream-not-found-500": stream_status(name="conformance-absent"),
    "stream-partial-arn-unresolved": stream_status(
        name="000000000000:function:conformance-echo"
    ),
}


@pytest.fixture(scope="module")
def reference() -> Iterator[ReferenceTarget]:
    with ReferenceTarget(timeouts={"sleep": 1.0}, async_retry_delays=(0.01, 0.01)) as running:
        yield running


def test_every_mutant_has_a_probe() -> None:
    assert set(PROBES) == set(MUTANTS)


@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_mutant_deviates_on_its_probe(name: str, reference: ReferenceTarget) -> None:
    probe = PROBES[name]
    expected = probe(reference)
    with ReferenceTarget(
        mutant=name, timeouts={"sleep": 1.0}, async_retry_delays=(0.01, 0.01)
    ) as mutant:
        assert probe(mutant) != expected
        echo = call(mutant, body=b'{"same": true}')
        assert (echo.status_code, echo.json()) == (200, {"same": True})
