"""SigV4 signing with botocore's own signer, and where the credentials come from."""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from typing import Any

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import botocore.session

from lambda_conformance.transport.config import (
    StaticCredentials,
    TransportConfig,
    TransportConfigError,
    is_loopback,
)

# moto routes a request by the service in the Authorization header's credential
# scope (reference/running-targets.md), so this must be exactly "lambda".
SERVICE = "lambda"

# Dummy credentials for a loopback target (moto, LocalStack, the reference target)
# when the machine has none: those targets do not check signatures.
LOOPBACK_CREDENTIALS = StaticCredentials("test", "test")

# Headers the signer adds or that only make sense with one signature: a report
# leaves them out, and a curl command lets curl compute its own.
SIGNING_HEADERS = frozenset(
    {"authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"}
)


def resolve_credentials(config: TransportConfig) -> Any:
    """botocore credentials for `config`, or TransportConfigError when there are none.

    Returns a botocore `Credentials` (possibly refreshable: sign with
    `get_frozen_credentials()` each time, as botocore's own RequestSigner does).
    """
    if config.credentials is not None:
        given = config.credentials
        return botocore.credentials.Credentials(given.access_key, given.secret_key, given.token)
    try:
        session = botocore.session.Session(profile=config.profile)
        found = session.get_credentials()
    except Exception as exc:  # a broken ~/.aws/config or an unknown profile
        raise TransportConfigError(f"could not load AWS credentials: {exc}") from exc
    if found is not None:
        return found
    if is_loopback(config.base_url):
        fallback = LOOPBACK_CREDENTIALS
        return botocore.credentials.Credentials(fallback.access_key, fallback.secret_key)
    raise TransportConfigError(
        f"no AWS credentials found for {config.base_url}: set AWS_ACCESS_KEY_ID and "
        "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or configure ~/.aws/credentials"
    )


def sign(
    credentials: Any,
    region: str,
    method: str,
    url: str,
    headers: tuple[tuple[str, str], ...],
    body: bytes,
) -> tuple[tuple[str, str], ...]:
    """The headers to send: `headers` plus X-Amz-Date, Authorization (and the token).

    `credentials` must be frozen (`ReadOnlyCredentials`) so that a refresh cannot
    swap the key between reading the access key and the secret. Repeated headers
    are joined with "," as the canonical request does, so the wire and the
    signature agree. `body` is signed as raw bytes, valid UTF-8 or not.
    """
    merged: dict[str, str] = {}
    for name, value in headers:
        key = next((k for k in merged if k.lower() == name.lower()), name)
        merged[key] = f"{merged[key]},{value}" if key in merged else value
    aws_request = botocore.awsrequest.AWSRequest(method=method, url=url, headers=merged, data=body)
    botocore.auth.SigV4Auth(credentials, SERVICE, region).add_auth(aws_request)
    return tuple((str(k), str(v)) for k, v in aws_request.headers.items())


_AUTHORIZATION = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=(?P<key>[^/,\s]+)/(?P<date>\d{8})/(?P<region>[^/]+)/"
    r"(?P<service>[^/]+)/aws4_request,\s*SignedHeaders=(?P<signed>[^,\s]+),\s*"
    r"Signature=(?P<signature>[0-9a-f]{64})$"
)


@dataclass(frozen=True, slots=True)
class SignatureScope:
    """What an Authorization header says about itself."""

    access_key: str
    date: str
    region: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str


def parse_authorization(value: str) -> SignatureScope | None:
    """The parts of a SigV4 Authorization header, or None if it is not one."""
    match = _AUTHORIZATION.match(value.strip())
    if match is None:
        return None
    return SignatureScope(
        access_key=match["key"],
        date=match["date"],
        region=match["region"],
        service=match["service"],
        signed_headers=tuple(match["signed"].split(";")),
        signature=match["signature"],
    )


def signature_matches(
    secret_key: str,
    method: str,
    url: str,
    headers: tuple[tuple[str, str], ...],
    body: bytes,
) -> bool:
    """Whether the request's SigV4 signature is right for `secret_key`, as botocore computes it.

    `headers` are those received (Host included); only the ones listed in
    SignedHeaders enter the computation, with the date from X-Amz-Date.
    """
    received: dict[str, list[str]] = {}
    for name, value in headers:
        received.setdefault(name.lower(), []).append(value)
    scope = parse_authorization(",".join(received.get("authorization", [])))
    amz_date = received.get("x-amz-date", [""])[0]
    if scope is None or not amz_date.startswith(scope.date):
        return False
    aws_request = botocore.awsrequest.AWSRequest(method=method, url=url, data=body)
    for name in scope.signed_headers:
        for value in received.get(name, []):
            aws_request.headers[name] = value
    aws_request.context["timestamp"] = amz_date
    credentials = botocore.credentials.Credentials(scope.access_key, secret_key)
    signer = botocore.auth.SigV4Auth(credentials, scope.service, scope.region)
    # headers_to_sign() signs every header present, so only the listed ones were set.
    canonical = signer.canonical_request(aws_request)
    expected = signer.signature(signer.string_to_sign(aws_request, canonical), aws_request)
    return hmac.compare_digest(str(expected), scope.signature)
