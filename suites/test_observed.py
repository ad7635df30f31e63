"""The requests of the observed rows (aws-observed.md), sent as recorded and judged.

Each row's request goes out as the row gives it, with the fixture's names filled in;
the oracle says what the profile expects (a case it leaves open is not sent), the row's
requirement judges the status and error type, and under `aws` the message must begin
with the text the row states (INV-WIRE-008, errors.*.message_prefixes).
"""

from __future__ import annotations

import json
import re

import pytest

from lambda_conformance.checks.harness import Answer, Harness, SoftFailures
from lambda_conformance.checks.messages import error_message, expected_prefix, message_pattern
from lambda_conformance.generation.cases import InvokeCase
from lambda_conformance.generation.strategies import Strategies
from lambda_conformance.spec.encodings import strict_base64
from plugins.recording import Session

# (row, requirements judging its status and error type, the request)
ObservedRequest = tuple[str, tuple[str, ...], InvokeCase]


def observed_requests(target: Harness, strategies: Strategies) -> list[ObservedRequest]:
    """The rows' requests with this target's region, account and echo function."""
    world = target.world
    region, account = world.region, world.account
    echo = target.function("echo")
    echo_arn = f"arn:aws:lambda:{region}:{account}:function:{echo}"
    other_region = "eu-central-1" if region == "us-east-1" else "us-east-1"
    absent_arn = f"arn:aws:lambda:{region}:{account}:function:my-function"
    long_arn = f"arn:aws:lambda:invalid-region:{account}:function:my-function" + "a" * 170
    sync, event = target.spec.limits.sync_payload, target.spec.limits.async_payload
    case = InvokeCase
    return [
        ("GT-001", ("INV-NAME-002",), case("my-function!", body=b"{}")),
        ("GT-002", ("INV-NAME-002",), case("*", body=b"{}")),
        ("GT-003", ("INV-QUAL-005",), case("my-function", qualifier="invalid!", body=b"{}")),
        ("GT-004", ("INV-QUAL-006",), case("my-function", qualifier="a" * 129, body=b"{}")),
        ("GT-005", ("INV-NAME-002",), case("invalid-account:function:my-function", body=b"{}")),
        (
            "GT-006",
            ("INV-NAME-002",),
            case(f"arn:aws:lambda:invalid-region:{account}:function:my-function", body=b"{}"),
        ),
        (
            "GT-007",
            ("INV-NAME-002",),
            case(f"arn:aws:ec2:{region}:{account}:instance:i-1234567890abcdef0", body=b"{}"),
        ),
        ("GT-008", ("INV-NAME-004", "INV-NAME-006"), case("a" * 65, body=b"{}")),
        ("GT-009", ("INV-NAME-002",), case(long_arn, body=b"{}")),
        ("GT-010", ("INV-NAME-002", "INV-QUAL-006"), case(long_arn, qualifier="a" * 129)),
        ("GT-011", ("INV-NAME-002",), case(f"{absent_arn}:1:2", body=b"{}")),
        # Read as a partial ARN whose name is `function` (GT-012): looked up, not rejected.
        ("GT-012", ("INV-NAME-005",), case(f"arn:aws:lambda:{region}:{account}:function")),
        ("GT-013", ("INV-NAME-002",), case("function:my-function:$LATEST:extra", body=b"{}")),
        ("GT-014", ("INV-QUAL-008",), case(f"{absent_arn}:$LATEST", qualifier="1")),
        # The same qualifier both ways is no conflict: the lookup answers (GT-014).
        ("GT-014", ("INV-NAME-005",), case(f"{absent_arn}:$LATEST", qualifier="$LATEST")),
        ("GT-015", ("INV-QUAL-004",), case(echo_arn, qualifier="$latest", body=b"{}")),
        (
            "GT-016",
            ("INV-NAME-002",),
            case(f"arn:aws:lambda::{account}:function:my-function", body=b"{}"),
        ),
        ("GT-017", ("INV-NAME-002",), case(f"arn:aws:lambda:{region}::function:my-function")),
        ("GT-018", ("INV-NAME-002",), case(f"{absent_arn}:$LATES", body=b"{}")),
        (
            "GT-019",
            ("INV-NAME-002",),
            case(f"arn:aws:lambda:{region}:123400000000@function:myfn", body=b"{}"),
        ),
        (
            "GT-020",
            ("INV-NAME-007",),
            case(f"arn:aws:lambda:{other_region}:{account}:function:{echo}", body=b"{}"),
        ),
        ("GT-021", ("INV-NAME-005",), case("doesnotexist")),
        ("GT-022", ("INV-QUAL-004",), case(echo, qualifier="non-existent-alias", body=b"{}")),
        ("GT-023", ("INV-QUAL-004",), case(echo, qualifier="a" * 65, body=b"{}")),
        ("GT-045", ("INV-PAY-005",), case(echo, body=b"n\x87r\x9e\xe9\xb5\xd7I\xee\x9bmt")),
        ("GT-046", ("INV-PAY-005",), case(echo, body=b"\x99\xeb,j\x07\xa1zYh")),
        ("GT-047", ("INV-PAY-004",), case(echo, body=b"test data")),
        (
            "GT-048",
            ("INV-PAY-007",),
            case(echo, body=strategies.exact_json_string(sync.reject_from)),
        ),
        (
            "GT-049",
            ("INV-PAY-009",),
            case(
                echo, invocation_type="Event", body=strategies.exact_json_string(event.reject_from)
            ),
        ),
    ]


