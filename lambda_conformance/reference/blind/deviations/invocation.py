"""Invocation: deviations of InvocationType (default, unknown values), Event and DryRun
semantics, and concurrency (throttling).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lambda_conformance.reference.blind.context import DeviationContext
from lambda_conformance.reference.blind.deviations.base import (
    ResponseEdit,
    edit_error_body,
)
from lambda_conformance.reference.blind.exchange import (
    InvokeCall,
    ProxyRequest,
    ProxyResponse,
    empty_response,
    error_response,
    new_request_id,
    split_qualifier,
)


# --- InvocationType ---------------------------------------------------------------------------
def default_invocation_type_event(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyRequest:
    if call.invocation_type is None:
        return request.with_header("X-Amz-Invocation-Type", "Event")
    return request


def invalid_invocation_type_accepted(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyRequest:
    if call.invocation_type not in (None, "Event", "RequestResponse", "DryRun"):
        return request.without_header("X-Amz-Invocation-Type")
    return request


def invocation_type_case_insensitive(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyRequest:
    canonical = {"event": "Event", "requestresponse": "RequestResponse", "dryrun": "DryRun"}
    value = call.invocation_type
    if value is not None and value.lower() in canonical:
        return request.with_header("X-Amz-Invocation-Type", canonical[value.lower()])
    return request


def event_status_200(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    if call.is_event and response.status == 202:
        return response.with_status(200, "OK")
    return response


def event_body_not_empty(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """The SDK's InvokeResponse shape written out as the 202 body (GT-029: empty body)."""
    if call.is_event and response.status == 202:
        return response.with_header("Content-Type", "application/json").with_json(
            {"StatusCode": 202}
        )
    return response


def executed_version_on_async(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """202 and 204 carry X-Amz-Executed-Version (GT-029: absent for Event)."""
    if response.status in (202, 204) and (call.is_event or call.is_dry_run):
        return response.with_header("X-Amz-Executed-Version", "$LATEST")
    return response


# --- Event semantics --------------------------------------------------------------------------
def _over_async_limit(call: InvokeCall, ctx: DeviationContext) -> bool:
    return len(call.body) > ctx.facts.async_limit


def event_runs_synchronously(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """Event is run like RequestResponse and 202 is sent once the function has returned."""
    if not call.is_event or _over_async_limit(call, ctx):
        return ctx.upstream.send(request)
    response = ctx.upstream.send(request.with_header("X-Amz-Invocation-Type", "RequestResponse"))
    if response.status != 200:
        return response
    return empty_response(202, "Accepted", response.request_id)


def event_not_executed(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """Event is validated (DryRun) and acknowledged, but never queued."""
    if not call.is_event or _over_async_limit(call, ctx):
        return ctx.upstream.send(request)
    response = ctx.upstream.send(request.with_header("X-Amz-Invocation-Type", "DryRun"))
    if response.status != 204:
        return response
    return empty_response(202, "Accepted", response.request_id)


def _attempt_number(record: dict[str, Any], ctx: DeviationContext) -> int:
    request_id = str(record.get("request_id"))
    with ctx.lock:
        seen: dict[str, int] = ctx.state.setdefault("attempts", {})
        seen[request_id] = seen.get(request_id, 0) + 1
        return seen[request_id]


def event_no_retry(record: dict[str, Any], ctx: DeviationContext) -> list[dict[str, Any]]:
    """Only the first execution of an Event invocation happens (Invoke ¶3: up to two more).
    The proxy watches the beacon's callbacks and lets the suite see the first one only."""
    return [record] if _attempt_number(record, ctx) == 1 else []


def event_retry_new_request_id(
    record: dict[str, Any], ctx: DeviationContext
) -> list[dict[str, Any]]:
    """Each retry runs under a fresh request id (GT-056: the same id on every attempt)."""
    if _attempt_number(record, ctx) == 1:
        return [record]
    return [{**record, "request_id": new_request_id()}]


# --- DryRun -----------------------------------------------------------------------------------
def dryrun_executes(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """DryRun runs the function and then answers 204 (GT-030: not executed)."""
    if not call.is_dry_run:
        return ctx.upstream.send(request)
    response = ctx.upstream.send(request.with_header("X-Amz-Invocation-Type", "RequestResponse"))
    if response.status != 200:
        return response
    return empty_response(204, "No Content", response.request_id)


def dryrun_status_200(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    if call.is_dry_run and response.status == 204:
        return response.with_status(200, "OK")
    return response


def dryrun_skips_validation(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """DryRun answers 204 without looking at the name or the function."""
    if call.is_dry_run and response.status in (400, 404):
        return empty_response(204, "No Content", response.request_id)
    return response


# --- concurrency ------------------------------------------------------------------------------
CONCURRENCY_PATH = re.compile(r"^/20\d\d-\d\d-\d\d/functions/(?P<name>[^/]+)/concurrency$")


def reserved_concurrency_ignored(
    request: ProxyRequest, ctx: DeviationContext
) -> ProxyResponse | None:
    """PutFunctionConcurrency is acknowledged but never applied."""
    if CONCURRENCY_PATH.match(request.path) is None:
        return None
    headers = (("x-amzn-RequestId", new_request_id()), ("Content-Type", "application/json"))
    if request.method == "PUT":
        return ProxyResponse(200, "OK", headers, request.body or b"{}")
    if request.method == "DELETE":
        return ProxyResponse(204, "No Content", headers[:1], b"")
    return ProxyResponse(200, "OK", headers, b"{}")


def _edit_throttle(edit: Callable[[dict[str, Any]], dict[str, Any]]) -> ResponseEdit:
    return edit_error_body(edit, only="TooManyRequestsException")


throttle_no_reason = _edit_throttle(lambda body: {k: v for k, v in body.items() if k != "Reason"})
throttle_wrong_reason = _edit_throttle(
    lambda body: {**body, "Reason": "ConcurrentInvocationLimitExceeded"}
)


def track_zero_concurrency(request: ProxyRequest, ctx: DeviationContext) -> ProxyResponse | None:
    """Remember which functions have reserved concurrency 0, then forward."""
    match = CONCURRENCY_PATH.match(request.path)
    if match is None:
        return None
    response = ctx.upstream.send(request)
    name = split_qualifier(match.group("name"))[0].rsplit(":", 1)[-1]
    with ctx.lock:
        zero: set[str] = ctx.state.setdefault("zero", set())
        body = response.json() if request.method == "PUT" else None
        if isinstance(body, dict) and body.get("ReservedConcurrentExecutions") == 0:
            zero.add(name)
        elif request.method in ("PUT", "DELETE") and response.status < 300:
            zero.discard(name)
    return response


def throttle_event_rejected(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """An Event call to a function with reserved concurrency 0 is refused with 429
    (GT-051: async throttling is never returned to the caller, it answers 202)."""
    with ctx.lock:
        zero = call.base_name in ctx.state.get("zero", set())
    if call.is_event and zero:
        return error_response(
            429,
            "Too Many Requests",
            "TooManyRequestsException",
            "Rate Exceeded.",
            extra={"Reason": "ReservedFunctionConcurrentInvocationLimitExceeded"},
        )
    return ctx.upstream.send(request)
