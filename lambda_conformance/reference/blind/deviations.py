"""Deviations: the hooks that make the proxy break the contract, one mistake each.

Each hook is written from the page (../shared/API_Invoke.md), spec/invoke.yaml and the
observed rows (../shared/reference/aws-observed.md, GT-nnn), never from the suite's checks.
Most are built with `after` (forward, then edit the answer) or `before` (edit the request,
then forward); the rest answer, probe or call upstream themselves.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
from collections.abc import Callable
from typing import Any

from lambda_conformance.reference.blind.context import DeviationContext, InvokeHook
from lambda_conformance.reference.blind.exchange import (
    InvokeCall,
    ProxyRequest,
    ProxyResponse,
    decode_log,
    empty_response,
    encode_log,
    error_response,
    new_request_id,
    split_qualifier,
)

ResponseEdit = Callable[[ProxyResponse, InvokeCall, DeviationContext], ProxyResponse]
RequestEdit = Callable[[ProxyRequest, InvokeCall, DeviationContext], ProxyRequest]

NOT_FOUND = "ResourceNotFoundException"
PLAIN_NAME = re.compile(r"^[a-zA-Z0-9_.-]+$")
NUMERIC = re.compile(r"^[0-9]+$")


def after(edit: ResponseEdit) -> InvokeHook:
    """Forward the request unchanged, then apply `edit` to the answer."""

    def hook(request: ProxyRequest, call: InvokeCall, ctx: DeviationContext) -> ProxyResponse:
        return edit(ctx.upstream.send(request), call, ctx)

    return hook


def before(edit: RequestEdit) -> InvokeHook:
    """Apply `edit` to the request, then forward it."""

    def hook(request: ProxyRequest, call: InvokeCall, ctx: DeviationContext) -> ProxyResponse:
        return ctx.upstream.send(edit(request, call, ctx))

    return hook


# --- helpers -------------------------------------------------------------------------------
def not_found(call: InvokeCall, ctx: DeviationContext, request_id: str) -> ProxyResponse:
    """What an emulator answers when it looks a name up without validating it (GT-021)."""
    qualifier = call.effective_qualifier or "$LATEST"
    arn = ctx.function_arn(call.base_name, qualifier)
    return error_response(
        404, "Not Found", NOT_FOUND, f"Function not found: {arn}", "Message", request_id
    )


def validation_items(response: ProxyResponse) -> list[str] | None:
    """The individual constraint errors of a `N validation error(s) detected: a; b` answer
    (GT-001, GT-010), or None when the answer is not one."""
    if response.status != 400:
        return None
    body = response.json()
    if not isinstance(body, dict):
        return None
    message = body.get("message") or body.get("Message")
    if not isinstance(message, str) or "detected: " not in message:
        return None
    return message.split("detected: ", 1)[1].split("; ")


def drop_validation(
    response: ProxyResponse,
    call: InvokeCall,
    ctx: DeviationContext,
    skipped: Callable[[str], bool],
) -> ProxyResponse:
    """Answer as if the constraint errors `skipped` selects were never checked: the other
    errors remain, and with none left the name is looked up (404)."""
    items = validation_items(response)
    if items is None or not any(skipped(item) for item in items):
        return response
    kept = [item for item in items if not skipped(item)]
    if not kept:
        return not_found(call, ctx, response.request_id)
    body = response.json()
    key = "message" if "message" in body else "Message"
    noun = "error" if len(kept) == 1 else "errors"
    body[key] = f"{len(kept)} validation {noun} detected: " + "; ".join(kept)
    return response.with_json(body)


def edit_error_body(
    edit: Callable[[dict[str, Any]], dict[str, Any]], only: str | None = None
) -> ResponseEdit:
    """Edit the JSON body of every error answer (of type `only`, when given)."""

    def apply(response: ProxyResponse, call: InvokeCall, ctx: DeviationContext) -> ProxyResponse:
        if response.status < 400 or response.error_type is None:
            return response
        if only is not None and response.error_type != only:
            return response
        body = response.json()
        if not isinstance(body, dict):
            return response
        return response.with_json(edit(body))

    return apply


def edit_function_error(
    edit: Callable[[dict[str, Any]], dict[str, Any]], when: Callable[[dict[str, Any]], bool]
) -> ResponseEdit:
    """Edit the error object of a function error (status 200 + X-Amz-Function-Error)."""

    def apply(response: ProxyResponse, call: InvokeCall, ctx: DeviationContext) -> ProxyResponse:
        if not response.is_function_error:
            return response
        body = response.json()
        if not isinstance(body, dict) or not when(body):
            return response
        return response.with_json(edit(body))

    return apply


def is_timeout(body: dict[str, Any]) -> bool:
    return body.get("errorType") == "Sandbox.Timedout"


def is_too_large(body: dict[str, Any]) -> bool:
    return body.get("errorType") == "Function.ResponseSizeTooLarge"


def is_raised(body: dict[str, Any]) -> bool:
    """An error the handler raised itself (not a timeout or an oversized result)."""
    return not is_timeout(body) and not is_too_large(body)


def rename_key(body: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    return {(new if key == old else key): value for key, value in body.items()}


def edit_log(edit: Callable[[str], str]) -> ResponseEdit:
    def apply(response: ProxyResponse, call: InvokeCall, ctx: DeviationContext) -> ProxyResponse:
        text = decode_log(response)
        if text is None:
            return response
        return response.with_header("X-Amz-Log-Result", encode_log(edit(text)))

    return apply


def too_large(ctx: DeviationContext, message: str) -> ProxyResponse:
    facts = ctx.facts
    return error_response(
        413, "Request Entity Too Large", facts.too_large_error, message, facts.too_large_key
    )


# --- FunctionName ----------------------------------------------------------------------------
def _name_pattern_item(item: str) -> bool:
    return "at 'functionName'" in item and "regular expression pattern" in item


def _name_max_length_item(item: str) -> bool:
    # The 170/256 maximum, not the 64-character bare-name rule (INV-NAME-004).
    return (
        "at 'functionName'" in item
        and "length less than or equal to" in item
        and ("equal to 64" not in item)
    )


def _bare_name_item(item: str) -> bool:
    return "at 'functionName'" in item and "length less than or equal to 64" in item


def name_pattern_not_validated(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    return drop_validation(response, call, ctx, _name_pattern_item)


def name_max_length_not_enforced(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    return drop_validation(response, call, ctx, _name_max_length_item)


def bare_name_64_not_enforced(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    return drop_validation(response, call, ctx, _bare_name_item)


def bare_name_64_enforced(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """CreateFunction's 64-character rule applied to Invoke (GT-008 says it is not)."""
    name = call.function_name
    if response.status != 404 or ":" in name or len(name) <= 64:
        return response
    message = (
        f"1 validation error detected: Value '{name}' at 'functionName' failed to satisfy "
        "constraint: Member must have length less than or equal to 64"
    )
    return error_response(
        400, "Bad Request", ctx.facts.constraint_error, message, request_id=response.request_id
    )


