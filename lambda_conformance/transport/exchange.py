"""One HTTP exchange as data: the request sent, the response (if any) and what went wrong."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote

# What kept the target from answering usably. `budget` is the suite's own limit:
# nothing was sent. The others mirror `checks.failure.FailureReason`.
# "stopped": not sent at all, because the run is stopping (Client.stop_reason says why).
ProblemKind = Literal["timeout", "connection", "malformed", "too_large", "stopped"]

# RFC 9110 §5.6.2: a method and a header name are tokens.
_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """A request as data, before signing.

    `path` is already URL-encoded and goes on the wire byte for byte; `query`
    pairs are encoded when the URL is built (`request_url`). Headers may repeat.
    """

    method: str
    path: str
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""

    def __post_init__(self) -> None:
        # The boundary: a request that cannot be put on the wire is the suite's
        # bug, so say which part is wrong instead of failing deep in http.client.
        if not _TOKEN.match(self.method):
            raise ValueError(f"HttpRequest.method: expected an HTTP token, got {self.method!r}")
        if not self.path.startswith("/") or any(c in self.path for c in " \r\n\t#?"):
            raise ValueError(
                "HttpRequest.path: expected an encoded absolute path without spaces, "
                f"'?' or '#', got {self.path!r}"
            )
        for name, value in self.headers:
            if not _TOKEN.match(name):
                raise ValueError(f"HttpRequest.headers: invalid header name {name!r}")
            if "\r" in value or "\n" in value or "\0" in value:
                raise ValueError(f"HttpRequest.headers: {name}: value contains CR, LF or NUL")
        if not isinstance(self.body, bytes):
            raise TypeError(f"HttpRequest.body: expected bytes, got {type(self.body).__name__}")

    def header(self, name: str) -> str | None:
        """The first value of header `name` (case-insensitive), or None."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)

    def __repr__(self) -> str:
        return (f"HttpRequest(method={self.method!r}, path={_short(self.path)}, "
                f"query={self.query!r}, headers={self.headers!r}, body={_short(self.body)})")


def _short(value: bytes | str, limit: int = 200) -> str:
    # Bodies run to megabytes and pytest prints the locals of failing frames (hypothesis
    # too): a full repr of 8 MiB of NULs is a 32 MiB string, only to be cut to a line.
    if len(value) <= limit:
        return repr(value)
    return f"{value[:limit]!r}... ({len(value)} {'bytes' if isinstance(value, bytes) else 'chars'})"


class Headers(Mapping[str, str]):
    """Response headers: a case-insensitive read-only mapping over the raw pairs.

    A repeated header reads as its values joined with ", " (RFC 9110 §5.3);
    `get_all` and `pairs` keep them apart.
    """

    __slots__ = ("_index", "pairs")

    def __init__(self, pairs: tuple[tuple[str, str], ...] = ()) -> None:
        self.pairs = pairs
        index: dict[str, list[str]] = {}
        for name, value in pairs:
            index.setdefault(name.lower(), []).append(value)
        self._index = index

    def __getitem__(self, name: str) -> str:
        return ", ".join(self._index[name.lower()])

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._index

    def get_all(self, name: str) -> list[str]:
        return list(self._index.get(name.lower(), ()))

    def __repr__(self) -> str:
        return f"Headers({self.pairs!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Headers) and self.pairs == other.pairs

    def __hash__(self) -> int:
        return hash(self.pairs)


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """What the target answered. `body` is decoded (Content-Encoding) and capped; of a body
    over the cap (`body_truncated`) only the first 64 KiB are kept.

    `body_length_seen` counts the decoded bytes the client read before it stopped:
    equal to `len(body)` unless `body_truncated`, when the real body may be longer.
    """

    status: int
    headers: Headers
    body: bytes
    reason: str = ""
    body_truncated: bool = False
    body_length_seen: int = 0

    def __repr__(self) -> str:
        return (f"HttpResponse(status={self.status}, headers={self.headers!r}, "
                f"body={_short(self.body)}, reason={self.reason!r}, "
                f"body_truncated={self.body_truncated}, body_length_seen={self.body_length_seen})")


@dataclass(frozen=True, slots=True)
class TransportProblem:
    """Why an exchange has no usable response, e.g. ("timeout", "no response within 5.0 s")."""

    kind: ProblemKind
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request and its outcome.

    `response` is set as soon as a status line and headers arrived, even when the
    body then failed (`problem` says how); `problem` is None only for a complete,
    well-formed response within every limit.
    """

    request: HttpRequest
    response: HttpResponse | None
    problem: TransportProblem | None
    elapsed_seconds: float
    url: str

    @property
    def ok(self) -> bool:
        """A complete response arrived (whatever its status)."""
        return self.problem is None and self.response is not None


def encode_query(query: tuple[tuple[str, str], ...]) -> str:
    """The query string as SigV4 expects it: RFC 3986 unreserved characters kept, the rest %XX."""
    return "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in query)


def request_url(base_url: str, request: HttpRequest) -> str:
    """The full URL `request` is sent to: base URL, encoded path, encoded query."""
    url = base_url.rstrip("/") + request.path
    if request.query:
        url += "?" + encode_query(request.query)
    return url
