"""Naming what went wrong: from an exception deep in requests/urllib3 to a `TransportProblem`."""

from __future__ import annotations

import errno
import http.client
import socket
import ssl
from collections.abc import Iterator
from typing import Literal

import requests
import urllib3.exceptions

from lambda_conformance.transport.body import BodyDecodeError
from lambda_conformance.transport.exchange import TransportProblem

Phase = Literal["request", "body"]

_ERRNO_MESSAGES = {
    errno.ECONNREFUSED: "connection refused",
    errno.ECONNRESET: "connection reset by peer",
    errno.EPIPE: "connection closed while the request was being sent",
    errno.ECONNABORTED: "connection aborted",
    errno.ENETUNREACH: "network unreachable",
    errno.EHOSTUNREACH: "host unreachable",
}


def iter_chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and every exception it wraps: requests and urllib3 nest them in args,
    `reason`, `__cause__` and `__context__`."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        nested: list[object] = [current.__cause__, current.__context__, *current.args]
        nested.append(getattr(current, "reason", None))
        todo.extend(n for n in nested if isinstance(n, BaseException))


def _first(exc: BaseException, *types: type[BaseException]) -> BaseException | None:
    return next((e for e in iter_chain(exc) if isinstance(e, types)), None)


def classify(
    exc: BaseException,
    *,
    phase: Phase,
    deadline_seconds: float,
    deadline_expired: bool,
    connect_seconds: float,
    chunked: bool = False,
) -> TransportProblem:
    """The problem behind `exc`, raised while sending the request and reading the
    status line and headers (`phase="request"`) or while reading the body."""
    # Checked first: after the watchdog cut the socket, the exchange's thread sees
    # whatever error that produced (EOF, reset, bad status line), not a timeout.
    if deadline_expired:
        return _timeout(phase, deadline_seconds)
    for nested in iter_chain(exc):
        if isinstance(nested, OSError) and nested.errno in _ERRNO_MESSAGES:
            return TransportProblem("connection", _ERRNO_MESSAGES[nested.errno])
    # urllib3's NewConnectionError subclasses ConnectTimeoutError; a refused
    # connection is caught by the errno check above.
    if _first(exc, requests.ConnectTimeout) or any(
        isinstance(e, urllib3.exceptions.ConnectTimeoutError)
        and not isinstance(e, urllib3.exceptions.NewConnectionError)
        for e in iter_chain(exc)
    ):
        return TransportProblem("timeout", f"could not connect within {connect_seconds:g} s")
    if _first(exc, requests.ReadTimeout, urllib3.exceptions.ReadTimeoutError, TimeoutError):
        return _timeout(phase, deadline_seconds)
    if decode_error := _first(exc, BodyDecodeError):
        return TransportProblem("malformed", str(decode_error))
    if tls := _first(exc, ssl.SSLError, urllib3.exceptions.SSLError, requests.exceptions.SSLError):
        return TransportProblem("connection", f"TLS error: {_short(tls)}")
    if resolve := _first(exc, socket.gaierror, urllib3.exceptions.NameResolutionError):
        return TransportProblem("connection", f"could not resolve host ({_short(resolve)})")
    if _first(exc, http.client.RemoteDisconnected):
        return TransportProblem("connection", "connection closed before a response arrived")
    if incomplete := _first(exc, http.client.IncompleteRead):
        return TransportProblem("malformed", _incomplete_message(incomplete, chunked))
    if _first(exc, urllib3.exceptions.InvalidChunkLength):
        return TransportProblem("malformed", "invalid chunk size line in a chunked body")
    if _first(exc, http.client.LineTooLong):
        return TransportProblem("malformed", "status or header line too long")
    if bad_status := _first(exc, http.client.BadStatusLine):
        return TransportProblem("malformed", f"invalid HTTP status line {_short(bad_status)}")
    if other_http := _first(exc, http.client.HTTPException):
        return TransportProblem("malformed", f"invalid HTTP response: {_short(other_http)}")
    if _first(exc, urllib3.exceptions.ProtocolError, requests.ConnectionError, OSError):
        return TransportProblem("connection", _short(exc))
    # Not a failure we know: still the target's doing as far as the run can tell,
    # but name the exception so a bug in the suite is recognisable as one.
    return TransportProblem("malformed", f"{type(exc).__name__}: {_short(exc)}")


def _timeout(phase: Phase, seconds: float) -> TransportProblem:
    if phase == "request":
        return TransportProblem("timeout", f"no response within {seconds:g} s")
    return TransportProblem("timeout", f"response body not complete within {seconds:g} s")


def _incomplete_message(exc: BaseException, chunked: bool) -> str:
    if chunked:
        return "chunked body ended before its last chunk"
    partial = getattr(exc, "partial", None)
    expected = getattr(exc, "expected", None)
    # urllib3 counts bytes (ints); http.client keeps the partial bytes themselves.
    got = len(partial) if isinstance(partial, bytes) else partial
    if isinstance(got, int) and isinstance(expected, int):
        return f"body ended after {got} of {got + expected} bytes declared by Content-Length"
    return "body ended before the length declared by Content-Length"


def _short(exc: BaseException, limit: int = 200) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"
