"""HTTP transport: SigV4-signed exchanges with a hard deadline, capped bodies, redaction, curl."""

from __future__ import annotations

from lambda_conformance.transport.client import Client, Observer
from lambda_conformance.transport.config import (
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_TIMEOUTS,
    StaticCredentials,
    TransportConfig,
    TransportConfigError,
    is_loopback,
)
from lambda_conformance.transport.curl import curl_command
from lambda_conformance.transport.exchange import (
    Exchange,
    Headers,
    HttpRequest,
    HttpResponse,
    ProblemKind,
    TransportProblem,
    request_url,
)
from lambda_conformance.transport.redaction import REDACTED, Redactor, request_record

__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_MAX_TIMEOUTS",
    "REDACTED",
    "Client",
    "Exchange",
    "Headers",
    "HttpRequest",
    "HttpResponse",
    "Observer",
    "ProblemKind",
    "Redactor",
    "StaticCredentials",
    "TransportConfig",
    "TransportConfigError",
    "TransportProblem",
    "curl_command",
    "is_loopback",
    "request_record",
    "request_url",
]
