"""Context: what a deviation may use besides the request, the upstream and profile facts.

`Upstream.send` forwards one request to the conformant reference (always with a timeout);
`ProfileFacts` holds the few values of spec/invoke.yaml that deviations need to build
plausible answers, per profile, each citing its place in the spec.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lambda_conformance.reference.blind.exchange import (
    HOP_BY_HOP,
    InvokeCall,
    ProxyRequest,
    ProxyResponse,
)

# Longer than the suite's default request timeout (15 s) and the sleep fixture's 3 s.
DEFAULT_UPSTREAM_TIMEOUT = 30.0


@dataclass(frozen=True)
class ProfileFacts:
    """Values of spec/invoke.yaml under one profile (base document + `profiles.aws`)."""

    constraint_error: str  # conventions.constraint_violation_error
    too_large_error: str  # conventions.request_too_large_error
    too_large_key: str  # errors.<too_large_error>.message_key
    sync_limit: int  # limits.sync_payload.accept_up_to
    async_limit: int  # limits.async_payload (the reference's reject threshold)
    region: str = "us-east-1"
    account_id: str = "000000000000"


PROFILE_FACTS: dict[str, ProfileFacts] = {
    "documented": ProfileFacts(
        constraint_error="InvalidParameterValueException",
        too_large_error="RequestTooLargeException",
        too_large_key="message",
        sync_limit=6291456,
        async_limit=262144,
    ),
    # Overrides of profiles.aws: ValidationException (GT-001), RequestEntityTooLargeException
    # with a capitalised Message (GT-048), the 1 MB async limit (GT-049).
    "aws": ProfileFacts(
        constraint_error="ValidationException",
        too_large_error="RequestEntityTooLargeException",
        too_large_key="Message",
        sync_limit=6291456,
        async_limit=1048576,
    ),
}


class Upstream:
    """The conformant reference target behind the proxy."""

    def __init__(self, host: str, port: int, timeout: float = DEFAULT_UPSTREAM_TIMEOUT) -> None:
        self.host = host
        self.port = port
        self.timeout = timeout

    def send(self, request: ProxyRequest, timeout: float | None = None) -> ProxyResponse:
        """Forward `request` and read the whole answer. Raises OSError (TimeoutError
        included) when the upstream does not answer within `timeout`."""
        connection = http.client.HTTPConnection(
            self.host, self.port, timeout=timeout if timeout is not None else self.timeout
        )
        try:
            connection.putrequest(
                request.method, request.target, skip_host=True, skip_accept_encoding=True
            )
            has_host = False
            for name, value in request.headers:
                if name.lower() in HOP_BY_HOP:
                    continue
                has_host = has_host or name.lower() == "host"
                connection.putheader(name, value)
            if not has_host:
                connection.putheader("Host", f"{self.host}:{self.port}")
            connection.putheader("Content-Length", str(len(request.body)))
            connection.endheaders(request.body)
            answer = connection.getresponse()
            body = answer.read()
            headers = tuple(
                (name, value)
                for name, value in answer.getheaders()
                if name.lower() not in HOP_BY_HOP
            )
            return ProxyResponse(
                status=answer.status, reason=answer.reason, headers=headers, body=body
            )
        finally:
            connection.close()


@dataclass
class DeviationContext:
    """Shared by every request of one proxy: the upstream, the profile, and mutable state
    that a deviation keeps between requests (guarded by `lock`)."""

    upstream: Upstream
    profile: str
    proxy_url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)
    state: dict[str, Any] = field(default_factory=dict)

    @property
    def facts(self) -> ProfileFacts:
        return PROFILE_FACTS[self.profile]

    def function_arn(self, name: str, qualifier: str | None) -> str:
        arn = f"arn:aws:lambda:{self.facts.region}:{self.facts.account_id}:function:{name}"
        return f"{arn}:{qualifier}" if qualifier else arn


# A deviation's hooks. `InvokeHook` handles one Invoke request (forwarding it or not);
# `ControlHook` may answer a control-plane request itself (None: forward it);
# `CallbackHook` sees each beacon callback (GT-056) and returns those to relay to the suite.
InvokeHook = Callable[[ProxyRequest, InvokeCall, DeviationContext], ProxyResponse]
ControlHook = Callable[[ProxyRequest, DeviationContext], ProxyResponse | None]
CallbackHook = Callable[[dict[str, Any], DeviationContext], list[dict[str, Any]]]


def forward(request: ProxyRequest, call: InvokeCall, ctx: DeviationContext) -> ProxyResponse:
    """The pass-through hook."""
    return ctx.upstream.send(request)
