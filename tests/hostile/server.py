"""The hostile target: a real TCP server on 127.0.0.1 that misbehaves as told at start.

It reads each request like an HTTP/1.1 server (request line, headers, a body of
Content-Length bytes), counts it, then hands the connection to one behaviour of
`tests.hostile.behaviours`. Everything is bounded: the accept loop polls a stop
event, each connection has socket timeouts and a `hold` limit on every stall, and
`stop()` closes every open connection, so no thread outlives the target.
"""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType

from tests.hostile.behaviours import ALL_BEHAVIOURS, BEHAVIOURS, Conn, Request

MAX_HEAD_BYTES = 64 * 1024
MAX_BODY_BYTES = 8 * 1024 * 1024  # the suite sends at most 6 MiB payloads
BODY_HEAD_BYTES = 4096
SOCKET_TIMEOUT_S = 10.0
MAX_REQUESTS_PER_CONNECTION = 1000


class HostileTarget:
    """`with HostileTarget("silent") as target: ... target.url ... target.requests`.

    `hold` bounds every stall (silent, late, drips); `delay` is how late `late`
    answers. `refused` binds a port, closes it and listens on nothing.
    """

    def __init__(self, behaviour: str, *, hold: float = 150.0, delay: float = 100.0) -> None:
        if behaviour not in ALL_BEHAVIOURS:
            raise ValueError(f"behaviour: expected one of {', '.join(ALL_BEHAVIOURS)}, "
                             f"got {behaviour!r}")
        self.behaviour = behaviour
        self.hold = hold
        self.delay = delay
        self.requests = 0  # requests read completely, over all connections
        self.connections = 0
        self.seen: list[Request] = []  # the first requests, for tests to inspect
        self.arrivals: list[float] = []  # time.monotonic() of each request read
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._listener: socket.socket | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> HostileTarget:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        self.port = listener.getsockname()[1]
        if self.behaviour == "refused":
            # Closed without listen(): connecting to the port is refused (RST).
            listener.close()
            return self
        listener.listen(64)
        listener.settimeout(0.2)
        self._listener = listener
        self._spawn(self._accept_loop, "hostile-accept")
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        with self._lock:
            sockets = list(self._open)
        for sock in sockets:
            _close(sock)
        if self._listener is not None:
            _close(self._listener)
        until = time.monotonic() + timeout
        for thread in list(self._threads):
            thread.join(max(0.0, until - time.monotonic()))

    def __enter__(self) -> HostileTarget:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()

    # --- internals ----------------------------------------------------------------------
    def _spawn(self, target: object, name: str, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)  # type: ignore[arg-type]
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()]
            self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._stop.is_set():
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            sock.settimeout(SOCKET_TIMEOUT_S)
            with self._lock:
                self._open.add(sock)
                self.connections += 1
            self._spawn(self._serve, "hostile-conn", sock)

    def _serve(self, sock: socket.socket) -> None:
        behaviour = BEHAVIOURS[self.behaviour]
        conn = Conn(sock, self._stop, self.hold, self.delay)
        buffer = b""
        try:
            for _ in range(MAX_REQUESTS_PER_CONNECTION):
                if self._stop.is_set():
                    return
                request, buffer = _read_request(sock, buffer)
                if request is None:
                    return
                with self._lock:
                    conn.begin(self.requests)
                    self.requests += 1
                    self.arrivals.append(time.monotonic())
                    if len(self.seen) < 50:
                        self.seen.append(request)
                if not behaviour(conn, request) or conn.closed:
                    return
        except OSError:
            return
        finally:
            with self._lock:
                self._open.discard(sock)
            if conn.linger_zero:
                sock.close()  # no shutdown(): that would send a FIN before the RST
            else:
                _close(sock)


def _read_request(sock: socket.socket, buffer: bytes) -> tuple[Request | None, bytes]:
    """One request from `sock` (after `buffer`); None when the client closed or sent junk."""
    while b"\r\n\r\n" not in buffer:
        if len(buffer) > MAX_HEAD_BYTES:
            return None, b""
        chunk = sock.recv(65536)
        if not chunk:
            return None, b""
        buffer += chunk
    head, buffer = buffer.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3:
        return None, b""
    headers = tuple(
        (name.strip(), value.strip())
        for name, _, value in (line.partition(":") for line in lines[1:])
    )
    length = 0
    for name, value in headers:
        if name.lower() == "content-length":
            try:
                length = int(value)
            except ValueError:
                return None, b""
    if length > MAX_BODY_BYTES:
        return None, b""
    body_head = buffer[:BODY_HEAD_BYTES]
    need = length - len(buffer)
    while need > 0:
        chunk = sock.recv(min(need, 65536))
        if not chunk:
            return None, b""
        if len(body_head) < BODY_HEAD_BYTES:
            body_head += chunk[: BODY_HEAD_BYTES - len(body_head)]
        need -= len(chunk)
    rest = buffer[length:] if length <= len(buffer) else b""
    request = Request(parts[0], parts[1], headers, length, body_head)
    return request, rest


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass
