"""The client against real misbehaving servers on 127.0.0.1: it always returns an Exchange."""

from __future__ import annotations

import socket
import struct
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator

import pytest

from lambda_conformance.transport import (
    Client,
    Exchange,
    HttpRequest,
    StaticCredentials,
    TransportConfig,
    TransportConfigError,
    is_loopback,
)
from lambda_conformance.transport.client import TRUNCATED_BODY_KEPT
from lambda_conformance.transport.signing import parse_authorization, signature_matches

MIB = 1024 * 1024
CREDENTIALS = StaticCredentials("AKIDTRANSPORTTEST1", "transport-test-secret-key-0123456789")
INVOKE = HttpRequest(
    "POST",
    "/2015-03-31/functions/my-fn/invocations",
    headers=(("Content-Type", "application/json"),),
    body=b'{"key": "value"}',
)
OK_RESPONSE = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n"
    b'X-Amz-Executed-Version: $LATEST\r\n\r\n{"ok":true}'
)

Handler = Callable[[socket.socket, "Server"], None]


class Server:
    """A TCP server on 127.0.0.1 that runs `handler(conn, server)` for each connection."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.stop = threading.Event()
        self.requests: list[bytes] = []
        self.connections = 0
        self.bytes_sent = 0
        self.threads: list[threading.Thread] = []
        self.accepter = threading.Thread(target=self._accept, daemon=True)
        self.accepter.start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self.threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(10)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            self.handler(conn, self)
        except OSError:
            pass  # the client hung up: that is what most of these tests provoke
        finally:
            conn.close()

    def read_request(self, conn: socket.socket) -> bytes | None:
        """One whole request (head and Content-Length body), or None at EOF."""
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            body += chunk
        self.requests.append(head + b"\r\n\r\n" + body)
        return head + b"\r\n\r\n" + body

    def send(self, conn: socket.socket, data: bytes) -> None:
        conn.sendall(data)
        self.bytes_sent += len(data)

    def close(self) -> None:
        self.stop.set()
        self.listener.close()
        self.accepter.join(2)
        for thread in self.threads:
            thread.join(2)


@pytest.fixture
def serve() -> Iterator[Callable[[Handler], Server]]:
    servers: list[Server] = []

    def start(handler: Handler) -> Server:
        server = Server(handler)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def client_for(url: str, **overrides: object) -> Client:
    settings: dict[str, object] = {
        "credentials": CREDENTIALS,
        "request_timeout": 5.0,
        "connect_timeout": 2.0,
    }
    settings.update(overrides)
    return Client(TransportConfig(url, **settings))  # type: ignore[arg-type]


def answer_ok(conn: socket.socket, server: Server) -> None:
    while server.read_request(conn) is not None:
        server.send(conn, OK_RESPONSE)


def parse_head(raw: bytes) -> tuple[str, list[tuple[str, str]], bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = [(n.strip(), v.strip()) for n, _, v in (line.partition(":") for line in lines[1:])]
    return lines[0], headers, body


# -- a normal exchange ------------------------------------------------------------


def test_normal_exchange_reads_status_headers_body_and_reuses_the_connection(serve):
    server = serve(answer_ok)
    seen: list[Exchange] = []
    with client_for(server.url) as client:
        client.observers.append(seen.append)
        first = client.send(INVOKE)
        second = client.send(INVOKE)
    assert first.problem is None and first.ok
    assert first.response is not None
    assert first.response.status == 200
    assert first.response.body == b'{"ok":true}'
    assert first.response.headers["x-amz-executed-version"] == "$LATEST"
    assert first.response.headers["X-AMZ-EXECUTED-VERSION"] == "$LATEST"
    assert ("X-Amz-Executed-Version", "$LATEST") in first.response.headers.pairs
    assert not first.response.body_truncated
    assert first.response.body_length_seen == 11
    assert first.url == f"{server.url}/2015-03-31/functions/my-fn/invocations"
    assert second.ok
    assert seen == [first, second]
    assert client.requests_sent == 2
    assert server.connections == 1  # keep-alive: the pool reused the connection


def test_request_is_signed_for_lambda_and_the_signature_verifies(serve):
    server = serve(answer_ok)
    # Not valid UTF-8 (GT-045): signed as raw bytes all the same.
    request = HttpRequest(
        "POST",
        "/2015-03-31/functions/my-fn/invocations",
        query=(("Qualifier", "$LATEST"),),
        body=b"n\x87r\x9e\xe9\xb5\xd7I\xee\x9bmt",
    )
    with client_for(server.url, region="eu-west-1") as client:
        exchange = client.send(request)
    assert exchange.ok
    start_line, headers, body = parse_head(server.requests[0])
    assert start_line == "POST /2015-03-31/functions/my-fn/invocations?Qualifier=%24LATEST HTTP/1.1"
    assert body == request.body
    names = {name.lower(): value for name, value in headers}
    scope = parse_authorization(names["authorization"])
    assert scope is not None
    assert "/eu-west-1/lambda/aws4_request" in names["authorization"]
    assert (scope.access_key, scope.region, scope.service) == (
        CREDENTIALS.access_key,
        "eu-west-1",
        "lambda",
    )
    assert names["x-amz-date"].startswith(scope.date)
    assert names["content-length"] == str(len(request.body))
    assert signature_matches(CREDENTIALS.secret_key, "POST", exchange.url, tuple(headers), body)
    assert not signature_matches("wrong-secret", "POST", exchange.url, tuple(headers), body)


def test_empty_post_body_is_sent_with_content_length_zero(serve):
    server = serve(answer_ok)
    with client_for(server.url) as client:
        exchange = client.send(HttpRequest("POST", "/2015-03-31/functions/f/invocations"))
    assert exchange.ok
    _, headers, body = parse_head(server.requests[0])
    assert ("Content-Length", "0") in headers and body == b""


# -- the target does not answer, or answers too slowly -----------------------------


def test_connection_refused(serve):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with client_for(f"http://127.0.0.1:{port}") as client:
        exchange = client.send(INVOKE)
    assert exchange.response is None
    assert exchange.problem is not None
    assert (exchange.problem.kind, exchange.problem.message) == ("connection", "connection refused")
    assert exchange.elapsed_seconds < 2


def test_server_that_never_answers_hits_the_deadline(serve):
    def silent(conn: socket.socket, server: Server) -> None:
        server.read_request(conn)
        server.stop.wait(10)

    server = serve(silent)
    with client_for(server.url, request_timeout=1.0) as client:
        exchange = client.send(INVOKE)
    assert exchange.problem is not None
    assert exchange.problem.kind == "timeout"
    assert exchange.problem.message == "no response within 1 s"
    assert 0.9 < exchange.elapsed_seconds < 1.0 + 1.5


def test_headers_dripping_one_byte_at_a_time_cannot_stretch_the_deadline(serve):
    # Every recv() gets a byte within the read timeout: only the watchdog stops this.
    def drip(conn: socket.socket, server: Server) -> None:
        server.read_request(conn)
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 25:  # 5 s at most
            if server.stop.wait(0.2):
                return
            server.send(conn, bytes([byte]))

    server = serve(drip)
    with client_for(server.url, request_timeout=1.0) as client:
        exchange = client.send(INVOKE)
    assert exchange.problem is not None
    assert (exchange.problem.kind, exchange.problem.message) == (
        "timeout",
        "no response within 1 s",
    )
    assert exchange.response is None
    assert exchange.elapsed_seconds < 1.0 + 1.5


def test_body_dripping_slowly_is_cut_at_the_deadline_keeping_the_head(serve):
    def drip(conn: socket.socket, server: Server) -> None:
        server.read_request(conn)
        server.send(conn, b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
        for _ in range(50):  # 5 s at most, should the client fail to hang up
            if server.stop.wait(0.1):
                return
            server.send(conn, b"x")

    server = serve(drip)
    with client_for(server.url, request_timeout=1.0) as client:
        exchange = client.send(INVOKE)
        assert exchange.problem is not None
        assert exchange.problem.kind == "timeout"
        assert exchange.problem.message == "response body not complete within 1 s"
        assert exchange.response is not None and exchange.response.status == 200
        assert exchange.elapsed_seconds < 1.0 + 1.5
        # The cut connection is not reused: the next exchange gets a fresh one.
        server.handler = answer_ok
        assert client.send(INVOKE).ok
    assert server.connections == 2


def test_target_that_never_reads_the_request_body_hits_the_deadline(serve):
    def deaf(conn: socket.socket, server: Server) -> None:
        server.stop.wait(5)

    server = serve(deaf)
    big = HttpRequest("POST", INVOKE.path, body=b"p" * (32 * MIB))
    with client_for(server.url, request_timeout=1.0) as client:
        exchange = client.send(big)
    assert exchange.problem is not None
    assert (exchange.problem.kind, exchange.problem.message) == (
        "timeout",
        "no response within 1 s",
    )
    assert exchange.elapsed_seconds < 1.0 + 1.5


def test_close_delimited_body_dripping_is_cut_at_the_deadline(serve):
    # No Content-Length, not chunked: the body ends when the connection closes, so
    # the watchdog's shutdown looks like a normal end unless the client checks.
    def drip(conn: socket.socket, server: Server) -> None:
        server.read_request(conn)
        server.send(conn, b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
        for _ in range(50):  # 5 s at most, should the client fail to hang up
            if server.stop.wait(0.1):
                return
            server.send(conn, b"x")

    server = serve(drip)
    with client_for(server.url, request_timeout=1.0) as client:
        exchange = client.send(INVOKE)
    assert exchange.problem is not None
    assert exchange.problem.kind == "timeout"
    assert exchange.response is not None and 0 < len(exchange.response.body) < 15
    assert exchange.problem.message == "response body not complete within 1 s"
    assert exchange.elapsed_seconds < 1.0 + 1.5


def test_two_threads_share_one_client(serve):
    server = serve(answer_ok)
    results: list[Exchange] = []
    with client_for(server.url) as client:

        def worker() -> None:
            for _ in range(5):
                results.append(client.send(INVOKE))

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)
    assert len(results) == 10 and all(exchange.ok for exchange in results)
    assert client.requests_sent == 10
    assert server.connections <= 2


# -- the target breaks the connection or the framing ------------------------------


def test_close_in_the_middle_of_the_body(serve):
    def half(conn: socket.socket, server: Server) -> None:
        server.read_request(conn)
        server.send(conn, b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + b"x" * 50)

    server = serve(half)
    with client_for(server.url) as client:
        exchange = client.send(INVOKE)
    assert exchange.problem is not None
    assert exchange.problem.kind == "malformed"
    assert exchange.problem.message == "body ended after 50 of 100 bytes declared by Content-Length"
    assert exchange.response is not None
    assert exchange.response.status == 200 and exchange.response.body == b"x" * 50


def _reset(conn: socket.socket) -> None:
    # SO_LINGER with a zero timeout: close() sends RST instead of FIN.
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def test_connection_reset_before_the_response(serve):
    def reset(conn: socket.socket, server: Server) -> None:
        server.read_request(conn)
        _reset(conn)

    server = serve(reset)
    with client_for(server.url) as client:
        exchange = client.send(INVOKE)
    assert exchange.problem is not None
    assert exchange.response is None
    assert (exchange.problem.kind, exchange.problem.message) == (
        "connection",
        "connection reset by peer",
    )


def test_connection_reset_in_the_middle_of_the_body(serve):
    def reset(conn: socket.socket, server: Server) -> None:
        server.read_request(conn)
        server.send(conn, b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"x" * 10)
        time.sleep(0.05)
        _reset(conn)

    server = serve(reset)
    with client_for(server.url) as client:
        exchange = client.send(INVOKE)
    assert exchange.problem is not None
    assert exchange.problem.kind == "connection"
    assert exchange.problem.message == "connection reset by peer"
    assert exchange.response is not None and exchange.response.status == 200


def test_garbage_that_is_not_http(serve):
    def garbage(conn: socket.socket, server: Server) -> None:
        server.read_request(conn)
        server.send(conn, b"SSH-2.0-OpenSSH_9.6\r\n\x00\xff\xfe garbage\r\n\r\n")
        server.stop.wait(5)

    server = serve(garbage)
    with client_for(server.url) as client:
        exchange = client.send(INVOKE)
    assert exchange.problem is not None
    assert exchange.problem.kind == "malformed"
    assert exchange.problem.message.startswith("invalid HTTP status line")
    assert exchange.elapsed_seconds < 2


def test_content_length_shorter_than_the_body_does_not_poison_the_next_exchange(serve):
    def too_long(conn: socket.socket, server: Server) -> None:
        while server.read_request(conn) is not None:
            server.send(conn, b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789EXTRA")

    server = serve(too_long)
    with client_for(server.url) as client:
        first = client.send(INVOKE)
        time.sleep(0.05)  # let the extra bytes arrive, as they would in real life
        second = client.send(INVOKE)
    assert first.ok and second.ok
    assert first.response is not None and first.response.body == b"0123456789"
    assert second.response is not None and second.response.body == b"0123456789"


def test_truncated_chunked_body(serve):
    def truncated(conn: socket.socket, server: Server) -> None:
        server.read_request(conn)
        server.send(conn, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")

    server = serve(truncated)
    with client_for(server.url) as client:
        exchange = client.send(INVOKE)
    assert exchange.problem is not None
    assert (exchange.problem.kind, exchange.problem.message) == (
        "malformed",
        "chunked body ended before its last chunk",
    )
    assert exchange.response is not None and exchange.response.body == b"hello"


def test_stale_keep_alive_connection_is_retried_once_on_a_new_one(serve):
    def close_second_request(conn: socket.socket, server: Server) -> None:
        served = 0
        while server.read_request(conn) is not None:
            if server.connections == 1 and served == 1:
                return  # closes without answering, as an idle-timeout race would
            server.send(conn, OK_RESPONSE)
            served += 1

    server = serve(close_second_request)
    with client_for(server.url) as client:
        assert client.send(INVOKE).ok
        assert client.send(INVOKE).ok
    assert server.connections == 2


# -- the target sends too much ----------------------------------------------------


def test_gzip_bomb_is_capped_while_decompressing(serve):
    def bomb(conn: socket.socket, server: Server) -> None:
        server.read_request(conn)
        server.send(
            conn,
            b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n",
        )
        # 1 GiB of zeros, compressed as it is sent: about 1 MB on the wire if read whole.
        zeros = bytes(MIB)
        compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        for _ in range(1024):
            piece = compressor.compress(zeros)
            if piece:
                server.send(conn, b"%x\r\n%s\r\n" % (len(piece), piece))
        tail = compressor.flush()
        server.send(conn, b"%x\r\n%s\r\n0\r\n\r\n" % (len(tail), tail))

    server = serve(bomb)
    with client_for(server.url, max_body_bytes=MIB) as client:
        tracemalloc.start()
        try:
            exchange = client.send(INVOKE)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert exchange.problem is not None
    assert (exchange.problem.kind, exchange.problem.message) == (
        "too_large",
        "body larger than 1 MiB cap",
    )
    assert exchange.response is not None
    # Only the head of a body over the cap is kept (client.TRUNCATED_BODY_KEPT).
    assert exchange.response.body == bytes(TRUNCATED_BODY_KEPT)
    assert exchange.response.body_truncated
    assert exchange.response.body_length_seen == MIB + 1
    assert peak < 16 * MIB
    assert exchange.elapsed_seconds < 3


def test_100_mb_body_is_capped_without_reading_it_all(serve):
    declared = 100 * 1000 * 1000

    def huge(conn: socket.socket, server: Server) -> None:
        server.read_request(conn)
        server.send(conn, b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % declared)
        block = b"z" * 65536
        while server.bytes_sent < declared and not server.stop.is_set():
            server.send(conn, block)

    server = serve(huge)
    with client_for(server.url, max_body_bytes=MIB) as client:
        tracemalloc.start()
        try:
            exchange = client.send(INVOKE)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert exchange.problem is not None
    assert exchange.problem.kind == "too_large"
    assert exchange.response is not None
    assert exchange.response.body == b"z" * TRUNCATED_BODY_KEPT
    assert exchange.response.body_truncated
    assert MIB < exchange.response.body_length_seen <= MIB + 65536
    assert peak < 16 * MIB
    time.sleep(0.2)  # the server notices the closed connection
    assert server.bytes_sent < declared // 4


def test_a_6_mib_response_fits_the_default_cap(serve):
    # GT-044: legitimate responses reach 6 MiB + 100 bytes.
    size = 6 * MIB + 100

    def big(conn: socket.socket, server: Server) -> None:
        server.read_request(conn)
        server.send(conn, b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % size + b"y" * size)

    server = serve(big)
    with client_for(server.url) as client:
        exchange = client.send(INVOKE)
    assert exchange.ok
    assert exchange.response is not None and len(exchange.response.body) == size


# -- the suite's own limits -------------------------------------------------------


def test_budget_exhaustion_sends_nothing_more(serve):
    server = serve(answer_ok)
    seen: list[Exchange] = []
    with client_for(server.url, max_requests=1) as client:
        client.observers.append(seen.append)
        first = client.send(INVOKE)
        second = client.send(INVOKE)
    assert first.ok
    assert second.problem is not None and second.problem.kind == "stopped"
    assert second.response is None
    assert client.requests_sent == 1
    assert len(server.requests) == 1
    assert seen == [first, second]


def test_rate_spaces_requests(serve):
    server = serve(answer_ok)
    with client_for(server.url, rate=20.0) as client:
        start = time.monotonic()
        for _ in range(4):
            assert client.send(INVOKE).ok
    assert time.monotonic() - start >= 3 / 20 - 0.01


# -- configuration ----------------------------------------------------------------


@pytest.fixture
def no_aws_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/config")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def test_no_credentials_for_a_remote_target_is_a_configuration_error(no_aws_credentials):
    with pytest.raises(TransportConfigError, match="no AWS credentials found"):
        Client(TransportConfig("https://lambda.us-east-1.amazonaws.com"))


def test_no_credentials_for_a_loopback_target_uses_dummy_ones(no_aws_credentials, serve):
    server = serve(answer_ok)
    with Client(TransportConfig(server.url.replace("127.0.0.1", "localhost"))) as client:
        assert client.send(INVOKE).ok
    _, headers, _ = parse_head(server.requests[0])
    authorization = dict((n.lower(), v) for n, v in headers)["authorization"]
    assert authorization.startswith("AWS4-HMAC-SHA256 Credential=test/")


def test_credentials_from_the_environment(monkeypatch, no_aws_credentials, serve):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENVIRONMENT")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret-from-environment")
    server = serve(answer_ok)
    with Client(TransportConfig(server.url)) as client:
        assert client.send(INVOKE).ok
    assert b"Credential=AKIDFROMENVIRONMENT/" in server.requests[0]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:4566", True),
        ("http://127.9.8.7", True),
        ("http://[::1]:9000/x", True),
        ("http://localhost:3000", True),
        ("https://lambda.us-east-1.amazonaws.com", False),
        ("http://10.0.0.1", False),
        ("http://128.0.0.1", False),
        ("not a url", False),
    ],
)
def test_is_loopback(url, expected):
    assert is_loopback(url) is expected


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("base_url", "ftp://x", "base_url: expected http(s)://host"),
        ("request_timeout", 0, "request_timeout: expected a positive number"),
        ("max_body_bytes", 0, "max_body_bytes: expected at least 1"),
        ("rate", -1.0, "rate: expected None or > 0"),
    ],
)
def test_config_says_which_field_is_wrong(field, value, message):
    settings: dict[str, object] = {"base_url": "http://127.0.0.1:1"}
    settings[field] = value
    with pytest.raises(TransportConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        TransportConfig(**settings)  # type: ignore[arg-type]
