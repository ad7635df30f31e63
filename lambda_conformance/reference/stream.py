"""The InvokeWithResponseStream operation: Invoke's checks and run, answered as an event stream.

The request takes Invoke's parameters (the operation's own spec narrows InvocationType to
RequestResponse and DryRun), so an `InvokeService` built on that spec validates, resolves
and runs it; this module turns its synchronous 200 into PayloadChunk events and one
InvokeComplete. Errors and DryRun's 204 pass through as they are: plain restJson answers.
"""

from __future__ import annotations

import json

from lambda_conformance.reference.errors import ApiError, Reply, error_reply, service_error
from lambda_conformance.reference.eventstream import event
from lambda_conformance.reference.invoke import InvokeRequest, InvokeService
from lambda_conformance.reference.mutants import Switches
from lambda_conformance.reference.names import parse_function_name
from lambda_conformance.spec import Spec

# The operation's key in the spec (`operation.key` of spec/invoke-with-response-stream.yaml).
OPERATION = "stream"
# The frame's media type; the model names the header but not its value (see the spec's
# operation.event_stream.content_type), so this is the framing's conventional name.
STREAM_CONTENT_TYPE = "application/vnd.amazon.eventstream"
# How many PayloadChunk events a result is cut into: more than one, so that the order of
# chunks is observable, and few, so that a 6 MB result stays a handful of frames.
_CHUNKS = 4


class StreamService:
    """Answers InvokeWithResponseStream requests under one profile (and mutant)."""

    def __init__(self, spec: Spec, invoke: InvokeService, switches: Switches) -> None:
        self._spec = spec
        self._invoke = invoke
        self._switches = switches
        self._on = switches.on

    def handle(self, request: InvokeRequest, request_id: str) -> Reply:
        spec = self._spec
        type_header = spec.parameter("InvocationType").wire_name.lower()
        invocation_type = request.headers.get(type_header)
        try:
            if invocation_type is None and self._on("stream-no-default"):
                raise ApiError(
                    spec.conventions.enum_violation_errors[0],
                    "X-Amz-Invocation-Type is required",
                )
            if invocation_type == "Event" and self._on("stream-event-accepted"):
                return Reply(202)
            if self._on("stream-partial-arn-unresolved"):
                ref = parse_function_name(request.function_name)
                if ref.account is not None and ref.region is None:
                    raise ApiError(
                        spec.conventions.not_found_error,
                        f"Function not found: {request.function_name}",
                    )
        except ApiError as error:
            return error_reply(spec, error, self._switches)
        reply = self._invoke.handle(request, request_id)
        if reply.status == 404 and self._on("stream-not-found-500"):
            return service_error(spec, self._switches)
        if reply.status == 400 and self._on("stream-validation-in-stream"):
            if not spec.parameter("FunctionName").admits(request.function_name):
                code = dict(reply.headers).get(spec.conventions.error_type_header, "")
                return self._stream(reply, (), {"ErrorCode": code, "ErrorDetails": "invalid"})
        if reply.status == spec.operation.statuses["DryRun"] and self._on(
            "stream-dryrun-streams"
        ):
            return self._stream(Reply(200, reply.headers), (), {})
        if reply.status >= 400 and self._on("stream-errors-plain-text"):
            return _plain_text(reply)
        if reply.status != 200:
            return reply
        return self._from_sync(reply)

    def _from_sync(self, reply: Reply) -> Reply:
        """A synchronous Invoke answer as the stream of the same result."""
        headers = dict(reply.headers)
        complete: dict[str, str] = {}
        log = headers.get("X-Amz-Log-Result")
        if log is not None and not self._on("stream-no-log-result"):
            complete["LogResult"] = log
        if "X-Amz-Function-Error" in headers:
            if self._on("stream-error-as-json"):
                return reply
            if self._on("stream-error-in-chunks"):
                return self._stream(reply, _split(reply.body, _CHUNKS), complete)
            # A failed function's error object goes in InvokeComplete, not in chunks.
            error = _error_object(reply.body)
            complete["ErrorCode"] = str(error.get("errorType") or headers["X-Amz-Function-Error"])
            complete["ErrorDetails"] = str(error.get("errorMessage", ""))
            return self._stream(reply, (), complete)
        if self._on("stream-error-code-always"):
            complete["ErrorCode"] = "Success"
        chunks = _split(reply.body, _CHUNKS)
        if self._on("stream-chunks-reversed"):
            chunks = chunks[::-1]
        return self._stream(reply, chunks, complete)

    def _stream(
        self, reply: Reply, chunks: tuple[bytes, ...] | list[bytes], complete: dict[str, str]
    ) -> Reply:
        chunk_event = self._spec.operation.event_stream
        assert chunk_event is not None  # the operation's spec describes its stream
        payload_event = chunk_event.events["PayloadChunk"]
        name = "Chunk" if self._on("stream-unknown-event-type") else payload_event.name
        content_type = payload_event.content_type
        if self._on("stream-chunk-content-type"):
            content_type = "application/json"
        body = b"".join(event(name, chunk, content_type) for chunk in chunks)
        if not self._on("stream-no-invoke-complete"):
            final = chunk_event.final_event
            members = json.dumps(complete).encode()
            if self._on("stream-complete-not-json"):
                members = b"done"
            body += event(final, members, "application/json")
        if self._on("stream-truncated"):
            body = body[:-5]
        if self._on("stream-bad-crc"):
            # The last byte of the last message's CRC: every frame before it stays whole.
            body = body[:-1] + bytes([body[-1] ^ 0xFF])
        headers = [("Content-Type", STREAM_CONTENT_TYPE)]
        executed = dict(reply.headers).get("X-Amz-Executed-Version")
        if executed is not None and not self._on("stream-executed-version-absent"):
            headers.append(("X-Amz-Executed-Version", executed))
        return Reply(200, tuple(headers), body)


def _plain_text(reply: Reply) -> Reply:
    """An error answer whose body is its message as text, its status and type kept."""
    error = _error_object(reply.body)
    message = str(error.get("message") or error.get("Message") or "error")
    headers = tuple(
        (name, "text/plain") if name.lower() == "content-type" else (name, value)
        for name, value in reply.headers
    )
    return Reply(reply.status, headers, message.encode())


def _split(body: bytes, parts: int) -> tuple[bytes, ...]:
    """`body` in up to `parts` non-empty pieces of near-equal size (none for an empty body)."""
    if not body:
        return ()
    size = -(-len(body) // parts)
    return tuple(body[i : i + size] for i in range(0, len(body), size))


def _error_object(body: bytes) -> dict[str, object]:
    try:
        value = json.loads(body)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
