"""Transport data and pure functions: requests, headers, capped bodies, signing, redaction."""

from __future__ import annotations

import gzip
import hashlib
import subprocess
import zlib

import pytest
from botocore.credentials import ReadOnlyCredentials

from lambda_conformance.checks.failure import RequestRecord
from lambda_conformance.transport import (
    REDACTED,
    Client,
    Headers,
    HttpRequest,
    Redactor,
    StaticCredentials,
    TransportConfig,
    curl_command,
    request_record,
    request_url,
)
from lambda_conformance.transport.body import BodyDecodeError, CappedBody
from lambda_conformance.transport.signing import parse_authorization, sign

# Canary credentials: if any of these shows up in a report, redaction failed.
CANARY = StaticCredentials(
    "AKIACANARY0000000001",
    "canary+Secret/Key0000000000000000000000001",
    "canaryTOKEN//session+token==0000000000000001",
)
PATH = "/2015-03-31/functions/my-fn/invocations"


# -- HttpRequest and URLs ---------------------------------------------------------


def test_request_url_encodes_the_query_but_not_the_path():
    request = HttpRequest(
        "POST",
        "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af/invocations",
        query=(("Qualifier", "$LATEST"), ("odd key", "a/b=c&d~")),
    )
    assert request_url("http://h:1/", request) == (
        "http://h:1/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af"
        "/invocations?Qualifier=%24LATEST&odd%20key=a%2Fb%3Dc%26d~"
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"method": "PO ST"}, "HttpRequest.method: expected an HTTP token"),
        ({"path": "no-slash"}, "HttpRequest.path: expected an encoded absolute path"),
        ({"path": "/a b"}, "HttpRequest.path"),
        ({"path": "/a?q=1"}, "HttpRequest.path"),
        ({"headers": (("Bad Name", "v"),)}, "invalid header name 'Bad Name'"),
        ({"headers": (("X-A", "v\r\nX-Injected: 1"),)}, "X-A: value contains CR, LF or NUL"),
    ],
)
def test_request_rejects_what_cannot_go_on_the_wire(fields, message):
    values = {"method": "POST", "path": PATH, **fields}
    with pytest.raises(ValueError, match=message.replace("?", r"\?")):
        HttpRequest(**values)


def test_headers_are_case_insensitive_read_only_and_keep_repeats():
    headers = Headers(
        (("X-Amz-Function-Error", "Unhandled"), ("Set-Cookie", "a"), ("set-cookie", "b"))
    )
    assert headers["x-amz-function-error"] == "Unhandled"
    assert "X-AMZ-FUNCTION-ERROR" in headers
    assert headers["Set-Cookie"] == "a, b"
    assert headers.get_all("SET-COOKIE") == ["a", "b"]
    assert headers.get("missing") is None
    assert len(headers) == 2
    assert headers.pairs[2] == ("set-cookie", "b")
    with pytest.raises(TypeError):
        headers["x"] = "y"  # type: ignore[index]


# -- capped bodies ----------------------------------------------------------------


def _feed_all(body: CappedBody, data: bytes, step: int = 7) -> CappedBody:
    for i in range(0, len(data), step):
        if not body.feed(data[i : i + step]):
            return body
    body.finish()
    return body


def test_identity_body_under_and_over_the_cap():
    assert _feed_all(CappedBody(10), b"0123456789").body == b"0123456789"
    over = _feed_all(CappedBody(10), b"0123456789A")
    assert (over.body, over.truncated, over.length_seen) == (b"0123456789", True, 11)


def test_gzip_with_concatenated_members():
    data = gzip.compress(b"hello ") + gzip.compress(b"world")
    assert _feed_all(CappedBody(100, "gzip"), data).body == b"hello world"


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS])
def test_deflate_zlib_wrapped_or_raw(wbits):
    compressor = zlib.compressobj(6, zlib.DEFLATED, wbits)
    data = compressor.compress(b"payload " * 100) + compressor.flush()
    assert _feed_all(CappedBody(1000, "deflate"), data, step=1).body == b"payload " * 100


def test_decompression_stops_at_the_cap():
    bomb = gzip.compress(bytes(50 * 1024 * 1024), compresslevel=1)
    body = CappedBody(1024, "gzip")
    assert body.feed(bomb) is False
    assert (len(body.body), body.truncated, body.length_seen) == (1024, True, 1025)


def test_broken_and_truncated_gzip_are_decode_errors():
    with pytest.raises(BodyDecodeError, match="invalid gzip body"):
        _feed_all(CappedBody(100, "gzip"), b"definitely not gzip")
    with pytest.raises(BodyDecodeError, match="gzip body ends before the end of its stream"):
        _feed_all(CappedBody(100, "gzip"), gzip.compress(b"x" * 50)[:-6])


