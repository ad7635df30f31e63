"""Names: deviations of FunctionName forms, pattern and length, and of Qualifier
(versions, aliases, $LATEST, unknown, pattern, length, conflict with the name's qualifier).
"""

from __future__ import annotations

import re

from lambda_conformance.reference.blind.context import DeviationContext
from lambda_conformance.reference.blind.deviations.base import (
    NUMERIC,
    PLAIN_NAME,
    drop_validation,
    not_found,
    probe_exists,
    validation_items,
)
from lambda_conformance.reference.blind.exchange import (
    InvokeCall,
    ProxyRequest,
    ProxyResponse,
    error_response,
    new_request_id,
    split_qualifier,
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


# The region part of the FunctionName pattern (URI Request Parameters: FunctionName).
_PATTERN_REGION = re.compile(r"[a-z]{2}(-gov)?-[a-z]+-\d{1}")


def cross_region_arn_served(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyRequest:
    """The region of a full ARN is ignored (GT-020 says: 404, not reachable).

    Only a region the FunctionName pattern admits is replaced (a correction by the lead):
    replacing any region also let pattern-breaking ones (GT-006's `invalid-region`)
    through, a second deviation (INV-NAME-002) beside the one described."""
    parts = call.function_name.split(":")
    if (
        parts[0] == "arn"
        and len(parts) >= 7
        and _PATTERN_REGION.fullmatch(parts[3])
        and parts[3] != ctx.facts.region
    ):
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


def qualifier_validated_after_existence(
    request: ProxyRequest, call: InvokeCall, ctx: DeviationContext
) -> ProxyResponse:
    """The function is looked up before the Qualifier is validated: an invalid Qualifier on
    an absent function answers 404 (GT-003: validated before the existence lookup)."""
    response = ctx.upstream.send(request)
    items = validation_items(response)
    if items and all("at 'qualifier'" in item for item in items):
        if not probe_exists(request, call, ctx):
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
        if not probe_exists(request, call, ctx):
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
