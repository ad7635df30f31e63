"""What a hostile target does with one request: each behaviour is a function of the connection.

A behaviour gets the parsed request and the connection and either answers (returning
True when the connection may serve another request) or misbehaves. Every wait is
bounded by `Conn.hold` and by the server's stop event, so a behaviour never outlives
the test that started the target.
"""

from __future__ import annotations

import gzip
import json
import socket
import struct
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

MIB = 1024 * 1024
HUGE_BODY_BYTES = 200 * MIB
BOMB_MEMBER_ZEROS = 16 * MIB
BOMB_MEMBERS = 64  # 1 GiB of zeros once inflated, about 1 MB on the wire
DRIP_INTERVAL_S = 1.0  # one byte a second: each recv() is far inside any read timeout
SLOW_BODY_BYTES = 1_000_000
SLOW_OK_DELAY_S = 1.5


@dataclass(frozen=True)
class Request:
    """One request as the hostile target read it (the body is counted, not kept)."""

    method: str
    target: str
    headers: tuple[tuple[str, str], ...]
    body_length: int
    body_head: bytes = b""

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)


@dataclass
class Conn:
    """A client connection and the limits every behaviour must respect."""

    sock: socket.socket
    stop: threading.Event
    hold: float  # the longest a behaviour may stall on one request, in seconds (in all)
    delay: float  # the "late" behaviour's delay
    index: int = 0  # the request's number across the whole target (0-based)
    until: float = 0.0  # monotonic time when this request's `hold` runs out
    closed: bool = field(default=False)
    linger_zero: bool = field(default=False)  # close with RST, without a FIN first

    def send(self, data: bytes) -> bool:
        """Send all of `data`; False when the client went away (the behaviour then stops)."""
        try:
            self.sock.sendall(data)
            return True
        except OSError:
            self.closed = True
            return False

    def begin(self, index: int) -> None:
        """A new request: its number, and a fresh `hold` for all its stalls together."""
        self.index = index
        self.until = time.monotonic() + self.hold

    def pause(self, seconds: float) -> bool:
        """Wait `seconds`; False instead when the target stops, the client hangs up or
        the request's `hold` runs out first (so drips and delays end, whatever happens)."""
        end = time.monotonic() + seconds
        while not self.stop.is_set():
            now = time.monotonic()
            if now >= self.until:
                return False
            if now >= end:
                return True
            if self.client_gone(min(end - now, self.until - now, 0.1)):
                return False
        return False

    def client_gone(self, wait: float) -> bool:
        """True when the client closed its side (readable with nothing to read)."""
        import select

        try:
            readable, _, _ = select.select([self.sock], [], [], wait)
            if not readable:
                return False
            return self.sock.recv(1, socket.MSG_PEEK) == b""
        except (OSError, ValueError):
            return True

    def reset(self) -> None:
        """Close with SO_LINGER 0: the client sees a TCP RST, not a FIN."""
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.closed = True
        self.linger_zero = True


Behaviour = Callable[[Conn, Request], bool]


def head(status: int, headers: list[tuple[str, str]] | list[tuple[str, bytes]],
         reason: str = "Hostile") -> bytes:
    lines = [f"HTTP/1.1 {status} {reason}\r\n".encode("latin-1")]
    for name, value in headers:
        raw = value if isinstance(value, bytes) else value.encode("latin-1", "replace")
        lines.append(name.encode("latin-1") + b": " + raw + b"\r\n")
    return b"".join(lines) + b"\r\n"


def _ids() -> list[tuple[str, str]]:
    return [("x-amzn-RequestId", str(uuid.uuid4()))]


def json_answer(status: int, document: object, extra: list[tuple[str, str]] | None = None
                ) -> bytes:
    body = json.dumps(document).encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body))),
               *_ids(), *(extra or [])]
    return head(status, headers) + body


# --- answers that are well-formed HTTP ------------------------------------------------
def plausible(conn: Conn, request: Request) -> bool:
    """A 200 that looks like an echo answer (used by `late` and `flaky`)."""
    answer = json_answer(200, {"hostile": "plausible"}, [("X-Amz-Executed-Version", "$LATEST")])
    return conn.send(answer)


def not_ready(conn: Conn, request: Request) -> bool:
    """What AWS answers to any invoke of a function that is not Active yet (GT-058)."""
    document = {"Type": "User", "message": "The operation cannot be performed at this time. "
                "The function is currently in the following state: Pending"}
    return conn.send(json_answer(409, document,
                                 [("X-Amzn-ErrorType", "ResourceConflictException")]))


def error500(conn: Conn, request: Request) -> bool:
    document = {"Type": "Service", "message": "hostile target: 500 to everything"}
    return conn.send(json_answer(500, document, [("X-Amzn-ErrorType", "ServiceException")]))