def partial_arn_unsupported(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """Only full ARNs and plain names are parsed; `acct:function:name` is taken as a name."""
    parts = call.function_name.split(":")
    if len(parts) in (3, 4) and parts[1] == "function" and parts[0].isdigit():
        return not_found(call, ctx, new_request_id())
    return ctx.upstream.send(request)


def name_qualifier_suffix_ignored(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyRequest:
    name, suffix = split_qualifier(call.function_name)
    return request if suffix is None else request.with_function_name(name)


def cross_region_arn_served(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyRequest:
    """The region of a full ARN is ignored (GT-020 says: 404, not reachable)."""
    parts = call.function_name.split(":")
    if parts[0] == "arn" and len(parts) >= 7 and parts[3] and parts[3] != ctx.facts.region:
        parts[3] = ctx.facts.region
        return request.with_function_name(":".join(parts))
    return request


def invoked_arn_latest_suffix(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyRequest:
    """An unqualified call is run as `name:$LATEST`, so the context's ARN gets the suffix
    (GT-035: unqualified calls see an unqualified ARN)."""
    name = call.function_name
    if call.qualifier is None and PLAIN_NAME.match(name) and len(name) <= 64:
        return request.with_function_name(f"{name}:$LATEST")
    return request


# --- Qualifier --------------------------------------------------------------------------------
def _alias_like(qualifier: str | None) -> bool:
    return qualifier is not None and qualifier != "$LATEST" and not NUMERIC.match(qualifier)


def alias_runs_latest(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """An alias is checked for existence (DryRun probe) but $LATEST runs (GT-032)."""
    if call.qualifier is None or not _alias_like(call.qualifier) or not call.is_sync:
        return ctx.upstream.send(request)
    probe = ctx.upstream.send(request.with_header("X-Amz-Invocation-Type", "DryRun"))
    if probe.status != 204:
        return ctx.upstream.send(request)
    return ctx.upstream.send(request.with_qualifier(None))


def executed_version_alias_name(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """X-Amz-Executed-Version names the alias instead of its version (GT-032)."""
    qualifier = call.effective_qualifier
    if response.status == 200 and _alias_like(qualifier) and qualifier is not None:
        return response.with_header("X-Amz-Executed-Version", qualifier)
    return response


def unknown_qualifier_runs_latest(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """A Qualifier naming nothing falls back to $LATEST (GT-022 says 404)."""
    response = ctx.upstream.send(request)
    if (
        response.status == 404
        and call.qualifier is not None
        and call.name_qualifier is None
        and call.base_name.startswith("conformance-")
        and (response.json() or {}).get("Message", "").endswith(f":{call.qualifier}")
    ):
        return ctx.upstream.send(request.with_qualifier(None))
    return response


def qualifier_pattern_not_validated(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    return drop_validation(
        response,
        call,
        ctx,
        lambda item: "at 'qualifier'" in item and "regular expression pattern" in item,
    )


def qualifier_length_not_validated(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    return drop_validation(
        response,
        call,
        ctx,
        lambda item: "at 'qualifier'" in item and "length less than or equal to" in item,
    )


def qualifier_latest_case_insensitive(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyRequest:
    """`$latest` is read as `$LATEST` (GT-015: it is a well-formed qualifier naming nothing)."""
    if call.qualifier is not None and call.qualifier != "$LATEST":
        if call.qualifier.lower() == "$latest":
            return request.with_qualifier("$LATEST")
    return request


def qualifier_conflict_ignored(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyRequest:
    """The Qualifier parameter silently wins over the name's qualifier (GT-014: 400)."""
    name, suffix = split_qualifier(call.function_name)
    if suffix is not None and call.qualifier is not None and suffix != call.qualifier:
        return request.with_function_name(name)
    return request


def explicit_latest_rejected(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """Only published versions and aliases are looked up; `$LATEST` given explicitly is not
    found (GT-035: it runs the latest code)."""
    if call.effective_qualifier == "$LATEST":
        return not_found(call, ctx, new_request_id())
    return ctx.upstream.send(request)


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


# --- error wire format ------------------------------------------------------------------------
def error_type_header_missing(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """The code travels only in the body as `__type` (the awsJson style), not the header."""
    code = response.error_type
    if response.status < 400 or code is None:
        return response
    body = response.json()
    if isinstance(body, dict):
        response = response.with_json({"__type": code, **body})
    return response.without_header("x-amzn-ErrorType")


def error_type_without_suffix(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """The page's short names (`ResourceNotFound`) on the wire instead of the full ones."""
    code = response.error_type
    if response.status < 400 or code is None or not code.endswith("Exception"):
        return response
    return response.with_header("x-amzn-ErrorType", code[: -len("Exception")])


def not_found_status_400(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    if response.error_type == NOT_FOUND:
        return response.with_status(400, "Bad Request")
    return response


not_found_message_key_lowercase = edit_error_body(
    lambda body: rename_key(body, "Message", "message"), only=NOT_FOUND
)
error_message_key_capitalised = edit_error_body(lambda body: rename_key(body, "message", "Message"))
error_body_no_type = edit_error_body(lambda body: {k: v for k, v in body.items() if k != "Type"})


def error_content_type_amz_json(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    if response.status >= 400 and response.error_type is not None:
        return response.with_header("Content-Type", "application/x-amz-json-1.1")
    return response


def error_body_nested(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """The query-protocol envelope in JSON: {"Error": {"Code", "Message"}}."""
    body = response.json() if response.status >= 400 else None
    if not isinstance(body, dict) or response.error_type is None:
        return response
    message = body.get("message", body.get("Message"))
    return response.with_json({"Error": {"Code": response.error_type, "Message": message}})


def constraint_error_ipve(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """ValidationException answered as the page's InvalidParameterValueException."""
    if response.error_type == "ValidationException":
        return response.with_header("x-amzn-ErrorType", "InvalidParameterValueException")
    return response


def constraint_error_validation(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """Constraint violations answered ValidationException, as AWS does (GT-001)."""
    if response.error_type == "InvalidParameterValueException" and validation_items(response):
        return response.with_header("x-amzn-ErrorType", "ValidationException")
    return response


def not_found_message_without_arn(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """`Function not found: <name>` instead of the ARN form (GT-021, GT-022)."""
    if response.error_type != NOT_FOUND:
        return response
    body = response.json()
    if not isinstance(body, dict) or not str(body.get("Message", "")).startswith("Function not"):
        return response
    return response.with_json({**body, "Message": f"Function not found: {call.base_name}"})


def invalid_content_message_node(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """A JavaScript parser's message instead of `Could not parse request body into json:`
    (GT-045..047)."""
    if response.error_type != "InvalidRequestContentException":
        return response
    body = response.json() or {}
    text = call.body[:1].decode("latin-1") or "end of input"
    return response.with_json({**body, "message": f"Unexpected token {text} in JSON at position 0"})


# --- response headers -------------------------------------------------------------------------
def executed_version_missing(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    return response.without_header("X-Amz-Executed-Version")


def executed_version_missing_on_function_error(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """The version header is written on the success path only (GT-037: also on errors)."""
    if response.is_function_error:
        return response.without_header("X-Amz-Executed-Version")
    return response


def request_id_header_missing(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    return response.without_header("x-amzn-RequestId")


def request_id_not_context_id(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """The HTTP layer makes its own id, unrelated to the function's (GT-057)."""
    if response.status == 200:
        return response.with_header("x-amzn-RequestId", new_request_id())
    return response


def content_type_octet_stream(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """The result is labelled a blob (GT-059: application/json)."""
    if response.status == 200:
        return response.with_header("Content-Type", "application/octet-stream")
    return response


# --- more row-stated observables (aws-observed.md, row by row) ------------------------------
def _probe_exists(request: ProxyRequest, call: InvokeCall, ctx: DeviationContext) -> bool:
    """Whether the unqualified function exists: a DryRun of the bare name (GT-030)."""
    probe = (
        request.with_function_name(split_qualifier(call.function_name)[0])
        .with_qualifier(None)
        .with_header("X-Amz-Invocation-Type", "DryRun")
        .with_body(b"{}")
    )
    return ctx.upstream.send(probe).status != 404


def qualifier_validated_after_existence(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """The function is looked up before the Qualifier is validated: an invalid Qualifier on
    an absent function answers 404 (GT-003: validated before the existence lookup)."""
    response = ctx.upstream.send(request)
    items = validation_items(response)
    if items and all("at 'qualifier'" in item for item in items):
        if not _probe_exists(request, call, ctx):
            return not_found(call, ctx, response.request_id)
    return response


def name_max_length_170_on_aws(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """The seed model's 170-character maximum (GT-009: no longer enforced; the model has 256)."""
    name = call.function_name
    if 170 < len(name) <= 256:
        message = (
            f"1 validation error detected: Value '{name}' at 'functionName' failed to "
            "satisfy constraint: Member must have length less than or equal to 170"
        )
        return error_response(400, "Bad Request", ctx.facts.constraint_error, message)
    return ctx.upstream.send(request)


def validation_first_error_only(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """Validation stops at the first failed constraint (GT-010: all are listed, `; `)."""
    items = validation_items(response)
    if not items or len(items) < 2:
        return response
    body = response.json()
    key = "message" if "message" in body else "Message"
    body[key] = f"1 validation error detected: {items[0]}"
    return response.with_json(body)


INCOMPLETE_ARN = re.compile(r"^arn:[^:]*:lambda:[^:]*:[^:]*:function$")


def incomplete_arn_rejected(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """`arn:aws:lambda:r:acct:function` is refused as malformed, though it matches the
    pattern as a partial ARN whose name is `function` (GT-012: 404)."""
    name = call.function_name
    if INCOMPLETE_ARN.match(name):
        message = (
            f"1 validation error detected: Value '{name}' at 'functionName' failed to "
            "satisfy constraint: Member must satisfy regular expression pattern: "
            "arn:aws:lambda:<region>:<account>:function:<name>"
        )
        return error_response(400, "Bad Request", ctx.facts.constraint_error, message)
    return ctx.upstream.send(request)


def qualifier_conflict_after_existence(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """The function is looked up before the two qualifiers are compared (GT-014: the conflict
    is checked before existence)."""
    suffix = call.name_qualifier
    if suffix is not None and call.qualifier is not None and suffix != call.qualifier:
        if not _probe_exists(request, call, ctx):
            return not_found(call, ctx, new_request_id())
    return ctx.upstream.send(request)


def qualifier_max_64(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """CreateAlias's 64-character name limit applied to Qualifier (GT-023: up to 128 is
    well-formed and answers 404 when absent)."""
    qualifier = call.qualifier
    if qualifier is not None and 64 < len(qualifier) <= 128:
        message = (
            f"1 validation error detected: Value '{qualifier}' at 'qualifier' failed to "
            "satisfy constraint: Member must have length less than or equal to 64"
        )
        return error_response(400, "Bad Request", ctx.facts.constraint_error, message)
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


def null_result_empty_body(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """A `None` result is sent as an empty body (GT-028: the 4 bytes `null`)."""
    if response.status == 200 and not response.is_function_error and response.body == b"null":
        return response.with_body(b"")
    return response


def version_qualifier_runs_latest(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """A published version in Qualifier is checked (DryRun) but $LATEST runs (GT-031)."""
    qualifier = call.qualifier
    if qualifier is None or not NUMERIC.match(qualifier) or not call.is_sync:
        return ctx.upstream.send(request)
    probe = ctx.upstream.send(request.with_header("X-Amz-Invocation-Type", "DryRun"))
    if probe.status != 204:
        return ctx.upstream.send(request)
    return ctx.upstream.send(request.with_qualifier(None))


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


too_large_message_key_lowercase = edit_error_body(
    lambda body: rename_key(body, "Message", "message"), only="RequestEntityTooLargeException"
)


def log_lines_other_request_id(
    response: ProxyResponse, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """The runtime logs under its own id: START/END/REPORT name another request id than
    x-amzn-RequestId (GT-057: the same id)."""
    other = new_request_id()
    own = response.header("x-amzn-RequestId") or ""
    return edit_log(lambda text: text.replace(own, other) if own else text)(response, call, ctx)


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
