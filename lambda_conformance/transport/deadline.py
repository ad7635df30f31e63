"""The hard deadline of one exchange: a watchdog that shuts the socket when time is up.

requests' timeouts bound each socket operation, not the exchange: a target that
drips one byte per second keeps every recv() inside a 5 s read timeout forever.
So each exchange arms a `Deadline`; the connection pool reports to it which
connection the exchange uses, and at the deadline the watchdog thread calls
shutdown() on that socket. A blocked recv()/send() in the exchange's thread then
returns at once (EOF or an error), and the exchange is reported as a timeout.
"""

from __future__ import annotations

import contextvars
import heapq
import itertools
import socket
import threading
import time
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

# The deadline of the exchange running in this thread (contextvars are per thread,
# so the callback listener thread and a test thread never see each other's).
_CURRENT: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar(
    "lambda_conformance_deadline", default=None
)


class Deadline:
    """The deadline of one exchange, and the connection it must cut when it passes."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.expired = False
        # Whether the pool handed this exchange an already open keep-alive connection.
        self.reused_connection = False
        self._lock = threading.Lock()
        # The socket, not the connection: http.client drops `connection.sock` as soon
        # as a response says "Connection: close", while the response keeps reading.
        self._sock: socket.socket | None = None
        self._done = False

    def remaining(self) -> float:
        return max(0.0, self.at - time.monotonic())

    def watch(self, connection: HTTPConnection) -> None:
        """Called by the pool with the connection this exchange is about to use."""
        with self._lock:
            self._sock = connection.sock
            self.reused_connection = connection.sock is not None
            if self.expired:
                _shutdown(self._sock)

    def connected(self, connection: HTTPConnection) -> None:
        """Called after a (re)connect: cut it at once if the deadline passed meanwhile."""
        with self._lock:
            self._sock = connection.sock
            if self.expired:
                _shutdown(self._sock)

    def expire(self) -> None:
        """Called by the watchdog at the deadline."""
        # Under the lock, and only the socket recorded for this exchange: once
        # `finish` has run, the pool may hand the same connection (and, for a
        # keep-alive one, the same socket) to the next exchange.
        with self._lock:
            if self._done:
                return
            self.expired = True
            _shutdown(self._sock)

    def finish(self) -> None:
        """The exchange is over: never touch its connection again (the pool may reuse it)."""
        with self._lock:
            self._done = True
            self._sock = None


def _shutdown(sock: socket.socket | None) -> None:
    if sock is None:
        return
    try:
        # socket.socket.shutdown, not SSLSocket.shutdown: the latter also drops the
        # SSL object under the feet of the thread that is reading from it.
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass  # already closed by the other side or by the exchange itself


class Watchdog:
    """One daemon thread that expires deadlines in time order."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Deadline]] = []
        self._counter = itertools.count()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None

    def arm(self, seconds: float) -> Deadline:
        deadline = Deadline(seconds)
        with self._cond:
            heapq.heappush(self._heap, (deadline.at, next(self._counter), deadline))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="lambda-conformance-watchdog", daemon=True
                )
                self._thread.start()
            self._cond.notify()
        return deadline

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._heap:
                    self._cond.wait()
                at, _, deadline = self._heap[0]
                delay = at - time.monotonic()
                if delay > 0:
                    self._cond.wait(delay)
                    continue
                heapq.heappop(self._heap)
            deadline.expire()


def current() -> Deadline | None:
    return _CURRENT.get()


def activate(deadline: Deadline | None) -> contextvars.Token[Deadline | None]:
    return _CURRENT.set(deadline)


def deactivate(token: contextvars.Token[Deadline | None]) -> None:
    _CURRENT.reset(token)


class _GuardedHTTPConnection(HTTPConnection):
    def connect(self) -> None:
        super().connect()
        deadline = _CURRENT.get()
        if deadline is not None:
            deadline.connected(self)


class _GuardedHTTPSConnection(HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        deadline = _CURRENT.get()
        if deadline is not None:
            deadline.connected(self)


class _GuardedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection

    def _get_conn(self, timeout: float | None = None) -> Any:
        connection = super()._get_conn(timeout)
        deadline = _CURRENT.get()
        if deadline is not None and isinstance(connection, HTTPConnection):
            deadline.watch(connection)
        return connection


class _GuardedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection

    def _get_conn(self, timeout: float | None = None) -> Any:
        connection = super()._get_conn(timeout)
        deadline = _CURRENT.get()
        if deadline is not None and isinstance(connection, HTTPConnection):
            deadline.watch(connection)
        return connection


class GuardedHTTPAdapter(HTTPAdapter):
    """An HTTPAdapter whose connections report to the running exchange's `Deadline`.

    No retries: every request the suite sends is one observation (the client
    decides itself when a stale keep-alive connection warrants a second try).
    """

    def init_poolmanager(
        self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any
    ) -> None:
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _GuardedHTTPConnectionPool,
            "https": _GuardedHTTPSConnectionPool,
        }

    def close(self) -> None:
        # urllib3 2's PoolManager.clear() forgets its pools without closing them
        # (they close when garbage-collected), which would leave the target with
        # open keep-alive connections until the next GC cycle.
        pools = self.poolmanager.pools
        for key in pools.keys():
            pool = pools.get(key)
            if pool is not None:
                pool.close()
        super().close()
