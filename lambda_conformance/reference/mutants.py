"""Mutants: the reference target with exactly one known deviation each."""

from __future__ import annotations

from dataclasses import dataclass

from lambda_conformance.spec import Spec


@dataclass(frozen=True, slots=True)
class Mutant:
    """One deviation of the reference target, as real implementations are known to deviate.

    `violates`: requirement IDs the deviation breaks; a suite must fail each of them.
    `collateral`: IDs the deviation may break as a consequence; a suite may fail these
    too, and nothing else. IDs that do not apply under a profile are dropped there.
    """

    name: str
    description: str
    violates: tuple[str, ...]
    collateral: tuple[str, ...] = ()

    def violated_under(self, spec: Spec) -> tuple[str, ...]:
        """The `violates` IDs that apply under `spec`'s profile."""
        return tuple(r for r in self.violates if r in spec.requirement_ids)

    def collateral_under(self, spec: Spec) -> tuple[str, ...]:
        """The `collateral` IDs that apply under `spec`'s profile."""
        return tuple(r for r in self.collateral if r in spec.requirement_ids)

    def is_deviation_under(self, spec: Spec) -> bool:
        """False when every requirement it breaks is absent from `spec`'s profile."""
        return bool(self.violated_under(spec))


# Requirements judged by the error *type* an answer names (via x-amzn-ErrorType, which is
# where botocore reads the code): a mutant that garbles the type may fail all of them.
_ERROR_TYPE_JUDGED = (
    "INV-NAME-002",
    "INV-NAME-003",
    "INV-NAME-004",
    "INV-NAME-005",
    "INV-NAME-006",
    "INV-NAME-007",
    "INV-QUAL-004",
    "INV-QUAL-005",
    "INV-QUAL-006",
    "INV-QUAL-008",
    "INV-PAY-004",
    "INV-PAY-005",
    "INV-PAY-007",
    "INV-PAY-009",
    "INV-CONC-001",
    "INV-CC-003",
    "INV-CC-004",
    "INV-TYPE-005",
    "INV-LOG-005",
    "INV-DRY-002",
    "INV-ERR-ResourceNotFound",
    "INV-ERR-InvalidParameterValue",
    "INV-ERR-InvalidRequestContent",
    "INV-ERR-RequestTooLarge",
    "INV-ERR-TooManyRequests",
    "INV-ERR-Validation",
    "INV-ERR-RequestEntityTooLarge",
)
# Requirements whose checks read an error's message text (by the spec's message key).
_MESSAGE_JUDGED = (
    "INV-NAME-007",
    "INV-QUAL-008",
    "INV-PAY-004",
    "INV-PAY-005",
    "INV-PAY-007",
    "INV-PAY-009",
    "INV-NAME-005",
    "INV-QUAL-004",
)
# Requirements a suite may well check with requests that carry no body at all.
_BODYLESS_CHECKED = (
    "INV-TYPE-001",
    "INV-TYPE-002",
    "INV-TYPE-003",
    "INV-TYPE-004",
    "INV-TYPE-006",
    "INV-TYPE-007",
    "INV-NAME-001",
    "INV-QUAL-001",
    "INV-QUAL-002",
    "INV-QUAL-003",
    "INV-QUAL-007",
    "INV-HDR-001",
    "INV-HDR-002",
    "INV-HDR-003",
    "INV-CTX-001",
    "INV-CTX-002",
    "INV-CTX-003",
    "INV-CC-001",
    "INV-CC-002",
    "INV-DRY-001",
    "INV-LOG-001",
    "INV-LOG-003",
    "INV-LOG-004",
    "INV-LOG-006",
    "INV-CONC-001",
    "INV-CONC-002",
    "INV-ERR-TooManyRequests",
    "INV-ERR-InvalidRequestContent",
    "INV-ASYNC-001",
    "INV-ASYNC-002",
    "INV-ASYNC-003",
    "INV-ASYNC-004",
    "INV-PAY-008",
    "INV-FERR-001",
    "INV-FERR-002",
    "INV-FERR-003",
    "INV-FERR-005",
    "INV-FERR-006",
    "INV-FERR-007",
)
_WIRE = (
    "INV-WIRE-001",
    "INV-WIRE-002",
    "INV-WIRE-003",
    "INV-WIRE-004",
    "INV-WIRE-005",
    "INV-WIRE-006",
)


