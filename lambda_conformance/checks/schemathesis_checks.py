"""Schemathesis as a second generator: its cases as Invoke requests, its checks as verdicts.

Schemathesis generates cases from the OpenAPI export of the spec and judges responses
with its own checks; this module is the adapter between that and the suite:

- `invoke_case` turns a schemathesis `Case` into the `InvokeCase` the suite sends (through
  its signed transport), keeping only what the spec describes: the Invoke path and method,
  FunctionName, Qualifier, the three X-Amz-* headers and a JSON body. Headers schemathesis
  adds or fuzzes that the spec does not name (Content-Type, unknown properties) are dropped,
  so they are never judged.
- `judge` runs each check on one exchange and maps its verdict to requirement IDs. Which
  requirement a built-in check speaks for depends on what the spec expects of the case
  (the oracle's expectation): a 5xx where the spec says 404 breaks INV-NAME-005, where it
  says 400 for a bad pattern it breaks INV-NAME-002, and so on.
- `spec_checks` are custom schemathesis checks from the spec where the built-ins are blind:
  the error table's status per type, the restJson error shape, the ExecutedVersion pattern
  and the LogResult size.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import requests
from requests.structures import CaseInsensitiveDict
from schemathesis import Case, CheckContext, GenerationMode, Response
from schemathesis.checks import not_a_server_error
from schemathesis.core import NOT_SET
from schemathesis.core.failures import Failure as SchemathesisFailure
from schemathesis.core.failures import FailureGroup
from schemathesis.openapi.checks import JsonSchemaError, MissingHeaders
from schemathesis.specs.openapi import checks as builtin

from lambda_conformance.checks.harness import error_requirement
from lambda_conformance.checks.oracle import Expectation
from lambda_conformance.checks.passive import (
    error_type_of,
    excerpt,
    json_object,
    sdk_error_code,
)
from lambda_conformance.generation.cases import InvokeCase
from lambda_conformance.generation.names import parse
from lambda_conformance.generation.world import LATEST, World
from lambda_conformance.spec import Spec
from lambda_conformance.spec.encodings import strict_base64
from lambda_conformance.transport import Exchange

CheckFunction = Callable[[CheckContext, Response, "Case[Any]"], "bool | None"]

# Roles whose functions generated cases may be pointed at: quick, side-effect free fixtures
# (sleep, large, throttled and beacon answer slowly, hugely or need a control plane).
TARGET_ROLES = ("echo", "fail", "introspect", "log")

# The statuses with which the spec answers a valid-by-schema request: success, or a
# well-formed reference to something absent (404), a payload over the limit (413), a
# throttled function (429). Validation errors (400) of valid-by-schema inputs exist
# (a 65-character bare name under the documented profile) but are left to the oracle.
ACCEPTANCE_STATUSES = ("2XX", "404", "413", "429")

# Checks every exchange gets, whatever the mode.
ALWAYS = ("not_a_server_error", "status_code_conformance", "response_headers_conformance")


def rejection_statuses(spec: Spec) -> tuple[str, ...]:
    """Statuses of the spec's answers to input that breaks its constraints (400, 413).

    Narrower than schemathesis's default (any 4xx, and 5xx): a 404 for an invalid name
    means the name was looked up instead of validated, and a 5xx is judged by
    not_a_server_error.
    """
    conv = spec.conventions
    types = {
        conv.constraint_violation_error,
        *conv.enum_violation_errors,
        *conv.client_context_errors,
        conv.request_too_large_error,
        conv.invalid_content_error,
    }
    return tuple(sorted({str(spec.errors[t].status) for t in types if t in spec.errors}))


def configure_checks(config: Any, spec: Spec) -> None:
    """Set the acceptance and rejection statuses on a schema's config (`schema.config`),
    for the whole project and for each phase (phases may carry their own check config)."""
    phases = config.phases
    for checks in (config.checks, phases.coverage.checks, phases.fuzzing.checks):
        checks.positive_data_acceptance.expected_statuses = list(ACCEPTANCE_STATUSES)
        checks.negative_data_rejection.expected_statuses = list(rejection_statuses(spec))


# --- cases ------------------------------------------------------------------------------
def _mode(case: Case[Any]) -> GenerationMode | None:
    meta = case.meta
    return meta.generation.mode if meta is not None else None


def is_positive(case: Case[Any]) -> bool:
    mode = _mode(case)
    return mode is not None and mode.is_positive


def is_negative(case: Case[Any]) -> bool:
    mode = _mode(case)
    return mode is not None and mode.is_negative


def phase_group(case: Case[Any]) -> tuple[str, str, str]:
    """(phase, location, parameter) of a case: coverage cases are capped per group."""
    meta = case.meta
    if meta is None:
        return ("", "", "")
    data = meta.phase.data
    location = getattr(data, "parameter_location", None)
    parameter = getattr(data, "parameter", None)
    mode = meta.generation.mode.value
    return (
        f"{meta.phase.name.value}:{mode}",
        str(getattr(location, "value", location) or ""),
        str(parameter or ""),
    )


def _wire(value: Any) -> str | None:
    """A header or query value as schemathesis serialises it; None if not one value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float, str)):
        return str(value)
    return None