def judge_message(target: Harness, soft: SoftFailures, row: str, answer: Answer) -> None:
    """INV-WIRE-008 on an answer that has the expected status and error type."""
    expected = answer.expectation
    if answer.status != expected.status or answer.error_type not in expected.error_types:
        return  # the status and error type are the row's requirements' to judge
    stated = expected_prefix(target.spec, target.world, answer.case, expected)
    if stated is None:
        return
    template, prefix = stated
    message = error_message(answer.body)
    with soft:
        answer.check(
            "INV-WIRE-008",
            message is not None and prefix.match(message) is not None,
            title=f"Error message ({row})",
            expected=f"a message beginning {template!r}",
            received=f"message {message!r}",
        )


REQUIREMENTS = (
    "INV-WIRE-008",
    "INV-NAME-002",
    "INV-NAME-004",
    "INV-NAME-005",
    "INV-NAME-006",
    "INV-NAME-007",
    "INV-QUAL-004",
    "INV-QUAL-005",
    "INV-QUAL-006",
    "INV-QUAL-008",
    "INV-PAY-004",
    "INV-PAY-005",
    "INV-PAY-007",
    "INV-PAY-009",
)


# Rows whose request combines the violations of other rows (GT-010: GT-009's name, GT-004's
# qualifier). Their combined message is judged only when the target rejects each violation
# alone as the row expects: a target that misses one of them reports one error, and that
# miss is the other row's requirement to count, not the message's.
COMBINED_FROM: dict[str, tuple[str, ...]] = {"GT-010": ("GT-004", "GT-009")}


@pytest.mark.role("echo")
@pytest.mark.requirements(*REQUIREMENTS)
def test_observed_error_rows(target: Harness, strategies: Strategies) -> None:
    soft = SoftFailures()
    as_expected: dict[str, bool] = {}
    for row, requirements, case in observed_requests(target, strategies):
        if target.oracle.expect(case).outcome == "undetermined":
            continue  # the profile leaves this row's answer open (e.g. GT-014 as documented)
        with soft:
            answer = target.invoke(case)
            as_expected[row] = answer.as_expected
            if all(as_expected.get(w, False) for w in COMBINED_FROM.get(row, ())):
                judge_message(target, soft, row, answer)
            answer.conforms(*requirements)
    soft.raise_if_any()