def _m(
    name: str, description: str, violates: tuple[str, ...], collateral: tuple[str, ...] = ()
) -> Mutant:
    return Mutant(name, description, violates, tuple(c for c in collateral if c not in violates))


_ALL: tuple[Mutant, ...] = (
    # --- invocation types ----------------------------------------------------------
    _m(
        "event-200",
        "Event invocations are answered 200 instead of 202, like synchronous ones.",
        ("INV-TYPE-003",),
        (
            "INV-PAY-008",
            "INV-HDR-001",
            "INV-HDR-003",
            "INV-ASYNC-001",
            "INV-ASYNC-002",
            "INV-ASYNC-003",
            "INV-ASYNC-004",
            "INV-CONC-004",
        ),
    ),
    _m(
        "event-waits",
        "Event invocations answer 202 only after the function has finished running.",
        ("INV-ASYNC-001",),
        ("INV-WIRE-007",),
    ),
    _m(
        "dryrun-executes",
        "DryRun runs the function synchronously before answering 204.",
        ("INV-DRY-001",),
    ),
    _m(
        "dryrun-queues",
        "DryRun is queued like an Event invocation (and retried on failure).",
        ("INV-DRY-001",),
    ),
    # --- function errors -----------------------------------------------------------
    _m(
        "no-function-error-header",
        "A failed function's response lacks X-Amz-Function-Error.",
        ("INV-FERR-002", "INV-FERR-008", "INV-FERR-010"),
        ("INV-FERR-003",),
    ),
    _m(
        "function-error-handled",
        "X-Amz-Function-Error says Handled (old docs) instead of Unhandled.",
        ("INV-FERR-003",),
    ),
    _m(
        "wrapped-error",
        "errorType/errorMessage are wrapped in the emulator's own error text.",
        ("INV-FERR-006",),
    ),
    _m(
        "function-error-500",
        "A function error (raise, timeout, oversized result) is answered 500.",
        ("INV-FERR-001", "INV-FERR-008", "INV-FERR-010"),
        # A 500 to a synchronous call of an existing function also breaks the plain
        # "RequestResponse answers 200" rules, which schemathesis judges on `fail`.
        (*_WIRE, "INV-TYPE-001", "INV-TYPE-002"),
    ),
    _m(
        "timeout-plain-text",
        "A timed-out function is answered with a plain-text body, not a JSON error object.",
        ("INV-FERR-008", "INV-FERR-009"),
        ("INV-HDR-003",),
    ),
    _m(
        "oversized-response-413",
        "A result over the response limit is answered 413, not 200 with a function error.",
        ("INV-FERR-010",),
        # With no function error reported, its errorType (INV-FERR-011) goes unjudged.
        ("INV-FERR-011", "INV-ERR-RequestEntityTooLarge", "INV-ERR-RequestTooLarge"),
    ),
    # --- executed version and qualifiers --------------------------------------------
    _m(
        "executed-version-latest",
        "X-Amz-Executed-Version is hard-coded to $LATEST.",
        # The context and the qualifier agree on what ran: the header is the odd one out.
        ("INV-HDR-002",),
        ("INV-CTX-001", "INV-QUAL-001", "INV-QUAL-002", "INV-QUAL-007"),
    ),
    _m(
        "executed-version-absent",
        "X-Amz-Executed-Version is never sent.",
        # A missing header is INV-HDR-001's alone; the rules that compare it are not judged.
        ("INV-HDR-001",),
        ("INV-HDR-002", "INV-QUAL-001", "INV-QUAL-002", "INV-QUAL-003", "INV-QUAL-007",
         "INV-CTX-001"),
    ),
    _m(
        "executed-version-alias",
        "X-Amz-Executed-Version names the alias invoked, not the version it resolved to.",
        ("INV-HDR-001", "INV-HDR-002"),
        ("INV-CTX-001", "INV-QUAL-002", "INV-QUAL-007"),
    ),
    _m(
        "qualifier-ignored",
        "Qualifiers (parameter or name suffix) are ignored: $LATEST always runs.",
        # The header truthfully names $LATEST, the version that ran: not INV-HDR-002.
        ("INV-QUAL-001", "INV-QUAL-002", "INV-QUAL-004", "INV-CTX-002"),
        ("INV-QUAL-007", "INV-HDR-002", "INV-CTX-001", "INV-ERR-ResourceNotFound"),
    ),
    _m(
        "unknown-alias-latest",
        "A qualifier naming no version or alias runs $LATEST instead of answering 404.",
        ("INV-QUAL-004",),
        ("INV-ERR-ResourceNotFound", "INV-CTX-001", "INV-CTX-002"),
    ),
    _m(
        "qualifier-conflict-ignored",
        "A name qualifier contradicting the Qualifier parameter is ignored (the parameter wins).",
        ("INV-QUAL-008",),
        ("INV-ERR-InvalidParameterValue",),
    ),
    # --- existence -----------------------------------------------------------------
    _m(
        "unknown-function-500",
        "An absent function is answered 500 ServiceException instead of 404.",
        ("INV-NAME-005", "INV-NAME-006", "INV-ERR-ResourceNotFound", "INV-DRY-002"),
        ("INV-NAME-004", "INV-NAME-001"),
    ),
    _m(
        "unknown-function-200",
        "An absent function is answered 200 with an empty JSON object.",
        ("INV-NAME-005", "INV-NAME-006", "INV-ERR-ResourceNotFound", "INV-DRY-002"),
        ("INV-NAME-001", "INV-TYPE-003", "INV-TYPE-004", "INV-HDR-001"),
    ),
    _m(
        "not-found-400",
        "ResourceNotFoundException is answered with status 400 instead of 404.",
        (
            "INV-ERR-ResourceNotFound",
            "INV-NAME-005",
            "INV-NAME-006",
            "INV-NAME-007",
            "INV-QUAL-004",
            "INV-WIRE-002",
            "INV-DRY-002",
        ),
    ),
    _m(
        "cross-region-runs-local",
        "A full ARN naming another region runs the local function of that name.",
        ("INV-NAME-007",),
        ("INV-ERR-ResourceNotFound",),
    ),
    # --- name and qualifier validation ----------------------------------------------
    _m(
        "invalid-names-accepted",
        "FunctionName is not checked against its pattern: invalid names are looked up as is.",
        ("INV-NAME-002", "INV-ERR-Validation", "INV-DRY-002"),
        ("INV-ERR-InvalidParameterValue", "INV-NAME-005", "INV-ERR-ResourceNotFound"),
    ),
    _m(
        "long-names-accepted",
        "FunctionName length limits (and the documented 64-char bare-name limit) go unchecked.",
        ("INV-NAME-003", "INV-NAME-004", "INV-ERR-Validation"),
        (
            "INV-ERR-InvalidParameterValue",
            "INV-DRY-002",
            "INV-NAME-005",
            "INV-ERR-ResourceNotFound",
        ),
    ),
    _m(
        "long-qualifiers-accepted",
        "Qualifier's 128-character limit is not checked.",
        ("INV-QUAL-006", "INV-ERR-Validation"),
        ("INV-ERR-InvalidParameterValue", "INV-QUAL-004", "INV-ERR-ResourceNotFound"),
    ),
    # --- error wire format ----------------------------------------------------------
    _m(
        "error-type-no-suffix",
        "x-amzn-ErrorType carries the code without its Exception suffix (ResourceNotFound).",
        ("INV-WIRE-001",),
        _ERROR_TYPE_JUDGED,
    ),
    _m("error-body-no-type", "Error bodies lack the Type field.", ("INV-WIRE-005",)),
    _m(
        "error-body-type-sender",
        "Error bodies say Type Sender (the query protocol's word) instead of User.",
        ("INV-WIRE-009",),
    ),
    _m(
        "not-found-message",
        "A ResourceNotFoundException message names the bare function, not its ARN.",
        ("INV-WIRE-008",),
    ),
    _m(
        "validation-message",
        "A constraint violation's message lacks its `1 validation error detected: ` opening.",
        ("INV-WIRE-008",),
    ),
    _m(
        "validation-errors-not-combined",
        "Validation stops at the first violation: several members' violations come back as "
        "`1 validation error detected: ` and the first one only.",
        ("INV-WIRE-008",),
    ),
    _m(
        "invalid-json-message",
        "An InvalidRequestContentException message does not begin "
        "`Could not parse request body into json: `.",
        ("INV-WIRE-008",),
    ),
    _m(
        "message-key-case",
        "Error bodies use the message key in the other case (message vs Message).",
        ("INV-WIRE-004",),
        _MESSAGE_JUDGED,
    ),
    # --- payload -------------------------------------------------------------------
    _m(
        "invalid-json-as-empty",
        "A body that is not JSON (or not UTF-8) is silently treated as {}.",
        ("INV-PAY-004", "INV-PAY-005", "INV-ERR-InvalidRequestContent"),
    ),
    _m(
        "empty-body-rejected",
        "A request without a body is rejected as invalid JSON.",
        ("INV-PAY-002", "INV-PAY-003"),
        _BODYLESS_CHECKED,
    ),
    _m(
        "non-object-json-rejected",
        "A JSON payload that is not an object is rejected as invalid content.",
        ("INV-PAY-001",),
        # Other checks send non-object JSON too: random values (INV-TYPE-001) and the
        # exact-size string payloads of the limits (INV-PAY-006, INV-PAY-008).
        # Schemathesis sends non-object JSON with every invocation type (INV-TYPE-002..004).
        (
            "INV-ERR-InvalidRequestContent",
            "INV-TYPE-001",
            "INV-TYPE-002",
            "INV-TYPE-003",
            "INV-TYPE-004",
            "INV-PAY-006",
            "INV-PAY-008",
        ),
    ),
    _m(
        "oversized-payload-accepted",
        "Payloads over the synchronous and Event limits are accepted and run.",
        ("INV-PAY-007", "INV-PAY-009", "INV-ERR-RequestEntityTooLarge"),
        ("INV-ERR-RequestTooLarge",),
    ),
    _m(
        "oversized-payload-400",
        "Oversized payloads are rejected with status 400 instead of 413.",
        ("INV-PAY-007", "INV-PAY-009", "INV-ERR-RequestEntityTooLarge", "INV-WIRE-002"),
        ("INV-ERR-RequestTooLarge",),
    ),
    # --- logs ----------------------------------------------------------------------
    _m(
        "logresult-not-base64",
        "X-Amz-Log-Result carries the log as plain text, not base64.",
        ("INV-LOG-002",),
        ("INV-LOG-003", "INV-LOG-006"),
    ),
    _m(
        "logresult-untrimmed",
        "X-Amz-Log-Result holds the whole log, not its last 4 KB.",
        ("INV-LOG-002",),
    ),
    _m(
        "logresult-without-tail",
        "X-Amz-Log-Result is sent even when LogType Tail was not asked for.",
        ("INV-LOG-004",),
    ),
    # --- client context ------------------------------------------------------------
    _m(
        "client-context-dropped",
        "ClientContext never reaches the function's context.",
        ("INV-CC-001",),
    ),
    _m(
        "bad-client-context-500",
        "A ClientContext that is not valid base64 is answered 500 ServiceException.",
        ("INV-CC-004",),
        # Under documented the expected error is the single InvalidParameterValueException.
        ("INV-ERR-InvalidParameterValue",),
    ),
    # --- concurrency and async -----------------------------------------------------
    _m(
        "throttle-no-reason",
        "The 429 for reserved concurrency lacks the Reason field.",
        ("INV-CONC-002",),
    ),
    _m(
        "event-no-retries",
        "A failing Event invocation is attempted once, never retried.",
        ("INV-ASYNC-003",),
        ("INV-ASYNC-004",),
    ),
    _m(
        "event-retried-5",
        "A failing Event invocation is attempted 5 times instead of 3.",
        ("INV-ASYNC-003",),
    ),
    _m(
        "none-result-empty",
        "A function that returns None is answered 200 with an empty body instead of null.",
        ("INV-PAY-010",),
        # Random payloads may be null, which echo returns as None.
        ("INV-PAY-001", "INV-TYPE-001", "INV-TYPE-002"),
    ),
    _m(
        "timeout-message-short",
        "A timed-out function's errorMessage lacks its `RequestId: <id> Error: ` opening.",
        ("INV-FERR-013",),
    ),
    _m(
        "oversized-poisons",
        "After an oversized result the function's next invocation fails: the runtime exited.",
        # The size-limit test reads a result under the limit right after an oversized one.
        ("INV-FERR-012", "INV-FERR-014"),
        # The broken environment answers whichever test invokes `large` next.
        ("INV-FERR-004", "INV-FERR-010", "INV-FERR-011", "INV-FERR-013"),
    ),
    _m(
        "log-start-latest",
        "The START line of the log always says Version: $LATEST, whatever version ran.",
        ("INV-LOG-007",),
    ),
    _m(
        "event-new-request-id",
        "An Event invocation runs under a request id of its own, not the response's.",
        ("INV-ASYNC-006",),
    ),
    _m(
        "event-throttled-429",
        "An Event invocation of a function with reserved concurrency 0 is answered 429.",
        ("INV-CONC-004",),
        ("INV-ERR-TooManyRequests",),
    ),
    # --- response headers --------------------------------------------------------------
    _m(
        "event-executed-version",
        "An Event invocation's 202 carries X-Amz-Executed-Version, as a synchronous answer does.",
        ("INV-HDR-005",),
    ),
    # --- the function's execution ----------------------------------------------------
    _m(
        "sync-runs-twice",
        "A synchronous invocation runs the function twice and answers the second result.",
        ("INV-EXEC-001",),
    ),
    _m(
        "timeout-early",
        "A synchronous invocation stops the function at half its configured timeout.",
        ("INV-EXEC-002",),
        # Its timeout error then names the shorter timeout.
        ("INV-FERR-013",),
    ),
    # --- attribution: one deviation, one requirement ---------------------------------
    # MiniStack 1.5.33's 429: no x-amzn-ErrorType, the code only as the body's __type.
    # botocore still raises the right exception (it reads the body after the header), so
    # only the wire rule breaks, never the rule the request was about.
    _m(
        "error-type-in-body-only",
        "Errors carry their code as the body's __type, with no x-amzn-ErrorType header.",
        ("INV-WIRE-001",),
    ),
    # A name form the target cannot resolve, while every qualifier works through the
    # other forms: the name-form rule breaks, not the qualifier rules.
    _m(
        "partial-arn-unresolved",
        "Partial ARNs (account:function:name) of existing functions answer 404.",
        ("INV-NAME-001",),
    ),
    # The function's context disagrees with what ran: each is its own rule.
    _m(
        "context-version-latest",
        "The function's context reports version $LATEST whatever version ran.",
        ("INV-CTX-001",),
    ),
    # MiniStack 1.5.33: context.aws_request_id is not the response's x-amzn-RequestId.
    _m(
        "context-request-id-differs",
        "A synchronous call's context gets a request id other than the response's "
        "x-amzn-RequestId (an Event's executions keep it: that is INV-ASYNC-006's rule).",
        ("INV-CTX-003",),
    ),
    # --- variations that conform (must not be failed) ---------------------------------
    # The page names no error for a bad ClientContext (INV-CC-003/004 fix only the 400),
    # and AWS's was never observed (GT-060): InvalidRequestContentException is allowed.
    _m(
        "client-context-invalid-content",
        "An over-long or non-base64 ClientContext answers 400 InvalidRequestContentException "
        "(a conforming variation: no requirement fixes the error type).",
        (),
    ),
)

