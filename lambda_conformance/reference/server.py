"""The HTTP side: a threaded HTTP/1.1 keep-alive server, body reading, and routing."""

from __future__ import annotations

import io
import logging
import uuid
from collections.abc import Mapping
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote

from lambda_conformance.reference.control import ControlPlane
from lambda_conformance.reference.errors import Reply, service_error, unknown_operation
from lambda_conformance.reference.invoke import InvokeRequest, InvokeService
from lambda_conformance.reference.mutants import Switches
from lambda_conformance.reference.stream import OPERATION as STREAM_OPERATION
from lambda_conformance.reference.stream import StreamService
from lambda_conformance.spec import Spec

_LOG = logging.getLogger(__name__)
_INVOKE_PREFIX = "/2015-03-31/functions/"
_INVOKE_SUFFIX = "/invocations"
# Where the reference describes itself and its fixture functions, so that the suite can be
# pointed at it with --target-url alone (lambda_conformance/provisioning/announced.py reads
# it; the path is outside the Lambda API, so no Invoke or control-plane call reaches it).
ANNOUNCE_PATH = "/lambda-conformance/manifest"
# A body declared bigger than this is not read at all: the answer is sent and the
# connection closed, since draining it would take longer than any client waits.
_DRAIN_LIMIT = 64 * 1024 * 1024
_CHUNK = 256 * 1024


class BodyTooLongToDrain(Exception):
    """The declared body is over `_DRAIN_LIMIT`: answer without reading, then close."""


def read_body(
    stream: io.BufferedIOBase, headers: Mapping[str, str], keep_limit: int
) -> tuple[bytes | None, int]:
    """The body (None if over `keep_limit`, then read and discarded) and its size in bytes.

    Every byte is consumed, so the keep-alive connection stays in step with the client even
    when the body is rejected as too large (GT-048: the caller gets a 413, not a reset).
    """
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return _read_chunked(stream, keep_limit)
    try:
        length = int(headers.get("content-length", "0") or "0")
    except ValueError:
        length = 0
    if length > _DRAIN_LIMIT:
        raise BodyTooLongToDrain(length)
    if length <= keep_limit:
        return stream.read(length), length
    remaining = length
    while remaining:
        chunk = stream.read(min(remaining, _CHUNK))
        if not chunk:
            break
        remaining -= len(chunk)
    return None, length


def _read_chunked(stream: io.BufferedIOBase, keep_limit: int) -> tuple[bytes | None, int]:
    parts: list[bytes] = []
    size = 0
    while True:
        line = stream.readline(1024)
        chunk_size = int(line.split(b";", 1)[0].strip() or b"0", 16)
        if chunk_size == 0:
            while stream.readline(1024) not in (b"\r\n", b"\n", b""):
                pass  # trailers
            break
        chunk = stream.read(chunk_size)
        stream.readline(16)
        size += len(chunk)
        if size > _DRAIN_LIMIT:
            raise BodyTooLongToDrain(size)
        if size <= keep_limit:
            parts.append(chunk)
        else:
            parts.clear()
    return (b"".join(parts) if size <= keep_limit else None), size


