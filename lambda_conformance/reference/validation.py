"""Request validation: parameter constraints, ClientContext and the JSON payload."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from lambda_conformance.reference.errors import ApiError
from lambda_conformance.reference.mutants import Switches
from lambda_conformance.spec import Parameter, Spec

_PAYLOAD_PREFIX = "Could not parse request body into json: Could not parse payload into json: "
_JACKSON_SOURCE = "REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)"
_JSON_TOKENS = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')"


def _member(parameter: Parameter) -> str:
    # Validation messages name members in lowerCamelCase: 'functionName', 'qualifier' (GT-001/003).
    return parameter.name[0].lower() + parameter.name[1:]


def _length_and_pattern(
    parameter: Parameter,
    value: str,
    check_length: bool,
    check_pattern: bool,
    max_length: int | None = None,
) -> list[str]:
    found: list[str] = []
    prefix = f"Value '{value}' at '{_member(parameter)}' failed to satisfy constraint: Member must"
    maximum = max_length if max_length is not None else parameter.max_length
    if check_length and parameter.min_length is not None and len(value) < parameter.min_length:
        found.append(f"{prefix} have length greater than or equal to {parameter.min_length}")
    if check_length and maximum is not None and len(value) > maximum:
        found.append(f"{prefix} have length less than or equal to {maximum}")
    regex = parameter.regex
    if check_pattern and regex is not None and regex.fullmatch(value) is None:
        found.append(f"{prefix} satisfy regular expression pattern: {parameter.pattern}")
    return found


def _enum(parameter: Parameter, value: str | None) -> list[str]:
    if value is None or value in parameter.enum:
        return []
    allowed = ", ".join(parameter.enum)
    return [
        f"Value '{value}' at '{_member(parameter)}' failed to satisfy constraint: "
        f"Member must satisfy enum value set: [{allowed}]"
    ]


def check_constraints(
    spec: Spec,
    function_name: str,
    qualifier: str | None,
    invocation_type: str | None,
    log_type: str | None,
    switches: Switches,
) -> None:
    """Step 1: every constraint violation of the request, combined into one error (GT-010).

    Pattern and length faults are the profile's constraint-violation error; a request whose
    only faults are enum values gets the first enum-violation error of the profile.
    """
    constraint: list[str] = []
    name_parameter = spec.parameter("FunctionName")
    check_name_length = not switches.on("long-names-accepted")
    bare_limit = spec.limits.bare_name_max_length
    # Under `documented` a bare name (no ARN parts, no qualifier) is limited to 64 characters
    # ("URI Request Parameters: FunctionName"); under `aws` it is not (GT-008: bare_limit None).
    bare_max = bare_limit if bare_limit is not None and ":" not in function_name else None
    if bare_max is not None and name_parameter.max_length is not None:
        bare_max = min(bare_max, name_parameter.max_length)
    constraint += _length_and_pattern(
        name_parameter,
        function_name,
        check_name_length,
        not switches.on("invalid-names-accepted"),
        max_length=bare_max,
    )
    if qualifier is not None:
        qualifier_parameter = spec.parameter("Qualifier")
        constraint += _length_and_pattern(
            qualifier_parameter, qualifier, not switches.on("long-qualifiers-accepted"), True
        )
    enums = _enum(spec.parameter("InvocationType"), invocation_type)
    enums += _enum(spec.parameter("LogType"), log_type)
    violations = constraint + enums
    if not violations:
        return
    if switches.on("validation-errors-not-combined"):
        violations = violations[:1]
    conventions = spec.conventions
    error = (
        conventions.constraint_violation_error
        if constraint
        else conventions.enum_violation_errors[0]
    )
    count = len(violations)
    noun = "error" if count == 1 else "errors"
    raise ApiError(error, f"{count} validation {noun} detected: " + "; ".join(violations))


def decode_client_context(
    spec: Spec, header: str | None, switches: Switches
) -> dict[str, Any] | None:
    """Step 4: the ClientContext object, or the profile's client-context error.

    Up to `max_length` bytes of base64 text ("URI Request Parameters: ClientContext") that
    decode strictly to a JSON object; what AWS answers otherwise was never observed (GT-060).
    """
    if header is None:
        return None
    error = spec.conventions.client_context_errors[0]
    if switches.on("client-context-invalid-content"):
        error = spec.conventions.invalid_content_error
    parameter = spec.parameter("ClientContext")
    limit = parameter.max_length or spec.limits.client_context_max_bytes
    if len(header.encode("utf-8", "surrogateescape")) > limit:
        raise ApiError(
            error,
            f"1 validation error detected: Value at 'clientContext' failed to "
            f"satisfy constraint: Member must have length less than or equal to {limit}",
        )
    try:
        raw = base64.b64decode(header.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        if switches.on("bad-client-context-500"):
            raise ApiError("ServiceException", "An internal error occurred.") from None
        raise ApiError(
            error, "Client context must be a valid Base64-encoded JSON object."
        ) from None
    try:
        decoded = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        decoded = None
    if not isinstance(decoded, dict):
        raise ApiError(error, "Client context must be a valid Base64-encoded JSON object.")
    return decoded


def _reject_constant(name: str) -> Any:
    # Python's json accepts NaN and Infinity; Jackson (AWS) does not.
    raise ValueError(f"Non-standard token '{name}'")


def parse_payload(spec: Spec, body: bytes, switches: Switches) -> bytes:
    """Step 6: the payload as JSON text for the function: `{}` when empty (GT-026), any JSON
    value (GT-027), else InvalidRequestContentException (GT-045..047)."""
    error = spec.conventions.invalid_content_error
    if not body:
        if switches.on("empty-body-rejected"):
            raise ApiError(error, _PAYLOAD_PREFIX + "No content to map due to end-of-input")
        return b"{}"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if switches.on("invalid-json-as-empty"):
            return b"{}"
        raise ApiError(
            error,
            _PAYLOAD_PREFIX
            + f"Invalid UTF-8 start byte 0x{body[exc.start]:02x}"
            + _location(body, exc.start),
        ) from None
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except ValueError as exc:
        if switches.on("invalid-json-as-empty"):
            return b"{}"
        position = getattr(exc, "pos", 0) or 0
        token = text[position:].split(None, 1)[0][:40] if text[position:].strip() else ""
        detail = (
            f"Unrecognized token '{token}': was expecting {_JSON_TOKENS}"
            if token
            else "No content to map due to end-of-input"
        )
        raise ApiError(error, _PAYLOAD_PREFIX + detail + _location(body, position)) from None
    if switches.on("non-object-json-rejected") and not isinstance(value, dict):
        raise ApiError(error, _PAYLOAD_PREFIX + "Cannot deserialize value: expected a JSON object")
    return body


def _location(body: bytes, offset: int) -> str:
    line = body.count(b"\n", 0, offset) + 1
    column = offset - (body.rfind(b"\n", 0, offset) + 1) + 1
    return f"\n at [Source: {_JACKSON_SOURCE}; line: {line}, column: {column}]"
