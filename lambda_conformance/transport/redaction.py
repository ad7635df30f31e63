"""Keeping secrets out of reports: the `Redactor`, and requests as they may be shown."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from lambda_conformance.checks.failure import RequestRecord
from lambda_conformance.transport.exchange import HttpRequest
from lambda_conformance.transport.signing import SIGNING_HEADERS

REDACTED = "[REDACTED]"
BODY_PREVIEW_CHARS = 2000

# Real access key ids are 16+ characters and secret keys 40; shorter strings are
# placeholders like the loopback "test"/"test", and replacing every "test" in a
# body would mangle reports without protecting anything.
MIN_SECRET_LENGTH = 8


class Redactor:
    """Replaces each known secret (access key id, secret key, session token) in a text."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        self._lock = threading.Lock()
        self._secrets: tuple[str, ...] = ()
        self.add(secrets)

    def add(self, secrets: Iterable[str | None]) -> None:
        """Also redact `secrets` from now on (credentials can be refreshed mid-run)."""
        new = {s for s in secrets if s and len(s) >= MIN_SECRET_LENGTH}
        if new <= set(self._secrets):
            return
        with self._lock:
            # Longest first, so that a secret containing another is replaced whole.
            merged = set(self._secrets) | new
            self._secrets = tuple(sorted(merged, key=len, reverse=True))

    @property
    def longest(self) -> int:
        return max((len(s) for s in self._secrets), default=0)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text

    def redact_bytes(self, data: bytes) -> bytes:
        for secret in self._secrets:
            raw = secret.encode("utf-8")
            if raw in data:
                data = data.replace(raw, REDACTED.encode("ascii"))
        return data

    def extended(self, secrets: Iterable[str | None]) -> Redactor:
        """A redactor for these secrets too (e.g. one request's signature)."""
        redactor = Redactor(self._secrets)
        redactor.add(secrets)
        return redactor

    def __repr__(self) -> str:
        return f"Redactor({len(self._secrets)} secrets)"


def request_record(request: HttpRequest, url: str, redactor: Redactor) -> RequestRecord:
    """`request` as a report may show it: no signing headers, secrets redacted, body capped."""
    headers: dict[str, str] = {}
    for name, value in request.headers:
        if name.lower() in SIGNING_HEADERS:
            continue
        shown = redactor.redact(value)
        headers[name] = f"{headers[name]}, {shown}" if name in headers else shown
    # Decode a little more than the preview so a secret cut by the cap is still
    # recognised (and replaced) whole; a byte decodes to at most 4 characters.
    window = request.body[: BODY_PREVIEW_CHARS * 4 + redactor.longest]
    preview = redactor.redact(window.decode("utf-8", errors="backslashreplace"))
    return RequestRecord(
        method=request.method,
        url=redactor.redact(url),
        headers=headers,
        body_preview=preview[:BODY_PREVIEW_CHARS],
        body_length=len(request.body),
    )
