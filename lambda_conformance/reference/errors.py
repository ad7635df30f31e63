"""Replies and error answers, shaped by the spec's error table and conventions."""

from __future__ import annotations

import json
from dataclasses import dataclass

from lambda_conformance.reference.mutants import Switches
from lambda_conformance.spec import Spec

JSON = "application/json"


@dataclass(frozen=True, slots=True)
class Reply:
    """A complete HTTP answer; the server adds x-amzn-RequestId, Date and Content-Length."""

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    close: bool = False


class ApiError(Exception):
    """An error answer: the error's full name (a key of the spec's error table), its
    message, and extra body fields (e.g. `Reason` of a 429, GT-050)."""

    def __init__(self, name: str, message: str, extra: dict[str, str] | None = None) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message
        self.extra = dict(extra or {})


def error_reply(spec: Spec, error: ApiError, switches: Switches) -> Reply:
    """The wire form of `error`: status from the error table, the code in the error-type
    header, and a JSON body with `Type` and the message under the table's message key."""
    entry = spec.errors[error.name]
    status = entry.status
    conventions = spec.conventions
    if switches.on("not-found-400") and error.name == conventions.not_found_error:
        status = 400
    if switches.on("oversized-payload-400") and error.name == conventions.request_too_large_error:
        status = 400
    code = error.name
    if switches.on("error-type-no-suffix"):
        code = code.removesuffix("Exception")
    message = error.message
    if switches.on("validation-message") and error.name == conventions.constraint_violation_error:
        message = message.split(" detected: ", 1)[-1]
    if switches.on("invalid-json-message") and error.name == conventions.invalid_content_error:
        message = "The request body could not be parsed as JSON: " + message.rsplit(": ", 1)[-1]
    key = entry.message_key
    if switches.on("message-key-case"):
        key = key[0].swapcase() + key[1:]
    body: dict[str, str] = {}
    if not switches.on("error-body-no-type"):
        # "User" for the caller's faults, "Service" for the service's (GT-021, GT-050).
        body[conventions.body_type_key] = "Service" if status >= 500 else "User"
        if switches.on("error-body-type-sender") and status < 500:
            body[conventions.body_type_key] = "Sender"
    body[key] = message
    body.update(error.extra)
    headers: tuple[tuple[str, str], ...] = (
        (conventions.error_type_header, code),
        ("Content-Type", conventions.error_content_type),
    )
    if switches.on("error-type-in-body-only"):
        body["__type"] = code
        headers = headers[1:]
    return Reply(status=status, headers=headers, body=json.dumps(body).encode())


def service_error(spec: Spec, switches: Switches) -> Reply:
    """The answer to anything unexpected inside the target: 500 ServiceException."""
    return error_reply(spec, ApiError("ServiceException", "An internal error occurred."), switches)


def unknown_operation() -> Reply:
    """A request that matches no operation of this target (not an Invoke error)."""
    body = json.dumps({"message": "Unknown operation"}).encode()
    return Reply(
        404, (("x-amzn-ErrorType", "UnknownOperationException"), ("Content-Type", JSON)), body
    )
