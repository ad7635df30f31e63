"""Logs and context: deviations of LogType and the log tail, and of ClientContext."""

from __future__ import annotations

import base64
import binascii
import json

from lambda_conformance.reference.blind.context import DeviationContext
from lambda_conformance.reference.blind.deviations.base import (
    edit_log,
)
from lambda_conformance.reference.blind.exchange import (
    InvokeCall,
    ProxyRequest,
    ProxyResponse,
    decode_log,
    new_request_id,
)


# --- LogType ----------------------------------------------------------------------------------
def log_tail_ignored(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    return response.without_header("X-Amz-Log-Result")


def log_result_always(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyRequest:
    if call.is_sync and call.log_type in (None, "None"):
        return request.with_header("X-Amz-Log-Type", "Tail")
    return request


def log_result_not_base64(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """The log is sent as text (one header line) instead of base64."""
    text = decode_log(response)
    if text is None:
        return response
    flat = text.replace("\r", " ").replace("\n", " ").replace("\t", " ").strip()
    return response.with_header("X-Amz-Log-Result", flat)


def log_tail_over_4kb(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """An INIT_START line is put in front after the 4 KB cut, so a full tail exceeds 4 KB."""
    init = (
        "INIT_START Runtime Version: python:3.12.v40\tRuntime Version ARN: "
        "arn:aws:lambda:us-east-1::runtime:0123456789abcdef0123456789abcdef\n"
    )
    return edit_log(lambda text: init + text)(response, call, ctx)


def log_tail_missing_report(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    def drop(text: str) -> str:
        return "".join(
            line for line in text.splitlines(keepends=True) if not line.startswith("REPORT ")
        )

    return edit_log(drop)(response, call, ctx)


def log_tail_without_function_output(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """The function's stdout is not captured: only the platform lines remain."""

    def platform_only(text: str) -> str:
        return "".join(
            line
            for line in text.splitlines(keepends=True)
            if line.startswith(("START ", "END ", "REPORT "))
        )

    return edit_log(platform_only)(response, call, ctx)


def invalid_log_type_accepted(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyRequest:
    if call.log_type not in (None, "None", "Tail"):
        return request.without_header("X-Amz-Log-Type")
    return request


# --- ClientContext ----------------------------------------------------------------------------
def client_context_dropped(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyRequest:
    return request.without_header("X-Amz-Client-Context")


def client_context_length_unchecked(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyRequest:
    """Over 3583 bytes the context is silently not passed on, instead of a 400."""
    if call.client_context is not None and len(call.client_context.encode()) > 3583:
        return request.without_header("X-Amz-Client-Context")
    return request


def _valid_client_context(value: str) -> bool:
    try:
        decoded = json.loads(base64.b64decode(value, validate=True))
    except (binascii.Error, ValueError):
        return False
    return isinstance(decoded, dict)


def client_context_invalid_ignored(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyRequest:
    """A context that is not base64 JSON is dropped instead of rejected."""
    if call.client_context is not None and not _valid_client_context(call.client_context):
        return request.without_header("X-Amz-Client-Context")
    return request


def client_context_empty_when_absent(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyRequest:
    """Without a ClientContext the function gets an empty one instead of none (GT-031)."""
    if call.client_context is None:
        return request.with_header("X-Amz-Client-Context", base64.b64encode(b"{}").decode())
    return request


def log_lines_other_request_id(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """The runtime logs under its own id: START/END/REPORT name another request id than
    x-amzn-RequestId (GT-057: the same id)."""
    other = new_request_id()
    own = response.header("x-amzn-RequestId") or ""
    return edit_log(lambda text: text.replace(own, other) if own else text)(response, call, ctx)
