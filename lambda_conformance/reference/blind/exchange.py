"""Exchange: the request and response values the blind proxy passes around, and their edits.

Data in, data out: a deviation receives a `ProxyRequest` and an `InvokeCall` (the parsed view
of an Invoke request) and returns a `ProxyResponse`. Every edit returns a new value.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qs, quote, unquote

INVOKE_PATH = re.compile(r"^/2015-03-31/functions/(?P<name>[^/]+)/invocations$")

# Hop-by-hop headers (RFC 9110 §7.6.1) and the framing headers the proxy recomputes.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "content-length",
        "expect",
    }
)


@dataclass(frozen=True)
class ProxyRequest:
    """One request as the client sent it (body fully read, framing headers dropped)."""

    method: str
    path: str
    query: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @property
    def target(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        for key, value in self.headers:
            if key.lower() == wanted:
                return value
        return None

    def with_header(self, name: str, value: str) -> ProxyRequest:
        kept = tuple((k, v) for k, v in self.headers if k.lower() != name.lower())
        return replace(self, headers=(*kept, (name, value)))

    def without_header(self, name: str) -> ProxyRequest:
        kept = tuple((k, v) for k, v in self.headers if k.lower() != name.lower())
        return replace(self, headers=kept)

    def with_body(self, body: bytes) -> ProxyRequest:
        return replace(self, body=body)

    def with_function_name(self, name: str) -> ProxyRequest:
        return replace(self, path=f"/2015-03-31/functions/{quote(name, safe='')}/invocations")

    def with_qualifier(self, qualifier: str | None) -> ProxyRequest:
        pairs = [
            (k, v)
            for k, values in parse_qs(self.query, keep_blank_values=True).items()
            for v in values
            if k != "Qualifier"
        ]
        if qualifier is not None:
            pairs.append(("Qualifier", qualifier))
        query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)
        return replace(self, query=query)


@dataclass(frozen=True)
class ProxyResponse:
    """One response to send back. `chunked` sends it with Transfer-Encoding: chunked;
    `drop_connection` closes the socket without sending anything."""

    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    chunked: bool = False
    drop_connection: bool = False
    close: bool = False

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        for key, value in self.headers:
            if key.lower() == wanted:
                return value
        return None

    def with_header(self, name: str, value: str) -> ProxyResponse:
        """Replace (in place, keeping its position) or append a header."""
        out: list[tuple[str, str]] = []
        done = False
        for key, old in self.headers:
            if key.lower() == name.lower():
                if not done:
                    out.append((name, value))
                    done = True
                continue
            out.append((key, old))
        if not done:
            out.append((name, value))
        return replace(self, headers=tuple(out))

    def without_header(self, name: str) -> ProxyResponse:
        kept = tuple((k, v) for k, v in self.headers if k.lower() != name.lower())
        return replace(self, headers=kept)

    def with_status(self, status: int, reason: str) -> ProxyResponse:
        return replace(self, status=status, reason=reason)

    def with_body(self, body: bytes) -> ProxyResponse:
        return replace(self, body=body)

    def json(self) -> Any:
        """The body as JSON, or None when it is not JSON."""
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError):
            return None

    def with_json(self, value: Any) -> ProxyResponse:
        # The reference writes `json.dumps` with its default separators; so do we, so that a
        # deviation changes only what it means to change.
        return self.with_body(json.dumps(value).encode())

    @property
    def error_type(self) -> str | None:
        return self.header("x-amzn-ErrorType")

    @property
    def is_function_error(self) -> bool:
        return self.status == 200 and self.header("X-Amz-Function-Error") is not None

    @property
    def request_id(self) -> str:
        return self.header("x-amzn-RequestId") or str(uuid.uuid4())


@dataclass(frozen=True)
class InvokeCall:
    """What an Invoke request asks for, read the way the page names the parameters."""

    function_name: str
    qualifier: str | None
    invocation_type: str | None
    log_type: str | None
    client_context: str | None
    body: bytes
    query: dict[str, list[str]] = field(default_factory=dict)

    @property
    def is_event(self) -> bool:
        return self.invocation_type == "Event"

    @property
    def is_dry_run(self) -> bool:
        return self.invocation_type == "DryRun"

    @property
    def is_sync(self) -> bool:
        """RequestResponse, explicitly or by default ("URI Request Parameters: InvocationType")."""
        return self.invocation_type in (None, "RequestResponse")

    @property
    def name_qualifier(self) -> str | None:
        return split_qualifier(self.function_name)[1]

    @property
    def base_name(self) -> str:
        """The bare function name inside any of the four name forms."""
        unqualified = split_qualifier(self.function_name)[0]
        return unqualified.rsplit(":", 1)[-1]

    @property
    def effective_qualifier(self) -> str | None:
        return self.qualifier if self.qualifier is not None else self.name_qualifier


def parse_invoke(request: ProxyRequest) -> InvokeCall | None:
    """The Invoke view of `request`, or None when it is not an Invoke request."""
    match = INVOKE_PATH.match(request.path)
    if request.method != "POST" or match is None:
        return None
    query = parse_qs(request.query, keep_blank_values=True)
    qualifiers = query.get("Qualifier")
    return InvokeCall(
        function_name=unquote(match.group("name")),
        qualifier=qualifiers[0] if qualifiers else None,
        invocation_type=request.header("X-Amz-Invocation-Type"),
        log_type=request.header("X-Amz-Log-Type"),
        client_context=request.header("X-Amz-Client-Context"),
        body=request.body,
        query=query,
    )


def split_qualifier(name: str) -> tuple[str, str | None]:
    """Split a FunctionName into (the name without qualifier, the qualifier suffix or None),
    for the forms of "URI Request Parameters: FunctionName": `arn:…:function:n[:q]`,
    `acct:function:n[:q]` and `n[:q]`."""
    parts = name.split(":")
    if parts[0] == "arn" and len(parts) == 8:
        return ":".join(parts[:7]), parts[7]
    if len(parts) == 4 and parts[1] == "function":
        return ":".join(parts[:3]), parts[3]
    if len(parts) == 2 and parts[1] != "function":
        return parts[0], parts[1]
    return name, None


def new_request_id() -> str:
    return str(uuid.uuid4())


def error_response(
    status: int,
    reason: str,
    error_type: str,
    message: str,
    message_key: str = "message",
    request_id: str | None = None,
    extra: dict[str, Any] | None = None,
) -> ProxyResponse:
    """An error in the restJson wire form the reference uses (error envelope of
    aws-observed.md): the code in x-amzn-ErrorType, a JSON body with Type and the message."""
    body: dict[str, Any] = {"Type": "User", message_key: message}
    body.update(extra or {})
    return ProxyResponse(
        status=status,
        reason=reason,
        headers=(
            ("x-amzn-RequestId", request_id or new_request_id()),
            ("x-amzn-ErrorType", error_type),
            ("Content-Type", "application/json"),
        ),
        body=json.dumps(body).encode(),
    )


def empty_response(status: int, reason: str, request_id: str) -> ProxyResponse:
    """A status-only answer (Event 202, DryRun 204: GT-029, GT-030)."""
    headers: tuple[tuple[str, str], ...] = (("x-amzn-RequestId", request_id),)
    return ProxyResponse(status=status, reason=reason, headers=headers, body=b"")


def decode_log(response: ProxyResponse) -> str | None:
    value = response.header("X-Amz-Log-Result")
    if value is None:
        return None
    try:
        return base64.b64decode(value, validate=True).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return None


def encode_log(text: str) -> str:
    return base64.b64encode(text.encode()).decode()
