"""Function errors: deviations of the answer when the function fails, times out, returns
too much, or runs more or less than once.
"""

from __future__ import annotations

import json
import time
from typing import Any

from lambda_conformance.reference.blind.context import DeviationContext
from lambda_conformance.reference.blind.deviations.base import (
    edit_function_error,
    is_raised,
    is_timeout,
    is_too_large,
)
from lambda_conformance.reference.blind.exchange import (
    InvokeCall,
    ProxyRequest,
    ProxyResponse,
    error_response,
    new_request_id,
)


# --- function errors --------------------------------------------------------------------------
def function_error_status_500(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    if response.is_function_error:
        return response.with_status(500, "Internal Server Error")
    return response


def function_error_header_missing(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    return response.without_header("X-Amz-Function-Error")


def function_error_handled(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """The old `Handled` value (GT-037: every recording shows Unhandled)."""
    if response.is_function_error:
        return response.with_header("X-Amz-Function-Error", "Handled")
    return response


def _wrap(body: dict[str, Any]) -> dict[str, Any]:
    return {
        **body,
        "errorType": "Runtime.UserCodeError",
        "errorMessage": f"{body.get('errorType')}: {body.get('errorMessage')}",
    }


function_error_wrapped = edit_function_error(_wrap, is_raised)

function_error_no_stacktrace = edit_function_error(
    lambda body: {k: v for k, v in body.items() if k != "stackTrace"}, is_raised
)


def function_error_body_text(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """The error is written as a text line instead of a JSON object."""
    body = response.json() if response.is_function_error else None
    if not isinstance(body, dict):
        return response
    text = f"{body.get('errorType')}: {body.get('errorMessage')}"
    return response.with_header("Content-Type", "text/plain").with_body(text.encode())


def timeout_as_504(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """A timed-out function answered like a gateway timeout (GT-040: 200 + function error)."""
    body = response.json() if response.is_function_error else None
    if not isinstance(body, dict) or not is_timeout(body):
        return response
    return (
        response.with_status(504, "Gateway Timeout")
        .without_header("X-Amz-Function-Error")
        .with_json({"message": "Endpoint request timed out"})
    )


timeout_errortype_generic = edit_function_error(
    lambda body: {**body, "errorType": "TimeoutError"}, is_timeout
)


def timeout_after_1s(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """A fixed 1 s timeout instead of the function's configured one (sleep: 3 s)."""
    if not call.is_sync:
        return ctx.upstream.send(request)
    started = time.monotonic()
    try:
        return ctx.upstream.send(request, timeout=1.0)
    except TimeoutError:
        pass
    request_id = new_request_id()
    elapsed = max(1.0, time.monotonic() - started)
    body = {
        "errorType": "Sandbox.Timedout",
        "errorMessage": f"RequestId: {request_id} Error: Task timed out after "
        f"{elapsed:.2f} seconds",
    }
    return ProxyResponse(
        200,
        "OK",
        (
            ("x-amzn-RequestId", request_id),
            ("X-Amz-Function-Error", "Unhandled"),
            ("X-Amz-Executed-Version", "$LATEST"),
            ("Content-Type", "application/json"),
        ),
        json.dumps(body).encode(),
    )


def response_limit_decimal(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """Results over 6,000,000 bytes are refused (GT-043/044: the limit is 6291556)."""
    limit = 6_000_000
    if response.status != 200 or response.is_function_error or len(response.body) <= limit:
        return response
    return response.with_header("X-Amz-Function-Error", "Unhandled").with_json(
        {
            "errorMessage": "Response payload size exceeded maximum allowed payload size "
            f"({limit} bytes).",
            "errorType": "Function.ResponseSizeTooLarge",
        }
    )


def response_too_large_as_500(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """An oversized result becomes a service error (GT-043: 200 + function error)."""
    body = response.json() if response.is_function_error else None
    if not isinstance(body, dict) or not is_too_large(body):
        return response
    return error_response(
        500,
        "Internal Server Error",
        "ServiceException",
        str(body.get("errorMessage")),
        "Message",
        response.request_id,
        extra={"Type": "Service"},
    )


response_too_large_errortype = edit_function_error(
    lambda body: {**body, "errorType": "ResponseSizeTooLarge"}, is_too_large
)


def function_error_guessed_from_result(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """A result that looks like an error object is flagged as a function error."""
    if response.status != 200 or response.is_function_error:
        return response
    body = response.json()
    if isinstance(body, dict) and ("errorMessage" in body or "errorType" in body):
        return response.with_header("X-Amz-Function-Error", "Unhandled")
    return response


def sync_invoked_twice(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """A synchronous call is sent to the function twice (a retry on the first answer)."""
    first = ctx.upstream.send(request)
    if not call.is_sync or first.status != 200:
        return first
    return ctx.upstream.send(request)


def null_result_empty_body(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """A `None` result is sent as an empty body (GT-028: the 4 bytes `null`)."""
    if response.status == 200 and not response.is_function_error and response.body == b"null":
        return response.with_body(b"")
    return response


def oversized_result_poisons_next_invoke(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """After an oversized result the function's worker is gone: the next synchronous call of
    that function fails with Runtime.ExitError (GT-043: a second invoke behaves the same)."""
    key = call.base_name
    with ctx.lock:
        poisoned: set[str] = ctx.state.setdefault("poisoned", set())
        hit = call.is_sync and key in poisoned
        if hit:
            poisoned.discard(key)
    if hit:
        request_id = new_request_id()
        body = {
            "errorType": "Runtime.ExitError",
            "errorMessage": f"RequestId: {request_id} Error: Runtime exited with error: "
            "signal: killed",
        }
        return ProxyResponse(
            200,
            "OK",
            (
                ("x-amzn-RequestId", request_id),
                ("X-Amz-Function-Error", "Unhandled"),
                ("X-Amz-Executed-Version", "$LATEST"),
                ("Content-Type", "application/json"),
            ),
            json.dumps(body).encode(),
        )
    response = ctx.upstream.send(request)
    error = response.json() if response.is_function_error else None
    if isinstance(error, dict) and is_too_large(error):
        with ctx.lock:
            ctx.state.setdefault("poisoned", set()).add(key)
    return response