NOT_JSON_BODY = b"this is not JSON {{{ <p>hostile</p>"


def not_json(conn: Conn, request: Request) -> bool:
    """JSON promised by Content-Type, something else delivered, on success and on error."""
    if conn.index % 2:
        extra = [("X-Amzn-ErrorType", "InvalidRequestContentException")]
        status = 400
    else:
        extra = [("X-Amz-Executed-Version", "$LATEST")]
        status = 200
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(NOT_JSON_BODY))),
               *_ids(), *extra]
    return conn.send(head(status, headers) + NOT_JSON_BODY)


# Characters that are illegal in XML 1.0 (NUL, C0 controls, U+FFFE/FFFF, a lone
# surrogate as CESU bytes, invalid UTF-8) next to markup that must stay inert in HTML.
SCRIPT = "<script>alert('hostile')</script>"
ILLEGAL_TEXT = "\x00\x01\x08\x0b\x0c\x1b\x7f\ufffe\uffff]]>&amp;<!--"
ILLEGAL_BODY = (f'{{"message": "{SCRIPT}", "Type": "{SCRIPT}"}}'.encode()
                + ILLEGAL_TEXT.encode("utf-8") + b"\xed\xa0\x80\xff\xfe" + SCRIPT.encode())
# Header values: http.client decodes them as latin-1; NUL and CR/LF cannot travel.
ILLEGAL_HEADER = SCRIPT.encode() + b"\x01\x08\x0b\x0c\x1b\x7f\xff\xfe]]>"


def html_script(conn: Conn, request: Request) -> bool:
    """A 400 whose error type, content type and body are markup with XML-illegal characters."""
    headers: list[tuple[str, bytes]] = [
        ("Content-Type", b"text/html; " + ILLEGAL_HEADER),
        ("Content-Length", str(len(ILLEGAL_BODY)).encode()),
        ("X-Amzn-ErrorType", ILLEGAL_HEADER),
        ("x-amzn-RequestId", ILLEGAL_HEADER),
        ("X-Amz-Executed-Version", ILLEGAL_HEADER),
    ]
    status = 200 if conn.index % 2 else 400
    return conn.send(head(status, headers) + ILLEGAL_BODY)


def echo_headers(conn: Conn, request: Request) -> bool:
    """Request headers (the signature, the session token) echoed in the body and headers."""
    authorization = request.header("Authorization") or ""
    token = request.header("X-Amz-Security-Token") or ""
    document = {"echoed": dict(request.headers), "message": f"{authorization} {token}",
                "Type": token}
    body = json.dumps(document).encode()
    echoed = [(f"X-Echo-{name}", value) for name, value in request.headers]
    if conn.index % 2:
        headers = [("Content-Type", authorization), ("X-Amzn-ErrorType", authorization),
                   ("x-amzn-RequestId", token)]
        status = 400
    else:
        headers = [("Content-Type", "application/json"), ("X-Amz-Executed-Version", token),
                   ("x-amzn-RequestId", authorization)]
        status = 200
    headers += [("Content-Length", str(len(body))), *echoed]
    return conn.send(head(status, headers) + body)


# --- answers that never come, or come too slowly -----------------------------------------
def silent(conn: Conn, request: Request) -> bool:
    """Accept and read the request, then send nothing at all (for `hold` seconds)."""
    conn.pause(conn.hold)
    return False


def slow_ok(conn: Conn, request: Request) -> bool:
    """A well-formed 200 `{}` to every request, after 1.5 s (within the request timeout):
    a slow target that answers, and fails nearly every check (validation wants 400s)."""
    if not conn.pause(SLOW_OK_DELAY_S):
        return False
    answer = json_answer(200, {}, [("X-Amz-Executed-Version", "$LATEST")])
    return conn.send(answer)


def late(conn: Conn, request: Request) -> bool:
    """A plausible answer, after `delay` seconds (if the client is still there)."""
    if conn.pause(conn.delay):
        plausible(conn, request)
    return False


def _drip(conn: Conn, data: bytes) -> bool:
    for i in range(len(data)):
        if not conn.send(data[i : i + 1]) or not conn.pause(DRIP_INTERVAL_S):
            return False
    return True


def slow_headers(conn: Conn, request: Request) -> bool:
    """The status line and headers one byte a second (each recv() stays short)."""
    body = b'{"hostile": "slow headers"}'
    answer = head(200, [("Content-Type", "application/json"),
                        ("Content-Length", str(len(body))), *_ids(),
                        ("X-Padding", "p" * 400)])
    if _drip(conn, answer):
        conn.send(body)
    return False


