"""Payload: deviations of the request body (JSON, empty, invalid UTF-8, size limits)."""

from __future__ import annotations

import json

from lambda_conformance.reference.blind.context import DeviationContext
from lambda_conformance.reference.blind.deviations.base import (
    rename_key,
    too_large,
)
from lambda_conformance.reference.blind.exchange import (
    InvokeCall,
    ProxyRequest,
    ProxyResponse,
    error_response,
)


# --- Payload ----------------------------------------------------------------------------------
def empty_body_as_null(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyRequest:
    return request.with_body(b"null") if call.body == b"" else request


def empty_body_rejected(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    if call.body == b"":
        return error_response(
            400,
            "Bad Request",
            "InvalidRequestContentException",
            "Could not parse request body into json: Could not parse payload into json: "
            "No content to map due to end-of-input",
        )
    return ctx.upstream.send(request)


def _utf8(body: bytes) -> str | None:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def non_json_body_as_string(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyRequest:
    """A body that is not JSON is handed over as a JSON string (GT-047: 400)."""
    text = _utf8(call.body)
    if text is None or call.body == b"":
        return request
    try:
        json.loads(text)
    except ValueError:
        return request.with_body(json.dumps(text).encode())
    return request


def invalid_utf8_server_error(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """The body is decoded before it is parsed, and the decode error escapes as a 500."""
    try:
        call.body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return error_response(
            500,
            "Internal Server Error",
            "ServiceException",
            str(exc),
            "Message",
            extra={"Type": "Service"},
        )
    return ctx.upstream.send(request)


def payload_big_ints_as_doubles(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyRequest:
    """Numbers go through a double, as in a JavaScript emulator: integers beyond 2**53 lose
    precision before the function sees them (GT-027: the payload arrives unchanged)."""
    big = False

    def parse_int(text: str) -> int:
        nonlocal big
        value = int(text)
        if abs(value) > 2**53:
            big = True
            return int(float(value))
        return value

    try:
        document = json.loads(call.body, parse_int=parse_int)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return request
    return request.with_body(json.dumps(document).encode()) if big else request


def payload_unicode_mangled(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyRequest:
    """The body is read as Latin-1 and re-encoded as UTF-8 (mojibake for non-ASCII)."""
    if _utf8(call.body) is not None and not call.body.isascii():
        return request.with_body(call.body.decode("latin-1").encode("utf-8"))
    return request


def sync_payload_limit_decimal(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """6 MB read as 6,000,000 bytes (spec limits.sync_payload: 6 MiB = 6291456)."""
    limit = 6_000_000
    if (call.is_sync or call.is_dry_run) and limit < len(call.body) <= ctx.facts.sync_limit:
        return too_large(
            ctx, f"Request must be smaller than {limit} bytes for the InvokeFunction operation"
        )
    return ctx.upstream.send(request)


def async_payload_limit_old(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """The pre-October-2025 Event limit of 256 KB (GT-049: now 1 MB)."""
    limit = 262144
    if call.is_event and len(call.body) > limit:
        return too_large(
            ctx,
            f"{len(call.body)} byte payload is too large for the Event invocation type "
            f"(limit {limit} bytes)",
        )
    return ctx.upstream.send(request)


def payload_too_large_modeled_name(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """The model's RequestTooLargeException instead of what AWS sends (GT-048, GT-049)."""
    if response.error_type != "RequestEntityTooLargeException":
        return response
    body = rename_key(response.json() or {}, "Message", "message")
    return response.with_header("x-amzn-ErrorType", "RequestTooLargeException").with_json(body)


def payload_too_large_status_400(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    if response.status == 413:
        return response.with_status(400, "Bad Request")
    return response


def connection_reset_on_oversized(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """A body over the server's maximum is dropped with the connection, unanswered."""
    if len(call.body) > ctx.facts.sync_limit:
        return ProxyResponse(0, "", (), b"", drop_connection=True)
    return ctx.upstream.send(request)


def non_object_json_rejected(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """Only a JSON object is accepted as the event (GT-027: any JSON value is valid)."""
    try:
        document = json.loads(call.body) if call.body else {}
    except (ValueError, UnicodeDecodeError, RecursionError):
        return ctx.upstream.send(request)
    if not isinstance(document, dict):
        return error_response(
            400,
            "Bad Request",
            "InvalidRequestContentException",
            "Could not parse request body into json: Could not parse payload into json: "
            "the payload must be a JSON object",
        )
    return ctx.upstream.send(request)


def content_type_required(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """A request without Content-Type is refused with 415 (aws-observed.md, 'Not observed':
    SDKs send none for Invoke, so a missing Content-Type must be accepted)."""
    if request.header("Content-Type") is None:
        return error_response(
            415,
            "Unsupported Media Type",
            "UnsupportedMediaTypeException",
            "The content type of the Invoke request body is not JSON.",
        )
    return ctx.upstream.send(request)
