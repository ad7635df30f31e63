"""Invocation types: RequestResponse, Event and DryRun, their statuses and bodies."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lambda_conformance.checks.harness import Harness
from lambda_conformance.generation.cases import InvokeCase
from lambda_conformance.generation.strategies import Strategies

pytestmark = pytest.mark.role("echo")


@pytest.mark.requirements("INV-TYPE-001")
@given(data=st.data())
def test_request_response_answers_200_with_the_result(
    target: Harness, strategies: Strategies, data: st.DataObject
) -> None:
    value = data.draw(strategies.json_values(), label="payload")
    case = InvokeCase(
        target.function("echo"), invocation_type="RequestResponse", body=json.dumps(value).encode()
    )
    answer = target.invoke(case, function_fails=False)
    answer.conforms("INV-TYPE-001")
    answer.check(
        "INV-TYPE-001",
        answer.json("INV-TYPE-001") == value,
        title="Result of the function",
        expected=f"the echoed payload {json.dumps(value)[:200]}",
    )


@pytest.mark.requirements("INV-TYPE-002")
def test_without_invocation_type_the_call_is_synchronous(target: Harness) -> None:
    case = InvokeCase(target.function("echo"), body=b'{"synchronous": true}')
    answer = target.invoke(case, function_fails=False)
    answer.conforms("INV-TYPE-002")
    answer.check(
        "INV-TYPE-002",
        answer.json("INV-TYPE-002") == {"synchronous": True},
        title="Default invocation type",
        expected="200 with the function's result",
    )


@pytest.mark.requirements("INV-TYPE-003", "INV-TYPE-006")
def test_event_is_accepted_with_202(target: Harness) -> None:
    case = InvokeCase(target.function("echo"), invocation_type="Event", body=b'{"async": 1}')
    answer = target.invoke(case)
    answer.conforms("INV-TYPE-003")
    answer.check(
        "INV-TYPE-006",
        answer.body == b"",
        title="Body of an Event answer",
        expected="an empty body",
    )


@pytest.mark.requirements("INV-TYPE-004", "INV-TYPE-006")
def test_dry_run_answers_204(target: Harness) -> None:
    case = InvokeCase(target.function("echo"), invocation_type="DryRun", body=b"{}")
    answer = target.invoke(case)
    answer.conforms("INV-TYPE-004")
    answer.check(
        "INV-TYPE-006",
        answer.body == b"",
        title="Body of a DryRun answer",
        expected="an empty body",
    )


@pytest.mark.requirements("INV-TYPE-005")
@given(data=st.data())
def test_unknown_invocation_type_is_rejected(
    target: Harness, strategies: Strategies, data: st.DataObject
) -> None:
    value = data.draw(strategies.invalid_enum_values("InvocationType"), label="InvocationType")
    answer = target.invoke(InvokeCase(target.function("echo"), invocation_type=value, body=b"{}"))
    answer.conforms("INV-TYPE-005")


@pytest.mark.role("sleep")
@pytest.mark.requirements("INV-TYPE-007")
def test_synchronous_call_waits_for_the_function(target: Harness) -> None:
    seconds = 1
    case = InvokeCase(target.function("sleep"), body=json.dumps({"seconds": seconds}).encode())
    started = time.monotonic()
    answer = target.invoke(case, function_fails=False)
    elapsed = time.monotonic() - started
    answer.conforms("INV-TYPE-007")
    answer.check(
        "INV-TYPE-007",
        answer.json("INV-TYPE-007") == {"slept": seconds} and elapsed >= seconds * 0.9,
        title="Synchronous wait",
        expected=f"the result after the function's {seconds} s",
        received=f"{answer.summary()} after {elapsed:.2f} s",
    )
