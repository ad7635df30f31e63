"""Payload: any JSON value, no body, non-JSON and non-UTF-8 bodies, size limits."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lambda_conformance.checks.harness import Harness, SoftFailures
from lambda_conformance.generation.cases import InvokeCase
from lambda_conformance.generation.strategies import Strategies

pytestmark = pytest.mark.role("echo")


@pytest.mark.requirements("INV-PAY-001")
@given(data=st.data())
def test_any_json_value_reaches_the_function(
    target: Harness, strategies: Strategies, data: st.DataObject
) -> None:
    value = data.draw(strategies.json_values(), label="payload")
    ascii_only = data.draw(st.booleans(), label="ensure_ascii")
    body = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8")
    answer = target.invoke(InvokeCase(target.function("echo"), body=body), function_fails=False)
    answer.conforms("INV-PAY-001")
    answer.check(
        "INV-PAY-001",
        answer.json("INV-PAY-001") == value,
        title="Echoed payload",
        expected=f"the same JSON value back: {body[:200]!r}",
    )


# The values at the edges of "any JSON value" (GT-027 lists non-object values; the fixture
# functions are Python, whose json keeps integers of any size exactly): integers past 2**53
# that a target parsing the payload into doubles rounds, and a successful result shaped
# like an error object, which a target guessing function errors from the body would flag
# (INV-FERR-004, judged on every answer).
BOUNDARY_VALUES: tuple[object, ...] = (
    2**63,
    -(2**64) - 1,
    [9007199254740993, 1e300],
    {"errorMessage": "not an error", "errorType": "Result"},
    {"hello": "'\" \u00e9 \U0001f973", "nested": [None, True, {"a": []}]},
)


@pytest.mark.requirements("INV-PAY-001")
def test_json_values_at_the_edges_reach_the_function(target: Harness) -> None:
    soft = SoftFailures()
    for value in BOUNDARY_VALUES:
        body = json.dumps(value).encode("utf-8")
        with soft:
            answer = target.invoke(
                InvokeCase(target.function("echo"), body=body), function_fails=False
            )
            answer.conforms("INV-PAY-001")
            answer.check(
                "INV-PAY-001",
                answer.json("INV-PAY-001") == value,
                title="Echoed payload",
                expected=f"the same JSON value back: {body[:200]!r}",
            )
    soft.raise_if_any()


@pytest.mark.requirements("INV-PAY-002", "INV-PAY-003")
def test_request_without_body(target: Harness) -> None:
    soft = SoftFailures()
    answer = target.invoke(InvokeCase(target.function("echo"), body=None), function_fails=False)
    with soft:
        answer.conforms("INV-PAY-002")
    with soft:
        # A rejected request handed the function nothing: INV-PAY-003 fails with it.
        answer.check(
            "INV-PAY-003",
            answer.status == 200 and answer.json("INV-PAY-003") == {},
            title="Event of an empty body",
            expected="the function received {}",
        )
    soft.raise_if_any()


@pytest.mark.requirements("INV-PAY-004")
@given(data=st.data())
def test_body_that_is_not_json_is_rejected(
    target: Harness, strategies: Strategies, data: st.DataObject
) -> None:
    body = data.draw(strategies.non_json_bodies(), label="body")
    answer = target.invoke(InvokeCase(target.function("echo"), body=body))
    answer.conforms("INV-PAY-004")


GT_INVALID_UTF8 = (b"n\x87r\x9e\xe9\xb5\xd7I\xee\x9bmt", b"\x99\xeb,j\x07\xa1zYh")  # GT-045/046


@pytest.mark.requirements("INV-PAY-005")
@given(data=st.data())
def test_body_that_is_not_utf8_is_rejected(
    target: Harness, strategies: Strategies, data: st.DataObject
) -> None:
    body = data.draw(
        st.sampled_from(GT_INVALID_UTF8) | strategies.invalid_utf8_bodies(), label="body"
    )
    answer = target.invoke(InvokeCase(target.function("echo"), body=body))
    answer.conforms("INV-PAY-005")


def _echo_of_size(target: Harness, strategies: Strategies, size: int,
                  invocation_type: str | None = None) -> InvokeCase:
    """An invocation of echo whose body is a JSON string of exactly `size` bytes."""
    return InvokeCase(target.function("echo"), invocation_type=invocation_type,
                      body=strategies.exact_json_string(size))


# Each limit test judges two independent rules (under and over the limit): soft, so a
# target failing the first is still judged on the second.
@pytest.mark.requirements("INV-PAY-006", "INV-PAY-007")
def test_synchronous_payload_limit(target: Harness, strategies: Strategies) -> None:
    limit = target.spec.limits.sync_payload
    soft = SoftFailures()
    with soft:
        case = _echo_of_size(target, strategies, limit.accept_up_to)
        answer = target.invoke(case, function_fails=False)
        answer.conforms("INV-PAY-006")
        answer.check(
            "INV-PAY-006",
            answer.body == case.body,
            title="Largest payload echoed",
            expected=f"the {len(case.body or b'')}-byte payload back",
            received=f"{answer.status} with {len(answer.body)} bytes",
        )
    with soft:
        over = target.invoke(_echo_of_size(target, strategies, limit.reject_from))
        over.conforms("INV-PAY-007")
    soft.raise_if_any()


@pytest.mark.requirements("INV-PAY-008", "INV-PAY-009")
def test_asynchronous_payload_limit(target: Harness, strategies: Strategies) -> None:
    limit = target.spec.limits.async_payload
    soft = SoftFailures()
    with soft:
        target.invoke(_echo_of_size(target, strategies, limit.accept_up_to, "Event")).conforms(
            "INV-PAY-008"
        )
    with soft:
        target.invoke(_echo_of_size(target, strategies, limit.reject_from, "Event")).conforms(
            "INV-PAY-009"
        )
    soft.raise_if_any()
