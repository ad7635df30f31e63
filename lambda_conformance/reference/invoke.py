"""The Invoke operation: checks in the spec's order, then DryRun, Event or a synchronous run."""

from __future__ import annotations

import base64
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace

from lambda_conformance.reference.async_queue import EventQueue
from lambda_conformance.reference.errors import JSON, ApiError, Reply, error_reply
from lambda_conformance.reference.functions import LATEST, ConcurrencyLimits, FunctionConfig
from lambda_conformance.reference.logs import tail
from lambda_conformance.reference.mutants import Switches
from lambda_conformance.reference.names import function_arn, parse_function_name
from lambda_conformance.reference.runtime import Execution, Invocation, Runtime
from lambda_conformance.reference.validation import (
    check_constraints,
    decode_client_context,
    parse_payload,
)
from lambda_conformance.spec import Spec

# Under `aws` the Event limit is 1 MiB since Oct 2025; the spec judges only sizes below 1 MB
# and above 1 MiB (GT-049), so reject_from - 1 is the limit both profiles' judged sizes agree
# with (documented: 262144; aws: 1048576; sync: 6291456, GT-048).
_SYNC_TOO_LARGE = "Request must be smaller than {limit} bytes for the InvokeFunction operation"
_EVENT_TOO_LARGE = (
    "{size} byte payload is too large for the Event invocation type (limit {limit} bytes)"
)
_QUALIFIER_CONFLICT = (
    "The derived qualifier from the function name does not match the specified qualifier."
)


@dataclass(frozen=True, slots=True)
class InvokeRequest:
    """An Invoke request as received: FunctionName already percent-decoded, header names
    lower-cased, and the body (None when it was too big to keep; `body_size` says how big)."""

    function_name: str
    qualifier: str | None
    headers: Mapping[str, str]
    body: bytes | None
    body_size: int


def payload_limit(spec: Spec, invocation_type: str) -> int:
    """The largest payload accepted for `invocation_type`."""
    limit = spec.limits.async_payload if invocation_type == "Event" else spec.limits.sync_payload
    return limit.reject_from - 1