class Router:
    """Sends each request to Invoke or the control plane; anything unexpected answers 500."""

    def __init__(
        self,
        spec: Spec,
        invoke: InvokeService,
        control: ControlPlane,
        switches: Switches,
        keep_limit: int,
        announcement: bytes = b"",
        stream: StreamService | None = None,
    ) -> None:
        self.spec = spec
        self.invoke = invoke
        self.stream = stream
        # The streaming operation's path around its {FunctionName} label, from its spec.
        self._stream_affixes: tuple[str, str] | None = None
        if stream is not None and STREAM_OPERATION in spec.operation_keys:
            before, _, after = spec.for_operation(STREAM_OPERATION).operation.path.partition(
                "{FunctionName}"
            )
            self._stream_affixes = (before, after)
        self.control = control
        self.switches = switches
        self.keep_limit = keep_limit
        self.announcement = announcement

    def dispatch(
        self,
        method: str,
        target: str,
        headers: Mapping[str, str],
        stream: io.BufferedIOBase,
        request_id: str,
    ) -> Reply:
        try:
            body, size = read_body(stream, headers, self.keep_limit)
        except BodyTooLongToDrain as too_long:
            body, size = None, int(too_long.args[0])
            return self._close(self._route(method, target, headers, body, size, request_id))
        return self._route(method, target, headers, body, size, request_id)

    @staticmethod
    def _close(reply: Reply) -> Reply:
        return Reply(reply.status, reply.headers, reply.body, close=True)

    def _route(
        self,
        method: str,
        target: str,
        headers: Mapping[str, str],
        body: bytes | None,
        size: int,
        request_id: str,
    ) -> Reply:
        try:
            path, _, query = target.partition("?")
            if (
                method == "POST"
                and path.startswith(_INVOKE_PREFIX)
                and path.endswith(_INVOKE_SUFFIX)
                and len(path) >= len(_INVOKE_PREFIX) + len(_INVOKE_SUFFIX)
            ):
                raw_name = path[len(_INVOKE_PREFIX) : len(path) - len(_INVOKE_SUFFIX)]
                qualifiers = parse_qs(query, keep_blank_values=True).get("Qualifier")
                request = InvokeRequest(
                    # The name arrives percent-encoded (%3A, %24): decode it (GT-014, GT-015).
                    function_name=unquote(raw_name, errors="replace"),
                    qualifier=qualifiers[0] if qualifiers else None,
                    headers=headers,
                    body=body,
                    body_size=size,
                )
                return self.invoke.handle(request, request_id)
            affixes = self._stream_affixes
            if (
                method == "POST"
                and self.stream is not None
                and affixes is not None
                and path.startswith(affixes[0])
                and path.endswith(affixes[1])
                and len(path) >= len(affixes[0]) + len(affixes[1])
            ):
                raw_name = path[len(affixes[0]) : len(path) - len(affixes[1])]
                qualifiers = parse_qs(query, keep_blank_values=True).get("Qualifier")
                return self.stream.handle(
                    InvokeRequest(
                        function_name=unquote(raw_name, errors="replace"),
                        qualifier=qualifiers[0] if qualifiers else None,
                        headers=headers,
                        body=body,
                        body_size=size,
                    ),
                    request_id,
                )
            if method == "GET" and path == ANNOUNCE_PATH and self.announcement:
                return Reply(200, (("Content-Type", "application/json"),), self.announcement)
            segments = [unquote(s) for s in path.strip("/").split("/")]
            reply = self.control.handle(method, segments, body or b"")
            return reply if reply is not None else unknown_operation()
        except Exception:
            _LOG.exception("reference target failed on %s %s", method, target)
            return service_error(self.spec, self.switches)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # One write per response and no Nagle delay: keep-alive clients would otherwise wait
    # for delayed ACKs between header and body writes.
    disable_nagle_algorithm = True
    server_version = "lambda-conformance-reference"
    sys_version = ""
    server: ReferenceHTTPServer

    def log_message(self, format: str, *args: object) -> None:
        pass  # thousands of requests per run: no access log

    def do_POST(self) -> None:
        self._serve()

    def do_GET(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def _serve(self) -> None:
        request_id = str(uuid.uuid4())
        router = self.server.router
        headers = {name.lower(): value for name, value in self.headers.items()}
        try:
            reply = router.dispatch(self.command, self.path, headers, self.rfile, request_id)
        except Exception:
            _LOG.exception("reference target failed reading %s %s", self.command, self.path)
            reply = Router._close(service_error(router.spec, router.switches))
        self._write(reply, request_id)

    def _write(self, reply: Reply, request_id: str) -> None:
        phrase = (
            HTTPStatus(reply.status).phrase if reply.status in HTTPStatus._value2member_map_ else ""
        )
        lines = [
            f"HTTP/1.1 {reply.status} {phrase}",
            f"x-amzn-RequestId: {request_id}",
            f"Date: {formatdate(usegmt=True)}",
        ]
        lines += [f"{name}: {value}" for name, value in reply.headers]
        if reply.status != 204:
            lines.append(f"Content-Length: {len(reply.body)}")
        if reply.close:
            lines.append("Connection: close")
            self.close_connection = True
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
        self.wfile.write(head + (reply.body if reply.status != 204 else b""))


class ReferenceHTTPServer(ThreadingHTTPServer):
    """A thread per connection; connections are kept alive between requests."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, port: int, router: Router) -> None:
        self.router = router
        super().__init__(("127.0.0.1", port), _Handler)
