"""Passive checks: rules judged on every response the suite receives, whatever the test."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from botocore.parsers import RestJSONParser
from requests.structures import CaseInsensitiveDict

from lambda_conformance.checks.failure import FailureReason
from lambda_conformance.checks.oracle import Expectation
from lambda_conformance.generation.cases import InvokeCase
from lambda_conformance.spec import Spec
from lambda_conformance.spec.encodings import strict_base64
from lambda_conformance.transport import Exchange


@dataclass(frozen=True, slots=True)
class Verdict:
    requirement_id: str
    ok: bool
    title: str = ""
    expected: str = ""
    received: str = ""
    reason: FailureReason = "mismatch"


def error_type_of(spec: Spec, headers: Any) -> str | None:
    """The error code the x-amzn-ErrorType header names, without a `:namespace` suffix.

    Only the wire rule (INV-WIRE-001) judges the header itself; every rule about *which*
    error a request gets reads the code the way an SDK does (`sdk_error_code`).
    """
    value = headers.get(spec.conventions.error_type_header)
    if value is None:
        return None
    return str(value).split(":", 1)[0].strip()


_SDK_PARSER = RestJSONParser()


def sdk_error_code(status: int, headers: Any, body: bytes) -> str | None:
    """The error code botocore's restJson parser gives an error response, or None.

    botocore (the parser boto3 uses for Lambda) takes the x-amzn-ErrorType header, else
    the body's `code`/`Code`, else its `__type`, else the status as text. A target that
    leaves out the header but names the error in the body still raises the right
    exception in boto3: only INV-WIRE-001 is broken then, not the rule at hand.
    Asking botocore itself keeps the suite's reading identical to what SDK users get.
    """
    if status < 300:
        return None
    lowered = CaseInsensitiveDict({str(k): str(v) for k, v in dict(headers).items()})
    try:
        parsed = _SDK_PARSER.parse(
            {"status_code": status, "headers": lowered, "body": body}, None
        )
    except Exception:  # a body botocore cannot read: no code at all
        return None
    code = parsed.get("Error", {}).get("Code")
    return str(code).strip() if code else None


def json_object(body: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def excerpt(data: bytes | str, limit: int = 300) -> str:
    text = data.decode("utf-8", "backslashreplace") if isinstance(data, bytes) else data
    return text if len(text) <= limit else text[:limit] + f"… ({len(text)} characters)"


def passive_verdicts(
    spec: Spec,
    exchange: Exchange,
    case: InvokeCase,
    expectation: Expectation,
    *,
    function_fails: bool | None,
) -> Iterator[Verdict]:
    """Every passive requirement that applies to this exchange, judged."""
    applies = spec.requirement_ids
    problem = exchange.problem
    if problem is not None:
        if problem.kind != "stopped" and "INV-WIRE-007" in applies:
            reason: FailureReason = problem.kind
            yield Verdict(
                "INV-WIRE-007",
                False,
                "No usable HTTP response",
                "a complete HTTP response within the request timeout",
                problem.message,
                reason,
            )
        return
    response = exchange.response
    assert response is not None
    if "INV-WIRE-007" in applies:
        yield Verdict("INV-WIRE-007", True)
    headers = response.headers
    status = response.status

    if "INV-HDR-004" in applies:
        request_id = headers.get("x-amzn-RequestId")
        yield Verdict(
            "INV-HDR-004",
            bool(request_id),
            "Missing request id",
            "an x-amzn-RequestId header",
            "no x-amzn-RequestId header",
        )

    if "INV-HDR-005" in applies:
        executed = spec.response_headers["ExecutedVersion"]
        if status in executed.absent_on_status:
            # GT-029: an Event's 202 has no executed version (nothing has run yet).
            value = headers.get(executed.wire_name)
            yield Verdict(
                "INV-HDR-005",
                value is None,
                "Executed version on a 202",
                f"no {executed.wire_name} header on a {status} response",
                f"{executed.wire_name}: {excerpt(value or '')}",
            )

    # Guarded first: another operation's spec need not define the header at all.
    log_header = spec.response_headers.get("LogResult") if "INV-LOG-002" in applies else None
    log_result = headers.get(log_header.wire_name) if log_header is not None else None
    if log_result is not None:
        decoded = strict_base64(log_result)
        limit = spec.limits.log_tail_bytes
        if decoded is None:
            yield Verdict(
                "INV-LOG-002", False, "LogResult is not base64", "base64 text", excerpt(log_result)
            )
        else:
            yield Verdict(
                "INV-LOG-002",
                len(decoded) <= limit,
                "LogResult too long",
                f"at most {limit} bytes of log",
                f"{len(decoded)} bytes",
            )

    if status >= 400:
        yield from _error_verdicts(spec, status, headers, response.body, applies)
        return

    synchronous = case.effective_type == "RequestResponse"
    if status == 200 and synchronous:
        header = spec.response_headers["ExecutedVersion"]
        version = headers.get(header.wire_name)
        if "INV-HDR-001" in applies:
            if version is None:
                yield Verdict(
                    "INV-HDR-001",
                    False,
                    "Missing executed version",
                    f"an {header.wire_name} header",
                    "no such header",
                )
            else:
                fits = header.regex is None or header.regex.fullmatch(version) is not None
                fits = fits and (header.min_length or 0) <= len(version) <= (
                    header.max_length or 10**9
                )
                yield Verdict(
                    "INV-HDR-001",
                    fits,
                    "Malformed executed version",
                    f"{header.wire_name} matching {header.pattern}",
                    excerpt(version),
                )
        if "INV-HDR-003" in applies:
            content_type = headers.get("Content-Type") or ""
            yield Verdict(
                "INV-HDR-003",
                content_type.startswith("application/json"),
                "Content type of a synchronous answer",
                "application/json",
                content_type or "no Content-Type",
            )
        if function_fails is False and expectation.outcome == "ok" and "INV-FERR-004" in applies:
            error_header = spec.response_headers["FunctionError"].wire_name
            value = headers.get(error_header)
            yield Verdict(
                "INV-FERR-004",
                value is None,
                "Function error on a success",
                f"no {error_header} header",
                f"{error_header}: {excerpt(value or '')}",
            )


def _error_verdicts(
    spec: Spec, status: int, headers: Any, body: bytes, applies: frozenset[str]
) -> Iterator[Verdict]:
    conv = spec.conventions
    header_type = error_type_of(spec, headers)
    if "INV-WIRE-001" in applies:
        yield Verdict(
            "INV-WIRE-001",
            header_type is not None and header_type in spec.errors,
            "Unknown error type",
            f"{conv.error_type_header} naming an error of the spec's table",
            f"{status} with {conv.error_type_header}: {excerpt(header_type or '(absent)')}",
        )
    # The other wire rules speak of the error the client sees, read as botocore reads it,
    # so that a missing header is counted once, under INV-WIRE-001.
    error_type = sdk_error_code(status, headers, body)
    known = error_type is not None and error_type in spec.errors
    if known and error_type is not None and "INV-WIRE-002" in applies:
        mapped = spec.errors[error_type].status
        yield Verdict(
            "INV-WIRE-002",
            status == mapped,
            "Status of the error type",
            f"{error_type} with status {mapped}",
            f"{error_type} with status {status}",
        )
    document = json_object(body)
    # An error whose body keys were never observed (ValidationException, GT-019) is
    # judged on its message alone, not on the key's case or on `Type`.
    verified = (
        error_type is None
        or error_type not in spec.errors
        or (spec.errors[error_type].body_verified)
    )
    if "INV-WIRE-003" in applies:
        has_message = document is not None and any(
            isinstance(document.get(k), str) for k in ("message", "Message")
        )
        yield Verdict(
            "INV-WIRE-003",
            has_message,
            "Error body shape",
            "a JSON object with a string message or Message",
            excerpt(body),
        )
    if (
        document is not None
        and known
        and verified
        and error_type is not None
        and "INV-WIRE-004" in applies
    ):
        key = spec.errors[error_type].message_key
        yield Verdict(
            "INV-WIRE-004",
            isinstance(document.get(key), str),
            "Message key case",
            f"the message under {key!r} for {error_type}",
            f"keys {sorted(document)[:10]}",
        )
    if verified and "INV-WIRE-005" in applies:
        has_type = document is not None and isinstance(document.get(conv.body_type_key), str)
        yield Verdict(
            "INV-WIRE-005",
            has_type,
            "Error body without Type",
            f"a string {conv.body_type_key!r} field",
            excerpt(body),
        )
    stated_type = spec.errors[error_type].type_value if known and error_type else None
    if (
        stated_type is not None
        and verified
        and document is not None
        # A missing Type is INV-WIRE-005's failure, not this one's.
        and conv.body_type_key in document
        and "INV-WIRE-009" in applies
    ):
        # The error envelope of aws-observed.md: these errors say "Type":"User".
        value = document[conv.body_type_key]
        yield Verdict(
            "INV-WIRE-009",
            value == stated_type,
            "Error body Type value",
            f"{conv.body_type_key} {stated_type!r} for {error_type}",
            f"{conv.body_type_key} {value!r}",
        )
    if "INV-WIRE-006" in applies:
        content_type = headers.get("Content-Type") or ""
        yield Verdict(
            "INV-WIRE-006",
            content_type.startswith(conv.error_content_type),
            "Content type of an error",
            conv.error_content_type,
            content_type or "no Content-Type",
        )