class InvokeService:
    """Answers Invoke requests for the hosted functions under one profile (and mutant)."""

    def __init__(
        self,
        spec: Spec,
        functions: Mapping[str, FunctionConfig],
        runtime: Runtime,
        events: EventQueue,
        concurrency: ConcurrencyLimits,
        switches: Switches,
        region: str,
        account_id: str,
    ) -> None:
        self._spec = spec
        self._functions = functions
        self._runtime = runtime
        self._events = events
        self._concurrency = concurrency
        self._on = switches.on
        self._switches = switches
        self._region = region
        self._account = account_id
        # Functions whose environment an oversized result broke (mutant oversized-poisons).
        self._poisoned: set[str] = set()

    def handle(self, request: InvokeRequest, request_id: str) -> Reply:
        try:
            return self._handle(request, request_id)
        except ApiError as error:
            return error_reply(self._spec, error, self._switches)

    def _handle(self, request: InvokeRequest, request_id: str) -> Reply:
        spec = self._spec
        conventions = spec.conventions
        headers = request.headers
        invocation_header = headers.get(spec.parameter("InvocationType").wire_name.lower())
        log_header = headers.get(spec.parameter("LogType").wire_name.lower())
        # (1) constraints of FunctionName, Qualifier and the enum headers, all in one error.
        check_constraints(
            spec,
            request.function_name,
            request.qualifier,
            invocation_header,
            log_header,
            self._switches,
        )
        invocation_type = (
            invocation_header or spec.parameter("InvocationType").default or "RequestResponse"
        )
        # (2) payload size (GT-048, GT-049).
        limit = payload_limit(spec, invocation_type)
        if request.body_size > limit and not self._on("oversized-payload-accepted"):
            template = _EVENT_TOO_LARGE if invocation_type == "Event" else _SYNC_TOO_LARGE
            raise ApiError(
                conventions.request_too_large_error,
                template.format(size=request.body_size, limit=limit),
            )
        # (3) a qualifier in the name must agree with the Qualifier parameter (GT-014).
        ref = parse_function_name(request.function_name)
        qualifier = request.qualifier
        if ref.qualifier is not None and qualifier is not None and ref.qualifier != qualifier:
            if not self._on("qualifier-conflict-ignored"):
                # Both profiles answer the conflict alike (GT-014), named by the page's error
                # for an invalid parameter where a profile names none.
                error = conventions.qualifier_conflict_error or "InvalidParameterValueException"
                raise ApiError(error, _QUALIFIER_CONFLICT)
        elif qualifier is None:
            qualifier = ref.qualifier
        # (4) ClientContext.
        client_context = decode_client_context(
            spec, headers.get(spec.parameter("ClientContext").wire_name.lower()), self._switches
        )
        if self._on("client-context-dropped"):
            client_context = None
        # (5) existence of the function, version or alias.
        resolved = self._resolve(ref.name, ref.region, ref.account, qualifier)
        if isinstance(resolved, Reply):
            return resolved
        function, version, invoked_arn = resolved
        # (6) the body is JSON (GT-026, GT-027, GT-045..047).
        payload = parse_payload(spec, request.body or b"", self._switches)
        invocation = Invocation(
            function,
            version,
            invoked_arn,
            request_id,
            payload,
            client_context,
            context_version=LATEST if self._on("context-version-latest") else None,
            context_request_id=(
                str(uuid.uuid4())
                if self._on("context-request-id-differs") and invocation_type != "Event"
                else None
            ),
        )
        # (7) DryRun: validated, runs nothing (GT-030).
        if invocation_type == "DryRun":
            if self._on("dryrun-executes"):
                self._run_counted(invocation)
            elif self._on("dryrun-queues"):
                self._events.submit(invocation)
            return Reply(spec.operation.statuses["DryRun"])
        # (8) reserved concurrency (GT-050, GT-051).
        if invocation_type == "Event" and self._on("event-throttled-429"):
            if not self._concurrency.try_enter(function.name):
                raise ApiError(
                    conventions.throttle_error,
                    "Rate Exceeded.",
                    {"Reason": conventions.throttle_reason_reserved},
                )
            self._concurrency.leave(function.name)
        if invocation_type != "Event" and not self._concurrency.try_enter(function.name):
            extra = (
                {}
                if self._on("throttle-no-reason")
                else {"Reason": conventions.throttle_reason_reserved}
            )
            raise ApiError(conventions.throttle_error, "Rate Exceeded.", extra)
        if invocation_type == "Event":
            return self._event(invocation)
        if self._on("timeout-early"):
            shorter = replace(function, timeout_s=function.timeout_s / 2)
            invocation = replace(invocation, function=shorter)
        try:
            if self._on("sync-runs-twice"):
                self._runtime.execute(invocation)
            if self._on("oversized-poisons") and function.name in self._poisoned:
                self._poisoned.discard(function.name)
                execution = _exited(invocation)
            else:
                execution = self._runtime.execute(invocation)
            if self._on("oversized-poisons") and execution.kind == "too_large":
                self._poisoned.add(function.name)
        finally:
            self._concurrency.leave(function.name)
        return self._sync_reply(execution, version, qualifier, log_header == "Tail")

    def _resolve(
        self, name: str, region: str | None, account: str | None, qualifier: str | None
    ) -> tuple[FunctionConfig, str, str] | Reply:
        """Step 5: the function, the version to run and the ARN the function sees."""
        not_found = self._spec.conventions.not_found_error
        if (
            region is not None
            and region != self._region
            and not self._on("cross-region-runs-local")
        ):
            # GT-020: a full ARN of another region is not reachable from this endpoint. The
            # page says nothing of it (documented: null); AWS's 404 is the natural reading.
            raise ApiError(
                self._spec.conventions.cross_region_error or not_found,
                f"Functions from '{region}' are not reachable in this region ('{self._region}')",
            )
        if self._on("qualifier-ignored"):
            qualifier = None
        function = self._functions.get(name) if account in (None, self._account) else None
        if self._on("partial-arn-unresolved") and account is not None and region is None:
            function = None
        if function is None:
            message = "Function not found: " + function_arn(
                self._region, account or self._account, name, qualifier or LATEST
            )
            if self._on("not-found-message"):
                message = f"Function not found: {name}"
            if self._on("unknown-function-500"):
                raise ApiError("ServiceException", "An internal error occurred.")
            if self._on("unknown-function-200"):
                return Reply(
                    200, (("Content-Type", JSON), ("X-Amz-Executed-Version", LATEST)), b"{}"
                )
            raise ApiError(not_found, message)
        version = function.resolve(qualifier)
        if version is None:
            if not self._on("unknown-alias-latest"):
                arn = function_arn(self._region, self._account, name, qualifier)
                if self._on("not-found-message"):
                    arn = f"{name}:{qualifier}"
                raise ApiError(not_found, "Function not found: " + arn)
            version = LATEST
        # GT-033/035: the ARN carries the qualifier exactly when the caller gave one.
        return function, version, function_arn(self._region, self._account, name, qualifier)

    def _run_counted(self, invocation: Invocation) -> Execution:
        self._concurrency.try_enter(invocation.function.name)
        try:
            return self._runtime.execute(invocation)
        finally:
            self._concurrency.leave(invocation.function.name)

    def _event(self, invocation: Invocation) -> Reply:
        # (9) accepted at once, run in the background (GT-029): empty body, no executed version.
        if self._on("event-new-request-id"):
            invocation = replace(invocation, request_id=str(uuid.uuid4()))
        first_attempt = self._events.submit(invocation)
        if self._on("event-waits"):
            first_attempt.wait(invocation.function.timeout_s + 5)
        status = 200 if self._on("event-200") else self._spec.operation.statuses["Event"]
        if self._on("event-executed-version"):
            return Reply(status, (("X-Amz-Executed-Version", invocation.version),))
        return Reply(status)

    def _sync_reply(
        self, execution: Execution, version: str, qualifier: str | None, tail_requested: bool
    ) -> Reply:
        """(10) The synchronous answer: 200 with the result, or with the function error."""
        spec = self._spec
        if execution.kind == "too_large" and self._on("oversized-response-413"):
            limit = spec.limits.sync_payload.reject_from - 1
            raise ApiError(
                spec.conventions.request_too_large_error, _SYNC_TOO_LARGE.format(limit=limit)
            )
        status = 200
        body = execution.body
        if not execution.failed and body == b"null" and self._on("none-result-empty"):
            body = b""
        content_type = JSON
        headers: list[tuple[str, str]] = []
        if execution.failed:
            values = spec.conventions.function_error_values
            # The page names no value; AWS always says Unhandled (GT-037, GT-039..043).
            function_error = values[0] if values else "Unhandled"
            if self._on("function-error-handled"):
                function_error = "Handled"
            if not self._on("no-function-error-header"):
                headers.append(("X-Amz-Function-Error", function_error))
            if self._on("function-error-500"):
                status = 500
            if execution.kind == "error" and self._on("wrapped-error"):
                body = _wrapped(body)
            if execution.kind == "timeout" and self._on("timeout-message-short"):
                error = json.loads(body)
                error["errorMessage"] = error["errorMessage"].split(" Error: ", 1)[-1]
                body = json.dumps(error).encode()
            if execution.kind == "timeout" and self._on("timeout-plain-text"):
                body = json.loads(body)["errorMessage"].encode()
                content_type = "text/plain"
        executed = version
        if self._on("executed-version-latest"):
            executed = LATEST
        elif self._on("executed-version-alias") and qualifier is not None:
            executed = qualifier
        if not self._on("executed-version-absent"):
            headers.append(("X-Amz-Executed-Version", executed))
        if tail_requested or self._on("logresult-without-tail"):
            headers.append(("X-Amz-Log-Result", self._log_result(execution.log)))
        headers.append(("Content-Type", content_type))
        return Reply(status, tuple(headers), body)

    def _log_result(self, log: bytes) -> str:
        if self._on("log-start-latest"):
            log = re.sub(rb"^(START RequestId: \S+ Version: )\S+", rb"\g<1>$LATEST", log, count=1)
        if self._on("logresult-untrimmed"):
            # "Whole" up to 32 KiB: more would pass the 64 KiB header-line limit of common
            # HTTP clients (http.client) and break the exchange instead of the log rule.
            return base64.b64encode(tail(log, 32 * 1024)).decode()
        trimmed = tail(log, self._spec.limits.log_tail_bytes)
        if self._on("logresult-not-base64"):
            # A header cannot carry newlines: the plain text goes on one line.
            return trimmed.decode("utf-8", "replace").replace("\n", " | ").replace("\t", " ")
        return base64.b64encode(trimmed).decode()


def _exited(invocation: Invocation) -> Execution:
    """What a broken runtime answers (GT-041): exited without a reason."""
    body = json.dumps(
        {
            "errorType": "Runtime.ExitError",
            "errorMessage": f"RequestId: {invocation.request_id} Error: Runtime exited "
            "without providing a reason",
        }
    ).encode()
    return Execution("exit", body, b"")


def _wrapped(body: bytes) -> bytes:
    error = json.loads(body)
    return json.dumps(
        {
            "errorType": "LambdaRuntimeError",
            "errorMessage": "Error while running handler: "
            f"{error.get('errorType')}: {error.get('errorMessage')}",
            "requestId": error.get("requestId", ""),
            "stackTrace": error.get("stackTrace", []),
        }
    ).encode()