def test_unknown_codings_are_kept_raw():
    assert _feed_all(CappedBody(100, "br"), b"\x0b\x02\x80").body == b"\x0b\x02\x80"
    assert _feed_all(CappedBody(100, "identity"), b"plain").body == b"plain"


# -- signing ----------------------------------------------------------------------


def test_signature_has_the_lambda_scope_and_the_token():
    credentials = ReadOnlyCredentials(CANARY.access_key, CANARY.secret_key, CANARY.token)
    headers = sign(
        credentials,
        "ap-south-1",
        "POST",
        "http://127.0.0.1:1" + PATH,
        (("X-Amz-Invocation-Type", "Event"), ("X-Multi", "a"), ("x-multi", "b")),
        b"\xff\xfe not utf-8",
    )
    names = {name.lower(): value for name, value in headers}
    scope = parse_authorization(names["authorization"])
    assert scope is not None
    assert (scope.region, scope.service) == ("ap-south-1", "lambda")
    assert names["authorization"].split(",")[0].endswith("/ap-south-1/lambda/aws4_request")
    assert names["x-amz-security-token"] == CANARY.token
    assert names["x-multi"] == "a,b"
    assert "x-multi" in scope.signed_headers and "x-amz-date" in scope.signed_headers


# -- redaction ----------------------------------------------------------------------


def test_request_record_drops_signing_headers_and_redacts_canaries():
    client = Client(TransportConfig("http://127.0.0.1:1", credentials=CANARY))
    body = f'{{"leak": "{CANARY.secret_key}", "key": "{CANARY.access_key}"}}'.encode() + b"\x87"
    request = HttpRequest(
        "POST",
        PATH,
        query=(("Qualifier", CANARY.access_key),),
        headers=(
            ("Content-Type", "application/json"),
            ("Authorization", f"AWS4-HMAC-SHA256 Credential={CANARY.access_key}/x"),
            ("X-Amz-Security-Token", str(CANARY.token)),
            ("X-Amz-Date", "20260101T000000Z"),
            ("X-Amz-Content-Sha256", "abc"),
            ("X-Amz-Client-Context", f"ctx {CANARY.token}"),
        ),
        body=body,
    )
    url = request_url("http://127.0.0.1:1", request)
    record = request_record(request, url, client.redactor)
    assert isinstance(record, RequestRecord)
    assert record.headers == {
        "Content-Type": "application/json",
        "X-Amz-Client-Context": f"ctx {REDACTED}",
    }
    assert record.body_preview == f'{{"leak": "{REDACTED}", "key": "{REDACTED}"}}\\x87'
    assert record.body_length == len(body)
    assert record.url.endswith(f"?Qualifier={REDACTED}")
    everything = repr(record.to_dict()) + curl_command(
        request, "http://127.0.0.1:1", "us-east-1", session_token=True, redactor=client.redactor
    )
    for secret in (CANARY.access_key, CANARY.secret_key, str(CANARY.token)):
        assert secret not in everything
    assert CANARY.secret_key not in repr(CANARY)


def test_body_preview_is_capped_and_a_secret_on_the_cap_is_still_redacted():
    redactor = Redactor([CANARY.secret_key])
    body = b"a" * 1990 + CANARY.secret_key.encode() + b"b" * 5000
    record = request_record(HttpRequest("POST", PATH, body=body), "http://h" + PATH, redactor)
    assert len(record.body_preview) == 2000
    assert record.body_preview == "a" * 1990 + REDACTED
    assert record.body_length == len(body)


def test_short_placeholder_credentials_are_not_redacted():
    # "test"/"test" (loopback dummies) would otherwise blank out every "test" in reports.
    assert Redactor(["test", "test", None]).redact('{"test": 1}') == '{"test": 1}'


# -- curl body regeneration, without curl ---------------------------------------------


def _regenerated(body: bytes) -> bytes:
    command = curl_command(HttpRequest("POST", PATH, body=body), "http://h:1", "us-east-1")
    source, _, _ = command.partition(" | curl ")
    assert source != command, command[:200]
    result = subprocess.run(["sh", "-c", source], capture_output=True, timeout=20, check=True)
    return result.stdout


@pytest.mark.parametrize(
    "body",
    [
        b'{"a": "' + b"x" * 100_000 + b'"}',
        "é".encode() * 5000,
        b"\x00" * 3000,
        b"prefix'\"$`\\" + b"ab" * 2000 + b"\n\x87suffix",
        b"\x00\x01\x02\xff" + bytes(range(256)) * 10,
        b"line one\nline two \\n not an escape \x7f\x80",
    ],
    ids=["json-run", "multibyte-run", "nul-run", "quoted-affixes", "binary", "text-escapes"],
)
def test_curl_body_sources_regenerate_the_exact_bytes(body):
    regenerated = _regenerated(body)
    assert hashlib.sha256(regenerated).hexdigest() == hashlib.sha256(body).hexdigest()
