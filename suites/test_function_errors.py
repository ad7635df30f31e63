"""Function errors: raised exceptions, timeouts and oversized results."""

from __future__ import annotations

import json
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lambda_conformance.checks.harness import Answer, Harness
from lambda_conformance.generation.cases import InvokeCase

FIXTURE_ERROR_CLASS = "ConformanceFixtureError"  # fixture-contract.md, role `fail`


def _check_error_header(target: Harness, answer: Answer, ids: list[str]) -> None:
    value = answer.response_header("FunctionError")
    wire = target.spec.response_headers["FunctionError"].wire_name
    answer.check(
        ids,
        bool(value),
        title="Function error header",
        expected=f"a non-empty {wire} header",
        received=f"{wire}: {value}",
    )
    allowed = target.spec.conventions.function_error_values
    answer.check(
        "INV-FERR-003",
        value in allowed,
        title="Function error value",
        expected=" or ".join(allowed),
        received=f"{wire}: {value}",
    )


@pytest.mark.role("fail")
@pytest.mark.requirements(
    "INV-FERR-001", "INV-FERR-002", "INV-FERR-003", "INV-FERR-005", "INV-FERR-006", "INV-FERR-007"
)
@given(message=st.text(string.ascii_letters + string.digits + " .,:;!?'-", min_size=1, max_size=80))
def test_function_error_answers_200_with_details(target: Harness, message: str) -> None:
    body = json.dumps({"message": message}).encode()
    answer = target.invoke(InvokeCase(target.function("fail"), body=body), function_fails=True)
    answer.conforms("INV-FERR-001")
    _check_error_header(target, answer, ["INV-FERR-002"])
    error = answer.json("INV-FERR-005")
    shaped = (
        isinstance(error, dict)
        and isinstance(error.get("errorMessage"), str)
        and isinstance(error.get("errorType"), str)
    )
    answer.check(
        "INV-FERR-005",
        shaped,
        title="Error object",
        expected="a JSON object with string errorMessage and errorType",
    )
    assert isinstance(error, dict)
    answer.check(
        "INV-FERR-006",
        error.get("errorMessage") == message and error.get("errorType") == FIXTURE_ERROR_CLASS,
        title="Error details",
        expected=f"errorMessage {message!r}, errorType {FIXTURE_ERROR_CLASS!r}",
        received=f"errorMessage {error.get('errorMessage')!r}, "
        f"errorType {error.get('errorType')!r}",
    )
    trace = error.get("stackTrace")
    answer.check(
        "INV-FERR-007",
        isinstance(trace, list) and all(isinstance(t, str) for t in trace),
        title="Stack trace",
        expected="stackTrace as a list of strings",
        received=f"stackTrace {str(trace)[:200]}",
    )


@pytest.mark.role("sleep")
@pytest.mark.requirements("INV-FERR-008", "INV-FERR-009")
def test_timeout_is_a_function_error(target: Harness) -> None:
    # The sleep fixture is deployed with a 3 second timeout (fixture contract).
    answer = target.invoke(
        InvokeCase(target.function("sleep"), body=b'{"seconds": 6}'), function_fails=True
    )
    answer.conforms("INV-FERR-008")
    _check_error_header(target, answer, ["INV-FERR-008"])
    error = answer.json("INV-FERR-008")
    answer.check(
        "INV-FERR-008",
        isinstance(error, dict)
        and isinstance(error.get("errorType"), str)
        and isinstance(error.get("errorMessage"), str),
        title="Timeout error object",
        expected="a JSON error object",
    )
    assert isinstance(error, dict)
    expected_type = target.spec.conventions.timeout_error_type
    answer.check(
        "INV-FERR-009",
        error.get("errorType") == expected_type,
        title="Timeout error type",
        expected=f"errorType {expected_type}",
        received=f"errorType {error.get('errorType')!r}",
    )


@pytest.mark.role("large")
@pytest.mark.requirements("INV-FERR-010", "INV-FERR-011", "INV-FERR-012")
def test_response_size_limit(target: Harness) -> None:
    limit = target.spec.limits.response_payload_max_bytes
    # `large` returns a JSON string of N characters: N + 2 bytes on the wire.
    just_under = limit - 100
    answer = target.invoke(
        InvokeCase(target.function("large"), body=json.dumps({"bytes": just_under - 2}).encode()),
        function_fails=False,
    )
    answer.conforms("INV-FERR-012")
    answer.check(
        "INV-FERR-012",
        len(answer.body) == just_under and answer.body == b'"' + b"x" * (just_under - 2) + b'"',
        title="Large result intact",
        expected=f"a {just_under}-byte JSON string",
        received=f"{answer.status} with {len(answer.body)} bytes",
    )
    over = target.invoke(
        InvokeCase(target.function("large"), body=json.dumps({"bytes": limit - 1}).encode()),
        function_fails=True,
    )
    over.conforms("INV-FERR-010")
    _check_error_header(target, over, ["INV-FERR-010"])
    error = over.json("INV-FERR-010")
    expected_type = target.spec.conventions.response_too_large_error_type
    received_type = error.get("errorType") if isinstance(error, dict) else None
    over.check(
        "INV-FERR-011",
        received_type == expected_type,
        title="Oversized result error type",
        expected=f"errorType {expected_type}",
        received=f"errorType {received_type!r}",
    )