def _sendable(value: str) -> bool:
    """A header value that arrives as sent: printable ASCII without surrounding white space
    (a server strips that, and would then see another value than the oracle judged)."""
    return all(" " <= c <= "~" for c in value) and value == value.strip()


def _encodable(value: str) -> bool:
    """A path or query value: anything UTF-8 can carry, since it is percent-encoded."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _choose(key: str, seed: int, options: tuple[str, ...]) -> str | None:
    """A deterministic pick (None: keep the generated value), reproducible from the case."""
    h = zlib.crc32(f"{seed}:{key}".encode())
    if not options or h % 3 == 0:
        return None
    return options[h % len(options)]


def invoke_case(case: Case[Any], spec: Spec, world: World, seed: int) -> InvokeCase | None:
    """The Invoke request a schemathesis case stands for, or None if it is not one.

    Valid FunctionNames are pointed at fixture functions two times in three (otherwise
    nearly every case would be a 404), valid Qualifiers at the chosen function's
    versions and aliases likewise. An empty optional header in a positive case, and a
    ClientContext that is base64 but not JSON (which the page leaves open), are dropped:
    the case stays as valid or invalid by the schema as it was.
    """
    operation = spec.operation
    if case.method.upper() != operation.method or case.path != operation.path:
        return None  # another method or path: the spec claims nothing about it
    raw_name = case.path_parameters.get("FunctionName")
    name = unquote(raw_name) if isinstance(raw_name, str) else None
    if name is None or not _encodable(name):
        return None
    fn = spec.parameter("FunctionName")
    valid_name = (
        fn.regex is not None
        and fn.regex.fullmatch(name) is not None
        and (fn.max_length is None or len(name) <= fn.max_length)
    )
    roles = tuple(world.functions[r] for r in TARGET_ROLES if r in world.functions)
    # The choice depends on the whole case, so that cases sharing a name (the coverage
    # phase uses one for all) still reach absent and present functions alike.
    key = repr(
        (
            name,
            sorted(case.query.items()),
            sorted(dict(case.headers or {}).items()),
            case.body if case.body is not NOT_SET else None,
        )
    )
    if valid_name:
        name = _choose(key, seed, roles) or name

    qualifier: str | None = None
    if "Qualifier" in case.query:
        qualifier = _wire(case.query["Qualifier"])
        if qualifier is None or not _encodable(qualifier):
            return None
        parsed = parse(name)
        if parsed is not None and spec.parameter("Qualifier").admits(qualifier):
            known = (
                LATEST,
                *sorted(world.versions.get(parsed.name, ())),
                *sorted(world.aliases.get(parsed.name, {})),
            )
            qualifier = _choose(f"{key}:Qualifier", seed, known) or qualifier

    headers: dict[str, str | None] = {}
    given = CaseInsensitiveDict(case.headers or {})
    for spec_name in ("InvocationType", "LogType", "ClientContext"):
        wire_name = spec.parameters[spec_name].wire_name
        if wire_name not in given:
            headers[spec_name] = None
            continue
        value = _wire(given[wire_name])
        if value is None or not _sendable(value):
            return None
        if value == "" and is_positive(case):
            value = None
        elif spec_name == "ClientContext" and _base64_but_not_json(value, spec):
            value = None
        headers[spec_name] = value

    body: bytes | None = None
    if case.body is not NOT_SET:
        try:
            body = json.dumps(case.body, allow_nan=False).encode("utf-8")
        except (TypeError, ValueError):
            return None
    return InvokeCase(
        name,
        qualifier=qualifier,
        invocation_type=headers["InvocationType"],
        log_type=headers["LogType"],
        client_context=headers["ClientContext"],
        body=body,
        note="schemathesis",
    )


def _base64_but_not_json(value: str, spec: Spec) -> bool:
    """A ClientContext valid by the schema (base64, not too long) that is not a JSON object:
    the page leaves the answer open (the reference rejects it, the oracle does not judge a
    non-JSON one), so it is dropped (the header is optional) instead of judged."""
    if len(value.encode("utf-8")) > spec.limits.client_context_max_bytes:
        return False
    decoded = strict_base64(value)
    if decoded is None:
        return False
    return json_object(decoded) is None


def response_summary(spec: Spec, exchange: Exchange) -> str:
    """What came back, in one line (status, error type, body), as the harness shows it."""
    if exchange.problem is not None or exchange.response is None:
        return f"{exchange.problem.kind}: {exchange.problem.message}" if exchange.problem else "-"
    parts = [str(exchange.response.status)]
    error_type = sdk_error_code(
        exchange.response.status, exchange.response.headers, exchange.response.body
    )
    if error_type:
        parts.append(error_type)
    if exchange.response.body:
        parts.append(excerpt(exchange.response.body, 200))
    return " ".join(parts)


def as_response(exchange: Exchange) -> Response:
    """The exchange as schemathesis's Response (with the request as it was sent, unsigned)."""
    assert exchange.response is not None
    answer = exchange.response
    headers: dict[str, list[str]] = {}
    for name, value in answer.headers.pairs:
        headers.setdefault(name.lower(), []).append(value)
    prepared = requests.PreparedRequest()
    prepared.method = exchange.request.method
    prepared.url = exchange.url
    prepared.headers = CaseInsensitiveDict(dict(exchange.request.headers))
    prepared.body = exchange.request.body or None
    return Response(
        status_code=answer.status,
        headers=headers,
        content=answer.body,
        request=prepared,
        elapsed=exchange.elapsed_seconds,
        verify=True,
        message=answer.reason,
    )


