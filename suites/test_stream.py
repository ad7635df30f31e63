"""InvokeWithResponseStream: the result as an event stream, errors as Invoke's JSON errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from lambda_conformance.checks.harness import Harness, SoftFailures
from lambda_conformance.checks.stream import StreamReading, read_stream
from lambda_conformance.generation.cases import InvokeCase
from lambda_conformance.generation.strategies import Strategies
from lambda_conformance.spec.encodings import strict_base64
from lambda_conformance.spec.model import EventStream

OPERATION = "stream"
pytestmark = pytest.mark.operation(OPERATION)
# Long enough to be cut into several chunks, so that their order shows.
LETTERS = {"text": "abcdefghijklmnopqrstuvwxyz"}


@pytest.fixture
def stream(target: Harness) -> Harness:
    return target.for_operation(OPERATION)


@pytest.fixture
def stream_strategies(stream: Harness) -> Strategies:
    return Strategies(stream.spec, stream.world)


def _shape(harness: Harness) -> EventStream:
    shape = harness.spec.operation.event_stream
    assert shape is not None, "the operation's spec describes its event stream"
    return shape


def _read(harness: Harness, answer: Any) -> StreamReading:
    return read_stream(answer, _shape(harness), "STR-FRAME-001", "STR-FRAME-002")


def _sync(name: str, **fields: Any) -> InvokeCase:
    """A RequestResponse case that names its type: the default is STR-TYPE-001's alone."""
    return InvokeCase(name, invocation_type="RequestResponse", **fields)


@pytest.mark.role("echo")
@pytest.mark.requirements(
    "STR-TYPE-001",
    "STR-FRAME-001",
    "STR-FRAME-002",
    "STR-FRAME-003",
    "STR-EVT-001",
    "STR-EVT-002",
    "STR-FERR-002",
    "STR-HDR-001",
)
@given(data=st.data(), invocation_type=st.sampled_from([None, "RequestResponse"]))
@example(data=None, invocation_type=None).via("chunks long enough to show their order")
def test_the_result_comes_back_as_payload_chunks(
    stream: Harness,
    stream_strategies: Strategies,
    data: st.DataObject | None,
    invocation_type: str | None,
) -> None:
    value = LETTERS if data is None else data.draw(stream_strategies.json_values(), label="value")
    answer = stream.invoke(
        InvokeCase(
            stream.function("echo"),
            invocation_type=invocation_type,
            body=json.dumps(value).encode(),
        )
    )
    answer.conforms("STR-TYPE-001")
    reading = _read(stream, answer)
    chunk = _shape(stream).events["PayloadChunk"]
    kinds = sorted({str(m.content_type) for m in reading.of_type(chunk.name)})
    answer.check(
        "STR-FRAME-003",
        all(k == chunk.content_type for k in kinds),
        title="PayloadChunk content type",
        expected=f":content-type {chunk.content_type}",
        received=f":content-type {', '.join(kinds)}",
    )
    complete = reading.final("STR-EVT-001")
    joined = reading.payload(chunk.name)
    try:
        echoed: Any = json.loads(joined)
        parsed = True
    except ValueError:
        echoed, parsed = None, False
    answer.check(
        "STR-EVT-002",
        parsed and echoed == value,
        title="Streamed result",
        expected=f"the chunks joined in order are the echoed payload {json.dumps(value)[:120]}",
        received=f"{joined[:200]!r}",
    )
    answer.check(
        "STR-FERR-002",
        not complete.get("ErrorCode"),
        title="ErrorCode of a success",
        expected="no ErrorCode",
        received=f"ErrorCode {complete.get('ErrorCode')!r}",
    )
    executed = answer.header(stream.spec.response_headers["ExecutedVersion"].wire_name)
    answer.check(
        "STR-HDR-001",
        executed == answer.expectation.executed_version,
        title="Executed version",
        expected=f"X-Amz-Executed-Version {answer.expectation.executed_version}",
        received=f"X-Amz-Executed-Version {executed!r}",
    )