def slow_body(conn: Conn, request: Request) -> bool:
    """Headers at once (Content-Length 1000000), then the body one byte a second."""
    length = SLOW_BODY_BYTES
    if conn.send(head(200, [("Content-Type", "application/json"),
                            ("Content-Length", str(length)), *_ids()])):
        _drip(conn, b"[" + b"0," * (length // 2))
    return False


# --- broken framing ---------------------------------------------------------------------
def close_mid(conn: Conn, request: Request) -> bool:
    """Headers promise 4096 bytes; 100 arrive, then the connection closes (FIN)."""
    conn.send(head(200, [("Content-Type", "application/json"), ("Content-Length", "4096"),
                         *_ids()]) + b'{"partial": "' + b"x" * 87)
    return False


def reset(conn: Conn, request: Request) -> bool:
    """Read the request, then reset the connection (SO_LINGER 0)."""
    conn.reset()
    return False


GARBAGE = (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03SSH-2.0-hostile\r\n"
           b"\x00\xff\xfe not HTTP at all \x1b[31m\r\n\r\n")


def garbage(conn: Conn, request: Request) -> bool:
    """Bytes that are not HTTP (a TLS record, an SSH banner, escapes), then close."""
    conn.send(GARBAGE)
    return False


def wrong_length(conn: Conn, request: Request) -> bool:
    """Content-Length 5000 over a 20-byte body, then close."""
    conn.send(head(200, [("Content-Type", "application/json"), ("Content-Length", "5000"),
                         *_ids()]) + b'{"declared": "5000"}')
    return False


def bad_chunked(conn: Conn, request: Request) -> bool:
    """A chunked body whose last (zero-size) chunk never comes: the connection closes."""
    conn.send(head(200, [("Content-Type", "application/json"),
                         ("Transfer-Encoding", "chunked"), *_ids()])
              + b"10\r\n" + b'{"chunk": "one",' + b"\r\n" + b"10\r\n" + b"0123")
    return False


# --- too much ----------------------------------------------------------------------------
@cache
def bomb_member() -> bytes:
    """One gzip member of 16 MiB of zeros (about 16 KB); members concatenate into one body."""
    return gzip.compress(b"\0" * BOMB_MEMBER_ZEROS, compresslevel=9)


def gzip_bomb(conn: Conn, request: Request) -> bool:
    """About 1 MB of gzip on the wire that inflates to 1 GiB."""
    member = bomb_member()
    headers = [("Content-Type", "application/json"), ("Content-Encoding", "gzip"),
               ("Content-Length", str(len(member) * BOMB_MEMBERS)), *_ids()]
    if not conn.send(head(200, headers)):
        return False
    for _ in range(BOMB_MEMBERS):
        if conn.stop.is_set() or not conn.send(member):
            return False
    return True


_FILLER = b"0123456789abcdef" * 4096  # 64 KiB, sent again and again: never held whole


def huge_body(conn: Conn, request: Request) -> bool:
    """A 200 MiB JSON string with an honest Content-Length, streamed 64 KiB at a time."""
    headers = [("Content-Type", "application/json"), ("Content-Length", str(HUGE_BODY_BYTES)),
               ("X-Amz-Executed-Version", "$LATEST"), *_ids()]
    if not conn.send(head(200, headers) + b'"'):
        return False
    left = HUGE_BODY_BYTES - 2  # between the quotes
    while left > 0:
        if conn.stop.is_set() or not conn.send(_FILLER[: min(left, len(_FILLER))]):
            return False
        left -= len(_FILLER)
    return conn.send(b'"')


# --- changing its mind ------------------------------------------------------------------
_FLAKY_CYCLE: tuple[Behaviour, ...] = (plausible, error500, reset, garbage, not_json,
                                        close_mid, silent)


def flaky(conn: Conn, request: Request) -> bool:
    """A different behaviour for each request, in a fixed cycle (reproducible)."""
    return _FLAKY_CYCLE[conn.index % len(_FLAKY_CYCLE)](conn, request)


BEHAVIOURS: dict[str, Behaviour] = {
    "silent": silent,
    "late": late,
    "slow_ok": slow_ok,
    "slow_headers": slow_headers,
    "slow_body": slow_body,
    "close_mid": close_mid,
    "reset": reset,
    "garbage": garbage,
    "wrong_length": wrong_length,
    "bad_chunked": bad_chunked,
    "gzip_bomb": gzip_bomb,
    "huge_body": huge_body,
    "not_json": not_json,
    "html_script": html_script,
    "error500": error500,
    "flaky": flaky,
    "echo_headers": echo_headers,
    "plausible": plausible,
    "not_ready": not_ready,
}
# `refused` has no behaviour: nothing listens on its port (see server.HostileTarget).
ALL_BEHAVIOURS: tuple[str, ...] = (*BEHAVIOURS, "refused")