# --- which requirement a verdict speaks for -------------------------------------------------
_RULES: dict[str, tuple[str, ...]] = {
    "FunctionName.pattern": ("INV-NAME-002",),
    "FunctionName.max_length": ("INV-NAME-003",),
    "FunctionName.bare_name_length": ("INV-NAME-004",),
    "InvocationType.enum": ("INV-TYPE-005",),
    "LogType.enum": ("INV-LOG-005",),
    "ClientContext.max_length": ("INV-CC-003",),
    "ClientContext.base64": ("INV-CC-004",),
    "RequestResponse payload limit": ("INV-PAY-007",),
    "DryRun payload limit": ("INV-PAY-007",),
    "Event payload limit": ("INV-PAY-009",),
    "qualifier conflict": ("INV-QUAL-008",),
    "ARN of another region": ("INV-NAME-007",),
    "function does not exist": ("INV-NAME-005",),
    "no such version or alias": ("INV-QUAL-004",),
    "Payload is not JSON": ("INV-PAY-004",),
}


def case_requirements(spec: Spec, case: InvokeCase, expected: Expectation) -> tuple[str, ...]:
    """The requirements that say what the answer to `case` must be."""
    ids: list[str] = []
    if expected.outcome == "ok":
        ids.append("INV-TYPE-001")
        if case.invocation_type is None:
            ids.append("INV-TYPE-002")
    elif expected.outcome == "accepted":
        ids.append("INV-TYPE-003")
    elif expected.outcome == "dry_run":
        ids.append("INV-TYPE-004")
    elif expected.outcome == "error":
        for rule in expected.rule.split(", "):
            if rule == "Qualifier.constraints":
                limit = spec.parameter("Qualifier").max_length or 0
                ids.append("INV-QUAL-006" if len(case.qualifier or "") > limit else "INV-QUAL-005")
            elif rule == "function does not exist":
                ids.append("INV-NAME-005")
                parsed = parse(case.function_name)
                if parsed is not None and parsed.is_bare and len(parsed.name) > 64:
                    ids.append("INV-NAME-006")
            else:
                ids.extend(_RULES.get(rule, ()))
        if case.effective_type == "DryRun" and expected.status in (400, 404):
            ids.append("INV-DRY-002")
        if len(expected.error_types) == 1:
            (only,) = expected.error_types
            ids.append(error_requirement(only))
    return tuple(i for i in dict.fromkeys(ids) if i in spec.requirement_ids)


_HEADER_REQUIREMENTS = {
    "x-amz-executed-version": "INV-HDR-001",
    "x-amz-log-result": "INV-LOG-002",
}


