"""OpenAPI 3.0 export of the Invoke operation, for one profile of the spec."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from lambda_conformance.spec.model import Parameter, Requirement, ResponseHeader, Spec

# 3.0.3 rather than 3.1: schemathesis 4.32.5 and openapi-spec-validator 0.9.0 both take
# either, but 3.0 is the dialect schemathesis has converted to JSON Schema the longest,
# and nothing here needs a 3.1 feature (no type unions, no $schema dialects).
OPENAPI_VERSION = "3.0.3"

# Where a parameter of the spec travels, in OpenAPI's words (the body is a requestBody).
_LOCATION = {"path": "path", "query": "query", "header": "header"}

# The operation-level sections: they describe the whole exchange, not one element.
_OPERATION_SECTION_PREFIXES = ("Invoke ¶", "Request Syntax", "Response Syntax")


def anchored(pattern: str) -> str:
    """`pattern` as a whole-value match for OpenAPI, whose `pattern` is an unanchored search.

    AWS patterns are Java regexes matched against the whole value, and their `\\d` means
    ASCII digits. schemathesis generates from the pattern with Python's `re`, where `\\d`
    also matches other scripts' digits (e.g. Arabic-Indic), values AWS would reject; so
    `\\d` becomes `[0-9]`, which means the same in ECMA-262, Java and Python.
    """
    return f"^(?:{_ascii_digits(pattern)})$"


def _ascii_digits(pattern: str) -> str:
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            escaped = pattern[index + 1]
            if escaped == "d":
                # Inside a character class the range goes in bare: `[\d_]` -> `[0-9_]`.
                out.append("0-9" if in_class else "[0-9]")
            else:
                out.append(char + escaped)
            index += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        out.append(char)
        index += 1
    return "".join(out)


def to_openapi(spec: Spec) -> dict[str, Any]:
    """The OpenAPI document of `spec` (already resolved for its profile) as plain data."""
    # Only this operation's requirements: a companion operation's are in its own export.
    cited = _requirements_by_section(
        tuple(r for r in spec.requirements if r.operation == spec.operation.key)
    )
    operation_requirements = sorted(
        rid
        for section, ids in cited.items()
        if section.startswith(_OPERATION_SECTION_PREFIXES)
        for rid in ids
    )
    parameters = [_parameter(p, cited) for p in spec.parameters.values() if p.location in _LOCATION]
    body = next((p for p in spec.parameters.values() if p.location == "body"), None)
    operation: dict[str, Any] = {
        "operationId": spec.operation.name,
        "summary": spec.raw["operation"]["summary"],
        "description": spec.raw["operation"]["description"],
        "parameters": parameters,
        "responses": _responses(spec, cited),
        "x-requirements": operation_requirements,
    }
    if body is not None:
        operation["requestBody"] = {
            "description": body.description,
            "required": body.required,
            # Any JSON value is a valid payload, not only objects (GT-027).
            "content": {"application/json": {"schema": {}}},
            "x-requirements": cited.get(body.section, []),
        }
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": f"{spec.raw.get('title', 'AWS Lambda Invoke')} ({spec.profile} profile)",
            "version": spec.version,
            "description": (
                f"Generated from spec/{Path(spec.source).name} (profile `{spec.profile}`) by "
                "`python -m lambda_conformance.spec openapi`; do not edit by hand. "
                "`x-requirements` fields name the spec requirements that judge an element."
            ),
        },
        "paths": {spec.operation.path: {spec.operation.method.lower(): operation}},
        "x-profile": spec.profile,
    }


def render(spec: Spec) -> str:
    """The OpenAPI document as the committed JSON text (stable, one trailing newline)."""
    return json.dumps(to_openapi(spec), indent=2, ensure_ascii=False) + "\n"


def _requirements_by_section(requirements: tuple[Requirement, ...]) -> dict[str, list[str]]:
    cited: dict[str, list[str]] = defaultdict(list)
    for requirement in requirements:
        cited[requirement.section].append(requirement.id)
    return {section: sorted(ids) for section, ids in cited.items()}


def _string_schema(
    *,
    enum: tuple[str, ...] = (),
    min_length: int | None = None,
    max_length: int | None = None,
    pattern: str | None = None,
    encoding: str | None = None,
    default: str | None = None,
) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if enum:
        schema["enum"] = list(enum)
    if encoding == "base64":
        # OpenAPI's name for base64 text; schemathesis generates base64 of random bytes.
        schema["format"] = "byte"
    if min_length is not None:
        schema["minLength"] = min_length
    if max_length is not None:
        schema["maxLength"] = max_length
    if pattern is not None:
        schema["pattern"] = anchored(pattern)
    if default is not None:
        schema["default"] = default
    return schema


def _parameter(parameter: Parameter, cited: dict[str, list[str]]) -> dict[str, Any]:
    return {
        "name": parameter.wire_name,
        "in": _LOCATION[parameter.location],
        # OpenAPI requires path parameters to be required; the spec says so too.
        "required": parameter.required or parameter.location == "path",
        "description": parameter.description,
        "schema": _string_schema(
            enum=parameter.enum,
            min_length=parameter.min_length,
            max_length=parameter.max_length,
            pattern=parameter.pattern,
            encoding=parameter.encoding,
            default=parameter.default,
        ),
        "x-spec-name": parameter.name,
        "x-requirements": cited.get(parameter.section, []),
    }


def _header(
    header: ResponseHeader, cited: dict[str, list[str]], *, required: bool, values: tuple[str, ...]
) -> dict[str, Any]:
    return {
        "description": header.description,
        "required": required,
        "schema": _string_schema(
            enum=values or header.values,
            min_length=header.min_length,
            max_length=header.max_length,
            pattern=header.pattern,
            encoding=header.encoding,
        ),
        "x-spec-name": header.name,
        "x-requirements": cited.get(header.section, []),
    }


def _responses(spec: Spec, cited: dict[str, list[str]]) -> dict[str, Any]:
    headers = spec.response_headers
    status_requirements = sorted(
        rid for section, ids in cited.items() if section.endswith("StatusCode") for rid in ids
    )
    sync_headers: dict[str, Any] = {}
    for name, header in headers.items():
        sync_headers[header.wire_name] = _header(
            header,
            cited,
            # Every synchronous 200 carries the executed version (INV-HDR-001).
            required=name == "ExecutedVersion",
            # The profile may pin the function-error values (aws: Unhandled only, GT-037).
            values=spec.conventions.function_error_values if name == "FunctionError" else (),
        )
    by_type = {status: kind for kind, status in spec.operation.statuses.items()}
    responses: dict[str, Any] = {}
    for status in sorted(by_type):
        kind = by_type[status]
        response: dict[str, Any] = {
            "description": f"{kind} invocation succeeded.",
            "x-invocation-type": kind,
            "x-requirements": status_requirements,
        }
        stream = spec.operation.event_stream
        if kind == "RequestResponse" and stream is not None:
            response["headers"] = sync_headers
            response["content"] = {
                # An absent content type means no source fixes it (event_stream.content_type).
                (stream.content_type or "application/vnd.amazon.eventstream"): {
                    "schema": {"type": "string", "format": "binary"}
                }
            }
            response["description"] += " The body is an event stream."
            response["x-event-stream"] = {
                "final_event": stream.final_event,
                "events": {
                    name: {
                        "members": list(event.members),
                        "payload_member": event.payload_member,
                        "content_type": event.content_type,
                        "x-requirements": cited.get(event.section, []),
                    }
                    for name, event in stream.events.items()
                },
            }
        elif kind == "RequestResponse":
            response["headers"] = sync_headers
            response["content"] = {"application/json": {"schema": {}}}
            response["description"] += " The body is the function's result or error object."
        else:
            response["description"] += " The body is empty."
        responses[str(status)] = response
    responses.update(_error_responses(spec, cited))
    return responses


def _error_responses(spec: Spec, cited: dict[str, list[str]]) -> dict[str, Any]:
    by_status: dict[int, list[str]] = defaultdict(list)
    for name, error in spec.errors.items():
        by_status[error.status].append(name)
    responses: dict[str, Any] = {}
    for status in sorted(by_status):
        names = sorted(by_status[status])
        requirements = sorted({rid for n in names for rid in cited.get(spec.errors[n].section, [])})
        responses[str(status)] = {
            "description": "Error: " + ", ".join(names) + ".",
            "headers": {
                spec.conventions.error_type_header: {
                    "description": "The error code: the full name of the error type.",
                    "required": True,
                    "schema": {"type": "string", "enum": names},
                }
            },
            "content": {spec.conventions.error_content_type: {"schema": _error_body(spec)}},
            "x-error-types": [
                {
                    "name": n,
                    "message_key": spec.errors[n].message_key,
                    "provokable": spec.errors[n].provokable,
                    "source": spec.errors[n].source,
                }
                for n in names
            ],
            "x-requirements": requirements,
        }
    return responses


def _error_body(spec: Spec) -> dict[str, Any]:
    type_key = spec.conventions.body_type_key
    # The message key's case differs by error type (seed-vs-current.md section 3); the
    # exact case is a SHOULD (INV-WIRE-004), so the schema only demands one of the two.
    return {
        "type": "object",
        "properties": {
            type_key: {"type": "string"},
            "message": {"type": "string"},
            "Message": {"type": "string"},
        },
        "anyOf": [{"required": ["message"]}, {"required": ["Message"]}],
    }