@pytest.mark.role("echo")
@pytest.mark.requirements("INV-PAY-010")
def test_none_result_is_null(target: Harness) -> None:
    # echo returns its event, so a `null` payload makes the handler return None (GT-028).
    answer = target.invoke(InvokeCase(target.function("echo"), body=b"null"), function_fails=False)
    answer.conforms()
    if answer.status != 200:
        # The function never returned: whether `null` is accepted is INV-PAY-001's to judge.
        pytest.skip(f"the null payload was answered {answer.status}: the function did not run")
    answer.check(
        "INV-PAY-010",
        answer.body == b"null",
        title="Body of a None result",
        expected="the 4 bytes null",
        received=f"{answer.body[:100]!r}",
    )


def _judge_start_line(target: Harness, answer: Answer) -> None:
    """INV-LOG-007 on an answer whose log tail is the whole log; other faults (no tail,
    not base64, no request id) are other rules' to judge, and leave this one untested."""
    if answer.status != 200:
        pytest.skip(f"the invocation was answered {answer.status}: no log to read")
    encoded = answer.response_header("LogResult")
    decoded = strict_base64(encoded) if encoded is not None else None
    if decoded is None:
        pytest.skip("no readable log tail (INV-LOG-001 and INV-LOG-002 judge that)")
    if len(decoded) >= target.spec.limits.log_tail_bytes:
        pytest.skip("the log tail may not hold the whole log: its first line is not judged")
    request_id = answer.header("x-amzn-RequestId") or ""
    version = _version_that_ran(answer)
    # GT-025 and GT-031: `START RequestId: <id> Version: <version>` opens the log.
    pattern = rb"START RequestId: (\S+) Version: (\S+)"
    match = re.match(pattern, decoded)
    ok = (
        match is not None
        and match.group(2).decode() == version
        and (not request_id or match.group(1).decode() == request_id)
    )
    answer.check(
        "INV-LOG-007",
        ok,
        title="First line of the log",
        expected=f"START RequestId: {request_id or '<id>'} Version: {version}",
        received=f"{decoded[:120]!r}",
    )


def _version_that_ran(answer: Answer) -> str | None:
    """The version the answer's witnesses agree ran: the oracle's, the header's and the
    function's own context (introspect). Which version a qualifier selects, and whether
    the header or the context names it right, are INV-QUAL-*'s, INV-HDR-002's and
    INV-CTX-001's to judge: the log's line is judged against what the others agree on."""
    expected = answer.expectation.executed_version
    witnesses = [expected, answer.response_header("ExecutedVersion")]
    context = answer.json_object() or {}
    if isinstance(context.get("function_version"), str):
        witnesses.append(context["function_version"])
    named = [w for w in witnesses if w]
    agreed = [w for w in dict.fromkeys(named) if named.count(w) >= 2]
    return agreed[0] if len(agreed) == 1 else expected


@pytest.mark.role("log")
@pytest.mark.requirements("INV-LOG-007")
def test_log_tail_begins_with_the_start_line(target: Harness) -> None:
    answer = target.invoke(
        InvokeCase(target.function("log"), log_type="Tail", body=b'{"lines": 2, "width": 8}'),
        function_fails=False,
    )
    _judge_start_line(target, answer)


@pytest.mark.role("introspect")
@pytest.mark.requirements("INV-LOG-007")
def test_log_tail_of_a_version_names_it(target: Harness) -> None:
    function = target.function("introspect")
    versions = sorted(target.world.versions.get(function, ()))
    if not versions:
        pytest.skip("the introspect function has no published version")
    # GT-031: the START line names the published version that ran, not $LATEST.
    answer = target.invoke(
        InvokeCase(function, qualifier=versions[0], log_type="Tail", body=b"{}"),
        function_fails=False,
    )
    _judge_start_line(target, answer)


