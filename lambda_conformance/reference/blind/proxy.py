"""Blind proxy: a threaded HTTP proxy in front of the reference target that deviates once.

Every request (Invoke, control plane, anything) is forwarded to a conformant
`ReferenceTarget`; the chosen deviation (catalogue.py) may rewrite an Invoke request, its
answer, or answer itself. `BlindTarget(profile, deviation_name)` starts both servers on
127.0.0.1; `deviation_name=None` is a pure pass-through.
"""

from __future__ import annotations

import json
import socket
import threading
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from lambda_conformance.reference.blind.catalogue import DEVIATIONS, PASS_THROUGH, BlindMutant
from lambda_conformance.reference.blind.context import (
    DEFAULT_UPSTREAM_TIMEOUT,
    DeviationContext,
    Upstream,
)
from lambda_conformance.reference.blind.exchange import (
    HOP_BY_HOP,
    ProxyRequest,
    ProxyResponse,
    error_response,
    parse_invoke,
)
from lambda_conformance.reference.target import ReferenceTarget

CALLBACK_PREFIX = "/__blind/callback/"
# Beacon callbacks are relayed to the suite's listener with this deadline.
RELAY_TIMEOUT = 5.0


class BlindProxyServer(ThreadingHTTPServer):
    """The proxy's server: one thread per connection, all sharing one context."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, mutant: BlindMutant, ctx: DeviationContext) -> None:
        self.mutant = mutant
        self.ctx = ctx
        # token -> original callback_url, for deviations that watch executions (GT-056).
        self.callbacks: dict[str, str] = {}
        self.callbacks_lock = threading.Lock()
        super().__init__(("127.0.0.1", port), BlindProxyHandler)


class BlindProxyHandler(BaseHTTPRequestHandler):
    """Reads a whole request, lets the deviation answer it, writes the answer."""

    protocol_version = "HTTP/1.1"
    server: BlindProxyServer

    def log_message(self, format: str, *args: Any) -> None:
        return  # quiet: the suite records every exchange itself

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def do_HEAD(self) -> None:
        self._handle()

    def do_OPTIONS(self) -> None:
        self._handle()

    # --- reading -----------------------------------------------------------------------
    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _request(self) -> ProxyRequest:
        path, _, query = self.path.partition("?")
        headers = tuple((name, value) for name, value in self.headers.items())
        return ProxyRequest(self.command, path, query, headers, self._read_body())

    # --- dispatch ----------------------------------------------------------------------
    def _handle(self) -> None:
        try:
            request = self._request()
        except (OSError, ValueError):
            self.close_connection = True
            return
        try:
            response = self._answer(request)
        except OSError as exc:
            # The upstream did not answer: say so in the service's own words (500).
            response = error_response(
                500, "Internal Server Error", "ServiceException", f"proxy: {exc}", "Message"
            )
        self._write(request, response)

    def _answer(self, request: ProxyRequest) -> ProxyResponse:
        server = self.server
        mutant, ctx = server.mutant, server.ctx
        if request.path.startswith(CALLBACK_PREFIX):
            return self._relay(request)
        call = parse_invoke(request)
        if call is None:
            if mutant.control_plane is not None:
                answer = mutant.control_plane(request, ctx)
                if answer is not None:
                    return answer
            return ctx.upstream.send(request)
        if mutant.callback is not None and call.is_event:
            request = self._watch_callbacks(request)
            call = parse_invoke(request) or call
        return mutant.invoke(request, call, ctx)

    # --- beacon callbacks (only for deviations that watch executions) -----------------
    def _watch_callbacks(self, request: ProxyRequest) -> ProxyRequest:
        """Point the beacon's callback_url at the proxy, remembering the suite's URL."""
        try:
            event = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            return request
        if not isinstance(event, dict) or not isinstance(event.get("callback_url"), str):
            return request
        token = uuid.uuid4().hex
        with self.server.callbacks_lock:
            self.server.callbacks[token] = event["callback_url"]
        event["callback_url"] = f"{self.server.ctx.proxy_url}{CALLBACK_PREFIX}{token}"
        return request.with_body(json.dumps(event).encode())

    def _relay(self, request: ProxyRequest) -> ProxyResponse:
        token = request.path[len(CALLBACK_PREFIX) :]
        with self.server.callbacks_lock:
            original = self.server.callbacks.get(token)
        hook = self.server.mutant.callback
        ok = ProxyResponse(200, "OK", (("Content-Type", "application/json"),), b"{}")
        if original is None or hook is None:
            return ok
        try:
            record = json.loads(request.body)
        except ValueError:
            return ok
        if isinstance(record, dict) and isinstance(record.get("event"), dict):
            # The suite must see the event exactly as it sent it.
            record["event"]["callback_url"] = original
        for relayed in hook(record, self.server.ctx):
            post = urllib.request.Request(
                original,
                data=json.dumps(relayed).encode(),
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            try:
                with urllib.request.urlopen(post, timeout=RELAY_TIMEOUT) as answer:
                    answer.read()
            except OSError:
                pass
        return ok

    # --- writing -----------------------------------------------------------------------
    def _write(self, request: ProxyRequest, response: ProxyResponse) -> None:
        if response.drop_connection:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self.send_response_only(response.status, response.reason)
        for name, value in response.headers:
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        body = b"" if request.method == "HEAD" else response.body
        no_body = response.status in (204, 304) or 100 <= response.status < 200
        if response.chunked and not no_body:
            self.send_header("Transfer-Encoding", "chunked")
        elif not no_body:
            self.send_header("Content-Length", str(len(response.body)))
        if response.close or (request.header("Connection") or "").lower() == "close":
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if no_body:
            return
        if response.chunked:
            for start in range(0, len(body), 8192):
                piece = body[start : start + 8192]
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.wfile.write(body)
        self.wfile.flush()


class BlindTarget:
    """A ReferenceTarget for `profile` with the blind proxy in front, applying the catalogue
    entry `deviation_name` (None: pass-through). Use as a context manager; `url` is the
    proxy's address, which is the one to hand to the suite."""

    def __init__(
        self,
        profile: str = "aws",
        deviation_name: str | None = None,
        port: int = 0,
        upstream_timeout: float = DEFAULT_UPSTREAM_TIMEOUT,
    ) -> None:
        if deviation_name is not None and deviation_name not in DEVIATIONS:
            raise KeyError(f"unknown deviation {deviation_name!r}; see --list")
        self.profile = profile
        self.mutant = DEVIATIONS[deviation_name] if deviation_name else PASS_THROUGH
        self.reference = ReferenceTarget(profile=profile, port=0)
        self._port = port
        self._upstream_timeout = upstream_timeout
        self._server: BlindProxyServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> BlindTarget:
        if self._server is not None:
            return self
        self.reference.start()
        try:
            upstream_port = urlsplit(self.reference.url).port or 80
            ctx = DeviationContext(
                upstream=Upstream("127.0.0.1", upstream_port, self._upstream_timeout),
                profile=self.profile,
            )
            self._server = BlindProxyServer(self._port, self.mutant, ctx)
            ctx.proxy_url = self.url
        except BaseException:
            self.reference.stop()
            raise
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="blind-proxy",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self.reference.stop()

    def __enter__(self) -> BlindTarget:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the blind target is not running")
        return f"http://127.0.0.1:{self._server.server_address[1]}"
