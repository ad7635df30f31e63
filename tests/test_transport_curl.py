"""curl commands: they replay the request byte for byte, signed by curl, with no secret inside."""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from lambda_conformance.transport import HttpRequest, Redactor, curl_command
from lambda_conformance.transport.signing import parse_authorization, signature_matches

ACCESS_KEY = "AKIDCURLCANARY000001"
SECRET_KEY = "curl-canary-secret-key-do-not-print-000001"
SESSION_TOKEN = "curl-canary-session-token-000001"
REGION = "us-west-2"
PATH = "/2015-03-31/functions/my-function/invocations"

needs_curl = pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")


@dataclass
class Received:
    method: str
    path: str
    headers: list[tuple[str, str]]
    body: bytes


class RecordingServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), RecordingHandler)
        self.received: list[Received] = []


class RecordingHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: RecordingServer

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        self.server.received.append(
            Received(self.command, self.path, list(self.headers.items()), body)
        )
        answer = b'{"ok":true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[RecordingServer]:
    recording = RecordingServer()
    thread = threading.Thread(target=recording.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield recording
    recording.shutdown()
    recording.server_close()
    thread.join(5)


def run(command: str, *, token: bool = False) -> subprocess.CompletedProcess[bytes]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
    }
    if token:
        env["AWS_SESSION_TOKEN"] = SESSION_TOKEN
    return subprocess.run(
        ["sh", "-c", command], env=env, capture_output=True, timeout=30, check=False
    )


def replay(server: RecordingServer, request: HttpRequest, *, token: bool = False) -> Received:
    base_url = f"http://127.0.0.1:{server.server_port}"
    command = curl_command(request, base_url, REGION, session_token=token, max_time=20)
    assert "\n" not in command
    assert SECRET_KEY not in command and ACCESS_KEY not in command
    result = run(command, token=token)
    assert result.returncode == 0, result.stderr.decode()
    assert b"HTTP/1.1 200 OK\r\n" in result.stdout, result.stdout[:200]
    assert len(server.received) == 1
    received = server.received[0]
    assert received.method == request.method
    # The signature is curl's own, and it is the one botocore computes.
    names = {name.lower(): value for name, value in received.headers}
    scope = parse_authorization(names["authorization"])
    assert scope is not None
    assert (scope.access_key, scope.region, scope.service) == (ACCESS_KEY, REGION, "lambda")
    assert f"/{REGION}/lambda/aws4_request" in names["authorization"]
    if request.header("content-type") is not None or not request.body:
        # Otherwise curl 7.88 signs the Content-Type it was told to remove (see
        # curl_command): moto does not mind, AWS would.
        assert signature_matches(
            SECRET_KEY,
            received.method,
            base_url + received.path,
            tuple(received.headers),
            received.body,
        )
    for name, value in request.headers:
        assert names[name.lower()] == value
    return received


@needs_curl
def test_json_body_arrives_identical(server):
    request = HttpRequest(
        "POST",
        PATH,
        query=(("Qualifier", "live"),),
        headers=(
            ("Content-Type", "application/json"),
            ("X-Amz-Invocation-Type", "RequestResponse"),
            ("X-Amz-Client-Context", "eyJjdXN0b20iOnsiYSI6ICInIn19"),
        ),
        body=b'{"key": "it\'s a \\"value\\" with $HOME and `backticks`", "n": [1, 2]}',
    )
    command = curl_command(request, "http://127.0.0.1:1", REGION)
    assert '--data-binary \'{"key"' in command
    received = replay(server, request)
    assert received.body == request.body
    assert received.path == f"{PATH}?Qualifier=live"


@needs_curl
def test_one_mib_repeated_character_body_is_regenerated_exactly(server):
    body = b'{"payload": "' + b"x" * (1024 * 1024) + b'"}'
    request = HttpRequest("POST", PATH, headers=(("Content-Type", "application/json"),), body=body)
    command = curl_command(request, "http://127.0.0.1:1", REGION)
    assert command.startswith("python3 -c ")
    assert len(command) < 500
    received = replay(server, request)
    assert received.body == body


@needs_curl
def test_invalid_utf8_body_arrives_identical_with_session_token(server):
    # GT-045's body, plus a NUL, a backslash and a quote to stress the escaping.
    body = b"n\x87r\x9e\xe9\xb5\xd7I\xee\x9bmt\x00\\'%s"
    request = HttpRequest("POST", PATH, body=body)
    command = curl_command(request, "http://127.0.0.1:1", REGION, session_token=True)
    assert '-H "x-amz-security-token: $AWS_SESSION_TOKEN"' in command
    received = replay(server, request, token=True)
    assert received.body == body
    names = {name.lower(): value for name, value in received.headers}
    assert names["x-amz-security-token"] == SESSION_TOKEN
    # No Content-Type was in the request, and curl must not add a form-encoded one.
    assert "content-type" not in names


@needs_curl
def test_mostly_text_binary_body_uses_printf(server):
    body = "héllo wörld\nsecond line\ttab".encode() + b"\xff"
    request = HttpRequest("POST", PATH, headers=(("Content-Type", "text/plain"),), body=body)
    command = curl_command(request, "http://127.0.0.1:1", REGION)
    assert command.startswith("printf %b ")
    assert replay(server, request).body == body


@needs_curl
def test_empty_body_is_a_post_without_data(server):
    request = HttpRequest("POST", PATH)
    command = curl_command(request, "http://127.0.0.1:1", REGION)
    assert "-X POST" in command and "--data" not in command
    received = replay(server, request)
    assert received.body == b""


def test_remote_target_keeps_curls_content_type_so_the_signature_holds():
    request = HttpRequest("POST", PATH, body=b"{}")
    assert "Content-Type:" not in curl_command(
        request, "https://lambda.us-east-1.amazonaws.com", REGION
    )
    assert "-H Content-Type:" in curl_command(request, "http://localhost:4566", REGION)


def test_large_arbitrary_body_is_omitted_with_its_hash():
    body = bytes(range(256)) * 1024  # 256 KiB, no long run of one byte
    command = curl_command(HttpRequest("POST", PATH, body=body), "http://h:1", REGION)
    assert "--data-binary @body.bin" in command
    assert f"# body omitted ({len(body)} bytes, sha256 " in command


def test_command_shape():
    request = HttpRequest("POST", PATH, headers=(("Content-Type", "application/json"),), body=b"{}")
    command = curl_command(request, "http://127.0.0.1:4566/", "eu-west-1", max_time=12.5)
    assert command == (
        "curl -i -sS -X POST --max-time 12.5 --aws-sigv4 aws:amz:eu-west-1:lambda"
        ' --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY"'
        " -H 'Content-Type: application/json' --data-binary '{}'"
        " http://127.0.0.1:4566/2015-03-31/functions/my-function/invocations"
    )


def test_signing_headers_are_left_to_curl_and_secrets_redacted():
    request = HttpRequest(
        "POST",
        PATH,
        headers=(
            ("Authorization", f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/..."),
            ("X-Amz-Security-Token", SESSION_TOKEN),
            ("X-Amz-Date", "20260101T000000Z"),
            ("X-Custom", f"leaked {SECRET_KEY}"),
        ),
        body=b"{}",
    )
    redactor = Redactor((ACCESS_KEY, SECRET_KEY, SESSION_TOKEN))
    command = curl_command(request, "http://h:1", REGION, redactor=redactor)
    for secret in (ACCESS_KEY, SECRET_KEY, SESSION_TOKEN):
        assert secret not in command
    assert "X-Amz-Date" not in command and "Authorization" not in command
    assert "X-Custom: leaked [REDACTED]" in command
