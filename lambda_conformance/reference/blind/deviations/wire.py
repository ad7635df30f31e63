"""Wire: deviations of the error wire format (x-amzn-ErrorType, status, body keys, Type,
content type, messages) and of the response headers.
"""

from __future__ import annotations

from lambda_conformance.reference.blind.context import DeviationContext
from lambda_conformance.reference.blind.deviations.base import (
    NOT_FOUND,
    edit_error_body,
    rename_key,
    validation_items,
)
from lambda_conformance.reference.blind.exchange import (
    InvokeCall,
    ProxyResponse,
    new_request_id,
)


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


too_large_message_key_lowercase = edit_error_body(
    lambda body: rename_key(body, "Message", "message"), only="RequestEntityTooLargeException"
)