@pytest.mark.role("throttled")
@pytest.mark.requirements("INV-CONC-004", "INV-WIRE-008")
def test_throttled_function_accepts_events(target: Harness, lc_session: Session) -> None:
    if lc_session.control is None:
        pytest.skip(
            "the target offers no PutFunctionConcurrency (manifest without "
            "supports_concurrency_control)"
        )
    function = target.function("throttled")
    soft = SoftFailures()
    with lc_session.control.reserved_concurrency(function, 0):
        event = target.invoke(
            InvokeCase(function, invocation_type="Event", body=b"{}"), throttled=True
        )
        synchronous = target.invoke(InvokeCase(function, body=b"{}"), throttled=True)
    with soft:
        # GT-051: asynchronous throttling is never returned to the caller.
        event.conforms("INV-CONC-004")
    # GT-050: "Rate Exceeded." (the 429 itself is INV-CONC-001's, in test_concurrency).
    judge_message(target, soft, "GT-050", synchronous)
    soft.raise_if_any()


# The sleep fixture's timeout (fixture contract), as AWS prints it (GT-040: "1.00").
SLEEP_TIMEOUT = "3.00"


def _judge_function_error_message(
    answer: Answer, error_type: str | None, template: str | None, **values: str
) -> None:
    """INV-FERR-013 on a function error of the expected errorType; anything else (no
    function error, another type) is judged by INV-FERR-008..011 and leaves this untested."""
    error = answer.json_object()
    if template is None or error is None or error.get("errorType") != error_type:
        pytest.skip(f"no {error_type} function error to read ({answer.summary()[:100]})")
    message = error.get("errorMessage")
    answer.check(
        "INV-FERR-013",
        isinstance(message, str)
        and message_pattern(template, **values).fullmatch(message) is not None,
        title="Function error message",
        expected=template.format(request_id="<id>", **values),
        received=f"errorMessage {message!r}",
    )


@pytest.mark.role("sleep")
@pytest.mark.requirements("INV-FERR-013")
def test_timeout_message(target: Harness) -> None:
    conventions = target.spec.conventions
    answer = target.invoke(
        InvokeCase(target.function("sleep"), body=b'{"seconds": 6}'), function_fails=True
    )
    _judge_function_error_message(
        answer,
        conventions.timeout_error_type,
        conventions.timeout_error_message,
        timeout=SLEEP_TIMEOUT,
    )


@pytest.mark.role("large")
@pytest.mark.requirements("INV-FERR-014")
def test_oversized_result_leaves_the_function_usable(target: Harness) -> None:
    limit = target.spec.limits.response_payload_max_bytes
    case = InvokeCase(target.function("large"), body=json.dumps({"bytes": limit - 1}).encode())
    wire = target.spec.response_headers["FunctionError"].wire_name
    first = target.invoke(case, function_fails=True)
    first_type = _error_type(first)
    if first.status != 200 or first.response_header("FunctionError") is None or not first_type:
        pytest.skip("the first oversized result was no function error (INV-FERR-010's to judge)")
    # GT-043: "A second invoke behaves the same way (the environment is not poisoned)."
    second = target.invoke(case, function_fails=True)
    second_type = _error_type(second)
    second.check(
        "INV-FERR-014",
        second.status == 200
        and second.response_header("FunctionError") is not None
        and second_type == first_type,
        title="Second oversized result",
        expected=f"200 with {wire} and errorType {first_type!r}, as the first",
        received=f"{second.status} with {wire}: {second.response_header('FunctionError')}, "
        f"errorType {second_type!r}",
    )


def _error_type(answer: Answer) -> str | None:
    value = (answer.json_object() or {}).get("errorType")
    return value if isinstance(value, str) else None


@pytest.mark.role("large")
@pytest.mark.requirements("INV-FERR-013")
def test_oversized_result_message(target: Harness) -> None:
    conventions = target.spec.conventions
    limit = target.spec.limits.response_payload_max_bytes
    # `large` returns a JSON string of N characters: N + 2 bytes, one over the limit.
    answer = target.invoke(
        InvokeCase(target.function("large"), body=json.dumps({"bytes": limit - 1}).encode()),
        function_fails=True,
    )
    _judge_function_error_message(
        answer,
        conventions.response_too_large_error_type,
        conventions.response_too_large_error_message,
        limit=str(limit),
    )
