"""Function errors: raised exceptions, timeouts and oversized results.

Each requirement here is judged on its own (SoftFailures): a target that gets the
status wrong is still judged on the header and the body of the same answer.
"""

from __future__ import annotations

import json
import string
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lambda_conformance.checks.harness import Answer, Harness, SoftFailures
from lambda_conformance.generation.cases import InvokeCase

FIXTURE_ERROR_CLASS = "ConformanceFixtureError"  # fixture-contract.md, role `fail`


def _error_object(answer: Answer) -> dict[str, Any]:
    return answer.json_object() or {}


def _is_error_object(error: dict[str, Any]) -> bool:
    """The runtime's error object: string errorMessage and errorType."""
    return isinstance(error.get("errorMessage"), str) and isinstance(error.get("errorType"), str)


def _judge_function_error(
    target: Harness, answer: Answer, soft: SoftFailures, ids: list[str]
) -> dict[str, Any] | None:
    """Status 200 (judged under `ids[0]`), then a non-empty function-error header
    (judged under every one of `ids`), each on its own.

    Returns the error object, or None when the status already shows that no function
    error was reported: the header and body rules are then not judged on that answer
    (a 409 from a function that never ran says nothing about error details).
    """
    wire = target.spec.response_headers["FunctionError"].wire_name
    value = answer.response_header("FunctionError")
    with soft:
        answer.conforms(ids[0])
    if answer.status != 200:
        return None
    error = _error_object(answer)
    with soft:
        answer.check(
            ids[1:] or ids,
            bool(value),
            title="Function error header",
            expected=f"a non-empty {wire} header",
            received=f"{wire}: {value}",
        )
    with soft:
        allowed = target.spec.conventions.function_error_values
        answer.check(
            "INV-FERR-003",
            value in allowed,
            title="Function error value",
            expected=" or ".join(allowed),
            received=f"{wire}: {value}",
        )
    return error


@pytest.mark.role("fail")
@pytest.mark.requirements(
    "INV-FERR-001", "INV-FERR-002", "INV-FERR-003", "INV-FERR-005", "INV-FERR-006", "INV-FERR-007"
)
@given(message=st.text(string.ascii_letters + string.digits + " .,:;!?'-", min_size=1, max_size=80))
def test_function_error_answers_200_with_details(target: Harness, message: str) -> None:
    soft = SoftFailures()
    body = json.dumps({"message": message}).encode()
    answer = target.invoke(InvokeCase(target.function("fail"), body=body), function_fails=True)
    error = _judge_function_error(target, answer, soft, ["INV-FERR-001", "INV-FERR-002"])
    if error is None:
        soft.raise_if_any()
        return
    with soft:
        answer.check(
            "INV-FERR-005",
            _is_error_object(error),
            title="Error object",
            expected="a JSON object with string errorMessage and errorType",
        )
    with soft:
        answer.check(
            "INV-FERR-006",
            error.get("errorMessage") == message and error.get("errorType") == FIXTURE_ERROR_CLASS,
            title="Error details",
            expected=f"errorMessage {message!r}, errorType {FIXTURE_ERROR_CLASS!r}",
            received=f"errorMessage {error.get('errorMessage')!r}, "
            f"errorType {error.get('errorType')!r}",
        )
    with soft:
        trace = error.get("stackTrace")
        answer.check(
            "INV-FERR-007",
            isinstance(trace, list) and all(isinstance(t, str) for t in trace),
            title="Stack trace",
            expected="stackTrace as a list of strings",
            received=f"stackTrace {str(trace)[:200]}",
        )
    soft.raise_if_any()


@pytest.mark.role("sleep")
@pytest.mark.requirements("INV-FERR-008", "INV-FERR-009")
def test_timeout_is_a_function_error(target: Harness) -> None:
    soft = SoftFailures()
    # The sleep fixture is deployed with a 3 second timeout (fixture contract).
    answer = target.invoke(
        InvokeCase(target.function("sleep"), body=b'{"seconds": 6}'), function_fails=True
    )
    error = _judge_function_error(target, answer, soft, ["INV-FERR-008"])
    if error is None:
        soft.raise_if_any()
        return
    with soft:
        answer.check(
            "INV-FERR-008",
            _is_error_object(error),
            title="Timeout error object",
            expected="a JSON error object",
        )
    with soft:
        expected_type = target.spec.conventions.timeout_error_type
        answer.check(
            "INV-FERR-009",
            error.get("errorType") == expected_type,
            title="Timeout error type",
            expected=f"errorType {expected_type}",
            received=f"errorType {error.get('errorType')!r}",
        )
    soft.raise_if_any()


@pytest.mark.role("large")
@pytest.mark.requirements("INV-FERR-010", "INV-FERR-011", "INV-FERR-012")
def test_response_size_limit(target: Harness) -> None:
    soft = SoftFailures()
    limit = target.spec.limits.response_payload_max_bytes
    # `large` returns a JSON string of N characters: N + 2 bytes on the wire. The result
    # over the limit goes first: a result under it must come back intact whatever came
    # before, and an environment left broken by the oversized one shows on the next call.
    over = target.invoke(
        InvokeCase(target.function("large"), body=json.dumps({"bytes": limit - 1}).encode()),
        function_fails=True,
    )
    error = _judge_function_error(target, over, soft, ["INV-FERR-010"])
    if error is not None:
        with soft:
            expected_type = target.spec.conventions.response_too_large_error_type
            over.check(
                "INV-FERR-011",
                error.get("errorType") == expected_type,
                title="Oversized result error type",
                expected=f"errorType {expected_type}",
                received=f"errorType {error.get('errorType')!r}",
            )
    just_under = limit - 100
    answer = target.invoke(
        InvokeCase(target.function("large"), body=json.dumps({"bytes": just_under - 2}).encode()),
        function_fails=False,
    )
    with soft:
        answer.conforms("INV-FERR-012")
        answer.check(
            "INV-FERR-012",
            answer.body == b'"' + b"x" * (just_under - 2) + b'"',
            title="Large result intact",
            expected=f"a {just_under}-byte JSON string",
            received=f"{answer.status} with {len(answer.body)} bytes",
        )
    soft.raise_if_any()
