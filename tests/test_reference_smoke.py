"""Plain-HTTP smoke test of the reference target, row by row from aws-observed.md (no suite)."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import boto3
import pytest
import requests

from lambda_conformance.reference import ReferenceTarget

TIMEOUT = 15
REGION = "us-east-1"
ACCOUNT = "000000000000"
ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function"
ECHO = "conformance-echo"
INTROSPECT = "conformance-introspect"
PARSE_PREFIX = "Could not parse request body into json: Could not parse payload into json: "
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"


@pytest.fixture(scope="module")
def target() -> Iterator[ReferenceTarget]:
    # GT-040 was recorded with Timeout=1; a 1 s sleep timeout keeps the row quick.
    with ReferenceTarget(profile="aws", timeouts={"sleep": 1.0}) as running:
        yield running


@pytest.fixture(scope="module")
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


def invoke(
    http: requests.Session,
    target: ReferenceTarget,
    name: str,
    body: bytes | None = None,
    qualifier: str | None = None,
    headers: dict[str, str] | None = None,
) -> requests.Response:
    url = f"{target.url}/2015-03-31/functions/{quote(name, safe='')}/invocations"
    params = {"Qualifier": qualifier} if qualifier is not None else None
    return http.post(url, data=body, params=params, headers=headers or {}, timeout=TIMEOUT)


def assert_error(
    response: requests.Response,
    status: int,
    error_type: str,
    message_key: str,
    message: str | re.Pattern[str],
) -> dict[str, Any]:
    __tracebackhide__ = True
    assert response.status_code == status, response.text
    assert response.headers["x-amzn-ErrorType"] == error_type
    assert response.headers["Content-Type"] == "application/json"
    assert re.fullmatch(UUID, response.headers["x-amzn-RequestId"])
    body: dict[str, Any] = response.json()
    assert body["Type"] == "User"
    text = body[message_key]
    if isinstance(message, str):
        assert text == message
    else:
        assert message.match(text), text
    return body


def assert_ok(response: requests.Response, version: str = "$LATEST") -> Any:
    __tracebackhide__ = True
    assert response.status_code == 200, response.text
    assert response.headers["X-Amz-Executed-Version"] == version
    assert response.headers["Content-Type"] == "application/json"
    assert "X-Amz-Function-Error" not in response.headers
    assert "X-Amz-Log-Result" not in response.headers
    return response.json()


@dataclass(frozen=True)
class Row:
    gt: str
    check: Callable[[requests.Session, ReferenceTarget], None]
    marks: tuple[Any, ...] = field(default=())


def validation_message(value: str, member: str, rule: str) -> re.Pattern[str]:
    return re.compile(
        re.escape(
            f"1 validation error detected: Value '{value}' at '{member}' "
            f"failed to satisfy constraint: Member must {rule}"
        )
    )


def gt001(http: requests.Session, target: ReferenceTarget) -> None:
    r = invoke(http, target, "my-function!")
    assert_error(
        r,
        400,
        "ValidationException",
        "message",
        validation_message(
            "my-function!", "functionName", "satisfy regular expression pattern: (arn:"
        ),
    )


def gt003(http: requests.Session, target: ReferenceTarget) -> None:
    r = invoke(http, target, "my-function", qualifier="invalid!")
    assert_error(
        r,
        400,
        "ValidationException",
        "message",
        validation_message(
            "invalid!",
            "qualifier",
            r"satisfy regular expression pattern: \$(LATEST(\.PUBLISHED)?)|",
        ),
    )


def gt004(http: requests.Session, target: ReferenceTarget) -> None:
    r = invoke(http, target, "my-function", qualifier="a" * 129)
    assert_error(
        r,
        400,
        "ValidationException",
        "message",
        validation_message("a" * 129, "qualifier", "have length less than or equal to 128"),
    )


def gt008(http: requests.Session, target: ReferenceTarget) -> None:
    name = "a" * 65
    r = invoke(http, target, name)
    assert_error(
        r, 404, "ResourceNotFoundException", "Message", f"Function not found: {ARN}:{name}:$LATEST"
    )


def gt012(http: requests.Session, target: ReferenceTarget) -> None:
    r = invoke(http, target, ARN)
    assert_error(
        r,
        404,
        "ResourceNotFoundException",
        "Message",
        f"Function not found: {ARN}:function:$LATEST",
    )


def gt014(http: requests.Session, target: ReferenceTarget) -> None:
    r = invoke(http, target, f"{ARN}:my-function:$LATEST", qualifier="1")
    assert_error(
        r,
        400,
        "InvalidParameterValueException",
        "message",
        "The derived qualifier from the function name does not match the specified qualifier.",
    )
    # Equal qualifiers are no conflict: the call falls through to the existence check.
    same = invoke(http, target, f"{ARN}:my-function:$LATEST", qualifier="$LATEST")
    assert same.status_code == 404


def gt015(http: requests.Session, target: ReferenceTarget) -> None:
    r = invoke(http, target, f"{ARN}:{ECHO}", qualifier="$latest")
    assert_error(
        r, 404, "ResourceNotFoundException", "Message", f"Function not found: {ARN}:{ECHO}:$latest"
    )


def gt020(http: requests.Session, target: ReferenceTarget) -> None:
    r = invoke(http, target, f"arn:aws:lambda:eu-central-1:{ACCOUNT}:function:{ECHO}", b"{}")
    assert_error(
        r,
        404,
        "ResourceNotFoundException",
        "Message",
        "Functions from 'eu-central-1' are not reachable in this region ('us-east-1')",
    )


def gt021(http: requests.Session, target: ReferenceTarget) -> None:
    r = invoke(http, target, "doesnotexist")
    assert_error(
        r,
        404,
        "ResourceNotFoundException",
        "Message",
        f"Function not found: {ARN}:doesnotexist:$LATEST",
    )


def gt022(http: requests.Session, target: ReferenceTarget) -> None:
    r = invoke(http, target, ECHO, b"{}", qualifier="non-existent-alias")
    assert_error(
        r,
        404,
        "ResourceNotFoundException",
        "Message",
        f"Function not found: {ARN}:{ECHO}:non-existent-alias",
    )


def gt024(http: requests.Session, target: ReferenceTarget) -> None:
    r = invoke(http, target, ECHO, b"{}", headers={"X-Amz-Invocation-Type": "RequestResponse"})
    assert assert_ok(r) == {}


def gt025(http: requests.Session, target: ReferenceTarget) -> None:
    r = invoke(http, target, ECHO, b"{}", headers={"X-Amz-Log-Type": "Tail"})
    assert r.status_code == 200 and r.json() == {}
    request_id = r.headers["x-amzn-RequestId"]
    log = base64.b64decode(r.headers["X-Amz-Log-Result"], validate=True).decode()
    assert re.fullmatch(
        rf"START RequestId: {request_id} Version: \$LATEST\n"
        rf"(.*\n)?END RequestId: {request_id}\n"
        rf"REPORT RequestId: {request_id}\tDuration: [0-9.]+ ms\tBilled Duration: [0-9]+ ms\t"
        rf"Memory Size: 128 MB\tMax Memory Used: [0-9]+ MB\t\n",
        log,
        re.DOTALL,
    ), log


def gt026(http: requests.Session, target: ReferenceTarget) -> None:
    assert assert_ok(invoke(http, target, ECHO)) == {}


def gt027(http: requests.Session, target: ReferenceTarget) -> None:
    for value in (True, False, [1, 2], 1, "x", {"hello": "'\" \u00e9 \U0001f973"}):
        r = invoke(http, target, ECHO, json.dumps(value).encode())
        assert assert_ok(r) == value


def gt028(http: requests.Session, target: ReferenceTarget) -> None:
    r = invoke(http, target, ECHO, b"null")  # echo returns None
    assert r.status_code == 200 and r.content == b"null"
    assert r.headers["X-Amz-Executed-Version"] == "$LATEST"


def gt029(http: requests.Session, target: ReferenceTarget) -> None:
    r = invoke(http, target, ECHO, b"{}", headers={"X-Amz-Invocation-Type": "Event"})
    assert r.status_code == 202 and r.content == b""
    assert "X-Amz-Executed-Version" not in r.headers
    assert re.fullmatch(UUID, r.headers["x-amzn-RequestId"])


def gt030(http: requests.Session, target: ReferenceTarget) -> None:
    r = invoke(http, target, ECHO, b"{}", headers={"X-Amz-Invocation-Type": "DryRun"})
    assert r.status_code == 204 and r.content == b""


def gt031(http: requests.Session, target: ReferenceTarget) -> None:
    r = invoke(
        http,
        target,
        INTROSPECT,
        b'{"foo": "bar with \'quotes\\""}',
        qualifier="1",
        headers={"X-Amz-Log-Type": "Tail"},
    )
    assert r.status_code == 200 and r.headers["X-Amz-Executed-Version"] == "1"
    context = r.json()
    assert context["invoked_function_arn"] == f"{ARN}:{INTROSPECT}:1"
    assert context["function_version"] == "1" and context["client_context"] is None
    log = base64.b64decode(r.headers["X-Amz-Log-Result"]).decode()
    assert log.startswith(f"START RequestId: {r.headers['x-amzn-RequestId']} Version: 1\n")


def gt032(http: requests.Session, target: ReferenceTarget) -> None:
    context = assert_ok(invoke(http, target, INTROSPECT, qualifier="live"), version="1")
    assert context["invoked_function_arn"] == f"{ARN}:{INTROSPECT}:live"
    assert context["function_version"] == "1"


def gt033(http: requests.Session, target: ReferenceTarget) -> None:
    r = invoke(http, target, f"{ARN}:{INTROSPECT}:live")
    context = assert_ok(r, version="1")
    assert context["invoked_function_arn"] == f"{ARN}:{INTROSPECT}:live"
    assert context["function_version"] == "1"
    assert context["aws_request_id"] == r.headers["x-amzn-RequestId"]  # GT-057
    # GT-035: unqualified name, unqualified ARN.
    plain = assert_ok(invoke(http, target, INTROSPECT))
    assert plain["invoked_function_arn"] == f"{ARN}:{INTROSPECT}"


def gt037(http: requests.Session, target: ReferenceTarget) -> None:
    r = invoke(http, target, "conformance-fail", b'{"message": "Handler fails"}')
    assert r.status_code == 200
    assert r.headers["X-Amz-Function-Error"] == "Unhandled"
    assert r.headers["X-Amz-Executed-Version"] == "$LATEST"
    body = r.json()
    assert list(body) == ["errorMessage", "errorType", "requestId", "stackTrace"]
    assert body["errorMessage"] == "Handler fails"
    assert body["errorType"] == "ConformanceFixtureError"
    assert body["requestId"] == r.headers["x-amzn-RequestId"]
    assert body["stackTrace"] and all(isinstance(line, str) for line in body["stackTrace"])


def gt040(http: requests.Session, target: ReferenceTarget) -> None:
    r = invoke(http, target, "conformance-sleep", b'{"seconds": 3}')
    assert r.status_code == 200 and r.headers["X-Amz-Function-Error"] == "Unhandled"
    assert r.json() == {
        "errorType": "Sandbox.Timedout",
        "errorMessage": f"RequestId: {r.headers['x-amzn-RequestId']} Error: "
        "Task timed out after 1.00 seconds",
    }
    assert assert_ok(invoke(http, target, "conformance-sleep", b'{"seconds": 0}')) == {"slept": 0}


def gt043(http: requests.Session, target: ReferenceTarget) -> None:
    for _ in range(2):  # the environment is not poisoned: the second call behaves the same
        r = invoke(
            http, target, "conformance-large", json.dumps({"bytes": 7 * 1024 * 1024}).encode()
        )
        assert r.status_code == 200 and r.headers["X-Amz-Function-Error"] == "Unhandled"
        assert r.json() == {
            "errorMessage": "Response payload size exceeded maximum allowed payload size "
            "(6291556 bytes).",
            "errorType": "Function.ResponseSizeTooLarge",
        }
    # GT-044: a result just under the limit comes back intact.
    r = invoke(http, target, "conformance-large", json.dumps({"bytes": 6 * 1024 * 1024}).encode())
    assert len(assert_ok(r)) == 6 * 1024 * 1024


def gt045(http: requests.Session, target: ReferenceTarget) -> None:
    r = invoke(http, target, ECHO, b"n\x87r\x9e\xe9\xb5\xd7I\xee\x9bmt")
    assert_error(
        r,
        400,
        "InvalidRequestContentException",
        "message",
        re.compile(re.escape(PARSE_PREFIX + "Invalid UTF-8 start byte 0x87")),
    )


def gt047(http: requests.Session, target: ReferenceTarget) -> None:
    r = invoke(http, target, ECHO, b"test data")
    assert_error(
        r,
        400,
        "InvalidRequestContentException",
        "message",
        re.compile(re.escape(PARSE_PREFIX + "Unrecognized token 'test'")),
    )


def gt048(http: requests.Session, target: ReferenceTarget) -> None:
    limit = 6291456
    r = invoke(http, target, ECHO, b'"' + b"x" * (limit - 1) + b'"')
    assert_error(
        r,
        413,
        "RequestEntityTooLargeException",
        "Message",
        f"Request must be smaller than {limit} bytes for the InvokeFunction operation",
    )
    # Exactly at the limit is accepted, and the connection still works after a 413.
    r = invoke(http, target, ECHO, b'"' + b"x" * (limit - 2) + b'"')
    assert r.status_code == 200 and len(r.content) == limit
    # GT-049: the Event limit, 1 MiB under the aws profile.
    event = {"X-Amz-Invocation-Type": "Event"}
    r = invoke(http, target, ECHO, b'"' + b"x" * (1048576 - 1) + b'"', headers=event)
    assert_error(
        r,
        413,
        "RequestEntityTooLargeException",
        "Message",
        "1048577 byte payload is too large for the Event invocation type (limit 1048576 bytes)",
    )
    assert (
        invoke(http, target, ECHO, b'"' + b"x" * (1048576 - 2) + b'"', headers=event).status_code
        == 202
    )


def gt050(http: requests.Session, target: ReferenceTarget) -> None:
    client = boto3.client(
        "lambda",
        endpoint_url=target.url,
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    client.put_function_concurrency(FunctionName=ECHO, ReservedConcurrentExecutions=0)
    try:
        assert (
            client.get_function_concurrency(FunctionName=ECHO)["ReservedConcurrentExecutions"] == 0
        )
        r = invoke(http, target, f"{ARN}:{ECHO}:$LATEST", b"{}")
        assert r.status_code == 429 and r.headers["x-amzn-ErrorType"] == "TooManyRequestsException"
        assert r.json() == {
            "Type": "User",
            "message": "Rate Exceeded.",
            "Reason": "ReservedFunctionConcurrentInvocationLimitExceeded",
        }
        assert "Retry-After" not in r.headers
        # GT-051: an Event invocation is still accepted.
        assert (
            invoke(
                http, target, ECHO, b"{}", headers={"X-Amz-Invocation-Type": "Event"}
            ).status_code
            == 202
        )
    finally:
        client.delete_function_concurrency(FunctionName=ECHO)
    assert invoke(http, target, ECHO, b"{}").status_code == 200


ROWS = [
    Row(f"GT-{name[2:]}", check)
    for name, check in sorted(globals().items())
    if re.fullmatch(r"gt\d{3}", name) and callable(check)
]


@pytest.mark.parametrize("row", ROWS, ids=[row.gt for row in ROWS])
def test_aws_observed_row(row: Row, http: requests.Session, target: ReferenceTarget) -> None:
    row.check(http, target)


# --- the documented profile -----------------------------------------------------------
@pytest.fixture(scope="module")
def documented() -> Iterator[ReferenceTarget]:
    with ReferenceTarget(profile="documented") as running:
        yield running


def test_documented_bare_name_over_64_is_a_constraint_error(
    http: requests.Session, documented: ReferenceTarget
) -> None:
    r = invoke(http, documented, "a" * 65)
    assert_error(
        r,
        400,
        "InvalidParameterValueException",
        "message",
        validation_message("a" * 65, "functionName", "have length less than or equal to 64"),
    )


def test_documented_234_char_arn_is_a_constraint_error(
    http: requests.Session, documented: ReferenceTarget
) -> None:
    name = f"arn:aws:lambda:invalid-region:{ACCOUNT}:function:my-function" + "a" * 170
    assert len(name) > 170
    r = invoke(http, documented, name)
    body = assert_error(
        r,
        400,
        "InvalidParameterValueException",
        "message",
        re.compile(r"2 validation errors detected: "),
    )
    assert "Member must have length less than or equal to 170" in body["message"]
    assert "Member must satisfy regular expression pattern" in body["message"]


def test_documented_event_limit_is_256_kib(
    http: requests.Session, documented: ReferenceTarget
) -> None:
    event = {"X-Amz-Invocation-Type": "Event"}
    over = invoke(http, documented, ECHO, b'"' + b"x" * 262143 + b'"', headers=event)
    assert (
        over.status_code == 413 and over.headers["x-amzn-ErrorType"] == "RequestTooLargeException"
    )
    assert over.json()["message"].startswith("262145 byte payload is too large")
    assert (
        invoke(http, documented, ECHO, b'"' + b"x" * 262142 + b'"', headers=event).status_code
        == 202
    )


def test_every_response_has_a_request_id_even_unknown_operations(
    http: requests.Session, target: ReferenceTarget
) -> None:
    r = http.get(f"{target.url}/no/such/operation", timeout=TIMEOUT)
    assert r.status_code == 404 and re.fullmatch(UUID, r.headers["x-amzn-RequestId"])
    assert r.headers["Content-Type"] == "application/json"