@pytest.mark.role("introspect")
@pytest.mark.requirements("STR-NAME-001", "STR-HDR-001")
def test_every_name_form_and_qualifier_reaches_its_version(
    stream: Harness, stream_strategies: Strategies
) -> None:
    soft = SoftFailures()
    for name, qualifier, version in stream_strategies.qualified_forms_list("introspect"):
        with soft:
            answer = stream.invoke(_sync(name, qualifier=qualifier, body=b"{}"))
            answer.conforms("STR-NAME-001")
            executed = answer.header(stream.spec.response_headers["ExecutedVersion"].wire_name)
            answer.check(
                "STR-HDR-001",
                executed == version,
                title="Executed version",
                expected=f"X-Amz-Executed-Version {version}",
                received=f"X-Amz-Executed-Version {executed!r}",
            )
    soft.raise_if_any()


@pytest.mark.role("fail")
@pytest.mark.requirements("STR-FERR-001")
def test_a_function_error_is_reported_in_invoke_complete(stream: Harness) -> None:
    answer = stream.invoke(_sync(stream.function("fail"), body=b"{}"))
    answer.conforms("STR-FERR-001")
    reading = _read(stream, answer)
    complete = reading.final("STR-EVT-001")
    code = complete.get("ErrorCode")
    answer.check(
        "STR-FERR-001",
        isinstance(code, str) and bool(code),
        title="ErrorCode of a function error",
        expected="a non-empty ErrorCode in InvokeComplete",
        received=f"InvokeComplete {json.dumps(complete)[:200]}",
    )


@pytest.mark.role("log")
@pytest.mark.requirements("STR-LOG-001")
@given(lines=st.integers(1, 200))
def test_tail_puts_the_log_in_invoke_complete(stream: Harness, lines: int) -> None:
    body = json.dumps({"lines": lines, "width": 40}).encode()
    answer = stream.invoke(_sync(stream.function("log"), log_type="Tail", body=body))
    answer.conforms("STR-LOG-001")
    complete = _read(stream, answer).final("STR-EVT-001")
    encoded = complete.get("LogResult")
    decoded = strict_base64(encoded) if isinstance(encoded, str) else None
    limit = stream.spec.limits.log_tail_bytes
    answer.check(
        "STR-LOG-001",
        decoded is not None and 0 < len(decoded) <= limit,
        title="LogResult",
        expected=f"base64 of at most {limit} bytes of log",
        received=f"LogResult {str(encoded)[:120]!r}",
    )


@pytest.mark.role("echo")
@pytest.mark.requirements("STR-TYPE-002")
def test_dry_run_answers_204(stream: Harness) -> None:
    case = InvokeCase(stream.function("echo"), invocation_type="DryRun", body=b"{}")
    answer = stream.invoke(case)
    answer.conforms("STR-TYPE-002")


@pytest.mark.role("echo")
@pytest.mark.requirements("STR-TYPE-003")
@given(data=st.data())
@example(data=None).via("Event, the one Invoke type this operation lacks")
def test_other_invocation_types_are_rejected(
    stream: Harness, stream_strategies: Strategies, data: st.DataObject | None
) -> None:
    value = (
        "Event"
        if data is None
        else data.draw(stream_strategies.invalid_enum_values("InvocationType"), label="type")
    )
    answer = stream.invoke(
        InvokeCase(stream.function("echo"), invocation_type=value, body=b"{}")
    )
    answer.conforms("STR-TYPE-003")


@pytest.mark.requirements("STR-ERR-001")
@given(data=st.data())
def test_an_invalid_name_is_a_json_error(
    stream: Harness, stream_strategies: Strategies, data: st.DataObject
) -> None:
    name = data.draw(stream_strategies.invalid_function_names(), label="FunctionName")
    answer = stream.invoke(_sync(name, body=b"{}"))
    answer.conforms("STR-ERR-001")
    answer.json("STR-ERR-001")


@pytest.mark.requirements("STR-ERR-002")
@given(data=st.data())
def test_an_absent_function_is_a_json_404(
    stream: Harness, stream_strategies: Strategies, data: st.DataObject
) -> None:
    name = data.draw(stream_strategies.absent_function_names(), label="FunctionName")
    answer = stream.invoke(_sync(name, body=b"{}"))
    answer.conforms("STR-ERR-002")
    answer.json("STR-ERR-002")
