"""Event invocations: answered before the function ends, really run, retried on failure."""

from __future__ import annotations

import json
import time

import pytest

from lambda_conformance.checks.harness import Harness
from lambda_conformance.generation.cases import InvokeCase
from plugins.recording import Session


@pytest.mark.role("sleep")
@pytest.mark.requirements("INV-ASYNC-001")
def test_event_answers_before_the_function_finishes(target: Harness) -> None:
    seconds = 2.5  # under the sleep fixture's 3 second timeout
    started = time.monotonic()
    answer = target.invoke(
        InvokeCase(
            target.function("sleep"),
            invocation_type="Event",
            body=json.dumps({"seconds": seconds}).encode(),
        )
    )
    elapsed = time.monotonic() - started
    answer.conforms("INV-ASYNC-001")
    answer.check(
        "INV-ASYNC-001",
        elapsed < seconds,
        title="Event answered early",
        expected=f"an answer well before the function's {seconds} s",
        received=f"answered after {elapsed:.2f} s",
    )


@pytest.mark.role("beacon")
@pytest.mark.requirements("INV-ASYNC-002")
def test_event_runs_the_function(target: Harness, lc_session: Session) -> None:
    token = lc_session.beacon.new_token()
    body = json.dumps({"callback_url": lc_session.beacon.url(token)}).encode()
    answer = target.invoke(
        InvokeCase(target.function("beacon"), invocation_type="Event", body=body)
    )
    answer.conforms("INV-ASYNC-002")
    calls = lc_session.beacon.wait_for(token, 1, lc_session.async_wait)
    answer.check(
        "INV-ASYNC-002",
        len(calls) >= 1,
        title="Event execution",
        expected=f"the function ran within {lc_session.async_wait:g} s",
        received=f"{len(calls)} executions seen",
    )


@pytest.mark.role("beacon")
@pytest.mark.requirements("INV-ASYNC-003", "INV-ASYNC-004")
def test_failing_event_is_attempted_three_times(target: Harness, lc_session: Session) -> None:
    attempts = target.spec.limits.async_attempts
    token = lc_session.beacon.new_token()
    body = json.dumps({"callback_url": lc_session.beacon.url(token), "fail": True}).encode()
    answer = target.invoke(
        InvokeCase(target.function("beacon"), invocation_type="Event", body=body)
    )
    answer.conforms("INV-ASYNC-003")
    started = time.monotonic()
    calls = lc_session.beacon.wait_for(token, attempts, lc_session.async_wait)
    if len(calls) >= attempts:
        # Watch a while longer for attempts beyond the allowed ones: as long again as the
        # retries took, within the configured wait.
        spent = time.monotonic() - started
        calls = lc_session.beacon.wait_for(
            token, attempts + 1, min(max(spent, 1.0), lc_session.async_wait)
        )
    answer.check(
        "INV-ASYNC-003",
        len(calls) == attempts,
        title="Attempts of a failing Event",
        expected=f"{attempts} executions in all",
        received=f"{len(calls)} executions within {lc_session.async_wait:g} s",
    )
    ids = {c.request_id for c in calls}
    answer.check(
        "INV-ASYNC-004",
        len(ids) == 1,
        title="Request id of retries",
        expected="one request id for all attempts",
        received=f"{sorted(map(str, ids))}",
    )