# InvokeWithResponseStream: each deviates on the streaming operation only, so Invoke's
# requirements never see them (and Invoke's mutants never touch the stream).
_STREAM: tuple[Mutant, ...] = (
    _m(
        "stream-no-default",
        "A stream request without X-Amz-Invocation-Type is rejected (400) instead of "
        "running as RequestResponse.",
        ("STR-TYPE-001",),
    ),
    _m(
        "stream-dryrun-streams",
        "A streamed DryRun answers 200 with an (empty) event stream instead of 204.",
        ("STR-TYPE-002",),
    ),
    _m(
        "stream-event-accepted",
        "A streamed Event invocation is accepted with 202 (Event is not a streaming type).",
        ("STR-TYPE-003",),
    ),
    _m(
        "stream-bad-crc",
        "The last message of every stream has a wrong message CRC32.",
        ("STR-FRAME-001",),
    ),
    _m(
        "stream-truncated",
        "The stream's last message is cut short: its prelude announces bytes never sent.",
        ("STR-FRAME-001",),
    ),
    _m(
        "stream-complete-not-json",
        "The InvokeComplete event's payload is the text `done`, not a JSON object of members.",
        ("STR-EVT-001",),
    ),
    _m(
        "stream-errors-plain-text",
        "Request errors on the stream operation come with the right status but a text/plain "
        "body (the message alone).",
        ("STR-ERR-001", "STR-ERR-002"),
    ),
    _m(
        "stream-unknown-event-type",
        "Result chunks are sent as `Chunk` events instead of PayloadChunk.",
        ("STR-FRAME-002",),
    ),
    _m(
        "stream-chunk-content-type",
        "PayloadChunk events carry :content-type application/json, not application/octet-stream.",
        ("STR-FRAME-003",),
    ),
    _m(
        "stream-no-invoke-complete",
        "The stream ends after the last PayloadChunk, without an InvokeComplete event.",
        ("STR-EVT-001",),
    ),
    _m(
        "stream-chunks-reversed",
        "The PayloadChunk events come in reverse order.",
        ("STR-EVT-002",),
    ),
    _m(
        "stream-error-as-json",
        "A function error is answered as Invoke answers it (a JSON error object with "
        "X-Amz-Function-Error): the 200's body is not an event stream.",
        ("STR-FRAME-001",),
    ),
    _m(
        "stream-error-in-chunks",
        "A function error's object is streamed as PayloadChunk events, and InvokeComplete "
        "carries no ErrorCode.",
        ("STR-FERR-001",),
    ),
    _m(
        "stream-error-code-always",
        "The InvokeComplete of a successful function carries an ErrorCode (`Success`).",
        ("STR-FERR-002",),
    ),
    _m(
        "stream-no-log-result",
        "LogType Tail is ignored: InvokeComplete carries no LogResult.",
        ("STR-LOG-001",),
    ),
    _m(
        "stream-executed-version-absent",
        "A streamed 200 has no X-Amz-Executed-Version header.",
        ("STR-HDR-001",),
    ),
    _m(
        "stream-validation-in-stream",
        "An invalid FunctionName is answered 200 with an event stream whose InvokeComplete "
        "names the error, instead of a plain 400 JSON error.",
        ("STR-ERR-001",),
    ),
    _m(
        "stream-not-found-500",
        "A function that does not exist answers 500 ServiceException on the stream operation.",
        ("STR-ERR-002",),
    ),
    _m(
        "stream-partial-arn-unresolved",
        "A partial ARN (ACCOUNT:function:NAME) is not resolved on the stream operation: 404.",
        ("STR-NAME-001",),
    ),
)

MUTANTS: dict[str, Mutant] = {m.name: m for m in (*_ALL, *_STREAM)}


class Switches:
    """The one deviation a target runs with; `on(name)` asks whether it is `name`.

    Asking about a name that is not a registered mutant is a bug in the reference,
    so it raises instead of silently answering False.
    """

    __slots__ = ("active",)

    def __init__(self, mutant: Mutant | None) -> None:
        self.active = mutant.name if mutant is not None else None

    def on(self, name: str) -> bool:
        if name not in MUTANTS:
            raise KeyError(f"no mutant named {name!r}")
        return self.active == name


def mutant_named(name: str | None) -> Mutant | None:
    """The mutant called `name` (None for none), with the known names in the error."""
    if name is None:
        return None
    try:
        return MUTANTS[name]
    except KeyError:
        raise ValueError(f"unknown mutant {name!r}; known: {', '.join(sorted(MUTANTS))}") from None
