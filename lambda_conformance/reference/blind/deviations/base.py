"""Base: forwarding combinators and the helpers the deviation modules share."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lambda_conformance.reference.blind.context import DeviationContext, InvokeHook
from lambda_conformance.reference.blind.exchange import (
    InvokeCall,
    ProxyRequest,
    ProxyResponse,
    decode_log,
    encode_log,
    error_response,
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


def probe_exists(request: ProxyRequest, call: InvokeCall, ctx: DeviationContext) -> bool:
    """Whether the unqualified function exists: a DryRun of the bare name (GT-030)."""
    probe = (
        request.with_function_name(split_qualifier(call.function_name)[0])
        .with_qualifier(None)
        .with_header("X-Amz-Invocation-Type", "DryRun")
        .with_body(b"{}")
    )
    return ctx.upstream.send(probe).status != 404
