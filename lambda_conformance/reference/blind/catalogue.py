"""Catalogue: the blind mutants, one deviation (or control) each, with the requirement IDs of
spec/invoke.yaml each one breaks under each profile.

An empty tuple under a profile means "not a deviation under this profile": the suite must
pass it there, as it must pass every control. The IDs were chosen from the requirement
statements, the page (../shared/API_Invoke.md) and the observed rows
(../shared/reference/aws-observed.md), not from the suite's checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from lambda_conformance.reference.blind import controls
from lambda_conformance.reference.blind.context import (
    CallbackHook,
    ControlHook,
    InvokeHook,
    forward,
)
from lambda_conformance.reference.blind.deviations import (
    function_errors,
    invocation,
    logs_context,
    names,
    payload,
    wire,
)
from lambda_conformance.reference.blind.deviations.base import after, before

PROFILES = ("documented", "aws")


@dataclass(frozen=True)
class BlindMutant:
    """One entry: what it does, the evidence it breaks, and per profile the requirement IDs
    it is expected to fail (empty under both for a control)."""

    name: str
    description: str
    evidence: str
    control: bool
    violates: dict[str, tuple[str, ...]]
    invoke: InvokeHook = forward
    control_plane: ControlHook | None = None
    callback: CallbackHook | None = None

    def applies_under(self, profile: str) -> bool:
        return bool(self.violates.get(profile))


PASS_THROUGH = BlindMutant(
    name="pass-through",
    description="Forwards everything unchanged.",
    evidence="-",
    control=True,
    violates={"documented": (), "aws": ()},
)

_ENTRIES: list[BlindMutant] = []


def _dev(
    name: str,
    description: str,
    evidence: str,
    documented: tuple[str, ...],
    aws: tuple[str, ...],
    invoke: InvokeHook = forward,
    control_plane: ControlHook | None = None,
    callback: CallbackHook | None = None,
) -> None:
    _ENTRIES.append(
        BlindMutant(
            name=name,
            description=description,
            evidence=evidence,
            control=False,
            violates={"documented": documented, "aws": aws},
            invoke=invoke,
            control_plane=control_plane,
            callback=callback,
        )
    )


def _control(name: str, description: str, evidence: str, invoke: InvokeHook) -> None:
    _ENTRIES.append(
        BlindMutant(
            name=name,
            description=description,
            evidence=evidence,
            control=True,
            violates={"documented": (), "aws": ()},
            invoke=invoke,
        )
    )


# --- FunctionName ----------------------------------------------------------------------------
_dev(
    "name-pattern-not-validated",
    "FunctionName is looked up without checking its pattern: a malformed name answers 404.",
    "URI Request Parameters: FunctionName (pattern); GT-001, GT-002, GT-005..007, GT-011, "
    "GT-013, GT-016..019",
    ("INV-NAME-002", "INV-ERR-InvalidParameterValue", "INV-DRY-002"),
    ("INV-NAME-002", "INV-ERR-Validation", "INV-DRY-002"),
    after(names.name_pattern_not_validated),
)
_dev(
    "name-max-length-not-enforced",
    "The FunctionName maximum (170 documented, 256 aws) is not enforced: too long answers 404.",
    "URI Request Parameters: FunctionName (Length 1-170); profiles.aws max_length 256 (GT-009)",
    ("INV-NAME-003",),
    ("INV-NAME-003",),
    after(names.name_max_length_not_enforced),
)
_dev(
    "bare-name-64-not-enforced",
    "A bare name over 64 characters is looked up (404) instead of rejected. Correct on AWS.",
    "URI Request Parameters: FunctionName ('limited to 64 characters'); GT-008 for aws",
    ("INV-NAME-004",),
    (),
    after(names.bare_name_64_not_enforced),
)
_dev(
    "bare-name-64-enforced",
    "CreateFunction's 64-character rule applied on Invoke: a 65-char bare name answers 400 "
    "instead of 404. What the page says, so only an aws deviation.",
    "GT-008",
    (),
    ("INV-NAME-006",),
    after(names.bare_name_64_enforced),
)
_dev(
    "partial-arn-unsupported",
    "The partial ARN form `account:function:name` is not parsed: it answers 404.",
    "URI Request Parameters: FunctionName (Partial ARN form)",
    ("INV-NAME-001",),
    ("INV-NAME-001",),
    names.partial_arn_unsupported,
)
_dev(
    "name-qualifier-suffix-ignored",
    "A version or alias appended to FunctionName (`name:1`, ARN`:live`) is dropped: $LATEST runs.",
    "URI Request Parameters: FunctionName (name:qualifier); GT-033, GT-035, GT-036",
    ("INV-QUAL-007",),
    ("INV-QUAL-007", "INV-CTX-002"),
    before(names.name_qualifier_suffix_ignored),
)
_dev(
    "cross-region-arn-served",
    "The region of a full ARN is ignored: another region's ARN runs the local function. "
    "The page says nothing of it, so only an aws deviation.",
    "GT-020",
    (),
    ("INV-NAME-007",),
    before(names.cross_region_arn_served),
)
_dev(
    "invoked-arn-latest-suffix",
    "An unqualified call runs as name:$LATEST, so context.invoked_function_arn ends in :$LATEST.",
    "GT-035 (unqualified name: no suffix), GT-034",
    (),
    ("INV-CTX-002",),
    before(names.invoked_arn_latest_suffix),
)

# --- Qualifier -----------------------------------------------------------------------------------
_dev(
    "alias-runs-latest",
    "An existing alias in Qualifier is accepted but $LATEST runs instead of its version.",
    "URI Request Parameters: Qualifier; Response Elements: ExecutedVersion; GT-032",
    ("INV-QUAL-002", "INV-HDR-002"),
    ("INV-QUAL-002", "INV-HDR-002", "INV-CTX-002"),
    names.alias_runs_latest,
)
_dev(
    "executed-version-alias-name",
    "X-Amz-Executed-Version carries the alias name (`live`) instead of the resolved version.",
    "Response Elements: ExecutedVersion ('which version the alias resolved to', pattern); GT-032",
    ("INV-HDR-001", "INV-HDR-002", "INV-CTX-001"),
    ("INV-HDR-001", "INV-HDR-002", "INV-CTX-001"),
    after(names.executed_version_alias_name),
)
_dev(
    "unknown-qualifier-runs-latest",
    "A well-formed Qualifier naming no version or alias falls back to $LATEST instead of 404.",
    "Errors: ResourceNotFoundException; GT-022, GT-023",
    ("INV-QUAL-004",),
    ("INV-QUAL-004",),
    names.unknown_qualifier_runs_latest,
)
_dev(
    "qualifier-pattern-not-validated",
    "Qualifier is not checked against its pattern: `invalid!` answers 404 instead of 400.",
    "URI Request Parameters: Qualifier (pattern); GT-003",
    ("INV-QUAL-005", "INV-ERR-InvalidParameterValue"),
    ("INV-QUAL-005", "INV-ERR-Validation"),
    after(names.qualifier_pattern_not_validated),
)
_dev(
    "qualifier-length-not-validated",
    "Qualifier length is not checked: 129 characters answer 404 instead of 400.",
    "URI Request Parameters: Qualifier (Length 1-128); GT-004",
    ("INV-QUAL-006", "INV-ERR-InvalidParameterValue"),
    ("INV-QUAL-006", "INV-ERR-Validation"),
    after(names.qualifier_length_not_validated),
)
_dev(
    "qualifier-latest-case-insensitive",
    "Qualifier `$latest` is read as `$LATEST` and runs, instead of 404.",
    "GT-015",
    ("INV-QUAL-004",),
    ("INV-QUAL-004",),
    before(names.qualifier_latest_case_insensitive),
)
_dev(
    "qualifier-conflict-ignored",
    "FunctionName `…:$LATEST` with Qualifier `1`: the parameter wins silently instead of 400. "
    "The page leaves the case open (conventions.qualifier_conflict_error: null).",
    "GT-014",
    (),
    ("INV-QUAL-008",),
    before(names.qualifier_conflict_ignored),
)
_dev(
    "explicit-latest-rejected",
    "An explicit $LATEST (Qualifier or name suffix) is looked up like an alias and not found.",
    "URI Request Parameters: Qualifier; GT-035",
    ("INV-QUAL-003",),
    ("INV-QUAL-003",),
    names.explicit_latest_rejected,
)

# --- InvocationType ------------------------------------------------------------------------------
_dev(
    "default-invocation-type-event",
    "Without X-Amz-Invocation-Type the call is asynchronous (202) instead of RequestResponse.",
    "URI Request Parameters: InvocationType ('RequestResponse (default)'); GT-025",
    ("INV-TYPE-002",),
    ("INV-TYPE-002",),
    before(invocation.default_invocation_type_event),
)
_dev(
    "invalid-invocation-type-accepted",
    "An X-Amz-Invocation-Type outside the enum is treated as RequestResponse instead of 400.",
    "URI Request Parameters: InvocationType (Valid Values)",
    ("INV-TYPE-005",),
    ("INV-TYPE-005",),
    before(invocation.invalid_invocation_type_accepted),
)
_dev(
    "invocation-type-case-insensitive",
    "X-Amz-Invocation-Type is compared case-insensitively: `event` is accepted as Event.",
    "URI Request Parameters: InvocationType (Valid Values: Event | RequestResponse | DryRun)",
    ("INV-TYPE-005",),
    ("INV-TYPE-005",),
    before(invocation.invocation_type_case_insensitive),
)
_dev(
    "event-status-200",
    "An accepted Event invocation answers 200 instead of 202.",
    "Response Elements: StatusCode ('For the Event invocation type, this status code is 202')",
    ("INV-TYPE-003",),
    ("INV-TYPE-003",),
    after(invocation.event_status_200),
)
_dev(
    "event-body-not-empty",
    'The 202 of an Event invocation has a JSON body {"StatusCode": 202}.',
    "GT-029 (empty body)",
    ("INV-TYPE-006",),
    ("INV-TYPE-006",),
    after(invocation.event_body_not_empty),
)
_dev(
    "executed-version-on-async",
    "Event 202 and DryRun 204 carry X-Amz-Executed-Version: $LATEST.",
    "GT-029 ('No X-Amz-Executed-Version'), seed-vs-current §2 (absent for Event and DryRun)",
    ("INV-TYPE-006",),
    ("INV-TYPE-006",),
    after(invocation.executed_version_on_async),
)

# --- Event semantics -----------------------------------------------------------------------------
_dev(
    "event-runs-synchronously",
    "An Event invocation is run to completion before the 202 is sent.",
    "Invoke ¶4 ('adds events to a queue before sending them to your function')",
    ("INV-ASYNC-001", "INV-ASYNC-003"),
    ("INV-ASYNC-001", "INV-ASYNC-003"),
    invocation.event_runs_synchronously,
)
_dev(
    "event-not-executed",
    "An Event invocation is validated and answered 202 but never run.",
    "URI Request Parameters: InvocationType (Event); GT-055",
    ("INV-ASYNC-002", "INV-ASYNC-003"),
    ("INV-ASYNC-002", "INV-ASYNC-003"),
    invocation.event_not_executed,
)
_dev(
    "event-no-retry",
    "A failing Event invocation is executed once, never retried.",
    "Invoke ¶3 ('Lambda executes the function up to two more times'); GT-056",
    ("INV-ASYNC-003",),
    ("INV-ASYNC-003",),
    callback=invocation.event_no_retry,
)
_dev(
    "event-retry-new-request-id",
    "Retries of a failing Event invocation run under a new request id each.",
    "GT-056 ('both with the same RequestId')",
    (),
    ("INV-ASYNC-004",),
    callback=invocation.event_retry_new_request_id,
)

# --- DryRun --------------------------------------------------------------------------------------
_dev(
    "dryrun-executes",
    "DryRun runs the function, then answers 204.",
    "URI Request Parameters: InvocationType (DryRun validates only); GT-030",
    ("INV-DRY-001",),
    ("INV-DRY-001",),
    invocation.dryrun_executes,
)
_dev(
    "dryrun-status-200",
    "DryRun answers 200 (empty body) instead of 204.",
    "Response Elements: StatusCode ('For the DryRun invocation type, the status code is 204')",
    ("INV-TYPE-004",),
    ("INV-TYPE-004",),
    after(invocation.dryrun_status_200),
)
_dev(
    "dryrun-skips-validation",
    "DryRun answers 204 without validating: invalid names and absent functions pass.",
    "URI Request Parameters: InvocationType ('Validate parameter values')",
    ("INV-DRY-002",),
    ("INV-DRY-002",),
    after(invocation.dryrun_skips_validation),
)

# --- LogType -------------------------------------------------------------------------------------
_dev(
    "log-tail-ignored",
    "LogType Tail is ignored: no X-Amz-Log-Result.",
    "URI Request Parameters: LogType; GT-025",
    ("INV-LOG-001",),
    ("INV-LOG-001",),
    after(logs_context.log_tail_ignored),
)
_dev(
    "log-result-always",
    "Every synchronous answer carries X-Amz-Log-Result, with or without LogType Tail.",
    "URI Request Parameters: LogType ('Set to Tail to include the execution log')",
    ("INV-LOG-004",),
    ("INV-LOG-004",),
    before(logs_context.log_result_always),
)
_dev(
    "log-result-not-base64",
    "X-Amz-Log-Result carries the log as flattened text instead of base64.",
    "Response Elements: LogResult ('which is base64 encoded'); GT-025",
    ("INV-LOG-002",),
    ("INV-LOG-002",),
    after(logs_context.log_result_not_base64),
)
_dev(
    "log-tail-over-4kb",
    "An INIT_START line is prepended after the 4 KB cut: a full tail exceeds 4 KB.",
    "Response Elements: LogResult ('The last 4 KB')",
    ("INV-LOG-002",),
    ("INV-LOG-002",),
    after(logs_context.log_tail_over_4kb),
)
_dev(
    "log-tail-missing-report",
    "The log tail has START and END but no REPORT line.",
    "GT-025 (START / output / END / REPORT)",
    (),
    ("INV-LOG-006",),
    after(logs_context.log_tail_missing_report),
)
_dev(
    "log-tail-without-function-output",
    "The function's own output is not captured: the tail holds only START/END/REPORT.",
    "Response Elements: LogResult; GT-025 (the function's output between START and END)",
    ("INV-LOG-003",),
    ("INV-LOG-003",),
    after(logs_context.log_tail_without_function_output),
)
_dev(
    "invalid-log-type-accepted",
    "An X-Amz-Log-Type outside None|Tail is treated as None instead of 400.",
    "URI Request Parameters: LogType (Valid Values: None | Tail)",
    ("INV-LOG-005",),
    ("INV-LOG-005",),
    before(logs_context.invalid_log_type_accepted),
)

# --- ClientContext -------------------------------------------------------------------------------
_dev(
    "client-context-dropped",
    "X-Amz-Client-Context never reaches the function.",
    "URI Request Parameters: ClientContext; GT-060",
    ("INV-CC-001",),
    ("INV-CC-001",),
    before(logs_context.client_context_dropped),
)
_dev(
    "client-context-length-unchecked",
    "A ClientContext over 3583 bytes is silently dropped instead of rejected with 400.",
    "URI Request Parameters: ClientContext ('Up to 3,583 bytes')",
    ("INV-CC-003",),
    ("INV-CC-003",),
    before(logs_context.client_context_length_unchecked),
)
_dev(
    "client-context-invalid-ignored",
    "A ClientContext that is not base64 JSON is silently dropped instead of rejected with 400.",
    "URI Request Parameters: ClientContext ('base64-encoded data')",
    ("INV-CC-004",),
    ("INV-CC-004",),
    before(logs_context.client_context_invalid_ignored),
)
_dev(
    "client-context-empty-when-absent",
    "Without ClientContext the function still gets an (empty) client context object.",
    "GT-031 ('client_context = null (none sent)')",
    ("INV-CC-002",),
    ("INV-CC-002",),
    before(logs_context.client_context_empty_when_absent),
)

# --- Payload -------------------------------------------------------------------------------------
_dev(
    "empty-body-as-null",
    "A request without a body hands the function null instead of {}. The page only says the "
    "payload is optional, so only an aws deviation.",
    "GT-026",
    (),
    ("INV-PAY-003",),
    before(payload.empty_body_as_null),
)
_dev(
    "empty-body-rejected",
    "A request without a body is rejected with 400 InvalidRequestContentException.",
    "Request Body: Payload (optional); GT-026",
    ("INV-PAY-002",),
    ("INV-PAY-002", "INV-PAY-003"),
    payload.empty_body_rejected,
)
_dev(
    "non-json-body-as-string",
    "A body that is not JSON is passed to the function as a JSON string instead of rejected.",
    "Errors: InvalidRequestContentException; GT-047",
    ("INV-PAY-004", "INV-ERR-InvalidRequestContent"),
    ("INV-PAY-004", "INV-ERR-InvalidRequestContent"),
    before(payload.non_json_body_as_string),
)
_dev(
    "invalid-utf8-server-error",
    "A body that is not UTF-8 makes the decoder fail: 500 ServiceException instead of 400.",
    "Errors: InvalidRequestContentException; GT-045, GT-046",
    ("INV-PAY-005", "INV-ERR-InvalidRequestContent"),
    ("INV-PAY-005", "INV-ERR-InvalidRequestContent"),
    payload.invalid_utf8_server_error,
)
_dev(
    "payload-big-ints-as-doubles",
    "JSON numbers pass through a double: integers beyond 2**53 reach the function rounded.",
    "Request Body: Payload; GT-027 ('echoed byte-for-byte')",
    ("INV-PAY-001",),
    ("INV-PAY-001",),
    before(payload.payload_big_ints_as_doubles),
)
_dev(
    "payload-unicode-mangled",
    "The body is decoded as Latin-1: non-ASCII text reaches the function as mojibake.",
    "Request Body: Payload; GT-027 ('🥳' echoed unchanged)",
    ("INV-PAY-001",),
    ("INV-PAY-001",),
    before(payload.payload_unicode_mangled),
)
_dev(
    "sync-payload-limit-decimal",
    "The synchronous limit is 6,000,000 bytes instead of 6 MiB (6291456).",
    "Errors: RequestTooLargeException; spec limits.sync_payload; GT-048",
    ("INV-PAY-006",),
    ("INV-PAY-006",),
    payload.sync_payload_limit_decimal,
)
_dev(
    "async-payload-limit-old",
    "Event payloads over 256 KB are refused (the limit before October 2025). That is the page's "
    "limit, so only an aws deviation.",
    "GT-049 (1 MB since Oct 2025); profiles.aws limits.async_payload",
    (),
    ("INV-PAY-008",),
    payload.async_payload_limit_old,
)
_dev(
    "payload-too-large-modeled-name",
    "Oversized payloads answer the model's RequestTooLargeException (lowercase message) "
    "instead of RequestEntityTooLargeException. That is the page's name: aws deviation only.",
    "GT-048, GT-049",
    (),
    ("INV-PAY-007", "INV-PAY-009", "INV-ERR-RequestEntityTooLarge"),
    after(payload.payload_too_large_modeled_name),
)
_dev(
    "payload-too-large-status-400",
    "Oversized payloads are rejected with status 400 instead of 413 (same error type).",
    "Errors: RequestTooLargeException (HTTP 413); GT-048, GT-049",
    ("INV-PAY-007", "INV-PAY-009", "INV-WIRE-002", "INV-ERR-RequestTooLarge"),
    ("INV-PAY-007", "INV-PAY-009", "INV-WIRE-002", "INV-ERR-RequestEntityTooLarge"),
    after(payload.payload_too_large_status_400),
)
_dev(
    "connection-reset-on-oversized",
    "A body over 6 MiB is read and the connection closed without an answer.",
    "Request Syntax; Errors: RequestTooLargeException; GT-048",
    ("INV-WIRE-007", "INV-PAY-007"),
    ("INV-WIRE-007", "INV-PAY-007"),
    payload.connection_reset_on_oversized,
)

# --- function errors -----------------------------------------------------------------------------
_dev(
    "function-error-status-500",
    "A function error answers status 500 (body and X-Amz-Function-Error kept).",
    "Invoke ¶5 ('The status code in the API response doesn't reflect function errors'); GT-037",
    ("INV-FERR-001", "INV-WIRE-001"),
    ("INV-FERR-001", "INV-WIRE-001"),
    after(function_errors.function_error_status_500),
)
_dev(
    "function-error-header-missing",
    "No X-Amz-Function-Error when the function fails, times out or returns too much.",
    "Response Elements: FunctionError; GT-037, GT-040, GT-043",
    ("INV-FERR-002", "INV-FERR-008", "INV-FERR-010"),
    ("INV-FERR-002", "INV-FERR-003", "INV-FERR-008", "INV-FERR-010"),
    after(function_errors.function_error_header_missing),
)
_dev(
    "function-error-handled",
    "X-Amz-Function-Error is `Handled`. The page lists no values: aws deviation only.",
    "GT-037, GT-039 ('No recording anywhere shows Handled')",
    (),
    ("INV-FERR-003",),
    after(function_errors.function_error_handled),
)
_dev(
    "function-error-wrapped",
    "The exception is wrapped: errorType Runtime.UserCodeError, errorMessage 'Class: msg'.",
    "Response Elements: Payload; GT-037 (errorType = the exception class)",
    ("INV-FERR-006",),
    ("INV-FERR-006",),
    after(function_errors.function_error_wrapped),
)
_dev(
    "function-error-no-stacktrace",
    "A Python function error's body has no stackTrace.",
    "GT-037 (stackTrace list)",
    (),
    ("INV-FERR-007",),
    after(function_errors.function_error_no_stacktrace),
)
_dev(
    "function-error-body-text",
    "A function error's body is a text line `Class: message`, not a JSON object.",
    "Response Elements: Payload ('or an error object'); GT-037, GT-040",
    ("INV-FERR-005", "INV-FERR-008"),
    ("INV-FERR-005", "INV-FERR-008"),
    after(function_errors.function_error_body_text),
)
_dev(
    "timeout-as-504",
    'A timed-out function answers 504 {"message": "Endpoint request timed out"}.',
    "GT-040 (200, Unhandled); Invoke ¶5",
    ("INV-FERR-008", "INV-WIRE-001"),
    ("INV-FERR-008", "INV-FERR-009", "INV-WIRE-001"),
    after(function_errors.timeout_as_504),
)
_dev(
    "timeout-errortype-generic",
    "A timed-out function reports errorType TimeoutError instead of Sandbox.Timedout.",
    "GT-040",
    (),
    ("INV-FERR-009",),
    after(function_errors.timeout_errortype_generic),
)
_dev(
    "timeout-after-1s",
    "Synchronous calls are cut off after 1 s with a timeout error, whatever the function's "
    "configured timeout (sleep: 3 s).",
    "Invoke ¶1 (waits for the response); fixture-contract.md (sleep timeout 3 s); GT-040",
    ("INV-TYPE-007",),
    ("INV-TYPE-007",),
    function_errors.timeout_after_1s,
)
_dev(
    "response-limit-decimal",
    "Function results over 6,000,000 bytes are refused as too large (limit 6291556).",
    "GT-043, GT-044",
    ("INV-FERR-012",),
    ("INV-FERR-012",),
    after(function_errors.response_limit_decimal),
)
_dev(
    "response-too-large-as-500",
    "An oversized function result answers 500 ServiceException instead of 200 + function error.",
    "GT-043",
    ("INV-FERR-010",),
    ("INV-FERR-010", "INV-FERR-011"),
    after(function_errors.response_too_large_as_500),
)
_dev(
    "response-too-large-errortype",
    "An oversized result reports errorType ResponseSizeTooLarge (no Function. prefix).",
    "GT-043",
    (),
    ("INV-FERR-011",),
    after(function_errors.response_too_large_errortype),
)
_dev(
    "function-error-guessed-from-result",
    "A successful result that looks like an error object is flagged X-Amz-Function-Error.",
    "Response Elements: FunctionError ('If present, indicates that an error occurred')",
    ("INV-FERR-004",),
    ("INV-FERR-004",),
    after(function_errors.function_error_guessed_from_result),
)
_dev(
    "sync-invoked-twice",
    "A synchronous call is sent to the function twice; the second answer is returned.",
    "Invoke ¶1 (one synchronous invocation); GT-057 (one request id per invocation)",
    ("INV-TYPE-007",),
    ("INV-TYPE-007",),
    function_errors.sync_invoked_twice,
)

# --- concurrency ---------------------------------------------------------------------------------
_dev(
    "reserved-concurrency-ignored",
    "PutFunctionConcurrency is acknowledged but not applied: reserved 0 never throttles.",
    "Invoke ¶5; GT-050",
    ("INV-CONC-001", "INV-CONC-002", "INV-ERR-TooManyRequests"),
    ("INV-CONC-001", "INV-CONC-002", "INV-ERR-TooManyRequests"),
    control_plane=invocation.reserved_concurrency_ignored,
)
_dev(
    "throttle-no-reason",
    "The 429 body has no Reason field.",
    "Invoke ¶5 (ReservedFunctionConcurrentInvocationLimitExceeded); GT-050",
    ("INV-CONC-002",),
    ("INV-CONC-002",),
    after(invocation.throttle_no_reason),
)
_dev(
    "throttle-wrong-reason",
    "The 429 of a function at reserved concurrency 0 gives the account-level Reason.",
    "Invoke ¶5; GT-050",
    ("INV-CONC-002",),
    ("INV-CONC-002",),
    after(invocation.throttle_wrong_reason),
)
_dev(
    "throttle-event-rejected",
    "An Event call to a function at reserved concurrency 0 answers 429 instead of 202. The "
    "page's ¶5 does not exempt Event, so only an aws deviation.",
    "GT-051 ('Async throttling is never returned to the caller')",
    (),
    ("INV-TYPE-003",),
    invocation.throttle_event_rejected,
    control_plane=invocation.track_zero_concurrency,
)

# --- error wire format ---------------------------------------------------------------------------
_dev(
    "error-type-header-missing",
    "Errors carry their code only in the body (`__type`), not in x-amzn-ErrorType.",
    "Error envelope (x-amzn-ErrorType); spec conventions.error_type_header",
    ("INV-WIRE-001",),
    ("INV-WIRE-001",),
    after(wire.error_type_header_missing),
)
_dev(
    "error-type-without-suffix",
    "x-amzn-ErrorType carries the page's short name (`ResourceNotFound`).",
    "Error envelope; seed-vs-current §3 ('the full shape name')",
    ("INV-WIRE-001",),
    ("INV-WIRE-001",),
    after(wire.error_type_without_suffix),
)
_dev(
    "not-found-status-400",
    "ResourceNotFoundException is sent with status 400 instead of 404.",
    "Errors: ResourceNotFoundException (HTTP 404); GT-021",
    ("INV-WIRE-002", "INV-NAME-005", "INV-QUAL-004", "INV-ERR-ResourceNotFound"),
    ("INV-WIRE-002", "INV-NAME-005", "INV-QUAL-004", "INV-ERR-ResourceNotFound"),
    after(wire.not_found_status_400),
)
_dev(
    "not-found-message-key-lowercase",
    "The 404 body uses `message` instead of `Message`.",
    "Error envelope ('ResourceNotFoundException → Message'); GT-021",
    ("INV-WIRE-004",),
    ("INV-WIRE-004",),
    after(wire.not_found_message_key_lowercase),
)
_dev(
    "error-message-key-capitalised",
    "Every error body uses `Message`, also for the lowercase-`message` types.",
    "Error envelope (InvalidParameterValue, InvalidRequestContent, TooManyRequests → message)",
    ("INV-WIRE-004",),
    ("INV-WIRE-004",),
    after(wire.error_message_key_capitalised),
)
_dev(
    "error-body-no-type",
    "Error bodies have no Type field.",
    'Error envelope (\'All of them also carry "Type":"User"\'); GT-021, GT-050',
    ("INV-WIRE-005",),
    ("INV-WIRE-005",),
    after(wire.error_body_no_type),
)
_dev(
    "error-content-type-amz-json",
    "Error responses declare Content-Type application/x-amz-json-1.1.",
    "Error envelope (Content-Type application/json)",
    ("INV-WIRE-006",),
    ("INV-WIRE-006",),
    after(wire.error_content_type_amz_json),
)
_dev(
    "error-body-nested",
    'Error bodies use the query-protocol envelope {"Error": {"Code", "Message"}}.',
    "Error envelope (top-level message key)",
    ("INV-WIRE-003",),
    ("INV-WIRE-003",),
    after(wire.error_body_nested),
)
_dev(
    "constraint-error-ipve-on-aws",
    "Constraint violations answer the page's InvalidParameterValueException instead of "
    "ValidationException. Correct for the page: aws deviation only.",
    "GT-001, GT-003, GT-004, GT-009",
    (),
    ("INV-NAME-002", "INV-NAME-003", "INV-QUAL-005", "INV-QUAL-006", "INV-ERR-Validation"),
    after(wire.constraint_error_ipve),
)
_dev(
    "constraint-error-validation-on-documented",
    "Constraint violations answer ValidationException (what AWS does) instead of the page's "
    "InvalidParameterValueException, which the page's error table does not know.",
    "Errors: InvalidParameterValueException; spec conventions.constraint_violation_error",
    (
        "INV-NAME-002",
        "INV-NAME-003",
        "INV-NAME-004",
        "INV-QUAL-005",
        "INV-QUAL-006",
        "INV-ERR-InvalidParameterValue",
        "INV-WIRE-001",
    ),
    (),
    after(wire.constraint_error_validation),
)
_dev(
    "not-found-message-without-arn",
    "The 404 message is `Function not found: <name>` instead of the ARN form.",
    "GT-021, GT-022 ('Function not found: arn:aws:lambda:…')",
    (),
    ("INV-NAME-005", "INV-QUAL-004", "INV-ERR-ResourceNotFound"),
    after(wire.not_found_message_without_arn),
)
_dev(
    "invalid-content-message-node",
    "An unparseable body's message is a JavaScript parser's, without the "
    "`Could not parse request body into json:` prefix.",
    "GT-045, GT-046, GT-047 (rely on the prefix)",
    (),
    ("INV-PAY-004", "INV-PAY-005", "INV-ERR-InvalidRequestContent"),
    after(wire.invalid_content_message_node),
)

# --- response headers ----------------------------------------------------------------------------
_dev(
    "executed-version-missing",
    "Synchronous answers have no X-Amz-Executed-Version.",
    "Response Elements: ExecutedVersion; GT-024",
    ("INV-HDR-001", "INV-HDR-002"),
    ("INV-HDR-001", "INV-HDR-002"),
    after(wire.executed_version_missing),
)
_dev(
    "executed-version-missing-on-function-error",
    "X-Amz-Executed-Version is written on success only, not with a function error.",
    "GT-037 ('X-Amz-Executed-Version: $LATEST' with the error)",
    ("INV-HDR-001",),
    ("INV-HDR-001",),
    after(wire.executed_version_missing_on_function_error),
)
_dev(
    "request-id-header-missing",
    "Responses have no x-amzn-RequestId. The page does not mention it: aws deviation only.",
    "GT-059, GT-029, GT-057",
    (),
    ("INV-HDR-004", "INV-CTX-003"),
    after(wire.request_id_header_missing),
)
_dev(
    "request-id-not-context-id",
    "x-amzn-RequestId of a 200 is a fresh id, not the function's aws_request_id.",
    "GT-057",
    (),
    ("INV-CTX-003",),
    after(wire.request_id_not_context_id),
)
_dev(
    "content-type-octet-stream",
    "Successful synchronous answers declare application/octet-stream.",
    "GT-059 (content-type: application/json)",
    (),
    ("INV-HDR-003",),
    after(wire.content_type_octet_stream),
)

# --- more row-stated observables (aws-observed.md, row by row) ---------------------------------
_dev(
    "qualifier-validated-after-existence",
    "The function is looked up before Qualifier is validated: an invalid Qualifier on an "
    "absent function answers 404 instead of 400.",
    "GT-003 ('validated before the existence lookup'); URI Request Parameters: Qualifier",
    # Reclassified by the lead: the page does not fix the order of validation and lookup
    # (only GT-003 does), and the documented profile accepts every order the page allows
    # (issue 17, "never more than the statement"). A deviation under aws only.
    (),
    ("INV-QUAL-005",),
    names.qualifier_validated_after_existence,
)
_dev(
    "name-max-length-170-on-aws",
    "The seed model's 170-character FunctionName maximum is enforced: 171..256 characters "
    "answer 400. That is the page's limit, so only an aws deviation.",
    "GT-009 (a 234-character ARN gets only the pattern error); profiles.aws max_length 256",
    (),
    ("INV-NAME-003", "INV-NAME-005"),
    names.name_max_length_170_on_aws,
)
_dev(
    "validation-first-error-only",
    "Validation stops at the first failed constraint: `1 validation error detected` where "
    "AWS lists every one, separated by `; `.",
    "GT-010",
    (),
    ("INV-NAME-002", "INV-QUAL-006", "INV-ERR-Validation"),
    after(names.validation_first_error_only),
)
_dev(
    "incomplete-arn-rejected",
    "`arn:aws:lambda:<region>:<acct>:function` (no name) is refused 400, though it matches "
    "the pattern (as a partial ARN naming `function`) and answers 404.",
    "GT-012; URI Request Parameters: FunctionName (pattern)",
    ("INV-NAME-005",),
    ("INV-NAME-005",),
    names.incomplete_arn_rejected,
)
_dev(
    "qualifier-conflict-after-existence",
    "The function is looked up before the name's qualifier is compared with Qualifier: a "
    "conflict on an absent function answers 404 instead of 400.",
    "GT-014 ('The conflict is checked before existence')",
    (),
    ("INV-QUAL-008",),
    names.qualifier_conflict_after_existence,
)
_dev(
    "qualifier-max-64",
    "Qualifiers of 65..128 characters are refused with 400 (the alias-name limit), instead of "
    "a 404 for an absent version or alias.",
    "GT-023; URI Request Parameters: Qualifier (Length 1-128)",
    ("INV-QUAL-004",),
    ("INV-QUAL-004",),
    names.qualifier_max_64,
)
_dev(
    "non-object-json-rejected",
    'Only a JSON object is accepted as payload: true, 1, null, [1,2], "s" answer 400.',
    "Request Body: Payload ('The JSON'); GT-027 (non-object JSON is valid input)",
    ("INV-PAY-001",),
    ("INV-PAY-001",),
    payload.non_object_json_rejected,
)
_dev(
    "null-result-empty-body",
    "A null function result is sent as an empty body instead of the 4 bytes `null`.",
    "GT-028; Response Elements: Payload",
    ("INV-TYPE-001", "INV-PAY-001"),
    ("INV-TYPE-001", "INV-PAY-001"),
    after(function_errors.null_result_empty_body),
)
_dev(
    "version-qualifier-runs-latest",
    "A published version in Qualifier is accepted but $LATEST runs.",
    "URI Request Parameters: Qualifier; GT-031",
    ("INV-QUAL-001", "INV-HDR-002"),
    ("INV-QUAL-001", "INV-HDR-002", "INV-CTX-002"),
    names.version_qualifier_runs_latest,
)
_dev(
    "oversized-result-poisons-next-invoke",
    "After an oversized result, the next synchronous call of that function fails with "
    "Runtime.ExitError (the worker died), whatever it returns.",
    "GT-043 ('A second invoke behaves the same way (the environment is not poisoned)')",
    ("INV-FERR-012",),
    ("INV-FERR-011", "INV-FERR-012"),
    function_errors.oversized_result_poisons_next_invoke,
)
_dev(
    "too-large-message-key-lowercase",
    "RequestEntityTooLargeException bodies use `message` instead of `Message`.",
    "GT-048 ('The body uses the capitalised Message key')",
    (),
    ("INV-WIRE-004",),
    after(wire.too_large_message_key_lowercase),
)
_dev(
    "log-lines-other-request-id",
    "START/END/REPORT lines of the log tail name another request id than x-amzn-RequestId.",
    "GT-057 ('The log lines START/END/REPORT RequestId: use the same id'), GT-025",
    (),
    ("INV-LOG-006",),
    after(logs_context.log_lines_other_request_id),
)
_dev(
    "content-type-required",
    "An Invoke request without Content-Type is refused with 415 UnsupportedMediaTypeException.",
    "aws-observed.md 'Not observed' (SDKs send no Content-Type; it must be accepted); "
    "Errors: UnsupportedMediaTypeException ('not JSON', not 'absent')",
    ("INV-TYPE-001",),
    ("INV-TYPE-001",),
    payload.content_type_required,
)

# --- controls ------------------------------------------------------------------------------------
_control(
    "control-extra-headers",
    "Adds x-amzn-Remapped-Content-Length, X-Amzn-Trace-Id (both sent by AWS, GT-059) and an "
    "unknown X-Blind-Proxy header; nothing in the spec forbids extra headers.",
    "GT-059",
    after(controls.extra_headers),
)
_control(
    "control-error-json-formatting",
    "Error bodies compact, keys in reverse order (JSON objects are unordered, RFC 8259).",
    "Error envelope (keys only)",
    after(controls.error_json_formatting),
)
_control(
    "control-error-request-id-format",
    "Non-UUID x-amzn-RequestId on answers where nothing ran (errors, DryRun); the spec asks "
    "for the header, not a format.",
    "INV-HDR-004 statement; GT-057 concerns executions only",
    after(controls.error_request_id_format),
)
_control(
    "control-chunked-encoding",
    "Bodies sent with Transfer-Encoding: chunked instead of Content-Length (RFC 9112).",
    "Request Syntax / Response Syntax (HTTP framing is not part of the contract)",
    after(controls.chunked_encoding),
)
_control(
    "control-lowercase-header-names",
    "All response header names lower-cased (RFC 9110: case-insensitive).",
    "Error envelope capture shows lower-case names (`x-amzn-errortype`)",
    after(controls.lowercase_header_names),
)
_control(
    "control-connection-close",
    "Every answer carries Connection: close and ends its connection (no keep-alive).",
    "RFC 9112 §9.6; the contract says nothing of persistence",
    after(controls.connection_close),
)
_control(
    "control-client-context-error-wording",
    "Another message for a rejected ClientContext (status and type unchanged).",
    "GT-060 ('The error for an over-long or invalid ClientContext was not observed')",
    after(controls.client_context_error_wording),
)
_control(
    "control-invalid-content-detail",
    "InvalidRequestContentException keeps the documented prefix, with another parser detail.",
    "GT-045 ('The Jackson detail text varies … rely on the prefix')",
    after(controls.invalid_content_detail),
)

_control(
    "control-validation-message-old-pattern",
    "Validation messages quote the August 2024 pattern text (same prefix, same members).",
    "GT-042 ('Tests should match on the prefix, not on the pattern text')",
    after(controls.validation_message_old_pattern),
)
_control(
    "control-throttle-retry-after",
    "429 answers carry Retry-After: 1 (RFC 6585 allows it; the model binds retryAfterSeconds "
    "to it); the spec fixes only status, type and Reason.",
    "seed-vs-current.md §3 (TooManyRequests: retryAfterSeconds → Retry-After); GT-050",
    after(controls.throttle_retry_after),
)

DEVIATIONS: dict[str, BlindMutant] = {entry.name: entry for entry in _ENTRIES}
if len(DEVIATIONS) != len(_ENTRIES):  # pragma: no cover - a duplicated name is a typo
    raise RuntimeError("duplicate blind mutant name in the catalogue")