def _header_requirements(
    spec: Spec, failure: SchemathesisFailure, response: Response, behaviour: tuple[str, ...]
) -> tuple[str, ...]:
    """The requirement of the response header a response_headers_conformance failure names."""
    names: list[str] = []
    if isinstance(failure, MissingHeaders):
        names = [h.lower() for h in failure.missing_headers]
    elif isinstance(failure, JsonSchemaError):
        names = [n for n, values in response.headers.items() if failure.instance in values]
    ids: list[str] = []
    error_header = spec.conventions.error_type_header.lower()
    for name in names:
        if name in _HEADER_REQUIREMENTS:
            ids.append(_HEADER_REQUIREMENTS[name])
        elif name == spec.response_headers["FunctionError"].wire_name.lower():
            value = (response.headers.get(name) or [""])[0]
            ids.append("INV-FERR-002" if value == "" else "INV-FERR-003")
        elif name == error_header:
            error_values = response.headers.get(name) or []
            known = bool(error_values) and error_values[0].split(":", 1)[0].strip() in spec.errors
            ids.append("INV-WIRE-002" if known else "INV-WIRE-001")
    if not ids:
        ids = ["INV-WIRE-001"] if response.status_code >= 400 else list(behaviour)
    return tuple(i for i in dict.fromkeys(ids) if i in spec.requirement_ids)


# --- custom checks from the spec ------------------------------------------------------------
@dataclass(frozen=True)
class SpecCheck:
    """A custom schemathesis check and the one requirement it judges."""

    requirement_id: str
    function: CheckFunction


