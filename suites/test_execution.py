"""The function's execution: how many times one request runs it, and for how long."""

from __future__ import annotations

import json

import pytest

from lambda_conformance.checks.harness import Harness
from lambda_conformance.generation.cases import InvokeCase
from plugins.recording import Session

# After a synchronous answer, how long to watch for executions beyond the one it reports.
# The beacon posts before it returns, so the one execution is in before the answer.
EXTRA_EXECUTION_WAIT = 2.0


@pytest.mark.role("beacon")
@pytest.mark.requirements("INV-EXEC-001", "INV-CTX-003")
def test_synchronous_invocation_runs_the_function_once(
    target: Harness, lc_session: Session
) -> None:
    beacon = lc_session.beacon
    token = beacon.new_token()
    answer = target.invoke(
        InvokeCase(
            target.function("beacon"),
            body=json.dumps({"callback_url": beacon.url(token)}).encode(),
        ),
        function_fails=False,
    )
    answer.conforms()
    if answer.status != 200:
        # The status is INV-TYPE-001's to judge; without a run there is nothing to count.
        pytest.skip(f"the invocation was answered {answer.status}: no execution to count")
    calls = beacon.wait_for(token, 1, lc_session.async_wait)
    if not calls:
        # The function answered, so it ran: its callback cannot reach the suite, and
        # silence says nothing about how often it ran.
        pytest.skip("the beacon function's callbacks do not reach the suite")
    calls = beacon.wait_for(token, 2, min(EXTRA_EXECUTION_WAIT, lc_session.async_wait))
    # "When an error occurs, your function may be invoked multiple times" (Invoke ¶3):
    # without one, once.
    answer.check(
        "INV-EXEC-001",
        len(calls) == 1,
        title="Executions of one synchronous invocation",
        expected="exactly one execution",
        received=f"{len(calls)} executions (request ids {[c.request_id for c in calls]})",
    )
    request_id = answer.header("x-amzn-RequestId")
    if request_id is not None:
        # GT-057: the function's context.aws_request_id is the response's request id
        # (a missing header is INV-HDR-004's to judge).
        answer.check(
            "INV-CTX-003",
            calls[0].request_id == request_id,
            title="Request id in the context",
            expected=str(request_id),
            received=str(calls[0].request_id),
        )


@pytest.mark.role("sleep")
@pytest.mark.requirements("INV-EXEC-002")
def test_function_runs_until_its_timeout(target: Harness) -> None:
    # The sleep fixture is deployed with a 3 second timeout (fixture contract): 2 s is
    # within it, and longer than INV-TYPE-007's 1 s, so a function stopped early shows.
    seconds = 2
    # function_fails stays unknown: a function stopped early did not succeed, and that is
    # this rule's failure, not INV-FERR-004's (a function error header on a success).
    answer = target.invoke(
        InvokeCase(target.function("sleep"), body=json.dumps({"seconds": seconds}).encode())
    )
    answer.answered("INV-EXEC-002")
    function_error = answer.response_header("FunctionError")
    answer.check(
        "INV-EXEC-002",
        answer.status == 200 and function_error is None,
        title="Function stopped before its timeout",
        expected=f"200 without a function error after {seconds} s of a 3 s timeout",
        received=f"{answer.summary()} (X-Amz-Function-Error: {function_error})",
    )
    answer.check(
        "INV-EXEC-002",
        answer.json("INV-EXEC-002") == {"slept": seconds},
        title="Result of a function within its timeout",
        expected=f'{{"slept": {seconds}}}',
    )


@pytest.mark.role("beacon")
@pytest.mark.requirements("INV-ASYNC-006")
def test_event_execution_carries_the_response_request_id(
    target: Harness, lc_session: Session
) -> None:
    beacon = lc_session.beacon
    token = beacon.new_token()
    answer = target.invoke(
        InvokeCase(
            target.function("beacon"),
            invocation_type="Event",
            body=json.dumps({"callback_url": beacon.url(token)}).encode(),
        )
    )
    answer.conforms()
    if answer.status != 202:
        pytest.skip(f"the Event was answered {answer.status}: nothing was queued")
    request_id = answer.header("x-amzn-RequestId")
    if request_id is None:
        pytest.skip("no x-amzn-RequestId to compare with (INV-HDR-004 judges that)")
    calls = beacon.wait_for(token, 1, lc_session.async_wait)
    if not calls:
        pytest.skip("no execution seen (INV-ASYNC-002 judges that)")
    # GT-056: the executions carry the RequestId the Invoke response gave.
    answer.check(
        "INV-ASYNC-006",
        all(c.request_id == request_id for c in calls),
        title="Request id of an Event's execution",
        expected=request_id,
        received=str([c.request_id for c in calls]),
    )
