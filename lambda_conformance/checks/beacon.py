"""The callback listener of the `beacon` role: sees executions a caller cannot see."""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# A beacon posts a few hundred bytes; anything larger is not one of ours.
_MAX_CALLBACK_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Callback:
    token: str
    request_id: str | None
    event: Any
    received_at: float


class BeaconListener:
    """An HTTP server that records the beacon function's POSTs by token."""

    def __init__(self, host: str = "127.0.0.1", bind_host: str | None = None) -> None:
        self.host = host
        listener = self
        self._lock = threading.Condition()
        self._calls: dict[str, list[Callback]] = {}

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(min(length, _MAX_CALLBACK_BYTES))
                token = self.path.rstrip("/").rsplit("/", 1)[-1]
                try:
                    payload = json.loads(body)
                except ValueError:
                    payload = {}
                listener._record(token, payload if isinstance(payload, dict) else {})
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer((bind_host or host, 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> BeaconListener:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def new_token(self) -> str:
        return uuid.uuid4().hex

    def url(self, token: str) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/beacon/{token}"

    def _record(self, token: str, payload: dict[str, Any]) -> None:
        request_id = payload.get("request_id")
        callback = Callback(
            token=token,
            request_id=request_id if isinstance(request_id, str) else None,
            event=payload.get("event"),
            received_at=time.monotonic(),
        )
        with self._lock:
            self._calls.setdefault(token, []).append(callback)
            self._lock.notify_all()

    def calls(self, token: str) -> list[Callback]:
        with self._lock:
            return list(self._calls.get(token, []))

    def wait_for(self, token: str, count: int, timeout: float) -> list[Callback]:
        """Wait until `count` callbacks for `token` arrived or `timeout` passed."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self._calls.get(token, [])) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._lock.wait(remaining)
            return list(self._calls.get(token, []))