def spec_checks(spec: Spec) -> tuple[SpecCheck, ...]:
    """Checks the OpenAPI export cannot express, built from the spec's tables."""
    conv = spec.conventions
    executed = spec.response_headers["ExecutedVersion"]
    log_header = spec.response_headers["LogResult"].wire_name
    sync_status = spec.operation.statuses["RequestResponse"]

    def error_type_known(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
        """INV-WIRE-001: an error names a known type, in full, in x-amzn-ErrorType."""
        if response.status_code < 400:
            return None
        error_type = error_type_of(spec, _flat(response.headers))
        if error_type is None or error_type not in spec.errors:
            raise AssertionError(
                f"Expected: {conv.error_type_header} naming an error of the spec's table\n"
                f"Received: {response.status_code} with {conv.error_type_header}: "
                f"{excerpt(error_type or '(absent)')}"
            )
        return None

    def error_type_status(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
        """INV-WIRE-002: the status is the one the error table gives for the type."""
        if response.status_code < 400:
            return None
        error_type = sdk_error_code(response.status_code, _flat(response.headers),
                                    response.content)
        if error_type is None or error_type not in spec.errors:
            return None
        mapped = spec.errors[error_type].status
        if response.status_code != mapped:
            raise AssertionError(
                f"Expected: {error_type} with status {mapped}\n"
                f"Received: {error_type} with status {response.status_code}"
            )
        return None

    def error_body_shape(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
        """INV-WIRE-003: a restJson error body is an object with a string message."""
        if response.status_code < 400:
            return None
        document = json_object(response.content)
        if document is None or not any(
            isinstance(document.get(k), str) for k in ("message", "Message")
        ):
            raise AssertionError(
                "Expected: a JSON object with a string message or Message\n"
                f"Received: {excerpt(response.content)}"
            )
        return None

    def executed_version_pattern(
        ctx: CheckContext, response: Response, case: Case[Any]
    ) -> bool | None:
        """INV-HDR-001: a synchronous 200 carries X-Amz-Executed-Version of the pattern."""
        invocation_type = _flat(response.request.headers).get(
            spec.parameters["InvocationType"].wire_name, "RequestResponse"
        )
        if response.status_code != sync_status or invocation_type != "RequestResponse":
            return None
        values = response.headers.get(executed.wire_name.lower())
        version = values[0] if values else None
        fits = version is not None and (
            executed.regex is None or executed.regex.fullmatch(version) is not None
        )
        fits = (
            fits
            and version is not None
            and ((executed.min_length or 0) <= len(version) <= (executed.max_length or 10**9))
        )
        if not fits:
            raise AssertionError(
                f"Expected: {executed.wire_name} matching {executed.pattern}\n"
                f"Received: {excerpt(version or '(absent)')}"
            )
        return None

    def log_result_size(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
        """INV-LOG-002: X-Amz-Log-Result is base64 of at most the log tail size."""
        values = response.headers.get(log_header.lower())
        if not values:
            return None
        decoded = strict_base64(values[0])
        limit = spec.limits.log_tail_bytes
        if decoded is None:
            raise AssertionError(f"Expected: base64 text\nReceived: {excerpt(values[0])}")
        if len(decoded) > limit:
            raise AssertionError(
                f"Expected: at most {limit} bytes of log\nReceived: {len(decoded)} bytes"
            )
        return None

    return (
        SpecCheck("INV-WIRE-001", error_type_known),
        SpecCheck("INV-WIRE-002", error_type_status),
        SpecCheck("INV-WIRE-003", error_body_shape),
        SpecCheck("INV-HDR-001", executed_version_pattern),
        SpecCheck("INV-LOG-002", log_result_size),
    )


def _flat(headers: Mapping[str, Any]) -> CaseInsensitiveDict[str]:
    """Schemathesis's list-valued (or requests' plain) headers as one value per name."""
    flat: CaseInsensitiveDict[str] = CaseInsensitiveDict()
    for name, value in headers.items():
        flat[name] = ", ".join(value) if isinstance(value, list) else str(value)
    return flat


# --- judging one exchange --------------------------------------------------------------------
@dataclass(frozen=True)
class CheckVerdict:
    """One check's verdict on one exchange, for the requirements it speaks for."""

    check: str
    requirement_ids: tuple[str, ...]
    ok: bool
    title: str = ""
    message: str = ""


BUILTIN: dict[str, CheckFunction] = {
    "not_a_server_error": not_a_server_error,
    "status_code_conformance": builtin.status_code_conformance,
    "response_headers_conformance": builtin.response_headers_conformance,
    "positive_data_acceptance": builtin.positive_data_acceptance,
    "negative_data_rejection": builtin.negative_data_rejection,
}


def applicable_checks(spec: Spec, case: Case[Any], expected: Expectation) -> tuple[str, ...]:
    """The built-in checks whose verdict the spec backs for this case.

    Acceptance only where the spec answers a valid-by-schema case with an accepting
    status; rejection only where the spec, too, rejects the case for its form.
    """
    names = list(ALWAYS)
    status = expected.status
    if (
        is_positive(case)
        and status is not None
        and (expected.outcome != "error" or str(status) in ACCEPTANCE_STATUSES)
    ):
        names.append("positive_data_acceptance")
    rejecting = expected.outcome == "error" and str(status) in rejection_statuses(spec)
    if is_negative(case) and rejecting:
        names.append("negative_data_rejection")
    return tuple(names)


def judge(
    spec: Spec, case: Case[Any], invoke: InvokeCase, expected: Expectation, response: Response
) -> list[CheckVerdict]:
    """Run the applicable built-in checks and the spec's checks on one response."""
    behaviour = case_requirements(spec, invoke, expected)
    verdicts: list[CheckVerdict] = []
    for name in applicable_checks(spec, case, expected):
        failures = _run(case, response, BUILTIN[name])
        if name == "status_code_conformance" and response.status_code >= 400:
            ids = tuple(i for i in ("INV-WIRE-002",) if i in spec.requirement_ids)
        elif name == "response_headers_conformance":
            ids = tuple(
                sorted(
                    {
                        i
                        for f in failures
                        for i in _header_requirements(spec, f, response, behaviour)
                    }
                )
            )
            if not failures:
                verdicts.append(CheckVerdict(name, (), True))
                continue
        else:
            ids = behaviour
        verdicts.append(_verdict(name, ids, failures))
    for check in spec_checks(spec):
        if check.requirement_id not in spec.requirement_ids:
            continue
        failures = _run(case, response, check.function)
        verdicts.append(_verdict(check.function.__name__, (check.requirement_id,), failures))
    return verdicts


def _verdict(name: str, ids: tuple[str, ...], failures: list[SchemathesisFailure]) -> CheckVerdict:
    if not failures:
        return CheckVerdict(name, ids, True)
    first = failures[0]
    message = "\n".join(f.message for f in failures)
    return CheckVerdict(name, ids, False, first.title, message)


def _run(case: Case[Any], response: Response, check: CheckFunction) -> list[SchemathesisFailure]:
    """One check through schemathesis's own validate_response; its failures (none: passed)."""
    try:
        case.validate_response(response, checks=[check])
    except FailureGroup as group:
        return list(group.exceptions)
    return []


def expected_text(message: str, fallback: str) -> str:
    """What a schemathesis failure message says was expected (its Expected/Documented line)."""
    for line in message.splitlines():
        key, _, value = line.partition(": ")
        if key == "Expected" and value:
            return value
        if key == "Documented" and value:
            return f"a documented status: {value}"
    return fallback


def requirement_ids(verdicts: Iterable[CheckVerdict]) -> set[str]:
    return {i for v in verdicts for i in v.requirement_ids}
