"""Transport configuration: where the target is, how long to wait, how much to send."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

MIB = 1024 * 1024

# A conformant target answers up to 6 MiB + 100 bytes (GT-043/044); 8 MiB leaves
# room for that and for error bodies, and stops a runaway target early.
DEFAULT_MAX_BODY_BYTES = 8 * MIB

# A target that let this many requests in a row pass their deadline without a complete
# answer (it hangs, or drips bytes) is treated as gone: the run stops, incomplete. Three
# keeps one slow answer, or two, a verdict (INV-WIRE-007) and not the end of the run,
# and costs 3 x --request-timeout before a silent target is given up.
DEFAULT_MAX_TIMEOUTS = 3


class TransportConfigError(ValueError):
    """The transport cannot be set up as configured (bad URL, no credentials, …)."""


@dataclass(frozen=True, slots=True)
class StaticCredentials:
    """Credentials given explicitly instead of found by botocore's chain."""

    access_key: str
    secret_key: str
    token: str | None = None

    def __repr__(self) -> str:
        # Never let a secret reach a log or a pytest assertion message.
        return "StaticCredentials(access_key=…, secret_key=…, token=…)"


@dataclass(frozen=True, slots=True)
class TransportConfig:
    """How one run talks to its target.

    `request_timeout` is the hard deadline for one exchange: connect, send,
    headers and body together. `connect_timeout` bounds the TCP/TLS connect
    within it. `max_requests=None` and `rate=None` mean unlimited.
    `max_timeouts`: after that many exchanges in a row end at their deadline
    without a complete response, nothing more is sent (0: never give up).
    `max_time`: no exchange starts later than that many seconds after
    `run_started` (a `time.time()` value shared by xdist workers; None: when the
    client is made); None means no limit.
    Credentials: `credentials` if given, else botocore's chain (env vars,
    `profile` or AWS_PROFILE, config files, …); with none found, a loopback
    target gets dummy `test`/`test` credentials and any other target is an error.
    """

    base_url: str
    region: str = "us-east-1"
    request_timeout: float = 30.0
    connect_timeout: float = 5.0
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_requests: int | None = None
    rate: float | None = None
    max_timeouts: int = DEFAULT_MAX_TIMEOUTS
    max_time: float | None = None
    run_started: float | None = None
    credentials: StaticCredentials | None = None
    profile: str | None = None
    verify_tls: bool = True
    pool_size: int = 8

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TransportConfigError(
                f"base_url: expected http(s)://host[:port], got {self.base_url!r}"
            )
        if parts.query or parts.fragment:
            raise TransportConfigError(
                f"base_url: must not carry a query or fragment, got {self.base_url!r}"
            )
        for name in ("request_timeout", "connect_timeout"):
            value = getattr(self, name)
            if not value > 0:
                raise TransportConfigError(f"{name}: expected a positive number, got {value!r}")
        if self.max_body_bytes < 1:
            raise TransportConfigError(
                f"max_body_bytes: expected at least 1, got {self.max_body_bytes!r}"
            )
        if self.max_requests is not None and self.max_requests < 0:
            raise TransportConfigError(
                f"max_requests: expected None or >= 0, got {self.max_requests!r}"
            )
        if self.max_timeouts < 0:
            raise TransportConfigError(
                f"max_timeouts: expected >= 0 (0: never give up), got {self.max_timeouts!r}"
            )
        if self.max_time is not None and not self.max_time > 0:
            raise TransportConfigError(
                f"max_time: expected None or a positive number, got {self.max_time!r}"
            )
        if self.rate is not None and not self.rate > 0:
            raise TransportConfigError(f"rate: expected None or > 0, got {self.rate!r}")
        if self.pool_size < 1:
            raise TransportConfigError(f"pool_size: expected at least 1, got {self.pool_size!r}")
        if not self.region:
            raise TransportConfigError("region: must not be empty")


def is_loopback(url: str) -> bool:
    """True for a URL whose host is localhost, 127.0.0.0/8 or ::1."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return False
    if not host:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback
